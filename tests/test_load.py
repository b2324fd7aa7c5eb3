"""A small real load run against one app server: no errors, no state crossing sessions.

No timing thresholds: the numbers depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import math

import pytest

from benchmarks import load

SESSIONS, SECONDS, CHURN = 8, 8.0, 40


@pytest.fixture(scope="module")
def result() -> dict:
    return load.run_load(sessions=SESSIONS, seconds=SECONDS, churn=CHURN, baseline_steps=5, settle=2.0)


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
    assert all(s["full_renders"] == s["runs"] >= 1 for s in result["per_session"])


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
def test_report_is_a_markdown_table(result):
    report = load.format_report(result)
    assert "| measure | runs | p50 ms | p95 ms | max ms | note |" in report
    assert "| errors | 0 |" in report
    assert "growth since warm-up" in report


def test_walk_visits_every_equation_then_the_next_step():
    assert [load.walk(i, 3) for i in range(9)] == [(1, e) for e in range(1, 8)] + [(2, 1), (2, 2)]
    assert load.walk(7 * 3, 3) == (1, 1)  # past the last step it starts over


def test_sentences_are_distinct():
    tokens = load.sentences(50, seed=7)
    assert len(tokens) == len(set(tokens)) == 50
