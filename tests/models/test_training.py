"""Training for real, briefly: a few steps of the toy recipe reduce the loss, for the additive model, the
baseline and the models trained with Luong's scores."""

from __future__ import annotations

import numpy as np
import pytest

from attention_core.training.recipe import TrainConfig, build_model, train


def test_a_few_training_steps_reduce_the_loss():
    config = TrainConfig(train_pairs=640, long_pairs=0, max_clauses=1, epochs=3, batch_size=32, snapshot_steps=())
    _, metrics = train(config, None, False)
    losses = metrics["loss_every_50_steps"]
    assert metrics["steps"] >= 45  # whole batches of one length bucket each: a few per bucket are left out
    assert metrics["final_loss"] < losses[0] * 0.8


def test_the_baseline_trains_too():
    config = TrainConfig(kind="no_attention", train_pairs=640, long_pairs=0, max_clauses=2, epochs=2, batch_size=32)
    model, metrics = train(config, None, False)
    assert not model.has_attention and model.attention is None
    assert metrics["final_loss"] < metrics["loss_every_50_steps"][0]


@pytest.mark.parametrize("kind", ["general", "location"])
def test_a_model_with_a_luong_score_trains_on_long_sentences_too(kind):
    config = TrainConfig(kind=kind, train_pairs=96, long_pairs=32, max_clauses=1, epochs=1, batch_size=32)
    model, metrics = train(config, None, False)
    untrained, _, _ = build_model(config.seed, kind=kind)
    assert model.score == kind and model.attention.score == kind and np.isfinite(metrics["final_loss"])
    assert metrics["steps"] >= 2  # whole batches only: one of short clauses at least, one of 45+ tokens
    moved = [not np.allclose(a, b) for a, b in zip(model.attention.get_weights(), untrained.attention.get_weights())]
    assert moved and all(moved)  # the score's own weights (W_a) learned
