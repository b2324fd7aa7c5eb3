"""Bahdanau (additive) attention with every intermediate returned.

    e_ij = vᵀ tanh(W1 h_j + W2 s_{i-1} + b)        scores   (batch, T_x)
    α_ij = exp(e_ij) / Σ_k exp(e_ik)               weights  (batch, T_x)
    c_i  = Σ_j α_ij h_j                            context  (batch, d_h)

Shapes use one vocabulary: ``h`` is ``(batch, T_x, d_h)``, ``s_prev`` is
``(batch, d_s)``, ``mask`` is ``(batch, T_x)`` with True for a real token.

Half-precision inputs are computed in float32 (as Keras mixed precision does for
softmax): float16 overflows at 65504, and a projection of inputs near 1e4 would
reach it. Every trace tensor is therefore float32 or float64.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import tensorflow as tf

from attention_core.names import MASK_STRATEGIES

LARGE_NEGATIVE = -1e9
"""The fill value of the ``large_negative`` strategy (Keras's own choice)."""


@dataclass(frozen=True)
class AdditiveParams:
    """Weights of the additive score ``e_ij = vᵀ tanh(W1 h_j + W2 s_{i-1} + b)``.

    Args:
        W1: ``(d_h, d_a)``, applied to each encoder state ``h_j``.
        W2: ``(d_s, d_a)``, applied to the decoder state ``s_{i-1}``.
        b: ``(d_a,)``.
        v: ``(d_a,)``.

    Numpy arrays, tensors or Keras variables, float32 or float16.
    """

    W1: Any
    W2: Any
    b: Any
    v: Any

    def __post_init__(self) -> None:
        W1, W2, b, v = (tuple(x.shape) for x in (self.W1, self.W2, self.b, self.v))
        if len(W1) != 2 or len(W2) != 2 or len(b) != 1 or len(v) != 1:
            raise ValueError(
                "AdditiveParams expects W1 (d_h, d_a), W2 (d_s, d_a), b (d_a,), v (d_a,). "
                f"Received: W1={W1}, W2={W2}, b={b}, v={v}"
            )
        if not W1[1] == W2[1] == b[0] == v[0]:
            raise ValueError(
                f"W1, W2, b and v must share the attention size d_a. Received: W1={W1}, W2={W2}, b={b}, v={v}"
            )

    @property
    def d_a(self) -> int:
        return int(self.v.shape[0])

    def numpy(self) -> AdditiveParams:
        return AdditiveParams(*(np.asarray(x) for x in (self.W1, self.W2, self.b, self.v)))


@dataclass(frozen=True)
class AttentionTrace:
    """Every intermediate of one attention step, named after the equations.

    Fields that a score function does not have are None (a dot score has no W1 h_j).
    The tensors keep the batch axis; ``step(k)`` drops it for row k.
    """

    score: str  # which score function produced e: one of SCORE_FUNCTIONS
    mask_strategy: str  # one of MASK_STRATEGIES
    W1_h: Any  # (batch, T_x, d_a)  W1 h_j, additive only
    W2_s: Any  # (batch, d_a)       W2 s_{i-1} (additive) or W_a s_{i-1} (general)
    pre_activation: Any  # (batch, T_x, d_a)  W1 h_j + W2 s_{i-1} + b, additive only
    tanh_activation: Any  # (batch, T_x, d_a)  tanh(W1 h_j + W2 s_{i-1} + b), additive only
    e: Any  # (batch, T_x)  raw scores, before any mask
    e_masked: Any  # (batch, T_x)  scores after the strategy's fill
    alpha: Any  # (batch, T_x)  attention weights
    context: Any  # (batch, d_h)  c_i = Σ_j α_ij h_j
    mask: Any  # (batch, T_x) bool, True = real token
    fully_masked: Any  # (batch,) bool: rows with no real token (α = 0, c = 0 when correct)

    def numpy(self) -> AttentionTrace:
        """The same trace with every tensor as a numpy array."""
        return dataclasses.replace(
            self,
            **{
                f.name: None if getattr(self, f.name) is None else np.asarray(getattr(self, f.name))
                for f in dataclasses.fields(self)
                if f.name not in ("score", "mask_strategy")
            },
        )

    def row(self, k: int) -> AttentionTrace:
        """Row ``k`` of the batch, every tensor without its batch axis (numpy)."""
        as_numpy = self.numpy()
        return dataclasses.replace(
            as_numpy,
            **{
                f.name: None if getattr(as_numpy, f.name) is None else getattr(as_numpy, f.name)[k]
                for f in dataclasses.fields(self)
                if f.name not in ("score", "mask_strategy")
            },
        )


PER_STEP_FIELDS = ("W2_s", "pre_activation", "tanh_activation", "e", "e_masked", "alpha", "context")
"""Trace fields that change at every decoder step (the query ``s_{i-1}`` changes)."""
PER_SENTENCE_FIELDS = ("W1_h", "mask", "fully_masked")
"""Trace fields that depend on the source sentence only, the same at every step."""
assert {f.name for f in dataclasses.fields(AttentionTrace)} == {"score", "mask_strategy"} | set(
    PER_STEP_FIELDS + PER_SENTENCE_FIELDS
), "every tensor field of AttentionTrace is either per step or per sentence"


def trace_from_decode(stacked: dict, i: int, mask_strategy: str, score: str = "additive") -> AttentionTrace:
    """Step ``i`` of a decode whose per-step fields are stacked along a leading step axis.

    ``stacked`` maps each of ``PER_STEP_FIELDS`` to ``(steps, batch, …)`` and each of
    ``PER_SENTENCE_FIELDS`` to ``(batch, …)``; the trace keeps the batch axis.
    """
    return AttentionTrace(
        score=score,
        mask_strategy=mask_strategy,
        **{name: stacked[name][i] for name in PER_STEP_FIELDS},
        **{name: stacked[name] for name in PER_SENTENCE_FIELDS},
    )


def _compute_dtype(x: Any) -> tf.DType:
    dtype = tf.as_dtype(x.dtype)
    if dtype == tf.float64:
        return tf.float64
    if dtype.is_floating:
        return tf.float32
    raise TypeError(
        f"Attention inputs must be floating point (float16, float32 or float64). Received: dtype={dtype.name}"
    )


def _as_tensor(x: Any, dtype: tf.DType) -> tf.Tensor:
    return tf.cast(tf.convert_to_tensor(x), dtype)


def _check_h_s(h: tf.Tensor, s_prev: tf.Tensor, mask: Any) -> None:
    if h.shape.rank != 3 or s_prev.shape.rank != 2:
        raise ValueError(
            "Expected h (batch, T_x, d_h) and s_prev (batch, d_s). "
            f"Received: h.shape={tuple(h.shape)}, s_prev.shape={tuple(s_prev.shape)}"
        )
    if mask is not None and len(mask.shape) != 2:
        raise ValueError(f"Expected mask (batch, T_x). Received: mask.shape={tuple(mask.shape)}")


def _check_strategy(mask_strategy: str) -> None:
    if mask_strategy not in MASK_STRATEGIES:
        raise ValueError(f"mask_strategy must be one of {MASK_STRATEGIES}. Received: mask_strategy={mask_strategy!r}")


def project_keys(h: tf.Tensor, W1: tf.Tensor) -> tf.Tensor:
    r"""The keys :math:`W_1 h_j`, for every source position j at once.

    ``h`` ``(batch, T_x, d_h)``, ``W1`` ``(d_h, d_a)`` → ``(batch, T_x, d_a)``. They do not
    depend on the decoder step: a translation computes them once.
    """
    return tf.matmul(h, W1)  # (batch, T_x, d_h) @ (d_h, d_a) → (batch, T_x, d_a)


def project_query(s_prev: tf.Tensor, W2: tf.Tensor) -> tf.Tensor:
    r"""The query :math:`W_2 s_{i-1}`: ``s_prev`` ``(batch, d_s)``, ``W2`` ``(d_s, d_a)`` → ``(batch, d_a)``."""
    return tf.matmul(s_prev, W2)  # (batch, d_s) @ (d_s, d_a) → (batch, d_a)


def additive_scores(W1_h: tf.Tensor, W2_s: tf.Tensor, b: tf.Tensor, v: tf.Tensor):
    r"""The additive score :math:`e_{ij} = v^\top \tanh(W_1 h_j + W_2 s_{i-1} + b)`.

    ``W1_h`` ``(batch, T_x, d_a)``, ``W2_s`` ``(batch, d_a)``, ``b`` and ``v`` ``(d_a,)``.
    Returns ``(pre_activation, tanh_activation, e)``: ``(batch, T_x, d_a)`` twice, ``(batch, T_x)``.
    """
    pre_activation = W1_h + W2_s[:, None, :] + b  # (batch, T_x, d_a): the query added at every j
    tanh_activation = tf.tanh(pre_activation)  # (batch, T_x, d_a)
    e = tf.reduce_sum(tanh_activation * v, axis=-1)  # (batch, T_x): vᵀ tanh(·) at every j
    return pre_activation, tanh_activation, e


def masked_softmax(e: tf.Tensor, mask: tf.Tensor, mask_strategy: str = "correct"):
    r"""The weights :math:`\alpha_{ij} = \exp(e_{ij}) / \sum_k \exp(e_{ik})`, over real tokens only.

    Returns ``(e_masked, alpha)``, both ``(batch, T_x)``.

    Args:
        e: ``(batch, T_x)`` raw scores.
        mask: ``(batch, T_x)`` bool, True = real token.
        mask_strategy: one of ``MASK_STRATEGIES``.

    The correct strategy subtracts the maximum over real tokens only and multiplies
    the exponentials by the mask, so a masked α is exactly 0 and a row with no real
    token divides 0 by nothing: α = 0, never NaN.
    """
    _check_strategy(mask_strategy)
    if mask_strategy == "none":
        return e, tf.nn.softmax(e, axis=-1)
    if mask_strategy == "neg_inf":
        e_masked = tf.where(mask, e, tf.constant(-np.inf, e.dtype))
        return e_masked, tf.nn.softmax(e_masked, axis=-1)
    if mask_strategy == "large_negative":
        e_masked = tf.where(mask, e, tf.constant(LARGE_NEGATIVE, e.dtype))
        return e_masked, tf.nn.softmax(e_masked, axis=-1)
    if mask_strategy == "min_fill":
        e_masked = tf.where(mask, e, tf.reduce_min(e))  # the source article's line
        return e_masked, tf.nn.softmax(e_masked, axis=-1)
    # correct: the lowest finite value marks an excluded score without an inf leaving.
    e_masked = tf.where(mask, e, tf.constant(e.dtype.min, e.dtype))
    row_max = tf.reduce_max(e_masked, axis=-1, keepdims=True)  # (batch, 1)
    exp = tf.where(mask, tf.exp(e_masked - row_max), tf.zeros_like(e))  # (batch, T_x)
    total = tf.reduce_sum(exp, axis=-1, keepdims=True)  # (batch, 1), ≥ 1 when a row has a real token
    alpha = tf.math.divide_no_nan(exp, total)
    return e_masked, alpha


def weighted_sum(alpha: tf.Tensor, h: tf.Tensor) -> tf.Tensor:
    r"""The context :math:`c_i = \sum_j \alpha_{ij} h_j`.

    ``alpha`` ``(batch, T_x)``, ``h`` ``(batch, T_x, d_h)`` → ``(batch, d_h)``.
    """
    # (batch, 1, T_x) @ (batch, T_x, d_h): the batched matmul Keras uses, faster here than matvec.
    return tf.squeeze(tf.matmul(alpha[:, None, :], h), axis=1)  # (batch, d_h)


def override_alpha(trace: AttentionTrace, h: Any, alpha: Any, use: Any) -> AttentionTrace:
    r"""The trace with α replaced where ``use`` holds, and :math:`c_i = \sum_j \alpha_{ij} h_j` rebuilt from it.

    ``alpha`` ``(batch, T_x)`` (already non-negative and summing to 1), ``use`` a scalar bool.
    ``e`` and ``e_masked`` stay the model's own scores, so both can be shown side by side.
    """
    alpha = tf.cast(alpha, trace.alpha.dtype)
    new_alpha = tf.where(use, alpha, trace.alpha)  # (batch, T_x)
    new_context = tf.where(use, weighted_sum(alpha, tf.cast(h, trace.alpha.dtype)), trace.context)  # (batch, d_h)
    return dataclasses.replace(trace, alpha=new_alpha, context=new_context)


def output_logits(s_prev: Any, context: Any, W_o: Any, b_o: Any, never_emitted: Any = None) -> tf.Tensor:
    r"""The logits of :math:`y_i = g(s_{i-1}, c_i) = \mathrm{softmax}(W_o [s_{i-1}; c_i] + b_o)`.

    ``s_prev`` ``(batch, d_s)``, ``context`` ``(batch, d_h)``, ``W_o`` ``(d_s + d_h, |V_y|)``,
    ``b_o`` ``(|V_y|,)`` → ``(batch, |V_y|)``. ``never_emitted`` ``(|V_y|,)``, 1 for a word the
    decoder must never output (``<pad>``, ``<start>``): its logit drops by 10⁹, its probability
    to exactly 0 in float32, and every number stays finite.
    """
    s_c = tf.concat([s_prev, context], axis=-1)  # (batch, d_s + d_h): [s_{i-1}; c_i]
    logits = tf.matmul(s_c, W_o) + b_o  # (batch, |V_y|)
    if never_emitted is not None:
        logits += LARGE_NEGATIVE * tf.cast(never_emitted, logits.dtype)  # (|V_y|,) broadcast over batch
    return logits


def _finish(score, h, e, mask, mask_strategy, **intermediates) -> AttentionTrace:
    _check_strategy(mask_strategy)
    if mask is None:
        # No position is masked, so every strategy is the plain softmax; skipping the
        # masking ops keeps one decoder step as cheap as Keras's own attention.
        mask = tf.ones_like(e, dtype=tf.bool)
        e_masked, alpha = e, tf.nn.softmax(e, axis=-1)
    else:
        mask = tf.cast(tf.convert_to_tensor(mask), tf.bool)
        e_masked, alpha = masked_softmax(e, mask, mask_strategy)
    return AttentionTrace(
        score=score,
        mask_strategy=mask_strategy,
        W1_h=intermediates.get("W1_h"),
        W2_s=intermediates.get("W2_s"),
        pre_activation=intermediates.get("pre_activation"),
        tanh_activation=intermediates.get("tanh_activation"),
        e=e,
        e_masked=e_masked,
        alpha=alpha,
        context=weighted_sum(alpha, h),
        mask=mask,
        fully_masked=tf.logical_not(tf.reduce_any(mask, axis=-1)),
    )


def bahdanau_attention(
    h: Any, s_prev: Any, params: AdditiveParams, mask: Any = None, mask_strategy: str = "correct"
) -> AttentionTrace:
    r"""Additive attention, one decoder step, every intermediate kept.

    .. math::
        e_{ij} = v^\top \tanh(W_1 h_j + W_2 s_{i-1} + b), \quad
        \alpha_{ij} = \mathrm{softmax}_j(e_{ij}), \quad
        c_i = \sum_j \alpha_{ij} h_j

    Args:
        h: encoder states ``(batch, T_x, d_h)``.
        s_prev: previous decoder state ``s_{i-1}``, ``(batch, d_s)``.
        params: ``AdditiveParams`` with W1 ``(d_h, d_a)``, W2 ``(d_s, d_a)``, b, v ``(d_a,)``.
        mask: ``(batch, T_x)`` bool, True = real token; None = every position is real.
        mask_strategy: one of ``MASK_STRATEGIES`` (default ``"correct"``).
    """
    dtype = _compute_dtype(h)
    h = _as_tensor(h, dtype)
    s_prev = _as_tensor(s_prev, dtype)
    _check_h_s(h, s_prev, mask)
    W1, W2, b, v = (_as_tensor(p, dtype) for p in (params.W1, params.W2, params.b, params.v))
    if h.shape[-1] != W1.shape[0] or s_prev.shape[-1] != W2.shape[0]:
        raise ValueError(
            "W1 must be (d_h, d_a) and W2 (d_s, d_a). "
            f"Received: h.shape={tuple(h.shape)}, s_prev.shape={tuple(s_prev.shape)}, "
            f"W1.shape={tuple(W1.shape)}, W2.shape={tuple(W2.shape)}"
        )
    W1_h = project_keys(h, W1)  # (batch, T_x, d_a)
    W2_s = project_query(s_prev, W2)  # (batch, d_a)
    pre_activation, tanh_activation, e = additive_scores(W1_h, W2_s, b, v)  # (batch, T_x, d_a) ×2, (batch, T_x)
    return _finish(
        "additive",
        h,
        e,
        mask,
        mask_strategy,
        W1_h=W1_h,
        W2_s=W2_s,
        pre_activation=pre_activation,
        tanh_activation=tanh_activation,
    )


def numpy_additive(
    h: np.ndarray, s_prev: np.ndarray, W1: np.ndarray, W2: np.ndarray, b: np.ndarray, v: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``bahdanau_attention``'s e, α and c in plain numpy, without a mask or a trace: ``e``, ``alpha``
    ``(batch, T_x)`` and ``c`` ``(batch, d_h)``. The core benchmark (``benchmarks/core.py``) times it
    beside the TensorFlow paths and checks them against it.

    ``h`` ``(batch, T_x, d_h)``, ``s_prev`` ``(batch, d_s)``, ``W1`` ``(d_h, d_a)``,
    ``W2`` ``(d_s, d_a)``, ``b`` and ``v`` ``(d_a,)``. No mask: every position is real.
    """
    W1_h = h @ W1  # (batch, T_x, d_a)
    W2_s = s_prev @ W2  # (batch, d_a)
    e = np.tanh(W1_h + W2_s[:, None, :] + b) @ v  # (batch, T_x)
    exp = np.exp(e - e.max(axis=1, keepdims=True))  # the max subtracted: exp never overflows
    alpha = exp / exp.sum(axis=1, keepdims=True)
    c = (alpha[:, None, :] @ h)[:, 0, :]  # (batch, d_h)
    return e, alpha, c


def _dot_scores(h: tf.Tensor, s_prev: tf.Tensor, name: str) -> tf.Tensor:
    """``s_{i-1}ᵀ h_j`` for every j: ``(batch, T_x)``. Needs ``d_s = d_h``."""
    if h.shape[-1] != s_prev.shape[-1]:
        raise ValueError(
            f"The {name} score needs d_s = d_h; use the general score (a W_a of shape (d_h, d_s)) otherwise. "
            f"Received: h.shape={tuple(h.shape)} (d_h={h.shape[-1]}), "
            f"s_prev.shape={tuple(s_prev.shape)} (d_s={s_prev.shape[-1]})"
        )
    return tf.einsum("btd,bd->bt", h, s_prev)  # (batch, T_x)


def dot_attention(
    h: Any, s_prev: Any, mask: Any = None, mask_strategy: str = "correct", scaled: bool = False
) -> AttentionTrace:
    r"""Dot score (Luong) :math:`e_{ij} = s_{i-1}^\top h_j`, or with ``scaled`` :math:`/\sqrt{d_h}`."""
    dtype = _compute_dtype(h)
    h, s_prev = _as_tensor(h, dtype), _as_tensor(s_prev, dtype)
    _check_h_s(h, s_prev, mask)
    e = _dot_scores(h, s_prev, "scaled dot-product" if scaled else "dot")  # (batch, T_x)
    if scaled:
        e = e / tf.sqrt(tf.cast(h.shape[-1], dtype))
    return _finish("scaled_dot" if scaled else "dot", h, e, mask, mask_strategy)


def scaled_dot_attention(h: Any, s_prev: Any, mask: Any = None, mask_strategy: str = "correct") -> AttentionTrace:
    r"""Scaled dot-product score: :math:`e_{ij} = s_{i-1}^\top h_j / \sqrt{d_h}`. Needs ``d_s = d_h``."""
    return dot_attention(h, s_prev, mask, mask_strategy, scaled=True)


def general_attention(
    h: Any, s_prev: Any, W_a: Any, mask: Any = None, mask_strategy: str = "correct"
) -> AttentionTrace:
    r"""General score (Luong): :math:`e_{ij} = h_j^\top W_a s_{i-1}`, ``W_a`` of shape ``(d_h, d_s)``.

    ``W_a s_{i-1}`` is kept in ``W2_s``: it is the projection that makes the dot
    product possible when ``d_s ≠ d_h``.
    """
    dtype = _compute_dtype(h)
    h, s_prev, W_a = _as_tensor(h, dtype), _as_tensor(s_prev, dtype), _as_tensor(W_a, dtype)
    _check_h_s(h, s_prev, mask)
    if tuple(W_a.shape) != (h.shape[-1], s_prev.shape[-1]):
        raise ValueError(
            "The general score needs W_a of shape (d_h, d_s). "
            f"Received: h.shape={tuple(h.shape)}, s_prev.shape={tuple(s_prev.shape)}, W_a.shape={tuple(W_a.shape)}"
        )
    Wa_s = tf.matmul(s_prev, W_a, transpose_b=True)  # (batch, d_h)
    e = tf.einsum("btd,bd->bt", h, Wa_s)  # (batch, T_x)
    return _finish("general", h, e, mask, mask_strategy, W2_s=Wa_s)


def location_attention(
    h: Any, s_prev: Any, W_a: Any, mask: Any = None, mask_strategy: str = "correct"
) -> AttentionTrace:
    r"""Location score (Luong): :math:`e_i = W_a^\top s_{i-1}`, one score per source position.

    ``W_a`` ``(d_s, P)`` scores the first ``P`` positions from the decoder state alone; the
    words at those positions play no part in e, only in c. ``P`` must be at least T_x.
    """
    dtype = _compute_dtype(h)
    h, s_prev, W_a = _as_tensor(h, dtype), _as_tensor(s_prev, dtype), _as_tensor(W_a, dtype)
    _check_h_s(h, s_prev, mask)
    if W_a.shape[0] != s_prev.shape[-1]:
        raise ValueError(
            "The location score needs W_a of shape (d_s, positions). "
            f"Received: s_prev.shape={tuple(s_prev.shape)}, W_a.shape={tuple(W_a.shape)}"
        )
    T_x = tf.shape(h)[1]
    tf.debugging.assert_less_equal(
        T_x, tf.shape(W_a)[1], message="The location score has one column of W_a per source position"
    )
    e = tf.matmul(s_prev, W_a)[:, :T_x]  # (batch, T_x)
    return _finish("location", h, e, mask, mask_strategy)


SCORE_INTERMEDIATES = {
    "additive": ("W1_h", "W2_s", "pre_activation", "tanh_activation"),
    "dot": (),
    "scaled_dot": (),
    "general": ("W2_s",),
    "location": (),
    "none": (),
}
"""The optional trace fields each score computes; the others are None in its traces."""


def without_absent_fields(trace: AttentionTrace) -> AttentionTrace:
    """``trace`` with the intermediates its score does not compute set to None (a decode stacks zeros there)."""
    kept = SCORE_INTERMEDIATES[trace.score]
    absent = {name: None for name in SCORE_INTERMEDIATES["additive"] if name not in kept}
    return dataclasses.replace(trace, **absent)
