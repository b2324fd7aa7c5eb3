"""The app against a bare Streamlit page, in a real Chromium, in one run: ``python -m benchmarks``.

Every browser figure is a ratio to ``benchmarks/bare_pages/bare.py`` (a title, a text input,
two buttons, a slider and a segmented control) timed the same way on the same machine in the
same run, so the machine cancels out and the ratio says what the app adds to Streamlit:

1. Cold start, a fresh server per measurement: process spawn → home page rendered, and
   → step-through page rendered (TensorFlow loaded, the model built), vs spawn → bare page
   rendered.
2. Warm interaction: "Next ▶" on the step page → the next equation rendered, vs a button of
   the bare page → its rerun rendered. Also AppTest: a warm ``at.run()`` of the step page vs
   the home page.
3. A 200-token sentence: navigation → rendered and one warm interaction, on the step page
   (free text) and on the alignment map (the trained model, toy words), vs the bare page.
4. The core (``benchmarks.core --quick``): one attention step and a whole translation vs
   Keras ``AdditiveAttention``.
5. Load (``benchmarks.load.run_load`` with its defaults): many sessions on one server.

"Rendered" is decided inside the page by a watcher (``WATCH_JS``): a script run started by the
navigation or the click has finished (its ``script_finished`` message arrived on the websocket),
``[data-testid="stApp"]`` says ``data-test-script-state="notRunning"`` and
``data-test-connection-state="CONNECTED"``, the awaited content is in the DOM (a heading, a
"Source:" line), no element is a loading skeleton (``stSkeleton``: Streamlit loads the code of
many elements lazily, per tab) or stale, every image in the main area has loaded and every
Vega chart has drawn; then two animation frames, so a frame showing it has been produced.
Times are on the page's own clock (``performance.now()``, whose origin is the navigation) from
the navigation or from the click/key event; a cold start adds spawn → navigation.

The results table goes to ``docs/benchmarks.md`` (``--out``) and to stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.metadata
import inspect
import io
import json
import logging
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import psutil

from benchmarks.browser import CHROMIUM, chromium_context
from benchmarks.server import REPO_ROOT, RunningApp, running_app

BARE_SCRIPT = Path(__file__).parent / "bare_pages" / "bare.py"
DEFAULT_OUT = REPO_ROOT / "docs" / "benchmarks.md"
HOST = "127.0.0.1"
RENDER_TIMEOUT_MS = 180_000  # a cold step page imports TensorFlow and builds the model
CLICK_TIMEOUT_MS = 60_000

REPEATS, QUICK_REPEATS = 3, 1  # cold starts and 200-token navigations
CLICKS, QUICK_CLICKS = 10, 4
APPTEST_RUNS, QUICK_APPTEST_RUNS = 10, 4
LONG_TOKENS = 200
WARM_TARGET = 1.5  # warm interaction, app ÷ bare
LONG_TARGET = 2.0  # 200 tokens, app ÷ bare
MAX_URL_TEXT = 2_000  # ui/state.py keeps this many characters of a linked text

SLIDER_INPUT = '[data-testid="stMain"] [data-testid="stSlider"] input[type="range"]'
ALIGNMENT_SNAPSHOT = 8  # index of the snapshot one ArrowLeft from "final" on the alignment page's slider

# The watcher, installed before Streamlit's own code in every tab. It reads the ForwardMsg
# stream: a top-level field 4 (``new_session``) starts a run, a field 6 (``script_finished``)
# of 0 or 3 ends one (2, "finished early for a rerun", does not). The DOM's script-state
# attribute alone is not enough: a fast rerun can go "running" → "notRunning" within one
# React commit and never show "running". ``arm(spec)`` starts waiting for one run: from the
# navigation (``spec.click`` false: time 0 is the navigation) or from the next click or key
# press. Done when a run finished after the start, the page says "notRunning" and
# "CONNECTED", the content of ``spec`` is there, images have loaded and charts have drawn;
# then two animation frames.
WATCH_JS = r"""
(() => {
  if (window.__bench) return;
  const bench = (window.__bench = { spec: null, t: null, done: null, messages: 0 });
  const now = () => performance.now();

  const topLevel = (bytes) => {  // {field: last varint value or true}, top-level fields of a protobuf
    const fields = {};
    let i = 0;
    const varint = () => {
      let value = 0, shift = 0, b;
      do { b = bytes[i++]; value += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80 && i < bytes.length);
      return value;
    };
    while (i < bytes.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) fields[field] = varint();
      else if (wire === 2) { const n = varint(); i += n; fields[field] = true; }
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else break;
    }
    return fields;
  };
  const onMessage = (event) => {
    const at = now();
    const handle = (buffer) => {
      bench.messages += 1;
      const t = bench.t;
      if (!t || t.start === null) return;
      const f = topLevel(new Uint8Array(buffer));
      if (4 in f && t.running === null) t.running = at;
      if (6 in f && (f[6] === 0 || f[6] === 3)) t.finished = at;
    };
    if (event.data instanceof ArrayBuffer) handle(event.data);
    else if (event.data instanceof Blob) event.data.arrayBuffer().then(handle);
  };
  const Native = window.WebSocket;
  window.WebSocket = new Proxy(Native, {
    construct(target, args) {
      const ws = new target(...args);
      ws.addEventListener('message', onMessage);
      return ws;
    },
  });

  const startEvent = (event) => {
    if (bench.t && bench.t.start === null) bench.t.start = event.timeStamp;
  };
  document.addEventListener('click', startEvent, { capture: true });
  document.addEventListener('keydown', startEvent, { capture: true });

  const idle = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
      && app.getAttribute('data-test-connection-state') === 'CONNECTED';
  };
  const contentReady = (spec) => {
    const main = document.querySelector('[data-testid="stMain"]');
    if (!main) return false;
    if (spec.heading) {
      const hs = [...main.querySelectorAll('h1, h2, h3')].map((h) => h.textContent.trim());
      if (!hs.some((h) => h.startsWith(spec.heading))) return false;
    }
    if (spec.text && !main.textContent.includes(spec.text)) return false;
    // Elements whose code or data is still loading show a skeleton; a rerun's old elements are stale.
    if (main.querySelector('[data-testid="stSkeleton"], [data-stale="true"]')) return false;
    if (![...main.querySelectorAll('img')].every((img) => img.complete && img.naturalWidth > 0)) return false;
    for (const chart of main.querySelectorAll('[data-testid="stVegaLiteChart"]')) {
      if (!chart.querySelector('svg.marks, canvas.marks, svg[class*="marks"], canvas')) return false;
    }
    return true;
  };
  const check = () => {
    const t = bench.t;
    if (!t || bench.done || t.ready !== null || t.start === null || t.finished === null) return;
    if (!idle() || !contentReady(bench.spec)) return;
    t.ready = now();
    requestAnimationFrame(() => requestAnimationFrame(() => {
      t.painted = now();
      bench.done = { ...t };
    }));
  };
  setInterval(check, 5);

  bench.arm = (spec) => {
    bench.spec = spec;
    bench.done = null;
    bench.t = { start: spec.click ? null : 0, running: null, finished: null, ready: null, painted: null };
  };
  if (window.__benchInitialSpec) bench.arm(window.__benchInitialSpec);
})();
"""


# --- servers ------------------------------------------------------------------------------


@contextlib.contextmanager
def bare_server() -> Iterator[RunningApp]:
    """``streamlit run benchmarks/bare_pages/bare.py`` on a free port, started like the app."""
    with (
        tempfile.TemporaryDirectory(prefix="attention-explorer-bare-") as logs,
        running_app(script=BARE_SCRIPT, log_path=Path(logs) / "streamlit.log") as app,
    ):
        yield app


@contextlib.contextmanager
def app_server() -> Iterator[RunningApp]:
    """``benchmarks.server.running_app()``, its log in a directory removed afterwards."""
    with (
        tempfile.TemporaryDirectory(prefix="attention-explorer-bench-") as logs,
        running_app(log_path=Path(logs) / "streamlit.log") as app,
    ):
        yield app


# --- the browser --------------------------------------------------------------------------


@contextlib.contextmanager
def browser() -> Iterator:
    """Debian's Chromium through Playwright (never ``playwright install``), a throw-away profile."""
    with chromium_context(CLICK_TIMEOUT_MS) as context:
        yield context


