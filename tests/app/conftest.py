"""Fixtures of the AppTest tier (helpers that test modules import are in tests/support)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from attention_core.data.models_folder import MODELS_ENV
from attention_core.data.toy_data import generate_examples
from serving import training_job
from serving.training_job import TRAINING_ENV


@pytest.fixture(scope="session", autouse=True)
def installed_components_scanned_once():
    """Each new AppTest scans every installed package's metadata for Streamlit components (about 0.27 s of
    a run's 0.5 s here, the same empty answer each time); the installed packages do not change during a
    run, so this process scans once. Fails loudly if Streamlit renames the scan."""
    from streamlit.components.v2 import manifest_scanner

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            manifest_scanner, "scan_component_manifests", functools.cache(manifest_scanner.scan_component_manifests)
        )
        yield


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
