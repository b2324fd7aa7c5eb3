"""Score every trained translator on held-out sentences: ``python -m attention_core.evaluate``.

By sentence length (source tokens, buckets 0–9, 10–19, …, 50–59), for each model of
``KINDS`` (the additive model, the baseline without attention, and the models trained
with Luong's scores):

- exact match: the greedy translation equals the reference, token for token;
- word accuracy: the share of reference tokens that the translation has at the same place;
- alignment accuracy (SPEC.md), attention only: over the French tokens the model emits
  correctly, the share whose attention weights peak at the English token they translate;
- alignment error rate (Och and Ney 2003), attention only, measured as Luong et al. 2015
  (Section 5.4) do: the reference is forced through the decoder, each reference word links
  to the one source word its α peaks on (A), the gold alignment gives the sure links (S),
  and AER = 1 − 2|A∩S| / (|A| + |S|);
- mean attention entropy, H(α_i) = −Σ_j α_ij ln α_ij in nats, over the same forced words:
  0 when α puts all its weight on one word, ln T_x when it spreads evenly;
- milliseconds per sentence: one ``translate`` call, as a page makes it, the fastest of
  ``TIMING_REPEATS`` calls per sentence (other work on a shared machine only ever adds
  time), median per bucket;
- training time, wall clock and CPU, from the model's metrics file.

The held-out sentences are 8,000 drawn as training draws them (1 to 4 clauses, uniform)
plus 500 of 50 tokens or more (``generate_long_examples``), since the uniform draw makes
one such sentence in 8,000. Alignment is reported per word class too, because the misses
are not spread evenly: a French determiner takes its gender and number from the noun, and
may look there instead of at "the"/"a". Writes ``weights/evaluation.json``, the table the
why-attention and score-function pages read; it keeps a small sample's counts so a test
can re-evaluate that sample fresh.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from attention_core.data.toy_data import (
    MAX_CLAUSES,
    Example,
    generate_examples,
    generate_long_examples,
)
from attention_core.evaluation.metrics import BUCKETS, bucket_of, count, head_rates, percent, rates
from attention_core.names import WEIGHTS_DIR

if TYPE_CHECKING:  # the table's readers (the pages) need no TensorFlow
    from attention_core.decoding.translator import Translator

HELD_OUT_SEED = 1_000_003  # never a training seed; overlaps with training are removed as well
LONG_HELD_OUT_SEED = 1_000_033  # the long held-out sentences' own draw
LONG_HELD_OUT_TOKENS = 50  # the long held-out sentences have at least this many tokens
KINDS = ("attention", "no_attention", "dot", "general", "scaled_dot", "location")
"""Every shipped recurrent model (``model.MODEL_KINDS``, named here without loading TensorFlow)."""
ATTENTION_KINDS = tuple(kind for kind in KINDS if kind != "no_attention")
TRANSFORMER_KINDS = ("transformer", "transformer_no_causal_mask", "toy_en_zh_transformer")
"""The shipped Transformers (``nn.transformer.TRANSFORMER_MODELS``): the same held-out English sentences,
the last one into Chinese (``TARGET_LANGUAGE``). Each has per layer and head alignment and AER (``heads``)."""
EVALUATED_KINDS = (*KINDS, *TRANSFORMER_KINDS)
"""Every model the evaluation file may hold, in its order."""
TARGET_LANGUAGE = {"toy_en_zh_transformer": "zh"}
"""A model whose references are not the French ones (default "fr")."""
EVALUATION_PATH = WEIGHTS_DIR / "evaluation.json"
SAMPLE_SENTENCES = 60  # the first held-out sentences, kept with their counts for the test
TIMED_PER_BUCKET = 20  # sentences timed one by one per bucket and model
TIMING_REPEATS = 5  # calls per timed sentence; the fastest counts
LUONG_TABLE_6 = (
    ("global (location)", 0.39),
    ("local-m (general)", 0.34),
    ("local-p (general)", 0.36),
    ("ensemble", 0.34),
    ("Berkeley Aligner", 0.32),
)
"""AER as printed in Luong, Pham and Manning 2015, Table 6: English–German, 508 Europarl
sentences with human alignments (RWTH). Not our task; shown beside ours for reference."""


def load_table(path: Path = EVALUATION_PATH) -> dict:
    """The evaluation table written by ``main``: what the why-attention page shows."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _unseen(candidates: list[Example], exclude: list[Example], n: int) -> list[Example]:
    """The first ``n`` distinct ``candidates`` whose English is in none of ``exclude``."""
    seen = {ex.en for ex in exclude}
    unique: dict[tuple[str, ...], Example] = {}
    for ex in candidates:
        if ex.en not in seen:
            unique.setdefault(ex.en, ex)
    return list(unique.values())[:n]


