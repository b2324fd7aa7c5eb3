"""The lesson page's parts: the path and its progress, a stop's narration, question and answer.

A stop asks before it shows: the page's own figure for the sentence appears with the answer,
so what the learner predicts is not read off the screen.
"""

from __future__ import annotations

import zlib

import streamlit as st

from ui.models import catalog
from ui.session import registry, state
from ui.strings import escape_markdown, prose, t
from ui.views import article_views, lesson, what_if
from ui.widgets import notices, sentence_inputs

SIDE_BY_SIDE_WORDS = 16  # more words than this, and two charts side by side would crowd their labels
ANSWERS_KEY = "lesson_answers"  # session: {(stop, sentence tag): the option index answered}


def sentence_tag(text: str) -> str:
    """A short tag of the sentence: a question's widgets and answer belong to one sentence."""
    return f"{zlib.crc32(text.encode('utf-8')):08x}"


def _go(stop: str) -> None:
    state.put("lesson", stop)


def path(stop: str, done: tuple[str, ...]) -> None:
    """Where the learner is on the path, which stops they answered right, and a way to any stop."""
    stops = state.LESSON_STOPS
    st.progress(len(done) / len(stops), text=t("lesson.progress", right=len(done), n=len(stops)))
    sentence_inputs.choice(
        "lesson",
        t("lesson.stops"),
        stops,
        lambda s: f"{stops.index(s) + 1}. {t(f'lesson.stop.{s}')}" + (" ✓" if s in done else ""),
        label_visibility="collapsed",
    )


def stop_buttons(stop: str) -> None:
    """Back to the previous stop, on to the next one."""
    stops = state.LESSON_STOPS
    k = stops.index(stop)
    row = st.container(horizontal=True)
    row.button(t("lesson.previous"), on_click=_go, args=(stops[max(k - 1, 0)],), disabled=k == 0, key="lesson_back")
    row.button(
        t("lesson.next"),
        on_click=_go,
        args=(stops[min(k + 1, len(stops) - 1)],),
        type="primary",
        disabled=k == len(stops) - 1,
        key="lesson_next",
    )


def _check(stop: str, tag: str, choice_key: str, answer: int) -> None:
    chosen = st.session_state.get(choice_key)
    if chosen is None:
        return
    st.session_state.setdefault(ANSWERS_KEY, {})[(stop, tag)] = chosen
    if chosen == answer and stop not in state.get("done"):
        state.put("done", tuple(s for s in state.LESSON_STOPS if s in {*state.get("done"), stop}))


def ask(stop: str, question: lesson.Question, tag: str) -> int | None:
    """The question and its options; returns the option answered for this sentence, or None."""
    st.markdown(question.prompt)
    choice_key = f"lesson_choice:{stop}:{tag}"
    st.radio(
        t("lesson.your_answer"),
        options=list(range(len(question.options))),
        format_func=lambda k: question.labels[k],  # markdown: the user's words come escaped
        index=None,
        horizontal=True,
        key=choice_key,
    )
    answer = question.options.index(question.answer)
    st.button(
        t("lesson.check"),
        icon=":material/task_alt:",
        on_click=_check,
        args=(stop, tag, choice_key, answer),
        disabled=st.session_state.get(choice_key) is None,
        key="lesson_check",
    )
    return st.session_state.get(ANSWERS_KEY, {}).get((stop, tag))


def reveal(stop: str, question: lesson.Question, answered: int) -> None:
    """Right or not, the model's answer and the numbers that decide it, then the page's own figures."""
    answer = question.options.index(question.answer)
    labels = question.labels
    if answered == answer:
        st.success(t("lesson.right", answer=labels[answer]), icon=":material/check_circle:")
    else:
        st.error(t("lesson.wrong", chosen=labels[answered], answer=labels[answer]), icon=":material/cancel:")
    st.markdown(question.explanation)
    if question.worked:
        st.latex(question.worked)
    side_by_side = len(question.figures) > 1 and question.words <= SIDE_BY_SIDE_WORDS
    places = st.columns(len(question.figures)) if side_by_side else [st.container() for _ in question.figures]
    for place, figure in zip(places, question.figures):
        with place:
            what_if.chart(figure)
    query = {**(question.link or {}), **state.carried()}  # the language, presenter mode and model travel too
    st.page_link(
        registry.script(registry.LESSON_PAGES[stop]),
        label=t(f"lesson.open.{stop}"),
        icon=":material/open_in_new:",
        query_params=query,
    )


def unanswerable(stop: str, model: str) -> tuple[str, dict] | None:
    """Why ``model`` cannot answer the stop's question (a note's key and values), or None: the model
    without attention exists beside the shipped model only; α's equation and the pitfall read the
    additive weights; the causal mask's stop needs the Transformers trained on the toy French data."""
    if stop == "why" and not catalog.get(model).baseline:
        return "own.lesson_no_baseline", {}
    if stop == "transformer" and catalog.get(model).causal_pair is None:
        return "lesson.no_transformer", {}
    if stop in ("alpha", "pitfall") and not catalog.get(model).additive:
        return "own.not_additive", {"score": escape_markdown(str(catalog.get(model).config["score"]))}
    return None


def unavailable(stop: str, model: str) -> bool:
    """A stop whose question ``model`` cannot answer, said in a note in its place."""
    why = unanswerable(stop, model)
    if why is not None:
        notices.model_note(why[0], **why[1])
    return why is not None


def stop_screen(stop: str, text: str, model: str) -> None:
    """One stop: its narration, its question on this sentence (asked of ``model``), and once answered, the answer."""
    st.subheader(f"{state.LESSON_STOPS.index(stop) + 1}. {t(f'lesson.stop.{stop}')}")
    st.markdown(prose(f"lesson_{stop}"))
    if stop == "pitfall":  # the question quotes the article's code: say which article, and where
        article_views.article_line("softmax_axis")
    if unavailable(stop, model):
        return
    question = lesson.QUESTIONS[stop](text, model)
    tag = sentence_tag(text)
    answered = ask(stop, question, tag)
    if answered is not None:
        reveal(stop, question, answered)
