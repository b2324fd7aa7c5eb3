"""Interventions on the live model: a picked prefix, beam search, an overridden α, a swapped word."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attention_core import load_pretrained
from attention_core.data.toy_data import generate_examples, same_class_words
from attention_core.decoding.translator import MAX_BEAM_WIDTH

SENTENCE = "the big red car sees a small dog"
ATOL = 1e-5  # float32 kernels differ between machines and batch shapes, not bit for bit
TRACE_FIELDS = ("W1_h", "W2_s", "pre_activation", "tanh_activation", "e", "alpha", "context")
TOY_SENTENCES = [" ".join(ex.en) for ex in generate_examples(40, seed=5, max_clauses=2)]


@pytest.fixture(scope="module")
def translator():
    return load_pretrained()


@pytest.fixture(scope="module")
def greedy(translator):
    return translator.translate(SENTENCE)


def assert_same_steps(a, b, steps=None):
    for i in steps if steps is not None else range(len(a.steps)):
        for name in TRACE_FIELDS:
            np.testing.assert_allclose(getattr(a.steps[i].trace, name), getattr(b.steps[i].trace, name), atol=ATOL)
        np.testing.assert_allclose(a.steps[i].logits, b.steps[i].logits, atol=1e-4)


def test_overriding_with_the_models_own_alpha_changes_nothing(translator, greedy):
    own = {s.i: s.trace.alpha for s in greedy.steps}
    result = translator.translate(SENTENCE, attention_overrides=own)
    assert result.target_tokens == greedy.target_tokens
    assert_same_steps(result, greedy)
    assert all(s.overridden for s in result.steps)
    assert not any(s.overridden for s in greedy.steps)


@pytest.mark.parametrize("j", [0, 3, 7])
def test_one_hot_override_makes_the_context_that_words_state(translator, greedy, j):
    weights = np.zeros(len(greedy.source_tokens))
    weights[j] = 5.0  # renormalised to 1
    result = translator.translate(SENTENCE, attention_overrides={2: weights})
    step = result.steps[1]
    np.testing.assert_allclose(step.trace.alpha, np.eye(len(weights))[j], atol=1e-7)
    np.testing.assert_allclose(step.trace.context, result.h[j], atol=ATOL)
    np.testing.assert_allclose(step.trace.e, greedy.steps[1].trace.e, atol=ATOL)  # e stays the model's own
    np.testing.assert_allclose(step.own_alpha, greedy.steps[1].trace.alpha, atol=ATOL)
    assert step.overridden and result.attention_overrides[2].sum() == pytest.approx(1.0)


def test_uniform_override_is_the_mean_of_the_real_states(translator, greedy):
    n = len(greedy.source_tokens)
    result = translator.translate(SENTENCE, attention_overrides={3: [1] * n})
    np.testing.assert_allclose(result.steps[2].trace.context, greedy.h.mean(axis=0), atol=ATOL)


def test_steps_before_an_override_are_untouched_and_later_ones_follow(translator, greedy):
    weights = np.zeros(len(greedy.source_tokens))
    weights[7] = 1.0  # "dog" while writing "grande"
    result = translator.translate(SENTENCE, attention_overrides={2: weights})
    assert_same_steps(result, greedy, steps=[0])
    np.testing.assert_allclose(result.steps[1].trace.e, greedy.steps[1].trace.e, atol=ATOL)
    assert not np.allclose(result.steps[1].logits, greedy.steps[1].logits, atol=1e-3)
    # The changed context reaches the next state: step 3's query differs.
    assert not np.allclose(result.steps[2].s_prev, greedy.steps[2].s_prev, atol=1e-4)


def test_the_models_own_prefix_changes_nothing(translator, greedy):
    for n in (1, 3, len(greedy.target_tokens)):
        result = translator.translate(SENTENCE, prefix=greedy.target_tokens[:n])
        assert result.target_tokens == greedy.target_tokens
        assert_same_steps(result, greedy)


def test_a_different_first_word_is_kept_and_the_rest_follows(translator, greedy):
    result = translator.translate(SENTENCE, prefix=["le"])
    assert result.target_tokens[0] == "le" and result.prefix == ["le"]
    assert result.steps[0].predicted == "la" and result.steps[0].chosen == "le"
    assert_same_steps(result, greedy, steps=[0])  # the word is fed after its step: step 1 is the model's own
    assert result.hypotheses[0].tokens == result.target_tokens


def test_a_prefix_ending_in_end_ends_the_sentence(translator):
    result = translator.translate(SENTENCE, prefix=["la", "<end>"])
    assert result.target_tokens == ["la"] and result.steps[-1].is_end


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(TOY_SENTENCES))
def test_beam_width_one_is_greedy(translator, sentence):
    greedy = translator.translate(sentence)
    beam = translator.translate(sentence, beam_width=1)
    assert beam.target_tokens == greedy.target_tokens and beam.beam is None
    searched = translator._beam_search(  # the search itself at width 1, not only the greedy path
        np.array([[translator.source.id(t) for t in greedy.source_tokens]], np.int32),
        [],
        1,
        {},
        len(greedy.source_tokens) + translator.model.config.extra_target_steps,
    )[1]
    assert searched[0].tokens == greedy.target_tokens
    assert searched[0].log_prob == pytest.approx(greedy.hypotheses[0].log_prob, abs=1e-4)


@pytest.mark.parametrize("width", [2, 4, MAX_BEAM_WIDTH])
def test_hypotheses_are_sorted_and_their_log_probs_are_forced_decoding_sums(translator, width):
    result = translator.translate(SENTENCE, beam_width=width)
    hypotheses = result.hypotheses
    assert len(hypotheses) >= 2 and result.target_tokens == hypotheses[0].tokens
    scores = [h.score for h in hypotheses]
    assert scores == sorted(scores, reverse=True)
    for hyp in hypotheses:
        forced = translator.translate(SENTENCE, target=hyp.tokens)
        words = [*hyp.tokens, "<end>"] if hyp.finished else hyp.tokens
        steps = forced.steps[: len(words)]
        total = sum(float(np.log(s.probabilities[translator.target.id(w)])) for s, w in zip(steps, words))
        assert hyp.log_prob == pytest.approx(total, abs=1e-3)
        assert hyp.score == pytest.approx(hyp.log_prob / len(words))


def test_beam_tree_keeps_at_most_width_words_a_step_and_marks_one_path(translator):
    width = 3
    result = translator.translate(SENTENCE, beam_width=width)
    nodes = result.beam.nodes
    assert nodes[0].word == "<start>" and nodes[0].parent is None
    for step in range(1, max(n.step for n in nodes) + 1):
        assert sum(n.kept for n in nodes if n.step == step) <= width
    path = [n for n in nodes if n.on_best_path]
    assert [n.word for n in path][1:] == [*result.target_tokens, "<end>"]
    assert all(n.kept for n in path)
    assert path[-1].log_prob == pytest.approx(result.hypotheses[0].log_prob)
    # The steps follow the chosen hypothesis with the model's own traces.
    assert_same_steps(result, translator.translate(SENTENCE, target=result.target_tokens))


def test_beam_with_an_override_and_a_prefix(translator, greedy):
    weights = np.zeros(len(greedy.source_tokens))
    weights[7] = 1.0
    result = translator.translate(SENTENCE, prefix=["la"], beam_width=4, attention_overrides={2: weights})
    assert result.target_tokens[0] == "la" and result.steps[1].overridden
    np.testing.assert_allclose(result.steps[1].trace.context, result.h[7], atol=ATOL)
    alone = translator.translate(SENTENCE, target=result.target_tokens, attention_overrides={2: weights})
    assert result.hypotheses[0].log_prob == pytest.approx(alone.hypotheses[0].log_prob, abs=1e-3)


@pytest.mark.parametrize(
    ("overrides", "echo"),
    [
        ({1: [1.0, 2.0]}, "[1.0, 2.0]"),
        ({1: [1, -1, 0, 0, 0, 0, 0, 0]}, "-1"),
        ({1: [float("nan")] * 8}, "nan"),
        ({1: [0] * 8}, "[0, 0, 0, 0, 0, 0, 0, 0]"),
        ({0: [1] * 8}, "step=0"),
        ({99: [1] * 8}, "99"),
        ({1: "abc"}, "abc"),
    ],
)
def test_bad_overrides_raise_and_echo_what_was_received(translator, overrides, echo):
    with pytest.raises(ValueError, match="Received") as raised:
        translator.translate(SENTENCE, attention_overrides=overrides)
    assert echo in str(raised.value)


def test_bad_combinations_raise(translator):
    with pytest.raises(ValueError, match="beam_width"):
        translator.translate(SENTENCE, beam_width=MAX_BEAM_WIDTH + 1)
    with pytest.raises(ValueError, match="not both"):
        translator.translate(SENTENCE, target="la voiture", prefix=["le"])
    with pytest.raises(ValueError, match="no"):
        load_pretrained("no_attention").translate(SENTENCE, attention_overrides={1: [1] * 8})


def test_the_baseline_takes_a_prefix_and_a_beam():
    baseline = load_pretrained("no_attention")
    result = baseline.translate(SENTENCE, prefix=["le"], beam_width=3)
    assert result.target_tokens[0] == "le" and result.alpha is None


def test_same_class_words_keep_class_and_number():
    assert "cats" in same_class_words("dogs") and "cat" not in same_class_words("dogs")
    assert "dog" not in same_class_words("dog") and "cat" in same_class_words("dog")
    assert "see" in same_class_words("like") and "sees" not in same_class_words("like")
    assert set(same_class_words("the")) == {"a", "an"}
    assert same_class_words("zebra") == []