def held_out_examples(n: int, train_examples: list[Example], max_clauses: int = MAX_CLAUSES) -> list[Example]:
    """``n`` distinct sentences never seen in ``train_examples``; a shorter ``n`` gives a prefix of a longer one."""
    return _unseen(generate_examples(4 * n, seed=HELD_OUT_SEED, max_clauses=max_clauses), train_examples, n)


def long_held_out_examples(n: int, exclude: list[Example]) -> list[Example]:
    """``n`` distinct held-out sentences of ``LONG_HELD_OUT_TOKENS`` tokens or more, none in ``exclude``."""
    long = generate_long_examples(2 * n, seed=LONG_HELD_OUT_SEED, min_tokens=LONG_HELD_OUT_TOKENS)
    return _unseen(long, exclude, n)


def evaluation_examples(n: int, n_long: int, train_examples: list[Example]) -> list[Example]:
    """The held-out set: ``n`` sentences drawn as training draws them, then ``n_long`` long ones."""
    uniform = held_out_examples(n, train_examples)
    return uniform + long_held_out_examples(n_long, train_examples + uniform)


def in_language(examples: list[Example], language: str) -> list[Example]:
    """The held-out examples with their references in ``language``: the same English, into Chinese for "zh"."""
    if language == "fr":
        return examples
    from attention_core.data.toy_zh import reference_translation_zh

    return [reference_translation_zh(ex.en) for ex in examples]


def time_translations(
    translator: Translator, examples: list[Example], per_bucket: int, repeats: int = TIMING_REPEATS
) -> list[tuple[int, float]]:
    """(source length, ms) for ``per_bucket`` sentences per bucket, each translated alone, fastest of ``repeats``."""
    chosen: dict[str, list[Example]] = {b: [] for b in BUCKETS}
    for ex in examples:
        if len(chosen[bucket_of(len(ex.en))]) < per_bucket:
            chosen[bucket_of(len(ex.en))].append(ex)
    points = []
    for bucket in BUCKETS:
        for ex in chosen[bucket]:
            text = " ".join(ex.en)
            fastest = float("inf")
            for _ in range(repeats):
                started = time.perf_counter()
                translator.translate(text)
                fastest = min(fastest, time.perf_counter() - started)
            points.append((len(ex.en), round(fastest * 1e3, 3)))
    return points


def evaluate(
    translators: dict[str, Translator], examples: list[Example], timed_per_bucket: int, training: dict | None = None
) -> dict:
    """The table: per model, rates overall and by bucket, alignment by class, timings, and from
    ``training`` (kind → its metrics file) how long it trained."""
    models = {}
    french = examples
    for kind, translator in translators.items():
        examples = in_language(french, TARGET_LANGUAGE.get(kind, "fr"))
        raw = count(translator, examples)
        total = Counter()
        for c in raw["by_bucket"].values():
            total.update(c)
        timing = time_translations(translator, examples, timed_per_bucket) if timed_per_bucket else []
        by_bucket = {}
        for bucket in BUCKETS:
            row = rates(raw["by_bucket"][bucket], translator.has_attention)
            ms = [t for n, t in timing if bucket_of(n) == bucket]
            row["ms_per_sentence"] = round(statistics.median(ms), 3) if ms else None
            by_bucket[bucket] = row
        metrics = (training or {}).get(kind, {})
        model = {
            "has_attention": translator.has_attention,
            "score": translator.model.score,
            "training": {
                name: metrics.get(name) for name in ("training_seconds", "training_cpu_seconds", "steps", "parameters")
            },
            "overall": rates(total, translator.has_attention),
            "by_bucket": by_bucket,
            "timing": timing,
        }
        if translator.has_attention:
            model["alignment_by_class"] = {
                c: raw["class_hits"].get(c, 0) / raw["class_totals"][c] for c in sorted(raw["class_totals"])
            }
        if raw["by_head"]:
            model["language"] = TARGET_LANGUAGE.get(kind, "fr")
            model["heads"] = {}
            for name, by_bucket in raw["by_head"].items():
                head_total = Counter()
                for c in by_bucket.values():
                    head_total.update(c)
                model["heads"][name] = {
                    "overall": head_rates(head_total),
                    "by_bucket": {b: head_rates(by_bucket[b]) for b in BUCKETS},
                }
        model["counts"] = raw["by_bucket"]
        model["translations"] = raw["translations"]
        models[kind] = model
    return models


def example_sentence(examples: list[Example], models: dict, min_tokens: int = 40) -> str | None:
    """The first held-out sentence of ``min_tokens`` or more that attention translates and the baseline does not."""
    if not all(kind in models for kind in ("attention", "no_attention")):
        return None
    for k, ex in enumerate(examples):
        if len(ex.en) < min_tokens:
            continue
        if models["attention"]["translations"][k] == " ".join(ex.fr) != models["no_attention"]["translations"][k]:
            return " ".join(ex.en)
    return None


