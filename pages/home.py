"""What attention is, the four equations, and a way into each page. Imports no TensorFlow."""

import streamlit as st

from ui.presenter import slides
from ui.session import registry, state
from ui.strings import prose, t
from ui.views import home
from ui.widgets import model_picker, page_frame, sentence_inputs

NAMES = ("slide",)
page_frame.page_start("home", NAMES, "home.title")
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
if slides.shows(shown, 4):
    home.page_cards(carried)
if slides.shows(shown, 5):
    own = model_picker.own_model()
    st.subheader(t("own.words_title", name=model_picker.model_name()) if own else t("words.title"))
    st.markdown(t("own.words_intro") if own else t("words.intro"))
    st.markdown(sentence_inputs.known_words_markdown())

    st.markdown(prose("home_seed"))
