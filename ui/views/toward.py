"""Toward the Transformer: the bridge from Bahdanau's score to multi-head attention, in four stops, on the
person's sentence and the live tensors of models trained alike on the same data.

1. the additive score (the shipped model);
2. the dot and scaled dot scores (its siblings trained with them);
3. several heads, each with its own projections (the Transformer's cross-attention);
4. attention over the sentence itself (the Transformer's encoder self-attention, and its decoder's masked one).

At the chosen output word, the additive model's α and every head's α are drawn together with the gold alignment.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from ui.charts import figures
from ui.models import catalog, compute, model_words
from ui.presenter import slides
from ui.session import state
from ui.strings import escape_markdown, t
from ui.widgets import exports, notices, page_frame, sentence_inputs

PAGE = "toward_the_transformer"
STOPS = ("additive", "dot", "heads", "self")
# presenter mode: the comparison first, then a slide per stop, the fourth two (the encoder's, the decoder's)
SLIDES = ("compare", "additive", "dot", "heads", "encoder", "decoder")
FORMULAS = {  # each a few short lines: stacked on a page (a phone's width), one line on a slide
    "additive": (r"e_{ij} = v^\top \tanh(W_1 h_j + W_2 s_{i-1} + b)", r"\alpha_{ij} = \mathrm{softmax}_j(e_{ij})"),
    "dot": (r"e_{ij} = s_{i-1}^\top h_j", r"e_{ij} = \frac{s_{i-1}^\top h_j}{\sqrt{d_h}}"),
    "heads": (
        r"\alpha^{h} = \mathrm{softmax}\Big(\frac{(x W_Q^{h})(H W_K^{h})^\top}{\sqrt{d_k}}\Big)",
        r"c^{h} = \alpha^{h} (H W_V^{h})",
        r"o = [c^1; \dots; c^{H}]\, W_O",
    ),
    "self": (
        r"\alpha^{h} = \mathrm{softmax}\Big(\frac{(X W_Q^{h})(X W_K^{h})^\top}{\sqrt{d_k}} + M\Big)",
        r"M_{tu} = \begin{cases} -\infty & u > t \text{ (decoder)} \\ 0 & \text{otherwise} \end{cases}",
    ),
}
SLIDE_SELF_ROWS = 7  # rows of a self-attention map on a slide, under its formula and its sentence of why
SLIDE_WHOLE_ROWS = 8  # a map of at most this many rows is whole on a slide (a toy sentence of 8 words)
SLIDE_SELF_ROW_PX = 26  # each 18 px label clear of the next
SLIDE_LEGEND_PX = 110  # the colour scale beside a slide's few rows
SLIDE_LEGEND_MIN_PX = 56  # beside one row: its two end labels at 18 px apart


def translations(text: str, model: str) -> dict:
    """The sentence through the bridge's models: the additive one, the Transformer and, where they were trained,
    the additive one's dot and scaled dot siblings, each its own translation with every trace (``attention_core``)."""
    additive_name, transformer_kind = catalog.get(model).bridge
    transformer = compute.translate_kind(text, transformer_kind)
    # The Transformer's positional table holds fewer tokens than the recurrent models read: a text it cuts
    # is read by every model as cut, so that their α stand over the same words.
    read = " ".join(transformer.source_tokens) if transformer.truncated else text
    runs = {"additive": compute.translate(read, additive_name, None), "transformer": transformer}
    if catalog.get(additive_name).score_siblings:  # the models trained with Luong's scores: the French data's alone
        runs["dot"] = compute.translate_kind(read, compute.SCORE_KINDS["dot"])
        runs["scaled_dot"] = compute.translate_kind(read, compute.SCORE_KINDS["scaled_dot"])
    return runs


def step_of(translation, i: int):
    """The model's own step ``i``, or its last one (its <end>) when its translation is shorter."""
    return translation.steps[min(i, len(translation.steps)) - 1]


def shape(transformer) -> tuple[int, int]:
    """The Transformer's layers and heads, read from its tensors."""
    layers, heads = transformer.cross_alpha.shape[:2]
    return int(layers), int(heads)


