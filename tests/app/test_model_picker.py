"""The model picker under AppTest: every page runs the chosen model of one's own data, on its own
sentences and words, the link carries it, a bad one falls back, and no cached result crosses models."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from streamlit.testing.v1 import AppTest

from attention_core.data import models_folder
from attention_core.data.pairs import Pair, write_pairs
from attention_core.data.toy_data import generate_examples
from ui.session import registry

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TIMEOUT = 240  # a first model page imports TensorFlow and builds two models
PAGES = registry.PAGE_PATHS  # every page
FRENCH = "`la` `grande` `voiture` `rouge` `voit` `un` `petit` `chien`"  # the shipped model's example, translated


def start_training(root: Path, name: str, aligned: bool, score: str = "additive", baseline: bool = False):
    """The project's training command for ``name`` on 300 toy pairs, started (``finish`` waits for it)."""
    data = root.parent / f"{name}.tsv"
    examples = generate_examples(300, seed=5)
    write_pairs(data, [Pair(e.en, e.fr, tuple((j, i) for i, j in enumerate(e.align)) if aligned else None)
                       for e in examples])  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "attention_core.train", "--data", str(data), "--name", name, "--epochs", "2",
         "--models-dir", str(root), "--score", score, *(["--baseline"] if baseline else [])],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def finish(job) -> None:
    _, stderr = job.communicate(timeout=600)
    assert job.returncode == 0, stderr[-2000:]


@pytest.fixture(scope="session")
def models_root(tmp_path_factory):
    """A models folder with "tiny" (gold alignments), "tiny-plain" (none, and its own baseline without
    attention) and "tiny-dot" (a dot-product score), for every test here."""
    root = tmp_path_factory.mktemp("picker_models")
    jobs = [  # side by side: each spends much of its time importing TensorFlow
        start_training(root, "tiny", aligned=True),
        start_training(root, "tiny-plain", aligned=False, baseline=True),
        start_training(root, "tiny-dot", aligned=True, score="dot"),
    ]
    for job in jobs:
        finish(job)
    return root


@pytest.fixture(autouse=True)
def models_env(models_root, monkeypatch):
    monkeypatch.setenv(models_folder.MODELS_ENV, str(models_root))
    yield models_root
    # The alignment page loads a model's snapshots in the background: done before the folder is unset.
    for thread in threading.enumerate():
        if thread.name == "warm-snapshots":
            thread.join(timeout=300)


def run(page: str = "home", at: AppTest | None = None, **params: str) -> AppTest:
    """Open ``page`` with ``params`` in the link (in ``at``'s session if given); no exception allowed."""
    at = at or AppTest.from_file(APP, default_timeout=TIMEOUT)
    if page != "home":
        at.switch_page(f"pages/{page}.py")
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [h.value for h in at.subheader]
    parts += [x.value for x in (*at.warning, *at.info, *at.success, *at.error)]
    return "\n".join(parts).replace("**", "")


def heldout(name: str = "tiny") -> list[str]:
    return [" ".join(source) for source, _, _ in models_folder.read_tsv_pairs(name, "heldout")]


def vocabulary(name: str, side: str) -> set[str]:
    return set(models_folder.read_vocabulary(name, side))


def token_line(words) -> str:
    return " ".join(f"`{w}`" for w in words)


def output_words(at: AppTest) -> list[str]:
    """The words of the step page's output line (its token line after "Output:")."""
    line = next(m.value for m in at.markdown if "Output:" in m.value or "输出" in m.value)
    return [w.strip("`*") for w in line.split("Output:**")[-1].split() if w.strip("`*")]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_the_chosen_model_on_its_own_sentence(page):
    at = run(page, model="tiny")
    assert at.query_params["model"] == "tiny"  # the link keeps the model
    assert not at.warning or all("makes no sense" not in w.value for w in at.warning)
    if page in ("masking", "pitfalls"):  # their batch: the model's own sentences, not the toy example's
        rows = [row for row in at.session_state["v_batch"].split("\n") if row]
        assert rows and set(rows) <= set(heldout())
    elif page != "home":
        assert at.session_state["v_text"] in heldout()
    shown = texts(at)
    assert FRENCH not in shown
    if page in ("step_through", "why_attention"):  # the sentence as the model read it
        assert token_line(at.session_state["v_text"].split()) in shown


