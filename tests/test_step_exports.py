"""The step-through page's exports of one decoder step: the seven figures as numbered PNGs in one
ZIP, in the page's order, each a real PNG; and every equation's view ends with the model's value."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest
from PIL import Image

from ui import step_panel
from ui.equations import STEPS, StepContext


@pytest.fixture(scope="module")
def context() -> StepContext:
    from attention_core import load_pretrained

    translator = load_pretrained()
    translation = translator.translate("the cat sees a dog")
    return StepContext(translation, 1, 1, 0, translator.params, translator.output_weights, translator.target)


def test_zip_holds_the_seven_figures_in_order(context):
    data = step_panel.all_figures_zip(context, "the-cat-sees-a-dog_step2")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert len(names) == len(STEPS) == 7
        assert [n.split("_")[2] for n in names] == [str(k) for k in range(1, 8)], names
        assert all(n.startswith("the-cat-sees-a-dog_step2_") and n.endswith(".png") for n in names)
        for name in names:
            image = Image.open(io.BytesIO(archive.read(name)))
            assert image.format == "PNG" and image.size[0] > 100 and image.size[1] > 100


def test_every_view_ends_with_the_value_the_model_computed(context):
    trace, step = context.trace, context.step
    expected = {
        "keys": trace.W1_h[1, 0],
        "query": trace.W2_s[0],
        "tanh": trace.tanh_activation[1, 0],
        "e": trace.e[1],
        "alpha": trace.alpha[1],
        "c": trace.context[0],
        "y": step.probabilities[int(np.argmax(step.probabilities))],
    }
    for equation in STEPS:
        view = equation.view(context)
        assert view.value == pytest.approx(float(expected[equation.key]), abs=1e-6), equation.key
        assert f"{view.value:.4f}" in view.worked, equation.key


def test_the_code_box_shows_each_equations_own_function():
    for equation in STEPS:
        source = equation.source_code()
        assert source.startswith(f"def {equation.core.split(':')[1]}("), equation.key
        assert len(source.splitlines()) < 40, f"{equation.key}: the whole function, not a module"
