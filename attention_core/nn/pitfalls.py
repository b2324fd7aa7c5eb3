"""Classic attention bugs, each computed live next to the correct computation.

Every function runs the buggy line for real, with TensorFlow, on the caller's tensors,
and returns a ``PitfallResult``: the arrays the bug produces (or the exception it
raises, as a person would see it), the arrays of the correct computation, and the
one-line bug with its one-line fix.

    softmax_axis     tf.nn.softmax over the size-1 axis of (batch, T_x, 1) scores: every α = 1
    min_fill         masked scores filled with the batch minimum: padding keeps weight
    neg_inf          -inf fill: a row with no real token gives NaN
    large_negative   -1e9 fill: a row with no real token gives uniform weights
    no_time_axis     W2 s_{i-1} added without its time axis: wrong axis, or a shape error
    integer_inputs   integer h reaching α h: a dtype error

Shapes: ``h`` is ``(batch, T_x, d_h)``, ``s_prev`` ``(batch, d_s)``, ``mask``
``(batch, T_x)`` with True for a real token.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import tensorflow as tf

from attention_core.names import PITFALL_KEYS
from attention_core.nn.attention import AdditiveParams, bahdanau_attention, weighted_sum

EXTRA_STATE_SEED = 0
"""Seeds the decoder states ``run_pitfall`` adds when a batch is shorter than T_x (no_time_axis)."""

INTEGER_SCALE = 10
"""``run_pitfall`` turns h into integers as ``rint(INTEGER_SCALE · h)``: small ints that keep h's pattern."""


@dataclass(frozen=True)
class PitfallResult:
    """One bug, computed, beside the correct computation.

    Attributes:
        key: the pitfall's key in ``PITFALLS``.
        buggy: arrays the buggy code produced, e.g. ``"e"``, ``"alpha"``, ``"context"``;
            None for an array the bug never got to (it raised first).
        correct: the same arrays from the correct computation.
        error: ``"ExceptionType: message"`` (first line) when the buggy code raises, else None.
        buggy_code: the one line that carries the bug.
        fixed_code: the one line that replaces it.
    """

    key: str
    buggy: dict[str, np.ndarray | None]
    correct: dict[str, np.ndarray]
    error: str | None
    buggy_code: str
    fixed_code: str


# The three mask bugs share one fix: fill with a large negative number so a masked score
# cannot win the softmax, then multiply by the mask so a masked α is exactly 0 even on a
# row with no real token (where the softmax alone would spread 1 / T_x over padding).
MASK_FIX = "alpha = tf.nn.softmax(tf.where(mask, e, -1e9), axis=-1) * tf.cast(mask, e.dtype)"

CODE: dict[str, tuple[str, str]] = {
    "softmax_axis": (
        "alpha = tf.nn.softmax(e, axis=-1)  # e: (batch, T_x, 1), as Dense(1) returns",
        "alpha = tf.nn.softmax(e, axis=1)  # normalise over T_x",
    ),
    "min_fill": ("alpha = tf.nn.softmax(tf.where(mask, e, tf.reduce_min(e)), axis=-1)", MASK_FIX),
    "neg_inf": ("alpha = tf.nn.softmax(tf.where(mask, e, -np.inf), axis=-1)", MASK_FIX),
    "large_negative": ("alpha = tf.nn.softmax(tf.where(mask, e, -1e9), axis=-1)", MASK_FIX),
    "no_time_axis": (
        "pre_activation = W1_h + W2_s + b  # W1_h: (batch, T_x, d_a), W2_s: (batch, d_a)",
        "pre_activation = W1_h + W2_s[:, None, :] + b  # W2_s[:, None, :]: (batch, 1, d_a)",
    ),
    "integer_inputs": (
        "c = tf.reduce_sum(alpha[:, :, None] * h, axis=1)  # h: int32 (batch, T_x, d_h)",
        "c = tf.reduce_sum(alpha[:, :, None] * tf.cast(h, tf.float32), axis=1)",
    ),
}
"""``key → (buggy_code, fixed_code)``."""


