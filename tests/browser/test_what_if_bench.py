"""A tiny run of the What if benchmark: beam CPU per width and one round of clicks in Chromium.
The numbers exist and the table renders; no timing thresholds (machines differ)."""

from __future__ import annotations

import math

import pytest

from benchmarks import clicks, what_if

pytestmark = pytest.mark.browser


@pytest.mark.timeout(600)
def test_the_what_if_benchmark_measures_and_reports(browser_context):
    beam = what_if.beam_cpu(repeats=1)
    assert set(beam) == set(what_if.WIDTHS) and all(v[0] > 0 for v in beam.values())
    with clicks.app_server() as app:
        clicks.warm_app(browser_context, app)
        measured = what_if.measure_clicks(browser_context, app, rounds=1)
    for name in ("next", "pick", "undo", "override"):
        assert len(measured[name]) == 1 and math.isfinite(measured[name][0]) and measured[name][0] > 0, name
        assert measured[f"{name}_server"][0] >= 0
    table = what_if.report(beam, measured)
    assert "| 8 |" in table and "pick a candidate" in table and "override α (What if)" in table
