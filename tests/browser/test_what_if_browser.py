"""Interventions in a real Chromium: each fits one 1280×720 slide with a short sentence and a
59-token one, reads on a 390×844 phone without anything cut, and works by click on a laptop.

Screenshots land in ``tests/artifacts/`` (``whatif_*.png``).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.support.browser import (
    LAPTOP,
    LONGEST,
    MODEL_TIMEOUT_MS,
    OVERFLOWING_EQUATIONS,
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


SLIDES = {
    "override": "/what_if?whatif=override&override={step}:{word}",
    "pick": "/what_if?whatif=pick&pick={step}:chien&step={step}",
    "swap": "/what_if?whatif=swap&swap={word}:cat",
    "beam": "/what_if?whatif=beam&beam=8",
    "step_override": "/step_through?override={step}:{word}&step={step}&eq=5",
    "step_pick": "/step_through?pick={step}:chien&step={step}&eq=7",
    "step_baseline": "/step_through?baseline=1&step={step}&eq=7",
}
SENTENCES = {"short": (SHORT, 2, 8), "longest": (LONGEST, 30, 9)}  # (text, decoder step, source word, 1-based)


def path_for(slide: str, sentence: str, extra: str = "") -> str:
    text, step, word = SENTENCES[sentence]
    return SLIDES[slide].format(step=step, word=word) + "&text=" + text.replace(" ", "+") + extra


@pytest.mark.parametrize("sentence", SENTENCES)
@pytest.mark.parametrize("slide", SLIDES)
def test_each_intervention_is_one_slide(app_page, artifacts, slide, sentence):
    page = app_page
    open_screen(page, PROJECTOR, path_for(slide, sentence, "&present=1"))
    page.screenshot(path=str(artifacts / f"whatif_present_{slide}_{sentence}.png"))
    assert_no_exception(page)
    assert page.evaluate(SCROLLING) == [], "the slide scrolls"
    assert page.evaluate(SMALL_TEXT, 18) == []
    assert page.evaluate(OVERFLOWING_EQUATIONS) == []
    assert page.evaluate(PAGE_WIDER) <= 0


@pytest.mark.parametrize("sentence", SENTENCES)
@pytest.mark.parametrize("slide", ["override", "pick", "swap", "beam", "step_override"])
def test_each_intervention_reads_on_a_phone(app_page, artifacts, slide, sentence):
    page = app_page
    open_screen(page, PHONE, path_for(slide, sentence))
    page.screenshot(path=str(artifacts / f"whatif_phone_{slide}_{sentence}.png"))
    assert_no_exception(page)
    assert page.evaluate(PAGE_WIDER) <= 0, "the page scrolls sideways"
    assert page.evaluate(OVERFLOWING_EQUATIONS) == []


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_click_a_candidate_then_undo_on_a_laptop(app_page, artifacts):
    page = app_page
    open_screen(page, LAPTOP, "/step_through?eq=7")
    main = page.locator('[data-testid="stMain"]')
    page.locator(".st-key-cand_1_1 button").first.click()
    page.wait_for_function("() => location.search.includes('pick=')", timeout=MODEL_TIMEOUT_MS)
    wait_for_app(page)
    picked = query(page)["pick"][0]
    assert picked.startswith("1:") and picked != "1:la"
    assert "picked" in main.inner_text()
    page.screenshot(path=str(artifacts / "whatif_laptop_picked.png"))
    page.locator(".st-key-cand_undo button").first.click()
    page.wait_for_function("() => !location.search.includes('pick=')", timeout=MODEL_TIMEOUT_MS)
    wait_for_app(page)
    assert "picked" not in main.inner_text()


def test_click_a_word_to_override_alpha_on_a_laptop(app_page, artifacts):
    page = app_page
    open_screen(page, LAPTOP, "/what_if?step=2", charts=False)
    page.locator(".st-key-ov_word_7 button").first.click()  # the words are offered before any override
    page.wait_for_function("() => location.search.includes('override=2%3A8')", timeout=MODEL_TIMEOUT_MS)
    wait_for_app(page)
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "with α′ it writes “chien”" in text and "‖c′_2 − c_2‖" in text
    page.screenshot(path=str(artifacts / "whatif_laptop_override.png"))
    # The same screen from its link, in a new tab.
    again = page.context.new_page()
    again.base_url = page.base_url
    try:
        open_screen(again, LAPTOP, "/what_if?" + urlparse(page.url).query)
        assert "with α′ it writes “chien”" in again.locator('[data-testid="stMain"]').inner_text()
    finally:
        again.close()


def test_beam_width_and_a_swap_by_hand_on_a_laptop(app_page, artifacts):
    page = app_page
    open_screen(page, LAPTOP, "/what_if?whatif=beam", charts=False)
    box = page.locator('[data-testid="stMain"] [data-testid="stNumberInput"] input').first
    box.fill("4")
    box.press("Enter")
    page.wait_for_function("() => location.search.includes('beam=4')", timeout=MODEL_TIMEOUT_MS)
    wait_for_app(page)
    page.locator(".st-key-beam_tree svg").first.wait_for(state="visible", timeout=MODEL_TIMEOUT_MS)
    assert "Beam (width 4)" in page.locator('[data-testid="stMain"]').inner_text()
    page.screenshot(path=str(artifacts / "whatif_laptop_beam.png"))
    open_screen(page, LAPTOP, "/what_if?whatif=swap")
    menu = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').nth(1)  # "Replace with"
    menu.click()
    page.get_by_role("option", name="an").click()
    page.wait_for_function("() => location.search.includes('swap=1%3Aan')", timeout=MODEL_TIMEOUT_MS)
    wait_for_app(page)
    assert "Swapped source:" in page.locator('[data-testid="stMain"]').inner_text()
    assert_no_exception(page)