@dataclass(frozen=True)
class Ready:
    """What "rendered" waits for, beyond a finished run: a heading starting with ``heading``,
    ``text`` somewhere in the main area (and always: images loaded, charts drawn)."""

    heading: str | None = None
    text: str | None = None

    def spec(self, click: bool) -> dict:
        return {"heading": self.heading, "text": self.text, "click": click}


HOME = Ready(heading="Attention Explorer")
BARE = Ready(heading="Bare page")
STEP = Ready(heading="1. ", text="Source:")
ALIGNMENT = Ready(heading="Alignment map", text="Open this output word")  # the line after the heatmap


@dataclass
class Timing:
    """One measured run, in ms on the page's clock."""

    total_ms: float  # start → painted
    run_ms: float  # start → the script_finished message arrived
    page: object = field(repr=False, default=None)


def _wait_done(page, timeout_ms: float) -> dict:
    page.wait_for_function("() => window.__bench && window.__bench.done", polling=10, timeout=timeout_ms)
    return page.evaluate("() => window.__bench.done")


def _timing(done: dict, page=None) -> Timing:
    start = done["start"]
    return Timing(total_ms=done["painted"] - start, run_ms=done["finished"] - start, page=page)


def open_tab(context, url: str, ready: Ready, timeout_ms: float = RENDER_TIMEOUT_MS) -> Timing:
    """A new tab on ``url``; navigation → rendered. The tab stays open in ``Timing.page``."""
    page = context.new_page()
    page.add_init_script(f"window.__benchInitialSpec = {json.dumps(ready.spec(click=False))};\n{WATCH_JS}")
    page.goto(url, wait_until="commit", timeout=timeout_ms)
    return _timing(_wait_done(page, timeout_ms), page)


