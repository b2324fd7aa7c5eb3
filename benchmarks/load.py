"""Load test: many concurrent sessions against one app server on 127.0.0.1.

Each simulated visitor is a websocket client that speaks Streamlit's own protocol (the
``BackMsg``/``ForwardMsg`` protobufs of the installed package), the way the browser does:
an HTTP request for the XSRF cookie, then ``/_stcore/stream`` with the ``streamlit``
subprotocol and the token. A browser per visitor would not fit on a small machine.

A visitor opens the step-through page with its own toy sentence ("types" it: a rerun whose
query string carries ``text=…``) and then steps once a second (``step``/``eq`` advance one
equation per rerun). It waits for each run's ``script_finished`` before the next step, so an
overloaded server slows the visitors down instead of piling up reruns, which Streamlit would
cancel anyway (``runner.fastReruns``). Latency is the time from sending a rerun to its
``script_finished``.

Isolation: every run's "**Source:** `tok` …" line must list the visitor's own sentence; a line
showing another visitor's sentence would mean state crossed between sessions.

Phases: warm-up (one visitor walks all seven equations, so models and caches are loaded),
baseline (one visitor alone), load (``sessions`` visitors for ``seconds``), churn (``churn``
visitors in concurrent batches that open, render once and close). Server RSS (the process and
its children) is read before warm-up and after each phase, after a short settling pause.
Streamlit keeps a closed session for reconnection (``server.disconnectedSessionTTL``, 120 s,
at most 128 of them), so the reading after churn includes those; ``--ttl-wait`` adds a reading
after they have expired.

Run ``python -m benchmarks.load`` for the default 20 sessions x 30 s and 200 churned sessions.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import math
import re
import threading
import time
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import suppress
from dataclasses import dataclass, field
from urllib.parse import urlencode

import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from attention_core.toy_data import generate_examples
from benchmarks.server import RunningApp, running_app

PAGE = "step_through"
SOURCE_LINE = re.compile(r"^\*\*Source:\*\*\s")
TOKEN = re.compile(r"`([^`]*)`")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
EQUATIONS = 7
RUN_TIMEOUT_S = 120.0  # one rerun; far above any latency seen, so a hang is an error, not a wait
STEP_INTERVAL_S = 1.0
MB = 1024 * 1024
P95_TARGET_NOTE = "p95 under load / p95 alone"
MEMORY_TARGET_MB = 100.0


@dataclass
class Run:
    kind: str  # "type" (a new sentence) or "step"
    latency_s: float
    sources: list[tuple[str, ...]]  # the token lists of every Source line in the run's output
    ok: bool


@dataclass
class Visitor:
    name: str
    tokens: tuple[str, ...]
    runs: list[Run] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def sentence(self) -> str:
        return " ".join(self.tokens)

    def full_renders(self) -> int:
        return sum(r.ok and r.sources == [self.tokens] for r in self.runs)

    def foreign_sources(self) -> list[tuple[str, ...]]:
        return [s for r in self.runs for s in r.sources if s != self.tokens]


class Session:
    """One browser tab's worth of protocol: cookie, websocket, reruns."""

    def __init__(self, app: RunningApp, visitor: Visitor) -> None:
        self.app = app
        self.visitor = visitor
        self.ws: websocket.WebSocket | None = None
        self.page_script_hash = ""

    def open(self) -> None:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        for path in ("/_stcore/health", "/_stcore/host-config"):
            with opener.open(self.app.url + path, timeout=RUN_TIMEOUT_S) as response:
                response.read()
        cookies = {c.name: c.value for c in jar}
        xsrf = cookies.get("_streamlit_xsrf", "")
        self.ws = websocket.create_connection(
            self.app.ws_url,
            subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"],
            origin=self.app.url,
            cookie="; ".join(f"{k}={v}" for k, v in cookies.items()) or None,
            timeout=RUN_TIMEOUT_S,
            enable_multithread=False,
        )

    def close(self) -> None:
        if self.ws is not None:
            with suppress(OSError, websocket.WebSocketException):
                self.ws.close(timeout=5)
            self.ws = None

    def rerun(self, kind: str, step: int, eq: int) -> Run:
        """Send one rerun the way the browser does for a URL and wait for the run to finish."""
        assert self.ws is not None
        query = urlencode({"text": self.visitor.sentence, "step": step, "eq": eq})
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query
        state.page_name = PAGE
        state.page_script_hash = self.page_script_hash
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        state.context_info.url = f"{self.app.url}/{PAGE}?{query}"
        started = time.monotonic()
        self.ws.send_binary(msg.SerializeToString())

        sources: list[tuple[str, ...]] = []
        problems: list[str] = []
        while True:
            data = self.ws.recv()
            if not data:
                raise ConnectionError("the server closed the websocket during a run")
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind_of = fwd.WhichOneof("type")
            if kind_of == "new_session":
                # A run restarted (st.rerun, or a rerun interrupting another): only the last one counts.
                sources, problems = [], []
            elif kind_of == "navigation":
                self.page_script_hash = fwd.navigation.page_script_hash
            elif kind_of == "page_not_found":
                problems.append("page not found")
            elif kind_of == "session_event" and fwd.session_event.WhichOneof("type") == "script_compilation_exception":
                problems.append("script compilation exception")
            elif kind_of == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                which = element.WhichOneof("type")
                if which == "markdown" and SOURCE_LINE.match(element.markdown.body):
                    sources.append(tuple(TOKEN.findall(element.markdown.body)))
                elif which == "exception":
                    problems.append(f"exception: {element.exception.type or '?'} {element.exception.message[:120]}")
            elif kind_of == "script_finished":
                status = fwd.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    problems.append("script finished with a compile error")
                break
        latency = time.monotonic() - started
        if not sources:
            problems.append("no Source line in the output")
        for problem in problems:
            self.visitor.errors.append(f"{kind} step={step} eq={eq}: {problem}")
        run = Run(kind=kind, latency_s=latency, sources=sources, ok=not problems)
        self.visitor.runs.append(run)
        return run


