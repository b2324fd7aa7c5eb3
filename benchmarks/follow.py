"""A room under load: one speaker in presenter mode, phones that follow it, and a question voted on.

Each phone is a protocol client (``serving.visitors.Session``) that behaves as the app's phone
script does (``ui/session/follow.js``; its requests are ``serving.room_client``'s): it holds
``GET /rooms/CODE/version?since=N`` open, and when the version changes it asks for one run, which
opens the speaker's new screen. The speaker presses Next every ``interval`` s on the step page; a
phone is current when a run of its own shows the speaker's step and equation. The figures: how long
after the speaker's press each phone's screen was current (p50, p95, max, and presses a phone never
showed), the server's share of a core while the speaker presses, its memory growth, errors, and
whether two rooms ever saw each other's screens.

With ``vote``, the speaker opens the lesson's α question instead and asks the room; every phone
answers once within ``vote_window`` s; the count on the speaker's slide (and, with Redis, the
store's count per answer) must equal the answers sent.

``python -m benchmarks.load --follow`` and ``--vote`` run these (the servers, the room store and the
sampler of the server's CPU and memory are the load tool's).
"""

from __future__ import annotations

import math
import os
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qs, parse_qsl, urlencode

from serving.room_client import ANSWERED, ASK, OPEN_ROOM, next_vote_key, poll_screen
from serving.visitors import Session, Target, Visitor, position, warm_up

SENTENCES = ("the big red car sees a small dog", "a black city finds the small parks")
FOLLOW_TARGET_S = 1.0
CPU_TARGET_PERCENT = 50.0
MEMORY_TARGET_MB = 100.0
VOTE_WINDOW_S = 10.0
POLL_TIMEOUT_S = 30.0  # a held request answers within serving.asgi.HOLD_S (20 s)


@dataclass
class Phone:
    name: str
    room: str
    screens: list[tuple[float, int, int, str]] = field(default_factory=list)  # (finished, step, eq, text)
    errors: list[str] = field(default_factory=list)
    runs: int = 0
    polls: int = 0
    vote: int | None = None
    voted_at: float | None = None


def screen_at(query: str) -> tuple[int, int, str]:
    """(step, eq, text) of a step-through URL: what a phone's screen shows."""
    return *position(query), parse_qs(query).get("text", [""])[0]


def tab(target: Target, name: str, holds: bool) -> Session:
    """A phone's or a speaker's tab; a speaker in presenter mode draws one equation a press (``holds`` false)."""
    return Session(target, Visitor(name, ()), holds=holds)


def open_speaker(target: Target, page: str, params: dict) -> tuple[Session, str]:
    """A speaker's tab in presenter mode on ``page``; it opens a room from the Share box: (tab, code)."""
    speaker = tab(target, "speaker", holds=False)
    speaker.page = page
    speaker.wants_source = page == "step_through"
    speaker.open()
    speaker.query = urlencode({"present": "1", **params})
    speaker.reload()
    speaker.press("open", speaker.button_id(label=OPEN_ROOM))
    code = parse_qs(speaker.query).get("room", [""])[0]
    if not code:
        raise RuntimeError(f"the speaker's link names no room after {OPEN_ROOM!r}: {speaker.query}")
    return speaker, code


NOT_FOLLOWED = ("lang", "present", "eq")


def only_eq_moved(new: dict | None, old: dict | None) -> bool:
    """Whether the room's screen moved only its equation (the phone's script shows that in the page)."""
    if not new or not old or new["page"] != old["page"]:
        return False

    def rest(query: dict) -> dict:
        return {k: v for k, v in query.items() if k not in NOT_FOLLOWED}

    return rest(new["query"]) == rest(old["query"])


def follow(
    target: Target, phone: Phone, page: str, text: str, stop: threading.Event, start_delay: float, on_vote=None
) -> None:
    """One phone: open the room's link, then one run per move until ``stop``; ``on_vote(session)`` when
    the speaker's question reaches it."""
    time.sleep(start_delay)
    session = tab(target, phone.name, holds=True)
    session.page = page
    session.wants_source = page == "step_through"
    try:
        session.open()
        session.query = urlencode({"room": phone.room, "text": text})
        session.reload()
        phone.runs += 1
        phone.screens.append((time.monotonic(), *screen_at(session.query)))
        version, screen = poll_screen(session, phone.room, -1)
        while not stop.is_set() and version is not None:
            seen, moved_to = poll_screen(session, phone.room, version)
            session.answer_pings()  # a held request lasts up to 20 s: the websocket's pings are answered in between
            phone.polls += 1
            if seen == version or stop.is_set():
                continue
            version = seen
            if session.held_steps is not None and only_eq_moved(moved_to, screen):
                # A step the page holds: the script shows the speaker's equation there, no run.
                eq = int(moved_to["query"].get("eq", "1"))
                query = dict(parse_qsl(session.query))
                query["eq"] = str(eq)
                session.query = urlencode(query)
                phone.screens.append((time.monotonic(), *screen_at(session.query)))
                screen = moved_to
                continue
            screen = moved_to
            session.follow_run()  # the run the phone's script asks for
            phone.runs += 1
            phone.screens.append((time.monotonic(), *screen_at(session.query)))
            if on_vote is not None and any("-room_vote_" in k for k in session.buttons):
                on_vote(session, phone)
    except Exception as exc:  # a phone's failure is counted, never fatal to the run
        phone.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        phone.errors += session.visitor.errors
        session.close()


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]