def interact(page, action: Callable[[], None], ready: Ready, timeout_ms: float = CLICK_TIMEOUT_MS) -> Timing:
    """The click or key press ``action`` → its rerun rendered, on the page's clock from the event."""
    page.evaluate("spec => window.__bench.arm(spec)", ready.spec(click=True))
    action()
    return _timing(_wait_done(page, timeout_ms))


def cold_start(context, server: Callable[[], contextlib.AbstractContextManager[RunningApp]], path: str, ready: Ready):
    """Process spawn → ``path`` rendered in a new tab, on a fresh server; ms."""
    spawned = time.perf_counter()
    with server() as app:
        navigated = time.perf_counter()
        timing = open_tab(context, app.url + path, ready)
        timing.page.close()
    return (navigated - spawned) * 1000 + timing.total_ms


# --- inputs -------------------------------------------------------------------------------


def free_words(n: int = LONG_TOKENS, seed: int = 0) -> str:
    """``n`` short made-up words (consonant-vowel-consonant), distinct, in a seeded order."""
    import random

    consonants, vowels = "bdfgklmnprstvz", "aeiou"
    words = [a + v + b for a in consonants for v in vowels for b in consonants]
    random.Random(seed).shuffle(words)
    return " ".join(words[:n])


def toy_words(n: int = LONG_TOKENS, seed: int = 0) -> str:
    """``n`` words of the toy lexicon: toy sentences one after another, cut at ``n`` words."""
    from attention_core.toy_data import generate_examples

    words: list[str] = []
    batch = 0
    while len(words) < n:
        for example in generate_examples(16, seed * 1000 + batch):
            words.extend(example.en)
        batch += 1
    return " ".join(words[:n])


