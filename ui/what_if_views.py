"""The What if page's four views, one slide each in presenter mode: override α, pick a word, swap a
source word, beam search. Each shows the model's own computation beside the intervention's."""

from __future__ import annotations

import numpy as np
import streamlit as st

from ui import compute, figures, layout, state, what_if
from ui.strings import t

TREE_STEPS = 8  # decoder steps of the beam tree drawn at once: a long sentence's tree pages by step
TYPED_KEY = "whatif_typed_weights"  # the typed weights' box (its text is parsed on change)
TYPED_ERROR = "whatif_typed_error"


def _step_slider(translation, key_scope: str, on_change=None) -> int:
    """The decoder step these views look at, bound to ``step`` (shared with the step page);
    ``on_change`` is called with the slider's key."""
    n = len(translation.steps)
    if n == 1:
        state.put("step", 1)
        return 1
    key = state.widget_key("step", key_scope)
    st.select_slider(
        t("step.decoder_step"),
        options=list(range(1, n + 1)),
        format_func=lambda i: what_if.step_label(translation, i),
        key=key,
        on_change=on_change,
        args=(key,) if on_change else None,
    )
    return state.commit("step", key_scope)


def _scope(translation) -> str:
    from ui.step_panel import translation_scope

    return translation_scope(translation)


def _open_step(step: int, eq: int) -> None:
    state.put("step", step)
    state.put("eq", eq)


def _open_step_button(step: int, eq: int, key: str) -> None:
    if layout.presenting():
        return
    if st.button(
        t("whatif.open_step", i=step), icon=":material/stairs:", key=key, on_click=_open_step, args=(step, eq)
    ):
        st.switch_page("pages/step_through.py")


# --------------------------------------------------------------------------- override α


def _set_override(step: int, j: int | None = None, weights=None) -> None:
    state.put("override", state.dump_override(step, j, weights))
    st.session_state.pop(TYPED_KEY, None)
    st.session_state.pop(TYPED_ERROR, None)


def _set_mode(step: int, own_alpha) -> None:
    mode = st.session_state.get("whatif_override_mode")
    n = len(own_alpha)
    if mode == "own":
        state.put("override", "")
    elif mode == "word":
        _set_override(step, j=int(np.argmax(own_alpha)))
    elif mode == "uniform":
        _set_override(step, weights=[1] * n)
    elif mode == "typed":
        _set_override(step, weights=own_alpha)


def _typed_changed(step: int, n: int) -> None:
    raw = st.session_state.get(TYPED_KEY, "")
    try:
        weights = [float(w) for w in raw.replace(";", ",").split(",")]
        what_if.override_weights(state.dump_override(step, weights=weights), n)
    except ValueError:
        st.session_state[TYPED_ERROR] = raw[:200]
        return
    st.session_state.pop(TYPED_ERROR, None)
    state.put("override", state.dump_override(step, weights=weights))


def _move_override(slider_key: str) -> None:
    """The step slider moved: an override moves with it, keeping its kind."""
    raw, step = state.get("override"), st.session_state.get(slider_key)
    if not raw or step is None:
        return
    _, j, weights = state.parse_override(raw)
    state.put("override", state.dump_override(step, j, weights))


def _override_mode(interventions) -> str:
    if interventions.override is None:
        return "own"
    if interventions.override_word is not None:
        return "word"
    weights = interventions.override[1]
    return "uniform" if max(weights) - min(weights) < 1e-9 else "typed"


