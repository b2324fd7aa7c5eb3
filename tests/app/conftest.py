"""Fixtures of the AppTest tier (helpers that test modules import are in tests/support)."""

from __future__ import annotations

from pathlib import Path

import pytest

from attention_core.data.models_folder import MODELS_ENV
from attention_core.data.toy_data import generate_examples
from serving import training_job
from serving.training_job import TRAINING_ENV


@pytest.fixture(scope="module")
def longest() -> str:
    """One of the longest toy sentences: four clauses, 45 tokens or more."""
    return " ".join(max(generate_examples(400, seed=11, max_clauses=4), key=lambda ex: len(ex.en)).en)


@pytest.fixture
def models(tmp_path, monkeypatch) -> Path:
    """An empty models folder of the test's own, training switched on (AppTest's server.address is unset:
    every address, where training is off by default); every job stopped afterwards."""
    root = tmp_path / "models"
    monkeypatch.setenv(MODELS_ENV, str(root))
    monkeypatch.setenv(TRAINING_ENV, "on")
    yield root
    for job in training_job.jobs(root):
        if job.state == "running":
            training_job.cancel(job)


@pytest.fixture
def listening_on():
    """``listening_on(address)`` sets Streamlit's ``server.address`` as ``--server.address`` would, for the
    pages AppTest runs in this process; the value before is put back afterwards."""
    from streamlit import config

    before = config.get_option("server.address")
    yield lambda address: config.set_option("server.address", address)
    config.set_option("server.address", before)
