"""Toward the Transformer in a real Chromium: each of its six slides is one 1280×720 screen with a short
sentence and a 59-token one (no scrolling, no text under 18 px); on a 390×844 phone and a 1366×768 laptop
every stop is drawn and nothing runs off the page.

Screenshots land in ``tests/artifacts/`` (``toward_*.png``).
"""

from __future__ import annotations

import pytest

from tests.support.browser import (
    KEYS_READY,
    LONGEST,
    OVERFLOWING_EQUATIONS,
    PAGE_WIDER,
    PHONE,
    PROJECTOR,
    RUN_TIMEOUT_MS,
    SCROLLING,
    SHORT,
    SMALL_TEXT,
    assert_no_exception,
    open_screen,
    press_page_down,
    wait_for_app,
)

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
SENTENCES = {"short": (SHORT, 3), "longest": (LONGEST, 30)}  # (text, output word)
SLIDES = 6  # the comparison, the additive score, dot and scaled dot, the heads, encoder and decoder self-attention


def path_for(sentence: str, extra: str = "") -> str:
    text, step = SENTENCES[sentence]
    return f"/toward_the_transformer?step={step}&layer=2&head=1&text=" + text.replace(" ", "+") + extra


@pytest.mark.parametrize("sentence", SENTENCES)
def test_every_slide_fits_the_projector(app_page, artifacts, sentence):
    """The link opens the first slide; the clicker walks to the others."""
    page = app_page
    open_screen(page, PROJECTOR, path_for(sentence, "&present=1"))
    page.wait_for_function(KEYS_READY, timeout=RUN_TIMEOUT_MS)
    for slide in range(1, SLIDES + 1):
        if slide > 1:
            press_page_down(page)
            assert f"slide={slide}" in page.url, page.url
        page.screenshot(path=str(artifacts / f"toward_present_{sentence}_{slide}.png"))
        assert_no_exception(page)
        assert page.evaluate(SCROLLING) == [], f"slide {slide} scrolls"
        assert page.evaluate(SMALL_TEXT, 18) == [], f"slide {slide} has text under 18 px"
        assert page.evaluate(PAGE_WIDER) <= 0, f"slide {slide} runs off sideways"
        assert page.get_by_text(f"{slide}/{SLIDES}", exact=False).count() >= 1


@pytest.mark.parametrize("viewport", ["phone", "laptop"])
@pytest.mark.parametrize("sentence", SENTENCES)
def test_every_stop_is_drawn_and_nothing_runs_off(app_page, artifacts, viewport, sentence):
    page = app_page
    open_screen(page, {"phone": PHONE, "laptop": LAPTOP}[viewport], path_for(sentence))
    page.screenshot(path=str(artifacts / f"toward_{viewport}_{sentence}.png"), full_page=True)
    assert_no_exception(page)
    assert page.evaluate(PAGE_WIDER) <= 0, "the page scrolls sideways"
    assert page.evaluate(OVERFLOWING_EQUATIONS) == []
    assert page.locator('[data-testid="stMain"] h3').count() == 4  # the four stops
    charts = page.locator('[data-testid="stVegaLiteChart"]').count()
    images = page.locator('[data-testid="stImage"]').count()
    assert charts + images == 10  # the comparison, two per stop for the first three, q and K, both self-attentions
    # the whole page in one picture: Streamlit scrolls inside its own container, so a tall viewport
    page.set_viewport_size({**{"phone": PHONE, "laptop": LAPTOP}[viewport], "height": 5200})
    wait_for_app(page)  # the charts drawn again at the new width
    page.screenshot(path=str(artifacts / f"toward_{viewport}_{sentence}_whole.png"))


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_step_page_with_the_transformer_fits_a_slide(app_page, artifacts, sentence):
    """The step's seven equations, the link opening the first, the clicker walking to the others."""
    text, step = SENTENCES[sentence]
    page = app_page
    path = f"/step_through?model=transformer&present=1&eq=1&step={step}&text=" + text.replace(" ", "+")
    open_screen(page, PROJECTOR, path)
    page.wait_for_function(KEYS_READY, timeout=RUN_TIMEOUT_MS)
    for eq in range(1, 8):
        if eq > 1:
            press_page_down(page)
        assert (eq == 1 or f"eq={eq}" in page.url) and f"step={step}" in page.url, page.url  # eq=1 is the default
        page.screenshot(path=str(artifacts / f"transformer_step_present_{sentence}_eq{eq}.png"))
        assert_no_exception(page)
        assert page.evaluate(SCROLLING) == [], f"equation {eq}: the slide scrolls"
        assert page.evaluate(SMALL_TEXT, 18) == [], f"equation {eq}: text under 18 px"
        assert page.evaluate(PAGE_WIDER) <= 0, f"equation {eq}: runs off sideways"


@pytest.mark.parametrize("viewport", ["phone", "laptop"])
def test_the_step_page_with_the_transformer_reads_on_a_phone_and_a_laptop(app_page, artifacts, viewport):
    page = app_page
    open_screen(page, {"phone": PHONE, "laptop": LAPTOP}[viewport], "/step_through?model=transformer&eq=3&step=3")
    page.screenshot(path=str(artifacts / f"transformer_step_{viewport}.png"))
    assert_no_exception(page)
    assert page.evaluate(PAGE_WIDER) <= 0, "the page scrolls sideways"
    assert page.evaluate(OVERFLOWING_EQUATIONS) == []
