"""A question of the lesson put to the room, on the speaker's slide: asked (the live count), revealed
(the room's answers beside the model's α and the gold alignment), and the room's guess played
through the model (its α as an override at that step: c′ beside c, the word, the sentence re-decoded)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from serving import rooms
from ui.charts import figures, room_figures
from ui.models import compute, model_words
from ui.presenter import room_bar
from ui.session import room
from ui.strings import escape_markdown, t
from ui.views import lesson, lesson_views, what_if
from ui.widgets import page_frame, sentence_inputs

REVEAL_SLIDE_HEIGHT = 200  # px: the reveal's chart with the question above and the stop buttons below, in 720
COUNT_EVERY_S = 1.0  # the speaker's slide reads the count this often (one session: the speaker's)
WORD_STOPS = ("alpha",)  # the lesson's questions whose answers are source words at a step: their α can be played


def asked_here(stop: str, text: str, model: str) -> rooms.Question | None:
    """The room's question, when it is this stop's on this sentence and model, on a slide."""
    if not room.code() or not page_frame.presenting():
        return None
    current = room.current()
    q = current.question if current else None
    if q is None or q.key != stop or q.about != {"text": text, "model": model}:
        return None
    return q


def _ask(stop: str, text: str, model: str) -> None:
    question = lesson.QUESTIONS[stop](text, model)
    kind = "word" if stop in WORD_STOPS else "choice"
    room.ask(kind, question.labels, question.step or 0, stop, question.prompt, {"text": text, "model": model})


def ask_button(stop: str, text: str, model: str) -> None:
    """On a slide in a room: put this stop's question to the room."""
    if not room.code() or not page_frame.presenting() or lesson_views.unanswerable(stop, model) is not None:
        return
    st.button(
        t("room.ask"),
        on_click=_ask,
        args=(stop, text, model),
        key="room_ask",
        icon=":material/how_to_vote:",
        help=t("room.ask_help", code=room.code()),
    )
    room_bar.show_message()


def shares(counts: list[int]) -> np.ndarray:
    """Votes per answer, normalised (all zeros without a vote)."""
    counts = np.asarray(counts, np.float64)
    return counts / counts.sum() if counts.sum() > 0 else counts


def gold_row(tokens: list[str], model: str, i: int) -> np.ndarray | None:
    """The gold alignment of step ``i`` (0-based) as weights over the source words, where the model has one."""
    reference = model_words.reference_for(tokens, model)
    align = getattr(reference, "align", ()) if reference is not None else ()
    if not align or i >= len(align) or align[i] < 0 or align[i] >= len(tokens):
        return None
    row = np.zeros(len(tokens))
    row[align[i]] = 1.0
    return row


def played(text: str, model: str, step: int, counts: list[int]):
    """The room's guess through the model: its translation with the room's α at ``step``, and the model's own."""
    weights = tuple(float(w) for w in shares(counts))
    own = compute.translate(text, model, None)
    guessed, _ = compute.translate_with(text, model, None, override=(step, weights))
    return guessed, own


def _count(q: rooms.Question) -> None:
    counts = room.store().tally(room.code(), q)
    st.markdown(f"### {t('room.answered', n=sum(counts))}")


def question_slide(q: rooms.Question, stop: str, text: str, model: str) -> None:
    """The room's question on the slide, at its stage; the speaker's buttons move it on."""
    st.markdown(f"**{t('room.question')}** · " + t("room.code", code=room.code()))
    st.markdown(q.prompt)
    row = st.container(horizontal=True, vertical_alignment="center")
    with row:
        if q.stage == "asked":
            st.fragment(run_every=COUNT_EVERY_S)(_count)(q)
        else:
            _count(q)
    if q.stage == "asked":
        row.button(t("room.reveal"), on_click=room.advance, args=("revealed",), key="room_reveal", type="primary")
    counts = room.store().tally(room.code(), q)
    if q.kind == "word" and q.stage == "revealed":
        row.button(
            t("room.play"),
            on_click=room.advance,
            args=("played",),
            key="room_play",
            type="primary",
            disabled=sum(counts) == 0,
            help=t("room.no_votes") if sum(counts) == 0 else None,
        )
    row.button(t("room.withdraw"), on_click=room.withdraw, key="room_withdraw")
    room_bar.show_message()
    if q.stage == "revealed":
        _revealed(q, stop, text, model, counts)
    elif q.stage == "played" and q.kind == "word" and sum(counts) > 0:
        _played(q, text, model, counts)


def _revealed(q: rooms.Question, stop: str, text: str, model: str, counts: list[int]) -> None:
    if q.kind != "word":
        answer = lesson.QUESTIONS[stop](text, model)
        labels = [f"{k + 1}" for k in range(len(q.options))]
        st.markdown(" · ".join(f"{k + 1}: {label}" for k, label in enumerate(q.options)))
        series = {t("room.series.room"): shares(counts)}
        figure = room_figures.answers_bars(series, labels, t("room.choice_title"), "", t("room.share"))
        what_if.chart(figure, height=REVEAL_SLIDE_HEIGHT if page_frame.presenting() else None)
        st.markdown(t("room.model_answer", answer=answer.labels[answer.options.index(answer.answer)]))
        return
    translation = compute.translate(text, model, None)
    i = q.step - 1
    tokens = list(translation.source_tokens)
    series = {t("room.series.room"): shares(counts), t("room.series.model"): translation.steps[i].trace.alpha}
    gold = gold_row(tokens, model, i)
    if gold is not None:
        series[t("room.series.gold")] = gold
    title = t("room.chart_title" if gold is not None else "room.chart_title_no_gold", i=q.step)
    figure = room_figures.answers_bars(series, tokens, title, t("lesson.axis.word"), t("room.share"))
    what_if.chart(figure, height=REVEAL_SLIDE_HEIGHT if page_frame.presenting() else None)


def _played(q: rooms.Question, text: str, model: str, counts: list[int]) -> None:
    guessed, own = played(text, model, q.step, counts)
    i = q.step - 1
    c_room, c = guessed.steps[i].trace.context, own.steps[i].trace.context
    st.markdown(
        t(
            "room.word",
            i=q.step,
            room_word=escape_markdown(guessed.steps[i].chosen),
            own_word=escape_markdown(own.steps[i].chosen),
        )
    )
    st.markdown(t("room.redecoded", line=what_if.changed_line(guessed.target_tokens, own.target_tokens)))
    st.markdown(t("room.own", line=sentence_inputs.token_line(own.target_tokens)))
    st.caption(t("room.gap", gap=f"{float(np.linalg.norm(c_room - c)):.3f}"))
    strips = figures.vector_strips(
        [c_room, c], ["c′", "c"], t("room.c_title", i=q.step), t("axis.dim"), t("axis.value")
    )
    what_if.chart(strips)
