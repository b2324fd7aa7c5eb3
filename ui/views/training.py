"""The Train page's views: an upload and what was read of it, the training's settings, its
progress while it runs, and its held-out figures when it ends.

The training runs in a process of its own (``serving.training_job``); these views only
start it and read its files, so a visitor's training never holds up anyone's page. An upload is
read once per file: its summary is cached by the SHA-256 of its bytes, and the reading itself
runs in a subprocess too.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass

import altair as alt
import pandas as pd
import streamlit as st

from attention_core.data import models_folder, pairs
from attention_core.data.pairs import (
    DEFAULT_MAX_PAIR_TOKENS,
    DROP_REASONS,
    MAX_FILE_BYTES,
    MAX_LINES,
    PairsFileError,
    Summary,
)
from serving import training_job
from ui.session import state
from ui.strings import escape_markdown, t

UPLOAD_MB = MAX_FILE_BYTES // 1_000_000  # 20; .streamlit/config.toml's server.maxUploadSize says the same
REFRESH_SECONDS = 1.0  # a running training's progress is read again this often (only its panel reruns)
MAX_EPOCHS = 100  # asked for by hand; the automatic choice stays within 3..40 (attention_core.training.pairs_training)
HELD_OUT_PERCENT = (5, 50, 10)  # lowest, highest, default share of held-out source sentences
OWN_JOB = "train_pid"  # session: the process id of the training this session started
NAME_KEY, NAMED_FOR = "train_name", "train_name_for"  # the name field, and the file its suggestion came from
EPOCHS_KEY, HELD_KEY = "train_epochs", "train_held"
START_REFUSED = "train_refused"  # session: why Start's callback could not start ("busy", "off", or a message)


@dataclass(frozen=True)
class Upload:
    data: bytes
    file_name: str
    digest: str  # SHA-256 of the bytes: the cache key of what was read


@dataclass(frozen=True)
class Choices:
    name: str
    epochs: int | None  # None: by the file's size
    held_out: float


def switched_on() -> bool:
    return training_job.training_enabled()


def switched_off_note() -> None:
    st.info(t("train.off", env=training_job.TRAINING_ENV), icon=":material/block:")


@st.cache_data(max_entries=4, show_spinner=False)
def _read(digest: str, _data: bytes) -> tuple[Summary | None, str]:
    """What was read of a file, or why nothing could be: keyed by ``digest`` alone (the underscore
    keeps Streamlit from hashing 20 MB again), so each file is read once however often the page reruns."""
    try:
        return training_job.summarise_file(_data), ""
    except PairsFileError as error:
        return None, str(error)


def upload() -> Upload | None:
    """The file uploader with the format and the limit; the file's bytes once one is chosen."""
    st.markdown(t("train.format", mb=UPLOAD_MB, lines=f"{MAX_LINES:,}"))
    file = st.file_uploader(
        t("train.upload"), help=t("train.upload_help", mb=UPLOAD_MB), max_upload_size=UPLOAD_MB, key="train_file"
    )
    if file is None:
        return None
    data = file.getvalue()
    return Upload(data, file.name, hashlib.sha256(data).hexdigest())


def checked(upload: Upload) -> Summary | None:
    """The file's summary, or its error in a box and None: a bad file changes nothing else."""
    with st.spinner(t("train.reading")):
        summary, error = _read(upload.digest, upload.data)
    if summary is None:
        st.error(t("train.bad_file", message=escape_markdown(error)), icon=":material/error:")
    return summary


