"""The leak the masking page shows: the attention weight a row puts on padding, written once."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from attention_core.decoding.masking import future_weight, padding_weight
from attention_core.nn.attention import masked_softmax

SETTINGS = settings(max_examples=40, deadline=None)


def test_a_hand_computed_batch():
    alpha = np.array([[0.5, 0.3, 0.2], [0.1, 0.6, 0.3]])
    mask = np.array([[True, True, False], [True, False, False]])
    # row 1: padding is position 3 alone, 0.2; row 2: positions 2 and 3, 0.6 + 0.3
    np.testing.assert_allclose(padding_weight(alpha, mask), [0.2, 0.9])


def test_a_nan_on_padding_is_undefined_and_a_nan_on_a_word_is_not_counted():
    alpha = np.array([[np.nan, np.nan], [np.nan, 0.25]])
    mask = np.array([[False, False], [True, False]])
    leak = padding_weight(alpha, mask)
    assert np.isnan(leak[0]) and leak[1] == 0.25


def test_shapes_that_do_not_match_are_refused():
    with pytest.raises(ValueError, match=r"alpha.shape=\(2, 3\), mask.shape=\(2, 4\)"):
        padding_weight(np.zeros((2, 3)), np.ones((2, 4), bool))


def masked_batches(elements):
    """``(values, mask)`` of one random shape ``(batch, T_x)``."""
    return st.tuples(st.integers(1, 4), st.integers(1, 8)).flatmap(
        lambda shape: st.tuples(
            hnp.arrays(np.float32, shape, elements=elements),
            hnp.arrays(bool, shape),
        )
    )


@SETTINGS
@given(masked_batches(st.floats(-30, 30, width=32)))
def test_the_correct_mask_leaks_nothing(case):
    e, mask = case
    _, alpha = masked_softmax(tf.constant(e), tf.constant(mask), "correct")
    np.testing.assert_array_equal(padding_weight(alpha.numpy(), mask), 0.0)


@SETTINGS
@given(masked_batches(st.floats(0, 1e3, width=32)))
def test_a_distribution_leaks_between_nothing_and_everything(case):
    weights, mask = case
    weights = weights.astype(np.float64) + 1e-6  # every row has weight to share
    alpha = weights / weights.sum(axis=1, keepdims=True)  # each row sums to 1
    leak = padding_weight(alpha, mask)
    assert np.all(leak >= 0.0) and np.all(leak <= 1.0 + 1e-12), leak
    np.testing.assert_allclose(leak + np.where(mask, alpha, 0.0).sum(axis=1), 1.0)  # the rest is on the words


def test_the_weight_ahead_of_each_query_by_hand():
    alpha = np.array([[0.2, 0.5, 0.3], [0.1, 0.6, 0.3], [0.3, 0.3, 0.4]])
    # query 1 reads keys 2 and 3 ahead of it; query 2 key 3; query 3 nothing
    np.testing.assert_allclose(future_weight(alpha), [0.8, 0.3, 0.0])
    with pytest.raises(ValueError, match=r"\(\.\.\., T, T\)"):
        future_weight(np.ones((2, 3)))


@SETTINGS
@given(hnp.arrays(np.float32, (2, 5, 5), elements=st.floats(-8, 8, width=32)))
def test_a_causal_softmax_puts_nothing_ahead_and_without_it_the_rest_of_the_row_is_ahead(scores):
    causal = np.tril(np.ones((5, 5), bool))
    rows = scores.reshape(-1, 5)  # (batch · T, T): masked_softmax reads rows of keys
    _, alpha = masked_softmax(tf.constant(rows), tf.constant(np.tile(causal, (2, 1))))
    assert np.all(future_weight(np.asarray(alpha).reshape(scores.shape)) == 0.0)
    free = np.asarray(tf.nn.softmax(scores, axis=-1), np.float64)
    read_so_far = np.cumsum(free, axis=-1).diagonal(axis1=-2, axis2=-1)  # Σ_{s ≤ t} α_ts
    np.testing.assert_allclose(future_weight(free), 1.0 - read_so_far, atol=1e-6)
