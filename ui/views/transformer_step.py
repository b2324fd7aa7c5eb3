"""The step page with the Transformer chosen: one decoder step's cross-attention, for one layer and one head,
walked one equation at a time with its numbers written out (Q, K and V, e = QKᵀ/√d_k, the mask, α, the head's
context αV, the heads concatenated and W_O), and every head's α at the step side by side.

A view of its own beside the additive model's (``step_panel``): its seven equations are the ones of
``attention_core.nn.multihead``, one per function there, and every value is the ``MultiHeadTrace`` the
translation holds; the only arithmetic here is the written-out sum for one entry, shown beside the value the
model computed.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from ui.charts import figures
from ui.models import compute, model_words
from ui.presenter import talk
from ui.session import state
from ui.strings import escape_markdown, t
from ui.views import toward
from ui.widgets import exports, notices, page_frame, sentence_inputs

EQUATIONS = (  # key (strings: transformer.eq.<key>), its LaTeX
    ("q", r"q^{h} = x\, W_Q^{h} + b_Q^{h}"),
    ("kv", r"K^{h} = H W_K^{h} + b_K^{h}, \qquad V^{h} = H W_V^{h} + b_V^{h}"),
    ("e", r"e^{h}_{j} = \frac{q^{h} \cdot k^{h}_{j}}{\sqrt{d_k}}"),
    (
        "mask",
        r"\tilde e^{h}_{j} = \begin{cases} e^{h}_{j} & \text{key } j \text{ allowed} \\ -\infty & \text{else}"
        r"\end{cases}",
    ),
    ("alpha", r"\alpha^{h}_{j} = \frac{\exp \tilde e^{h}_{j}}{\sum_{k} \exp \tilde e^{h}_{k}}"),
    ("context", r"c^{h} = \sum_{j} \alpha^{h}_{j}\, v^{h}_{j}"),
    ("output", r"o = [c^{1}; \dots; c^{H}]\, W_O + b_O"),
)
SYMBOLS = ("q", "K, V", "e", "ẽ", "α", "c", "W_O")  # each equation by what it computes, on a slide's one line
TERMS = 4  # terms of a written-out sum before "…"


def written_sum(a, b, most: int = TERMS) -> str:
    """``a₁·b₁ + a₂·b₂ + … `` as text, the first ``most`` terms (the model's value follows it)."""

    def number(v) -> str:  # a negative factor in brackets, with a minus sign: "(−0.970)"
        return f"(−{-float(v):.3f})" if v < 0 else f"{float(v):.3f}"

    terms = [f"{number(x)}·{number(y)}" for x, y in zip(a[:most], b[:most])]
    return " + ".join(terms) + (" + …" if len(a) > most else "")


def move(delta: int, n_steps: int) -> None:
    """Next or Back: the next equation, or the next step's first (the previous step's last)."""
    eq, step = state.get("eq") + delta, state.get("step")
    if eq > len(EQUATIONS) and step < n_steps:
        eq, step = 1, step + 1
    elif eq < 1 and step > 1:
        eq, step = len(EQUATIONS), step - 1
    state.put("eq", min(max(eq, 1), len(EQUATIONS)))
    state.put("step", step)


def navigation(translation) -> tuple[int, int, int, int]:
    """The step, the equation, the layer and the head, each bound to the link; Back and Next walk the
    equations then the steps (the clicker's keys press them)."""
    n_steps = len(translation.steps)
    layers, heads = toward.shape(translation)
    toward.clamp_layer_head(layers, heads)
    talk.arrive_at_end("step_through", n_steps, len(EQUATIONS))  # a talk entering from the next page: the end
    first = state.get("step") == 1 and state.get("eq") == 1
    last = state.get("step") == n_steps and state.get("eq") == len(EQUATIONS)
    # Keyed like the additive step page's: the keys press them, and past a disabled one the talk moves on.
    row = st.columns([1, 4, 1], vertical_alignment="bottom")
    row[0].button(
        t("step.previous"), key="step_back", on_click=move, args=(-1, n_steps), width="stretch", disabled=first
    )
    row[2].button(
        t("step.next"),
        key="step_next",
        on_click=move,
        args=(1, n_steps),
        width="stretch",
        disabled=last,
        type="primary",
    )
    row[1].select_slider(
        t("step.decoder_step"),
        options=list(range(1, n_steps + 1)),
        format_func=lambda i: f"i = {i} → {translation.steps[i - 1].chosen}",
        key=state.widget_key("step"),
        label_visibility=page_frame.slide_label(),
    )
    eq_col, layer_col, head_col = st.columns([3, 1, 1.4])
    slide = page_frame.presenting()  # a slide names each equation by its symbol, on one line

    def eq_name(k: int) -> str:
        return SYMBOLS[k - 1] if slide else t(f"transformer.eq.{EQUATIONS[k - 1][0]}")

    equations = range(1, len(EQUATIONS) + 1)
    label = t("transformer.equation")
    sentence_inputs.choice("eq", label, equations, eq_name, eq_col, page_frame.slide_label())
    toward.layer_picker(layers, heads, layer_col, head_col)
    return state.commit("step"), state.commit("eq"), state.commit("layer"), state.commit("head")


def row_map(matrix, rows, cols, title, value, gold: int = -1, unit: bool = False):
    return toward.row_figure(np.atleast_2d(matrix), rows, cols, title, value, gold, unit)


def dims(n: int) -> list[str]:
    return [str(a + 1) for a in range(n)]


def equation_view(number: int, cross, words: list[str], layer: int, head: int, gold: int) -> tuple[str, list]:
    """The written-out numbers (markdown) and the figures of equation ``number`` for ``head`` of ``cross``."""
    h = head - 1
    j = int(np.argmax(cross.alpha[h]))  # the word this head looks at most: its numbers are written out
    word, d_k = escape_markdown(words[j]), int(cross.Q.shape[-1])
    name = t("toward.head_row", layer=layer, head=head)
    if number == 1:
        text = t(
            "transformer.n.q", d_model=cross.x.shape[-1], d_k=d_k, q=", ".join(f"{v:.3f}" for v in cross.Q[h][:TERMS])
        )
        return text, [row_map(cross.Q[h], [name], dims(d_k), t("transformer.f.q", name=name), "q")]
    if number == 2:
        text = t("transformer.n.kv", T_x=len(words), d_k=d_k)
        if page_frame.presenting():  # a slide: the keys of the words around the one looked at, each labelled
            shown = figures.window(j - toward.SLIDE_SELF_ROWS // 2, toward.SLIDE_SELF_ROWS, len(words))
            K, rows = cross.K[h][shown.start : shown.stop], figures.axis_labels(words)[shown.start : shown.stop]
            return text, [figures.word_map(K, rows, dims(d_k), t("transformer.f.k", name=name), "", "", "k")]
        k_map = figures.word_map(cross.K[h], words, dims(d_k), t("transformer.f.k", name=name), "", "", "k")
        v_map = figures.word_map(cross.V[h], words, dims(d_k), t("transformer.f.v", name=name), "", "", "v")
        return text, [k_map, v_map]
    if number == 3:
        # numbers and symbols only, but the word escaped: it is the person's
        products = written_sum(cross.Q[h], cross.K[h][j])
        text = f"e[{j + 1}] = ({products}) / √{d_k} = **{cross.e[h, j]:.4f}** ({word})"
        return text, [row_map(cross.e[h], [name], words, t("transformer.f.e", name=name), "e")]
    if number == 4:
        allowed = int(np.sum(cross.mask))
        text = t("transformer.n.mask", allowed=allowed, T_x=len(words))
        return text, [row_map(cross.e_masked[h], [name], words, t("transformer.f.mask", name=name), "ẽ")]
    if number == 5:
        text = t(
            "transformer.n.alpha", j=j + 1, word=word, alpha=float(cross.alpha[h, j]), e=float(cross.e_masked[h, j])
        )
        return text, [row_map(cross.alpha[h], [name], words, t("transformer.f.alpha", name=name), "α", gold, True)]
    if number == 6:
        sum_text = f"c[1] = {written_sum(cross.alpha[h], cross.V[h][:, 0])} = **{cross.head_context[h, 0]:.4f}**"
        rows = [t("toward.head_row", layer=layer, head=k + 1) for k in range(cross.alpha.shape[0])]
        figure = row_map(cross.head_context, rows, dims(d_k), t("transformer.f.context", layer=layer), "c")
        return sum_text, [figure]
    text = t("transformer.n.output", heads=cross.alpha.shape[0], d_v=d_k, d_model=cross.output.shape[-1])
    concat = row_map(
        cross.concat,
        [t("toward.layer_n", layer=layer)],
        dims(cross.concat.shape[-1]),
        t("transformer.f.concat", layer=layer),
        "c",
    )
    output = row_map(
        cross.output,
        [t("toward.layer_n", layer=layer)],
        dims(cross.output.shape[-1]),
        t("transformer.f.output", layer=layer),
        "o",
    )
    return text, [concat, output]


def all_heads(translation, i: int, gold: int) -> None:
    """Every head's α at step ``i``, every layer, side by side, the gold word outlined."""
    layers, heads = toward.shape(translation)
    alpha = np.vstack([c.alpha for c in translation.steps[i - 1].cross])  # (layers · heads, T_x)
    rows = toward.head_rows(layers, heads)
    figure = toward.row_figure(
        alpha, rows, list(translation.source_tokens), t("transformer.f.all", i=i), "α", gold, True
    )
    toward.draw(figure, f"transformer_heads_step{i}", exports.about(state.get("text"), i))


def show(model: str, names: tuple[str, ...]) -> None:
    """The step page for the Transformer: the sentence, the pickers, one equation of the chosen layer's and
    head's cross-attention with its numbers, and every head's α at the step."""
    sentence_inputs.sentence_inputs(with_source=False, with_target=False)
    text = state.commit("text")
    notices.stop_without_words(text, names)
    with st.spinner(t("spinner.model")):
        translation = compute.translate(text, model, None)
    notices.stop_without_words(translation.source_tokens, names)
    notices.translation_notices(translation, model)
    notices.clamp_step(len(translation.steps))
    if not page_frame.presenting():
        st.caption(t("transformer.intro"))
    i, number, layer, head = navigation(translation)
    state.write_url(names)
    words = list(translation.source_tokens)
    gold = toward.gold_column(model_words.reference_for(words, model), i)
    key, latex = EQUATIONS[number - 1]
    st.markdown(f"**{number}. {t(f'transformer.eq.{key}')}** · {t('toward.head_row', layer=layer, head=head)}")
    st.latex(latex)
    text_line, shown = equation_view(number, translation.steps[i - 1].cross[layer - 1], words, layer, head, gold)
    st.markdown(text_line)
    if page_frame.presenting() and number == 5:
        all_heads(translation, i, gold)  # a slide: the chosen head's α among every other head's
        return
    for k, figure in enumerate(shown):
        toward.draw(figure, f"transformer_step{i}_eq{number}_{k}_layer{layer}_head{head}", exports.about(text, i))
    if not page_frame.presenting():
        all_heads(translation, i, gold)
