"""``Translator``: one call gives a whole translation with every step's attention trace.

``load_pretrained()`` is the trained toy model; ``load_pretrained("no_attention")`` the
baseline trained beside it, whose decoder sees one fixed summary of the sentence (its
traces have no α); ``load_free_text()`` is the same architecture with seeded, untrained
weights over hashed word ids, for text in any script: its arithmetic is real, its output
words mean nothing.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np

from attention_core.attention import MASK_STRATEGIES, AdditiveParams, AttentionTrace, trace_from_decode
from attention_core.model import (
    END_ID,
    MODEL_KINDS,
    ModelConfig,
    Seq2Seq,
    Vocabulary,
    decode_function,
    free_text_vocabulary,
    toy_vocabularies,
    weights_from_npz,
)
from attention_core.names import WEIGHTS_DIR
from attention_core.text import MAX_TOKENS, tokenize

TOP_WORDS = 5  # output words listed per step
WEIGHT_FILES = {"attention": "model.npz", "no_attention": "no_attention.npz"}  # in WEIGHTS_DIR, per kind
METRICS_FILES = {"attention": "metrics.json", "no_attention": "no_attention_metrics.json"}
FREE_TEXT_SEED = 2024  # the untrained free-text weights; any sentence gets the same model


@dataclass(frozen=True)
class DecoderStep:
    """Decoder step ``i`` (1-based): the query, its attention trace, and y_i."""

    i: int
    s_prev: np.ndarray  # (d_s,)   s_{i-1}, the query
    trace: AttentionTrace  # this step's attention, batch axis dropped; score "none" and no α without attention
    logits: np.ndarray  # (|V_y|,)  W_o [s_{i-1}; c_i] + b_o
    probabilities: np.ndarray  # (|V_y|,)  softmax of the logits
    top_words: list[tuple[str, float]]  # the TOP_WORDS most likely words, most likely first
    predicted: str  # argmax of the distribution
    chosen: str  # the word fed to the next step: predicted, or the forced target word
    is_end: bool  # the chosen word is <end>: this step produces no target token


@dataclass(frozen=True)
class Translation:
    source_tokens: list[str]
    target_tokens: list[str]  # without <end>
    alpha: np.ndarray | None  # (len(target_tokens), len(source_tokens)); None for a model without attention
    steps: list[DecoderStep]  # one per decoder step, the <end> step (if reached) last
    h: np.ndarray  # (T_x, d_h) encoder states
    unknown_source: list[int]  # indices of source tokens outside the model's vocabulary
    truncated: bool  # the text had more than MAX_TOKENS tokens
    forced: bool  # decoded with a given target (teacher forcing)


@dataclass(frozen=True)
class BatchStep:
    """One decoder step over a padded batch (the masking page)."""

    trace: AttentionTrace  # with the batch axis
    s_prev: np.ndarray  # (batch, d_s)
    chosen: list[str]  # (batch,)


@dataclass(frozen=True)
class BatchDecode:
    tokens: list[list[str]]  # each row's real tokens
    padded_length: int
    mask: np.ndarray  # (batch, T) bool
    h: np.ndarray  # (batch, T, d_h)
    steps: list[BatchStep]
    mask_strategy: str


class Translator:
    """A built, warmed model with its vocabularies; safe to share between threads."""

    def __init__(self, model: Seq2Seq, source: Vocabulary, target: Vocabulary, name: str, trained: bool):
        self.model, self.source, self.target, self.name, self.trained = model, source, target, name, trained
        self.has_attention = model.has_attention
        self._decoders = {s: decode_function(model, s) for s in MASK_STRATEGIES}
        self.translate("the cat sees a dog")  # trace once here, not under concurrent first calls

    @functools.cached_property
    def params(self) -> AdditiveParams:
        """The attention weights as numpy, read once: a translator's weights never change."""
        return self.model.attention.params.numpy()

    @functools.cached_property
    def output_weights(self) -> tuple[np.ndarray, np.ndarray]:
        """W_o ``(d_s + d_h, |V_y|)`` and b_o ``(|V_y|,)`` of y_i = softmax(W_o [s_{i-1}; c_i] + b_o)."""
        return np.asarray(self.model.output_layer.kernel), np.asarray(self.model.output_layer.bias)

    def output_distribution(self, s_prev: np.ndarray, context: np.ndarray) -> np.ndarray:
        """y_i = g(s_{i-1}, c_i) for any context (the score-function page swaps c_i): ``(|V_y|,)``."""
        as_batch = [np.asarray(x, np.float32)[None, :] for x in (s_prev, context)]
        return _softmax(np.asarray(self.model.output_logits(*as_batch))[0])

    def _max_steps(self, source_length: int) -> int:
        return source_length + self.model.config.extra_target_steps

    def translate(self, text: str | list[str], target: str | list[str] | None = None) -> Translation:
        """Translate ``text`` (a string, or tokens); with ``target``, force that translation."""
        tokens = tokenize(text) if isinstance(text, str) else tokenize(" ".join(text))
        source_tokens = list(tokens)
        target_tokens_in = None
        if target is not None:
            target_tokens_in = list(tokenize(target) if isinstance(target, str) else target)[:MAX_TOKENS]
        if not source_tokens:  # nothing to attend to: no model run, an empty result the page can explain
            return Translation(
                [],
                [],
                np.zeros((0, 0), np.float32) if self.has_attention else None,
                [],
                np.zeros((0, self.model.config.d_h)),
                [],
                tokens.truncated,
                target is not None,
            )
        source_ids = np.array([[self.source.id(t) for t in source_tokens]], np.int32).reshape(1, -1)
        forced = np.zeros((1, 0), np.int32)
        max_steps = self._max_steps(len(source_tokens))
        if target_tokens_in is not None:
            forced = np.array([[self.target.id(t) for t in target_tokens_in] + [END_ID]], np.int32)
            max_steps = forced.shape[1]
        out = self._decoders["correct"](source_ids, source_ids >= 0, forced, max_steps)
        out = {k: v.numpy() for k, v in out.items()}
        steps = self._steps(out, row=0, forced_words=target_tokens_in)
        target_steps = [s for s in steps if not s.is_end]
        alpha = None
        if self.has_attention:
            alpha = (
                np.stack([s.trace.alpha for s in target_steps])
                if target_steps
                else np.zeros((0, len(source_tokens)), np.float32)
            )
        return Translation(
            source_tokens=source_tokens,
            target_tokens=[s.chosen for s in target_steps],
            alpha=alpha,
            steps=steps,
            h=out["h"][0],
            unknown_source=[j for j, t in enumerate(source_tokens) if not self.source.known(t)],
            truncated=tokens.truncated,
            forced=target_tokens_in is not None,
        )

    def _trace(self, out: dict, i: int, mask_strategy: str) -> AttentionTrace:
        """Step ``i``'s trace; without attention, only the fixed context and the mask, no α."""
        trace = trace_from_decode(out, i, mask_strategy)
        if self.has_attention:
            return trace
        no_scores = dict.fromkeys(("W1_h", "W2_s", "pre_activation", "tanh_activation", "e", "e_masked", "alpha"))
        return dataclasses.replace(trace, score="none", **no_scores)

    def _steps(self, out: dict, row: int, forced_words: list[str] | None) -> list[DecoderStep]:
        steps = []
        for i in range(out["chosen"].shape[0]):
            trace = self._trace(out, i, "correct").row(row)
            logits = out["logits"][i, row]
            probabilities = _softmax(logits)
            top = np.argsort(-probabilities)[:TOP_WORDS]
            chosen_id = int(out["chosen"][i, row])
            chosen = self.target.token(chosen_id)
            if forced_words is not None and i < len(forced_words):
                chosen = forced_words[i]  # the typed word, even when it is outside the vocabulary
            steps.append(
                DecoderStep(
                    i=i + 1,
                    s_prev=out["s_prev"][i, row],
                    trace=trace,
                    logits=logits,
                    probabilities=probabilities,
                    top_words=[(self.target.token(int(k)), float(probabilities[k])) for k in top],
                    predicted=self.target.token(int(np.argmax(logits))),
                    chosen=chosen,
                    is_end=chosen_id == END_ID,
                )
            )
        return steps

    def decode_batch(self, texts: list[str], mask_strategy: str = "correct", pad_to: int | None = None) -> BatchDecode:
        """Greedy decoding of several sentences padded to one length, under one mask strategy.

        The encoder always respects the mask, so the encoder states of real tokens are the
        same whatever the strategy: only the attention differs between strategies.
        """
        rows = [list(tokenize(t)) for t in texts]
        T = max([len(r) for r in rows] + [pad_to or 0, 1])
        ids = np.zeros((len(rows), T), np.int32)
        mask = np.zeros((len(rows), T), bool)
        for k, r in enumerate(rows):
            ids[k, : len(r)] = [self.source.id(t) for t in r]
            mask[k, : len(r)] = True
        decoder = self._decoders[mask_strategy]
        out = decoder(ids, mask, np.zeros((len(rows), 0), np.int32), self._max_steps(T))
        out = {k: v.numpy() for k, v in out.items()}
        steps = []
        for i in range(out["chosen"].shape[0]):
            trace = self._trace(out, i, mask_strategy)
            chosen = [self.target.token(int(y)) for y in out["chosen"][i]]
            steps.append(BatchStep(trace=trace, s_prev=out["s_prev"][i], chosen=chosen))
        return BatchDecode(rows, T, mask, out["h"], steps, mask_strategy)


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = np.exp(logits - logits.max())
    return z / z.sum()


