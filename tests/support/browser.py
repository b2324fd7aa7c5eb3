"""What the browser tests share: the app's states in the page, sizes of the screens, and the checks
every journey makes (no exception box, nothing scrolling, nothing too small)."""

from __future__ import annotations

import itertools
from pathlib import Path

MODEL_TIMEOUT_MS = 120_000  # the first page that needs TensorFlow builds the model
RUN_TIMEOUT_MS = 60_000
KEYS_READY = "() => window.__attentionExplorerKeys === true"  # the page's keyboard script listens
# No press waits: in the keyboard's queue (a press made before the step's keeper counts presses, or
# between two pages), nor in the keeper's own turn (``html[data-held-pending]``): sent, not yet answered.
NO_PRESS_WAITING = "() => window.__attentionExplorerPresses && window.__attentionExplorerPresses() === 0"
APP_IDLE = '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'
EQUATION_NAMES = {
    1: "W₁ hⱼ",
    2: "W₂ sᵢ₋₁",
    3: "tanh(W₁ hⱼ + W₂ sᵢ₋₁ + b)",
    4: "eᵢⱼ = vᵀ tanh(…)",
    5: "αᵢⱼ = softmax(eᵢⱼ)",
    6: "cᵢ = Σ αᵢⱼ hⱼ",
    7: "yᵢ = g(sᵢ₋₁, cᵢ)",
}


# Installed in every page before its scripts (tests/browser/conftest.py): when the page last changed
# (an element added or removed, a text, the app's run state) and when it last sent the server a message
# and heard from it. The waits below read it instead of pausing.
WATCH_PAGE = """(() => {
  if (window.__pageWatch) return;
  const watch = window.__pageWatch = { lastSend: 0, lastReceive: 0, lastChange: performance.now() };
  const Native = window.WebSocket;
  const send = Native.prototype.send;
  Native.prototype.send = function (data) { watch.lastSend = performance.now(); return send.call(this, data); };
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", () => { watch.lastReceive = performance.now(); });
    }
  };
  new MutationObserver(() => { watch.lastChange = performance.now(); }).observe(document, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["data-test-script-state"],
  });
})()"""
QUIET_MS = 250  # unchanged and unspoken to this long after a run: its charts and formulas are laid out
UNANSWERED_MS = 2_000  # a message no run answers (a held step telling its equation) stops being waited on
SETTLED = """([idle, quiet, unanswered, call]) => {
  if (!window.__pageWatch) {  // a page opened without WATCH_PAGE: its changes from now on
    const w = window.__pageWatch = { lastSend: 0, lastReceive: 0, lastChange: performance.now() };
    new MutationObserver(() => { w.lastChange = performance.now(); })
      .observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  }
  const watch = window.__pageWatch;
  const now = performance.now();
  // The quiet is seen from this wait's start: a click's rerun may be sent a moment after the click.
  watch.calls = watch.calls || {};
  const start = watch.calls[call] = watch.calls[call] || now;
  if (!document.querySelector(idle) || document.querySelector('[data-testid="stStatusWidget"]')) return false;
  if (now - Math.max(watch.lastChange, watch.lastReceive, start) < quiet) return false;
  // a transition under way (a popover opening, a fade): what it shows is not what the page will show
  const moving = document.getAnimations().some((a) => a.playState === "running" && a.effect
    && a.effect.getComputedTiming().endTime !== Infinity);
  if (moving) return false;
  return !(watch.lastSend > watch.lastReceive && now - watch.lastSend < unanswered);
}"""
OPENED_QUIET_MS = 400  # a new tab's first run can be followed by another: its components' reports are messages, seen
_calls = itertools.count()


def wait_for_app(page, timeout_ms: int = RUN_TIMEOUT_MS, quiet_ms: int = QUIET_MS) -> None:
    """Wait until the page has settled: Streamlit's run is over, the server has answered what the page
    sent, and nothing on the page has changed for ``quiet_ms`` since the wait began (charts and KaTeX
    are laid out). After opening a page, ``OPENED_QUIET_MS``.

    Streamlit marks the root ``[data-testid="stApp"]`` with ``data-test-script-state``
    ("initial", "running", "rerunRequested", "notRunning", …) and ``data-test-connection-state``;
    the ``stStatusWidget`` ("Running…"/"Stop") only appears after 500 ms of running. A message the
    page sent and the server has not answered (a click's rerun) keeps the wait going.
    """
    arg = [APP_IDLE, quiet_ms, UNANSWERED_MS, next(_calls)]
    page.wait_for_function(SETTLED, arg=arg, timeout=timeout_ms, polling=50)


