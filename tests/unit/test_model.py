"""The trained translator: the SPEC examples, traces that agree with the model, threads, training."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from attention_core import load_free_text, load_pretrained
from attention_core.data.toy_data import (
    MAX_SENTENCE_TOKENS,
    generate_examples,
    generate_long_examples,
    reference_translation,
)
from attention_core.training.recipe import TrainConfig, training_examples

SPEC_EXAMPLES = [
    ("the old car watches the streets", "la vieille voiture regarde les rues"),
    ("a red garden finds the boy", "un jardin rouge trouve le garçon"),
    (
        "the city sees a pretty black girl behind the happy park",
        "la ville voit une jolie fille noire derrière le parc content",
    ),
    ("the good blue street watches the parks with a boy", "la bonne rue bleue regarde les parcs avec un garçon"),
    ("the happy cities chase the girls", "les villes contentes chassent les filles"),
    ("a black city finds the small parks", "une ville noire trouve les petits parcs"),
    ("the street likes a good car", "la rue aime une bonne voiture"),
    ("the fast park eats the table", "le parc rapide mange la table"),
]


@pytest.fixture(scope="module")
def translator():
    return load_pretrained()


@pytest.mark.parametrize(("english", "french"), SPEC_EXAMPLES)
def test_shipped_weights_translate_every_spec_example(translator, english, french):
    result = translator.translate(english)
    assert " ".join(result.target_tokens) == french
    np.testing.assert_allclose(result.alpha.sum(axis=1), 1.0, atol=1e-5)
    assert result.alpha.shape == (len(result.target_tokens), len(result.source_tokens))


def test_typed_sentence_with_capitals_and_full_stop(translator):
    result = translator.translate("The big red car sees a dog.")
    assert result.source_tokens == ["the", "big", "red", "car", "sees", "a", "dog"]
    assert " ".join(result.target_tokens) == "la grande voiture rouge voit un chien"


def test_attention_looks_at_the_word_it_translates(translator):
    """Over the SPEC examples: every noun, adjective, verb and preposition looks at its source word;
    determiners may look at their noun (gender and number come from there), but rarely do."""
    hits = total = 0
    for english, _ in SPEC_EXAMPLES:
        example = reference_translation(english.split())
        looks = np.argmax(translator.translate(english).alpha, axis=1)
        for k, gold in enumerate(example.align):
            total += 1
            hits += int(looks[k] == gold)
            if example.en[gold] not in ("the", "a", "an"):
                assert looks[k] == gold, (english, k)
    assert hits / total >= 0.9


def test_traces_agree_with_the_model(translator):
    result = translator.translate("the good blue street watches the parks with a boy")
    assert result.steps[-1].is_end and result.steps[-1].chosen == "<end>"
    assert len(result.steps) == len(result.target_tokens) + 1
    for k, step in enumerate(result.steps[:-1]):
        np.testing.assert_array_equal(step.trace.alpha, result.alpha[k])
        assert step.chosen == result.target_tokens[k] == step.predicted
        # the context the decoder consumed is Σ α h over the states shown on the page
        np.testing.assert_allclose(step.trace.context, step.trace.alpha @ result.h, atol=1e-5)
        np.testing.assert_allclose(step.probabilities.sum(), 1.0, atol=1e-5)
        assert step.top_words[0][0] == step.chosen
    # s_i is computed from s_{i-1}: each step's query differs from the one before
    assert not np.allclose(result.steps[0].s_prev, result.steps[1].s_prev)
    # the trace is bahdanau_attention on these states and the model's weights
    from attention_core import bahdanau_attention

    recomputed = bahdanau_attention(result.h[None], result.steps[3].s_prev[None], translator.params).row(0)
    np.testing.assert_allclose(recomputed.alpha, result.steps[3].trace.alpha, atol=1e-6)
    np.testing.assert_allclose(recomputed.e, result.steps[3].trace.e, atol=1e-5)


def test_output_distribution_reproduces_the_step(translator):
    step = translator.translate("the cat sees a dog").steps[2]
    np.testing.assert_allclose(
        translator.output_distribution(step.s_prev, step.trace.context), step.probabilities, atol=1e-6
    )


def test_forced_decoding_feeds_the_given_target(translator):
    result = translator.translate("the cat sees a dog", target="le chat mange un chien")
    assert result.forced
    assert result.target_tokens == ["le", "chat", "mange", "un", "chien"]
    assert result.steps[2].predicted == "voit"  # the model still predicts its own word
    assert result.alpha.shape == (5, 5)


def test_unknown_words_become_visible_not_exceptions(translator):
    result = translator.translate("the zebra sees a dog")
    assert result.unknown_source == [1]
    assert result.source_tokens[1] == "zebra"
    assert len(result.steps) <= len(result.source_tokens) + translator.model.config.extra_target_steps


def test_decoding_stops_at_a_length_cap(translator):
    result = translator.translate("dog " * 40)
    assert len(result.steps) <= 40 + translator.model.config.extra_target_steps


def test_empty_text_gives_an_empty_translation(translator):
    result = translator.translate("   ")
    assert result.source_tokens == [] and result.alpha.shape[1] == 0


def test_eight_threads_agree_with_one(translator):
    sentences = [" ".join(ex.en) for ex in generate_examples(16, seed=99)]
    alone = [translator.translate(s) for s in sentences]
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(translator.translate, sentences * 2))
    for single, shared in zip(alone * 2, together):
        assert single.target_tokens == shared.target_tokens
        np.testing.assert_array_equal(single.alpha, shared.alpha)


def test_free_text_accepts_any_script():
    free = load_free_text()
    result = free.translate("我爱你 مرحبا 👩‍💻 naïve")
    assert result.source_tokens == ["我", "爱", "你", "مرحبا", "👩\u200d💻", "naïve"]
    assert result.unknown_source == []
    assert np.isfinite(result.alpha).all()
    np.testing.assert_allclose(result.alpha.sum(axis=1), 1.0, atol=1e-5)
    assert not free.trained


def test_padding_in_a_batch_changes_nothing_with_the_correct_mask(translator):
    alone = translator.decode_batch(["the cat sees a dog"], "correct")
    padded = translator.decode_batch(["the cat sees a dog", "the big red car sees a small dog"], "correct", pad_to=12)
    for a, b in zip(alone.steps, padded.steps):
        np.testing.assert_allclose(a.trace.context[0], b.trace.context[0], atol=1e-5)
        np.testing.assert_allclose(a.trace.alpha[0], b.trace.alpha[0][:5], atol=1e-6)
        assert np.all(b.trace.alpha[0][5:] == 0)


def test_the_long_training_sentences_are_long_and_of_the_toy_grammar():
    examples = generate_long_examples(40, seed=3, min_tokens=45)
    assert all(45 <= len(ex.en) <= MAX_SENTENCE_TOKENS and ex.en.count("and") == 3 for ex in examples)
    assert all(reference_translation(ex.en) == ex for ex in examples)
    assert training_examples(TrainConfig(train_pairs=10, long_pairs=5))[10:] == generate_long_examples(5, 1, 45)


# --------------------------------------------------------------------------- long sentences


LONG_SPEC_EXAMPLE = (
    "the old car watches the streets and a red garden finds the boy",
    "la vieille voiture regarde les rues et un jardin rouge trouve le garçon",
)


def test_the_spec_long_example(translator):
    english, french = LONG_SPEC_EXAMPLE
    result = translator.translate(english)
    assert " ".join(result.target_tokens) == french
    # "et" looks at "and", and the second clause looks inside the second clause
    looks = np.argmax(result.alpha, axis=1)
    assert looks[6] == 6
    assert all(7 <= j <= 12 for j in looks[7:])


def test_a_four_clause_sentence_of_59_tokens(translator):
    from attention_core.data.toy_data import MAX_SENTENCE_TOKENS

    examples = [ex for ex in generate_examples(3000, seed=4, max_clauses=4) if len(ex.en) >= 48][:5]
    assert len(examples) == 5
    for ex in examples:
        result = translator.translate(" ".join(ex.en))
        assert tuple(result.target_tokens) == ex.fr
        assert len(ex.en) <= MAX_SENTENCE_TOKENS
        np.testing.assert_allclose(result.alpha.sum(axis=1), 1.0, atol=1e-5)


# --------------------------------------------------------------------------- the baseline without attention


@pytest.fixture(scope="module")
def baseline():
    return load_pretrained("no_attention")


def test_kinds_of_pretrained_translator(translator, baseline):
    assert load_pretrained() is load_pretrained("attention") is translator
    assert translator.has_attention and not baseline.has_attention
    assert baseline is load_pretrained("no_attention")
    with pytest.raises(ValueError, match="no_attention"):
        load_pretrained("recurrent_transformer")  # no such kind: the message lists the kinds there are


def test_the_baseline_has_the_same_sizes_and_no_attention_weights(translator, baseline):
    a, b = translator.model, baseline.model
    assert a.config == b.config
    attention_weights = sum(int(np.prod(w.shape)) for w in a.attention.weights)
    assert a.count_params() - b.count_params() == attention_weights
    assert len(translator.source) == len(baseline.source) and len(translator.target) == len(baseline.target)


def test_the_baseline_translates_with_the_same_interface_and_no_alpha(baseline):
    result = baseline.translate("the cat sees a dog")
    assert result.alpha is None
    assert result.source_tokens == ["the", "cat", "sees", "a", "dog"]
    assert result.target_tokens and result.steps[-1].is_end
    for step in result.steps:
        assert step.trace.score == "none" and step.trace.alpha is None and step.trace.e is None
        # every step's context is the same fixed summary: the backward encoder's final state, h at word 1
        np.testing.assert_allclose(step.trace.context, result.h[0], atol=1e-6)
        np.testing.assert_allclose(step.probabilities.sum(), 1.0, atol=1e-5)
        np.testing.assert_allclose(
            baseline.output_distribution(step.s_prev, step.trace.context), step.probabilities, atol=1e-6
        )
    forced = baseline.translate("the cat sees a dog", target="le chat voit un chien")
    assert forced.forced and forced.target_tokens == ["le", "chat", "voit", "un", "chien"]


def test_the_baseline_summary_is_the_encoders_final_state(baseline):
    import tensorflow as tf

    ids = np.array([[baseline.source.id(w) for w in ("the", "cat", "sees", "a", "dog")] + [0, 0]], np.int32)
    mask = tf.constant(ids != 0)
    h, s_0 = baseline.model.encode(tf.constant(ids), mask)
    x = baseline.model.source_embedding(tf.constant(ids[:, :5]))
    _, final = baseline.model.encoder(x)  # the same GRU over the words alone, no padding
    np.testing.assert_allclose(h[:, 0], final, atol=1e-5)
    np.testing.assert_allclose(s_0, baseline.model.initial_state(final), atol=1e-5)


def test_the_baseline_in_a_padded_batch(baseline):
    alone = baseline.decode_batch(["the cat sees a dog"])
    padded = baseline.decode_batch(["the cat sees a dog", "the big red car sees a small dog"], pad_to=12)
    for a, b in zip(alone.steps, padded.steps):
        assert a.trace.alpha is None and b.trace.alpha is None
        np.testing.assert_allclose(a.trace.context[0], b.trace.context[0], atol=1e-5)
        assert a.chosen[0] == b.chosen[0]
