"""The evaluation table the why-attention page reads agrees with a fresh evaluation of the shipped models."""

from __future__ import annotations

import numpy as np
import pytest

from attention_core import load_pretrained
from attention_core.data.toy_data import reference_translation
from attention_core.evaluation.metrics import BUCKETS, bucket_of, count, greedy_words, rates
from attention_core.evaluation.table import (
    EVALUATED_KINDS,
    EVALUATION_PATH,
    LONG_HELD_OUT_TOKENS,
    TARGET_LANGUAGE,
    TRANSFORMER_KINDS,
    held_out_examples,
    in_language,
    load_table,
    long_held_out_examples,
    merge_tables,
)
from attention_core.training.recipe import TrainConfig, training_examples


@pytest.fixture(scope="module")
def table():
    assert EVALUATION_PATH.is_file(), "run `python -m attention_core.evaluate` to write the table"
    return load_table()


@pytest.fixture(scope="module")
def translators():
    return {kind: load_pretrained(kind) for kind in EVALUATED_KINDS}


@pytest.fixture(scope="module")
def sample(table):
    config = TrainConfig(seed=table["held_out"]["training_seed_excluded"])
    return held_out_examples(len(table["sample"]["sentences"]), training_examples(config))


def test_buckets():
    assert [bucket_of(n) for n in (5, 9, 10, 19, 20, 29, 30, 39, 40, 49, 50, 59)] == [
        "0-9",
        "0-9",
        "10-19",
        "10-19",
        "20-29",
        "20-29",
        "30-39",
        "30-39",
        "40-49",
        "40-49",
        "50-59",
        "50-59",
    ]


def test_the_longest_bucket_is_measured_on_its_own_long_sentences(table):
    held_out = table["held_out"]
    assert held_out["sentences_50_or_more"] >= 400
    assert table["models"]["attention"]["by_bucket"]["50-59"]["sentences"] == held_out["sentences_50_or_more"]
    config = TrainConfig(seed=held_out["training_seed_excluded"])
    long = long_held_out_examples(50, training_examples(config))
    assert all(len(ex.en) >= LONG_HELD_OUT_TOKENS for ex in long) and len({ex.en for ex in long}) == 50


def test_the_sample_is_the_start_of_the_held_out_set(table, sample):
    assert [" ".join(ex.en) for ex in sample] == table["sample"]["sentences"]
    train = {ex.en for ex in training_examples(TrainConfig(seed=table["held_out"]["training_seed_excluded"]))}
    assert not any(ex.en in train for ex in sample)
    assert len({ex.en for ex in sample}) == len(sample)


def test_the_table_holds_every_shipped_model(table):
    assert list(table["models"]) == list(EVALUATED_KINDS)


@pytest.mark.parametrize("kind", EVALUATED_KINDS)
def test_the_table_matches_a_fresh_evaluation_of_its_sample(table, translators, sample, kind):
    examples = in_language(sample, TARGET_LANGUAGE.get(kind, "fr"))
    fresh = count(translators[kind], examples, batch_size=16)  # another batch size than the table's
    stored = table["sample"]["counts"][kind]
    for bucket in BUCKETS:
        entropy = fresh["by_bucket"][bucket].pop("entropy_sum", None)
        expected = dict(stored[bucket])
        expected_entropy = expected.pop("entropy_sum", None)
        assert fresh["by_bucket"][bucket] == expected, bucket  # every count, AER links included
        if expected_entropy is not None:  # a sum of float32 terms: equal within float32 tolerance
            # −α ln α of the many near-zero weights of a Transformer head moves its last digits with the
            # batch's padded length (measured 1.1·10⁻⁴ relative, transformer_no_causal_mask, batches 16 and 256)
            rel = 1e-3 if kind in TRANSFORMER_KINDS else 1e-4
            assert entropy == pytest.approx(expected_entropy, rel=rel, abs=1e-4)


