"""The Score functions page's two views.

- **Trained models**: five models that differ only in their score (additive, dot, general,
  scaled dot, location), each on the person's sentence, and the evaluation file's table and
  chart of how well each one aligns.
- **Same states, other scores**: the chosen model's states under each formula, untrained:
  what each score computes, not how a model trained with it would look.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from ui.charts import figures
from ui.models import catalog, compute, evaluation_tables, model_words
from ui.session import state
from ui.strings import prose, t
from ui.widgets import exports, model_picker, notices, page_frame, sentence_inputs

EQUATIONS = {
    "additive": r"e_{ij} = v^\top \tanh(W_1 h_j + W_2 s_{i-1} + b)",
    "dot": r"e_{ij} = s_{i-1}^\top h_j",
    "general": r"e_{ij} = h_j^\top W_a\, s_{i-1},\quad W_a = W_1 W_2^\top",
    "scaled_dot": r"e_{ij} = s_{i-1}^\top h_j / \sqrt{d_h}",
}
MAPS_PER_ROW = 3
SLIDE_LEGEND_PX = 110  # the colour scale beside five rows of 28 px, their labels upright, on a slide


def score_name(score: str) -> str:
    return t(f"score.name.{score}")


def step_of(translation, i: int):
    """The model's own step ``i``, or its last one (its <end>) when its translation is shorter."""
    return translation.steps[min(i, len(translation.steps)) - 1]


def trained_translations(text: str) -> dict:
    """Score → that trained model's translation of ``text``, in ``TRAINED_SCORES`` order."""
    return {score: compute.translate_kind(text, compute.SCORE_KINDS[score]) for score in compute.TRAINED_SCORES}


def step_slider(translations: dict) -> int:
    """The decoder step, labelled with the shipped (additive) model's words; the longest translation sets the end."""
    shipped = translations["additive"].steps
    n_steps = max(len(tr.steps) for tr in translations.values())
    notices.clamp_step(n_steps)
    st.select_slider(
        t("step.decoder_step"),
        options=list(range(1, n_steps + 1)),
        format_func=lambda i: f"i = {i} → {shipped[i - 1].chosen}" if i <= len(shipped) else f"i = {i}",
        key=state.widget_key("step"),
        label_visibility=page_frame.slide_label(),
    )
    return state.commit("step")


def agreement(words: list[str], reference) -> str:
    """How a translation compares with the toy grammar's reference, in words."""
    if reference is None:
        return t("score.no_reference")
    gold = list(reference.fr)
    if words == gold:
        return t("score.matches_reference")
    return t("score.right_words", right=sum(a == b for a, b in zip(words, gold)), total=len(gold))


def step_comparison(translations: dict, i: int, reference) -> None:
    """α at step ``i`` of every trained model, one row each, and what each emits and looks at there."""
    tokens = translations["additive"].source_tokens
    alpha = np.stack([step_of(tr, i).trace.alpha for tr in translations.values()])  # (models, T_x)
    models = [t(f"score.short.{s}") for s in translations]
    shown_alpha, shown_models, shown_words = alpha, models, tokens
    if page_frame.presenting() and len(tokens) > figures.SLIDE_MAP_COLUMNS:
        # a long sentence on a slide: the source words around where the additive model looks, each labelled
        columns = figures.looked_window(np.argmax(alpha[0]), figures.SLIDE_MAP_COLUMNS, len(tokens))
        part = figures.map_window(alpha, models, tokens, range(len(models)), columns)
        shown_alpha, shown_models, shown_words = part[:3]
        st.caption(t("score.slide_window", first=columns.start + 1, last=columns.stop, n=len(tokens)))
    figure = figures.heatmap(
        shown_alpha,
        shown_models,
        shown_words,
        t("score.step_alpha", i=i),
        "",
        "" if page_frame.presenting() else t("axis.source"),  # a slide's words say it; its lines are counted
        "α",
        domain=(0.0, 1.0),
    )
    if page_frame.presenting():  # the cells' numbers at slide size where they fit; a scale no taller than the rows
        st.vega_lite_chart(
            figures.legend_length(figure.on_screen(slide=True, marks=True), SLIDE_LEGEND_PX), alt=figure.title
        )
    else:
        exports.show_figure(figure, key=f"trained_alpha_step{i}", caption=exports.about(state.get("text"), i))
    rows = []
    for score, translation in translations.items():
        step = step_of(translation, i)
        word, p = step.top_words[0]
        rows.append(
            {
                t("score.column"): score_name(score),
                t("score.step_table_word", i=step.i): f"{step.chosen} ({p:.2f})"
                if word == step.chosen
                else step.chosen,
                t("score.argmax"): tokens[int(np.argmax(step.trace.alpha))],
                t("score.translation"): agreement(translation.target_tokens, reference),
            }
        )
    page_frame.table(pd.DataFrame(rows).set_index(t("score.column")))