def follow_latencies(presses: Sequence[tuple[float, int, int]], phones: Sequence[Phone]) -> tuple[list[float], int]:
    """Per phone and press: seconds from the press to the phone's first run showing its screen;
    and how many (phone, press) pairs never showed it before the next press."""
    latencies, missed = [], 0
    for k, (sent, step, eq) in enumerate(presses):
        until = presses[k + 1][0] if k + 1 < len(presses) else math.inf
        for phone in phones:
            shown = [t for t, s, e, _ in phone.screens if sent <= t < until and (s, e) == (step, eq)]
            if shown:
                latencies.append(shown[0] - sent)
            else:
                missed += 1
    return latencies, missed


def crossed(phones: Sequence[Phone], text_of: dict[str, str]) -> list[str]:
    """Phones that ever showed another room's sentence."""
    return [p.name for p in phones if any(text and text != text_of[p.room] for _, _, _, text in p.screens)]


def run_follow(
    target: Target,
    sampler_of: Callable,
    *,
    phones: int = 200,
    other_room: int = 10,
    interval: float = 5.0,
    seconds: float = 60.0,
    ramp: float = 20.0,
) -> dict:
    """``phones`` follow one speaker pressing Next every ``interval`` s for ``seconds``; a second room of
    ``other_room`` phones follows a second speaker on another sentence, pressing as often."""
    rng = random.Random(7)
    # Every replica draws the step page once before the memory is read: a replica's first model page
    # loads TensorFlow (about 650 MB), a cost of the server's start that no phone adds.
    warm = warm_up(target, [tuple(SENTENCES[0].split())])
    speaker_a, code_a = open_speaker(target, "step_through", {"text": SENTENCES[0]})
    speaker_b, code_b = open_speaker(target, "step_through", {"text": SENTENCES[1]})
    text_of = {code_a: SENTENCES[0], code_b: SENTENCES[1]}
    crowd = [Phone(f"phone-{i}", code_a) for i in range(phones)]
    crowd += [Phone(f"other-{i}", code_b) for i in range(other_room)]
    stop = threading.Event()
    rss_before = target.rss_bytes()
    threads = [
        threading.Thread(
            target=follow,
            args=(target, p, "step_through", text_of[p.room], stop, rng.uniform(0, ramp)),
            daemon=True,
        )
        for p in crowd
    ]
    for th in threads:
        th.start()
    time.sleep(ramp + 3.0)
    presses_a: list[tuple[float, int, int]] = []
    with sampler_of(target) as sampler:
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            try:
                for speaker, presses in ((speaker_a, presses_a), (speaker_b, None)):
                    sent = time.monotonic()
                    speaker.press_next()
                    if presses is not None:
                        presses.append((sent, *position(speaker.query)))
            except Exception as exc:  # a speaker's connection lost: counted, and the pressing ends
                speaker.visitor.errors.append(f"{type(exc).__name__}: {exc}")
                break
            time.sleep(max(0.0, interval - (time.monotonic() - sent)))
        ended = time.monotonic()
        cpu = sampler.cpu_percent_between(started, ended)
        peak = sampler.peak
    stop.set()
    rss_after = target.rss_bytes()
    for speaker in (speaker_a, speaker_b):
        speaker.close()
    for th in threads:
        th.join(timeout=POLL_TIMEOUT_S)
    room_a = [p for p in crowd if p.room == code_a]
    latencies, missed = follow_latencies(presses_a, room_a)
    runs_pressing = sum(started <= t <= ended for p in crowd for t, *_ in p.screens) + 2 * len(presses_a)
    errors = [f"{p.name}: {e}" for p in crowd for e in p.errors]
    setup_errors = [e for v in (*warm, speaker_a.visitor, speaker_b.visitor) for e in v.errors]  # warm-up, speakers
    return {
        "phones": phones,
        "other_room": other_room,
        "presses": len(presses_a),
        "interval_s": interval,
        "follow_p50_s": percentile(latencies, 50),
        "follow_p95_s": percentile(latencies, 95),
        "follow_max_s": max(latencies) if latencies else math.nan,
        "missed": missed,
        "phone_runs": sum(p.runs for p in crowd),
        "polls": sum(p.polls for p in crowd),
        "cpu_percent": cpu,
        "cpu_ms_per_run": cpu * 10 * (ended - started) / runs_pressing if runs_pressing else math.nan,
        "load_average": os.getloadavg()[0],
        "rss_growth_mb": ((max(peak, rss_after or 0) - rss_before) / 2**20) if rss_before else math.nan,
        "errors": len(errors) + len(setup_errors),
        "error_samples": (setup_errors + errors)[:5],
        "crossed": crossed(crowd, text_of),
    }


