"""The step-through page's panel: navigation, the equation with its numbers, its tensor and figure.

The page runs ``show`` as a fragment, so Next and Back rerun this panel only. Everything the
panel names (the step, the equation, the source word) is read once from the canonical state
and used for both the widgets and the numbers, so the screen never names one step while it
computes another.
"""

from __future__ import annotations

import functools
import threading
import zlib
from collections import OrderedDict

import numpy as np
import streamlit as st

from ui.charts import figures
from ui.charts.equations import EQUATION_NUMBERS, STEPS, EquationStep, EquationView, StepContext, step_of
from ui.models import catalog, compute
from ui.presenter import held_step
from ui.session import state
from ui.strings import escape_markdown, language, t
from ui.views import what_if
from ui.widgets import exports, model_picker, page_frame, sentence_inputs

LAST_EQ = EQUATION_NUMBERS[-1]
ALPHA_EQ = next(n for n in EQUATION_NUMBERS if step_of(n).key == "alpha")  # 5
SLIDE_PLOT_PX = 180  # a chart's plot area on a slide: with its title and labels it fits beside the equation
SLIDE_IMAGE_PX = 330  # a matrix drawn as one picture on a slide: its height, with its explanation below it
SLIDE_COLUMN_PX = 547  # the chart's column of a 1280 px slide


def translation_scope(translation) -> str:
    """A short tag of the sentence and its translation: widgets choosing among its steps and
    words are new widgets when it changes, so none keeps a label of the previous sentence."""
    text = "\x1f".join([*translation.source_tokens, "\x1e", *translation.target_tokens, str(translation.forced)])
    return f"{zlib.crc32(text.encode('utf-8')):08x}"


def walking() -> bool:
    """ "This equation only" (``only`` in the link): Next and Back keep the equation and change the word.

    Read from the toggle itself when it is drawn: a click on it reruns before the page commits it."""
    return state.commit("only")


def move(delta: int, n_steps: int) -> None:
    """Next (+1) or Back (−1): the next equation, or with "this equation only" the next word.

    A step held in the browser (``held_step``) passes on only the presses into another step."""
    held_step.answer_press()
    held_step.adopt()
    eq, step = state.get("eq"), state.get("step")
    if walking():
        # The equation stays, and is not set again: a held step's script keeps its own.
        state.put("step", min(max(step + delta, 1), n_steps))
        return
    if held_step.last_held():
        eq = 1 if delta > 0 else LAST_EQ
        step = min(max(step + delta, 1), n_steps)
    else:
        eq += delta
        if eq > LAST_EQ and step < n_steps:
            eq, step = 1, step + 1  # past y_i: the next decoder step starts again at W1 h_j
        elif eq < 1 and step > 1:
            eq, step = LAST_EQ, step - 1
    state.put("eq", min(max(eq, 1), LAST_EQ))
    state.put("step", step)


def at_start() -> bool:
    return state.get("step") == 1 and (walking() or state.get("eq") == 1)


def at_end(n_steps: int) -> bool:
    return state.get("step") == n_steps and (walking() or state.get("eq") == LAST_EQ)


# Keyed "step_back"/"step_next": the keyboard script presses them by these keys.
def back_button(where, n_steps: int, width: str, disabled: bool | None = None) -> None:
    where.button(
        t("step.previous"),
        on_click=move,
        args=(-1, n_steps),
        width=width,
        disabled=at_start() if disabled is None else disabled,
        key="step_back",
    )


def next_button(where, n_steps: int, width: str, disabled: bool | None = None) -> None:
    where.button(
        t("step.next"),
        on_click=move,
        args=(1, n_steps),
        type="primary",
        width=width,
        disabled=at_end(n_steps) if disabled is None else disabled,
        key="step_next",
    )


def navigation(translation, scope: str, interventions, model: str) -> tuple[int, int]:
    """Back, where we are, Next (and for the shipped model, the switch to the model without attention);
    returns the decoder step (1-based) and the equation number."""
    n_steps = len(translation.steps)
    if page_frame.presenting():
        back, middle, forward = st.columns([1, 2.4, 1], vertical_alignment="center")
        back_button(back, n_steps, width="stretch")
        next_button(forward, n_steps, width="stretch")
        step, eq = state.get("step"), state.get("eq")
        s = translation.steps[step - 1]
        label, walk = middle.columns([3, 2], vertical_alignment="center")
        label.markdown(
            t("step.where", i=s.i, word=sentence_inputs.token_line([s.chosen], highlight=0), eq=eq, n=LAST_EQ)
        )
        walk.toggle(t("step.walk_one"), key=state.widget_key("only"))
        return state.commit("step", scope), state.commit("eq")
    step_row(st.container(horizontal=True, vertical_alignment="bottom"), translation, scope, interventions)
    step = state.commit("step", scope)
    row = st.container(horizontal=True, wrap=True, vertical_alignment="bottom")
    sentence_inputs.choice("eq", t("step.equation"), EQUATION_NUMBERS, _equation_label, where=row)
    switches(row, model)
    return step, state.commit("eq")


