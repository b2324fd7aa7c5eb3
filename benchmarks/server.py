"""Start the app as a real Streamlit server on loopback, for tests and benchmarks that talk to it over HTTP.

``running_app()`` runs ``python -m streamlit run app.py`` from the repository root on a free
127.0.0.1 port, waits until ``/_stcore/health`` says "ok", yields a handle and always stops
the server (terminate, then kill) on exit. Server output goes to a log file so a full pipe can
never stall the server; a log in a temporary directory is removed with it.
"""

from __future__ import annotations

import os
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
