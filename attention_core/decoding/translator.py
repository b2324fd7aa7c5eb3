"""``Translator``: one call gives a whole translation with every step's attention trace.

``load_pretrained()`` is the trained toy model; ``load_pretrained("no_attention")`` the
baseline trained beside it, whose decoder sees one fixed summary of the sentence (its
traces have no α); ``load_pretrained("dot")``, ``"scaled_dot"``, ``"general"`` and
``"location"`` the same model trained with Luong's scores; ``load_free_text()`` is the
same architecture with seeded, untrained weights over hashed word ids, for text in any
script: its arithmetic is real, its output words mean nothing.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from attention_core.data import models_folder
from attention_core.data.pairs import tokenize_text
from attention_core.data.text import MAX_TOKENS, Tokens, tokenize
from attention_core.names import MAX_BEAM_WIDTH, WEIGHTS_DIR
from attention_core.nn.attention import (
    MASK_STRATEGIES,
    AdditiveParams,
    AttentionTrace,
    masked_softmax,
    trace_from_decode,
    without_absent_fields,
)
from attention_core.nn.model import (
    END,
    END_ID,
    MODEL_KINDS,
    ModelConfig,
    Seq2Seq,
    Vocabulary,
    beam_functions,
    decode_function,
    free_text_vocabulary,
    toy_vocabularies,
    weights_from_npz,
)
from attention_core.nn.transformer import TRANSFORMER_MODELS

TOP_WORDS = 5  # output words listed per step
TRANSFORMER_NAMES = tuple(TRANSFORMER_MODELS)  # the shipped Transformers (``transformer_translator``)
WEIGHT_FILES = {"attention": "model.npz"} | {
    k: f"{k}.npz" for k in (*MODEL_KINDS, *TRANSFORMER_NAMES) if k != "attention"
}  # in WEIGHTS_DIR
METRICS_FILES = {"attention": "metrics.json"} | {
    k: f"{k}_metrics.json" for k in (*MODEL_KINDS, *TRANSFORMER_NAMES) if k != "attention"
}
FREE_TEXT_SEED = 2024  # the untrained free-text weights; any sentence gets the same model
LENGTH_NORMALISATION = "log_prob / words"
"""How hypotheses are ranked: the sum of their words' log-probabilities (<end> included) divided
by their number of words (<end> included), so a longer sentence is not beaten only for being longer.
While searching, hypotheses of one step all have the same length, so this changes only the final choice."""


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
    overridden: bool = False  # α of this step was given (``attention_overrides``), not computed
    own_alpha: np.ndarray | None = None  # (T_x,) on an overridden step, the α the model computed from its e


@dataclass(frozen=True)
class Hypothesis:
    """One finished (or cut) translation of a search, best first in ``Translation.hypotheses``."""

    tokens: list[str]  # without <end>
    log_prob: float  # Σ log P of its words, <end> included when it ended
    score: float  # what it was ranked by: see LENGTH_NORMALISATION
    finished: bool  # it ended with <end>; False when decoding reached its step limit first


@dataclass(frozen=True)
class BeamNode:
    """A word the beam search considered: kept for the next step, or pruned there."""

    id: int
    parent: int | None  # None for the root, <start>
    step: int  # 1-based decoder step; 0 for the root
    word: str
    log_prob: float  # cumulative, from the root to this word included
    kept: bool  # among the beam's best at its step (a pruned word's branch ends here)
    on_best_path: bool  # on the path of the best hypothesis


@dataclass(frozen=True)
class BeamSearch:
    width: int
    nodes: list[BeamNode]  # the root first, then by step; per step the kept words, then the best pruned ones
    length_normalisation: str = LENGTH_NORMALISATION


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
    prefix: list[str] = dataclasses.field(default_factory=list)  # target words forced for the first steps
    hypotheses: list[Hypothesis] = dataclasses.field(default_factory=list)  # best first; [0] is target_tokens
    beam: BeamSearch | None = None  # the search tree, when beam_width > 1
    attention_overrides: dict[int, np.ndarray] = dataclasses.field(default_factory=dict)  # step → α, renormalised
    # indices of forced target words (a given target or prefix) outside the target vocabulary:
    # the decoder is fed the unknown token there, as the encoder is for an unknown source word
    unknown_target: list[int] = dataclasses.field(default_factory=list)


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

    def __init__(
        self,
        model: Seq2Seq,
        source: Vocabulary,
        target: Vocabulary,
        name: str,
        trained: bool,
        tokenizer: Callable[[str], Tokens] = tokenize,
    ):
        self.model, self.source, self.target, self.name, self.trained = model, source, target, name, trained
        self.tokenizer = tokenizer  # the toy task's rule, or (a model of one's own data) ``pairs.tokenize_text``
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

    def translate(
        self,
        text: str | list[str],
        target: str | list[str] | None = None,
        *,
        prefix: list[str] | None = None,
        beam_width: int = 1,
        attention_overrides: dict[int, object] | None = None,
    ) -> Translation:
        """Translate ``text`` (a string, or tokens), keeping every step's trace.

        Args:
            target: force this whole translation (teacher forcing).
            prefix: target words forced for the first steps; greedy (or the beam) after them.
                ``"<end>"`` may close it, ending the sentence there.
            beam_width: 1 is greedy; up to ``MAX_BEAM_WIDTH`` hypotheses kept per step, ranked
                at the end by ``LENGTH_NORMALISATION``. The steps follow the best hypothesis.
            attention_overrides: ``{step: weights}``, step 1-based, weights one non-negative number
                per source token, renormalised to sum to 1: that step's α is replaced and its c_i
                built from it, e stays the model's own; every later step follows from it.
        """
        tokens = self.tokenizer(text) if isinstance(text, str) else self.tokenizer(" ".join(text))
        source_tokens = list(tokens)
        target_tokens_in = None
        if target is not None:
            target_tokens_in = list(self.tokenizer(target) if isinstance(target, str) else target)[:MAX_TOKENS]
        prefix = self._check_prefix(prefix, target_tokens_in, beam_width)
        overrides = self._check_overrides(attention_overrides, len(source_tokens))
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
                unknown_target=[k for k, t in enumerate(target_tokens_in or prefix) if not self.target.known(t)],
            )
        source_ids = np.array([[self.source.id(t) for t in source_tokens]], np.int32).reshape(1, -1)
        max_steps = max(self._max_steps(len(source_tokens)), len(prefix) + 1)
        for step in overrides:
            if step > max_steps:
                raise ValueError(
                    f"attention_overrides: step {step} is past the last decoder step, {max_steps}. "
                    f"Received: steps={sorted(overrides)}"
                )
        beam = None
        forced_words = target_tokens_in if target_tokens_in is not None else prefix
        if target_tokens_in is not None:
            forced_ids = [self.target.id(t) for t in target_tokens_in] + [END_ID]
            max_steps = len(forced_ids)
        elif beam_width > 1:
            beam, hypotheses = self._beam_search(source_ids, prefix, beam_width, overrides, max_steps)
            best = hypotheses[0]
            forced_words = best.tokens + ([END] if best.finished else [])
            forced_ids = [self.target.id(t) for t in forced_words]
            max_steps = len(forced_ids)
        else:
            forced_ids = [self.target.id(t) for t in prefix]
        out = self._decode(source_ids, forced_ids, max_steps, overrides)
        steps = self._steps(out, row=0, forced_words=forced_words, overridden=set(overrides))
        target_steps = [s for s in steps if not s.is_end]
        if beam is None:
            hypotheses = [self._hypothesis(out, steps)]
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
            prefix=prefix,
            hypotheses=hypotheses,
            beam=beam,
            attention_overrides=overrides,
            unknown_target=[k for k, t in enumerate(target_tokens_in or prefix) if not self.target.known(t)],
        )

    def _check_prefix(self, prefix, target_tokens, beam_width) -> list[str]:
        if not isinstance(beam_width, int | np.integer) or isinstance(beam_width, bool):
            raise ValueError(f"beam_width must be an integer from 1 to {MAX_BEAM_WIDTH}. Received: {beam_width!r}")
        if not 1 <= beam_width <= MAX_BEAM_WIDTH:
            raise ValueError(f"beam_width must be from 1 to {MAX_BEAM_WIDTH}. Received: beam_width={beam_width}")
        if target_tokens is not None and (prefix or beam_width > 1):
            raise ValueError(
                "A forced target fixes every word: give target, or prefix and beam_width, not both. "
                f"Received: prefix={prefix!r}, beam_width={beam_width}"
            )
        prefix = [str(word) for word in (prefix or [])][:MAX_TOKENS]
        if END in prefix[:-1]:
            raise ValueError(f"prefix may end with {END!r} but not continue after it. Received: prefix={prefix!r}")
        return prefix

    def _check_overrides(self, overrides, n_source: int) -> dict[int, np.ndarray]:
        """``{step: weights}`` as ``{step: α (T_x,) float32}`` summing to 1, or ValueError echoing the input."""
        if not overrides:
            return {}
        if not self.has_attention:
            raise ValueError(
                f"attention_overrides need a model with attention; {self.name!r} has none. Received: {overrides!r}"
            )
        checked = {}
        for step, weights in dict(overrides).items():
            if not isinstance(step, int | np.integer) or isinstance(step, bool) or step < 1:
                raise ValueError(f"attention_overrides: a step is a decoder step from 1. Received: step={step!r}")
            try:
                w = np.asarray(weights, np.float64)
            except (TypeError, ValueError):
                raise ValueError(
                    f"attention_overrides: weights must be numbers. Received: step={step}, weights={weights!r}"
                ) from None
            if w.ndim != 1 or w.shape[0] != n_source:
                raise ValueError(
                    f"attention_overrides: step {step} needs {n_source} weights, one per source token. "
                    f"Received: weights={weights!r}"
                )
            if not np.all(np.isfinite(w)) or np.any(w < 0) or not w.sum() > 0:
                raise ValueError(
                    "attention_overrides: weights must be finite, non-negative and not all zero. "
                    f"Received: step={step}, weights={weights!r}"
                )
            checked[int(step)] = (w / w.sum()).astype(np.float32)
        return dict(sorted(checked.items()))

    def _decode(self, source_ids: np.ndarray, forced_ids: list[int], max_steps: int, overrides: dict) -> dict:
        T_x = source_ids.shape[1]
        n = max(overrides, default=0)
        override_alpha = np.zeros((1, n, T_x), np.float32)  # (batch, S, T_x)
        override_on = np.zeros((n,), bool)
        for step, alpha in overrides.items():
            override_alpha[0, step - 1], override_on[step - 1] = alpha, True
        forced = np.array([forced_ids], np.int32).reshape(1, -1)
        out = self._decoders["correct"](
            source_ids, source_ids >= 0, forced, np.int32(max_steps), override_alpha, override_on
        )
        return {k: v.numpy() for k, v in out.items()}

    def _hypothesis(self, out: dict, steps: list[DecoderStep]) -> Hypothesis:
        """The decoded sentence as a hypothesis: its words' log-probabilities summed."""
        ids = out["chosen"][:, 0]
        log_prob = float(sum(_log_softmax(out["logits"][i, 0])[ids[i]] for i in range(len(ids))))
        finished = bool(steps) and steps[-1].is_end
        tokens = [s.chosen for s in steps if not s.is_end]
        return Hypothesis(tokens, log_prob, log_prob / max(len(ids), 1), finished)

    @functools.cached_property
    def _beam_steps(self):
        return beam_functions(self.model)

    def _beam_search(
        self, source_ids: np.ndarray, prefix: list[str], width: int, overrides: dict, max_steps: int
    ) -> tuple[BeamSearch, list[Hypothesis]]:
        """Keep the ``width`` best partial translations by cumulative log-probability at every step.

        A hypothesis that emits <end> leaves the beam finished, and the beam goes on with the rest;
        the search ends when none is left or at ``max_steps``. The forced ``prefix`` comes first.
        """
        state = self._beam_start(source_ids)
        nodes = [BeamNode(0, None, 0, "<start>", 0.0, True, False)]
        live = [(0, [], 0.0)]  # (node id, word ids, cumulative log-probability)
        ended = []  # (node id, word ids, log-probability, finished)
        for i in range(max_steps):
            K = len(live)
            log_p = _log_softmax(self._beam_logits(state, [ids for _, ids, _ in live], i, overrides))  # (K, |V_y|)
            if i < len(prefix):
                y = self.target.id(prefix[i])
                candidates = [(k, y, live[k][2] + log_p[k, y]) for k in range(K)]
            else:
                candidates = [
                    (k, int(y), live[k][2] + log_p[k, y])
                    for k in range(K)
                    for y in np.argsort(-log_p[k], kind="stable")[: 2 * width]
                ]
                candidates.sort(key=lambda c: -c[2])  # stable: ties keep the earlier hypothesis and word
            kept, pruned = candidates[:width], candidates[width : 2 * width]
            parents, words, next_live = [], [], []
            for k, y, total in kept:
                node = BeamNode(len(nodes), live[k][0], i + 1, self.target.token(y), float(total), True, False)
                nodes.append(node)
                if y == END_ID:
                    ended.append((node.id, live[k][1] + [y], float(total), True))
                else:
                    parents.append(k)
                    words.append(y)
                    next_live.append((node.id, live[k][1] + [y], float(total)))
            for k, y, total in pruned:
                nodes.append(BeamNode(len(nodes), live[k][0], i + 1, self.target.token(y), float(total), False, False))
            if not next_live:
                live = []
                break
            state = self._beam_advance(state, np.array(parents), np.array(words, np.int32))
            live = next_live
        ended += [(node_id, ids, total, False) for node_id, ids, total in live]  # cut at the step limit
        hypotheses = []
        for node_id, ids, total, finished in ended:
            words = (
                [self.target.token(y) for y in ids if y != END_ID] if finished else [self.target.token(y) for y in ids]
            )
            if prefix:  # a prefix word outside the vocabulary keeps the spelling it was given
                words[: len(prefix)] = [w for w in prefix if w != END][: len(words)]
            hypotheses.append((Hypothesis(words, total, total / max(len(ids), 1), finished), node_id))
        hypotheses.sort(key=lambda pair: -pair[0].score)
        on_path, node_id = set(), hypotheses[0][1]
        while node_id is not None:
            on_path.add(node_id)
            node_id = nodes[node_id].parent
        nodes = [dataclasses.replace(n, on_best_path=n.id in on_path) for n in nodes]
        return BeamSearch(width, nodes), [h for h, _ in hypotheses]

    def _beam_start(self, source_ids: np.ndarray) -> dict:
        """What a search carries from step to step: here h, the mask and each hypothesis's s."""
        encode, _, _ = self._beam_steps
        mask = source_ids >= 0
        h, s_0 = encode(source_ids, mask)
        return {"h": np.asarray(h), "mask": mask, "s": np.asarray(s_0), "context": None}  # (1, T_x, d_h), (1, d_s)

    def _beam_logits(self, state: dict, prefixes: list[list[int]], i: int, overrides: dict) -> np.ndarray:
        """The logits of step ``i + 1`` (0-based ``i``) for each live hypothesis: ``(K, |V_y|)``."""
        _, expand, _ = self._beam_steps
        K, T_x = len(prefixes), state["h"].shape[1]
        alpha = overrides.get(i + 1)
        context, logits = expand(
            np.repeat(state["h"], K, axis=0),
            np.repeat(state["mask"], K, axis=0),
            state["s"],
            np.zeros((K, T_x), np.float32) if alpha is None else np.repeat(alpha[None], K, axis=0),
            alpha is not None,
        )
        state["context"] = np.asarray(context)  # (K, d_h): what ``_beam_advance`` feeds the kept words
        return np.asarray(logits)

    def _beam_advance(self, state: dict, parents: np.ndarray, words: np.ndarray) -> dict:
        """The state after the kept words: hypothesis ``parents[k]`` continued by ``words[k]``."""
        _, _, advance = self._beam_steps
        s = np.asarray(advance(words, state["context"][parents], state["s"][parents]))
        return {**state, "s": s, "context": None}

    def _trace(self, out: dict, i: int, mask_strategy: str) -> AttentionTrace:
        """Step ``i``'s trace; without attention, only the fixed context and the mask, no α."""
        trace = trace_from_decode(out, i, mask_strategy, score=self.model.score)
        if self.has_attention:
            return without_absent_fields(trace)
        no_scores = dict.fromkeys(("W1_h", "W2_s", "pre_activation", "tanh_activation", "e", "e_masked", "alpha"))
        return dataclasses.replace(trace, score="none", **no_scores)

    def _steps(
        self, out: dict, row: int, forced_words: list[str] | None, overridden: set[int] = frozenset()
    ) -> list[DecoderStep]:
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
                    overridden=i + 1 in overridden,
                    own_alpha=_own_alpha(trace) if i + 1 in overridden else None,
                )
            )
        return steps

    def decode_batch(
        self,
        texts: list[str],
        mask_strategy: str = "correct",
        pad_to: int | None = None,
        targets: list[list[str]] | None = None,
    ) -> BatchDecode:
        """Greedy decoding of several sentences padded to one length, under one mask strategy.

        The encoder always respects the mask, so the encoder states of real tokens are the
        same whatever the strategy: only the attention differs between strategies.
        ``targets``, one word list per sentence, forces each row's words and then <end>
        (teacher forcing, as alignment error rates are measured on references); a row's
        steps after its <end> read padding.
        """
        rows = [list(self.tokenizer(t)) for t in texts]
        T = max([len(r) for r in rows] + [pad_to or 0, 1])
        ids = np.zeros((len(rows), T), np.int32)
        mask = np.zeros((len(rows), T), bool)
        for k, r in enumerate(rows):
            ids[k, : len(r)] = [self.source.id(t) for t in r]
            mask[k, : len(r)] = True
        decoder = self._decoders[mask_strategy]
        no_overrides = np.zeros((len(rows), 0, T), np.float32), np.zeros((0,), bool)
        forced, max_steps = np.zeros((len(rows), 0), np.int32), self._max_steps(T)
        if targets is not None:
            if len(targets) != len(rows):
                raise ValueError(f"targets needs one word list per text: {len(rows)} texts, {len(targets)} targets")
            max_steps = max(len(words) for words in targets) + 1
            forced = np.zeros((len(rows), max_steps), np.int32)
            for k, words in enumerate(targets):
                forced[k, : len(words) + 1] = [self.target.id(w) for w in words] + [END_ID]
        out = decoder(ids, mask, forced, np.int32(max_steps), *no_overrides)
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


