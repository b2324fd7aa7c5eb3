"""The names the library and the pages share, in a module that imports no TensorFlow.

The pages validate links against these before anything loads the model.
"""

from pathlib import Path

WEIGHTS_DIR = Path(__file__).parent / "weights"
"""The shipped weights, their training snapshots and metrics.json."""

MASK_STRATEGIES = ("correct", "none", "neg_inf", "large_negative", "min_fill")
"""How masked scores are treated before the softmax.

- ``correct``: masked positions get α exactly 0; a fully masked row gets α = 0, c = 0.
- ``none``: the mask is ignored; padding takes weight like any token.
- ``neg_inf``: fill with -inf. Correct on a row with a real token, NaN on a fully
  masked row (exp(-inf - (-inf))). Kept as a demonstration; never the default.
- ``large_negative``: fill with -1e9. A fully masked row gets uniform weights.
- ``min_fill``: fill with the minimum score of the whole batch, as the source article's
  ``tf.where(mask, score, tf.reduce_min(score))`` does: masked positions keep weight.
"""
SCORE_FUNCTIONS = ("additive", "dot", "general", "scaled_dot")
"""Scores of a query and a key: each can also run on states trained for another score."""
TRAINED_SCORES = (*SCORE_FUNCTIONS, "location")
"""Every score a shipped model was trained with; Luong's location score reads the decoder state alone."""
SCORE_KINDS = {score: "attention" if score == "additive" else score for score in TRAINED_SCORES}
"""Trained score → the ``load_pretrained`` kind of its model (the additive model is the shipped "attention")."""
SHIPPED_MODEL = "toy_en_fr"
"""The link's name (``?model=``) of the shipped toy English → French model, ``load_pretrained("attention")``."""
FREE_TEXT_MODEL = "free"
"""What runs free text: the same architecture with seeded, untrained weights (``load_free_text``)."""
PITFALL_KEYS = ("softmax_axis", "min_fill", "neg_inf", "large_negative", "no_time_axis", "integer_inputs")

SHIPPED_SEED = 1
"""The seed the shipped models are trained with (``TrainConfig.seed``) and evaluated against."""

MAX_BEAM_WIDTH = 8
"""Hypotheses a beam keeps per step: a beam tree of more no longer reads on a slide (links are checked against it)."""