def checked_text(text: str, n: int = LONG_TOKENS) -> str:
    """``text`` is ``n`` tokens and survives the app's 2,000-character cap on linked text."""
    from attention_core.text import tokenize

    tokens = tokenize(text)
    if len(tokens) != n or tokens.truncated:
        raise ValueError(f"expected {n} tokens. Received: {len(tokens)}")
    if len(text) > MAX_URL_TEXT:
        raise ValueError(f"the text must fit the {MAX_URL_TEXT}-character URL cap. Received: {len(text)} characters")
    return text


def source_token_count(page) -> int:
    """Inline-code tokens on the step page's "Source:" line."""
    return page.evaluate(
        """() => {
          const p = [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMarkdownContainer"] p')]
            .find((p) => p.textContent.trim().startsWith('Source:'));
          return p ? p.querySelectorAll('code').length : -1;
        }"""
    )


def url_text(page) -> str:
    return parse_qs(urlsplit(page.url).query).get("text", [""])[0]


def next_ready(k: int) -> Ready:
    """The step page after the k-th press of "Next ▶" from equation 1 of step 1."""
    return Ready(heading=f"{k % 7 + 1}. ", text="Source:")  # the subheader "k. <equation name>"


def click_next(page) -> Callable[[], None]:
    button = page.get_by_role("button", name="Next ▶")
    return lambda: button.click()


def slider_left(page) -> Callable[[], None]:
    thumb = page.locator(SLIDER_INPUT).first

    def press() -> None:
        thumb.focus()
        page.keyboard.press("ArrowLeft")

    return press


# --- measurements -------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def measure_cold(context, repeats: int, pages: Sequence[str] = ("home", "step")) -> dict[str, list[float]]:
    """Spawn → rendered, ms, a fresh server each time; bare and app interleaved."""
    out: dict[str, list[float]] = {"bare": [], **{p: [] for p in pages}}
    for _ in range(repeats):
        out["bare"].append(cold_start(context, bare_server, "/", BARE))
        if "home" in pages:
            out["home"].append(cold_start(context, app_server, "/home", HOME))
        if "step" in pages:
            out["step"].append(cold_start(context, app_server, "/step_through", STEP))
    return out


def warm_app(context, app: RunningApp) -> None:
    """Load every model and cache the measured pages use, so warm figures are warm."""
    for path, ready in (
        ("/home", HOME),
        ("/step_through", STEP),
        ("/step_through?src=free&text=warm+up+words", STEP),
        ("/alignment?text=the+cat+sees+a+dog", ALIGNMENT),
        (f"/alignment?text=the+cat+sees+a+dog&snap={ALIGNMENT_SNAPSHOT}", ALIGNMENT),
    ):
        open_tab(context, app.url + path, ready).page.close()


def measure_clicks(context, app: RunningApp, bare: RunningApp, clicks: int) -> dict[str, list[float]]:
    """``clicks`` presses of "Next ▶" on the step page and of the bare page's "Next ▶" button, ms."""
    out: dict[str, list[float]] = {"step": [], "bare": [], "step_run": [], "bare_run": []}
    page = open_tab(context, app.url + "/step_through", STEP).page
    for k in range(1, clicks + 1):
        _record(out, "step", interact(page, click_next(page), next_ready(k)))
    page.close()
    page = open_tab(context, bare.url + "/", BARE).page
    for _ in range(clicks):
        _record(out, "bare", interact(page, click_next(page), BARE))
    page.close()
    return out


def _record(out: dict, key: str, timing: Timing) -> None:
    """The total under ``key``, the part until the script finished under ``key_run``."""
    out[key].append(timing.total_ms)
    out.setdefault(f"{key}_run", []).append(timing.run_ms)