def walk(index: int, n_steps: int) -> tuple[int, int]:
    """The (step, eq) a visitor is at after ``index`` presses of "Next": eq 1..7, then the next step."""
    step, eq = divmod(index, EQUATIONS)
    return step % max(n_steps, 1) + 1, eq + 1


def sentences(n: int, seed: int = 2024) -> list[tuple[str, ...]]:
    """``n`` distinct toy sentences; distinct so a crossed session is visible in what it shows."""
    seen: dict[tuple[str, ...], None] = {}
    batch = max(2 * n, 16)
    while len(seen) < n:
        for example in generate_examples(batch, seed):
            seen.setdefault(example.en, None)
        seed += 1
    return list(seen)[:n]


def visit(
    app: RunningApp,
    visitor: Visitor,
    *,
    steps: int | None = None,
    seconds: float | None = None,
    start_delay: float = 0.0,
    interval: float = STEP_INTERVAL_S,
) -> None:
    """Open a session, type the sentence, press "Next" every ``interval`` s, close.

    Stepping stops after ``steps`` presses or ``seconds`` of stepping, whichever comes first.
    """
    time.sleep(start_delay)
    session = Session(app, visitor)
    n_steps = len(visitor.tokens)  # the toy translation is word for word, so this many steps exist
    try:
        session.open()
        session.rerun("type", *walk(0, n_steps))
        deadline = math.inf if seconds is None else time.monotonic() + seconds
        next_at = time.monotonic() + interval
        presses = 0
        while steps is None or presses < steps:
            time.sleep(max(0.0, next_at - time.monotonic()))
            if time.monotonic() >= deadline:
                break
            presses += 1
            session.rerun("step", *walk(presses, n_steps))
            # A slow render delays the next press; presses do not bunch up to catch up.
            next_at = max(next_at + interval, time.monotonic())
    except Exception as exc:  # any failure of a visitor is counted, never fatal to the run
        visitor.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        session.close()


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


def isolation(visitors: Sequence[Visitor], everyone: dict[tuple[str, ...], str]) -> dict:
    crossed, wrong = [], []
    for v in visitors:
        for s in v.foreign_sources():
            (crossed if s in everyone else wrong).append({"session": v.name, "saw": " ".join(s), "of": everyone.get(s)})
    return {
        "sessions": len(visitors),
        "min_full_renders": min((v.full_renders() for v in visitors), default=0),
        "without_full_render": [v.name for v in visitors if v.full_renders() == 0],
        "crossed": crossed,
        "wrong": wrong,
    }


class RssSampler:
    """The server's peak RSS while a phase runs."""

    def __init__(self, app: RunningApp, every: float = 0.5) -> None:
        self.app, self.every, self.peak = app, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.app.rss_bytes())
            self._stop.wait(self.every)

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


