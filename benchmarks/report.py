"""The results of ``python -m benchmarks`` as a table, the machine's facts and the markdown report."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.metadata
import math
import os
import platform
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

from benchmarks.clicks import mean, median
from serving.chromium import CHROMIUM

WARM_TARGET = 1.5  # warm interaction, app ÷ bare
LONG_TARGET = 2.0  # 200 tokens, app ÷ bare
LOAD_HEADING = "## Load"
KEPT_LOAD = "This run left out the load test: the load section is kept from an earlier run."
NO_LOAD = "Not run here: `python -m benchmarks.load` measures it and prints its report."


@dataclass(frozen=True)
class Row:
    figure: str
    app_ms: float
    base_ms: float
    baseline: str
    n: int
    target: float | None = None  # the largest acceptable ratio; None: reported, no target
    app_run_ms: float | None = None  # of app_ms, the part until the script-finished message arrived
    app_server_ms: float | None = None  # the app server's CPU per measurement (mean)
    base_server_ms: float | None = None  # the baseline server's CPU per measurement (mean)
    app_browser_ms: float | None = None  # the app tab's renderer main-thread CPU per measurement (mean)
    base_browser_ms: float | None = None  # the baseline tab's, the same way

    @property
    def ratio(self) -> float:
        return self.app_ms / self.base_ms if self.base_ms > 0 else math.nan

    @property
    def server_ratio(self) -> float:
        return _ratio(self.app_server_ms, self.base_server_ms)

    @property
    def browser_ratio(self) -> float:
        return _ratio(self.app_browser_ms, self.base_browser_ms)

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.ratio <= self.target

    @property
    def verdict(self) -> str:
        return {None: "—", True: "met", False: "**missed**"}[self.met]


def _ratio(app: float | None, base: float | None) -> float:
    return math.nan if app is None or not base else app / base


def _fmt_ms(ms: float | None) -> str:
    return "—" if ms is None or math.isnan(ms) else f"{ms:,.0f}"


def _fmt_ratio(ratio: float) -> str:
    return "—" if math.isnan(ratio) else f"{ratio:.2f}×"


def table(rows: Sequence[Row]) -> str:
    lines = [
        "| figure | app ms | of which until the run finished | app server CPU ms | app browser CPU ms | baseline "
        "| baseline ms | baseline server CPU ms | baseline browser CPU ms | ratio | server CPU ratio "
        "| browser CPU ratio | target | verdict | n |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in rows:
        target = "—" if r.target is None else f"≤ {r.target:g}×"
        lines.append(
            f"| {r.figure} | {_fmt_ms(r.app_ms)} | {_fmt_ms(r.app_run_ms)} | {_fmt_ms(r.app_server_ms)} "
            f"| {_fmt_ms(r.app_browser_ms)} | {r.baseline} | {_fmt_ms(r.base_ms)} | {_fmt_ms(r.base_server_ms)} "
            f"| {_fmt_ms(r.base_browser_ms)} | {_fmt_ratio(r.ratio)} | {_fmt_ratio(r.server_ratio)} "
            f"| {_fmt_ratio(r.browser_ratio)} | {target} | {r.verdict} | {r.n} |"
        )
    return "\n".join(lines)


def _cpu(values: dict, key: str) -> tuple[float | None, float | None]:
    """The mean server CPU and browser CPU of the measurements under ``key``, where measured."""
    return tuple(
        mean(values[f"{key}_{part}"]) if values.get(f"{key}_{part}") else None for part in ("server", "browser")
    )


def browser_rows(
    cold: dict, clicks: dict | None = None, long: dict | None = None, apptest: dict | None = None
) -> list[Row]:
    """The table's rows from the measurements (any of them may be left out)."""
    rows = []
    bare_cold, n_cold = median(cold.get("bare", [])), len(cold.get("bare", []))  # no cold starts: no such rows
    if cold.get("home"):
        rows.append(
            Row("Cold start: spawn → home rendered", median(cold["home"]), bare_cold, "spawn → bare page", n_cold)
        )
    if cold.get("step"):
        figure = "Cold start: spawn → step page rendered (TensorFlow, model)"
        rows.append(Row(figure, median(cold["step"]), bare_cold, "spawn → bare page", n_cold))
    bare_click = median(clicks["bare"]) if clicks else math.nan
    bare_click_cpu = _cpu(clicks, "bare") if clicks else (None, None)
    if clicks:
        rows.append(
            Row(
                'Warm: "Next ▶" → next equation rendered',
                median(clicks["step"]),
                bare_click,
                'bare "Next ▶" → rerun rendered',
                len(clicks["step"]),
                WARM_TARGET,
                median(clicks["step_run"]),
                *_cpus(_cpu(clicks, "step"), bare_click_cpu),
            )
        )
        for key, figure in (
            ("step_held", 'Warm: "Next ▶" within a step (the page holds it, no run) → shown'),
            ("step_drawn", 'Warm: "Next ▶" the server draws (the first, and past y_i) → rendered'),
        ):
            if clicks.get(key):
                row = (median(clicks[key]), bare_click, 'bare "Next ▶" → rerun rendered', len(clicks[key]))
                cpus = _cpus(_cpu(clicks, key), bare_click_cpu)
                rows.append(Row(figure, *row, WARM_TARGET, median(clicks[f"{key}_run"]), *cpus))
    if apptest:
        rows.append(
            Row(
                "AppTest: warm at.run(), step page",
                median(apptest["step"]),
                median(apptest["home"]),
                "warm at.run(), home page",
                len(apptest["step"]),
            )
        )
    if long:
        n = len(long["step_open"])
        opened = ("open bare page", median(long["bare_open"]), _cpu(long, "bare_open"))
        pressed = ('bare "Next ▶"', bare_click, bare_click_cpu)
        for key, figure, (baseline, base_ms, base_cpu) in (
            ("step_open", "200 tokens, step page (free text): open → rendered", opened),
            ("step_next", '200 tokens, step page: "Next ▶" → rendered', pressed),
            ("align_open", "200 tokens, alignment map: open → rendered", opened),
            ("align_slider", "200 tokens, alignment map: slider ← (snapshot) → rendered", pressed),
        ):
            app_ms, run_ms, cpus = median(long[key]), median(long[f"{key}_run"]), _cpus(_cpu(long, key), base_cpu)
            rows.append(Row(figure, app_ms, base_ms, baseline, n, LONG_TARGET, run_ms, *cpus))
    return rows


