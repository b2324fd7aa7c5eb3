"""An independent pure-numpy reference of additive (Bahdanau) attention.

Written from the equations, not from ``attention_core``:

    e_j = vᵀ tanh(h_j W1 + s_prev W2 + b)      W1 (d_h, d_a) applied as ``h_j @ W1``
    α_j = exp(e_j) / Σ_{k real} exp(e_k)       for a real token j; α_j = 0 for a masked one
    c   = Σ_j α_j h_j

A row with no real token has α = 0 and c = 0. By default every computation runs in
float64; ``dtype=np.float16`` runs it in float16 end to end (for a loose comparison
that shows what a half-precision implementation would give).
"""

from __future__ import annotations

import numpy as np


def reference_masked_softmax(e, mask=None, dtype=np.float64):
    """α over the real tokens of each row, row by row with plain loops.

    Args:
        e: ``(batch, T_x)`` scores.
        mask: ``(batch, T_x)`` bool, True = real token; None = all real.
    """
    e = np.asarray(e, dtype=dtype)
    batch, T_x = e.shape
    mask = np.ones((batch, T_x), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    alpha = np.zeros((batch, T_x), dtype=dtype)
    for i in range(batch):
        real = [j for j in range(T_x) if mask[i, j]]
        if not real:
            continue  # α stays exactly 0
        top = max(e[i, j] for j in real)
        exps = {j: np.exp(e[i, j] - top) for j in real}
        total = e.dtype.type(0)
        for j in real:
            total = total + exps[j]
        for j in real:
            alpha[i, j] = exps[j] / total
    return alpha


def reference_additive(h, s_prev, W1, W2, b, v, mask=None, dtype=np.float64):
    """Additive attention for one decoder step. Returns ``(e, alpha, context)``.

    Args:
        h: ``(batch, T_x, d_h)`` encoder states.
        s_prev: ``(batch, d_s)`` previous decoder state.
        W1: ``(d_h, d_a)``; W2: ``(d_s, d_a)``; b, v: ``(d_a,)``.
        mask: ``(batch, T_x)`` bool, True = real token; None = all real.
        dtype: the arithmetic precision (float64 by default).

    ``e`` is the raw score, before any mask.
    """
    h, s_prev, W1, W2, b, v = (np.asarray(x, dtype=dtype) for x in (h, s_prev, W1, W2, b, v))
    batch, T_x, d_h = h.shape
    d_a = v.shape[0]
    assert W1.shape == (d_h, d_a) and W2.shape == (s_prev.shape[1], d_a) and b.shape == (d_a,)
    e = np.zeros((batch, T_x), dtype=dtype)
    for i in range(batch):
        query = s_prev[i] @ W2  # (d_a,), the same for every j
        for j in range(T_x):
            e[i, j] = v @ np.tanh(h[i, j] @ W1 + query + b)
    alpha = reference_masked_softmax(e, mask, dtype=dtype)
    context = np.zeros((batch, d_h), dtype=dtype)
    for i in range(batch):
        for j in range(T_x):
            context[i] = context[i] + alpha[i, j] * h[i, j]
    return e, alpha, context
