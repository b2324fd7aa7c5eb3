"""A room on screen, outside any page's content: the speaker's part of the Share box (open the room,
its code, close it), and a phone's bar at the top of every page (following, or "Back to the speaker";
the question put to the room with one button per answer; the script that learns of moves)."""

from __future__ import annotations

import streamlit as st

from serving import rooms
from ui.session import room
from ui.strings import t


def show_message() -> None:
    """The last refusal (a guessed code, the audience trying the speaker's actions), once."""
    told = room.message()
    if told is not None:
        key, values = told
        st.warning(t(key, **values), icon=":material/block:")


def share_section() -> None:
    """In the Share box: open a room for this talk, or the open room's code and a way to close it."""
    if room.speaking():
        st.markdown(t("room.code", code=room.code()))
        st.caption(t("room.speaker_caption"))
        st.button(t("room.close"), on_click=room.close_room, key="room_close", icon=":material/logout:")
    else:
        st.button(
            t("room.open"), on_click=room.open_room, key="room_open", help=t("room.open_help"), icon=":material/groups:"
        )
    show_message()


def phone_bar(current: rooms.Room | None, page: str) -> None:
    """A phone's bar in a room, at the top of the page: where it is, the question, and its watcher
    (on the step page, the panel draws the watcher: a move of the step alone then runs the panel alone)."""
    if (ended := room.ended()) is not None:
        st.warning(t("room.ended", code=ended), icon=":material/door_front:")
    if current is None or room.speaking():
        if current is None:
            show_message()
        return
    with st.container(key="room_bar"):
        if room.following():
            st.caption(t("room.following", code=current.code))
        else:
            row = st.container(horizontal=True, vertical_alignment="center")
            row.markdown(t("room.away", code=current.code))
            row.button(
                t("room.rejoin"), on_click=room.rejoin, type="primary", key="room_rejoin", icon=":material/sync:"
            )
        _question(current)
        show_message()
        if page != room.PANEL_PAGE or not room.follows():
            room.watcher(current)


def _question(current: rooms.Room) -> None:
    """The question the speaker put to the room: one button per answer until the reveal."""
    q = current.question
    if q is None:
        return
    mine = room.my_vote(q.id)
    with st.container(key="room_question", border=True):
        st.markdown(f"**{t('room.question')}**")
        st.markdown(q.prompt)  # the speaker's screen's words: markdown with the sentence's words escaped
        if q.stage == "asked":
            row = st.container(horizontal=True, wrap=True)
            for k, label in enumerate(q.options):
                row.button(
                    label,
                    key=f"room_vote_{q.id}_{k}",
                    on_click=room.vote,
                    args=(q.id, k),
                    type="primary" if mine == k else "secondary",
                )
        if mine is not None and mine < len(q.options):
            st.caption(t("room.your_answer", answer=q.options[mine]))
        if q.stage != "asked":
            st.caption(t("room.revealed_phone"))
