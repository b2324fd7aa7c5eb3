"""A visitor without a browser: one tab's worth of Streamlit's websocket protocol, spoken from Python.

A ``Session`` is a websocket client that speaks Streamlit's own protocol (the ``BackMsg``/``ForwardMsg``
protobufs of the installed package) the way the browser does: an HTTP request for the XSRF cookie (and,
behind nginx, the replica cookie), then ``/_stcore/stream`` with the ``streamlit`` subprotocol and the
token. It opens a link to the step-through page (a run whose query string carries ``text=…``: a full run
and a new translation) and presses "Next" as a browser does: a rerun carrying the button's trigger, the
page's current query string and, when the button sits in a fragment, that fragment's id (Streamlit then
reruns only the fragment). A press is checked against the page's answer: the URL it writes (``step``/``eq``)
must have advanced by one equation, so a session that lost its state shows up as an error. It waits for
each run's ``script_finished`` before the next press; a run's latency is the time from sending the rerun to
its ``script_finished``. A browser per visitor would not fit on a small machine.

Isolation: every "**Source:** `tok` …" line a run shows and every ``text`` the page writes into its URL
must be the visitor's own sentence; anything else means state crossed between sessions (``isolation``).

The load tool (``benchmarks/load.py``) runs hundreds of these at once, the room tool
(``benchmarks/follow.py``) makes phones and speakers of them, and the replica tests (``tests/serving``)
drive a few through nginx.
"""

from __future__ import annotations

import http.cookiejar
import json
import math
import random
import re
import select
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import psutil
import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from attention_core.data.toy_data import generate_examples
from serving.processes import RunningApp

PAGE = "step_through"
# Visitors are browsers, which hold a step; the load tool's ``--one-equation-a-run`` turns this off for every
# Session of its run (then the server draws one equation a press, as it does for AppTest).
HOLDS_STEP = True
BROWSER_AGENT = "Mozilla/5.0 (attention-explorer load tool)"
HELD_COMPONENT = "attention_explorer.held_step"  # ui/presenter/held_step.py
ROOM_WATCHER = "attention_explorer.room_follow"  # ui/session/room.py: a phone's watcher of its room
NEXT_LABEL = "Next ▶"  # ui/strings/en.py, "step.next": the visitors use the default language
DOWNLOADS_LABEL = "Download this step"  # ui/strings/en.py, "step.downloads" begins so
SOURCE_LINE = re.compile(r"^\*\*Source:\*\*\s")
TOKEN = re.compile(r"`([^`]*)`")
EQUATIONS = 7
RUN_TIMEOUT_S = 120.0  # one rerun; far above any latency seen, so a hang is an error, not a wait
STEP_INTERVAL_S = 1.0


# --- where the visitors go ---------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """The URL the visitors open, the processes serving it (for CPU and memory), and the replicas
    behind it (each warmed up directly, since a sticky proxy sends one visitor to one replica)."""

    url: str
    processes: tuple[psutil.Process, ...] = ()
    replica_urls: tuple[str, ...] = ()
    label: str = ""
    apps: tuple[RunningApp, ...] = ()  # the servers started for this target, for their logs

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

    def _sum(self, measure) -> float | None:
        """``measure(process)`` summed over the server processes and their children (one that ended
        or is not ours to read counts nothing); None when they are unknown."""
        if not self.processes:
            return None
        total = 0
        for proc in self._all():
            with suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                total += measure(proc)
        return total

    def rss_bytes(self) -> int | None:
        """Resident memory of the server processes and their children; None when they are unknown."""
        return self._sum(lambda proc: proc.memory_info().rss)

    def cpu_s(self) -> float | None:
        """User + system CPU seconds of the server processes and their children so far."""
        times = self._sum(lambda proc: sum(proc.cpu_times()[:2]))
        return None if times is None else float(times)

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(app.log_tail(lines) for app in self.apps)


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


def position(query: str) -> tuple[int, int]:
    """(step, eq) of a step-through URL; the app leaves defaults (1) out of its links."""
    q = parse_qs(query)
    return int(q.get("step", ["1"])[0]), int(q.get("eq", ["1"])[0])


class Session:
    """One browser tab's worth of protocol: cookies, websocket, runs, the page's URL and its "Next"."""

    def __init__(self, target: Target | RunningApp, visitor: Visitor, holds: bool | None = None) -> None:
        self.target = Target.of(target)
        self.visitor = visitor
        self.ws: websocket.WebSocket | None = None
        self.unread: deque[bytes] = deque()  # messages answer_pings read while the tab was idle, for the next run
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

    def answer_pings(self) -> int:
        """Read what reached the websocket while the tab did nothing, as a browser's network stack does:
        a ping gets its pong. The server closes a websocket whose pong is late (Streamlit's
        ``server.websocketPingInterval``, 30 s), and a phone following in the page, with no run for
        several moves, would otherwise read nothing for longer than that. Returns the pings answered."""
        assert self.ws is not None
        pings = 0
        while select.select([self.ws.sock], [], [], 0)[0]:
            opcode, frame = self.ws.recv_data_frame(control_frame=True)
            if opcode in (websocket.ABNF.OPCODE_TEXT, websocket.ABNF.OPCODE_BINARY):
                self.unread.append(frame.data)
            elif opcode == websocket.ABNF.OPCODE_PING:
                pings += 1
            elif opcode == websocket.ABNF.OPCODE_CLOSE:
                raise ConnectionError("the server closed the websocket while the tab was idle")
        return pings

    def _receive(self) -> bytes:
        """The server's next message: first those ``answer_pings`` read while the tab was idle."""
        return self.unread.popleft() if self.unread else self.ws.recv()

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
        step, eq = position(self.query)
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
            data = self._receive()
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
            return position(self.query) == (self.held_steps, EQUATIONS)
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
            data = self._receive()
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
        if expect is not None and position(self.query) != expect:
            problems.append(f"the page is at step, eq = {position(self.query)}, not {expect}")
        where = f"{kind} at step, eq = {position(self.query)}"
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


def advance(at: tuple[int, int]) -> tuple[int, int]:
    """Where one press of "Next" leads from (step, eq): the next equation, after y_i the next step."""
    step, eq = at
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
            elif session.press_next(expect=advance(position(session.query))) is None and server_steps:
                continue  # held in the page: ``steps`` counts the presses the server ran, at once
            presses += 1
            # A slow render delays the next press; presses do not bunch up to catch up.
            next_at = max(next_at + pause(), time.monotonic())
    except Exception as exc:  # any failure of a visitor is counted, never fatal to the run
        visitor.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        session.close()


def warm_up(target: Target, tokens: Sequence[tuple[str, ...]]) -> list[Visitor]:
    """Every equation once on every replica (each draws a different figure), models loaded."""
    visitors = []
    for i, url in enumerate(target.replica_urls or (target.url,)):
        v = Visitor(f"warm-up-{i}", tokens[i % len(tokens)])
        visit(target, v, steps=EQUATIONS, interval=0.0, url=url)
        visitors.append(v)
    return visitors


# --- what the visitors saw ---------------------------------------------------------------------


def isolation(visitors: Sequence[Visitor], everyone: dict[tuple[str, ...], str]) -> dict:
    """What ``visitors`` saw that was not their own: ``crossed``, another visitor's sentence (``everyone``
    maps each sentence to its visitor), or ``wrong``, a sentence nobody opened; and the fewest full
    renders of one visitor (a session that never drew its own page proves nothing)."""
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
