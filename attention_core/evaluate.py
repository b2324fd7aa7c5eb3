"""Score a trained translator on held-out sentences: ``python -m attention_core.evaluate``.

Exact match: the greedy translation equals the reference, token for token.
Alignment accuracy (SPEC.md): over the French tokens the model emits correctly, the
share whose attention weights peak at the English token they translate. Reported per
word class too, because the misses are not spread evenly: a French determiner takes its
gender and number from the noun, and often looks there instead of at "the"/"a".
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np

from attention_core.toy_data import Example, generate_examples, word_classes
from attention_core.translator import Translator, load_model_weights

HELD_OUT_SEED = 1_000_003  # never the training seed; overlaps with training are removed as well


def held_out_examples(n: int, train_examples: list[Example]) -> list[Example]:
    seen = {ex.en for ex in train_examples}
    unique: dict[tuple[str, ...], Example] = {}
    for ex in generate_examples(4 * n, seed=HELD_OUT_SEED):
        if ex.en not in seen:
            unique.setdefault(ex.en, ex)
    return list(unique.values())[:n]


def evaluate(translator: Translator, examples: list[Example], batch_size: int = 256) -> dict:
    classes = word_classes()
    exact = 0
    hits, totals = Counter(), Counter()
    for start in range(0, len(examples), batch_size):
        chunk = examples[start : start + batch_size]
        decoded = translator.decode_batch([" ".join(ex.en) for ex in chunk])
        for row, ex in enumerate(chunk):
            words = []
            for step in decoded.steps:
                if step.chosen[row] == "<end>":
                    break
                words.append(step.chosen[row])
            exact += tuple(words) == ex.fr
            for k, (word, gold) in enumerate(zip(words, ex.fr)):
                if word != gold:
                    continue
                alpha = decoded.steps[k].trace.alpha[row, : len(ex.en)]
                word_class = classes[ex.en[ex.align[k]]]
                totals[word_class] += 1
                hits[word_class] += int(np.argmax(alpha) == ex.align[k])
    return {
        "sentences": len(examples),
        "exact_match": exact / len(examples),
        "alignment_accuracy": sum(hits.values()) / max(1, sum(totals.values())),
        "alignment_by_class": {c: hits[c] / totals[c] for c in sorted(totals)},
        "aligned_tokens": sum(totals.values()),
    }


def main(argv: list[str] | None = None) -> None:
    from attention_core.train import TrainConfig

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weights", type=Path, default=None, help="a .npz of weights (default: the shipped model)")
    parser.add_argument("--sentences", type=int, default=2000)
    args = parser.parse_args(argv)
    config = TrainConfig()
    model, source, target = load_model_weights(args.weights)
    translator = Translator(model, source, target, name="toy", trained=True)
    examples = held_out_examples(args.sentences, generate_examples(config.train_pairs, seed=config.seed))
    report = evaluate(translator, examples)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
