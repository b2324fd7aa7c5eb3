"""The app in a real Chromium: every page opens, the step-through walks all seven equations,
links reproduce the screen, Chinese renders, and typed HTML stays text.

Screenshots land in ``tests/artifacts/`` for a person to look at.
"""

from __future__ import annotations

from urllib.parse import quote, unquote_plus, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from serving.chromium import CHROMIUM, MISSING_CHROMIUM
from tests.support.browser import (
    EQUATION_NAMES,
    MODEL_TIMEOUT_MS,
    RUN_TIMEOUT_MS,
    assert_no_exception,
    wait_for_app,
    wait_for_images,
    wait_for_opened,
)
from ui.strings import en, zh

pytestmark = pytest.mark.browser


HOSTILE = "<img src=x onerror=alert(1)><script>alert(1)</script>"


# --- helpers ------------------------------------------------------------------------------


def wait_for_text(page, text: str, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    """Wait until ``text`` is part of the rendered text of the page (across inline elements)."""
    page.wait_for_function("t => document.body.innerText.includes(t)", arg=text, timeout=timeout_ms)


def open_page(page, path: str, timeout_ms: int = MODEL_TIMEOUT_MS) -> None:
    page.goto(page.base_url + path, wait_until="domcontentloaded")
    wait_for_app(page, timeout_ms)


def screenshot(page, artifacts, name: str) -> None:
    page.screenshot(path=str(artifacts / name), full_page=True)


def query_text(url: str) -> str:
    """The decoded ``text`` parameter of ``url`` ("+" and "%20" both mean a space)."""
    for pair in urlsplit(url).query.split("&"):
        key, _, value = pair.partition("=")
        if key == "text":
            return unquote_plus(value)
    return ""


def sentence_input(page):
    return page.get_by_label("Sentence", exact=True)


def sentence_input_value(page) -> str:
    """The value of the first text input on the page (the sentence, in any UI language)."""
    return page.locator('[data-testid="stMain"] [data-testid="stTextInput"] input').first.input_value()


def type_sentence(page, sentence: str) -> None:
    box = sentence_input(page)
    box.fill(sentence)
    box.press("Enter")
    wait_for_opened(page)


def open_step_page(page, path: str = "/step_through") -> None:
    page.goto(page.base_url + path, wait_until="domcontentloaded")
    page.get_by_text("Source:", exact=False).first.wait_for(state="visible", timeout=MODEL_TIMEOUT_MS)
    wait_for_opened(page)


# --- tests --------------------------------------------------------------------------------


def test_chromium_is_installed():
    """Fails, never skips: without Chromium nothing below can run."""
    assert CHROMIUM.exists(), MISSING_CHROMIUM


def test_home_renders_title(app_page, artifacts):
    page = app_page
    page.goto(page.base_url + "/home", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Attention Explorer").first.wait_for(state="visible", timeout=20_000)
    wait_for_app(page)
    assert_no_exception(page)
    screenshot(page, artifacts, "home.png")


def test_step_through_walks_all_seven_equations(app_page, artifacts):
    page = app_page
    open_step_page(page)
    assert_no_exception(page)

    type_sentence(page, "the old car watches the streets")
    wait_for_text(page, "la vieille voiture", MODEL_TIMEOUT_MS)
    heading = page.get_by_role("heading", name=f"1. {EQUATION_NAMES[1]}")
    heading.first.wait_for(state="visible")
    assert_no_exception(page)
    screenshot(page, artifacts, "step_eq1.png")

    next_button = page.get_by_role("button", name="Next ▶")
    for k in range(2, 8):
        next_button.click()
        page.get_by_role("heading", name=f"{k}. {EQUATION_NAMES[k]}").first.wait_for(
            state="visible", timeout=RUN_TIMEOUT_MS
        )
        wait_for_app(page)
        assert_no_exception(page)
        screenshot(page, artifacts, f"step_eq{k}.png")

    url = page.url
    assert "eq=7" in url, url
    assert "text=the+old+car" in url or "text=the%20old%20car" in url, url
    assert query_text(url) == "the old car watches the streets", url
    assert not page.js_errors, page.js_errors


def test_downloads_open_on_request_stay_open_and_download(app_page, artifacts):
    """The step's downloads box is closed at first (no download button on the page); opened, it
    holds all five, keeps them after Next, and a button hands the browser a real file."""
    page = app_page
    open_step_page(page, "/step_through?text=the+cat+sees+a+dog&step=2&eq=3")
    downloads = page.get_by_test_id("stDownloadButton").filter(visible=True)  # the equation's on screen
    assert downloads.count() == 0
    page.get_by_text("Download this step", exact=False).first.click()
    downloads.nth(4).wait_for(timeout=RUN_TIMEOUT_MS)
    wait_for_app(page)
    assert downloads.count() == 5
    page.get_by_role("button", name="Next ▶").click()
    page.get_by_role("heading", name=f"4. {EQUATION_NAMES[4]}").first.wait_for(state="visible", timeout=RUN_TIMEOUT_MS)
    wait_for_app(page)
    assert downloads.count() == 5
    screenshot(page, artifacts, "step_downloads.png")
    with page.expect_download(timeout=RUN_TIMEOUT_MS) as download:
        page.get_by_role("button", name="Table as CSV").click()
    assert download.value.suggested_filename == "the-cat-sees-a-dog_step2_eq4.csv"
    assert_no_exception(page)


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/masking", "masking.png"),
        ("/alignment", "alignment.png"),
        ("/score_functions", "score_functions.png"),
        ("/pitfalls", "pitfalls.png"),
    ],
)
def test_page_renders_without_exception(app_page, artifacts, path, name):
    page = app_page
    open_page(page, path)
    page.locator('[data-testid="stMain"] h1').first.wait_for(state="visible")
    screenshot(page, artifacts, name)
    assert urlsplit(page.url).path.rstrip("/").endswith(path), f"{path} fell back to {page.url}"
    assert_no_exception(page)


