"""The Score functions page in a real Chromium: the trained models' step comparison is one 1280×720
slide with a short sentence and a 59-token one; on a 390×844 phone and a laptop every model's map is
drawn and nothing runs off the page.

Screenshots land in ``tests/artifacts/`` (``scores_*.png``).
"""

from __future__ import annotations

import pytest

from attention_core.names import TRAINED_SCORES
from tests.support.browser import (
    LAPTOP,
    LONGEST,
    OVERFLOWING_EQUATIONS,
    PAGE_WIDER,
    PHONE,
    PROJECTOR,
    SCROLLING,
    SHORT,
    SMALL_TEXT,
    assert_no_exception,
    open_screen,
)

pytestmark = pytest.mark.browser

SHORT_NAMES = ("additive", "dot", "general", "scaled dot", "location")  # the slide's row labels
SENTENCES = {"short": (SHORT, 3), "longest": (LONGEST, 30)}  # (text, decoder step)


def path_for(sentence: str, extra: str = "") -> str:
    text, step = SENTENCES[sentence]
    return f"/score_functions?step={step}&text=" + text.replace(" ", "+") + extra


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_trained_models_step_is_one_slide(app_page, artifacts, sentence):
    page = app_page
    open_screen(page, PROJECTOR, path_for(sentence, "&present=1"))
    page.screenshot(path=str(artifacts / f"scores_present_{sentence}.png"))
    assert_no_exception(page)
    assert page.evaluate(SCROLLING) == [], "the slide scrolls"
    assert page.evaluate(SMALL_TEXT, 18) == []
    assert page.evaluate(PAGE_WIDER) <= 0
    rows = page.locator('[data-testid="stVegaLiteChart"] svg text').all_text_contents()  # SVG text has no innerText
    for k, score in enumerate(SHORT_NAMES):
        assert f"{k + 1} {score}" in rows, rows  # every model's row is labelled at slide size


@pytest.mark.parametrize("viewport", ["phone", "laptop"])
@pytest.mark.parametrize("sentence", SENTENCES)
def test_every_models_map_is_drawn_and_nothing_runs_off(app_page, artifacts, viewport, sentence):
    page = app_page
    open_screen(page, {"phone": PHONE, "laptop": LAPTOP}[viewport], path_for(sentence))
    page.screenshot(path=str(artifacts / f"scores_{viewport}_{sentence}.png"))
    assert_no_exception(page)
    assert page.evaluate(PAGE_WIDER) <= 0, "the page scrolls sideways"
    assert page.evaluate(OVERFLOWING_EQUATIONS) == []
    charts = page.locator('[data-testid="stVegaLiteChart"]').count()
    images = page.locator('[data-testid="stImage"]').count()
    # the step's α, one map per model (a chart, or an image at 59 tokens), and AER by length
    assert charts + images >= 1 + len(TRAINED_SCORES) + 1
    assert page.get_by_text("Table 6", exact=False).count() >= 1


SCREENS = {"presenter": (PROJECTOR, "&present=1"), "laptop": (LAPTOP, ""), "phone": (PHONE, "")}
VIEWS = {"trained": SHORT_NAMES, "same_states": SHORT_NAMES[:4]}  # the same-states view has no location score


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("view", VIEWS)
def test_every_row_label_of_the_step_heatmap_is_whole(app_page, artifacts, view, screen):
    """The α-per-score heatmap names each score in full: no row label cut with "…" at any size."""
    page = app_page
    viewport, extra = SCREENS[screen]
    open_screen(page, viewport, path_for("short", f"&scores={view}{extra}"))
    page.screenshot(path=str(artifacts / f"scores_labels_{view}_{screen}.png"))
    assert_no_exception(page)
    texts = page.locator('[data-testid="stVegaLiteChart"]').first.locator("svg text").all_text_contents()
    for k, score in enumerate(VIEWS[view]):
        assert f"{k + 1} {score}" in texts, texts
    assert [text for text in texts if text.endswith("…")] == [], texts
