"""Tests for attention_core.nn.attention (scores, masking, the trace) and the BahdanauAttention layer.

The numbers are checked three independent ways: hand-computed golden cases, the pure-numpy
reference in ``tests/support/reference.py`` (float64), and ``keras.layers.AdditiveAttention`` fed the
same projected inputs.
"""

from __future__ import annotations

import math

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from attention_core import (
    MASK_STRATEGIES,
    AdditiveParams,
    AttentionTrace,
    BahdanauAttention,
    bahdanau_attention,
    dot_attention,
    general_attention,
    masked_softmax,
    scaled_dot_attention,
)
from attention_core.nn.attention import numpy_additive
from tests.support.reference import reference_additive, reference_masked_softmax

SETTINGS = settings(max_examples=40, deadline=None)
ALL_FIELDS = (
    "W1_h",
    "W2_s",
    "pre_activation",
    "tanh_activation",
    "e",
    "e_masked",
    "alpha",
    "context",
    "mask",
    "fully_masked",
)


# --------------------------------------------------------------------------- helpers


def floats(bound: float, dtype=np.float32):
    width = {np.float16: 16, np.float32: 32, np.float64: 64}[dtype]
    return st.floats(-bound, bound, width=width, allow_nan=False, allow_infinity=False)


@st.composite
def additive_cases(draw, dtype=np.float32, bound=2.0, weight_bound=1.0, masked=True, max_T=6):
    """Random (h, s_prev, W1, W2, b, v, mask) with shapes drawn too; mask may have all-False rows."""
    batch = draw(st.integers(1, 3))
    T_x = draw(st.integers(1, max_T))
    d_h, d_s, d_a = (draw(st.integers(1, 4)) for _ in range(3))

    def arr(shape, b):
        return draw(hnp.arrays(dtype, shape, elements=floats(b, dtype)))

    h = arr((batch, T_x, d_h), bound)
    s_prev = arr((batch, d_s), bound)
    W1, W2 = arr((d_h, d_a), weight_bound), arr((d_s, d_a), weight_bound)
    b, v = arr((d_a,), weight_bound), arr((d_a,), weight_bound)
    mask = draw(hnp.arrays(np.bool_, (batch, T_x))) if masked else None
    return h, s_prev, W1, W2, b, v, mask


def random_case(rng, batch=2, T_x=5, d_h=3, d_s=4, d_a=6, dtype=np.float32):
    h = rng.normal(size=(batch, T_x, d_h)).astype(dtype)
    s_prev = rng.normal(size=(batch, d_s)).astype(dtype)
    W1 = rng.normal(size=(d_h, d_a)).astype(dtype) * 0.5
    W2 = rng.normal(size=(d_s, d_a)).astype(dtype) * 0.5
    b = rng.normal(size=(d_a,)).astype(dtype) * 0.5
    v = rng.normal(size=(d_a,)).astype(dtype)
    return h, s_prev, W1, W2, b, v


def attend(h, s_prev, W1, W2, b, v, mask=None, mask_strategy="correct"):
    return bahdanau_attention(h, s_prev, AdditiveParams(W1, W2, b, v), mask=mask, mask_strategy=mask_strategy).numpy()


def check_trace_shapes(trace: AttentionTrace, batch, T_x, d_h, d_a):
    assert trace.W1_h.shape == (batch, T_x, d_a)
    assert trace.pre_activation.shape == (batch, T_x, d_a)
    assert trace.tanh_activation.shape == (batch, T_x, d_a)
    assert trace.W2_s.shape == (batch, d_a)
    for name in ("e", "e_masked", "alpha", "mask"):
        assert getattr(trace, name).shape == (batch, T_x), name
    assert trace.context.shape == (batch, d_h)
    assert trace.fully_masked.shape == (batch,)
    assert trace.mask.dtype == np.bool_ and trace.fully_masked.dtype == np.bool_


def real_rows(mask):
    return np.asarray(mask).any(axis=-1)


# --------------------------------------------------------------------------- golden cases


def test_golden_scalar_case():
    # T_x = 2, d_h = d_s = d_a = 1; W1 = W2 = v = 1, b = 0; h = (0, 1), s_prev = 0.
    #   pre_activation_j = h_j·1 + 0·1 + 0 = (0, 1)
    #   e_j = tanh(pre_j)                  = (0, tanh 1) = (0, 0.7615941559557649)
    #   α_0 = 1 / (1 + e^{0.7615941559557649}) = 1 / (1 + 2.14168768474935) = 0.3183002578054738
    #   α_1 = 1 - α_0                           = 0.6816997421945262
    #   c   = α_0·0 + α_1·1                     = 0.6816997421945262
    h = np.array([[[0.0], [1.0]]], np.float32)
    s = np.array([[0.0]], np.float32)
    one, zero = np.array([[1.0]], np.float32), np.array([0.0], np.float32)
    trace = attend(h, s, one, one, zero, np.array([1.0], np.float32))
    np.testing.assert_allclose(trace.pre_activation[0, :, 0], [0.0, 1.0], atol=1e-7)
    np.testing.assert_allclose(trace.e[0], [0.0, 0.7615941559557649], atol=1e-6)
    np.testing.assert_allclose(trace.alpha[0], [0.3183002578054738, 0.6816997421945262], atol=1e-6)
    np.testing.assert_allclose(trace.context[0], [0.6816997421945262], atol=1e-6)
    # The same literals from the scalar formulas, so a typo in a literal cannot pass silently.
    assert math.isclose(1 / (1 + math.exp(math.tanh(1.0))), 0.3183002578054738, abs_tol=1e-12)


