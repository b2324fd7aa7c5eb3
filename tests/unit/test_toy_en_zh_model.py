"""The shipped toy English → Chinese model, made from its pairs file by the command a user runs."""

from __future__ import annotations

import numpy as np
import pytest

from attention_core import load_pretrained
from attention_core.data import models_folder
from attention_core.data.toy_data import parse_english
from attention_core.data.toy_zh import reference_translation_zh

SPEC_EXAMPLES = (
    "the good cats watch the good boy",
    "the small parks find the gardens",
    "the big black cat chases the house in a rabbit",
    "a pretty blue horse follows the big cats in the big garden",
    "a small fast house sees the good horses under the good white tables",
    "the good cats watch the good boy and the small parks find the gardens",
)


@pytest.fixture(scope="module")
def translator():
    return load_pretrained("toy_en_zh")


def test_it_is_listed_first_among_the_models_made_from_pairs():
    assert models_folder.folder_models()[0] == "toy_en_zh"
    config = models_folder.read_config("toy_en_zh")
    assert config["has_alignment"] and config["score"] == "additive"


@pytest.mark.parametrize("sentence", SPEC_EXAMPLES)
def test_it_translates_the_spec_examples(translator, sentence):
    reference = reference_translation_zh(sentence.split())
    assert translator.translate(sentence).target_tokens == list(reference.fr)


def test_chinese_tokens_are_the_specs_words_not_characters(translator):
    assert {"那些", "兔子", "花园", "看见", "一起", "，"} <= set(translator.target.tokens)


def test_to_write_zai_it_looks_at_the_preposition_at_the_end_of_the_clause(translator):
    """在 … 里 moves the place phrase before the verb: attention leaves the diagonal for it."""
    sentence = "the big black cat chases the house in a rabbit"
    result = translator.translate(sentence)
    reference = reference_translation_zh(sentence.split())
    zai, li, verb = (reference.fr.index(w) for w in ("在", "里", "追"))
    assert int(np.argmax(result.alpha[zai])) == sentence.split().index("in")
    assert int(np.argmax(result.alpha[li])) == sentence.split().index("in")
    assert int(np.argmax(result.alpha[verb])) == sentence.split().index("chases")
    peaks = result.alpha.argmax(axis=1)
    assert np.any(np.diff(peaks) < 0)  # not monotone: the map is not diagonal


def test_stored_held_out_figures_agree_with_the_outputs_and_a_fresh_decode(translator):
    held = models_folder.read_tsv_pairs("toy_en_zh", "heldout")
    held_out = models_folder.read_metrics("toy_en_zh")["held_out"]
    outputs = held_out["outputs"]
    assert held_out["overall"]["pairs"] == len(outputs) <= len(held)
    exact = np.mean([out == " ".join(target) for out, (_, target, _) in zip(outputs, held)])
    assert exact == pytest.approx(held_out["overall"]["exact_match"], abs=1e-9)
    for source, _, _ in held[:6]:
        assert parse_english(source) is not None  # held-out pairs are sentences of the toy grammar
    for (source, _, _), stored in list(zip(held, outputs))[:6]:
        assert " ".join(translator.translate(" ".join(source)).target_tokens) == stored


def test_its_baseline_without_attention_loses_long_sentences():
    """The bottleneck on a language that reorders: the same data, sizes and steps, the decoder reading only ←h_1."""
    assert models_folder.has_baseline("toy_en_zh")
    baseline = models_folder.read_baseline_metrics("toy_en_zh")["held_out"]["by_bucket"]
    model = models_folder.read_metrics("toy_en_zh")["held_out"]["by_bucket"]
    assert baseline["0-9"]["exact_match"] > 0.8 and baseline["30-39"]["exact_match"] < 0.05
    assert all(model[b]["exact_match"] >= 0.99 for b in model)
    assert baseline["0-9"]["pairs"] == model["0-9"]["pairs"]  # the same held-out pairs
