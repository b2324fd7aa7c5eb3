"""The What if page's four views, one slide each in presenter mode: override α, pick a word, swap a
source word, beam search. Each shows the model's own computation beside the intervention's."""

from __future__ import annotations

import numpy as np
import streamlit as st

from ui.charts import figures
from ui.models import catalog, compute, model_words
from ui.presenter import talk
from ui.session import state
from ui.strings import escape_markdown, t
from ui.views import what_if
from ui.views.step_panel import translation_scope as _scope
from ui.widgets import model_picker, page_frame, sentence_inputs

TREE_STEPS = 8  # decoder steps of the beam tree drawn at once: a long sentence's tree pages by step
TREE_STEPS_ON_SLIDE = 6  # fewer on a slide, whose words are set larger
SLIDE_PRUNED = 1  # pruned words per step in a slide's tree
SLIDE_STEP_PIXELS = 190  # a step of the tree on a slide: six of them across 1280 px, 18 px words
TYPED_KEY = "whatif_typed_weights"  # the typed weights' box (its text is parsed on change)
TYPED_ERROR = "whatif_typed_error"


def step_slider(translation, key_scope: str, on_change=None) -> int:
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
        label_visibility=page_frame.slide_label(),
    )
    return state.commit("step", key_scope)


def _open_step(step: int, eq: int) -> None:
    state.put("step", step)
    state.put("eq", eq)


def _open_step_button(step: int, eq: int, key: str) -> None:
    if page_frame.presenting():
        return
    if st.button(
        t("whatif.open_step", i=step), icon=":material/stairs:", key=key, on_click=_open_step, args=(step, eq)
    ):
        st.switch_page("pages/step_through.py")


# --------------------------------------------------------------------------- override α


LABELLED_BARS = 30  # source words in one α chart on a page; beyond this a window of them, every one labelled


def _word_chosen(step: int, key: str) -> None:
    if st.session_state.get(key) is not None:
        _set_override(step, j=int(st.session_state[key]))


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


def talk_override(text: str, model: str) -> None:
    """The talk opens What if on an intervention, not bare controls: at step 2 (or the only one), all of α
    on the source word the model looks at least there. A sentence the speaker already changed (an
    override, a pick, a swap) is kept as it is."""
    if not talk.arrived("what_if") or any(state.get(name) for name in state.INTERVENTIONS):
        return
    own = compute.translate(text, model, None)
    if len(own.source_tokens) < 2 or not own.steps:
        return  # one word: α has nowhere else to go
    step = min(2, len(own.steps))
    state.put("override", state.dump_override(step, int(np.argmin(own.steps[step - 1].trace.alpha))))


def override_view(text: str, model: str, translation, interventions) -> None:
    """α replaced at one step, and what follows: c′ beside c, y′ beside y, the rest of the sentence."""
    own, _ = compute.translate_with(text, model, None, interventions.picks, interventions.beam, None)
    if interventions.override is not None:
        state.put("step", interventions.override[0])
    i = step_slider(own, "ov:" + _scope(own), on_change=_move_override)
    i = min(i, len(translation.steps), len(own.steps))
    before, after = own.steps[i - 1], translation.steps[i - 1]
    _override_controls(translation, interventions, i, before, after)
    if interventions.override is None:
        st.info(t("whatif.override_none"), icon=":material/touch_app:")
        return
    _override_charts(model, translation.source_tokens, i, before, after)
    notes = [
        t("whatif.alpha_note", total=f"{float(np.sum(after.trace.alpha, dtype=np.float64)):.6f}"),
        t("whatif.context_gap", i=i, gap=f"{what_if.norm_gap(after.trace.context, before.trace.context):.4f}"),
        t(
            "whatif.y_note",
            i=i,
            before=escape_markdown(before.predicted),
            after=escape_markdown(after.predicted),
        ),
    ]
    st.markdown(" ".join(notes))
    sentences(own.target_tokens, translation.target_tokens, t("whatif.own_sentence"), t("whatif.new_sentence"))
    if not page_frame.presenting():
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


