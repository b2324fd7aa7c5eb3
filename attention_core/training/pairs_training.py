"""Train a model of a person's own sentence pairs: ``python -m attention_core.train --data FILE --name NAME``.

The same encoder, decoder, attention and training loop as the shipped toy model
(``train.fit``), with what a file of one's own needs:

- vocabularies from the data, capped at ``vocab_size`` tokens a side (the rest reads as
  ``<unk>``);
- a held-out share of the source sentences, never trained on, that the metrics come from;
- length buckets from the data, each with its own padded target length (a target may be
  longer than its source: Chinese adds measure words); a bucket too small for full batches
  joins the next longer one (``merged_buckets``);
- a number of epochs that fits the file: about ``PAIRS_PRESENTED`` pairs in all, between
  ``MIN_EPOCHS`` and ``MAX_EPOCHS`` passes, so a small file gets many passes and a large one few.

The model is written into a hidden folder and renamed into the models folder once its
metrics are written (``models_folder.publish``): a cancelled run lists nothing.
"""

from __future__ import annotations

import json
import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from attention_core.data import models_folder
from attention_core.data.pairs import (
    DEFAULT_MAX_PAIR_TOKENS,
    MOST_AUTO_EPOCHS,
    RECIPE_BATCH,
    Pair,
    PairsData,
    pairs_needed,
    split_held_out,
    summarise,
    vocabulary_tokens,
    write_pairs,
)
from attention_core.names import WEIGHTS_DIR
from attention_core.nn.model import (
    END_ID,
    MODEL_KINDS,
    PAD,
    TARGET_SPECIALS,
    UNK,
    ModelConfig,
    Vocabulary,
    weights_to_npz,
)
from attention_core.training.batching import bucket_of, length_batches
from attention_core.training.recipe import BUCKETS, TrainConfig, fit

PAIRS_PRESENTED = 450_000  # pairs seen in all by the default recipe: 30,000 toy pairs, 17 passes, about 6 minutes here
MIN_EPOCHS, MAX_EPOCHS = 3, MOST_AUTO_EPOCHS
MIN_TARGET_EXTRA_STEPS = 4  # decoding stops this many words past the longest target/source difference seen
# A bucket trained on fewer steps joins the next longer one: its few sentences then share full batches
# with longer ones instead of making a small, noisy batch of their own each epoch; the padding this adds
# costs a fraction of each of those few steps.
MIN_STEPS_PER_BUCKET = 100


@dataclass(frozen=True)
class PairsConfig:
    name: str  # the model's name (models_folder.check_name)
    seed: int = 1  # the held-out split, the initial weights and the batch order
    epochs: int | None = None  # None: enough passes for about PAIRS_PRESENTED pairs (MIN_EPOCHS..MAX_EPOCHS)
    held_out_share: float = 0.1  # of the distinct source sentences
    max_tokens: int = DEFAULT_MAX_PAIR_TOKENS  # a longer pair is dropped when the file is read
    max_pairs: int | None = None  # keep only the first this many pairs of the file
    vocab_size: int = 8_000  # tokens kept per side, most frequent first
    score: str = "additive"  # or a Luong score: "dot", "general", "scaled_dot", "location"
    batch_size: int = RECIPE_BATCH  # a small file has few batches: smaller ones give it more steps
    # pairs of each split written into the model folder (references, example sentences, known words);
    # None keeps all. The held-out figures come from the first pairs of the held-out split either way.
    keep_pairs: int | None = None

    def epochs_for(self, n_train: int) -> int:
        if self.epochs is not None:
            return self.epochs
        return max(MIN_EPOCHS, min(MAX_EPOCHS, math.ceil(PAIRS_PRESENTED / max(1, n_train))))


def buckets_for(max_length: int) -> tuple[int, ...]:
    """Padded source lengths: the toy model's buckets below ``max_length``, then ``max_length``."""
    return tuple(b for b in BUCKETS if b < max_length) + (max_length,)


