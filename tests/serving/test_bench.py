"""The bench runs and prints a well-formed table; no timing thresholds (machines differ).

The core benchmark runs as ``python -m benchmarks.core``; the report of ``python -m benchmarks`` is
written from measurements given to it (``--from-json``), so its tables and sections are checked
without a browser.
"""

from __future__ import annotations

import json
import re

import pytest

from attention_core.data.toy_data import parse_english
from attention_core.names import WEIGHTS_DIR
from tests.support.tools import refused, run_tool, table

CORE_HEADER = "| case | T_x | median µs | ratio |"
LENGTHS = ["10", "50", "200"]
ATTENTION_CASES = ["(a)", "(b)", "(c)", "(d)", "(e)"]  # one attention step five ways, at every length
MEDIAN = re.compile(r"\d{1,3}(,\d{3})*\.\d")  # µs with a thousands separator and one decimal


@pytest.fixture(scope="module")
def core_output() -> str:
    return run_tool("benchmarks.core", "--repeats", "2", timeout=540).stdout


def test_main_prints_a_table_for_every_length(core_output):
    assert CORE_HEADER in core_output.splitlines()
    rows = table(core_output, CORE_HEADER)
    assert sorted({row[0][:3] for row in rows if row[1] in LENGTHS}) == ATTENTION_CASES
    for case in {row[0] for row in rows if row[1] in LENGTHS}:
        lengths = [row[1] for row in rows if row[0] == case]
        assert lengths == LENGTHS, case
    for case, T_x, median, ratio in rows:
        if T_x in LENGTHS:
            assert float(median.replace(",", "")) > 0, (case, median)
            assert re.fullmatch(r"\d+\.\d\d× \(d\)(, \d+\.\d\d× \(e\))?", ratio), (case, ratio)
            assert ("(e)" in ratio) == case.startswith("(b)")
    assert "traces across T_x = 10, 50, 200: (b) 1, (e) 1." in core_output
    if (WEIGHTS_DIR / "model.npz").is_file():
        (translation,) = [row for row in rows if row[0].startswith("(f)")]
        assert translation[1] == "14" and float(translation[2].replace(",", "")) > 0
    else:
        assert "(f) skipped" in core_output


def test_repeats_must_be_positive():
    refused("benchmarks.core", "--repeats", "0")


def test_every_path_agrees_before_timing(core_output):
    # The run raises on a disagreement before it times anything; one trace of (b) serves every length.
    assert "Before timing, every path gave the α and c of (c) within 1e-05 at T_x = 10, 50, 200." in core_output
    assert "traces across T_x = 10, 50, 200: (b) 1," in core_output


def test_the_bench_sentence_is_a_14_token_toy_sentence(core_output):
    if (WEIGHTS_DIR / "model.npz").is_file():
        (sentence,) = re.findall(r'^\(f\) translates "([^"]+)"', core_output, flags=re.MULTILINE)
        assert len(sentence.split()) == 14 and parse_english(sentence.split()) is not None
    else:
        assert "(f) skipped" in core_output


def test_format_table_marks_rows_without_a_median(core_output):
    lines = core_output.splitlines()
    assert lines[lines.index(CORE_HEADER) + 1] == "| --- | ---: | ---: | --- |"
    rows = table(core_output, CORE_HEADER)
    assert all(MEDIAN.fullmatch(row[2]) for row in rows if not row[0].startswith("(g)")), rows
    if (WEIGHTS_DIR / "metrics.json").is_file():
        (training,) = [row for row in rows if row[0].startswith("(g)")]
        assert training[1:3] == ["≤ 14", "—"]  # training has no per-call time
    else:
        assert "(g) skipped" in core_output


# --- the report of python -m benchmarks ------------------------------------------------------------

CLICKS = {"step": [90.0, 110.0], "step_run": [40.0, 50.0], "step_server": [30.0, 40.0], "step_browser": [8.0, 12.0]}
CLICKS |= {"bare": [50.0, 70.0], "bare_run": [20.0, 30.0], "bare_server": [10.0, 10.0], "bare_browser": [4.0, 4.0]}
MEASURED = {  # what python -m benchmarks --json writes
    "command": "python -m benchmarks --quick",
    "started": "2026-01-01T00:00:00+00:00",
    "elapsed_s": 60,
    "facts": {},
    "results": {"cold": {"bare": [1000.0], "home": [1500.0]}, "clicks": CLICKS},
}


def report_of(folder, earlier: str | None = None) -> str:
    """The report ``python -m benchmarks --from-json`` writes of ``MEASURED`` in ``folder``, over ``earlier``
    (a report already there, or none)."""
    folder.mkdir(exist_ok=True)
    saved, out = folder / "measured.json", folder / "benchmarks.md"
    saved.write_text(json.dumps(MEASURED))
    if earlier is not None:
        out.write_text(earlier)
    run_tool("benchmarks", "--from-json", str(saved), "--out", str(out), timeout=120)
    return out.read_text()


def test_rows_carry_the_server_part_beside_the_browser_part(tmp_path):
    doc = report_of(tmp_path)
    cold, warm = table(doc, "| figure | app ms |")
    assert cold[0] == "Cold start: spawn → home rendered"
    assert (cold[9], cold[12], cold[3]) == ("1.50×", "—", "—")  # the ratio, no target, no server part
    line = next(line for line in doc.splitlines() if line.startswith('| Warm: "Next ▶" → next equation rendered |'))
    assert line == (
        '| Warm: "Next ▶" → next equation rendered | 100 | 45 | 35 | 10 | bare "Next ▶" → rerun rendered | 60 | 10 '
        "| 4 | 1.67× | 3.50× | 2.50× | ≤ 1.5× | **missed** | 2 |"
    )
    assert warm[0] == 'Warm: "Next ▶" → next equation rendered'


def test_a_run_without_the_load_test_keeps_the_earlier_load_section(tmp_path):
    section = "## Load: many sessions\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    kept = report_of(tmp_path / "kept", f"# Benchmarks\n\n## Core\n\ntext\n\n{section}\n")
    assert kept.endswith(section + "\n") and "## Core" not in kept and "kept from an earlier run" in kept
    assert 'Warm: "Next ▶" → next equation rendered: 100 ms vs 60 ms' in kept

    up_to_the_next = report_of(tmp_path / "up_to_the_next", "# Benchmarks\n\n## Load x\n\nbody\n\n## After\n")
    assert up_to_the_next.endswith("\n## Load x\n\nbody\n") and "## After" not in up_to_the_next

    for folder, earlier in (("no_section", "# Benchmarks\n"), ("no_file", None)):  # nothing to keep
        pointer = report_of(tmp_path / folder, earlier)
        assert "python -m benchmarks.load" in pointer.split("## Load", 1)[1]
        assert "kept from an earlier run" not in pointer