def _override_controls(translation, interventions, i: int, before, after) -> None:
    """How α is replaced at step ``i``: the model's own, one word (click it), uniform, or typed weights."""
    tokens = translation.source_tokens
    own_alpha = after.own_alpha if after.overridden else after.trace.alpha
    mode = _override_mode(interventions)
    st.session_state["whatif_override_mode"] = mode
    row = st.container(horizontal=True, wrap=True, vertical_alignment="center")
    row.segmented_control(
        t("whatif.override_mode"),
        options=["own", "word", "uniform", "typed"],
        format_func=lambda m: t(f"whatif.mode.{m}"),
        key="whatif_override_mode",
        required=True,
        on_change=_set_mode,
        args=(i, own_alpha),
        label_visibility=page_frame.slide_label(),
    )
    if mode == "word" or (mode == "own" and not page_frame.presenting()):
        # On a slide the words follow the mode on its row; on a page they get a row of their own.
        words = (
            row if page_frame.presenting() else st.container(horizontal=True, wrap=True, vertical_alignment="center")
        )
        words.markdown(t("whatif.click_word", word=escape_markdown(before.chosen)))
        _word_choices(words, translation, interventions, i, before)
    if mode == "typed" and not page_frame.presenting():
        if TYPED_KEY not in st.session_state:
            st.session_state[TYPED_KEY] = ", ".join(f"{w:.4g}" for w in interventions.override[1])
        st.text_input(t("whatif.typed"), key=TYPED_KEY, on_change=_typed_changed, args=(i, len(tokens)))
        if TYPED_ERROR in st.session_state:
            st.error(t("whatif.typed_error", n=len(tokens)), icon=":material/error:")


def _word_choices(where, translation, interventions, i: int, before) -> None:
    """The source words to put all of α on: a button each, or on a slide with a long sentence one menu."""
    tokens = translation.source_tokens
    if page_frame.presenting() and len(tokens) > what_if.SLIDE_WORDS:
        # A long sentence's words would fill the slide as buttons: one menu of them instead.
        key = f"ov_word_menu:{_scope(translation)}:{i}"
        st.session_state[key] = interventions.override_word
        where.selectbox(
            t("whatif.click_word", word=before.chosen),
            options=list(range(len(tokens))),
            format_func=lambda k: f"{k + 1} {tokens[k]}",
            key=key,
            label_visibility="collapsed",
            on_change=_word_chosen,
            args=(i, key),
        )
        return
    for j, token in enumerate(tokens):
        where.button(
            f"{j + 1} {token}",
            key=f"ov_word_{j}",
            type="primary" if interventions.override_word == j else "secondary",
            on_click=_set_override,
            args=(i,),
            kwargs={"j": j},
        )


