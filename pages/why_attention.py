"""Why attention exists: a model without it loses long sentences (Bahdanau et al. 2014, Figure 2, on our task)."""

from ui.presenter import slides
from ui.session import state
from ui.views import why_attention
from ui.widgets import model_picker, notices, page_frame, sentence_inputs

NAMES = ("text", "slide")
page_frame.page_start("why_attention", NAMES, "why.title")

evaluation = why_attention.evaluation(model_picker.chosen_model())
if evaluation.with_baseline:
    why_attention.offer_long_example(evaluation)
if not page_frame.presenting():  # the page in reading order; a slide draws its part once it knows how many there are
    why_attention.first_part(evaluation)
    why_attention.comparison_heading(evaluation)
    sentence_inputs.sentence_inputs(with_source=False, with_target=False)
text = state.commit("text")
notices.stop_without_words(text, NAMES)

comparison = why_attention.translate(text, evaluation, NAMES)
parts = why_attention.slide_parts(evaluation, comparison)
shown = slides.deck("why_attention", len(parts))
state.write_url(NAMES)
for number, part in enumerate(parts, start=1):
    if slides.shows(shown, number):
        part()