def test_home_lists_the_models_own_words_and_links_its_sentence():
    at = run("home", model="tiny")
    shown = texts(at)
    assert "The words tiny knows" in shown
    words = [w for w in models_folder.read_vocabulary("tiny", "source") if w not in ("<pad>", "<unk>")]
    assert ", ".join(words[:10]) in shown  # most frequent first, from the model's own vocabulary
    queries = [parse_qs(link.proto.query_string) for link in at.main.get("page_link")]  # the menu keeps the session
    assert queries and all(q.get("model") == ["tiny"] for q in queries), queries  # every link carries the model
    texts_linked = [q["text"][0] for q in queries if "text" in q]
    assert texts_linked and set(texts_linked) <= set(heldout())  # the cards open the model's own sentence


def test_the_step_page_shows_the_models_words_and_no_baseline():
    at = run("step_through", model="tiny")
    assert set(output_words(at)) <= vocabulary("tiny", "target")
    assert not [t for t in at.toggle if t.label.startswith("Beside the model without attention")]
    assert "No model without attention was trained beside tiny." in texts(at)
    assert "A sentence of the model's data." in texts(at)  # a held-out sentence: its reference is the data's


def test_a_sentence_outside_the_data_says_so_plainly():
    at = run("step_through", model="tiny", text="dog cat")
    assert any("is not one of the pairs tiny was trained or tested on" in x.value for x in at.info)
    assert not [w for w in at.warning if "toy grammar" in w.value]


def test_unknown_words_are_the_models_own():
    at = run("step_through", model="tiny", text="the zebra sees a dog")
    assert any("Not in the vocabulary of tiny" in w.value and "zebra" in w.value for w in at.warning)


def test_why_attention_and_score_functions_say_there_is_no_baseline():
    why = run("why_attention", model="tiny")
    shown = texts(why)
    assert "has no model without attention beside it" in shown
    assert "Exact match by sentence length" not in shown and "Where the model with attention looks" in shown
    scores = run("score_functions", model="tiny")
    assert "exist for the shipped toy English → French model only" in texts(scores)
    same = run("score_functions", model="tiny", scores="same_states")
    assert same.select_slider and "Only the additive score was trained (Trained: tiny)" in texts(same)


def test_the_lesson_asks_the_model_and_notes_the_missing_baseline():
    at = run("lesson", model="tiny")
    assert "tiny has none" in texts(at)
    alpha = run("lesson", model="tiny", lesson="alpha")
    assert len(alpha.radio[0].options) == len(alpha.session_state["v_text"].split())  # one per word of tiny's sentence


def test_the_alignment_page_replays_the_models_own_snapshots():
    at = run("alignment", model="tiny")
    seen = json.loads((models_folder.folder_of("tiny") / "metrics.json").read_text())["snapshots"]
    assert at.select_slider[0].options == ["untrained", f"after {seen[1]['pairs_seen']:,} sentence pairs", "final"]
    early = run("alignment", model="tiny", snap="0")
    assert early.query_params["snap"] == "0" and not early.exception


def test_the_reference_alignment_only_where_the_data_has_one():
    source, target, _ = models_folder.read_tsv_pairs("tiny", "heldout")[0]
    text, forced = " ".join(source), " ".join(target)
    aligned = run("alignment", model="tiny", text=text, target=forced)
    assert "Reference alignment (from the model's data):" in texts(aligned)
    assert "reference alignment (the model's data)" in aligned.get("vega_lite_chart")[0].proto.spec  # outlined
    plain = run("alignment", model="tiny-plain", text=text, target=forced)
    assert "gives no word alignment" in texts(plain)
    assert "the model's data)" not in plain.get("vega_lite_chart")[0].proto.spec


def test_what_if_swaps_in_the_models_most_frequent_words():
    at = run("what_if", model="tiny", whatif="swap")
    words = [w for w in models_folder.read_vocabulary("tiny", "source") if w not in ("<pad>", "<unk>")]
    offered = at.selectbox[1].options
    assert offered and set(offered) <= set(words[:13])