def wait_for_opened(page) -> None:
    """``wait_for_app`` after opening a page: the first page that needs TensorFlow builds the model,
    and a new tab's first run can be followed by another."""
    wait_for_app(page, MODEL_TIMEOUT_MS, OPENED_QUIET_MS)


def press_page_down(page) -> None:
    """The clicker's PageDown, and the screen it leads to: the link changes and the run settles."""
    before = page.url
    page.keyboard.press("PageDown")
    page.wait_for_function("u => location.href !== u", arg=before, timeout=RUN_TIMEOUT_MS)
    wait_for_app(page)


def wait_for_images(page) -> None:
    """Until every image has loaded or failed (an ``onerror`` handler has had its chance to fire)."""
    page.wait_for_function("() => [...document.images].every((img) => img.complete)", timeout=RUN_TIMEOUT_MS)
    wait_for_app(page)


def assert_no_exception(page) -> None:
    boxes = page.locator(EXCEPTION)
    count = boxes.count()
    assert count == 0, f"{count} Streamlit exception box(es) on {page.url}:\n" + "\n---\n".join(boxes.all_inner_texts())


PROJECTOR = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}
SENTENCE = "the+big+red+car+sees+a+small+dog"
MIN_TEXT_PX = 18


# Every element that scrolls vertically, and by how much (0 = fits).
SCROLLING = """() => {
  const out = [];
  for (const el of [document.scrollingElement, ...document.querySelectorAll('*')]) {
    if (!el) continue;
    const style = el === document.scrollingElement ? null : getComputedStyle(el);
    const scrollable = !style || ['auto', 'scroll'].includes(style.overflowY);
    if (scrollable && el.scrollHeight > el.clientHeight + 1 && el.clientHeight > 0) {
      out.push([el.getAttribute('data-testid') || el.tagName, el.scrollHeight - el.clientHeight]);
    }
  }
  return out;
}"""


# Every displayed equation wider than its box.
OVERFLOWING_EQUATIONS = """() => [...document.querySelectorAll('[data-testid="stMain"] .katex-display')]
  .filter(el => el.getBoundingClientRect().width > 0 && el.scrollWidth > el.clientWidth + 1)
  .map(el => [el.innerText.slice(0, 60), el.scrollWidth, el.clientWidth])"""


# Visible text in the main area set in a font smaller than the limit.
SMALL_TEXT = r"""(limit) => {
  const main = document.querySelector('[data-testid="stMain"]');
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const small = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.replace(/[\s\u200b]/g, '')) continue;  // KaTeX struts are zero-width spaces
    const el = node.parentElement;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.bottom < 0 || box.top > window.innerHeight) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.opacity === '0') continue;
    if (el.closest('.katex-mathml')) continue;  // MathML for screen readers, never painted
    const px = parseFloat(style.fontSize);
    if (px < limit) small.push([node.textContent.trim().slice(0, 30), px]);
  }
  return small;
}"""


HEADING = '[data-testid="stMain"] h3'


def heading_text(page) -> str:
    """The equation on screen: a step the reading view holds has all seven, one of them shown."""
    return page.locator(HEADING).filter(visible=True).first.inner_text()


def wait_for_equation(page, number: int) -> None:
    page.wait_for_function(
        "([sel, prefix]) => [...document.querySelectorAll(sel)].some("
        "(h) => h.checkVisibility() && h.innerText.startsWith(prefix))",
        arg=[HEADING, f"{number}. "],
        timeout=RUN_TIMEOUT_MS,
    )
    wait_for_app(page)


def open_at(page, viewport: dict, path: str) -> None:
    page.set_viewport_size(viewport)
    page.goto(page.base_url + path, wait_until="domcontentloaded")
    page.locator(HEADING).filter(visible=True).first.wait_for(state="visible", timeout=MODEL_TIMEOUT_MS)
    wait_for_opened(page)
    page.wait_for_function(KEYS_READY, timeout=RUN_TIMEOUT_MS)


