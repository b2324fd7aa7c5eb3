"""A small encoder–decoder Transformer (Vaswani et al. 2017) whose every attention is ``multi_head_attention``.

    X_0     = √d_model · E x + PE                     source embeddings with positions    (batch, T_x, d_model)
    X_l     = X_{l-1} + SelfAttn(LN(X_{l-1}))         encoder layer l, then
    X_l     = X_l + FFN(LN(X_l))                      FFN(z) = ReLU(z W_1 + b_1) W_2 + b_2
    H       = LN(X_L)                                 the encoder's output, what cross-attention reads
    Y_0     = √d_model · E [<start>, y_1 … y_{i-1}] + PE
    Y_l     = Y_{l-1} + MaskedSelfAttn(LN(Y_{l-1}))   causal: position t reads target positions ≤ t
    Y_l     = Y_l + CrossAttn(LN(Y_l), H)             queries from the target, keys and values from H
    Y_l     = Y_l + FFN(LN(Y_l))
    y_i     = softmax(LN(Y_L)_{i-1} W_out + b_out)    the word at position i-1 predicts y_i

Layer normalisation comes before each sublayer (Xiong et al. 2020's "pre-LN"): with it the model
trains at a constant learning rate without a warm-up, in minutes here; the residual path stays an
identity, as in the original.

The model with ``causal=False`` (``transformer_no_causal_mask``) is the same but its decoder's
self-attention has no causal mask: under teacher forcing position t reads y_{t+1}, the word it is to
predict, and copies it; writing its own words it has no future to read.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf

from attention_core.nn.attention import LARGE_NEGATIVE
from attention_core.nn.model import PAD_ID, START_ID
from attention_core.nn.multihead import MULTI_HEAD_FIELDS, MultiHeadParams, MultiHeadTrace, multi_head_attention


@dataclass(frozen=True)
class TransformerConfig:
    d_model: int = 64  # the width of every position's vector
    heads: int = 4  # per attention; d_k = d_v = d_model / heads = 16
    encoder_layers: int = 2
    decoder_layers: int = 2
    d_ff: int = 128  # the feed-forward sublayer's hidden width
    causal: bool = True  # False: the decoder's self-attention may read later target words (the leaky model)
    max_positions: int = 128  # positional encodings tabulated; the toy Chinese side reaches 85 tokens
    extra_target_steps: int = 4  # decoding stops at T_x + this many words without <end>, as the recurrent models

    @property
    def d_k(self) -> int:
        return self.d_model // self.heads

    def __post_init__(self) -> None:
        if self.d_model % self.heads:
            raise ValueError(
                f"d_model must split evenly into heads. Received: d_model={self.d_model}, heads={self.heads}"
            )


def positional_encoding(positions: int, d_model: int) -> np.ndarray:
    r"""The sinusoidal encodings ``(positions, d_model)``.

    :math:`PE_{t,2k} = \sin(t / 10000^{2k/d})`, :math:`PE_{t,2k+1} = \cos(t / 10000^{2k/d})`.
    """
    t = np.arange(positions)[:, None]  # (positions, 1)
    k = np.arange(0, d_model, 2)[None, :]  # (1, d_model / 2)
    angles = t / np.power(10000.0, k / d_model)  # (positions, d_model / 2)
    pe = np.zeros((positions, d_model), np.float32)
    pe[:, 0::2], pe[:, 1::2] = np.sin(angles), np.cos(angles)
    return pe


class MultiHeadAttentionLayer(keras.layers.Layer):
    """The weights of one multi-head attention; its ``call`` is ``multi_head_attention``. Built in the constructor."""

    def __init__(self, d_model: int, heads: int, **kwargs):
        super().__init__(**kwargs)
        self.d_model, self.heads, self.d_k = d_model, heads, d_model // heads
        projection, zeros = keras.initializers.GlorotUniform(), keras.initializers.Zeros()
        shapes = {
            "W_Q": (d_model, heads, self.d_k),
            "b_Q": (heads, self.d_k),
            "W_K": (d_model, heads, self.d_k),
            "b_K": (heads, self.d_k),
            "W_V": (d_model, heads, self.d_k),
            "b_V": (heads, self.d_k),
            "W_O": (heads, self.d_k, d_model),
            "b_O": (d_model,),
        }
        for name, shape in shapes.items():
            setattr(
                self, name, self.add_weight(shape=shape, initializer=zeros if name[0] == "b" else projection, name=name)
            )
        self.built = True

    @property
    def params(self) -> MultiHeadParams:
        return MultiHeadParams(*(getattr(self, f.name) for f in dataclasses.fields(MultiHeadParams)))

    def call(self, x, h, key_mask=None, causal=False, alpha_override=None, override_where=None) -> MultiHeadTrace:
        return multi_head_attention(x, h, self.params, key_mask, causal, alpha_override, override_where)


class FeedForward(keras.layers.Layer):
    """``ReLU(z W_1 + b_1) W_2 + b_2`` at every position."""

    def __init__(self, d_model: int, d_ff: int, **kwargs):
        super().__init__(**kwargs)
        self.hidden = keras.layers.Dense(d_ff, activation="relu", name="W_1")
        self.out = keras.layers.Dense(d_model, name="W_2")
        self.hidden.build((None, d_model))
        self.out.build((None, d_ff))
        self.built = True

    def call(self, z):
        return self.out(self.hidden(z))


def _norm(d_model: int, name: str) -> keras.layers.LayerNormalization:
    layer = keras.layers.LayerNormalization(epsilon=1e-6, name=name)
    layer.build((None, d_model))
    return layer


class EncoderLayer(keras.layers.Layer):
    def __init__(self, config: TransformerConfig, **kwargs):
        super().__init__(**kwargs)
        d = config.d_model
        self.norm_attention, self.norm_ff = _norm(d, "norm_attention"), _norm(d, "norm_ff")
        self.self_attention = MultiHeadAttentionLayer(d, config.heads, name="self_attention")
        self.ff = FeedForward(d, config.d_ff, name="ff")
        self.built = True

    def call(self, x, source_mask):
        """``x`` ``(batch, T_x, d_model)`` → the layer's output and its self-attention trace."""
        z = self.norm_attention(x)
        trace = self.self_attention(z, z, source_mask)
        x = x + trace.output
        return x + self.ff(self.norm_ff(x)), trace


