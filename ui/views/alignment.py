"""The alignment page's content: the whole α matrix of a translation at a point of training chosen on a
slider (the final model with the person's picks and beam), its downloads and the training as a GIF,
how it compares with the reference alignment, and a row's candidates and way into Step through.

The translations at each snapshot come from ``ui.models.compute``; this module draws them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
import streamlit as st

from ui.charts import figures
from ui.models import catalog, compute, model_words
from ui.session import state
from ui.strings import escape_markdown, t
from ui.views import what_if
from ui.widgets import exports, model_picker, notices, page_frame

SLIDE_MAP_PIXELS = 264  # the map's rows on a 1280×720 slide, below the bar, the slider, the title and the line under it
SLIDE_ROWS = 12  # a long map's output words per slide: with the slider and the reference line, the slide fits


@dataclass(frozen=True)
class Replay:
    """One sentence replayed through a model's training: the sentence, the target forced on it (or ""),
    the model and its snapshots' weights files, untrained first and final last."""

    text: str
    target: str
    model: str
    names: tuple[str, ...]

    @property
    def forced(self) -> str | None:
        return self.target.strip() or None


def replay(text: str, target: str, model: str) -> Replay:
    """``text`` through ``model``'s snapshots (a folder model replays its own training); a link's
    snapshot past the model's last falls back to the final one with a notice."""
    names = tuple(compute.snapshot_names(model))
    snap = state.get("snap")
    if snap != -1 and snap >= len(names) - 1:  # the last snapshot is the final, -1; a model may have fewer
        st.warning(t("notice.bad_param", name="snap", value=str(snap), default="-1"), icon=":material/warning:")
        state.put("snap", -1)
    return Replay(text, target, model, names)


def _snapshot_name(k: int, names: tuple[str, ...]) -> str:
    """A snapshot in a file name: "final", or the training step of its weights file."""
    return "final" if k == -1 or k == len(names) - 1 else names[k].removesuffix(".npz")


def _snapshot_label(k: int, names: tuple[str, ...], model: str) -> str:
    if k == -1 or k == len(names) - 1:
        return t("align.final")
    if k == 0:
        return t("align.untrained")
    seen = compute.snapshot_pairs_seen(model).get(names[k])
    return t("align.snapshot_label", pairs=f"{seen:,}") if seen is not None else names[k].removesuffix(".npz")


def chosen_translation(run: Replay, page_names: tuple[str, ...]):
    """The training slider, then the translation at the snapshot it names (the final one: with the
    person's picks and beam)."""
    names = run.names
    if len(names) > 1:  # a model without snapshots has only its final weights to show
        st.select_slider(
            t("align.snapshot"),
            options=[*range(len(names) - 1), -1],
            format_func=partial(_snapshot_label, names=names, model=run.model),
            key=state.widget_key("snap"),
        )
    snap = state.commit("snap")
    state.write_url(page_names)
    with st.spinner(t("spinner.model")):
        interventions = None
        if snap == -1:  # the final model: the person's picks and beam apply (snapshots show training alone)
            translation, interventions = what_if.read(run.text, run.model, run.target)
        else:
            translation = compute.translate_at_snapshot(run.text, names[snap], run.forced, run.model)
    notices.translation_notices(translation, run.model)
    notices.stop_without_words(translation.target_tokens and translation.source_tokens, page_names)  # ends the fragment
    return translation, interventions, snap


def _gold(translation, model: str) -> tuple[int, ...] | None:
    """The reference alignment of ``translation`` (the toy grammar's, or the model's data's where it has
    one), when its output words are the reference's."""
    reference = model_words.reference_for(translation.source_tokens, model)
    same_words = reference is not None and tuple(translation.target_tokens) == tuple(reference.fr)
    return reference.align if same_words and model_words.has_gold(reference) else None


