"""One decoder step, one equation at a time, with the live tensors of that equation."""

import streamlit as st

from ui.models import compute
from ui.presenter import held_step, talk
from ui.session import state
from ui.strings import t
from ui.views import reference_views, step_panel, transformer_step, what_if
from ui.widgets import model_picker, notices, page_frame, sentence_inputs

NAMES = ("text", "src", "target", "step", "eq", "pick", "beam", "override", "baseline", "only", "layer", "head")
held_step.adopt()  # the equation a held step shows, before the presenter bar shares it
page_frame.page_start("step_through", NAMES, "step.title")
if model_picker.transformer_chosen():  # its heads and layers, one equation of multi-head attention at a time
    transformer_step.show(model_picker.chosen_model(), NAMES)
    page_frame.keyboard_shortcuts(step_buttons=True)
    st.stop()

sentence_inputs.sentence_inputs(with_source=True, with_target=True, with_beam=True)
text, source, target = state.commit("text"), state.commit("src"), state.commit("target")
model = model_picker.running_model(source)
notices.stop_without_words(text, NAMES)
notices.stop_unless_additive(model, NAMES)

with st.spinner(t("spinner.model")):
    translation, interventions = what_if.read(text, model, target)
    compute.translator(model)  # built here, under the spinner, not in the panel

notices.stop_without_words(translation.source_tokens, NAMES)
notices.translation_notices(translation, model)
reference_views.reference_block(translation, model)
if translation.forced and not page_frame.presenting():
    st.caption(t("step.forced"))
notices.clamp_step(len(translation.steps))
talk.arrive_at_end("step_through", len(translation.steps), step_panel.LAST_EQ)  # entered from the next page

held_step.teller()
# Next and Back rerun only the panel: the sentence, the model and the notices above stay.
st.fragment(step_panel.show)(translation, model, NAMES, interventions)
page_frame.keyboard_shortcuts(step_buttons=True)
