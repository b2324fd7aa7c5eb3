"""The alignment map of the longest toy sentence (59 tokens) on a 390×844 phone, and its exports.

On the phone no two column or row labels drawn overlap and the legends are whole; the map has one
chooser of its rows; downloading a figure, the training GIF and the step page's ZIP leaves the
server's terminal silent (no "missing ScriptRunContext", no tf.function retracing). Screenshots land
in ``tests/artifacts/`` (``maps_phone_59_*.png``).
"""

from __future__ import annotations

from urllib.parse import quote_plus

import pytest

from attention_core.data.toy_data import generate_long_examples
from ui.strings import en

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
TIMEOUT_MS = 180_000
IDLE = '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'
CHART = '[data-testid="stVegaLiteChart"] svg'
LONGEST = " ".join(max(generate_long_examples(200, seed=3, min_tokens=55), key=lambda ex: len(ex.en)).en)
NOISE = ("missing ScriptRunContext", "tf.function retracing")
# The boxes of the labels drawn (a label left out by the overlap rule has opacity 0), per axis, and of
# the legends' text. A box across a line of text is the font's line (1.45 em in the CJK font): it is cut
# to the text's size, the height its letters take, so rows 16 px apart with 11 px labels do not touch.
DRAWN = """(svg) => {
  const box = (el) => { const r = el.getBoundingClientRect(); const size = parseFloat(getComputedStyle(el).fontSize);
    const b = {text: el.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom};
    const [x, y] = [(r.left + r.right) / 2, (r.top + r.bottom) / 2];
    if (r.width < r.height && r.width > size) { b.left = x - size / 2; b.right = x + size / 2; }
    if (r.height <= r.width && r.height > size) { b.top = y - size / 2; b.bottom = y + size / 2; }
    return b; };
  const drawn = (el) => el.getAttribute('opacity') !== '0' && el.style.opacity !== '0';
  return {
    svg: box(svg),
    axes: [...svg.querySelectorAll('g.role-axis')].map(axis =>
      [...axis.querySelectorAll('g.role-axis-label text')].filter(drawn).map(box)),
    legends: [...svg.querySelectorAll('g.role-legend text')].map(box),
  };
}"""


def overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] - 0.5 and b["left"] < a["right"] - 0.5 and a["top"] < b["bottom"] - 0.5 \
        and b["top"] < a["bottom"] - 0.5  # fmt: skip


def open_alignment(page, text: str, size: dict) -> None:
    page.set_viewport_size(size)
    page.goto(page.base_url + "/alignment?text=" + quote_plus(text), wait_until="domcontentloaded")
    page.locator(CHART).first.wait_for(state="visible", timeout=TIMEOUT_MS)
    page.locator(IDLE).wait_for(state="attached", timeout=TIMEOUT_MS)
    # the chart's labels are laid out: as many axis labels as source words
    page.wait_for_function(
        "([sel, n]) => document.querySelector(sel)?.querySelectorAll('g.role-axis-label text').length >= n",
        arg=[CHART, 2 * len(text.split())],
        timeout=TIMEOUT_MS,
    )


def test_a_59_token_map_on_a_phone_draws_no_label_over_another_and_whole_legends(app_page, artifacts):
    page = app_page
    assert len(LONGEST.split()) == 59
    open_alignment(page, LONGEST, PHONE)
    shown = page.locator(CHART).first.evaluate(DRAWN)
    for labels in shown["axes"]:
        assert len(labels) >= 10, [b["text"] for b in labels]  # thinned where they would touch, not gone
        for k, a in enumerate(labels):
            for b in labels[k + 1 :]:
                assert not overlap(a, b), f"labels overlap: {a['text']!r} and {b['text']!r}"
    texts = [b["text"] for b in shown["legends"]]
    assert en.STRINGS["align.gold"] in texts and not any(text.endswith("…") for text in texts), texts
    for box in shown["legends"]:  # on the screen, whole
        assert box["left"] >= 0 and box["right"] <= PHONE["width"], box
    page.set_viewport_size({"width": 390, "height": 1600})  # a tall phone: the whole map in one screenshot
    page.locator(IDLE).wait_for(state="attached", timeout=TIMEOUT_MS)
    page.screenshot(path=str(artifacts / "maps_phone_59_full.png"), full_page=True)


def test_the_map_has_one_chooser_of_its_rows(app_page):
    page = app_page
    open_alignment(page, "the cat sees a dog", LAPTOP)
    choosers = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]')
    assert choosers.count() == 1, [c.inner_text() for c in choosers.all()]
    shown = choosers.first.evaluate("el => el.innerText + ' ' + [...el.querySelectorAll('input')].map(i => i.value)")
    assert "i = 1 →" in shown, shown  # the rows, each as its step and word
    page.get_by_role("button", name=en.STRINGS["align.open"]).wait_for(timeout=TIMEOUT_MS)


def download(page, name: str) -> int:
    """Press the download button ``name``; the file's size once it arrives."""
    with page.expect_download(timeout=TIMEOUT_MS) as arrived:
        page.get_by_role("button", name=name).first.click()
    return arrived.value.path().stat().st_size


def test_exports_leave_the_terminal_silent(app_page, artifacts):
    page = app_page
    log = artifacts / "streamlit-server.log"
    before = log.stat().st_size
    open_alignment(page, LONGEST, LAPTOP)  # 59 tokens: the training's snapshots each load a model
    assert download(page, en.STRINGS["export.png"]) > 0
    assert download(page, en.STRINGS["align.gif"]) > 0
    page.goto(page.base_url + "/step_through?text=the+little+cat+sees+a+dog&step=1", wait_until="domcontentloaded")
    page.locator(IDLE).wait_for(state="attached", timeout=TIMEOUT_MS)
    page.get_by_text(en.STRINGS["step.downloads"], exact=True).first.click()
    page.get_by_role("button", name=en.STRINGS["export.zip"]).wait_for(timeout=TIMEOUT_MS)
    assert download(page, en.STRINGS["export.zip"]) > 0
    page.locator(IDLE).wait_for(state="attached", timeout=TIMEOUT_MS)
    with log.open("rb") as f:
        f.seek(before)
        said = f.read().decode("utf-8", "replace")
    noisy = [line for line in said.splitlines() if any(noise in line for noise in NOISE)]
    assert noisy == [], noisy[:3]
