"""The why-attention page's content: exact match by length of the model with attention and the one
without (Bahdanau et al. 2014, Figure 2, on our task), one sentence translated by both beside the
reference, where the model with attention looks, and what attention costs.

The table and the translations come from ``ui.models.compute``; this module draws them.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd
import streamlit as st

from ui.charts import figures
from ui.models import catalog, compute, evaluation_tables, model_words
from ui.presenter import talk
from ui.session import state
from ui.strings import escape_markdown, t
from ui.widgets import model_picker, notices, page_frame, sentence_inputs

KINDS = ("attention", "no_attention")
SLIDE_CHART_PX = 250  # a curve's plot on a slide, with the intro, its title, legend and caption above and below


@dataclass(frozen=True)
class Evaluation:
    """The chosen model and, where it has a baseline without attention, both by length bucket."""

    model: str
    with_baseline: bool  # the shipped model's, or a folder model's own (train --baseline)
    table: dict  # evaluation_tables.length_table's shape


@dataclass(frozen=True)
class Comparison:
    """One sentence translated by each model, and its reference where the data has one."""

    translations: dict  # kind → Translation; "no_attention" only beside a baseline
    reference: object  # the reference translation, or None

    @property
    def attention(self):
        return self.translations["attention"]


def evaluation(model: str) -> Evaluation:
    with_baseline = catalog.get(model).baseline
    table = evaluation_tables.length_table(model) if with_baseline else evaluation_tables.evaluation_table()
    return Evaluation(model, with_baseline, table)


def _model_names() -> dict[str, str]:
    return {kind: t(f"why.model.{kind}") for kind in KINDS}


def _colours() -> alt.Scale:
    model_names = _model_names()
    return alt.Scale(domain=[model_names[k] for k in KINDS], range=["#1f77b4", "#d62728"])


def _legend() -> alt.Legend:
    """One name a line: whole on a phone."""
    return alt.Legend(orient="bottom", direction="vertical", title=None, labelLimit=400)


def show_chart(chart: alt.TopLevelMixin, alt_text: str) -> None:
    """An Altair chart; on a slide, its text at slide size and its plot shorter."""
    if page_frame.presenting():
        spec = {**figures.slide_spec(chart.to_dict()), "height": SLIDE_CHART_PX}
        st.vega_lite_chart(spec, width="stretch", alt=alt_text)
    else:
        st.altair_chart(chart, width="stretch", alt=alt_text)


def _bucket_rows(table: dict) -> pd.DataFrame:
    model_names = _model_names()
    rows = []
    for kind in KINDS:
        for bucket, row in table["models"][kind]["by_bucket"].items():
            rows.append(
                {
                    t("why.axis.model"): model_names[kind],
                    t("why.col.bucket"): bucket,
                    t("why.col.sentences"): row["sentences"],
                    t("why.col.exact"): row["exact_match"],
                    t("why.col.words"): row.get("word_accuracy"),
                    t("why.col.alignment"): row.get("alignment"),
                    t("why.col.ms"): row.get("ms_per_sentence"),
                }
            )
    frame = pd.DataFrame(rows)
    return frame.dropna(axis="columns", how="all")  # a folder model's metrics have no word accuracy or timing


def curve_section(evaluation: Evaluation) -> None:
    """Exact match by length of both shipped models: the paper's Figure 2 on our task."""
    st.subheader(t("why.curve"))
    table = evaluation.table
    buckets = _bucket_rows(table)
    model_col, bucket_col, exact_col = t("why.axis.model"), t("why.col.bucket"), t("why.col.exact")
    curve = (
        alt.Chart(buckets)
        .mark_line(point=alt.OverlayMarkDef(size=80))
        .encode(
            x=alt.X(f"{bucket_col}:O", sort=table["buckets"], title=t("why.axis.length"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                f"{exact_col}:Q", title=t("why.axis.exact"), scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")
            ),
            color=alt.Color(f"{model_col}:N", scale=_colours(), legend=_legend()),
            tooltip=[alt.Tooltip(f"{model_col}:N"), alt.Tooltip(f"{bucket_col}:O")]
            + [alt.Tooltip(f"{c}:Q", format=".1%") for c in (exact_col, t("why.col.words")) if c in buckets]
            + [alt.Tooltip(f"{t('why.col.sentences')}:Q")],
        )
        .properties(height=320)
    )
    show_chart(curve, t("why.curve"))
    n = f"{table['held_out']['sentences']:,}"
    own = model_picker.own_model()
    st.caption(t("own.why_curve_caption", n=n, name=evaluation.model) if own else t("why.curve_caption", n=n))
    if not page_frame.presenting():
        percent = st.column_config.NumberColumn(format="percent")
        st.dataframe(
            buckets,
            hide_index=True,
            placeholder=t("why.no_alignment"),  # the model without attention has no α to align
            column_config={
                t("why.col.exact"): percent,
                t("why.col.words"): percent,
                t("why.col.alignment"): st.column_config.NumberColumn(format="percent", help=t("why.alignment_help")),
                t("why.col.ms"): st.column_config.NumberColumn(format="%.1f"),
            },
        )


def offer_long_example(evaluation: Evaluation) -> None:
    """The app's short example shows no bottleneck: a session that has not chosen a sentence starts
    from the table's long one (the shipped model's, or the folder model's own), once, so typing the
    short example later keeps it. It is this page's own: the talk lends it (``talk.lend_sentence``),
    so the step page after it opens on the sentence it replaced, not 41 decoder steps; and a slide,
    which has no sentence box to type the short one in, offers it every time the talk comes back."""
    model, table = evaluation.model, evaluation.table
    starting = (state.PARAMS["text"].default, model_words.example_sentence(model, state.PARAMS["text"].default))
    offered = st.session_state.get("why_example_offered")
    if (offered != model or page_frame.presenting()) and state.get("text") in starting and table["example"]:
        talk.lend_sentence("why_attention", table["example"], state.get("text"))
        state.put("text", table["example"])
    st.session_state["why_example_offered"] = model


def comparison_heading(evaluation: Evaluation) -> None:
    st.subheader(
        t("why.compare") if evaluation.with_baseline else t("own.why_translation", name=model_picker.model_name())
    )


def first_part(evaluation: Evaluation) -> None:
    """What the page is about and the curve (a slide of its own in presenter mode)."""
    st.markdown(t("why.intro"))
    if evaluation.with_baseline:
        curve_section(evaluation)
    else:
        notices.model_note("own.why_no_baseline")


def translate(text: str, evaluation: Evaluation, names: tuple[str, ...]) -> Comparison:
    """``text`` translated by the model and its baseline, with their notices; the page stops here
    when the model reads no word of it."""
    model = evaluation.model
    with st.spinner(t("spinner.model")):
        translations = {"attention": compute.translate(text, model, None)}
        if evaluation.with_baseline:
            translations["no_attention"] = compute.translate_without_attention(text, model)
    attention = translations["attention"]
    notices.translation_notices(attention, model)
    notices.stop_without_words(attention.source_tokens, names)
    return Comparison(translations, model_words.reference_for(attention.source_tokens, model))


def _marked(words: list[str], gold: tuple[str, ...] | None) -> str:
    """Output words as markdown, each wrong one red, a dot for each missing one."""
    if gold is None:
        return sentence_inputs.token_line(words)
    parts = []
    for k in range(max(len(words), len(gold))):
        if k >= len(words):
            parts.append(":gray[·]")
        elif k < len(gold) and words[k] == gold[k]:
            parts.append(escape_markdown(words[k]))
        else:
            parts.append(f":red-background[**{escape_markdown(words[k])}**]")
    return " ".join(parts)


def comparison_section(evaluation: Evaluation, comparison: Comparison) -> None:
    """The sentence, each model's words beside the reference's (one model for a folder model)."""
    if page_frame.presenting():
        comparison_heading(evaluation)
    reference, model_names = comparison.reference, _model_names()
    st.markdown(sentence_inputs.token_line(comparison.attention.source_tokens))
    columns = st.columns(2)
    for column, kind in zip(columns, comparison.translations):
        words = comparison.translations[kind].target_tokens
        with column.container(border=True):
            st.markdown(f"**{model_names[kind] if evaluation.with_baseline else model_picker.model_name()}**")
            st.markdown(_marked(words, reference.fr if reference else None))
            if reference is not None:
                right = sum(w == g for w, g in zip(words, reference.fr))
                st.caption(t("why.right_words", right=right, total=len(reference.fr)))
    if reference is not None:
        own = model_picker.own_model()  # a person's data is escaped; the toy grammar's words are plain
        line = escape_markdown(" ".join(reference.fr)) if own else " ".join(reference.fr)
        st.caption(f"{t('own.why_reference') if own else t('why.reference')}: {line} · {t('why.wrong_note')}")
    elif evaluation.with_baseline:
        st.caption(t("why.no_reference"))


def alpha_section(
    evaluation: Evaluation, comparison: Comparison, rows: range | None = None, columns: range | None = None
) -> None:
    """Where the model with attention looks: its α map, the reference alignment outlined where it wrote
    the reference's words and the data has a gold alignment. On a slide, the part of the map of output
    words ``rows`` and source words ``columns`` (a long sentence's map takes several slides)."""
    st.subheader(t("why.alpha"))
    attention, reference, presenting = comparison.attention, comparison.reference, page_frame.presenting()
    same_words = reference is not None and tuple(attention.target_tokens) == tuple(reference.fr)
    gold = reference.align if same_words and model_words.has_gold(reference) else None
    alpha, row_words, col_words = attention.alpha, attention.target_tokens, attention.source_tokens
    if rows is not None:
        alpha, row_words, col_words, gold = figures.map_window(alpha, row_words, col_words, rows, columns, gold)
    figure = figures.word_map(
        alpha,
        row_words,
        col_words,
        t("why.alpha_title"),
        t("axis.output"),
        t("axis.source"),
        "α",
        domain=(0.0, 1.0),
        row_pixels=figures.MIN_ROW_PIXELS if presenting else 20,
        gold=gold,
        gold_title=t("own.gold") if model_picker.own_model() else t("align.gold"),
    )
    if presenting:
        if rows is not None and (len(rows), len(columns)) != attention.alpha.shape:
            st.caption(t("why.alpha_window", rows=_span(rows), columns=_span(columns)))
        st.vega_lite_chart(figure.on_screen(slide=True), width="stretch", alt=figure.title)
        return
    st.vega_lite_chart(figure.spec(), width="stretch", alt=figure.title)
    if figure.picture:  # a long sentence: its cells are one picture under the word axes
        st.caption(t("align.picture_note", rows=len(attention.target_tokens), cols=len(attention.source_tokens)))
    if evaluation.with_baseline:  # the toy language's clauses: what the shipped model's map shows
        st.caption(t("why.alpha_note"))


def _span(positions: range) -> str:
    return f"{positions.start + 1}–{positions.stop}"


def cost_section(evaluation: Evaluation) -> None:
    """Milliseconds per sentence against length, both shipped models, from the evaluation's timings."""
    st.subheader(t("why.cost"))
    model_names, colours, legend = _model_names(), _colours(), _legend()
    model_col, length_col, ms_col = t("why.axis.model"), t("why.axis.length"), t("why.axis.ms")
    points = pd.DataFrame(
        [
            {model_col: model_names[kind], length_col: n, ms_col: ms}
            for kind in KINDS
            for n, ms in evaluation.table["models"][kind]["timing"]
        ]
    )
    encoding = {
        "x": alt.X(f"{length_col}:Q", title=length_col),
        "y": alt.Y(f"{ms_col}:Q", title=ms_col, scale=alt.Scale(zero=True)),
        "color": alt.Color(f"{model_col}:N", scale=colours, legend=legend),
    }
    dots = alt.Chart(points).mark_circle(size=28, opacity=0.45).encode(**encoding, tooltip=list(points.columns))
    trend = alt.Chart(points).transform_loess(length_col, ms_col, groupby=[model_col]).mark_line().encode(**encoding)
    show_chart((dots + trend).properties(height=300), t("why.cost"))
    st.caption(t("why.cost_caption"))


def slide_parts(evaluation: Evaluation, comparison: Comparison) -> list:
    """The page's parts in order: in presenter mode one slide each, a long sentence's map in windows."""
    presenting, attention = page_frame.presenting(), comparison.attention
    parts = [lambda: first_part(evaluation)] if presenting else []
    parts.append(lambda: comparison_section(evaluation, comparison))
    if attention.target_tokens and attention.alpha is not None:
        if presenting:
            for rows, columns in figures.map_windows(attention.alpha):
                parts.append(lambda rows=rows, columns=columns: alpha_section(evaluation, comparison, rows, columns))
        else:
            parts.append(lambda: alpha_section(evaluation, comparison))
    if evaluation.with_baseline and not model_picker.own_model():  # timings come from the shipped models' evaluation
        parts.append(lambda: cost_section(evaluation))
    return parts
