"""The one list of the app's pages: the router, the menu, the talk, Home's cards, the lesson's links and
the link state all read it, so a page is added, renamed or reordered in one place.

Streamlit-free: the router turns each entry into an ``st.Page``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PageEntry:
    path: str  # the url path, and pages/<path>.py
    title_key: str  # its name in the interface strings
    icon: str
    card_key: str | None = None  # Home's card text for it; None: no card
    card_params: dict = field(default_factory=dict)  # the link a card opens: a screen worth seeing first
    in_talk: bool = True  # False: never in a talk (Train: in the menu only where training is on)
    runs_transformer: bool = False  # it draws something true with the Transformer chosen; else a note in its place

    @property
    def script(self) -> str:
        return f"pages/{self.path}.py"


EXAMPLE_TEXT = "the big red car sees a small dog"  # Home's cards open the step page and What if on it

PAGES: tuple[PageEntry, ...] = (
    PageEntry("home", "nav.home", ":material/home:", runs_transformer=True),
    PageEntry("lesson", "nav.lesson", ":material/school:"),
    PageEntry("why_attention", "nav.why", ":material/show_chart:", "home.card.why"),
    PageEntry(
        "step_through",
        "nav.step",
        ":material/stairs:",
        "home.card.step",
        {"text": EXAMPLE_TEXT, "eq": "5"},
        runs_transformer=True,
    ),
    PageEntry("masking", "nav.masking", ":material/masks:", "home.card.masking", {"strategy": "min_fill"}),
    PageEntry(
        "alignment",
        "nav.alignment",
        ":material/grid_on:",
        "home.card.alignment",
        {"text": "a black city finds the small parks"},
    ),
    PageEntry("score_functions", "nav.scores", ":material/balance:", "home.card.scores", {"score": "scaled_dot"}),
    PageEntry(
        "toward_the_transformer",
        "nav.toward",
        ":material/hub:",
        "home.card.toward",
        {"text": EXAMPLE_TEXT, "step": "4"},
        runs_transformer=True,
    ),
    PageEntry("pitfalls", "nav.pitfalls", ":material/bug_report:", "home.card.pitfalls", {"pitfall": "softmax_axis"}),
    PageEntry(
        "what_if",
        "nav.whatif",
        ":material/science:",
        "home.card.whatif",
        {"text": EXAMPLE_TEXT, "override": "2:8"},
        runs_transformer=True,  # one head's α overridden
    ),
    PageEntry("train", "nav.train", ":material/model_training:", in_talk=False, runs_transformer=True),
)
HOME = PAGES[0].path  # the default page, at "/" (and at /home, the address older links use)
BY_PATH = {page.path: page for page in PAGES}
PAGE_PATHS = tuple(page.path for page in PAGES if page.in_talk)  # the pages a talk or a link may name
# The talk a deck walks by default: why attention, one step's seven equations, masking, pitfalls, what if.
DEFAULT_TALK = ("why_attention", "step_through", "masking", "pitfalls", "what_if")
# The page each of the lesson's stops teaches, whose full screen the stop links to.
LESSON_PAGES = {
    "why": "why_attention",
    "alpha": "step_through",
    "masking": "masking",
    "pitfall": "pitfalls",
    "whatif": "what_if",
    "transformer": "masking",  # the masking page ends on the Transformer's causal mask
}


def script(path: str) -> str:
    """``pages/<path>.py`` of a page of the registry (a KeyError for any other)."""
    return BY_PATH[path].script


def title_key(path: str) -> str:
    return BY_PATH[path].title_key