def test_step_through_in_chinese_with_cjk_text(app_page, artifacts):
    page = app_page
    open_page(page, "/step_through?lang=zh&text=我爱你&src=free")
    wait_for_text(page, "爱", MODEL_TIMEOUT_MS)  # the source tokens, shown once the model has run
    wait_for_app(page)
    screenshot(page, artifacts, "step_zh.png")
    assert_no_exception(page)
    main_text = page.locator('[data-testid="stMain"]').inner_text()
    assert "我" in main_text
    # The interface is Chinese, not one Chinese token in an English page: a real amount of Chinese
    # text, and no English interface string (the Latin letters left are math names and French words).
    cjk = [ch for ch in main_text if "\u4e00" <= ch <= "\u9fff"]
    assert len(cjk) >= 100, f"only {len(cjk)} CJK characters on the Chinese page"
    english = [v for k, v in en.STRINGS.items() if "{" not in v and len(v) >= 12 and v != zh.STRINGS[k]]
    leaked = [v for v in english if v in main_text]
    assert not leaked, f"English interface strings on the Chinese page: {leaked}"
    title = page.locator('[data-testid="stMain"] h1').first.inner_text()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in title), f"the title is not in Chinese: {title!r}"
    assert sentence_input_value(page) == "我爱你"


def test_presenter_mode_can_be_left(app_page, artifacts):
    page = app_page
    open_page(page, "/step_through?present=1")
    page.get_by_role("heading", name=f"1. {EQUATION_NAMES[1]}").first.wait_for(state="visible")
    screenshot(page, artifacts, "present.png")
    assert_no_exception(page)
    assert "present=1" in page.url, page.url
    page.get_by_role("button", name="Exit").click()
    page.locator('[data-testid="stSidebar"]').get_by_role("switch", name="Presenter mode").wait_for(state="visible")
    wait_for_app(page)
    assert "present=1" not in page.url, page.url


def assert_hostile_text_stayed_text(page) -> None:
    assert page.dialogs == [], f"a dialog fired: {page.dialogs}"
    assert page.locator('img[src="x"]').count() == 0, "the typed <img> became an element"
    injected = page.evaluate("() => [...document.scripts].filter(s => s.textContent.includes('alert(1)')).length")
    assert injected == 0, "the typed <script> became an element"
    assert sentence_input(page).input_value() == HOSTILE
    assert query_text(page.url) == HOSTILE, page.url
    assert_no_exception(page)


def test_hostile_sentence_is_shown_as_text(app_page, artifacts):
    page = app_page
    open_step_page(page)
    type_sentence(page, HOSTILE)
    wait_for_text(page, "onerror", MODEL_TIMEOUT_MS)
    wait_for_images(page)  # an injected handler fires when its image fails
    screenshot(page, artifacts, "hostile.png")
    assert_hostile_text_stayed_text(page)


def test_hostile_sentence_from_a_link_is_shown_as_text(app_page):
    page = app_page
    open_step_page(page, "/step_through?text=" + quote(HOSTILE, safe=""))
    wait_for_text(page, "onerror", MODEL_TIMEOUT_MS)
    wait_for_images(page)
    assert_hostile_text_stayed_text(page)


def test_deep_link_as_first_request_still_runs_the_router(fresh_page, artifacts):
    """The first request a new server gets may be a shared link to a page, not "/".

    app.py (the router: language and presenter controls, notices, presenter CSS, model
    warm-up) must run for it. Streamlit treats an app with a ``pages/`` folder next to the
    main script as a v1 multipage app until ``st.navigation`` has run once; a first request
    for ``/home`` or ``/step_through`` then runs ``pages/<name>.py`` alone, and the server
    stays in that mode for everyone.
    """
    page = fresh_page
    open_page(page, "/step_through?text=the+cat+sees+a+dog&step=2")
    screenshot(page, artifacts, "first_visit_deep_link.png")
    sidebar = page.locator('[data-testid="stSidebar"]')
    toggle = sidebar.get_by_role("switch", name="Presenter mode")
    try:
        toggle.wait_for(state="visible", timeout=15_000)
    except PlaywrightTimeoutError:
        sidebar_text = sidebar.inner_text() if sidebar.count() else "(no sidebar)"
        pytest.fail(
            "the sidebar has no app.py controls after a deep link was the server's first request, so "
            "pages/step_through.py ran without app.py (Streamlit's pages/-folder v1 mode). "
            f"Sidebar text: {sidebar_text!r}"
        )
    assert not toggle.is_checked()
    wait_for_text(page, "i = 2 →", MODEL_TIMEOUT_MS)  # ?step=2 reached the page (once the model has loaded)
    nav_text = " ".join(sidebar.locator('[data-testid="stPageLink"]').all_inner_texts())
    assert "Step through" in nav_text, nav_text  # st.navigation's title, not the file name "step through"
    assert_no_exception(page)