def check(sessions: int, seconds: float, churn: int, baseline_steps: int, settle: float, ttl_wait: float) -> None:
    """Refuse a configuration before any server starts."""
    if sessions < 1 or baseline_steps < 1:
        raise ValueError("sessions and baseline steps must be at least 1")
    if not seconds > 0:
        raise ValueError("seconds must be positive")
    if churn < 0 or settle < 0 or ttl_wait < 0:
        raise ValueError("churn, settle and ttl-wait must not be negative")


def run_load(
    sessions: int = 20,
    seconds: float = 30.0,
    churn: int = 200,
    *,
    baseline_steps: int = 30,
    churn_batch: int | None = None,
    settle: float = 5.0,
    ttl_wait: float = 0.0,
    app: RunningApp | None = None,
    seed: int = 2024,
) -> dict:
    """Run every phase against ``app`` (or a server started for the purpose) and return the numbers."""
    check(sessions, seconds, churn, baseline_steps, settle, ttl_wait)
    if app is None:
        with running_app() as started:
            return run_load(
                sessions,
                seconds,
                churn,
                baseline_steps=baseline_steps,
                churn_batch=churn_batch,
                settle=settle,
                ttl_wait=ttl_wait,
                app=started,
                seed=seed,
            )

    batch = churn_batch or sessions
    all_tokens = sentences(3 + sessions + churn, seed)
    warm = Visitor("warm-up", all_tokens[0])
    alone = Visitor("baseline", all_tokens[1])
    crowd = [Visitor(f"load-{i}", all_tokens[2 + i]) for i in range(sessions)]
    churned = [Visitor(f"churn-{i}", all_tokens[2 + sessions + i]) for i in range(churn)]
    everyone = {v.tokens: v.name for v in (warm, alone, *crowd, *churned)}

    def settled_rss() -> int:
        time.sleep(settle)
        return app.rss_bytes()

    memory = {"before_warmup": app.rss_bytes()}
    t0 = time.monotonic()
    # Every equation once (each draws a different figure), then back to the first.
    visit(app, warm, steps=EQUATIONS, interval=0.0)
    memory["after_warmup"] = settled_rss()

    visit(app, alone, steps=baseline_steps)

    with RssSampler(app) as sampler:
        load_started = time.monotonic()
        # Starts spread over one step interval: visitors do not all press "Next" in the same instant.
        spread = STEP_INTERVAL_S / sessions
        jobs = [((app, v), {"start_delay": i * spread, "seconds": seconds}) for i, v in enumerate(crowd)]
        _concurrently(jobs, limit=sessions, timeout=seconds + 4 * RUN_TIMEOUT_S)
        load_wall = time.monotonic() - load_started
    memory["peak_during_load"] = sampler.peak
    memory["after_load"] = settled_rss()

    churn_started = time.monotonic()
    churn_curve = []  # (sessions closed so far, RSS): a plateau means bounded, a slope a leak
    for first in range(0, churn, batch):
        jobs = [((app, v), {"steps": 0}) for v in churned[first : first + batch]]
        _concurrently(jobs, limit=batch, timeout=4 * RUN_TIMEOUT_S)
        churn_curve.append((min(first + batch, churn), app.rss_bytes() / MB))
    churn_wall = time.monotonic() - churn_started
    memory["after_churn"] = app.rss_bytes()
    memory["after_churn_settled"] = settled_rss()

    late = Visitor("after-ttl", all_tokens[-1])
    if ttl_wait > 0:
        time.sleep(ttl_wait)
        # Expired sessions are dropped when the session store next changes: one more visitor does that.
        visit(app, late, steps=0)
        memory["after_ttl"] = settled_rss()

    base = latency_stats([r for r in alone.runs if r.kind == "step"])
    load_runs = [r for v in crowd for r in v.runs]
    under_load = latency_stats([r for r in load_runs if r.kind == "step"])
    under_load["type"] = latency_stats([r for r in load_runs if r.kind == "type"])
    under_load["renders_per_s"] = len(load_runs) / load_wall if load_wall > 0 else math.nan
    errors = [f"{v.name}: {e}" for v in (warm, alone, *crowd, *churned, late) for e in v.errors]
    return {
        "config": {
            "sessions": sessions,
            "seconds": seconds,
            "churn": churn,
            "churn_batch": batch,
            "settle": settle,
            "ttl_wait": ttl_wait,
        },
        "server": {"url": app.url, "pid": app.process.pid},
        "baseline": {**base, "type": latency_stats([r for r in alone.runs if r.kind == "type"])},
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
        "isolation": isolation([alone, *crowd, *churned], everyone),
        "per_session": [
            {"name": v.name, "sentence": v.sentence, "runs": len(v.runs), "full_renders": v.full_renders()}
            for v in crowd
        ],
        "memory_mb": {k: v / MB for k, v in memory.items()},
        "growth_mb": (memory["after_churn_settled"] - memory["after_warmup"]) / MB,
        "churn_growth_mb": (memory["after_churn_settled"] - memory["after_load"]) / MB,
        "elapsed_s": time.monotonic() - t0,
        # The app's tracebacks reach the server log only (client.showErrorDetails = "none").
        "server_log_tail": app.log_tail(40) if errors else "",
    }


