"""The step-through page's exports of one decoder step: the seven figures as numbered PNGs in one
ZIP, in the page's order, each a real PNG; and every equation's view ends with the model's value."""

from __future__ import annotations

import io
import re
import zipfile

import numpy as np
import pytest
from PIL import Image

from ui.charts import figures
from ui.charts.equations import STEPS, StepContext
from ui.strings import t
from ui.views import step_panel
from ui.widgets import exports


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


SPACES = {"keys": "a", "query": "a", "tanh": "a", "c": "d"}  # W₁h, W₂s, tanh: attention space; c: encoder space


def test_dimension_axes_name_their_space_and_label_every_kth_unit(context):
    """a1…a32 and d1…d64 are different spaces: each chart's axis says which, labels at most nine
    units (all 64 overlap at any page width) and a line on the chart says why the sizes differ."""
    d_a, d_h = context.params.v.shape[0], context.translation.h.shape[1]
    sizes = {"a": d_a, "d": d_h}
    for equation in STEPS:
        svg = equation.view(context).figure.svg().decode("utf-8")
        units = re.findall(r">([ad]\d+)</text>", svg)
        if equation.key not in SPACES:
            assert units == [], equation.key
            continue
        space, n = SPACES[equation.key], sizes[SPACES[equation.key]]
        k = 4 if n == 32 else 8
        assert units == [f"{space}1", *(f"{space}{m}" for m in range(k, n + 1, k))], (equation.key, units)
        assert t(f"axis.space.{space}", n=n) in svg  # the axis title names the space and its size
        subtitle = re.search(r"aria-label=\"Subtitle text '([^']*)'", svg).group(1)
        assert subtitle == t(f"eq.space.{space}", d_a=d_a, d_h=d_h, d_s=context.step.s_prev.shape[0])
        assert f"{d_a}" in subtitle and f"{d_h}" in subtitle  # both sizes, so the reader sees why they differ


def test_every_figure_of_the_step_names_the_sentence_the_step_and_its_word(context):
    caption = exports.about("the cat sees a dog", context.i, context.step.chosen)
    assert "the cat sees a dog" in caption and f"{context.i}" in caption and context.step.chosen in caption
    for equation in STEPS:
        svg = figures.with_subtitle(equation.view(context).figure, caption).svg().decode("utf-8")
        subtitle = re.search(r"aria-label=\"Subtitle text '([^']*)'", svg).group(1)
        assert caption.replace("\n", " ") in subtitle, equation.key  # Vega names the lines in one label
    data = step_panel.all_figures_zip(context, "the-cat-sees-a-dog_step2")  # by default, the tokens read
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name, equation in zip(archive.namelist(), STEPS, strict=True):
            titled = Image.open(io.BytesIO(archive.read(name)))
            plain = Image.open(io.BytesIO(equation.view(context).figure.png()))
            assert titled.size[1] > plain.size[1], name  # the caption's line is in the PNG
