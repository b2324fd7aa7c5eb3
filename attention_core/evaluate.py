"""Score every shipped translator on held-out sentences and write the evaluation file: ``python -m
attention_core.evaluate`` (what is measured: ``attention_core.evaluation.table``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from attention_core.names import SHIPPED_SEED, WEIGHTS_DIR

if TYPE_CHECKING:  # the table's readers (the pages) need no TensorFlow
    pass
from attention_core.evaluation.table import (
    EVALUATED_KINDS,
    EVALUATION_PATH,
    KINDS,
    LONG_HELD_OUT_TOKENS,
    TIMED_PER_BUCKET,
    TRANSFORMER_KINDS,
    build_table,
    evaluation_examples,
    load_table,
    markdown_tables,
    merge_tables,
)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weights-dir", type=Path, default=WEIGHTS_DIR, help="where each kind's weights are")
    parser.add_argument(
        "--kinds", nargs="+", choices=EVALUATED_KINDS, default=list(KINDS), help="the models to evaluate"
    )
    parser.add_argument("--sentences", type=int, default=8000, help="held-out sentences drawn as training draws")
    parser.add_argument("--long-sentences", type=int, default=500, help=f"and of {LONG_HELD_OUT_TOKENS}+ tokens")
    parser.add_argument("--timed", type=int, default=TIMED_PER_BUCKET, help="sentences timed per bucket and model")
    parser.add_argument("--seed", type=int, default=SHIPPED_SEED, help="the training seed whose data to exclude")
    parser.add_argument("--out", type=Path, default=None, help="where to write the table (default: the shipped one)")
    parser.add_argument("--markdown", type=Path, default=None, help="print a written table file's tables, and stop")
    parser.add_argument(
        "--rescore",
        metavar="NAME",
        default=None,
        help="score a model of the models folder again on its held-out pairs, and stop",
    )
    parser.add_argument("--merge", type=Path, nargs="+", default=None, help="join table files into --out, and stop")
    args = parser.parse_args(argv)
    if args.rescore is not None:
        from attention_core.evaluation.pairs_metrics import rescore

        overall = rescore(args.rescore)["overall"]
        print(", ".join(f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}" for k, v in overall.items()))
        return
    if args.markdown is not None:
        print(markdown_tables(load_table(args.markdown)))
        return
    if args.merge is not None:
        out, merged = args.out or EVALUATION_PATH, merge_tables([load_table(path) for path in args.merge])
        out.write_text(json.dumps(merged, indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {out}")
        return
    from attention_core.decoding.translator import METRICS_FILES, WEIGHT_FILES, Translator, load_model_weights
    from attention_core.training.recipe import TrainConfig, training_examples  # TensorFlow: only to evaluate

    if args.out is None and (args.weights_dir != WEIGHTS_DIR or list(args.kinds) != list(KINDS)):
        parser.error("the shipped table holds the shipped models: give --out for other weights or kinds")
    translators, training = {}, {}
    for kind in args.kinds:
        if kind in TRANSFORMER_KINDS:
            from attention_core.decoding.transformer_translator import TransformerTranslator, transformer_weights

            model, source, target = transformer_weights(kind, args.weights_dir / WEIGHT_FILES[kind])
            translators[kind] = TransformerTranslator(model, source, target, name=kind, trained=True)
        else:
            model, source, target = load_model_weights(args.weights_dir / WEIGHT_FILES[kind], kind=kind)
            translators[kind] = Translator(model, source, target, name=kind, trained=True)
        metrics_path = args.weights_dir / METRICS_FILES[kind]
        training[kind] = json.loads(metrics_path.read_text()) if metrics_path.is_file() else {}
    train = training_examples(TrainConfig(seed=args.seed))
    examples = evaluation_examples(args.sentences, args.long_sentences, train)
    table = build_table(translators, examples, args.timed, args.seed, training)
    for kind, model in table["models"].items():
        print(f"{kind}: {json.dumps(model['overall'])} {json.dumps(model['training'])}")
        for bucket, row in model["by_bucket"].items():
            print(f"  {bucket:>6}: {json.dumps(row)}")
        if "alignment_by_class" in model:
            print(f"  alignment by class: {json.dumps(model['alignment_by_class'])}")
        for head, rates_of_head in model.get("heads", {}).items():
            print(f"  {head}: {json.dumps(rates_of_head['overall'])}")
    out = args.out or EVALUATION_PATH
    out.write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