def switches(row, model: str) -> None:
    """ "This equation only", and for the shipped model the switch to the model without attention."""
    row.toggle(t("step.walk_one"), key=state.widget_key("only"), help=t("step.walk_one_help"))
    state.commit("only")
    if catalog.get(model).baseline:
        row.toggle(t("whatif.baseline"), key=state.widget_key("baseline"), help=t("whatif.baseline_help"))
        state.commit("baseline")
    elif catalog.get(model).own:  # where the switch would be: why it is not
        row.caption(t("own.no_baseline", name=model_picker.model_name(model)))


def step_row(
    row, translation, scope: str, interventions, back_off: bool | None = None, next_off: bool | None = None
) -> None:
    """Back, the decoder step's slider, Next, in one row: one block rather than a block per column,
    since every block is a message the server sends on each run. ``back_off``/``next_off``: whether
    Back and Next are disabled (by default where the step and equation cannot move)."""
    n_steps = len(translation.steps)
    back_button(row, n_steps, width="content", disabled=back_off)
    row.select_slider(
        t("step.decoder_step"),
        options=list(range(1, n_steps + 1)),
        format_func=lambda i: what_if.step_label(translation, i, interventions),
        key=state.widget_key("step", scope),
    )
    next_button(row, n_steps, width="content", disabled=next_off)


def held_navigation(translation, scope: str, interventions, model: str) -> int:
    """The reading view's navigation for a step held in the browser; returns the decoder step.

    Back and Next move within the step in the page's script: here they are disabled only where
    no equation of the step could move ("this equation only" on the first or last word). Each
    equation has its choice of equation drawn with it, showing itself."""
    n_steps, step = len(translation.steps), state.get("step")
    keep = walking()
    row = st.container(horizontal=True, vertical_alignment="bottom", key="held_nav")
    step_row(row, translation, scope, interventions, back_off=keep and step <= 1, next_off=keep and step >= n_steps)
    for number in EQUATION_NUMBERS:
        key = f"eq_choice_{number}"
        st.session_state[key] = number  # each shows its own equation: the script switches between them
        st.container(key=held_step.part_key(number, "choice")).segmented_control(
            t("step.equation"),
            options=EQUATION_NUMBERS,
            format_func=_equation_label,
            key=key,
            required=True,
            on_change=_chose,
            args=(key,),
        )
    switches(st.container(horizontal=True, wrap=True, vertical_alignment="bottom"), model)
    return state.commit("step", scope)


def _chose(key: str) -> None:
    """An equation chosen where the page's script did not catch the click (it had not loaded)."""
    state.put("eq", st.session_state[key])


def base_name(*parts: str) -> str:
    """A download's name without extension: a slug of the sentence, then ``parts``."""
    return "_".join([exports.slug(state.get("text")), *parts])


def _equation_label(number: int) -> str:
    return f"{number}. {t(f'eq.{step_of(number).key}.name')}"


def token_lines(translation, step, interventions, number: int) -> None:
    """The sentence and the translation, the word being produced marked, from equation ``ALPHA_EQ``
    (α) on the most-attended source word too, each picked word marked "picked"."""
    looked = int(np.argmax(step.trace.alpha))
    # Marked only once α exists (equation 5 on): before it, the mark would give the answer away,
    # and so would a slide's excerpt of a long sentence centred on it (it follows the step instead).
    shown = looked if number >= ALPHA_EQ else None
    center = looked if number >= ALPHA_EQ else min(step.i, len(translation.source_tokens)) - 1
    source = what_if.excerpt_line(
        translation.source_tokens, center, highlight=shown, unknown=translation.unknown_source
    )
    output = what_if.output_line(translation, interventions, highlight=None if step.is_end else step.i - 1)
    lines = f"**{t('step.source')}** {source}  \n**{t('step.output')}** {output}"
    if step.overridden:
        lines += "  \n" + t("whatif.step_overridden", i=step.i)
    st.markdown(lines)


