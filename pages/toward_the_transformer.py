"""Toward the Transformer: from Bahdanau's additive score to multi-head attention in four stops, on the
person's sentence: the additive score, the dot and scaled dot scores, several heads with their own
projections, and attention over the sentence itself; every head's α beside the additive model's."""

from ui.models import compute
from ui.views import toward
from ui.widgets import page_frame

NAMES = ("text", "step", "layer", "head", "slide")
page_frame.page_start(toward.PAGE, NAMES, "toward.title")

toward.show(NAMES)
compute.warm_in_background()
