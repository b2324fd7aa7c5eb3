"""Two private Streamlit names are replaced (ui/models/keep_keras.py: the per-run Keras clean-up; ui/session/router.py:
the pages/-folder mode). A release that renames either must fail at start-up, not silently."""

from __future__ import annotations

import importlib

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import script_runner

from ui.models import keep_keras
from ui.session import router


def test_the_names_replaced_exist_in_this_streamlit():
    assert hasattr(script_runner, "_clean_problem_modules")
    assert hasattr(PagesManager, "uses_pages_directory")
    assert script_runner._clean_problem_modules is keep_keras._clean_up_after_run_keeping_keras


def test_replacing_a_missing_name_fails_loudly():
    class Owner:
        pass

    with pytest.raises(RuntimeError, match=r"has no 'Owner'\.renamed: the override in ui/models/keep_keras\.py"):
        keep_keras.replace_private(Owner, "renamed", object())
    assert not hasattr(Owner, "renamed"), "nothing was created under the missing name"


def test_the_router_refuses_a_streamlit_without_its_flag(monkeypatch):
    monkeypatch.delattr(PagesManager, "uses_pages_directory")
    with pytest.raises(RuntimeError, match="PagesManager.uses_pages_directory"):
        importlib.reload(router)
    monkeypatch.undo()
    importlib.reload(router)  # the real module again for the other tests
    assert router.ensure_entrypoint
