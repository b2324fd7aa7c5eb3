"""The whole α matrix of a translation, and how it emerged during training."""

import numpy as np
import streamlit as st

from ui import compute, figures, layout, state
from ui.strings import t

NAMES = ("text", "target", "snap")
layout.page_start("alignment", NAMES, "align.title")

layout.sentence_inputs(with_source=False, with_target=True)
text, target = state.commit("text"), state.commit("target")
layout.stop_without_words(text, NAMES)

names = compute.snapshot_names()
snap = state.get("snap")
if snap >= len(names):
    st.warning(t("notice.bad_param", name="snap", value=str(snap), default="-1"), icon=":material/warning:")
    state.put("snap", -1)


def _snapshot_label(k: int) -> str:
    if k == -1 or k == len(names) - 1:
        return t("align.final")
    if k == 0:
        return t("align.untrained")
    return t("align.snapshot_label", pairs=f"{compute.snapshot_pairs_seen()[names[k]]:,}")


st.select_slider(
    t("align.snapshot"),
    options=[*range(len(names) - 1), -1],
    format_func=_snapshot_label,
    key=state.widget_key("snap"),
)
snap = state.commit("snap")
state.write_url(NAMES)

with st.spinner(t("spinner.model")):
    if snap == -1:
        translation = compute.translate(text, "toy", target.strip() or None)
    else:
        translation = compute.translate_at_snapshot(text, names[snap], target.strip() or None)

layout.translation_notices(translation, "toy")
layout.stop_without_words(translation.target_tokens and translation.source_tokens, NAMES)

figure = figures.heatmap(
    translation.alpha,
    translation.target_tokens,
    translation.source_tokens,
    t("align.heatmap"),
    t("axis.output"),
    t("axis.source"),
    "α",
    domain=(0.0, 1.0),
    row_pixels=32,
)
layout.show_figure(figure, key=f"alignment_{snap}")

reference = compute.reference_translation(translation.source_tokens)
if reference is not None and tuple(translation.target_tokens) == reference.fr:
    looks = np.argmax(translation.alpha, axis=1)
    hits = int(np.sum(looks == np.array(reference.align)))
    st.write(t("align.reference", hits=hits, total=len(reference.align)))
    classes = compute.word_classes()
    if any(classes[reference.en[g]] == "determiner" for g, k in zip(reference.align, looks) if g != k):
        st.caption(t("align.determiner_note"))
elif reference is None:
    st.caption(t("align.no_reference"))

if not layout.presenting():
    st.markdown(f"**{t('align.open_row')}**")
    choice = st.selectbox(
        t("axis.output"),
        options=list(range(len(translation.target_tokens))),
        format_func=lambda k: f"i = {k + 1} → {translation.target_tokens[k]}",
        label_visibility="collapsed",
    )
    if st.button(t("align.open"), icon=":material/stairs:"):
        state.put("step", choice + 1)
        state.put("eq", 5)
        st.switch_page("pages/step_through.py", query_params={"text": text, "step": str(choice + 1), "eq": "5"})
