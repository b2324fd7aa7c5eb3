"""Start the app as a real Streamlit server on loopback, for tests and benchmarks that talk to it over HTTP.

``running_app()`` runs ``python -m streamlit run app.py`` from the repository root on a free
127.0.0.1 port, waits until ``/_stcore/health`` says "ok", yields a handle and always stops
the server (terminate, then kill) on exit. Server output goes to a log file so a full pipe can
never stall the server; a log in a temporary directory is removed with it.

``running_redis()`` runs Debian's ``redis-server`` on a free loopback port, without saving anything to
disk, for the room store's tests and the replicas that share rooms.

``running_proxy(ports)`` runs Debian's nginx (``/usr/sbin/nginx``, in the foreground) with the
shipped ``deploy/nginx.conf`` in front of app servers already listening on those loopback
ports, on a free 127.0.0.1 port of its own: the way a room is served by several replicas.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import psutil

REPO_ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
NGINX = Path("/usr/sbin/nginx")
REDIS_SERVER = Path("/usr/bin/redis-server")
NGINX_CONF = REPO_ROOT / "deploy" / "nginx.conf"
START_TIMEOUT_S = 180.0
STOP_TIMEOUT_S = 15.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


@dataclass(frozen=True)
class RunningApp:
    url: str
    port: int
    process: psutil.Process
    log_path: Path

    @property
    def ws_url(self) -> str:
        return f"ws://{HOST}:{self.port}/_stcore/stream"

    def rss_bytes(self) -> int:
        """Resident memory of the server and every process it started."""
        total = 0
        for proc in (self.process, *self.process.children(recursive=True)):
            with suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                total += proc.memory_info().rss
        return total

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"


def _stop(popen: subprocess.Popen) -> None:
    if popen.poll() is not None:
        return
    popen.terminate()
    try:
        popen.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        popen.kill()
        popen.wait(timeout=STOP_TIMEOUT_S)


@contextmanager
def running_app(
    port: int | None = None,
    script: str | Path = "app.py",
    extra_args: Sequence[str] = (),
    log_path: Path | None = None,
    start_timeout: float = START_TIMEOUT_S,
) -> Iterator[RunningApp]:
    """Run ``script`` (the app by default) on ``127.0.0.1:port`` (a free port by default) for the block."""
    port = port or free_port()
    url = f"http://{HOST}:{port}"
    temp_dir = None
    if log_path is None:
        temp_dir = Path(tempfile.mkdtemp(prefix="attention-explorer-server-"))
        log_path = temp_dir / "streamlit.log"
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.address",
        HOST,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        *extra_args,
    ]
    with log_path.open("wb") as log:
        popen = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        app = RunningApp(url=url, port=port, process=psutil.Process(popen.pid), log_path=log_path)
        deadline = time.monotonic() + start_timeout
        while not healthy(url):
            if popen.poll() is not None:
                raise RuntimeError(f"the server of {script} exited with code {popen.returncode}:\n{app.log_tail()}")
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"the server of {script} was not healthy after {start_timeout:.0f} s:\n{app.log_tail()}"
                )
            time.sleep(0.25)
        yield app
    finally:
        _stop(popen)
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)


@dataclass(frozen=True)
class RunningProxy:
    """nginx on ``url``, balancing the app servers on ``upstream_ports``."""

    url: str
    port: int
    process: psutil.Process
    upstream_ports: tuple[int, ...]
    log_path: Path

    @property
    def ws_url(self) -> str:
        return f"ws://{HOST}:{self.port}/_stcore/stream"

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no nginx log)"


def nginx_config(upstream_ports: Sequence[int], port: int, temp_dir: Path, template: Path = NGINX_CONF) -> str:
    """``deploy/nginx.conf`` for loopback: listen on ``port``, one upstream line per app port.

    Everything else (stickiness, websocket upgrade, fail-over) is the shipped file's own.
    """
    text = template.read_text()
    listen = re.compile(r"^(\s*)listen\s+8501;$", re.M)
    upstream = re.compile(r"^(\s*)server\s+app:8501(.*);$", re.M)
    if len(listen.findall(text)) != 1 or len(upstream.findall(text)) != 1:
        raise ValueError(f"{template} no longer has one 'listen 8501;' and one 'server app:8501 ...;' line")
    text = listen.sub(lambda m: f"{m.group(1)}listen {HOST}:{port};", text)
    text = upstream.sub(
        lambda m: "\n".join(f"{m.group(1)}server {HOST}:{p}{m.group(2)};" for p in upstream_ports), text
    )
    # Temporary files of a non-root run (and of root's unprivileged workers) go to the temp dir.
    temp_paths = "".join(
        f"    {name}_temp_path {temp_dir / name};\n" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return text.replace("http {\n", "http {\n" + temp_paths, 1)


@contextmanager
def running_proxy(upstream_ports: Sequence[int], port: int | None = None) -> Iterator[RunningProxy]:
    """Run nginx with ``deploy/nginx.conf`` in front of ``upstream_ports`` for the block; always stop it."""
    if not NGINX.exists():
        raise FileNotFoundError(f"{NGINX} is missing: apt-get install nginx (.ci/run installs it)")
    port = port or free_port()
    url = f"http://{HOST}:{port}"
    temp_dir = Path(tempfile.mkdtemp(prefix="attention-explorer-nginx-"))
    temp_dir.chmod(0o755)  # nginx workers may run as an unprivileged user
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (temp_dir / name).mkdir(mode=0o777)
        (temp_dir / name).chmod(0o777)
    conf = temp_dir / "nginx.conf"
    conf.write_text(nginx_config(upstream_ports, port, temp_dir))
    log_path = temp_dir / "nginx.log"
    command = [
        str(NGINX),
        "-p",
        str(temp_dir),
        "-c",
        str(conf),
        "-e",
        "stderr",
        "-g",
        f"daemon off; pid {temp_dir / 'nginx.pid'};",
    ]
    try:
        with log_path.open("wb") as log:
            popen = subprocess.Popen(command, cwd=temp_dir, stdout=log, stderr=subprocess.STDOUT)
        try:
            proxy = RunningProxy(
                url=url,
                port=port,
                process=psutil.Process(popen.pid),
                upstream_ports=tuple(upstream_ports),
                log_path=log_path,
            )
            deadline = time.monotonic() + 30.0
            while not healthy(url):
                if popen.poll() is not None:
                    raise RuntimeError(f"nginx exited with code {popen.returncode}:\n{proxy.log_tail()}")
                if time.monotonic() > deadline:
                    raise TimeoutError(f"nginx was not healthy after 30 s:\n{proxy.log_tail()}")
                time.sleep(0.1)
            yield proxy
        finally:
            _stop(popen)
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)


@dataclass(frozen=True)
class RunningRedis:
    """``redis-server`` on ``url`` (``redis://127.0.0.1:PORT/0``)."""

    url: str
    port: int
    process: psutil.Process
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no redis log)"