def _check_kind(kind: str) -> None:
    if kind not in MODEL_KINDS:
        raise ValueError(f"kind must be one of {tuple(MODEL_KINDS)}. Received: kind={kind!r}")


def load_model_weights(
    path: Path | str | None = None, kind: str = "attention"
) -> tuple[Seq2Seq, Vocabulary, Vocabulary]:
    """The toy model of ``kind`` with weights from ``path`` (default: that kind's shipped final weights)."""
    _check_kind(kind)
    source, target = toy_vocabularies()
    model = MODEL_KINDS[kind](len(source), len(target), ModelConfig())
    weights_from_npz(model, path or WEIGHTS_DIR / WEIGHT_FILES[kind])
    return model, source, target


def load_pretrained(kind: str = "attention") -> Translator:
    """A shipped trained translator, built and warmed (one per process and kind).

    ``"attention"`` (the default) is the model every page shows; ``"no_attention"`` is the
    baseline trained beside it on the same data and budget, whose decoder sees only the
    encoder's final state: its translations have ``alpha`` None and traces without α.
    """
    _check_kind(kind)
    return _pretrained(kind)  # one cache entry per kind: load_pretrained() is load_pretrained("attention")


@functools.cache
def _pretrained(kind: str) -> Translator:
    model, source, target = load_model_weights(kind=kind)
    return Translator(model, source, target, name="toy" if kind == "attention" else "toy_no_attention", trained=True)


