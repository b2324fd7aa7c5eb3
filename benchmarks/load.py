"""Load test: many concurrent sessions against the app on 127.0.0.1, one server or replicas behind nginx.

Each simulated visitor is a ``serving.visitors.Session``: a websocket client that speaks Streamlit's
own protocol the way the browser does (a browser per visitor would not fit on a small machine).
A visitor opens a link to the step-through page with its own toy sentence and then presses "Next"
every ``interval`` seconds, each press checked against the page's answer; at the last equation of
the last step ("Next" disabled) it opens its link again. A visitor waits for each run's
``script_finished`` before the next press, so an overloaded server slows the visitors down instead
of piling up reruns. Latency is the time from sending a rerun to its ``script_finished``.

Isolation: every Source line a run shows and every ``text`` the page writes into its URL must be
the visitor's own sentence; anything else means state crossed between sessions.

Server CPU (user + system of the server processes and their children, read with psutil) is read
across bounded phases and divided by the renders in them: one visitor pressing "Next" alone, one
visitor opening new sentences alone, and every load phase.

Programs (all bounded in sessions and seconds, all aimed at 127.0.0.1 only):

- default: warm-up, one visitor alone, ``--sessions`` visitors for ``--seconds``, then ``--churn``
  visitors that open, render once and close; RSS before and after each phase;
- ``--room``: 200 visitors arriving over 30 s, each pressing "Next" about every 5 s (±50%) for 60 s;
- ``--sweep 1,20,40,100``: the same warm server at each number of sessions in turn;
- ``--replicas N``: N app servers behind nginx (``deploy/nginx.conf``) instead of one;
- ``--scale-out``: overload on one server direct, then on two replicas through nginx, and the ratio;
- ``--url URL``: a server that is already running on loopback (``--pid`` for its CPU and memory);
- ``--follow``: a room (``benchmarks/follow.py``): 200 phones follow a speaker pressing Next every 5 s
  for 60 s, plus a second room of 10 phones; ``--vote``: every phone answers the speaker's question
  once within 10 s. Served by ``serving/asgi.py``; ``--store redis`` (the default with
  ``--replicas 2``) shares the rooms through a Redis of the run's own.

``--json PATH`` writes ``sessions``, ``interval_s``, ``offered_per_s``, ``served_per_s``, ``p50_ms``,
``p95_ms`` (presses of "Next" under load), ``errors``, ``crossed`` (sessions that saw another's
text) and ``rss_growth_mb`` (null when the server's processes are unknown): one object per load
phase, a list for a sweep. ``--details PATH`` writes every figure the printed report is made of;
``--report-from PATH`` prints the report of such a file again and runs nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psutil

from benchmarks import follow
from serving import visitors
from serving.processes import RunningApp, running_app, running_proxy, running_redis
from serving.rooms import STORE_SETTING, RedisStore
from serving.visitors import (
    EQUATIONS,
    RUN_TIMEOUT_S,
    STEP_INTERVAL_S,
    Run,
    Session,
    Target,
    Visitor,
    advance,
    isolation,
    position,
    sentences,
    visit,
    warm_up,
)

ANSI = re.compile(r"\x1b\[[0-9;]*m")
MB = 1024 * 1024
P95_TARGET_NOTE = "p95 under load / p95 alone"
MEMORY_TARGET_MB = 100.0
ROOM = {"sessions": 200, "interval": 5.0, "seconds": 60.0, "ramp": 30.0, "jitter": 0.5}
ROOM_P95_TARGET_MS = 1000.0
CPU_PER_NEXT_TARGET_MS = 15.0
SCALE_OUT_TARGET = 1.6
SCALE_OUT_SESSIONS = 200  # × 1/s: more than two replicas serve on 2 cores, so both sides are at overload
OVERLOAD_SERVED = 0.9  # serving less than this share of what is asked: the servers, not the load, set the pace
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
NEW_SENTENCES = 10  # sentences the lone typist opens to measure CPU per new sentence


# --- where the visitors go ---------------------------------------------------------------------


def loopback_url(url: str) -> str:
    """``url`` without a trailing slash, if it is plain HTTP on loopback; the tool loads nothing else."""
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK or parts.path.strip("/") or parts.query:
        raise ValueError(f"the load tool only targets http://127.0.0.1:PORT (loopback). Received: url={url!r}")
    return f"http://{parts.netloc}"


@contextmanager
def serving(
    replicas: int = 1, url: str | None = None, pids: Sequence[int] = (), script: str = "app.py"
) -> Iterator[Target]:
    """The target of a run: ``url`` as it is, one app server, or ``replicas`` servers behind nginx."""
    if url is not None:
        yield Target(
            url=loopback_url(url),
            processes=tuple(psutil.Process(p) for p in pids),
            replica_urls=(loopback_url(url),),
            label=f"the server at {url}",
        )
        return
    if replicas < 1:
        raise ValueError(f"replicas must be at least 1. Received: replicas={replicas}")
    with ExitStack() as stack:
        apps = [stack.enter_context(running_app(script=script)) for _ in range(replicas)]
        if replicas == 1:
            yield Target.of(apps[0])
            return
        proxy = stack.enter_context(running_proxy([a.port for a in apps]))
        yield Target(
            url=proxy.url,
            processes=tuple(a.process for a in apps),
            replica_urls=tuple(a.url for a in apps),
            label=f"{replicas} replicas behind nginx at {proxy.url}",
            apps=tuple(apps),
        )


# --- numbers -----------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def latency_stats(runs: Sequence[Run]) -> dict[str, float]:
    ms = [r.latency_s * 1000 for r in runs]
    return {
        "runs": len(ms),
        "p50_ms": percentile(ms, 50),
        "p95_ms": percentile(ms, 95),
        "max_ms": max(ms) if ms else math.nan,
    }


class RssSampler:
    """The server's peak RSS while a phase runs, and its CPU seconds so far at each reading (for the
    share of a core over part of the phase: once every visitor is in)."""

    def __init__(self, target: Target, every: float = 0.5) -> None:
        self.target, self.every, self.peak = target, every, 0
        self.cpu: list[tuple[float, float]] = []  # (time.monotonic(), server CPU s)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.target.rss_bytes() or 0)
            cpu = self.target.cpu_s()
            if cpu is not None:
                self.cpu.append((time.monotonic(), cpu))
            self._stop.wait(self.every)

    def cpu_percent_between(self, start: float, end: float) -> float:
        """The server's CPU, % of a core, between the readings nearest after ``start`` and before ``end``."""
        inside = [(t, c) for t, c in self.cpu if start <= t <= end]
        if len(inside) < 2 or inside[-1][0] - inside[0][0] < 1.0:
            return math.nan
        (t0, c0), (t1, c1) = inside[0], inside[-1]
        return (c1 - c0) * 100 / (t1 - t0)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _concurrently(jobs: Sequence[tuple[tuple, dict]], limit: int, timeout: float) -> None:
    """Run ``visit(*args, **kwargs)`` for every job on up to ``limit`` threads; a visitor still busy
    after ``timeout`` s is counted as an error (its socket timeout ends it soon after)."""
    with ThreadPoolExecutor(max_workers=limit, thread_name_prefix="visitor") as pool:
        futures = [(pool.submit(visit, *args, **kwargs), args[1]) for args, kwargs in jobs]
        deadline = time.monotonic() + timeout
        for future, visitor in futures:
            try:
                future.result(timeout=max(0.0, deadline - time.monotonic()))
            except FutureTimeout:
                visitor.errors.append(f"still running after {timeout:.0f} s")


