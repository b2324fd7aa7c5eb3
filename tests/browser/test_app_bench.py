"""A tiny run of the app benchmarks in a real Chromium: the numbers exist and the table renders.

One cold start each of the bare page and the home page, two warm clicks on the step page and
on the bare page. No timing thresholds: the numbers depend on the machine and its load.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from benchmarks import clicks, report

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def measured(browser_context) -> report.Results:
    # The browser tests' Chromium: Playwright's sync API allows one driver per thread at a time.
    results = report.Results(cold=clicks.measure_cold(browser_context, repeats=1, pages=("home",)))
    with clicks.app_server() as app, clicks.bare_server() as bare:
        results.clicks = clicks.measure_clicks(browser_context, app, bare, clicks=2)
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
    for name in ("step", "bare", "bare_run"):
        values = measured.clicks[name]
        assert len(values) == 2 and positive_and_finite(values), (name, values)
    # The first press draws the whole step (a run); the second is held in the page (no run).
    assert len(measured.clicks["step_drawn"]) == 1 and positive_and_finite(measured.clicks["step_drawn_run"])
    assert len(measured.clicks["step_held"]) == 1 and measured.clicks["step_held_run"] == [0.0]
    assert measured.clicks["step_run"][0] > 0 and measured.clicks["step_run"][1] == 0.0
    for name in ("step_server", "bare_server", "step_browser", "bare_browser"):  # CPU: may read 0, never negative
        values = measured.clicks[name]
        assert len(values) == 2 and all(math.isfinite(v) and v >= 0 for v in values), (name, values)


@pytest.mark.timeout(600)
def test_the_table_renders(measured):
    rows = measured.rows()
    assert [r.figure for r in rows] == [
        "Cold start: spawn → home rendered",
        'Warm: "Next ▶" → next equation rendered',
        'Warm: "Next ▶" within a step (the page holds it, no run) → shown',
        'Warm: "Next ▶" the server draws (the first, and past y_i) → rendered',
    ]
    for row in rows:
        assert math.isfinite(row.ratio) and row.ratio > 0, row
    assert rows[1].target == report.WARM_TARGET and rows[1].verdict in ("met", "**missed**")
    assert None not in (rows[1].app_server_ms, rows[1].base_server_ms, rows[1].app_browser_ms, rows[1].base_browser_ms)

    text = report.table(rows)
    lines = text.splitlines()
    assert lines[0].startswith("| figure | app ms |") and "server CPU" in lines[0]
    assert len(lines) == 2 + len(rows)
    assert all(line.count("|") == lines[0].count("|") for line in lines)

    doc = report.report(measured, report.machine_facts(), started=dt.datetime.now(dt.UTC), elapsed_s=1.0, quick=True)
    assert "| CPUs (os.cpu_count) |" in doc and "| Streamlit | 1." in doc
    assert text in doc
    assert "## Targets" in doc
    assert 'Warm: "Next ▶" → next equation rendered: ' in doc  # the closing note, browser and server


def test_long_inputs_are_200_tokens_and_fit_a_link():
    for seed in range(3):
        for words in (clicks.free_words(seed=seed), clicks.toy_words(seed=seed)):
            assert clicks.checked_text(words) == words
    assert clicks.free_words(seed=0) != clicks.free_words(seed=1)
