"""The lesson in a real Chromium: a question answered by click, right and wrong, its feedback and
the page's own figure, the progress in the link; on a laptop and on a phone, in both languages.

Screenshots land in ``tests/artifacts/`` (``lesson_*.png``).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

from attention_core import load_pretrained
from tests.support.browser import LAPTOP, PAGE_WIDER, PHONE, SHORT, assert_no_exception, open_screen, wait_for_app

pytestmark = pytest.mark.browser


def click_option(page, label: str) -> None:
    page.locator('[data-testid="stRadio"] label').filter(has_text=label).first.click()
    wait_for_app(page)
    page.locator(".st-key-lesson_check button").click()
    wait_for_app(page)


@pytest.mark.parametrize(("viewport", "lang"), [(LAPTOP, "en"), (PHONE, "en"), (PHONE, "zh")])
def test_a_question_answered_wrong_then_right_by_click(app_page, artifacts, viewport, lang):
    page = app_page
    open_screen(page, viewport, f"/lesson?lesson=alpha&lang={lang}&text=" + SHORT.replace(" ", "+"), charts=False)
    translation = load_pretrained().translate(SHORT)
    words = SHORT.split()
    prompt = page.locator('[data-testid="stMarkdownContainer"]').filter(has_text="voiture").first
    assert prompt.is_visible()  # the question names the word being produced at step 3
    peak = int(np.argmax(translation.alpha[2]))
    wrong = next(w for w in words if w != words[peak] and words.count(w) == 1)
    click_option(page, wrong)
    error = page.locator('[data-testid="stAlertContentError"]')
    assert error.is_visible() and wrong in error.inner_text()
    page.locator('[data-testid="stVegaLiteChart"] svg').first.wait_for(state="visible")  # α, revealed
    assert "done" not in parse_qs(urlparse(page.url).query)
    click_option(page, words[peak])
    assert page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text=words[peak]).is_visible()
    assert parse_qs(urlparse(page.url).query)["done"] == ["alpha"]
    assert page.evaluate(PAGE_WIDER) <= 1, "nothing wider than the screen"
    name = f"lesson_alpha_{lang}_{viewport['width']}"
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=False)
    assert_no_exception(page)


def test_the_lesson_resumes_from_its_link_and_walks_to_the_next_stop(app_page):
    page = app_page
    open_screen(page, LAPTOP, "/lesson?lesson=pitfall&done=why,alpha&lang=en", charts=False)
    page.get_by_text("2 of 6 questions answered right").wait_for(state="visible")
    page.locator(".st-key-lesson_next button").click()
    wait_for_app(page)
    query = parse_qs(urlparse(page.url).query)
    assert query["lesson"] == ["whatif"] and query["done"] == ["why,alpha"]
    assert page.get_by_role("heading", name="5. What if").is_visible()