def own_maps(translations: dict) -> None:
    """Each trained model's whole α map, its translation above it, ``MAPS_PER_ROW`` to a row."""
    st.subheader(t("score.maps"))
    items = list(translations.items())
    for start in range(0, len(items), MAPS_PER_ROW):
        for column, (score, translation) in zip(st.columns(MAPS_PER_ROW), items[start : start + MAPS_PER_ROW]):
            with column.container(border=True):
                st.markdown(f"**{score_name(score)}**")
                st.markdown(sentence_inputs.token_line(translation.target_tokens))
                if not translation.target_tokens:
                    continue  # <end> first: no output word has an α to draw
                figure = figures.heatmap(
                    translation.alpha,
                    translation.target_tokens,
                    translation.source_tokens,
                    t("score.map_title", name=score_name(score)),
                    t("axis.output"),
                    t("axis.source"),
                    "α",
                    domain=(0.0, 1.0),
                )
                if figure.is_chart:
                    exports.show_figure(figure, key=f"trained_map_{score}")
                else:  # a long sentence: more cells than a browser draws quickly, and no table beside it
                    st.image(figure.image, caption=t("score.map_image"), width="stretch", alt=figure.title)


def table_6(table: dict) -> None:
    """Exact match, alignment, AER, entropy and training time per score, with Luong et al.'s AER beside them.

    The figures are text: a row of theirs leaves a cell blank where a number column would print "None".
    """
    st.subheader(t("score.table6"))
    cols = {k: t(f"score.col.{k}") for k in ("model", "data", "exact", "alignment", "aer", "entropy", "training")}
    rows = []
    for score in compute.TRAINED_SCORES:
        model = table["models"][compute.SCORE_KINDS[score]]
        overall, training = model["overall"], model["training"]
        minutes = (training.get("training_seconds") or 0) / 60
        cpu = training.get("training_cpu_seconds") or 0
        rows.append(
            {
                cols["model"]: score_name(score),
                cols["data"]: t("score.data.ours"),
                cols["exact"]: evaluation_tables.percent(overall["exact_match"]),
                cols["alignment"]: evaluation_tables.percent(overall["alignment"]),
                cols["aer"]: f"{overall['aer']:.4f}",
                cols["entropy"]: f"{overall['entropy']:.2f}",
                cols["training"]: t("score.training_time", minutes=minutes, cpu=cpu),
            }
        )
    for name, aer in evaluation_tables.luong_table_6():
        rows.append({**dict.fromkeys(cols.values(), ""), cols["model"]: name, cols["data"]: t("score.data.luong")})
        rows[-1][cols["aer"]] = f"{aer:.2f}"
    st.dataframe(pd.DataFrame(rows, columns=list(cols.values())), hide_index=True)
    held_out = table["held_out"]
    st.caption(t("score.table6_caption", n=held_out["sentences"], long=held_out["sentences_50_or_more"]))


