"""Train the toy English→French translator from scratch: ``python -m attention_core.train``.

Reproducible (fixed seeds, deterministic ops), a few minutes on two CPU cores. Writes
into ``attention_core/weights/``: the final weights, weight snapshots from untrained
to final (the alignment page replays them), and ``metrics.json``.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from tqdm import tqdm

from attention_core.model import END, PAD, ModelConfig, Seq2Seq, Vocabulary, toy_vocabularies, weights_to_npz
from attention_core.names import WEIGHTS_DIR
from attention_core.toy_data import Example, generate_examples

MAX_SOURCE_LENGTH = 14  # the longest toy sentence (SPEC.md)


@dataclass(frozen=True)
class TrainConfig:
    seed: int = 1  # seeds the data, the initial weights and the batch order (see README: seeds differ)
    train_pairs: int = 40_000  # sampled sentence pairs (duplicates kept: frequent pairs are frequent)
    epochs: int = 4  # alignment keeps sharpening after translation is already exact
    batch_size: int = 64
    learning_rate: float = 3e-3  # Adam
    snapshot_steps: tuple[int, ...] = (0, 10, 30, 60, 100, 200, 400, 800, 1600)  # + the final step


def encode_batch(examples: list[Example], source: Vocabulary, target: Vocabulary):
    """Pad to fixed lengths so the training step traces once: sources to 14, targets to 15 (with <end>)."""
    src = np.zeros((len(examples), MAX_SOURCE_LENGTH), np.int32)
    tgt = np.zeros((len(examples), MAX_SOURCE_LENGTH + 1), np.int32)
    for row, ex in enumerate(examples):
        src[row, : len(ex.en)] = [source.id(t) for t in ex.en]
        tgt[row, : len(ex.fr) + 1] = [target.id(t) for t in (*ex.fr, END)]
    return src, tgt


def make_train_step(model: Seq2Seq, optimizer: keras.optimizers.Optimizer, pad_id: int):
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")

    @tf.function(reduce_retracing=True)
    def train_step(src, tgt):
        with tf.GradientTape() as tape:
            logits = model.teacher_forced_logits(src, tgt)
            weights = tf.cast(tf.not_equal(tgt, pad_id), tf.float32)  # no loss on padding
            loss = tf.reduce_sum(loss_fn(tgt, logits) * weights) / tf.reduce_sum(weights)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    return train_step


def build_model(seed: int, config: ModelConfig = ModelConfig()) -> tuple[Seq2Seq, Vocabulary, Vocabulary]:
    keras.utils.set_random_seed(seed)
    source, target = toy_vocabularies()
    return Seq2Seq(len(source), len(target), config), source, target


def train(
    config: TrainConfig = TrainConfig(), out_dir: Path | None = WEIGHTS_DIR, progress: bool = True
) -> tuple[Seq2Seq, dict]:
    """Train; when ``out_dir`` is given, write weights, snapshots and metrics there."""
    tf.config.experimental.enable_op_determinism()
    model, source, target = build_model(config.seed)
    examples = generate_examples(config.train_pairs, seed=config.seed)
    src, tgt = encode_batch(examples, source, target)
    optimizer = keras.optimizers.Adam(config.learning_rate)
    train_step = make_train_step(model, optimizer, target.id(PAD))
    rng = np.random.default_rng(config.seed)
    steps_per_epoch = len(examples) // config.batch_size
    total_steps = steps_per_epoch * config.epochs
    if out_dir is not None:
        (out_dir / "snapshots").mkdir(parents=True, exist_ok=True)
    losses, snapshots, step = [], [], 0
    started = time.perf_counter()
    bar = tqdm(total=total_steps, disable=not progress, unit="batch", desc="training")

    def snapshot() -> None:
        if out_dir is not None:
            weights_to_npz(model, out_dir / "snapshots" / f"step_{step:05d}.npz")
        snapshots.append({"step": step, "pairs_seen": step * config.batch_size, "loss": losses[-1] if losses else None})

    for _ in range(config.epochs):
        order = rng.permutation(len(examples))
        for k in range(steps_per_epoch):
            if step in config.snapshot_steps:
                snapshot()
            batch = order[k * config.batch_size : (k + 1) * config.batch_size]
            losses.append(float(train_step(tf.constant(src[batch]), tf.constant(tgt[batch]))))
            step += 1
            bar.update(1)
            bar.set_postfix(loss=f"{losses[-1]:.4f}")
    bar.close()
    snapshot()
    seconds = time.perf_counter() - started
    metrics = {
        "train_config": asdict(config),
        "model_config": asdict(model.config),
        "parameters": int(model.count_params()),
        "training_seconds": round(seconds, 1),
        "steps": step,
        "final_loss": losses[-1],
        "loss_every_50_steps": [round(x, 5) for x in losses[::50]],
        "snapshots": snapshots,
    }
    if out_dir is not None:
        weights_to_npz(model, out_dir / "model.npz")
        (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=1) + "\n")
    return model, metrics


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=TrainConfig.seed)
    parser.add_argument("--epochs", type=int, default=TrainConfig.epochs)
    parser.add_argument("--pairs", type=int, default=TrainConfig.train_pairs)
    parser.add_argument("--out", type=Path, default=WEIGHTS_DIR)
    args = parser.parse_args(argv)
    config = TrainConfig(seed=args.seed, epochs=args.epochs, train_pairs=args.pairs)
    _, metrics = train(config, args.out)
    print(
        f"trained {metrics['steps']} steps in {metrics['training_seconds']} s, final loss {metrics['final_loss']:.4f}"
    )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
