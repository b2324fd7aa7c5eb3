"""Training on a shared server, without Streamlit: the on/off decision (the switch, else the address the
server listens on), a session's private models folder and its keys, names that cannot collide, and the
operator's publish command."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from attention_core import publish
from attention_core.data import models_folder
from serving import training_job
from serving.training_job import TRAINING_ENV

A, B = "a" * 32, "0123456789abcdef" * 2  # two sessions' ids


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("::1", True),
        ("[::1]", True),
        (None, False),  # Streamlit's default: unset binds every address
        ("", False),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("10.0.0.1", False),
        ("my-laptop.local", False),  # a host name may resolve to anything
        ("unix:///tmp/app.sock", False),  # a socket a proxy may serve to the world
    ],
)
def test_loopback_alone(address, loopback):
    assert training_job.listens_on_loopback_only(address) is loopback


@pytest.mark.parametrize(
    ("value", "address", "on", "reason"),
    [
        (None, "127.0.0.1", True, "loopback"),
        (None, "localhost", True, "loopback"),
        (None, None, False, "every_address"),
        (None, "0.0.0.0", False, "every_address"),
        (None, "::", False, "every_address"),
        (None, "192.168.1.20", False, "other_address"),
        ("", "127.0.0.1", True, "loopback"),  # set but empty: as unset
        ("on", None, True, "set_on"),
        ("ON", "0.0.0.0", True, "set_on"),
        ("1", "192.168.1.20", True, "set_on"),
        ("true", None, True, "set_on"),
        ("yes", None, True, "set_on"),
        ("off", "127.0.0.1", False, "set_off"),
        (" False ", "localhost", False, "set_off"),
        ("0", None, False, "set_off"),
        ("maybe", "127.0.0.1", False, "set_unknown"),  # not understood: off, even on loopback
    ],
)
def test_the_switch_decides_else_the_address(value, address, on, reason):
    environ = {} if value is None else {TRAINING_ENV: value}
    switch = training_job.training_switch(address, environ)
    assert (switch.on, switch.reason) == (on, reason)
    assert training_job.training_enabled(address, environ) is on


def test_the_switch_reads_the_environment_by_default(monkeypatch):
    monkeypatch.setenv(TRAINING_ENV, "off")
    assert not training_job.training_enabled("127.0.0.1")
    monkeypatch.delenv(TRAINING_ENV)
    assert training_job.training_enabled("127.0.0.1") and not training_job.training_enabled(None)


@pytest.fixture
def root(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "models"
    monkeypatch.setenv(models_folder.MODELS_ENV, str(folder))
    return folder


def fake_model(folder: Path, marker: str) -> Path:
    """A complete model folder as far as listing goes: its config.json (written last), a weights stand-in."""
    folder.mkdir(parents=True)
    (folder / "weights.npz").write_text(marker)
    (folder / models_folder.COMPLETE_FILE).write_text(json.dumps({"marker": marker}))
    return folder


def test_session_ids_are_random_and_checked():
    ids = {models_folder.new_session_id() for _ in range(100)}
    assert len(ids) == 100 and all(models_folder.SESSION_PATTERN.match(i) for i in ids)
    for bad in ("", "abc", "../" + A[3:], A.upper(), A + "0", "g" * 32):
        with pytest.raises(ValueError, match="32 hexadecimal digits"):
            models_folder.check_session_id(bad)


def test_a_private_model_lives_apart_under_its_session_and_is_not_published(root):
    fake_model(models_folder.private_dir(A) / "fra", "a")
    key = models_folder.private_key(A, "fra")
    assert key == f"{A}/fra" and models_folder.split_key(key) == (A, "fra")
    assert models_folder.folder_of(key) == root / ".private" / A / "fra"
    assert models_folder.shown_name(key) == "fra"
    assert models_folder.own_models() == [] and models_folder.folder_models() == ["toy_en_zh"]
    assert models_folder.private_models(A) == [key] and models_folder.private_models(B) == []
    assert models_folder.is_model(key) and not models_folder.is_model(f"{B}/fra")
    assert not models_folder.is_model("fra")  # its plain name is no published model
    assert models_folder.read_config(key) == {"marker": "a"}


@pytest.mark.parametrize("bad", ["tiny/../tiny", f"{A}/../x", f"{A}/", "../x", f"{A[:-1]}/fra", f"{A}/a/b"])
def test_a_key_is_never_a_path(root, bad):
    assert not models_folder.is_model(bad)
    with pytest.raises(ValueError):
        models_folder.folder_of(bad)


def test_the_same_name_in_two_sessions_and_published_are_three_models(root):
    mine = fake_model(models_folder.private_dir(A) / "fra", "a")
    theirs = fake_model(models_folder.private_dir(B) / "fra", "b")
    published = fake_model(root / "fra", "published")
    assert len({mine, theirs, published}) == 3
    keys = models_folder.private_key(A, "fra"), models_folder.private_key(B, "fra"), "fra"
    markers = [models_folder.read_config(key)["marker"] for key in keys]
    assert markers == ["a", "b", "published"]


def test_a_training_job_writes_into_its_session_folder_and_keeps_one_registry(root):
    out = models_folder.private_dir(A)
    job = training_job.Job(1, "fra", str(root), str(root / ".uploads" / "x"), "p.tsv", 0.0, 0.0, None, 0.1)
    private = training_job.replace(job, out=str(out))
    assert job.model_folder == root / "fra" and job.model_key == "fra"
    assert private.model_folder == out / "fra" and private.model_key == f"{A}/fra"
    line = training_job.command(private)
    assert line[line.index("--models-dir") + 1] == str(out)
    assert training_job._root(None) == root  # the jobs file stays in the models folder: one training at a time


def test_publish_copies_a_private_model_for_everyone_and_keeps_the_private_one(root):
    fake_model(models_folder.private_dir(A) / "fra", "a")
    folder = models_folder.publish_copy(models_folder.private_dir(A), "fra")
    assert folder == root / "fra" and models_folder.own_models() == ["fra"]
    assert (folder / "weights.npz").read_text() == "a"
    assert models_folder.private_models(A) == [f"{A}/fra"]  # still the session's own
    assert not [p for p in os.listdir(root) if p.startswith(models_folder.PARTIAL_PREFIX)]


def test_publish_never_replaces_a_published_model_unless_asked(root):
    fake_model(root / "fra", "published")
    fake_model(models_folder.private_dir(A) / "fra", "a")
    with pytest.raises(FileExistsError, match="already published"):
        models_folder.publish_copy(models_folder.private_dir(A), "fra")
    assert (root / "fra" / "weights.npz").read_text() == "published"
    models_folder.publish_copy(models_folder.private_dir(A), "fra", as_name="fra-a")
    assert models_folder.own_models() == ["fra", "fra-a"]
    models_folder.publish_copy(models_folder.private_dir(A), "fra", replace=True)
    assert (root / "fra" / "weights.npz").read_text() == "a"


def test_publish_refuses_what_is_not_a_complete_model(root):
    (models_folder.private_dir(A) / "half").mkdir(parents=True)  # no config.json: a training cut short
    for name in ("half", "none"):
        with pytest.raises(ValueError, match="No complete model"):
            models_folder.publish_copy(models_folder.private_dir(A), name)
    with pytest.raises(ValueError, match="shipped model"):
        models_folder.publish_copy(models_folder.private_dir(A), "half", as_name="toy_en_zh")
    assert models_folder.own_models() == []


def test_the_publish_command_lists_and_publishes(root, capsys):
    fake_model(models_folder.private_dir(A) / "fra", "a")
    fake_model(models_folder.private_dir(B) / "deu", "b")
    publish.main(["--list"])
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in listed] == [[B, "deu"], [A, "fra"]]
    publish.main(["fra", "--from", A])
    assert "published" in capsys.readouterr().out and models_folder.own_models() == ["fra"]
    publish.main(["deu", "--from", str(models_folder.private_dir(B)), "--as", "german"])  # a folder's path too
    assert models_folder.own_models() == ["fra", "german"]
    with pytest.raises(SystemExit, match="already published"):
        publish.main(["fra", "--from", A])
    with pytest.raises(SystemExit, match="32 hexadecimal digits"):
        publish.main(["fra", "--from", "nobody"])


def test_the_publish_command_with_nothing_private(root, capsys):
    publish.main(["--list"])
    assert "no private models" in capsys.readouterr().out