class DecoderLayer(keras.layers.Layer):
    def __init__(self, config: TransformerConfig, **kwargs):
        super().__init__(**kwargs)
        d = config.d_model
        self.norm_self, self.norm_cross, self.norm_ff = (
            _norm(d, "norm_self"),
            _norm(d, "norm_cross"),
            _norm(d, "norm_ff"),
        )
        self.self_attention = MultiHeadAttentionLayer(d, config.heads, name="self_attention")
        self.cross_attention = MultiHeadAttentionLayer(d, config.heads, name="cross_attention")
        self.ff = FeedForward(d, config.d_ff, name="ff")
        self.causal = config.causal
        self.built = True

    def call(self, y, target_mask, memory, source_mask, alpha_override=None, override_where=None):
        """``y`` ``(batch, T_y, d_model)``, ``memory`` H ``(batch, T_x, d_model)`` → output, self and cross traces."""
        z = self.norm_self(y)
        self_trace = self.self_attention(z, z, target_mask, causal=self.causal)
        y = y + self_trace.output
        cross_trace = self.cross_attention(
            self.norm_cross(y), memory, source_mask, alpha_override=alpha_override, override_where=override_where
        )
        y = y + cross_trace.output
        return y + self.ff(self.norm_ff(y)), self_trace, cross_trace


