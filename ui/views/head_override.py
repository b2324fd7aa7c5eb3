"""What if with a Transformer: one head's cross-attention at one step put all on one source word.

The translation re-decoded under ``head_overrides`` (``TransformerTranslator.translate``): that head's
context becomes the word's value vector V_j, the layer's output follows from it, and so do the words after
it. The link keeps it as for the additive model: ``override=STEP:J`` with ``layer`` and ``head``.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from ui.charts import figures
from ui.models import compute
from ui.session import state
from ui.strings import escape_markdown, t
from ui.views import toward, what_if, what_if_views
from ui.widgets import notices, page_frame, sentence_inputs

WORD_KEY = "head_override_word"
SLIDE_CHART_PX = 150  # the overridden α on a 1280×720 slide, under the controls and the two sentences


def _chosen(step: int) -> None:
    j = st.session_state[WORD_KEY]
    state.put("override", "" if j is None else f"{step}:{j + 1}")


def _override(n_tokens: int, n_steps: int) -> tuple[int, int] | None:
    """The link's override as (step, j), 0-based j; a value that does not fit is said and dropped."""
    raw = state.get("override")
    if not raw:
        return None
    try:
        step, j, _ = what_if.override_weights(raw, n_tokens)
        if j is None:
            raise ValueError("weights: a head is overridden onto one word")
        if step > n_steps:
            raise ValueError(f"step {step} of {n_steps}")
    except ValueError:
        st.warning(t("whatif.bad_override", value=escape_markdown(raw[:80]), n=n_tokens))
        state.put("override", "")
        return None
    return step, j


def show(text: str, model: str, names: tuple[str, ...]) -> None:
    """The view, then the link written and the page ended: the additive views read one α, not heads."""
    with st.spinner(t("spinner.model")):
        own = compute.translate(text, model, None)
    notices.stop_without_words(own.source_tokens, names)
    notices.translation_notices(own, model)
    if not page_frame.presenting():
        st.caption(t("heads.intro"))
    tokens = list(own.source_tokens)
    override = _override(len(tokens), len(own.steps))
    if override is not None:
        state.put("step", override[0])
    notices.clamp_step(len(own.steps))
    layers, heads = toward.shape(own)
    toward.clamp_layer_head(layers, heads)
    slide = page_frame.presenting()
    # on a slide one row: every line counts
    if slide:
        step_col, layer_col, head_col, word_col = st.columns([2.6, 1, 1.7, 2.1])
    else:
        step_col, (layer_col, head_col), word_col = st.container(), st.columns(2), st.container()
    with step_col:
        step = what_if_views.step_slider(own, "heads")
    toward.layer_picker(layers, heads, layer_col, head_col)
    layer, head = state.commit("layer"), state.commit("head")
    j = override[1] if override is not None and override[0] == step else None
    st.session_state[WORD_KEY] = j
    word_col.selectbox(
        t("heads.word", layer=layer, head=head, step=step),
        options=[None, *range(len(tokens))],
        format_func=lambda k: t("heads.own") if k is None else f"{k + 1}: {tokens[k]}",
        key=WORD_KEY,
        on_change=_chosen,
        args=(step,),
        label_visibility=page_frame.slide_label(),
    )
    if j is None:
        st.info(t("heads.choose"), icon=":material/info:")
        state.write_url(names)
        st.stop()
    weights = tuple(float(k == j) for k in range(len(tokens)))
    with st.spinner(t("spinner.model")):
        after = compute.translate_heads(text, model, ((step, layer, head, weights),))
    consequences(own, after, step, layer, head, j)
    state.write_url(names)
    st.stop()


def consequences(own, after, step: int, layer: int, head: int, j: int) -> None:
    """The two sentences, the head's α before and after, and its context against V_j."""
    what_if_views.sentences(own.target_tokens, after.target_tokens, t("whatif.own_sentence"), t("heads.after"))
    tokens = list(own.source_tokens)
    before_cross, after_cross = own.steps[step - 1].cross[layer - 1], after.steps[step - 1].cross[layer - 1]
    shown = ((before_cross, "heads.alpha_own"), (after_cross, "heads.alpha_after"))
    if page_frame.presenting():
        shown = shown[1:]  # a slide: the overridden α alone, the sentences say what changed
    for column, (cross, title) in zip(st.columns(len(shown)), shown):
        with column:
            what_if.chart(
                figures.bars(
                    cross.alpha[head - 1],
                    tokens,
                    t(title, step=step, layer=layer, head=head),
                    "" if page_frame.presenting() else t("axis.source"),
                    "α",
                ),
                height=SLIDE_CHART_PX if page_frame.presenting() else None,
            )
    context = after_cross.head_context[head - 1]
    gap = float(np.max(np.abs(context - after_cross.V[head - 1, j])))
    st.markdown(
        t(
            "heads.context",
            head=head,
            j=j + 1,
            gap=f"{gap:.1e}",
            moved=f"{what_if.norm_gap(context, before_cross.head_context[head - 1]):.3f}",
            word=sentence_inputs.token_line([tokens[j]]),
            before=own.steps[step - 1].chosen,
            after=after.steps[step - 1].chosen,
        )
    )
