"""Score functions: five models trained with different scores, or one model's states under each score."""

from ui.session import state
from ui.strings import t
from ui.views import score_views
from ui.widgets import layout

NAMES = ("text", "src", "step", "score", "scores")
layout.page_start("score_functions", NAMES, "score.title")

layout.choice(
    "scores",
    t("score.view"),
    state.SCORE_VIEWS,
    lambda view: t(f"score.view.{view}"),
    label_visibility=layout.slide_label(),
)
if state.commit("scores") == "trained":
    score_views.trained_view(NAMES)
else:
    score_views.same_states_view(NAMES)
