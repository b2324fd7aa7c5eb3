"""What a mask strategy lets through: the attention weight that lands on padding.

A padded batch gives every row the same length ``T_x``; ``mask`` says which positions hold a real
token. A strategy that masks correctly gives padding no weight at all; any weight padding keeps
is taken from the real tokens, and the padding's encoder states leak into the context.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def padding_weight(alpha: Any, mask: Any) -> np.ndarray:
    r"""The attention weight each row puts on padding (the leak).

    .. math:: \mathrm{leak}_k = \sum_{j \,:\, \mathrm{mask}_{kj} = \mathrm{False}} \alpha_{kj}

    Args:
        alpha: ``(batch, T_x)`` attention weights of one decoder step.
        mask: ``(batch, T_x)`` bool, True for a real token.

    Returns:
        ``(batch,)`` float. It is 0 under the correct mask, and lies in [0, 1] for a row whose
        weights sum to 1. A NaN weight on padding (a fully masked row under the ``neg_inf``
        strategy) makes the row's leak NaN: undefined, not 0; a NaN on a real token is not counted.
    """
    alpha, mask = np.asarray(alpha), np.asarray(mask, dtype=bool)
    if alpha.ndim != 2 or alpha.shape != mask.shape:
        raise ValueError(
            f"padding_weight expects alpha and mask of one shape (batch, T_x). "
            f"Received: alpha.shape={alpha.shape}, mask.shape={mask.shape}"
        )
    return np.where(mask, 0.0, alpha).sum(axis=1)


def future_weight(alpha: Any) -> np.ndarray:
    r"""The weight each query of a self-attention puts on keys after it (what a causal mask forbids).

    .. math:: \mathrm{ahead}_t = \sum_{s > t} \alpha_{ts}

    Args:
        alpha: ``(..., T, T)`` self-attention weights, query positions on the second-to-last axis,
            key positions on the last (the decoder's: ``<start>``, y_1, … read at once).

    Returns:
        ``(..., T)`` float. 0 everywhere under the causal mask; a decoder trained without it learns to
        read the word it must write from the next position, and puts its weight there.
    """
    alpha = np.asarray(alpha, dtype=np.float64)
    if alpha.ndim < 2 or alpha.shape[-1] != alpha.shape[-2]:
        raise ValueError(f"future_weight expects (..., T, T) self-attention weights. Received: shape={alpha.shape}")
    later = np.triu(np.ones(alpha.shape[-2:], dtype=bool), k=1)  # key s after query t
    return np.where(later, alpha, 0.0).sum(axis=-1)
