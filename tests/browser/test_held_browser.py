"""The step the reading view holds, in Chromium: a session's first screen is one equation, and its
first press of Next draws the whole step; from then on Next, Back, the keys and the equation
buttons change the screen and the address bar within the step and send the server nothing (no
websocket frame); the press past y_i does, and the next step opens at its first equation; a
control used after moving in the page (presenter mode here) gets the equation on screen.

Screenshots: ``tests/artifacts/held_eq*.png``.
"""

from __future__ import annotations

from tests.support.browser import (
    PHONE,
    PROJECTOR,
    RUN_TIMEOUT_MS,
    SENTENCE,
    assert_no_exception,
    heading_text,
    open_at,
    wait_for_app,
    wait_for_equation,
)

LAPTOP = {"width": 1400, "height": 1000}


def frames_sent(page) -> list[int]:
    """Every frame the page sends the server from now on, by size (a rerun is a frame)."""
    sent: list[int] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(len(frame))))
    return sent


def count_after(page, sent: list[int]) -> int:
    """The frames sent once the page has settled: a rerun, had one been asked, is sent at once and
    waited on until its run has been answered."""
    wait_for_app(page)
    return len(sent)


def test_within_a_step_presses_send_nothing_and_the_press_past_y_i_does(app_page, artifacts):
    page = app_page
    sent = frames_sent(page)
    open_at(page, LAPTOP, f"/step_through?text={SENTENCE}&step=2")
    wait_for_app(page)
    opened = count_after(page, sent)
    next_button = page.get_by_role("button", name="Next ▶")
    next_button.click()  # the first press: the server draws the whole step
    wait_for_equation(page, 2)
    page.locator(".st-key-eqshow_7_body").wait_for(state="attached", timeout=RUN_TIMEOUT_MS)
    assert count_after(page, sent) > opened
    before = len(sent)
    for number in range(3, 8):
        if number % 2:
            next_button.click()
        else:
            page.keyboard.press("PageDown")
        wait_for_equation(page, number)
        assert f"eq={number}" in page.url and "step=2" in page.url, page.url
    page.screenshot(path=str(artifacts / "held_eq7.png"))
    assert count_after(page, sent) == before, "a press within the step reached the server"
    page.keyboard.press("PageUp")
    wait_for_equation(page, 6)
    assert count_after(page, sent) == before
    page.keyboard.press("PageDown")
    wait_for_equation(page, 7)
    next_button.click()  # past y_i: the next step, drawn by the server
    page.wait_for_function("() => location.search.includes('step=3')", timeout=RUN_TIMEOUT_MS)
    wait_for_app(page)
    wait_for_equation(page, 1)
    assert len(sent) > before
    assert "eq=" not in page.url, page.url
    assert "i = 3 →" in page.locator('[data-testid="stSlider"]').first.inner_text()
    assert_no_exception(page)


def test_the_equation_buttons_switch_in_the_page_and_back_stops_at_the_start(app_page, artifacts):
    page = app_page
    sent = frames_sent(page)
    open_at(page, PHONE, "/step_through?text=the+cat+sees+a+dog")
    wait_for_app(page)
    page.get_by_role("button", name="Next ▶").click()  # the first press: the server draws the whole step
    page.locator(".st-key-eqshow_7_body").wait_for(state="attached", timeout=RUN_TIMEOUT_MS)
    wait_for_equation(page, 2)
    before = count_after(page, sent)
    back = page.get_by_role("button", name="◀ Previous")
    back.click()
    wait_for_equation(page, 1)
    assert back.get_attribute("aria-disabled") == "true"  # the first screen of the first step
    back.click(force=True)
    assert heading_text(page).startswith("1. ")
    group = page.locator('[class*=" st-key-eqshow_"][class*="_choice"] [data-testid="stButtonGroup"]')
    group.filter(visible=True).locator("button").nth(4).click()  # "5. α"
    wait_for_equation(page, 5)
    page.screenshot(path=str(artifacts / "held_eq5_phone.png"))
    assert "eq=5" in page.url, page.url
    assert back.get_attribute("aria-disabled") is None
    chosen = group.filter(visible=True).locator('button[aria-checked="true"]')
    assert chosen.inner_text().startswith("5. "), "the equation buttons name the equation on screen"
    assert count_after(page, sent) == before


def test_presenter_mode_opens_on_the_equation_on_screen(app_page):
    """The page tells the server its equation before another control is used."""
    page = app_page
    open_at(page, LAPTOP, f"/step_through?text={SENTENCE}&step=2")
    wait_for_app(page)
    for number in range(2, 5):
        page.keyboard.press("ArrowRight")
        wait_for_equation(page, number)
    page.get_by_text("Presenter mode", exact=True).click()
    page.wait_for_function("() => location.search.includes('present=1')", timeout=RUN_TIMEOUT_MS)
    page.set_viewport_size(PROJECTOR)
    wait_for_equation(page, 4)
    assert "eq=4" in page.url and "step=2" in page.url, page.url
    assert_no_exception(page)