def entry_pickers(equation: EquationStep, translation, step, scope: str) -> tuple[int, int]:
    """The source word j and the dimension whose numbers are written out; presenter mode picks them."""
    j = default_word(step, equation)
    if page_frame.presenting() or not (equation.picks_word or equation.dimension):
        return j, 0
    row = st.container(horizontal=True, wrap=True)
    if equation.picks_word:
        j = word_picker(row, translation, step, scope, default=j)
    a = dimension_picker(row, equation.dimension, dimension_sizes(translation, step)) if equation.dimension else 0
    return j, a


def dimension_sizes(translation, step) -> dict[str, int]:
    return {"d_a": step.trace.W1_h.shape[1], "d_h": translation.h.shape[1]}


def default_word(step, equation: EquationStep) -> int:
    """The source word j whose numbers are written out before anyone picks one: the first word.

    Not the word α peaks on: the equations before α (1–4) would name the answer before it is
    computed. A slide, which has no picker, shows the peak from α on, where it is the point. A step whose α
    was overridden starts at the word the override weights most: the person chose it, it gives nothing away."""
    after_alpha = STEPS.index(equation) + 1 >= ALPHA_EQ
    peak = int(np.argmax(step.trace.alpha))
    return peak if step.overridden or (page_frame.presenting() and after_alpha) else 0


def word_picker(where, translation, step, scope: str, default: int = 0) -> int:
    """The source word j; it starts at the first word (``default_word``) and keeps a choice made
    through the equations that do not pick a word (the widget is not drawn there, and forgotten)."""
    key = f"entry_j:{scope}:{step.i}"
    j = where.selectbox(
        t("step.entry_j"),
        options=list(range(len(translation.source_tokens))),
        index=st.session_state.get(f"kept:{key}", default),
        format_func=lambda k: f"j = {k + 1}: {translation.source_tokens[k]}",
        key=key,
    )
    st.session_state[f"kept:{key}"] = j
    return j


def dimension_picker(where, dimension: str, sizes: dict[str, int]) -> int:
    """The 0-based entry of ``dimension`` (d_a or d_h) written out."""
    size = sizes[dimension]
    return where.number_input(t("step.entry_a"), 1, size, 1, key=f"entry_a:{dimension}:{size}") - 1


def held_pickers(translation, step, scope: str) -> tuple[int, dict[str, int]]:
    """A held step's pickers, each shown with the equations that use it (``held_step.PICKERS``):
    the word j, and the entry of d_a and of d_h."""
    row = st.container(horizontal=True, wrap=True)
    first = int(np.argmax(step.trace.alpha)) if step.overridden else 0  # default_word, for every equation of the step
    j = word_picker(row.container(key=held_step.picker_key("j"), width="content"), translation, step, scope, first)
    sizes = dimension_sizes(translation, step)
    entries = {
        size: dimension_picker(row.container(key=held_step.picker_key(size), width="content"), size, sizes)
        for size in ("d_a", "d_h")
    }
    return j, entries


def equation_text(number: int, equation: EquationStep, view: EquationView) -> None:
    """The equation's name, its general form, what it does (on a slide: beside the chart), its numbers."""
    st.subheader(f"{number}. {t(f'eq.{equation.key}.name')}")
    st.latex(equation.latex)
    if not page_frame.presenting():
        st.caption(t(f"eq.{equation.key}.explain"))
    st.latex(view.worked)


def presenter_screen(number: int, equation: EquationStep, view: EquationView, right=None, extra=None) -> None:
    """A slide: the equation and its numbers on the left, the chart on the right, nothing below the fold.

    ``right``, when given, draws the right column instead of the chart and its explanation (the
    baseline beside this step); ``extra`` (y_i's five candidates) takes the explanation's place.
    """
    left, right_col = st.columns([1.1, 1], gap="large")
    with left:
        equation_text(number, equation, view)
    with right_col:
        if right is not None:
            right()
            return
        if view.figure.is_chart:
            # SLIDE_PLOT_PX: the plot area; title, labels and legend around it (less when candidates follow)
            height = SLIDE_PLOT_PX if extra is None else SLIDE_PLOT_PX - 60
            st.vega_lite_chart(
                view.figure.on_screen(slide=True, marks=True, height=height), width="stretch", alt=view.figure.title
            )
        else:  # a long sentence's matrix, one picture: as wide as fits a slide's height
            image = view.figure.image
            width = min(SLIDE_COLUMN_PX, int(SLIDE_IMAGE_PX * image.width / max(image.height, 1)))
            st.image(image, width=width, alt=view.figure.title)
        if extra is not None or view.facts_replace_explanation:
            st.markdown(" ".join(view.facts))
        else:
            st.markdown(" ".join([t(f"eq.{equation.key}.explain"), *view.facts]))
        if extra is not None:
            extra()


