"""The shape the code keeps: pages reach the library only through ``ui``, and no function in
``ui/`` or ``pages/`` grows past what a reader takes in at once."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "pages").glob("*.py"))
UI = sorted((ROOT / "ui").rglob("*.py"))
MAX_FUNCTION_LINES = 60


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_pages_import_ui_not_the_library(path):
    library = [m for m in imported_modules(path) if m.split(".")[0] in ("attention_core", "tensorflow", "keras")]
    assert not library, f"{path.name} imports {library}: pages go through ui (ui/models/compute.py)"


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_pages_import_at_the_top(path):
    assert "noqa: E402" not in path.read_text(encoding="utf-8"), f"{path.name} imports mid-file"


def test_functions_are_short():
    long = []
    for path in [*PAGES, *UI]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({lines} lines)")
    assert not long, long


def test_the_library_never_imports_streamlit():
    offenders = [
        p.name
        for p in (ROOT / "attention_core").rglob("*.py")
        if "streamlit" in {m.split(".")[0] for m in imported_modules(p)}
    ]
    assert not offenders, offenders
