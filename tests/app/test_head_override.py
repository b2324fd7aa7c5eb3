"""What if with the Transformer: one head's α at one step put on one source word, re-decoded by the model, the
link keeping step, word, layer and head; a link that does not fit is said and dropped."""

from __future__ import annotations

import numpy as np
import pytest

from attention_core import load_pretrained
from tests.support.apptest import run, texts, warnings

SENTENCE = "the big red car sees a small dog"
HEAD_OVERRIDE = {"model": "transformer", "text": SENTENCE, "layer": "2", "head": "3"}


@pytest.fixture(scope="module")
def transformer():
    return load_pretrained("transformer")


@pytest.mark.parametrize(("step", "j"), [(2, 3), (5, 1)])
def test_the_override_is_the_models_own_re_decoding_and_the_heads_context_is_v_j(transformer, step, j):
    at = run("what_if", **HEAD_OVERRIDE, override=f"{step}:{j}")
    weights = np.eye(len(SENTENCE.split()))[j - 1]
    after = transformer.translate(SENTENCE, head_overrides={(step, 2, 3): weights})
    (lines,) = [m.value for m in at.markdown if m.value.startswith("**Model's own:**")]
    overridden = lines.split("\n")[1].removeprefix("**Overridden:** ")
    assert [w.strip("*`") for w in overridden.split()] == after.target_tokens
    shown = texts(at)
    assert f"Head 3's context is now V_{j}" in shown
    gap = float(shown.split(" in every dimension")[0].rsplit("to ", 1)[1])
    assert gap < 1e-5
    cross = after.steps[step - 1].cross[1]
    np.testing.assert_allclose(cross.head_context[2], cross.V[2, j - 1], atol=1e-5)  # what the page says, checked
    assert at.query_params["override"] == f"{step}:{j}"
    assert at.query_params["layer"] == "2" and at.query_params["head"] == "3"


def test_choosing_a_word_writes_the_override_into_the_link():
    at = run("what_if", **HEAD_OVERRIDE, step="4")
    assert any("Choose a source word" in i.value for i in at.info)
    at.selectbox(key="head_override_word").set_value(6).run()
    assert not at.exception
    assert at.query_params["override"] == "4:7"
    assert "Head 3's context is now V_7" in texts(at)


@pytest.mark.parametrize("raw", ["99:1", "2:40", "2:0.5,0.5", "<b>"])
def test_an_override_that_does_not_fit_is_said_and_dropped(raw):
    at = run("what_if", **HEAD_OVERRIDE, override=raw, check=False)
    assert not at.exception
    if raw == "<b>":  # refused by the link's own check, before the page
        assert any("override" in w for w in warnings(at))
    else:
        assert any("does not fit" in w for w in warnings(at))
    assert "override" not in at.query_params


def test_the_view_in_chinese():
    at = run("what_if", **HEAD_OVERRIDE, override="2:3", lang="zh")
    assert "第 3 个头的上下文现在是 V_3" in texts(at)


@pytest.mark.parametrize("page", ["step_through", "what_if", "toward_the_transformer"])
def test_a_text_longer_than_the_transformer_reads_is_cut_with_a_notice(page):
    at = run(page, model="transformer", text="cat " * 25_000, override="2:1")
    assert "only its first" in texts(at)