def summary_view(summary: Summary) -> None:
    """Pairs kept, lines dropped by reason with the first line number, lengths, vocabularies, alignments."""
    st.subheader(t("train.summary"))
    kept, source, target, aligned = st.columns(4)
    kept.metric(t("train.kept"), f"{summary.pairs:,}", help=t("train.kept_help", lines=f"{summary.lines:,}"))
    source.metric(t("train.source_words"), f"{summary.source_words:,}", help=t("train.words_help"))
    target.metric(t("train.target_words"), f"{summary.target_words:,}", help=t("train.words_help"))
    aligned.metric(t("train.aligned"), f"{summary.aligned_pairs:,}", help=t("train.aligned_help"))
    (s_min, s_mean, s_max), (t_min, t_mean, t_max) = summary.source_lengths, summary.target_lengths
    st.markdown(
        t("train.lengths", lines=f"{summary.lines:,}", s_min=s_min, s_mean=s_mean, s_max=s_max)
        + " "
        + t("train.target_lengths", t_min=t_min, t_mean=t_mean, t_max=t_max)
    )
    dropped = [reason for reason in DROP_REASONS if summary.dropped.get(reason)]
    if not dropped:
        st.caption(t("train.none_dropped"))
        return
    lines = [
        "- "
        + t(
            "train.dropped",
            n=f"{summary.dropped[reason]:,}",
            reason=t(f"train.drop.{reason}", max=DEFAULT_MAX_PAIR_TOKENS),
            line=f"{summary.first_dropped[reason]:,}",
        )
        for reason in dropped
    ]
    st.markdown("\n".join(lines))


def suggested_name(file_name: str) -> str:
    """A model name from the file's name (``fra-eng.txt`` → ``fra-eng``): a start the person can change."""
    stem = re.sub(r"[^a-z0-9_-]+", "_", file_name.rsplit(".", 1)[0].lower()).strip("_-")[:40]
    try:
        return models_folder.check_name(stem)
    except ValueError:
        return models_folder.check_name(f"my_{stem}"[:40]) if stem else "my_pairs"


def name_problem(name: str) -> str | None:
    """What is wrong with ``name`` as a model's name, in the interface's language; None if nothing."""
    try:
        models_folder.check_name(name)
        return None
    except ValueError:
        if not name:
            return t("train.name_empty")
        shown = escape_markdown(name[:80])
        return t("train.name_reserved" if models_folder.NAME_PATTERN.match(name) else "train.name_bad", name=shown)


def _name_field(upload: Upload) -> tuple[str, str | None]:
    if st.session_state.get(NAMED_FOR) != upload.digest:  # a new file: a new suggestion
        st.session_state[NAME_KEY] = suggested_name(upload.file_name)
        st.session_state[NAMED_FOR] = upload.digest
    name = st.text_input(t("train.name"), key=NAME_KEY, help=t("train.name_help")).strip()
    problem = name_problem(name)
    if problem:
        st.error(problem, icon=":material/error:")
    elif name in models_folder.own_models():
        st.warning(t("train.name_exists", name=escape_markdown(name)), icon=":material/warning:")
    return name, problem


def training_form(upload: Upload, busy: bool, summary: Summary | None = None) -> None:
    """Name, epochs (auto by default) and held-out share, whether ``summary``'s file is too small for
    them, and Start (disabled while a training runs)."""
    st.subheader(t("train.settings"))
    _, problem = _name_field(upload)
    epochs_col, held_col = st.columns(2)
    epochs_col.number_input(
        t("train.epochs"), min_value=1, max_value=MAX_EPOCHS, value=None, step=1,
        placeholder=t("train.epochs_auto"), help=t("train.epochs_help"), key=EPOCHS_KEY,
    )  # fmt: skip
    low, high, default = HELD_OUT_PERCENT
    held_col.slider(
        t("train.held_out"), low, high, default, step=5, format="%d%%", help=t("train.held_out_help"), key=HELD_KEY
    )
    if summary is not None:
        too_few_note(summary)
    st.button(
        t("train.start"),
        type="primary",
        icon=":material/play_arrow:",
        disabled=busy or problem is not None,
        on_click=_start,
        args=(upload,),
    )
    refused = st.session_state.pop(START_REFUSED, None)
    if refused == "busy":
        st.warning(t("train.busy_now"), icon=":material/hourglass_top:")
    elif refused == "off":
        switched_off_note()
    elif refused:
        st.error(t("train.start_failed", message=escape_markdown(refused)), icon=":material/error:")


