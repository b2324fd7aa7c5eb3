"""The room store, both backends for real: this process's memory, and Debian's redis-server started
on a loopback port for the module. The same checks run against each: who may do what, votes once per
voter, rooms apart, the end of a room."""

from __future__ import annotations

import threading
import time

import pytest

from serving import rooms
from serving.processes import running_redis


@pytest.fixture(scope="module")
def redis_url():
    with running_redis() as server:
        yield server.url


@pytest.fixture(params=["memory", "redis"])
def make_store(request):
    """A factory of fresh stores of one backend (a Redis store starts from an empty database)."""

    def make(ttl_s: float = rooms.TTL_S) -> rooms.RoomStore:
        if request.param == "memory":
            return rooms.MemoryStore(ttl_s=ttl_s)
        store = rooms.RedisStore(request.getfixturevalue("redis_url"), ttl_s=ttl_s)
        return store

    if request.param == "redis":
        import redis

        redis.Redis.from_url(request.getfixturevalue("redis_url")).flushdb()
    return make


def wait_for(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_open_gives_a_readable_code_and_a_secret_that_is_not_stored(make_store):
    store = make_store()
    code, secret = store.open()
    assert rooms.CODE_PATTERN.fullmatch(code) and not set(code) & set("0O1I")
    assert len(secret) >= 24 and secret not in code
    room = store.room(code.lower())  # as typed on a phone
    assert room == rooms.Room(code, room.version, "", {}, None)
    if isinstance(store, rooms.RedisStore):
        import redis

        raw = redis.Redis.from_url(store.url)
        assert all(secret.encode() not in (raw.get(k) or b"") for k in raw.keys("room:*") if raw.type(k) == b"string")


def test_only_the_secret_moves_the_room(make_store):
    store = make_store()
    code, secret = store.open()
    v1 = store.version(code)
    v2 = store.publish(code, secret, "step_through", {"text": "a cat", "step": "2"})
    assert v2 > v1 and store.room(code).query == {"text": "a cat", "step": "2"}
    other_code, other_secret = store.open()
    for forged in ("", "guess", other_secret, secret[:-1], None):
        with pytest.raises(rooms.RoomError) as refused:
            store.publish(code, forged, "masking", {})
        assert refused.value.reason == "not_speaker"
        for action in (
            lambda s=forged: store.ask(code, s, "choice", ("yes", "no"), 0, "masking"),
            lambda s=forged: store.advance(code, s, "revealed"),
            lambda s=forged: store.close(code, s),
            lambda s=forged: store.touch(code, s),
        ):
            with pytest.raises(rooms.RoomError):
                action()
    room = store.room(code)
    assert (room.page, room.query, room.question, room.version) == (
        "step_through",
        {"text": "a cat", "step": "2"},
        None,
        v2,
    )
    for nonsense in ("", "ZZZ", "abcdefg", "AAAAA0", "room:x", "../etc"):
        assert store.room(nonsense) is None and store.version(nonsense) is None
        with pytest.raises(rooms.RoomError) as refused:
            store.publish(nonsense, secret, "home", {})
        assert refused.value.reason == "no_room"


def test_votes_once_per_voter_and_a_second_vote_replaces_the_first(make_store):
    store = make_store()
    code, secret = store.open()
    q = store.ask(code, secret, "word", ("the", "cat", "sees"), 2, "alpha")
    store.vote(code, q.id, "phone-a-0001", 1)
    store.vote(code, q.id, "phone-a-0001", 1)  # a second tab, a reconnect
    store.vote(code, q.id, "phone-b-0002", 0)
    store.vote(code, q.id, "phone-b-0002", 2)  # changed its mind
    assert store.tally(code, store.room(code).question) == [0, 1, 1]
    for voter, answer, qid in (
        ("phone-c-0003", 3, q.id),
        ("phone-c-0003", -1, q.id),
        ("phone-c-0003", "1", q.id),
        ("x", 0, q.id),
        ("phone c 0003", 0, q.id),
        ("phone-c-0003", 0, "not-the-question"),
    ):
        with pytest.raises(rooms.RoomError) as refused:
            store.vote(code, qid, voter, answer)
        assert refused.value.reason == "bad_vote"
    assert store.tally(code, q) == [0, 1, 1]
    store.advance(code, secret, "revealed")
    with pytest.raises(rooms.RoomError) as refused:
        store.vote(code, q.id, "phone-d-0004", 0)
    assert refused.value.reason == "closed"
    assert store.tally(code, q) == [0, 1, 1]
    # A new question starts with no votes.
    q2 = store.ask(code, secret, "choice", ("yes", "no"), 0, "masking")
    assert q2.id != q.id and store.tally(code, q2) == [0, 0]


def test_200_votes_from_threads_are_counted_exactly(make_store):
    store = make_store()
    code, secret = store.open()
    q = store.ask(code, secret, "word", tuple(f"w{j}" for j in range(8)), 3, "alpha")
    errors = []

    def cast(i: int) -> None:
        try:
            store.vote(code, q.id, f"voter-{i:06d}", i % 8)
            store.vote(code, q.id, f"voter-{i:06d}", (i * 3) % 8)  # every voter changes once
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=cast, args=(i,)) for i in range(200)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    expected = [0] * 8
    for i in range(200):
        expected[(i * 3) % 8] += 1
    assert store.tally(code, q) == expected and sum(expected) == 200


