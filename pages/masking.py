"""The same padded batch with and without a mask, side by side."""

import numpy as np
import pandas as pd
import streamlit as st

from ui import compute, figures, layout, state
from ui.strings import t

NAMES = ("batch", "strategy", "step")
MAX_ROWS = 4
PAD = "·"

layout.page_start("masking", NAMES, "mask.title")

if not layout.presenting():
    st.text_area(t("mask.batch"), key=state.widget_key("batch"), help=t("mask.batch_help"), height=130)
batch_text = state.commit("batch")
lines = batch_text.split("\n")
while lines and not lines[-1].strip() and len(lines) > 2:
    lines.pop()  # a trailing newline is not a row; an empty line between others is a fully padded row
if len(lines) > MAX_ROWS or not any(line.strip() for line in lines):
    st.warning(t("mask.bad_batch"), icon=":material/warning:")
    lines = (
        lines[:MAX_ROWS]
        if any(line.strip() for line in lines[:MAX_ROWS])
        else state.PARAMS["batch"].default.split("\n")[:2]
    )
rows = tuple(lines[:MAX_ROWS])

layout.choice("strategy", t("mask.strategy"), compute.MASK_STRATEGIES, lambda s: t(f"mask.strategy.{s}"))
strategy = state.commit("strategy")
st.caption(t(f"mask.strategy_explain.{strategy}"))

with st.spinner(t("spinner.model")):
    longest = max(len(compute.tokenize(r)) for r in rows)
    pad_to = max(longest + 2, 4)  # at least two padding positions, so padding always shows
    unmasked = compute.decode_batch(rows, "none", pad_to)
    masked = compute.decode_batch(rows, strategy, pad_to)
    correct = compute.decode_batch(rows, "correct", pad_to)

n_steps = min(len(unmasked.steps), len(masked.steps), len(correct.steps))
if n_steps == 0:
    st.info(t("mask.no_steps"))
    state.write_url(NAMES)
    st.stop()
layout.clamp_step(n_steps)
st.select_slider(t("mask.step"), options=list(range(1, n_steps + 1)), key=state.widget_key("step"))
i = state.commit("step") - 1
state.write_url(NAMES)


def summary(decode, reference) -> pd.DataFrame:
    step, ref = decode.steps[i], reference.steps[i]
    alpha = step.trace.alpha
    leak = np.where(decode.mask, 0.0, alpha).sum(axis=1)  # α mass on padding, per row
    delta = np.linalg.norm(step.trace.context - ref.trace.context, axis=1)
    return pd.DataFrame(
        {
            t("mask.real_tokens"): decode.mask.sum(axis=1),
            t("mask.leak"): leak,
            t("mask.delta_c"): delta,
            t("mask.word"): step.chosen,
            t("mask.word_changed"): [a != b for a, b in zip(step.chosen, ref.chosen)],
        },
        index=[f"{t('mask.row')} {k + 1}" for k in range(len(rows))],
    )


column_labels = [f"{j + 1}" for j in range(unmasked.padded_length)]
row_labels = [" ".join(r[:3]) + (" …" if len(r) > 3 else "") if r else PAD for r in unmasked.tokens]
left, right = st.columns(2)
for side_name, side, decode, title in (
    ("left", left, unmasked, t("mask.side_left")),
    ("right", right, masked, t("mask.side_right", strategy=t(f"mask.strategy.{strategy}"))),
):
    with side:
        st.subheader(title)
        figure = figures.heatmap(
            decode.steps[i].trace.alpha,
            row_labels,
            column_labels,
            t("mask.alpha_chart"),
            t("mask.row"),
            t("axis.source"),
            "α",
            domain=(0.0, 1.0),
        )
        layout.show_figure(figure, key=f"mask_{side_name}_{decode.mask_strategy}_{i}")
        st.dataframe(summary(decode, correct), width="stretch")
        if np.isnan(decode.steps[i].trace.alpha).any():
            st.error(t("mask.nan"), icon=":material/error:")

for k, r in enumerate(unmasked.tokens):
    if not r:
        st.caption(t("mask.fully_padded", row=k + 1))

st.subheader(t("mask.invariance"))
for k, r in enumerate(correct.tokens):
    if not r:
        continue
    alone = compute.decode_batch((rows[k],), "correct", len(r))
    if i < len(alone.steps):
        gap = float(np.linalg.norm(alone.steps[i].trace.context[0] - correct.steps[i].trace.context[k]))
        st.write(t("mask.invariance_text", row=k + 1, length=correct.padded_length, gap=f"{gap:.2e}"))