def _mb(value: int | None) -> float:
    return math.nan if value is None else value / MB


def _cpu_ms_per(target: Target, run: Callable[[], None]) -> float:
    """Server CPU ms across ``run()``: a short pause after it lets post-run work (Streamlit
    collects garbage after each run, after the run's ``script_finished``) land in the count."""
    time.sleep(0.5)
    before = target.cpu_s()
    run()
    time.sleep(1.0)
    after = target.cpu_s()
    if before is None or after is None:
        return math.nan
    return (after - before) * 1000


def lone_costs(target: Target, tokens: tuple[str, ...], new_tokens: Sequence[tuple[str, ...]], presses: int):
    """One visitor alone: server CPU per press of "Next", then per new sentence (a fresh translation)."""
    visitor = Visitor("alone", tokens)
    session = Session(target, visitor)
    if session.holds:  # whole steps: one press in seven reaches the server, the one past y_i
        presses = EQUATIONS * max(1, math.ceil(presses / EQUATIONS))
    costs = {"presses": 0, "sentences": 0, "cpu_ms_per_next": math.nan, "cpu_ms_per_new_sentence": math.nan}
    try:
        session.open()
        session.open_link(1, 1)

        def press() -> None:
            for _ in range(presses):
                time.sleep(0.2)
                if session.at_end:
                    break
                session.press_next(expect=advance(position(session.query)))
                costs["presses"] += 1

        def type_sentences() -> None:
            for other in new_tokens:
                visitor.tokens = other
                session.open_link(1, 1)
                costs["sentences"] += 1

        costs["cpu_ms_per_next"] = _cpu_ms_per(target, press)
        next_runs = [r for r in visitor.runs if r.kind == "next"]
        costs["cpu_ms_per_new_sentence"] = _cpu_ms_per(target, type_sentences)
    except Exception as exc:  # counted, never fatal to the run
        visitor.errors.append(f"{type(exc).__name__}: {exc}")
        next_runs = [r for r in visitor.runs if r.kind == "next"]
    finally:
        session.close()
    costs["cpu_ms_per_next"] /= max(costs["presses"], 1)
    costs["cpu_ms_per_new_sentence"] /= max(costs["sentences"], 1)
    return {
        **costs,
        "next": latency_stats(next_runs),
        "new_sentence": latency_stats([r for r in visitor.runs if r.kind == "open"][1:]),
        "fragment_runs": sum(r.fragment for r in next_runs),
        "held": visitor.held,
        "errors": [f"{visitor.name}: {e}" for e in visitor.errors],
    }