DOWNLOADS_OPEN = "step_downloads_open"  # session: the downloads stay open from step to step
CODE_OPEN = "step_code_open"


def learner_screen(number: int, equation: EquationStep, view: EquationView, ctx: StepContext, extra=None) -> None:
    """The equation, then the figure beside its table; the downloads and the code that computed it
    on request."""
    equation_screen(number, equation, view, ctx, extra)
    extras([(number, equation, view, ctx)])


def equation_screen(number: int, equation: EquationStep, view: EquationView, ctx: StepContext, extra=None) -> None:
    """The reading view of one equation: its text and numbers, what it shows, the figure beside its table."""
    equation_text(number, equation, view)
    for fact in view.facts:
        st.info(fact, icon=":material/info:")
    if extra is not None:  # y_i's candidates, next to the numbers they come from
        extra()
    chart_col, table_col = st.columns([3, 2])
    with chart_col:
        exports.show_figure(view.figure, key=f"step{ctx.i}_eq{number}", downloads=False)
    with table_col:
        st.caption(t("step.shape", shape=view.shape))
        st.dataframe(view.arrow_table, width="stretch", height=min(420, 38 + 35 * len(view.table)))


def extras(screens: list[tuple[int, EquationStep, EquationView, StepContext]]) -> None:
    """The downloads and the code of the equations in ``screens`` (one, or a held step's seven, each
    in its own container), built only while their box is open.

    Every element is a message on each run, and five download buttons cost a quarter of a press
    on the server (14.2 → 10.9 ms measured without them), for a room of phones that never downloads.
    """
    held = len(screens) > 1
    downloads = st.expander(t("step.downloads"), icon=":material/download:", key=DOWNLOADS_OPEN, on_change="rerun")
    if downloads.open:
        with downloads:
            row = None
            for number, _, view, ctx in screens:
                where = st.container(key=held_step.part_key(number, "downloads")) if held else st.container()
                row = where.container(horizontal=True, wrap=True)  # the buttons wrap rather than cut their labels
                equation_downloads(number, view, ctx, row)
            step_files(screens[0][3], st.container(horizontal=True, wrap=True) if held else row)
    code = st.expander(t("step.code"), key=CODE_OPEN, on_change="rerun")
    if code.open:
        with code:
            for number, equation, _, _ in screens:
                where = st.container(key=held_step.part_key(number, "code")) if held else st
                where.code(equation.source_code(), language="python")


def equation_downloads(number: int, view: EquationView, ctx: StepContext, row) -> None:
    """The figure as PNG and SVG, the table as CSV."""
    step = ctx.step
    base = base_name(f"step{step.i}")
    caption = exports.about(state.get("text"), step.i, step.chosen)
    exports.figure_downloads(view.figure, f"step{step.i}_eq{number}", f"{base}_eq{number}", where=row, caption=caption)
    row.download_button(
        t("export.csv"),
        data=exports.csv_bytes(view.table),
        file_name=f"{base}_eq{number}.csv",
        mime="text/csv",
        on_click="ignore",
    )


def step_files(ctx: StepContext, row) -> None:
    """The step's tensors as NPZ, the step's seven figures as a ZIP of PNGs."""
    translation, step = ctx.translation, ctx.step
    trace = step.trace
    traced = ("W1_h", "W2_s", "pre_activation", "tanh_activation", "e", "alpha", "context")
    arrays = {
        "h": translation.h,
        "s_prev": step.s_prev,
        **{name: getattr(trace, name) for name in traced},
        "logits": step.logits,
        "probabilities": step.probabilities,
    }
    npz = exports.npz_bytes(
        arrays,
        source_tokens=translation.source_tokens,
        target_tokens=translation.target_tokens,
        target_vocabulary=ctx.target_vocab.tokens,
    )
    base = base_name(f"step{step.i}")
    caption = exports.about(state.get("text"), step.i, step.chosen)
    downloads = (
        ("export.npz", npz, f"{base}.npz", "application/octet-stream"),
        ("export.zip", lambda: all_figures_zip(ctx, base, caption), f"{base}_figures.zip", "application/zip"),
    )
    for label, data, file_name, mime in downloads:
        row.download_button(t(label), data=exports.in_session(data), file_name=file_name, mime=mime, on_click="ignore")


