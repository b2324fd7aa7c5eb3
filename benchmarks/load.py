"""Load test: many concurrent sessions against the app on 127.0.0.1, one server or replicas behind nginx.

Each simulated visitor is a websocket client that speaks Streamlit's own protocol (the
``BackMsg``/``ForwardMsg`` protobufs of the installed package), the way the browser does:
an HTTP request for the XSRF cookie (and, behind nginx, the replica cookie), then
``/_stcore/stream`` with the ``streamlit`` subprotocol and the token. A browser per visitor
would not fit on a small machine.

A visitor opens a link to the step-through page with its own toy sentence (a run whose query
string carries ``text=…``; the same as typing a new sentence: a full run and a new translation)
and then presses "Next" every ``interval`` seconds the way a browser does: a rerun carrying the
button's trigger, the page's current query string and, when the button sits in a fragment, that
fragment's id (Streamlit then reruns only the fragment). Each press is checked against the page's
answer: the URL it writes (``step``/``eq``) must have advanced by one equation, so a session that
lost its state shows up as an error. At the last equation of the last step ("Next" disabled) the
visitor opens its link again. A visitor waits for each run's ``script_finished`` before the next
press, so an overloaded server slows the visitors down instead of piling up reruns. Latency is
the time from sending a rerun to its ``script_finished``.

Isolation: every "**Source:** `tok` …" line a run shows and every ``text`` the page writes into
its URL must be the visitor's own sentence; anything else means state crossed between sessions.

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
phase, a list for a sweep.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import math
import os
import random
import re
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import psutil
import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from attention_core.data.toy_data import generate_examples
from benchmarks import follow
from serving.processes import RunningApp, running_app, running_proxy, running_redis
from serving.rooms import STORE_SETTING, RedisStore

PAGE = "step_through"
HOLDS_STEP = True  # visitors are browsers, which hold a step (``--one-equation-a-run``: as AppTest is served)
BROWSER_AGENT = "Mozilla/5.0 (attention-explorer load tool)"
HELD_COMPONENT = "attention_explorer.held_step"  # ui/presenter/held_step.py
ROOM_WATCHER = "attention_explorer.room_follow"  # ui/session/room.py: a phone's watcher of its room
NEXT_LABEL = "Next ▶"  # ui/strings/en.py, "step.next": the visitors use the default language
DOWNLOADS_LABEL = "Download this step"  # ui/strings/en.py, "step.downloads" begins so
SOURCE_LINE = re.compile(r"^\*\*Source:\*\*\s")
TOKEN = re.compile(r"`([^`]*)`")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
EQUATIONS = 7
RUN_TIMEOUT_S = 120.0  # one rerun; far above any latency seen, so a hang is an error, not a wait
STEP_INTERVAL_S = 1.0
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


@dataclass(frozen=True)
class Target:
    """The URL the visitors open, the processes serving it (for CPU and memory), and the replicas
    behind it (each warmed up directly, since a sticky proxy sends one visitor to one replica)."""

    url: str
    processes: tuple[psutil.Process, ...] = ()
    replica_urls: tuple[str, ...] = ()
    label: str = ""
    apps: tuple[RunningApp, ...] = ()  # the servers this tool started, for their logs

    @property
    def ws_url(self) -> str:
        return "ws" + self.url.removeprefix("http") + "/_stcore/stream"

    @classmethod
    def of(cls, app: RunningApp | Target) -> Target:
        if isinstance(app, Target):
            return app
        return cls(
            url=app.url,
            processes=(app.process,),
            replica_urls=(app.url,),
            label=f"one server at {app.url}",
            apps=(app,),
        )

    def _all(self) -> list[psutil.Process]:
        found = []
        for proc in self.processes:
            with suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                found += [proc, *proc.children(recursive=True)]
        return found

    def rss_bytes(self) -> int | None:
        """Resident memory of the server processes and their children; None when they are unknown."""
        if not self.processes:
            return None
        total = 0
        for proc in self._all():
            with suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                total += proc.memory_info().rss
        return total

    def cpu_s(self) -> float | None:
        """User + system CPU seconds of the server processes and their children so far."""
        if not self.processes:
            return None
        total = 0.0
        for proc in self._all():
            with suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                t = proc.cpu_times()
                total += t.user + t.system
        return total

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(app.log_tail(lines) for app in self.apps)


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


# --- one visitor -------------------------------------------------------------------------------


@dataclass
class Run:
    kind: str  # "open" (a link with a sentence: a new translation), "next" (a press of "Next" the
    # server ran) or "held" (a press of "Next" the page answered within a held step: no server time)
    latency_s: float
    sources: list[tuple[str, ...]]  # the token lists of every Source line in the run's output
    ok: bool
    texts: list[str] = field(default_factory=list)  # every ``text`` the page wrote into its URL
    fragment: bool = False  # the run was a fragment rerun
    finished_at: float = 0.0  # time.monotonic() when its script_finished came
    whole_step: bool = False  # the run drew a step for the page to hold (all seven equations)


@dataclass
class Visitor:
    name: str
    tokens: tuple[str, ...]
    runs: list[Run] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    replicas: set[str] = field(default_factory=set)  # what nginx's X-Replica said, when there is one

    @property
    def sentence(self) -> str:
        return " ".join(self.tokens)

    @property
    def held(self) -> int:
        """Presses of "Next" within a step the browser holds: answered without the server."""
        return sum(r.kind == "held" for r in self.runs)

    def full_renders(self) -> int:
        """Runs that drew the whole page with this visitor's own sentence."""
        return sum(r.ok and bool(r.sources) and set(r.sources) == {self.tokens} for r in self.runs)

    def foreign_sources(self) -> list[tuple[str, ...]]:
        return [s for r in self.runs for s in r.sources if s != self.tokens]

    def foreign_texts(self) -> list[str]:
        return [t for r in self.runs for t in r.texts if t != self.sentence]


