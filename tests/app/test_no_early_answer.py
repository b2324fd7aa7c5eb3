"""Equations 1–4 come before α: none of them may name the word α peaks on.

The source word j whose numbers are written out starts at the first word at every step, in the
reading view (one equation a run, and a step held in the browser) and on a slide; a word the
person picks stays picked. Only from equation 5 (α) on does a slide show the peak word.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from attention_core import load_pretrained
from ui.presenter import held_step

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 180  # the first run of a model page imports TensorFlow and builds the model
SENTENCE = "the cat sees a dog"
BEFORE_ALPHA_PICKING = (1, 3, 4)  # the equations before α whose numbers name a source word j


def opened(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("pages/step_through.py")
    for name, value in {"text": SENTENCE, **params}.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def word_boxes(at: AppTest) -> list:
    return [box for box in at.selectbox if box.key and box.key.startswith("entry_j:")]


def peaks() -> list[int]:
    """The word α peaks on at each decoder step (0-based)."""
    return [int(np.argmax(step.trace.alpha)) for step in load_pretrained().translate(SENTENCE).steps]


def written_j(latex: str) -> int:
    """The source word (1-based) whose numbers an equation of 1–4 writes out: h_{j} or tanh(·)_{j,…}."""
    found = re.search(r"h_\{(\d+)\}|\\tanh\(\\cdot\)_\{(\d+),", latex)
    assert found, latex
    return int(found.group(1) or found.group(2))


def test_the_sentence_has_steps_where_alpha_peaks_past_the_first_word():
    """Otherwise the tests below could not tell the first word from the peak."""
    assert sum(peak != 0 for peak in peaks()) >= 3, peaks()


@pytest.mark.parametrize("eq", BEFORE_ALPHA_PICKING)
def test_the_reading_view_starts_every_step_at_the_first_word(eq):
    for step in range(1, len(peaks()) + 1):
        at = opened(step=str(step), eq=str(eq))
        assert word_boxes(at)[0].value == 0, (step, word_boxes(at)[0].value)
        assert written_j(at.latex[1].value) == 1, (step, at.latex[1].value)


@pytest.mark.parametrize("eq", BEFORE_ALPHA_PICKING)
def test_a_slide_before_alpha_writes_out_the_first_word(eq):
    for step in range(1, len(peaks()) + 1):
        at = opened(step=str(step), eq=str(eq), present="1")
        assert not word_boxes(at), "a slide has no picker"
        assert written_j(at.latex[1].value) == 1, (step, at.latex[1].value)


def test_a_slide_shows_the_peak_from_alpha_on():
    step = next(i for i, peak in enumerate(peaks(), start=1) if peak != 0)
    at = opened(step=str(step), eq="5", present="1")
    assert re.search(rf"\\alpha_\{{{step},{peaks()[step - 1] + 1}\}}", at.latex[1].value), at.latex[1].value


def test_a_word_picked_stays_picked_and_moves_the_numbers():
    at = opened(step="2", eq="1")
    word_boxes(at)[0].set_value(3).run()
    assert not at.exception
    assert word_boxes(at)[0].value == 3 and written_j(at.latex[1].value) == 4
    at.button(key="step_next").click().run()  # equation 2 names no word; 3 shares the picker
    at.button(key="step_next").click().run()
    assert at.subheader[0].value.startswith("3. ")
    assert word_boxes(at)[0].value == 3 and written_j(at.latex[1].value) == 4


def test_a_held_step_starts_the_shared_picker_at_the_first_word(monkeypatch):
    monkeypatch.setattr(held_step, "holds", lambda busy=False: not held_step.state.get("present"))
    for step, peak in enumerate(peaks(), start=1):
        at = opened(step=str(step))
        assert word_boxes(at)[0].value == 0, (step, peak)
        worked = [latex.value for latex in at.latex]
        assert all(written_j(w) == 1 for w in worked if "W_1 h_{" in w or r"\tanh(\cdot)_{" in w), step
