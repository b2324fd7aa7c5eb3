"""The alignment map's training slider in Chromium at 1400×900: a notch swaps the data of the chart
the browser already drew (no new Vega view), and the notches are timed on the page's own clock.

No tight threshold (the machine's load moves the numbers): the bound only catches a notch that
builds a model again (about 1.5 s on a quiet machine, 2.7 s under load, before the snapshots
were loaded in the background). The medians are printed for the record.
"""

from __future__ import annotations

import statistics

import pytest

from serving.page_probe import ALIGNMENT, SLIDER_INPUT, interact, open_tab, slider_snapshot

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1400, "height": 900}
SVG = '[data-testid="stMain"] [data-testid="stVegaLiteChart"] svg'
NOTCH_BOUND_MS = 1_000
ROWS = "svg => [...svg.querySelectorAll('g.role-axis')].map(a => a.querySelectorAll('g.role-axis-label text').length)"
# Whether the map outlines the reference alignment: its legend names it (a snapshot that writes the
# reference has the outlines, one that does not has none: another layer, so another view).
OUTLINED = "svg => svg.textContent.includes('reference alignment')"


def press(page, key: str):
    def action() -> None:
        page.locator(SLIDER_INPUT).first.focus()
        page.keyboard.press(key)

    return action


@pytest.mark.timeout(600)
def test_a_snapshot_notch_updates_the_drawn_chart_in_place(browser_context, streamlit_server):
    page = open_tab(browser_context, streamlit_server + "/alignment", ALIGNMENT).page
    page.set_viewport_size(LAPTOP)
    # Every snapshot once, down to the untrained one and back to the final model (the snapshots also
    # load in the background, about 1 s each): the timed notches below are of loaded models.
    for k in range(slider_snapshot(), -1, -1):
        interact(page, press(page, "ArrowLeft"), ALIGNMENT)
        assert f"snap={k}" in page.url
    interact(page, press(page, "End"), ALIGNMENT)
    assert "snap=" not in page.url or "snap=-1" in page.url, page.url  # the final model
    times = []
    swapped = 0
    for k in range(slider_snapshot(), -1, -1):  # from the final model down to untrained
        chart = page.locator(SVG).first
        rows_before, outlined_before = chart.evaluate(ROWS), chart.evaluate(OUTLINED)
        page.locator(SVG).first.evaluate("svg => { svg.dataset.drawnBefore = 'yes'; }")
        times.append(interact(page, press(page, "ArrowLeft"), ALIGNMENT).total_ms)
        assert f"snap={k}" in page.url
        kept = page.locator(SVG).first.evaluate("svg => svg.dataset.drawnBefore === 'yes'")
        # Gaining or losing the reference outlines, or another number of output words (another
        # height), makes a new view. Otherwise only the data change.
        same_rows = page.locator(SVG).first.evaluate(ROWS) == rows_before
        if same_rows and page.locator(SVG).first.evaluate(OUTLINED) == outlined_before:
            assert kept, f"snapshot {k}: the browser built a new chart instead of swapping its data"
            swapped += 1
    assert swapped >= 1, "no notch kept its number of output words: nothing was checked"
    print(f"alignment notches, ms: {[round(t) for t in times]}; median {statistics.median(times):.0f}")
    assert statistics.median(times) <= NOTCH_BOUND_MS, times
    page.close()
