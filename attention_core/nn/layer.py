"""``BahdanauAttention``, the Keras layer of the shipped model, and ``LuongAttention``, the
layer of the models trained with another score.

Each ``call`` goes through the functions of ``attention.py``, so the models and the pages
run the same arithmetic. The layer is built in its constructor: a layer built lazily on its
first call builds inside whichever trace or thread calls it first, and an unbuilt
layer shared between threads fails under concurrent first calls.
"""

from __future__ import annotations

import keras

from attention_core.nn.attention import (
    AdditiveParams,
    AttentionTrace,
    bahdanau_attention,
    dot_attention,
    general_attention,
    location_attention,
)


class BahdanauAttention(keras.layers.Layer):
    """``e_ij = vᵀ tanh(W1 h_j + W2 s_{i-1} + b)``, then α and c.

    Args:
        units: attention size ``d_a``.
        encoder_dim: ``d_h``, the size of each encoder state ``h_j``.
        decoder_dim: ``d_s``, the size of the decoder state ``s_{i-1}``.
    """

    def __init__(self, units: int, encoder_dim: int, decoder_dim: int, **kwargs):
        super().__init__(**kwargs)
        self.units, self.encoder_dim, self.decoder_dim = units, encoder_dim, decoder_dim
        self.W1 = keras.layers.Dense(units, use_bias=False, name="W1")
        self.W2 = keras.layers.Dense(units, use_bias=False, name="W2")
        self.supports_masking = True  # `mask` is ours to apply; without this Keras warns and drops it
        self.build()

    def build(self, input_shape=None):
        if self.built:
            return
        self.W1.build((None, self.encoder_dim))
        self.W2.build((None, self.decoder_dim))
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", name="b")
        self.v = self.add_weight(shape=(self.units,), initializer="glorot_uniform", name="v")
        self.built = True

    @property
    def params(self) -> AdditiveParams:
        return AdditiveParams(W1=self.W1.kernel, W2=self.W2.kernel, b=self.b, v=self.v)

    def call(self, h, s_prev, mask=None, mask_strategy: str = "correct") -> AttentionTrace:
        """``h`` ``(batch, T_x, d_h)``, ``s_prev`` ``(batch, d_s)``, ``mask`` ``(batch, T_x)``."""
        return bahdanau_attention(h, s_prev, self.params, mask=mask, mask_strategy=mask_strategy)

    def compute_mask(self, *args, **kwargs):
        return None  # the mask is an input of the equations, not something to pass downstream

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "encoder_dim": self.encoder_dim,
            "decoder_dim": self.decoder_dim,
        }


class LuongAttention(keras.layers.Layer):
    """Luong et al. 2015's scores of ``s_{i-1}`` against ``h_j``, then α and c as in Bahdanau's.

    - ``"dot"``: ``e_ij = s_{i-1}ᵀ h_j``; ``"scaled_dot"`` divides by √d_h. No weights; d_s = d_h.
    - ``"general"``: ``e_ij = h_jᵀ W_a s_{i-1}``, ``W_a`` ``(d_h, d_s)``.
    - ``"location"``: ``e_i = W_aᵀ s_{i-1}``, ``W_a`` ``(d_s, positions)``: where to look, from the
      decoder state alone.

    Luong's decoder reads the state after the step (``h_t``); ours keeps Bahdanau's order, so
    the query is ``s_{i-1}`` for every score and only the score differs between the models.
    """

    SCORES = ("dot", "scaled_dot", "general", "location")

    def __init__(self, score: str, encoder_dim: int, decoder_dim: int, positions: int, **kwargs):
        super().__init__(**kwargs)
        if score not in self.SCORES:
            raise ValueError(f"score must be one of {self.SCORES}. Received: score={score!r}")
        self.score, self.encoder_dim, self.decoder_dim, self.positions = score, encoder_dim, decoder_dim, positions
        self.supports_masking = True
        self.build()

    def build(self, input_shape=None):
        if self.built:
            return
        shapes = {"general": (self.encoder_dim, self.decoder_dim), "location": (self.decoder_dim, self.positions)}
        if self.score in shapes:
            self.W_a = self.add_weight(shape=shapes[self.score], initializer="glorot_uniform", name="W_a")
        self.built = True

    def call(self, h, s_prev, mask=None, mask_strategy: str = "correct") -> AttentionTrace:
        """``h`` ``(batch, T_x, d_h)``, ``s_prev`` ``(batch, d_s)``, ``mask`` ``(batch, T_x)``."""
        if self.score == "general":
            return general_attention(h, s_prev, self.W_a, mask, mask_strategy)
        if self.score == "location":
            return location_attention(h, s_prev, self.W_a, mask, mask_strategy)
        return dot_attention(h, s_prev, mask, mask_strategy, scaled=self.score == "scaled_dot")

    def compute_mask(self, *args, **kwargs):
        return None

    def get_config(self):
        return {
            **super().get_config(),
            "score": self.score,
            "encoder_dim": self.encoder_dim,
            "decoder_dim": self.decoder_dim,
            "positions": self.positions,
        }
