"""``python -m benchmarks``: every benchmark in one run, written to ``docs/benchmarks.md``.

1. The app against a bare Streamlit page in Chromium (``benchmarks.clicks``): cold starts,
   warm clicks with the server's CPU beside the browser's time, a 200-token sentence.
2. AppTest reruns of the step page vs the home page (``benchmarks.apptest``).
3. The core (``benchmarks.core --quick``): one attention step and a whole translation vs
   Keras ``AdditiveAttention``.
4. Load (``benchmarks.load.run_load`` with its defaults): many sessions on one server.
   ``--skip-load`` leaves it out and keeps the load section of the file it rewrites.

The report (``benchmarks.report``) goes to ``--out`` and to stdout.
"""

from __future__ import annotations

import argparse
import contextlib
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


def run(args: argparse.Namespace) -> str:
    started, t0 = dt.datetime.now(dt.UTC), time.monotonic()
    repeats = QUICK_REPEATS if args.quick else REPEATS
    clicks = QUICK_CLICKS if args.quick else CLICKS
    runs = QUICK_APPTEST_RUNS if args.quick else APPTEST_RUNS
    out = Path(args.out)

    def say(message: str) -> None:
        print(f"[{time.monotonic() - t0:5.0f} s] {message}", file=sys.stderr, flush=True)

    facts = machine_facts()
    with browser() as context:
        say(f"cold starts: {repeats} × (bare, home, step page), a fresh server each")
        results = Results(cold=app.measure_cold(context, repeats))
        with app.app_server() as server, app.bare_server() as bare:
            say("warming the app server")
            app.warm_app(context, server)
            say(f"warm clicks: {clicks} on each page, alternating")
            results.clicks = app.measure_clicks(context, server, bare, clicks)
            say(f"200 tokens: {repeats} × (step page, alignment map, bare page)")
            results.long = app.measure_long(context, server, bare, repeats)
    results.long_shapes = app.long_text_shapes(repeats)
    say(f"AppTest: {runs} warm runs of each page")
    results.apptest = measure_apptest(runs)
    say("core: benchmarks.core --quick")
    results.core = core_table()
    if args.skip_load:
        results.earlier_load_section = load_section_of(out.read_text(encoding="utf-8")) if out.is_file() else None
    else:
        say("load: benchmarks.load.run_load() with its defaults")
        results.load_report, results.load = load_section()
    text = report(results, facts, started=started, elapsed_s=time.monotonic() - t0, quick=args.quick)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    say(f"wrote {out}")
    return text


def main(argv: Sequence[str] | None = None) -> str:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 cold start per page, fewer clicks and runs")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="Markdown file to write (docs/benchmarks.md)")
    parser.add_argument(
        "--skip-load", action="store_true", help="leave out the load test; keep the load section of --out"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # before this process imports TensorFlow
    text = run(args)
    print(text)
    return text
