"""What the model knows about a sentence: the toy language's reference translation and gold
alignment beside the model's, or a plain word that the sentence is outside that language. For a
model of one's own data the reference is the data's own pair of that sentence, and its gold
alignment only where the data has one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from ui.models import catalog, model_words
from ui.strings import t
from ui.widgets import page_frame, sentence_inputs

REFERENCE_OPEN = "reference_open"  # session: the word-by-word table stays open from sentence to sentence


def gold_comparison(translation, reference) -> pd.DataFrame:
    """One row per reference word: the gold source word it translates, the model's word there and
    the source word the model's α peaks on (blank where the model has no such step)."""
    source = translation.source_tokens
    rows = []
    for k, (word, g) in enumerate(zip(reference.fr, reference.align)):
        produced = translation.target_tokens[k] if k < len(translation.target_tokens) else ""
        looked = ""
        if translation.alpha is not None and k < len(translation.alpha):
            j = int(np.argmax(translation.alpha[k]))
            looked = f"{j + 1} {source[j]}"
        gold = f"{g + 1} {reference.en[g]}" if g >= 0 else "—"  # -1: the data links this word to none
        rows.append(
            {
                t("ref.col.k"): k + 1,
                t("ref.col.reference"): word,
                t("ref.col.gold"): gold,
                t("ref.col.model"): produced,
                t("ref.col.looks"): looked,
                t("ref.col.agree"): "✓" if produced == word and (looked == gold or g < 0) else "✗",
            }
        )
    return pd.DataFrame(rows)


def reference_summary(translation, reference, model: str) -> str:
    """Whether the model's words and its attention agree with the reference, in one sentence."""
    ref_line = sentence_inputs.token_line(list(reference.fr))
    own = catalog.get(model).own
    if list(translation.target_tokens) != list(reference.fr):
        differ = sum(a != b for a, b in zip(translation.target_tokens, reference.fr, strict=False)) + abs(
            len(translation.target_tokens) - len(reference.fr)
        )
        return t("own.ref.differs" if own else "ref.differs", reference=ref_line, n=differ)
    if translation.alpha is None or not model_words.has_gold(reference):
        return t("own.ref.agrees_words" if own else "ref.agrees_words", reference=ref_line)
    hits, total = model_words.alignment_hits(translation.alpha, reference)
    return t("own.ref.agrees" if own else "ref.agrees", reference=ref_line, hits=hits, total=total)


def reference_block(translation, model: str) -> None:
    """A sentence of the toy language (of a folder model's data): its reference and gold alignment
    next to the model's (not on a slide: the notices above already say what the room must know)."""
    if catalog.get(model).free_text or page_frame.presenting() or translation.unknown_source:
        return
    reference = model_words.reference_for(translation.source_tokens, model)
    if reference is None:
        return
    st.success(reference_summary(translation, reference, model), icon=":material/fact_check:")
    if not model_words.has_gold(reference):
        return  # data without a gold alignment: the words are all there is to compare
    table = st.expander(t("ref.table"), key=REFERENCE_OPEN, on_change="rerun")
    if table.open:  # built only when asked for, as the step page's downloads are
        with table:
            st.dataframe(gold_comparison(translation, reference), hide_index=True, width="stretch")
