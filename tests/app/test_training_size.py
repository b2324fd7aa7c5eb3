"""A pairs file too small to learn from is told before training, a model that learned nothing says so
after, and a count of one step reads "1 step" (English) and "1 步" (Chinese)."""

from __future__ import annotations

import math
import re
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from attention_core.data import models_folder
from attention_core.data.pairs import (
    MIN_STEPS,
    MOST_AUTO_EPOCHS,
    RECIPE_BATCH,
    SIGHTINGS_PER_WORD,
    Pair,
    learned_nothing,
    pairs_needed,
    read_pairs,
    summarise,
    write_pairs,
)
from attention_core.data.toy_data import generate_examples
from serving import training_job
from ui.strings import en, zh

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 60
TRAINING_TIMEOUT_S = 300


def toy_pairs(tmp_path: Path, n: int) -> bytes:
    path = tmp_path / f"toy-{n}.tsv"
    write_pairs(path, [Pair(e.en, e.fr) for e in generate_examples(n, seed=5)])
    return path.read_bytes()


def open_page(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("pages/train.py")
    for name, value in params.items():
        at.query_params[name] = value
    return at


def ran(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, data: bytes) -> AppTest:
    at.file_uploader[0].set_value(("pairs.tsv", data, "text/tab-separated-values"))
    return ran(at)


def unescaped(text: str) -> str:
    """A message as it reads on screen: markdown escapes and bold marks removed."""
    return re.sub(r"\\(.)", r"\1", text).replace("**", "")


def wait_until(predicate, timeout: float = TRAINING_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"not within {timeout} s"
        time.sleep(0.5)


def short_pairs(tmp_path, n: int = 80) -> bytes:
    """``n`` toy pairs of at most 10 source tokens: one length bucket, so one pass over the 72 not held
    out is one batch of 64 (the rest of a bucket larger than a batch waits for the next pass)."""
    examples = [e for e in generate_examples(4 * n, seed=5) if len(e.en) <= 10][:n]
    path = tmp_path / f"short-{n}.tsv"
    write_pairs(path, [Pair(e.en, e.fr) for e in examples])
    return path.read_bytes()


def warnings(at: AppTest) -> list[str]:
    return [unescaped(w.value) for w in at.warning]


def test_the_rule_counts_steps_within_the_passes_and_sightings_of_each_word():
    # 10 target words: the steps decide. 400 steps of 64 pairs in 40 passes: 640 training pairs, 10% held out.
    assert pairs_needed(10, 5.0, 0.1) == math.ceil(math.ceil(MIN_STEPS * RECIPE_BATCH / MOST_AUTO_EPOCHS) / 0.9)
    assert pairs_needed(10, 5.0, 0.1, epochs=1) == math.ceil(MIN_STEPS * RECIPE_BATCH / 0.9)  # one pass: 25,600
    # 8,000 target words in 6-token targets: each word seen SIGHTINGS_PER_WORD times a pass decides.
    assert pairs_needed(8_000, 6.0, 0.1) == math.ceil(math.ceil(SIGHTINGS_PER_WORD * 8_000 / 6.0) / 0.9)
    assert pairs_needed(100, 6.0, 0.5) > pairs_needed(100, 6.0, 0.1)  # a larger held-out share needs more


def test_a_model_with_no_held_out_pair_right_learned_nothing():
    assert learned_nothing({"overall": {"pairs": 8, "exact_match": 0.0}})
    assert not learned_nothing({"overall": {"pairs": 8, "exact_match": 0.125}})
    assert not learned_nothing({"overall": {"pairs": 0}})  # nothing held out: nothing to say


def test_one_step_is_singular_in_both_languages():
    assert en.STRINGS["train.steps_one"] == "1 step" and en.STRINGS["train.steps_many"].format(n="2") == "2 steps"
    assert zh.STRINGS["train.steps_one"] == "1 步"


def test_eighty_pairs_are_told_too_few_before_training_with_the_pairs_needed(models, tmp_path):
    data = toy_pairs(tmp_path, n=80)
    summary = summarise(read_pairs(data))
    at = upload(ran(open_page()), data)
    (note,) = warnings(at)
    needed = pairs_needed(summary.target_words, summary.target_lengths[1], 0.1)
    assert note.startswith("80 pairs are too few to learn from.") and f"at least {needed:,} pairs" in note
    at.number_input(key="train_epochs").set_value(1).run()  # one pass: 400 steps need 25,600 training pairs
    (note,) = warnings(at)
    assert f"at least {pairs_needed(summary.target_words, summary.target_lengths[1], 0.1, 1):,} pairs" in note
    assert "28,445" in note


def test_a_file_large_enough_is_not_warned(models, tmp_path):
    data = toy_pairs(tmp_path, n=800)
    summary = summarise(read_pairs(data))
    assert summary.pairs >= pairs_needed(summary.target_words, summary.target_lengths[1], 0.1)
    at = upload(ran(open_page()), data)
    assert warnings(at) == []


def test_eighty_pairs_for_one_epoch_train_one_step_and_say_they_learned_nothing(models, tmp_path):
    """One training; its page read in English and in Chinese."""
    job = training_job.start(short_pairs(tmp_path), "tiny80", epochs=1, root=models)
    wait_until(lambda: training_job.status(job).state != "running")
    assert training_job.status(job).state == "finished", training_job.log_tail(job)
    metrics = models_folder.read_metrics("tiny80")
    assert metrics["steps"] == 1 and metrics["pairs"] == 80 and metrics["pairs_needed"] > 80
    for lang in ("en", "zh"):
        at = open_page(lang=lang)
        at.session_state["train_pid"] = job.pid
        ran(at)
        finished = unescaped(at.success[0].value)
        (note,) = warnings(at)
        if lang == "en":
            assert "(1 step, " in finished and "1 steps" not in finished
            assert note.startswith("“tiny80” learned too little to translate: none of the")
            assert f"It learned from 80 pairs; this training needs at least {metrics['pairs_needed']:,}." in note
        else:
            assert "（1 步，" in finished
            assert "学到的太少" in note and f"{metrics['pairs_needed']:,}" in note
