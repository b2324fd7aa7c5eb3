"""The masking page's last part: the Transformer's own masks. The padding's, on the same batch with and without
it; the causal one, shown by a model trained without it.

The two Transformers (``catalog.Model.causal_pair``) were trained alike on the toy French data. Their
figures come from the evaluation file; the translations, the batch and the self-attention read at once come
from the models (``TransformerTranslator.decode_batch``, ``read_reference``), the weight on padding and on
later words from ``attention_core.decoding.masking``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from attention_core.decoding.masking import future_weight, padding_weight
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


def written(decode, k: int, extra_steps: int) -> str:
    """Row ``k``'s words up to its <end>, or as many as it would write alone (its words + ``extra_steps``: the
    batch goes on to the padded length's); a row with no words: a dash."""
    if not decode.tokens[k]:
        return "—"
    words = []
    for step in decode.steps[: len(decode.tokens[k]) + extra_steps]:
        if step.chosen[k] == "<end>":
            break
        words.append(step.chosen[k])
    return " ".join(words)


def padding_table(rows: tuple[str, ...], causal_kind: str) -> pd.DataFrame:
    """The batch through the Transformer with its padding mask and without: per row, the most weight its
    cross-attention (the last layer's heads averaged) puts on padding at any step, and the two translations."""
    translator = compute.pretrained_kind(causal_kind)
    longest = max(len(translator.tokenizer(row)) for row in rows)
    # two padding positions at least, as the recurrent batch has; within the positions the model holds
    pad_to = min(max(longest + 2, 4), translator.max_source_tokens)
    masked = compute.decode_batch(rows, "correct", pad_to, causal_kind)
    unmasked = compute.decode_batch(rows, "none", pad_to, causal_kind)
    extra = translator.config.extra_target_steps
    leaks = np.stack([padding_weight(step.trace.alpha, unmasked.mask) for step in unmasked.steps])  # (steps, batch)
    shown = [k for k in range(len(rows)) if unmasked.tokens[k]]
    return pd.DataFrame(
        {
            t("causal.row"): [k + 1 for k in shown],
            t("mask.real_tokens"): [len(unmasked.tokens[k]) for k in shown],
            t("causal.pad_weight"): [float(np.nanmax(leaks[:, k])) for k in shown],
            t("causal.with_pad_mask"): [written(masked, k, extra) for k in shown],
            t("causal.without_pad_mask"): [written(unmasked, k, extra) for k in shown],
        }
    )


def comparison(rows: tuple[str, ...], model: str) -> None:
    """The section on the batch's longest sentence (a one-word row is no sentence to a Transformer), for a
    model with a causal pair (not on a slide: the page's slides are the padding's)."""
    pair = catalog.get(model).causal_pair
    text = max(rows, key=lambda row: len(row.split()), default="").strip()
    if pair is None or not text or page_frame.presenting():
        return
    causal_kind, leaky_kind = pair
    st.subheader(t("causal.padding_title"))
    st.markdown(t("causal.padding_intro"))
    with st.spinner(t("spinner.model")):
        table = padding_table(rows, causal_kind)
    weight = st.column_config.NumberColumn(help=t("mask.leak_help"), format="%.3f", width="small")
    st.dataframe(table, hide_index=True, column_config={t("causal.pad_weight"): weight})
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
