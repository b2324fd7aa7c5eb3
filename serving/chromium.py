"""Debian's Chromium driven by Playwright, the one way the tests and benchmarks open a browser.

Never ``playwright install``: it downloads a browser, and this machine reaches only the
package registries. The flags keep a headless Chromium from calling home.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

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
VIEWPORT = {"width": 1400, "height": 2200}  # tall: Streamlit scrolls inside its own container
MISSING_CHROMIUM = (
    f"Chromium is missing at {CHROMIUM}: the browser tests need the Debian package "
    "(apt-get install -y chromium fonts-noto-cjk fonts-noto-color-emoji; .ci/run installs them)."
)


@contextlib.contextmanager
def chromium_context(timeout_ms: float = 30_000) -> Iterator:
    """A Playwright browser context in Debian's Chromium with a fresh, throw-away profile."""
    if not CHROMIUM.exists():
        raise FileNotFoundError(MISSING_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="attention-explorer-chromium-") as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=VIEWPORT,
            locale="en-US",
            timezone_id="UTC",
            service_workers="block",
        )
        context.set_default_timeout(timeout_ms)
        try:
            yield context
        finally:
            context.close()
