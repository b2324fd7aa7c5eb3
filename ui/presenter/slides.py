"""A page longer than one 1280×720 slide is a short deck of slides in presenter mode.

The page says how many slides it has once it knows (a long sentence's map has more), and draws
only the slide shown; outside presenter mode it draws everything, as one page. The slide's
◀ k/n ▶ sit in the presenter bar beside the title, keyed ``step_back``/``step_next`` like the step
page's buttons, so the clicker walks the slides and, past the last one, the talk's next page
(``page_frame.KEYBOARD_JS``). A talk entering the page backwards opens it at its last slide.
"""

from __future__ import annotations

import threading

from ui.presenter import talk
from ui.session import state
from ui.strings import t

# This run's place in the presenter bar: each session's script runs in its own thread, and the
# bar is drawn before the page knows how many slides it has.
_bar = threading.local()


def hold_bar_slot(container, title_slot, short_title: str) -> None:
    """Where this run's slide buttons go, and the title they may shorten so the bar stays one row."""
    _bar.slot, _bar.title_slot, _bar.short_title = container, title_slot, short_title


def _move(delta: int, n: int) -> None:
    state.put("slide", min(max(state.get("slide") + delta, 1), n))


def deck(page: str, n: int) -> int:
    """The slide shown of the page's ``n`` (1 … n) in presenter mode, with its buttons in the bar;
    0 outside presenter mode, where the page is drawn whole."""
    if not state.get("present"):
        if state.get("slide") != 1:
            state.put("slide", 1)  # the reading view has no slides: its link names none
        return 0
    if talk.entered_backwards(page):
        state.put("slide", n)
    shown = min(max(state.get("slide"), 1), n)
    if shown != state.get("slide"):
        state.put("slide", shown)  # a sentence with fewer slides, or a link past the end
    slot = getattr(_bar, "slot", None)
    if n > 1 and slot is not None:
        _bar.title_slot.markdown(f"**{_bar.short_title}**")
        slot.button("◀", key="step_back", disabled=shown == 1, on_click=_move, args=(-1, n), help=t("slide.back_help"))
        slot.markdown(t("slide.where", k=shown, n=n))
        slot.button("▶", key="step_next", disabled=shown == n, on_click=_move, args=(1, n), help=t("slide.next_help"))
    return shown


def shows(shown: int, number: int) -> bool:
    """Whether the part that is slide ``number`` is drawn: always off a slide (``shown`` 0), else only on its own."""
    return shown in (0, number)
