"""Two replicas of the app behind Debian's nginx, all on loopback, with the shipped deploy/nginx.conf.

Visitors speak Streamlit's websocket protocol (``serving.visitors.Session``) and press "Next" the
way a browser does, so each press advances the state the replica holds for that session. The
checks: every request of a session (websocket, HTTP, its downloads) reaches one replica; its
state survives clicks and a reconnect (the replica resumes the same session); when one replica
dies, only its sessions are lost, they reconnect to the other replica from their links, and the
other replica's sessions go on.

Behaviour only, no timing thresholds. The death test kills a replica of the shared pair, so it
comes last in this file.
"""

from __future__ import annotations

import shutil
from collections import Counter
from types import SimpleNamespace

import pytest
import websocket

from serving.processes import NGINX, healthy, running_app, running_proxy
from serving.visitors import Session, Target, Visitor, advance, isolation, position, sentences, walk, warm_up

PER_REPLICA = 2  # sessions wanted on each replica
MAX_SESSIONS = 40  # the cookie is random: stop opening sessions after this many
PRESSES = 3

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def room():
    assert NGINX.exists() or shutil.which("nginx"), "Debian's nginx is missing: apt-get install nginx (.ci/run does)"
    with running_app() as a, running_app() as b, running_proxy([a.port, b.port]) as proxy:
        target = Target(url=proxy.url, processes=(a.process, b.process), replica_urls=(a.url, b.url))
        warm = warm_up(target, sentences(1, seed=99))
        assert [e for v in warm for e in v.errors] == []
        yield SimpleNamespace(apps=(a, b), proxy=proxy, target=target, names={f"127.0.0.1:{x.port}" for x in (a, b)})


def open_sessions(room, seed: int) -> list[Session]:
    """Sessions opened through nginx, each on its own sentence, until every replica holds ``PER_REPLICA``."""
    sessions: list[Session] = []
    count: Counter[str] = Counter()
    for i, tokens in enumerate(sentences(MAX_SESSIONS, seed=seed)):
        if all(count[name] >= PER_REPLICA for name in room.names):
            break
        # Every press a run on its replica (as in presenter mode): what is tested is where runs land.
        # A held step's presses within a step never reach a replica, live or dead.
        session = Session(room.target, Visitor(f"visitor-{seed}-{i}", tokens), holds=False)
        session.open()
        session.open_link()
        sessions.append(session)
        count[session.replica] += 1
    assert set(count) == room.names, f"nginx sent {len(sessions)} sessions to {dict(count)} only"
    assert all(count[name] >= PER_REPLICA for name in room.names), dict(count)
    return sessions


def press(session: Session, times: int = 1) -> None:
    for _ in range(times):
        session.press_next(expect=advance(position(session.query)))


def assert_clean(sessions: list[Session]) -> None:
    visitors = [s.visitor for s in sessions]
    assert [f"{v.name}: {e}" for v in visitors for e in v.errors] == []
    iso = isolation(visitors, {v.tokens: v.name for v in visitors})
    assert iso["crossed"] == [] and iso["wrong"] == [], iso


def test_a_session_stays_on_one_replica_and_keeps_its_state(room):
    sessions = open_sessions(room, seed=11)
    try:
        for session in sessions:
            start = position(session.query)
            press(session, PRESSES)
            assert position(session.query) == walk(PRESSES, len(session.visitor.tokens)) == (1, 4)
            assert start == (1, 1)
            # Every HTTP request of the tab goes where its websocket went.
            for _ in range(3):
                status, _, replica = session.fetch("/_stcore/host-config")
                assert (status, replica) == (200, session.replica)
            assert session.visitor.replicas == {session.replica}
        assert_clean(sessions)

        # A download lives in the memory of the replica that drew the page: only stickiness finds it.
        first = sessions[0]
        other = next(s for s in sessions if s.replica != first.replica)
        assert not first.downloads, "the downloads are built only when their box is opened"
        first.open_downloads()
        assert first.downloads, "the step page offers no download"
        url = first.download_url(next(iter(first.downloads)))
        assert url.startswith("/media/")
        status, body, replica = first.fetch(url)
        assert (status, replica) == (200, first.replica) and body
        status, _, replica = other.fetch(url)
        assert (status, replica) == (404, other.replica)

        # A dropped websocket comes back to the same replica and finds its session as it left it.
        for session in sessions:
            session_id, at = session.session_id, position(session.query)
            session.close()
            session.open(resume=True)
            press(session)
            assert session.session_id == session_id
            assert position(session.query) == advance(at)
            assert session.visitor.replicas == {session.replica}
        assert_clean(sessions)
    finally:
        for session in sessions:
            session.close()


def test_a_dead_replica_loses_only_its_sessions_which_reconnect_to_the_other(room):
    # Last in the file: this kills one of the module's replicas.
    sessions = open_sessions(room, seed=23)
    try:
        for session in sessions:
            press(session)
        victim = room.apps[0]
        victim_name = f"127.0.0.1:{victim.port}"
        (survivor_name,) = room.names - {victim_name}
        lost = [s for s in sessions if s.replica == victim_name]
        kept = [s for s in sessions if s.replica == survivor_name]
        before = {id(s): (s.session_id, position(s.query)) for s in sessions}

        victim.process.kill()
        victim.process.wait(timeout=30)
        assert healthy(room.proxy.url)

        # The survivor's sessions go on where they were, on the same websocket.
        for session in kept:
            press(session)
            session_id, at = before[id(session)]
            assert session.session_id == session_id
            assert position(session.query) == advance(at)

        # The dead replica's sessions lose their websocket, reconnect with the same cookie and
        # land on the survivor: a new session, rebuilt from the link the tab still shows.
        for session in lost:
            with pytest.raises((ConnectionError, OSError, websocket.WebSocketException)):
                press(session)
            session.visitor.errors.clear()  # the failed press above is the expected loss
            session.close()
            session.open(resume=True)
            assert session.replica == survivor_name
            run = session.reload()
            assert run.ok and run.sources == [session.visitor.tokens]
            session_id, at = before[id(session)]
            assert session.session_id != session_id
            assert position(session.query) == at
            press(session)
            assert position(session.query) == advance(at)
            status, _, replica = session.fetch("/_stcore/host-config")
            assert (status, replica) == (200, survivor_name)

        # Newcomers all go to the survivor.
        newcomer = Session(room.target, Visitor("newcomer", sentences(1, seed=5)[0]), holds=False)
        sessions.append(newcomer)
        newcomer.open()
        newcomer.open_link()
        press(newcomer)
        assert newcomer.replica == survivor_name
        assert_clean(sessions)
    finally:
        for session in sessions:
            session.close()
