"""Score functions: five models trained with different scores, or one model's states under each score."""

from ui.session import state
from ui.strings import t
from ui.views import score_views
from ui.widgets import page_frame, sentence_inputs

NAMES = ("text", "src", "step", "score", "scores")
page_frame.page_start("score_functions", NAMES, "score.title")

sentence_inputs.choice(
    "scores",
    t("score.view"),
    state.SCORE_VIEWS,
    lambda view: t(f"score.view.{view}"),
    label_visibility=page_frame.slide_label(),
)
if state.commit("scores") == "trained":
    score_views.trained_view(NAMES)
else:
    score_views.same_states_view(NAMES)
