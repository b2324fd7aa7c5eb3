"""Two visitors of one server, under AppTest, with real trainings started from the Train page: a model one
of them trains is in that session's menu alone, another session's link to it gets a clear message and not
the model, the same name chosen by the other replaces nothing, a published name is refused, and the
operator's publish command puts the model in everyone's menu."""

from __future__ import annotations

import re
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from attention_core import publish
from attention_core.data import models_folder
from attention_core.data.pairs import Pair, write_pairs
from attention_core.data.toy_data import generate_examples
from serving import training_job
from ui.models import catalog
from ui.session import state

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 60
TRAINING_TIMEOUT_S = 400  # TensorFlow's start in the training process, one epoch, the held-out scoring
NAME = "fra"


def pairs_file(tmp_path: Path, seed: int) -> bytes:
    examples = generate_examples(80, seed=seed)
    path = tmp_path / f"pairs-{seed}.tsv"
    write_pairs(path, [Pair(e.en, e.fr, tuple((j, i) for i, j in enumerate(e.align))) for e in examples])
    return path.read_bytes()


def checked(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def visitor(page: str = "train", **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page(f"pages/{page}.py")
    for name, value in params.items():
        at.query_params[name] = value
    return checked(at.run())


def menu(at: AppTest) -> list[str]:
    return list(at.sidebar.selectbox[0].options)


def unescaped(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def start_button(at: AppTest):
    (button,) = [b for b in at.button if b.label == "Start training"]
    return button


def train_in_page(at: AppTest, data: bytes, name: str) -> training_job.Job:
    """Upload ``data``, name the model ``name``, one epoch, Start; the job once it has ended."""
    at.file_uploader[0].set_value(("pairs.tsv", data, "text/tab-separated-values"))
    checked(at.run())
    at.text_input(key="train_name").input(name)
    at.number_input(key="train_epochs").set_value(1)
    checked(at.run())
    start_button(at).click()
    checked(at.run())
    job = training_job.find(at.session_state["train_pid"])
    deadline = time.monotonic() + TRAINING_TIMEOUT_S
    while training_job.status(job).state == "running" and time.monotonic() < deadline:
        time.sleep(1.0)
    assert training_job.status(job).state == "finished", training_job.log_tail(job)
    return job


def test_a_model_trained_in_one_session_is_that_sessions_alone(models, tmp_path):
    alice = visitor()
    alice_session = alice.session_state[catalog.SESSION_KEY]
    job = train_in_page(alice, pairs_file(tmp_path, 3), NAME)
    own = models_folder.private_dir(alice_session) / NAME
    assert job.model_folder == own and (own / models_folder.COMPLETE_FILE).is_file()
    assert models_folder.own_models() == [] and not (models / NAME).exists()  # nothing published
    checked(alice.run())
    assert "“fra” is trained" in unescaped(alice.success[0].value) and "private" in alice.success[0].value
    assert "fra (private)" in menu(alice)
    (link,) = [link.proto for link in alice.main.get("page_link")]
    assert link.query_string == f"model={NAME}"  # the link names the model, never the session's id

    # Alice's own link to it opens it in her session, and writes only its name.
    alice.query_params["model"] = NAME
    alice.switch_page("pages/home.py")
    checked(alice.run())
    assert state.PARAMS["model"].dump(alice.session_state["v_model"]) == NAME
    assert alice.session_state["v_model"] == f"{alice_session}/{NAME}" and alice.query_params["model"] == NAME
    assert not alice.warning

    # Bob: not in his menu; Alice's link gets a clear message and the shipped model, not hers.
    bob = visitor()
    assert bob.session_state[catalog.SESSION_KEY] != alice_session
    assert not [label for label in menu(bob) if NAME in label]
    bob_link = visitor("home", model=NAME)
    (warning,) = [unescaped(w.value) for w in bob_link.warning]
    assert f"model={NAME} is no model you can open here" in warning and "private to the browser session" in warning
    assert "model" not in bob_link.query_params and bob_link.session_state["v_model"] == catalog.SHIPPED
    crafted = visitor("home", model=f"{alice_session}/{NAME}")  # even with her session's id
    assert crafted.warning and crafted.session_state["v_model"] == catalog.SHIPPED

    # Bob trains under the same name: his own folder, hers untouched.
    before = {p.name: p.read_bytes() for p in own.iterdir() if p.is_file()}
    written = (own / models_folder.COMPLETE_FILE).stat().st_mtime_ns
    bob.file_uploader[0].set_value(("pairs.tsv", pairs_file(tmp_path, 4), "text/tab-separated-values"))
    checked(bob.run())
    bob.text_input(key="train_name").input(NAME)
    checked(bob.run())
    assert not bob.error and not [w for w in bob.warning if "replaces it" in w.value]  # not his: nothing replaced
    bob_job = train_in_page(bob, pairs_file(tmp_path, 4), NAME)
    bob_session = bob.session_state[catalog.SESSION_KEY]
    assert bob_job.model_folder == models_folder.private_dir(bob_session) / NAME != own
    assert (own / models_folder.COMPLETE_FILE).stat().st_mtime_ns == written
    assert {p.name: p.read_bytes() for p in own.iterdir() if p.is_file()} == before
    assert models_folder.private_models(alice_session) == [f"{alice_session}/{NAME}"]
    assert models_folder.private_models(bob_session) == [f"{bob_session}/{NAME}"]
    checked(bob.run())
    checked(alice.run())
    assert [label for label in menu(bob) if NAME in label] == ["fra (private)"]
    assert [label for label in menu(alice) if NAME in label] == ["fra (private)"]
    assert alice.session_state["v_model"] == f"{alice_session}/{NAME}"  # still hers

    # The operator publishes Alice's: everyone's menu lists it; a new visitor may not take its name.
    publish.main([NAME, "--from", alice_session])
    assert models_folder.own_models() == [NAME]
    carol = visitor()
    assert [label for label in menu(carol) if NAME in label] == [NAME]
    carol.file_uploader[0].set_value(("pairs.tsv", pairs_file(tmp_path, 5), "text/tab-separated-values"))
    checked(carol.run())
    carol.text_input(key="train_name").input(NAME)
    checked(carol.run())
    assert "is the name of a model published on this server" in unescaped(carol.error[0].value)
    assert start_button(carol).disabled
    assert (models / NAME / "weights.npz").read_bytes() == before["weights.npz"]