def measure_long(context, app: RunningApp, bare: RunningApp, repeats: int) -> dict:
    """A 200-token sentence on the step page and the alignment map: navigation and one interaction."""
    out: dict = {"step_open": [], "step_next": [], "align_open": [], "align_slider": [], "bare_open": []}
    for r in range(repeats):
        text = checked_text(free_words(seed=r))
        timing = open_tab(context, f"{app.url}/step_through?src=free&text={quote(text)}", STEP)
        page = timing.page
        shown = source_token_count(page)
        if shown != LONG_TOKENS:
            raise RuntimeError(f"the step page shows {shown} source tokens, not {LONG_TOKENS}")
        _record(out, "step_open", timing)
        _record(out, "step_next", interact(page, click_next(page), next_ready(1)))
        page.close()

        text = checked_text(toy_words(seed=r + 1))
        timing = open_tab(context, f"{app.url}/alignment?text={quote(text)}", ALIGNMENT)
        page = timing.page
        if url_text(page) != text:
            raise RuntimeError("the alignment page did not keep the whole 200-token text")
        _record(out, "align_open", timing)
        _record(out, "align_slider", interact(page, slider_left(page), ALIGNMENT))
        if f"snap={ALIGNMENT_SNAPSHOT}" not in page.url:
            raise RuntimeError(f"the slider did not move to snapshot {ALIGNMENT_SNAPSHOT}: {page.url}")
        page.close()

        timing = open_tab(context, bare.url + "/", BARE)
        _record(out, "bare_open", timing)
        timing.page.close()
    return out


def long_text_shapes(repeats: int) -> str:
    """What the 200-token runs drew: decoder steps on the step page, output words on the alignment map."""
    from attention_core import load_free_text, load_pretrained

    free = [load_free_text().translate(free_words(seed=r)) for r in range(repeats)]
    toy = [load_pretrained().translate(toy_words(seed=r + 1)) for r in range(repeats)]
    steps = ", ".join(str(len(t.steps)) for t in free)
    rows = ", ".join(str(len(t.target_tokens)) for t in toy)
    return (
        f"What the 200-token runs drew: on the step page {LONG_TOKENS} source tokens and {steps} decoder steps "
        f"(the untrained free-text model does not stop early); on the alignment map α matrices of {rows} output "
        f"words × {LONG_TOKENS} source tokens (where the trained toy model stops on a 200-word run-on text "
        "depends on the words). Every such matrix is drawn as an image."
    )


def measure_apptest(runs: int) -> dict[str, list[float]]:
    """Warm ``at.run()`` of the step page and of the home page under AppTest, ms."""
    from streamlit.testing.v1 import AppTest

    out: dict[str, list[float]] = {}
    loggers = [logging.getLogger(n) for n in list(logging.root.manager.loggerDict) if n.startswith("streamlit")]
    for logger in loggers:  # a filter, not a level: Streamlit resets its loggers' levels
        logger.addFilter(_quiet_apptest)
    try:
        _apptest_runs(AppTest, runs, out)
    finally:
        for logger in loggers:
            logger.removeFilter(_quiet_apptest)
    return out


def _quiet_apptest(record: logging.LogRecord) -> bool:
    """Drop the warnings every AppTest run logs outside ``streamlit run``."""
    message = record.getMessage()
    return "missing ScriptRunContext" not in message and "without `streamlit run`" not in message


def _apptest_runs(AppTest, runs: int, out: dict[str, list[float]]) -> None:
    # The step page first: TensorFlow is then in the process for both pages alike.
    for name, page in (("step", "pages/step_through.py"), ("home", None)):
        at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=RENDER_TIMEOUT_MS / 1000)
        if page:
            at.switch_page(page)
        at.run()  # warm: TensorFlow, the model, caches
        if at.exception:
            raise RuntimeError(f"AppTest {name}: {[e.value for e in at.exception]}")
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - started) * 1000)
        out[name] = times


def core_table() -> str:
    """``python -m benchmarks.core --quick``'s output."""
    from benchmarks import core as bench

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        bench.main(["--quick"])
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
    report = load.format_report(result) if hasattr(load, "format_report") else json.dumps(result, indent=2, default=str)
    return report, result


