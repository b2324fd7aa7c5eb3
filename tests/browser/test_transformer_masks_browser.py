"""The Transformer's causal mask on the masking page, What if's head override and the lesson's sixth stop in a
real Chromium: on a 390×844 phone and a 1366×768 laptop, with a short batch and one whose longest row has 59
tokens, each is drawn (its chart's SVG) and nothing runs off the page.

Screenshots land in ``tests/artifacts/`` (``transformer_masks_*.png``).
"""

from __future__ import annotations

from urllib.parse import quote_plus

import pytest

from tests.support.browser import (
    LONGEST,
    PAGE_WIDER,
    PHONE,
    PROJECTOR,
    SCROLLING,
    SHORT,
    SMALL_TEXT,
    assert_no_exception,
    open_screen,
    wait_for_app,
)

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
VIEWPORTS = {"phone": PHONE, "laptop": LAPTOP}
SENTENCES = {"short": SHORT, "longest": LONGEST}
CAUSAL_TITLE = "The Transformer's own mask: the causal one"


def chart_drawn(page, name: str) -> None:
    """The chart whose title begins ``name`` has its SVG drawn, scrolled into view."""
    chart = page.locator('[data-testid="stVegaLiteChart"] svg').filter(has_text=name).first
    chart.wait_for(state="visible")
    chart.scroll_into_view_if_needed()


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_causal_mask_section_is_drawn_and_fits(app_page, artifacts, viewport, sentence):
    page = app_page
    batch = quote_plus(f"the cat\n{SENTENCES[sentence]}")
    open_screen(page, VIEWPORTS[viewport], f"/masking?batch={batch}")
    heading = page.get_by_role("heading", name=CAUSAL_TITLE)
    heading.scroll_into_view_if_needed()
    chart_drawn(page, "Without the causal mask")
    assert page.get_by_text("without it (in bold, the words that differ)").count() == 1
    assert page.evaluate(PAGE_WIDER) <= 0, "the page scrolls sideways"
    page.screenshot(path=str(artifacts / f"transformer_masks_causal_{viewport}_{sentence}.png"))
    assert_no_exception(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("sentence", SENTENCES)
def test_what_if_overrides_one_head_and_fits(app_page, artifacts, viewport, sentence):
    page = app_page
    text = quote_plus(SENTENCES[sentence])
    open_screen(page, VIEWPORTS[viewport], f"/what_if?model=transformer&text={text}&layer=2&head=3&override=2:1")
    chart_drawn(page, "overridden α")
    assert page.get_by_text("Head 3's context is now V_1").count() == 1
    assert page.evaluate(PAGE_WIDER) <= 0, "the page scrolls sideways"
    page.screenshot(path=str(artifacts / f"transformer_masks_heads_{viewport}_{sentence}.png"))
    assert_no_exception(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_lesson_stop_reveals_the_reading_head(app_page, artifacts, viewport):
    page = app_page
    open_screen(page, VIEWPORTS[viewport], f"/lesson?lesson=transformer&text={quote_plus(SHORT)}", charts=False)
    page.locator('[data-testid="stRadio"] label').filter(has_text="no").first.click()
    wait_for_app(page)
    page.locator(".st-key-lesson_check button").click()
    wait_for_app(page)
    chart_drawn(page, "Without the causal mask")
    assert page.locator('[data-testid="stAlertContentSuccess"]').count() == 1  # it writes other words
    assert page.evaluate(PAGE_WIDER) <= 0, "the page scrolls sideways"
    page.screenshot(path=str(artifacts / f"transformer_masks_lesson_{viewport}.png"))
    assert_no_exception(page)


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_head_override_is_one_slide_on_the_projector(app_page, artifacts, sentence):
    page = app_page
    text = quote_plus(SENTENCES[sentence])
    path = f"/what_if?model=transformer&text={text}&layer=2&head=3&override=2:1&present=1"
    open_screen(page, PROJECTOR, path)
    chart_drawn(page, "overridden α")
    page.screenshot(path=str(artifacts / f"transformer_masks_heads_present_{sentence}.png"))
    assert page.evaluate(SCROLLING) == [], "the slide scrolls"
    assert page.evaluate(SMALL_TEXT, 18) == [], "the slide has text under 18 px"
    assert page.evaluate(PAGE_WIDER) <= 0, "the slide runs off sideways"
    assert_no_exception(page)


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_lesson_stops_question_is_one_slide_on_the_projector(app_page, artifacts, sentence):
    page = app_page
    path = f"/lesson?lesson=transformer&present=1&text={quote_plus(SENTENCES[sentence])}"
    open_screen(page, PROJECTOR, path, charts=False)
    page.locator('[data-testid="stRadio"]').first.wait_for(state="visible")
    page.screenshot(path=str(artifacts / f"transformer_masks_lesson_present_{sentence}.png"))
    assert page.evaluate(SCROLLING) == [], "the slide scrolls"
    assert page.evaluate(SMALL_TEXT, 18) == [], "the slide has text under 18 px"
    assert_no_exception(page)
