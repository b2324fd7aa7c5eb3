"""A model of one's own pairs, end to end: a generated file trains in seconds, loads by name, translates."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from attention_core.data import models_folder
from attention_core.data.pairs import Pair, format_pharaoh, read_pairs, write_pairs
from attention_core.data.toy_data import generate_examples
from attention_core.evaluation.pairs_metrics import bleu, chrf, score_translator

ROOT = Path(__file__).resolve().parents[2]


def toy_pairs(n: int, seed: int, aligned: bool = True) -> list[Pair]:
    return [
        Pair(ex.en, ex.fr, tuple((j, i) for i, j in enumerate(ex.align)) if aligned else None)
        for ex in generate_examples(n, seed=seed)
    ]


def pairs_file(path: Path, aligned: bool) -> Path:
    """Toy pairs as a person's file: an attribution column on every line, and four bad lines."""
    lines = []
    for k, pair in enumerate(toy_pairs(240, seed=5, aligned=aligned)):
        columns = [" ".join(pair.source), " ".join(pair.target), f"CC-BY 2.0 (France) #{k}"]
        if aligned:
            columns.append(format_pharaoh(pair.links))
        lines.append("\t".join(columns))
    lines += ["", "no tab at all", "the cat\tle chat\t0-0 1-9", " ".join(["x"] * 80) + "\ty"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def models_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("models")
    for name, aligned in (("tiny", True), ("tiny-plain", False)):
        data = pairs_file(root.parent / f"{name}.tsv", aligned)
        run = subprocess.run(
            [sys.executable, "-m", "attention_core.train", "--data", str(data), "--name", name, "--epochs", "2",
             "--models-dir", str(root), "--progress-file", str(root.parent / f"{name}.jsonl")],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr[-2000:]
        assert "240 pairs kept of 244 lines" in run.stdout
        assert "dropped 1 (no tab), the first on line 242" in run.stdout
        assert "dropped 1 (too long)" in run.stdout
        assert "dropped 1 (bad alignment)" in run.stdout  # a Pharaoh column out of range, in either file
    return root


def test_the_command_writes_a_complete_model_folder(models_root):
    folder = models_root / "tiny"
    for name in ("config.json", "weights.npz", "source_vocab.json", "target_vocab.json", "train.tsv", "heldout.tsv"):
        assert (folder / name).is_file(), name
    snapshots = sorted((folder / "snapshots").glob("step_*.npz"))
    assert snapshots[0].name == "step_00000.npz" and len(snapshots) >= 3
    config = json.loads((folder / "config.json").read_text())
    assert config["has_alignment"] and config["train_pairs"] + config["held_out_pairs"] == 240
    assert not [p for p in models_root.iterdir() if p.name.startswith(".")]  # nothing half-written left


def test_progress_file_counts_every_step_to_the_total(models_root):
    rows = [json.loads(line) for line in (models_root.parent / "tiny.jsonl").read_text().splitlines()]
    assert rows[-1]["step"] == rows[-1]["total"] > 0
    assert all(np.isfinite(r["loss"]) for r in rows)


def test_held_out_metrics_have_bleu_chrf_and_alignment_only_with_gold(models_root):
    aligned = json.loads((models_root / "tiny" / "metrics.json").read_text())["held_out"]["overall"]
    plain = json.loads((models_root / "tiny-plain" / "metrics.json").read_text())["held_out"]["overall"]
    for figures in (aligned, plain):
        assert figures["pairs"] > 0
        assert 0 <= figures["exact_match"] <= 1 and 0 <= figures["bleu"] <= 100 and 0 <= figures["chrf"] <= 100
    assert 0 <= aligned["alignment"] <= 1 and 0 <= aligned["aer"] <= 1
    assert "alignment" not in plain and "aer" not in plain


def test_a_model_loads_by_name_translates_and_is_listed(models_root, monkeypatch):
    from attention_core import load_pretrained

    monkeypatch.setenv(models_folder.MODELS_ENV, str(models_root))
    assert {"tiny", "tiny-plain"} <= set(models_folder.folder_models())
    translator = load_pretrained("tiny")
    result = translator.translate("The cat sees a dog.")
    assert result.source_tokens == ["the", "cat", "sees", "a", "dog", "."]  # the pairs rule: "." is a token
    assert result.unknown_source == [5]  # the toy file has no punctuation
    assert result.alpha.shape == (len(result.target_tokens), 6)
    np.testing.assert_allclose(result.alpha.sum(axis=1), 1.0, atol=1e-5)
    assert set(result.target_tokens) <= set(translator.target.tokens)


def test_the_figures_agree_with_a_recomputation(models_root, monkeypatch):
    from attention_core import load_pretrained

    monkeypatch.setenv(models_folder.MODELS_ENV, str(models_root))
    held = models_folder.read_held_out_pairs("tiny")
    assert held and all(p.links is not None for p in held)  # the tiny data has gold alignments
    again = score_translator(load_pretrained("tiny"), held)["overall"]
    stored = models_folder.read_metrics("tiny")["held_out"]["overall"]
    assert again["pairs"] == stored["pairs"]
    for key in ("exact_match", "bleu", "chrf", "alignment", "aer"):
        assert again[key] == pytest.approx(stored[key], abs=1e-6), key


@pytest.mark.parametrize("name", ["../escape", "a.b", "x/y", "attention"])
def test_a_name_that_is_a_path_trains_nothing(tmp_path, name):
    data = tmp_path / "p.tsv"
    write_pairs(data, toy_pairs(20, seed=1))
    from attention_core.train import main

    with pytest.raises(SystemExit, match="model name|shipped model"):
        main(["--data", str(data), "--name", name, "--models-dir", str(tmp_path / "models"), "--epochs", "1"])
    assert not (tmp_path / "models").exists() or not list((tmp_path / "models").iterdir())


def test_a_failed_training_leaves_no_model_listed(tmp_path, monkeypatch):
    from attention_core.training import pairs_training

    def fail(*args, **kwargs):
        raise RuntimeError("stopped")

    monkeypatch.setattr(pairs_training, "fit", fail)
    data = read_pairs("\n".join(f"a{k} b\tc{k} d" for k in range(30)))
    with pytest.raises(RuntimeError):
        pairs_training.train_on_pairs(data, pairs_training.PairsConfig(name="broken", epochs=1), tmp_path, False)
    monkeypatch.setenv(models_folder.MODELS_ENV, str(tmp_path))
    assert models_folder.own_models() == []


def test_bleu_and_chrf_on_hand_cases():
    assert bleu(["le chat voit un chien"], ["le chat voit un chien"]) == pytest.approx(100.0)
    assert bleu(["a b c d"], ["e f g h"]) == pytest.approx(0.0)
    # 4-gram BLEU of a 4-token hypothesis with 3 of 4 unigrams, 2 of 3 bigrams, 1 of 2 trigrams, 0 of 1 4-grams:
    # sacrebleu smooths the zero count ("exp"), so the score is small but positive
    assert 0 < bleu(["le chat voit chien"], ["le chat voit un chien"]) < 60
    assert chrf(["le chat"], ["le chat"]) == pytest.approx(100.0)
    assert chrf(["le chien"], ["le chat"]) < chrf(["le chats"], ["le chat"]) < 100


def test_epochs_follow_the_size_of_the_file():
    from attention_core.training.pairs_training import MAX_EPOCHS, MIN_EPOCHS, PAIRS_PRESENTED, PairsConfig

    config = PairsConfig(name="x")
    assert config.epochs_for(27_000) == 17 == -(-PAIRS_PRESENTED // 27_000)
    assert config.epochs_for(10) == MAX_EPOCHS and config.epochs_for(10**7) == MIN_EPOCHS
    assert PairsConfig(name="x", epochs=2).epochs_for(10) == 2


def test_stored_outputs_are_what_the_model_says_one_sentence_at_a_time(models_root, monkeypatch):
    from attention_core import load_pretrained

    monkeypatch.setenv(models_folder.MODELS_ENV, str(models_root))
    translator = load_pretrained("tiny")
    held = models_folder.read_tsv_pairs("tiny", "heldout")
    outputs = models_folder.read_metrics("tiny")["held_out"]["outputs"]
    assert len(outputs) == len(held)
    for (source, _, _), stored in list(zip(held, outputs))[:8]:
        assert " ".join(translator.translate(" ".join(source)).target_tokens) == stored


def test_a_baseline_without_attention_trains_beside_the_model(tmp_path, monkeypatch):
    """--baseline: the same split, vocabularies and steps; the decoder reads only ←h_1; no α."""
    from attention_core.decoding.translator import load_folder_baseline
    from attention_core.train import main

    data = tmp_path / "pairs.tsv"
    write_pairs(data, toy_pairs(120, seed=2))
    main(["--data", str(data), "--name", "with-base", "--epochs", "1", "--models-dir", str(tmp_path), "--baseline"])
    monkeypatch.setenv(models_folder.MODELS_ENV, str(tmp_path))
    assert models_folder.has_baseline("with-base")
    baseline = models_folder.read_baseline_metrics("with-base")
    assert baseline["steps"] == models_folder.read_metrics("with-base")["steps"]
    assert baseline["train_config"]["kind"] == "no_attention"
    assert "alignment" not in baseline["held_out"]["overall"]
    translator = load_folder_baseline("with-base", models_folder.config_stamp("with-base"))
    assert not translator.has_attention and translator.translate("the cat sees a dog").alpha is None
    with pytest.raises(SystemExit, match="train the model first"):
        main(["--data", str(data), "--name", "none-yet", "--models-dir", str(tmp_path), "--baseline-only"])