@pytest.mark.parametrize("kind", EVALUATED_KINDS)
def test_the_rates_are_the_counts(table, kind):
    model = table["models"][kind]
    assert model["has_attention"] == (kind != "no_attention")
    assert sum(model["by_bucket"][b]["sentences"] for b in BUCKETS) == table["held_out"]["sentences"]
    assert model["training"]["training_seconds"] > 0 and model["training"]["training_cpu_seconds"] > 0
    for bucket in BUCKETS:
        row, counts = model["by_bucket"][bucket], model["counts"][bucket]
        expected = rates(counts, model["has_attention"])
        for name, value in expected.items():
            assert row[name] == pytest.approx(value, abs=1e-12), (bucket, name)
        if model["has_attention"]:
            links = counts["links_model"], counts["links_sure"], counts["links_both"]
            assert links[0] == links[1] == counts["words"]  # one link per reference word, in A and in S
            assert 0 <= row["aer"] <= 1 and row["aer"] == pytest.approx(1 - links[2] / links[1])
        assert counts["sentences"] > 0 and row["ms_per_sentence"] > 0
        assert ("alignment" in row) == model["has_attention"]
    lengths = [n for n, _ in model["timing"]]
    assert {bucket_of(n) for n in lengths} == set(BUCKETS)
    assert all(ms > 0 for _, ms in model["timing"])


def test_the_sample_counts_agree_with_the_whole_table(table):
    """The sample is part of the whole: its rate lies within a generous binomial band of the table's."""
    for kind in EVALUATED_KINDS:
        whole = table["models"][kind]["overall"]
        sample_counts = table["sample"]["counts"][kind]
        n = sum(c.get("sentences", 0) for c in sample_counts.values())
        exact = sum(c.get("exact", 0) for c in sample_counts.values()) / n
        p = whole["exact_match"]
        assert abs(exact - p) <= 4 * np.sqrt(max(p * (1 - p), 1 / n) / n) + 1 / n, kind


def test_the_example_sentence_shows_the_bottleneck(table, translators):
    text = table["example"]
    assert len(text.split()) >= 40
    reference = reference_translation(text.split())
    assert tuple(translators["attention"].translate(text).target_tokens) == reference.fr
    assert tuple(translators["no_attention"].translate(text).target_tokens) != reference.fr


def test_greedy_words_stop_at_end(translators):
    decoded = translators["attention"].decode_batch(["the cat sees a dog", "a dog sees the cats"])
    assert greedy_words(decoded, 0) == ["le", "chat", "voit", "un", "chien"]
    assert greedy_words(decoded, 1) == ["un", "chien", "voit", "les", "chats"]


def test_tables_evaluated_apart_merge_into_the_whole(table):
    kinds = list(table["models"])
    parts = []
    for chosen in (kinds[:2], kinds[2:]):
        part = {**table, "models": {k: table["models"][k] for k in chosen}}
        part["sample"] = {**table["sample"], "counts": {k: table["sample"]["counts"][k] for k in chosen}}
        part["example"] = table["example"] if "no_attention" in chosen else None
        parts.append(part)
    assert merge_tables(parts[::-1]) == table
    other = {**parts[1], "held_out": {**parts[1]["held_out"], "training_seed_excluded": 7}}
    with pytest.raises(ValueError, match="same held-out sentences"):
        merge_tables([parts[0], other])


@pytest.mark.parametrize("kind", TRANSFORMER_KINDS)
def test_every_transformer_head_is_scored_and_its_whole_is_its_buckets(table, kind):
    model = table["models"][kind]
    assert len(model["heads"]) == 2 * 4  # two decoder layers of four heads
    for name, head in model["heads"].items():
        tokens = [head["by_bucket"][b]["aligned_tokens"] for b in BUCKETS]
        assert sum(tokens) == head["overall"]["aligned_tokens"] > 0, name
        weighted = sum(head["by_bucket"][b]["alignment"] * n for b, n in zip(BUCKETS, tokens)) / sum(tokens)
        assert head["overall"]["alignment"] == pytest.approx(weighted, abs=1e-9), name
        assert 0 <= head["overall"]["aer"] <= 1
    assert 0 <= model["overall"]["teacher_forced_exact_match"] <= 1
