"""Browser fixtures: one Streamlit server and one Chromium for the session, a fresh page per test.

The server is ``python -m streamlit run app.py`` on a free local port; Chromium is the
Debian package at ``/usr/bin/chromium`` driven by the Playwright sync API (no
``playwright install``, no downloaded browser). Screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 2200}
SERVER_START_TIMEOUT_S = 120
MISSING_CHROMIUM = (
    f"Chromium is missing at {CHROMIUM}: the browser tests need the Debian package "
    "(apt-get install -y --no-install-recommends chromium fonts-noto-cjk, or run .ci/run as root). "
    "They do not use `playwright install`."
)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def _healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@contextmanager
def run_server(log_path: Path) -> Iterator[str]:
    """Start the app, wait for ``/_stcore/health`` to say "ok", yield its base URL, stop it."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while not _healthy(base_url):
            if process.poll() is not None:
                pytest.fail(
                    f"streamlit exited with code {process.returncode} before it was healthy:\n{_tail(log_path)}"
                )
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit not healthy after {SERVER_START_TIMEOUT_S} s:\n{_tail(log_path)}")
            time.sleep(0.5)
        yield base_url
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


@pytest.fixture(scope="session")
def streamlit_server(artifacts: Path) -> Iterator[str]:
    """The server every browser test shares."""
    with run_server(artifacts / "streamlit-server.log") as base_url:
        yield base_url


@pytest.fixture
def fresh_server(artifacts: Path) -> Iterator[str]:
    """A server of its own whose first request is the test's (for first-visit behaviour)."""
    with run_server(artifacts / "streamlit-fresh-server.log") as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser_context():
    """Chromium from Debian with a fresh, throw-away user data dir."""
    if not CHROMIUM.exists():
        pytest.fail(MISSING_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="attention-explorer-chromium-") as user_data_dir, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            user_data_dir,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=VIEWPORT,
            locale="en-US",
            timezone_id="UTC",
            service_workers="block",
        )
        context.set_default_timeout(30_000)
        try:
            yield context
        finally:
            context.close()


def _new_tab(browser_context, base_url: str):
    """A new tab; ``page.dialogs`` records every JavaScript dialog, ``page.js_errors`` every uncaught error."""
    page = browser_context.new_page()
    page.dialogs = []
    page.js_errors = []

    def on_dialog(dialog) -> None:
        page.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    page.base_url = base_url
    return page


@pytest.fixture
def app_page(browser_context, streamlit_server: str):
    """A new tab on the shared server."""
    page = _new_tab(browser_context, streamlit_server)
    try:
        yield page
    finally:
        page.close()


@pytest.fixture
def fresh_page(browser_context, fresh_server: str):
    """A new tab on a server nobody has visited yet."""
    page = _new_tab(browser_context, fresh_server)
    try:
        yield page
    finally:
        page.close()
