"""Everyone can read it: axe-core's WCAG 2.1 A and AA rules on every page, in Chromium.

Each page is checked in normal mode on a 1400×900 laptop and in presenter mode on a 1280×720
projector, in English and in Chinese: no violation of impact "serious" or "critical" may
remain. axe-core comes from the npm registry, pinned in ``tests/browser/package-lock.json``
(``npm ci --prefix tests/browser``; ``.ci/run`` does it), and is injected into the page with
Playwright's ``add_script_tag``. In presenter mode the share box (the QR code) is opened first,
as its contents exist only while it is open. Every chart and image must also have a text
alternative: axe accepts a Vega chart without a name. And the step page's Next is reached by Tab.
"""

from __future__ import annotations

import json

import pytest

from tests.support.browser import (
    AXE,
    BLOCKING,
    MISSING_AXE,
    MODEL_TIMEOUT_MS,
    RUN_AXE,
    RUN_TIMEOUT_MS,
    UNNAMED,
    WCAG_AA,
    assert_no_exception,
    describe,
    heading_text,
    wait_for_app,
    wait_for_equation,
    wait_for_opened,
)
from ui.strings import en, zh

pytestmark = pytest.mark.browser


PAGES = [
    "/",
    "/lesson",
    "/why_attention",
    "/step_through",
    "/masking",
    "/alignment",
    "/score_functions",
    "/pitfalls",
    "/what_if",
    "/train",  # before a file is chosen; tests/browser/test_train_browser.py checks it with one and after a training
]
MODES = {"normal": ({"width": 1400, "height": 900}, ""), "present": ({"width": 1280, "height": 720}, "present=1")}
LANGS = {"en": "", "zh": "lang=zh"}
SHARE = {"en": en.STRINGS["present.share"], "zh": zh.STRINGS["present.share"]}
TABS_TO_NEXT = 60  # Tab presses allowed before the step page's Next must have had the focus

# Every chart on screen has drawn (Vega-Lite puts an svg or a canvas in its box) before axe looks. A
# step the reading view holds has every equation's chart, those not shown hidden (display: none):
# neither a person nor a screen reader meets them until their equation is shown.
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
  .filter(box => box.checkVisibility()).every(box => box.querySelector('svg, canvas'))"""


FOCUSED_KEY = """() => { const box = document.activeElement && document.activeElement.closest('[class*="st-key-"]');
  return box ? [...box.classList].find(c => c.startsWith('st-key-')) : null; }"""


def url(path: str, *params: str) -> str:
    query = "&".join(p for p in params if p)
    return path + ("?" + query if query else "")


# The app's own stylesheet (ui/page_frame.APP_CSS, its caption colour among others) is in the page.
APP_STYLED = "() => [...document.querySelectorAll('style')].some(s => s.textContent.includes('stCaptionContainer'))"


def open_screen(page, viewport: dict, path: str) -> None:
    """Open ``path`` at ``viewport``; wait for the run to end, the app's stylesheet and every chart to be
    drawn, and for the page to settle (axe reads the colours the person sees)."""
    page.set_viewport_size(viewport)
    page.goto(page.base_url + path, wait_until="domcontentloaded")
    page.locator('[data-testid="stMain"]').first.wait_for(state="visible", timeout=MODEL_TIMEOUT_MS)
    wait_for_opened(page)
    page.wait_for_function(f"() => ({CHARTS_DRAWN})() && ({APP_STYLED})()", timeout=RUN_TIMEOUT_MS)
    wait_for_app(page)  # a second run's drawing, had one begun meanwhile, is over


def open_share_box(page, label: str) -> None:
    """Open the presenter bar's share box and wait for its QR code."""
    page.get_by_role("button", name=label).click()
    page.locator('[data-testid="stPopoverBody"] img').first.wait_for(state="visible", timeout=RUN_TIMEOUT_MS)
    wait_for_app(page)  # and its opening transition over: axe reads the colours shown


def test_axe_core_is_installed():
    """Fails, never skips: without axe-core nothing below can run."""
    assert AXE.is_file(), MISSING_AXE


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_wcag_violations(app_page, artifacts, path, mode, lang):
    assert AXE.is_file(), MISSING_AXE
    page = app_page
    viewport, present = MODES[mode]
    open_screen(page, viewport, url(path, present, LANGS[lang]))
    assert_no_exception(page)
    if present:
        open_share_box(page, SHARE[lang])
    assert page.evaluate(UNNAMED) == [], "a chart or an image has no text alternative"
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN_AXE, WCAG_AA)
    name = f"axe_{path.strip('/') or 'home'}_{mode}_{lang}.json"
    (artifacts / name).write_text(json.dumps(violations, ensure_ascii=False, indent=1), encoding="utf-8")
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    message = f"{page.url}: {len(blocking)} serious or critical WCAG 2.1 AA violation(s)\n" + describe(blocking)
    assert not blocking, message


def test_tab_reaches_next_on_the_step_page(app_page):
    """Every control is a focusable element: Tab from the top of the step page reaches Next."""
    page = app_page
    open_screen(page, MODES["normal"][0], "/step_through")
    focused = []
    for _ in range(TABS_TO_NEXT):
        page.keyboard.press("Tab")
        focused.append(page.evaluate(FOCUSED_KEY))
        if focused[-1] == "st-key-step_next":
            break
    assert "st-key-step_next" in focused, f"Tab never reached Next; focus went through: {focused}"
    assert heading_text(page).startswith("1. "), heading_text(page)
    page.keyboard.press("Enter")  # the focused Next works from the keyboard too
    wait_for_equation(page, 2)
