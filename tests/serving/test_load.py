"""A small real load run against one app server: no errors, no state crossing sessions.

The load tool runs as a person runs it, ``python -m benchmarks.load``, and its printed report, its
``--json`` summary and its ``--details`` (every figure of the run) are what is checked. No timing
thresholds: the numbers depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import json
import math
from types import SimpleNamespace

import pytest

from serving.processes import free_port
from tests.support.tools import refused, run_tool

TOOL = "benchmarks.load"
SESSIONS, SECONDS, CHURN = 8, 8.0, 40
RUN_TIMEOUT_S = 540  # under the test's 600 s: a hung run fails here, with the tool's output


@pytest.fixture(scope="module")
def load_run(tmp_path_factory) -> SimpleNamespace:
    out = tmp_path_factory.mktemp("load")
    done = run_tool(
        TOOL,
        *("--sessions", str(SESSIONS), "--seconds", str(SECONDS), "--churn", str(CHURN)),
        *("--baseline-steps", "5", "--settle", "2"),
        *("--json", str(out / "summary.json"), "--details", str(out / "details.json")),
        timeout=RUN_TIMEOUT_S,
    )
    return SimpleNamespace(
        result=json.loads((out / "details.json").read_text()),
        summary=json.loads((out / "summary.json").read_text()),
        report=done.stdout,
    )


@pytest.fixture(scope="module")
def result(load_run) -> dict:
    return load_run.result


def run_against_nothing(tmp_path, url: str, *args: str) -> dict:
    """The details of a short run aimed at ``url``, a loopback port nothing listens on: every visitor
    fails at once, and the details say what the tool made of its arguments."""
    details = tmp_path / "details.json"
    run_tool(
        TOOL,
        *("--url", url, "--sessions", "8", "--seconds", "1", "--churn", "0", "--baseline-steps", "1"),
        *("--settle", "0", "--details", str(details), *args),
        timeout=120,
    )
    return json.loads(details.read_text())


@pytest.mark.timeout(600)
def test_no_errors(result):
    assert result["error_count"] == 0, result["errors"][:10]


@pytest.mark.timeout(600)
def test_every_session_sees_only_its_own_sentence(result):
    iso = result["isolation"]
    assert iso["crossed"] == [] and iso["wrong"] == [], (iso["crossed"] + iso["wrong"])[:10]
    assert iso["sessions"] == 1 + SESSIONS + CHURN  # the baseline visitor, the crowd, the churned ones
    assert iso["without_full_render"] == []
    assert iso["min_full_renders"] >= 1
    sentences = [s["sentence"] for s in result["per_session"]]
    assert len(sentences) == SESSIONS and len(set(sentences)) == SESSIONS
    # Every run was checked; a press that reran only a fragment shows no Source line, so only the
    # first run of a session must draw the whole page.
    assert all(s["errors"] == 0 and s["runs"] >= s["full_renders"] >= 1 for s in result["per_session"])


@pytest.mark.timeout(600)
def test_churn_opened_and_rendered_every_session(result):
    assert result["churn"]["opened"] == CHURN
    assert result["churn"]["rendered"] == CHURN
    assert result["churn"]["runs"] == CHURN


@pytest.mark.timeout(600)
def test_numbers_are_finite(result):
    for phase in ("baseline", "load", "churn"):
        stats = result[phase]
        assert stats["runs"] >= 1, phase
        for key in ("p50_ms", "p95_ms", "max_ms"):
            assert math.isfinite(stats[key]) and stats[key] > 0, (phase, key, stats[key])
        assert stats["p50_ms"] <= stats["p95_ms"] <= stats["max_ms"], phase
    assert result["baseline"]["runs"] == 5
    assert math.isfinite(result["p95_ratio"]) and result["p95_ratio"] > 0
    assert math.isfinite(result["load"]["renders_per_s"]) and result["load"]["renders_per_s"] > 0
    memory = result["memory_mb"]
    assert set(memory) == {
        "before_warmup",
        "after_warmup",
        "peak_during_load",
        "after_load",
        "after_churn",
        "after_churn_settled",
    }
    assert all(math.isfinite(v) and v > 0 for v in memory.values()), memory
    assert math.isfinite(result["growth_mb"]) and math.isfinite(result["churn_growth_mb"])


@pytest.mark.timeout(600)
def test_the_window_with_every_visitor_in_is_measured_on_its_own(load_run):
    """8 visitors arriving over 1 s, pressing for 8 s each: all in from about 1 s to about 8 s (the first
    visitor's last press ends up to one run's time after its 8 s: a busy machine stretches it)."""
    stats = load_run.result["load"]
    assert 3.0 < stats["all_in_s"] <= SECONDS + stats["max_ms"] / 1000, (stats["all_in_s"], stats["max_ms"])
    assert 0 < stats["runs_all_in"] < stats["runs"]  # the presses before the last arrival are left out
    assert math.isfinite(stats["cpu_percent_all_in"]) and stats["cpu_percent_all_in"] > 0
    assert stats["p50_ms_all_in"] <= stats["p95_ms_all_in"] <= stats["max_ms_all_in"]
    assert "once all 8 are in" in load_run.report


@pytest.mark.timeout(600)
def test_report_is_a_markdown_table(load_run):
    assert "| measure | runs | p50 ms | p95 ms | max ms | note |" in load_run.report
    assert "| errors | 0 |" in load_run.report
    assert "growth since warm-up" in load_run.report


def test_a_room_on_one_link_opens_one_sentence_and_a_room_of_its_own_sentences_one_each(tmp_path, result):
    shared = run_against_nothing(tmp_path, f"http://127.0.0.1:{free_port()}", "--one-link")["per_session"]
    assert len({s["sentence"] for s in shared}) == 1 and len({s["name"] for s in shared}) == 8
    own = [s["sentence"] for s in result["per_session"]]
    assert len(own) == len(set(own)) == SESSIONS


@pytest.mark.timeout(600)
def test_presses_are_real_clicks_that_cost_server_cpu(result):
    costs = result["costs"]
    assert costs["errors"] == []
    assert costs["presses"] >= 1 and costs["sentences"] == result["config"]["new_sentences"] >= 1
    for key in ("cpu_ms_per_next", "cpu_ms_per_new_sentence"):
        assert math.isfinite(costs[key]) and costs[key] > 0, (key, costs[key])
    assert math.isfinite(result["load"]["cpu_ms_per_render"]) and result["load"]["cpu_ms_per_render"] > 0


@pytest.mark.timeout(600)
def test_presses_held_in_the_page_follow_runs_that_drew_the_whole_step(result):
    """A press is held in the page only within a step some run drew whole; the presses drawn as one
    equation (the server busy) are the rest of the server's."""
    under_load = result["load"]
    assert under_load["held_presses"] > 0
    assert 0 <= under_load["one_equation_presses"] < under_load["runs"]