def clamp_layer_head(layers: int, heads: int) -> None:
    """A linked layer or head past the model's own becomes its last, with a notice."""
    for name, most in (("layer", layers), ("head", heads)):
        if state.get(name) > most:
            st.warning(t("toward.clamped", name=name, value=state.get(name), most=most), icon=":material/warning:")
            state.put(name, most)


def pickers(runs: dict) -> tuple[int, int, int]:
    """The output word (step i), the layer and the head, each bound to the link (clamped to the model's)."""
    additive, transformer = runs["additive"], runs["transformer"]
    n_steps = max(len(additive.steps), len(transformer.steps))
    notices.clamp_step(n_steps)
    layers, heads = shape(transformer)
    clamp_layer_head(layers, heads)

    def word_at(i: int) -> str:
        a, b = step_of(additive, i).chosen, step_of(transformer, i).chosen
        return f"i = {i} → {a}" if a == b else f"i = {i} → {a} / {b}"

    if page_frame.presenting():  # one row: every line of a slide counts
        step_col, layer_col, head_col = st.columns([3, 1, 1.4])
    else:
        step_col, (layer_col, head_col) = st, st.columns(2)
    step_col.select_slider(
        t("toward.output_word"),
        options=list(range(1, n_steps + 1)),
        format_func=word_at,
        key=state.widget_key("step"),
        label_visibility=page_frame.slide_label(),
    )
    layer_picker(layers, heads, layer_col, head_col)
    return state.commit("step"), state.commit("layer"), state.commit("head")


def layer_picker(layers: int, heads: int, layer_col, head_col) -> None:
    """The layer and the head, bound to the link: on a slide short ("L2", "H1") on one line, labels hidden."""
    short = page_frame.presenting()
    layer_key, head_key = ("toward.layer_short", "toward.head_short") if short else ("toward.layer_n", "toward.head_n")
    hidden = page_frame.slide_label()
    options = range(1, layers + 1)
    sentence_inputs.choice("layer", t("toward.layer"), options, lambda k: t(layer_key, layer=k), layer_col, hidden)
    options = range(1, heads + 1)
    sentence_inputs.choice("head", t("toward.head"), options, lambda k: t(head_key, head=k), head_col, hidden)


def gold_column(reference, i: int) -> int:
    """The source position the reference's word ``i`` is aligned to, or -1 (none, or no reference)."""
    if not model_words.has_gold(reference) or i > len(reference.align):
        return -1
    return int(reference.align[i - 1])


def draw(figure, key: str, caption: str) -> None:
    """A figure: on a slide at slide size with its numbers where they fit, else with its downloads."""
    if not page_frame.presenting():
        exports.show_figure(figure, key=key, caption=caption)
    elif figure.is_chart:
        spec = figure.on_screen(slide=True, marks=True)
        # the colour scale no longer than the plot: beside one row a longer one is cut off
        spec = figures.legend_length(spec, min(SLIDE_LEGEND_PX, max(SLIDE_LEGEND_MIN_PX, int(spec.get("height", 0)))))
        st.vega_lite_chart(spec, width="stretch", alt=figure.title)
    else:
        st.image(figure.image, caption=t("figure.image_caption"), width="stretch", alt=figure.title)


def on_slide(matrix, row_labels, col_labels, focus_row: int, gold=None):
    """A matrix as a slide shows it: whole when it fits, else the rows around ``focus_row`` and the source
    words they look at most, each labelled (``figures.map_windows``); off a slide, whole."""
    matrix = np.asarray(matrix, dtype=np.float64)
    n_rows, n_cols = matrix.shape
    if not page_frame.presenting() or (n_rows <= SLIDE_WHOLE_ROWS and n_cols <= figures.SLIDE_MAP_COLUMNS):
        return matrix, list(row_labels), list(col_labels), gold
    windows = figures.map_windows(matrix, rows=SLIDE_SELF_ROWS)
    rows, columns = next((w for w in windows if focus_row in w[0]), windows[-1])
    return figures.map_window(matrix, list(row_labels), list(col_labels), rows, columns, gold)


def head_rows(layers: int, heads: int) -> list[str]:
    return [t("toward.head_row", layer=l + 1, head=h + 1) for l in range(layers) for h in range(heads)]


