"""Interventions on the live model, shared by the pages: picks, the beam, an overridden α, a swapped word.

The link holds them (``pick``, ``beam``, ``override``, ``swap``); ``read`` checks them against the
sentence and the model, says on the page what it had to drop, and returns the translation they give.
Every number comes from ``attention_core`` through ``ui.models.compute``: this module only chooses what to
ask for and draws the person's controls.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from ui.charts import figures
from ui.models import compute, model_words
from ui.session import state
from ui.strings import escape_markdown, t
from ui.widgets import page_frame, sentence_inputs

SLIDE_CHART_PX = 100  # a chart's plot on a slide that holds two of them, their labels and two sentences


def chart(figure, height: int | None = None, marks: bool = False, width: str = "stretch") -> None:
    """A figure of these views: a chart as Vega-Lite (a slide's type on a slide, its text marks too
    with ``marks``), or its image. ``width="content"``: the chart keeps its own width."""
    if figure.is_chart:
        spec = figure.on_screen(slide=page_frame.presenting(), marks=marks and page_frame.presenting(), height=height)
        st.vega_lite_chart(spec, width=width, alt=figure.title)
    else:
        st.image(figure.image, caption=t("figure.image_caption"), width="stretch", alt=figure.title)


@dataclass(frozen=True)
class Interventions:
    """The person's interventions, checked against the sentence and the model."""

    picks: tuple[tuple[int, str], ...]  # (step, word), in step order, as applied
    beam: int
    override: tuple[int, tuple[float, ...]] | None  # (step, α over the source tokens, renormalised)
    override_word: int | None  # 0-based j when the override puts all weight on one word

    def key(self) -> tuple:
        """Plain values that decide the screen (the cache key of a step's views)."""
        return self.picks, self.beam, self.override


def _warn(key: str, **values) -> None:
    st.warning(t(key, **values), icon=":material/warning:")


def override_weights(raw: str, n_tokens: int) -> tuple[int, int | None, tuple[float, ...]]:
    """The ``override`` value as (step, j or None, weights over ``n_tokens`` words); ValueError if it does not fit."""
    step, j, weights = state.parse_override(raw)
    if j is not None:
        if j >= n_tokens:
            raise ValueError(f"word {j + 1} of {n_tokens}")
        weights = tuple(float(k == j) for k in range(n_tokens))
    elif len(weights) != n_tokens:
        raise ValueError(f"{len(weights)} weights for {n_tokens} words")
    total = sum(weights)
    return step, j, tuple(w / total for w in weights)


def read(text: str, model: str, target: str, kind: str = "attention"):
    """``model``'s translation of ``text`` under the link's interventions, with a notice for each one dropped.

    Returns ``(translation, interventions)``.
    """
    n_tokens = len(model_words.tokenize_for(text, model))
    picks = state.get("pick")
    known = set(compute.target_words(model))
    for k, (step, word) in enumerate(picks):
        if word not in known:
            _warn("whatif.bad_pick", step=step, word=escape_markdown(word))
            picks = picks[:k]
            state.put("pick", picks)
            break
    beam = state.get("beam")
    override, override_word = None, None
    raw = state.get("override")
    if raw:
        try:
            step, override_word, weights = override_weights(raw, n_tokens)
            override = (step, weights)
        except ValueError:
            _warn("whatif.bad_override", value=escape_markdown(raw[:80]), n=n_tokens)
            state.put("override", "")
    if target.strip() and (picks or beam > 1):
        st.info(t("whatif.target_fixes"), icon=":material/info:")
    translation, applied = compute.translate_with(text, model, target.strip() or None, picks, beam, override, kind)
    if applied != picks and not target.strip():
        dropped = picks[len(applied)]
        _warn("whatif.pick_dropped", step=dropped[0], word=escape_markdown(dropped[1]))
        state.put("pick", applied)
    if override is not None and override[0] > len(translation.steps):
        _warn("whatif.override_past_end", step=override[0], n=len(translation.steps))
        state.put("override", "")
        override, override_word = None, None
        translation, applied = compute.translate_with(text, model, target.strip() or None, applied, beam, None, kind)
    return translation, Interventions(applied if not target.strip() else (), beam, override, override_word)


def picked_steps(interventions: Interventions) -> dict[int, str]:
    return dict(interventions.picks)


def pick(step: int, word: str, predicted: str) -> None:
    """A candidate clicked at ``step``: the decoder continues from it; the model's own word undoes the pick."""
    earlier = tuple(p for p in state.get("pick") if p[0] < step)
    own = word == predicted and state.get("beam") == 1
    state.put("pick", earlier if own else (*earlier, (step, word)))


def undo_pick() -> None:
    state.put("pick", state.get("pick")[:-1])


RERUN_PAGE = "whatif_rerun_page"  # session: a click inside the step panel's fragment changed the translation


def rerun_page_if_asked() -> None:
    """At the top of a fragment: a pick made in it changes what the whole page shows, so run it all."""
    if st.session_state.pop(RERUN_PAGE, False):
        st.rerun(scope="app")


def then_whole_page(action, *args) -> None:
    """A callback for a button in a fragment whose ``action`` changes what lies outside it (a text box):
    the fragment's next run asks for the whole page (``rerun_page_if_asked``)."""
    _clicked(action, *args, whole_page=True)


def _clicked(action, *args, whole_page: bool) -> None:
    action(*args)
    if whole_page:
        st.session_state[RERUN_PAGE] = True


