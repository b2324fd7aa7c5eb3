"""Time one attention step five ways, and the shipped translator: ``python -m benchmarks.core``.

For T_x in 10, 50 and 200 (batch 1, d_h = d_s = 64, d_a = 32, seeded float32 inputs):

    (a) ``bahdanau_attention``, eager
    (b) the same inside one ``tf.function`` whose signature leaves batch and T_x open
    (c) ``numpy_additive`` (``attention_core.nn.attention``), a numpy reference
    (d) Keras ``AdditiveAttention`` with the two projections (k = W1 h + b, q = W2 s), eager
    (e) (d) inside one ``tf.function``

Every path computes the same α and c, checked before timing (the output says so). The table
gives the median of single calls after a warm-up, and the ratio to (d) at the same T_x ((b)
also to (e)). With the shipped weights it adds (f) a warm translation of a 14-token sentence
(the output names it), full traces included, and (g) the training time from ``metrics.json``
(``--train`` also times a short run). The output is a Markdown table.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from attention_core.names import WEIGHTS_DIR
from attention_core.nn.attention import AdditiveParams, bahdanau_attention, numpy_additive

LENGTHS = (10, 50, 200)
D_H, D_S, D_A = 64, 64, 32
SEED = 0
REPEATS = 200
QUICK_REPEATS = 30
WARMUP = 10
AGREE_ATOL = 1e-5  # every path's α and c against numpy_additive's, before anything is timed
SENTENCE = "the big red car sees a small black dog behind the old green house"  # 14 tokens, the longest toy form
TRANSLATE_TARGET_MS = 50.0
SHORT_TRAINING = {"train_pairs": 2000, "epochs": 1}
CASES = {
    "a": "(a) bahdanau_attention, eager",
    "b": "(b) bahdanau_attention, tf.function",
    "c": "(c) numpy_additive",
    "d": "(d) Keras AdditiveAttention + projections, eager",
    "e": "(e) Keras AdditiveAttention + projections, tf.function",
}


@dataclass(frozen=True)
class Row:
    case: str
    T_x: str
    median_us: float | None  # None: the case has no per-call time (training) or was skipped
    ratio: str


def median_us(fn: Callable[[], object], repeats: int, warmup: int = WARMUP) -> float:
    """Median wall time of one call of ``fn``, in µs, over ``repeats`` calls after ``warmup`` calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6