def _own_alpha(trace: AttentionTrace) -> np.ndarray:
    """The α the model's ``masked_softmax`` gives the step's own scores, before they were overridden."""
    e, mask = tf.constant(trace.e[None]), tf.constant(trace.mask[None])  # (1, T_x) each
    return np.asarray(masked_softmax(e, mask, trace.mask_strategy)[1])[0]


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    """log softmax over the last axis in float64: a hypothesis's sum of many small terms keeps its digits."""
    z = np.asarray(logits, np.float64)
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def _check_kind(kind: str) -> None:
    if kind not in MODEL_KINDS and not models_folder.is_model(kind):
        raise ValueError(
            f"kind must be one of {tuple(MODEL_KINDS)} or a model of the models folder "
            f"{models_folder.folder_models()}. Received: kind={kind!r}"
        )


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
    ``"dot"``, ``"scaled_dot"``, ``"general"`` and ``"location"`` are the attention model
    trained the same way with another score (``names.SCORE_KINDS``).
    """
    _check_kind(kind)
    if kind not in MODEL_KINDS:
        config = models_folder.folder_of(kind) / models_folder.COMPLETE_FILE
        return _folder_model(kind, config.stat().st_mtime_ns)  # a model trained again under its name is reloaded
    return _pretrained(kind)  # one cache entry per kind: load_pretrained() is load_pretrained("attention")


def _folder_vocabularies(folder: Path) -> tuple[Vocabulary, Vocabulary]:
    return tuple(
        Vocabulary(json.loads((folder / f"{side}_vocab.json").read_text(encoding="utf-8")))
        for side in ("source", "target")
    )


def folder_model_weights(name: str, weights: str = "weights.npz") -> tuple[Seq2Seq, Vocabulary, Vocabulary]:
    """Model ``name`` of the models folder (``models_folder``), with its final weights or a snapshot's."""
    folder = models_folder.folder_of(name)
    config = models_folder.read_config(name)
    source, target = _folder_vocabularies(folder)
    model = MODEL_KINDS[config["kind"]](len(source), len(target), ModelConfig(**config["model_config"]))
    path = folder / weights if weights == "weights.npz" else folder / "snapshots" / Path(weights).name
    if not path.is_file():
        raise ValueError(f"Model {name!r} has no weights file {Path(weights).name!r}")
    weights_from_npz(model, path)
    return model, source, target


