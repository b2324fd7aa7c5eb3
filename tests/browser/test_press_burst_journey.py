"""Presses faster than the page, in Chromium: every press of Next and Back counts once, in order.

Thirty presses 0.1 s apart land exactly thirty screens on, in the reading view (the step held in
the page, and its first screen of one equation), in presenter mode turned on from the sidebar,
and going Back; at 0.3 s and 0.6 s apart, and pressed one at a time, too. After the burst the
heading, the decoder step's slider (or a slide's "i = … · equation … of 7") and the link agree,
and the next press goes one screen on. Equations 1–4 write out the first source word, not the
one α peaks on.

The presses are made at a fixed spacing (the person's rhythm); the test then waits until no
press waits on the page (the keyboard's queue empty, ``html[data-held-pending]`` gone) and the run
is over.
Screenshots: ``tests/artifacts/burst_*.png``.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.support.browser import KEYS_READY, MODEL_TIMEOUT_MS, NO_PRESS_WAITING, PHONE, PROJECTOR, RUN_TIMEOUT_MS

pytestmark = pytest.mark.browser

TRACE_FILE = Path(__file__).resolve().parents[1] / "artifacts" / "burst_trace.txt"  # written when a burst misses
LAPTOP = {"width": 1366, "height": 768}
SENTENCE = "the+big+red+car+sees+a+small+dog"  # 8 words and <end>: 9 steps of 7 equations
EQUATIONS = 7
IDLE = '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'
HEADING = '[data-testid="stMain"] h3'
WORD = {1: "la", 2: "grande", 3: "voiture", 4: "rouge", 5: "voit", 6: "un"}  # the translation's words


# What a missed burst leaves to read (tests/artifacts/burst_trace.txt): each key with the element it
# reached, each click of a keyed button, each run's state, the held step's equation and its pending
# presses, each link the page wrote.
PRESS_TRACE = """(() => {
  const log = window.__pressTrace = [];
  const t0 = performance.now();
  const keyOf = (el) => { const box = el && el.closest && el.closest('[class*="st-key-"]');
    return box ? [...box.classList].find((c) => c.startsWith('st-key-')) : (el && el.tagName); };
  const rec = (...a) => { log.push([Math.round(performance.now() - t0), ...a].join(' ')); };
  document.addEventListener('keydown', (e) => rec('key', e.key, keyOf(e.target)), true);
  document.addEventListener('click', (e) => rec('click', keyOf(e.target), e.isTrusted ? 'person' : 'script'), true);
  new MutationObserver((ms) => { for (const m of ms) rec(m.attributeName, m.target.getAttribute(m.attributeName)); })
    .observe(document, { subtree: true, attributes: true,
      attributeFilter: ['data-test-script-state', 'data-held-pending', 'data-held-eq'] });
  for (const name of ['pushState', 'replaceState']) {
    const native = history[name].bind(history);
    history[name] = (s, t, u) => { rec(name, String(u)); return native(s, t, u); };
  }
})()"""


def wait_until_settled(page) -> None:
    """No press waits for its turn or for the server, no run is in flight, the status widget is gone."""
    page.wait_for_function(NO_PRESS_WAITING, timeout=RUN_TIMEOUT_MS * 2)
    page.locator(IDLE).wait_for(state="attached", timeout=RUN_TIMEOUT_MS)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=RUN_TIMEOUT_MS)
    page.wait_for_function(NO_PRESS_WAITING, timeout=RUN_TIMEOUT_MS)


def open_step(page, viewport: dict, query: str) -> None:
    """The step page, drawn, its keys live and its keeper (which counts the presses) on the page."""
    page.set_viewport_size(viewport)
    page.add_init_script(PRESS_TRACE)
    page.goto(f"{page.base_url}/step_through?text={SENTENCE}{query}", wait_until="domcontentloaded")
    page.locator(HEADING).filter(visible=True).first.wait_for(state="visible", timeout=MODEL_TIMEOUT_MS)
    page.locator(IDLE).wait_for(state="attached", timeout=MODEL_TIMEOUT_MS)
    page.wait_for_function(KEYS_READY, timeout=RUN_TIMEOUT_MS)
    page.locator(".st-key-held_step").wait_for(state="attached", timeout=RUN_TIMEOUT_MS)


def press(page, times: int, spacing_s: float, how: str) -> None:
    """``times`` presses ``spacing_s`` apart (from the first): a key, or a click of the button."""
    start = time.monotonic()
    for k in range(times):
        time.sleep(max(0.0, start + k * spacing_s - time.monotonic()))  # the person's rhythm, not a wait
        if how in ("PageDown", "PageUp", "ArrowRight"):
            page.keyboard.press(how)
        else:
            page.get_by_role("button", name=how).first.click()


def position(screen: int) -> tuple[int, int]:
    """The decoder step and equation of the 0-based screen (step 1 equation 1 is screen 0)."""
    return screen // EQUATIONS + 1, screen % EQUATIONS + 1


def shown(page) -> dict:
    """What the page shows: the visible equation heading's number, the step its slider or slide
    label names, and the link's step and eq (a default left out of the link is 1)."""
    heading = page.locator(HEADING).filter(visible=True).first.inner_text()
    slider = page.locator('[data-testid="stSlider"]')
    if slider.count():
        where = slider.first.inner_text()
    else:  # a slide: "i = 5 → voit · equation 3 of 7"
        where = page.locator('[data-testid="stMain"]').get_by_text(re.compile(r"equation \d of 7")).first.inner_text()
    query = dict(re.findall(r"[?&](step|eq)=(\d+)", page.url))
    return {
        "eq": int(heading.split(".")[0]),
        "slider": int(re.search(r"i = (\d+) →", where).group(1)),
        "link": (int(query.get("step", 1)), int(query.get("eq", 1))),
        "where": where,
    }