def step_count(n: int) -> str:
    """``1 step``, ``1,200 steps``: the count in words of the interface's language."""
    return t("train.steps_one") if n == 1 else t("train.steps_many", n=f"{n:,}")


def too_few_note(summary: Summary) -> None:
    """Before Start: a file too small for the recipe to learn from, and how many pairs it would need
    (``pairs.pairs_needed``) for the epochs and held-out share chosen now."""
    chosen = choices()
    words = summary.target_words
    needed = pairs.pairs_needed(words, summary.target_lengths[1], chosen.held_out, chosen.epochs)
    if summary.pairs >= needed:
        return
    passes = chosen.epochs or pairs.MOST_AUTO_EPOCHS
    note = t(
        "train.too_few",
        pairs=f"{summary.pairs:,}",
        needed=f"{needed:,}",
        words=f"{words:,}",
        steps=f"{pairs.MIN_STEPS:,}",
        batch=pairs.RECIPE_BATCH,
        passes=passes,
        sightings=pairs.SIGHTINGS_PER_WORD,
    )
    st.warning(note, icon=":material/warning:")


def choices() -> Choices:
    """What the form holds now."""
    epochs = st.session_state.get(EPOCHS_KEY)
    held_out = st.session_state.get(HELD_KEY, HELD_OUT_PERCENT[2])
    return Choices(st.session_state.get(NAME_KEY, "").strip(), int(epochs) if epochs else None, held_out / 100)


def _start(upload: Upload) -> None:
    """Start's callback, before the page reruns (so the rerun already shows the training): the
    training in its own process, followed by this session from now on; or why it could not start."""
    chosen = choices()
    if not switched_on():  # a page drawn before the server was switched off starts nothing either
        st.session_state[START_REFUSED] = "off"
        return
    try:
        job = training_job.start(
            upload.data, chosen.name, file_name=upload.file_name, epochs=chosen.epochs, held_out=chosen.held_out
        )
    except training_job.JobRunning:
        st.session_state[START_REFUSED] = "busy"
        return
    except ValueError as error:  # PairsFileError included
        st.session_state[START_REFUSED] = str(error)
        return
    st.session_state[OWN_JOB] = job.pid


def current_job() -> training_job.Job | None:
    """The training running on this server now, whoever started it."""
    return training_job.current()


def own_job() -> training_job.Job | None:
    """The training this session started, as it stands now."""
    pid = st.session_state.get(OWN_JOB)
    return training_job.find(pid) if pid is not None else None


def busy_note(running: training_job.Job | None, mine: training_job.Job | None) -> None:
    """Someone else's training: say so (one at a time), before the form whose Start it disables."""
    if running is not None and (mine is None or mine.pid != running.pid):
        st.info(t("train.busy", name=escape_markdown(running.name)), icon=":material/hourglass_top:")


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "…"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


def _progress_bar(job: training_job.Job, rows: list[dict]) -> None:
    if not rows:
        st.progress(0.0, text=t("train.starting", seconds=round(time.time() - job.started)))
        return
    last = rows[-1]
    if last["step"] >= last["total"]:
        st.progress(1.0, text=t("train.evaluating", total=step_count(last["total"])))
        return
    text = t(
        "train.progress",
        step=f"{last['step']:,}",
        total=f"{last['total']:,}",
        loss=f"{last['loss']:.3f}",
        eta=_clock(training_job.eta_seconds(rows)),
    )
    st.progress(last["step"] / last["total"], text=text)


def loss_chart(rows: list[dict]) -> None:
    """The loss at each progress line, as a line: it should fall."""
    step, loss = t("train.axis.step"), t("train.axis.loss")
    frame = pd.DataFrame({step: [row["step"] for row in rows], loss: [row["loss"] for row in rows]})
    chart = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(x=alt.X(f"{step}:Q", title=step), y=alt.Y(f"{loss}:Q", title=loss, scale=alt.Scale(zero=False)))
        .properties(height=220)
    )
    st.altair_chart(chart, width="stretch", alt=t("train.chart_alt"))


def _cancel(job: training_job.Job) -> None:
    training_job.cancel(job)