@functools.lru_cache(maxsize=8)
def _folder_model(name: str, stamp: int) -> Translator:
    model, source, target = folder_model_weights(name)
    return Translator(model, source, target, name=name, trained=True, tokenizer=tokenize_text)


@functools.lru_cache(maxsize=4)
def load_folder_baseline(name: str, stamp: int = 0) -> Translator:
    """The baseline without attention of folder model ``name`` (``train --baseline``): its decoder reads only
    ``←h_1``; ``stamp`` (``models_folder.config_stamp``) keys the cache, as for the model itself."""
    if not models_folder.has_baseline(name):
        raise ValueError(f"Model {name!r} has no baseline without attention: train it with --baseline")
    folder = models_folder.folder_of(name)
    config = models_folder.read_config(name)
    source, target = _folder_vocabularies(folder)
    model = MODEL_KINDS["no_attention"](len(source), len(target), ModelConfig(**config["model_config"]))
    weights_from_npz(model, folder / models_folder.BASELINE_WEIGHTS)
    return Translator(model, source, target, name=f"{name} without attention", trained=True, tokenizer=tokenize_text)


@functools.cache
def _pretrained(kind: str) -> Translator:
    model, source, target = load_model_weights(kind=kind)
    return Translator(model, source, target, name="toy" if kind == "attention" else f"toy_{kind}", trained=True)


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


def load_folder_snapshot(name: str, snapshot: str) -> Translator:
    """Model ``name`` of the models folder with the weights of its training snapshot ``snapshot``
    (a file name of ``models_folder.snapshot_files``), as the alignment page replays its training."""
    model, source, target = folder_model_weights(name, weights=Path(snapshot).name)
    return Translator(model, source, target, name=name, trained=True, tokenizer=tokenize_text)


@functools.cache
def load_free_text() -> Translator:
    """The same architecture, seeded and untrained, over hashed ids of any word in any script."""
    keras.utils.set_random_seed(FREE_TEXT_SEED)
    source = free_text_vocabulary()
    _, target = toy_vocabularies()
    model = Seq2Seq(len(source), len(target), ModelConfig())
    return Translator(model, source, target, name="free_text", trained=False)