@pytest.mark.timeout(600)
def test_json_summary_has_exactly_the_documented_fields(load_run):
    summary = load_run.summary
    assert list(summary) == [
        "sessions",
        "interval_s",
        "offered_per_s",
        "served_per_s",
        "p50_ms",
        "p95_ms",
        "errors",
        "crossed",
        "rss_growth_mb",
        "cpu_percent_all_in",
        "p95_ms_all_in",
    ]
    assert summary["sessions"] == SESSIONS and summary["interval_s"] == 1.0 and summary["offered_per_s"] == SESSIONS
    assert summary["errors"] == 0 and summary["crossed"] == 0
    assert summary["served_per_s"] > 0 and 0 < summary["p50_ms"] <= summary["p95_ms"]
    assert isinstance(summary["rss_growth_mb"], float)
    assert summary == load_run.result["summary"]  # --json writes the run's summary as it is


def test_only_loopback_is_loaded(tmp_path):
    port = free_port()
    assert run_against_nothing(tmp_path, f"http://127.0.0.1:{port}/")["server"]["url"] == f"http://127.0.0.1:{port}"
    assert run_against_nothing(tmp_path, f"http://localhost:{port}")["server"]["url"] == f"http://localhost:{port}"
    for url in (
        "http://example.com:8501",
        "https://127.0.0.1:8501",
        "http://10.0.0.1",
        "http://127.0.0.1:1/app",
        "http://192.168.1.1:8501",
    ):
        assert "loopback" in refused(TOOL, "--url", url), url


def test_bounded_configurations_only():
    nothing = f"http://127.0.0.1:{free_port()}"  # should a configuration pass, its run reaches nothing
    for sessions, seconds, churn in ((0, 1.0, 0), (1, 0.0, 0), (1001, 1.0, 0), (1, 601.0, 0), (1, 1.0, -1)):
        refused(
            TOOL,
            *("--sessions", str(sessions), "--seconds", str(seconds), "--churn", str(churn)),
            *("--baseline-steps", "1", "--settle", "0", "--ttl-wait", "0", "--url", nothing),
        )


def _scale_out_level(served: float, asked: float) -> dict:
    summary = {"sessions": int(asked), "offered_per_s": asked, "served_per_s": served, "p50_ms": 1.0, "p95_ms": 2.0}
    summary |= {"errors": 0, "crossed": 0}
    stats = {"cpu_percent": 90.0, "tool_cpu_percent": 10.0, "machine_idle_percent": 20.0, "cores": 2}
    return {"levels": [{"summary": summary, "stats": stats, "replicas": {"a": 1}}], "errors": []}


def test_scale_out_says_whether_the_replicas_were_at_overload(tmp_path):
    """A ratio measured while the replicas keep up with what is asked says nothing of their capacity."""

    def report(served_one: float, served_many: float, asked: float) -> str:
        one, many = _scale_out_level(served_one, asked), _scale_out_level(served_many, asked)
        details = tmp_path / "scale_out.json"
        details.write_text(json.dumps({"one": one, "many": many, "replicas": 2, "ratio": served_many / served_one}))
        return run_tool(TOOL, "--report-from", str(details), timeout=120).stdout

    overloaded = report(60, 120, 200)
    assert "at overload." in overloaded and "NOT at overload" not in overloaded
    capped = report(80, 95, 100)
    assert "NOT at overload" in capped and "1.19×" in capped
