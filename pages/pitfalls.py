"""Classic attention bugs, each run live next to the correct computation, with its one-line fix."""

from ui.presenter import slides
from ui.views import pitfalls
from ui.widgets import layout

NAMES = ("batch", "pitfall", "slide")
layout.page_start("pitfalls", NAMES, "pit.title")
# In presenter mode two slides: the bug and its fix in code, then what each computes.
shown = slides.deck("pitfalls", 2)

key = pitfalls.pitfall_input(NAMES, explain=slides.shows(shown, 1))
model = layout.chosen_model()
layout.stop_unless_additive(model, NAMES)
pitfall = pitfalls.run(key, pitfalls.batch_rows(), model)
if slides.shows(shown, 1):
    pitfalls.code_part(pitfall)
if slides.shows(shown, 2):
    pitfalls.computed_part(pitfall)
