"""The bench runs and prints a well-formed table; no timing thresholds (machines differ)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from attention_core.nn.attention import bahdanau_attention
from benchmarks import core as bench


def table_rows(output: str) -> list[list[str]]:
    lines = [line for line in output.splitlines() if line.startswith("| ")]
    assert lines[0] == "| case | T_x | median µs | ratio |"
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[1:]]


def test_main_prints_a_table_for_every_length(capsys):
    bench.main(["--repeats", "2"])
    output = capsys.readouterr().out
    rows = table_rows(output)
    for case in bench.CASES.values():
        lengths = [row[1] for row in rows if row[0] == case]
        assert lengths == ["10", "50", "200"], case
    for case, T_x, median, ratio in rows:
        if T_x in ("10", "50", "200"):
            assert float(median.replace(",", "")) > 0, (case, median)
            assert re.fullmatch(r"\d+\.\d\d× \(d\)(, \d+\.\d\d× \(e\))?", ratio), (case, ratio)
            assert ("(e)" in ratio) == case.startswith("(b)")
    assert "traces across T_x = 10, 50, 200: (b) 1, (e) 1." in output
    if (bench.WEIGHTS_DIR / "model.npz").is_file():
        (translation,) = [row for row in rows if row[0].startswith("(f)")]
        assert translation[1] == "14" and float(translation[2].replace(",", "")) > 0
    else:
        assert "(f) skipped" in output


def test_repeats_must_be_positive():
    with pytest.raises(SystemExit):
        bench.main(["--repeats", "0"])


def test_numpy_additive_matches_bahdanau_attention():
    params = bench.make_params()
    h, s_prev = bench.make_inputs(7)
    e, alpha, c = bench.numpy_additive(h, s_prev, params.W1, params.W2, params.b, params.v)
    trace = bahdanau_attention(h, s_prev, params).numpy()
    np.testing.assert_allclose(e, trace.e, atol=1e-5)
    np.testing.assert_allclose(alpha, trace.alpha, atol=1e-6)
    np.testing.assert_allclose(c, trace.context, atol=1e-5)


def test_every_path_agrees_before_timing():
    paths = bench.AttentionPaths(bench.make_params())
    for T_x in (3, 20):
        paths.check_agree(*bench.make_inputs(T_x))  # raises RuntimeError on a disagreement
    assert paths.bahdanau_graph.experimental_get_tracing_count() == 1


def test_the_bench_sentence_is_a_14_token_toy_sentence():
    from attention_core.data.toy_data import parse_english

    assert len(bench.SENTENCE.split()) == 14 and parse_english(bench.SENTENCE.split()) is not None


def test_format_table_marks_rows_without_a_median():
    table = bench.format_table([bench.Row("x", "≤ 14", None, "1.0 s"), bench.Row("y", "10", 1234.56, "1.00× (d)")])
    assert table.splitlines()[2:] == ["| x | ≤ 14 | — | 1.0 s |", "| y | 10 | 1,234.6 | 1.00× (d) |"]


def _results(**kwargs):
    from benchmarks.report import Results

    clicks = {"step": [90.0, 110.0], "step_run": [40.0, 50.0], "step_server": [30.0, 40.0], "step_browser": [8.0, 12.0]}
    clicks |= {"bare": [50.0, 70.0], "bare_run": [20.0, 30.0], "bare_server": [10.0, 10.0], "bare_browser": [4.0, 4.0]}
    return Results(cold={"bare": [1000.0], "home": [1500.0]}, clicks=clicks, **kwargs)


def test_rows_carry_the_server_part_beside_the_browser_part():
    from benchmarks.report import WARM_TARGET, table

    cold, warm = _results().rows()
    assert (cold.ratio, cold.target, cold.app_server_ms) == (1.5, None, None)
    assert (warm.app_ms, warm.base_ms, warm.app_run_ms) == (100.0, 60.0, 45.0)
    assert (warm.app_server_ms, warm.base_server_ms, warm.server_ratio) == (35.0, 10.0, 3.5)
    assert (warm.app_browser_ms, warm.base_browser_ms, warm.browser_ratio) == (10.0, 4.0, 2.5)
    assert warm.target == WARM_TARGET and warm.verdict == "**missed**"  # 1.67×
    line = table([warm]).splitlines()[2]
    assert line == (
        '| Warm: "Next ▶" → next equation rendered | 100 | 45 | 35 | 10 | bare "Next ▶" → rerun rendered | 60 | 10 '
        "| 4 | 1.67× | 3.50× | 2.50× | ≤ 1.5× | **missed** | 2 |"
    )


def test_a_run_without_the_load_test_keeps_the_earlier_load_section():
    import datetime as dt

    from benchmarks.report import load_section_of, report

    earlier = "# Benchmarks\n\n## Core\n\ntext\n\n## Load: many sessions\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    section = load_section_of(earlier)
    assert section == "## Load: many sessions\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    assert load_section_of("# Benchmarks\n\n## Load x\n\nbody\n\n## After\n") == "## Load x\n\nbody"
    assert load_section_of("# Benchmarks\n") is None

    started = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    kept = report(_results(earlier_load_section=section), {}, started=started, elapsed_s=60, quick=True)
    assert kept.endswith(section + "\n") and "kept from an earlier run" in kept
    assert 'Warm: "Next ▶" → next equation rendered: 100 ms vs 60 ms' in kept
    pointer = report(_results(), {}, started=started, elapsed_s=60, quick=True)
    assert "python -m benchmarks.load" in pointer.split("## Load", 1)[1]
