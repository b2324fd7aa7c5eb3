"""The step page with the Transformer chosen (``?model=transformer``) under AppTest: the chosen layer's and
head's cross-attention one equation at a time, its numbers those of a translation computed here by
``attention_core``; every head's α at the step; Next walking the equations into the next step; a slide; and the
pages that read one additive α saying so instead of drawing."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from attention_core import load_pretrained
from tests.support.apptest import run, texts

SENTENCE = "the big red car sees a small dog"
STEP, LAYER, HEAD = 4, 2, 2


def chart_tables(at) -> list[pa.Table]:
    return [pa.ipc.open_stream(c.proto.data.data).read_all() for c in at.get("vega_lite_chart") if c.proto.data.data]


def matrix(table: pa.Table) -> np.ndarray:
    r, c = np.array(table.column("r").to_pylist()), np.array(table.column("c").to_pylist())
    out = np.full((r.max() + 1, c.max() + 1), np.nan)
    out[r, c] = table.column("value").to_pylist()
    return out


@pytest.fixture(scope="module")
def translation():
    return load_pretrained("transformer").translate(SENTENCE)


def open_eq(eq: int, **extra: str):
    params = {"text": SENTENCE, "step": str(STEP), "layer": str(LAYER), "head": str(HEAD), "eq": str(eq)}
    return run("step_through", model="transformer", **{**params, **extra})


@pytest.fixture(scope="module")
def scores_page():
    return open_eq(3)


def test_the_score_equation_writes_out_q_dot_k_and_ends_in_the_models_value(scores_page, translation):
    cross = translation.steps[STEP - 1].cross[LAYER - 1]
    j = int(np.argmax(cross.alpha[HEAD - 1]))
    shown = texts(scores_page)
    q, k = cross.Q[HEAD - 1], cross.K[HEAD - 1][j]
    written = [f"(−{-v:.3f})" if v < 0 else f"{v:.3f}" for v in (q[0], k[0])]
    assert "·".join(written) in shown
    assert f"**{cross.e[HEAD - 1, j]:.4f}**" in shown
    tables = [matrix(t) for t in chart_tables(scores_page)]
    np.testing.assert_allclose(tables[0], cross.e[HEAD - 1][None], atol=1e-5)  # this head's e
    every_head = np.vstack([c.alpha for c in translation.steps[STEP - 1].cross])
    np.testing.assert_allclose(tables[-1], every_head, atol=1e-6)  # and every head's α at the step


def test_the_translation_is_the_transformers(scores_page, translation):
    assert f"i = {STEP} → {translation.steps[STEP - 1].chosen}" in str(scores_page.select_slider[0].format_func(STEP))


@pytest.mark.parametrize(
    ("eq", "field"),
    [(1, "Q"), (2, "K"), (4, "e_masked"), (5, "alpha"), (6, "head_context"), (7, "concat")],
)
def test_each_equation_draws_its_own_tensor(eq, field, translation):
    at = open_eq(eq)
    cross = translation.steps[STEP - 1].cross[LAYER - 1]
    expected = getattr(cross, field)
    if field in ("Q", "K", "e_masked", "alpha"):
        expected = expected[HEAD - 1]
    np.testing.assert_allclose(matrix(chart_tables(at)[0]), np.atleast_2d(expected), atol=1e-5)
    assert len(at.latex) == 1


def test_next_walks_the_equations_then_the_next_step():
    at = open_eq(7)
    at.switch_page("pages/step_through.py")
    at.button(key="step_next").click().run()
    assert not at.exception
    assert at.query_params["step"] == str(STEP + 1)
    assert at.query_params.get("eq") is None  # equation 1, the default, is left out of the link


def test_a_slide_at_59_tokens_in_chinese_shows_every_head_at_equation_5():
    from tests.support.browser import LONGEST

    at = open_eq(5, text=LONGEST, present="1", lang="zh", step="30")
    tables = chart_tables(at)
    assert len(tables) == 1 and matrix(tables[0]).shape[0] == 8  # 2 layers × 4 heads
    assert matrix(tables[0]).shape[1] <= 24


@pytest.mark.parametrize("page", ["lesson", "why_attention", "masking", "alignment", "score_functions", "pitfalls"])
def test_pages_of_one_additive_alpha_say_so(page):
    at = run(page, model="transformer")
    assert any("Transformer has heads instead" in i.value for i in at.info)
    assert not at.get("vega_lite_chart")


def test_home_opens_with_the_transformer_chosen_and_keeps_it_in_the_link():
    at = run(None, model="transformer")
    assert at.query_params["model"] == "transformer"
    assert not any("Transformer has heads instead" in i.value for i in at.info)