def load_phase(
    target: Target,
    crowd: Sequence[Visitor],
    *,
    seconds: float,
    interval: float,
    ramp: float | None = None,
    jitter: float = 0.0,
) -> dict:
    """``crowd`` arriving over ``ramp`` s (one interval by default), each pressing "Next" for ``seconds``."""
    sessions = len(crowd)
    ramp = interval if ramp is None else ramp
    rss_before = target.rss_bytes()
    cpu_before = target.cpu_s()
    machine_before, tool_before = psutil.cpu_times(), psutil.Process().cpu_times()
    with RssSampler(target) as sampler:
        started = time.monotonic()
        # Arrivals spread over the ramp: visitors do not all press "Next" in the same instant.
        spread = ramp / sessions
        jobs = [
            ((target, v), {"start_delay": i * spread, "seconds": seconds, "interval": interval, "jitter": jitter})
            for i, v in enumerate(crowd)
        ]
        _concurrently(jobs, limit=sessions, timeout=ramp + seconds + 4 * RUN_TIMEOUT_S)
        wall = time.monotonic() - started
    cpu_after = target.cpu_s()
    machine_after, tool_after = psutil.cpu_times(), psutil.Process().cpu_times()
    runs = [r for v in crowd for r in v.runs if r.kind != "held"]  # what the server ran
    stats = latency_stats([r for r in runs if r.kind == "next"])
    stats["open"] = latency_stats([r for r in runs if r.kind == "open"])
    held = sum(v.held for v in crowd)
    stats["renders_per_s"] = len(runs) / wall if wall > 0 else math.nan
    # Presses answered: those the server ran and those the browser's held step answered alone.
    stats["held_presses"] = held
    # Presses the server drew as one equation: all of them without a browser's header, and for a
    # browser's session those that found the server busy (the step is held from the next one).
    stats["one_equation_presses"] = sum(r.kind == "next" and not r.whole_step for r in runs)
    stats["presses_per_s"] = (sum(r.kind == "next" for r in runs) + held) / wall if wall > 0 else math.nan
    stats["wall_s"] = wall
    stats["cpu_ms_per_render"] = (
        (cpu_after - cpu_before) * 1000 / len(runs) if runs and cpu_before is not None else math.nan
    )
    stats["cpu_percent"] = (cpu_after - cpu_before) * 100 / wall if wall and cpu_before is not None else math.nan
    # What else the machine did meanwhile: the load tool itself, and how much CPU was left idle.
    stats["tool_cpu_percent"] = (
        (tool_after.user + tool_after.system - tool_before.user - tool_before.system) * 100 / wall if wall else math.nan
    )
    machine_total = sum(machine_after) - sum(machine_before)
    stats["machine_idle_percent"] = (
        (machine_after.idle - machine_before.idle) * 100 / machine_total if machine_total > 0 else math.nan
    )
    stats["cores"] = psutil.cpu_count()
    stats["rss_peak"] = sampler.peak or None
    stats["rss_before"] = rss_before
    stats["fragment_runs"] = sum(r.fragment for r in runs)
    stats.update(_all_in(crowd, sampler))
    stats["config"] = {"sessions": sessions, "seconds": seconds, "interval": interval, "ramp": ramp, "jitter": jitter}
    return stats


def _all_in(crowd: Sequence[Visitor], sampler: RssSampler) -> dict:
    """Once every visitor is in (the last first render has finished) until the first one leaves: the
    server's CPU, % of a core, and the p95 of the presses of Next in that window. The first renders
    of a crowd arriving at once are the cliff; this is what the room costs after it."""
    opened = [min((r.finished_at for r in v.runs if r.kind == "open"), default=math.inf) for v in crowd]
    last_runs = [max((r.finished_at for r in v.runs), default=-math.inf) for v in crowd]
    start, end = (max(opened), min(last_runs)) if crowd else (math.inf, -math.inf)
    presses = latency_stats([r for v in crowd for r in v.runs if r.kind == "next" and start <= r.finished_at <= end])
    return {
        "all_in_s": end - start if end > start else 0.0,
        "cpu_percent_all_in": sampler.cpu_percent_between(start, end) if end > start else math.nan,
        **{f"{key}_all_in": value for key, value in presses.items()},
    }


def summary(stats: dict, errors: int, crossed: int, rss_growth_mb: float | None) -> dict:
    """The fields of ``--json``, one load phase."""
    cfg = stats["config"]

    def finite(x: float) -> float | None:
        return None if x is None or math.isnan(x) else round(x, 3)

    return {
        "sessions": cfg["sessions"],
        "interval_s": cfg["interval"],
        "offered_per_s": round(cfg["sessions"] / cfg["interval"], 3),
        "served_per_s": finite(stats["presses_per_s"]),  # presses answered, by the server or the page
        "p50_ms": finite(stats["p50_ms"]),
        "p95_ms": finite(stats["p95_ms"]),
        "errors": errors,
        "crossed": crossed,
        "rss_growth_mb": finite(rss_growth_mb),
        "cpu_percent_all_in": finite(stats.get("cpu_percent_all_in", math.nan)),
        "p95_ms_all_in": finite(stats.get("p95_ms_all_in", math.nan)),
    }


# --- programs ----------------------------------------------------------------------------------


def check(sessions: int, seconds: float, churn: int, baseline_steps: int, settle: float, ttl_wait: float) -> None:
    """Refuse a configuration before any server starts."""
    if sessions < 1 or baseline_steps < 1:
        raise ValueError("sessions and baseline steps must be at least 1")
    if not seconds > 0:
        raise ValueError("seconds must be positive")
    if churn < 0 or settle < 0 or ttl_wait < 0:
        raise ValueError("churn, settle and ttl-wait must not be negative")
    if sessions > 1000 or seconds > 600 or churn > 2000:
        raise ValueError("at most 1,000 sessions, 600 s and 2,000 churned sessions: this is a bounded test")


