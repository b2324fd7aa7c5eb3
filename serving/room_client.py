"""What a room's phone does, spoken from Python: the version request its script holds open, and the
buttons a speaker and a phone press (``serving.visitors.Session`` does the pressing).

A phone's script (``ui/session/follow.js``) holds ``GET /rooms/CODE/version?since=N`` open
(``serving/asgi.py`` answers when the room's version is not N, or after its hold) and asks for one run
when the version changed. The room benchmark (``benchmarks/follow.py``) and the replica tests
(``tests/serving``) make phones of sessions this way.
"""

from __future__ import annotations

import json
import re

from serving.visitors import Session

OPEN_ROOM = "Open a room"  # ui/strings/en.py "room.open": the Share box's button on the speaker's screen
ASK = "Ask the room"  # "room.ask"
ANSWERED = re.compile(r"^### (\d+) answered$")  # "room.answered", on the speaker's slide


def poll_screen(session: Session, code: str, since: int) -> tuple[int | None, dict | None]:
    """What the phone's script asks: the room's version once it is not ``since``, and its screen;
    (None, None) when the room is gone."""
    status, body, _ = session.fetch(f"/rooms/{code}/version?since={since}")
    if status == 404:
        return None, None
    if status != 200:
        raise RuntimeError(f"/rooms/{code}/version answered {status}")
    answer = json.loads(body)
    return answer["version"], answer.get("screen")


def poll(session: Session, code: str, since: int) -> int | None:
    """The room's version once it is not ``since``; None when the room is gone."""
    return poll_screen(session, code, since)[0]


def next_vote_key(session: Session, k: int) -> str:
    """The key of answer ``k``'s button (``room_vote_<question>_<k>``) on the phone's last run."""
    for widget_id in session.buttons:
        match = re.search(r"-(room_vote_[0-9a-f]+_)(\d+)$", widget_id)
        if match and int(match.group(2)) == k:
            return match.group(1) + match.group(2)
    raise LookupError(f"no answer {k} on the phone's screen")
