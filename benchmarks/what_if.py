"""What if, measured against its baselines in the same run; figures printed, no thresholds.

1. Beam search in the library: CPU seconds of ``translate(..., beam_width=K)`` on the 59-token
   sentence (four clauses at their longest, the model's maximum) for K = 1, 2, 4, 8, against
   greedy decoding of the same sentence. Target: width 8 ≤ 1 s of CPU.
2. In a real Chromium on the app's server: a pick (a candidate of y_i clicked on the step
   page: the sentence re-decoded from it, the page redrawn) and its undo, against a plain
   "Next ▶" on the same page; an override (a source word clicked on the What if page: α
   replaced, the sentence re-decoded, both computations drawn) against the same Next. Next is the
   press past y_i into the next step, the panel's run: within a step the reading view shows the
   next equation without the server (ui/presenter/held_step.py). The
   browser's time (click → rendered) and the server's CPU across it. Target: ≤ 1.5× Next.

``python -m benchmarks.what_if [--rounds N] [--repeats N] [--json PATH] [--out docs/benchmarks_what_if.md]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from pathlib import Path

from benchmarks.clicks import app_server, click, record, warm_app
from serving.page_probe import Ready, ServerCpu, interact, open_tab

LONGEST = (  # the same 59 tokens as the browser tests
    "the big red car sees the small black dog behind the old green house and a young white girl likes the "
    "pretty blue cat with the good fast horse and the old happy boy follows a big green rabbit under the "
    "small red table and the small blue city watches the good black park in the young white forest"
)
WIDTHS = (1, 2, 4, 8)
BEAM_TARGET_S = 1.0
CLICK_TARGET = 1.5  # a pick or an override against a plain Next

# Next past y_i and Back into the step run the panel: within a step the reading view holds the
# equations in the page (ui/presenter/held_step.py) and a press runs nothing on the server to compare with.
NEXT_STEP = Ready(heading="1. ", text="Source:")
STEP_AT_7 = Ready(heading="7. ", text="Top 5 at i = 3")
PICKED = Ready(heading="7. ", text="picked")
OVERRIDDEN = Ready(text="with α′ it writes")


def beam_cpu(repeats: int) -> dict[int, list[float]]:
    """CPU seconds (every thread of this process) of one translation at each beam width."""
    from attention_core import load_pretrained

    model = load_pretrained()
    for width in WIDTHS:
        model.translate(LONGEST, beam_width=width)  # traced once before timing
    out: dict[int, list[float]] = {w: [] for w in WIDTHS}
    for _ in range(repeats):
        for width in WIDTHS:
            start = time.process_time()
            model.translate(LONGEST, beam_width=width)
            out[width].append(time.process_time() - start)
    return out


def measure_clicks(context, app, rounds: int) -> dict[str, list[float]]:
    """Per round on the step page at i = 3, y_i: Next (into step 4, the panel's run), Back, a pick,
    its undo; then on the What if page an override by a click on a word (alternating two words, so
    every click changes α)."""
    out: dict[str, list[float]] = {}
    cpu = ServerCpu(app.process)
    step = open_tab(context, app.url + "/step_through?step=3&eq=7", STEP_AT_7).page
    what_if = open_tab(context, app.url + "/what_if?step=2&override=2:1", Ready(text="‖c′")).page
    for k in range(rounds):
        step.bring_to_front()
        record(out, "next", cpu.across(interact, step, click(step, ".st-key-step_next button"), NEXT_STEP))
        interact(step, click(step, ".st-key-step_back button"), STEP_AT_7)
        record(out, "pick", cpu.across(interact, step, click(step, ".st-key-cand_3_1 button >> nth=0"), PICKED))
        record(out, "undo", cpu.across(interact, step, click(step, ".st-key-cand_undo button >> nth=0"), STEP_AT_7))
        what_if.bring_to_front()
        word = 7 if k % 2 == 0 else 0  # "dog", then "the": each click a new α′
        button = f".st-key-ov_word_{word} button >> nth=0"
        record(out, "override", cpu.across(interact, what_if, click(what_if, button), OVERRIDDEN))
    step.close()
    what_if.close()
    return out


def median(values) -> float:
    return statistics.median(values) if values else float("nan")


def report(beam: dict[int, list[float]], clicks: dict[str, list[float]]) -> str:
    greedy = median(beam[1])
    lines = [
        "Beam search, 59-token sentence, CPU seconds (median):",
        "",
        "| width | CPU s | × greedy | target |",
        "|---|---|---|---|",
    ]
    for width in WIDTHS:
        cpu = median(beam[width])
        target = f"≤ {BEAM_TARGET_S:.0f} s: {'met' if cpu <= BEAM_TARGET_S else '**missed**'}" if width == 8 else ""
        lines.append(f"| {width} | {cpu:.3f} | {cpu / greedy:.1f}× | {target} |")
    if clicks:
        next_ms, next_cpu = median(clicks["next"]), median(clicks["next_server"])
        lines += [
            "",
            "Clicks in Chromium, median (click → rendered; the server's CPU across it), against Next on the step page."
            " The target is on the time a person waits (browser ms); the server's CPU is what a room pays per click:",
            "",
            "| click | browser ms | × Next | server CPU ms | × Next | target |",
            "|---|---|---|---|---|---|",
        ]
        for name, label in (
            ("next", '"Next ▶" (y_i → the next step)'),
            ("pick", "pick a candidate"),
            ("undo", "undo the pick"),
            ("override", "override α (What if)"),
        ):
            ms, cpu = median(clicks[name]), median(clicks[f"{name}_server"])
            ratio = ms / next_ms
            target = "" if name == "next" else f"≤ {CLICK_TARGET}×: {'met' if ratio <= CLICK_TARGET else '**missed**'}"
            lines.append(f"| {label} | {ms:.0f} | {ratio:.2f}× | {cpu:.1f} | {cpu / next_cpu:.2f}× | {target} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="beam timings per width")
    parser.add_argument("--rounds", type=int, default=10, help="click rounds in Chromium (0: none)")
    parser.add_argument("--json", type=Path, help="write the raw figures here")
    parser.add_argument("--out", type=Path, help="write the tables here as Markdown, with the machine's facts")
    args = parser.parse_args(argv)
    started = dt.datetime.now(dt.UTC)
    beam = beam_cpu(args.repeats)
    clicks: dict[str, list[float]] = {}
    if args.rounds:
        from serving.chromium import chromium_context

        with chromium_context() as context, app_server() as app:
            warm_app(context, app)
            clicks = measure_clicks(context, app, args.rounds)
    text = report(beam, clicks)
    print(text)
    if args.json:
        args.json.write_text(json.dumps({"beam_cpu_s": beam, "clicks_ms": clicks}, indent=1))
    if args.out:
        from benchmarks.report import machine_facts

        facts = "\n".join(f"- {name}: {value}" for name, value in machine_facts().items())
        head = (
            f"# What if: benchmarks\n\n`python -m benchmarks.what_if --repeats {args.repeats} --rounds {args.rounds}`"
        )
        when = f"started {started:%Y-%m-%d %H:%M} UTC, {args.rounds} click rounds, {args.repeats} beam runs per width"
        args.out.write_text(f"{head}, {when}.\n\n{facts}\n\n{text}\n", encoding="utf-8")
    return text


if __name__ == "__main__":
    main()
