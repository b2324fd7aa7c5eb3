"""Rooms: the audience of one talk, kept where every replica serving it can read it.

A room has two capabilities. Its **code** (six letters and digits, ``?room=CODE``) is the
audience's: safe on a projector, it lets a phone read the speaker's screen and answer the question
on it. Its **secret** is the speaker's: it never leaves the speaker's session, and only it moves
the room, asks, reveals, plays the room's guess or closes it. The store keeps a hash of the secret,
never the secret.

What a room holds: the speaker's screen (the page and its link's query), a version that grows with
every change (what a phone asks for to learn of a move, ``serving.asgi``), the question asked and
its stage, and the votes, keyed by an anonymous voter id a browser makes for itself (one vote per
voter and question: voting again replaces the vote). No names, no addresses. A room ends when the
speaker closes it, or ``ttl_s`` after the speaker's last action; its votes go with it.

Two stores behind one interface: ``MemoryStore``, in the process (the default: one server, no
set-up), and ``RedisStore`` (``ATTENTION_EXPLORER_ROOM_STORE=redis://host:port/db``), which
replicas behind a proxy share. ``store()`` is the process's store, chosen by that setting.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

STORE_SETTING = "ATTENTION_EXPLORER_ROOM_STORE"
TTL_S = 4 * 3600  # a room without its speaker for this long ends
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a projector
CODE_LENGTH = 6
CODE_PATTERN = re.compile(rf"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")
VOTER_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,64}")  # a voter id a browser made for itself
MAX_OPTIONS = 64  # answers of one question: the source words of the longest sentence, or yes/no
MAX_OPTION_CHARS = 60
MAX_ROOMS = 1_000  # live rooms of one store: opening more is refused, not a memory leak
MAX_QUERY_CHARS = 8_000  # the speaker's link, as JSON
STAGES = ("asked", "revealed", "played")
KINDS = ("word", "choice")  # a question over the source words (its α can be played), or any other choice
MAX_PROMPT_CHARS = 2_000


class RoomError(Exception):
    """A refused request. ``reason`` names it for the interface strings:
    ``no_room`` (no such code, or it ended), ``not_speaker`` (the secret does not match),
    ``bad_vote`` (no such question or answer, or not a voter id), ``closed`` (the question no
    longer takes votes), ``bad_question``, ``full`` (too many rooms), ``bad_screen``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class Question:
    id: str  # new for every ask: votes are per question
    kind: str  # "word" (which source word) or "choice"
    options: tuple[str, ...]  # the answers, in order (the source words; or "yes", "no")
    step: int  # the decoder step the question is about (1-based), 0 when none
    key: str  # the lesson's question it puts to the room
    stage: str = "asked"  # asked → revealed → played
    prompt: str = ""  # the question as the speaker's screen words it (markdown, the user's words escaped)
    about: dict = field(default_factory=dict)  # what it was asked on: {"text": …, "model": …}


@dataclass(frozen=True)
class Room:
    code: str
    version: int
    page: str  # the speaker's page ("" before the first screen)
    query: dict = field(default_factory=dict)  # the speaker's link (without presenter mode)
    question: Question | None = None


def normalize_code(raw: str) -> str | None:
    """A code as typed or linked (any case, spaces around it) if it could be one; None otherwise."""
    code = (raw or "").strip().upper()
    return code if CODE_PATTERN.fullmatch(code) else None


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _question_from(blob: dict | None) -> Question | None:
    if not blob:
        return None
    return Question(
        id=blob["id"],
        kind=blob["kind"],
        options=tuple(blob["options"]),
        step=int(blob["step"]),
        key=blob["key"],
        stage=blob["stage"],
        prompt=blob.get("prompt", ""),
        about=blob.get("about", {}),
    )


def _question_blob(q: Question) -> dict:
    return {
        "id": q.id,
        "kind": q.kind,
        "options": list(q.options),
        "step": q.step,
        "key": q.key,
        "stage": q.stage,
        "prompt": q.prompt,
        "about": q.about,
    }