def test_two_rooms_never_see_each_other(make_store):
    store = make_store()
    (a, sa), (b, sb) = store.open(), store.open()
    store.publish(a, sa, "masking", {"strategy": "none"})
    store.publish(b, sb, "pitfalls", {"pitfall": "softmax_axis"})
    qa = store.ask(a, sa, "choice", ("yes", "no"), 0, "masking")
    qb = store.ask(b, sb, "choice", ("yes", "no"), 0, "masking")
    store.vote(a, qa.id, "same-phone-01", 0)
    with pytest.raises(rooms.RoomError):
        store.vote(b, qa.id, "same-phone-01", 0)  # room a's question is not room b's
    store.vote(b, qb.id, "same-phone-01", 1)
    assert store.tally(a, qa) == [1, 0] and store.tally(b, qb) == [0, 1]
    with pytest.raises(rooms.RoomError):
        store.publish(a, sb, "home", {})
    assert store.room(a).page == "masking" and store.room(b).page == "pitfalls"
    store.close(b, sb)
    assert store.room(b) is None and store.room(a).page == "masking"


def test_a_room_ends_when_closed_or_without_its_speaker(make_store):
    store = make_store(ttl_s=0.6)
    code, secret = store.open()
    q = store.ask(code, secret, "choice", ("yes", "no"), 0, "masking")
    store.vote(code, q.id, "phone-a-0001", 0)
    # The speaker's actions keep it open past its time to live.
    for _ in range(4):
        time.sleep(0.25)
        store.touch(code, secret)
    assert store.room(code) is not None
    assert wait_for(lambda: store.room(code) is None, timeout=5)
    assert store.tally(code, q) == [0, 0]
    with pytest.raises(rooms.RoomError) as refused:
        store.publish(code, secret, "home", {})
    assert refused.value.reason == "no_room"
    code2, secret2 = store.open()
    store.close(code2, secret2)
    assert store.room(code2) is None and store.version(code2) is None


def test_versions_read_many_rooms_at_once(make_store):
    store = make_store()
    (a, sa), (b, _) = store.open(), store.open()
    before = store.versions([a, b, "QQQQQQ"])
    store.publish(a, sa, "home", {})
    after = store.versions([a, b, "QQQQQQ"])
    assert after[a] == before[a] + 1 and after[b] == before[b] and after["QQQQQQ"] is None


def test_the_setting_chooses_the_store(redis_url):
    assert isinstance(rooms.open_store(""), rooms.MemoryStore)
    assert isinstance(rooms.open_store(None), rooms.MemoryStore)
    assert isinstance(rooms.open_store(redis_url), rooms.RedisStore)
    with pytest.raises(ValueError, match="Received: 'postgres://x'"):
        rooms.open_store("postgres://x")
