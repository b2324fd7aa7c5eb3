"""The reading view holds its decoder step in the browser: one run draws the step's seven equations.

A room of phones on one link presses Next together, about every five seconds each. Drawn one
equation a run, every press cost the server a run of the step panel (26 ms of CPU on this
machine, and at least 8.5 ms for any run at all), and 200 phones needed more than the server
had. Here the server draws the whole step once; the page's script (``held_step.js``, a custom
component) shows one equation at a time and moves between them without a message. Only the press
into the next or previous step reaches the server, which then starts that step at W1 h_j, or at
y_i when going back.

The parts of the panel that belong to one equation sit in containers keyed
``eqshow_<n>_<part>``; the stylesheet below shows those of the equation the script names on the
page (``html[data-held-eq]``) and hides the others. Before any other control is used, the script
tells the server which equation is on screen (the state ``eq`` of a second instance, outside the
panel's fragment), so that run links, shares and draws that one.

Presenter mode draws one equation a run, as before: it is one speaker's screen, and its slides
are measured to fit 1280×720 as they are. AppTest, which runs no browser, sees that path too, and
so does a session's first screen (``holds``).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.charts.equations import EQUATION_NUMBERS, STEPS
from ui.session import state

KEEPER_KEY = "held_step"  # in the panel's fragment: where the server's step stands, for the script
TELLER_KEY = "held_step_tell"  # outside it: its state, {"eq": {"eq": n, "n": k}}, is what the script told
TOLD = "held_step_told"  # session: the last state the script told, adopted once
PARTS = ("choice", "lines", "body", "downloads", "code")  # what one equation has of its own
# The entry pickers are shared by the equations that use them: the word j, the dimension of d_a or d_h.
PICKERS = {
    "j": tuple(n for n, eq in zip(EQUATION_NUMBERS, STEPS, strict=True) if eq.picks_word),
    **{
        size: tuple(n for n, eq in zip(EQUATION_NUMBERS, STEPS, strict=True) if eq.dimension == size)
        for size in ("d_a", "d_h")
    },
}


def part_key(number: int, part: str) -> str:
    return f"eqshow_{number}_{part}"


def picker_key(name: str) -> str:
    return f"eqshow_pick_{name}"


def _stylesheet() -> str:
    """Each equation's containers shown only while it is the one on screen. Streamlit wraps a keyed
    container in a layout wrapper, which holds the gap: the wrapper is what is hidden."""
    wrapper = '[data-testid="stLayoutWrapper"]'
    rules = [f"{wrapper}:has(> [class*=' st-key-eqshow_']) {{ display: none; }}"]
    for n in EQUATION_NUMBERS:
        keys = [part_key(n, part) for part in PARTS]
        keys += [picker_key(name) for name, numbers in PICKERS.items() if n in numbers]
        shown = ", ".join(f'html[data-held-eq="{n}"] {wrapper}:has(> .st-key-{key})' for key in keys)
        rules.append(f"{shown} {{ display: flex; }}")
    # Back on the first screen and Next on the last one do nothing: they look it.
    rules.append(
        "html[data-held-start] .st-key-held_nav .st-key-step_back button,"
        " html[data-held-end] .st-key-held_nav .st-key-step_next button"
        " { opacity: 0.4; cursor: not-allowed; }"
    )
    # The component draws nothing: its element would still hold a gap in the row.
    for key in (KEEPER_KEY, TELLER_KEY):
        rules.append(f'[data-testid="stElementContainer"]:has(> .st-key-{key}) {{ display: none; }}')
    return "\n".join(rules)


_keeper = st.components.v2.component(
    "attention_explorer.held_step",
    js=(Path(__file__).with_name("held_step.js")).read_text(encoding="utf-8"),
    css=_stylesheet(),
    isolate_styles=False,
)


DRAWN = "held_step_drawn"  # session: whether the panel's last run drew a held step (False: one equation)


def holds(busy: bool = False) -> bool:
    """Whether this run holds the step: the reading view, in a browser, after the session's first
    screen, on a server with room for it (not ``busy``: other panels queued behind this one).

    Streamlit's web frontend sends the browser's headers with the session; AppTest has none, and
    runs no script, so it is served one equation a run, as presenter mode is. A session's first
    screen is one equation too: a room that has just scanned the QR code opens 200 sessions at
    once, and seven equations each would make every phone wait for its first screen. The first
    press of Next draws the whole step, and from then on the step is held. While others wait, a
    press draws one equation (a third of the step's cost), and the step is held from the next
    press that finds the server free: a room's first presses come together, just after its
    first screens.
    """
    return not busy and reading_in_browser() and DRAWN in st.session_state


def reading_in_browser() -> bool:
    """The reading view (not presenter mode), served to a browser (its headers came with the session)."""
    if state.get("present"):
        return False
    browser = st.session_state.get("held_browser")
    if browser is None:
        browser = st.session_state["held_browser"] = bool(st.context.headers.get("User-Agent"))
    return browser


def drawn(held: bool) -> None:
    """The panel's run says what it drew: Next's callback, in the next run, reads it (``last_held``)."""
    st.session_state[DRAWN] = held


def last_held() -> bool:
    """Whether the screen Next was pressed on was a held step: its script passed the press on only
    to leave the step. On a screen of one equation, Next is the next equation."""
    return st.session_state.get(DRAWN) is True


def adopt() -> None:
    """The equation the page's script says is on screen becomes the page's, once per telling.

    The component's callback, and called again before anything reads the equation (the page's
    presenter bar with its share link, Next's callback, whose turn among the callbacks is not
    fixed, the panel): the first of them adopts it, the others find it told already.
    """
    told = (st.session_state.get(TELLER_KEY) or {}).get("eq")
    if not isinstance(told, dict) or told == st.session_state.get(TOLD):
        return
    st.session_state[TOLD] = dict(told)
    eq = told.get("eq")
    if isinstance(eq, int) and eq in EQUATION_NUMBERS:  # the browser's word is checked like a link's
        state.put("eq", eq)


PRESSES = "held_step_presses"  # session: how many presses of Next and Back the server has answered


def answer_press() -> None:
    """Next's or Back's callback counts the press: the script lets the next press through only
    once this one is answered (two let through together would reach the server as one)."""
    st.session_state[PRESSES] = st.session_state.get(PRESSES, 0) + 1


def keeper(step: int, n_steps: int, eq: int, walking: bool, held: bool = True) -> None:
    """The component: where the server's step stands and how many presses it has answered, for
    the script (no user text). ``held``: the step's seven equations are on the page; otherwise
    (presenter mode, a first screen) the script only keeps the presses in turn."""
    data = {
        "step": step,
        "steps": n_steps,
        "eq": eq,
        "last": EQUATION_NUMBERS[-1],
        "walking": walking,
        "revision": state.revision("eq"),
        "held": held,
        "answered": st.session_state.get(PRESSES, 0),
    }
    _keeper(key=KEEPER_KEY, data=data, width="content")


def teller() -> None:
    """The component the script tells the equation through, drawn outside the panel's fragment.

    Its telling and the control the person then uses reach the server together: had it sat in the
    fragment, a control outside it (presenter mode) would be sent as a rerun of the fragment only.
    """
    if reading_in_browser():  # from the first screen: the panel's fragment holds the step from its first press
        _keeper(key=TELLER_KEY, data={"tells": True}, on_eq_change=adopt, width="content")
