"""Toward the Transformer under AppTest: the additive model's α and every head's α at one output word with the
gold alignment, the four stops' formulas and tensors (each checked against a translation computed here by
``attention_core``), the layer and head pickers and their link, slides, Chinese and a bad link."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from attention_core import load_pretrained
from attention_core.data.toy_data import reference_translation
from tests.support.apptest import run, texts, warnings
from tests.support.browser import LONGEST

SENTENCE = "the big red car sees a small dog"
STEP, LAYER, HEAD = 3, 2, 3


def chart_tables(at) -> list[pa.Table]:
    """Each Vega-Lite chart's data as Arrow, as the browser receives it."""
    return [pa.ipc.open_stream(c.proto.data.data).read_all() for c in at.get("vega_lite_chart") if c.proto.data.data]


def matrix(table: pa.Table) -> np.ndarray:
    """A heatmap's cells back as a ``(rows, cols)`` matrix."""
    r, c = np.array(table.column("r").to_pylist()), np.array(table.column("c").to_pylist())
    out = np.full((r.max() + 1, c.max() + 1), np.nan)
    out[r, c] = table.column("value").to_pylist()
    return out


@pytest.fixture(scope="module")
def additive():
    return load_pretrained("attention").translate(SENTENCE)


@pytest.fixture(scope="module")
def transformer():
    return load_pretrained("transformer").translate(SENTENCE)


@pytest.fixture(scope="module")
def page():
    return run("toward_the_transformer", text=SENTENCE, step=str(STEP), layer=str(LAYER), head=str(HEAD))


def test_the_comparison_is_the_additive_alpha_and_every_heads_alpha_with_the_gold_word(page, additive, transformer):
    first = chart_tables(page)[0]
    shown = matrix(first)
    step = transformer.steps[STEP - 1]
    expected = np.vstack([additive.steps[STEP - 1].trace.alpha[None], *[c.alpha for c in step.cross]])
    assert shown.shape == (1 + 2 * 4, len(SENTENCE.split()))
    np.testing.assert_allclose(shown, expected, atol=1e-6)
    gold = reference_translation(SENTENCE.split()).align[STEP - 1]
    outlined = {c for c, g in zip(first.column("c").to_pylist(), first.column("gold").to_pylist()) if g}
    assert outlined == {gold}
    rows = list(dict.fromkeys(first.column("row").to_pylist()))
    assert rows[0] == "additive (1 head)" and rows[1:] == [f"L{l} H{h}" for l in (1, 2) for h in (1, 2, 3, 4)]
    hits = sum(int(np.argmax(row)) == gold for row in expected)
    assert f"{hits} of 9 rows peak on it" in texts(page)


def test_each_stop_has_its_formula_its_why_and_its_live_tensors(page, additive, transformer):
    assert [h.value for h in page.subheader] == [
        "1 · The additive score",
        "2 · Dot and scaled dot scores",
        "3 · Several heads, each with its own projections",
        "4 · Attention over the sentence itself",
    ]
    assert len(page.latex) == 4
    assert sum(c.value.startswith("Why: ") for c in page.caption) == 4
    tables = [matrix(t) for t in chart_tables(page)]
    trace = additive.steps[STEP - 1].trace
    np.testing.assert_allclose(tables[1], trace.e[None], atol=1e-5)  # stop 1: e, then α
    np.testing.assert_allclose(tables[2], trace.alpha[None], atol=1e-6)
    cross = transformer.steps[STEP - 1].cross[LAYER - 1]
    np.testing.assert_allclose(tables[5], cross.alpha, atol=1e-6)  # stop 3: the layer's heads' α, then e
    np.testing.assert_allclose(tables[6], cross.e, atol=1e-5)
    qk = np.vstack([cross.Q[HEAD - 1][None], cross.K[HEAD - 1]])
    np.testing.assert_allclose(tables[7], qk, atol=1e-5)
    np.testing.assert_allclose(tables[8], transformer.encoder_self[LAYER - 1].alpha[HEAD - 1], atol=1e-6)
    np.testing.assert_allclose(tables[9], transformer.self_alpha[LAYER - 1, HEAD - 1], atol=1e-6)


def test_the_decoders_self_attention_gives_the_future_nothing(page):
    decoder = matrix(chart_tables(page)[9])
    assert np.all(np.triu(decoder, k=1) == 0)
    np.testing.assert_allclose(decoder.sum(axis=1), 1.0, atol=1e-5)


def test_the_chosen_heads_numbers_are_its_own(page, transformer):
    cross = transformer.steps[STEP - 1].cross[LAYER - 1]
    j = int(np.argmax(cross.alpha[HEAD - 1]))
    line = f"e = q·k_{j + 1}/√16 = {cross.e[HEAD - 1, j]:.4f}, α = {cross.alpha[HEAD - 1, j]:.4f}"
    assert line in texts(page)
    assert f"Layer {LAYER}, head {HEAD} looks most at **{SENTENCE.split()[j]}**" in texts(page)


def test_the_pickers_are_in_the_link(page):
    assert (page.query_params["layer"], page.query_params["head"]) == (str(LAYER), str(HEAD))
    assert page.query_params["step"] == str(STEP)


def test_a_layer_past_the_models_is_its_last_with_a_notice():
    at = run("toward_the_transformer", text=SENTENCE, layer="9", head="0")
    shown = warnings(at)
    assert any("layer 9" in w and "layer 2" in w for w in shown), shown
    assert any(w.startswith("The link") and "head" in w for w in shown), shown  # head=0 refused: the default
    assert at.query_params["layer"] == "2"


@pytest.mark.parametrize("slide", range(1, 7))
def test_every_slide_draws_one_part_at_59_tokens_in_chinese(slide):
    at = run("toward_the_transformer", text=LONGEST, present="1", slide=str(slide), lang="zh", step="30")
    charts = chart_tables(at)
    assert charts, f"slide {slide} drew no chart"
    assert all(matrix(t).shape[1] <= 24 for t in charts if "r" in t.column_names)  # each column labelled at slide size
    assert f"{slide}/6" in "".join(m.value for m in at.markdown).replace(" ", "")


def test_a_talk_can_include_the_page():
    from tests.support.apptest import where

    at = run("toward_the_transformer", present="1", talk="step_through,toward_the_transformer", text=SENTENCE)
    assert where(at) == "2 / 2"


def test_the_chinese_model_is_compared_with_its_own_transformer():
    zh = load_pretrained("toy_en_zh_transformer").translate(SENTENCE)
    at = run("toward_the_transformer", model="toy_en_zh", text=SENTENCE, step=str(STEP))
    shown = matrix(chart_tables(at)[0])
    np.testing.assert_allclose(shown[1:], np.vstack([c.alpha for c in zh.steps[STEP - 1].cross]), atol=1e-6)
    assert any("dot and scaled dot models were trained on the toy French data only" in i.value for i in at.info)
    assert f"the Transformer **{zh.steps[STEP - 1].chosen}**" in texts(at)
