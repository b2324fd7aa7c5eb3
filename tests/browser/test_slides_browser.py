"""Every page is a slide, or a short deck of slides, on a 1280×720 projector in presenter mode, with
a five-word sentence and with a 59-token one: no screen scrolls, no visible text is under 18 px
(chart text included), and no heading sits under what follows it. A page of several slides is
walked with PageDown until its ◀ k/n ▶ can go no further.

Screenshots land in ``tests/artifacts/`` (``slide_<page>_<length>_<k>.png``).
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from attention_core.data.toy_data import generate_long_examples
from tests.support.browser import (
    KEYS_READY,
    MIN_TEXT_PX,
    PROJECTOR,
    RUN_TIMEOUT_MS,
    SCROLLING,
    SMALL_TEXT,
    assert_no_exception,
    press_page_down,
    wait_for_app,
    wait_for_opened,
)

pytestmark = pytest.mark.browser

SHORT = "the cat sees a dog"
# The longest a sentence of the toy language gets: four clauses, 59 tokens.
LONGEST = " ".join(max(generate_long_examples(200, seed=3, min_tokens=55), key=lambda ex: len(ex.en)).en)
# A heading whose box reaches into the element after it: the chart or table below covers its foot.
CLIPPED_HEADINGS = """() => [...document.querySelectorAll(
    '[data-testid="stMain"] h1, [data-testid="stMain"] h2, [data-testid="stMain"] h3, [data-testid="stMain"] h4')]
  .filter(h => {
    const r = h.getBoundingClientRect();
    const box = h.closest('[data-testid="stElementContainer"]');
    const next = box && box.nextElementSibling;
    if (!r.width || !next) return false;
    const n = next.getBoundingClientRect();
    return n.height > 0 && n.top < r.bottom - 2;
  })
  .map(h => [h.innerText.slice(0, 40), h.getBoundingClientRect().bottom])"""
# The interactive table draws its text on a canvas at 14 px, out of reach of the slide's type: a slide
# shows a table as HTML instead.
CANVAS_TABLES = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"]')]
  .filter(el => el.getBoundingClientRect().height > 0).length"""
# What a control shows as its value is not a text node (a select's input, a number field): its own size.
SMALL_CONTROL_TEXT = """(limit) => [...document.querySelectorAll(
    '[data-testid="stMain"] input, [data-testid="stMain"] textarea')]
  .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.top < innerHeight
    && (el.value || el.getAttribute('aria-label')) && parseFloat(getComputedStyle(el).fontSize) < limit; })
  .map(el => [el.value || el.getAttribute('aria-label'), getComputedStyle(el).fontSize])"""
SLIDE_NEXT = '[data-testid="stMain"] .st-key-step_next button'
MAX_SLIDES = 10


def test_the_longest_sentence_is_59_tokens():
    assert len(LONGEST.split()) == 59 and LONGEST.count(" and ") == 3


def link(path: str, text: str, **extra: str) -> str:
    params = {"present": "1", **({"batch": f"{SHORT}\n{text}"} if path == "masking" else {"text": text}), **extra}
    return f"/{path}?{urlencode(params)}"


def screen_problems(page, name: str) -> list[str]:
    problems = []
    if scrolls := page.evaluate(SCROLLING):
        problems.append(f"{name}: scrolls {scrolls}")
    if small := page.evaluate(SMALL_TEXT, MIN_TEXT_PX):
        problems.append(f"{name}: text under {MIN_TEXT_PX} px {small[:5]}")
    if clipped := page.evaluate(CLIPPED_HEADINGS):
        problems.append(f"{name}: heading under what follows it {clipped}")
    if small := page.evaluate(SMALL_CONTROL_TEXT, MIN_TEXT_PX):
        problems.append(f"{name}: a control's text under {MIN_TEXT_PX} px {small[:5]}")
    if tables := page.evaluate(CANVAS_TABLES):
        problems.append(f"{name}: {tables} interactive table(s), their text drawn at 14 px")
    return problems


def walk_slides(page, artifacts, name: str) -> tuple[int, list[str]]:
    """Check the slide shown, and each next one while its ▶ can move; the slides seen and what was wrong."""
    problems, seen = [], 0
    while True:
        seen += 1
        page.screenshot(path=str(artifacts / f"slide_{name}_{seen}.png"))
        assert_no_exception(page)
        problems += screen_problems(page, f"{name} slide {seen}")
        button = page.locator(SLIDE_NEXT)
        if seen >= MAX_SLIDES or button.count() == 0 or button.first.is_disabled():
            return seen, problems
        press_page_down(page)
        assert f"slide={seen + 1}" in page.url, page.url


