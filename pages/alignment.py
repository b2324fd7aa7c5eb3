"""The whole α matrix of a translation, and how it emerged during training."""

import streamlit as st

from ui.presenter import slides
from ui.session import state
from ui.views import alignment
from ui.widgets import model_picker, notices, page_frame, sentence_inputs

NAMES = ("text", "target", "snap", "pick", "beam", "slide")
page_frame.page_start("alignment", NAMES, "align.title")

sentence_inputs.sentence_inputs(with_source=False, with_target=True)
text, target = state.commit("text"), state.commit("target")
notices.stop_without_words(text, NAMES)

run = alignment.replay(text, target, model_picker.chosen_model())
shown = slides.deck("alignment", alignment.slide_count(run))
# A notch of the training slider reruns this view alone: the map's data is swapped into the chart drawn before.
st.fragment(alignment.training_view)(run, NAMES, shown)
