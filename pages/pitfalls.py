"""Classic attention bugs, each run live next to the correct computation, with its one-line fix."""

import numpy as np
import streamlit as st

from ui import compute, figures, layout, state
from ui.strings import t

NAMES = ("batch", "pitfall")
layout.page_start("pitfalls", NAMES, "pit.title")

layout.choice("pitfall", t("pit.choose"), compute.PITFALL_KEYS, lambda k: t(f"pit.name.{k}"))
key = state.commit("pitfall")
state.write_url(NAMES)
st.markdown(t(f"pit.explain.{key}"))

rows = tuple(line for line in state.get("batch").split("\n")[:4] if line.strip()) or tuple(
    state.PARAMS["batch"].default.split("\n")
)
with st.spinner(t("spinner.model")):
    decoded = compute.decode_batch(rows, "correct", 0)
    params = compute.pretrained().params

st.caption(t("pit.sentence_note"))
h, s_prev, mask = decoded.h, decoded.steps[0].s_prev, decoded.mask  # (batch, T, d_h), (batch, d_s), (batch, T)
result = compute.run_pitfall(key, h, s_prev, params, mask)

code_left, code_right = st.columns(2)
code_left.markdown(f"**{t('pit.buggy')}**")
code_left.code(result.buggy_code, language="python", wrap_lines=True)
code_right.markdown(f"**{t('pit.fix')}**")
code_right.code(result.fixed_code, language="python", wrap_lines=True)
if result.error:
    st.markdown(f"**{t('pit.error')}**")
    st.code(result.error, language="text")


def alpha_figure(alpha, title: str):
    alpha = np.atleast_2d(np.asarray(alpha, dtype=np.float64))
    labels = [""] * alpha.shape[0]  # the figure numbers the rows
    return figures.heatmap(
        alpha, labels, [str(j + 1) for j in range(alpha.shape[1])], title, t("mask.row"), t("axis.source"), "α"
    )


left, right = st.columns(2)
for column, side, arrays in ((left, "buggy", result.buggy), (right, "correct", result.correct)):
    with column:
        st.subheader(t(f"pit.{side}"))
        if arrays.get("alpha") is not None:
            layout.show_figure(alpha_figure(arrays["alpha"], t("pit.alpha")), key=f"pit_{key}_{side}")
            alpha = np.asarray(arrays["alpha"], dtype=np.float64)
            st.caption(f"Σⱼ α = {np.round(alpha.reshape(alpha.shape[0], -1).sum(axis=1), 4).tolist()}")
            if np.isnan(alpha).any():
                st.error(t("mask.nan"), icon=":material/error:")
        if arrays.get("context") is not None:
            context = np.asarray(arrays["context"], dtype=np.float64)
            st.caption(f"‖c‖ = {np.round(np.linalg.norm(context.reshape(context.shape[0], -1), axis=1), 4).tolist()}")

buggy_alpha, correct_alpha = result.buggy.get("alpha"), result.correct.get("alpha")
if buggy_alpha is not None and correct_alpha is not None and np.shape(buggy_alpha) == np.shape(correct_alpha):
    gap = np.nanmax(np.abs(np.asarray(buggy_alpha, np.float64) - np.asarray(correct_alpha, np.float64)))
    has_nan = np.isnan(np.asarray(buggy_alpha, np.float64)).any()
    st.info(t("pit.same") if gap < 1e-6 and not has_nan else t("pit.differs", gap=f"{gap:.4f}"))

if key == "no_time_axis":
    T_x = h.shape[1]
    st.caption(t("pit.batch_eq_time", batch=T_x))
    raising = compute.query_without_time_axis(h[:1], s_prev[:1], params) if T_x != 1 else None
    if raising is not None and raising.error:
        st.caption(t("pit.batch_ne_time", batch=1, T_x=T_x))
        st.code(raising.error, language="text")
