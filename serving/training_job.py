"""A training of a person's own pairs file, run for the app in a process of its own.

The page never trains in the server: ``start`` saves the uploaded bytes into the models
folder's hidden ``.uploads/`` and runs the same command a person would type,
``python -m attention_core.train --data FILE --name NAME … --progress-file FILE``, in its own
process group with its output in a log file. The server then only reads files:

- ``status(job)``: running, finished, failed (with the log's last lines) or cancelled;
- ``progress(job)``: the JSON lines the training appends every 10 steps (step, total, loss, seconds);
- ``cancel(job)``: the whole process group killed, its hidden ``.partial-NAME-PID`` folder removed.

One training at a time per models folder: the jobs are a small JSON file in it (``JOBS_FILE``),
keyed by process id, so every session of the server, and every server sharing the folder, sees
the same one. A process id counts as running only while that very process lives (its start
time matches), so a dead or reused id never blocks the next training. A job's model is written
where the page asks (``out``: the session's private folder), apart from the folder the jobs are
kept in. A training switched off on a server (``training_switch``: ``TRAINING_ENV``, else the
address the server listens on) cannot be started from its pages at all.

``summarise_file(data)`` reads an upload in a subprocess too (``python -m serving.training_job
summarise``): a 20 MB file costs seconds of the interpreter, which the server's other visitors
would otherwise wait for. Nothing here imports Streamlit or TensorFlow.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import psutil

from attention_core.data import models_folder
from attention_core.data.pairs import MAX_FILE_BYTES, PairsFileError, Summary, read_pairs, summarise

TRAINING_ENV = "ATTENTION_EXPLORER_TRAINING"
""""on" or "off" decides whether visitors may train; unset, the address the server listens on decides."""
SWITCH_ON_VALUES = frozenset({"1", "on", "true", "yes"})
SWITCH_OFF_VALUES = frozenset({"0", "off", "false", "no"})
JOBS_FILE = ".training-jobs.json"  # in the models folder; hidden, so never listed as a model
LOCK_FILE = ".training-jobs.lock"
UPLOADS_DIR = ".uploads"  # one folder per job: the uploaded file, the log, the progress lines
LOG_FILE, PROGRESS_FILE = "train.log", "progress.jsonl"
LOG_TAIL_LINES = 12  # shown when a training fails
KEPT_JOBS = 20  # older jobs are forgotten and their folders removed
CANCEL_WAIT_S = 5.0  # between SIGTERM and SIGKILL
SUMMARISE_TIMEOUT_S = 120.0
TRAINING_NICENESS = 10  # the training yields the cores to the server's visitors
PROJECT_ROOT = Path(__file__).resolve().parent.parent
STATES = ("running", "finished", "failed", "cancelled")
# TensorFlow's start-up chatter (absl INFO lines, the notice before absl logs): it hides why a training failed
_ABSL_NOISE = re.compile(r"^(?:I\d{4} |WARNING: All log messages before absl)")


@dataclass(frozen=True)
class Switch:
    """Whether this server lets its visitors train, and why."""

    on: bool
    reason: str  # "set_on", "set_off", "set_unknown" (TRAINING_ENV), "loopback", "every_address", "other_address"
    address: str  # Streamlit's server.address as read; "" when unset
    value: str  # TRAINING_ENV as read; "" when unset


def listens_on_loopback_only(address: str | None) -> bool:
    """A server bound to ``address`` (Streamlit's ``server.address``) is reachable from this computer alone:
    ``localhost`` or a loopback IP (127.0.0.0/8, ::1). Unset means every address (Streamlit binds 0.0.0.0 or
    ::), and so do 0.0.0.0 and ::; any other host name, address or unix:// socket may be another's way in."""
    host = (address or "").strip()
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def training_switch(address: str | None, environ=None) -> Switch:
    """``$ATTENTION_EXPLORER_TRAINING`` decides when set ("on"/"1"/"true"/"yes", "off"/"0"/"false"/"no"; any
    other value is off); unset, training is on only for a server that listens on loopback alone (a learner's
    own computer), off on every other address, where a visitor's training would take the cores for minutes."""
    value = (os.environ if environ is None else environ).get(TRAINING_ENV, "").strip()
    address = (address or "").strip()
    if value.lower() in SWITCH_ON_VALUES:
        return Switch(True, "set_on", address, value)
    if value.lower() in SWITCH_OFF_VALUES:
        return Switch(False, "set_off", address, value)
    if value:
        return Switch(False, "set_unknown", address, value)
    if listens_on_loopback_only(address):
        return Switch(True, "loopback", address, value)
    every = address in ("", "0.0.0.0", "::", "[::]")
    return Switch(False, "every_address" if every else "other_address", address, value)


def training_enabled(address: str | None, environ=None) -> bool:
    """Whether a server listening on ``address`` lets its visitors train (``training_switch``)."""
    return training_switch(address, environ).on


class JobRunning(RuntimeError):
    """A training is already running in this models folder; one at a time."""

    def __init__(self, job: Job):
        super().__init__(f"A training is already running: {job.name!r} (process {job.pid}). One runs at a time.")
        self.job = job


@dataclass(frozen=True)
class Job:
    pid: int  # of the training process, the leader of its own process group
    name: str  # the model's name (models_folder.check_name)
    root: str  # the models folder
    folder: str  # the job's folder in root/.uploads: the data, the log, the progress lines
    data_file: str
    started: float  # time.time() before the process started
    created: float  # the process's own start time (psutil): another process given the same id is not this job
    epochs: int | None  # None: the training decides by the file's size
    held_out: float
    seed: int = 1
    cancelled: bool = False
    state: str = "running"  # once it ended: "finished", "failed" or "cancelled", settled once
    out: str = ""  # the folder the model is written into (a session's private folder); "": root

    @property
    def log_path(self) -> Path:
        return Path(self.folder) / LOG_FILE

    @property
    def progress_path(self) -> Path:
        return Path(self.folder) / PROGRESS_FILE

    @property
    def models_dir(self) -> Path:
        return Path(self.out or self.root)

    @property
    def model_folder(self) -> Path:
        return self.models_dir / self.name

    @property
    def model_key(self) -> str:
        """The model's key: its name, or ``SESSION/NAME`` when it is written into a session's private folder."""
        return models_folder.private_key(Path(self.out).name, self.name) if self.out else self.name


@dataclass(frozen=True)
class JobStatus:
    state: str  # one of STATES
    log_tail: tuple[str, ...] = ()  # the log's last lines when it failed


# --- the registry: a JSON file in the models folder, changed under a file lock


def _root(root: Path | str | None) -> Path:
    return Path(root) if root is not None else models_folder.models_dir()


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """The registry is read, changed and written by one process at a time (sessions are threads,
    replicas are processes); without fcntl (Windows) the lock is the server's own discipline."""
    root.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not Linux or macOS
        yield
        return
    with (root / LOCK_FILE).open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _read_jobs(root: Path) -> dict[int, Job]:
    try:
        records = json.loads((root / JOBS_FILE).read_text(encoding="utf-8"))["jobs"]
        return {int(pid): Job(**record) for pid, record in records.items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}  # no file yet, or one a crash cut short: no job is known


def _write_jobs(root: Path, jobs: dict[int, Job]) -> None:
    kept = sorted(jobs.values(), key=lambda job: job.started)[-KEPT_JOBS:]
    for job in jobs.values():
        if job not in kept and job.state != "running":
            shutil.rmtree(job.folder, ignore_errors=True)
    text = json.dumps({"jobs": {str(job.pid): asdict(job) for job in kept}}, indent=1)
    temporary = root / f"{JOBS_FILE}.{os.getpid()}.tmp"
    temporary.write_text(text + "\n", encoding="utf-8")
    os.replace(temporary, root / JOBS_FILE)  # a reader sees the old file or the new one, never half


def _alive(job: Job) -> bool:
    """The job's own process is still running (a zombie, or another process with its id, is not)."""
    try:
        process = psutil.Process(job.pid)
        if abs(process.create_time() - job.created) > 1.0:
            return False
        if process.status() != psutil.STATUS_ZOMBIE:
            return True
    except psutil.NoSuchProcess:
        return False
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(job.pid, os.WNOHANG)  # this server started it: collect it, or it stays a zombie
    return False


def _published(job: Job) -> bool:
    """The training wrote its model: a complete folder of its name, written after the job started."""
    try:
        written = (job.model_folder / models_folder.COMPLETE_FILE).stat().st_mtime
    except OSError:
        return False
    return models_folder.is_model_folder(job.model_folder) and written >= job.started


def _clean_up(job: Job) -> None:
    """After a training ends: no hidden half-written model left, the uploaded copy of the file gone.

    A training killed in the middle of ``models_folder.publish`` has moved the older model of its
    name aside: it is put back, so a cancelled retraining never loses the model it would replace.
    """
    root = job.models_dir
    shutil.rmtree(root / f"{models_folder.PARTIAL_PREFIX}{job.name}-{job.pid}", ignore_errors=True)
    older = root / f"{models_folder.PARTIAL_PREFIX}old-{job.name}-{job.pid}"
    if older.is_dir() and not job.model_folder.exists():
        older.rename(job.model_folder)
    shutil.rmtree(older, ignore_errors=True)
    Path(job.data_file).unlink(missing_ok=True)


def _settle(root: Path, job: Job) -> Job:
    """The job as it stands: a job that ended gets its final state once, and is cleaned up."""
    if job.state != "running" or _alive(job):
        return job
    with _locked(root):
        jobs_now = _read_jobs(root)
        job = jobs_now.get(job.pid, job)  # read again under the lock: a cancel may have just marked it
        if job.state != "running":
            return job
        # Published wins over cancelled: a cancel that came a moment too late leaves a complete model.
        state = "finished" if _published(job) else "cancelled" if job.cancelled else "failed"
        _clean_up(job)
        jobs_now[job.pid] = job = replace(job, state=state)
        _write_jobs(root, jobs_now)
    return job


# --- what the page calls


def jobs(root: Path | str | None = None) -> list[Job]:
    """Every job the models folder remembers, oldest first, each with its state settled."""
    root = _root(root)
    return [_settle(root, job) for job in sorted(_read_jobs(root).values(), key=lambda job: job.started)]


def current(root: Path | str | None = None) -> Job | None:
    """The training running in the models folder now, if any."""
    return next((job for job in jobs(root) if job.state == "running"), None)


def find(pid: int, root: Path | str | None = None) -> Job | None:
    """The job of process ``pid``, as it stands now; None when the folder does not know it."""
    root = _root(root)
    job = _read_jobs(root).get(int(pid))
    return _settle(root, job) if job is not None else None


def _safe_file_name(file_name: str) -> str:
    """The upload's name as a file name of ours: letters, digits, '.', '_' and '-' only, never a path."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(str(file_name)).name).strip("._")[:80]
    return stem or "pairs.tsv"


def command(job: Job) -> list[str]:
    """The command line of ``job``: exactly what a person would type to train the same model."""
    line = [sys.executable, "-m", "attention_core.train", "--data", job.data_file, "--name", job.name]
    line += ["--held-out", str(job.held_out), "--seed", str(job.seed), "--models-dir", str(job.models_dir)]
    line += ["--progress-file", str(job.progress_path)]
    return line + (["--epochs", str(job.epochs)] if job.epochs else [])


def start(
    data: bytes,
    name: str,
    *,
    file_name: str = "pairs.tsv",
    epochs: int | None = None,
    held_out: float = 0.1,
    seed: int = 1,
    root: Path | str | None = None,
    out: Path | str | None = None,
) -> Job:
    """Save ``data`` and start training model ``name`` of it in a process of its own, into folder ``out``
    (a session's private folder; by default the models folder ``root`` itself).

    Raises ``ValueError`` for a bad name or settings, ``PairsFileError`` for a file over the size
    limit, ``JobRunning`` when a training is already running in the models folder.
    """
    models_folder.check_name(name)
    if epochs is not None and not 1 <= int(epochs) <= 1_000:
        raise ValueError(f"epochs must be between 1 and 1000, or None for automatic. Received: {epochs!r}")
    if not 0 <= held_out < 1:
        raise ValueError(f"the held-out share must be in [0, 1). Received: {held_out!r}")
    if len(data) > MAX_FILE_BYTES:
        raise PairsFileError(f"The file has {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}.")
    root = _root(root).resolve()
    with _locked(root):
        running = next((job for job in _read_jobs(root).values() if job.state == "running" and _alive(job)), None)
        if running is not None:
            raise JobRunning(running)
        folder = root / UPLOADS_DIR / f"{name}-{time.time_ns()}"
        folder.mkdir(parents=True)
        data_path = folder / _safe_file_name(file_name)
        data_path.write_bytes(data)
        job = Job(0, name, str(root), str(folder), str(data_path), time.time(), 0.0, epochs, held_out, seed)
        job = replace(job, out=str(Path(out).resolve()) if out is not None else "")
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1"}
        with job.log_path.open("wb") as log:
            process = subprocess.Popen(
                command(job),
                cwd=PROJECT_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: cancel kills it and nothing else
            )
        job = replace(job, pid=process.pid, created=_create_time(process.pid))
        with contextlib.suppress(psutil.Error, OSError):
            psutil.Process(process.pid).nice(TRAINING_NICENESS)
        jobs_now = _read_jobs(root)
        jobs_now[job.pid] = job
        _write_jobs(root, jobs_now)
    return job


def _create_time(pid: int) -> float:
    try:
        return psutil.Process(pid).create_time()
    except psutil.NoSuchProcess:
        return 0.0  # it ended at once (it will read as ended: no process has this start time)


def status(job: Job) -> JobStatus:
    """Running, finished, failed (with the log's last lines) or cancelled."""
    settled = find(job.pid, job.root) or job
    tail = log_tail(settled) if settled.state == "failed" else ()
    return JobStatus(settled.state, tail)


def log_tail(job: Job, lines: int = LOG_TAIL_LINES) -> tuple[str, ...]:
    """The log's last lines; a progress bar's carriage returns end lines too."""
    try:
        text = job.log_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ()
    return tuple(line for line in re.split(r"[\r\n]+", text) if line.strip() and not _ABSL_NOISE.match(line))[-lines:]


def progress(job: Job) -> list[dict]:
    """The progress lines written so far: ``{"step", "total", "loss", "seconds"}``, in order."""
    try:
        text = job.progress_path.read_text(encoding="utf-8")
    except OSError:
        return []
    rows = []
    for line in text.splitlines():
        with contextlib.suppress(ValueError):  # the line being written may be cut short
            row = json.loads(line)
            if isinstance(row, dict) and {"step", "total", "loss", "seconds"} <= row.keys():
                rows.append(row)
    return rows


def eta_seconds(rows: list[dict]) -> float | None:
    """Seconds left of the training steps at the pace since the first progress line (the first
    steps also trace the model's graph, so they are left out), or None before there is a pace."""
    if not rows:
        return None
    first, last = rows[0], rows[-1]
    if last["step"] >= last["total"]:
        return 0.0
    if last["step"] > first["step"]:
        pace = (last["seconds"] - first["seconds"]) / (last["step"] - first["step"])
    else:
        pace = last["seconds"] / max(1, last["step"])
    return max(0.0, pace * (last["total"] - last["step"]))


def cancel(job: Job) -> JobStatus:
    """Stop the training: its whole process group killed, no partial model left, nothing listed."""
    root = Path(job.root)
    with _locked(root):
        jobs_now = _read_jobs(root)
        known = jobs_now.get(job.pid)
        if known is not None and known.state == "running" and _alive(known):
            jobs_now[job.pid] = replace(known, cancelled=True)
            _write_jobs(root, jobs_now)
            _kill_group(known)
    return status(job)


def _ended(job: Job) -> bool:
    """The process is no more: collected, when this server is its parent; else gone or a zombie.

    A child of this server counts only once collected: a process whose threads are still exiting
    already shows as a zombie, and still holds its id, until its last thread is gone.
    """
    try:
        return os.waitpid(job.pid, os.WNOHANG)[0] == job.pid
    except ChildProcessError:
        pass  # another process's child, or collected already
    try:
        if psutil.Process(job.pid).status() == psutil.STATUS_ZOMBIE:
            return True  # its own parent collects it
    except psutil.NoSuchProcess:
        pass
    try:
        os.kill(job.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass
    return False


def _kill_group(job: Job) -> None:
    """SIGTERM to the job's process group, SIGKILL to it if the process has not ended after ``CANCEL_WAIT_S``."""
    try:
        if os.getpgid(job.pid) != job.pid:
            return  # not the leader of its own group: not a process this module started
    except ProcessLookupError:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(job.pid, sig)
        deadline = time.monotonic() + CANCEL_WAIT_S
        while not _ended(job) and time.monotonic() < deadline:
            time.sleep(0.05)
        if _ended(job):
            return


# --- reading an upload without the server's interpreter


def summary_from_dict(record: dict) -> Summary:
    tuples = ("source_lengths", "target_lengths")
    return Summary(**{key: tuple(value) if key in tuples else value for key, value in record.items()})


def summarise_file(data: bytes, timeout: float = SUMMARISE_TIMEOUT_S) -> Summary:
    """The ``pairs.summarise`` of an uploaded file, read in a subprocess; ``PairsFileError`` says why not."""
    if not data or len(data) > MAX_FILE_BYTES:
        read_pairs(data)  # raises the same message, without a subprocess
    try:
        done = subprocess.run(
            [sys.executable, "-m", "serving.training_job", "summarise"],
            input=data,
            capture_output=True,
            timeout=timeout,
            cwd=PROJECT_ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PairsFileError(f"Reading the file took over {timeout:.0f} s; try a smaller file.") from None
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        raise PairsFileError("The file could not be read (the reader stopped); try a smaller file.") from None
    if "error" in answer:
        raise PairsFileError(answer["error"])
    return summary_from_dict(answer["summary"])


def _summarise_stdin() -> None:
    try:
        answer = {"summary": asdict(summarise(read_pairs(sys.stdin.buffer.read())))}
    except PairsFileError as error:
        answer = {"error": str(error)}
    sys.stdout.write(json.dumps(answer, ensure_ascii=False))


if __name__ == "__main__":
    if sys.argv[1:] != ["summarise"]:
        raise SystemExit("usage: python -m serving.training_job summarise < pairs.tsv")
    _summarise_stdin()