def _cpus(app: tuple, base: tuple) -> tuple:
    """Row's order: app server, baseline server, app browser, baseline browser."""
    return app[0], base[0], app[1], base[1]


def _version(*names: str) -> str:
    for name in names:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            return importlib.metadata.version(name)
    return "not installed"


def _chromium_version() -> str:
    try:
        out = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True, timeout=30).stdout
        return out.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def load_average() -> str:
    """The machine's 1, 5 and 15-minute load averages: other work shares the cores."""
    return ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def machine_facts() -> dict[str, str]:
    return {
        "CPUs (os.cpu_count)": str(os.cpu_count()),
        "CPUs this process may use": str(len(os.sched_getaffinity(0))) if hasattr(os, "sched_getaffinity") else "?",
        "CPU": _cpu_model(),
        "memory": f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
        "load average at the start (1, 5, 15 min)": load_average(),
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "Streamlit": _version("streamlit"),
        "TensorFlow": _version("tensorflow-cpu", "tensorflow"),
        "Playwright (Python)": _version("playwright"),
        "Chromium": _chromium_version(),
    }


@dataclass
class Results:
    cold: dict
    clicks: dict | None = None
    long: dict | None = None
    apptest: dict | None = None
    long_shapes: str | None = None
    core: str | None = None
    load_report: str | None = None
    load: dict | None = None
    earlier_load_section: str | None = None  # kept from the file a run without the load test rewrites

    def rows(self) -> list[Row]:
        return browser_rows(self.cold, self.clicks, self.long, self.apptest)

    def samples(self) -> dict[str, list[float]]:
        """Every measurement, by name."""
        out = {f"cold {k}": v for k, v in self.cold.items()}
        out |= {f"click {k}": v for k, v in (self.clicks or {}).items()}
        out |= {f"200 tokens {k}": v for k, v in (self.long or {}).items()}
        out |= {f"AppTest {k}": v for k, v in (self.apptest or {}).items()}
        return out


def other_targets(results: Results) -> list[tuple[str, bool, str]]:
    """(target, met, value) of the core and the load test, read from their own output."""
    found = []
    if results.core:
        match = re.search(r"\| ([\d.,]+) ms, (within|over) the (\d+) ms target", results.core)
        if match:
            found.append((f"core: warm 14-token translation ≤ {match[3]} ms", match[2] == "within", f"{match[1]} ms"))
    if results.load:
        from benchmarks import load

        limit = getattr(load, "MEMORY_TARGET_MB", None)
        growth = results.load.get("growth_mb")
        if limit is not None and growth is not None:
            found.append((f"load: RSS growth since warm-up ≤ {limit:g} MB", growth <= limit, f"{growth:+.0f} MB"))
        errors = results.load.get("error_count")
        if errors is not None:
            found.append(("load: no errors", errors == 0, str(errors)))
    return found


def load_section_of(markdown: str) -> str | None:
    """The load section of an earlier report, verbatim: its heading to the next heading of its level."""
    match = re.search(rf"^{re.escape(LOAD_HEADING)}.*?(?=^## |\Z)", markdown, flags=re.MULTILINE | re.DOTALL)
    return match[0].rstrip("\n") if match else None


def closing_note(rows: Sequence[Row]) -> list[str]:
    """The warm Next and 200-token figures against their targets, browser and server parts."""
    lines = []
    for r in rows:
        if r.target is None or not r.figure.startswith(('Warm: "Next', "200 tokens, step page")):
            continue
        server = (
            f"; server CPU {_fmt_ms(r.app_server_ms)} ms vs {_fmt_ms(r.base_server_ms)} ms "
            f"({_fmt_ratio(r.server_ratio)}), browser CPU {_fmt_ms(r.app_browser_ms)} ms vs "
            f"{_fmt_ms(r.base_browser_ms)} ms ({_fmt_ratio(r.browser_ratio)})"
            if r.app_server_ms is not None
            else ""
        )
        lines.append(
            f"- {r.figure}: {_fmt_ms(r.app_ms)} ms vs {_fmt_ms(r.base_ms)} ms ({r.baseline}), "
            f"{_fmt_ratio(r.ratio)}, target ≤ {r.target:g}×: {r.verdict}{server}."
        )
    return lines


METHOD = (
    "Baseline: `benchmarks/bare_pages/bare.py`, a title, a text input, two buttons, a slider and a "
    "segmented control, served by its own `streamlit run` and timed the same way in the same Chromium "
    "(headless, 1400×2200). Cold starts use a fresh server for every measurement: process spawn → "
    "rendered in a new tab. Warm figures use one warmed server per side (every model and snapshot the "
    "pages use already loaded); each 200-token run uses new words, so no cached translation is reused. "
    "Warm clicks press the step panel's \"Next ▶\" (keyed `step_next`, inside the panel's `st.fragment`: "
    'the click reruns the panel only) and the bare page\'s "Next ▶" (a whole rerun of the bare page) with '
    "the mouse, the two pages alternating.",
    "",
    '"Rendered" means: after a click the main area\'s text has changed; a script run that the navigation '
    "or the click started has finished (its `script_finished` message arrived), the page shows "
    "`notRunning` and `CONNECTED`, the awaited heading or text is in the page (the next equation's "
    'subheader; "Source:" with 200 code spans; the line after the alignment heatmap; the bare page\'s '
    "press count), no element is still a loading skeleton (Streamlit loads the code of many elements "
    "lazily in each new tab) or stale, every image has loaded, every chart has drawn, and two animation "
    "frames have passed. Nothing waits a fixed time first. Times are on the page's own clock from the "
    'navigation or the click/key event; a cold start adds spawn → navigation. "Of which until the run '
    'finished": the part before the `script_finished` message arrived; the rest is the browser drawing. '
    '"Server CPU": user + system CPU time of the server process (psutil) across each measurement, the '
    'mean per measurement (Linux counts it in 10 ms ticks, so single readings are coarse). "Browser '
    "CPU\": the tab's renderer main thread across each measurement (DevTools `Performance.getMetrics`, "
    "`TaskDuration` in thread ticks), the mean. On a machine other work keeps busy, a render waits for a "
    "core and its times stretch with the load; the CPU times do not, so their ratios say what the page "
    "costs when the times cannot. The AppTest row runs in-process, no browser.",
)


def report(results: Results, facts: dict[str, str], *, started: dt.datetime, elapsed_s: float, command: str) -> str:
    """The markdown report; ``command`` is the one that measured ``results``."""
    rows = results.rows()
    targets = [(f"{r.figure}: ≤ {r.target:g}×", r.met, f"{r.ratio:.2f}×") for r in rows if r.target is not None]
    targets += other_targets(results)
    met = sum(ok for _, ok, _ in targets)
    note = closing_note(rows)
    lines = [
        "# Benchmarks",
        "",
        f"Written by `{command}` on {started:%Y-%m-%d %H:%M} UTC "
        f"in {elapsed_s / 60:.1f} min. Every figure is a median; each ratio divides it by a baseline measured "
        "on the same machine in the same run. Rerun the command to refresh this file."
        + (f" {KEPT_LOAD}" if results.load_report is None and results.earlier_load_section else ""),
        "",
        "## Machine",
        "",
        "| fact | value |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in facts.items()),
        "",
        "## The app vs a bare Streamlit page",
        "",
        *METHOD,
        "",
        table(rows),
        *(["", results.long_shapes] if results.long_shapes else []),
        "",
        "## Targets",
        "",
        f"{met} of {len(targets)} met.",
        "",
        "| target | value | verdict |",
        "|---|---:|---|",
        *(f"| {name} | {value} | {'met' if ok else '**missed**'} |" for name, ok, value in targets),
        *(["", "Warm Next and 200 tokens on the step page, browser and server:", "", *note] if note else []),
        "",
        "Every measurement, ms:",
        "",
        "```",
        *(f"{k}: {_samples(v)}" for k, v in results.samples().items()),
        "```",
    ]
    if results.core is not None:
        lines += ["", "## The core: one attention step and a translation vs Keras", ""]
        lines += ['`benchmarks.core.main(["--quick"])`:', "", results.core]
    if results.load_report is not None:
        lines += ["", f"{LOAD_HEADING}: many sessions on one server", "", "`benchmarks.load.run_load()`, its defaults:"]
        lines += ["", results.load_report]
    elif results.earlier_load_section is not None:
        lines += ["", results.earlier_load_section]
    else:
        lines += ["", f"{LOAD_HEADING}: many sessions on one server", "", NO_LOAD]
    return "\n".join(lines) + "\n"


def _samples(values: Sequence[float]) -> str:
    return ", ".join(f"{v:,.0f}" for v in values)
