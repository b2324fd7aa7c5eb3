"""Timing a render in Chromium: navigation or click → the page rendered, on the page's own clock.

"Rendered" is decided inside the page by a watcher (``WATCH_JS``), installed before Streamlit's
own code in every tab. After a click or key press: the main area's text has changed, a script
run started by it has finished (its ``script_finished`` message arrived on the websocket),
``[data-testid="stApp"]`` says ``data-test-script-state="notRunning"`` and
``data-test-connection-state="CONNECTED"``, the awaited content is in the DOM (a heading, a
"Source:" line), no element is a loading skeleton (``stSkeleton``: Streamlit loads the code of
many elements lazily, per tab) or stale, every image in the main area has loaded and every Vega
chart has drawn; then two animation frames, so a frame showing it has been produced. The
watcher polls from the event on: nothing waits a fixed time first, which would hide part of the
cost. Times are from the navigation (``performance.now()``'s origin) or from the click/key
event's own time stamp.

Beside the browser's time, ``ServerCpu`` reads the server process's CPU time (user + system,
with its children) across the same window: the server-side part of a render. Each tab's
renderer main-thread CPU time across it (Chrome DevTools Protocol ``Performance.getMetrics``,
``TaskDuration`` in thread ticks) is the browser-side part. On a machine that other work keeps
busy, a render waits for a core and its times stretch; these two CPU times do not.
"""

from __future__ import annotations

import contextlib
import json
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import psutil

from serving.chromium import chromium_context

RENDER_TIMEOUT_MS = 180_000  # a cold step page imports TensorFlow and builds the model
CLICK_TIMEOUT_MS = 60_000

