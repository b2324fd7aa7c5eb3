"""A tab that does nothing for a while keeps its websocket, as a browser's does: the protocol client
(``serving.visitors.Session``) answers the server's pings while idle (``answer_pings``).

Streamlit's server closes a websocket whose pong is late (``server.websocketPingInterval``, 30 s by
default; the same value is the timeout). A following phone that shows the speaker's equations in the
page runs nothing for several moves: at a press every 5 s its runs are about 35 s apart, and a loaded
server's late runs could push its next read past the timeout. Here the interval is 1 s, and two tabs
idle side by side: the one that never reads is closed by the server, the one that answers pings idles
three more intervals and then runs as before.
"""

from __future__ import annotations

import select
import socket
import time

import pytest

from serving.processes import running_app
from serving.visitors import Session, Visitor

PING_S = 1
CLOSE = 0x8
PINGS_AFTER = 3  # the answering tab idles this many more intervals, answering each
SENTENCE = "the cat sees a dog"


@pytest.fixture(scope="module")
def pinging_server():
    extra = ("--server.websocketPingInterval", str(PING_S))
    with running_app(script="serving/asgi.py", extra_args=extra) as app:
        yield app


def opcodes(raw: bytes) -> list[int]:
    """The opcodes of the server's frames in ``raw``: unmasked and short (pings, a close)."""
    found, at = [], 0
    while at + 2 <= len(raw):
        found.append(raw[at] & 0x0F)
        at += 2 + (raw[at + 1] & 0x7F)
    return found


def closed_by_server(tab: Session) -> bool:
    """Whether the server has closed ``tab``'s websocket, read without consuming (no pong sent)."""
    sock = tab.ws.sock
    if not select.select([sock], [], [], 0)[0]:
        return False
    raw = sock.recv(65536, socket.MSG_PEEK)
    return raw == b"" or CLOSE in opcodes(raw)


def test_an_idle_tab_that_answers_pings_keeps_its_websocket(pinging_server):
    silent = Session(pinging_server, Visitor("silent", ()))
    answering = Session(pinging_server, Visitor("answering", ()))
    try:
        for tab in (silent, answering):
            tab.open()
            assert tab.open_link(text=SENTENCE).ok, tab.visitor.errors
        deadline = time.monotonic() + 60
        answered_since = 0  # pings the answering tab answered after the silent one was closed
        while answered_since < PINGS_AFTER:
            assert time.monotonic() < deadline, f"closed: {closed_by_server(silent)}, then answered {answered_since}"
            select.select([answering.ws.sock], [], [], 0.1)  # until the answering tab is sent something
            answered = answering.answer_pings()
            if closed_by_server(silent):  # the server's pings to it went unanswered
                answered_since += answered
        run = answering.open_link(eq=2, text=SENTENCE)
        assert run.ok and answering.visitor.errors == [], answering.visitor.errors
    finally:
        silent.close()
        answering.close()