# --- the report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    figure: str
    app_ms: float
    base_ms: float
    baseline: str
    n: int
    target: float | None = None  # the largest acceptable ratio; None: reported, no target
    app_run_ms: float | None = None  # of app_ms, the part until the script-finished message arrived

    @property
    def ratio(self) -> float:
        return self.app_ms / self.base_ms if self.base_ms > 0 else math.nan

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.ratio <= self.target

    @property
    def verdict(self) -> str:
        return {None: "—", True: "met", False: "**missed**"}[self.met]


def _fmt_ms(ms: float | None) -> str:
    return "—" if ms is None or math.isnan(ms) else f"{ms:,.0f}"


def table(rows: Sequence[Row]) -> str:
    lines = [
        "| figure | app ms | of which until the run finished | baseline | baseline ms | ratio | target | verdict | n |",
        "|---|---:|---:|---|---:|---:|---:|---|---:|",
    ]
    for r in rows:
        target = "—" if r.target is None else f"≤ {r.target:g}×"
        lines.append(
            f"| {r.figure} | {_fmt_ms(r.app_ms)} | {_fmt_ms(r.app_run_ms)} | {r.baseline} | {_fmt_ms(r.base_ms)} "
            f"| {r.ratio:.2f}× | {target} | {r.verdict} | {r.n} |"
        )
    return "\n".join(lines)


def browser_rows(
    cold: dict, clicks: dict | None = None, long: dict | None = None, apptest: dict | None = None
) -> list[Row]:
    """The table's rows from the measurements (any of them may be left out)."""
    rows = []
    bare_cold, n_cold = median(cold["bare"]), len(cold["bare"])
    if cold.get("home"):
        rows.append(
            Row("Cold start: spawn → home rendered", median(cold["home"]), bare_cold, "spawn → bare page", n_cold)
        )
    if cold.get("step"):
        rows.append(
            Row(
                "Cold start: spawn → step page rendered (TensorFlow, model)",
                median(cold["step"]),
                bare_cold,
                "spawn → bare page",
                n_cold,
            )
        )
    bare_click = median(clicks["bare"]) if clicks else math.nan
    if clicks:
        rows.append(
            Row(
                'Warm: "Next ▶" → next equation rendered',
                median(clicks["step"]),
                bare_click,
                "bare button → rerun rendered",
                len(clicks["step"]),
                WARM_TARGET,
                median(clicks["step_run"]),
            )
        )
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
        bare_open, n = median(long["bare_open"]), len(long["step_open"])
        for key, figure, baseline, base_ms in (
            ("step_open", "200 tokens, step page (free text): open → rendered", "open bare page", bare_open),
            ("step_next", '200 tokens, step page: "Next ▶" → rendered', "bare button", bare_click),
            ("align_open", "200 tokens, alignment map: open → rendered", "open bare page", bare_open),
            ("align_slider", "200 tokens, alignment map: slider ← (snapshot) → rendered", "bare button", bare_click),
        ):
            rows.append(Row(figure, median(long[key]), base_ms, baseline, n, LONG_TARGET, median(long[f"{key}_run"])))
    return rows


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