def override_view(text: str, source: str, translation, interventions) -> None:
    """α replaced at one step, and what follows: c′ beside c, y′ beside y, the rest of the sentence."""
    own, _ = compute.translate_with(text, source, None, interventions.picks, interventions.beam, None)
    if interventions.override is not None:
        state.put("step", interventions.override[0])
    i = _step_slider(own, "ov:" + _scope(own), on_change=_move_override)
    i = min(i, len(translation.steps), len(own.steps))
    before, after = own.steps[i - 1], translation.steps[i - 1]
    tokens = translation.source_tokens
    own_alpha = after.own_alpha if after.overridden else after.trace.alpha
    mode = _override_mode(interventions)
    st.session_state["whatif_override_mode"] = mode
    row = st.container(horizontal=True, wrap=True, vertical_alignment="bottom")
    row.segmented_control(
        t("whatif.override_mode"),
        options=["own", "word", "uniform", "typed"],
        format_func=lambda m: t(f"whatif.mode.{m}"),
        key="whatif_override_mode",
        required=True,
        on_change=_set_mode,
        args=(i, own_alpha),
    )
    if mode == "word" or (mode == "own" and not layout.presenting()):
        words = st.container(horizontal=True, wrap=True, vertical_alignment="center")
        words.markdown(t("whatif.click_word", word=layout.escape_markdown(before.chosen)))
        for j, token in enumerate(tokens):
            words.button(
                f"{j + 1} {token}",
                key=f"ov_word_{j}",
                type="primary" if interventions.override_word == j else "secondary",
                on_click=_set_override,
                args=(i,),
                kwargs={"j": j},
            )
    if mode == "typed" and not layout.presenting():
        if TYPED_KEY not in st.session_state:
            st.session_state[TYPED_KEY] = ", ".join(f"{w:.4g}" for w in interventions.override[1])
        st.text_input(t("whatif.typed"), key=TYPED_KEY, on_change=_typed_changed, args=(i, len(tokens)))
        if TYPED_ERROR in st.session_state:
            st.error(t("whatif.typed_error", n=len(tokens)), icon=":material/error:")
    if interventions.override is None:
        st.info(t("whatif.override_none"), icon=":material/touch_app:")
        return
    height = what_if.SLIDE_CHART_PX if layout.presenting() else None
    left, right = st.columns(2)
    with left:
        what_if.chart(
            figures.compare_bars(
                before.trace.alpha,
                after.trace.alpha,
                tokens,
                t("whatif.alpha_title", i=i),
                t("axis.source"),
                "α",
                (t("whatif.own"), t("whatif.given")),
            ),
            height,
        )
        st.markdown(
            t("whatif.alpha_note", total=f"{float(np.sum(after.trace.alpha, dtype=np.float64)):.6f}")
            + " "
            + t("whatif.context_gap", i=i, gap=f"{what_if.norm_gap(after.trace.context, before.trace.context):.4f}")
        )
    with right:
        words = list(dict.fromkeys([w for w, _ in before.top_words] + [w for w, _ in after.top_words]))[:8]
        vocab = compute.translator(source).target
        ids = [vocab.id(w) for w in words]
        what_if.chart(
            figures.compare_bars(
                before.probabilities[ids],
                after.probabilities[ids],
                words,
                t("whatif.y_title", i=i),
                t("eq.y.word"),
                "P",
                (t("whatif.own"), t("whatif.given")),
            ),
            height,
        )
        st.markdown(
            t(
                "whatif.y_note",
                i=i,
                before=layout.escape_markdown(before.predicted),
                after=layout.escape_markdown(after.predicted),
            )
        )
    sentences(own.target_tokens, translation.target_tokens, t("whatif.own_sentence"), t("whatif.new_sentence"))
    if not layout.presenting():
        what_if.chart(
            figures.vector_strips(
                [before.trace.context, after.trace.context],
                [f"c_{i}", f"c′_{i}"],
                t("whatif.c_title", i=i),
                t("axis.dim"),
                t("axis.value"),
            )
        )
        _open_step_button(i, 5, "ov_open")


def sentences(before: list[str], after: list[str], before_name: str, after_name: str) -> None:
    """Two translations one above the other, the words of the second that differ marked."""
    lines = [
        f"**{before_name}** {layout.token_line(before)}",
        f"**{after_name}** {what_if.changed_line(after, before)}",
    ]
    same = before == after
    n = len(what_if.changed_words(after, before))
    lines.append(t("whatif.same") if same else t("whatif.changed", n=n, before=len(before), after=len(after)))
    st.markdown("  \n".join(lines))


# --------------------------------------------------------------------------- pick a word


def pick_view(text: str, source: str, translation, interventions) -> None:
    """The top five words at a step; a click continues the sentence from that word."""
    own, _ = compute.translate_with(text, source, None, (), interventions.beam, interventions.override)
    i = _step_slider(translation, "pick:" + _scope(translation))
    what_if.candidates(translation, i - 1, interventions, key="wi_cand")
    sentences(own.target_tokens, translation.target_tokens, t("whatif.own_sentence"), t("whatif.picked_sentence"))
    if translation.alpha is not None and translation.target_tokens and own.target_tokens:
        _alpha_maps(own, translation, t("whatif.own_sentence"), t("whatif.picked_sentence"))
    _open_step_button(i, 7, "pick_open")


def _alpha_maps(first, second, first_title: str, second_title: str) -> None:
    height = what_if.SLIDE_CHART_PX if layout.presenting() else None
    left, right = st.columns(2)
    for col, run, title in ((left, first, first_title), (right, second, second_title)):
        with col:
            what_if.chart(
                figures.heatmap(
                    run.alpha,
                    run.target_tokens,
                    run.source_tokens,
                    f"α: {title}",
                    t("axis.output"),
                    t("axis.source"),
                    "α",
                    domain=(0.0, 1.0),
                ),
                height,
            )


# --------------------------------------------------------------------------- swap a source word


def _set_swap(j_key: str, word_key: str) -> None:
    j, word = st.session_state.get(j_key), st.session_state.get(word_key)
    state.put("swap", "" if j is None or not word else f"{j + 1}:{word}")


