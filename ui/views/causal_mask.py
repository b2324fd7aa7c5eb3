"""The masking page's last part: the Transformer's own mask, the causal one, shown by a model trained without it.

The two Transformers (``catalog.Model.causal_pair``) were trained alike on the toy French data. Their
figures come from the evaluation file; the translations and the self-attention read at once come from
the models (``TransformerTranslator.read_reference``), the weight on later words from
``attention_core.decoding.masking.future_weight``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from attention_core.decoding.masking import future_weight
from ui.charts import figures
from ui.models import catalog, compute, evaluation_tables
from ui.strings import t
from ui.views import what_if
from ui.widgets import exports, page_frame, sentence_inputs


def figures_table(causal_kind: str, leaky_kind: str) -> pd.DataFrame:
    """Both models' teacher-forced and free-running figures on the held-out sentences (the evaluation file)."""
    models = evaluation_tables.evaluation_table()["models"]
    figures_shown = {
        "causal.forced_exact": "teacher_forced_exact_match",
        "causal.free_exact": "exact_match",
        "causal.free_words": "word_accuracy",
    }
    # one row per figure, one column per model: three columns fit a phone's screen
    columns = {t("causal.figure"): [t(key) for key in figures_shown]}
    for kind, name in ((causal_kind, t("causal.with_mask")), (leaky_kind, t("causal.without_mask"))):
        overall = models[kind]["overall"]
        columns[name] = [evaluation_tables.percent(overall[figure]) for figure in figures_shown.values()]
    return pd.DataFrame(columns)


def most_ahead(ahead: np.ndarray) -> tuple[int, int]:
    """The (layer, head), 1-based, whose rows put the most weight on later words, on average."""
    layer, head = np.unravel_index(int(np.argmax(ahead.mean(axis=-1))), ahead.shape[:2])
    return int(layer) + 1, int(head) + 1


def reading_map(reading, layer: int, head: int) -> figures.Figure:
    """The self-attention of ``layer`` and ``head`` (1-based) reading a translation at once: rows the
    positions writing, columns the words read (``ReferenceReading``)."""
    return figures.word_map(
        reading.self_alpha[layer - 1, head - 1],
        reading.written,
        reading.read,
        t("causal.map_title", layer=layer, head=head),
        t("toward.writing"),
        t("toward.reading"),
        "α",
        domain=(0.0, 1.0),
    )


def comparison(rows: tuple[str, ...], model: str) -> None:
    """The section on the batch's longest sentence (a one-word row is no sentence to a Transformer), for a
    model with a causal pair (not on a slide: the page's slides are the padding's)."""
    pair = catalog.get(model).causal_pair
    text = max(rows, key=lambda row: len(row.split()), default="").strip()
    if pair is None or not text or page_frame.presenting():
        return
    causal_kind, leaky_kind = pair
    st.subheader(t("causal.title"))
    st.markdown(t("causal.intro"))
    st.dataframe(figures_table(causal_kind, leaky_kind), hide_index=True)
    with st.spinner(t("spinner.model")):
        causal = compute.translate_kind(text, causal_kind)
        leaky = compute.translate_kind(text, leaky_kind)
        if not causal.source_tokens:
            return
        given = tuple(causal.target_tokens)
        leaky_reads = compute.read_reference(text, leaky_kind, given)
        causal_reads = compute.read_reference(text, causal_kind, given)
    st.markdown(
        t(
            "causal.translations",
            with_mask=t("causal.with_mask"),
            without_mask=t("causal.without_mask"),
            causal=sentence_inputs.token_line(list(causal.target_tokens)),
            leaky=what_if.changed_line(list(leaky.target_tokens), list(causal.target_tokens)),
        )
    )
    n = len(leaky_reads.written)
    st.markdown(t("causal.reading", right=leaky_reads.right, causal_right=causal_reads.right, n=n))
    ahead = future_weight(leaky_reads.self_alpha)  # (layers, heads, T)
    layer, head = most_ahead(ahead)
    figure = reading_map(leaky_reads, layer, head)
    exports.show_figure(figure, key=f"causal_layer{layer}_head{head}", caption=exports.about(text))
    causal_ahead = float(future_weight(causal_reads.self_alpha).max())
    st.caption(t("causal.map_caption", ahead=f"{ahead[layer - 1, head - 1].mean():.2f}", causal=f"{causal_ahead:.2f}"))
