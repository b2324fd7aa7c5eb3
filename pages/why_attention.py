"""Why attention exists: a model without it loses long sentences (Bahdanau et al. 2014, Figure 2, on our task)."""

import altair as alt
import pandas as pd
import streamlit as st

from ui import compute, figures, layout, state
from ui.strings import t

NAMES = ("text",)
KINDS = ("attention", "no_attention")
layout.page_start("why_attention", NAMES, "why.title")
st.markdown(t("why.intro"))

table = compute.evaluation_table()
model_names = {kind: t(f"why.model.{kind}") for kind in KINDS}
colours = alt.Scale(domain=[model_names[k] for k in KINDS], range=["#1f77b4", "#d62728"])
legend = alt.Legend(
    orient="bottom", direction="vertical", title=None, labelLimit=400
)  # one name a line: whole on a phone


def _bucket_rows() -> pd.DataFrame:
    rows = []
    for kind in KINDS:
        for bucket, row in table["models"][kind]["by_bucket"].items():
            rows.append(
                {
                    t("why.axis.model"): model_names[kind],
                    t("why.col.bucket"): bucket,
                    t("why.col.sentences"): row["sentences"],
                    t("why.col.exact"): row["exact_match"],
                    t("why.col.words"): row["word_accuracy"],
                    t("why.col.alignment"): row.get("alignment"),
                    t("why.col.ms"): row["ms_per_sentence"],
                }
            )
    return pd.DataFrame(rows)


# --- the paper's Figure 2 on our task
st.subheader(t("why.curve"))
buckets = _bucket_rows()
model_col, bucket_col, exact_col = t("why.axis.model"), t("why.col.bucket"), t("why.col.exact")
curve = (
    alt.Chart(buckets)
    .mark_line(point=alt.OverlayMarkDef(size=80))
    .encode(
        x=alt.X(f"{bucket_col}:O", sort=table["buckets"], title=t("why.axis.length"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{exact_col}:Q", title=t("why.axis.exact"), scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        color=alt.Color(f"{model_col}:N", scale=colours, legend=legend),
        tooltip=[
            alt.Tooltip(f"{model_col}:N"),
            alt.Tooltip(f"{bucket_col}:O"),
            alt.Tooltip(f"{exact_col}:Q", format=".1%"),
            alt.Tooltip(f"{t('why.col.words')}:Q", format=".1%"),
            alt.Tooltip(f"{t('why.col.sentences')}:Q"),
        ],
    )
    .properties(height=320)
)
st.altair_chart(curve, width="stretch", alt=t("why.curve"))
st.caption(t("why.curve_caption", n=f"{table['held_out']['sentences']:,}"))
if not layout.presenting():
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

# --- one long sentence, both models
st.subheader(t("why.compare"))
# The app's short example shows no bottleneck: a session that has not chosen a sentence starts
# from the table's long one, once, so typing the short example later keeps it.
if not st.session_state.get("why_example_offered") and state.get("text") == state.PARAMS["text"].default:
    state.put("text", table["example"] or state.get("text"))
st.session_state["why_example_offered"] = True
layout.sentence_inputs(with_source=False, with_target=False)
text = state.commit("text")
layout.stop_without_words(text, NAMES)
state.write_url(NAMES)

with st.spinner(t("spinner.model")):
    translations = {
        "attention": compute.translate(text, "toy", None),
        "no_attention": compute.translate_without_attention(text),
    }
attention = translations["attention"]
layout.translation_notices(attention, "toy")
layout.stop_without_words(attention.source_tokens, NAMES)
reference = compute.reference_translation(attention.source_tokens)


def _marked(words: list[str], gold: tuple[str, ...] | None) -> str:
    """Output words as markdown, each wrong one red, a dot for each missing one."""
    if gold is None:
        return layout.token_line(words)
    parts = []
    for k in range(max(len(words), len(gold))):
        if k >= len(words):
            parts.append(":gray[·]")
        elif k < len(gold) and words[k] == gold[k]:
            parts.append(layout.escape_markdown(words[k]))
        else:
            parts.append(f":red-background[**{layout.escape_markdown(words[k])}**]")
    return " ".join(parts)


st.markdown(layout.token_line(attention.source_tokens))
columns = st.columns(2)
for column, kind in zip(columns, KINDS):
    words = translations[kind].target_tokens
    with column.container(border=True):
        st.markdown(f"**{model_names[kind]}**")
        st.markdown(_marked(words, reference.fr if reference else None))
        if reference is not None:
            right = sum(w == g for w, g in zip(words, reference.fr))
            st.caption(t("why.right_words", right=right, total=len(reference.fr)))
if reference is not None:
    st.caption(f"{t('why.reference')}: {layout.escape_markdown(' '.join(reference.fr))} · {t('why.wrong_note')}")
else:
    st.caption(t("why.no_reference"))

# --- where the model with attention looks
if attention.target_tokens:
    st.subheader(t("why.alpha"))
    figure = figures.word_map(
        attention.alpha,
        attention.target_tokens,
        attention.source_tokens,
        t("why.alpha_title"),
        t("axis.output"),
        t("axis.source"),
        "α",
        domain=(0.0, 1.0),
        row_pixels=20,
        # the toy grammar's alignment outlined, where the model wrote the reference's words
        gold=reference.align if reference is not None and tuple(attention.target_tokens) == reference.fr else None,
        gold_title=t("align.gold"),
    )
    st.vega_lite_chart(figure.spec(), width="stretch", alt=figure.title)
    if figure.picture:  # a long sentence: its cells are one picture under the word axes
        st.caption(t("align.picture_note", rows=len(attention.target_tokens), cols=len(attention.source_tokens)))
    st.caption(t("why.alpha_note"))

# --- the cost
st.subheader(t("why.cost"))
length_col, ms_col = t("why.axis.length"), t("why.axis.ms")
points = pd.DataFrame(
    [
        {model_col: model_names[kind], length_col: n, ms_col: ms}
        for kind in KINDS
        for n, ms in table["models"][kind]["timing"]
    ]
)
encoding = {
    "x": alt.X(f"{length_col}:Q", title=length_col),
    "y": alt.Y(f"{ms_col}:Q", title=ms_col, scale=alt.Scale(zero=True)),
    "color": alt.Color(f"{model_col}:N", scale=colours, legend=legend),
}
dots = alt.Chart(points).mark_circle(size=28, opacity=0.45).encode(**encoding, tooltip=list(points.columns))
trend = alt.Chart(points).transform_loess(length_col, ms_col, groupby=[model_col]).mark_line().encode(**encoding)
st.altair_chart((dots + trend).properties(height=300), width="stretch", alt=t("why.cost"))
st.caption(t("why.cost_caption"))
