"""The speaker is often a new server's first visitor: that visit's first control counts.

Streamlit starts a server whose app has a pages/ folder in the folder-of-pages mode, and learns it is a
router app only when app.py first calls st.navigation. A first visit's run in that mode starts over as the
router (ui/session/router.py); before app.py did so too, the first visitor's first control on Home was lost
(the language came back as "None" in the link and presenter mode stayed off)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
LOAD_MS = 180_000  # a new server's first page imports TensorFlow in the background


def turn_presenter_mode_on(page) -> None:
    page.wait_for_selector(IDLE, timeout=LOAD_MS)
    toggle = page.locator('[data-testid="stSidebar"]').get_by_text(re.compile("Presenter mode"))
    toggle.wait_for(timeout=LOAD_MS)
    toggle.click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('present') === '1'", timeout=LOAD_MS)
    page.wait_for_selector(IDLE, timeout=LOAD_MS)


@pytest.mark.parametrize("path", ["/", "/step_through?text=the+cat+sees+a+dog"], ids=["home", "deep-link"])
def test_a_new_servers_first_visitor_keeps_their_first_control(fresh_page, fresh_server, path):
    fresh_page.goto(fresh_server + path)
    turn_presenter_mode_on(fresh_page)
    assert "None" not in fresh_page.url, fresh_page.url
    assert fresh_page.locator('[data-testid="stSidebar"]').count() == 1  # the router's sidebar, not a bare page


def test_home_answers_at_its_old_address(app_page, streamlit_server):
    app_page.goto(streamlit_server + "/home")
    app_page.wait_for_selector(IDLE, timeout=LOAD_MS)
    app_page.get_by_role("heading", name="Attention Explorer").wait_for(timeout=LOAD_MS)
    assert app_page.get_by_text("Page not found").count() == 0
