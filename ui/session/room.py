"""This browser's part in a room (``serving.rooms``): the speaker who moves it, or a phone that follows.

The speaker's session holds the room's secret (never in a link). Every link its pages write is the
screen it shows (``state.LINK_WRITTEN``): it is published to the room, without presenter mode, and
the room's version grows. A phone on ``?room=CODE`` follows: a small script (``follow.js``) asks
the server for the room's version without running the app's script (``serving.asgi``), and when the
version changes the phone runs once; that run (``follow``) opens the speaker's page with the
speaker's link, keeping the phone's own language. A link the phone writes that is not the one the
room gave it means a control of the phone's own moved it: it stops following until "Back to the
speaker". Questions the speaker asks are answered by one vote per voter: an id the browser keeps
(local storage), so a reconnect or a second tab replaces the vote instead of adding one.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from serving import rooms
from ui.session import registry, state

SPEAKER = "room_speaker"  # session: {"code", "secret"} of the room this session speaks to
PUBLISHED = "room_published"  # session: the (page, query) last published
FOLLOWING = "room_following"  # session: False once a control of this phone moved it away
APPLIED = "room_applied"  # session: the room's version whose screen this phone last opened
APPLYING = "room_applying"  # session: this run opens the room's screen
SWITCHED = "room_switched"  # session: the last run switched page to open the room's screen (the next one does)
FOLLOWED = "room_followed"  # session: the (page, query) this phone wrote for the room's screen
SEEN = "room_seen"  # session: the room's version this run read (what follow.js waits past)
VOTER = "room_voter"  # session: this browser's anonymous voter id
VOTES = "room_votes"  # session: {question id: the option this phone chose}
MESSAGE = "room_message"  # session: (string key, values) of the last refusal, shown once
ENDED = "room_ended"  # session: the code of a room that ended (or never was) under this phone
TOLD_AWAY = "room_told_away"  # session: the phone's script said a press of its own took it off
NOT_FOLLOWED = ("lang", "present")  # the phone keeps its own language, and the reading view
PANEL_PAGE = "step_through"  # its panel (a fragment) takes a move of the step and equation alone
PANEL_NAMES = ("step", "eq")


def store() -> rooms.RoomStore:
    return rooms.store()


def code() -> str:
    return state.get("room")


def speaking() -> bool:
    """Whether this session holds the secret of the room its link names."""
    held = st.session_state.get(SPEAKER)
    return bool(held) and held["code"] == code()


def current() -> rooms.Room | None:
    return store().room(code()) if code() else None


def _refuse(error: rooms.RoomError) -> None:
    st.session_state[MESSAGE] = (f"room.refused.{error.reason}", {"code": code() or "—"})


def message() -> tuple[str, dict] | None:
    """The last refusal, once."""
    return st.session_state.pop(MESSAGE, None)


def _secret() -> str:
    held = st.session_state.get(SPEAKER) or {}
    return held.get("secret", "") if held.get("code") == code() else ""


# --- the speaker -------------------------------------------------------------------------------------
def open_room() -> None:
    """A new room for this session's talk; the link (and its QR code) carry its code from now on."""
    try:
        new_code, secret = store().open()
    except rooms.RoomError as error:
        _refuse(error)
        return
    st.session_state[SPEAKER] = {"code": new_code, "secret": secret}
    st.session_state.pop(PUBLISHED, None)
    state.put("room", new_code)


def close_room() -> None:
    try:
        store().close(code(), _secret())
    except rooms.RoomError as error:
        _refuse(error)
        return
    st.session_state.pop(SPEAKER, None)
    state.put("room", "")


def ask(kind: str, options: tuple[str, ...], step: int, key: str, prompt: str, about: dict) -> None:
    try:
        store().ask(code(), _secret(), kind, options, step, key, prompt, about)
    except rooms.RoomError as error:
        _refuse(error)


