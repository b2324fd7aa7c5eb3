"""A tiny run of the app benchmarks in a real Chromium: the numbers exist and the table renders.

``python -m benchmarks`` measures one cold start each of the bare page and the home page, and two warm
clicks on the step page and on the bare page; its ``--json`` measurements and the report it writes are
checked. No timing thresholds: the numbers depend on the machine and its load.
"""

from __future__ import annotations

import json
import math
from types import SimpleNamespace

import pytest

from attention_core.data.text import tokenize
from tests.support.tools import run_tool, table
from ui.session.state import MAX_URL_TEXT

pytestmark = pytest.mark.browser

FIGURES = [
    "Cold start: spawn → home rendered",
    'Warm: "Next ▶" → next equation rendered',
    'Warm: "Next ▶" within a step (the page holds it, no run) → shown',
    'Warm: "Next ▶" the server draws (the first, and past y_i) → rendered',
]
WARM = 1  # the row of FIGURES that the report's warm target (app ÷ bare) is about
WARM_TARGET = "≤ 1.5×"


@pytest.fixture(scope="module")
def measured(tmp_path_factory) -> SimpleNamespace:
    out = tmp_path_factory.mktemp("bench")
    run_tool(
        "benchmarks",
        *("--only", "cold", "clicks", "--cold-pages", "home", "--repeats", "1", "--clicks", "2"),
        *("--out", str(out / "benchmarks.md"), "--json", str(out / "measured.json")),
        timeout=540,
    )
    saved = json.loads((out / "measured.json").read_text())
    return SimpleNamespace(
        cold=saved["results"]["cold"], clicks=saved["results"]["clicks"], doc=(out / "benchmarks.md").read_text()
    )


def positive_and_finite(values) -> bool:
    return bool(values) and all(math.isfinite(v) and v > 0 for v in values)


def ratio(cell: str) -> float:
    return float(cell.removesuffix("×")) if cell.endswith("×") else math.nan


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
    doc = measured.doc
    rows = table(doc, "| figure | app ms |")
    assert [r[0] for r in rows] == FIGURES
    for row in rows:
        assert math.isfinite(ratio(row[9])) and ratio(row[9]) > 0, row
    warm = rows[WARM]
    assert warm[12] == WARM_TARGET and warm[13] in ("met", "**missed**"), warm
    assert f"| {FIGURES[WARM]}: {warm[12]} | {warm[9]} |" in doc  # the same target in the Targets section
    assert "—" not in (warm[3], warm[7], warm[4], warm[8])  # server and browser CPU, app and baseline

    lines = doc.split("## The app vs a bare Streamlit page", 1)[1].split("## Targets", 1)[0].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| figure | app ms |"))
    text = lines[start : start + 2 + len(rows)]
    assert "server CPU" in text[0]
    assert all(line.startswith("|") for line in text) and not lines[start + 2 + len(rows)].startswith("|")
    assert all(line.count("|") == text[0].count("|") for line in text)

    assert "| CPUs (os.cpu_count) |" in doc and "| Streamlit | 1." in doc
    assert "## Targets" in doc
    assert 'Warm: "Next ▶" → next equation rendered: ' in doc  # the closing note, browser and server


def test_long_inputs_are_200_tokens_and_fit_a_link():
    printed = run_tool("benchmarks", "--long-texts", "--repeats", "3", timeout=120).stdout.splitlines()
    texts = dict(line.split(": ", 1) for line in printed)
    assert sorted(texts) == [f"{r} {page}" for r in (1, 2, 3) for page in ("alignment map", "step page")]
    for name, text in texts.items():
        tokens = tokenize(text)
        assert len(tokens) == 200 and not tokens.truncated and len(text) <= MAX_URL_TEXT, name
    assert len({texts[f"{r} step page"] for r in (1, 2, 3)}) == 3  # new words every run: no cached translation