def _error_text(error: Exception) -> str:
    return f"{type(error).__name__}: {error}".splitlines()[0].rstrip()


def _as_float32(name: str, x: Any) -> tf.Tensor:
    x = tf.convert_to_tensor(x)
    if not x.dtype.is_floating:
        raise TypeError(f"{name} must be floating point. Received: {name}.dtype={x.dtype.name}")
    return tf.cast(x, tf.float32)


def _check_shapes(h: tf.Tensor, s_prev: tf.Tensor, params: AdditiveParams) -> None:
    W1_shape, W2_shape = tuple(params.W1.shape), tuple(params.W2.shape)
    if (
        h.shape.rank != 3
        or s_prev.shape.rank != 2
        or h.shape[0] != s_prev.shape[0]
        or h.shape[-1] != W1_shape[0]
        or s_prev.shape[-1] != W2_shape[0]
    ):
        raise ValueError(
            "Expected h (batch, T_x, d_h), s_prev (batch, d_s), W1 (d_h, d_a) and W2 (d_s, d_a). "
            f"Received: h.shape={tuple(h.shape)}, s_prev.shape={tuple(s_prev.shape)}, "
            f"W1.shape={W1_shape}, W2.shape={W2_shape}"
        )


def _check_mask(mask: Any, h: tf.Tensor) -> tf.Tensor:
    mask = tf.cast(tf.convert_to_tensor(mask), tf.bool)
    if tuple(mask.shape) != tuple(h.shape[:2]):
        raise ValueError(
            f"Expected mask (batch, T_x) = {tuple(h.shape[:2])} to match h. Received: mask.shape={tuple(mask.shape)}"
        )
    return mask


def _params32(params: AdditiveParams) -> tuple[tf.Tensor, ...]:
    return tuple(tf.cast(tf.convert_to_tensor(p), tf.float32) for p in (params.W1, params.W2, params.b, params.v))


def _numpy(arrays: dict[str, Any]) -> dict[str, np.ndarray | None]:
    return {k: None if a is None else np.asarray(a) for k, a in arrays.items()}


def _trace_arrays(trace) -> dict[str, np.ndarray]:
    return _numpy(
        {
            "e": trace.e,
            "e_masked": trace.e_masked,
            "alpha": trace.alpha,
            "context": trace.context,
            "mask": trace.mask,
            "fully_masked": trace.fully_masked,
        }
    )


def softmax_over_size_one_axis(h: Any, s_prev: Any, params: AdditiveParams) -> PitfallResult:
    """The source article's softmax: scores shaped ``(batch, T_x, 1)`` normalised over their last axis.

    ``V = Dense(1)`` returns the scores as ``(batch, T_x, 1)``. A softmax over ``axis=-1``
    normalises each score against itself alone: ``exp(e - e) / exp(e - e) = 1`` for every
    position, so the context is the plain sum ``Σ_j h_j``, not a weighted average. Both
    versions run the same score computation; only the softmax axis differs.

    Returned arrays (the size-1 axis dropped): ``e`` ``(batch, T_x)``, ``alpha``
    ``(batch, T_x)``, ``context`` ``(batch, d_h)``.
    """
    h, s_prev = _as_float32("h", h), _as_float32("s_prev", s_prev)
    _check_shapes(h, s_prev, params)
    W1, W2, b, v = _params32(params)
    W1_h = tf.einsum("btd,da->bta", h, W1)  # (batch, T_x, d_a)
    W2_s = tf.matmul(s_prev, W2)  # (batch, d_a)
    e = tf.matmul(tf.tanh(W1_h + W2_s[:, None, :] + b), v[:, None])  # (batch, T_x, 1), as Dense(1) gives

    def attend(axis: int) -> dict[str, np.ndarray]:
        alpha = tf.nn.softmax(e, axis=axis)  # (batch, T_x, 1)
        context = tf.reduce_sum(alpha * h, axis=1)  # (batch, d_h)
        return _numpy({"e": e[:, :, 0], "alpha": alpha[:, :, 0], "context": context})

    buggy_code, fixed_code = CODE["softmax_axis"]
    return PitfallResult("softmax_axis", attend(-1), attend(1), None, buggy_code, fixed_code)


