"""``load_pretrained(kind)``: every shipped translator by its name, recurrent (``translator.MODEL_KINDS`` and the
models folder) or Transformer (``nn.transformer.TRANSFORMER_MODELS``)."""

from __future__ import annotations

from attention_core.decoding.transformer_translator import TransformerTranslator, load_transformer
from attention_core.decoding.translator import Translator
from attention_core.decoding.translator import load_pretrained as load_recurrent
from attention_core.nn.transformer import TRANSFORMER_MODELS


def load_pretrained(kind: str = "attention") -> Translator | TransformerTranslator:
    """A shipped trained translator, built and warmed (one per process and kind).

    ``"transformer"``, ``"transformer_no_causal_mask"`` and ``"toy_en_zh_transformer"`` give a
    ``TransformerTranslator``; every other kind is ``translator.load_pretrained``'s.
    """
    if kind in TRANSFORMER_MODELS:
        return load_transformer(kind)
    return load_recurrent(kind)
