"""Additive vs dot vs general vs scaled dot-product scores on the same encoder and decoder states."""

import numpy as np
import pandas as pd
import streamlit as st

from ui import compute, exports, figures, layout, state
from ui.strings import prose, t

NAMES = ("text", "src", "step", "score")
layout.page_start("score_functions", NAMES, "score.title")

layout.sentence_inputs(with_source=True, with_target=False)
text, source = state.commit("text"), state.commit("src")
layout.stop_without_words(text, NAMES)

with st.spinner(t("spinner.model")):
    translation = compute.translate(text, source, None)
    translator = compute.translator(source)
layout.stop_without_words(translation.source_tokens, NAMES)
layout.translation_notices(translation, source)

n_steps = len(translation.steps)
layout.clamp_step(n_steps)
st.select_slider(
    t("step.decoder_step"),
    options=list(range(1, n_steps + 1)),
    format_func=lambda i: f"i = {i} → {translation.steps[i - 1].chosen}",
    key=state.widget_key("step"),
)
step = translation.steps[state.commit("step") - 1]
st.info(t("score.untrained", model=t(f"input.source.{source}")), icon=":material/school:")

params = translator.params
d_h, d_s, d_a = translation.h.shape[-1], step.s_prev.shape[-1], params.v.shape[0]
# The toy model has d_s = d_h, so dot products of h and s are defined. For a score that
# means something without training its own weights, general uses the bilinear form of the
# trained projections, W_a = W1 W2ᵀ: e = (W1ᵀ h)·(W2ᵀ s).
W_a = params.W1 @ params.W2.T  # (d_h, d_s)
traces = {"additive": step.trace, **compute.score_function_traces(translation.h, step.s_prev, W_a)}
equations = {
    "additive": r"e_{ij} = v^\top \tanh(W_1 h_j + W_2 s_{i-1} + b)",
    "dot": r"e_{ij} = s_{i-1}^\top h_j",
    "general": r"e_{ij} = h_j^\top W_a\, s_{i-1},\quad W_a = W_1 W_2^\top",
    "scaled_dot": r"e_{ij} = s_{i-1}^\top h_j / \sqrt{d_h}",
}

alpha = np.stack([traces[k].alpha for k in traces])  # (4, T_x)
rows = []
for name, trace in traces.items():
    probabilities = translator.output_distribution(step.s_prev, trace.context)
    best = int(np.argmax(probabilities))
    rows.append(
        {
            t("score.column"): t(f"score.name.{name}"),
            t("score.argmax"): translation.source_tokens[int(np.argmax(trace.alpha))],
            t("score.word"): f"{translator.target.token(best)} ({probabilities[best]:.2f})",
            t("score.tv"): 0.5 * float(np.abs(trace.alpha - traces["additive"].alpha).sum()),
        }
    )

figure = figures.heatmap(
    alpha,
    [t(f"score.name.{k}") for k in traces],
    translation.source_tokens,
    t("score.alpha"),
    "",
    t("axis.source"),
    "α",
    domain=(0.0, 1.0),
)
exports.show_figure(figure, key=f"scores_alpha_step{step.i}")
st.dataframe(pd.DataFrame(rows).set_index(t("score.column")), width="stretch")
if layout.presenting():
    # A slide: the four α side by side with what each picks; the reading notes, the equation
    # cards and the difference chart are for the page, not the projector.
    state.write_url(NAMES)
    st.stop()
st.markdown(prose("score_reading"))

for pair in (("additive", "dot"), ("general", "scaled_dot")):
    for column, name in zip(st.columns(2), pair):
        with column.container(border=True):
            st.markdown(f"**{t(f'score.name.{name}')}**")
            st.latex(equations[name])
            st.caption(t(f"score.shapes.{name}"))
st.caption(t("score.projection", d_s=d_s, d_h=d_h, d_a=d_a))

others = [name for name in compute.SCORE_FUNCTIONS if name != "additive"]
layout.choice("score", t("score.compare"), others, lambda k: t(f"score.name.{k}"))
other = state.commit("score")
state.write_url(NAMES)
difference = traces[other].alpha - traces["additive"].alpha
exports.show_figure(
    figures.bars(
        difference,
        translation.source_tokens,
        t("score.difference", other=t(f"score.name.{other}")),
        t("axis.source"),
        "Δα",
    ),
    key=f"scores_diff_{other}_step{step.i}",
)