def _mask_pitfall(key: str, h: Any, s_prev: Any, params: AdditiveParams, mask: Any) -> PitfallResult:
    h32 = _as_float32("h", h)
    mask = _check_mask(mask, h32)
    buggy = bahdanau_attention(h32, s_prev, params, mask=mask, mask_strategy=key)
    correct = bahdanau_attention(h32, s_prev, params, mask=mask, mask_strategy="correct")
    buggy_code, fixed_code = CODE[key]
    return PitfallResult(key, _trace_arrays(buggy), _trace_arrays(correct), None, buggy_code, fixed_code)


def min_fill_mask(h: Any, s_prev: Any, params: AdditiveParams, mask: Any) -> PitfallResult:
    """The source article's mask: ``tf.where(mask, score, tf.reduce_min(score))``.

    Filling with the smallest score of the batch leaves a padded position at a finite
    score, one that is merely the lowest: its ``exp`` is still positive, so padding keeps
    weight and its states leak into the context. The bug shows only where ``mask`` has a
    False position.

    Returned arrays: ``e``, ``e_masked``, ``alpha``, ``mask`` ``(batch, T_x)``,
    ``context`` ``(batch, d_h)``, ``fully_masked`` ``(batch,)``.
    """
    return _mask_pitfall("min_fill", h, s_prev, params, mask)


def neg_inf_fully_masked(h: Any, s_prev: Any, params: AdditiveParams, mask: Any) -> PitfallResult:
    """Masked scores filled with -inf, on a batch with a row that has no real token.

    On a row with a real token the -inf fill is exact. On a fully masked row the softmax
    computes ``exp(-inf - (-inf)) = exp(nan)``: α and the context are NaN, and in training
    the NaN spreads through the gradients to every weight. The bug shows only when
    ``mask`` has a row that is all False (``run_pitfall`` adds one).

    Returned arrays as in ``min_fill_mask``.
    """
    return _mask_pitfall("neg_inf", h, s_prev, params, mask)


def large_negative_fully_masked(h: Any, s_prev: Any, params: AdditiveParams, mask: Any) -> PitfallResult:
    """Masked scores filled with -1e9, on a batch with a row that has no real token.

    No NaN, but on a fully masked row every score is -1e9 and the softmax spreads the
    weight evenly, α = 1 / T_x: the context of an empty row is the mean of its padding
    states instead of 0. The correct computation gives α = 0 and c = 0 there.

    Returned arrays as in ``min_fill_mask``.
    """
    return _mask_pitfall("large_negative", h, s_prev, params, mask)