def run_load(
    sessions: int = 20,
    seconds: float = 30.0,
    churn: int = 200,
    *,
    interval: float = STEP_INTERVAL_S,
    ramp: float | None = None,
    jitter: float = 0.0,
    baseline_steps: int = 30,
    churn_batch: int | None = None,
    settle: float = 5.0,
    ttl_wait: float = 0.0,
    app: RunningApp | Target | None = None,
    seed: int = 2024,
    one_link: bool = False,
) -> dict:
    """Run every phase against ``app`` (or a server started for the purpose) and return the numbers.

    ``one_link``: the crowd opens one sentence, as a room opens the link on the speaker's screen;
    by default each visitor has a sentence of its own (the worst case, and what isolation checks)."""
    check(sessions, seconds, churn, baseline_steps, settle, ttl_wait)
    if not interval > 0:
        raise ValueError(f"interval must be positive. Received: interval={interval}")
    if app is None:
        with serving() as started:
            return run_load(
                sessions,
                seconds,
                churn,
                interval=interval,
                ramp=ramp,
                jitter=jitter,
                baseline_steps=baseline_steps,
                churn_batch=churn_batch,
                settle=settle,
                ttl_wait=ttl_wait,
                app=started,
                seed=seed,
                one_link=one_link,
            )
    target = Target.of(app)
    batch = churn_batch or min(sessions, 50)
    all_tokens = sentences(3 + sessions + churn + NEW_SENTENCES, seed)
    alone = Visitor("baseline", all_tokens[1])
    crowd = crowd_of(all_tokens, sessions, one_link)
    churned = [Visitor(f"churn-{i}", all_tokens[2 + sessions + i]) for i in range(churn)]
    typed = all_tokens[2 + sessions + churn : 2 + sessions + churn + NEW_SENTENCES]

    def settled_rss() -> int | None:
        time.sleep(settle)
        return target.rss_bytes()

    memory = {"before_warmup": target.rss_bytes()}
    t0 = time.monotonic()
    warm = warm_up(target, [all_tokens[0]])
    memory["after_warmup"] = settled_rss()

    cpu_before = target.cpu_s()
    visit(target, alone, steps=baseline_steps, server_steps=True)
    cpu_after = target.cpu_s()
    costs = lone_costs(target, all_tokens[-1], typed, presses=min(baseline_steps, 20))
    ran = [r for r in alone.runs if r.kind != "held"]
    cpu_baseline = (cpu_after - cpu_before) * 1000 / len(ran) if cpu_before is not None and ran else math.nan

    under_load = load_phase(target, crowd, seconds=seconds, interval=interval, ramp=ramp, jitter=jitter)
    memory["peak_during_load"] = under_load["rss_peak"]
    memory["after_load"] = settled_rss()

    churn_started = time.monotonic()
    churn_curve = []  # (sessions closed so far, RSS): a plateau means bounded, a slope a leak
    for first in range(0, churn, batch):
        jobs = [((target, v), {"steps": 0}) for v in churned[first : first + batch]]
        _concurrently(jobs, limit=batch, timeout=4 * RUN_TIMEOUT_S)
        churn_curve.append((min(first + batch, churn), _mb(target.rss_bytes())))
    churn_wall = time.monotonic() - churn_started
    memory["after_churn"] = target.rss_bytes()
    memory["after_churn_settled"] = settled_rss()

    late = Visitor("after-ttl", all_tokens[-1])
    if ttl_wait > 0:
        time.sleep(ttl_wait)
        # Expired sessions are dropped when the session store next changes: one more visitor does that.
        visit(target, late, steps=0)
        memory["after_ttl"] = settled_rss()

    base = latency_stats([r for r in alone.runs if r.kind == "next"])
    base["cpu_ms_per_run"] = cpu_baseline
    errors = [f"{v.name}: {e}" for v in (*warm, alone, *crowd, *churned, late) for e in v.errors] + costs["errors"]
    iso = isolation([alone, *crowd, *churned], {v.tokens: v.name for v in (*warm, alone, *crowd, *churned)})
    known = all(v is not None for v in memory.values())
    growth = (
        (memory["after_churn_settled"] - memory["after_warmup"]) / MB if known and memory["after_warmup"] else math.nan
    )
    load_growth = (memory["after_load"] - memory["after_warmup"]) / MB if known and memory["after_warmup"] else math.nan
    return {
        "config": {
            "sessions": sessions,
            "seconds": seconds,
            "interval": interval,
            "ramp": under_load["config"]["ramp"],
            "jitter": jitter,
            "churn": churn,
            "churn_batch": batch,
            "settle": settle,
            "ttl_wait": ttl_wait,
            "one_link": one_link,
            "new_sentences": len(typed),
        },
        "server": {"url": target.url, "label": target.label, "pids": [p.pid for p in target.processes]},
        "baseline": {**base, "open": latency_stats([r for r in alone.runs if r.kind == "open"])},
        "costs": costs,
        "load": under_load,
        "p95_ratio": under_load["p95_ms"] / base["p95_ms"] if base["p95_ms"] else math.nan,
        "churn": {
            **latency_stats([r for v in churned for r in v.runs]),
            "opened": churn,
            "rendered": sum(bool(v.runs) for v in churned),
            "seconds": churn_wall,
            "rss_mb_after_batches": churn_curve,
        },
        "errors": errors,
        "error_count": len(errors),
        "isolation": iso,
        "per_session": [
            {
                "name": v.name,
                "sentence": v.sentence,
                "runs": sum(r.kind != "held" for r in v.runs),
                "full_renders": v.full_renders(),
                "errors": len(v.errors),
            }
            for v in crowd
        ],
        "memory_mb": {k: _mb(v) for k, v in memory.items()},
        "growth_mb": growth,
        "churn_growth_mb": (
            (memory["after_churn_settled"] - memory["after_load"]) / MB if known and memory["after_load"] else math.nan
        ),
        "summary": summary(
            under_load,
            errors=len(errors),
            crossed=iso["crossed_sessions"],
            rss_growth_mb=load_growth,
        ),
        "elapsed_s": time.monotonic() - t0,
        # The app's tracebacks reach the server log only (client.showErrorDetails = "none").
        "server_log_tail": _log_tail(app) if errors else "",
    }


