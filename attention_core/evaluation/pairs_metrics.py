"""The held-out figures of a model of one's own pairs, written to its ``metrics.json``.

Overall and by source length (``evaluate.BUCKETS``):

- exact match: the greedy translation equals the reference, token for token;
- BLEU and chrF (sacrebleu, on the tokens joined by spaces, ``tokenize="none"``: the file's
  tokens are the units, whatever the script);
- where the pairs carry gold alignments, alignment accuracy (over the target tokens emitted
  correctly that have a gold link, the share whose α peaks on a gold source token) and AER
  (Och and Ney 2003) on the reference forced through the decoder, one link per target word to
  its α's argmax, as ``evaluate`` measures the shipped models.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import sacrebleu

from attention_core.data.pairs import Pair
from attention_core.evaluation.metrics import BUCKETS, alignment_error_rate, bucket_of, greedy_words

MAX_EVALUATED_PAIRS = 3_000  # held-out pairs scored; a larger share would only slow the end of training


def bleu(hypotheses: list[str], references: list[str]) -> float:
    """Corpus BLEU (0–100) of space-tokenised hypotheses against one reference each."""
    return float(sacrebleu.corpus_bleu(hypotheses, [references], tokenize="none").score)


def chrf(hypotheses: list[str], references: list[str]) -> float:
    """Corpus chrF (0–100), character n-grams: kind to a word that is almost right."""
    return float(sacrebleu.corpus_chrf(hypotheses, [references]).score)


def _count_alignment(c: Counter, words, pair: Pair, steps, forced_steps, row: int) -> None:
    gold: dict[int, set[int]] = {}
    for j, i in pair.links:
        gold.setdefault(i, set()).add(j)
    for i, (word, reference) in enumerate(zip(words, pair.target)):
        if word == reference and i in gold:
            c["aligned"] += 1
            c["aligned_hits"] += int(np.argmax(steps[i].trace.alpha[row, : len(pair.source)])) in gold[i]
    model_links = {
        (int(np.argmax(forced_steps[i].trace.alpha[row, : len(pair.source)])), i) for i in range(len(pair.target))
    }
    sure = set(pair.links)
    c["links_model"] += len(model_links)
    c["links_sure"] += len(sure)
    c["links_both"] += len(model_links & sure)


def _rates(c: Counter, hypotheses: list[str], references: list[str], aligned: bool) -> dict:
    row = {
        "pairs": c["pairs"],
        "exact_match": c["exact"] / max(1, c["pairs"]),
        "bleu": bleu(hypotheses, references) if hypotheses else None,
        "chrf": chrf(hypotheses, references) if hypotheses else None,
    }
    if aligned:
        row["alignment"] = c["aligned_hits"] / c["aligned"] if c["aligned"] else None
        links = (c["links_model"], c["links_sure"], c["links_both"])
        row["aer"] = alignment_error_rate(*links) if links[0] + links[1] else None
    return row


def score_translator(translator, pairs: list[Pair], batch_size: int = 128) -> dict:
    """The figures of ``translator`` on ``pairs`` (at most ``MAX_EVALUATED_PAIRS``)."""
    pairs = pairs[:MAX_EVALUATED_PAIRS]
    aligned = bool(pairs) and all(p.links is not None for p in pairs) and translator.has_attention
    counts = {b: Counter() for b in BUCKETS}
    texts = {b: ([], []) for b in BUCKETS}
    examples, outputs = [], [""] * len(pairs)
    order = sorted(range(len(pairs)), key=lambda k: len(pairs[k].source))
    for start in range(0, len(order), batch_size):
        indices = order[start : start + batch_size]
        rows = [pairs[k] for k in indices]
        sources = [" ".join(p.source) for p in rows]
        decoded = translator.decode_batch(sources)
        forced = translator.decode_batch(sources, targets=[list(p.target) for p in rows]) if aligned else None
        for row, pair in enumerate(rows):
            words = greedy_words(decoded, row)
            outputs[indices[row]] = " ".join(words)
            bucket = bucket_of(len(pair.source))
            c = counts[bucket]
            c["pairs"] += 1
            c["exact"] += tuple(words) == pair.target
            texts[bucket][0].append(" ".join(words))
            texts[bucket][1].append(" ".join(pair.target))
            if aligned:
                _count_alignment(c, words, pair, decoded.steps, forced.steps, row)
            if len(examples) < 20:
                examples.append({"source": sources[row], "reference": " ".join(pair.target), "output": " ".join(words)})
    total = Counter()
    for c in counts.values():
        total.update(c)
    all_hypotheses = [h for b in BUCKETS for h in texts[b][0]]
    all_references = [r for b in BUCKETS for r in texts[b][1]]
    return {
        "overall": _rates(total, all_hypotheses, all_references, aligned),
        "by_bucket": {b: _rates(counts[b], *texts[b], aligned) for b in BUCKETS if counts[b]["pairs"]},
        "examples": examples,
        "outputs": outputs,  # each evaluated pair's greedy translation, in held-out order: a test re-decodes some
    }


def held_out_metrics(model, source, target, model_config, held_out: list[Pair]) -> dict:
    """``score_translator`` for a model just trained, before its folder exists."""
    from attention_core.data.pairs import tokenize_text
    from attention_core.decoding.translator import Translator

    if not held_out:
        return {"overall": {"pairs": 0}, "by_bucket": {}, "examples": [], "outputs": []}
    translator = Translator(model, source, target, name="held-out", trained=True, tokenizer=tokenize_text)
    return score_translator(translator, held_out)


def rescore(name: str) -> dict:
    """Score model ``name`` again on the held-out pairs its folder keeps, and rewrite its metrics file."""
    import json

    from attention_core.data import models_folder
    from attention_core.decoding.translator import load_pretrained

    held = models_folder.read_held_out_pairs(name)
    metrics = models_folder.read_metrics(name)
    metrics["held_out"] = score_translator(load_pretrained(name), held)
    path = models_folder.folder_of(name) / "metrics.json"
    path.write_text(json.dumps(metrics, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return metrics["held_out"]