def snapshot_paths() -> list[Path]:
    """Weight snapshots from untrained to final, in training order."""
    return sorted((WEIGHTS_DIR / "snapshots").glob("step_*.npz"))


def snapshot_pairs_seen() -> dict[str, int]:
    """Snapshot file name → sentence pairs trained on when it was written (from metrics.json)."""
    metrics = json.loads((WEIGHTS_DIR / "metrics.json").read_text())
    return {f"step_{snap['step']:05d}.npz": snap["pairs_seen"] for snap in metrics["snapshots"]}


@functools.cache
def load_snapshot(name: str) -> Translator:
    """A translator with the weights of snapshot ``name`` (a file name from ``snapshot_paths``)."""
    path = WEIGHTS_DIR / "snapshots" / Path(name).name
    if not path.is_file():
        raise ValueError(f"No training snapshot named {name!r}. Available: {[p.name for p in snapshot_paths()]}")
    model, source, target = load_model_weights(path)
    return Translator(model, source, target, name="toy", trained=True)


@functools.cache
def load_free_text() -> Translator:
    """The same architecture, seeded and untrained, over hashed ids of any word in any script."""
    keras.utils.set_random_seed(FREE_TEXT_SEED)
    source = free_text_vocabulary()
    _, target = toy_vocabularies()
    model = Seq2Seq(len(source), len(target), ModelConfig())
    return Translator(model, source, target, name="free_text", trained=False)