def crowd_of(all_tokens: Sequence[tuple[str, ...]], sessions: int, one_link: bool = False) -> list[Visitor]:
    """The load phase's visitors: ``all_tokens[2:]`` one each, or with ``one_link`` all on ``all_tokens[2]``."""
    return [Visitor(f"load-{i}", all_tokens[2 if one_link else 2 + i]) for i in range(sessions)]


def _log_tail(app: RunningApp | Target) -> str:
    return app.log_tail(40)


def run_sweep(
    counts: Sequence[int],
    seconds: float,
    *,
    interval: float = STEP_INTERVAL_S,
    jitter: float = 0.0,
    target: Target,
    seed: int = 2024,
    settle: float = 3.0,
) -> dict:
    """The same warm target at each number of sessions in turn; the lone costs first."""
    if not counts or min(counts) < 1 or max(counts) > 1000:
        raise ValueError(f"session counts must be 1..1000. Received: {list(counts)}")
    all_tokens = sentences(2 + sum(counts) + NEW_SENTENCES, seed)
    warm = warm_up(target, [all_tokens[0]])
    costs = lone_costs(target, all_tokens[1], all_tokens[2 : 2 + NEW_SENTENCES], presses=20)
    rss_start = target.rss_bytes()
    levels, used = [], 2 + NEW_SENTENCES
    for n in counts:
        crowd = [Visitor(f"load{n}-{i}", all_tokens[used + i]) for i in range(n)]
        used += n
        stats = load_phase(target, crowd, seconds=seconds, interval=interval, jitter=jitter)
        time.sleep(settle)
        rss_after = target.rss_bytes()
        errors = [f"{v.name}: {e}" for v in crowd for e in v.errors]
        iso = isolation(crowd, {v.tokens: v.name for v in crowd})
        growth = (rss_after - stats["rss_before"]) / MB if rss_after and stats["rss_before"] else None
        levels.append(
            {
                "stats": stats,
                "errors": errors,
                "isolation": iso,
                "summary": summary(stats, len(errors), iso["crossed_sessions"], growth),
                "replicas": dict(sorted(Counter(r for v in crowd for r in v.replicas).items())),
            }
        )
    warm_errors = [f"{v.name}: {e}" for v in warm for e in v.errors]
    return {
        "server": {"url": target.url, "label": target.label},
        "costs": costs,
        "levels": levels,
        "errors": warm_errors + costs["errors"] + [e for lv in levels for e in lv["errors"]],
        "rss_growth_mb": _mb(target.rss_bytes()) - _mb(rss_start) if rss_start else math.nan,
    }


def run_scale_out(
    sessions: int = SCALE_OUT_SESSIONS, seconds: float = 20.0, replicas: int = 2, interval: float = 1.0
) -> dict:
    """Overload on one server direct, then on ``replicas`` replicas through nginx: served renders/s."""
    results = {}
    for n in (1, replicas):
        with serving(replicas=n) as target:
            results[n] = run_sweep([sessions], seconds, interval=interval, target=target)
    one, many = results[1]["levels"][0]["summary"], results[replicas]["levels"][0]["summary"]
    ratio = many["served_per_s"] / one["served_per_s"] if one["served_per_s"] and many["served_per_s"] else math.nan
    return {"one": results[1], "many": results[replicas], "replicas": replicas, "ratio": ratio}


# --- reports -----------------------------------------------------------------------------------


def _ms(x: float | None) -> str:
    return "—" if x is None or math.isnan(x) else f"{x:,.0f}"


def _curve(points: Sequence[tuple[int, float]], shown: int = 10) -> str:
    if not points:
        return "—"
    stride = max(1, math.ceil(len(points) / shown))
    picked = list(points[stride - 1 :: stride])
    if picked[-1] != points[-1]:
        picked.append(points[-1])
    return ", ".join(f"{n}: {mb:.0f}" for n, mb in picked)


def _costs_lines(costs: dict) -> list[str]:
    per_next = costs["cpu_ms_per_next"]
    verdict = "" if math.isnan(per_next) else (" (met)" if per_next <= CPU_PER_NEXT_TARGET_MS else " (NOT met)")
    return [
        f"| server CPU per press of Next, one visitor alone (target ≤ {CPU_PER_NEXT_TARGET_MS:g} ms) | "
        f"{_ms(per_next)} ms{verdict}; {costs['presses']} presses, {costs['held']} of them held in the page, "
        f"{costs['fragment_runs']} fragment reruns, "
        f"p50 {_ms(costs['next']['p50_ms'])} ms |",
        f"| server CPU per new sentence, one visitor alone | {_ms(costs['cpu_ms_per_new_sentence'])} ms; "
        f"{costs['sentences']} sentences, p50 {_ms(costs['new_sentence']['p50_ms'])} ms |",
    ]