def candidates(
    translation, step_index: int, interventions: Interventions, where=st, key: str = "cand", in_fragment: bool = False
) -> None:
    """The five most likely words of y_i with their probabilities; clicking one picks it.

    ``in_fragment``: the buttons sit in a fragment (the step panel) while the translation is drawn
    above it; a click asks for the whole page to run again (``rerun_page_if_asked``).
    """
    step = translation.steps[step_index]
    picked = picked_steps(interventions)
    row = where.container(horizontal=True, wrap=True, vertical_alignment="center")
    row.markdown(t("whatif.candidates", i=step.i))
    for rank, (word, p) in enumerate(step.top_words):
        row.button(
            word if page_frame.presenting() else f"{word} {p:.2g}",  # a slide's chart beside it has the P
            key=f"{key}_{step.i}_{rank}",
            type="primary" if word == step.chosen else "secondary",
            on_click=_clicked,
            args=(pick, step.i, word, step.predicted),
            kwargs={"whole_page": in_fragment},
            disabled=translation.forced,
            help=t("whatif.candidate_help", word=word, p=f"{p:.4f}"),
        )
    if interventions.picks:
        row.button(
            t("whatif.undo"),
            key=f"{key}_undo",
            icon=":material/undo:",
            on_click=_clicked,
            args=(undo_pick,),
            kwargs={"whole_page": in_fragment},
        )
    if step.i in picked and not page_frame.presenting():
        row.caption(t("whatif.picked_here", word=escape_markdown(picked[step.i]), own=step.predicted))


def output_line(translation, interventions: Interventions, highlight: int | None = None) -> str:
    """The translation as a token line, each picked word marked "picked" (a slide: around ``highlight``)."""
    marks = {step - 1: t("whatif.picked_mark") for step in picked_steps(interventions)}
    return excerpt_line(translation.target_tokens, highlight or 0, highlight=highlight, marks=marks)


def changed_words(tokens: list[str], other: list[str]) -> list[int]:
    """Positions of ``tokens`` that are not ``other``'s word there: the words a fewest-edits alignment
    of the two (Levenshtein) puts in or replaces. A replaced word is that word, even when it repeats
    the next one ("un chien noir" → "un noir noir" marks word 5, not 6); one word more or less early
    in a sentence marks that word, not every later one. Of alignments with as few edits, the one
    keeping words in place longest is taken."""
    n, m = len(tokens), len(other)
    # left[a][b]: the fewest edits turning other[b:] into tokens[a:]
    left = [[0] * (m + 1) for _ in range(n + 1)]
    for a in range(n, -1, -1):
        for b in range(m, -1, -1):
            if a == n or b == m:
                left[a][b] = (n - a) + (m - b)
            else:
                kept = left[a + 1][b + 1] + (tokens[a] != other[b])
                left[a][b] = min(kept, left[a + 1][b] + 1, left[a][b + 1] + 1)
    changed, a, b = [], 0, 0
    while a < n:
        if b < m and left[a][b] == left[a + 1][b + 1] + (tokens[a] != other[b]):
            if tokens[a] != other[b]:
                changed.append(a)
            a, b = a + 1, b + 1
        elif left[a][b] == left[a + 1][b] + 1:
            changed.append(a)
            a += 1
        else:
            b += 1  # a word of ``other`` left out here
    return changed


def dropped_words(tokens: list[str], other: list[str]) -> list[int]:
    """Positions of ``other``'s words that ``tokens`` leaves out (the same alignment, from the other side):
    what marks a change when no word of ``tokens`` is new."""
    return changed_words(other, tokens) if not changed_words(tokens, other) else []


SLIDE_WORDS = 10  # words of a sentence on a slide: a longer one shows the part around what changed


def excerpt_line(
    tokens: list[str], center: int, highlight: int | None = None, bold=(), unknown=(), marks: dict | None = None
) -> str:
    """A token line; on a slide, a long sentence as the ``SLIDE_WORDS`` words around ``center``
    with "…" for the rest (every line of a slide counts; the page below shows it whole)."""
    marks = marks or {}
    if not page_frame.presenting() or len(tokens) <= SLIDE_WORDS:
        return sentence_inputs.token_line(tokens, list(unknown), highlight=highlight, marks=marks, bold=bold)
    shown = figures.window(center - SLIDE_WORDS // 3, SLIDE_WORDS, len(tokens))
    start, stop = shown.start, shown.stop

    def shift(indices):
        return [k - start for k in indices if start <= k < stop]

    line = sentence_inputs.token_line(
        tokens[start:stop],
        shift(unknown),
        highlight=None if highlight is None or not start <= highlight < stop else highlight - start,
        marks={k - start: mark for k, mark in marks.items() if start <= k < stop},
        bold=shift(bold),
    )
    return ("… " if start else "") + line + (" …" if stop < len(tokens) else "")


def changed_line(tokens: list[str], other: list[str], center: int | None = None) -> str:
    """``tokens`` as a token line, every word that is not in ``other`` where it stands there marked."""
    changed = changed_words(tokens, other)
    return excerpt_line(tokens, center if center is not None else (changed[0] if changed else 0), bold=changed)


def chosen_word(translation, i: int, interventions: Interventions | None = None) -> str:
    """The word of step ``i`` (1-based), followed by "(picked)" when the person picked it."""
    word = translation.steps[i - 1].chosen
    picked = interventions is not None and i in picked_steps(interventions)
    return f"{word} ({t('whatif.picked_mark')})" if picked else word


def step_label(translation, i: int, interventions: Interventions | None = None) -> str:
    """``i = 2 → le`` for a step chooser; a picked word says so."""
    return f"i = {i} → {chosen_word(translation, i, interventions)}"


def norm_gap(a: np.ndarray, b: np.ndarray) -> float:
    """‖a − b‖ of two contexts, as a number to print (the vectors come from the model)."""
    return float(np.linalg.norm(np.asarray(a, np.float64) - np.asarray(b, np.float64)))