def query_without_time_axis(h: Any, s_prev: Any, params: AdditiveParams) -> PitfallResult:
    """``W1 h_j + W2 s_{i-1}`` with ``W2 s_{i-1}`` left at ``(batch, d_a)``.

    Broadcasting lines ``(batch, d_a)`` up with the last two axes of ``(batch, T_x, d_a)``,
    so the batch axis of the query meets the time axis of the keys:

    - ``batch == T_x``: no error. Position j of every row is scored against the decoder
      state of row j, so every e is wrong and nothing says so. A page that wants to show
      the silent version passes a batch with ``batch == T_x`` (``run_pitfall`` builds one).
    - ``batch != T_x`` (and ``batch > 1``): the addition raises an incompatible-shapes error,
      reported in ``error``; the buggy arrays are None.
    - ``batch == 1``: the one query broadcasts over time, which happens to be right.
    - ``T_x == 1``: the sum broadcasts to ``(batch, batch, d_a)``; the error comes later,
      at the weighted sum.

    Returned arrays: ``pre_activation`` ``(batch, T_x, d_a)``, ``e`` and ``alpha``
    ``(batch, T_x)``, ``context`` ``(batch, d_h)``; the buggy ones may have other shapes
    (or be None), as the bug makes them.
    """
    h32 = _as_float32("h", h)
    trace = bahdanau_attention(h32, s_prev, params)  # the correct line: W1_h + W2_s[:, None, :] + b
    _, _, b, v = _params32(params)
    buggy: dict[str, Any] = {"pre_activation": None, "e": None, "alpha": None, "context": None}
    error = None
    try:
        buggy["pre_activation"] = trace.W1_h + trace.W2_s + b  # the bug: no time axis on W2_s
        buggy["e"] = tf.einsum("...a,a->...", tf.tanh(buggy["pre_activation"]), v)
        buggy["alpha"] = tf.nn.softmax(buggy["e"], axis=-1)
        buggy["context"] = weighted_sum(buggy["alpha"], h32)
    except (tf.errors.OpError, ValueError, TypeError) as exc:  # whatever the bug raises is the lesson
        error = _error_text(exc)
    correct = {"pre_activation": trace.pre_activation, "e": trace.e, "alpha": trace.alpha, "context": trace.context}
    buggy_code, fixed_code = CODE["no_time_axis"]
    return PitfallResult("no_time_axis", _numpy(buggy), _numpy(correct), error, buggy_code, fixed_code)


def integer_inputs(h_int: Any, s_prev: Any, params: AdditiveParams) -> PitfallResult:
    """Integer encoder states (token ids used as states, as in the source article's example).

    The scores still compute: a Keras ``Dense`` casts its input to float32 without a word.
    The weighted sum does not: ``alpha * h`` multiplies float32 by int32 and TensorFlow,
    which never promotes dtypes implicitly, raises. The fix casts h once, up front.

    Args:
        h_int: ``(batch, T_x, d_h)`` integers.

    Returned arrays: ``e``, ``alpha`` ``(batch, T_x)``, ``context`` ``(batch, d_h)``
    (buggy context None: the multiplication raised).
    """
    h_int = tf.convert_to_tensor(h_int)
    if not h_int.dtype.is_integer:
        raise TypeError(f"integer_inputs shows integer encoder states. Received: h_int.dtype={h_int.dtype.name}")
    h = tf.cast(h_int, tf.float32)  # what Dense does to its input: the scores never see the ints
    trace = bahdanau_attention(h, s_prev, params)
    alpha = trace.alpha  # (batch, T_x) float32
    buggy: dict[str, Any] = {"e": trace.e, "alpha": alpha, "context": None}
    error = None
    try:
        buggy["context"] = tf.reduce_sum(alpha[:, :, None] * h_int, axis=1)  # the bug: h is int32
    except (tf.errors.OpError, TypeError, ValueError) as exc:
        error = _error_text(exc)
    correct = {"e": trace.e, "alpha": alpha, "context": tf.reduce_sum(alpha[:, :, None] * h, axis=1)}
    buggy_code, fixed_code = CODE["integer_inputs"]
    return PitfallResult("integer_inputs", _numpy(buggy), _numpy(correct), error, buggy_code, fixed_code)


PITFALLS: dict[str, Callable[..., PitfallResult]] = {
    "softmax_axis": softmax_over_size_one_axis,
    "min_fill": min_fill_mask,
    "neg_inf": neg_inf_fully_masked,
    "large_negative": large_negative_fully_masked,
    "no_time_axis": query_without_time_axis,
    "integer_inputs": integer_inputs,
}
"""Every pitfall by key, in the order a page shows them."""
assert tuple(PITFALLS) == PITFALL_KEYS, "attention_core.names.PITFALL_KEYS lists the pitfalls the links accept"


