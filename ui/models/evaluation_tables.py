"""The shipped evaluation as the pages read it: percentages, Luong et al.'s Table 6, the length tables."""

from __future__ import annotations

import streamlit as st

from attention_core.data import models_folder
from ui.models import catalog


def percent(x: float | None) -> str:
    """A rate as the evaluation's tables print it (``attention_core.evaluate.percent``)."""
    from attention_core.evaluation.metrics import percent as printed

    return printed(x)


def luong_table_6() -> tuple[tuple[str, float], ...]:
    """Luong et al. 2015's AER rows (English–German), shown beside ours for reference."""
    from attention_core.evaluation.table import LUONG_TABLE_6

    return LUONG_TABLE_6


@st.cache_data(show_spinner=False)
def evaluation_table() -> dict:
    """Every shipped model by length bucket on held-out sentences, as ``python -m attention_core.evaluate`` wrote it."""
    from attention_core.evaluation.table import load_table

    return load_table()


def length_table(model: str) -> dict:
    """``model`` and its baseline by length bucket, in ``evaluation_table``'s shape: the shipped table, or a
    folder model's held-out figures from its two metrics files (no timings, no word accuracy there)."""
    if not catalog.get(model).own:
        return evaluation_table()
    from attention_core.evaluation.metrics import BUCKETS

    held = {
        "attention": models_folder.read_metrics(model)["held_out"],
        "no_attention": models_folder.read_baseline_metrics(model)["held_out"],
    }
    models = {
        kind: {
            "by_bucket": {
                bucket: {
                    "sentences": row["pairs"],
                    "exact_match": row["exact_match"],
                    "alignment": row.get("alignment"),
                }
                for bucket, row in figures["by_bucket"].items()
            },
            "timing": [],
        }
        for kind, figures in held.items()
    }
    return {
        "models": models,
        "buckets": [b for b in BUCKETS if b in models["attention"]["by_bucket"]],
        "held_out": {"sentences": held["attention"]["overall"]["pairs"]},
        "example": _bottleneck_example(model, held),
    }


def _bottleneck_example(model: str, held: dict, min_tokens: int = 40) -> str | None:
    """The first held-out sentence of ``min_tokens`` or more that the model translates and its baseline does not."""
    pairs = models_folder.read_tsv_pairs(model, "heldout")
    outputs = (held["attention"].get("outputs", []), held["no_attention"].get("outputs", []))
    for (source, target, _), with_attention, without in zip(pairs, *outputs):
        if len(source) >= min_tokens and with_attention == " ".join(target) != without:
            return " ".join(source)
    return None
