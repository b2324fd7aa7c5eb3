"""A room in Chromium, on the app served as ``streamlit run serving/asgi.py`` (the room route
mounted): the speaker at 1280×720 in presenter mode opens a room from the Share box; a phone at 390×844
opens the room's link and follows the speaker's presses with no reload and no control touched; two
tabs of one phone vote as one; the question, the reveal and the played guess each fit one slide
with no text under 18 px.

Screenshots land in ``tests/artifacts/`` (``room_*.png``).
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

import pytest

from serving.processes import running_app
from tests.support.browser import (
    MIN_TEXT_PX,
    MODEL_TIMEOUT_MS,
    PHONE,
    PROJECTOR,
    SCROLLING,
    SMALL_TEXT,
    assert_no_exception,
    wait_for_app,
    wait_for_opened,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

SENTENCE = "the big red car sees a small dog"
FOLLOW_TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def room_server(artifacts):
    with running_app(script="serving/asgi.py", log_path=artifacts / "streamlit-rooms-server.log") as app:
        yield app.url


@pytest.fixture
def new_tab(browser_context):
    """Tabs in the session's Chromium (Playwright's sync API runs one instance per thread, and the other
    browser tests of this worker hold it), each closed when the test ends: a phone left open would
    go on asking its room for moves, and reconnecting to the room's server once it has stopped."""
    opened = []

    def open_tab():
        opened.append(browser_context.new_page())
        return opened[-1]

    yield open_tab
    for page in opened:
        page.close()


def query(page, name: str) -> str | None:
    return page.evaluate("(n) => new URLSearchParams(location.search).get(n)", name)


def slide_problems(page, name: str) -> list[str]:
    problems = []
    if scrolls := page.evaluate(SCROLLING):
        problems.append(f"{name}: scrolls {scrolls}")
    if small := page.evaluate(SMALL_TEXT, MIN_TEXT_PX):
        problems.append(f"{name}: text under {MIN_TEXT_PX} px {small[:5]}")
    return problems


def wait_for_text(page, text: str, timeout_ms: int = FOLLOW_TIMEOUT_MS) -> None:
    page.get_by_text(text, exact=False).first.wait_for(state="visible", timeout=timeout_ms)


def test_a_phone_follows_the_speaker_and_votes_and_the_slides_fit(room_server, new_tab, artifacts):
    speaker = new_tab()
    speaker.set_viewport_size(PROJECTOR)
    params = {"present": "1", "lesson": "alpha", "text": SENTENCE}
    speaker.goto(f"{room_server}/lesson?{urlencode(params)}", timeout=MODEL_TIMEOUT_MS)
    wait_for_opened(speaker)
    speaker.get_by_role("button", name="Share").click()
    speaker.get_by_role("button", name="Open a room").click()
    wait_for_app(speaker)
    code = query(speaker, "room")
    assert code and len(code) == 6
    box = speaker.locator('[data-testid="stPopoverBody"]')
    assert f"room={code}" in box.inner_text() and "present" not in box.get_by_test_id("stCode").inner_text()
    speaker.screenshot(path=str(artifacts / "room_share_box.png"))
    speaker.keyboard.press("Escape")

    phone = new_tab()
    phone.set_viewport_size(PHONE)
    phone.goto(f"{room_server}/?room={code}", timeout=MODEL_TIMEOUT_MS)  # the QR code's address, opened late
    phone.wait_for_function("new URLSearchParams(location.search).get('lesson') === 'alpha'", timeout=60_000)
    wait_for_app(phone)
    assert phone.url.split("?")[0].endswith("/lesson") and query(phone, "present") is None
    wait_for_text(phone, f"Following the speaker · room {code}")

    # The speaker presses; the phone, untouched, follows.
    speaker.get_by_role("button", name="Next stop").click()
    pressed = time.monotonic()
    phone.wait_for_function(
        "new URLSearchParams(location.search).get('lesson') === 'masking'", timeout=FOLLOW_TIMEOUT_MS
    )
    followed_s = time.monotonic() - pressed
    wait_for_app(phone)
    assert_no_exception(phone)
    phone.screenshot(path=str(artifacts / "room_phone_following.png"), full_page=True)
    print(f"phone followed in {followed_s:.2f} s")
    speaker.get_by_role("button", name="Previous stop").click()
    phone.wait_for_function("new URLSearchParams(location.search).get('lesson') === 'alpha'", timeout=FOLLOW_TIMEOUT_MS)
    wait_for_app(speaker)

    # The question: the slide, then one button per source word on the phone.
    speaker.get_by_role("button", name="Ask the room").click()
    wait_for_app(speaker)
    wait_for_text(phone, "Question to the room")
    wait_for_app(phone)
    second_tab = new_tab()  # the same phone's second tab: the same voter
    second_tab.set_viewport_size(PHONE)
    second_tab.goto(f"{room_server}/?room={code}")
    wait_for_text(second_tab, "Question to the room", timeout_ms=60_000)
    wait_for_app(second_tab)
    words = SENTENCE.split()
    phone.locator(".st-key-room_question").get_by_role("button", name=words[2], exact=True).click()
    wait_for_app(phone)
    phone.screenshot(path=str(artifacts / "room_phone_question.png"), full_page=True)
    second_tab.locator(".st-key-room_question").get_by_role("button", name=words[3], exact=True).click()
    wait_for_app(second_tab)
    wait_for_text(speaker, "1 answered", timeout_ms=10_000)  # two tabs of one phone: one vote, the later one
    wait_for_app(speaker)
    speaker.mouse.move(5, 700)
    speaker.screenshot(path=str(artifacts / "room_slide_question.png"))
    problems = slide_problems(speaker, "question")

    speaker.get_by_role("button", name="Reveal").click()
    wait_for_app(speaker)
    speaker.locator('[data-testid="stVegaLiteChart"]').first.wait_for(state="visible")
    wait_for_app(speaker)
    speaker.screenshot(path=str(artifacts / "room_slide_reveal.png"))
    problems += slide_problems(speaker, "reveal")
    wait_for_text(phone, "The answers are on the speaker's screen.")

    speaker.get_by_role("button", name="Play the room's guess").click()
    wait_for_app(speaker)
    wait_for_text(speaker, "the model would write")
    wait_for_app(speaker)
    speaker.screenshot(path=str(artifacts / "room_slide_played.png"))
    problems += slide_problems(speaker, "played")
    assert_no_exception(speaker)
    assert not speaker.js_errors if hasattr(speaker, "js_errors") else True
    assert not problems, problems


