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
MAX_PAGE_LINES = 60


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


def page_rule_breaks(text: str) -> list[str]:
    """How a page file breaks the page-size rule: more than 60 lines, or a function or class of its own."""
    breaks = []
    lines = len(text.splitlines())
    if lines > MAX_PAGE_LINES:
        breaks.append(f"{lines} lines")
    breaks += [
        f"defines {node.name} (line {node.lineno})"
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    ]
    return breaks


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_the_page_size_rule(path):
    """A page file composes views: at most 60 lines, no function or class of its own (logic lives in
    ui/views, where a function takes its inputs as arguments instead of reading the page's globals)."""
    breaks = page_rule_breaks(path.read_text(encoding="utf-8"))
    assert not breaks, f"{path.name}: {breaks}; its logic belongs in ui/views"


def test_the_page_size_rule_sees_a_long_page_a_function_and_a_class():
    composed = "from ui.views import masking\n" + "masking.sides(batch, step)\n" * (MAX_PAGE_LINES - 1)
    assert page_rule_breaks(composed) == []
    assert page_rule_breaks(composed + "masking.invariance(batch, step, model)\n") == [f"{MAX_PAGE_LINES + 1} lines"]
    with_logic = "def show():\n    pass\n\n\nclass Part:\n    pass\n\n\nparts = [lambda: show()]\n"
    assert page_rule_breaks(with_logic) == ["defines show (line 1)", "defines Part (line 5)"]


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


MODEL_NAMES = {"SHIPPED_MODEL", "FREE_TEXT_MODEL", "SHIPPED", "FREE_TEXT", "TOY_ZH"}
MODEL_NAME_STRINGS = {"toy_en_fr", "toy_en_zh"}


def _names_a_model(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return node.value in MODEL_NAME_STRINGS
    if isinstance(node, ast.Name | ast.Attribute):
        return (node.id if isinstance(node, ast.Name) else node.attr) in MODEL_NAMES
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_names_a_model(e) for e in node.elts)
    return False


def test_only_the_catalog_compares_model_names():
    """A page or view asks the model what it has (``catalog.get(name).alignment``), never which one it is."""
    catalog = ROOT / "ui" / "models" / "catalog.py"
    found = []
    for path in [*PAGES, *UI, ROOT / "app.py"]:
        if path == catalog:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare) and any(_names_a_model(n) for n in [node.left, *node.comparators]):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, found


def test_the_catalog_check_sees_a_comparison():
    tree = ast.parse('if model == "toy_en_zh" or name in (SHIPPED_MODEL, x): pass')
    compares = [n for n in ast.walk(tree) if isinstance(n, ast.Compare)]
    assert all(any(_names_a_model(n) for n in [c.left, *c.comparators]) for c in compares) and len(compares) == 2
