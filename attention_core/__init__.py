"""Bahdanau (additive) attention with every intermediate exposed, and a small trained translator.

Names are imported on first use, so ``from attention_core import tokenize`` does not
load TensorFlow (it costs seconds and hundreds of MB; the home page needs none of it).
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "AdditiveParams": "attention_core.nn.attention",
    "AttentionTrace": "attention_core.nn.attention",
    "MASK_STRATEGIES": "attention_core.names",
    "SCORE_FUNCTIONS": "attention_core.names",
    "PITFALL_KEYS": "attention_core.names",
    "bahdanau_attention": "attention_core.nn.attention",
    "dot_attention": "attention_core.nn.attention",
    "general_attention": "attention_core.nn.attention",
    "scaled_dot_attention": "attention_core.nn.attention",
    "masked_softmax": "attention_core.nn.attention",
    "BahdanauAttention": "attention_core.nn.layer",
    "tokenize": "attention_core.data.text",
    "Tokens": "attention_core.data.text",
    "MAX_TOKENS": "attention_core.data.text",
    "load_pretrained": "attention_core.decoding.pretrained",
    "TransformerTranslator": "attention_core.decoding.transformer_translator",
    "TransformerTranslation": "attention_core.decoding.transformer_translator",
    "TransformerStep": "attention_core.decoding.transformer_translator",
    "MultiHeadTrace": "attention_core.nn.multihead",
    "MultiHeadParams": "attention_core.nn.multihead",
    "multi_head_attention": "attention_core.nn.multihead",
    "load_free_text": "attention_core.decoding.translator",
    "Translator": "attention_core.decoding.translator",
    "Translation": "attention_core.decoding.translator",
    "DecoderStep": "attention_core.decoding.translator",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'attention_core' has no attribute {name!r}")