def open_slide(page, path: str) -> None:
    page.set_viewport_size(PROJECTOR)
    page.goto(page.base_url + path, wait_until="domcontentloaded")
    wait_for_opened(page)
    page.wait_for_function(KEYS_READY, timeout=RUN_TIMEOUT_MS)
    wait_for_app(page)  # charts lay out after the run ends


# (page, sentence, the least number of slides it must have[, more of the link])
DECKS = [
    ("home", SHORT, 5),
    ("why_attention", SHORT, 4),
    ("why_attention", LONGEST, 8),  # the α map of 59 words takes five slides
    ("masking", SHORT, 1),
    ("masking", LONGEST, 1),
    ("alignment", SHORT, 1),
    ("alignment", LONGEST, 5),
    ("score_functions", SHORT, 1),
    ("score_functions", LONGEST, 1),
    ("pitfalls", SHORT, 2),
    ("what_if", SHORT, 1),
    ("what_if", LONGEST, 1),
    ("what_if", LONGEST, 1, {"override": "2:8"}),  # all of α on one word: the word chooser and both charts
    ("what_if", LONGEST, 1, {"whatif": "pick"}),
    ("what_if", LONGEST, 1, {"whatif": "swap"}),
    ("what_if", LONGEST, 1, {"whatif": "beam", "beam": "3"}),
    ("lesson", SHORT, 1),
    ("lesson", LONGEST, 1),
    ("train", SHORT, 1),
]


def deck_id(deck: tuple) -> str:
    path, text, _, *extra = deck
    return "-".join([path, str(len(text.split())), *(f"{k}={v}" for k, v in (extra[0] if extra else {}).items())])


@pytest.mark.parametrize("deck", DECKS, ids=[deck_id(d) for d in DECKS])
def test_every_page_is_a_deck_of_slides_that_fit(app_page, artifacts, deck):
    path, text, least, *extra = deck
    page = app_page
    open_slide(page, link(path, text, **(extra[0] if extra else {})))
    name = deck_id(deck).replace("=", "_").replace(":", "_")
    seen, problems = walk_slides(page, artifacts, name)
    assert problems == [], problems
    assert seen >= least, f"{path}: {seen} slides, expected at least {least}"


@pytest.mark.parametrize("step", [1, 30, 59])
def test_step_page_with_the_longest_sentence_fits_on_every_equation(app_page, artifacts, step):
    """The seven equations of a step of a 59-token sentence: its 59 × 64 matrices drawn as one picture
    sized to the slide, every word and number at least 18 px. The link opens the first; the clicker
    walks to the others."""
    page = app_page
    problems = []
    open_slide(page, link("step_through", LONGEST, step=str(step)))
    for eq in range(1, 8):
        if eq > 1:
            press_page_down(page)
            assert f"eq={eq}" in page.url, page.url
        heading = page.locator('[data-testid="stMain"] h3').first.inner_text()
        assert heading.startswith(f"{eq}. "), heading
        page.screenshot(path=str(artifacts / f"slide_step_59_s{step}_e{eq}.png"))
        problems += screen_problems(page, f"step {step} eq {eq}")
    assert problems == [], problems


def test_chinese_slides_fit_too(app_page, artifacts):
    page = app_page
    problems = []
    for path, text in (("home", SHORT), ("why_attention", LONGEST), ("pitfalls", SHORT)):
        open_slide(page, link(path, text, lang="zh"))
        problems += walk_slides(page, artifacts, f"zh_{path}")[1]
    assert problems == [], problems


# Streamlit frames the focused main area with an inset shadow on its ::before (and could with an outline).
MAIN_FOCUS_RING = """() => { const main = document.querySelector('[data-testid="stMain"]');
  const style = getComputedStyle(main), before = getComputedStyle(main, '::before');
  const framed = (style.outlineStyle !== 'none' && style.outlineWidth !== '0px')
    || (before.content !== 'none' && before.boxShadow !== 'none');
  return [document.activeElement === main, framed, before.boxShadow]; }"""


def test_a_slide_clicked_to_take_the_keys_shows_no_focus_frame(app_page, artifacts):
    """The speaker clicks the slide once so the clicker's keys reach it: no frame stays around it."""
    page = app_page
    open_slide(page, link("step_through", SHORT))
    page.mouse.click(PROJECTOR["width"] // 2, PROJECTOR["height"] - 30)
    page.keyboard.press("PageDown")
    page.wait_for_function("() => location.href.includes('eq=2')", timeout=RUN_TIMEOUT_MS)
    wait_for_app(page)
    focused, framed, shadow = page.evaluate(MAIN_FOCUS_RING)
    page.screenshot(path=str(artifacts / "slide_clicked_focus.png"))
    assert focused, "the click gave the slide the focus"
    assert not framed, f"a frame around the slide: {shadow}"
