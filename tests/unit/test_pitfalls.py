"""Each pitfall's bug, computed, and its fix, checked against the numbers."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import tensorflow as tf

from attention_core.nn.attention import AdditiveParams, bahdanau_attention
from attention_core.nn.pitfalls import (
    CODE,
    PITFALLS,
    PitfallResult,
    default_mask,
    integer_inputs,
    large_negative_fully_masked,
    min_fill_mask,
    neg_inf_fully_masked,
    query_without_time_axis,
    run_pitfall,
    softmax_over_size_one_axis,
    square_batch,
)

BATCH, T_X, D_H, D_S, D_A = 3, 5, 8, 6, 4


@pytest.fixture(scope="module")
def inputs():
    rng = np.random.default_rng(11)
    h = rng.standard_normal((BATCH, T_X, D_H)).astype(np.float32)
    s_prev = np.tanh(rng.standard_normal((BATCH, D_S))).astype(np.float32)
    params = AdditiveParams(
        W1=(0.5 * rng.standard_normal((D_H, D_A))).astype(np.float32),
        W2=(0.5 * rng.standard_normal((D_S, D_A))).astype(np.float32),
        b=(0.1 * rng.standard_normal(D_A)).astype(np.float32),
        v=rng.standard_normal(D_A).astype(np.float32),
    )
    mask = np.array(
        [
            [True, True, True, True, True],
            [True, True, True, False, False],
            [True, False, False, False, False],
        ]
    )
    return h, s_prev, params, mask


def with_empty_row(inputs):
    """The inputs plus a fourth row, a copy of row 0 with no real token."""
    h, s_prev, params, mask = inputs
    empty = np.zeros((1, T_X), bool)
    return np.concatenate([h, h[:1]]), np.concatenate([s_prev, s_prev[:1]]), params, np.concatenate([mask, empty])


def test_registry_keys():
    assert list(PITFALLS) == ["softmax_axis", "min_fill", "neg_inf", "large_negative", "no_time_axis", "integer_inputs"]
    assert set(CODE) == set(PITFALLS)


def test_softmax_over_size_one_axis(inputs):
    h, s_prev, params, _ = inputs
    result = softmax_over_size_one_axis(h, s_prev, params)
    assert isinstance(result, PitfallResult) and result.key == "softmax_axis" and result.error is None
    assert result.buggy["alpha"].shape == (BATCH, T_X)
    # exp(e - e) / exp(e - e) = 1; a softmax kernel may round it to 1 - 2⁻²⁴ (seen on AMD EPYC)
    np.testing.assert_allclose(result.buggy["alpha"], 1.0, rtol=0, atol=1e-6)
    np.testing.assert_allclose(result.buggy["context"], h.sum(axis=1), atol=1e-5)
    np.testing.assert_allclose(result.correct["alpha"].sum(axis=1), 1.0, atol=1e-6)
    reference = bahdanau_attention(h, s_prev, params).numpy()
    np.testing.assert_allclose(result.correct["e"], reference.e, atol=1e-5)
    np.testing.assert_allclose(result.correct["alpha"], reference.alpha, atol=1e-6)
    np.testing.assert_allclose(result.correct["context"], reference.context, atol=1e-5)


def test_min_fill_keeps_weight_on_padding(inputs):
    h, s_prev, params, mask = inputs
    result = min_fill_mask(h, s_prev, params, mask)
    assert np.all(result.buggy["alpha"][~mask] > 0)
    assert np.all(result.correct["alpha"][~mask] == 0)
    np.testing.assert_allclose(result.correct["alpha"].sum(axis=1), 1.0, atol=1e-6)
    assert not np.allclose(result.buggy["context"][1:], result.correct["context"][1:], atol=1e-4)


def test_neg_inf_gives_nan_on_the_fully_masked_row(inputs):
    h, s_prev, params, mask = with_empty_row(inputs)
    result = neg_inf_fully_masked(h, s_prev, params, mask)
    assert np.all(np.isnan(result.buggy["alpha"][-1])) and np.all(np.isnan(result.buggy["context"][-1]))
    assert not np.isnan(result.buggy["alpha"][:-1]).any()  # -inf is exact on rows with a real token
    np.testing.assert_allclose(result.buggy["alpha"][:-1], result.correct["alpha"][:-1], atol=1e-6)
    assert np.all(result.correct["alpha"][-1] == 0) and np.all(result.correct["context"][-1] == 0)
    assert result.correct["fully_masked"].tolist() == [False, False, False, True]


def test_large_negative_gives_uniform_weights_on_the_fully_masked_row(inputs):
    h, s_prev, params, mask = with_empty_row(inputs)
    result = large_negative_fully_masked(h, s_prev, params, mask)
    np.testing.assert_allclose(result.buggy["alpha"][-1], np.full(T_X, 1 / T_X), atol=1e-7)
    np.testing.assert_allclose(result.buggy["context"][-1], h[-1].mean(axis=0), atol=1e-5)
    assert np.all(result.correct["alpha"][-1] == 0) and np.all(result.correct["context"][-1] == 0)


def test_no_time_axis_silent_when_batch_equals_T_x(inputs):
    h, s_prev, params, _ = inputs
    h_sq, s_sq = square_batch(h, s_prev)
    assert h_sq.shape[0] == h_sq.shape[1] == s_sq.shape[0] == T_X
    result = query_without_time_axis(h_sq, s_sq, params)
    assert result.error is None
    assert result.buggy["e"].shape == result.correct["e"].shape == (T_X, T_X)
    assert not np.allclose(result.buggy["e"], result.correct["e"], atol=1e-3)
    assert not np.allclose(result.buggy["alpha"], result.correct["alpha"], atol=1e-3)
    # The wrong axis, exactly: position j of every row was scored with the query of row j.
    W1_h = np.einsum("btd,da->bta", h_sq, params.W1)
    W2_s = s_sq @ params.W2
    expected = np.tanh(W1_h + W2_s[None, :, :] + params.b) @ params.v
    np.testing.assert_allclose(result.buggy["e"], expected, atol=1e-5)


def test_no_time_axis_raises_when_batch_differs_from_T_x(inputs):
    h, s_prev, params, _ = inputs
    result = query_without_time_axis(h, s_prev, params)  # batch 3, T_x 5
    assert result.error is not None
    assert "Incompatible shapes" in result.error and "\n" not in result.error
    assert result.error.startswith("InvalidArgumentError: ")
    assert all(a is None for a in result.buggy.values())
    assert result.correct["e"].shape == (BATCH, T_X)


def test_no_time_axis_with_one_row_is_right_by_accident(inputs):
    h, s_prev, params, _ = inputs
    result = query_without_time_axis(h[:1], s_prev[:1], params)
    assert result.error is None
    np.testing.assert_allclose(result.buggy["e"], result.correct["e"], atol=1e-6)


def test_integer_inputs_raise_a_dtype_error(inputs):
    h, s_prev, params, _ = inputs
    h_int = np.rint(10 * h).astype(np.int32)
    result = integer_inputs(h_int, s_prev, params)
    assert result.error and ("int" in result.error or "dtype" in result.error)
    assert result.buggy["context"] is None
    assert np.all(np.isfinite(result.correct["context"]))
    reference = bahdanau_attention(h_int.astype(np.float32), s_prev, params).numpy()
    np.testing.assert_allclose(result.correct["context"], reference.context, atol=1e-4)


def test_integer_inputs_reject_float_states(inputs):
    h, s_prev, params, _ = inputs
    with pytest.raises(TypeError, match="float32"):
        integer_inputs(h, s_prev, params)


@pytest.mark.parametrize("key", list(PITFALLS))
def test_run_pitfall_is_deterministic(inputs, key):
    h, s_prev, params, mask = inputs
    first, second = run_pitfall(key, h, s_prev, params, mask), run_pitfall(key, h, s_prev, params, mask)
    assert first.key == key and first.buggy_code and first.fixed_code
    assert first.error == second.error
    for side in ("buggy", "correct"):
        a, b = getattr(first, side), getattr(second, side)
        assert a.keys() == b.keys()
        for name in a:
            if a[name] is None:
                assert b[name] is None
            else:
                np.testing.assert_array_equal(a[name], b[name])
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.key = "other"  # type: ignore[misc]


def test_run_pitfall_prepares_each_case(inputs):
    h, s_prev, params, mask = inputs
    assert run_pitfall("neg_inf", h, s_prev, params, mask).buggy["alpha"].shape == (BATCH + 1, T_X)
    assert np.isnan(run_pitfall("neg_inf", h, s_prev, params, mask).buggy["alpha"][-1]).all()
    large = run_pitfall("large_negative", h, s_prev, params)  # mask None: default_mask, then an empty row
    np.testing.assert_allclose(large.buggy["alpha"][-1], 1 / T_X, atol=1e-7)
    silent = run_pitfall("no_time_axis", h[:1], s_prev[:1], params)  # one row in: a T_x × T_x batch out
    assert silent.error is None and silent.buggy["e"].shape == (T_X, T_X)
    assert not np.allclose(silent.buggy["e"], silent.correct["e"], atol=1e-3)
    assert run_pitfall("no_time_axis", np.concatenate([h, h]), np.concatenate([s_prev, s_prev]), params).error is None
    assert "int32" in run_pitfall("integer_inputs", h, s_prev, params).error
    assert (~default_mask(BATCH, T_X)).any()


def test_run_pitfall_unknown_key_lists_valid_keys(inputs):
    h, s_prev, params, mask = inputs
    with pytest.raises(ValueError, match="softmax_axis") as info:
        run_pitfall("softmax", h, s_prev, params, mask)
    assert "'softmax'" in str(info.value) and "integer_inputs" in str(info.value)


def test_run_pitfall_rejects_a_mask_of_the_wrong_shape(inputs):
    h, s_prev, params, mask = inputs
    with pytest.raises(ValueError, match=r"mask.shape=\(3, 4\)"):
        run_pitfall("min_fill", h, s_prev, params, mask[:, :4])


@pytest.mark.parametrize("key", ["min_fill", "neg_inf", "large_negative"])
def test_mask_code_lines_compute_what_the_result_shows(inputs, key):
    h, s_prev, params, mask = with_empty_row(inputs)
    result = run_pitfall(key, h, s_prev, params, mask)
    e, mask_tf = tf.constant(result.buggy["e"]), tf.constant(mask)
    for code, side in ((result.buggy_code, result.buggy), (result.fixed_code, result.correct)):
        namespace = {"tf": tf, "np": np, "e": e, "mask": mask_tf}
        exec(code, namespace)
        np.testing.assert_allclose(namespace["alpha"].numpy(), side["alpha"], atol=1e-6)


def test_other_code_lines_compute_what_the_result_shows(inputs):
    h, s_prev, params, _ = inputs
    softmax = softmax_over_size_one_axis(h, s_prev, params)
    for code, side in ((softmax.buggy_code, softmax.buggy), (softmax.fixed_code, softmax.correct)):
        namespace = {"tf": tf, "e": tf.constant(side["e"][:, :, None])}
        exec(code, namespace)
        np.testing.assert_allclose(namespace["alpha"].numpy()[:, :, 0], side["alpha"], atol=1e-6)

    h_sq, s_sq = square_batch(h, s_prev)
    silent = query_without_time_axis(h_sq, s_sq, params)
    trace = bahdanau_attention(h_sq, s_sq, params).numpy()
    for code, side in ((silent.buggy_code, silent.buggy), (silent.fixed_code, silent.correct)):
        namespace = {"W1_h": trace.W1_h, "W2_s": trace.W2_s, "b": params.b}
        exec(code, namespace)
        np.testing.assert_allclose(namespace["pre_activation"], side["pre_activation"], atol=1e-5)

    h_int = np.rint(10 * h).astype(np.int32)
    integer = integer_inputs(h_int, s_prev, params)
    namespace = {"tf": tf, "alpha": tf.constant(integer.correct["alpha"]), "h": tf.constant(h_int)}
    with pytest.raises(tf.errors.InvalidArgumentError):
        exec(integer.buggy_code, namespace)
    exec(integer.fixed_code, namespace)
    np.testing.assert_allclose(namespace["c"].numpy(), integer.correct["context"], atol=1e-4)