def build_table(
    translators: dict[str, Translator],
    examples: list[Example],
    timed_per_bucket: int,
    training_seed: int,
    training: dict | None = None,
) -> dict:
    models = evaluate(translators, examples, timed_per_bucket, training)
    sample = examples[:SAMPLE_SENTENCES]
    n_long = sum(len(ex.en) >= LONG_HELD_OUT_TOKENS for ex in examples)
    table = {
        "held_out": {
            "seed": HELD_OUT_SEED,
            "sentences": len(examples),
            "max_clauses": MAX_CLAUSES,
            "long_seed": LONG_HELD_OUT_SEED,
            "long_min_tokens": LONG_HELD_OUT_TOKENS,
            "sentences_50_or_more": n_long,
            "training_seed_excluded": training_seed,  # its training sentences are not in the held-out set
        },
        "buckets": list(BUCKETS),
        "example": example_sentence(examples, models),
        "sample": {
            "sentences": [" ".join(ex.en) for ex in sample],
            "counts": {
                kind: count(translators[kind], in_language(sample, TARGET_LANGUAGE.get(kind, "fr")))["by_bucket"]
                for kind in translators
            },
        },
        "models": {},
    }
    for kind, model in models.items():
        model.pop("translations")
        table["models"][kind] = model
    return table


def markdown_tables(table: dict) -> str:
    """The README's tables from an evaluation table: by score function overall, then by bucket."""
    names = {
        "attention": "additive",
        "no_attention": "no attention",
        **{k: k.replace("_", " ") for k in EVALUATED_KINDS if k not in ("attention", "no_attention")},
    }
    lines = [
        "| model | exact match | word accuracy | alignment | AER | entropy (nats) | training, wall | CPU |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, model in table["models"].items():
        o, tr = model["overall"], model["training"]
        aer = "" if o.get("aer") is None else f"{o['aer']:.4f}"
        entropy = "" if o.get("entropy") is None else f"{o['entropy']:.3f}"
        lines.append(
            f"| {names[kind]} | {percent(o['exact_match'])} | {percent(o['word_accuracy'])} | "
            f"{percent(o.get('alignment'))} | {aer} | {entropy} | {tr.get('training_seconds') or 0:,.0f} s | "
            f"{tr.get('training_cpu_seconds') or 0:,.0f} s |"
        )
    lines += ["", "| length (tokens) | sentences | " + " | ".join(names[k] for k in table["models"]) + " |"]
    lines.append("|---|---:|" + "---:|" * len(table["models"]))
    for bucket in table["buckets"]:
        cells = []
        for model in table["models"].values():
            row = model["by_bucket"][bucket]
            aer = f", AER {row['aer']:.4f}" if row.get("aer") is not None else ""
            cells.append(f"{percent(row['exact_match'])}{aer}")
        n = next(iter(table["models"].values()))["by_bucket"][bucket]["sentences"]
        lines.append(f"| {bucket} | {n:,} | " + " | ".join(cells) + " |")
    for kind, model in table["models"].items():
        if "heads" not in model:
            continue
        o = model["overall"]
        lines += [
            "",
            f"{names[kind]}: teacher-forced exact match {percent(o.get('teacher_forced_exact_match'))}, "
            f"free-running {percent(o['exact_match'])}; cross-attention per layer and head "
            "(alignment, then AER by length):",
            "",
            "| head | alignment | AER | " + " | ".join(table["buckets"]) + " |",
            "|---|---:|---:|" + "---:|" * len(table["buckets"]),
        ]
        for name, head in model["heads"].items():
            by_bucket = " | ".join(
                "" if head["by_bucket"][b]["aer"] is None else f"{head['by_bucket'][b]['aer']:.4f}"
                for b in table["buckets"]
            )
            aer = "" if head["overall"]["aer"] is None else f"{head['overall']['aer']:.4f}"
            lines.append(f"| {name} | {percent(head['overall']['alignment'])} | {aer} | {by_bucket} |")
    return "\n".join(lines)


def merge_tables(tables: list[dict]) -> dict:
    """One table from tables of the same held-out sentences, each of some of the models (evaluated apart)."""
    first = tables[0]
    for other in tables[1:]:
        if other["held_out"] != first["held_out"] or other["sample"]["sentences"] != first["sample"]["sentences"]:
            raise ValueError("merge_tables needs tables of the same held-out sentences and the same training seed")
    merged = {**first, "models": {}, "sample": {**first["sample"], "counts": {}}}
    merged["example"] = next((table["example"] for table in tables if table["example"]), None)
    for table in tables:
        merged["models"].update(table["models"])
        merged["sample"]["counts"].update(table["sample"]["counts"])
    order = [kind for kind in EVALUATED_KINDS if kind in merged["models"]]
    merged["models"] = {kind: merged["models"][kind] for kind in order}
    merged["sample"]["counts"] = {kind: merged["sample"]["counts"][kind] for kind in order}
    return merged