def _position(query: str) -> tuple[int, int]:
    """(step, eq) of a step-through URL; the app leaves defaults (1) out of its links."""
    q = parse_qs(query)
    return int(q.get("step", ["1"])[0]), int(q.get("eq", ["1"])[0])


class Session:
    """One browser tab's worth of protocol: cookies, websocket, runs, the page's URL and its "Next"."""

    def __init__(self, target: Target | RunningApp, visitor: Visitor, holds: bool | None = None) -> None:
        self.target = Target.of(target)
        self.visitor = visitor
        self.ws: websocket.WebSocket | None = None
        self.cookies: dict[str, str] = {}
        self.page_script_hash = ""
        self.session_id = ""
        self.replica = ""
        self.query = ""  # the query string of the page's URL, as a browser's address bar holds it
        self.next_button: tuple[str, str, bool] | None = None  # widget id, fragment id, disabled
        self.downloads: dict[str, str] = {}  # download button label -> deferred file id, last run's
        self.downloads_box: tuple[str, str] | None = None  # the downloads box's widget id, fragment id
        self.holds = HOLDS_STEP if holds is None else holds
        self.held_steps: int | None = None  # the steps of a step the page holds (its script's data), or None
        self.page = PAGE  # the page this tab shows (a room's phone is moved to others by its speaker)
        self.wants_source = True  # a run of the step page shows a Source line; the lesson's does not
        self.buttons: dict[str, tuple[str, str, bool]] = {}  # the last run's buttons: id -> label, fragment, disabled
        self.markdown: list[str] = []  # the last run's markdown
        self.watcher_fragment: str | None = None  # a room's watcher: the fragment it was drawn in ("" none)

    def open(self, resume: bool = False) -> None:
        """Fetch the cookies, open the websocket; ``resume`` asks for the previous session back,
        as a browser does when it reconnects."""
        jar = http.cookiejar.CookieJar()
        for name, value in self.cookies.items():
            jar.set_cookie(_cookie(name, value, self.target.url))
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        for path in ("/_stcore/health", "/_stcore/host-config"):
            with opener.open(self.target.url + path, timeout=RUN_TIMEOUT_S) as response:
                response.read()
        self.cookies = {c.name: c.value for c in jar}
        xsrf = self.cookies.get("_streamlit_xsrf", "")
        protocols = ["streamlit", xsrf or " "]
        if resume and self.session_id:
            protocols.append(self.session_id)
        self.ws = websocket.create_connection(
            self.target.ws_url,
            subprotocols=protocols if xsrf or len(protocols) > 2 else ["streamlit"],
            origin=self.target.url,
            cookie="; ".join(f"{k}={v}" for k, v in self.cookies.items()) or None,
            timeout=RUN_TIMEOUT_S,
            enable_multithread=False,
            # A browser's header: the app then holds the step in the page (ui/presenter/held_step.py).
            header=[f"User-Agent: {BROWSER_AGENT}"] if self.holds else None,
        )
        self.replica = _answered((self.ws.getheaders() or {}).get("x-replica", ""))
        if self.replica:
            self.visitor.replicas.add(self.replica)

    def close(self) -> None:
        if self.ws is not None:
            with suppress(OSError, websocket.WebSocketException):
                self.ws.close(timeout=5)
            self.ws = None

    def fetch(self, path: str) -> tuple[int, bytes, str]:
        """GET ``path`` with this tab's cookies: (status, body, X-Replica)."""
        request = urllib.request.Request(
            self.target.url + path, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        )
        try:
            with urllib.request.urlopen(request, timeout=RUN_TIMEOUT_S) as response:
                return response.status, response.read(), _answered(response.headers.get("X-Replica", ""))
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read(), _answered(exc.headers.get("X-Replica", ""))

    def _message(self, query: str) -> BackMsg:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query
        state.page_name = self.page
        state.page_script_hash = self.page_script_hash
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        state.context_info.url = f"{self.target.url}/{self.page}" + (f"?{query}" if query else "")
        return msg

    def open_link(self, step: int = 1, eq: int = 1, text: str | None = None) -> Run:
        """Open ``/step_through?text=…&step=…&eq=…`` in this tab (a full run)."""
        query = urlencode({"text": self.visitor.sentence if text is None else text, "step": step, "eq": eq})
        self.query = query
        return self._run("open", self._message(query), expect=None, fragment=False)

    def reload(self) -> Run:
        """Run the page's current URL again: what a browser does after it reconnects."""
        return self._run("open", self._message(self.query), expect=None, fragment=False)

    def press_next(self, expect: tuple[int, int] | None = None) -> Run | None:
        """Click "Next" as a browser does; ``expect`` is the (step, eq) the page must show after it.

        Within a step the page holds, the page's script shows the next equation and writes it into
        the address bar, and nothing is sent (None); only the press past y_i reaches the server."""
        step, eq = _position(self.query)
        if self.held_steps is not None and eq < EQUATIONS:
            self.query = _with_eq(self.query, eq + 1)
            # Kept as a run of no server time, for when the visitor was still pressing.
            self.visitor.runs.append(Run("held", 0.0, [], ok=True, finished_at=time.monotonic()))
            return None
        if self.next_button is None:
            raise LookupError(f"no {NEXT_LABEL!r} button on the page")
        widget_id, fragment_id, _ = self.next_button
        return self._widget_run("next", widget_id, fragment_id, expect, trigger_value=True)

    def press(self, kind: str, widget_id: str, expect: tuple[int, int] | None = None) -> Run:
        """Click the button ``widget_id`` of the last run (``buttons``), as a browser does."""
        _, fragment_id, _ = self.buttons[widget_id]
        return self._widget_run(kind, widget_id, fragment_id, expect, trigger_value=True)

    def button_id(self, label: str | None = None, key: str | None = None) -> str:
        """The id of the last run's button with ``label``, or whose key is ``key`` (a keyed widget's id
        ends with it)."""
        for widget_id, (shown, _, _) in self.buttons.items():
            if (label is not None and shown == label) or (key is not None and widget_id.endswith(f"-{key}")):
                return widget_id
        raise LookupError(f"no button {label or key!r} on the page")

    def follow_run(self) -> Run:
        """The run a room's watcher asks for when the room moved: the fragment it sits in (the step
        panel), or the whole page."""
        msg = self._message(self.query)
        if self.watcher_fragment:
            msg.rerun_script.fragment_id = self.watcher_fragment
        return self._run("follow", msg, expect=None, fragment=bool(self.watcher_fragment))

    def open_downloads(self) -> Run:
        """Open the step's downloads box as a browser does: its buttons are built only while it is open."""
        if self.downloads_box is None:
            raise LookupError(f"no {DOWNLOADS_LABEL!r} box on the page")
        widget_id, fragment_id = self.downloads_box
        return self._widget_run("downloads", widget_id, fragment_id, None, bool_value=True)

    def _widget_run(
        self, kind: str, widget_id: str, fragment_id: str, expect: tuple[int, int] | None, **value: bool
    ) -> Run:
        """The rerun a browser sends when one widget changes (``value``: its new state), in its fragment."""
        msg = self._message(self.query)
        msg.rerun_script.widget_states.widgets.add(id=widget_id, **value)
        if fragment_id:
            msg.rerun_script.fragment_id = fragment_id
        return self._run(kind, msg, expect=expect, fragment=bool(fragment_id))

    def download_url(self, label: str) -> str:
        """Press a download button: the server makes the file and answers with its ``/media/...`` URL,
        which lives in that server's memory only (the browser then fetches it over HTTP)."""
        assert self.ws is not None
        msg = BackMsg()
        request = msg.backend_operation_request
        request.request_id = f"download-{label}"
        request.session_id = self.session_id
        request.deferred_file.file_id = self.downloads[label]
        self.ws.send_binary(msg.SerializeToString())
        while True:
            data = self.ws.recv()
            if not data:
                raise ConnectionError("the server closed the websocket during a download")
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            if fwd.WhichOneof("type") == "backend_operation_response":
                response = fwd.backend_operation_response
                if response.request_id == request.request_id:
                    if response.error_msg:
                        raise RuntimeError(f"download {label!r} failed: {response.error_msg}")
                    return response.deferred_file.url

    @property
    def at_end(self) -> bool:
        if self.held_steps is not None:  # Next stays enabled; the script knows the last screen
            return _position(self.query) == (self.held_steps, EQUATIONS)
        return self.next_button is not None and self.next_button[2]

    def _run(self, kind: str, msg: BackMsg, expect: tuple[int, int] | None, fragment: bool) -> Run:
        """Send one rerun and read until it finishes; check what it showed."""
        assert self.ws is not None
        started = time.monotonic()
        self.ws.send_binary(msg.SerializeToString())
        self.held_steps = None
        sources: list[tuple[str, ...]] = []
        texts: list[str] = []
        problems: list[str] = []
        if not fragment:
            self.buttons, self.markdown = {}, []
        while True:
            data = self.ws.recv()
            if not data:
                raise ConnectionError("the server closed the websocket during a run")
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind_of = fwd.WhichOneof("type")
            if kind_of == "new_session":
                # A run restarted (st.rerun, or a rerun interrupting another): only the last one counts.
                sources, texts, problems = [], [], []
                if not fragment:
                    self.buttons, self.markdown = {}, []
                if fwd.new_session.initialize.session_id:
                    self.session_id = fwd.new_session.initialize.session_id
            elif kind_of == "navigation":
                self.page_script_hash = fwd.navigation.page_script_hash
            elif kind_of == "page_info_changed":
                self.query = fwd.page_info_changed.query_string
                texts += parse_qs(self.query).get("text", [])
            elif kind_of == "page_not_found":
                problems.append("page not found")
            elif kind_of == "session_event" and fwd.session_event.WhichOneof("type") == "script_compilation_exception":
                problems.append("script compilation exception")
            elif kind_of == "delta" and fwd.delta.WhichOneof("type") == "add_block":
                box = fwd.delta.add_block.expandable
                if box.label.startswith(DOWNLOADS_LABEL):
                    self.downloads_box = (box.id or fwd.delta.add_block.id, fwd.delta.fragment_id)
            elif kind_of == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                which = element.WhichOneof("type")
                if which == "markdown":
                    self.markdown.append(element.markdown.body)
                if which == "button":
                    button = element.button
                    self.buttons[button.id] = (button.label, fwd.delta.fragment_id, button.disabled)
                if which == "markdown" and SOURCE_LINE.match(element.markdown.body):
                    # The Source line alone: the same markdown may go on with the Output line.
                    sources.append(tuple(TOKEN.findall(element.markdown.body.split("\n", 1)[0])))
                elif which == "download_button" and element.download_button.deferred_file_id:
                    self.downloads[element.download_button.label] = element.download_button.deferred_file_id
                elif which == "button" and element.button.label == NEXT_LABEL:
                    self.next_button = (element.button.id, fwd.delta.fragment_id, element.button.disabled)
                elif which == "bidi_component" and element.bidi_component.component_name == ROOM_WATCHER:
                    self.watcher_fragment = fwd.delta.fragment_id
                elif which == "bidi_component" and element.bidi_component.component_name == HELD_COMPONENT:
                    held = json.loads(element.bidi_component.json or "{}")
                    if "steps" not in held:  # the instance the page tells its equation through
                        continue
                    # A first screen or presenter mode draws the keeper too, with held false: one equation a run.
                    self.held_steps = int(held["steps"]) if held.get("held", True) else None
                    self.query = _with_eq(self.query, int(held["eq"]))  # the script writes it into the address bar
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
        if not sources and not fragment and self.wants_source:
            problems.append("no Source line in the output")
        if expect is not None and _position(self.query) != expect:
            problems.append(f"the page is at step, eq = {_position(self.query)}, not {expect}")
        where = f"{kind} at step, eq = {_position(self.query)}"
        self.visitor.errors += [f"{where}: {p}" for p in problems]
        run = Run(
            kind,
            latency,
            sources,
            ok=not problems,
            texts=texts,
            fragment=fragment,
            finished_at=time.monotonic(),
            whole_step=self.held_steps is not None,
        )
        self.visitor.runs.append(run)
        return run