def _ms(x: float) -> str:
    return "—" if math.isnan(x) else f"{x:,.0f}"


def _curve(points: Sequence[tuple[int, float]], shown: int = 10) -> str:
    if not points:
        return "—"
    stride = max(1, math.ceil(len(points) / shown))
    picked = list(points[stride - 1 :: stride])
    if picked[-1] != points[-1]:
        picked.append(points[-1])
    return ", ".join(f"{n}: {mb:.0f}" for n, mb in picked)


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
    lines = [
        f"Load test: {cfg['sessions']} sessions x {cfg['seconds']:g} s, churn {cfg['churn']} "
        f"(batches of {cfg['churn_batch']}), one server at {result['server']['url']}",
        "",
        "| measure | runs | p50 ms | p95 ms | max ms | note |",
        "|---|---:|---:|---:|---:|---|",
        f"| step, 1 session alone | {base['runs']} | {_ms(base['p50_ms'])} | {_ms(base['p95_ms'])} "
        f"| {_ms(base['max_ms'])} | baseline |",
        f"| step, {cfg['sessions']} sessions | {load['runs']} | {_ms(load['p50_ms'])} | {_ms(load['p95_ms'])} "
        f"| {_ms(load['max_ms'])} | served {load['renders_per_s']:.2f} renders/s; each session asks for 1/s |",
        f"| type a sentence, {cfg['sessions']} sessions | {load['type']['runs']} | {_ms(load['type']['p50_ms'])} "
        f"| {_ms(load['type']['p95_ms'])} | {_ms(load['type']['max_ms'])} | first render, new translation |",
        f"| churn: open, render, close | {churn['runs']} | {_ms(churn['p50_ms'])} | {_ms(churn['p95_ms'])} "
        f"| {_ms(churn['max_ms'])} | {churn['rendered']}/{churn['opened']} rendered in {churn['seconds']:.0f} s |",
        "",
        "| result | value |",
        "|---|---|",
        f"| {P95_TARGET_NOTE} | {result['p95_ratio']:.1f}× |",
        f"| errors | {result['error_count']} |",
        f"| isolation | {crossed} foreign Source lines; {len(iso['without_full_render'])} of {iso['sessions']} "
        f"sessions without a full render (fewest per session: {iso['min_full_renders']}) |",
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
    if result["errors"]:
        lines += ["", "First errors:", *(f"- {e}" for e in result["errors"][:10])]
    if result.get("server_log_tail"):
        tail = ANSI.sub("", result["server_log_tail"]).splitlines()
        lines += ["", "Server log, last lines:", "", "```", *[line.rstrip() for line in tail if line.strip()], "```"]
    if iso["crossed"] or iso["wrong"]:
        lines += ["", "Foreign Source lines:", *(f"- {c}" for c in (iso["crossed"] + iso["wrong"])[:10])]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent sessions in the load phase")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long each of them steps")
    parser.add_argument("--churn", type=int, default=200, help="sessions opened, rendered once and closed")
    parser.add_argument("--baseline-steps", type=int, default=30, help="steps of the lone session")
    parser.add_argument("--settle", type=float, default=5.0, help="pause before each memory reading, s")
    parser.add_argument(
        "--ttl-wait", type=float, default=0.0, help="wait this long after churn for closed sessions to expire, s"
    )
    args = parser.parse_args(argv)
    try:
        check(args.sessions, args.seconds, args.churn, args.baseline_steps, args.settle, args.ttl_wait)
    except ValueError as exc:
        parser.error(str(exc))
    result = run_load(
        args.sessions,
        args.seconds,
        args.churn,
        baseline_steps=args.baseline_steps,
        settle=args.settle,
        ttl_wait=args.ttl_wait,
    )
    print(format_report(result))
    return result


if __name__ == "__main__":
    main()