def test_golden_two_dimensional_case_with_bias():
    # T_x = 2, d_h = 2, d_s = 1, d_a = 2.
    # h_0 = (1, 0), h_1 = (0, 1); W1 = I; s_prev = 0.5, W2 = (1, -1) so W2 s = (0.5, -0.5);
    # b = (-0.5, 0); v = (1, 2).
    #   pre_0 = (1, 0) + (0.5, -0.5) + (-0.5, 0) = (1.0, -0.5)
    #   pre_1 = (0, 1) + (0.5, -0.5) + (-0.5, 0) = (0.0,  0.5)
    #   tanh  : tanh 1 = 0.7615941559557649, tanh 0.5 = 0.46211715726000974
    #   e_0 = 1·tanh 1 + 2·tanh(-0.5) = 0.7615941559557649 - 0.9242343145200195 = -0.16264015856425462
    #   e_1 = 1·tanh 0 + 2·tanh 0.5   = 0.9242343145200195
    #   e_1 - e_0 = 1.086874473084274, exp(·) = 2.9649924114912563
    #   α_0 = 1 / (1 + 2.9649924114912563) = 0.25220729227673205, α_1 = 0.747792707723268
    #   c   = α_0 (1, 0) + α_1 (0, 1) = (α_0, α_1)
    h = np.array([[[1.0, 0.0], [0.0, 1.0]]], np.float32)
    s = np.array([[0.5]], np.float32)
    W1 = np.eye(2, dtype=np.float32)
    W2 = np.array([[1.0, -1.0]], np.float32)
    b = np.array([-0.5, 0.0], np.float32)
    v = np.array([1.0, 2.0], np.float32)
    trace = attend(h, s, W1, W2, b, v)
    np.testing.assert_allclose(trace.W2_s[0], [0.5, -0.5], atol=1e-7)
    np.testing.assert_allclose(trace.pre_activation[0], [[1.0, -0.5], [0.0, 0.5]], atol=1e-7)
    np.testing.assert_allclose(
        trace.tanh_activation[0],
        [[0.7615941559557649, -0.46211715726000974], [0.0, 0.46211715726000974]],
        atol=1e-6,
    )
    np.testing.assert_allclose(trace.e[0], [-0.16264015856425462, 0.9242343145200195], atol=1e-6)
    np.testing.assert_allclose(trace.alpha[0], [0.25220729227673205, 0.747792707723268], atol=1e-6)
    np.testing.assert_allclose(trace.context[0], [0.25220729227673205, 0.747792707723268], atol=1e-6)
    assert math.isclose(1 / (1 + math.exp(2 * math.tanh(0.5) - math.tanh(1) + 2 * math.tanh(0.5))), 0.25220729227673205)


def test_golden_masked_case():
    # The scalar case with a third, padded position h_2 = 5 and a second, fully padded row.
    #   row 0, mask (T, T, F): α = (0.3183002578054738, 0.6816997421945262, 0) exactly, c = 0.6816997421945262
    #   row 1, mask (F, F, F): α = (0, 0, 0), c = 0, fully_masked = True
    # The raw score of the padded position is still reported: e_2 = tanh 5 = 0.9999092042625951.
    h = np.array([[[0.0], [1.0], [5.0]]] * 2, np.float32)
    s = np.zeros((2, 1), np.float32)
    one, zero = np.array([[1.0]], np.float32), np.array([0.0], np.float32)
    mask = np.array([[True, True, False], [False, False, False]])
    trace = attend(h, s, one, one, zero, np.array([1.0], np.float32), mask=mask)
    np.testing.assert_allclose(trace.alpha[0, :2], [0.3183002578054738, 0.6816997421945262], atol=1e-6)
    assert trace.alpha[0, 2] == 0.0
    np.testing.assert_allclose(trace.context[0], [0.6816997421945262], atol=1e-6)
    np.testing.assert_allclose(trace.e[0], [0.0, 0.7615941559557649, 0.9999092042625951], atol=1e-6)
    assert np.all(trace.alpha[1] == 0.0) and np.all(trace.context[1] == 0.0)
    assert trace.fully_masked.tolist() == [False, True]


# --------------------------------------------------------------------------- numpy reference


