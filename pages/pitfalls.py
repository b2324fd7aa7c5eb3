"""Classic attention bugs, each run live next to the correct computation, with its one-line fix."""

from ui.presenter import slides
from ui.views import pitfalls
from ui.widgets import model_picker, notices, page_frame

NAMES = ("batch", "pitfall", "slide")
page_frame.page_start("pitfalls", NAMES, "pit.title")
# In presenter mode two slides: the bug and its fix in code, then what each computes.
shown = slides.deck("pitfalls", 2)

key = pitfalls.pitfall_input(NAMES, explain=slides.shows(shown, 1))
model = model_picker.chosen_model()
notices.stop_unless_additive(model, NAMES)
pitfall = pitfalls.run(key, pitfalls.batch_rows(), model)
if slides.shows(shown, 1):
    pitfalls.code_part(pitfall)
if slides.shows(shown, 2):
    pitfalls.computed_part(pitfall)
