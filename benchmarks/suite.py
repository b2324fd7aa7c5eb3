"""``python -m benchmarks``: every benchmark in one run, written to ``docs/benchmarks.md``.

1. The app against a bare Streamlit page in Chromium (``benchmarks.clicks``): cold starts,
   warm clicks with the server's CPU beside the browser's time, a 200-token sentence.
2. AppTest reruns of the step page vs the home page (``benchmarks.apptest``).
3. The core (``benchmarks.core --quick``): one attention step and a whole translation vs
   Keras ``AdditiveAttention``.
4. Load (``benchmarks.load.run_load`` with its defaults): many sessions on one server.
   ``--skip-load`` leaves it out and keeps the load section of the file it rewrites.

The report (``benchmarks.report``) goes to ``--out`` and to stdout. ``--only`` measures some of the
parts (``--cold-pages``, ``--repeats`` and ``--clicks`` make them smaller); ``--json`` also writes the
measurements, which ``--from-json`` turns into the report again without measuring anything;
``--long-texts`` prints the 200-token texts the runs open.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import inspect
import io
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks import clicks as app
from benchmarks.apptest import measure_apptest
from benchmarks.report import Results, load_section_of, machine_facts, report
from serving.page_probe import browser
from serving.processes import REPO_ROOT

DEFAULT_OUT = REPO_ROOT / "docs" / "benchmarks.md"
REPEATS, QUICK_REPEATS = 3, 1  # cold starts and 200-token navigations
CLICKS, QUICK_CLICKS = 10, 4
APPTEST_RUNS, QUICK_APPTEST_RUNS = 10, 4
PARTS = ("cold", "clicks", "long", "apptest", "core", "load")  # in the order they run
COLD_PAGES = ("home", "step")


def core_table() -> str:
    """``python -m benchmarks.core --quick``'s output."""
    from benchmarks import core

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        core.main(["--quick"])
    return buffer.getvalue().strip()


def load_section() -> tuple[str, dict | None]:
    """``benchmarks.load.run_load()`` with its defaults and its report, if it is there as documented."""
    try:
        from benchmarks import load
    except ImportError as exc:
        return f"Load test skipped: benchmarks.load does not import ({exc}).", None
    run_load = getattr(load, "run_load", None)
    if run_load is None:
        return "Load test skipped: benchmarks.load has no run_load.", None
    params = inspect.signature(run_load).parameters
    documented = {"sessions": 20, "seconds": 30, "churn": 200}
    if any(name not in params or params[name].default != default for name, default in documented.items()):
        wanted = "run_load(sessions=20, seconds=30, churn=200)"
        return f"Load test skipped: run_load{inspect.signature(run_load)} is not {wanted}.", None
    result = run_load()
    text = load.format_report(result) if hasattr(load, "format_report") else json.dumps(result, indent=2, default=str)
    return text, result


def measuring_command(args: argparse.Namespace) -> str:
    """The command that measures what this run measures (where it writes its files left out)."""
    words = ["python -m benchmarks"]
    words += ["--quick"] if args.quick else []
    words += ["--skip-load"] if args.skip_load else []
    words += ["--only", *args.only] if args.only else []
    words += ["--cold-pages", *args.cold_pages] if tuple(args.cold_pages) != COLD_PAGES else []
    words += ["--repeats", str(args.repeats)] if args.repeats else []
    words += ["--clicks", str(args.clicks)] if args.clicks else []
    return " ".join(words)


def keep_load_section(results: Results, out: Path) -> None:
    """Without a load report of its own, a report keeps the load section of the file it rewrites."""
    if results.load_report is None:
        results.earlier_load_section = load_section_of(out.read_text(encoding="utf-8")) if out.is_file() else None


def write(results: Results, saved: dict, out: Path) -> str:
    """The report of ``results`` (``saved``: the command, start, duration and machine of their run) to ``out``."""
    started = dt.datetime.fromisoformat(saved["started"])
    text = report(results, saved["facts"], started=started, elapsed_s=saved["elapsed_s"], command=saved["command"])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return text