@st.fragment(run_every=REFRESH_SECONDS)
def running_panel(pid: int, root: str, mine: bool) -> None:
    """The running training's bar, loss and (for the session that started it) Cancel; only this
    panel reruns while it runs, and the whole page once it ends, to show how it ended."""
    job = training_job.find(pid, root)
    if job is None or job.state != "running":
        st.rerun()
    st.subheader(t("train.running", name=escape_markdown(job.name)))
    rows = training_job.progress(job)
    _progress_bar(job, rows)
    if rows:
        loss_chart(rows)
    if mine:
        st.button(t("train.cancel"), icon=":material/stop:", on_click=_cancel, args=(job,), key="train_cancel")


def outcome(job: training_job.Job) -> None:
    """How this session's training ended: its figures and a link, its log's end, or that it was cancelled."""
    status = training_job.status(job)
    name = escape_markdown(job.name)
    if status.state == "finished":
        finished_view(job)
    elif status.state == "failed":
        st.error(t("train.failed", name=name), icon=":material/error:")
        st.code("\n".join(status.log_tail), language=None, wrap_lines=True)
    elif status.state == "cancelled":
        st.info(t("train.cancelled", name=name), icon=":material/stop_circle:")


HELD_OUT_FIGURES = (  # metrics.json key, label key, how it is printed
    ("exact_match", "train.metric.exact", "{:.1%}"),
    ("bleu", "train.metric.bleu", "{:.1f}"),
    ("chrf", "train.metric.chrf", "{:.1f}"),
    ("alignment", "train.metric.alignment", "{:.1%}"),
    ("aer", "train.metric.aer", "{:.3f}"),
)


def _figures(row: dict) -> dict[str, str]:
    """Label → printed value of the held-out figures ``row`` has (alignment and AER need gold links)."""
    return {t(label): shown.format(row[key]) for key, label, shown in HELD_OUT_FIGURES if row.get(key) is not None}


def learned_nothing_note(name: str, metrics: dict) -> None:
    """After training: a model with no held-out pair right says so, and how many pairs it would need."""
    held = metrics.get("held_out", {})
    if not pairs.learned_nothing(held):
        return
    empty = bool(held.get("outputs")) and not any(held["outputs"])
    note = t(
        "train.learned_nothing",
        name=name,
        held=f"{held['overall']['pairs']:,}",
        empty=t("train.writes_nothing") if empty else "",
        pairs=f"{metrics.get('pairs', 0):,}",
        needed=f"{metrics.get('pairs_needed', 0):,}",
    )
    st.warning(note, icon=":material/warning:")


def finished_view(job: training_job.Job) -> None:
    name = escape_markdown(job.name)
    try:
        wall = (job.model_folder / models_folder.COMPLETE_FILE).stat().st_mtime - job.started
    except OSError:  # removed from the models folder since
        st.info(t("train.model_gone", name=name), icon=":material/folder_off:")
        return
    metrics = models_folder.read_metrics(job.name)
    held = metrics.get("held_out", {})
    overall = held.get("overall", {})
    st.success(t("train.finished", name=name, wall=round(wall), steps=step_count(metrics.get("steps", 0))))
    learned_nothing_note(name, metrics)
    st.subheader(t("train.held_out_title", pairs=f"{overall.get('pairs', 0):,}"))
    figures = _figures(overall)
    for column, (label, value) in zip(st.columns(max(1, len(figures))), figures.items()):
        column.metric(label, value)
    by_length = [{t("train.col.bucket"): bucket, t("train.col.pairs"): row.get("pairs", 0), **_figures(row)}
                 for bucket, row in held.get("by_bucket", {}).items() if row.get("pairs")]  # fmt: skip
    if by_length:
        st.caption(t("train.by_length"))
        st.dataframe(pd.DataFrame(by_length), hide_index=True, width="stretch")
    st.page_link(
        "pages/step_through.py",
        label=t("train.open_step", name=name),
        icon=":material/stairs:",
        query_params={"model": job.name, **state.carried()},
    )
