"""The encoder–decoder whose attention the app shows.

    h_j     = ←h_j                                   backward GRU encoder: reads from the last word to j, (T_x, d_h)
    s_0     = tanh(W_s ←h_1)                         initial decoder state (Bahdanau et al.)
    c_i, α  = bahdanau_attention(h, s_{i-1})         through ``BahdanauAttention``
    y_i     = g(s_{i-1}, c_i) = softmax(W_o [s_{i-1}; c_i] + b_o)
    s_i     = GRU([E y_i ; c_i], s_{i-1})            the state takes the word it emitted

The decoder state is updated after its word is chosen, so ``s_{i-1}`` has read every
earlier output word and ``g`` needs only ``s_{i-1}`` and ``c_i``, as the equations read.

``Seq2SeqNoAttention`` is the baseline without attention (Cho et al. 2014's RNNencdec):
the same encoder, decoder and sizes, but every step's context is one fixed summary of
the sentence, the encoder's final state ``c = ←h_1``::

    y_i = softmax(W_o [s_{i-1}; c] + b_o)
    s_i = GRU([E y_i ; c], s_{i-1})
"""

from __future__ import annotations

import functools
import zlib
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf

from attention_core.data.text import MAX_TOKENS
from attention_core.data.toy_data import vocabularies
from attention_core.nn.attention import MASK_STRATEGIES, PER_STEP_FIELDS, AttentionTrace, output_logits, override_alpha
from attention_core.nn.layer import BahdanauAttention, LuongAttention

PAD, UNK, START, END = "<pad>", "<unk>", "<start>", "<end>"
TARGET_SPECIALS = (PAD, UNK, START, END)  # the first ids of every target vocabulary, in this order
PAD_ID, START_ID, END_ID = (TARGET_SPECIALS.index(t) for t in (PAD, START, END))


@dataclass(frozen=True)
class ModelConfig:
    embedding_dim: int = 32  # word vectors of source and target
    # "backward": h_j reads the sentence from its end to word j, so the state at "the"/"a"
    # has already read the noun phrase's noun and carries its gender and number; a French
    # determiner can then look at its own English determiner. Bidirectional states also
    # put the determiner into the noun's forward half, and the determiner looks at the noun:
    # measured 70.4% alignment accuracy (bidirectional) against 90.5% (backward), both with
    # seed 7; the README has the shipped weights' figures.
    encoder_direction: str = "backward"
    encoder_units: int = 64  # per direction: d_h = 64 backward, 2 × this bidirectional
    decoder_units: int = 64  # d_s, the size of s_i
    attention_units: int = 32  # d_a, the size of W1 h_j and W2 s_{i-1}
    extra_target_steps: int = 4  # decoding stops at T_x + this many words without <end>

    @property
    def d_h(self) -> int:
        return self.encoder_units * (2 if self.encoder_direction == "bidirectional" else 1)


class Vocabulary:
    """Token ↔ id. ``hashed_buckets`` > 0 maps any token to a bucket (free text)."""

    def __init__(self, tokens: list[str], hashed_buckets: int = 0):
        self.tokens = list(tokens)
        self.hashed_buckets = hashed_buckets
        self._ids = {t: i for i, t in enumerate(self.tokens)}

    def __len__(self) -> int:
        return len(self.tokens) + self.hashed_buckets

    def known(self, token: str) -> bool:
        return token in self._ids or self.hashed_buckets > 0

    def id(self, token: str) -> int:
        if token in self._ids:
            return self._ids[token]
        if self.hashed_buckets:
            # crc32, not hash(): Python salts str hashes per process.
            return len(self.tokens) + zlib.crc32(token.encode("utf-8")) % self.hashed_buckets
        return self._ids[UNK]

    def token(self, index: int) -> str:
        return self.tokens[index] if index < len(self.tokens) else f"#{index}"


def toy_vocabularies() -> tuple[Vocabulary, Vocabulary]:
    english, french = vocabularies()
    return Vocabulary([PAD, UNK, *english]), Vocabulary([*TARGET_SPECIALS, *french])


