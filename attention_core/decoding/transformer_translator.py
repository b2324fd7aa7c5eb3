"""``TransformerTranslator``: the Transformer's translations, every decoder step with every layer's and head's
attention, and the interventions of the recurrent models (a pick, a beam, an α override) on it.

``load_transformer("transformer")`` is the toy English→French Transformer, ``"transformer_no_causal_mask"``
the same trained without its decoder's causal mask, ``"toy_en_zh_transformer"`` the toy English→Chinese one
(``load_pretrained`` accepts the three names too).

A step is decoded as the model was trained to decode: the decoder reads ``<start>`` and the words chosen so
far, every layer at once, and the last position gives the next word. An α override of (step, layer, head)
replaces that head's cross-attention row at that step's position in every later pass too, as a decoder that
keeps its past positions' states would: the words after it follow from it.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

import keras
import numpy as np

from attention_core.data.text import MAX_TOKENS, tokenize
from attention_core.decoding.translator import (
    TOP_WORDS,
    WEIGHT_FILES,
    BatchDecode,
    BatchStep,
    DecoderStep,
    Translation,
    Translator,
    _softmax,
)
from attention_core.names import WEIGHTS_DIR
from attention_core.nn.attention import AttentionTrace
from attention_core.nn.model import (
    END,
    END_ID,
    PAD_ID,
    START_ID,
    Vocabulary,
    toy_vocabularies,
    toy_zh_vocabularies,
    weights_from_npz,
)
from attention_core.nn.multihead import MultiHeadTrace
from attention_core.nn.transformer import (
    TOY_ZH_TRANSFORMER,
    TRANSFORMER_MODELS,
    Transformer,
    TransformerConfig,
    TransformerFunctions,
    unstacked,
)


@dataclass(frozen=True)
class TransformerStep(DecoderStep):
    """A decoder step of the Transformer: ``DecoderStep``'s fields, and every layer's attention at this step.

    ``cross[l]`` and ``self_attention[l]`` are layer l's (0-based) traces at this step's position, query axis
    dropped (``MultiHeadTrace.query``): ``cross[l].alpha`` ``(heads, T_x)``, ``self_attention[l].alpha``
    ``(heads, i)`` over ``<start>, y_1 … y_{i-1}``. ``s_prev`` is the last layer's cross-attention query
    input at this position ``(d_model,)``; ``trace`` a summary in the recurrent shapes: ``alpha`` the last
    layer's cross-attention averaged over heads ``(T_x,)``, ``context`` that layer's cross-attention output
    ``(d_model,)``, ``score`` ``"multi_head"``, no ``e``.
    """

    cross: tuple[MultiHeadTrace, ...] = ()
    self_attention: tuple[MultiHeadTrace, ...] = ()
    head_overrides: tuple[tuple[int, int], ...] = ()  # (layer, head), 1-based, whose α was given at this step


@dataclass(frozen=True)
class TransformerTranslation(Translation):
    """``Translation`` with the Transformer's own attention.

    ``encoder_self[l]``: encoder layer l's self-attention, ``alpha`` ``(heads, T_x, T_x)``.
    ``cross_alpha``: ``(layers, heads, steps, T_x)``, every decoder step's cross-attention (the <end> step too).
    ``self_alpha``: ``(layers, heads, steps, steps)``, row i the decoder's self-attention at step i + 1 over
    ``<start>, y_1 …`` (0 on the words not yet written).
    ``head_overrides``: ``{(step, layer, head): α (T_x,)}``, 1-based, renormalised.
    """

    encoder_self: tuple[MultiHeadTrace, ...] = ()
    cross_alpha: np.ndarray | None = None
    self_alpha: np.ndarray | None = None
    head_overrides: dict[tuple[int, int, int], np.ndarray] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class TransformerBatchStep(BatchStep):
    """One step of a batch decode: ``BatchStep`` (``trace.alpha`` the last layer's head average), and
    ``cross_alpha`` ``(layers, batch, heads, T_x)``, every layer's and head's α."""

    cross_alpha: np.ndarray | None = None
    predicted: list[str] | None = None  # teacher forcing: the word each row's position would write


@dataclass(frozen=True)
class ReferenceReading:
    """The decoder reading a given translation in one pass, as in training (teacher forcing).

    Position t reads ``read[t]`` (``<start>``, y_1, …, y_n) and is trained to write ``written[t]`` (y_1, …,
    y_n, ``<end>``); ``predicted[t]`` is the word it would write there. ``self_alpha`` ``(layers, heads, T, T)``
    is the decoder's self-attention, query positions by key positions: right of the diagonal is what a
    causal mask forbids (``masking.future_weight``).
    """

    source_tokens: list[str]
    read: list[str]
    written: list[str]
    predicted: list[str]
    self_alpha: np.ndarray

    @property
    def right(self) -> int:
        """Positions whose predicted word is the word they were to write."""
        return sum(p == w for p, w in zip(self.predicted, self.written, strict=True))


def summary_trace(cross_last: MultiHeadTrace, source_mask: np.ndarray) -> AttentionTrace:
    """The recurrent pages' trace shape from the last layer's cross-attention at one position (no batch axis)."""
    return AttentionTrace(
        score="multi_head",
        mask_strategy="correct",
        W1_h=None,
        W2_s=None,
        pre_activation=None,
        tanh_activation=None,
        e=None,
        e_masked=None,
        alpha=cross_last.alpha.mean(axis=0),  # (T_x,): the heads averaged
        context=cross_last.output,  # (d_model,)
        mask=source_mask,
        fully_masked=np.bool_(not source_mask.any()),
    )


class TransformerTranslator(Translator):
    """A built, warmed Transformer with its vocabularies; ``translate`` and ``decode_batch`` as the recurrent
    ``Translator``'s, with ``head_overrides`` in place of ``attention_overrides``."""

    def __init__(
        self,
        model: Transformer,
        source: Vocabulary,
        target: Vocabulary,
        name: str,
        trained: bool,
        tokenizer=tokenize,
    ):
        self.model, self.source, self.target, self.name, self.trained = model, source, target, name, trained
        self.has_attention = True
        self.config: TransformerConfig = model.config
        # Its positional table has max_positions rows, for the source and for the decoder's steps: a longer
        # text is cut where ``tokenize`` cuts at MAX_TOKENS, and the translation says so (``truncated``).
        self.max_source_tokens = min(MAX_TOKENS, self.config.max_positions - self.config.extra_target_steps)
        self.tokenizer = functools.partial(tokenizer, max_tokens=self.max_source_tokens)
        self._fns = TransformerFunctions(model)
        self.translate("the cat sees a dog")  # trace once here, not under concurrent first calls

    @property
    def params(self):
        raise AttributeError("A Transformer has no additive W1, W2, b, v: read its layers' MultiHeadParams")

    def _max_steps(self, source_length: int) -> int:
        return source_length + self.config.extra_target_steps

    def translate(
        self,
        text: str | list[str],
        target: str | list[str] | None = None,
        *,
        prefix: list[str] | None = None,
        beam_width: int = 1,
        attention_overrides: dict | None = None,
        head_overrides: dict | None = None,
    ) -> TransformerTranslation:
        """Translate ``text``, keeping every step's attention in every layer and head.

        ``target``, ``prefix`` and ``beam_width`` as ``Translator.translate``. ``head_overrides``:
        ``{(step, layer, head): weights}``, all 1-based, one non-negative weight per source token,
        renormalised: that head's cross-attention α at that step is replaced, its context built from it,
        and every later step follows. ``attention_overrides`` (one α per step) belongs to the recurrent
        models and is refused here.
        """
        if attention_overrides:
            raise ValueError(
                "A Transformer has one α per layer and head: give head_overrides={(step, layer, head): weights}. "
                f"Received: attention_overrides={attention_overrides!r}"
            )
        tokens = self.tokenizer(text) if isinstance(text, str) else self.tokenizer(" ".join(text))
        source_tokens = list(tokens)
        target_in = None
        if target is not None:
            target_in = list(self.tokenizer(target) if isinstance(target, str) else target)[:MAX_TOKENS]
        prefix = self._check_prefix(prefix, target_in, beam_width)
        overrides = self._check_head_overrides(head_overrides, len(source_tokens))
        unknown_target = [k for k, t in enumerate(target_in or prefix) if not self.target.known(t)]
        if not source_tokens:
            L, H = self.config.decoder_layers, self.config.heads
            return TransformerTranslation(
                [], [], np.zeros((0, 0), np.float32), [], np.zeros((0, self.config.d_model)), [], tokens.truncated,
                target is not None, unknown_target=unknown_target, cross_alpha=np.zeros((L, H, 0, 0), np.float32),
                self_alpha=np.zeros((L, H, 0, 0), np.float32),
            )  # fmt: skip
        source_ids = np.array([[self.source.id(t) for t in source_tokens]], np.int32)
        max_steps = max(self._max_steps(len(source_tokens)), len(prefix) + 1)
        too_late = [key for key in overrides if key[0] > max_steps]
        if too_late:
            raise ValueError(
                f"head_overrides: step {too_late[0][0]} is past the last decoder step, {max_steps}. "
                f"Received: {sorted(overrides)}"
            )
        beam, hypotheses = None, None
        forced_words = target_in if target_in is not None else prefix
        if target_in is not None:
            forced_ids = [self.target.id(t) for t in target_in] + [END_ID]
            max_steps = len(forced_ids)
        elif beam_width > 1:
            beam, hypotheses = self._beam_search(source_ids, prefix, beam_width, overrides, max_steps)
            best = hypotheses[0]
            forced_words = best.tokens + ([END] if best.finished else [])
            forced_ids = [self.target.id(t) for t in forced_words]
            max_steps = len(forced_ids)
        else:
            forced_ids = [self.target.id(t) for t in prefix]
        out = self._decode_one(source_ids, forced_ids, max_steps, overrides)
        steps = self._transformer_steps(out, forced_words, overrides)
        target_steps = [s for s in steps if not s.is_end]
        if hypotheses is None:
            hypotheses = [self._hypothesis(out, steps)]
        n, L, H = len(steps), self.config.decoder_layers, self.config.heads
        self_alpha = np.zeros((L, H, n, n), np.float32)
        for i, step in enumerate(steps):
            for l, trace in enumerate(step.self_attention):
                self_alpha[l, :, i, : i + 1] = trace.alpha
        return TransformerTranslation(
            source_tokens=source_tokens,
            target_tokens=[s.chosen for s in target_steps],
            alpha=np.stack([s.trace.alpha for s in target_steps])
            if target_steps
            else np.zeros((0, len(source_tokens)), np.float32),
            steps=steps,
            h=out["memory"][0],
            unknown_source=[j for j, t in enumerate(source_tokens) if not self.source.known(t)],
            truncated=tokens.truncated,
            forced=target_in is not None,
            prefix=prefix,
            hypotheses=hypotheses,
            beam=beam,
            unknown_target=unknown_target,
            encoder_self=tuple(out["encoder"]),
            cross_alpha=np.stack([np.stack([c.alpha for c in s.cross]) for s in steps], axis=2),
            self_alpha=self_alpha,
            head_overrides=overrides,
        )

    def _check_head_overrides(self, overrides, n_source: int) -> dict[tuple[int, int, int], np.ndarray]:
        """``{(step, layer, head): weights}`` as float32 α summing to 1, or ValueError echoing the input."""
        checked = {}
        for key, weights in dict(overrides or {}).items():
            bounds = (None, self.config.decoder_layers, self.config.heads)
            if (
                not isinstance(key, tuple)
                or len(key) != 3
                or any(not isinstance(k, int | np.integer) or isinstance(k, bool) or k < 1 for k in key)
                or any(bound is not None and k > bound for k, bound in zip(key, bounds))
            ):
                raise ValueError(
                    f"head_overrides: a key is (step, layer, head), 1-based, layer ≤ {self.config.decoder_layers}, "
                    f"head ≤ {self.config.heads}. Received: {key!r}"
                )
            checked[tuple(int(k) for k in key)] = self._renormalised(weights, n_source, f"key {key}")
        return dict(sorted(checked.items()))

    @staticmethod
    def _renormalised(weights, n_source: int, where: str) -> np.ndarray:
        try:
            w = np.asarray(weights, np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"head_overrides: weights must be numbers. Received: {where}, {weights!r}") from None
        if w.ndim != 1 or w.shape[0] != n_source:
            raise ValueError(
                f"head_overrides: {where} needs {n_source} weights, one per source token. Received: {weights!r}"
            )
        if not np.all(np.isfinite(w)) or np.any(w < 0) or not w.sum() > 0:
            raise ValueError(
                f"head_overrides: weights must be finite, non-negative and not all zero. Received: {where}, {weights!r}"
            )
        return (w / w.sum()).astype(np.float32)

    def _override_tensors(self, overrides: dict, batch: int, positions: int, T_x: int):
        """``(layers, batch, heads, positions, T_x)`` α and ``(layers, batch, heads, positions)`` where."""
        L, H = self.config.decoder_layers, self.config.heads
        given = np.zeros((L, batch, H, positions, T_x), np.float32)
        where = np.zeros((L, batch, H, positions), bool)
        for (step, layer, head), alpha in overrides.items():
            if step <= positions:
                given[layer - 1, :, head - 1, step - 1] = alpha
                where[layer - 1, :, head - 1, step - 1] = True
        return given, where

    def _decode_one(self, source_ids: np.ndarray, forced_ids: list[int], max_steps: int, overrides: dict) -> dict:
        """One sentence, step by step: at step i the decoder reads ``<start>`` and the i − 1 words chosen."""
        mask = source_ids >= 0
        memory, encoder = self._fns.encode(source_ids, mask)
        T_x = source_ids.shape[1]
        all_given, all_where = self._override_tensors(overrides, 1, max_steps, T_x)
        target_in = [START_ID]
        chosen, logits, cross, self_attention = [], [], [], []
        for i in range(max_steps):
            n = len(target_in)
            step_logits, self_fields, cross_fields = self._fns.step(
                memory, mask, np.array([target_in], np.int32), all_given[:, :, :, :n], all_where[:, :, :, :n]
            )
            last = np.asarray(step_logits)[0, -1]  # (|V_y|,)
            cross.append(tuple(trace.query(n - 1) for trace in unstacked(cross_fields, 0)))
            self_attention.append(tuple(trace.query(n - 1) for trace in unstacked(self_fields, 0)))
            y = forced_ids[i] if i < len(forced_ids) else int(np.argmax(last))
            chosen.append(y)
            logits.append(last)
            if y == END_ID:
                break
            target_in.append(y)
        return {
            "memory": np.asarray(memory),
            "encoder": unstacked(encoder, 0),
            "chosen": np.array(chosen, np.int32)[:, None],  # (steps, 1), as the recurrent decode
            "logits": np.stack(logits)[:, None],  # (steps, 1, |V_y|)
            "cross": cross,
            "self": self_attention,
            "mask": mask[0],
        }

    def _transformer_steps(self, out: dict, forced_words: list[str] | None, overrides: dict) -> list[TransformerStep]:
        steps = []
        for i in range(out["chosen"].shape[0]):
            logits = out["logits"][i, 0]
            probabilities = _softmax(logits)
            top = np.argsort(-probabilities)[:TOP_WORDS]
            chosen_id = int(out["chosen"][i, 0])
            chosen = self.target.token(chosen_id)
            if forced_words is not None and i < len(forced_words):
                chosen = forced_words[i]
            here = tuple((layer, head) for (step, layer, head) in overrides if step == i + 1)
            cross = out["cross"][i]
            steps.append(
                TransformerStep(
                    i=i + 1,
                    s_prev=cross[-1].x,
                    trace=summary_trace(cross[-1], out["mask"]),
                    logits=logits,
                    probabilities=probabilities,
                    top_words=[(self.target.token(int(k)), float(probabilities[k])) for k in top],
                    predicted=self.target.token(int(np.argmax(logits))),
                    chosen=chosen,
                    is_end=chosen_id == END_ID,
                    overridden=bool(here),
                    cross=cross,
                    self_attention=out["self"][i],
                    head_overrides=here,
                )
            )
        return steps

    # the search of ``Translator._beam_search``, its three hooks reading the Transformer

    def _beam_start(self, source_ids: np.ndarray) -> dict:
        mask = source_ids >= 0
        memory, _ = self._fns.encode(source_ids, mask)
        return {"memory": np.asarray(memory), "mask": mask}

    def _beam_logits(self, state: dict, prefixes: list[list[int]], i: int, overrides: dict) -> np.ndarray:
        K, T_x = len(prefixes), state["mask"].shape[1]
        target_in = np.array([[START_ID, *ids] for ids in prefixes], np.int32)  # (K, i + 1)
        memory, mask = np.repeat(state["memory"], K, axis=0), np.repeat(state["mask"], K, axis=0)
        if not overrides:
            logits, _ = self._fns.next_words(memory, mask, target_in)
            return np.asarray(logits)
        given, where = self._override_tensors(overrides, K, target_in.shape[1], T_x)
        logits, _, _ = self._fns.step(memory, mask, target_in, given, where)
        return np.asarray(logits)[:, -1]

    def _beam_advance(self, state: dict, parents: np.ndarray, words: np.ndarray) -> dict:
        return state  # the hypotheses' own words are the decoder's whole state

    def read_reference(self, text: str, words: list[str]) -> ReferenceReading:
        """``text``'s translation ``words`` read by the decoder all at once, as in training: every position sees
        the whole given translation through its self-attention, and what the causal mask leaves of it."""
        source_tokens = list(self.tokenizer(text))
        if not source_tokens:
            raise ValueError("read_reference needs a sentence with at least one word. Received: ''")
        unknown = [w for w in words if w not in self.target.tokens]
        if unknown:
            raise ValueError(f"read_reference: words outside the model's target vocabulary. Received: {unknown!r}")
        source_ids = np.array([[self.source.id(tok) for tok in source_tokens]], np.int32)
        mask = np.ones_like(source_ids, bool)
        target_in = np.array([[START_ID, *(self.target.id(w) for w in words)]], np.int32)
        memory, _ = self._fns.encode(source_ids, mask)
        given, where = self._override_tensors({}, 1, target_in.shape[1], len(source_tokens))
        logits, self_fields, _ = self._fns.step(memory, mask, target_in, given, where)
        layers = unstacked(self_fields, 0)
        return ReferenceReading(
            source_tokens=source_tokens,
            read=[self.target.token(int(k)) for k in target_in[0]],
            written=[*words, END],
            predicted=[self.target.token(int(k)) for k in np.argmax(np.asarray(logits)[0], axis=-1)],
            self_alpha=np.stack([np.asarray(layer.alpha) for layer in layers]),
        )

    def decode_batch(
        self,
        texts: list[str],
        mask_strategy: str = "correct",
        pad_to: int | None = None,
        targets: list[list[str]] | None = None,
    ) -> BatchDecode:
        """Greedy decoding of several sentences padded to one length, or (``targets``) teacher forcing.

        ``mask_strategy``: "correct" gives the keys' padding no weight; "none" reads every position as a word
        (the encoder's self-attention and the cross-attention), as a batch without its mask would.

        Every step's ``TransformerBatchStep`` holds the chosen words and every layer's and head's
        cross-attention α. A row that has ended reads <pad> after its <end> (never a key). With ``targets``
        the whole reference goes through the decoder in one pass, as in training: for the causal model the
        same numbers as step by step; the model without the causal mask reads the later words there.
        """
        if mask_strategy not in ("correct", "none"):
            raise ValueError(
                "A Transformer masks padding one way, 'correct' (the keys' padding gets no weight), or not at all, "
                f"'none'. Received: mask_strategy={mask_strategy!r}"
            )
        rows = [list(self.tokenizer(t)) for t in texts]
        T = max([len(r) for r in rows] + [pad_to or 0, 1])
        ids = np.zeros((len(rows), T), np.int32)
        mask = np.zeros((len(rows), T), bool)
        for k, r in enumerate(rows):
            ids[k, : len(r)] = [self.source.id(t) for t in r]
            mask[k, : len(r)] = True
        if targets is not None:
            return self._forced_batch(rows, ids, mask, targets)
        # Unmasked, every key is read as if it were a word: the padding's positions in the encoder's
        # self-attention and in the decoder's cross-attention. ``mask`` still says which are words.
        keys = mask if mask_strategy == "correct" else np.ones_like(mask)
        memory, _ = self._fns.encode(ids, keys)
        target_in = np.full((len(rows), 1), START_ID, np.int32)
        done = np.zeros(len(rows), bool)
        steps = []
        for _ in range(self._max_steps(T)):
            logits, cross_alpha = self._fns.next_words(memory, keys, target_in)
            y = np.argmax(np.asarray(logits), axis=-1).astype(np.int32)  # (batch,)
            steps.append(self._batch_step(np.asarray(cross_alpha), mask, y))
            target_in = np.concatenate([target_in, np.where(done, PAD_ID, y)[:, None]], axis=1)
            done |= y == END_ID
            if done.all():
                break
        return BatchDecode(rows, T, mask, np.asarray(memory), steps, mask_strategy)

    def _batch_step(self, cross_alpha: np.ndarray, mask: np.ndarray, y: np.ndarray) -> TransformerBatchStep:
        """``cross_alpha`` ``(layers, batch, heads, T_x)`` at one step; ``y`` the words chosen there."""
        last = cross_alpha[-1].mean(axis=1)  # (batch, T_x): the last layer's heads averaged
        trace = AttentionTrace(
            "multi_head", "correct", None, None, None, None, None, None, last, None, mask, ~mask.any(-1)
        )
        chosen = [self.target.token(int(word)) for word in y]
        return TransformerBatchStep(trace=trace, s_prev=None, chosen=chosen, cross_alpha=cross_alpha)

    def _forced_batch(self, rows, ids, mask, targets) -> BatchDecode:
        if len(targets) != len(rows):
            raise ValueError(f"targets needs one word list per text: {len(rows)} texts, {len(targets)} targets")
        steps_n = max(len(words) for words in targets) + 1
        reference = np.zeros((len(rows), steps_n), np.int32)
        for k, words in enumerate(targets):
            reference[k, : len(words) + 1] = [self.target.id(w) for w in words] + [END_ID]
        target_in = np.concatenate([np.full((len(rows), 1), START_ID, np.int32), reference[:, :-1]], axis=1)
        logits, cross_alpha = self._fns.forced(ids, mask, target_in)
        logits = np.asarray(logits)  # (batch, T, |V_y|)
        cross_alpha = np.asarray(cross_alpha)  # (layers, batch, heads, T, T_x)
        predicted = np.argmax(logits, axis=-1)  # (batch, T): what each position would write, reading the reference
        steps = []
        for i in range(steps_n):
            step = self._batch_step(cross_alpha[:, :, :, i], mask, predicted[:, i])
            chosen = [self.target.token(int(word)) for word in reference[:, i]]
            read = [self.target.token(int(w)) for w in predicted[:, i]]
            steps.append(dataclasses.replace(step, chosen=chosen, predicted=read))
        memory, _ = self._fns.encode(ids, mask)
        return BatchDecode(rows, ids.shape[1], mask, np.asarray(memory), steps, "correct")

    def output_distribution(self, s_prev, context):
        raise AttributeError("A Transformer's next word depends on every layer, not on (s_{i-1}, c_i) alone")


def _vocabularies(name: str) -> tuple[Vocabulary, Vocabulary]:
    return toy_zh_vocabularies() if name == TOY_ZH_TRANSFORMER else toy_vocabularies()


def transformer_weights(name: str, path=None) -> tuple[Transformer, Vocabulary, Vocabulary]:
    """The Transformer ``name`` (``TRANSFORMER_MODELS``) with weights from ``path`` (default: the shipped file)."""
    if name not in TRANSFORMER_MODELS:
        raise ValueError(f"name must be one of {tuple(TRANSFORMER_MODELS)}. Received: name={name!r}")
    source, target = _vocabularies(name)
    model = Transformer(len(source), len(target), TRANSFORMER_MODELS[name])
    weights_from_npz(model, path or WEIGHTS_DIR / WEIGHT_FILES[name])
    return model, source, target


@functools.cache
def load_transformer(name: str = "transformer") -> TransformerTranslator:
    """A shipped trained Transformer, built and warmed (one per process and name)."""
    model, source, target = transformer_weights(name)
    return TransformerTranslator(model, source, target, name=name, trained=True)


def untrained_transformer(name: str = "transformer", seed: int = 0) -> TransformerTranslator:
    """The architecture of ``name`` with seeded, untrained weights (tests; the arithmetic without the training)."""
    keras.utils.set_random_seed(seed)
    source, target = _vocabularies(name)
    model = Transformer(len(source), len(target), TRANSFORMER_MODELS[name])
    return TransformerTranslator(model, source, target, name=f"{name} (untrained)", trained=False)


__all__ = [
    "TRANSFORMER_MODELS",
    "TransformerBatchStep",
    "TransformerStep",
    "TransformerTranslation",
    "TransformerTranslator",
    "load_transformer",
    "transformer_weights",
    "untrained_transformer",
]
