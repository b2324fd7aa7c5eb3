"""What a rerun costs in-process, no browser: a warm ``at.run()`` of the step page vs the home page.

Streamlit's ``AppTest`` runs the script in this process; the step page runs first, so
TensorFlow is in the process for both pages alike.
"""

from __future__ import annotations

import logging
import time

from serving.page_probe import RENDER_TIMEOUT_MS
from serving.processes import REPO_ROOT


def measure_apptest(runs: int) -> dict[str, list[float]]:
    """Warm ``at.run()`` of the step page and of the home page under AppTest, ms."""
    from streamlit.testing.v1 import AppTest

    out: dict[str, list[float]] = {}
    loggers = [logging.getLogger(n) for n in list(logging.root.manager.loggerDict) if n.startswith("streamlit")]
    for logger in loggers:  # a filter, not a level: Streamlit resets its loggers' levels
        logger.addFilter(_quiet_apptest)
    try:
        _apptest_runs(AppTest, runs, out)
    finally:
        for logger in loggers:
            logger.removeFilter(_quiet_apptest)
    return out


def _quiet_apptest(record: logging.LogRecord) -> bool:
    """Drop the warnings every AppTest run logs outside ``streamlit run``."""
    message = record.getMessage()
    return "missing ScriptRunContext" not in message and "without `streamlit run`" not in message


def _apptest_runs(AppTest, runs: int, out: dict[str, list[float]]) -> None:
    for name, page in (("step", "pages/step_through.py"), ("home", None)):
        at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=RENDER_TIMEOUT_MS / 1000)
        if page:
            at.switch_page(page)
        at.run()  # warm: TensorFlow, the model, caches
        if at.exception:
            raise RuntimeError(f"AppTest {name}: {[e.value for e in at.exception]}")
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - started) * 1000)
        out[name] = times