def _answered(upstreams: str) -> str:
    """The replica that answered, from nginx's ``$upstream_addr``: after a failed try it lists
    every replica tried ("dead:8501, alive:8501"); the last one answered."""
    return re.split(r",|\s:\s", upstreams)[-1].strip()


def _cookie(name: str, value: str, url: str) -> http.cookiejar.Cookie:
    host = urlsplit(url).hostname or "127.0.0.1"
    return http.cookiejar.Cookie(
        0, name, value, None, False, host, False, False, "/", True, False, None, False, None, None, {}
    )


def _with_eq(query: str, eq: int) -> str:
    """``query`` with its ``eq`` set as the page writes it (left out at 1)."""
    values = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "eq"]
    return urlencode(values + ([("eq", str(eq))] if eq != 1 else []))


def advance(position: tuple[int, int]) -> tuple[int, int]:
    """Where one press of "Next" leads from (step, eq): the next equation, after y_i the next step."""
    step, eq = position
    return (step, eq + 1) if eq < EQUATIONS else (step + 1, 1)


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
    target: Target | RunningApp,
    visitor: Visitor,
    *,
    steps: int | None = None,
    seconds: float | None = None,
    start_delay: float = 0.0,
    interval: float = STEP_INTERVAL_S,
    jitter: float = 0.0,
    url: str | None = None,
    server_steps: bool = False,
) -> None:
    """Open a session on the visitor's link, press "Next" about every ``interval`` s, close.

    Stepping stops after ``steps`` presses or ``seconds`` of stepping, whichever comes first.
    ``jitter`` spreads each pause uniformly over ``interval × (1 ± jitter)``. ``url`` sends this
    visitor to one server directly (the warm-up of a replica behind a proxy). ``server_steps``:
    ``steps`` counts only the presses the server ran, and a press the page held is not waited for
    (the lone visitor's baseline of a held step: its presses past y_i).
    """
    time.sleep(start_delay)
    target = Target.of(target)
    if url is not None:
        target = Target(url=url, processes=target.processes)
    session = Session(target, visitor)
    rng = random.Random(visitor.name)
    presses = 0
    try:
        session.open()
        session.open_link(*walk(0, len(visitor.tokens)))
        deadline = math.inf if seconds is None else time.monotonic() + seconds

        def pause() -> float:
            return interval * (1 + jitter * (2 * rng.random() - 1)) if jitter else interval

        next_at = time.monotonic() + pause()
        while steps is None or presses < steps:
            time.sleep(max(0.0, next_at - time.monotonic()))
            if time.monotonic() >= deadline:
                break
            if session.at_end:  # the last equation of the last step: start the sentence again
                session.open_link(1, 1)
            elif session.press_next(expect=advance(_position(session.query))) is None and server_steps:
                continue  # held in the page: ``steps`` counts the presses the server ran, at once
            presses += 1
            # A slow render delays the next press; presses do not bunch up to catch up.
            next_at = max(next_at + pause(), time.monotonic())
    except Exception as exc:  # any failure of a visitor is counted, never fatal to the run
        visitor.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        session.close()


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


