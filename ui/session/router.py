"""Make every page run inside ``app.py``, the router, even on a first visit by deep link.

Streamlit decides once per process whether an app with a ``pages/`` folder is a
folder-of-pages app (each file run on its own) or an ``st.navigation`` app; it only
learns the latter when ``app.py`` first calls ``st.navigation``. A first visitor who
opens ``/step_through?text=…`` before anyone opened ``/`` would get the page without
the router: no page set-up, no shared sidebar, no language. Such a run switches the
process to navigation mode and reruns, so ``app.py`` routes the same URL.

It is called twice: at the top of ``app.py`` (a first visit to ``/`` runs ``app.py`` in the old mode,
and its first control was lost: the language read "None") and from ``page_start`` (a first visit by
deep link runs the page file alone, without ``app.py``). It stays because ``pages/`` is the folder
the project's layout names, and Streamlit has no documented switch for that mode:
tests/browser/test_first_visit_journey.py opens a new server both ways.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

if not hasattr(PagesManager, "uses_pages_directory"):
    raise RuntimeError(
        f"Streamlit {st.__version__} has no PagesManager.uses_pages_directory: "
        "ui/session/router.py must be updated for this release (a first deep link would skip app.py)."
    )


def ensure_entrypoint() -> None:
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
