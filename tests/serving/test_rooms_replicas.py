"""A room on two replicas behind Debian's nginx, sharing rooms through a real Redis (redis-server on
loopback), the app served as ``serving/asgi.py``: the speaker on one replica, phones on the other,
following and voting; then the phones' replica is killed mid-room and they reconnect through nginx
to the other one, land on the speaker's current screen, and their votes are still counted.

Phones are protocol clients (``serving.visitors.Session``) that behave as the phone's script does
(``serving.room_client``): they hold ``/rooms/CODE/version`` open through nginx and ask for one run when
it answers.
"""

from __future__ import annotations

import os
import time
from urllib.parse import urlencode

import pytest

from serving.processes import running_app, running_proxy, running_redis
from serving.room_client import ASK, OPEN_ROOM, next_vote_key, poll
from serving.rooms import STORE_SETTING, RedisStore
from serving.visitors import Session, Target, Visitor

pytestmark = pytest.mark.timeout(900)

SENTENCE = "the big red car sees a small dog"
PHONES = 3
MAX_COOKIES = 64  # cookie values tried to pin a phone to a replica (nginx hashes the cookie)


@pytest.fixture(scope="module")
def room():
    with running_redis() as redis_server:
        before = os.environ.get(STORE_SETTING)
        os.environ[STORE_SETTING] = redis_server.url  # the replicas started below inherit it
        try:
            with (
                running_app(script="serving/asgi.py") as a,
                running_app(script="serving/asgi.py") as b,
                running_proxy([a.port, b.port]) as proxy,
            ):
                yield {"a": a, "b": b, "proxy": proxy, "redis": redis_server}
        finally:
            if before is None:
                os.environ.pop(STORE_SETTING, None)
            else:
                os.environ[STORE_SETTING] = before


def session(url: str, name: str, page: str, holds: bool = True) -> Session:
    s = Session(Target(url=url), Visitor(name, ()), holds=holds)
    s.page = page
    s.wants_source = page == "step_through"
    return s


def pinned(room, name: str, replica) -> Session:
    """A phone through nginx whose replica cookie sends it to ``replica``."""
    for k in range(MAX_COOKIES):
        phone = session(room["proxy"].url, name, "lesson")
        phone.cookies = {"explorer_replica": f"{name}-{k}"}
        phone.open()
        if phone.replica == f"127.0.0.1:{replica.port}":
            return phone
        phone.close()
    raise AssertionError(f"no cookie of {MAX_COOKIES} sent {name} to replica {replica.port}")


def wait_for_move(phone: Session, code: str, since: int) -> int:
    """What the phone's script does: hold the version request until the room moves, then one run."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        version = poll(phone, code, since)
        if version != since:
            phone.reload()
            return version
    raise AssertionError(f"room {code} did not move past version {since} in 60 s")


def lesson_stop(s: Session) -> str:
    return dict(p.split("=", 1) for p in s.query.split("&") if "=" in p).get("lesson", "why")


def test_speaker_on_one_replica_phones_on_the_other_then_the_phones_replica_dies(room):
    a, b, redis_url = room["a"], room["b"], room["redis"].url
    speaker = session(a.url, "speaker", "lesson", holds=False)
    speaker.open()
    speaker.query = urlencode({"present": "1", "lesson": "alpha", "text": SENTENCE})
    speaker.reload()
    speaker.press("open", speaker.button_id(label=OPEN_ROOM))
    code = dict(p.split("=", 1) for p in speaker.query.split("&"))["room"]
    store = RedisStore(redis_url)
    assert store.room(code).page == "lesson"

    phones = [pinned(room, f"phone-{i}", b) for i in range(PHONES)]
    versions = []
    for phone in phones:
        phone.query = urlencode({"room": code})  # the QR code's link
        phone.reload()
        assert lesson_stop(phone) == "alpha", phone.query
        versions.append(poll(phone, code, -1))

    # Following across replicas: the speaker's press on A moves the phones on B.
    speaker.press("next", speaker.button_id(label="Next stop"))
    assert lesson_stop(speaker) == "masking"
    for k, phone in enumerate(phones):
        versions[k] = wait_for_move(phone, code, versions[k])
        assert lesson_stop(phone) == "masking" and phone.replica == f"127.0.0.1:{b.port}"
    speaker.press("back", speaker.button_id(label="Previous stop"))
    for k, phone in enumerate(phones):
        versions[k] = wait_for_move(phone, code, versions[k])
        assert lesson_stop(phone) == "alpha"

    # Voting across replicas: asked on A, answered on B, counted once each in Redis.
    speaker.press("ask", speaker.button_id(label=ASK))
    chosen = [1, 3, 3]
    for k, phone in enumerate(phones):
        versions[k] = wait_for_move(phone, code, versions[k])
        phone.press("vote", phone.button_id(key=next_vote_key(phone, chosen[k])))
    phones[0].press("vote", phones[0].button_id(key=next_vote_key(phones[0], 3)))  # changed its mind
    question = store.room(code).question
    assert store.tally(code, question)[1:4] == [0, 0, 3] and sum(store.tally(code, question)) == 3
    speaker.reload()
    assert "### 3 answered" in speaker.markdown

    # The phones' replica dies mid-room. They reconnect through nginx (to A, the one left) from the
    # link they show, and land on the speaker's current screen; their votes are still counted.
    b.process.kill()
    b.process.wait(timeout=30)
    for phone in phones:
        phone.close()
    speaker.press("next", speaker.button_id(label="Next stop"))
    assert lesson_stop(speaker) == "masking"
    for phone in phones:
        phone.open()
        assert phone.replica == f"127.0.0.1:{a.port}"
        phone.reload()  # a new session on A, from the link
        assert lesson_stop(phone) == "masking", phone.query
        assert phone.query.count(f"room={code}") == 1
    assert store.tally(code, question)[3] == 3
    speaker.press("back", speaker.button_id(label="Previous stop"))
    assert "### 3 answered" in speaker.markdown
    errors = [e for s in (speaker, *phones) for e in s.visitor.errors]
    assert errors == []
    speaker.close()
    for phone in phones:
        phone.close()
