"""What a translation is scored by: exact match, word accuracy, alignment accuracy, AER and attention
entropy, by length bucket (used by the shipped evaluation table and by a pairs model's held-out
metrics).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import numpy as np

from attention_core.data.toy_data import (
    Example,
    word_classes,
)

if TYPE_CHECKING:  # the table's readers (the pages) need no TensorFlow
    from attention_core.decoding.translator import Translator


BUCKET_EDGES = (0, 10, 20, 30, 40, 50)  # a bucket runs from its edge to the next one; the last is open


BUCKETS = ("0-9", "10-19", "20-29", "30-39", "40-49", "50-59")


def bucket_of(n_tokens: int) -> str:
    """The length bucket of a sentence of ``n_tokens`` source tokens."""
    index = max(k for k, edge in enumerate(BUCKET_EDGES) if n_tokens >= edge)
    return BUCKETS[index]


def greedy_words(decoded, row: int) -> list[str]:
    """Row ``row``'s output words of a ``decode_batch`` result, up to its <end>."""
    words = []
    for step in decoded.steps:
        if step.chosen[row] == "<end>":
            break
        words.append(step.chosen[row])
    return words


def head_names(cross_alpha: np.ndarray) -> list[tuple[str, int, int]]:
    """``("L1H1", 0, 0)`` … for a step's cross-attention α ``(layers, batch, heads, T_x)``: 1-based names."""
    layers, _, heads, _ = cross_alpha.shape
    return [(f"L{l + 1}H{h + 1}", l, h) for l in range(layers) for h in range(heads)]


def count(translator: Translator, examples: list[Example], batch_size: int = 256) -> dict:
    """Raw counts per bucket: sentences, exact, reference words, words right, aligned and hits;
    with attention also the AER links (sure, model, both) and the summed entropy of forced α.

    A Transformer (its batch steps carry ``cross_alpha``) also gets, per layer and head (``by_head``), the
    same alignment and AER counts from that head's cross-attention alone, and per bucket its teacher-forced
    counts (``forced_words_right`` of ``words`` + 1 per sentence with <end>, ``forced_exact`` sentences):
    what it predicts when it reads the reference, as in training.
    """
    classes = word_classes()
    counts = {b: Counter() for b in BUCKETS}
    by_head: dict[str, dict[str, Counter]] = {}
    class_hits, class_totals = Counter(), Counter()
    outputs = []
    ordered = sorted(range(len(examples)), key=lambda k: len(examples[k].en))  # little padding per batch
    for start in range(0, len(ordered), batch_size):
        rows = ordered[start : start + batch_size]
        texts = [" ".join(examples[k].en) for k in rows]
        decoded = translator.decode_batch(texts)
        for row, k in enumerate(rows):
            ex = examples[k]
            words = greedy_words(decoded, row)
            outputs.append((k, " ".join(words)))
            c = counts[bucket_of(len(ex.en))]
            c["sentences"] += 1
            c["exact"] += tuple(words) == ex.fr
            c["words"] += len(ex.fr)
            c["words_right"] += sum(w == g for w, g in zip(words, ex.fr))
            if not translator.has_attention:
                continue
            for i, (word, gold) in enumerate(zip(words, ex.fr)):
                if word != gold:
                    continue
                alpha = decoded.steps[i].trace.alpha[row, : len(ex.en)]
                hit = int(np.argmax(alpha) == ex.align[i])
                cross_alpha = getattr(decoded.steps[i], "cross_alpha", None)
                if cross_alpha is not None:
                    for name, l, h in head_names(cross_alpha):
                        head = by_head.setdefault(name, {b: Counter() for b in BUCKETS})[bucket_of(len(ex.en))]
                        head["aligned"] += 1
                        head["aligned_hits"] += int(np.argmax(cross_alpha[l, row, h, : len(ex.en)]) == ex.align[i])
                c["aligned"] += 1
                c["aligned_hits"] += hit
                word_class = classes[ex.en[ex.align[i]]]
                class_totals[word_class] += 1
                class_hits[word_class] += hit
        if translator.has_attention:
            forced = translator.decode_batch(texts, targets=[list(examples[k].fr) for k in rows])
            for row, k in enumerate(rows):
                ex, bucket = examples[k], bucket_of(len(examples[k].en))
                count_links(counts[bucket], forced, row, ex)
                if getattr(forced.steps[0], "cross_alpha", None) is None:
                    continue
                count_forced_words(counts[bucket], forced, row, ex)
                for name, l, h in head_names(forced.steps[0].cross_alpha):
                    head = by_head.setdefault(name, {b: Counter() for b in BUCKETS})[bucket]
                    count_links(head, forced, row, ex, lambda step, r, l=l, h=h: step.cross_alpha[l, r, h])
    return {
        "by_bucket": {b: dict(counts[b]) for b in BUCKETS},
        "by_head": {name: {b: dict(c[b]) for b in BUCKETS} for name, c in by_head.items()},
        "class_hits": dict(class_hits),
        "class_totals": dict(class_totals),
        "translations": [text for _, text in sorted(outputs)],
    }