def swap_view(text: str, source: str, translation, interventions) -> None:
    """One source word replaced by another of its class: both translations and both α maps."""
    tokens = translation.source_tokens
    raw = state.get("swap")
    j, word = None, None
    if raw:
        j, word = state.parse_swap(raw)
        if j >= len(tokens) or word not in compute.same_class_words(tokens[j]):
            st.warning(t("whatif.bad_swap", value=layout.escape_markdown(raw[:80])), icon=":material/warning:")
            state.put("swap", "")
            j, word = None, None
    swappable = [k for k, token in enumerate(tokens) if compute.same_class_words(token)]
    if not swappable:
        st.info(t("whatif.no_swap"), icon=":material/info:")
        return
    if j is None:
        j, word = swappable[0], compute.same_class_words(tokens[swappable[0]])[0]
        state.put("swap", f"{j + 1}:{word}")
    scope = _scope(translation)
    j_key, word_key = f"swap_j:{scope}", f"swap_word:{scope}:{j}"
    st.session_state[j_key] = j
    st.session_state[word_key] = word
    row = st.container(horizontal=True, wrap=True, vertical_alignment="bottom")
    row.selectbox(
        t("whatif.swap_at"),
        options=swappable,
        format_func=lambda k: f"{k + 1} {tokens[k]}",
        key=j_key,
        on_change=_set_swap_position,
        args=(j_key,),
    )
    row.selectbox(
        t("whatif.swap_with"),
        options=compute.same_class_words(tokens[j]),
        key=word_key,
        on_change=_set_swap,
        args=(j_key, word_key),
    )
    swapped_tokens = [*tokens[:j], word, *tokens[j + 1 :]]
    swapped, _ = compute.translate_with(" ".join(swapped_tokens), source, None, (), interventions.beam, None)
    own, _ = compute.translate_with(text, source, None, (), interventions.beam, None)
    lines = [
        f"**{t('whatif.source_before')}** {layout.token_line(tokens, highlight=j)}",
        f"**{t('whatif.source_after')}** {layout.token_line(swapped_tokens, highlight=j)}",
    ]
    st.markdown("  \n".join(lines))
    sentences(own.target_tokens, swapped.target_tokens, t("whatif.own_sentence"), t("whatif.swapped_sentence"))
    if own.alpha is not None and own.target_tokens and swapped.target_tokens:
        _alpha_maps(own, swapped, t("whatif.own_sentence"), t("whatif.swapped_sentence"))
        looks = [int(np.argmax(row)) for row in swapped.alpha]
        attends = [k for k, look in enumerate(looks) if look == j]
        st.caption(
            t(
                "whatif.swap_looks",
                word=layout.escape_markdown(word),
                outputs=", ".join(layout.escape_markdown(swapped.target_tokens[k]) for k in attends) or "—",
            )
        )


def _set_swap_position(j_key: str) -> None:
    j = st.session_state.get(j_key)
    tokens = compute.tokenize(state.get("text"))
    options = compute.same_class_words(list(tokens)[j]) if j is not None else []
    state.put("swap", f"{j + 1}:{options[0]}" if options else "")


# --------------------------------------------------------------------------- beam search


def beam_view(text: str, source: str, translation, interventions) -> None:
    """The beam tree of the sentence, its result beside greedy's with both scores."""
    layout.beam_input()
    width = state.get("beam")
    greedy, _ = compute.translate_with(text, source, None, interventions.picks, 1, interventions.override)
    if width != interventions.beam:  # the box changed in this run: the translation follows it now
        translation, _ = compute.translate_with(text, source, None, interventions.picks, width, interventions.override)
    best, greedy_best = translation.hypotheses[0], greedy.hypotheses[0]
    lines = [
        t("whatif.beam_result", k=width, score=f"{best.score:.4f}", log_prob=f"{best.log_prob:.4f}")
        + " "
        + what_if.changed_line(translation.target_tokens, greedy.target_tokens),
        t("whatif.greedy_result", score=f"{greedy_best.score:.4f}", log_prob=f"{greedy_best.log_prob:.4f}")
        + " "
        + layout.token_line(greedy.target_tokens),
        t("whatif.normalisation"),
    ]
    st.markdown("  \n".join(lines))
    if translation.beam is None:
        st.info(t("whatif.beam_one"), icon=":material/info:")
        return
    nodes = translation.beam.nodes
    last = max(n.step for n in nodes)
    start = 0
    if last >= TREE_STEPS:
        start = st.slider(t("whatif.tree_from"), 0, last - TREE_STEPS + 1, 0, key=f"tree_from:{_scope(translation)}")
    shown = [n for n in nodes if start <= n.step < start + TREE_STEPS]
    what_if.chart(
        figures.beam_tree(shown, t("whatif.tree_title", k=width), t("whatif.tree_step"), t("whatif.pruned")),
        what_if.SLIDE_CHART_PX * 2 if layout.presenting() else None,
    )
    if not layout.presenting():
        rows = {
            t("whatif.hyp_words"): [" ".join(h.tokens) for h in translation.hypotheses],
            "log P": [round(h.log_prob, 4) for h in translation.hypotheses],
            t("whatif.hyp_score"): [round(h.score, 4) for h in translation.hypotheses],
            t("whatif.hyp_ended"): [h.finished for h in translation.hypotheses],
        }
        st.dataframe(rows, width="stretch", hide_index=True)


VIEWS = {"override": override_view, "pick": pick_view, "swap": swap_view, "beam": beam_view}
assert tuple(VIEWS) == state.WHAT_IF_VIEWS
