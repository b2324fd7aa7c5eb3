"""Fixtures of the AppTest tier (helpers that test modules import are in tests/support)."""

from __future__ import annotations

import pytest

from attention_core.data.toy_data import generate_examples


@pytest.fixture(scope="module")
def longest() -> str:
    """One of the longest toy sentences: four clauses, 45 tokens or more."""
    return " ".join(max(generate_examples(400, seed=11, max_clauses=4), key=lambda ex: len(ex.en)).en)