def _override_charts(model: str, tokens: list[str], i: int, before, after) -> None:
    """α beside α′, and P(y) beside P(y′) over the words either ranks in its top 5."""
    height = what_if.SLIDE_CHART_PX if page_frame.presenting() else None
    series = (t("whatif.own"), t("whatif.given"))
    # Every source word labelled: a long sentence shows the words around the one α′ puts most on.
    many = what_if.SLIDE_WORDS if page_frame.presenting() else LABELLED_BARS
    cols = list(figures.window(int(np.argmax(after.trace.alpha)) - many // 2, many, len(tokens)))
    part = ""
    if len(cols) < len(tokens):
        part = " " + t("whatif.words_part", a=cols[0] + 1, b=cols[-1] + 1, n=len(tokens))
    words = list(dict.fromkeys([w for w, _ in before.top_words] + [w for w, _ in after.top_words]))[:8]
    ids = [compute.translator(model).target.id(w) for w in words]
    left, right = st.columns(2)
    with left:
        alpha = figures.compare_bars(
            before.trace.alpha[cols],
            after.trace.alpha[cols],
            [f"{k + 1} {tokens[k]}" for k in cols],
            t("whatif.alpha_title", i=i) + part,
            t("axis.source"),
            "α",
            series,
        )
        what_if.chart(alpha, height)
    with right:
        y = figures.compare_bars(
            before.probabilities[ids],
            after.probabilities[ids],
            words,
            t("whatif.y_title", i=i),
            t("eq.y.word"),
            "P",
            series,
        )
        what_if.chart(y, height)
        if not page_frame.presenting():  # the logits behind both distributions, word by word
            logits = {
                t("eq.y.word"): words,
                "logit": [round(float(before.logits[k]), 4) for k in ids],
                "logit′": [round(float(after.logits[k]), 4) for k in ids],
                "P": [round(float(before.probabilities[k]), 4) for k in ids],
                "P′": [round(float(after.probabilities[k]), 4) for k in ids],
            }
            st.dataframe(logits, hide_index=True, width="stretch")


def sentences(before: list[str], after: list[str], before_name: str, after_name: str) -> None:
    """Two translations one above the other, the words of the second that are new or replaced marked;
    when none is (words only left out), the words of the first it leaves out."""
    changed = what_if.changed_words(after, before)
    dropped = what_if.dropped_words(after, before)
    center = (changed or dropped or [0])[0]
    lines = [
        f"**{before_name}** {what_if.excerpt_line(before, center, bold=dropped)}",
        f"**{after_name}** {what_if.excerpt_line(after, center, bold=changed)}",
    ]
    if before == after:
        lines.append(t("whatif.same"))
    elif changed:
        lines.append(t("whatif.changed", n=len(changed), before=len(before), after=len(after)))
    else:
        lines.append(t("whatif.dropped", n=len(dropped), before=len(before)))
    st.markdown("  \n".join(lines))


# --------------------------------------------------------------------------- pick a word


def pick_view(text: str, model: str, translation, interventions) -> None:
    """The top five words at a step; a click continues the sentence from that word."""
    own, _ = compute.translate_with(text, model, None, (), interventions.beam, interventions.override)
    i = step_slider(translation, "pick:" + _scope(translation))
    what_if.candidates(translation, i - 1, interventions, key="wi_cand")
    sentences(own.target_tokens, translation.target_tokens, t("whatif.own_sentence"), t("whatif.picked_sentence"))
    if translation.alpha is not None and translation.target_tokens and own.target_tokens:
        _alpha_maps(own, translation, t("whatif.own_sentence"), t("whatif.picked_sentence"))
    _open_step_button(i, 7, "pick_open")


MAP_ROWS, MAP_COLS = 10, 14  # the part of a long sentence's α map drawn: every label stays readable
MAP_ROWS_ON_SLIDE = 6


def _alpha_maps(first, second, first_title: str, second_title: str, source_column: int | None = None) -> None:
    """Both α maps side by side, on a long sentence the same window of each: the rows from the
    first word that differs, the columns around the word those rows look at (or ``source_column``)."""
    changed = what_if.changed_words(second.target_tokens, first.target_tokens)
    row0 = (changed[0] if changed else 0) - 2
    n_rows = MAP_ROWS_ON_SLIDE if page_frame.presenting() else MAP_ROWS
    rows = figures.window(row0, n_rows, max(len(first.target_tokens), len(second.target_tokens)))
    if source_column is None:
        looked = second.alpha[[r for r in rows if r < len(second.alpha)]]
        source_column = int(np.median(np.argmax(looked, axis=1))) if len(looked) else 0
    cols = figures.window(source_column - MAP_COLS // 2, MAP_COLS, len(second.source_tokens))
    whole = len(rows) == max(len(first.target_tokens), len(second.target_tokens)) and len(cols) == len(
        second.source_tokens
    )
    left, right = st.columns(2)
    for col, run, title in ((left, first, first_title), (right, second, second_title)):
        kept_rows = [r for r in rows if r < len(run.target_tokens)]
        with col:
            what_if.chart(
                figures.heatmap(
                    run.alpha[np.ix_(kept_rows, list(cols))],
                    [f"{r + 1} {run.target_tokens[r]}" for r in kept_rows],
                    [f"{c + 1} {run.source_tokens[c]}" for c in cols],
                    f"α: {title}",
                    t("axis.output"),
                    t("axis.source"),
                    "α",
                    domain=(0.0, 1.0),
                    row_pixels=24 if page_frame.presenting() else figures.ROW_PIXELS,
                )
            )
    if not whole and not page_frame.presenting():
        st.caption(
            t(
                "whatif.map_window",
                rows=f"{rows.start + 1}–{rows.stop}",
                cols=f"{cols.start + 1}–{cols.stop}",
                n=len(second.target_tokens),
                m=len(second.source_tokens),
            )
        )


# --------------------------------------------------------------------------- swap a source word


def _set_swap(j_key: str, word_key: str) -> None:
    j, word = st.session_state.get(j_key), st.session_state.get(word_key)
    state.put("swap", "" if j is None or not word else f"{j + 1}:{word}")


def swap_view(text: str, model: str, translation, interventions) -> None:
    """One source word replaced by another of its class (a model without word classes: one of its most
    frequent source words): both translations and both α maps."""
    tokens = translation.source_tokens
    chosen = _swap_choice(translation, model)
    if chosen is None:
        own = catalog.get(model).own
        st.info(
            t("own.no_swap", name=model_picker.model_name(model)) if own else t("whatif.no_swap"),
            icon=":material/info:",
        )
        return
    j, word = chosen
    swapped_tokens = [*tokens[:j], word, *tokens[j + 1 :]]
    swapped, _ = compute.translate_with(" ".join(swapped_tokens), model, None, (), interventions.beam, None)
    own, _ = compute.translate_with(text, model, None, (), interventions.beam, None)
    lines = [
        f"**{t('whatif.source_before')}** {what_if.excerpt_line(tokens, j, highlight=j)}",
        f"**{t('whatif.source_after')}** {what_if.excerpt_line(swapped_tokens, j, highlight=j)}",
    ]
    st.markdown("  \n".join(lines))
    sentences(own.target_tokens, swapped.target_tokens, t("whatif.own_sentence"), t("whatif.swapped_sentence"))
    if own.alpha is None or not own.target_tokens or not swapped.target_tokens:
        return
    _alpha_maps(own, swapped, t("whatif.own_sentence"), t("whatif.swapped_sentence"), source_column=j)
    if page_frame.presenting():
        return
    attends = [k for k, row in enumerate(swapped.alpha) if int(np.argmax(row)) == j]
    outputs = ", ".join(escape_markdown(swapped.target_tokens[k]) for k in attends) or "—"
    st.caption(t("whatif.swap_looks", word=escape_markdown(word), outputs=outputs))


def _swap_choice(translation, model: str) -> tuple[int, str] | None:
    """The swap of the link (checked), or the first one possible; its two menus. None: nothing to swap."""
    tokens = translation.source_tokens
    raw = state.get("swap")
    j, word = None, None
    if raw:
        j, word = state.parse_swap(raw)
        if j >= len(tokens) or word not in model_words.swap_words(tokens[j], model):
            st.warning(t("whatif.bad_swap", value=escape_markdown(raw[:80])), icon=":material/warning:")
            state.put("swap", "")
            j, word = None, None
    swappable = [k for k, token in enumerate(tokens) if model_words.swap_words(token, model)]
    if not swappable:
        return None
    if j is None:
        j, word = swappable[0], model_words.swap_words(tokens[swappable[0]], model)[0]
        state.put("swap", f"{j + 1}:{word}")
    scope = _scope(translation)
    j_key, word_key = f"swap_j:{scope}", f"swap_word:{scope}:{j}"
    st.session_state[j_key] = j
    st.session_state[word_key] = word
    row = st.container(horizontal=True, wrap=True, vertical_alignment="bottom")
    row.selectbox(
        t("whatif.swap_at"),
        label_visibility=page_frame.slide_label(),
        options=swappable,
        format_func=lambda k: f"{k + 1} {tokens[k]}",
        key=j_key,
        on_change=_set_swap_position,
        args=(j_key, model),
    )
    row.selectbox(
        t("whatif.swap_with"),
        label_visibility=page_frame.slide_label(),
        options=model_words.swap_words(tokens[j], model),
        key=word_key,
        on_change=_set_swap,
        args=(j_key, word_key),
    )
    return j, word


def _set_swap_position(j_key: str, model: str) -> None:
    j = st.session_state.get(j_key)
    tokens = model_words.tokenize_for(state.get("text"), model)
    options = model_words.swap_words(list(tokens)[j], model) if j is not None else []
    state.put("swap", f"{j + 1}:{options[0]}" if options else "")


# --------------------------------------------------------------------------- beam search


def _tree_nodes(nodes, start: int, steps: int) -> list:
    """The nodes of steps ``start`` … ``start + steps − 1``; on a slide only the best pruned words of each."""
    shown = [n for n in nodes if start <= n.step < start + steps]
    if not page_frame.presenting():
        return shown
    pruned_seen: dict[int, int] = {}
    kept = []
    for n in shown:
        if not n.kept:
            pruned_seen[n.step] = pruned_seen.get(n.step, 0) + 1
            if pruned_seen[n.step] > SLIDE_PRUNED:
                continue  # the rest is noise from the back of the room
        kept.append(n)
    return kept


def beam_view(text: str, model: str, translation, interventions) -> None:
    """The beam tree of the sentence, its result beside greedy's with both scores."""
    controls = st.container(horizontal=True, vertical_alignment="bottom")
    sentence_inputs.beam_input(where=controls)
    width = state.get("beam")
    greedy, _ = compute.translate_with(text, model, None, interventions.picks, 1, interventions.override)
    if width != interventions.beam:  # the box changed in this run: the translation follows it now
        translation, _ = compute.translate_with(text, model, None, interventions.picks, width, interventions.override)
    best, greedy_best = translation.hypotheses[0], greedy.hypotheses[0]
    lines = [
        t("whatif.beam_result", k=width, score=f"{best.score:.4f}", log_prob=f"{best.log_prob:.4f}")
        + " "
        + what_if.changed_line(translation.target_tokens, greedy.target_tokens),
        t("whatif.greedy_result", score=f"{greedy_best.score:.4f}", log_prob=f"{greedy_best.log_prob:.4f}")
        + " "
        + what_if.excerpt_line(greedy.target_tokens, 0),
        t("whatif.normalisation"),
    ]
    if translation.beam is None:
        st.markdown("  \n".join(lines))
        st.info(t("whatif.beam_one"), icon=":material/info:")
        return
    nodes = translation.beam.nodes
    last = max(n.step for n in nodes)
    steps = TREE_STEPS_ON_SLIDE if page_frame.presenting() else TREE_STEPS
    start = 0
    if last >= steps:
        start = controls.slider(
            t("whatif.tree_from"), 0, last - steps + 1, 0, key=f"tree_from:{_scope(translation)}:{steps}"
        )
    st.markdown("  \n".join([*lines, t("whatif.tree_legend")]))
    shown = _tree_nodes(nodes, start, steps)
    rows = max(sum(1 for n in shown if n.step == k) for k in {n.step for n in shown})
    tree = figures.beam_tree(
        shown,
        t("whatif.tree_title", k=width),
        t("whatif.tree_step"),
        t("whatif.pruned"),
        step_pixels=SLIDE_STEP_PIXELS if page_frame.presenting() else 0,
    )
    n_steps = len({n.step for n in shown})
    with st.container(key="beam_tree"):  # scrolls sideways on a phone (APP_CSS), the page does not
        if page_frame.presenting():
            what_if.chart(tree, height=min(rows * 30, 280), marks=True, width="content")
        else:  # the column's width, at least figures.BEAM_MIN_STEP_PIXELS a step (figures.BEAM_TREE_CSS)
            with st.container(key=figures.beam_steps_key(n_steps)):
                what_if.chart(tree, marks=True)
    if not page_frame.presenting():
        rows = {
            t("whatif.hyp_words"): [" ".join(h.tokens) for h in translation.hypotheses],
            "log P": [round(h.log_prob, 4) for h in translation.hypotheses],
            t("whatif.hyp_score"): [round(h.score, 4) for h in translation.hypotheses],
            t("whatif.hyp_ended"): [h.finished for h in translation.hypotheses],
        }
        st.dataframe(rows, width="stretch", hide_index=True)


VIEWS = {"override": override_view, "pick": pick_view, "swap": swap_view, "beam": beam_view}
assert tuple(VIEWS) == state.WHAT_IF_VIEWS