def comparison(runs: dict, i: int, reference) -> None:
    """The additive model's α and every Transformer head's α at output word ``i``, the gold word outlined."""
    additive, transformer = runs["additive"], runs["transformer"]
    layers, heads = shape(transformer)
    cross = step_of(transformer, i).cross
    alpha = np.vstack([step_of(additive, i).trace.alpha[None], *[cross[l].alpha for l in range(layers)]])
    rows = [t("toward.additive_row"), *head_rows(layers, heads)]
    gold = gold_column(reference, i)
    looked = int(np.argmax(alpha[0])) if gold < 0 else gold
    shown, labels, words = alpha, rows, list(additive.source_tokens)
    if page_frame.presenting() and len(words) > figures.SLIDE_MAP_COLUMNS:
        columns = figures.looked_window(np.array([looked]), figures.SLIDE_MAP_COLUMNS, len(words))
        shown, labels, words, _ = figures.map_window(alpha, rows, words, range(len(rows)), columns)
        labels = rows  # the rows are models and heads, not numbered words
        gold = gold - columns.start if columns.start <= gold < columns.stop else -1
        st.caption(t("toward.window", first=columns.start + 1, last=columns.stop, n=len(additive.source_tokens)))
    figure = figures.heatmap(
        shown,
        labels,
        words,
        t("toward.compare_title", i=i),
        "",
        "" if page_frame.presenting() else t("axis.source"),
        "α",
        domain=(0.0, 1.0),
        gold=[gold] * len(labels) if gold >= 0 else None,
        gold_title=t("toward.gold"),
    )
    draw(figure, f"toward_compare_step{i}", exports.about(state.get("text"), i))
    st.markdown(words_at(runs, i, reference, alpha, rows))


def words_at(runs: dict, i: int, reference, alpha, rows: list[str]) -> str:
    """What each model writes at step ``i``, the reference's word and its gold source word, and which rows
    of ``alpha`` peak on it: one line of markdown, every word escaped."""
    tokens = runs["additive"].source_tokens
    line = t(
        "toward.words",
        i=i,
        additive=escape_markdown(step_of(runs["additive"], i).chosen),
        transformer=escape_markdown(step_of(runs["transformer"], i).chosen),
    )
    gold = gold_column(reference, i)
    if gold < 0:
        return line + " " + t("toward.no_gold")
    hits = [rows[k] for k in range(len(rows)) if int(np.argmax(alpha[k])) == gold]
    return (
        line
        + " "
        + t(
            "toward.gold_word",
            word=escape_markdown(reference.fr[i - 1]),
            source=escape_markdown(tokens[gold]),
            hits=", ".join(hits) if hits else "—",
            n=len(hits),
            total=len(rows),
        )
    )


def formula(parts: tuple[str, ...]) -> str:
    """A stop's formula: its parts on one line on a slide, stacked on a page so a phone's width holds them."""
    if page_frame.presenting():
        return r",\quad ".join(parts)
    return r"\begin{gathered}" + r" \\ ".join(parts) + r"\end{gathered}"


def stop_header(number: int, stop: str) -> None:
    """A stop's name, its formula and the one sentence of why."""
    st.markdown(f"**{number} · {t(f'toward.stop.{stop}')}**" if page_frame.presenting() else "")
    if not page_frame.presenting():
        st.subheader(f"{number} · {t(f'toward.stop.{stop}')}")
    st.latex(formula(FORMULAS[stop]))
    st.caption(t(f"toward.why.{stop}"))


