"""What if: intervene on the live model (override α, pick a word, swap a source word, search with a
beam) and watch each consequence through the equations, beside the model's own computation."""

import streamlit as st

from ui.models import catalog, compute
from ui.session import state
from ui.strings import t
from ui.views import head_override, reference_views, what_if, what_if_views
from ui.widgets import model_picker, notices, page_frame, sentence_inputs

NAMES = (
    "text",
    "src",
    "step",
    "pick",
    "beam",
    "override",
    "swap",
    "whatif",
    "layer",
    "head",
)  # a head: the Transformer
page_frame.page_start("what_if", NAMES, "whatif.title")

sentence_inputs.sentence_inputs(with_source=True, with_target=False)
text, model = state.commit("text"), model_picker.running_model(state.commit("src"))
notices.stop_without_words(text, NAMES)
if catalog.get(model).transformer:  # heads, not one α: one head overridden (ends the page)
    head_override.show(text, model, NAMES)

with st.spinner(t("spinner.model")):
    what_if_views.talk_override(text, model)
    translation, interventions = what_if.read(text, model, "")
notices.stop_without_words(translation.source_tokens, NAMES)
notices.translation_notices(translation, model)
reference_views.reference_block(translation, model)
notices.clamp_step(len(translation.steps))

sentence_inputs.choice(
    "whatif",
    t("whatif.view"),
    state.WHAT_IF_VIEWS,
    lambda v: t(f"whatif.view.{v}"),
    label_visibility=page_frame.slide_label(),
)
view = state.commit("whatif")
what_if_views.VIEWS[view](text, model, translation, interventions)
state.write_url(NAMES)
compute.warm_in_background()
