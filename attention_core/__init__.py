"""Bahdanau (additive) attention with every intermediate exposed, and a small trained translator.

Names are imported on first use, so ``from attention_core import tokenize`` does not
load TensorFlow (it costs seconds and hundreds of MB; the home page needs none of it).
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "AdditiveParams": "attention_core.attention",
    "AttentionTrace": "attention_core.attention",
    "MASK_STRATEGIES": "attention_core.names",
    "SCORE_FUNCTIONS": "attention_core.names",
    "PITFALL_KEYS": "attention_core.names",
    "bahdanau_attention": "attention_core.attention",
    "dot_attention": "attention_core.attention",
    "general_attention": "attention_core.attention",
    "scaled_dot_attention": "attention_core.attention",
    "masked_softmax": "attention_core.attention",
    "BahdanauAttention": "attention_core.layer",
    "tokenize": "attention_core.text",
    "Tokens": "attention_core.text",
    "MAX_TOKENS": "attention_core.text",
    "load_pretrained": "attention_core.translator",
    "load_free_text": "attention_core.translator",
    "Translator": "attention_core.translator",
    "Translation": "attention_core.translator",
    "DecoderStep": "attention_core.translator",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'attention_core' has no attribute {name!r}")
