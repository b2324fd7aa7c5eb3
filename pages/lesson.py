"""A guided lesson: why attention, one step's equations, masking, a pitfall, what if and the Transformer's
causal mask, each stop with a question the live model answers on the learner's own sentence."""

import streamlit as st

from ui.models import compute
from ui.session import state
from ui.strings import t
from ui.views import lesson_views, room_views
from ui.widgets import model_picker, notices, page_frame, sentence_inputs

NAMES = ("text", "lesson", "done")
page_frame.page_start("lesson", NAMES, "lesson.title")
if not page_frame.presenting():
    st.caption(t("lesson.intro"))

stop, done = state.commit("lesson"), state.get("done")
lesson_views.path(stop, done)
stop = state.commit("lesson")
sentence_inputs.sentence_inputs(with_source=False, with_target=False)
text = state.commit("text")
notices.stop_without_words(text, NAMES)
state.write_url(NAMES)

model = model_picker.chosen_model()
with st.spinner(t("spinner.model")):
    translation = compute.translate(text, model, None)
notices.stop_without_words(translation.source_tokens, NAMES)
notices.translation_notices(translation, model)
asked = room_views.asked_here(stop, text, model)  # the room's question on this stop, on a slide
if asked:
    room_views.question_slide(asked, stop, text, model)
else:
    lesson_views.stop_screen(stop, text, model)
    room_views.ask_button(stop, text, model)
lesson_views.stop_buttons(stop)
state.write_url(NAMES)