def isolation(visitors: Sequence[Visitor], everyone: dict[tuple[str, ...], str]) -> dict:
    crossed, wrong = [], []
    by_text = {" ".join(tokens): name for tokens, name in everyone.items()}
    for v in visitors:
        for s in v.foreign_sources():
            (crossed if s in everyone else wrong).append({"session": v.name, "saw": " ".join(s), "of": everyone.get(s)})
        for text in v.foreign_texts():
            (crossed if text in by_text else wrong).append({"session": v.name, "saw": text, "of": by_text.get(text)})
    return {
        "sessions": len(visitors),
        "min_full_renders": min((v.full_renders() for v in visitors), default=0),
        "without_full_render": [v.name for v in visitors if v.full_renders() == 0],
        "crossed": crossed,
        "wrong": wrong,
        "crossed_sessions": len({c["session"] for c in crossed + wrong}),
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


def warm_up(target: Target, tokens: Sequence[tuple[str, ...]]) -> list[Visitor]:
    """Every equation once on every replica (each draws a different figure), models loaded."""
    visitors = []
    for i, url in enumerate(target.replica_urls or (target.url,)):
        v = Visitor(f"warm-up-{i}", tokens[i % len(tokens)])
        visit(target, v, steps=EQUATIONS, interval=0.0, url=url)
        visitors.append(v)
    return visitors


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
                session.press_next(expect=advance(_position(session.query)))
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


def _write_json(path: str | None, data: object) -> None:
    if path:
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


def room_session(target: Target, name: str, holds: bool) -> Session:
    return Session(target, Visitor(name, ()), holds=holds)


def run_room(args, target: Target, redis_url: str | None) -> dict:
    """``--follow`` and ``--vote``: the room's figures against the issue's targets."""
    result: dict = {"label": target.label, "store": "redis" if redis_url else "memory"}
    ramp = ROOM["ramp"] if args.ramp is None else args.ramp
    if args.follow:
        result["follow"] = follow.run_follow(
            room_session,
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

        result["vote"] = follow.run_vote(room_session, target, phones=args.sessions, ramp=ramp, tally=tally)
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
    global HOLDS_STEP
    HOLDS_STEP = not args.one_equation_a_run
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
        return result
    with serving(args.replicas, args.url, args.pid) as target:
        if counts:
            result = run_sweep(counts, args.seconds, interval=args.interval, jitter=args.jitter, target=target)
            print(format_sweep(result))
            _write_json(args.json, [level["summary"] for level in result["levels"]])
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
    return result


if __name__ == "__main__":
    main()
