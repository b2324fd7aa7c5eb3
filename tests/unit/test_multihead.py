"""Multi-head attention, one function per equation: checked against Keras's own layer with the same weights,
and the invariants every head keeps (α sums to 1 over the keys it may read, causal rows never read ahead,
an overridden head's context is the value it was pointed at)."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attention_core.nn.multihead import (
    MultiHeadParams,
    attention_mask,
    causal_mask,
    concat_heads,
    head_contexts,
    multi_head_attention,
    output_projection,
    scaled_dot_scores,
)

RTOL = ATOL = 1e-5  # float32 kernels differ between machines (Intel, AMD) and batch shapes, never bit for bit


def random_params(rng: np.random.Generator, d_model: int, heads: int, d_k: int) -> MultiHeadParams:
    def w(*shape):
        return rng.normal(0, 0.4, shape).astype(np.float32)

    return MultiHeadParams(
        W_Q=w(d_model, heads, d_k),
        b_Q=w(heads, d_k),
        W_K=w(d_model, heads, d_k),
        b_K=w(heads, d_k),
        W_V=w(d_model, heads, d_k),
        b_V=w(heads, d_k),
        W_O=w(heads, d_k, d_model),
        b_O=w(d_model),
    )


def keras_layer(params: MultiHeadParams, T_q: int, T_k: int) -> keras.layers.MultiHeadAttention:
    """Keras's layer holding ``params``: its weights are ours, in the order it lists them."""
    d_model, heads, d_k = params.W_Q.shape
    layer = keras.layers.MultiHeadAttention(num_heads=heads, key_dim=d_k)
    layer.build((None, T_q, d_model), (None, T_k, d_model))
    theirs = [w.shape for w in layer.get_weights()]
    ours = [params.W_Q, params.b_Q, params.W_K, params.b_K, params.W_V, params.b_V, params.W_O, params.b_O]
    assert theirs == [w.shape for w in ours], f"Keras's weight layout changed: {theirs}"
    layer.set_weights(ours)
    return layer