def default_mask(batch: int, T_x: int) -> np.ndarray:
    """``(batch, T_x)`` bool: row k keeps ``max(1, T_x - 1 - k)`` real tokens, the rest is padding."""
    lengths = np.maximum(1, T_x - 1 - np.arange(batch))
    return np.arange(T_x)[None, :] < lengths[:, None]


def with_fully_masked_row(h: np.ndarray, s_prev: np.ndarray, mask: np.ndarray):
    """The batch, plus one row with no real token when it has none.

    The added row repeats the last row's h and s_prev with an all-False mask: the same
    states, now all padding, so the bug's context can be compared with a real one.
    """
    if (~mask.any(axis=1)).any():
        return h, s_prev, mask
    return (
        np.concatenate([h, h[-1:]]),
        np.concatenate([s_prev, s_prev[-1:]]),
        np.concatenate([mask, np.zeros_like(mask[-1:])]),
    )


def square_batch(h: np.ndarray, s_prev: np.ndarray):
    """A batch with ``batch == T_x``, where the missing time axis goes unnoticed.

    A longer batch keeps its first T_x rows. A shorter one cycles its rows of h and adds
    decoder states from a seeded generator (tanh of a normal draw: a GRU state lies in
    (-1, 1)); repeating the given states would hide the bug, since the wrong query row
    would equal the right one.
    """
    batch, T_x = h.shape[:2]
    if batch >= T_x:
        return h[:T_x], s_prev[:T_x]
    rng = np.random.default_rng(EXTRA_STATE_SEED)
    extra = np.tanh(rng.standard_normal((T_x - batch, s_prev.shape[1]))).astype(s_prev.dtype)
    return h[np.arange(T_x) % batch], np.concatenate([s_prev, extra])


def run_pitfall(key: str, h: Any, s_prev: Any, params: AdditiveParams, mask: Any = None) -> PitfallResult:
    """Run pitfall ``key`` on these tensors, preparing what it needs to show its bug.

    - mask pitfalls: ``mask`` None becomes ``default_mask``; ``neg_inf`` and
      ``large_negative`` get a fully masked row appended when the batch has none.
    - ``no_time_axis``: run on ``square_batch(h, s_prev)``, the silent version. Call
      ``query_without_time_axis`` on a batch with ``batch != T_x`` for the shape error.
    - ``integer_inputs``: h becomes ``rint(INTEGER_SCALE · h)`` as int32.

    Deterministic: the same inputs give the same result.
    """
    if key not in PITFALLS:
        raise ValueError(f"Unknown pitfall. Valid keys: {list(PITFALLS)}. Received: key={key!r}")
    h, s_prev = np.asarray(h), np.asarray(s_prev)
    if h.ndim != 3 or s_prev.ndim != 2:
        raise ValueError(
            f"Expected h (batch, T_x, d_h) and s_prev (batch, d_s). Received: h.shape={h.shape}, "
            f"s_prev.shape={s_prev.shape}"
        )
    if key == "softmax_axis":
        return softmax_over_size_one_axis(h, s_prev, params)
    if key == "no_time_axis":
        return query_without_time_axis(*square_batch(h, s_prev), params)
    if key == "integer_inputs":
        return integer_inputs(np.rint(INTEGER_SCALE * h.astype(np.float32)).astype(np.int32), s_prev, params)
    mask = default_mask(*h.shape[:2]) if mask is None else np.asarray(mask, bool)
    if mask.shape != h.shape[:2]:
        raise ValueError(f"Expected mask (batch, T_x) = {h.shape[:2]} to match h. Received: mask.shape={mask.shape}")
    if key in ("neg_inf", "large_negative"):
        h, s_prev, mask = with_fully_masked_row(h, s_prev, mask)
    return PITFALLS[key](h, s_prev, params, mask)
