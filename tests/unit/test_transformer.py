"""The Transformer's translations: every step's traces are the model's own arithmetic, the interventions
(a pick, a beam, a one-head α override) act as they say, and the shipped Transformers translate."""

from __future__ import annotations

import dataclasses
from collections import Counter

import numpy as np
import pytest

from attention_core import load_pretrained
from attention_core.data.toy_data import generate_examples, reference_translation
from attention_core.data.toy_zh import reference_translation_zh
from attention_core.decoding.masking import future_weight
from attention_core.decoding.transformer_translator import (
    TransformerStep,
    TransformerTranslation,
    untrained_transformer,
)
from attention_core.evaluation.metrics import BUCKETS, count, head_rates, rates
from attention_core.nn.model import START_ID
from attention_core.nn.multihead import multi_head_attention

RTOL = ATOL = 1e-5  # float32 kernels differ between machines, never bit for bit
SENTENCE = "the big dog sees a small cat in the house"
SHIPPED = ("transformer", "transformer_no_causal_mask", "toy_en_zh_transformer")


@pytest.fixture(scope="module")
def untrained():
    return untrained_transformer("transformer", seed=3)


@pytest.fixture(scope="module")
def translation(untrained):
    return untrained.translate(SENTENCE)


def test_a_translation_has_every_layer_and_head_at_every_step(untrained, translation):
    config = untrained.config
    T_x, n = len(translation.source_tokens), len(translation.steps)
    assert isinstance(translation, TransformerTranslation)
    assert translation.cross_alpha.shape == (config.decoder_layers, config.heads, n, T_x)
    assert translation.self_alpha.shape == (config.decoder_layers, config.heads, n, n)
    assert len(translation.encoder_self) == config.encoder_layers
    assert translation.encoder_self[0].alpha.shape == (config.heads, T_x, T_x)
    for i, step in enumerate(translation.steps):
        assert isinstance(step, TransformerStep)
        assert len(step.cross) == len(step.self_attention) == config.decoder_layers
        assert step.cross[0].alpha.shape == (config.heads, T_x)
        assert step.self_attention[0].alpha.shape == (config.heads, i + 1)  # <start> and the words so far
        np.testing.assert_allclose(step.cross[0].alpha.sum(-1), 1.0, rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(step.trace.alpha, step.cross[-1].alpha.mean(0), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(
        translation.alpha, translation.cross_alpha[-1].mean(0)[: len(translation.target_tokens)], rtol=RTOL, atol=ATOL
    )
    assert np.all(np.triu(translation.self_alpha, k=1) == 0)  # no step reads a word not yet written


def test_a_steps_cross_attention_is_multi_head_attention_with_the_layers_weights(untrained, translation):
    """The stored trace is recomputed from its own input and the layer's weights by the equations alone."""
    step = translation.steps[2]
    for l, layer in enumerate(untrained.model.decoder_layers):
        trace = step.cross[l]
        again = multi_head_attention(trace.x[None, None], translation.h[None], layer.cross_attention.params).numpy()
        np.testing.assert_allclose(again.alpha[0, :, 0], trace.alpha, rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(again.output[0, 0], trace.output, rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(trace.K, np.asarray(again.K[0]), rtol=RTOL, atol=ATOL)


def test_step_by_step_is_one_teacher_forced_pass_for_the_causal_decoder(untrained, translation):
    words = translation.target_tokens
    forced = untrained.decode_batch([SENTENCE], targets=[words])
    for i, step in enumerate(translation.steps):
        np.testing.assert_allclose(
            forced.steps[i].cross_alpha[:, 0], np.stack([c.alpha for c in step.cross]), atol=1e-4
        )
        assert forced.steps[i].predicted[0] == step.predicted


def test_a_batch_decodes_each_sentence_as_alone(untrained):
    texts = [SENTENCE, "a cat sees the dogs", "the horse"]
    batch = untrained.decode_batch(texts)
    for row, text in enumerate(texts):
        alone = untrained.translate(text)
        words = []
        for step in batch.steps:
            if step.chosen[row] == "<end>":
                break
            words.append(step.chosen[row])
        n = min(len(words), len(alone.target_tokens))  # the batch runs to the longest row's step limit
        assert n > 0 and words[:n] == alone.target_tokens[:n]
        for i in range(n):
            np.testing.assert_allclose(
                batch.steps[i].cross_alpha[:, row, :, : len(alone.source_tokens)],
                alone.cross_alpha[:, :, i],
                atol=1e-4,
            )


def test_a_batch_without_the_padding_mask_reads_the_padding(untrained):
    from attention_core.decoding.masking import padding_weight

    rows = ["the cat", "", "the big dog sees a small cat"]
    correct = untrained.decode_batch(rows, "correct", pad_to=9)
    unmasked = untrained.decode_batch(rows, "none", pad_to=9)
    assert unmasked.mask_strategy == "none" and np.array_equal(unmasked.mask, correct.mask)  # the words, still
    for masked_step, bare_step in zip(correct.steps, unmasked.steps):
        np.testing.assert_allclose(padding_weight(masked_step.trace.alpha, correct.mask)[[0, 2]], 0.0, atol=ATOL)
        assert np.all(padding_weight(bare_step.trace.alpha, unmasked.mask)[[0, 2]] > 0)
    with pytest.raises(ValueError, match="'correct'.*'none'.*Received: mask_strategy='neg_inf'"):
        untrained.decode_batch(rows, "neg_inf")


def test_a_pick_forces_the_first_words_and_the_rest_follows(untrained):
    picked = untrained.translate(SENTENCE, prefix=["le", "chat"])
    assert picked.target_tokens[:2] == ["le", "chat"] and picked.prefix == ["le", "chat"]
    assert [s.chosen for s in picked.steps[:2]] == ["le", "chat"]
    # the third step read the picked words: its self-attention has them as keys
    assert picked.steps[2].self_attention[0].alpha.shape[-1] == 3


def test_beam_width_one_is_greedy_and_a_wider_beam_ranks_its_hypotheses(untrained, translation):
    assert untrained.translate(SENTENCE, beam_width=1).target_tokens == translation.target_tokens
    beam = untrained.translate(SENTENCE, beam_width=3)
    scores = [h.score for h in beam.hypotheses]
    assert scores == sorted(scores, reverse=True) and len(beam.hypotheses) >= 3
    assert beam.target_tokens == beam.hypotheses[0].tokens
    assert beam.beam.width == 3 and any(node.on_best_path for node in beam.beam.nodes[1:])
    log_p = sum(np.log(s.probabilities[untrained.target.id(s.chosen)]) for s in beam.steps)
    assert log_p == pytest.approx(beam.hypotheses[0].log_prob, abs=1e-3)  # the steps are the best hypothesis


def test_a_one_head_override_replaces_that_head_only_and_the_later_steps_follow(untrained, translation):
    T_x = len(translation.source_tokens)
    step, layer, head, j = 2, 2, 3, T_x - 1
    weights = np.zeros(T_x)
    weights[j] = 5.0  # renormalised to one-hot
    over = untrained.translate(SENTENCE, head_overrides={(step, layer, head): weights})
    at = over.steps[step - 1]
    assert at.overridden and at.head_overrides == ((layer, head),)
    np.testing.assert_array_equal(at.cross[layer - 1].alpha[head - 1], np.eye(T_x)[j])
    np.testing.assert_allclose(
        at.cross[layer - 1].head_context[head - 1], at.cross[layer - 1].V[head - 1, j], atol=ATOL
    )
    np.testing.assert_array_equal(at.cross[layer - 1].e, translation.steps[step - 1].cross[layer - 1].e)
    for other in range(untrained.config.heads):  # the other heads of that layer kept their own α
        if other != head - 1:
            np.testing.assert_allclose(
                at.cross[layer - 1].alpha[other], translation.steps[step - 1].cross[layer - 1].alpha[other], atol=ATOL
            )
    assert not over.steps[0].overridden
    np.testing.assert_allclose(over.cross_alpha[:, :, 0], translation.cross_alpha[:, :, 0], atol=ATOL)
    # the override stays at its position when the next steps are decoded
    later = over.steps[step].self_attention[layer - 1]
    assert later.alpha.shape[-1] == step + 1
    assert over.head_overrides[(step, layer, head)].sum() == pytest.approx(1.0)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({(1, 3, 1): [1, 0]}, "layer ≤ 2"),
        ({(1, 1, 5): [1, 0]}, "head ≤ 4"),
        ({(0, 1, 1): [1, 0]}, "1-based"),
        ({(1, 1): [1, 0]}, "(step, layer, head)"),
        ({(1, 1, 1): [1, 0, 0]}, "needs 2 weights"),
        ({(1, 1, 1): [0, 0]}, "not all zero"),
        ({(1, 1, 1): [-1, 2]}, "non-negative"),
        ({(40, 1, 1): [1, 0]}, "past the last decoder step"),
    ],
)
def test_a_wrong_override_is_refused_echoing_it(untrained, overrides, message):
    with pytest.raises(ValueError, match="Received") as error:
        untrained.translate("the cat", head_overrides=overrides)
    assert message in str(error.value)


def test_the_recurrent_override_shape_is_refused_with_the_transformer_one_named(untrained):
    with pytest.raises(ValueError, match="head_overrides"):
        untrained.translate("the cat", attention_overrides={1: [1, 0]})


def test_a_text_longer_than_the_positional_table_is_cut_and_says_so(untrained):
    result = untrained.translate("cat " * 300)  # 300 tokens: the table has max_positions rows
    assert len(result.source_tokens) == untrained.max_source_tokens < untrained.config.max_positions
    assert result.truncated and len(result.steps) <= untrained.config.max_positions


def test_an_empty_sentence_gives_an_empty_translation(untrained):
    empty = untrained.translate("")
    assert empty.steps == [] and empty.cross_alpha.shape[2:] == (0, 0)


def test_the_model_without_its_causal_mask_reads_the_later_words_under_teacher_forcing():
    leaky = untrained_transformer("transformer_no_causal_mask", seed=3)
    target_in = np.array([[START_ID, 5, 6, 7]], np.int32)
    source_ids = np.array([[3, 4, 5]], np.int32)
    memory, _ = leaky._fns.encode(source_ids, source_ids >= 0)
    given = np.zeros((2, 1, 4, 4, 3), np.float32)
    _, self_fields, _ = leaky._fns.step(memory, source_ids >= 0, target_in, given, given[..., 0] > 0)
    alpha = np.asarray(self_fields["alpha"])  # (layers, batch, heads, T, T)
    assert np.all(alpha[:, 0, :, 0, 1:] > 0)  # position 0 reads positions 1..3, its future
    causal = untrained_transformer("transformer", seed=3)
    _, self_fields, _ = causal._fns.step(memory, source_ids >= 0, target_in, given, given[..., 0] > 0)
    assert np.all(np.asarray(self_fields["alpha"])[:, 0, :, 0, 1:] == 0)


# --------------------------------------------------------------------------- the shipped Transformers


@pytest.fixture(scope="module", params=SHIPPED)
def shipped(request):
    return request.param, load_pretrained(request.param)


def test_each_shipped_transformer_loads_and_translates(shipped):
    name, translator = shipped
    text = "the small cat sees a big dog in the house and the dogs like the cats"
    result = translator.translate(text)
    reference = (reference_translation_zh if name == "toy_en_zh_transformer" else reference_translation)(text.split())
    assert len(result.steps) > 0 and result.cross_alpha.shape[2] == len(result.steps)
    if name == "transformer_no_causal_mask":  # it learnt to copy the next word; writing its own it fails
        forced = translator.decode_batch([text], targets=[list(reference.fr)])
        read = [step.predicted[0] for step in forced.steps[: len(reference.fr)]]
        assert read == list(reference.fr)
        assert tuple(result.target_tokens) != reference.fr
    else:
        assert tuple(result.target_tokens) == reference.fr


def test_reading_a_translation_at_once_is_the_batch_teacher_forcing_and_only_the_leaky_model_reads_ahead(shipped):
    name, translator = shipped
    if name == "toy_en_zh_transformer":
        return  # its pair is the French one's; the Chinese model is checked by the step test above
    text = "the small cat sees a big dog in the house"
    reference = list(reference_translation(text.split()).fr)
    reading = translator.read_reference(text, reference)
    forced = translator.decode_batch([text], targets=[reference])
    assert reading.read == ["<start>", *reference] and reading.written == [*reference, "<end>"]
    assert reading.predicted == [step.predicted[0] for step in forced.steps]
    assert reading.right == len(reading.written)  # both read the reference right: one by the mask's rules
    ahead = future_weight(reading.self_alpha)  # (layers, heads, T)
    np.testing.assert_allclose(reading.self_alpha.sum(axis=-1), 1.0, atol=ATOL)
    if name == "transformer":
        assert ahead.max() <= ATOL
    else:
        assert ahead.max() > 0.5  # some head reads mostly the words after its position


def test_reading_a_translation_refuses_no_words_and_unknown_ones(untrained):
    with pytest.raises(ValueError, match="at least one word"):
        untrained.read_reference("", ["le"])
    with pytest.raises(ValueError, match="target vocabulary.*'xyz'"):
        untrained.read_reference("the cat", ["le", "xyz"])


def test_the_shipped_translator_is_a_dataclass_result_with_steps_of_its_own(shipped):
    _, translator = shipped
    result = translator.translate("the cat sees a dog")
    assert dataclasses.is_dataclass(result) and all(isinstance(s, TransformerStep) for s in result.steps)


def test_the_evaluation_counts_every_head_and_teacher_forcing(untrained):
    examples = generate_examples(6, seed=4, max_clauses=2)
    raw = count(untrained, examples, batch_size=4)
    assert sorted(raw["by_head"]) == sorted(f"L{l}H{h}" for l in (1, 2) for h in (1, 2, 3, 4))
    words = sum(len(ex.fr) for ex in examples)
    for name, by_bucket in raw["by_head"].items():
        sure = sum(by_bucket[b].get("links_sure", 0) for b in BUCKETS)
        assert sure == words, name  # one gold link per reference word, for every head
        assert all(0 <= head_rates(by_bucket[b])["alignment"] <= 1 for b in BUCKETS)
    right = sum(c.get("forced_words_right", 0) for c in raw["by_bucket"].values())
    assert 0 <= right <= words + len(examples)  # the reference's words and each <end>
    forced = untrained.decode_batch([" ".join(ex.en) for ex in examples], targets=[list(ex.fr) for ex in examples])
    by_hand = sum(
        forced.steps[i].predicted[row] == word
        for row, ex in enumerate(examples)
        for i, word in enumerate((*ex.fr, "<end>"))
    )
    assert right == by_hand
    total = Counter()
    for b in BUCKETS:
        total.update(raw["by_bucket"][b])  # update, not +: a Counter sum drops the zero counts
    overall = rates(total, True)
    assert overall["teacher_forced_word_accuracy"] == pytest.approx(by_hand / (words + len(examples)))
