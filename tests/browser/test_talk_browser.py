"""A talk is one deck, driven by a clicker at 1280×720: PageDown walks why attention's slides, every
screen of the step page (6 decoder steps × 7 equations of a short sentence) and on into
masking; PageUp on masking's one screen returns to the step page's last screen. At each page
boundary the URL names the page and exactly the screen's parameters; no slide scrolls and no
text is under 18 px with the talk's bar on it.

Screenshots land in ``tests/artifacts/`` (``talk_*.png``).
"""

from __future__ import annotations

import pytest

from tests.support.browser import (
    KEYS_READY,
    MIN_TEXT_PX,
    MODEL_TIMEOUT_MS,
    PROJECTOR,
    RUN_TIMEOUT_MS,
    SCROLLING,
    SMALL_TEXT,
    assert_no_exception,
    wait_for_app,
    wait_for_opened,
)

pytestmark = pytest.mark.browser

TEXT = "the cat sees a dog"
N_STEPS, N_EQ = 6, 7  # le chat voit un chien <end>
WHY_SLIDES = 4  # why attention as a deck: the curve, both models, the α map, the cost
BASE = {"present": "1", "text": TEXT}
# Where the URL is: its path, and its parameters exactly (a repeated key would show as its last value).
URL_IS = """([path, want]) => {
  if (location.pathname !== path) return false;
  const got = Object.fromEntries(new URLSearchParams(location.search));
  const a = Object.keys(got).sort(), b = Object.keys(want).sort();
  return a.length === b.length && a.every((k, i) => k === b[i] && got[k] === want[k]);
}"""
BAR = '[data-testid="stMain"] [data-testid="stHorizontalBlock"]'  # the presenter bar is the first row


def step_params(step: int, eq: int) -> dict[str, str]:
    """The step page's link at ``step``, ``eq``: defaults (step 1, equation 1) left out."""
    params = dict(BASE)
    if step != 1:
        params["step"] = str(step)
    if eq != 1:
        params["eq"] = str(eq)
    return params


