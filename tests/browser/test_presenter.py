"""The step-through page at the sizes of a talk: a 1280×720 projector in presenter mode and a
390×844 phone in the audience. What only a browser shows: the slide does not scroll, no
equation runs off its box, no text is too small to read from the back, the keys of a clicker
step, and Back returns to the screen the person saw.

Screenshots land in ``tests/artifacts/`` (``present_eq*.png``, ``phone_eq*.png``).
"""

from __future__ import annotations

import pytest

from tests.support.browser import (
    EQUATION_NAMES,
    HEADING,
    MIN_TEXT_PX,
    MODEL_TIMEOUT_MS,
    OVERFLOWING_EQUATIONS,
    PHONE,
    PROJECTOR,
    RUN_TIMEOUT_MS,
    SCROLLING,
    SENTENCE,
    SMALL_TEXT,
    assert_no_exception,
    heading_text,
    open_at,
    wait_for_app,
    wait_for_equation,
    wait_for_opened,
)

pytestmark = pytest.mark.browser


def test_presenter_slides_fit_a_projector(app_page, artifacts):
    """Walk all seven equations of a step with PageDown: each slide fits 1280×720 whole."""
    page = app_page
    open_at(page, PROJECTOR, f"/step_through?present=1&text={SENTENCE}&step=2")
    for number in range(1, 8):
        wait_for_equation(page, number)
        assert EQUATION_NAMES[number] in heading_text(page)
        assert_no_exception(page)
        page.screenshot(path=str(artifacts / f"present_eq{number}.png"))
        assert page.evaluate(SCROLLING) == [], f"equation {number}: the slide scrolls"
        assert page.evaluate(OVERFLOWING_EQUATIONS) == [], f"equation {number}: an equation runs off its box"
        small = page.evaluate(SMALL_TEXT, MIN_TEXT_PX)
        assert small == [], f"equation {number}: text under {MIN_TEXT_PX} px: {small[:8]}"
        chart = page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"]').first
        box = chart.bounding_box()
        assert box and box["y"] + box["height"] <= PROJECTOR["height"], f"equation {number}: chart below the fold"
        if number < 7:
            page.keyboard.press("PageDown")
    assert not page.locator('[data-testid="stSidebar"]').is_visible(), "the sidebar is in the way"
    assert "eq=7" in page.url and "step=2" in page.url, page.url


@pytest.mark.parametrize("key", ["PageDown", "Space", "ArrowRight"])
def test_clicker_keys_step_forward_and_back(app_page, key):
    page = app_page
    open_at(page, PROJECTOR, f"/step_through?present=1&text={SENTENCE}&eq=3")
    page.keyboard.press(key)
    wait_for_equation(page, 4)
    assert "eq=4" in page.url, page.url
    page.keyboard.press("PageUp" if key == "PageDown" else "ArrowLeft")
    wait_for_equation(page, 3)
    assert "eq=3" in page.url, page.url


def test_keys_step_in_normal_mode_but_not_while_typing(app_page):
    page = app_page
    open_at(page, {"width": 1400, "height": 1000}, f"/step_through?text={SENTENCE}&eq=2")
    page.keyboard.press("PageDown")
    wait_for_equation(page, 3)
    box = page.get_by_label("Sentence", exact=True)
    box.click()
    box.press("ArrowRight")
    box.press("Space")
    wait_for_app(page)  # a press the keys took would have sent a rerun at once
    assert heading_text(page).startswith("3. "), "a key typed into the sentence box stepped the page"


def test_walk_one_equation_across_every_output_word(app_page):
    page = app_page
    open_at(page, PROJECTOR, f"/step_through?present=1&text={SENTENCE}&eq=5")
    page.get_by_text("This equation only", exact=True).click()
    wait_for_app(page)
    assert page.get_by_role("switch", name="This equation only").is_checked()
    for step in range(2, 5):
        page.keyboard.press("ArrowRight")
        page.wait_for_function("s => location.search.includes('step=' + s)", arg=str(step), timeout=RUN_TIMEOUT_MS)
        wait_for_app(page)
        assert heading_text(page).startswith("5. "), heading_text(page)
        assert f"i = {step} →" in page.locator('[data-testid="stMain"]').inner_text()


def test_back_returns_to_the_screen_seen(app_page):
    """Back after Next shows the previous equation again, and the URL stays what Back made it."""
    page = app_page
    open_at(page, {"width": 1400, "height": 1000}, f"/step_through?text={SENTENCE}")
    page.get_by_role("button", name="Next ▶").click()
    wait_for_equation(page, 2)
    page.go_back()
    wait_for_equation(page, 1)
    assert "eq=" not in page.url, page.url
    page.go_forward()
    wait_for_equation(page, 2)
    assert "eq=2" in page.url, page.url


