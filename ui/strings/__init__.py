"""Interface strings: one table per language (``en.py``, ``zh.py``), looked up with ``t``.

Long explanatory prose lives in markdown files under ``ui/prose/<lang>/``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import streamlit as st

from ui.strings import en, zh

TABLES = {"en": en.STRINGS, "zh": zh.STRINGS}
LANGUAGES = {"en": "English", "zh": "简体中文"}
PROSE_DIR = Path(__file__).resolve().parent.parent / "prose"


def language() -> str:
    lang = st.session_state.get("v_lang", "en")
    return lang if lang in TABLES else "en"


def t(key: str, **values) -> str:
    """The string ``key`` in the current language, with ``values`` filled in."""
    text = TABLES[language()][key]
    return text.format(**values) if values else text


@cache
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def prose(name: str) -> str:
    """A markdown file of explanation in the current language."""
    return _read(PROSE_DIR / language() / f"{name}.md")


_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:&=\"'")


def escape_markdown(text: str) -> str:
    """User text inside a markdown string renders as the characters typed, never as markup."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in text)
