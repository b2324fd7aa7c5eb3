"""The models trained with Luong's scores: their layers' arithmetic, AER, and every intervention on every score."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attention_core import load_pretrained
from attention_core.data.toy_data import Example, generate_examples, reference_translation
from attention_core.evaluation.metrics import alignment_error_rate, count_links
from attention_core.evaluation.table import ATTENTION_KINDS, KINDS
from attention_core.names import SCORE_KINDS, TRAINED_SCORES
from attention_core.nn.attention import (
    SCORE_INTERMEDIATES,
    dot_attention,
    general_attention,
    location_attention,
    masked_softmax,
)
from attention_core.nn.layer import LuongAttention
from attention_core.nn.model import MODEL_KINDS

SENTENCE = "the big red car sees a small dog"
ATOL = 1e-5  # float32 kernels differ between machines and batch shapes, not bit for bit
TOY_SENTENCES = [" ".join(ex.en) for ex in generate_examples(30, seed=11, max_clauses=2)]
SCORE_OF_KIND = {kind: score for score, kind in SCORE_KINDS.items()}


def test_every_trained_score_has_a_shipped_kind_and_the_evaluation_names_them_all():
    assert set(SCORE_KINDS.values()) | {"no_attention"} == set(MODEL_KINDS) == set(KINDS)
    assert set(ATTENTION_KINDS) == set(SCORE_KINDS.values())
    assert TRAINED_SCORES == ("additive", "dot", "general", "scaled_dot", "location")


# --------------------------------------------------------------------------- AER on hand-made cases


def test_aer_of_a_perfect_alignment_is_zero():
    assert alignment_error_rate(5, 5, 5) == 0.0


def test_aer_of_a_disjoint_alignment_is_one():
    assert alignment_error_rate(4, 4, 0) == 1.0


def test_aer_of_a_partial_alignment():
    # A = {(0,0), (1,1)}, S = {(0,0), (2,1), (3,2)}: one link shared, 1 − 2·1/(2 + 3)
    assert alignment_error_rate(2, 3, 1) == pytest.approx(0.6)


def test_aer_without_links_is_an_error():
    with pytest.raises(ValueError, match="at least one link"):
        alignment_error_rate(0, 0, 0)


def forced(alphas: list[list[float]]):
    """A stand-in for a forced decode of one row: step i's α is ``alphas[i]``."""
    return SimpleNamespace(steps=[SimpleNamespace(trace=SimpleNamespace(alpha=np.array([a]))) for a in alphas])


def test_count_links_takes_each_words_argmax_and_its_entropy():
    ex = Example(en=("the", "cat", "sleeps"), fr=("le", "chat", "dort"), align=(0, 1, 2))
    c = Counter()
    count_links(c, forced([[1, 0, 0], [0.2, 0.3, 0.5], [0, 0, 1]]), 0, ex)
    assert (c["links_model"], c["links_sure"], c["links_both"]) == (3, 3, 2)  # the cat's α peaks on "sleeps"
    expected_entropy = -sum(p * np.log(p) for p in (0.2, 0.3, 0.5))
    assert c["entropy_sum"] == pytest.approx(expected_entropy)
    assert alignment_error_rate(c["links_model"], c["links_sure"], c["links_both"]) == pytest.approx(1 / 3)


# --------------------------------------------------------------------------- the layers


@pytest.fixture(scope="module")
def states():
    rng = np.random.default_rng(3)
    h = rng.normal(size=(2, 6, 8)).astype(np.float32)
    s = rng.normal(size=(2, 8)).astype(np.float32)
    mask = np.array([[True] * 6, [True] * 4 + [False] * 2])
    return h, s, mask


@pytest.mark.parametrize("score", LuongAttention.SCORES)
def test_each_luong_layer_computes_its_formula(states, score):
    h, s, mask = states
    layer = LuongAttention(score, 8, 8, positions=10)
    trace = layer(h, s, mask=mask).numpy()
    if score in ("dot", "scaled_dot"):
        e = np.einsum("btd,bd->bt", h, s) / (np.sqrt(8) if score == "scaled_dot" else 1)
    elif score == "general":
        e = np.einsum("btd,bd->bt", h, s @ np.asarray(layer.W_a).T)
    else:
        e = (s @ np.asarray(layer.W_a))[:, :6]
    np.testing.assert_allclose(trace.e, e, rtol=1e-5, atol=1e-5)
    _, alpha = masked_softmax(tf.constant(e), tf.constant(mask))
    np.testing.assert_allclose(trace.alpha, alpha, atol=1e-6)
    np.testing.assert_allclose(trace.alpha[1, 4:], 0.0)
    np.testing.assert_allclose(trace.context, np.einsum("bt,btd->bd", trace.alpha, h), atol=1e-5)
    assert trace.score == score


