"""The pages other than step-through on a 390×844 phone, in Chromium: every word labelled,
nothing cut, no overlapping labels or cell numbers, nothing wider than the screen.

Charts are drawn as SVG (``usermeta.embedOptions.renderer``), so their labels are text the
test can read and measure. Screenshots land in ``tests/artifacts/``.
"""

from __future__ import annotations

from urllib.parse import quote_plus

import pytest

from tests.support.browser import MEASURE, assert_no_overlap, wait_for_app
from ui.charts.figures import unique_labels

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
MODEL_TIMEOUT_MS = 120_000
IDLE = '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'
CHART = '[data-testid="stVegaLiteChart"] svg'
LONG = "the small happy rabbit finds a happy garden under the fast tables"  # 12 words, 12 output words


def open_phone(page, path: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + path, wait_until="domcontentloaded")
    page.locator(CHART).first.wait_for(state="visible", timeout=MODEL_TIMEOUT_MS)
    page.locator(IDLE).wait_for(state="attached", timeout=MODEL_TIMEOUT_MS)
    wait_for_app(page)  # charts lay out after the run ends


def assert_inside_screen(page) -> None:
    main = page.locator('[data-testid="stMainBlockContainer"]')
    widths = main.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert widths[0] <= widths[1] + 1, f"the page is wider than the phone: {widths}"
    for chart in page.locator(CHART).all():
        right = chart.evaluate("el => el.getBoundingClientRect().right")
        assert right <= PHONE["width"] + 0.5, f"a chart runs past the screen's edge: {right}"


def test_alignment_map_labels_every_source_word_on_a_phone(app_page, artifacts):
    page = app_page
    open_phone(page, "/alignment?text=" + quote_plus(LONG))
    svg = page.locator(CHART).first
    shown = svg.evaluate(MEASURE)
    x_labels, y_labels = shown["axes"][0], shown["axes"][1]
    if len(x_labels) != len(LONG.split()):  # axis order in the SVG: find the source-word axis by content
        x_labels, y_labels = y_labels, x_labels
    assert [b["text"] for b in x_labels] == unique_labels(LONG.split()), "a source word is unlabelled"
    assert len(y_labels) == len(LONG.split()), "an output word is unlabelled"
    assert_no_overlap(x_labels, "source-word labels")
    assert_no_overlap(y_labels, "output-word labels")
    # the title is page text above the chart (it wraps like any text); the chart itself has none
    assert shown["title"] == [], shown["title"]
    assert page.locator('[data-testid="stMain"] strong', has_text="α: final").count() == 1
    assert_no_overlap(shown["cells"], "cell numbers")
    assert_inside_screen(page)
    page.screenshot(path=str(artifacts / "phone_alignment.png"), full_page=True)


def test_masking_writes_each_word_in_its_cell_on_a_phone(app_page, artifacts):
    page = app_page
    batch = "cat\nthe cat sees a dog\n\nthe big red car sees a small dog behind the old house"
    open_phone(page, "/masking?strategy=neg_inf&batch=" + quote_plus(batch))
    for chart in page.locator(CHART).all()[:2]:
        shown = chart.evaluate(MEASURE)
        words = [b["text"] for b in shown["cells"]]
        for sentence in batch.split("\n"):
            for word in sentence.split():
                assert word in words, f"{word!r} is not written in its cell"
        assert words.count("pad") == 4 * 14 - sum(len(s.split()) for s in batch.split("\n"))
        assert_no_overlap(shown["cells"], "cell words")
        heights = [b["bottom"] - b["top"] for b in shown["axes"][1]]  # row labels: 4 rows
        assert len(heights) == 4
    rows = page.locator(CHART).first.evaluate(
        "svg => [...svg.querySelectorAll('g.role-mark path')].map(p => p.getBoundingClientRect().height)"
    )
    assert min(rows) >= 28, f"rows {min(rows):.0f} px tall"
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "Row 3 is fully padded." in text and "exp(NaN)" in text
    assert_inside_screen(page)
    page.screenshot(path=str(artifacts / "phone_masking.png"), full_page=True)


@pytest.mark.parametrize(
    "path",
    [
        "/home",
        "/pitfalls?pitfall=neg_inf",
        "/score_functions?text=" + quote_plus(LONG),
    ],
)
def test_other_pages_fit_a_phone(app_page, artifacts, path):
    page = app_page
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + path, wait_until="domcontentloaded")
    page.locator('[data-testid="stMain"] h1').first.wait_for(state="visible", timeout=MODEL_TIMEOUT_MS)
    page.locator(IDLE).wait_for(state="attached", timeout=MODEL_TIMEOUT_MS)
    wait_for_app(page)
    for chart in page.locator(CHART).all():
        shown = chart.evaluate(MEASURE)
        for axis in shown["axes"]:
            assert_no_overlap(axis, f"labels on {path}")
        assert_no_overlap(shown["cells"], f"cell texts on {path}")
    if path.startswith("/score_functions"):
        shown = page.locator(CHART).first.evaluate(MEASURE)
        labels = [b["text"] for axis in shown["axes"] for b in axis]
        assert all(label in labels for label in unique_labels(LONG.split())), labels
    assert_inside_screen(page)
    name = path.strip("/").split("?")[0]
    page.screenshot(path=str(artifacts / f"phone_{name}.png"), full_page=True)


LEGEND = """(svg) => {
  const s = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('g.role-legend-label text')].map(el => { const r = el.getBoundingClientRect();
    return {text: el.textContent, left: r.left - s.left, right: s.right - r.right}; });
}"""


def test_why_attention_legends_are_whole_on_a_phone(app_page, artifacts):
    """Both models' names in the curve's and the cost's legends, inside their charts, not cut."""
    page = app_page
    open_phone(page, "/why_attention")
    names = {"with attention", "without attention (one fixed vector)"}
    legends = [chart.evaluate(LEGEND) for chart in page.locator(CHART).all()]
    model_legends = [labels for labels in legends if {label["text"] for label in labels} == names]
    assert len(model_legends) == 2, legends  # the curve and the cost
    for label in (label for labels in model_legends for label in labels):
        assert label["left"] >= -0.5 and label["right"] >= -0.5, f"legend label cut: {label}"
    assert_inside_screen(page)
    page.screenshot(path=str(artifacts / "phone_why_attention.png"), full_page=True)