def run(args: argparse.Namespace) -> str:
    started, t0 = dt.datetime.now(dt.UTC), time.monotonic()
    repeats = args.repeats or (QUICK_REPEATS if args.quick else REPEATS)
    clicks = args.clicks or (QUICK_CLICKS if args.quick else CLICKS)
    runs = QUICK_APPTEST_RUNS if args.quick else APPTEST_RUNS
    parts = set(args.only or PARTS) - ({"load"} if args.skip_load else set())
    out = Path(args.out)

    def say(message: str) -> None:
        print(f"[{time.monotonic() - t0:5.0f} s] {message}", file=sys.stderr, flush=True)

    facts = machine_facts()
    results = Results(cold={})
    if parts & {"cold", "clicks", "long"}:
        with browser() as context:
            if "cold" in parts:
                say(f"cold starts: {repeats} × (bare, {', '.join(args.cold_pages)}), a fresh server each")
                results.cold = app.measure_cold(context, repeats, pages=args.cold_pages)
            if parts & {"clicks", "long"}:
                with app.app_server() as server, app.bare_server() as bare:
                    say("warming the app server")
                    app.warm_app(context, server)
                    if "clicks" in parts:
                        say(f"warm clicks: {clicks} on each page, alternating")
                        results.clicks = app.measure_clicks(context, server, bare, clicks)
                    if "long" in parts:
                        say(f"200 tokens: {repeats} × (step page, alignment map, bare page)")
                        results.long = app.measure_long(context, server, bare, repeats)
    if "long" in parts:
        results.long_shapes = app.long_text_shapes(repeats)
    if "apptest" in parts:
        say(f"AppTest: {runs} warm runs of each page")
        results.apptest = measure_apptest(runs)
    if "core" in parts:
        say("core: benchmarks.core --quick")
        results.core = core_table()
    if "load" in parts:
        say("load: benchmarks.load.run_load() with its defaults")
        results.load_report, results.load = load_section()
    saved = {
        "command": measuring_command(args),
        "started": started.isoformat(),
        "elapsed_s": time.monotonic() - t0,
        "facts": facts,
        "results": {k: v for k, v in dataclasses.asdict(results).items() if k != "earlier_load_section"},
    }
    if args.json:
        Path(args.json).write_text(json.dumps(saved, indent=1) + "\n", encoding="utf-8")
        say(f"wrote {args.json}")
    keep_load_section(results, out)
    text = write(results, saved, out)
    say(f"wrote {out}")
    return text


def from_json(path: str, out: Path) -> str:
    """The report of the measurements an earlier run wrote with ``--json``; nothing is measured."""
    saved = json.loads(Path(path).read_text(encoding="utf-8"))
    results = Results(**saved["results"])
    keep_load_section(results, out)
    return write(results, saved, out)


def long_texts(repeats: int) -> str:
    """The 200-token texts the runs open, one a line: run, page, text."""
    lines = []
    for r in range(repeats):
        step_text, map_text = app.long_texts(r)
        lines += [f"{r + 1} step page: {step_text}", f"{r + 1} alignment map: {map_text}"]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> str:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 cold start per page, fewer clicks and runs")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="Markdown file to write (docs/benchmarks.md)")
    parser.add_argument(
        "--skip-load", action="store_true", help="leave out the load test; keep the load section of --out"
    )
    parser.add_argument("--only", nargs="+", choices=PARTS, help="measure these parts only (a report of them)")
    parser.add_argument(
        "--cold-pages", nargs="+", choices=COLD_PAGES, default=list(COLD_PAGES), help="cold starts of these pages"
    )
    parser.add_argument(
        "--repeats",
        type=_positive_int,
        help=f"cold starts per page and 200-token runs (default {REPEATS}, {QUICK_REPEATS} with --quick)",
    )
    parser.add_argument(
        "--clicks", type=_positive_int, help=f"warm clicks on each page (default {CLICKS}, {QUICK_CLICKS} with --quick)"
    )
    parser.add_argument("--json", help="also write the measurements and the machine's facts to this file")
    parser.add_argument(
        "--from-json", metavar="PATH", help="measure nothing: write the report of an earlier run's --json to --out"
    )
    parser.add_argument(
        "--long-texts", action="store_true", help="measure nothing: print the 200-token texts the runs open"
    )
    args = parser.parse_args(argv)
    if args.long_texts:
        text = long_texts(args.repeats or (QUICK_REPEATS if args.quick else REPEATS))
    elif args.from_json:
        text = from_json(args.from_json, Path(args.out))
    else:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # before this process imports TensorFlow
        text = run(args)
    print(text)
    return text


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1. Received: {text}")
    return value