def all_figures_zip(ctx: StepContext, base: str, caption: str | None = None) -> bytes:
    """The figures of every equation of this decoder step, numbered in the page's order, each titled
    with ``caption`` (by default the sentence as the model read it, the step and its word)."""
    caption = caption or exports.about(" ".join(ctx.tokens), ctx.i, ctx.step.chosen)
    return exports.zip_of_pngs([equation.view(ctx).figure for equation in STEPS], base, caption)


# One panel drawn at a time, server-wide. Every session's run has a thread of its own, and a
# room pressing Next together has dozens drawing at once: they only take turns at the
# interpreter lock, each switch costing CPU, and every render finishes late. Queued here, each
# draws at full speed. Measured (200 sessions, Next every ~5 s): p95 from 4.8 s to 1.5 s.
PANEL_LOCK = threading.Lock()
# Panels queued for the lock, and how many queued behind a panel make it draw one equation rather
# than the whole step: seven equations are an investment that six presses repay, worth making
# when the server has room, not while others wait on it (held_step.holds).
_QUEUE = {"waiting": 0}
_QUEUE_LOCK = threading.Lock()
BUSY_QUEUE = 2


def show(translation, model: str, names: tuple[str, ...], interventions) -> None:
    """The whole panel for the current step and equation of ``model``'s translation (the page's fragment)."""
    with _QUEUE_LOCK:
        _QUEUE["waiting"] += 1
    with PANEL_LOCK:
        with _QUEUE_LOCK:
            _QUEUE["waiting"] -= 1
            behind = _QUEUE["waiting"]
        draw(translation, model, names, interventions, busy=behind >= BUSY_QUEUE)


def draw(translation, model: str, names: tuple[str, ...], interventions, busy: bool = False) -> None:
    what_if.rerun_page_if_asked()
    if held_step.holds(busy):
        draw_held(translation, model, names, interventions)
        return
    held_step.drawn(False)
    translator = compute.translator(model)
    scope = translation_scope(translation)
    step_number, number = navigation(translation, scope, interventions, model)
    state.write_url(names)
    held_step.keeper(step_number, len(translation.steps), number, walking(), held=False)
    step = translation.steps[step_number - 1]
    token_lines(translation, step, interventions, number)
    equation = step_of(number)
    j, a = entry_pickers(equation, translation, step, scope)
    ctx = StepContext(
        translation, step_number - 1, j, a, translator.params, translator.output_weights, translator.target
    )
    view = equation_view(view_key(model, interventions, step_number, number, j, a), number, ctx)
    beside = state.get("baseline") and catalog.get(model).baseline
    candidates = candidates_of(translation, step_number, number, interventions)
    if page_frame.presenting():
        right = functools.partial(baseline_beside, translation, step) if beside else None
        presenter_screen(number, equation, view, right=right, extra=candidates)
        return
    learner_screen(number, equation, view, ctx, extra=candidates)
    if beside:
        baseline_beside(translation, step)


def candidates_of(translation, step_number: int, number: int, interventions):
    """What y_i (the last equation) draws beside its numbers: its five candidates; None for the others."""
    if number != LAST_EQ:
        return None
    return functools.partial(what_if.candidates, translation, step_number - 1, interventions, in_fragment=True)


def view_key(model: str, interventions, step_number: int, number: int, j: int, a: int) -> tuple:
    """What decides the view of one equation of one step, in plain values (``equation_view``)."""
    return (
        state.get("text"),
        model,  # the view of one model is never shown for another, nor for one trained again under its name
        compute.model_stamp(model),
        state.get("target").strip(),
        interventions.key(),
        step_number - 1,
        number,
        j,
        a,
        language(),
    )