def wait_for_url(page, path: str, params: dict[str, str], timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    try:
        page.wait_for_function(URL_IS, arg=[path, params], timeout=timeout_ms)
    except Exception as exc:  # say where the URL is instead
        raise AssertionError(f"expected {path} {params}, the URL is {page.url}") from exc
    wait_for_app(page, timeout_ms)


def wait_for_position(page, text: str, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    """The bar says where the talk is ("3 / 5")."""
    page.locator(BAR).first.get_by_text(text, exact=True).wait_for(state="visible", timeout=timeout_ms)


MAIN = """document.querySelector('[data-testid="stMain"]')"""
assert MAIN in SMALL_TEXT
# The same check on the bar alone: what this feature adds to every slide of the talk.
BAR_ROOT = """document.querySelector('[data-testid="stMain"] [data-testid="stHorizontalBlock"]')"""
BAR_SMALL_TEXT = SMALL_TEXT.replace(MAIN, BAR_ROOT)
ONE_SLIDE = ("why", "step", "masking", "back")  # the slides held to one screen each


def slide_problems(page, name: str) -> list[str]:
    """What the talk's bar does wrong on the slide shown: a slide of one screen that scrolls, text under
    the limit in the bar, a bar of two rows. Small text elsewhere on the slide is printed, not judged
    here (test_presenter holds the slides themselves to it)."""
    problems = []
    if name.startswith(ONE_SLIDE) and (scrolls := page.evaluate(SCROLLING)):
        problems.append(f"{name}: scrolls {scrolls}")
    if small := page.evaluate(BAR_SMALL_TEXT, MIN_TEXT_PX):
        problems.append(f"{name}: text under {MIN_TEXT_PX} px in the bar {small[:6]}")
    bar = page.locator(BAR).first.bounding_box()
    if not bar or bar["height"] > 80:  # one row of buttons is ~58 px
        problems.append(f"{name}: the bar is {bar and bar['height']} px high")
    if elsewhere := page.evaluate(SMALL_TEXT, MIN_TEXT_PX):
        print(f"{name}: text under {MIN_TEXT_PX} px outside the bar: {elsewhere[:6]}")
    return problems


def open_in_talk(page, path: str, where: str) -> None:
    """Open ``path`` of the default talk in presenter mode with the sentence; wait until the bar says
    ``where`` and the keys are live."""
    page.set_viewport_size(PROJECTOR)
    page.goto(page.base_url + f"{path}?present=1&text=the+cat+sees+a+dog", wait_until="domcontentloaded")
    wait_for_position(page, where, MODEL_TIMEOUT_MS)
    wait_for_opened(page)
    page.wait_for_function(KEYS_READY, timeout=RUN_TIMEOUT_MS)


def test_pagedown_walks_the_talk_across_pages_and_pageup_comes_back(app_page, artifacts):
    page = app_page
    open_in_talk(page, "/why_attention", "1 / 5")
    wait_for_url(page, "/why_attention", BASE)
    page.screenshot(path=str(artifacts / "talk_1_why_attention.png"))
    problems = slide_problems(page, "why_attention")
    presses, boundaries = 0, [page.url]

    for slide in range(2, WHY_SLIDES + 1):  # the why page's own slides first
        page.keyboard.press("PageDown")
        presses += 1
        wait_for_url(page, "/why_attention", {**BASE, "slide": str(slide)})
        problems += slide_problems(page, f"why_attention slide {slide}")
    page.keyboard.press("PageDown")  # its last slide: on to the next page
    presses += 1
    wait_for_url(page, "/step_through", step_params(1, 1), MODEL_TIMEOUT_MS)
    wait_for_position(page, "2 / 5")
    boundaries.append(page.url)
    page.screenshot(path=str(artifacts / "talk_2_step_first.png"))
    for step in range(1, N_STEPS + 1):
        for eq in range(1, N_EQ + 1):
            if (step, eq) != (1, 1):
                page.keyboard.press("PageDown")
                presses += 1
                wait_for_url(page, "/step_through", step_params(step, eq))
            problems += slide_problems(page, f"step {step} eq {eq}")
    assert_no_exception(page)
    boundaries.append(page.url)
    page.screenshot(path=str(artifacts / "talk_3_step_last.png"))

    page.keyboard.press("PageDown")  # the step page's last screen: Next is disabled, the talk goes on
    presses += 1
    # Masking's link has its own parameters only (its batch, not the sentence), at its step 1.
    wait_for_url(page, "/masking", {"present": "1"}, MODEL_TIMEOUT_MS)
    wait_for_position(page, "3 / 5")
    page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"]').first.wait_for(state="visible")
    wait_for_app(page)
    boundaries.append(page.url)
    page.screenshot(path=str(artifacts / "talk_4_masking.png"))
    problems += slide_problems(page, "masking")
    assert presses == WHY_SLIDES + N_STEPS * N_EQ, presses  # 46: one per screen, no press lost or doubled

    page.keyboard.press("PageUp")  # masking's first screen: back to the step page's last
    # The sentence came through masking: the step page's last screen is this sentence's step 6.
    wait_for_url(page, "/step_through", step_params(N_STEPS, N_EQ), MODEL_TIMEOUT_MS)
    wait_for_position(page, "2 / 5")
    heading = page.locator('[data-testid="stMain"] h3').first
    assert heading.inner_text().startswith(f"{N_EQ}. "), heading.inner_text()
    assert "i = 6 →" in page.locator('[data-testid="stMain"]').inner_text()
    assert page.locator('[data-testid="stAlertContentWarning"]').count() == 0, "a notice on the slide"
    boundaries.append(page.url)
    page.screenshot(path=str(artifacts / "talk_5_back_on_step.png"))
    problems += slide_problems(page, "back on the step page")
    assert_no_exception(page)
    print("\n".join(["presses:", str(presses), *boundaries]))
    assert problems == [], problems


def test_pageup_on_the_step_page_opens_why_attention_at_its_last_slide(app_page):
    page = app_page
    open_in_talk(page, "/step_through", "2 / 5")
    page.keyboard.press("PageUp")  # the step page's first screen: back to the previous page's last slide
    wait_for_url(page, "/why_attention", {**BASE, "slide": str(WHY_SLIDES)}, MODEL_TIMEOUT_MS)
    wait_for_position(page, "1 / 5")
    wait_for_app(page)
    assert page.get_by_role("button", name="▶", exact=True).is_disabled(), "the last slide: ▶ cannot move"
    assert page.get_by_text(f"slide {WHY_SLIDES}/{WHY_SLIDES}", exact=True).is_visible()
    assert_no_exception(page)
