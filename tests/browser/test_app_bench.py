"""A tiny run of the app benchmarks in a real Chromium: the numbers exist and the table renders.

One cold start each of the bare page and the home page, two warm clicks on the step page and
on the bare page. No timing thresholds: the numbers depend on the machine and its load.
"""

from __future__ import annotations

import math

import pytest

from benchmarks import app_bench

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def measured(browser_context) -> app_bench.Results:
    # The browser tests' Chromium: Playwright's sync API allows one driver per thread at a time.
    results = app_bench.Results(cold=app_bench.measure_cold(browser_context, repeats=1, pages=("home",)))
    with app_bench.app_server() as app, app_bench.bare_server() as bare:
        results.clicks = app_bench.measure_clicks(browser_context, app, bare, clicks=2)
    return results


def positive_and_finite(values) -> bool:
    return bool(values) and all(math.isfinite(v) and v > 0 for v in values)


@pytest.mark.timeout(600)
def test_cold_starts_are_measured(measured):
    assert set(measured.cold) == {"bare", "home"}
    for name, values in measured.cold.items():
        assert len(values) == 1 and positive_and_finite(values), (name, values)


@pytest.mark.timeout(600)
def test_warm_clicks_are_measured(measured):
    for name in ("step", "bare", "step_run", "bare_run"):
        values = measured.clicks[name]
        assert len(values) == 2 and positive_and_finite(values), (name, values)
    for total, until_finished in zip(measured.clicks["step"], measured.clicks["step_run"]):
        assert until_finished <= total  # the run finishes before the page is drawn


@pytest.mark.timeout(600)
def test_the_table_renders(measured):
    rows = measured.rows()
    assert [r.figure for r in rows] == [
        "Cold start: spawn → home rendered",
        'Warm: "Next ▶" → next equation rendered',
    ]
    for row in rows:
        assert math.isfinite(row.ratio) and row.ratio > 0, row
    assert rows[1].target == app_bench.WARM_TARGET and rows[1].verdict in ("met", "**missed**")

    text = app_bench.table(rows)
    lines = text.splitlines()
    assert lines[0].startswith("| figure | app ms |")
    assert len(lines) == 2 + len(rows)
    assert all(line.count("|") == lines[0].count("|") for line in lines)

    doc = app_bench.report(
        measured,
        app_bench.machine_facts(),
        started=app_bench.dt.datetime.now(app_bench.dt.UTC),
        elapsed_s=1.0,
        quick=True,
    )
    assert "| CPUs (os.cpu_count) |" in doc and "| Streamlit | 1." in doc
    assert text in doc
    assert "## Targets" in doc


def test_long_inputs_are_200_tokens_and_fit_a_link():
    for seed in range(3):
        for words in (app_bench.free_words(seed=seed), app_bench.toy_words(seed=seed)):
            assert app_bench.checked_text(words) == words
    assert app_bench.free_words(seed=0) != app_bench.free_words(seed=1)