def advance(stage: str) -> None:
    """Reveal the room's answers, or play the room's guess."""
    try:
        store().advance(code(), _secret(), stage)
    except rooms.RoomError as error:
        _refuse(error)


def withdraw() -> None:
    try:
        store().withdraw(code(), _secret())
    except rooms.RoomError as error:
        _refuse(error)


def _publish(page: str, query: dict) -> None:
    """The speaker's screen to the room: once per change of page or link."""
    screen = (page, {k: v for k, v in query.items() if k not in NOT_FOLLOWED})
    if st.session_state.get(PUBLISHED) == screen:
        return
    try:
        store().publish(code(), _secret(), *screen)
    except rooms.RoomError as error:  # closed elsewhere, or ended after hours without the speaker
        _refuse(error)
        st.session_state.pop(SPEAKER, None)
        return
    st.session_state[PUBLISHED] = screen


# --- a phone -----------------------------------------------------------------------------------------
def following() -> bool:
    return st.session_state.get(FOLLOWING, True)


def follows() -> bool:
    """Whether this session is a phone following its room's speaker."""
    return bool(code()) and not speaking() and following()


def rejoin() -> None:
    """ "Back to the speaker": the next run opens the room's current screen."""
    st.session_state[FOLLOWING] = True
    st.session_state.pop(APPLIED, None)


def _phone_query(room: rooms.Room) -> dict:
    query = {k: v for k, v in room.query.items() if k not in NOT_FOLLOWED}
    query["room"] = room.code
    for name in NOT_FOLLOWED:  # the phone's own language and view
        if state.get(name) != state.PARAMS[name].default:
            query[name] = state.PARAMS[name].dump(state.get(name))
    return query


def _page_of(url_path: str) -> str:
    return registry.HOME if url_path in ("", "index") else url_path


def follow(url_path: str) -> rooms.Room | None:
    """A phone in a room opens the speaker's screen when the room has moved since it last did (a
    late joiner or a reconnect: at once). Called by the router before the page runs; may switch page,
    and then the switched page's run is still the room's (``ran`` ends it)."""
    st.session_state[APPLYING] = st.session_state.pop(SWITCHED, False)
    if not code():
        return None
    room = current()
    if room is None:
        st.session_state[ENDED] = code()
        st.session_state.pop(SPEAKER, None)
        state.put("room", "")
        return None
    st.session_state[SEEN] = room.version
    if speaking() or not following() or not room.page or room.page not in registry.BY_PATH:
        return room
    if st.session_state.get(APPLIED) == room.version:
        return room
    st.session_state[APPLIED] = room.version
    st.session_state[APPLYING] = True
    query = _phone_query(room)
    if room.page != _page_of(url_path):
        st.session_state[SWITCHED] = True
        st.switch_page(registry.script(room.page), query_params=query)
    st.query_params.from_dict(query)
    state.sync(())  # the global values (the model) of the room's screen, before the page reads them
    return room


def _fragment_run() -> bool:
    ctx = get_script_run_ctx()
    return bool(ctx and ctx.fragment_ids_this_run)


def _same_but(a: dict, b: dict, names: tuple[str, ...]) -> bool:
    def rest(query: dict) -> dict:
        return {k: v for k, v in query.items() if k not in (*names, *NOT_FOLLOWED)}

    return rest(a) == rest(b)