class Transformer(keras.Model):
    """Encoder–decoder Transformer over token ids; every attention's trace is returned with its output."""

    has_attention = True
    score = "multi_head"  # what the evaluation file records as the model's score

    def __init__(self, source_size: int, target_size: int, config: TransformerConfig = TransformerConfig(), **kwargs):
        super().__init__(**kwargs)
        self.config, self.source_size, self.target_size = config, source_size, target_size
        d = config.d_model
        self.source_embedding = keras.layers.Embedding(source_size, d, name="source_embedding")
        self.target_embedding = keras.layers.Embedding(target_size, d, name="target_embedding")
        self.source_embedding.build((None, None))
        self.target_embedding.build((None, None))
        self.encoder_layers = [EncoderLayer(config, name=f"encoder_{k + 1}") for k in range(config.encoder_layers)]
        self.decoder_layers = [DecoderLayer(config, name=f"decoder_{k + 1}") for k in range(config.decoder_layers)]
        self.encoder_norm, self.decoder_norm = _norm(d, "encoder_norm"), _norm(d, "decoder_norm")
        self.output_layer = keras.layers.Dense(target_size, name="W_out")
        self.output_layer.build((None, d))
        self.positions = tf.constant(positional_encoding(config.max_positions, d))  # (max_positions, d_model)
        # 1 for the words the decoder never outputs: an untrained model cannot print "<pad>" or "<start>"
        self.never_emitted = tf.constant(np.isin(np.arange(target_size), [PAD_ID, START_ID]).astype(np.float32))
        self.built = True

    def embed(self, embedding: keras.layers.Embedding, ids):
        r""":math:`\sqrt{d_{model}}\, E x_t + PE_t`: ``(batch, T)`` ids → ``(batch, T, d_model)``."""
        T = tf.shape(ids)[1]
        tf.debugging.assert_less_equal(T, self.config.max_positions, message="longer than the positional table")
        scale = tf.sqrt(tf.cast(self.config.d_model, tf.float32))
        return embedding(ids) * scale + self.positions[None, :T]

    def encode(self, source_ids, source_mask):
        """``(batch, T_x)`` ids and mask → H ``(batch, T_x, d_model)`` and each layer's self-attention trace."""
        x = self.embed(self.source_embedding, source_ids)
        traces = []
        for layer in self.encoder_layers:
            x, trace = layer(x, source_mask)
            traces.append(trace)
        return self.encoder_norm(x), traces

    def decode_positions(self, memory, source_mask, target_in, alpha_override=None, override_where=None):
        """Every target position at once.

        Args:
            memory: H ``(batch, T_x, d_model)``; source_mask ``(batch, T_x)``.
            target_in: ``(batch, T)`` ids, ``<start>`` then the words so far (``<pad>`` after a shorter row).
            alpha_override, override_where: ``(layers, batch, heads, T, T_x)`` and ``(layers, batch, heads, T)``:
                cross-attention rows replaced per decoder layer (``multi_head_attention``).
        Returns ``(logits (batch, T, |V_y|), self traces, cross traces)``, one trace per decoder layer.
        """
        target_mask = tf.not_equal(target_in, PAD_ID)  # padding is never a key
        y = self.embed(self.target_embedding, target_in)
        self_traces, cross_traces = [], []
        for l, layer in enumerate(self.decoder_layers):
            given = None if alpha_override is None else (alpha_override[l], override_where[l])
            y, self_trace, cross_trace = layer(y, target_mask, memory, source_mask, *(given or (None, None)))
            self_traces.append(self_trace)
            cross_traces.append(cross_trace)
        logits = self.output_layer(self.decoder_norm(y)) + LARGE_NEGATIVE * self.never_emitted
        return logits, self_traces, cross_traces

    def teacher_forced_logits(self, source_ids, target_ids):
        """Training forward pass: ``target_ids`` ``(batch, T_y)`` ending in <end>, padded → ``(batch, T_y, |V_y|)``.

        The decoder reads ``<start>`` and the reference shifted right by one; position t predicts word t + 1.
        """
        source_mask = tf.not_equal(source_ids, 0)
        memory, _ = self.encode(source_ids, source_mask)
        start = tf.fill((tf.shape(target_ids)[0], 1), START_ID)
        target_in = tf.concat([start, target_ids[:, :-1]], axis=1)  # (batch, T_y)
        logits, _, _ = self.decode_positions(memory, source_mask, target_in)
        return logits


def stacked(traces: list[MultiHeadTrace]) -> dict:
    """Layer traces as one dict of tensors, a layer axis first: ``{field: (layers, batch, …)}``."""
    return {name: tf.stack([getattr(t, name) for t in traces]) for name in MULTI_HEAD_FIELDS}