def toy_zh_vocabularies() -> tuple[Vocabulary, Vocabulary]:
    """The toy English words and the toy Chinese words (``toy_zh``), as ``toy_vocabularies`` gives the French."""
    from attention_core.data.toy_zh import chinese_words

    english, _ = vocabularies()
    return Vocabulary([PAD, UNK, *english]), Vocabulary([*TARGET_SPECIALS, *chinese_words()])


def free_text_vocabulary(buckets: int = 2048) -> Vocabulary:
    return Vocabulary([PAD, UNK], hashed_buckets=buckets)


class Seq2Seq(keras.Model):
    """GRU encoder (backward by default), GRU decoder, Bahdanau attention. Built in the constructor."""

    has_attention = True  # the context c_i is Σ_j α_ij h_j, a new one at every step

    def __init__(
        self,
        source_size: int,
        target_size: int,
        config: ModelConfig = ModelConfig(),
        score: str = "additive",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.config, self.score = config, score
        self.source_size, self.target_size = source_size, target_size
        E, d_s = config.embedding_dim, config.decoder_units
        self.source_embedding = keras.layers.Embedding(source_size, E, name="source_embedding")
        if config.encoder_direction == "bidirectional":
            self.encoder = keras.layers.Bidirectional(
                keras.layers.GRU(config.encoder_units, return_sequences=True, return_state=True),
                name="encoder",
            )
        elif config.encoder_direction == "backward":
            self.encoder = keras.layers.GRU(
                config.encoder_units, return_sequences=True, return_state=True, go_backwards=True, name="encoder"
            )
        else:
            raise ValueError(
                f"encoder_direction must be 'bidirectional' or 'backward'. Received: {config.encoder_direction!r}"
            )
        self.initial_state = keras.layers.Dense(d_s, activation="tanh", name="W_s")
        self.target_embedding = keras.layers.Embedding(target_size, E, name="target_embedding")
        self.attention = self._attention_layer()
        self.cell = keras.layers.GRUCell(d_s, name="decoder")
        self.output_layer = keras.layers.Dense(target_size, name="W_o")
        # 1 for the words the decoder never outputs: an untrained model cannot print "<pad>".
        self.never_emitted = np.isin(np.arange(target_size), [PAD_ID, START_ID]).astype(np.float32)
        self._build_all()

    def _attention_layer(self) -> BahdanauAttention | LuongAttention | None:
        c = self.config
        if self.score == "additive":
            return BahdanauAttention(c.attention_units, c.d_h, c.decoder_units, name="attention")
        # location: one column of W_a per position a sentence can have, as long as the tokenizer allows
        return LuongAttention(self.score, c.d_h, c.decoder_units, positions=MAX_TOKENS, name="attention")

    @property
    def keys_size(self) -> int:
        """The last axis of the W1 h_j a decode carries: d_a for the additive score (and the baseline's zeros)."""
        return self.config.attention_units if self.score in ("additive", "none") else 0

    def _build_all(self) -> None:
        c = self.config
        self.source_embedding.build((None, None))
        self.encoder.build((None, None, c.embedding_dim))
        self.initial_state.build((None, c.encoder_units))
        self.target_embedding.build((None,))
        self.cell.build((None, c.embedding_dim + c.d_h))
        self.output_layer.build((None, c.decoder_units + c.d_h))
        self.built = True

    def encode(self, source_ids: tf.Tensor, source_mask: tf.Tensor):
        """``(batch, T_x)`` ids → h ``(batch, T_x, d_h)`` and s_0 ``(batch, d_s)``."""
        x = self.source_embedding(source_ids)  # (batch, T_x, E)
        if self.config.encoder_direction == "bidirectional":
            h, _forward_last, backward_first = self.encoder(x, mask=source_mask)
        else:
            h_reversed, backward_first = self.encoder(x, mask=source_mask)  # read from the last word
            h = tf.reverse(h_reversed, axis=[1])  # (batch, T_x, d_h), position j again at index j
        h = h * tf.cast(source_mask, h.dtype)[:, :, None]  # padding states are 0, whatever the GRU carried
        return h, self.initial_state(backward_first)

    def step(self, h, s_prev, source_mask, mask_strategy: str = "correct", alpha=None, use_alpha=None):
        """One decoder step before the word is chosen: the trace and the logits of y_i.

        With ``alpha`` ``(batch, T_x)`` and ``use_alpha`` (a scalar bool) true, α is replaced by
        ``alpha`` and c_i is built from it ("what if it had looked there"); e stays the model's own.
        """
        trace = self.attention(h, s_prev, mask=source_mask, mask_strategy=mask_strategy)
        if alpha is not None:
            trace = override_alpha(trace, h, alpha, use_alpha)
        return trace, self.output_logits(s_prev, trace.context)

    def output_logits(self, s_prev, context):
        """``output_logits`` with this model's W_o and b_o; <pad> and <start> are never emitted."""
        W_o, b_o = self.output_layer.kernel, self.output_layer.bias
        return output_logits(s_prev, context, W_o, b_o, self.never_emitted)  # (batch, |V_y|)

    def next_state(self, y, context, s_prev):
        """s_i = GRU([E y_i ; c_i], s_{i-1})."""
        s, _ = self.cell(tf.concat([self.target_embedding(y), context], axis=-1), [s_prev])
        return s

    def teacher_forced_logits(self, source_ids, target_ids):
        """Training forward pass: ``target_ids`` ``(batch, T_y)`` (ending in <end>, padded)."""
        source_mask = tf.not_equal(source_ids, 0)
        h, s = self.encode(source_ids, source_mask)
        T_y = tf.shape(target_ids)[1]  # a tensor: the loop below is in the graph, one trace for every T_y

        def one_step(i, s, logits):
            trace, step_logits = self.step(h, s, source_mask)
            return i + 1, self.next_state(target_ids[:, i], trace.context, s), logits.write(i, step_logits)

        _, _, logits = tf.while_loop(
            lambda i, s, logits: i < T_y, one_step, (tf.constant(0), s, tf.TensorArray(tf.float32, size=T_y))
        )
        return tf.transpose(logits.stack(), [1, 0, 2])  # (batch, T_y, |V_y|)

    def decode(
        self,
        source_ids,
        source_mask,
        forced_ids,
        max_steps,
        mask_strategy="correct",
        override_alpha=None,
        override_on=None,
    ):
        """Greedy decoding after a forced prefix, keeping every step's trace.

        Args:
            source_ids, source_mask: ``(batch, T_x)``.
            forced_ids: ``(batch, F)``; step i < F feeds ``forced_ids[:, i]`` instead of its argmax
                (a whole target ending in <end> is teacher forcing; a shorter one, a prefix).
            max_steps: scalar int; decoding also stops once every row has emitted <end>.
            override_alpha: ``(batch, S, T_x)``, α for the steps i < S where ``override_on[i]``
                (``(S,)`` bool) holds; None (or S = 0) leaves every step's attention its own.
        Returns a dict of stacked tensors, step axis first.
        """
        h, s_0 = self.encode(source_ids, source_mask)
        batch, T_x = tf.shape(source_ids)[0], tf.shape(source_ids)[1]
        F = tf.shape(forced_ids)[1]
        forced_padded = tf.concat([forced_ids, tf.zeros((batch, 1), tf.int32)], axis=1)  # (batch, F + 1)
        if override_alpha is None:
            override_alpha, override_on = tf.zeros((batch, 0, T_x)), tf.zeros((0,), tf.bool)
        S = tf.shape(override_on)[0]
        override_padded = tf.concat([override_alpha, tf.zeros((batch, 1, T_x))], axis=1)  # (batch, S + 1, T_x)
        on_padded = tf.concat([override_on, [False]], axis=0)  # (S + 1,)
        names = ("s_prev", *PER_STEP_FIELDS, "logits")  # stacked per step; the rest is per sentence

        def keep_going(i, s, done, *_):
            return tf.logical_and(i < max_steps, tf.logical_not(tf.reduce_all(done)))

        def body(i, s, done, W1_h, fully_masked, chosen, arrays):
            k = tf.minimum(i, S)
            trace, logits = self.step(h, s, source_mask, mask_strategy, override_padded[:, k], on_padded[k])
            values = {"s_prev": s, "logits": logits}
            for n in names:
                if n not in values:  # a score without this intermediate stacks an empty last axis
                    values[n] = getattr(trace, n)
                    if values[n] is None:
                        values[n] = tf.zeros((batch, 0) if n == "W2_s" else (batch, T_x, 0))
            arrays = tuple(a.write(i, tf.cast(values[n], tf.float32)) for n, a in zip(names, arrays))
            W1_h = trace.W1_h if trace.W1_h is not None else tf.zeros((batch, T_x, 0))
            greedy = tf.argmax(logits, axis=-1, output_type=tf.int32)
            y = tf.where(i < F, forced_padded[:, tf.minimum(i, F)], greedy)  # (batch,)
            done = tf.logical_or(done, tf.equal(y, END_ID))
            s_next = self.next_state(y, trace.context, s)
            return i + 1, s_next, done, W1_h, trace.fully_masked, chosen.write(i, y), arrays

        loop_vars = (
            tf.constant(0),
            s_0,
            tf.zeros((batch,), tf.bool),
            tf.zeros((batch, T_x, self.keys_size)),
            tf.zeros((batch,), tf.bool),
            tf.TensorArray(tf.int32, size=0, dynamic_size=True),
            tuple(tf.TensorArray(tf.float32, size=0, dynamic_size=True) for _ in names),
        )
        _, _, _, W1_h, fully_masked, chosen, arrays = tf.while_loop(keep_going, body, loop_vars)
        out = {n: a.stack() for n, a in zip(names, arrays)}
        out.update(chosen=chosen.stack(), h=h, W1_h=W1_h, fully_masked=fully_masked, mask=source_mask)
        return out


class Seq2SeqNoAttention(Seq2Seq):
    """The baseline: the decoder sees one fixed summary of the sentence, the encoder's final state.

    Everything else is ``Seq2Seq``: the encoder, s_0, the decoder cell, W_o, the sizes, and
    ``decode``. Each step reports a trace whose context is the summary and whose score
    fields are zeros of the usual shapes (``decode`` stacks them like any trace); the
    translator turns them into a trace without α. It has no attention weights at all.
    """

    has_attention = False

    def __init__(self, source_size: int, target_size: int, config: ModelConfig = ModelConfig(), **kwargs):
        kwargs["score"] = "none"
        if config.encoder_direction != "backward":
            raise ValueError(
                "The no-attention baseline summarises a sentence by the backward encoder's final state, ←h_1. "
                f"Received: encoder_direction={config.encoder_direction!r}"
            )
        super().__init__(source_size, target_size, config, **kwargs)

    def _attention_layer(self) -> None:
        return None

    def step(self, h, s_prev, source_mask, mask_strategy: str = "correct", alpha=None, use_alpha=None):
        """One decoder step: the context is ``←h_1`` at every step, whatever the step, the mask
        strategy or an α given (there is no α to replace)."""
        trace = fixed_summary_trace(h, source_mask, self.config.attention_units)
        return trace, self.output_logits(s_prev, trace.context)


def fixed_summary_trace(h, source_mask, d_a: int) -> AttentionTrace:
    """A trace whose context is the encoder's final state ``←h_1`` (position 0 of ``h``).

    The backward encoder reads the sentence from its last word to its first, so its final
    state is its state at the first word: ``h[:, 0]`` ``(batch, d_h)``. The score fields are
    zeros of their usual shapes, ``(batch, T_x, d_a)``, ``(batch, d_a)`` and ``(batch, T_x)``.
    """
    batch, T_x = tf.shape(h)[0], tf.shape(h)[1]
    zeros_j = tf.zeros((batch, T_x), h.dtype)  # (batch, T_x)
    zeros_ja = tf.zeros((batch, T_x, d_a), h.dtype)  # (batch, T_x, d_a)
    mask = tf.cast(source_mask, tf.bool)
    return AttentionTrace(
        score="none",
        mask_strategy="correct",
        W1_h=zeros_ja,
        W2_s=tf.zeros((batch, d_a), h.dtype),
        pre_activation=zeros_ja,
        tanh_activation=zeros_ja,
        e=zeros_j,
        e_masked=zeros_j,
        alpha=zeros_j,
        context=h[:, 0, :],  # (batch, d_h): ←h_1, the whole sentence read backwards
        mask=mask,
        fully_masked=tf.logical_not(tf.reduce_any(mask, axis=-1)),
    )


MODEL_KINDS = {
    "attention": Seq2Seq,
    "no_attention": Seq2SeqNoAttention,
    **{score: functools.partial(Seq2Seq, score=score) for score in LuongAttention.SCORES},
}
"""The kinds of trained translator: ``load_pretrained(kind)`` accepts these names. "attention" is
the additive model every page shows; "dot", "scaled_dot", "general" and "location" are the
same model trained with Luong's scores instead."""


def traced_once(input_signature):
    """``tf.function`` with ``input_signature`` for a function made anew per model (a closure over it).

    Each such function traces once. TensorFlow counts the traces of every function of the same code
    as one function's, so a page that loads its sixth model (training snapshots, score siblings)
    logged "triggered tf.function retracing" though nothing retraced. A ``functools.partial`` has no
    code of its own: its calls are counted on it alone.
    """
    return lambda function: tf.function(functools.partial(function), input_signature=input_signature)


def decode_function(model: Seq2Seq, mask_strategy: str):
    """``model.decode`` under ``tf.function`` with a signature: one trace for every length."""
    if mask_strategy not in MASK_STRATEGIES:
        raise ValueError(f"mask_strategy must be one of {MASK_STRATEGIES}. Received: {mask_strategy!r}")

    @traced_once(
        input_signature=(
            tf.TensorSpec((None, None), tf.int32),
            tf.TensorSpec((None, None), tf.bool),
            tf.TensorSpec((None, None), tf.int32),
            tf.TensorSpec((), tf.int32),
            tf.TensorSpec((None, None, None), tf.float32),
            tf.TensorSpec((None,), tf.bool),
        )
    )
    def decode(source_ids, source_mask, forced_ids, max_steps, override_alpha, override_on):
        return model.decode(source_ids, source_mask, forced_ids, max_steps, mask_strategy, override_alpha, override_on)

    return decode


def beam_functions(model: Seq2Seq):
    """The encoder and the two halves of a decoder step under ``tf.function``, for a search that
    keeps several hypotheses (eager, the encoder's loop alone costs a second at 59 tokens).

    ``encode(source_ids, mask)``: ``(1, T_x)`` twice → h ``(1, T_x, d_h)`` and s_0 ``(1, d_s)``.
    ``expand(h, mask, s_prev, alpha, use_alpha)``: ``(K, T_x, d_h)``, ``(K, T_x)``, ``(K, d_s)``,
    ``(K, T_x)``, scalar → c_i ``(K, d_h)`` and the logits of y_i ``(K, |V_y|)``.
    ``advance(y, context, s_prev)``: ``(K,)``, ``(K, d_h)``, ``(K, d_s)`` → s_i ``(K, d_s)``.
    """

    d_h, d_s = model.config.d_h, model.config.decoder_units  # known sizes: the layers check them when tracing

    @traced_once(input_signature=(tf.TensorSpec((None, None), tf.int32), tf.TensorSpec((None, None), tf.bool)))
    def encode(source_ids, source_mask):
        return model.encode(source_ids, source_mask)

    @traced_once(
        input_signature=(
            tf.TensorSpec((None, None, d_h), tf.float32),
            tf.TensorSpec((None, None), tf.bool),
            tf.TensorSpec((None, d_s), tf.float32),
            tf.TensorSpec((None, None), tf.float32),
            tf.TensorSpec((), tf.bool),
        )
    )
    def expand(h, source_mask, s_prev, alpha, use_alpha):
        trace, logits = model.step(h, s_prev, source_mask, "correct", alpha, use_alpha)
        return trace.context, logits

    @traced_once(
        input_signature=(
            tf.TensorSpec((None,), tf.int32),
            tf.TensorSpec((None, d_h), tf.float32),
            tf.TensorSpec((None, d_s), tf.float32),
        )
    )
    def advance(y, context, s_prev):
        return model.next_state(y, context, s_prev)

    return encode, expand, advance


def weights_to_npz(model: Seq2Seq, path) -> None:
    np.savez_compressed(path, *[np.asarray(w) for w in model.get_weights()])


def weights_from_npz(model: Seq2Seq, path) -> None:
    with np.load(path) as data:
        model.set_weights([data[f"arr_{k}"] for k in range(len(data.files))])