@pytest.mark.parametrize("bad", ["../x", "nope", "a.b", "tiny/../tiny"])
def test_a_bad_model_falls_back_with_a_notice_and_changes_nothing_else(bad):
    at = run("step_through", model=bad, text="the cat sees a dog", eq="3")
    assert any(f"model={bad.replace('.', chr(92) + '.')}" in w.value for w in at.warning), [w.value for w in at.warning]
    assert "model" not in at.query_params
    assert at.query_params["text"] == "the cat sees a dog" and at.query_params["eq"] == "3"
    assert "`le` `chat` `voit` `un` `chien`" in texts(at)


def test_a_model_deleted_while_chosen_falls_back_with_a_notice(models_root):
    shutil.copytree(models_root / "tiny", models_root / "gone")
    at = run("step_through", model="gone")
    assert at.query_params["model"] == "gone"
    shutil.rmtree(models_root / "gone")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("model=gone" in w.value for w in at.warning)
    assert "model" not in at.query_params


def test_the_picker_lists_every_model_and_choosing_one_runs_it():
    at = run("step_through", text="the cat sees a dog")
    picker = at.sidebar.selectbox[0]
    assert picker.options[0] == "toy English → French" and {"tiny", "tiny-plain"} <= set(picker.options)
    assert "`le` `chat` `voit` `un` `chien`" in texts(at)  # the French model's translation, cached now
    picker.select("tiny")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["model"] == "tiny"
    from attention_core import load_pretrained

    own = load_pretrained("tiny").translate("the cat sees a dog").target_tokens
    assert output_words(at) == own != ["le", "chat", "voit", "un", "chien"]  # never the French model's, cached
    assert set(own) <= vocabulary("tiny", "target")
    at.switch_page("pages/masking.py").run()  # the model travels between pages
    assert at.query_params["model"] == "tiny"


def test_a_link_built_by_the_state_carries_the_model():
    def script():
        import streamlit as st

        from ui.session import state  # AppTest runs this function's source alone

        state.sync(())
        st.code(state.link("step_through", text="a cat"))
        st.code(repr(state.carried()))

    at = AppTest.from_function(script, default_timeout=TIMEOUT)
    at.query_params["model"] = "tiny"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    link, carried = (c.value for c in at.code)
    assert link == "/step_through?model=tiny&text=a+cat"
    assert carried == "{'model': 'tiny'}"


# The views of the additive score's own weights, which a dot-product model does not have.
ADDITIVE_ONLY = {
    ("step_through", ""),
    ("pitfalls", ""),
    ("lesson", "lesson=alpha"),
    ("score_functions", "scores=same_states"),
}


@pytest.mark.parametrize("page, query", [*((page, "") for page in PAGES), ("lesson", "lesson=alpha"),
                                         ("score_functions", "scores=same_states")])  # fmt: skip
def test_a_model_with_another_score_runs_every_page_or_says_why_not(page, query):
    at = run(page, model="tiny-dot", **dict([query.split("=")] if query else []))
    additive_only = "tiny-dot scores with dot, not the additive score" in texts(at).replace("\\", "")
    assert additive_only == ((page, query) in ADDITIVE_ONLY), texts(at)[-400:]


def test_switching_the_language_keeps_the_model():
    at = run("step_through", model="tiny")
    at.sidebar.segmented_control[0].set_value("zh").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["model"] == "tiny" and at.query_params["lang"] == "zh"
    assert at.sidebar.selectbox[0].options[0] == "玩具英语 → 法语"
    assert "tiny" in at.sidebar.selectbox[0].value


def test_a_model_with_its_own_baseline_compares_them_on_every_page_that_does():
    why = run("why_attention", model="tiny-plain")
    shown = texts(why)
    assert "Exact match by sentence length" in shown and "has no model without attention beside it" not in shown
    lesson = run("lesson", model="tiny-plain")
    assert "tiny-plain has none" not in texts(lesson)
    step = run("step_through", model="tiny-plain", baseline="1", eq="7", step="1")
    assert "The same step i = 1 without attention" in texts(step)
    scores = run("score_functions", model="tiny-plain")
    assert "exist for the shipped toy English → French model only" in texts(scores)  # no score siblings