@SETTINGS
@given(additive_cases(masked=False), st.booleans())
def test_matches_reference_float32(case, use_mask):
    h, s, W1, W2, b, v, _ = case
    batch, T_x, d_h = h.shape
    rng = np.random.default_rng(T_x)
    mask = rng.random((batch, T_x)) < 0.7 if use_mask else None
    trace = attend(h, s, W1, W2, b, v, mask=mask)
    check_trace_shapes(trace, batch, T_x, d_h, v.shape[0])
    e, alpha, context = reference_additive(h, s, W1, W2, b, v, mask=mask)
    np.testing.assert_allclose(trace.e, e, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(trace.alpha, alpha, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(trace.context, context, rtol=1e-5, atol=1e-5)
    # Every intermediate against its own equation.
    np.testing.assert_allclose(trace.W1_h, np.einsum("btd,da->bta", h.astype(np.float64), W1), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(trace.W2_s, s.astype(np.float64) @ W2, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(trace.pre_activation, trace.W1_h + trace.W2_s[:, None, :] + b, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(trace.tanh_activation, np.tanh(trace.pre_activation), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(trace.e, trace.tanh_activation @ v, rtol=1e-5, atol=1e-6)
    expected_mask = np.ones((batch, T_x), bool) if mask is None else mask
    np.testing.assert_array_equal(trace.mask, expected_mask)
    np.testing.assert_array_equal(trace.fully_masked, ~expected_mask.any(axis=-1))


@SETTINGS
@given(additive_cases(dtype=np.float16, masked=False), st.booleans())
def test_matches_reference_float16(case, use_mask):
    h, s, W1, W2, b, v, _ = case
    batch, T_x, d_h = h.shape
    mask = np.random.default_rng(T_x).random((batch, T_x)) < 0.7 if use_mask else None
    trace = attend(h, s, W1, W2, b, v, mask=mask)
    check_trace_shapes(trace, batch, T_x, d_h, v.shape[0])
    # Half-precision inputs are computed in float32 (module docstring).
    assert all(getattr(trace, f).dtype == np.float32 for f in ALL_FIELDS if f not in ("mask", "fully_masked"))
    # So against the float64 reference on the same float16 values it is float32-accurate ...
    e, alpha, context = reference_additive(h, s, W1, W2, b, v, mask=mask)
    np.testing.assert_allclose(trace.alpha, alpha, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(trace.context, context, rtol=1e-5, atol=1e-5)
    # ... and within half-precision error of a reference computed entirely in float16.
    e16, alpha16, context16 = reference_additive(h, s, W1, W2, b, v, mask=mask, dtype=np.float16)
    np.testing.assert_allclose(trace.e, e16.astype(np.float32), rtol=1e-2, atol=1e-2)
    np.testing.assert_allclose(trace.alpha, alpha16.astype(np.float32), rtol=1e-2, atol=1e-2)
    np.testing.assert_allclose(trace.context, context16.astype(np.float32), rtol=1e-2, atol=2e-2)


def test_accepts_float64_and_tensor_inputs():
    rng = np.random.default_rng(0)
    h, s, W1, W2, b, v = random_case(rng, dtype=np.float64)
    trace = attend(h, s, W1, W2, b, v)
    assert trace.alpha.dtype == np.float64
    _, alpha, context = reference_additive(h, s, W1, W2, b, v)
    np.testing.assert_allclose(trace.alpha, alpha, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(trace.context, context, rtol=1e-12, atol=1e-12)
    as_tensors = [tf.constant(x, tf.float32) for x in (h, s, W1, W2, b, v)]
    np.testing.assert_allclose(attend(*as_tensors).alpha, alpha, rtol=1e-5, atol=1e-5)


def test_trace_numpy_and_row():
    rng = np.random.default_rng(1)
    h, s, W1, W2, b, v = random_case(rng, batch=3)
    trace = bahdanau_attention(h, s, AdditiveParams(W1, W2, b, v))
    row = trace.row(2)
    assert row.score == "additive" and row.mask_strategy == "correct"
    assert row.alpha.shape == (5,) and row.context.shape == (3,) and row.pre_activation.shape == (5, 6)
    np.testing.assert_array_equal(row.alpha, np.asarray(trace.alpha)[2])
    assert row.fully_masked.shape == ()


# --------------------------------------------------------------------------- keras.layers.AdditiveAttention


@pytest.mark.parametrize("use_mask", [False, True])
def test_matches_keras_additive_attention(use_mask):
    # Keras computes scores = Σ_a scale_a tanh(q_a + k_ja): the additive score with q = W2 s,
    # k_j = W1 h_j + b and scale = v. Its value is h itself.
    rng = np.random.default_rng(7)
    batch, T_x, d_h, d_s, d_a = 4, 6, 3, 5, 4
    h, s, W1, W2, b, v = random_case(rng, batch, T_x, d_h, d_s, d_a)
    q = (s @ W2)[:, None, :]  # (batch, 1, d_a)
    k = h @ W1 + b  # (batch, T_x, d_a)
    layer = keras.layers.AdditiveAttention(use_scale=True)
    layer([q, h, k])  # builds `scale` with shape (d_a,)
    assert tuple(layer.scale.shape) == (d_a,)
    layer.scale.assign(v)

    mask = None
    kwargs = {}
    if use_mask:
        # Keras needs a real token in every row (it fills with -1e9): no fully masked row here.
        mask = np.array([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0], [1, 0, 0, 0, 0, 0], [0, 1, 0, 1, 0, 1]], bool)
        kwargs["mask"] = [np.ones((batch, 1), bool), mask]
    output, weights = layer([q, h, k], return_attention_scores=True, **kwargs)
    trace = attend(h, s, W1, W2, b, v, mask=mask)
    np.testing.assert_allclose(trace.alpha, np.asarray(weights)[:, 0, :], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(trace.context, np.asarray(output)[:, 0, :], rtol=1e-5, atol=1e-5)
    if use_mask:
        assert np.all(trace.alpha[~mask] == 0.0)


# --------------------------------------------------------------------------- numpy_additive (benchmarks/core.py)


def test_numpy_additive_matches_bahdanau_attention():
    d_h, d_s, d_a, T_x = 64, 64, 32, 7  # the core benchmark's sizes
    rng = np.random.default_rng([0, 1])
    params = AdditiveParams(
        W1=(rng.standard_normal((d_h, d_a)) / np.sqrt(d_h)).astype(np.float32),
        W2=(rng.standard_normal((d_s, d_a)) / np.sqrt(d_s)).astype(np.float32),
        b=(0.1 * rng.standard_normal(d_a)).astype(np.float32),
        v=(rng.standard_normal(d_a) / np.sqrt(d_a)).astype(np.float32),
    )
    rng = np.random.default_rng([0, T_x])
    h = rng.standard_normal((1, T_x, d_h)).astype(np.float32)
    s_prev = np.tanh(rng.standard_normal((1, d_s))).astype(np.float32)
    e, alpha, c = numpy_additive(h, s_prev, params.W1, params.W2, params.b, params.v)
    trace = bahdanau_attention(h, s_prev, params).numpy()
    np.testing.assert_allclose(e, trace.e, atol=1e-5)
    np.testing.assert_allclose(alpha, trace.alpha, atol=1e-6)
    np.testing.assert_allclose(c, trace.context, atol=1e-5)


# --------------------------------------------------------------------------- properties


@SETTINGS
@given(additive_cases())
def test_alpha_is_a_distribution_over_real_tokens(case):
    h, s, W1, W2, b, v, mask = case
    trace = attend(h, s, W1, W2, b, v, mask=mask)
    assert np.all(trace.alpha >= 0.0)
    assert np.all(trace.alpha[~mask] == 0.0)  # exactly zero, not merely small
    sums = trace.alpha.sum(axis=-1)
    np.testing.assert_allclose(sums[real_rows(mask)], 1.0, atol=1e-5)
    assert np.all(sums[~real_rows(mask)] == 0.0)
    assert np.all(trace.context[~real_rows(mask)] == 0.0)
    np.testing.assert_array_equal(trace.fully_masked, ~real_rows(mask))
    for name in ALL_FIELDS:
        assert np.all(np.isfinite(getattr(trace, name).astype(np.float64))), name


@SETTINGS
@given(
    additive_cases(),
    st.integers(1, 8),
    st.floats(-1e4, 1e4, width=32, allow_nan=False, allow_infinity=False),
    st.data(),
)
def test_padding_of_any_value_and_length_changes_nothing(case, pad_len, pad_value, data):
    h, s, W1, W2, b, v, mask = case
    batch, T_x, d_h = h.shape
    # Padding is filled with one arbitrary value or with arbitrary per-position values.
    if data.draw(st.booleans(), label="constant padding"):
        pad = np.full((batch, pad_len, d_h), pad_value, np.float32)
    else:
        pad = data.draw(hnp.arrays(np.float32, (batch, pad_len, d_h), elements=floats(1e4)), label="pad")
    padded_h = np.concatenate([h, pad], axis=1)
    padded_mask = np.concatenate([mask, np.zeros((batch, pad_len), bool)], axis=1)
    before = attend(h, s, W1, W2, b, v, mask=mask)
    after = attend(padded_h, s, W1, W2, b, v, mask=padded_mask)
    np.testing.assert_allclose(after.alpha[:, :T_x], before.alpha, rtol=1e-5, atol=1e-6)
    assert np.all(after.alpha[:, T_x:] == 0.0)
    np.testing.assert_allclose(after.context, before.context, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(after.fully_masked, before.fully_masked)


@SETTINGS
@given(additive_cases(), st.randoms(use_true_random=False))
def test_permuting_encoder_states_permutes_alpha(case, random):
    h, s, W1, W2, b, v, mask = case
    perm = list(range(h.shape[1]))
    random.shuffle(perm)
    before = attend(h, s, W1, W2, b, v, mask=mask)
    after = attend(h[:, perm], s, W1, W2, b, v, mask=mask[:, perm])
    np.testing.assert_allclose(after.alpha, before.alpha[:, perm], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(after.e, before.e[:, perm], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(after.context, before.context, rtol=1e-5, atol=1e-5)


@SETTINGS
@given(
    st.integers(1, 3).flatmap(
        lambda batch: st.integers(1, 7).flatmap(
            lambda T_x: st.tuples(
                hnp.arrays(np.float64, (batch, T_x), elements=floats(50.0, np.float64)),
                hnp.arrays(np.bool_, (batch, T_x)),
            )
        )
    ),
    floats(100.0, np.float64),
)
def test_adding_a_constant_to_every_score_leaves_alpha_unchanged(e_and_mask, k):
    e, mask = e_and_mask
    _, alpha = masked_softmax(tf.constant(e), tf.constant(mask))
    _, shifted = masked_softmax(tf.constant(e + k), tf.constant(mask))
    np.testing.assert_allclose(shifted.numpy(), alpha.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(alpha.numpy(), reference_masked_softmax(e, mask), rtol=1e-9, atol=1e-12)
    # float32: the same up to the rounding of e + k.
    _, alpha32 = masked_softmax(tf.constant(e, tf.float32), tf.constant(mask))
    _, shifted32 = masked_softmax(tf.constant(e + k, tf.float32), tf.constant(mask))
    np.testing.assert_allclose(shifted32.numpy(), alpha32.numpy(), atol=1e-4)


@SETTINGS
@given(st.sampled_from([np.float32, np.float16]).flatmap(lambda dt: additive_cases(dt, bound=1e4, weight_bound=1e4)))
def test_huge_inputs_give_finite_trace(case):
    h, s, W1, W2, b, v, mask = case
    trace = attend(h, s, W1, W2, b, v, mask=mask)
    for name in ALL_FIELDS:
        assert np.all(np.isfinite(getattr(trace, name).astype(np.float64))), name
    assert np.all(trace.alpha >= 0.0) and np.all(trace.alpha[~mask] == 0.0)
    np.testing.assert_allclose(trace.alpha.sum(axis=-1)[real_rows(mask)], 1.0, atol=1e-5)
    # c is a convex combination of the real h_j, so each coordinate stays within their range.
    bound = np.abs(h.astype(np.float64)).max() * (1 + 1e-5) + 1e-6
    assert np.all(np.abs(trace.context) <= bound)


# --------------------------------------------------------------------------- mask strategies


@pytest.fixture
def strategy_case():
    # Small weights keep every score difference far below 80, so exp never underflows to 0 by itself.
    rng = np.random.default_rng(3)
    h, s, W1, W2, b, v = random_case(rng, batch=3, T_x=5)
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [0, 0, 0, 0, 0]], bool)
    return h, s, W1, W2, b, v, mask


def test_strategy_none_ignores_the_mask(strategy_case):
    h, s, W1, W2, b, v, mask = strategy_case
    trace = attend(h, s, W1, W2, b, v, mask=mask, mask_strategy="none")
    assert np.all(trace.alpha[~mask] > 0.0)
    np.testing.assert_array_equal(trace.e_masked, trace.e)
    _, alpha, context = reference_additive(h, s, W1, W2, b, v, mask=None)
    np.testing.assert_allclose(trace.alpha, alpha, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(trace.context, context, rtol=1e-5, atol=1e-5)


def test_strategy_correct(strategy_case):
    h, s, W1, W2, b, v, mask = strategy_case
    trace = attend(h, s, W1, W2, b, v, mask=mask, mask_strategy="correct")
    assert np.all(trace.alpha[~mask] == 0.0)
    assert np.all(trace.alpha[2] == 0.0) and np.all(trace.context[2] == 0.0)
    assert trace.fully_masked.tolist() == [False, False, True]
    for name in ALL_FIELDS:
        assert not np.any(np.isnan(getattr(trace, name).astype(np.float64))), name
    _, alpha, context = reference_additive(h, s, W1, W2, b, v, mask=mask)
    np.testing.assert_allclose(trace.alpha, alpha, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(trace.context, context, rtol=1e-5, atol=1e-5)
    # The default strategy is the correct one.
    np.testing.assert_array_equal(attend(h, s, W1, W2, b, v, mask=mask).alpha, trace.alpha)


def test_strategy_neg_inf(strategy_case):
    h, s, W1, W2, b, v, mask = strategy_case
    trace = attend(h, s, W1, W2, b, v, mask=mask, mask_strategy="neg_inf")
    _, alpha, context = reference_additive(h, s, W1, W2, b, v, mask=mask)
    np.testing.assert_allclose(trace.alpha[:2], alpha[:2], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(trace.context[:2], context[:2], rtol=1e-5, atol=1e-5)
    assert np.all(np.isneginf(trace.e_masked[~mask]))
    assert np.all(np.isnan(trace.alpha[2]))  # exp(-inf - (-inf)) on the fully masked row
    assert np.all(np.isnan(trace.context[2]))


def test_strategy_large_negative(strategy_case):
    h, s, W1, W2, b, v, mask = strategy_case
    trace = attend(h, s, W1, W2, b, v, mask=mask, mask_strategy="large_negative")
    np.testing.assert_allclose(trace.alpha[2], np.full(5, 1 / 5), atol=1e-7)  # uniform on the empty row
    np.testing.assert_allclose(trace.context[2], h[2].mean(axis=0), rtol=1e-5, atol=1e-6)
    assert np.all(trace.e_masked[~mask] == -1e9)
    _, alpha, _ = reference_additive(h, s, W1, W2, b, v, mask=mask)
    np.testing.assert_allclose(trace.alpha[:2], alpha[:2], rtol=1e-5, atol=1e-6)


def test_strategy_min_fill_leaks_weight_to_padding(strategy_case):
    # The source article's tf.where(mask, score, tf.reduce_min(score)): padding keeps weight.
    h, s, W1, W2, b, v, mask = strategy_case
    trace = attend(h, s, W1, W2, b, v, mask=mask, mask_strategy="min_fill")
    assert np.all(trace.alpha[0, ~mask[0]] > 0.0)
    assert np.all(trace.e_masked[~mask] == trace.e.min())
    np.testing.assert_allclose(trace.alpha.sum(axis=-1), 1.0, atol=1e-6)


@pytest.mark.parametrize("strategy", MASK_STRATEGIES)
def test_every_strategy_fills_trace(strategy, strategy_case):
    h, s, W1, W2, b, v, mask = strategy_case
    trace = attend(h, s, W1, W2, b, v, mask=mask, mask_strategy=strategy)
    assert trace.mask_strategy == strategy and trace.score == "additive"
    check_trace_shapes(trace, 3, 5, 3, 6)
    np.testing.assert_array_equal(trace.e, attend(h, s, W1, W2, b, v, mask=None).e)  # e is raw
    np.testing.assert_array_equal(trace.e_masked[mask], trace.e[mask])


def test_unknown_strategy_raises(strategy_case):
    h, s, W1, W2, b, v, mask = strategy_case
    with pytest.raises(ValueError, match="bogus") as info:
        attend(h, s, W1, W2, b, v, mask=mask, mask_strategy="bogus")
    assert "correct" in str(info.value)  # it lists the valid strategies too
    with pytest.raises(ValueError, match="'Correct'"):
        masked_softmax(tf.zeros((1, 2)), tf.ones((1, 2), tf.bool), "Correct")


# --------------------------------------------------------------------------- other score functions


def _check_luong_trace(trace, batch, T_x, d_h, score):
    assert trace.score == score
    assert trace.W1_h is None and trace.pre_activation is None and trace.tanh_activation is None
    for name in ("e", "e_masked", "alpha", "mask"):
        assert getattr(trace, name).shape == (batch, T_x)
    assert trace.context.shape == (batch, d_h) and trace.fully_masked.shape == (batch,)


@SETTINGS
@given(
    st.tuples(st.integers(1, 3), st.integers(1, 6), st.integers(1, 5)).flatmap(
        lambda shape: st.tuples(
            hnp.arrays(np.float32, shape, elements=floats(3.0)),
            hnp.arrays(np.float32, (shape[0], shape[2]), elements=floats(3.0)),
            hnp.arrays(np.bool_, shape[:2]),
        )
    )
)
def test_dot_and_scaled_dot_scores(case):
    h, s, mask = case
    batch, T_x, d_h = h.shape
    expected = np.einsum("btd,bd->bt", h.astype(np.float64), s.astype(np.float64))
    dot = dot_attention(h, s, mask=mask).numpy()
    scaled = scaled_dot_attention(h, s, mask=mask).numpy()
    _check_luong_trace(dot, batch, T_x, d_h, "dot")
    _check_luong_trace(scaled, batch, T_x, d_h, "scaled_dot")
    assert dot.W2_s is None and scaled.W2_s is None
    np.testing.assert_allclose(dot.e, expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(scaled.e, expected / math.sqrt(d_h), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(scaled.e, dot.e / np.sqrt(d_h), rtol=1e-6, atol=1e-6)
    for trace, e in ((dot, expected), (scaled, expected / math.sqrt(d_h))):
        alpha = reference_masked_softmax(e, mask)
        np.testing.assert_allclose(trace.alpha, alpha, rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(trace.context, np.einsum("bt,btd->bd", alpha, h), rtol=1e-4, atol=1e-4)
        assert np.all(trace.alpha[~mask] == 0.0)


@SETTINGS
@given(
    st.tuples(st.integers(1, 3), st.integers(1, 6), st.integers(1, 5), st.integers(1, 5)).flatmap(
        lambda shape: st.tuples(
            hnp.arrays(np.float32, shape[:3], elements=floats(2.0)),
            hnp.arrays(np.float32, (shape[0], shape[3]), elements=floats(2.0)),
            hnp.arrays(np.float32, (shape[2], shape[3]), elements=floats(2.0)),
            hnp.arrays(np.bool_, shape[:2]),
        )
    )
)
def test_general_score(case):
    h, s, W_a, mask = case
    batch, T_x, d_h = h.shape
    h64, s64, W64 = (x.astype(np.float64) for x in (h, s, W_a))
    # e_j = h_jᵀ W_a s, written with loops.
    expected = np.array([[h64[i, j] @ (W64 @ s64[i]) for j in range(T_x)] for i in range(batch)])
    trace = general_attention(h, s, W_a, mask=mask).numpy()
    _check_luong_trace(trace, batch, T_x, d_h, "general")
    assert trace.W2_s.shape == (batch, d_h)
    np.testing.assert_allclose(trace.W2_s, s64 @ W64.T, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(trace.e, expected, rtol=1e-5, atol=1e-4)
    alpha = reference_masked_softmax(expected, mask)
    np.testing.assert_allclose(trace.alpha, alpha, rtol=1e-4, atol=1e-5)


def test_general_with_identity_equals_dot():
    rng = np.random.default_rng(5)
    h = rng.normal(size=(2, 4, 3)).astype(np.float32)
    s = rng.normal(size=(2, 3)).astype(np.float32)
    general = general_attention(h, s, np.eye(3, dtype=np.float32)).numpy()
    dot = dot_attention(h, s).numpy()
    np.testing.assert_allclose(general.alpha, dot.alpha, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("fn", [dot_attention, scaled_dot_attention])
def test_dot_needs_equal_sizes(fn):
    h, s = np.zeros((2, 3, 4), np.float32), np.zeros((2, 5), np.float32)
    with pytest.raises(ValueError) as info:
        fn(h, s)
    message = str(info.value)
    assert "(2, 3, 4)" in message and "(2, 5)" in message


def test_general_rejects_wrong_W_a_shape():
    h, s = np.zeros((2, 3, 4), np.float32), np.zeros((2, 5), np.float32)
    with pytest.raises(ValueError) as info:
        general_attention(h, s, np.zeros((5, 4), np.float32))  # transposed: should be (d_h, d_s) = (4, 5)
    message = str(info.value)
    assert "(5, 4)" in message and "(2, 3, 4)" in message and "(2, 5)" in message


def test_rank_errors_name_the_shapes():
    with pytest.raises(ValueError, match=r"\(3, 4\)"):
        dot_attention(np.zeros((3, 4), np.float32), np.zeros((3, 4), np.float32))
    with pytest.raises(ValueError, match=r"mask.shape=\(2, 3, 1\)"):
        dot_attention(np.zeros((2, 3, 4), np.float32), np.zeros((2, 4), np.float32), mask=np.ones((2, 3, 1), bool))


# --------------------------------------------------------------------------- AdditiveParams


def test_params_validate_shapes():
    with pytest.raises(ValueError) as info:
        AdditiveParams(np.zeros((3, 4)), np.zeros((5, 3)), np.zeros(4), np.zeros(4))
    message = str(info.value)
    assert "(3, 4)" in message and "(5, 3)" in message
    with pytest.raises(ValueError, match=r"b=\(4, 1\)"):
        AdditiveParams(np.zeros((3, 4)), np.zeros((5, 4)), np.zeros((4, 1)), np.zeros(4))
    with pytest.raises(ValueError, match=r"v=\(3,\)"):
        AdditiveParams(np.zeros((3, 4)), np.zeros((5, 4)), np.zeros(4), np.zeros(3))
    assert AdditiveParams(np.zeros((3, 4)), np.zeros((5, 4)), np.zeros(4), np.zeros(4)).d_a == 4


def test_params_check_against_inputs():
    params = AdditiveParams(np.zeros((3, 4)), np.zeros((5, 4)), np.zeros(4), np.zeros(4))
    with pytest.raises(ValueError) as info:
        bahdanau_attention(np.zeros((1, 2, 6), np.float32), np.zeros((1, 5), np.float32), params)
    assert "(1, 2, 6)" in str(info.value) and "(3, 4)" in str(info.value)


def test_params_accept_float16_numpy_and_tensors():
    rng = np.random.default_rng(11)
    h, s, W1, W2, b, v = random_case(rng)
    half = AdditiveParams(*(x.astype(np.float16) for x in (W1, W2, b, v)))
    trace = bahdanau_attention(h, s, half).numpy()
    _, alpha, context = reference_additive(h, s, *(x.astype(np.float16) for x in (W1, W2, b, v)))
    np.testing.assert_allclose(trace.alpha, alpha, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(trace.context, context, rtol=1e-5, atol=1e-5)

    tensors = AdditiveParams(*(tf.constant(x) for x in (W1, W2, b, v)))
    assert tensors.d_a == 6
    np.testing.assert_allclose(tensors.numpy().W1, W1)
    np.testing.assert_allclose(
        bahdanau_attention(h, s, tensors).numpy().alpha, reference_additive(h, s, W1, W2, b, v)[1], atol=1e-5
    )
    variables = AdditiveParams(*(tf.Variable(x) for x in (W1, W2, b, v)))
    np.testing.assert_allclose(
        bahdanau_attention(h, s, variables).numpy().alpha, reference_additive(h, s, W1, W2, b, v)[1], atol=1e-5
    )


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_integer_inputs_raise_type_error(dtype):
    params = AdditiveParams(np.zeros((3, 4)), np.zeros((5, 4)), np.zeros(4), np.zeros(4))
    with pytest.raises(TypeError, match="dtype"):
        bahdanau_attention(np.zeros((1, 2, 3), dtype), np.zeros((1, 5), np.float32), params)
    with pytest.raises(TypeError, match=np.dtype(dtype).name):
        dot_attention(np.zeros((1, 2, 3), dtype), np.zeros((1, 3), np.float32))


# --------------------------------------------------------------------------- BahdanauAttention layer


def test_layer_is_built_at_construction():
    layer = BahdanauAttention(units=6, encoder_dim=3, decoder_dim=4)
    assert layer.built
    assert len(layer.trainable_weights) == 4
    shapes = {id(w): tuple(w.shape) for w in layer.trainable_weights}
    assert shapes[id(layer.W1.kernel)] == (3, 6)
    assert shapes[id(layer.W2.kernel)] == (4, 6)
    assert shapes[id(layer.b)] == (6,)
    assert shapes[id(layer.v)] == (6,)
    assert np.all(np.asarray(layer.b) == 0.0)
    assert layer.params.d_a == 6
    config = layer.get_config()
    assert (config["units"], config["encoder_dim"], config["decoder_dim"]) == (6, 3, 4)


def test_layer_call_equals_function():
    rng = np.random.default_rng(13)
    layer = BahdanauAttention(units=6, encoder_dim=3, decoder_dim=4)
    h, s, *_ = random_case(rng, batch=3, T_x=5)
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [0, 0, 0, 0, 0]], bool)
    for strategy in ("correct", "large_negative"):
        got = layer(h, s, mask=mask, mask_strategy=strategy)
        assert isinstance(got, AttentionTrace)
        got = got.numpy()
        want = bahdanau_attention(h, s, layer.params, mask=mask, mask_strategy=strategy).numpy()
        for name in ALL_FIELDS:
            np.testing.assert_array_equal(getattr(got, name), getattr(want, name), err_msg=name)
    params = layer.params.numpy()
    _, alpha, context = reference_additive(h, s, params.W1, params.W2, params.b, params.v, mask=mask)
    np.testing.assert_allclose(layer(h, s, mask=mask).numpy().alpha, alpha, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layer(h, s, mask=mask).numpy().context, context, rtol=1e-5, atol=1e-5)


def test_layer_in_tf_function_with_two_lengths():
    rng = np.random.default_rng(17)
    layer = BahdanauAttention(units=5, encoder_dim=3, decoder_dim=4)

    @tf.function(reduce_retracing=True)
    def step(h, s, mask):
        trace = layer(h, s, mask=mask)
        return trace.alpha, trace.context, trace.fully_masked

    for T_x in (4, 7, 9):
        h, s, *_ = random_case(rng, batch=2, T_x=T_x)
        mask = np.ones((2, T_x), bool)
        mask[1, T_x // 2 :] = False
        alpha, context, fully_masked = step(tf.constant(h), tf.constant(s), tf.constant(mask))
        eager = layer(h, s, mask=mask).numpy()
        assert alpha.shape == (2, T_x)
        np.testing.assert_allclose(alpha.numpy(), eager.alpha, rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(context.numpy(), eager.context, rtol=1e-6, atol=1e-6)
        assert not fully_masked.numpy().any()
    # The second length made the trace shape-generic; the third reused it.
    assert step.experimental_get_tracing_count() == 2


def test_gradients_reach_every_weight():
    rng = np.random.default_rng(19)
    layer = BahdanauAttention(units=5, encoder_dim=3, decoder_dim=4)
    h, s, *_ = random_case(rng, batch=2, T_x=6)
    mask = np.array([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]], bool)
    target = tf.constant(rng.normal(size=(2, 3)), tf.float32)
    with tf.GradientTape() as tape:
        trace = layer(tf.constant(h), tf.constant(s), mask=mask)
        loss = tf.reduce_sum((trace.context - target) ** 2)
    grads = tape.gradient(loss, layer.trainable_weights)
    assert len(grads) == 4
    for weight, grad in zip(layer.trainable_weights, grads, strict=True):
        assert grad is not None, weight.path
        assert np.all(np.isfinite(grad.numpy())), weight.path
        assert np.any(grad.numpy() != 0.0), weight.path


def test_fully_masked_row_has_finite_zero_gradient():
    # The correct strategy must not leak NaN into training through an empty row.
    layer = BahdanauAttention(units=3, encoder_dim=2, decoder_dim=2)
    h = tf.constant(np.random.default_rng(23).normal(size=(2, 3, 2)), tf.float32)
    s = tf.ones((2, 2))
    mask = np.array([[1, 1, 0], [0, 0, 0]], bool)
    with tf.GradientTape() as tape:
        tape.watch(h)
        loss = tf.reduce_sum(layer(h, s, mask=mask).context)
    grad_h, *grads = tape.gradient(loss, [h, *layer.trainable_weights])
    assert all(np.all(np.isfinite(g.numpy())) for g in [grad_h, *grads])
    assert np.all(grad_h.numpy()[1] == 0.0) and np.all(grad_h.numpy()[0, 2] == 0.0)
