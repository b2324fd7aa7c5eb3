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