def machine_facts() -> dict[str, str]:
    return {
        "CPUs (os.cpu_count)": str(os.cpu_count()),
        "CPUs this process may use": str(len(os.sched_getaffinity(0))) if hasattr(os, "sched_getaffinity") else "?",
        "CPU": _cpu_model(),
        "memory": f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
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


def report(results: Results, facts: dict[str, str], *, started: dt.datetime, elapsed_s: float, quick: bool) -> str:
    rows = results.rows()
    targets = [(f"{r.figure}: ≤ {r.target:g}×", r.met, f"{r.ratio:.2f}×") for r in rows if r.target is not None]
    targets += other_targets(results)
    met = sum(ok for _, ok, _ in targets)
    lines = [
        "# Benchmarks",
        "",
        f"Written by `python -m benchmarks{' --quick' if quick else ''}` on {started:%Y-%m-%d %H:%M} UTC "
        f"in {elapsed_s / 60:.1f} min. Every figure is a median; each ratio divides it by a baseline measured "
        "on the same machine in the same run. Rerun the command to refresh this file.",
        "",
        "## Machine",
        "",
        "| fact | value |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in facts.items()),
        "",
        "## The app vs a bare Streamlit page",
        "",
        "Baseline: `benchmarks/bare_pages/bare.py`, a title, a text input, two buttons, a slider and a "
        "segmented control, served by its own `streamlit run` and timed the same way in the same Chromium "
        "(headless, 1400×2200). Cold starts use a fresh server for every measurement: process spawn → "
        "rendered in a new tab. Warm figures use one warmed server per side (every model and snapshot the "
        "pages use already loaded); each 200-token run uses new words, so no cached translation is reused.",
        "",
        '"Rendered" means: a script run that the navigation or the click started has finished (its '
        "`script_finished` message arrived), the page shows `notRunning` and `CONNECTED`, the awaited heading "
        'or text is in the page (the next equation\'s subheader; "Source:" with 200 code spans; the line after '
        "the alignment heatmap), no element is still a loading skeleton (Streamlit loads the code of many "
        "elements lazily in each new tab) or stale, every image has loaded, every chart has drawn, and two "
        "animation frames have passed. Times are on the page's own clock from the navigation or the click/key "
        "event; a cold start "
        'adds spawn → navigation. "Of which until the run finished": the part before the `script_finished` '
        "message arrived; the rest is the browser drawing. The AppTest row runs in-process, no browser.",
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
        lines += ["", "## Load: many sessions on one server", "", "`benchmarks.load.run_load()`, its defaults:", ""]
        lines += [results.load_report]
    return "\n".join(lines) + "\n"


def _samples(values: Sequence[float]) -> str:
    return ", ".join(f"{v:,.0f}" for v in values)


# --- the command --------------------------------------------------------------------------


def run(args: argparse.Namespace) -> str:
    started, t0 = dt.datetime.now(dt.UTC), time.monotonic()
    repeats = QUICK_REPEATS if args.quick else REPEATS
    clicks = QUICK_CLICKS if args.quick else CLICKS
    runs = QUICK_APPTEST_RUNS if args.quick else APPTEST_RUNS

    def say(message: str) -> None:
        print(f"[{time.monotonic() - t0:5.0f} s] {message}", file=sys.stderr, flush=True)

    facts = machine_facts()
    with browser() as context:
        say(f"cold starts: {repeats} × (bare, home, step page), a fresh server each")
        results = Results(cold=measure_cold(context, repeats))
        with app_server() as app, bare_server() as bare:
            say("warming the app server")
            warm_app(context, app)
            say(f"warm clicks: {clicks} on each page")
            results.clicks = measure_clicks(context, app, bare, clicks)
            say(f"200 tokens: {repeats} × (step page, alignment map, bare page)")
            results.long = measure_long(context, app, bare, repeats)
    results.long_shapes = long_text_shapes(repeats)
    say(f"AppTest: {runs} warm runs of each page")
    results.apptest = measure_apptest(runs)
    say("core: benchmarks.core --quick")
    results.core = core_table()
    if not args.skip_load:
        say("load: benchmarks.load.run_load() with its defaults")
        results.load_report, results.load = load_section()
    text = report(results, facts, started=started, elapsed_s=time.monotonic() - t0, quick=args.quick)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    say(f"wrote {out}")
    return text


def main(argv: Sequence[str] | None = None) -> str:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 cold start per page, fewer clicks and runs")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="Markdown file to write (docs/benchmarks.md)")
    parser.add_argument("--skip-load", action="store_true", help="leave out the load test")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # before this process imports TensorFlow
    text = run(args)
    print(text)
    return text
