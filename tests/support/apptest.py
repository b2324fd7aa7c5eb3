"""Opening the app under Streamlit's AppTest, and reading what a page shows."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 180  # the first run of a model page imports TensorFlow and builds the model


def run(page: str | None = None, *, check: bool = True, **params: str) -> AppTest:
    """Open ``page`` (None: home) with ``params`` in the link; with ``check``, no exception allowed."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if page:
        at.switch_page(f"pages/{page}.py")
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    if check:
        assert not at.exception, [e.value for e in at.exception]
    return at


HIGHLIGHT = re.compile(r"\*\*(`[^`]*`)\*\*")  # a bold token: the word being produced or looked at


def texts(at: AppTest) -> str:
    """Every text on the page, highlights unwrapped (a highlighted `word` reads as `word`)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    parts += [x.value for x in (*at.warning, *at.info, *at.success, *at.error)]
    parts += [x.value for x in at.latex] + [h.value for h in at.subheader]
    return HIGHLIGHT.sub(r"\1", "\n".join(parts))


def warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


# The talk under AppTest: the page shown, its bar's position, a press of one of its buttons.


def page_of(at: AppTest) -> str:
    return at.session_state["current_page"]


def where(at: AppTest) -> str:
    """The bar's "k / n", the one markdown made of a position."""
    found = [m.value for m in at.markdown if " / " in m.value and m.value.replace(" / ", "").isdigit()]
    assert len(found) == 1, [m.value for m in at.markdown][:6]
    return found[0]


def press(at: AppTest, key: str) -> AppTest:
    """Click ``key`` on the page shown. AppTest keeps asking for the page its last ``switch_page``
    named; a browser asks for the page it shows, so the test names it before each click."""
    at.switch_page(f"pages/{page_of(at)}.py")
    at.button(key=key).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at