def format_report(result: dict) -> str:
    cfg, base, load, churn, mem, iso = (
        result["config"],
        result["baseline"],
        result["load"],
        result["churn"],
        result["memory_mb"],
        result["isolation"],
    )
    crossed = len(iso["crossed"]) + len(iso["wrong"])
    one_link = cfg.get("one_link")
    on_link, opened = (" on one link", "the one sentence of the link") if one_link else ("", "new translation")
    jitter = f" (±{cfg['jitter']:.0%})" if cfg["jitter"] else ""
    lines = [
        f"Load test: {cfg['sessions']} sessions{on_link} arriving over "
        f"{cfg['ramp']:g} s, each pressing Next every "
        f"{cfg['interval']:g} s{jitter} for {cfg['seconds']:g} s, churn {cfg['churn']} "
        f"(batches of {cfg['churn_batch']}), {result['server']['label']}",
        "",
        "| measure | runs | p50 ms | p95 ms | max ms | note |",
        "|---|---:|---:|---:|---:|---|",
        f"| Next, 1 session alone | {base['runs']} | {_ms(base['p50_ms'])} | {_ms(base['p95_ms'])} "
        f"| {_ms(base['max_ms'])} | baseline |",
        f"| Next, {cfg['sessions']} sessions | {load['runs']} | {_ms(load['p50_ms'])} | {_ms(load['p95_ms'])} "
        f"| {_ms(load['max_ms'])} | answered {load['presses_per_s']:.2f} presses/s ({load['held_presses']} held in "
        f"the page, {load['one_equation_presses']} run as one equation), asked for "
        f"{cfg['sessions'] / cfg['interval']:.1f}/s; the server ran "
        f"{load['renders_per_s']:.2f} runs/s; server CPU {_ms(load['cpu_ms_per_render'])} ms per render, "
        f"{_ms(load['cpu_percent'])}% of a core |",
        f"| open the link, {cfg['sessions']} sessions | {load['open']['runs']} | {_ms(load['open']['p50_ms'])} "
        f"| {_ms(load['open']['p95_ms'])} | {_ms(load['open']['max_ms'])} | first render, {opened} |",
        f"| Next once all {cfg['sessions']} are in | {load['runs_all_in']} | {_ms(load['p50_ms_all_in'])} "
        f"| {_ms(load['p95_ms_all_in'])} | {_ms(load['max_ms_all_in'])} | the {load['all_in_s']:.0f} s from the "
        f"last first render to the first visitor leaving; server CPU {_ms(load['cpu_percent_all_in'])}% of a core |",
        f"| churn: open, render, close | {churn['runs']} | {_ms(churn['p50_ms'])} | {_ms(churn['p95_ms'])} "
        f"| {_ms(churn['max_ms'])} | {churn['rendered']}/{churn['opened']} rendered in {churn['seconds']:.0f} s |",
        "",
        "| result | value |",
        "|---|---|",
        *_costs_lines(result["costs"]),
        f"| {P95_TARGET_NOTE} | {result['p95_ratio']:.1f}× |",
        f"| errors | {result['error_count']} |",
        f"| isolation | {crossed} foreign Source lines or links; {len(iso['without_full_render'])} of "
        f"{iso['sessions']} sessions without a full render (fewest per session: {iso['min_full_renders']}) |",
        f"| RSS before warm-up | {mem['before_warmup']:.0f} MB |",
        f"| RSS after warm-up | {mem['after_warmup']:.0f} MB |",
        f"| RSS peak during load | {mem['peak_during_load']:.0f} MB |",
        f"| RSS after load | {mem['after_load']:.0f} MB |",
        f"| RSS after churn / {cfg['settle']:g} s later | {mem['after_churn']:.0f} MB / "
        f"{mem['after_churn_settled']:.0f} MB |",
        *(
            [f"| RSS {cfg['ttl_wait']:g} s after churn (closed sessions are kept 120 s) | {mem['after_ttl']:.0f} MB |"]
            if "after_ttl" in mem
            else []
        ),
        f"| RSS during churn, MB after n sessions | {_curve(churn['rss_mb_after_batches'])} |",
        f"| growth since warm-up (target ≤ {MEMORY_TARGET_MB:.0f} MB) | {result['growth_mb']:+.0f} MB "
        f"({'met' if result['growth_mb'] <= MEMORY_TARGET_MB else 'NOT met'}) |",
        f"| growth across churn alone | {result['churn_growth_mb']:+.0f} MB |",
    ]
    lines += _tails(result["errors"], iso, result.get("server_log_tail", ""))
    return "\n".join(lines)


def _tails(errors: Sequence[str], iso: dict | None, log_tail: str = "") -> list[str]:
    lines = []
    if errors:
        lines += ["", "First errors:", *(f"- {e}" for e in errors[:10])]
    if log_tail:
        tail = ANSI.sub("", log_tail).splitlines()
        lines += ["", "Server log, last lines:", "", "```", *[line.rstrip() for line in tail if line.strip()], "```"]
    if iso and (iso["crossed"] or iso["wrong"]):
        lines += ["", "Foreign Source lines or links:", *(f"- {c}" for c in (iso["crossed"] + iso["wrong"])[:10])]
    return lines