def row_figure(matrix, rows: list[str], words: list[str], title: str, value: str, gold: int = -1, unit=False):
    """A few rows over the source words (scores or weights), the gold word outlined when there is one."""
    matrix = np.asarray(matrix, dtype=np.float64)
    shown, labels, cols = matrix, rows, words
    if page_frame.presenting() and len(words) > figures.SLIDE_MAP_COLUMNS:
        columns = figures.looked_window(np.argmax(matrix, axis=1), figures.SLIDE_MAP_COLUMNS, len(words))
        labelled = figures.axis_labels(words)  # words numbered by their place; dimensions keep their own number
        shown, cols = matrix[:, columns.start : columns.stop], [labelled[j] for j in columns]
        gold = gold - columns.start if columns.start <= gold < columns.stop else -1
    return figures.heatmap(
        shown,
        labels,
        cols,
        title,
        "",
        "" if page_frame.presenting() else t("axis.source"),
        value,
        domain=(0.0, 1.0) if unit else None,
        # on a slide the plot at least as tall as its colour scale, which the chart's box would cut off
        row_pixels=max(figures.ROW_PIXELS, SLIDE_LEGEND_MIN_PX // len(labels) if page_frame.presenting() else 0),
        gold=[gold] * len(labels) if gold >= 0 else None,
        gold_title=t("toward.gold"),
    )


def stop_additive(runs: dict, i: int, reference) -> None:
    """Stop 1: the additive model's scores and weights at step ``i``."""
    stop_header(1, "additive")
    trace, words = step_of(runs["additive"], i).trace, list(runs["additive"].source_tokens)
    about = exports.about(state.get("text"), i)
    row = [t("toward.additive_row")]  # a name with its number: the axis leaves it as it is
    scores = row_figure(trace.e[None], row, words, t("toward.additive_e", i=i), "e")
    draw(scores, f"toward_additive_e_step{i}", about)
    weights = row_figure(
        trace.alpha[None], row, words, t("toward.additive_alpha", i=i), "α", gold_column(reference, i), True
    )
    draw(weights, f"toward_additive_alpha_step{i}", about)


def stop_dot(runs: dict, i: int, reference) -> None:
    """Stop 2: the models trained with the dot and the scaled dot score, beside the additive one, at step ``i``."""
    stop_header(2, "dot")
    if "dot" not in runs:
        notices.model_note("toward.no_dot")
        return
    words, about = list(runs["additive"].source_tokens), exports.about(state.get("text"), i)
    names = ("additive", "dot", "scaled_dot")
    rows = [t(f"score.short.{name}") for name in names]
    alpha = np.stack([step_of(runs[name], i).trace.alpha for name in names])
    draw(
        row_figure(alpha, rows, words, t("toward.dot_alpha", i=i), "α", gold_column(reference, i), True),
        f"toward_dot_alpha_step{i}",
        about,
    )
    if not page_frame.presenting():  # a slide keeps the weights; the page adds the two scores they come from
        scores = np.stack([step_of(runs[name], i).trace.e for name in names[1:]])
        draw(row_figure(scores, rows[1:], words, t("toward.dot_e", i=i), "e"), f"toward_dot_e_step{i}", about)


def stop_heads(runs: dict, i: int, layer: int, head: int, reference) -> None:
    """Stop 3: layer ``layer``'s cross-attention at step ``i``, every head's scores and weights, and the chosen
    head's numbers."""
    stop_header(3, "heads")
    transformer, words = runs["transformer"], list(runs["transformer"].source_tokens)
    cross, about = step_of(transformer, i).cross[layer - 1], exports.about(state.get("text"), i)
    _, heads = shape(transformer)
    rows = [t("toward.head_row", layer=layer, head=h + 1) for h in range(heads)]
    gold = gold_column(reference, i)
    alpha = row_figure(cross.alpha, rows, words, t("toward.heads_alpha", i=i, layer=layer), "α", gold, True)
    draw(alpha, f"toward_heads_alpha_step{i}_layer{layer}", about)
    if page_frame.presenting():
        return  # a slide: the heads' weights; their scores and one head's numbers are for the page
    draw(
        row_figure(cross.e, rows, words, t("toward.heads_e", i=i, layer=layer), "e"),
        f"toward_heads_e_step{i}_layer{layer}",
        about,
    )
    j = int(np.argmax(cross.alpha[head - 1]))
    d_k = int(cross.Q.shape[-1])
    st.markdown(
        t(
            "toward.head_numbers",
            layer=layer,
            head=head,
            word=escape_markdown(words[j]),
            j=j + 1,
            e=float(cross.e[head - 1, j]),
            d_k=d_k,
            alpha=float(cross.alpha[head - 1, j]),
            d_model=int(cross.output.shape[-1]),
            heads=heads,
        )
    )
    qk = np.vstack([cross.Q[head - 1][None], cross.K[head - 1]])  # (1 + T_x, d_k): the query, then every key
    figure = figures.word_map(
        qk,
        ["q", *[f"k · {w}" for w in words]],
        [str(d + 1) for d in range(d_k)],
        t("toward.qk_title", layer=layer, head=head, i=i),
        "",
        t("toward.dimension"),
        t("toward.value"),
    )
    draw(figure, f"toward_qk_step{i}_layer{layer}_head{head}", about)


def stop_encoder(runs: dict, i: int, layer: int, head: int, reference) -> None:
    """Stop 4, first half: the encoder's self-attention of ``layer`` and ``head``, every source word over every
    source word."""
    stop_header(4, "self")
    transformer, words = runs["transformer"], list(runs["transformer"].source_tokens)
    alpha = transformer.encoder_self[layer - 1].alpha[head - 1]  # (T_x, T_x)
    focus = max(gold_column(reference, i), 0)
    shown, rows, cols, _ = on_slide(alpha, words, words, focus)  # on a slide its words are numbered
    axis = "" if page_frame.presenting() else t("axis.source")
    figure = figures.word_map(
        shown,
        rows,
        cols,
        t("toward.encoder_title", layer=layer, head=head),
        axis,
        axis,
        "α",
        domain=(0.0, 1.0),
        row_pixels=SLIDE_SELF_ROW_PX if page_frame.presenting() else figures.ROW_PIXELS,
    )
    draw(figure, f"toward_encoder_layer{layer}_head{head}", exports.about(state.get("text")))


def stop_decoder(runs: dict, i: int, layer: int, head: int) -> None:
    """Stop 4, second half: the decoder's masked self-attention of ``layer`` and ``head``: at each step, the
    words written so far (0 on every word not yet written: the causal mask)."""
    if page_frame.presenting():
        stop_header(4, "self")
    transformer = runs["transformer"]
    written = [step.chosen for step in transformer.steps]
    read = ["<start>", *written[:-1]]
    alpha = transformer.self_alpha[layer - 1, head - 1]  # (steps, steps), row i − 1 at step i
    shown, rows, cols, _ = on_slide(alpha, written, read, min(i, len(written)) - 1)
    slide = page_frame.presenting()
    figure = figures.word_map(
        shown,
        rows,
        cols,
        t("toward.decoder_title", layer=layer, head=head),
        "" if slide else t("toward.writing"),
        "" if slide else t("toward.reading"),
        "α",
        domain=(0.0, 1.0),
        row_pixels=SLIDE_SELF_ROW_PX if slide else figures.ROW_PIXELS,
    )
    draw(figure, f"toward_decoder_layer{layer}_head{head}", exports.about(state.get("text")))
    if not page_frame.presenting():
        st.caption(t("toward.causal_note"))


def show(names: tuple[str, ...]) -> None:
    """The page: the sentence, the pickers, the comparison at the chosen output word, then the four stops; in
    presenter mode one slide each (the fourth stop two: the encoder's, then the decoder's)."""
    bridge = catalog.get(state.get("model")).bridge
    if bridge is None:  # a Transformer was trained on the toy French and Chinese data only
        notices.model_note("toward.no_bridge")
        state.write_url(names)
        return
    sentence_inputs.sentence_inputs(with_source=False, with_target=False)
    text = state.commit("text")
    notices.stop_without_words(text, names)
    with st.spinner(t("spinner.model")):
        runs = translations(text, state.get("model"))
    notices.truncated_notice(runs["transformer"])
    notices.translation_notices(runs["additive"], bridge[0])
    notices.stop_without_words(runs["additive"].source_tokens, names)
    if not page_frame.presenting():
        layers, heads = shape(runs["transformer"])
        st.markdown(t("toward.intro", layers=layers, heads=heads))
    shown = slides.deck(PAGE, len(SLIDES))
    i, layer, head = pickers(runs)
    state.write_url(names)
    reference = model_words.reference_for(runs["additive"].source_tokens, bridge[0])
    parts = (
        lambda: comparison(runs, i, reference),
        lambda: stop_additive(runs, i, reference),
        lambda: stop_dot(runs, i, reference),
        lambda: stop_heads(runs, i, layer, head, reference),
        lambda: stop_encoder(runs, i, layer, head, reference),
        lambda: stop_decoder(runs, i, layer, head),
    )
    for number, part in enumerate(parts, start=1):
        if slides.shows(shown, number):
            part()