def merged_buckets(lengths: list[int], buckets: tuple[int, ...], batch_size: int, epochs: int) -> tuple[int, ...]:
    """``buckets`` with those that ``lengths`` (the training sentences) fill for fewer than
    ``MIN_STEPS_PER_BUCKET`` steps joined to the next longer one; the longest is always kept."""
    counts = Counter(bucket_of(n, buckets) for n in lengths)
    kept, carried = [], 0
    for length in buckets[:-1]:
        carried += counts[length]
        # the batches length_batches makes of a bucket (a small one is one smaller batch), every epoch
        if carried and epochs * max(1, carried // batch_size) >= MIN_STEPS_PER_BUCKET:
            kept.append(length)
            carried = 0
    return (*kept, buckets[-1])


def make_vocabularies(pairs: list[Pair], cap: int) -> tuple[Vocabulary, Vocabulary]:
    source = vocabulary_tokens((p.source for p in pairs), cap)
    target = vocabulary_tokens((p.target for p in pairs), cap)
    specials = set(TARGET_SPECIALS)
    return (
        Vocabulary([PAD, UNK, *[t for t in source if t not in specials]]),
        Vocabulary([*TARGET_SPECIALS, *[t for t in target if t not in specials]]),
    )


def pair_batches(pairs: list[Pair], buckets, batch_size: int, rng: np.random.Generator, by_length: bool):
    """Index arrays of one source bucket each (``batching.length_batches``, a small bucket kept whole)."""
    lengths = [len(p.source) for p in pairs]
    return length_batches(lengths, buckets, batch_size, rng, by_length, keep_small_buckets=True)


def pair_encoder(pairs: list[Pair], source: Vocabulary, target: Vocabulary, buckets):
    """``batch → (source ids, target ids)``, targets padded to the longest target of the source bucket
    plus <end>: one padded shape per bucket."""
    target_length: dict[int, int] = {}
    for p in pairs:
        b = bucket_of(len(p.source), buckets)
        target_length[b] = max(target_length.get(b, 0), len(p.target) + 1)

    def encode(batch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        chunk = [pairs[k] for k in batch]
        length = bucket_of(max(len(p.source) for p in chunk), buckets)
        src = np.zeros((len(chunk), length), np.int32)
        tgt = np.zeros((len(chunk), target_length[length]), np.int32)
        for row, p in enumerate(chunk):
            src[row, : len(p.source)] = [source.id(t) for t in p.source]
            tgt[row, : len(p.target) + 1] = [*(target.id(t) for t in p.target), END_ID]
        return src, tgt

    return encode


def _progress_writer(path: Path | None) -> Callable[[int, int, float], None] | None:
    """JSON lines of step, total, loss and seconds, every 10 steps: the page's progress bar and loss chart."""
    if path is None:
        return None
    started = time.perf_counter()

    def write(step: int, total: int, loss: float) -> None:
        if step % 10 and step != total:
            return
        with path.open("a", encoding="utf-8") as f:
            f.write(json.dumps({"step": step, "total": total, "loss": round(loss, 5),
                                "seconds": round(time.perf_counter() - started, 1)}) + "\n")  # fmt: skip

    return write


@dataclass(frozen=True)
class PreparedData:
    """What every model of one file is trained on, the same for the model and its baseline."""

    train_pairs: list[Pair]
    held_out: list[Pair]
    source: Vocabulary
    target: Vocabulary
    model_config: ModelConfig
    buckets: tuple[int, ...]
    epochs: int


def pairs_of(data: PairsData, config: PairsConfig) -> list[Pair]:
    """The pairs a training uses: the file's, or its first ``max_pairs``."""
    return data.pairs[: config.max_pairs] if config.max_pairs else data.pairs


def prepare(data: PairsData, config: PairsConfig) -> PreparedData:
    pairs = pairs_of(data, config)
    train_pairs, held_out = split_held_out(pairs, config.held_out_share, config.seed)
    source, target = make_vocabularies(train_pairs, config.vocab_size)
    extra = max(MIN_TARGET_EXTRA_STEPS, max(len(p.target) - len(p.source) for p in pairs) + MIN_TARGET_EXTRA_STEPS)
    epochs = config.epochs_for(len(train_pairs))
    buckets = merged_buckets(
        [len(p.source) for p in train_pairs], buckets_for(max(len(p.source) for p in pairs)), config.batch_size, epochs
    )
    return PreparedData(
        train_pairs, held_out, source, target, ModelConfig(extra_target_steps=extra), buckets, epochs
    )  # fmt: skip


def fit_kind(prepared: PreparedData, kind: str, config: PairsConfig, on_snapshot=None, on_step=None, progress=True):
    """A model of ``kind`` trained on ``prepared`` by the default recipe: the same seed, batches and steps
    for every kind, so a model and its baseline differ only in what the decoder reads.
    ``on_snapshot(model, step)`` at the recipe's snapshot steps."""
    tf.config.experimental.enable_op_determinism()
    keras.utils.set_random_seed(config.seed)
    model = MODEL_KINDS[kind](len(prepared.source), len(prepared.target), prepared.model_config)
    rng = np.random.default_rng(config.seed)
    epochs = [
        pair_batches(prepared.train_pairs, prepared.buckets, config.batch_size, rng, by_length=e == 0)
        for e in range(prepared.epochs)
    ]
    recipe = replace(TrainConfig(seed=config.seed, batch_size=config.batch_size, epochs=prepared.epochs), kind=kind)
    encode = pair_encoder(prepared.train_pairs, prepared.source, prepared.target, prepared.buckets)
    snapshot = (lambda step: on_snapshot(model, step)) if on_snapshot is not None else None
    run = fit(model, epochs, encode, recipe, snapshot, on_step, progress, f"training {config.name} ({kind})")
    return model, recipe, run


def _checked_root(config: PairsConfig, root: Path | None) -> Path:
    root = Path(root) if root is not None else models_folder.models_dir()
    shipped = config.name in models_folder.SHIPPED_FOLDER_MODELS and root.resolve() == WEIGHTS_DIR.resolve()
    if not shipped:
        models_folder.check_name(config.name)
    if config.score not in ("additive", *MODEL_KINDS):
        raise ValueError(f"score must be 'additive' or one of {tuple(MODEL_KINDS)[2:]}. Received: {config.score!r}")
    return root


def train_on_pairs(
    data: PairsData,
    config: PairsConfig,
    root: Path | None = None,
    progress: bool = True,
    progress_file: Path | None = None,
    data_name: str = "",
) -> Path:
    """Train on ``data``, evaluate on its held-out pairs, and publish the model folder ``root/name``."""
    from attention_core.evaluation.pairs_metrics import (
        held_out_metrics,  # after training: it loads the folder's translator
    )

    root = _checked_root(config, root)
    prepared = prepare(data, config)
    kind = "attention" if config.score == "additive" else config.score
    folder = models_folder.partial_folder(root, config.name)
    (folder / "snapshots").mkdir()

    def on_snapshot(model, step: int) -> None:
        weights_to_npz(model, folder / "snapshots" / f"step_{step:05d}.npz")

    model, recipe, run = fit_kind(prepared, kind, config, on_snapshot, _progress_writer(progress_file), progress)
    weights_to_npz(model, folder / "weights.npz")
    for name, vocabulary in (("source_vocab.json", prepared.source), ("target_vocab.json", prepared.target)):
        (folder / name).write_text(json.dumps(vocabulary.tokens, ensure_ascii=False), encoding="utf-8")
    write_pairs(folder / "train.tsv", prepared.train_pairs[: config.keep_pairs])
    write_pairs(folder / "heldout.tsv", prepared.held_out[: config.keep_pairs])
    settings = {
        "name": config.name,
        "kind": kind,
        "score": config.score,
        "data_file": data_name,
        "has_alignment": data.has_alignment,
        "pairs_config": asdict(config),
        "train_config": asdict(recipe),
        "model_config": asdict(prepared.model_config),
        "buckets": list(prepared.buckets),
        "train_pairs": len(prepared.train_pairs),
        "held_out_pairs": len(prepared.held_out),
        "summary": asdict(summarise(data)),
    }
    held = held_out_metrics(model, prepared.source, prepared.target, prepared.model_config, prepared.held_out)
    summary = summarise(data)
    needed = pairs_needed(summary.target_words, summary.target_lengths[1], config.held_out_share, config.epochs,
                          config.batch_size)  # fmt: skip
    metrics = {**run, "held_out": held, "pairs": len(pairs_of(data, config)), "pairs_needed": needed}
    (folder / "metrics.json").write_text(json.dumps(metrics, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / models_folder.COMPLETE_FILE).write_text(json.dumps(settings, indent=1, ensure_ascii=False) + "\n")
    return models_folder.publish(folder, root, config.name)


def train_baseline(data: PairsData, config: PairsConfig, root: Path | None = None, progress: bool = True) -> Path:
    """The no-attention baseline of model ``config.name``, already trained on ``data`` with ``config``:
    the same split, vocabularies, sizes, batches and steps, its decoder reading only ``←h_1``.
    Written into the model's folder (weights, then metrics: a baseline without metrics is not listed)."""
    from attention_core.evaluation.pairs_metrics import held_out_metrics

    root = _checked_root(config, root)
    folder = root / config.name
    if not models_folder.is_model_folder(folder):
        raise ValueError(f"No model {config.name!r} in {root} to train a baseline for: train the model first")
    prepared = prepare(data, config)
    if prepared.source.tokens != json.loads((folder / "source_vocab.json").read_text(encoding="utf-8")):
        raise ValueError(f"{config.name!r} was trained on other data or settings: its vocabulary differs")
    model, recipe, run = fit_kind(prepared, "no_attention", config, progress=progress)
    partial = folder / f"{models_folder.PARTIAL_PREFIX}{models_folder.BASELINE_WEIGHTS}"
    weights_to_npz(model, partial)
    partial.rename(folder / models_folder.BASELINE_WEIGHTS)
    held = held_out_metrics(model, prepared.source, prepared.target, prepared.model_config, prepared.held_out)
    metrics = {"train_config": asdict(recipe), **run, "held_out": held}
    text = json.dumps(metrics, indent=1, ensure_ascii=False) + "\n"
    (folder / models_folder.BASELINE_METRICS).write_text(text, encoding="utf-8")
    return folder
