"""The benchmark tools as a person runs them, ``python -m benchmarks…`` from the repository root, and the
Markdown tables they print: the tests of the tools read the tools' output, never their modules."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from contextlib import suppress
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
STOP_S = 30  # a tool interrupted this long ago has stopped its servers, or never will


def _command(module: str, args: tuple[str, ...]) -> list[str]:
    return [sys.executable, "-m", module, *args]


def run_tool(module: str, *args: str, timeout: float) -> subprocess.CompletedProcess:
    """``python -m module args`` to its end; a failure fails the test with the tool's own error output.

    The tool runs in a session of its own: if it has to be stopped (its ``timeout``, or the test's), the
    servers and the browser it started are stopped with it instead of running on."""
    command = _command(module, args)
    with subprocess.Popen(
        command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    ) as tool:
        try:
            stdout, stderr = tool.communicate(timeout=timeout)
        except BaseException:
            _stop(tool)
            raise
    if tool.returncode != 0:
        raise AssertionError(f"{' '.join(command[1:])} exited with {tool.returncode}:\n{stderr[-4000:]}")
    return subprocess.CompletedProcess(command, tool.returncode, stdout, stderr)


def _stop(tool: subprocess.Popen) -> None:
    """Ctrl-C to the tool's whole session (it then stops what it started), a kill if that is not enough."""
    with suppress(ProcessLookupError):
        os.killpg(tool.pid, signal.SIGINT)
    try:
        tool.communicate(timeout=STOP_S)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(tool.pid, signal.SIGKILL)
        tool.communicate()


def refused(module: str, *args: str, timeout: float = 120) -> str:
    """The error output of ``python -m module args``, which must refuse its arguments (argparse's exit
    status 2) before it starts anything."""
    done = subprocess.run(_command(module, args), cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 2, (done.returncode, done.stdout[-2000:], done.stderr[-2000:])
    return done.stderr


def table(text: str, header: str) -> list[list[str]]:
    """The rows of the Markdown table in ``text`` whose header line starts with ``header``, each a list of
    its cells (the header and the separator line left out)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows
