"""The Train page under AppTest, and ``serving.training_job`` with real training processes.

The page: it renders in both languages; an uploaded file shows what was read of it; every bad
file gets a clear message and starts nothing; a bad model name is explained; the switch hides it.
The job: a tiny real training runs in its own process from start to a listed model, with its
progress lines; a cancelled one leaves no process, no model and no partial folder; one training
at a time, and a dead process id never counts as running.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from streamlit.testing.v1 import AppTest

from attention_core.data import models_folder
from attention_core.data.pairs import MAX_FILE_BYTES, Pair, read_pairs, summarise, write_pairs
from attention_core.data.toy_data import generate_examples
from serving import training_job
from serving.training_job import TRAINING_ENV
from ui.strings import en, zh

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 60
TRAINING_TIMEOUT_S = 300  # a tiny training: TensorFlow's start, a few dozen steps, the held-out scoring
CJK = re.compile(r"[\u4e00-\u9fff]")


def toy_pairs(tmp_path: Path, n: int = 300, seed: int = 5) -> bytes:
    """``n`` toy English → French pairs with their gold alignments, as a pairs file's bytes."""
    examples = generate_examples(n, seed=seed)
    path = tmp_path / f"toy-{n}-{seed}.tsv"
    write_pairs(path, [Pair(e.en, e.fr, tuple((j, i) for i, j in enumerate(e.align))) for e in examples])
    return path.read_bytes()


