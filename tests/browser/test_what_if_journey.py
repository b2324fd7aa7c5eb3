"""What if in Chromium, as a learner meets it: what an override changed is what is highlighted (and the
line says so), and the beam tree stays inside its column at 1366×768 and 390×844 with every step
reachable (on a phone by scrolling its own box, not the page).

Screenshots land in ``tests/artifacts/`` (``whatif_journey_*.png``).
"""

from __future__ import annotations

import pytest

from tests.support.browser import MODEL_TIMEOUT_MS, assert_no_exception, wait_for_opened

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
TREE = ".st-key-beam_tree"
TREE_SVG = f'{TREE} [data-testid="stVegaLiteChart"] svg.marks'
# The column's content box, the tree's box, and its scroll extent.
BOXES = """(tree) => {
  const column = document.querySelector('[data-testid="stMainBlockContainer"]');
  const style = getComputedStyle(column);
  const c = column.getBoundingClientRect();
  const box = document.querySelector(tree);
  const b = box.getBoundingClientRect();
  const main = document.querySelector('[data-testid="stMain"]');
  return {
    column: [c.left + parseFloat(style.paddingLeft), c.right - parseFloat(style.paddingRight)],
    box: [b.left, b.right], scrollWidth: box.scrollWidth, clientWidth: box.clientWidth,
    pageWider: main.scrollWidth - main.clientWidth,
  };
}"""
# Every step number on the tree's axis and every word beside a dot: [text, left, right] on screen.
TEXTS = """(svg) => {
  const rect = (el) => { const r = el.getBoundingClientRect(); return [el.textContent, r.left, r.right]; };
  return {
    steps: [...svg.querySelectorAll('g.role-axis-label text')].map(rect),
    words: [...svg.querySelectorAll('g.role-mark text')].map(rect).filter((t) => t[0].trim()),
  };
}"""


def open_screen(page, viewport: dict, path: str, ready: str) -> None:
    page.set_viewport_size(viewport)
    page.goto(page.base_url + path, wait_until="domcontentloaded")
    page.locator(ready).first.wait_for(state="visible", timeout=MODEL_TIMEOUT_MS)
    wait_for_opened(page)


def test_an_override_highlights_the_word_it_changed(app_page, artifacts):
    """α on "black" at step 5: "chien" becomes "noir" (word 5) before the model's own "noir" (word 6)."""
    page = app_page
    open_screen(page, LAPTOP, "/what_if?text=the+boys+chase+a+black+dog&override=5:5", "text=With α′:")
    line = page.locator('[data-testid="stMain"] p', has_text="With α′:").first
    line.scroll_into_view_if_needed()
    words = line.locator("code")
    shown = [words.nth(k).text_content() for k in range(words.count())]
    assert shown[-6:] == ["les", "garçons", "chassent", "un", "noir", "noir"], shown
    marked = [k for k in range(words.count()) if words.nth(k).evaluate("c => c.closest('strong') !== null")]
    assert [shown[k] for k in marked] == ["noir"] and marked == [len(shown) - 2]  # word 5, not 6
    said = page.locator('[data-testid="stMain"]').inner_text()
    assert "1 of 6 words are new or replaced (highlighted)" in said
    background = words.nth(marked[0]).evaluate("c => getComputedStyle(c).backgroundColor")
    plain = words.nth(0).evaluate("c => getComputedStyle(c).backgroundColor")
    assert background != plain, "the word the line calls highlighted looks like the others"
    page.screenshot(path=str(artifacts / "whatif_journey_marks.png"))
    assert_no_exception(page)


@pytest.mark.parametrize("name", ["laptop", "phone"])
def test_the_beam_tree_fits_its_column_and_every_step_is_reachable(app_page, artifacts, name):
    page = app_page
    viewport = LAPTOP if name == "laptop" else PHONE
    open_screen(page, viewport, "/what_if?whatif=beam&beam=3", TREE_SVG)
    page.locator(TREE).scroll_into_view_if_needed()
    boxes = page.evaluate(BOXES, TREE)
    (left, right), (box_left, box_right) = boxes["column"], boxes["box"]
    assert left - 1 <= box_left and box_right <= right + 1, boxes  # the tree's box is inside its column
    assert boxes["pageWider"] <= 0, "the page scrolls sideways"
    if name == "laptop":
        assert boxes["scrollWidth"] <= boxes["clientWidth"], boxes  # the whole tree in view, no scrolling
    page.screenshot(path=str(artifacts / f"whatif_journey_beam_{name}.png"))
    steps, words = set(), set()
    svg = page.locator(TREE_SVG).first
    all_texts = svg.evaluate(TEXTS)
    assert len(all_texts["steps"]) >= 8, all_texts["steps"]  # the tree of 8 steps a page draws at once
    offsets = range(
        0, boxes["scrollWidth"] - boxes["clientWidth"] + boxes["clientWidth"] // 2, boxes["clientWidth"] // 2
    )
    for offset in offsets:  # the box scrolled as a finger or its scrollbar would, half a box at a time
        page.locator(TREE).evaluate("(box, x) => { box.scrollLeft = x; }", offset)
        seen = svg.evaluate(TEXTS)
        steps |= {text for text, a, b in seen["steps"] if box_left - 1 <= a and b <= box_right + 1}
        words |= {(k, text) for k, (text, a, b) in enumerate(seen["words"]) if box_left - 1 <= a and b <= box_right + 1}
    assert steps == {text for text, _, _ in all_texts["steps"]}, "a step of the tree cannot be brought into view"
    assert len(words) == len(all_texts["words"]), "a word of the tree is cut off at every scroll position"
    page.locator(TREE).evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    page.screenshot(path=str(artifacts / f"whatif_journey_beam_{name}_end.png"))
    assert_no_exception(page)


def test_a_finger_scrolls_the_tree_on_a_phone(app_page):
    """A swipe on the tree (touch events, as a phone sends them) moves the tree, not the page."""
    page = app_page
    open_screen(page, PHONE, "/what_if?whatif=beam&beam=3", TREE_SVG)
    tree = page.locator(TREE)
    tree.scroll_into_view_if_needed()
    box = tree.bounding_box()
    x, y = box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.5
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for k in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x - 20 * k, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_function("tree => document.querySelector(tree).scrollLeft > 0", arg=TREE, timeout=10_000)
    assert page.evaluate(BOXES, TREE)["pageWider"] <= 0
