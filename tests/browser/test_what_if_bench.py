"""A tiny run of the What if benchmark, ``python -m benchmarks.what_if``: beam CPU per width and one round
of clicks in Chromium. The numbers exist and the table renders; no timing thresholds (machines differ)."""

from __future__ import annotations

import json
import math

import pytest

from tests.support.tools import run_tool

pytestmark = pytest.mark.browser

WIDTHS = {"1", "2", "4", "8"}  # the beam widths the tool measures (its docstring's K)


@pytest.mark.timeout(600)
def test_the_what_if_benchmark_measures_and_reports(tmp_path):
    figures = tmp_path / "what_if.json"
    done = run_tool("benchmarks.what_if", "--repeats", "1", "--rounds", "1", "--json", str(figures), timeout=540)
    saved = json.loads(figures.read_text())
    beam, measured = saved["beam_cpu_s"], saved["clicks_ms"]
    assert set(beam) == WIDTHS and all(v[0] > 0 for v in beam.values())
    for name in ("next", "pick", "undo", "override"):
        assert len(measured[name]) == 1 and math.isfinite(measured[name][0]) and measured[name][0] > 0, name
        assert measured[f"{name}_server"][0] >= 0
    table = done.stdout
    assert "| 8 |" in table and "pick a candidate" in table and "override α (What if)" in table
