"""What attention is, the four equations, and a way into each page. Imports no TensorFlow."""

import streamlit as st

from ui.models import compute
from ui.presenter import slides
from ui.session import registry, state
from ui.strings import prose, t
from ui.widgets import layout

NAMES = ("slide",)
layout.page_start("home", NAMES, "home.title")
# In presenter mode each part is a slide of its own: what it is, the equations, their symbols,
# the pages, the words the model knows.
shown = slides.deck("home", 5)
state.write_url(NAMES)
# The language and presenter mode travel with every link, as they do between pages.
carried = state.carried()
if slides.shows(shown, 1):
    st.caption(t("home.tagline"))
    with st.container(border=True):
        st.page_link(
            registry.script("lesson"),
            label=f"**{t('home.start_lesson')}**",
            icon=":material/school:",
            query_params=carried,
        )
        st.caption(t("home.start_lesson_help"))
    st.markdown(prose("home_intro"))

if slides.shows(shown, 2):
    st.subheader(t("home.equations"))
    st.latex(r"e_{ij} = v^\top \tanh\left(W_1 h_j + W_2 s_{i-1} + b\right)")
    st.latex(r"\alpha_{ij} = \frac{\exp(e_{ij})}{\sum_{k=1}^{T_x} \exp(e_{ik})}")
    st.latex(r"c_i = \sum_{j=1}^{T_x} \alpha_{ij}\, h_j")
    st.latex(r"y_i = g\left(s_{i-1},\, c_i\right)")
if slides.shows(shown, 3):
    st.markdown(prose("home_symbols"))


def page_cards() -> None:
    """A card for each page, each link opening it on a screen worth seeing first."""
    st.subheader(t("home.start"))
    own = layout.own_model()
    cards = [(page.script, page.title_key, page.card_key, page.card_params) for page in registry.PAGES if page.card_key]
    if own:  # the toy sentences and the override of word 8 are the shipped model's: a folder model's own sentence
        example = compute.example_sentence(layout.chosen_model(), state.PARAMS["text"].default)
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


if slides.shows(shown, 4):
    page_cards()
if slides.shows(shown, 5):
    own = layout.own_model()
    st.subheader(t("own.words_title", name=layout.model_name()) if own else t("words.title"))
    st.markdown(t("own.words_intro") if own else t("words.intro"))
    st.markdown(layout.known_words_markdown())

    st.markdown(prose("home_seed"))