def format_sweep(result: dict) -> str:
    lines = [
        f"Sessions pressing Next, {result['server']['label']}",
        "",
        "| sessions | asked renders/s | served renders/s | p50 ms | p95 ms | server CPU ms per render "
        "| server CPU, % of a core | load tool CPU, % of a core | machine idle | errors | crossed |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for level in result["levels"]:
        s, st = level["summary"], level["stats"]
        lines.append(
            f"| {s['sessions']} | {s['offered_per_s']:g} | {s['served_per_s'] or 0:.1f} | {_ms(s['p50_ms'])} "
            f"| {_ms(s['p95_ms'])} | {_ms(st['cpu_ms_per_render'])} | {_ms(st['cpu_percent'])} "
            f"| {_ms(st['tool_cpu_percent'])} | {_ms(st['machine_idle_percent'])}% | {s['errors']} | {s['crossed']} |"
        )
    lines += ["", "| one visitor alone | value |", "|---|---|", *_costs_lines(result["costs"])]
    lines += _tails(result["errors"], None)
    return "\n".join(lines)


def format_scale_out(result: dict) -> str:
    one, many = result["one"]["levels"][0], result["many"]["levels"][0]
    n = result["replicas"]
    verdict = "met" if result["ratio"] >= SCALE_OUT_TARGET else "NOT met"
    asked = many["summary"]["offered_per_s"]
    share = (many["summary"]["served_per_s"] or 0) / asked if asked else math.nan
    overload = (
        f"the replicas served {share:.0%} of the {asked:.0f} renders/s asked: at overload"
        if share < OVERLOAD_SERVED
        else f"the replicas served {share:.0%} of the {asked:.0f} renders/s asked: NOT at overload, so the "
        "ratio is capped by the load asked (run with more --sessions)"
    )
    rows = []
    for label, level in (("1 server, direct", one), (f"{n} replicas through nginx", many)):
        s, st = level["summary"], level["stats"]
        rows.append(
            f"| {label} | {s['sessions']} | {s['served_per_s'] or 0:.1f} | {_ms(s['p50_ms'])} | {_ms(s['p95_ms'])} "
            f"| {_ms(st['cpu_percent'])} | {s['errors']} | {s['crossed']} |"
        )
    return "\n".join(
        [
            "Overload, one server against replicas behind nginx (sticky by cookie)",
            "",
            "| serving | sessions × 1/s | served renders/s | p50 ms | p95 ms | server CPU, % of a core "
            "| errors | crossed |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
            *rows,
            "",
            f"{n} replicas ÷ 1 server: {result['ratio']:.2f}× (target ≥ {SCALE_OUT_TARGET:g}×: {verdict}); "
            f"sessions per replica: {', '.join(f'{k} {v}' for k, v in many['replicas'].items()) or '?'}; {overload}.",
            "Meanwhile the load tool used "
            f"{_ms(one['stats']['tool_cpu_percent'])}% / {_ms(many['stats']['tool_cpu_percent'])}% of a core and the "
            f"machine ({many['stats']['cores']} cores) sat {_ms(one['stats']['machine_idle_percent'])}% / "
            f"{_ms(many['stats']['machine_idle_percent'])}% idle.",
            *_tails(result["one"]["errors"] + result["many"]["errors"], None),
        ]
    )


def format_any(result: dict) -> str:
    """The report of any program's result as ``--details`` wrote it: a load run, a sweep, a scale-out, a room."""
    if "store" in result:
        parts = [follow.format_follow(result["follow"])] if "follow" in result else []
        return "\n".join(parts + ([follow.format_vote(result["vote"])] if "vote" in result else []))
    if "ratio" in result:
        return format_scale_out(result)
    if "levels" in result:
        return format_sweep(result)
    return format_report(result)


def _write_json(path: str | None, data: object) -> None:
    if path:  # a figure that was not measured is NaN (Python's json reads it back)
        Path(path).write_text(json.dumps(data, indent=2) + "\n")


# --- a room that follows its speaker (benchmarks/follow.py) ---------------------------------------


@contextmanager
def room_store(kind: str) -> Iterator[str | None]:
    """The room store the servers started in the block share: their memory, or a Redis of its own."""
    if kind != "redis":
        yield None
        return
    with running_redis() as redis_server:
        before = os.environ.get(STORE_SETTING)
        os.environ[STORE_SETTING] = redis_server.url
        try:
            yield redis_server.url
        finally:
            if before is None:
                os.environ.pop(STORE_SETTING, None)
            else:
                os.environ[STORE_SETTING] = before


def run_room(args, target: Target, redis_url: str | None) -> dict:
    """``--follow`` and ``--vote``: the room's figures against the issue's targets."""
    result: dict = {"label": target.label, "store": "redis" if redis_url else "memory"}
    ramp = ROOM["ramp"] if args.ramp is None else args.ramp
    if args.follow:
        result["follow"] = follow.run_follow(
            target,
            RssSampler,
            phones=args.sessions,
            interval=args.interval,
            seconds=args.seconds,
            ramp=ramp,
        )
        print(follow.format_follow(result["follow"]))
    if args.vote:

        def tally(code: str) -> list[int] | None:
            if redis_url is None:
                return None
            store = RedisStore(redis_url)
            return store.tally(code, store.room(code).question)

        result["vote"] = follow.run_vote(target, phones=args.sessions, ramp=ramp, tally=tally)
        print(follow.format_vote(result["vote"]))
    return result


def main(argv: Sequence[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sessions",
        type=int,
        default=None,
        help=f"concurrent sessions in the load phase (default 20; {SCALE_OUT_SESSIONS} with --scale-out)",
    )
    parser.add_argument("--seconds", type=float, default=30.0, help="how long each of them presses Next")
    parser.add_argument("--interval", type=float, default=STEP_INTERVAL_S, help="mean seconds between presses")
    parser.add_argument("--jitter", type=float, default=0.0, help="spread each pause over interval × (1 ± jitter)")
    parser.add_argument("--ramp", type=float, default=None, help="arrivals spread over this many s (one interval)")
    parser.add_argument("--churn", type=int, default=200, help="sessions opened, rendered once and closed")
    parser.add_argument("--baseline-steps", type=int, default=30, help="presses of the lone session")
    parser.add_argument("--settle", type=float, default=5.0, help="pause before each memory reading, s")
    parser.add_argument(
        "--ttl-wait", type=float, default=0.0, help="wait this long after churn for closed sessions to expire, s"
    )
    parser.add_argument("--room", action="store_true", help="200 sessions, Next every ~5 s (±50%%), 60 s, no churn")
    parser.add_argument("--sweep", help="comma-separated session counts, one load phase each (e.g. 1,20,40,100)")
    parser.add_argument("--scale-out", action="store_true", help="overload: one server direct vs replicas via nginx")
    parser.add_argument("--replicas", type=int, default=1, help="app servers; more than one go behind nginx")
    parser.add_argument("--url", help="load a server already running on loopback (http://127.0.0.1:PORT)")
    parser.add_argument("--pid", type=int, action="append", default=[], help="with --url: a server process id")
    parser.add_argument("--json", help="write the summary fields to this file")
    parser.add_argument("--details", help="write every figure of the run, what its report is made of, to this file")
    parser.add_argument(
        "--report-from", metavar="PATH", help="print the report of a --details file again; load nothing"
    )
    parser.add_argument(
        "--follow",
        action="store_true",
        help="a room: phones follow a speaker pressing Next every --interval s (200 phones, 5 s, 60 s by default)",
    )
    parser.add_argument("--vote", action="store_true", help="a room: every phone answers the speaker's question once")
    parser.add_argument(
        "--store",
        choices=("memory", "redis"),
        default=None,
        help="rooms in the server's memory, or a Redis of the run's (the default with --replicas 2 or more)",
    )
    parser.add_argument(
        "--one-link", action="store_true", help="the crowd opens one sentence, as a room opens the speaker's link"
    )
    parser.add_argument(
        "--one-equation-a-run",
        action="store_true",
        help="visitors without a browser's header: the server draws one equation a press, as for AppTest",
    )
    args = parser.parse_args(argv)
    if args.report_from:
        result = json.loads(Path(args.report_from).read_text())
        print(format_any(result))
        return result
    visitors.HOLDS_STEP = not args.one_equation_a_run  # the default of every Session this run opens
    if args.follow or args.vote:
        if args.sessions is None:
            args.sessions = ROOM["sessions"]
        if "--interval" not in (argv if argv is not None else sys.argv):
            args.interval = ROOM["interval"]
        if "--seconds" not in (argv if argv is not None else sys.argv):
            args.seconds = ROOM["seconds"]
        store = args.store or ("redis" if args.replicas > 1 else "memory")
        with room_store(store) as redis_url, serving(args.replicas, args.url, args.pid, "serving/asgi.py") as target:
            result = run_room(args, target, redis_url)
        _write_json(args.json, result)
        _write_json(args.details, result)
        return result
    if args.sessions is None:
        args.sessions = SCALE_OUT_SESSIONS if args.scale_out else 20
    if args.room:
        args.sessions, args.interval, args.seconds, args.jitter = (
            ROOM["sessions"],
            ROOM["interval"],
            ROOM["seconds"],
            ROOM["jitter"],
        )
        args.ramp = ROOM["ramp"] if args.ramp is None else args.ramp
        args.churn = 0
    try:
        check(args.sessions, args.seconds, args.churn, args.baseline_steps, args.settle, args.ttl_wait)
        if not args.interval > 0 or not 0 <= args.jitter < 1:
            raise ValueError("interval must be positive and jitter in [0, 1)")
        if args.url:
            loopback_url(args.url)
        counts = [int(c) for c in args.sweep.split(",")] if args.sweep else []
    except ValueError as exc:
        parser.error(str(exc))

    if args.scale_out:
        result = run_scale_out(args.sessions, args.seconds, max(args.replicas, 2), args.interval)
        print(format_scale_out(result))
        one, many = result["one"]["levels"][0]["summary"], result["many"]["levels"][0]["summary"]
        _write_json(args.json, {"one": one, "many": many, "ratio": result["ratio"]})
        _write_json(args.details, result)
        return result
    with serving(args.replicas, args.url, args.pid) as target:
        if counts:
            result = run_sweep(counts, args.seconds, interval=args.interval, jitter=args.jitter, target=target)
            print(format_sweep(result))
            _write_json(args.json, [level["summary"] for level in result["levels"]])
            _write_json(args.details, result)
            return result
        result = run_load(
            args.sessions,
            args.seconds,
            args.churn,
            interval=args.interval,
            ramp=args.ramp,
            jitter=args.jitter,
            baseline_steps=args.baseline_steps,
            settle=args.settle,
            ttl_wait=args.ttl_wait,
            app=target,
            one_link=args.one_link,
        )
    print(format_report(result))
    _write_json(args.json, result["summary"])
    _write_json(args.details, result)
    return result


if __name__ == "__main__":
    main()
