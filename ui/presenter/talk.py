"""A talk is one deck: presenter mode walks the pages of ``talk=`` in order, screen by screen.

PageDown on a page's last screen opens the next page of the talk at its first screen; PageUp
on a page's first screen opens the previous page at its last screen. The keyboard script
(``page_frame.KEYBOARD_JS``) presses the step buttons while they can move and the bar's page
buttons (keyed ``talk_back``/``talk_next``) once they cannot. A page without step buttons is
one screen. The step page learns its number of screens only once it has translated, so
entering it backwards leaves an intent (``ENTER_AT_END``) that the page turns into its last
step after ``notices.clamp_step``, never a step number it would have to correct.

A page outside the talk (Home, where presenter mode is most often turned on) has one way on: its
page button opens the talk's first page, so the clicker walks from it into the talk. A page that
shows an example of its own in place of the session's sentence (why attention's long one) lends it
(``lend_sentence``): the talk leaves it on that page and carries on with the sentence it replaced.
"""

from __future__ import annotations

import streamlit as st

from ui.session import registry, state
from ui.strings import t

ENTER_AT_END = "talk_enter_at_end"  # session: the page a backward move entered, to open at its last screen
ARRIVED = "talk_arrived"  # session: the page the talk last opened, until it has drawn its first screen


def position(page: str) -> tuple[int, int] | None:
    """Where ``page`` is in the talk: (index from 0, number of pages), or None when it is not in it."""
    order = state.get("talk")
    return (order.index(page), len(order)) if page in order else None


def enter(page: str, forwards: bool) -> None:
    """Set the canonical values so ``page`` opens at its first screen (forwards) or its last (backwards).

    Every page that reads ``step`` (masking, score functions, what if) opens at step 1, the one
    that exists in every translation: the step the last page showed could be past this page's end
    and put a "step does not exist" notice on the slide. The step page opens at equation 1 too;
    backwards, the intent to open at its last step is left for ``arrive_at_end``. What if, a
    slide without step buttons, is one screen: its first view either way."""
    state.put("step", 1)
    state.put("eq", 1)
    state.put("slide", 1)
    state.put("whatif", state.WHAT_IF_VIEWS[0])
    _return_sentence(page)
    st.session_state[ARRIVED] = page
    if forwards:
        st.session_state.pop(ENTER_AT_END, None)
    else:
        st.session_state[ENTER_AT_END] = page


LENT = "talk_lent_sentence"  # session: (the page, its own example, the session's sentence it replaced)


def lend_sentence(page: str, example: str, replaced: str) -> None:
    """``page`` shows ``example`` in place of the session's sentence ``replaced``; another page of the
    talk gets ``replaced`` back unless the sentence has changed since (a sentence typed carries)."""
    st.session_state[LENT] = (page, example, replaced)


def _return_sentence(page: str) -> None:
    lent = st.session_state.get(LENT)
    if lent is None or lent[0] == page:
        return
    _, example, replaced = lent
    if state.get("text") == example:
        state.put("text", replaced)


def go(page: str, forwards: bool) -> None:
    """Open ``page`` of the talk (in the script body: ``st.switch_page`` stops this run)."""
    enter(page, forwards)
    st.switch_page(registry.script(page), query_params=state.carried())


def entered_backwards(page: str) -> bool:
    """Whether the talk came back to ``page`` from the next one (the intent is used up): the page then
    opens at its last screen, which only it knows."""
    if st.session_state.get(ENTER_AT_END) != page:
        return False
    del st.session_state[ENTER_AT_END]
    return True


def arrived(page: str) -> bool:
    """Whether the talk has just opened ``page`` (the intent is used up): a page may then set up its
    first screen for the room, which a link or a click in the page would not."""
    if st.session_state.get(ARRIVED) != page:
        return False
    del st.session_state[ARRIVED]
    return True


def arrive_at_end(page: str, n_steps: int, last_eq: int) -> None:
    """On a step page entered backwards: its last screen, the last decoder step at its last equation."""
    if not entered_backwards(page):
        return
    state.put("step", n_steps)
    state.put("eq", last_eq)


def _page_name(page: str) -> str:
    return t(registry.title_key(page))


GO = "talk_go"  # session: the page a talk button asked for, and whether forwards (set by its callback)


def _ask(page: str, forwards: bool) -> None:
    # A callback cannot call st.switch_page; it leaves the move for the script body. A flag rather
    # than the button's return value: it survives a rerun before the bar (ui.session.router's first visit).
    st.session_state[GO] = (page, forwards)


def navigation(page: str, where) -> None:
    """The bar's part of the talk: ◀ page, "2 / 5", page ▶; on a page the talk does not hold, the way
    into it (``way_in``).

    A press asks for the move (``_ask``) and this run makes it, before drawing anything more."""
    if GO in st.session_state:
        go(*st.session_state.pop(GO))
    where_in = position(page)
    order = state.get("talk")
    if where_in is None:
        way_in(where, order[0])
        return
    k, n = where_in
    row = where.container(horizontal=True, vertical_alignment="center", gap="small")
    row.button(
        t("talk.back"),
        key="talk_back",
        disabled=k == 0,
        on_click=_ask,
        args=(order[k - 1], False),
        help=t("talk.back_help", page=_page_name(order[k - 1])) if k > 0 else None,
    )
    row.markdown(t("talk.where", k=k + 1, n=n))
    row.button(
        t("talk.next"),
        key="talk_next",
        disabled=k == n - 1,
        on_click=_ask,
        args=(order[(k + 1) % n], True),
        help=t("talk.next_help", page=_page_name(order[k + 1])) if k < n - 1 else None,
    )


def way_in(where, first: str) -> None:
    """A page outside the talk: one button to the talk's first page, keyed ``talk_next`` so the
    clicker's PageDown presses it on the page's last screen (a dead end otherwise: presenter mode
    hides the sidebar)."""
    where.container(horizontal=True, vertical_alignment="center", gap="small").button(
        t("talk.enter"),
        key="talk_next",
        on_click=_ask,
        args=(first, True),
        help=t("talk.enter_help", page=_page_name(first)),
    )
