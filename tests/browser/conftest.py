"""Browser fixtures: one Streamlit server and one Chromium for the session, a fresh page per test.

The server is ``python -m streamlit run app.py`` on a free local port, started and stopped by
``serving.processes.running_app`` (the benchmarks start it the same way); Chromium is the
Debian package at ``/usr/bin/chromium`` driven by the Playwright sync API (no
``playwright install``, no downloaded browser). Screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from serving.chromium import chromium_context
from serving.processes import running_app
from tests.support.browser import WATCH_PAGE

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
SERVER_START_TIMEOUT_S = 120


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@contextmanager
def run_server(log_path: Path) -> Iterator[str]:
    """Start the app with ``serving.processes.running_app`` (``/_stcore/health`` says "ok"), yield
    its base URL, stop it; a server that does not come up fails the test with its log's tail."""
    started = False
    try:
        with running_app(log_path=log_path, start_timeout=SERVER_START_TIMEOUT_S) as app:
            started = True
            yield app.url
    except (RuntimeError, TimeoutError) as exc:
        if started:
            raise
        pytest.fail(f"streamlit did not start: {exc}")


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
    try:
        with chromium_context() as context:
            context.add_init_script(WATCH_PAGE)  # what tests.support.browser.wait_for_app reads
            yield context
    except FileNotFoundError as missing:
        pytest.fail(str(missing))


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


@contextmanager
def _tab(browser_context, base_url: str):
    page = _new_tab(browser_context, base_url)
    try:
        yield page
    finally:
        page.close()


@pytest.fixture
def app_page(browser_context, streamlit_server: str):
    """A new tab on the shared server."""
    with _tab(browser_context, streamlit_server) as page:
        yield page


@pytest.fixture
def fresh_page(browser_context, fresh_server: str):
    """A new tab on a server nobody has visited yet."""
    with _tab(browser_context, fresh_server) as page:
        yield page
