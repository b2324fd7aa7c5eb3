"""The step page's dimension axes in Chromium: a1…a32 (attention space) and d1…d64 (encoder space)
labelled without overlap on a laptop, a phone and a slide, each chart saying which space it is in.

Screenshots land in ``tests/artifacts/`` (``step_axes_*.png``).
"""

from __future__ import annotations

import pytest

from tests.support.browser import MEASURE, PHONE, PROJECTOR, SENTENCE, assert_no_overlap, open_at, wait_for_app

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1400, "height": 900}
SCREENS = {"laptop": (LAPTOP, ""), "phone": (PHONE, ""), "presenter": (PROJECTOR, "&present=1")}
AXES = {1: ("a", 32, "attention space a (32 units)"), 6: ("d", 64, "encoder space d (64 units)")}


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("number", AXES)
def test_dimension_labels_do_not_overlap_and_name_their_space(app_page, artifacts, number, screen):
    page = app_page
    viewport, extra = SCREENS[screen]
    open_at(page, viewport, f"/step_through?text={SENTENCE}&step=2&eq={number}{extra}")
    chart = page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"] svg').first
    chart.wait_for(state="visible")
    wait_for_app(page)  # charts lay out after the run ends
    chart.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"step_axes_eq{number}_{screen}.png"))
    shown = chart.evaluate(MEASURE)
    prefix, n, title = AXES[number]
    units = next(axis for axis in shown["axes"] if axis and axis[0]["text"] == f"{prefix}1")
    assert 5 <= len(units) <= 9 and units[-1]["text"] == f"{prefix}{n}", [u["text"] for u in units]
    assert_no_overlap(units, f"{prefix}1…{prefix}{n} labels")
    texts = chart.locator("text").all_text_contents()
    assert title in texts, texts  # the axis names its space
    note = chart.evaluate(
        "svg => [...svg.querySelectorAll('g.role-title-subtitle tspan, g.role-title-subtitle text')]"
        ".map(e => e.textContent).join(' ')"
    )
    assert note.startswith(f"{prefix}1…{prefix}{n}:") and "32" in note and "64" in note, note