def test_the_layers_match_the_functions_the_pages_run(states):
    h, s, mask = states
    general = LuongAttention("general", 8, 8, positions=10)
    np.testing.assert_allclose(
        general(h, s, mask=mask).numpy().alpha, general_attention(h, s, general.W_a, mask).numpy().alpha, atol=1e-7
    )
    dot = LuongAttention("dot", 8, 8, positions=10)
    np.testing.assert_allclose(dot(h, s, mask=mask).numpy().e, dot_attention(h, s, mask).numpy().e, atol=1e-7)


def test_location_reads_the_decoder_state_alone(states):
    h, s, mask = states
    W_a = np.random.default_rng(0).normal(size=(8, 10)).astype(np.float32)
    a = location_attention(h, s, W_a, mask).numpy()
    b = location_attention(h[:, ::-1] * 3.0, s, W_a, mask).numpy()  # other words, same positions
    np.testing.assert_allclose(a.e, b.e)
    with pytest.raises(tf.errors.InvalidArgumentError, match="one column of W_a per source position"):
        location_attention(np.zeros((1, 11, 8), np.float32), s[:1], W_a)


def test_an_unknown_score_is_refused():
    with pytest.raises(ValueError, match="score must be one of"):
        LuongAttention("concat", 8, 8, positions=10)


# --------------------------------------------------------------------------- the shipped models


@pytest.fixture(scope="module", params=ATTENTION_KINDS)
def kind(request):
    return request.param


@pytest.fixture(scope="module")
def translator(kind):
    return load_pretrained(kind)


def test_each_kind_loads_and_translates_with_its_own_score(kind, translator):
    result = translator.translate(SENTENCE)
    score = SCORE_OF_KIND[kind]
    assert translator.model.score == score and result.target_tokens
    for step in result.steps:
        assert step.trace.score == score
        assert step.trace.alpha.sum() == pytest.approx(1.0, abs=1e-5)
        for name in SCORE_INTERMEDIATES["additive"]:
            assert (getattr(step.trace, name) is not None) == (name in SCORE_INTERMEDIATES[score]), name
    assert load_pretrained(kind) is translator


@pytest.mark.parametrize("kind_", ["dot", "general", "scaled_dot"])
def test_the_content_scores_translate_short_toy_sentences(kind_):
    translator = load_pretrained(kind_)
    for text in ("the cat sees a dog", "a dog sees the cats", SENTENCE):
        assert tuple(translator.translate(text).target_tokens) == reference_translation(text.split()).fr, text


def test_a_one_hot_override_makes_the_context_that_words_state(translator):
    greedy = translator.translate(SENTENCE)
    weights = np.zeros(len(greedy.source_tokens))
    weights[3] = 1.0
    result = translator.translate(SENTENCE, attention_overrides={2: weights})
    step = result.steps[1]
    np.testing.assert_allclose(step.trace.context, result.h[3], atol=ATOL)
    np.testing.assert_allclose(step.trace.e, greedy.steps[1].trace.e, atol=ATOL)  # e stays the model's own
    np.testing.assert_allclose(step.own_alpha, greedy.steps[1].trace.alpha, atol=ATOL)
    assert result.steps[0].chosen == greedy.steps[0].chosen


def test_a_forced_prefix_and_a_beam_run_through_every_score(translator):
    greedy = translator.translate(SENTENCE)
    prefixed = translator.translate(SENTENCE, prefix=greedy.target_tokens[:2])
    assert prefixed.target_tokens == greedy.target_tokens  # the model's own prefix changes nothing
    beam = translator.translate(SENTENCE, beam_width=3)
    scores = [h.score for h in beam.hypotheses]
    assert scores == sorted(scores, reverse=True) and len(beam.hypotheses) >= 1


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(TOY_SENTENCES))
def test_beam_width_one_is_greedy_for_every_score(translator, text):
    assert translator.translate(text, beam_width=1).target_tokens == translator.translate(text).target_tokens


def test_a_forced_batch_decode_gives_the_alpha_of_teacher_forcing(translator):
    texts = ["the cat sees a dog", SENTENCE]
    targets = [list(reference_translation(x.split()).fr) for x in texts]
    batch = translator.decode_batch(texts, targets=targets)
    for row, (text, target) in enumerate(zip(texts, targets)):
        alone = translator.translate(text, target=target)
        for i, step in enumerate(alone.steps):
            n = len(alone.source_tokens)
            np.testing.assert_allclose(batch.steps[i].trace.alpha[row, :n], step.trace.alpha, atol=ATOL)
    with pytest.raises(ValueError, match="one word list per text"):
        translator.decode_batch(texts, targets=targets[:1])