def make_inputs(T_x: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """``h`` ``(1, T_x, d_h)`` and ``s_prev`` ``(1, d_s)``, float32, seeded per length."""
    rng = np.random.default_rng([seed, T_x])
    h = rng.standard_normal((1, T_x, D_H)).astype(np.float32)
    s_prev = np.tanh(rng.standard_normal((1, D_S))).astype(np.float32)
    return h, s_prev


def make_params(seed: int = SEED) -> AdditiveParams:
    rng = np.random.default_rng([seed, 1])
    return AdditiveParams(
        W1=(rng.standard_normal((D_H, D_A)) / np.sqrt(D_H)).astype(np.float32),
        W2=(rng.standard_normal((D_S, D_A)) / np.sqrt(D_S)).astype(np.float32),
        b=(0.1 * rng.standard_normal(D_A)).astype(np.float32),
        v=(rng.standard_normal(D_A) / np.sqrt(D_A)).astype(np.float32),
    )


class AttentionPaths:
    """The five implementations of one step, built once for every length."""

    def __init__(self, params: AdditiveParams):
        self.params_np = params
        self.params = AdditiveParams(*(tf.constant(p) for p in (params.W1, params.W2, params.b, params.v)))
        self.keras_attention = keras.layers.AdditiveAttention(use_scale=True)
        self.keras_attention.build([(None, 1, D_A), (None, None, D_H), (None, None, D_A)])
        self.keras_attention.scale.assign(params.v)  # Keras's scale vector is v: Σ_a scale_a tanh(q + k)_a
        signature = (tf.TensorSpec((None, None, D_H), tf.float32), tf.TensorSpec((None, D_S), tf.float32))
        # One signature with open batch and T_x: one trace serves every length.
        self.bahdanau_graph = tf.function(self.bahdanau_eager, input_signature=signature)
        self.keras_graph = tf.function(self.keras_eager, input_signature=signature)

    def bahdanau_eager(self, h, s_prev):
        trace = bahdanau_attention(h, s_prev, self.params)
        return trace.alpha, trace.context

    def keras_eager(self, h, s_prev):
        k = tf.matmul(h, self.params.W1) + self.params.b  # (batch, T_x, d_a)
        q = tf.matmul(s_prev, self.params.W2)[:, None, :]  # (batch, 1, d_a): one query
        c, alpha = self.keras_attention([q, h, k], return_attention_scores=True)
        return alpha[:, 0, :], c[:, 0, :]

    def numpy(self, h, s_prev):
        p = self.params_np
        _, alpha, c = numpy_additive(h, s_prev, p.W1, p.W2, p.b, p.v)
        return alpha, c

    def check_agree(self, h: np.ndarray, s_prev: np.ndarray, atol: float = AGREE_ATOL) -> None:
        """Every path gives the α and c of ``numpy_additive``; a timing of a wrong result means nothing."""
        alpha, c = self.numpy(h, s_prev)
        for name, fn in (
            ("bahdanau eager", self.bahdanau_eager),
            ("bahdanau tf.function", self.bahdanau_graph),
            ("Keras eager", self.keras_eager),
            ("Keras tf.function", self.keras_graph),
        ):
            got_alpha, got_c = (np.asarray(x) for x in fn(tf.constant(h), tf.constant(s_prev)))
            if not (np.allclose(got_alpha, alpha, atol=atol) and np.allclose(got_c, c, atol=atol)):
                raise RuntimeError(
                    f"{name} disagrees with numpy_additive at T_x={h.shape[1]}: "
                    f"max |Δα|={np.abs(got_alpha - alpha).max():.2e}, max |Δc|={np.abs(got_c - c).max():.2e}"
                )


def attention_rows(repeats: int, warmup: int) -> tuple[list[Row], dict[str, int]]:
    paths = AttentionPaths(make_params())
    rows = []
    for T_x in LENGTHS:
        h, s_prev = make_inputs(T_x)
        paths.check_agree(h, s_prev)
        h_tf, s_tf = tf.constant(h), tf.constant(s_prev)  # TF paths get tensors: no conversion timed
        calls = {
            "a": (bahdanau_attention, h_tf, s_tf, paths.params),
            "b": (paths.bahdanau_graph, h_tf, s_tf),
            "c": (paths.numpy, h, s_prev),
            "d": (paths.keras_eager, h_tf, s_tf),
            "e": (paths.keras_graph, h_tf, s_tf),
        }
        us = {case: median_us(functools.partial(*call), repeats, warmup) for case, call in calls.items()}
        for case, name in CASES.items():
            ratio = f"{us[case] / us['d']:.2f}× (d)"
            if case == "b":
                ratio += f", {us['b'] / us['e']:.2f}× (e)"
            rows.append(Row(name, str(T_x), us[case], ratio))
    traces = {
        "bahdanau": paths.bahdanau_graph.experimental_get_tracing_count(),
        "keras": paths.keras_graph.experimental_get_tracing_count(),
    }
    return rows, traces


def translation_row(repeats: int, warmup: int) -> Row:
    """(f): one warm ``translate`` of ``SENTENCE``, every step's trace included."""
    from attention_core.data.toy_data import parse_english
    from attention_core.decoding.translator import load_pretrained

    tokens = SENTENCE.split()
    if len(tokens) != 14 or parse_english(tokens) is None:
        raise RuntimeError(f"The bench sentence must be a 14-token toy sentence. Received: {SENTENCE!r}")
    translator = load_pretrained()
    translation = translator.translate(SENTENCE)
    if translation.alpha.shape[1] != 14:
        raise RuntimeError(f"Expected α over 14 source tokens. Received: alpha.shape={translation.alpha.shape}")
    us = median_us(lambda: translator.translate(SENTENCE), repeats, warmup)
    verdict = "within" if us / 1e3 <= TRANSLATE_TARGET_MS else "over"
    return Row(
        "(f) translate a 14-token sentence, warm, full traces",
        "14",
        us,
        f"{us / 1e3:.1f} ms, {verdict} the {TRANSLATE_TARGET_MS:.0f} ms target",
    )


def shipped_training_row(metrics_path: Path) -> Row:
    """(g): the training time recorded with the shipped weights."""
    metrics = json.loads(metrics_path.read_text())
    seconds = float(metrics["training_seconds"])
    config = metrics.get("train_config", {})
    pairs = metrics["steps"] * config["batch_size"] if "steps" in metrics and "batch_size" in config else None
    rate = f", {pairs / seconds:,.0f} pairs/s" if pairs else ""
    return Row("(g) training, shipped weights (metrics.json)", "≤ 14", None, f"{seconds:,.1f} s{rate}")


def short_training_row() -> Row:
    """(g) with ``--train``: a real short run, timed the way ``metrics.json`` times training."""
    from attention_core.training.recipe import TrainConfig, train

    config = TrainConfig(**SHORT_TRAINING)
    _, metrics = train(config, out_dir=None, progress=False)
    seconds = float(metrics["training_seconds"])  # the loop, first trace of the training step included
    pairs = metrics["steps"] * config.batch_size
    return Row(
        f"(g) training run, {config.train_pairs:,} pairs × {config.epochs} epoch",
        "≤ 14",
        None,
        f"{seconds:,.1f} s, {pairs / seconds:,.0f} pairs/s (one-off trace of the step included)",
    )


def format_table(rows: list[Row]) -> str:
    lines = ["| case | T_x | median µs | ratio |", "| --- | ---: | ---: | --- |"]
    for row in rows:
        median = "—" if row.median_us is None else f"{row.median_us:,.1f}"
        lines.append(f"| {row.case} | {row.T_x} | {median} | {row.ratio} |")
    return "\n".join(lines)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1. Received: {text}")
    return value


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=_positive_int, help=f"timed calls per case (default {REPEATS})")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_REPEATS} timed calls per case")
    parser.add_argument("--train", action="store_true", help="also time a 2,000-pair, 1-epoch training run")
    args = parser.parse_args(argv)
    repeats = args.repeats or (QUICK_REPEATS if args.quick else REPEATS)
    warmup = min(WARMUP, repeats)

    rows, traces = attention_rows(repeats, warmup)
    notes = []
    if (WEIGHTS_DIR / "model.npz").is_file():
        rows.append(translation_row(max(3, repeats // 4), min(3, warmup)))  # ms per call: a quarter is plenty
        notes.append(f'(f) translates "{SENTENCE}" ({len(SENTENCE.split())} toy tokens).')
    else:
        notes.append(f"(f) skipped: {WEIGHTS_DIR / 'model.npz'} not found.")
    if (WEIGHTS_DIR / "metrics.json").is_file():
        rows.append(shipped_training_row(WEIGHTS_DIR / "metrics.json"))
    else:
        notes.append(f"(g) skipped: {WEIGHTS_DIR / 'metrics.json'} not found.")
    if args.train:
        rows.append(short_training_row())

    print(
        f"Attention step, batch 1, d_h={D_H}, d_s={D_S}, d_a={D_A}, float32; median of {repeats} calls "
        f"after {warmup} warm-up calls; TensorFlow {tf.__version__}, Keras {keras.__version__}, "
        f"{os.cpu_count()} CPU cores.\n"
    )
    print(format_table(rows))
    print()
    print("ratio: median ÷ median of (d) at the same T_x; (b) also ÷ median of (e).")
    print(
        f"Before timing, every path gave the α and c of (c) within {AGREE_ATOL:g} "
        f"at T_x = {', '.join(map(str, LENGTHS))}."
    )
    print(
        f"tf.function traces across T_x = {', '.join(map(str, LENGTHS))}: "
        f"(b) {traces['bahdanau']}, (e) {traces['keras']}."
    )
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