def _redis_pings(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1.0) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextmanager
def running_redis(port: int | None = None) -> Iterator[RunningRedis]:
    """Run Debian's redis-server on loopback for the block (no snapshots, no append-only file); always stop it."""
    if not REDIS_SERVER.exists():
        raise FileNotFoundError(f"{REDIS_SERVER} is missing: apt-get install redis-server (.ci/run installs it)")
    port = port or free_port()
    temp_dir = Path(tempfile.mkdtemp(prefix="attention-explorer-redis-"))
    log_path = temp_dir / "redis.log"
    command = [
        str(REDIS_SERVER),
        "--bind",
        HOST,
        "--port",
        str(port),
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(temp_dir),
        "--protected-mode",
        "yes",
    ]
    try:
        with log_path.open("wb") as log:
            popen = subprocess.Popen(command, cwd=temp_dir, stdout=log, stderr=subprocess.STDOUT)
        try:
            server = RunningRedis(
                url=f"redis://{HOST}:{port}/0", port=port, process=psutil.Process(popen.pid), log_path=log_path
            )
            deadline = time.monotonic() + 30.0
            while not _redis_pings(port):
                if popen.poll() is not None:
                    raise RuntimeError(f"redis-server exited with code {popen.returncode}:\n{server.log_tail()}")
                if time.monotonic() > deadline:
                    raise TimeoutError(f"redis-server did not answer after 30 s:\n{server.log_tail()}")
                time.sleep(0.05)
            yield server
        finally:
            _stop(popen)
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)