def slide_row_pixels(n_rows: int) -> int:
    """Rows that share a slide's height: 32 px for a short translation, less for a long one."""
    return max(figures.MIN_ROW_PIXELS, min(32, SLIDE_MAP_PIXELS // max(1, n_rows)))


def alignment_figure(run: Replay, alpha, target_tokens, source_tokens, k: int, gold=None):
    """The α matrix of one snapshot, titled (on one line) with its place in training, the reference cells outlined."""
    return figures.word_map(
        alpha,
        target_tokens,
        source_tokens,
        t("align.map_title", when=_snapshot_label(k, run.names, run.model)),
        t("axis.output"),
        t("axis.source"),
        "α",
        domain=(0.0, 1.0),
        row_pixels=slide_row_pixels(len(target_tokens)) if page_frame.presenting() else 32,
        gold=gold,
        gold_title=t("own.gold") if model_picker.own_model() else t("align.gold"),
    )


def training_gif(run: Replay) -> bytes:
    """Every snapshot's α for this sentence, untrained to final, as the frames of one GIF."""
    frames = []
    for k in [*range(len(run.names) - 1), -1]:
        if k == -1:
            translation = compute.translate(run.text, run.model, run.forced)
        else:
            translation = compute.translate_at_snapshot(run.text, run.names[k], run.forced, run.model)
        if translation.target_tokens:
            gold = _gold(translation, run.model)
            frames.append(
                alignment_figure(run, translation.alpha, translation.target_tokens, translation.source_tokens, k, gold)
            )
        elif translation.steps:  # the snapshot ends the sentence at once: its one step is the α that chose <end>
            alpha = translation.steps[0].trace.alpha[None]
            frames.append(alignment_figure(run, alpha, [t("mask.word_end")], translation.source_tokens, k))
    return exports.animated_gif(frames)


def _untitled(spec: dict) -> dict:
    """A copy of a chart's spec without its title, at the top and in each layer (axis titles stay)."""
    out = {k: v for k, v in spec.items() if k != "title"}
    if "layer" in out:
        out["layer"] = [_untitled(layer) for layer in out["layer"]]
    return out


def show_map(figure, name: str) -> None:
    """The map, its title as text above it, then its downloads. Without the title the chart's spec is the
    same at every snapshot of a sentence (the words are data), so the browser swaps the data into the
    view it has instead of building a new one; exports keep the title in the figure."""
    st.markdown(f"**{escape_markdown(figure.title)}**")
    spec = _untitled(figure.on_screen(slide=page_frame.presenting()))
    # the same text alternative at every snapshot: a new one would make the browser draw a new view
    st.vega_lite_chart(spec, width="stretch", height=figure.height, alt=t("why.alpha_title"))
    if not page_frame.presenting():
        exports.figure_downloads(figure, "alignment", name, where=st.container(horizontal=True, wrap=True))


def slide_count(run: Replay) -> int:
    """In presenter mode, the slides of the final translation's map (a long one takes several, see
    ``figures.map_windows``); decided outside the training view, whose bar it draws into."""
    if not page_frame.presenting():
        return 1
    final, _ = what_if.read(run.text, run.model, run.target)
    return len(figures.map_windows(final.alpha, SLIDE_ROWS)) if final.alpha is not None and final.target_tokens else 1


def map_section(run: Replay, translation, interventions, snap: int, shown: int) -> None:
    """The α map of the chosen snapshot, its downloads, and the training as a GIF. On slide ``shown`` of a
    long translation, its part of the map (a snapshot's translation may be shorter than the final one)."""
    rows = [what_if.chosen_word(translation, i + 1, interventions) for i in range(len(translation.target_tokens))]
    alpha, cols, gold = translation.alpha, translation.source_tokens, _gold(translation, run.model)
    if shown:
        windows = figures.map_windows(alpha, SLIDE_ROWS)
        if len(windows) > 1:
            row_range, col_range = windows[min(shown, len(windows)) - 1]
            alpha, rows, cols, gold = figures.map_window(alpha, rows, cols, row_range, col_range, gold)
    figure = alignment_figure(run, alpha, rows, cols, snap, gold)
    sentence_slug = exports.slug(run.text)
    show_map(figure, f"{sentence_slug}_alignment_{_snapshot_name(snap, run.names)}")
    compute.warm_snapshots(run.model)  # the other points of training load while this one is read
    if figure.picture:
        st.caption(t("align.picture_note", rows=len(rows), cols=len(translation.source_tokens)))
    if not page_frame.presenting():
        st.download_button(
            t("align.gif"),
            data=exports.in_session(partial(training_gif, run)),
            file_name=f"{sentence_slug}_alignment_training.gif",
            mime="image/gif",
            on_click="ignore",
            help=t("align.gif_help", n=len(run.names)),
            icon=":material/animation:",
        )


def reference_lines(translation, model: str) -> None:
    """How the final map compares with the reference alignment, when the sentence has one."""
    reference = model_words.reference_for(translation.source_tokens, model)
    own = model_picker.own_model()
    if reference is None:
        st.caption(t("own.align_no_reference", name=model_picker.model_name()) if own else t("align.no_reference"))
    elif tuple(translation.target_tokens) == tuple(reference.fr):
        if not model_words.has_gold(reference):  # the data has no gold alignment: nothing to score α against
            st.caption(t("own.align_no_gold", name=model_picker.model_name()))
            return
        hits, total = model_words.alignment_hits(translation.alpha, reference)
        st.write(t("own.align_reference" if own else "align.reference", hits=hits, total=total))
        looks = np.argmax(translation.alpha, axis=1)
        if catalog.get(model).class_misses:  # the French determiners' misses, by the toy lexicon's classes
            classes = compute.word_classes()
            if any(classes[reference.en[g]] == "determiner" for g, k in zip(reference.align, looks) if g != k):
                st.caption(t("align.determiner_note"))
    else:
        got = escape_markdown(" ".join(translation.target_tokens))
        words = escape_markdown(" ".join(reference.fr)) if own else " ".join(reference.fr)
        st.caption(t("own.align_not_reference" if own else "align.not_reference", got=got, reference=words))
        if not page_frame.presenting():
            st.button(
                t("align.force_reference"),
                on_click=what_if.then_whole_page,
                args=(state.put, "target", " ".join(reference.fr)),
                icon=":material/fact_check:",
            )


def row_tools(text: str, translation, interventions) -> None:
    """One chooser of a row (``i = 2 → le``): its candidate words (the final model: a click picks one
    and the map is decoded anew), and a button that opens that step on Step through. Two choosers of
    the same rows, one above the candidates and one above the button, read the same."""
    if page_frame.presenting():
        return
    row = st.selectbox(
        t("step.decoder_step"),
        options=list(range(len(translation.steps))),
        format_func=lambda k: what_if.step_label(translation, k + 1),
        key=f"align_candidates:{len(translation.steps)}",
    )
    if interventions is not None:
        what_if.candidates(translation, row, interventions, key="align_cand", in_fragment=True)
    if st.button(t("align.open"), icon=":material/stairs:", help=t("align.open_row")):
        state.put("step", row + 1)
        state.put("eq", 5)
        st.switch_page("pages/step_through.py", query_params={"text": text, "step": str(row + 1), "eq": "5"})


def training_view(run: Replay, page_names: tuple[str, ...], shown: int) -> None:
    """Everything a notch of the slider changes, on slide ``shown`` (0 off a slide). Run as a fragment:
    a notch runs this alone, not the page's inputs, the sidebar and the router, and the map's data is
    swapped into the chart drawn before."""
    what_if.rerun_page_if_asked()
    translation, interventions, snap = chosen_translation(run, page_names)
    map_section(run, translation, interventions, snap, shown)
    reference_lines(translation, run.model)
    row_tools(run.text, translation, interventions)