def assert_at(page, screen: int) -> None:
    step, eq = position(screen)
    seen = shown(page)
    if not (seen["eq"] == eq and seen["slider"] == step and seen["link"] == (step, eq)):
        trace = TRACE_FILE
        trace.write_text("\n".join(page.evaluate("() => window.__pressTrace || []")), encoding="utf-8")
        raise AssertionError(f"expected step {step}, equation {eq}; shown {seen} at {page.url}; the presses: {trace}")
    assert WORD.get(step, "") in seen["where"], seen["where"]
    assert not page.locator('[data-testid="stException"]').count()


@pytest.mark.parametrize(
    ("how", "spacing_s"),
    [
        ("PageDown", 0.1),
        ("Next ▶", 0.1),
        ("PageDown", 0.3),
        ("ArrowRight", 0.6),
    ],
)
def test_thirty_quick_presses_of_next_land_thirty_screens_on(app_page, artifacts, how, spacing_s):
    page = app_page
    open_step(page, LAPTOP, "")
    press(page, 30, spacing_s, how)
    wait_until_settled(page)
    assert_at(page, 30)
    # Equation 3 writes out the first source word, not the word α peaks on at step 5.
    word_box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Source word j").filter(visible=True)
    assert word_box.first.locator("input").input_value() == "j = 1: the"
    page.screenshot(path=str(artifacts / f"burst_next_{how.split()[0]}_{spacing_s}.png"))
    press(page, 1, 0, "PageDown")  # the next press goes on from the screen shown
    wait_until_settled(page)
    assert_at(page, 31)


def test_presenter_mode_from_the_sidebar_counts_every_press(app_page, artifacts):
    page = app_page
    open_step(page, PROJECTOR, "")
    page.locator('[data-testid="stSidebar"]').get_by_text("Presenter mode", exact=True).click()
    page.wait_for_function("() => location.search.includes('present=1')", timeout=RUN_TIMEOUT_MS)
    page.get_by_text(re.compile(r"equation 1 of 7")).first.wait_for(state="visible", timeout=RUN_TIMEOUT_MS)
    wait_until_settled(page)
    press(page, 30, 0.1, "PageDown")
    wait_until_settled(page)
    assert_at(page, 30)
    assert "present=1" in page.url
    page.screenshot(path=str(artifacts / "burst_presenter.png"))
    press(page, 1, 0, "Next ▶")
    wait_until_settled(page)
    assert_at(page, 31)


def test_thirty_quick_presses_of_back_on_a_phone_land_thirty_screens_back(app_page, artifacts):
    page = app_page
    start = 5 * EQUATIONS + 2  # step 6, equation 3: a first screen of one equation
    open_step(page, PHONE, "&step=6&eq=3")
    assert_at(page, start)
    press(page, 30, 0.1, "◀ Previous")
    wait_until_settled(page)
    assert_at(page, start - 30)
    page.screenshot(path=str(artifacts / "burst_back_phone.png"))


def test_presses_one_at_a_time_count_exactly_across_steps(app_page):
    page = app_page
    open_step(page, LAPTOP, "&eq=3")
    screen = 2
    for how in ("PageDown", "Next ▶") * 5 + ("PageUp", "◀ Previous") * 2:
        press(page, 1, 0, how)
        screen += 1 if how in ("PageDown", "Next ▶") else -1
        step, eq = position(screen)
        page.wait_for_function(
            "([step, eq]) => (new URLSearchParams(location.search).get('step') || '1') === String(step)"
            " && (new URLSearchParams(location.search).get('eq') || '1') === String(eq)",
            arg=[step, eq],
            timeout=RUN_TIMEOUT_MS,
        )
        wait_until_settled(page)
        assert_at(page, screen)


# The keeper's script held back, as a loaded machine holds it: until ``__holdKeeperBack`` is false, the
# step page's component finds a stand-in installed and does nothing (ui/presenter/held_step.js).
HOLD_KEEPER_BACK = """(() => {
  let installed;
  window.__holdKeeperBack = true;
  Object.defineProperty(window, "__attentionExplorerHeldStep", {
    configurable: true,
    get() { return window.__holdKeeperBack ? { teller() {}, update() {} } : installed; },
    set(value) { installed = value; },
  });
})()"""


def test_presses_before_the_keeper_counts_them_wait_for_it(app_page):
    """A fresh tab draws the step page's keeper a moment before the keeper's script runs (under load,
    long enough for a clicker's first presses): keys and clicks of Next made meanwhile wait, then count
    once each. Let through uncounted, the first reached the server beside the next: a screen off."""
    page = app_page
    page.add_init_script(HOLD_KEEPER_BACK)
    open_step(page, LAPTOP, "")
    press(page, 3, 0.1, "PageDown")
    press(page, 2, 0.1, "Next ▶")
    assert page.evaluate("() => window.__attentionExplorerPresses()") == 5  # all five wait, none was sent
    assert_at(page, 0)
    page.evaluate("() => { window.__holdKeeperBack = false; }")  # its next run installs the keeper's script
    wait_until_settled(page)
    assert_at(page, 5)
    press(page, 1, 0, "PageDown")  # and the next press goes on from there
    wait_until_settled(page)
    assert_at(page, 6)