def open_page(lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("pages/train.py")
    if lang != "en":
        at.query_params["lang"] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, data: bytes, file_name: str = "pairs.tsv") -> AppTest:
    at.file_uploader[0].set_value((file_name, data, "text/tab-separated-values"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def unescaped(text: str) -> str:
    """A message as it reads on screen: the markdown escapes of ``escape_markdown`` removed."""
    return re.sub(r"\\(.)", r"\1", text)


def errors(at: AppTest) -> list[str]:
    return [unescaped(e.value) for e in at.error]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def start_button(at: AppTest):
    buttons = [b for b in at.button if b.label == en.STRINGS["train.start"]]
    return buttons[0] if buttons else None


def wait_until(predicate, timeout: float = TRAINING_TIMEOUT_S, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not within {timeout} s: {predicate}")


# --- the page


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_renders_in_both_languages(models, lang):
    at = open_page(lang)
    table = {"en": en.STRINGS, "zh": zh.STRINGS}[lang]
    assert at.title[0].value == table["train.title"]
    assert at.file_uploader[0].label == table["train.upload"]
    shown = "\n".join(m.value for m in at.markdown)
    assert table["train.format"].format(mb=20, lines="500,000") in shown
    if lang == "zh":
        assert CJK.search(at.title[0].value)
    assert not at.error and start_button(at) is None  # nothing to train before a file


def test_an_upload_shows_what_was_read_and_offers_the_form(models, tmp_path):
    good = toy_pairs(tmp_path)
    extra = b"\n" + b"no tab on this line\n" + b"go .\tva !\t0-0 7-1\n" + b"go .\tva !\n"
    data = good + extra  # lines 301 (blank), 302 (no tab), 303 (alignment out of range), 304 kept
    at = upload(open_page(), data, "fra-eng.txt")
    expected = summarise(read_pairs(data))
    shown = metrics(at)
    assert shown["Pairs kept"] == f"{expected.pairs:,}" == "301"
    assert shown["Source vocabulary"] == f"{expected.source_words:,}"
    assert shown["Target vocabulary"] == f"{expected.target_words:,}"
    assert shown["Pairs with an alignment"] == "300"
    text = "\n".join(m.value for m in at.markdown)
    assert "- 1 dropped: blank (the first on line 301)" in text
    assert "- 1 dropped: no tab (the first on line 302)" in text
    assert "- 1 dropped: an alignment index outside its sentence (the first on line 303)" in text
    s_min, s_mean, s_max = expected.source_lengths
    assert f"Read 304 lines. Source: {s_min} to {s_max} tokens (mean {s_mean})." in text
    assert at.text_input(key="train_name").value == "fra-eng"  # suggested from the file's name
    assert start_button(at) is not None and not start_button(at).disabled
    assert not at.error


def test_each_file_is_read_once_however_often_the_page_reruns(models, tmp_path, monkeypatch):
    calls = []
    real = training_job.summarise_file
    monkeypatch.setattr(training_job, "summarise_file", lambda data: calls.append(len(data)) or real(data))
    data = toy_pairs(tmp_path, n=40, seed=41)  # bytes no other test uploads: not cached yet
    at = upload(open_page(), data)
    at.run()
    at.text_input(key="train_name").input("another_name").run()
    assert calls == [len(data)]


def test_crlf_and_a_byte_order_mark_read_as_the_same_pairs(models, tmp_path):
    data = toy_pairs(tmp_path, n=60, seed=7)
    plain = metrics(upload(open_page(), data))
    for variant in (data.replace(b"\n", b"\r\n"), b"\xef\xbb\xbf" + data):
        at = upload(open_page(), variant)
        assert metrics(at) == plain and not at.error


def test_mixed_separators_keep_the_tab_lines_and_name_the_others(models):
    data = b"go .\tva !\nhi .,salut !\nrun .\tcours !\nstop .;stop !\n"
    at = upload(open_page(), data)
    assert metrics(at)["Pairs kept"] == "2"
    assert "- 2 dropped: no tab (the first on line 2)" in "\n".join(m.value for m in at.markdown)


BAD_FILES = {
    "not_utf8": (b"caf\xe9\tcoffee\n", "The file is not UTF-8: byte 0xe9 on line 1 is not valid"),
    "empty": (b"", "The file is empty"),
    "blank_only": (b"\n  \n\n", "The file has no text"),
    "one_column": (b"hello\nworld\n", "No line has a tab: each line needs source TAB target."),
    "quoted_csv": (b'"Go.","Va !"\n"Hi.","Salut !"\n', "The lines look separated by commas"),
    "alignment_out_of_range": (b"go .\tva !\t0-0 5-1\n", "No line is a usable pair (1 bad alignment)"),
    "over_the_size_limit": (b"go .\tva !\n" * (MAX_FILE_BYTES // 10 + 1), "the limit is 20,000,000"),
    "a_million_lines": (b"a\tb\n" * 1_000_000, "The file has 1,000,000 lines; the limit is 500,000"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_gets_a_clear_message_and_starts_nothing(models, case):
    data, message = BAD_FILES[case]
    at = upload(open_page(), data, f"{case}.tsv")
    shown = errors(at)
    assert len(shown) == 1 and message in shown[0], shown
    assert shown[0].startswith(en.STRINGS["train.bad_file"].split("{")[0])
    assert not at.metric and start_button(at) is None  # nothing else changed: no summary, no form
    assert training_job.jobs(models) == [] and not (models / training_job.UPLOADS_DIR).exists()


def test_a_bad_file_in_chinese_says_so_in_chinese(models):
    at = upload(open_page("zh"), b"hello\n")
    assert errors(at)[0].startswith("这个文件无法用于训练：")


@pytest.mark.parametrize("name", ["../evil", "my.model", "a/b", "My Model", "a" * 41])
def test_a_bad_model_name_is_explained_and_cannot_start(models, tmp_path, name):
    at = upload(open_page(), toy_pairs(tmp_path, n=30, seed=2))
    at.text_input(key="train_name").input(name).run()
    (shown,) = errors(at)
    assert "cannot name a model" in shown and "no slashes, dots or spaces" in shown
    assert start_button(at).disabled
    with pytest.raises(ValueError, match="no slashes, dots or spaces"):
        training_job.start(b"go .\tva !\n", name, root=models)
    assert training_job.jobs(models) == []


def test_a_reserved_an_empty_and_an_existing_name(models, tmp_path):
    at = upload(open_page(), toy_pairs(tmp_path, n=30, seed=2))
    at.text_input(key="train_name").input("attention").run()
    assert errors(at) == ["“attention” is the name of a shipped model or mode; choose another."]
    at.text_input(key="train_name").input("").run()
    assert errors(at) == ["Give the model a name."] and start_button(at).disabled
    (models / "mine").mkdir(parents=True)
    (models / "mine" / models_folder.COMPLETE_FILE).write_text("{}")
    at.text_input(key="train_name").input("mine").run()
    assert not at.error and "replaces it" in at.warning[0].value and not start_button(at).disabled


def test_a_page_drawn_before_the_switch_went_off_starts_nothing(models, tmp_path, monkeypatch):
    at = upload(open_page(), toy_pairs(tmp_path, n=30, seed=2))
    monkeypatch.setenv(TRAINING_ENV, "off")
    start_button(at).click().run()
    assert training_job.jobs(models) == []
    assert any("Training is switched off" in i.value for i in at.info)


def test_a_model_removed_since_its_training_is_said_to_be_gone(models):
    job = fake_running_job(models, [])
    os.kill(job.pid, 9)
    wait_until(lambda: training_job.status(job).state != "running", timeout=30)
    records = json.loads((models / training_job.JOBS_FILE).read_text())
    records["jobs"][str(job.pid)]["state"] = "finished"  # as if it had published "sleepy", removed since
    (models / training_job.JOBS_FILE).write_text(json.dumps(records))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("pages/train.py")
    at.session_state["train_pid"] = job.pid
    at.run()
    assert not at.exception and "no longer in the models folder" in unescaped(at.info[-1].value)


def menu_pages(at: AppTest) -> list[str]:
    return [link.proto.page for link in at.sidebar.get("page_link")]


@pytest.mark.parametrize("value", ["0", "off", "false", "OFF", " False "])
def test_the_switch_off_hides_the_page_and_explains_a_link_to_it(models, monkeypatch, value):
    monkeypatch.setenv(TRAINING_ENV, value)
    assert not training_job.training_enabled()
    at = open_page()
    assert not at.file_uploader and start_button(at) is None
    (note,) = [i.value for i in at.info]
    assert "Training is switched off on this server" in note and TRAINING_ENV in note
    home = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert "train" not in menu_pages(home)
    assert "what_if" in menu_pages(home)  # the rest of the menu stays


@pytest.mark.parametrize("value", [None, "", "1", "on", "true"])
def test_training_is_on_by_default(models, monkeypatch, value):
    if value is None:
        monkeypatch.delenv(TRAINING_ENV, raising=False)
    else:
        monkeypatch.setenv(TRAINING_ENV, value)
    assert training_job.training_enabled()
    home = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert "train" in menu_pages(home)


# --- the job, with real training processes


def partial_folders(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(models_folder.PARTIAL_PREFIX))


def test_a_tiny_training_runs_to_a_listed_model_with_its_progress(models, tmp_path):
    data = toy_pairs(tmp_path)
    job = training_job.start(data, "tiny", file_name="../my pairs.tsv", epochs=6, root=models)
    assert Path(job.data_file).parent == Path(job.folder) and Path(job.data_file).name == "my_pairs.tsv"
    assert os.getpgid(job.pid) == job.pid  # a process group of its own
    assert training_job.current(models) == job
    with pytest.raises(training_job.JobRunning, match="'tiny'"):
        training_job.start(data, "other", root=models)
    wait_until(lambda: training_job.status(job).state != "running")
    assert training_job.status(job).state == "finished", training_job.log_tail(job)
    rows = training_job.progress(job)
    assert len(rows) >= 2 and [r["step"] for r in rows] == sorted({r["step"] for r in rows})
    assert rows[-1]["step"] == rows[-1]["total"] and {r["total"] for r in rows} == {rows[-1]["total"]}
    assert training_job.eta_seconds(rows) == 0.0
    assert models_folder.own_models() == ["tiny"] and partial_folders(models) == []
    held = models_folder.read_metrics("tiny")["held_out"]["overall"]
    assert held["pairs"] > 0 and {"exact_match", "bleu", "chrf", "alignment", "aer"} <= held.keys()
    assert not Path(job.data_file).exists() and training_job.current(models) is None
    # The session that started it sees how it ended: the figures and the link to the step page.
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("pages/train.py")
    at.session_state["train_pid"] = job.pid
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "“tiny” is trained" in unescaped(at.success[0].value)
    assert {"Exact match", "BLEU", "chrF", "Alignment", "AER"} <= metrics(at).keys()
    (link,) = [link.proto for link in at.main.get("page_link")]
    assert link.page.endswith("step_through") and link.query_string == "model=tiny"


def test_a_cancelled_training_leaves_no_process_no_model_and_no_partial_folder(models, tmp_path):
    job = training_job.start(toy_pairs(tmp_path), "doomed", epochs=200, root=models)
    partial = models / f"{models_folder.PARTIAL_PREFIX}doomed-{job.pid}"
    wait_until(lambda: training_job.progress(job) and partial.is_dir())  # mid-run: steps under way
    assert training_job.status(job).state == "running"
    assert training_job.cancel(job).state == "cancelled"
    assert not psutil.pid_exists(job.pid)
    assert not [p for p in psutil.process_iter() if _group_of(p) == job.pid]
    assert models_folder.own_models() == [] and partial_folders(models) == []
    assert not Path(job.data_file).exists()
    assert training_job.current(models) is None and training_job.find(job.pid, models).state == "cancelled"
    assert training_job.cancel(job).state == "cancelled"  # a second cancel changes nothing


def _group_of(process: psutil.Process) -> int | None:
    try:
        return os.getpgid(process.pid)
    except (ProcessLookupError, PermissionError):
        return None


def test_the_page_starts_a_training_another_session_sees_it_and_cancel_stops_it(models, tmp_path):
    data = toy_pairs(tmp_path, n=200, seed=11)
    starter = upload(open_page(), data, "mine.tsv")
    starter.number_input(key="train_epochs").set_value(100)
    start_button(starter).click().run()
    job = training_job.current(models)
    assert job is not None and job.name == "mine" and job.epochs == 100
    assert starter.session_state["train_pid"] == job.pid
    assert "Training “mine”" in [unescaped(s.value) for s in starter.subheader]
    cancel = [b for b in starter.button if b.label == "Cancel training"]
    assert len(cancel) == 1
    other = upload(open_page(), data, "theirs.tsv")
    assert "A training is running on this server (“mine”)" in unescaped(other.info[0].value)
    assert start_button(other).disabled and not [b for b in other.button if b.label == "Cancel training"]
    cancel[0].click().run()
    starter.run()
    assert "was cancelled" in starter.info[-1].value
    assert training_job.current(models) is None and models_folder.own_models() == []
    assert partial_folders(models) == [] and not psutil.pid_exists(job.pid)


def test_a_failed_training_shows_the_end_of_its_log(models):
    job = training_job.start(b"no tab here\n", "broken", root=models)  # the command line refuses it
    wait_until(lambda: training_job.status(job).state != "running")
    status = training_job.status(job)
    assert status.state == "failed" and "No line has a tab" in status.log_tail[-1]
    assert not any(line.startswith("I0000") for line in status.log_tail)  # TensorFlow's chatter left out
    assert models_folder.own_models() == [] and partial_folders(models) == []


def test_a_dead_or_reused_process_id_is_not_running(models):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    folder = models / training_job.UPLOADS_DIR / "x"
    folder.mkdir(parents=True)
    records = {
        str(pid): {
            "pid": pid, "name": name, "root": str(models), "folder": str(folder), "data_file": str(folder / "p.tsv"),
            "started": time.time(), "created": created, "epochs": None, "held_out": 0.1,
        }
        for pid, name, created in ((dead.pid, "gone", 0.0), (os.getpid(), "reused", 12.0))
    }  # fmt: skip
    (models / training_job.JOBS_FILE).write_text(json.dumps({"jobs": records}))
    assert training_job.current(models) is None
    assert training_job.find(dead.pid, models).state == "failed"
    assert training_job.find(os.getpid(), models).state == "failed"  # this test's own process: not that job


def fake_running_job(root: Path, rows: list[dict]) -> training_job.Job:
    """A registered job whose process is a sleeping Python (no TensorFlow), with these progress lines."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], start_new_session=True)
    folder = root / training_job.UPLOADS_DIR / "sleepy"
    folder.mkdir(parents=True)
    job = training_job.Job(
        process.pid, "sleepy", str(root), str(folder), str(folder / "p.tsv"), time.time(),
        psutil.Process(process.pid).create_time(), None, 0.1,
    )  # fmt: skip
    (folder / training_job.PROGRESS_FILE).write_text("".join(json.dumps(row) + "\n" for row in rows))
    (root / training_job.JOBS_FILE).write_text(json.dumps({"jobs": {str(job.pid): dataclasses.asdict(job)}}))
    return job


def test_a_running_training_shows_its_bar_eta_loss_chart_and_cancel(models):
    rows = [{"step": s, "total": 100, "loss": 4.0 - s / 20, "seconds": 9.0 + s / 10} for s in (10, 20, 30)]
    job = fake_running_job(models, rows)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("pages/train.py")
    at.session_state["train_pid"] = job.pid
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (bar,) = at.get("progress")
    assert bar.proto.value == 30 and bar.proto.text == "Step 30 of 100 · loss 2.500 · about 0:07 left"
    assert len(at.get("vega_lite_chart")) == 1  # the loss so far
    (cancel,) = [b for b in at.button if b.label == "Cancel training"]
    cancel.click().run()
    assert "“sleepy” was cancelled" in unescaped(at.info[-1].value)
    assert not psutil.pid_exists(job.pid) and training_job.current(models) is None


def test_eta_follows_the_pace_after_the_first_progress_line():
    assert training_job.eta_seconds([]) is None
    rows = [
        {"step": 10, "total": 100, "loss": 4.0, "seconds": 9.0},  # tracing the graph: slow
        {"step": 20, "total": 100, "loss": 3.0, "seconds": 10.0},
        {"step": 30, "total": 100, "loss": 2.5, "seconds": 11.0},
    ]
    assert training_job.eta_seconds(rows[:1]) == pytest.approx(0.9 * 90)
    assert training_job.eta_seconds(rows) == pytest.approx(0.1 * 70)
    assert training_job.eta_seconds([{"step": 100, "total": 100, "loss": 1.0, "seconds": 20.0}]) == 0.0


def test_an_upload_is_read_in_a_subprocess_as_it_is_in_process(tmp_path):
    data = toy_pairs(tmp_path, n=50) + b"\nno tab\n"
    assert training_job.summarise_file(data) == summarise(read_pairs(data))
    with pytest.raises(training_job.PairsFileError, match="not UTF-8"):
        training_job.summarise_file(b"\xff\xfe\tx\n")