def unstacked(fields: dict, row: int) -> list[MultiHeadTrace]:
    """``stacked`` back into one numpy trace per layer for sentence ``row`` (no batch axis)."""
    layers = np.asarray(fields["alpha"]).shape[0]
    return [MultiHeadTrace(*(np.asarray(fields[n])[l, row] for n in MULTI_HEAD_FIELDS)) for l in range(layers)]


class TransformerFunctions:
    """The model's passes under ``tf.function`` with signatures: one trace each, for every length and batch.

    ``encode(source_ids, mask)`` → H and the encoder's stacked traces.
    ``step(memory, mask, target_in, alpha_override, override_where)`` → logits ``(batch, T, |V_y|)`` and the
    decoder's stacked self and cross traces (every position; a step reads the last).
    ``next_words(memory, mask, target_in)`` → the last position's logits ``(batch, |V_y|)`` and every layer's
    cross-attention α at it ``(layers, batch, heads, T_x)``: a greedy decode or a beam, without the rest.
    ``forced(source_ids, mask, target_in)`` → every position's logits and cross-attention α
    ``(layers, batch, heads, T, T_x)`` in one pass: teacher forcing as the model was trained.
    """

    def __init__(self, model: Transformer):
        self.model = model
        ids, mask, floats = tf.TensorSpec((None, None), tf.int32), tf.TensorSpec((None, None), tf.bool), tf.float32
        memory = tf.TensorSpec((None, None, model.config.d_model), floats)
        self.encode = tf.function(functools.partial(self._encode), input_signature=(ids, mask))
        self.step = tf.function(
            functools.partial(self._step),
            input_signature=(
                memory,
                mask,
                ids,
                tf.TensorSpec((model.config.decoder_layers, None, model.config.heads, None, None), floats),
                tf.TensorSpec((model.config.decoder_layers, None, model.config.heads, None), tf.bool),
            ),
        )
        self.next_words = tf.function(functools.partial(self._next_words), input_signature=(memory, mask, ids))
        self.forced = tf.function(functools.partial(self._forced), input_signature=(ids, mask, ids))

    def _encode(self, source_ids, source_mask):
        memory, traces = self.model.encode(source_ids, source_mask)
        return memory, stacked(traces)

    def _step(self, memory, source_mask, target_in, alpha_override, override_where):
        logits, self_traces, cross_traces = self.model.decode_positions(
            memory, source_mask, target_in, alpha_override, override_where
        )
        return logits, stacked(self_traces), stacked(cross_traces)

    def _next_words(self, memory, source_mask, target_in):
        logits, _, cross_traces = self.model.decode_positions(memory, source_mask, target_in)
        return logits[:, -1], tf.stack([t.alpha[:, :, -1] for t in cross_traces])

    def _forced(self, source_ids, source_mask, target_in):
        memory, _ = self.model.encode(source_ids, source_mask)
        logits, _, cross_traces = self.model.decode_positions(memory, source_mask, target_in)
        return logits, tf.stack([t.alpha for t in cross_traces])


TRANSFORMER_KINDS = {
    "transformer": TransformerConfig(),
    "transformer_no_causal_mask": TransformerConfig(causal=False),
}
"""The toy English→French Transformers ``load_pretrained`` knows, and their configs."""
TOY_ZH_TRANSFORMER = "toy_en_zh_transformer"
"""The Transformer trained on the toy English→Chinese pairs of the same sentences (the recipe's ``language="zh"``)."""
# a Chinese sentence runs up to 26 tokens longer than its English (measure words, 在 … 里, 的): with the
# French models' T_x + 4 every long sentence was cut short (33% exact match, 99.98% under teacher forcing)
TRANSFORMER_MODELS = {**TRANSFORMER_KINDS, TOY_ZH_TRANSFORMER: TransformerConfig(extra_target_steps=30)}
"""Every shipped Transformer and its config: ``load_pretrained`` accepts these names beside ``MODEL_KINDS``."""