# The watcher reads the ForwardMsg stream: a top-level field 4 (``new_session``) starts a run,
# a field 6 (``script_finished``) of 0 (a whole run) or 3 (a fragment's run) ends one (2,
# "finished early for a rerun", does not). The DOM's script-state attribute alone is not
# enough: a fast rerun can go "running" → "notRunning" within one React commit and never show
# "running". ``arm(spec)`` starts waiting for one run: from the navigation (``spec.click``
# false: time 0 is the navigation) or from the next click or key press (the main area's text
# at arming must then change).
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
    // What is on screen: a step the reading view holds has every equation, all but one hidden.
    const shown = (selector) => [...main.querySelectorAll(selector)].filter((el) => el.checkVisibility());
    if (spec.heading) {
      const hs = shown('h1, h2, h3').map((h) => h.textContent.trim());
      if (!hs.some((h) => h.startsWith(spec.heading))) return false;
    }
    if (spec.text && !main.textContent.includes(spec.text)) return false;
    // Elements whose code or data is still loading show a skeleton; a rerun's old elements are stale.
    if (main.querySelector('[data-testid="stSkeleton"], [data-stale="true"]')) return false;
    if (!shown('img').every((img) => img.complete && img.naturalWidth > 0)) return false;
    for (const chart of shown('[data-testid="stVegaLiteChart"]')) {
      if (!chart.querySelector('svg.marks, canvas.marks, svg[class*="marks"], canvas')) return false;
    }
    return true;
  };
  const mainText = () => {
    const main = document.querySelector('[data-testid="stMain"]');
    return main ? main.textContent : null;
  };
  const check = () => {
    const t = bench.t;
    // The cheap conditions first: the main area's text is read once a run has finished, so
    // watching costs a large page no more than a small one.
    if (!t || bench.done || t.ready !== null || t.start === null || !idle()) return;
    // A press the page answers itself (``spec.held``: within a held step) starts no run.
    if (!bench.spec.held && (t.finished === null || (t.before !== null && mainText() === t.before))) return;
    if (!contentReady(bench.spec)) return;
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
    bench.t = {
      start: spec.click ? null : 0, before: spec.click ? mainText() : null,
      running: null, finished: null, ready: null, painted: null,
    };
  };
  if (window.__benchInitialSpec) bench.arm(window.__benchInitialSpec);
})();
"""


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
    held: bool = False  # the page answers the press itself: no run is waited for (a held step)

    def spec(self, click: bool) -> dict:
        return {"heading": self.heading, "text": self.text, "click": click, "held": self.held}


@dataclass
class Timing:
    """One measured run, in ms on the page's clock; the server's CPU across it when measured."""

    total_ms: float  # start → painted
    run_ms: float  # start → the script_finished message arrived (0 for a press the page held)
    page: object = field(repr=False, default=None)
    server_cpu_ms: float | None = None
    browser_cpu_ms: float | None = None  # the tab's renderer main thread, CPU time


class ServerCpu:
    """CPU time (user + system) of a server process and its children, ms, read with psutil.

    Linux counts it in clock ticks (10 ms): one render's reading is coarse, the sum over many
    renders divided by their number is not.
    """

    def __init__(self, process: psutil.Process) -> None:
        self.process = process

    def read_ms(self) -> float:
        total = 0.0
        for proc in (self.process, *self.process.children(recursive=True)):
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                t = proc.cpu_times()
                total += t.user + t.system
        return total * 1000

    def across(self, measure: Callable[..., Timing], *args) -> Timing:
        """``measure(*args)`` with ``server_cpu_ms`` set to the CPU the server spent meanwhile."""
        before = self.read_ms()
        timing = measure(*args)
        timing.server_cpu_ms = self.read_ms() - before
        return timing


_CDP = weakref.WeakKeyDictionary()  # page → its DevTools session


def browser_cpu_ms(page) -> float:
    """CPU time of the page's renderer main thread so far, ms (DevTools ``TaskDuration``, thread ticks)."""
    session = _CDP.get(page)
    if session is None:
        session = _CDP[page] = page.context.new_cdp_session(page)
        session.send("Performance.enable", {"timeDomain": "threadTicks"})
    metrics = session.send("Performance.getMetrics")["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "TaskDuration") * 1000


def _wait_done(page, timeout_ms: float) -> dict:
    page.wait_for_function("() => window.__bench && window.__bench.done", polling=10, timeout=timeout_ms)
    return page.evaluate("() => window.__bench.done")


def _timing(done: dict, page=None) -> Timing:
    start = done["start"]
    run_ms = 0.0 if done["finished"] is None else done["finished"] - start
    return Timing(total_ms=done["painted"] - start, run_ms=run_ms, page=page)


def open_tab(context, url: str, ready: Ready, timeout_ms: float = RENDER_TIMEOUT_MS) -> Timing:
    """A new tab on ``url``; navigation → rendered. The tab stays open in ``Timing.page``."""
    page = context.new_page()
    page.add_init_script(f"window.__benchInitialSpec = {json.dumps(ready.spec(click=False))};\n{WATCH_JS}")
    before = browser_cpu_ms(page)
    page.goto(url, wait_until="commit", timeout=timeout_ms)
    timing = _timing(_wait_done(page, timeout_ms), page)
    timing.browser_cpu_ms = browser_cpu_ms(page) - before
    return timing


def interact(page, action: Callable[[], None], ready: Ready, timeout_ms: float = CLICK_TIMEOUT_MS) -> Timing:
    """The click or key press ``action`` → its rerun rendered, on the page's clock from the event."""
    page.evaluate("spec => window.__bench.arm(spec)", ready.spec(click=True))
    before = browser_cpu_ms(page)
    action()
    timing = _timing(_wait_done(page, timeout_ms))
    timing.browser_cpu_ms = browser_cpu_ms(page) - before
    return timing


# What the alignment map's journeys and the benchmarks both read of a page.
SLIDER_INPUT = '[data-testid="stMain"] [data-testid="stSlider"] input[type="range"]'


ALIGNMENT = Ready(heading="Alignment map", text="Open step")  # the row tools under the heatmap


def slider_snapshot() -> int:
    """The alignment map's snapshot one ArrowLeft from "final" (its options: 0 … n − 2, then final)."""
    from attention_core.decoding.translator import snapshot_paths

    return len(snapshot_paths()) - 2
