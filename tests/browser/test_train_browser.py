"""The Train page in a real Chromium: a pairs file through the real file input, what was read of
it, a tiny training started from the form, its progress bar to the end, the held-out figures and
the link to the step page; at 1280×720 and on a 390×844 phone, with nothing wider than the screen.

The server is one of this file's own, its models folder a temporary one
(``ATTENTION_EXPLORER_MODELS``), so the training never touches ``models/``. Screenshots land in
``tests/artifacts/``.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from attention_core.data.models_folder import MODELS_ENV
from attention_core.data.pairs import Pair, write_pairs
from attention_core.data.toy_data import generate_examples
from serving.processes import running_app
from serving.training_job import TRAINING_ENV
from tests.support.browser import AXE, BLOCKING, MISSING_AXE, RUN_AXE, UNNAMED, WCAG_AA, describe, wait_for_app

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}
IDLE = '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'
RUN_TIMEOUT_MS = 60_000
TRAINING_TIMEOUT_MS = 300_000  # TensorFlow's start in the training process, 4 steps, the held-out scoring
NAME = "browser_tiny"
WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll('[data-testid="stMain"] *')]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1 && el.getClientRects().length)
  .map(el => el.tagName + '.' + (el.getAttribute('data-testid') || el.className)).slice(0, 5)"""


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("browser-models")


@pytest.fixture(scope="module")
def train_server(models_dir: Path, artifacts: Path):
    """A server of its own whose models folder is ``models_dir``, on loopback alone: training on."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(MODELS_ENV, str(models_dir))
        patch.delenv(TRAINING_ENV, raising=False)
        with running_app(log_path=artifacts / "streamlit-train-server.log", start_timeout=120) as app:
            yield app.url


@pytest.fixture
def train_page(browser_context, train_server):
    page = browser_context.new_page()
    page.base_url = train_server
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    try:
        yield page
    finally:
        page.close()


def tiny_pairs(tmp_path: Path) -> Path:
    """60 toy pairs with their alignments: one epoch is 4 steps."""
    path = tmp_path / "tiny-pairs.tsv"
    examples = generate_examples(60, seed=3)
    write_pairs(path, [Pair(e.en, e.fr, tuple((j, i) for i, j in enumerate(e.align))) for e in examples])
    return path


def wait_idle(page, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    wait_for_app(page, timeout_ms)


def wait_for_text(page, text: str, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    page.wait_for_function("t => document.body.innerText.includes(t)", arg=text, timeout=timeout_ms)


def assert_fits(page, where: str) -> None:
    wide = page.evaluate(WIDER_THAN_THE_SCREEN)
    assert not wide, f"{where}: wider than the {page.viewport_size['width']} px screen: {wide}"
    assert page.locator('[data-testid="stException"]').count() == 0


def shoot(page, artifacts: Path, name: str, anchor: str | None = None) -> None:
    """A screenshot of the screen as a person sees it, ``anchor`` (a text) scrolled to its top."""
    if anchor is not None:
        # To the top, then down by the height of Streamlit's header, which would cover it.
        page.get_by_text(anchor, exact=False).first.evaluate(
            """el => { el.scrollIntoView({block: 'start'});
              const main = document.querySelector('[data-testid="stMain"]'); if (main) main.scrollBy(0, -80); }"""
        )
        wait_for_app(page)
    page.screenshot(path=str(artifacts / name))


def assert_accessible(page, artifacts: Path, name: str) -> None:
    """axe-core's WCAG 2.1 A and AA rules, as tests/browser/test_accessibility.py runs them on every page."""
    assert AXE.is_file(), MISSING_AXE
    assert page.evaluate(UNNAMED) == [], "a chart or an image has no text alternative"
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN_AXE, WCAG_AA)
    (artifacts / f"axe_{name}.json").write_text(json.dumps(violations, ensure_ascii=False, indent=1), encoding="utf-8")
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{name}: serious or critical WCAG 2.1 AA violations\n" + describe(blocking)


def test_upload_train_and_open_the_model(train_page, artifacts, tmp_path, models_dir):
    page = train_page
    page.set_viewport_size(DESKTOP)
    page.goto(page.base_url + "/train", wait_until="domcontentloaded")
    wait_idle(page, 120_000)
    wait_for_text(page, "Train a model of your own pairs")
    assert "20 MB" in page.locator('[data-testid="stMain"]').inner_text()
    shoot(page, artifacts, "train_start_1280.png")

    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(tiny_pairs(tmp_path)))
    wait_for_text(page, "Pairs kept")
    wait_idle(page)
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "Read 60 lines." in main and "Every line was kept." in main
    name_box = page.get_by_label("Model name", exact=True)
    assert name_box.input_value() == "tiny-pairs"  # suggested from the file's name
    name_box.fill(NAME)
    name_box.press("Enter")
    wait_idle(page)
    epochs = page.get_by_label("Epochs", exact=True)
    epochs.fill("1")
    epochs.press("Enter")
    wait_idle(page)
    assert_fits(page, "the summary at 1280×720")
    assert_accessible(page, artifacts, "train_summary")
    shoot(page, artifacts, "train_summary_1280.png", anchor="What was read")

    started = time.monotonic()
    page.get_by_role("button", name="Start training").click()
    page.locator('[data-testid="stProgress"]').first.wait_for(state="visible", timeout=RUN_TIMEOUT_MS)
    wait_for_text(page, f"Training “{NAME}”")
    assert page.get_by_role("button", name="Cancel training").is_visible()
    shoot(page, artifacts, "train_running_1280.png", anchor=f"Training “{NAME}”")
    # The bar fills to the end (all steps done, the held-out pairs being scored), then the result replaces it.
    page.wait_for_function(
        """() => document.body.innerText.includes('steps done') || document.body.innerText.includes('is trained')""",
        timeout=TRAINING_TIMEOUT_MS,
    )
    wait_for_text(page, f"“{NAME}” is trained", TRAINING_TIMEOUT_MS)
    wall = time.monotonic() - started
    wait_idle(page)
    print(f"\ntiny training in the page: {wall:.1f} s from Start to the result")
    (models_dir / "wall_seconds.txt").write_text(f"{wall:.1f}\n")

    link = page.get_by_role("link", name=f"Open “{NAME}” on Step through")
    assert f"model={NAME}" in (link.get_attribute("href") or "")
    main = page.locator('[data-testid="stMain"]').inner_text()
    # Alignment accuracy counts the words emitted right, which one epoch may leave none of; AER is always there.
    for label in ("Exact match", "BLEU", "chrF", "AER"):
        assert label in main, label
    private = list((models_dir / ".private").glob(f"*/{NAME}/config.json"))  # this browser session's own
    assert len(private) == 1 and not (models_dir / NAME).exists()  # nothing published
    assert not [p for p in os.listdir(models_dir) if p.startswith(".partial-")]
    assert_fits(page, "the result at 1280×720")
    assert_accessible(page, artifacts, "train_done")
    shoot(page, artifacts, "train_done_1280.png", anchor="held-out pairs")

    page.set_viewport_size(PHONE)
    wait_for_app(page)  # the charts drawn again at the phone's width
    assert_fits(page, "the result on a phone")
    shoot(page, artifacts, "train_done_390.png", anchor="held-out pairs")
    shoot(page, artifacts, "train_by_length_390.png", anchor="By source length")
    shoot(page, artifacts, "train_summary_390.png", anchor="What was read")
    shoot(page, artifacts, "train_form_390.png", anchor="Model name")
    assert not page.js_errors, page.js_errors