def follow_in_panel() -> None:
    """At the top of the step panel (a fragment). Its watcher asks for a run of the panel alone: a move
    of the room that changes only the step and the equation is taken here, a third of a whole page's
    cost; any other move asks for a whole run, which ``follow`` takes."""
    if _fragment_run() and st.session_state.pop(TOLD_AWAY, False):
        st.rerun()  # the whole page: its bar then offers "Back to the speaker"
    if not _fragment_run() or not follows():
        return
    st.session_state[APPLYING] = False
    room = current()
    if room is None or room.version == st.session_state.get(APPLIED):
        if room is None:
            st.rerun()  # the room ended: the whole run says so
        return
    followed = st.session_state.get(FOLLOWED)
    try:
        values = {name: state.PARAMS[name].parse(str(room.query.get(name, 1))) for name in PANEL_NAMES}
    except ValueError:
        values = None
    if (
        values is None
        or followed is None
        or room.page != PANEL_PAGE
        or followed[0] != PANEL_PAGE
        or not _same_but(room.query, followed[1], PANEL_NAMES)
    ):
        st.rerun()  # another page, sentence or model: the whole page runs
    st.session_state[SEEN] = st.session_state[APPLIED] = room.version
    st.session_state[APPLYING] = True
    for name, value in values.items():
        if value != state.get(name):
            state.put(name, value)


def ran() -> None:
    """The run has ended (the router, after the page): the next one is not the room's unless it moves."""
    st.session_state[APPLYING] = False
    st.session_state.pop(TOLD_AWAY, None)  # a whole run has drawn "Back to the speaker"


def _written(page: str, query: dict) -> None:
    """Every link a page writes: a speaker's is published; a following phone's is compared with the room's."""
    if not code():
        return
    if speaking():
        _publish(page, query)
        return
    screen = (page, {k: v for k, v in query.items() if k not in NOT_FOLLOWED})
    if st.session_state.get(APPLYING):
        st.session_state[FOLLOWED] = screen
    elif following() and st.session_state.get(FOLLOWED) not in (None, screen):
        st.session_state[FOLLOWING] = False  # a control of this phone's own moved it
        st.rerun()  # the run draws "Back to the speaker" at the top


state.LINK_WRITTEN.append(_written)


def _told_voter() -> str | None:
    told = (st.session_state.get("room_follow") or {}).get("voter")
    return told if isinstance(told, str) and rooms.VOTER_PATTERN.fullmatch(told) else None


def voter() -> str:
    """This browser's voter id: the one its script keeps in local storage, else one for this session."""
    if told := _told_voter():
        return told
    if VOTER not in st.session_state:
        st.session_state[VOTER] = "s-" + secrets.token_urlsafe(12)
    return st.session_state[VOTER]


def vote(question_id: str, answer: int) -> None:
    try:
        store().vote(code(), question_id, voter(), answer)
    except rooms.RoomError as error:
        _refuse(error)
        return
    st.session_state.setdefault(VOTES, {})[question_id] = answer


def my_vote(question_id: str) -> int | None:
    return st.session_state.get(VOTES, {}).get(question_id)


def ended() -> str | None:
    """The code of a room that ended under this phone (or never was), once."""
    return st.session_state.pop(ENDED, None)


_watcher = st.components.v2.component(
    "attention_explorer.room_follow",
    js=(Path(__file__).with_name("follow.js")).read_text(encoding="utf-8"),
    # It draws nothing: its element would still hold a gap. (A newline: inline CSS, not a file name.)
    css='[data-testid="stElementContainer"]:has(> .st-key-room_follow) {\n  display: none;\n}\n',
    isolate_styles=False,
)


def panel_watcher() -> None:
    """The watcher, drawn in the step panel's fragment (its moves then run the panel alone)."""
    if follows() and (room := current()) is not None:
        watcher(room)


def _away() -> None:
    """The phone's script saw a press of the phone's own (one the page may answer without the server)."""
    if follows():
        st.session_state[FOLLOWING] = False
        st.session_state[TOLD_AWAY] = True


def watcher(room: rooms.Room) -> None:
    """The phone's script: waits for the room to move (``serving.asgi``), then asks for one run."""
    data = {"code": room.code, "version": st.session_state.get(SEEN, room.version), "voter": _told_voter()}
    data["screen"] = {"page": room.page, "query": room.query}  # what the phone shows while it follows
    _watcher(
        key="room_follow",
        data={**data, "following": follows()},
        on_moved_change=lambda: None,
        on_away_change=_away,
        on_voter_change=lambda: None,
        width="content",
    )