def count_forced_words(c: Counter, forced, row: int, ex: Example) -> None:
    """Teacher forcing's own accuracy: the words (and the <end>) each position predicts reading the reference."""
    right = sum(forced.steps[i].predicted[row] == word for i, word in enumerate((*ex.fr, "<end>")))
    c["forced_words_right"] += right
    c["forced_exact"] += right == len(ex.fr) + 1


def count_links(c: Counter, forced, row: int, ex: Example, alpha_of=None) -> None:
    """Add row ``row`` of a forced decode of ``ex``'s reference to ``c``: its AER links and entropy.

    One link per reference word, to its α's argmax (A); the gold links (S), one per word too.
    ``alpha_of(step, row)`` reads another α than the step's trace (one Transformer head's).
    """
    model_links = set()
    for i in range(len(ex.fr)):
        alpha = forced.steps[i].trace.alpha[row] if alpha_of is None else alpha_of(forced.steps[i], row)
        alpha = alpha[: len(ex.en)].astype(np.float64)
        model_links.add((int(np.argmax(alpha)), i))
        positive = alpha[alpha > 0]
        c["entropy_sum"] += float(-(positive * np.log(positive)).sum())
    sure_links = {(j, i) for i, j in enumerate(ex.align)}
    c["links_model"] += len(model_links)
    c["links_sure"] += len(sure_links)
    c["links_both"] += len(model_links & sure_links)


def alignment_error_rate(model_links: int, sure_links: int, both: int) -> float:
    """Och and Ney's AER with sure links only (S = P): 1 − 2|A∩S| / (|A| + |S|)."""
    if model_links + sure_links == 0:
        raise ValueError("AER needs at least one link in A or S. Received: |A| = |S| = 0")
    return 1.0 - 2.0 * both / (model_links + sure_links)


def rates(counts: dict, has_attention: bool) -> dict:
    """Exact match, word accuracy and (with attention) alignment, AER and entropy from raw counts."""
    out = {
        "sentences": counts.get("sentences", 0),
        "exact_match": counts.get("exact", 0) / max(1, counts.get("sentences", 0)),
        "word_accuracy": counts.get("words_right", 0) / max(1, counts.get("words", 0)),
    }
    if has_attention:
        out["alignment"] = counts.get("aligned_hits", 0) / max(1, counts.get("aligned", 0))
        out["aligned_tokens"] = counts.get("aligned", 0)
        links = (counts.get("links_model", 0), counts.get("links_sure", 0), counts.get("links_both", 0))
        out["aer"] = alignment_error_rate(*links) if links[0] + links[1] else None
        out["entropy"] = counts.get("entropy_sum", 0.0) / max(1, counts.get("links_sure", 0))
    if "forced_words_right" in counts:  # a Transformer: what it predicts reading the reference
        out["teacher_forced_word_accuracy"] = counts["forced_words_right"] / max(
            1, counts.get("words", 0) + counts.get("sentences", 0)
        )
        out["teacher_forced_exact_match"] = counts.get("forced_exact", 0) / max(1, counts.get("sentences", 0))
    return out


def head_rates(counts: dict) -> dict:
    """One Transformer head's alignment accuracy, AER and entropy from its raw counts (``count``'s ``by_head``)."""
    links = (counts.get("links_model", 0), counts.get("links_sure", 0), counts.get("links_both", 0))
    return {
        "alignment": counts.get("aligned_hits", 0) / max(1, counts.get("aligned", 0)),
        "aligned_tokens": counts.get("aligned", 0),
        "aer": alignment_error_rate(*links) if links[0] + links[1] else None,
        "entropy": counts.get("entropy_sum", 0.0) / max(1, counts.get("links_sure", 0)),
    }


def percent(x: float | None) -> str:
    """A rate as the README prints it: 100% only when it is, and the digits that tell 99.95% from 100%."""
    if x is None:
        return ""
    if x in (0.0, 1.0):
        return f"{x:.0%}"
    return f"{x:.3%}" if x > 0.999 else f"{x:.2%}" if x > 0.99 else f"{x:.1%}"