@pytest.mark.parametrize("masked", [False, True], ids=["no mask", "padding and causal mask"])
@pytest.mark.parametrize("heads, d_k", [(1, 8), (4, 4), (2, 16)])
def test_the_equations_give_keras_multi_head_attention(masked, heads, d_k):
    rng = np.random.default_rng(heads * 100 + d_k)
    batch, T_q, T_k, d_model = 3, 5, 7, 12
    params = random_params(rng, d_model, heads, d_k)
    x = rng.normal(size=(batch, T_q, d_model)).astype(np.float32)
    h = rng.normal(size=(batch, T_k, d_model)).astype(np.float32)
    key_mask = np.ones((batch, T_k), bool)
    if masked:
        key_mask[0, 4:] = False  # two sentences padded, one whole
        key_mask[1, 6:] = False
    mask = np.asarray(attention_mask(key_mask, T_q, causal=masked))  # causal: query t reads keys ≤ t + 2
    trace = multi_head_attention(x, h, params, key_mask=key_mask, causal=masked).numpy()
    layer = keras_layer(params, T_q, T_k)
    output, scores = layer(x, h, attention_mask=mask if masked else None, return_attention_scores=True)
    np.testing.assert_allclose(trace.alpha, np.asarray(scores), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(trace.output, np.asarray(output), rtol=RTOL, atol=ATOL)
    if masked:  # the mask did something: padding and the future took no weight
        assert np.all(trace.alpha[0, :, :, 4:] == 0)
        assert np.all(trace.alpha[2, :, 0, 3:] == 0)


def test_each_equation_reads_as_its_formula():
    """Q, K, V, e, α, c, the concatenation and W_O recomputed by hand in numpy for one head and query."""
    rng = np.random.default_rng(5)
    params = random_params(rng, 6, 2, 3)
    x, h = rng.normal(size=(1, 2, 6)).astype(np.float32), rng.normal(size=(1, 4, 6)).astype(np.float32)
    trace = multi_head_attention(x, h, params).numpy()
    head, t = 1, 1
    q = x[0, t] @ params.W_Q[:, head] + params.b_Q[head]  # (d_k,)
    k = h[0] @ params.W_K[:, head] + params.b_K[head]  # (T_k, d_k)
    v = h[0] @ params.W_V[:, head] + params.b_V[head]  # (T_k, d_v)
    e = k @ q / np.sqrt(3)
    alpha = np.exp(e - e.max()) / np.exp(e - e.max()).sum()
    np.testing.assert_allclose(trace.Q[0, head, t], q, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(trace.K[0, head], k, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(trace.e[0, head, t], e, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(trace.alpha[0, head, t], alpha, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(trace.head_context[0, head, t], alpha @ v, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(trace.concat[0, t, 3:], alpha @ v, rtol=RTOL, atol=ATOL)  # head 1 is the second third
    by_hand = trace.concat[0, t] @ params.W_O.reshape(6, 6) + params.b_O
    np.testing.assert_allclose(trace.output[0, t], by_hand, rtol=RTOL, atol=ATOL)


def test_scores_are_divided_by_the_root_of_d_k():
    Q = tf.constant(np.ones((1, 1, 1, 16), np.float32))
    K = tf.constant(np.ones((1, 1, 2, 16), np.float32))
    np.testing.assert_allclose(np.asarray(scaled_dot_scores(Q, K)), [[[[4.0, 4.0]]]])  # 16 / √16


def test_causal_mask_is_the_lower_triangle_and_keeps_its_place_for_the_last_queries():
    np.testing.assert_array_equal(np.asarray(causal_mask(3, 3)), np.tril(np.ones((3, 3), bool)))
    np.testing.assert_array_equal(np.asarray(causal_mask(1, 4)), [[True, True, True, True]])  # the newest position


def test_a_row_without_any_key_gets_zero_weight_and_no_nan():
    rng = np.random.default_rng(2)
    params = random_params(rng, 4, 2, 2)
    trace = multi_head_attention(
        rng.normal(size=(1, 2, 4)), rng.normal(size=(1, 3, 4)), params, key_mask=np.zeros((1, 3), bool)
    ).numpy()
    assert np.all(trace.alpha == 0) and np.all(np.isfinite(trace.output))
    np.testing.assert_allclose(trace.output[0, 0], params.b_O, rtol=RTOL, atol=ATOL)  # no context: W_O adds b_O only


def test_concat_and_output_projection_read_the_heads_in_order():
    c = tf.constant(np.arange(6, dtype=np.float32).reshape(1, 3, 1, 2))  # (batch, heads, T_q, d_v)
    np.testing.assert_array_equal(np.asarray(concat_heads(c))[0, 0], [0, 1, 2, 3, 4, 5])
    W_O = np.zeros((3, 2, 1), np.float32)
    W_O[2, 1, 0] = 1.0  # picks head 3's second number
    out = output_projection(concat_heads(c), tf.constant(W_O), tf.constant([0.5]))
    np.testing.assert_allclose(np.asarray(out)[0, 0], [5.5])


def test_parameters_of_mismatched_sizes_are_refused_with_their_shapes():
    rng = np.random.default_rng(0)
    p = random_params(rng, 4, 2, 2)
    with pytest.raises(ValueError, match="Received"):
        MultiHeadParams(p.W_Q, p.b_Q, p.W_K[:, :1], p.b_K, p.W_V, p.b_V, p.W_O, p.b_O)


@st.composite
def attention_cases(draw):
    heads = draw(st.integers(1, 4))
    d_k = draw(st.integers(1, 5))
    T = draw(st.integers(1, 7))
    batch = draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2**31 - 1))
    lengths = draw(st.lists(st.integers(1, T), min_size=batch, max_size=batch))
    return heads, d_k, T, batch, seed, lengths


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(attention_cases(), st.booleans())
def test_each_head_sums_to_one_over_the_keys_it_may_read_and_never_reads_ahead(case, causal):
    heads, d_k, T, batch, seed, lengths = case
    rng = np.random.default_rng(seed)
    d_model = heads * d_k
    params = random_params(rng, d_model, heads, d_k)
    x = rng.normal(0, 3, size=(batch, T, d_model)).astype(np.float32)
    key_mask = np.arange(T)[None, :] < np.array(lengths)[:, None]  # (batch, T)
    trace = multi_head_attention(x, x, params, key_mask=key_mask, causal=causal).numpy()
    allowed = key_mask[:, None, None, :] & (np.tril(np.ones((T, T), bool)) if causal else True)  # (batch, 1, T, T)
    allowed = np.broadcast_to(allowed, trace.alpha.shape)
    assert np.all(trace.alpha[~allowed] == 0)  # padding, and with the causal mask the future: exactly 0
    sums = trace.alpha.sum(-1)  # (batch, heads, T)
    np.testing.assert_allclose(sums, np.where(allowed.any(-1), 1.0, 0.0), rtol=RTOL, atol=ATOL)
    if causal:
        future = np.triu(np.ones((T, T), bool), k=1)
        assert np.all(trace.alpha[:, :, future] == 0)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(attention_cases(), st.data())
def test_a_one_hot_override_of_a_head_makes_its_context_that_value(case, data):
    heads, d_k, T, batch, seed, _ = case
    rng = np.random.default_rng(seed)
    d_model = heads * d_k
    params = random_params(rng, d_model, heads, d_k)
    x = rng.normal(size=(batch, 2, d_model)).astype(np.float32)
    h = rng.normal(size=(batch, T, d_model)).astype(np.float32)
    head, t, j = data.draw(st.integers(0, heads - 1)), data.draw(st.integers(0, 1)), data.draw(st.integers(0, T - 1))
    given_alpha = np.zeros((batch, heads, 2, T), np.float32)
    given_alpha[:, head, t, j] = 1.0
    where = np.zeros((batch, heads, 2), bool)
    where[:, head, t] = True
    own = multi_head_attention(x, h, params).numpy()
    trace = multi_head_attention(x, h, params, alpha_override=given_alpha, override_where=where).numpy()
    np.testing.assert_allclose(trace.head_context[:, head, t], trace.V[:, head, j], rtol=RTOL, atol=ATOL)
    np.testing.assert_array_equal(trace.e, own.e)  # the scores stay the model's own
    others = ~where
    np.testing.assert_allclose(trace.alpha[others], own.alpha[others], rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(
        np.asarray(head_contexts(tf.constant(given_alpha), tf.constant(trace.V)))[:, head, t],
        trace.V[:, head, j],
        rtol=RTOL,
        atol=ATOL,
    )
