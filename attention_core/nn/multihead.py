"""Multi-head scaled dot-product attention (Vaswani et al. 2017) with every intermediate returned.

    Q^h = X W_Q^h + b_Q^h                       queries, per head     (batch, heads, T_q, d_k)
    K^h = H W_K^h + b_K^h                       keys, per head        (batch, heads, T_k, d_k)
    V^h = H W_V^h + b_V^h                       values, per head      (batch, heads, T_k, d_v)
    e^h = Q^h K^hᵀ / √d_k                       scores                (batch, heads, T_q, T_k)
    mask: padding on the keys, and (decoder self-attention) no key after the query
    α^h = softmax(e^h) over the allowed keys    weights               (batch, heads, T_q, T_k)
    c^h = α^h V^h                               each head's context   (batch, heads, T_q, d_v)
    out = [c^1; …; c^H] W_O + b_O               heads concatenated    (batch, T_q, d_model)

The same equations serve the three attentions of the Transformer: the encoder's self-attention
(X = H = the source), the decoder's masked self-attention (X = H = the target so far, causal) and
its cross-attention (X the target, H the encoder's output: the analogue of Bahdanau's
``s_{i-1}`` attending to ``h_j``).

The weights have the layout of ``keras.layers.MultiHeadAttention`` (kernels ``(d_model, heads,
d_k)`` and ``(heads, d_v, d_model)``), so the same arrays load into both and Keras is an
independent check of these functions.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import tensorflow as tf

from attention_core.nn.attention import masked_softmax


@dataclass(frozen=True)
class MultiHeadParams:
    """Weights of one multi-head attention, in ``keras.layers.MultiHeadAttention``'s layout.

    Args:
        W_Q, W_K: ``(d_model, heads, d_k)``; b_Q, b_K: ``(heads, d_k)``.
        W_V: ``(d_model, heads, d_v)``; b_V: ``(heads, d_v)``.
        W_O: ``(heads, d_v, d_model)``; b_O: ``(d_model,)``.
    """

    W_Q: Any
    b_Q: Any
    W_K: Any
    b_K: Any
    W_V: Any
    b_V: Any
    W_O: Any
    b_O: Any

    def __post_init__(self) -> None:
        shapes = {f.name: tuple(getattr(self, f.name).shape) for f in dataclasses.fields(self)}
        ranks_ok = all(len(shapes[n]) == 3 for n in ("W_Q", "W_K", "W_V", "W_O")) and all(
            len(shapes[n]) == 2 for n in ("b_Q", "b_K", "b_V")
        )
        if not ranks_ok or len(shapes["b_O"]) != 1:
            raise ValueError(
                "MultiHeadParams expects W_Q, W_K, W_V (d_model, heads, d), b_Q, b_K, b_V (heads, d), "
                f"W_O (heads, d_v, d_model), b_O (d_model,). Received: {shapes}"
            )
        heads = {shapes["W_Q"][1], shapes["W_K"][1], shapes["W_V"][1], shapes["W_O"][0]}
        if len(heads) != 1 or shapes["W_Q"][2] != shapes["W_K"][2] or shapes["W_V"][2] != shapes["W_O"][1]:
            raise ValueError(f"Q and K must share heads and d_k, V and W_O heads and d_v. Received: {shapes}")

    @property
    def heads(self) -> int:
        return int(self.W_Q.shape[1])

    @property
    def d_k(self) -> int:
        return int(self.W_Q.shape[2])

    def numpy(self) -> MultiHeadParams:
        return MultiHeadParams(*(np.asarray(getattr(self, f.name)) for f in dataclasses.fields(self)))


@dataclass(frozen=True)
class MultiHeadTrace:
    """Every intermediate of one multi-head attention, named after the equations.

    With the batch axis as computed; ``row(k)`` drops it, ``query(t)`` then keeps query ``t`` only
    (the shapes lose their ``T_q`` axis: ``alpha`` becomes ``(heads, T_k)``).
    """

    x: Any  # (batch, T_q, d_model)  the queries' input X
    h: Any  # (batch, T_k, d_model)  the keys' and values' input H
    Q: Any  # (batch, heads, T_q, d_k)  X W_Q + b_Q
    K: Any  # (batch, heads, T_k, d_k)  H W_K + b_K
    V: Any  # (batch, heads, T_k, d_v)  H W_V + b_V
    e: Any  # (batch, heads, T_q, T_k)  Q Kᵀ / √d_k, before any mask
    mask: Any  # (batch, T_q, T_k) bool, True = the query may attend to the key
    e_masked: Any  # (batch, heads, T_q, T_k)  scores after the mask's fill
    alpha: Any  # (batch, heads, T_q, T_k)  softmax over the allowed keys; 0 on the others
    head_context: Any  # (batch, heads, T_q, d_v)  α V, each head's context
    concat: Any  # (batch, T_q, heads · d_v)  the heads' contexts side by side
    output: Any  # (batch, T_q, d_model)  concat W_O + b_O

    def numpy(self) -> MultiHeadTrace:
        return MultiHeadTrace(*(np.asarray(getattr(self, f.name)) for f in dataclasses.fields(self)))

    def row(self, k: int) -> MultiHeadTrace:
        """Sentence ``k`` of the batch, as numpy, without the batch axis."""
        return MultiHeadTrace(*(np.asarray(getattr(self, f.name))[k] for f in dataclasses.fields(self)))

    def query(self, t: int) -> MultiHeadTrace:
        """Query position ``t`` of a trace without its batch axis (``row``): every ``T_q`` axis dropped.

        ``x`` ``(d_model,)``, ``Q`` ``(heads, d_k)``, ``e``/``e_masked``/``alpha`` ``(heads, T_k)``,
        ``mask`` ``(T_k,)``, ``head_context`` ``(heads, d_v)``, ``concat`` ``(heads · d_v,)``,
        ``output`` ``(d_model,)``; ``h``, ``K`` and ``V`` are whole (they do not depend on the query).
        """
        if np.ndim(self.mask) != 2:
            raise ValueError(
                f"query() reads a trace without its batch axis (row()). Received: mask of {np.shape(self.mask)}"
            )
        return MultiHeadTrace(
            x=self.x[t],
            h=self.h,
            Q=self.Q[:, t],
            K=self.K,
            V=self.V,
            e=self.e[:, t],
            mask=self.mask[t],
            e_masked=self.e_masked[:, t],
            alpha=self.alpha[:, t],
            head_context=self.head_context[:, t],
            concat=self.concat[t],
            output=self.output[t],
        )


MULTI_HEAD_FIELDS = tuple(f.name for f in dataclasses.fields(MultiHeadTrace))


def project_heads(x: tf.Tensor, W: tf.Tensor, b: tf.Tensor) -> tf.Tensor:
    r"""One projection for every head at once: :math:`X W^h + b^h`.

    ``x`` ``(batch, T, d_model)``, ``W`` ``(d_model, heads, d)``, ``b`` ``(heads, d)`` → ``(batch, heads, T, d)``.
    """
    return tf.einsum("btm,mhd->bhtd", x, W) + b[None, :, None, :]  # (batch, heads, T, d)


def queries(x: tf.Tensor, W_Q: tf.Tensor, b_Q: tf.Tensor) -> tf.Tensor:
    r"""The queries :math:`Q^h = X W_Q^h + b_Q^h`: ``(batch, T_q, d_model)`` → ``(batch, heads, T_q, d_k)``."""
    return project_heads(x, W_Q, b_Q)


def keys(h: tf.Tensor, W_K: tf.Tensor, b_K: tf.Tensor) -> tf.Tensor:
    r"""The keys :math:`K^h = H W_K^h + b_K^h`: ``(batch, T_k, d_model)`` → ``(batch, heads, T_k, d_k)``."""
    return project_heads(h, W_K, b_K)


def values(h: tf.Tensor, W_V: tf.Tensor, b_V: tf.Tensor) -> tf.Tensor:
    r"""The values :math:`V^h = H W_V^h + b_V^h`: ``(batch, T_k, d_model)`` → ``(batch, heads, T_k, d_v)``."""
    return project_heads(h, W_V, b_V)


def scaled_dot_scores(Q: tf.Tensor, K: tf.Tensor) -> tf.Tensor:
    r"""The scores :math:`e^h = Q^h {K^h}^\top / \sqrt{d_k}`.

    ``Q`` ``(batch, heads, T_q, d_k)``, ``K`` ``(batch, heads, T_k, d_k)`` → ``(batch, heads, T_q, T_k)``.
    Without the √d_k the dot products grow with d_k and the softmax saturates on one key.
    """
    d_k = tf.cast(tf.shape(K)[-1], Q.dtype)
    return tf.einsum("bhqd,bhkd->bhqk", Q, K) / tf.sqrt(d_k)  # (batch, heads, T_q, T_k)


def causal_mask(T_q: Any, T_k: Any) -> tf.Tensor:
    r"""Query :math:`t` may read key :math:`u` only if :math:`u \le t + (T_k - T_q)`: ``(T_q, T_k)`` bool.

    With ``T_q = T_k`` (a whole target at once) this is the lower triangle: position t reads words
    0..t and never the word it is about to predict. With ``T_q < T_k`` the queries are the last
    ``T_q`` positions of the keys.
    """
    q = tf.range(T_q)[:, None] + (T_k - T_q)  # (T_q, 1): each query's own position among the keys
    return tf.range(T_k)[None, :] <= q  # (T_q, T_k)


def attention_mask(key_mask: Any, T_q: Any, causal: bool = False) -> tf.Tensor:
    r"""Which keys each query may attend to: padding keys never; with ``causal`` no future key either.

    ``key_mask`` ``(batch, T_k)`` bool, True = a real token → ``(batch, T_q, T_k)`` bool.
    """
    key_mask = tf.cast(key_mask, tf.bool)
    mask = tf.tile(key_mask[:, None, :], [1, T_q, 1])  # (batch, T_q, T_k)
    if causal:
        mask = tf.logical_and(mask, causal_mask(T_q, tf.shape(key_mask)[1])[None])
    return mask


def head_softmax(e: tf.Tensor, mask: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
    r"""The weights :math:`\alpha^h_{tu} = \exp(e^h_{tu}) / \sum_{u' \text{allowed}} \exp(e^h_{tu'})`.

    ``e`` ``(batch, heads, T_q, T_k)``, ``mask`` ``(batch, T_q, T_k)`` → ``(e_masked, alpha)``, both
    ``(batch, heads, T_q, T_k)``. Every row is the additive model's ``masked_softmax`` (the correct
    strategy): a disallowed key gets exactly 0, and a row with no allowed key gets α = 0, never NaN.
    """
    shape = tf.shape(e)
    mask_all = tf.broadcast_to(mask[:, None], shape)  # (batch, heads, T_q, T_k): one mask for every head
    flat = (-1, shape[-1])
    e_masked, alpha = masked_softmax(tf.reshape(e, flat), tf.reshape(mask_all, flat), "correct")
    return tf.reshape(e_masked, shape), tf.reshape(alpha, shape)


def head_contexts(alpha: tf.Tensor, V: tf.Tensor) -> tf.Tensor:
    r"""Each head's context :math:`c^h_t = \sum_u \alpha^h_{tu} V^h_u`.

    ``alpha`` ``(batch, heads, T_q, T_k)``, ``V`` ``(batch, heads, T_k, d_v)`` → ``(batch, heads, T_q, d_v)``.
    """
    return tf.einsum("bhqk,bhkd->bhqd", alpha, V)  # (batch, heads, T_q, d_v)


def concat_heads(head_context: tf.Tensor) -> tf.Tensor:
    r"""The heads side by side, :math:`[c^1_t; \dots; c^H_t]`.

    ``(batch, heads, T_q, d_v)`` → ``(batch, T_q, heads·d_v)``.
    """
    shape = tf.shape(head_context)
    batch, heads, T_q, d_v = shape[0], shape[1], shape[2], shape[3]
    by_query = tf.transpose(head_context, [0, 2, 1, 3])  # (batch, T_q, heads, d_v)
    return tf.reshape(by_query, (batch, T_q, heads * d_v))  # (batch, T_q, heads · d_v)


def output_projection(concat: tf.Tensor, W_O: tf.Tensor, b_O: tf.Tensor) -> tf.Tensor:
    r"""The output :math:`[c^1_t; \dots; c^H_t]\, W_O + b_O`.

    ``concat`` ``(batch, T_q, heads·d_v)``, ``W_O`` ``(heads, d_v, d_model)`` (read as ``(heads·d_v,
    d_model)``, head by head), ``b_O`` ``(d_model,)`` → ``(batch, T_q, d_model)``.
    """
    heads, d_v, d_model = W_O.shape
    return tf.einsum("bqc,cm->bqm", concat, tf.reshape(W_O, (heads * d_v, d_model))) + b_O


def override_heads(alpha: tf.Tensor, given: tf.Tensor, where: tf.Tensor) -> tf.Tensor:
    r"""α with the rows of ``where`` replaced by ``given``: "what if this head had looked there".

    ``alpha`` and ``given`` ``(batch, heads, T_q, T_k)``; ``where`` ``(batch, heads, T_q)`` bool (or
    broadcastable to it). A replaced row's context is then built from the given α (``head_contexts``).
    """
    return tf.where(tf.cast(where, tf.bool)[..., None], tf.cast(given, alpha.dtype), alpha)


def _as_float(x: Any) -> tf.Tensor:
    x = tf.convert_to_tensor(x)
    return x if x.dtype in (tf.float32, tf.float64) else tf.cast(x, tf.float32)


def multi_head_attention(
    x: Any,
    h: Any,
    params: MultiHeadParams,
    key_mask: Any = None,
    causal: bool = False,
    alpha_override: Any = None,
    override_where: Any = None,
) -> MultiHeadTrace:
    r"""Multi-head scaled dot-product attention, every intermediate kept.

    .. math::
        \alpha^h = \mathrm{softmax}\!\left(\frac{X W_Q^h (H W_K^h)^\top}{\sqrt{d_k}}\right), \quad
        c^h = \alpha^h\, H W_V^h, \quad
        \mathrm{out} = [c^1; \dots; c^H]\, W_O

    Args:
        x: the queries' input ``(batch, T_q, d_model)``.
        h: the keys' and values' input ``(batch, T_k, d_model)`` (``x`` itself for self-attention).
        params: ``MultiHeadParams``.
        key_mask: ``(batch, T_k)`` bool, True = a real token; None = every key is real.
        causal: no query reads a key after its own position (the decoder's self-attention).
        alpha_override, override_where: ``(batch, heads, T_q, T_k)`` weights (each row summing to 1) and
            ``(batch, heads, T_q)`` bool: the rows where α is replaced by the given one.
    """
    x, h = _as_float(x), _as_float(h)
    if x.shape.rank != 3 or h.shape.rank != 3:
        raise ValueError(
            f"Expected x (batch, T_q, d_model) and h (batch, T_k, d_model). Received: x.shape={tuple(x.shape)}, "
            f"h.shape={tuple(h.shape)}"
        )
    dtype = x.dtype
    W_Q, b_Q, W_K, b_K, W_V, b_V, W_O, b_O = (
        tf.cast(getattr(params, f.name), dtype) for f in dataclasses.fields(params)
    )
    if key_mask is None:
        key_mask = tf.ones(tf.shape(h)[:2], tf.bool)
    Q = queries(x, W_Q, b_Q)  # (batch, heads, T_q, d_k)
    K = keys(h, W_K, b_K)  # (batch, heads, T_k, d_k)
    V = values(h, W_V, b_V)  # (batch, heads, T_k, d_v)
    e = scaled_dot_scores(Q, K)  # (batch, heads, T_q, T_k)
    mask = attention_mask(key_mask, tf.shape(x)[1], causal)  # (batch, T_q, T_k)
    e_masked, alpha = head_softmax(e, mask)  # (batch, heads, T_q, T_k) twice
    if alpha_override is not None:
        alpha = override_heads(alpha, alpha_override, override_where)
    head_context = head_contexts(alpha, V)  # (batch, heads, T_q, d_v)
    concat = concat_heads(head_context)  # (batch, T_q, heads · d_v)
    output = output_projection(concat, W_O, b_O)  # (batch, T_q, d_model)
    return MultiHeadTrace(x, h, Q, K, V, e, mask, e_masked, alpha, head_context, concat, output)