def test_a_phone_follows_the_step_page_in_its_panel_steps_away_and_rejoins(room_server, new_tab, artifacts):
    speaker = new_tab()
    speaker.set_viewport_size(PROJECTOR)
    speaker.goto(f"{room_server}/step_through?{urlencode({'present': '1', 'text': SENTENCE})}")
    wait_for_opened(speaker)
    speaker.get_by_role("button", name="Share").click()
    speaker.get_by_role("button", name="Open a room").click()
    wait_for_app(speaker)
    code = query(speaker, "room")
    speaker.keyboard.press("Escape")
    phone = new_tab()
    phone.set_viewport_size(PHONE)
    phone.goto(f"{room_server}/?room={code}")
    phone.wait_for_function("location.pathname.endsWith('/step_through')", timeout=60_000)
    wait_for_app(phone)
    # The speaker's Next moves the phone's panel: a run of the panel alone.
    for eq in (2, 3):
        speaker.locator(".st-key-step_next button").first.click()
        speaker.wait_for_function(f"new URLSearchParams(location.search).get('eq') === '{eq}'")
        phone.wait_for_function(f"new URLSearchParams(location.search).get('eq') === '{eq}'", timeout=FOLLOW_TIMEOUT_MS)
    wait_for_app(phone)
    assert_no_exception(phone)
    assert phone.locator('[data-testid="stMain"] h3').filter(visible=True).first.inner_text().startswith("3. ")
    # From the second move on the phone holds the step: the speaker's next equation is shown there, no run.
    assert int(phone.evaluate("document.documentElement.dataset.roomShownHere || '0'")) >= 1
    phone.screenshot(path=str(artifacts / "room_phone_step.png"), full_page=True)
    # The phone's own Next takes it off; the speaker's next press leaves it where it is; it rejoins.
    phone.locator(".st-key-step_next button").first.click()
    wait_for_text(phone, "You left the speaker's screen")
    wait_for_app(phone)
    own = query(phone, "eq")
    heard = phone.evaluate("document.documentElement.dataset.roomVersion")
    speaker.locator(".st-key-step_next button").first.click()
    speaker.wait_for_function("new URLSearchParams(location.search).get('eq') === '4'")
    wait_for_app(speaker)
    # The phone hears of the move (a run of its own, which brings the room's new version) and stays.
    moved = "(v) => document.documentElement.dataset.roomVersion !== v"
    phone.wait_for_function(moved, arg=heard, timeout=FOLLOW_TIMEOUT_MS)
    wait_for_app(phone)
    assert query(phone, "eq") == own
    phone.get_by_role("button", name="Back to the speaker").click()
    phone.wait_for_function("new URLSearchParams(location.search).get('eq') === '4'", timeout=FOLLOW_TIMEOUT_MS)
    wait_for_text(phone, f"Following the speaker · room {code}")
    assert_no_exception(phone)
