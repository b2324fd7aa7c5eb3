"""What the model knows, in a real Chromium: a toy sentence's reference, a sentence outside the
toy language, unknown target words, and no highlight of the most-attended word before α exists."""

from __future__ import annotations

import pytest

from tests.support.browser import LAPTOP, SHORT, open_screen

pytestmark = pytest.mark.browser

SOURCE_MARKS = """() => {
  const line = [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMarkdownContainer"] p')]
    .find((p) => p.innerText.startsWith('Source:') && p.checkVisibility());  // the equation on screen
  const html = line.innerHTML.split('<br>')[0];  // the source line, before the output line
  const box = document.createElement('div'); box.innerHTML = html;
  return [...box.querySelectorAll('strong code')].map((c) => c.innerText);
}"""


@pytest.mark.parametrize("eq", [1, 4, 5])
def test_the_attended_word_is_marked_only_from_alpha_on(app_page, eq):
    open_screen(app_page, LAPTOP, f"/step_through?lang=en&step=3&eq={eq}&text=" + SHORT.replace(" ", "+"))
    assert app_page.evaluate(SOURCE_MARKS) == ([] if eq < 5 else ["car"])


@pytest.mark.parametrize(
    ("text", "target", "shown"),
    [
        (SHORT, "", "Its reference translation is"),
        ("the cat the dog", "", "the toy grammar never makes this sentence"),
        ("I love machine learning", "", "Not in the toy lexicon"),
        ("the red car sees a dog", "the red car is fast", "Not in the model's French vocabulary"),
    ],
)
def test_the_model_says_what_it_knows(app_page, text, target, shown):
    path = "/step_through?lang=en&text=" + text.replace(" ", "+") + ("&target=" + target.replace(" ", "+"))
    open_screen(app_page, LAPTOP, path)
    app_page.get_by_text(shown).first.wait_for(state="visible")
