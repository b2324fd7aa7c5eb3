"""Train a translator: ``python -m attention_core.train`` (the toy recipe of
``attention_core.training.recipe``), or ``--data FILE --name NAME`` for a model of one's own pairs.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from attention_core.names import WEIGHTS_DIR
from attention_core.training.recipe import TRAINABLE_KINDS, TrainConfig, config_for, train


def print_summary(data, name: str) -> None:
    """The data as it will be trained on, before the first step: what was kept, dropped and why."""
    from attention_core.data.pairs import summarise

    summary = summarise(data)
    print(f"{name}: {summary.pairs:,} pairs kept of {summary.lines:,} lines")
    for reason, n in summary.dropped.items():
        if n:
            print(f"  dropped {n:,} ({reason.replace('_', ' ')}), the first on line {summary.first_dropped[reason]}")
    for side, (low, mean, high), words in (
        ("source", summary.source_lengths, summary.source_words),
        ("target", summary.target_lengths, summary.target_words),
    ):
        print(f"  {side}: {low} to {high} tokens (mean {mean}), {words:,} distinct tokens")
    print(f"  gold alignments: {summary.aligned_pairs:,} pairs")


def main_pairs(args: argparse.Namespace) -> None:
    """``--data FILE --name NAME``: a model of one's own pairs, into the models folder."""
    from attention_core.data.pairs import COMMAND_LINE_MAX_BYTES, PairsFileError, read_pairs
    from attention_core.training.pairs_training import PairsConfig, train_baseline, train_on_pairs

    try:
        data = read_pairs(args.data, max_tokens=args.max_tokens, max_bytes=COMMAND_LINE_MAX_BYTES)
    except (PairsFileError, OSError) as error:
        raise SystemExit(f"{args.data}: {error}") from None
    print_summary(data, str(args.data))
    config = PairsConfig(
        name=args.name,
        seed=args.seed,
        epochs=args.epochs,
        held_out_share=args.held_out,
        max_tokens=args.max_tokens,
        max_pairs=args.max_pairs,
        vocab_size=args.vocab_size,
        score=args.score,
        keep_pairs=args.keep_pairs,
    )
    try:
        if not args.baseline_only:
            folder = train_on_pairs(
                data, config, args.models_dir, progress_file=args.progress_file, data_name=args.data.name
            )
        if args.baseline or args.baseline_only:
            folder = train_baseline(data, config, args.models_dir)
            held = json.loads((folder / "no_attention_metrics.json").read_text(encoding="utf-8"))["held_out"]
            print(f"baseline without attention, held-out exact match {held['overall'].get('exact_match', 0):.4g}")
    except ValueError as error:
        raise SystemExit(str(error)) from None
    held = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))["held_out"]["overall"]
    figures = ", ".join(f"{k} {v:.4g}" for k, v in held.items() if isinstance(v, float))
    print(f"held-out pairs: {held.get('pairs', 0):,}; {figures}")
    print(f"wrote {folder}")


def main(argv: list[str] | None = None) -> None:
    from attention_core.data.models_folder import models_dir

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kind", choices=TRAINABLE_KINDS, default=TrainConfig.kind)
    parser.add_argument("--seed", type=int, default=TrainConfig.seed)
    parser.add_argument(
        "--epochs",
        type=int,
        default=None,
        help="default: 6 for the toy recurrent models, 3 for a Transformer, by data size for --data",
    )
    parser.add_argument("--pairs", type=int, default=TrainConfig.train_pairs)
    parser.add_argument("--out", type=Path, default=WEIGHTS_DIR)
    own = parser.add_argument_group("a model of your own pairs (source TAB target per line)")
    own.add_argument("--data", type=Path, help="the pairs file: UTF-8, source TAB target [TAB more columns]")
    own.add_argument("--name", help="the model's name: lower-case letters, digits, '_' and '-'")
    own.add_argument("--held-out", type=float, default=0.1, help="share of source sentences kept out of training")
    own.add_argument("--max-tokens", type=int, default=60, help="drop pairs with a longer side")
    own.add_argument("--max-pairs", type=int, default=None, help="use only the file's first this many pairs")
    own.add_argument("--vocab-size", type=int, default=8_000, help="tokens kept per side; the rest read as unknown")
    own.add_argument("--score", default="additive", choices=("additive", "dot", "general", "scaled_dot", "location"))
    own.add_argument("--keep-pairs", type=int, default=None, help="pairs per split kept in the model folder")
    own.add_argument("--baseline", action="store_true", help="also train its baseline without attention")
    own.add_argument("--baseline-only", action="store_true", help="train only the baseline of a trained model")
    own.add_argument("--models-dir", type=Path, default=None, help=f"default: {models_dir()}")
    own.add_argument("--progress-file", type=Path, default=None, help="append JSON lines of step, total and loss")
    args = parser.parse_args(argv)
    if args.data is not None or args.name is not None:
        if args.data is None or args.name is None:
            parser.error("--data and --name go together")
        main_pairs(args)
        return
    config = config_for(args.kind, seed=args.seed, epochs=args.epochs, train_pairs=args.pairs)
    _, metrics = train(config, args.out)
    print(
        f"trained {metrics['steps']} steps in {metrics['training_seconds']} s, final loss {metrics['final_loss']:.4f}"
    )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