def test_new_sentence_keeps_the_screen_consistent(app_page):
    """After typing a new sentence the step the slider names is the step whose numbers are shown."""
    page = app_page
    open_at(page, {"width": 1400, "height": 1000}, "/step_through?text=the+cat+sees+a+dog&step=3&eq=5")
    box = page.get_by_label("Sentence", exact=True)
    box.fill("the big red car sees a small dog")
    box.press("Enter")
    page.wait_for_function("() => document.body.innerText.includes('voiture')", timeout=MODEL_TIMEOUT_MS)
    wait_for_app(page)
    slider = page.locator('[data-testid="stSlider"]').first.inner_text()
    assert "i = 3 →" in slider, slider
    shown = page.locator('[data-testid="stMain"] .katex-display').filter(visible=True)  # the equation on screen
    worked = shown.nth(1).locator("annotation").text_content()
    assert "\\alpha_{3," in worked, worked  # the numbers are step 3's, as the slider says
    assert "step=3" in page.url, page.url


def test_phone_equations_fit(app_page, artifacts):
    """The seven equations of a step on a phone, from the link's first one on with Next, as the audience walks them."""
    page = app_page
    open_at(page, PHONE, f"/step_through?text={SENTENCE}&step=2&eq=1")
    for number in range(1, 8):
        if number > 1:
            page.locator('[data-testid="stMain"] .st-key-step_next button').first.click()
            wait_for_equation(page, number)
        assert heading_text(page).startswith(f"{number}. ")
        assert "step=2" in page.url, page.url
        page.locator(HEADING).filter(visible=True).first.scroll_into_view_if_needed()  # the picture shows the equation
        page.screenshot(path=str(artifacts / f"phone_eq{number}.png"), full_page=False)
        assert page.evaluate(OVERFLOWING_EQUATIONS) == [], f"equation {number} runs off a 390 px phone"
        assert_no_exception(page)


def test_share_box_gives_the_audience_this_screen_without_presenter_mode(app_page, artifacts):
    """The QR code's link is the screen as shown, for a phone: this page and its values, nothing
    doubled, and no ``present=1`` (a phone gets the reading view, not the deck's controls). The
    server here is on loopback, so the box says phones cannot reach it and how to serve the room."""
    page = app_page
    open_at(page, PROJECTOR, "/step_through?present=1&text=the+cat+sees+a+dog&step=2&eq=5")
    page.get_by_role("button", name="Share").click()
    popover = page.locator('[data-testid="stPopoverBody"]')
    popover.locator("img").first.wait_for(state="visible", timeout=RUN_TIMEOUT_MS)
    link = popover.locator('[data-testid="stCode"] code').first.inner_text().strip()  # not the warning's code
    assert link == f"{page.base_url}/step_through?text=the+cat+sees+a+dog&step=2&eq=5", link
    warning = popover.locator('[data-testid="stAlertContentWarning"]')
    assert "127.0.0.1" in warning.inner_text() and "--server.address 0.0.0.0" in warning.inner_text()
    page.screenshot(path=str(artifacts / "present_share.png"))
    open_at(page, PHONE, link.removeprefix(page.base_url))  # the phone that opens it
    assert page.locator(".st-key-exit_present").count() == 0, "the deck's controls are not the audience's"
    assert heading_text(page).startswith("5. ")
    assert page.evaluate(OVERFLOWING_EQUATIONS) == [], "the worked equation fits the phone"
    page.screenshot(path=str(artifacts / "phone_shared_link.png"))
    assert_no_exception(page)


@pytest.mark.parametrize("path", ["/masking", "/score_functions", "/alignment"])
def test_other_pages_are_one_slide_in_presenter_mode(app_page, artifacts, path):
    """Masking, score functions and the alignment map each fit one 1280×720 slide by default."""
    page = app_page
    page.set_viewport_size(PROJECTOR)
    page.goto(page.base_url + path + "?present=1", wait_until="domcontentloaded")
    page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"]').first.wait_for(
        state="visible", timeout=MODEL_TIMEOUT_MS
    )
    wait_for_opened(page)
    page.screenshot(path=str(artifacts / f"present{path.replace('/', '_')}.png"))
    assert_no_exception(page)
    assert page.evaluate(SCROLLING) == [], f"{path}: the slide scrolls"