LAPTOP = {"width": 1400, "height": 900}
LONGEST = (  # four clauses of the toy grammar at their longest: 59 tokens, the model's maximum
    "the big red car sees the small black dog behind the old green house and a young white girl likes the "
    "pretty blue cat with the good fast horse and the old happy boy follows a big green rabbit under the "
    "small red table and the small blue city watches the good black park in the young white forest"
)


SHORT = "the big red car sees a small dog"


# Page-level sideways scrolling: something wider than a phone that is not in a box of its own.
PAGE_WIDER = (
    """() => { const m = document.querySelector('[data-testid="stMain"]'); return m.scrollWidth - m.clientWidth; }"""
)


def open_screen(page, viewport: dict, path: str, charts: bool = True) -> None:
    """Open ``path`` at ``viewport`` and wait for the run to end (and, with ``charts``, a chart drawn)."""
    page.set_viewport_size(viewport)
    page.goto(page.base_url + path, wait_until="domcontentloaded")
    page.locator('[data-testid="stMain"]').first.wait_for(state="visible", timeout=MODEL_TIMEOUT_MS)
    if charts:
        # the first chart on screen (a step the reading view holds has every equation's, one shown)
        charts_shown = page.locator('[data-testid="stVegaLiteChart"] svg').filter(visible=True)
        charts_shown.first.wait_for(state="visible", timeout=MODEL_TIMEOUT_MS)
    wait_for_opened(page)  # after the chart: its quiet covers the chart's layout and any second run


# Boxes of a chart's texts, by role: the axis labels, the title lines, the cell texts that are drawn.
MEASURE = """(svg) => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {text: el.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const visible = (el) => el.getAttribute('opacity') !== '0' && el.style.opacity !== '0';
  const axes = [...svg.querySelectorAll('g.role-axis')].map(axis =>
    [...axis.querySelectorAll('g.role-axis-label text')].map(box));
  return {
    svg: box(svg),
    axes,
    title: [...svg.querySelectorAll('g.role-title-text text, g.role-title text')].map(box),
    cells: [...svg.querySelectorAll('g.role-mark text')].filter(visible).map(box),
  };
}"""


def overlaps(a: dict, b: dict, slack: float = 0.5) -> bool:
    return (
        a["left"] < b["right"] - slack
        and b["left"] < a["right"] - slack
        and (a["top"] < b["bottom"] - slack and b["top"] < a["bottom"] - slack)
    )


def assert_no_overlap(boxes: list[dict], what: str) -> None:
    for k, a in enumerate(boxes):
        for b in boxes[k + 1 :]:
            assert not overlaps(a, b), f"{what} overlap: {a['text']!r} and {b['text']!r}"


AXE = Path(__file__).resolve().parents[1] / "browser" / "node_modules" / "axe-core" / "axe.min.js"
MISSING_AXE = f"axe-core is missing at {AXE}: run `npm ci --prefix tests/browser` (.ci/run does it)."
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
TARGETS_SHOWN = 3  # nodes listed per violation in a failure message
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html, summary: n.failureSummary})),
  }));
}"""


# Charts and images without a text alternative: a chart's box (vega-embed's graphics-document)
# needs an aria-label, an image a non-empty alt.
UNNAMED = """() => [
  ...[...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
    .filter(box => box.checkVisibility() && !(box.getAttribute('aria-label') || '').trim())
    .map(box => 'chart: ' + box.outerHTML.slice(0, 160)),
  ...[...document.querySelectorAll('img')]
    .filter(img => img.checkVisibility() && !(img.getAttribute('alt') || '').trim())
    .map(img => 'image: ' + img.outerHTML.slice(0, 160)),
]"""


def describe(violations: list[dict]) -> str:
    """Each violation's id, impact and help, then its first few targets with their HTML."""
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} node(s)]")
        for node in v["nodes"][:TARGETS_SHOWN]:
            summary = " ".join((node["summary"] or "").split())[:300]
            lines.append(f"    {node['target']}\n      {node['html'][:200]}\n      {summary}")
    return "\n".join(lines)
