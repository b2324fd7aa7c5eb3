"""Arrow keys on a slider faster than the page: every press counts once, and after the burst the
slider, the link, the numbers and the next intervention name the same step.

The browser sends the link it shows with each press; pressed faster than a run, that link predates
the server's last write of it, and was once read as a new link (What if's step slider went back
to an earlier step and left the link on a later one). A long sentence makes each run long enough
for the presses to overlap runs.

Screenshots land in ``tests/artifacts/`` (``burst_*.png``).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from serving.page_probe import SLIDER_INPUT, slider_snapshot
from tests.support.browser import MODEL_TIMEOUT_MS, RUN_TIMEOUT_MS, assert_no_exception, wait_for_app, wait_for_opened

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
CLAUSES = (
    "the big red car sees the small black dog behind the old green house",
    "a young white girl likes the pretty blue cat",
)
LONG = " and ".join(CLAUSES)  # long enough that each run outlasts the spacing of the presses
PRESSES = 4
PRESS_SPACING_MS = 100  # a person tapping an arrow key quickly
# The slider's value (its option's index) once the page has finished running, or null.
SETTLED_INDEX = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return null;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return null;
  const input = document.querySelector('[data-testid="stMain"] [data-testid="stSlider"] input[type="range"]');
  return input ? Number(input.value) : null;
}"""


def open_at(page, path: str) -> None:
    page.set_viewport_size(LAPTOP)
    page.goto(page.base_url + path, wait_until="domcontentloaded")
    page.locator(SLIDER_INPUT).first.wait_for(state="visible", timeout=MODEL_TIMEOUT_MS)
    wait_for_opened(page)


def burst(page, key: str) -> None:
    """``PRESSES`` presses of ``key`` on the page's first slider, ``PRESS_SPACING_MS`` apart."""
    page.locator(SLIDER_INPUT).first.focus()
    for k in range(PRESSES):
        if k:
            page.wait_for_timeout(PRESS_SPACING_MS)  # the spacing of the person's presses, not a wait for the page
        page.keyboard.press(key)


def link_value(page, name: str) -> str | None:
    return parse_qs(urlparse(page.url).query).get(name, [None])[0]


def settle_on(page, index: int, name: str, value: str) -> None:
    """Wait until the page is idle with the slider at ``index`` and the link's ``name`` at ``value``;
    fail with what the screen and the link say if they never get there."""
    try:
        page.wait_for_function(
            f"([want, name, value]) => ({SETTLED_INDEX})() === want"
            " && new URLSearchParams(location.search).get(name) === value",
            arg=[index, name, value],
            timeout=RUN_TIMEOUT_MS,
        )
    except Exception as timeout:  # Playwright's TimeoutError: say what the screen shows instead
        shown = page.evaluate(SETTLED_INDEX)
        raise AssertionError(
            f"slider at index {shown}, link {name}={link_value(page, name)}; wanted {index}, {value}"
        ) from timeout
    wait_for_app(page)


def test_a_burst_on_what_ifs_step_slider_then_an_override_hits_the_step_shown(app_page, artifacts):
    page = app_page
    open_at(page, "/what_if?text=" + LONG.replace(" ", "+"))
    slider = page.locator(SLIDER_INPUT).first
    assert slider.get_attribute("aria-valuetext").startswith("i = 1 →")
    burst(page, "ArrowRight")
    settle_on(page, PRESSES, "step", str(PRESSES + 1))
    shown = slider.get_attribute("aria-valuetext")  # "i = 5 → voit"
    assert shown.startswith(f"i = {PRESSES + 1} →"), shown
    word = shown.split("→", 1)[1].strip()
    main = page.locator('[data-testid="stMain"]')
    assert f"while writing “{word}”" in main.inner_text()  # the numbers below are that step's
    page.screenshot(path=str(artifacts / "burst_whatif_slider.png"))

    mode = page.locator('[data-testid="stMain"] [data-testid="stButtonGroup"] button', has_text="all on one word")
    mode.click()
    page.wait_for_function("() => new URLSearchParams(location.search).has('override')", timeout=RUN_TIMEOUT_MS)
    settle_on(page, PRESSES, "step", str(PRESSES + 1))
    override = link_value(page, "override")
    assert override.startswith(f"{PRESSES + 1}:"), override  # the override is at the step shown
    assert f"At i = {PRESSES + 1} the model writes “{word}”" in main.inner_text()
    assert slider.get_attribute("aria-valuetext") == shown
    page.screenshot(path=str(artifacts / "burst_whatif_override.png"))
    assert_no_exception(page)


def test_a_burst_on_the_alignment_notch_slider_counts_every_press(app_page, artifacts):
    page = app_page
    open_at(page, "/alignment?text=" + "+".join(LONG.split()[:14]))
    final = slider_snapshot() + 1  # the options: snapshots 0 … n − 2, then "final"
    assert page.evaluate(SETTLED_INDEX) == final
    burst(page, "ArrowLeft")
    settle_on(page, final - PRESSES, "snap", str(final - PRESSES))
    page.screenshot(path=str(artifacts / "burst_alignment_notch.png"))
    assert_no_exception(page)
