"""A small real run of the room's load tool, ``python -m benchmarks.load --follow``, as a person runs it:
six phones follow a speaker who presses Next every 2 s, a second room of ten beside them. Its ``--json``
and printed report are checked: the figures exist, nothing failed, no phone saw the other room. No
timing thresholds: the numbers depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import json
import math

import pytest

from tests.support.tools import run_tool

PHONES = 6


@pytest.mark.timeout(600)
def test_a_small_follow_run_reports_every_figure(tmp_path):
    summary = tmp_path / "follow.json"
    done = run_tool(
        "benchmarks.load",
        *("--follow", "--sessions", str(PHONES), "--seconds", "6", "--interval", "2", "--ramp", "1"),
        *("--json", str(summary)),
        timeout=540,
    )
    result = json.loads(summary.read_text())["follow"]
    assert result["errors"] == 0, result["error_samples"]
    assert result["crossed"] == [], result["crossed"]
    assert result["phones"] == PHONES and result["presses"] >= 2
    assert result["phone_runs"] >= PHONES  # each phone's first screen at least
    figures = ("follow_p50_s", "follow_p95_s", "cpu_percent", "cpu_ms_per_run", "rss_growth_mb")
    assert all(math.isfinite(result[name]) for name in figures), {name: result[name] for name in figures}
    assert "screens current after a press" in done.stdout and "errors 0" in done.stdout
