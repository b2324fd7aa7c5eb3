"""One decoder step, one equation at a time, with the live tensors of that equation."""

import numpy as np
import streamlit as st

from ui import compute, equations, exports, layout, state
from ui.strings import t

NAMES = ("text", "src", "target", "step", "eq")
layout.page_start("step_through", NAMES, "step.title")
presenting = layout.presenting()


layout.sentence_inputs(with_source=True, with_target=True)
text, source, target = state.commit("text"), state.commit("src"), state.commit("target")

layout.stop_without_words(text, NAMES)

with st.spinner(t("spinner.model")):
    translation = compute.translate(text, source, target.strip() or None)
    translator = compute.translator(source)

layout.stop_without_words(translation.source_tokens, NAMES)
layout.translation_notices(translation, source)
if translation.forced:
    st.caption(t("step.forced"))

st.markdown(f"**{t('step.source')}** {layout.token_line(translation.source_tokens, translation.unknown_source)}")
st.markdown(
    f"**{t('step.output')}** {layout.token_line(translation.target_tokens) if translation.target_tokens else '—'}"
)

n_steps = len(translation.steps)
layout.clamp_step(n_steps)


def _move(delta: int) -> None:
    eq, step = state.get("eq") + delta, state.get("step")
    if eq > 7 and step < n_steps:
        eq, step = 1, step + 1  # past y_i: the next decoder step starts again at W1 h_j
    elif eq < 1 and step > 1:
        eq, step = 7, step - 1
    state.put("eq", min(max(eq, 1), 7))
    state.put("step", step)


def _step_label(i: int) -> str:
    s = translation.steps[i - 1]
    return f"i = {i} → {s.chosen}"


nav = st.columns([1, 4, 1]) if not presenting else st.columns([1, 1, 1])
nav[0].button(
    t("step.previous"),
    on_click=_move,
    args=(-1,),
    width="stretch",
    shortcut="PageUp" if presenting else "Left",
    disabled=state.get("eq") == 1 and state.get("step") == 1,
)
nav[2].button(
    t("step.next"),
    on_click=_move,
    args=(1,),
    type="primary",
    width="stretch",
    shortcut="PageDown" if presenting else "Right",
    disabled=state.get("eq") == 7 and state.get("step") == n_steps,
)
with nav[1]:
    if presenting:
        s = translation.steps[state.get("step") - 1]
        st.markdown(f"### i = {s.i} → {layout.token_line([s.chosen])}")
    else:
        st.select_slider(
            t("step.decoder_step"),
            options=list(range(1, n_steps + 1)),
            format_func=_step_label,
            key=state.widget_key("step"),
        )
step_number = state.commit("step")
if not presenting:
    layout.choice("eq", t("step.equation"), equations.EQUATIONS, lambda k: f"{k}. {t(f'eq.{k}.name')}")
eq = state.commit("eq")
state.write_url(NAMES)

step = translation.steps[step_number - 1]
params = translator.params
T_x = len(translation.source_tokens)
d_a = params.W1.shape[1]
if presenting:
    j, a = int(np.argmax(step.trace.alpha)), 0
else:
    pick = st.columns(2)
    j = pick[0].selectbox(
        t("step.entry_j"),
        options=list(range(T_x)),
        index=int(np.argmax(step.trace.alpha)),
        format_func=lambda k: f"j = {k + 1}: {translation.source_tokens[k]}",
        key=f"entry_j_{step_number}_{T_x}",
    )
    a = (
        pick[1].number_input(
            t("step.entry_a"),
            min_value=1,
            max_value=d_a if eq != 6 else translation.h.shape[1],
            value=1,
            key=f"entry_a_{eq}",
        )
        - 1
    )

shown = equations.view(eq, translation, step_number - 1, j, a, params, translator.output_weights, translator.target)
st.subheader(f"{eq}. {t(f'eq.{eq}.name')}")
st.latex(equations.LATEX[eq])
st.caption(t(f"eq.{eq}.explain"))
st.latex(shown.latex)
for fact in shown.facts:
    st.success(fact, icon=":material/check_circle:")

chart_col, table_col = st.columns([3, 2]) if not presenting else (st.container(), None)
with chart_col:
    exports.show_figure(shown.figure, key=f"eq{eq}_step{step_number}")
if table_col is not None:
    with table_col:
        st.caption(t("step.shape", shape=" × ".join(str(n) for n in shown.shape)))
        st.dataframe(shown.table, width="stretch", height=min(420, 38 + 35 * len(shown.table)))
        exports = (
            ("export.csv", exports.csv_bytes(shown.table), f"step{step_number}_eq{eq}.csv", "text/csv"),
            ("export.npz", exports.npz_bytes(shown.arrays), f"step{step_number}.npz", "application/octet-stream"),
        )
        for column, (label, data, file_name, mime) in zip(st.columns(2), exports):
            column.download_button(t(label), data=data, file_name=file_name, mime=mime, on_click="ignore")
    with st.expander(t("step.code")):
        st.code(equations.source_code(eq), language="python")
