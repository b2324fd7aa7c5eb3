"""Home's content that is more than a line: a card for each page, each link opening it on a screen
worth seeing first."""

from __future__ import annotations

import streamlit as st

from ui.models import model_words
from ui.session import registry, state
from ui.strings import t
from ui.widgets import model_picker


def page_cards(carried: dict[str, str]) -> None:
    """A card for each page, each link opening it on a screen worth seeing first (with the ``carried``
    parameters: the language and presenter mode)."""
    st.subheader(t("home.start"))
    own = model_picker.own_model()
    cards = [(page.script, page.title_key, page.card_key, page.card_params) for page in registry.PAGES if page.card_key]
    if own:  # the toy sentences and the override of word 8 are the shipped model's: a folder model's own sentence
        example = model_words.example_sentence(model_picker.chosen_model(), state.PARAMS["text"].default)
        cards = [
            (page, title, blurb, {k: (example if k == "text" else v) for k, v in params.items() if k != "override"})
            for page, title, blurb, params in cards
        ]
    columns = [*st.columns(4), *st.columns(4)]  # two rows: seven cards in one row leave no room for their words
    for column, (page, title, blurb, params) in zip(columns, cards):
        with column.container(border=True):
            st.markdown(f"**{t(title)}**")
            st.caption(t(blurb))
            st.page_link(
                page, label=t("home.open"), icon=":material/arrow_forward:", query_params={**params, **carried}
            )
