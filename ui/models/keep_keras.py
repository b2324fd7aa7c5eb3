"""Keep the shared Keras models across script runs: Streamlit's per-run clean-up, without its
``keras.backend.clear_session()``, replaces a private Streamlit name once, when the models room is imported.

A private name may be renamed by a release: ``replace_private`` fails at start-up then, rather than
silently creating a new attribute (tests/unit/test_private_names.py).
"""

from __future__ import annotations

import sys

import streamlit as st
from streamlit.runtime.scriptrunner import script_runner


def _clean_up_after_run_keeping_keras() -> None:
    """Streamlit's clean-up after each script run, minus ``keras.backend.clear_session()``.

    Streamlit clears Keras's global state after every run, for apps that build a model per
    run. That call is a full ``gc.collect()``: 120 ms alone, 200–500 ms inside the server,
    on every click. The models here are built once in ``st.cache_resource`` and shared, so
    there is nothing per run to clear. The matplotlib part is kept as it is.
    """
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


def replace_private(owner, name: str, value) -> None:
    """Set ``owner.name``, a private Streamlit name, only if this Streamlit still has it.

    Assigning a renamed attribute would silently create a new one and lose what the
    override buys; fail at start-up instead, with the version to look at.
    """
    if not hasattr(owner, name):
        raise RuntimeError(
            f"Streamlit {st.__version__} has no {getattr(owner, '__name__', owner)!r}.{name}: "
            "the override in ui/models/keep_keras.py must be updated for this release."
        )
    setattr(owner, name, value)


replace_private(script_runner, "_clean_problem_modules", _clean_up_after_run_keeping_keras)