def draw_held(translation, model: str, names: tuple[str, ...], interventions) -> None:
    """The reading view of a step held in the browser (``held_step``): all seven equations, one shown."""
    held_step.adopt()
    held_step.drawn(True)
    translator = compute.translator(model)
    scope = translation_scope(translation)
    step_number = held_navigation(translation, scope, interventions, model)
    state.write_url(names)
    held_step.keeper(step_number, len(translation.steps), state.get("eq"), walking())
    step = translation.steps[step_number - 1]
    for number in EQUATION_NUMBERS:
        with st.container(key=held_step.part_key(number, "lines")):
            token_lines(translation, step, interventions, number)
    picked, entries = held_pickers(translation, step, scope)
    looked = int(np.argmax(step.trace.alpha))
    screens = []
    for number in EQUATION_NUMBERS:
        equation = step_of(number)
        j = picked if equation.picks_word else looked
        a = entries[equation.dimension] if equation.dimension else 0
        ctx = StepContext(
            translation, step_number - 1, j, a, translator.params, translator.output_weights, translator.target
        )
        view = equation_view(view_key(model, interventions, step_number, number, j, a), number, ctx)
        with st.container(key=held_step.part_key(number, "body")):
            equation_screen(number, equation, view, ctx, candidates_of(translation, step_number, number, interventions))
        screens.append((number, equation, view, ctx))
    extras(screens)
    if state.get("baseline") and catalog.get(model).baseline:
        baseline_beside(translation, step)


def baseline_beside(translation, step) -> None:
    """The same step of the model without attention, fed the same words: its fixed summary in place of c_i."""
    model = model_picker.chosen_model()
    other = compute.baseline_beside(state.get("text"), tuple(translation.target_tokens), model).steps[step.i - 1]
    st.markdown(t("whatif.baseline_title", i=step.i))
    if page_frame.presenting():  # one slide: the two distributions, each named with its context
        for this, name, c_name in (
            (step, t("whatif.with_attention"), "c_i = Σ α h"),
            (other, t("whatif.without_attention"), "c = ←h_1"),
        ):
            words = [w for w, _ in this.top_words][:3]
            probs = np.array([p for _, p in this.top_words][:3])
            st.markdown(t("whatif.baseline_column", name=name, c=c_name, word=escape_markdown(this.predicted)))
            figure = figures.bars(probs, words, "", "", "P")  # the line above names the words
            what_if.chart(figure, height=70)
        return
    with_col, without_col = st.columns(2)
    for col, this, name, c_name in (
        (with_col, step, t("whatif.with_attention"), "c_i = Σ α h"),
        (without_col, other, t("whatif.without_attention"), "c = ←h_1"),
    ):
        words = [w for w, _ in this.top_words]
        probs = np.array([p for _, p in this.top_words])
        title = f"{name}: P(y_{step.i})"
        with col:
            st.markdown(t("whatif.baseline_column", name=name, c=c_name, word=escape_markdown(this.predicted)))
            figure = figures.bars(probs, words, title, t("eq.y.word"), "P")
            what_if.chart(figure, height=what_if.SLIDE_CHART_PX if page_frame.presenting() else None)
    if not page_frame.presenting():
        strips = figures.vector_strips(
            [step.trace.context, other.trace.context],
            [f"c_{step.i}", "←h_1"],
            t("whatif.baseline_contexts", i=step.i),
            t("axis.dim"),
            t("axis.value"),
        )
        what_if.chart(strips)


# A view is ~50 kB (its table, Arrow table and chart), ~12 MB for 256: the seven equations of 36
# steps. A room on one link moves through a sentence together, a step's seven at a time.
VIEWS_KEPT = 256
_VIEWS: OrderedDict[tuple, EquationView] = OrderedDict()
_VIEWS_LOCK = threading.Lock()


def equation_view(key: tuple, number: int, ctx: StepContext) -> EquationView:
    """Equation ``number`` of a step as drawn, built once per server for every session that shows it.

    A room opens one link and steps through the same screens: the numbers, the table and the
    chart spec are the same for all of them. ``key`` holds plain values that decide the view
    (sentence, model, forced target, step, equation, entry, language); on a miss it is built from
    ``ctx``, the session's own translation: fetching that again by its text would retranslate
    whenever the bounded translation cache had dropped it (a room of different sentences).
    Least recently used views go first; a view is only read after this, never changed.
    """
    with _VIEWS_LOCK:
        view = _VIEWS.get(key)
        if view is not None:
            _VIEWS.move_to_end(key)
            return view
    view = step_of(number).view(ctx).prepare()
    with _VIEWS_LOCK:
        _VIEWS[key] = view
        while len(_VIEWS) > VIEWS_KEPT:
            _VIEWS.popitem(last=False)
    return view