def aer_by_length(table: dict) -> None:
    """A line per score: AER in each length bucket of the held-out sentences."""
    st.subheader(t("score.aer_by_length"))
    model_col, bucket_col, aer_col = t("score.col.model"), t("score.axis.bucket"), t("score.axis.aer")
    rows = [
        {model_col: score_name(score), bucket_col: bucket, aer_col: row["aer"]}
        for score in compute.TRAINED_SCORES
        for bucket, row in table["models"][compute.SCORE_KINDS[score]]["by_bucket"].items()
    ]
    models = alt.Scale(domain=[score_name(s) for s in compute.TRAINED_SCORES])  # one domain: one merged legend
    legend = alt.Legend(orient="bottom", title=None, labelLimit=400, symbolStrokeWidth=2)
    chart = (
        alt.Chart(pd.DataFrame(rows))
        .mark_line(point=alt.OverlayMarkDef(size=70))
        .encode(
            x=alt.X(f"{bucket_col}:O", sort=table["buckets"], axis=alt.Axis(labelAngle=0)),
            y=alt.Y(f"{aer_col}:Q", scale=alt.Scale(zero=True)),
            color=alt.Color(f"{model_col}:N", scale=models, legend=legend),
            # five models: colour alone is not enough (red and green meet for a deuteranope), each has its own
            # dash and point shape too
            strokeDash=alt.StrokeDash(f"{model_col}:N", scale=models, legend=legend),
            shape=alt.Shape(f"{model_col}:N", scale=models, legend=legend),
            tooltip=[
                alt.Tooltip(f"{model_col}:N"),
                alt.Tooltip(f"{bucket_col}:O"),
                alt.Tooltip(f"{aer_col}:Q", format=".4f"),
            ],
        )
        .properties(height=300)
    )
    st.altair_chart(chart, width="stretch", alt=t("score.aer_by_length"))
    st.caption(t("score.aer_caption"))


def trained_view(names: tuple[str, ...]) -> None:
    """The trained models on the person's toy sentence; on a slide, the step's comparison alone. They are
    the shipped model's siblings: for a folder model, a note instead."""
    if not catalog.get(model_picker.chosen_model()).score_siblings:  # the French model's alone
        notices.model_note("own.no_score_models")
        state.write_url(names)
        return
    sentence_inputs.sentence_inputs(with_source=False, with_target=False)
    text = state.commit("text")
    notices.stop_without_words(text, names)
    if state.get("src") != "toy" and not page_frame.presenting():
        st.info(t("score.toy_only"), icon=":material/info:")
    with st.spinner(t("spinner.model")):
        translations = trained_translations(text)
    shipped = translations["additive"]
    notices.translation_notices(shipped, compute.SHIPPED_MODEL)
    notices.stop_without_words(shipped.source_tokens, names)
    if not page_frame.presenting():
        st.markdown(t("score.trained_intro"))
    i = step_slider(translations)
    step_comparison(translations, i, model_words.reference_for(shipped.source_tokens, compute.SHIPPED_MODEL))
    state.write_url(names)
    if page_frame.presenting():
        st.stop()  # a slide: the step's five α and words; the maps and tables are for the page
    own_maps(translations)
    table = evaluation_tables.evaluation_table()
    table_6(table)
    aer_by_length(table)


