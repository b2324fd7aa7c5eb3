"""The shipped toy English → Chinese model on a projector and a phone: the slides fit, and the map
shows attention that reorders (在 looks at the preposition near the end of the English clause).

Screenshots land in ``tests/artifacts/`` (``zh_present_*.png``, ``zh_phone_*.png``).
"""

from __future__ import annotations

import pytest

from tests.support.browser import (
    MODEL_TIMEOUT_MS,
    OVERFLOWING_EQUATIONS,
    PHONE,
    PROJECTOR,
    SCROLLING,
    SMALL_TEXT,
    assert_no_exception,
    open_at,
    wait_for_opened,
)

pytestmark = pytest.mark.browser

SENTENCE = "the+big+black+cat+chases+the+house+in+a+rabbit"
ZAI_STEP = 6  # 那 只 大 黑 猫 在 …: the sixth word


def test_step_slides_fit_a_projector_with_the_chinese_model(app_page, artifacts):
    page = app_page
    open_at(page, PROJECTOR, f"/step_through?present=1&model=toy_en_zh&text={SENTENCE}&step={ZAI_STEP}&eq=5")
    assert_no_exception(page)
    main = page.locator('[data-testid="stMain"]')
    assert "在" in main.inner_text()
    page.screenshot(path=str(artifacts / "zh_present_step_eq5.png"))
    assert page.evaluate(SCROLLING) == [], "the slide scrolls"
    assert page.evaluate(OVERFLOWING_EQUATIONS) == [], "an equation runs off its box"
    assert page.evaluate(SMALL_TEXT, 18) == []
    assert "model=toy_en_zh" in page.url


@pytest.mark.parametrize("path", ["/masking", "/alignment"])
def test_other_slides_fit_with_the_chinese_model(app_page, artifacts, path):
    page = app_page
    page.set_viewport_size(PROJECTOR)
    page.goto(f"{page.base_url}{path}?present=1&model=toy_en_zh&text={SENTENCE}", wait_until="domcontentloaded")
    charts = page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"]')
    charts.filter(visible=True).first.wait_for(state="visible", timeout=MODEL_TIMEOUT_MS)  # equation 5's
    wait_for_opened(page)
    assert_no_exception(page)
    page.screenshot(path=str(artifacts / f"zh_present{path.replace('/', '_')}.png"))
    assert page.evaluate(SCROLLING) == [], f"{path}: the slide scrolls"


def test_a_phone_reads_the_chinese_model_step(app_page, artifacts):
    page = app_page
    page.set_viewport_size(PHONE)
    page.goto(f"{page.base_url}/step_through?model=toy_en_zh&text={SENTENCE}&step={ZAI_STEP}&eq=5")
    charts = page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"]')
    charts.filter(visible=True).first.wait_for(state="visible", timeout=MODEL_TIMEOUT_MS)  # equation 5's
    wait_for_opened(page)
    assert_no_exception(page)
    page.screenshot(path=str(artifacts / "zh_phone_step_eq5.png"), full_page=True)
    too_wide = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
    assert too_wide <= PHONE["width"] + 1, f"the page is {too_wide} px wide on a {PHONE['width']} px phone"
    assert "那 只 大 黑 猫 在 一 只 兔子 里 追 那 座 房子" in page.locator('[data-testid="stMain"]').inner_text()