def run_vote(
    target: Target, *, phones: int = 200, window: float = VOTE_WINDOW_S, ramp: float = 20.0, tally=None
) -> dict:
    """``phones`` join the speaker's lesson question and answer it once each within ``window`` s."""
    rng = random.Random(11)
    speaker, code = open_speaker(target, "lesson", {"lesson": "alpha", "text": SENTENCES[0]})
    crowd = [Phone(f"voter-{i}", code) for i in range(phones)]
    stop = threading.Event()
    vote_from = [math.inf]
    options = len(SENTENCES[0].split())

    def on_vote(session: Session, phone: Phone) -> None:
        if phone.vote is not None:
            return
        phone.vote = rng.randrange(options)
        time.sleep(max(0.0, vote_from[0] + rng.uniform(0, window) - time.monotonic()))
        session.press("vote", session.button_id(key=next_vote_key(session, phone.vote)))
        phone.voted_at = time.monotonic()

    threads = [
        threading.Thread(
            target=follow,
            args=(target, p, "lesson", SENTENCES[0], stop, rng.uniform(0, ramp), on_vote),
            daemon=True,
        )
        for p in crowd
    ]
    for th in threads:
        th.start()
    time.sleep(ramp + 3.0)
    vote_from[0] = time.monotonic()
    speaker.press("ask", speaker.button_id(label=ASK))
    deadline = time.monotonic() + window + 20.0
    while time.monotonic() < deadline and sum(p.voted_at is not None for p in crowd) < phones:
        time.sleep(0.5)
    cast_within = max((p.voted_at for p in crowd if p.voted_at), default=math.nan) - vote_from[0]
    speaker.reload()
    shown = [int(m.group(1)) for body in speaker.markdown if (m := ANSWERED.match(body))]
    stop.set()
    expected = Counter(p.vote for p in crowd if p.voted_at is not None)
    counted = tally(code) if tally is not None else None
    speaker.close()
    for th in threads:
        th.join(timeout=POLL_TIMEOUT_S)
    errors = [f"{p.name}: {e}" for p in crowd for e in p.errors] + list(speaker.visitor.errors)
    return {
        "phones": phones,
        "votes_sent": sum(expected.values()),
        "votes_within_s": cast_within,
        "count_on_slide": shown[0] if shown else None,
        "per_answer_sent": [expected.get(k, 0) for k in range(options)],
        "per_answer_counted": counted,
        "errors": len(errors),
        "error_samples": errors[:5],
    }


def format_follow(result: dict) -> str:
    ok = result["follow_p95_s"] <= FOLLOW_TARGET_S
    lines = [
        f"Following: {result['phones']} phones in one room (+{result['other_room']} in a second room), "
        f"the speaker pressing every {result['interval_s']:.0f} s, {result['presses']} presses",
        f"  screens current after a press: p50 {result['follow_p50_s']:.2f} s, p95 {result['follow_p95_s']:.2f} s "
        f"(target ≤ {FOLLOW_TARGET_S:.0f} s: {'met' if ok else 'MISSED'}), max {result['follow_max_s']:.2f} s; "
        f"never shown before the next press: {result['missed']}",
        f"  server CPU while pressing: {result['cpu_percent']:.0f}% of a core (target ≤ {CPU_TARGET_PERCENT:.0f}%: "
        f"{'met' if result['cpu_percent'] <= CPU_TARGET_PERCENT else 'MISSED'}), "
        f"{result['cpu_ms_per_run']:.1f} ms a run (the phones' and the speakers'); "
        f"machine load average {result['load_average']:.1f}",
        f"  memory: +{result['rss_growth_mb']:.0f} MB (target ≤ {MEMORY_TARGET_MB:.0f}: "
        f"{'met' if result['rss_growth_mb'] <= MEMORY_TARGET_MB else 'MISSED'})",
        f"  phone runs {result['phone_runs']}, version requests {result['polls']}, errors {result['errors']}, "
        f"phones that saw the other room: {len(result['crossed'])}",
    ]
    lines += [f"    {e}" for e in result["error_samples"]]
    return "\n".join(lines)


def format_vote(result: dict) -> str:
    exact = result["count_on_slide"] == result["votes_sent"] and result["per_answer_counted"] in (
        None,
        result["per_answer_sent"],
    )
    lines = [
        f"Voting: {result['phones']} phones, {result['votes_sent']} votes sent within {result['votes_within_s']:.1f} s",
        f"  the speaker's slide counts {result['count_on_slide']}"
        + (
            f"; the store per answer {result['per_answer_counted']} (sent {result['per_answer_sent']})"
            if result["per_answer_counted"] is not None
            else ""
        )
        + f": {'exact' if exact else 'NOT EXACT'}; errors {result['errors']}",
    ]
    lines += [f"    {e}" for e in result["error_samples"]]
    return "\n".join(lines)