def same_states_view(names: tuple[str, ...]) -> None:
    """The chosen model's encoder and decoder states under each score, none of them trained for it."""
    sentence_inputs.sentence_inputs(with_source=True, with_target=False)
    text, source = state.commit("text"), state.commit("src")
    model = model_picker.running_model(source)
    notices.stop_without_words(text, names)
    notices.stop_unless_additive(model, names)  # the other scores read the additive model's W1 and W2
    with st.spinner(t("spinner.model")):
        translation = compute.translate(text, model, None)
        translator = compute.translator(model)
    notices.stop_without_words(translation.source_tokens, names)
    notices.translation_notices(translation, model)
    n_steps = len(translation.steps)
    notices.clamp_step(n_steps)
    st.select_slider(
        t("step.decoder_step"),
        options=list(range(1, n_steps + 1)),
        format_func=lambda i: f"i = {i} → {translation.steps[i - 1].chosen}",
        key=state.widget_key("step"),
    )
    step = translation.steps[state.commit("step") - 1]
    st.info(t("score.untrained", model=sentence_inputs.source_label(source)), icon=":material/school:")
    traces = same_state_traces(translation, step, translator)
    same_state_comparison(translation, step, translator, traces)
    if page_frame.presenting():
        # A slide: the four α side by side with what each picks; the reading notes, the equation
        # cards and the difference chart are for the page, not the projector.
        state.write_url(names)
        st.stop()
    same_state_notes(translation, step, translator)
    others = [name for name in compute.SCORE_FUNCTIONS if name != "additive"]
    sentence_inputs.choice("score", t("score.compare"), others, score_name)
    other = state.commit("score")
    state.write_url(names)
    difference = traces[other].alpha - traces["additive"].alpha
    exports.show_figure(
        figures.bars(
            difference,
            translation.source_tokens,
            t("score.difference", other=score_name(other)),
            t("axis.source"),
            "Δα",
        ),
        key=f"scores_diff_{other}_step{step.i}",
        caption=exports.about(text, step.i, step.chosen),
    )


def same_state_traces(translation, step, translator) -> dict:
    """Score → its trace on this step's states; general uses W_a = W1 W2ᵀ of the trained additive score."""
    params = translator.params
    # The toy model has d_s = d_h, so dot products of h and s are defined. For a score that
    # means something without training its own weights, general uses the bilinear form of the
    # trained projections, W_a = W1 W2ᵀ: e = (W1ᵀ h)·(W2ᵀ s).
    W_a = params.W1 @ params.W2.T  # (d_h, d_s)
    return {"additive": step.trace, **compute.score_function_traces(translation.h, step.s_prev, W_a)}


def same_state_comparison(translation, step, translator, traces: dict) -> None:
    """The four α of one step as a heatmap, and the word each context gives through the same output layer."""
    alpha = np.stack([traces[k].alpha for k in traces])  # (4, T_x)
    rows = []
    for name, trace in traces.items():
        probabilities = translator.output_distribution(step.s_prev, trace.context)
        best = int(np.argmax(probabilities))
        rows.append(
            {
                t("score.column"): score_name(name),
                t("score.argmax"): translation.source_tokens[int(np.argmax(trace.alpha))],
                t("score.word"): f"{translator.target.token(best)} ({probabilities[best]:.2f})",
                t("score.tv"): 0.5 * float(np.abs(trace.alpha - traces["additive"].alpha).sum()),
            }
        )
    figure = figures.heatmap(
        alpha,
        [t(f"score.short.{k}") for k in traces],  # whole at any width; the table beside names them in full
        translation.source_tokens,
        t("score.alpha"),
        "",
        t("axis.source"),
        "α",
        domain=(0.0, 1.0),
    )
    caption = exports.about(state.get("text"), step.i, step.chosen)
    exports.show_figure(figure, key=f"scores_alpha_step{step.i}", caption=caption)
    page_frame.table(pd.DataFrame(rows).set_index(t("score.column")))


def same_state_notes(translation, step, translator) -> None:
    """How to read the comparison, and each formula with the shapes it needs."""
    st.markdown(prose("score_reading"))
    for pair in (("additive", "dot"), ("general", "scaled_dot")):
        for column, name in zip(st.columns(2), pair):
            with column.container(border=True):
                st.markdown(f"**{score_name(name)}**")
                st.latex(EQUATIONS[name])
                st.caption(t(f"score.shapes.{name}"))
    d_h, d_s, d_a = translation.h.shape[-1], step.s_prev.shape[-1], translator.params.v.shape[0]
    st.caption(t("score.projection", d_s=d_s, d_h=d_h, d_a=d_a))