class RoomStore:
    """The rooms' interface. A subclass keeps, per room, one record (``_load``/``_save``), a version
    (``_bump``) and the votes per question (``_put_vote``/``_votes``)."""

    def __init__(self, ttl_s: float = TTL_S) -> None:
        self.ttl_s = ttl_s

    # --- what a subclass provides ----------------------------------------------------------------
    def _create(self, code: str, record: dict) -> bool:  # False: the code is taken
        raise NotImplementedError

    def _load(self, code: str) -> tuple[dict, int] | None:  # the record and the version
        raise NotImplementedError

    def _save(self, code: str, record: dict) -> int:  # writes, bumps the version, renews the ttl
        raise NotImplementedError

    def _delete(self, code: str) -> None:
        raise NotImplementedError

    def versions(self, codes: Iterable[str]) -> dict[str, int | None]:
        raise NotImplementedError

    def _count(self) -> int:
        raise NotImplementedError

    def _put_vote(self, code: str, question_id: str, voter: str, answer: int) -> None:
        raise NotImplementedError

    def _votes(self, code: str, question_id: str) -> list[int]:  # every voter's answer
        raise NotImplementedError

    # --- the interface -----------------------------------------------------------------------------
    def open(self) -> tuple[str, str]:
        """A new room: its code (the audience's) and its secret (the speaker's)."""
        if self._count() >= MAX_ROOMS:
            raise RoomError("full", f"{MAX_ROOMS} rooms are open")
        secret = secrets.token_urlsafe(24)
        record = {"secret": _hash(secret), "page": "", "query": {}, "question": None}
        for _ in range(20):
            code = _new_code()
            if self._create(code, record):
                return code, secret
        raise RoomError("full", "no free code found")

    def room(self, code: str) -> Room | None:
        """What the audience may read of a room: its screen, its question and its version."""
        code = normalize_code(code)
        loaded = self._load(code) if code else None
        if loaded is None:
            return None
        record, version = loaded
        return Room(code, version, record["page"], record["query"], _question_from(record["question"]))

    def version(self, code: str) -> int | None:
        code = normalize_code(code)
        return self.versions([code])[code] if code else None

    def _speaker(self, code: str, secret: str) -> dict:
        """The room's record, for the holder of its secret only."""
        code_ok = normalize_code(code)
        loaded = self._load(code_ok) if code_ok else None
        if loaded is None:
            raise RoomError("no_room", repr(code)[:40])
        record = loaded[0]
        if not isinstance(secret, str) or not hmac.compare_digest(record["secret"], _hash(secret)):
            raise RoomError("not_speaker", code_ok)
        return record

    def publish(self, code: str, secret: str, page: str, query: dict) -> int:
        """The speaker's screen: its page and its link's query. Returns the room's new version."""
        record = self._speaker(code, secret)
        if not isinstance(page, str) or not isinstance(query, dict) or len(json.dumps(query)) > MAX_QUERY_CHARS:
            raise RoomError("bad_screen", page if isinstance(page, str) else "")
        record["page"], record["query"] = page, query
        return self._save(normalize_code(code), record)

    def touch(self, code: str, secret: str) -> int:
        """The speaker is still there: the room's time starts again (a version too)."""
        return self._save(normalize_code(code), self._speaker(code, secret))

    def ask(
        self,
        code: str,
        secret: str,
        kind: str,
        options: Iterable[str],
        step: int,
        key: str,
        prompt: str = "",
        about: dict | None = None,
    ) -> Question:
        """Put a question to the room: a new one, with no votes yet, replaces any other. ``kind``:
        ``word`` (the options are the source words, ``step`` the decoder step) or ``choice``."""
        record = self._speaker(code, secret)
        options = tuple(str(o)[:MAX_OPTION_CHARS] for o in options)
        about = dict(about or {})
        if (
            kind not in KINDS
            or not 2 <= len(options) <= MAX_OPTIONS
            or not isinstance(step, int)
            or len(json.dumps(about)) > MAX_QUERY_CHARS
        ):
            raise RoomError("bad_question", f"kind={kind!r}, {len(options)} options")
        question = Question(
            secrets.token_hex(8), kind, options, step, str(key)[:40], "asked", str(prompt)[:MAX_PROMPT_CHARS], about
        )
        record["question"] = _question_blob(question)
        self._save(normalize_code(code), record)
        return question

    def advance(self, code: str, secret: str, stage: str) -> Question:
        """The question's next stage: ``revealed`` (votes close, the answers shown) or ``played``."""
        record = self._speaker(code, secret)
        question = _question_from(record["question"])
        if question is None or stage not in STAGES[1:]:
            raise RoomError("bad_question", f"stage={stage!r}")
        record["question"]["stage"] = stage
        self._save(normalize_code(code), record)
        return _question_from(record["question"])

    def withdraw(self, code: str, secret: str) -> None:
        """No question on the room's screens any more."""
        record = self._speaker(code, secret)
        record["question"] = None
        self._save(normalize_code(code), record)

    def close(self, code: str, secret: str) -> None:
        """The room ends, its votes with it."""
        self._speaker(code, secret)
        self._delete(normalize_code(code))

    def vote(self, code: str, question_id: str, voter: str, answer: int) -> None:
        """One voter's answer (an index into the question's options): a second vote replaces the first."""
        room = self.room(code)
        if room is None:
            raise RoomError("no_room", repr(code)[:40])
        q = room.question
        if not isinstance(voter, str) or not VOTER_PATTERN.fullmatch(voter):
            raise RoomError("bad_vote", "not a voter id")
        if q is None or q.id != question_id or not isinstance(answer, int) or not 0 <= answer < len(q.options):
            raise RoomError("bad_vote", f"question {question_id!r}, answer {answer!r}")
        if q.stage != "asked":
            raise RoomError("closed", q.id)
        self._put_vote(room.code, q.id, voter, answer)

    def tally(self, code: str, question: Question) -> list[int]:
        """Votes per option of ``question`` (one per voter)."""
        counts = [0] * len(question.options)
        code = normalize_code(code)
        for answer in self._votes(code, question.id) if code else ():
            if 0 <= answer < len(counts):
                counts[answer] += 1
        return counts


