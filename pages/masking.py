"""The same padded batch with and without a mask, side by side."""

from ui.session import state
from ui.views import masking, transformer_masks
from ui.widgets import model_picker, page_frame

NAMES = ("batch", "strategy", "step")
page_frame.page_start("masking", NAMES, "mask.title")

rows = masking.batch_input()
strategy = masking.strategy_input()
model = model_picker.chosen_model()
batch = masking.decode(rows, strategy, model)
step = masking.step_slider(batch, NAMES)
masking.leak_callout(batch, step)
state.write_url(NAMES)
masking.sides(batch, step)
masking.invariance(batch, step, model)
transformer_masks.comparison(rows, model)
