"""The source article, named where a page speaks of "the article's code", with its own lines."""

from __future__ import annotations

import streamlit as st

from attention_core.data import article
from ui.strings import t
from ui.widgets import page_frame


def article_name() -> str:
    """One sentence that says which article "the article" is."""
    return t("article.name", title=article.TITLE, author=article.AUTHOR, section=article.CODE_SECTION)


def article_code(pitfall: str) -> None:
    """The article's code example in a box, with the numbers of the lines that carry ``pitfall``
    (nothing for a bug the article does not have). Not on a slide: it is a page of code."""
    numbers = article.bug_line_numbers(pitfall)
    if not numbers or page_frame.presenting():
        return
    with st.expander(t("article.where", lines=", ".join(map(str, numbers))), icon=":material/menu_book:"):
        st.caption(article_name())
        st.code(article.CODE, language="python", line_numbers=True)


def article_line(pitfall: str) -> None:
    """A caption naming the article and quoting the line that carries ``pitfall``."""
    numbers = article.bug_line_numbers(pitfall)
    if not numbers:
        return
    lines = article.CODE.splitlines()
    quoted = "; ".join(f"{n}: `{lines[n - 1].strip()}`" for n in numbers)
    st.caption(article_name() + " " + t("article.quoted", lines=quoted))