class MemoryStore(RoomStore):
    """Rooms in this process's memory: one server needs nothing else. Ended rooms are dropped as
    they are met (read, counted)."""

    def __init__(self, ttl_s: float = TTL_S, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(ttl_s)
        self._clock = clock
        self._lock = threading.Lock()
        self._rooms: dict[str, dict] = {}  # code → {"record", "version", "until", "votes": {qid: {voter: answer}}}

    def _live(self, code: str) -> dict | None:
        entry = self._rooms.get(code)
        if entry is not None and entry["until"] <= self._clock():
            del self._rooms[code]
            return None
        return entry

    def _create(self, code: str, record: dict) -> bool:
        with self._lock:
            if self._live(code) is not None:
                return False
            self._rooms[code] = {"record": record, "version": 1, "until": self._clock() + self.ttl_s, "votes": {}}
            return True

    def _load(self, code: str) -> tuple[dict, int] | None:
        with self._lock:
            entry = self._live(code)
            return None if entry is None else (json.loads(json.dumps(entry["record"])), entry["version"])

    def _save(self, code: str, record: dict) -> int:
        with self._lock:
            entry = self._live(code)
            if entry is None:
                raise RoomError("no_room", code)
            entry["record"] = json.loads(json.dumps(record))
            entry["version"] += 1
            entry["until"] = self._clock() + self.ttl_s
            question = record.get("question")
            entry["votes"] = {q: v for q, v in entry["votes"].items() if question and q == question["id"]}
            return entry["version"]

    def _delete(self, code: str) -> None:
        with self._lock:
            self._rooms.pop(code, None)

    def versions(self, codes: Iterable[str]) -> dict[str, int | None]:
        with self._lock:
            return {code: (entry["version"] if (entry := self._live(code)) else None) for code in codes}

    def _count(self) -> int:
        with self._lock:
            for code in list(self._rooms):
                self._live(code)
            return len(self._rooms)

    def _put_vote(self, code: str, question_id: str, voter: str, answer: int) -> None:
        with self._lock:
            entry = self._live(code)
            if entry is None:
                raise RoomError("no_room", code)
            entry["votes"].setdefault(question_id, {})[voter] = answer

    def _votes(self, code: str, question_id: str) -> list[int]:
        with self._lock:
            entry = self._live(code)
            return list(entry["votes"].get(question_id, {}).values()) if entry else []


class RedisStore(RoomStore):
    """Rooms in Redis, shared by every replica that names the same server. Per room: ``room:C`` (the
    record, JSON), ``room:C:v`` (the version) and ``room:C:q:ID`` (a hash voter → answer), all with
    the room's time to live, renewed by the speaker's every action."""

    def __init__(self, url: str, ttl_s: float = TTL_S) -> None:
        super().__init__(ttl_s)
        import redis

        self.url = url
        self._redis = redis.Redis.from_url(url, decode_responses=True, socket_timeout=5, socket_connect_timeout=5)

    def _ttl_ms(self) -> int:
        return max(1, int(self.ttl_s * 1000))

    def _create(self, code: str, record: dict) -> bool:
        pipe = self._redis.pipeline()
        pipe.set(f"room:{code}", json.dumps(record), nx=True, px=self._ttl_ms())
        pipe.set(f"room:{code}:v", 1, px=self._ttl_ms())
        created, _ = pipe.execute()
        return bool(created)

    def _load(self, code: str) -> tuple[dict, int] | None:
        raw, version = self._redis.mget(f"room:{code}", f"room:{code}:v")
        if raw is None or version is None:
            return None
        return json.loads(raw), int(version)

    def _save(self, code: str, record: dict) -> int:
        ttl = self._ttl_ms()
        pipe = self._redis.pipeline()
        pipe.set(f"room:{code}", json.dumps(record), xx=True, px=ttl)
        pipe.incr(f"room:{code}:v")
        pipe.pexpire(f"room:{code}:v", ttl)
        question = record.get("question")
        if question:
            pipe.pexpire(f"room:{code}:q:{question['id']}", ttl)
        saved, version, _, *_ = pipe.execute()
        if not saved:
            self._redis.delete(f"room:{code}:v")
            raise RoomError("no_room", code)
        return int(version)

    def _delete(self, code: str) -> None:
        keys = [f"room:{code}", f"room:{code}:v", *self._redis.scan_iter(f"room:{code}:q:*", count=100)]
        self._redis.delete(*keys)

    def versions(self, codes: Iterable[str]) -> dict[str, int | None]:
        codes = list(codes)
        if not codes:
            return {}
        values = self._redis.mget([f"room:{code}:v" for code in codes])
        return {code: (int(v) if v is not None else None) for code, v in zip(codes, values, strict=True)}

    def _count(self) -> int:
        return sum(1 for key in self._redis.scan_iter("room:*:v", count=1000))

    def _put_vote(self, code: str, question_id: str, voter: str, answer: int) -> None:
        key = f"room:{code}:q:{question_id}"
        pipe = self._redis.pipeline()
        pipe.hset(key, voter, answer)
        pipe.pexpire(key, self._ttl_ms())
        pipe.execute()

    def _votes(self, code: str, question_id: str) -> list[int]:
        return [int(v) for v in self._redis.hvals(f"room:{code}:q:{question_id}")]


def open_store(setting: str | None) -> RoomStore:
    """The store a setting names: empty for this process's memory, ``redis://…`` for Redis."""
    setting = (setting or "").strip()
    if not setting or setting == "memory":
        return MemoryStore()
    if setting.startswith(("redis://", "rediss://", "unix://")):
        return RedisStore(setting)
    raise ValueError(f"{STORE_SETTING} must be empty, 'memory' or a redis:// URL. Received: {setting!r}")


@cache
def store() -> RoomStore:
    """This process's room store (``ATTENTION_EXPLORER_ROOM_STORE``), made once."""
    return open_store(os.environ.get(STORE_SETTING))
