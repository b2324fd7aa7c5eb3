"""The URL is the state that matters: ``?text=…&step=…&eq=…&lang=…`` and page parameters.

Each parameter has a canonical value in ``st.session_state`` (key ``v_<name>``) that
survives moving between pages, where Streamlit clears both the query string and the
state of widgets that are not drawn. A page declares the parameters it uses; on every
run a new value in the URL is parsed (a bad one falls back to its default with a
notice), widgets are bound to ``w:<page>:<name>`` keys seeded from the canonical value, and
the URL is re-written from the canonical values, so a link reproduces the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from attention_core.names import MASK_STRATEGIES, MAX_BEAM_WIDTH, PITFALL_KEYS, SCORE_FUNCTIONS, SHIPPED_MODEL
from ui.models import catalog
from ui.session.registry import DEFAULT_TALK, PAGE_PATHS

MAX_URL_TEXT = 2_000  # characters of free text kept from a link; the tokenizer caps tokens anyway


@dataclass(frozen=True)
class Param:
    name: str
    default: Any
    parse: Callable[[str], Any]  # raises ValueError on a value that makes no sense
    dump: Callable[[Any], str | list[str]] = str
    repeated: bool = False  # the key may appear several times (``pick=2:le&pick=5:chat``); parse gets them joined


REPEAT_SEPARATOR = "\x1f"  # joins a repeated parameter's values for ``parse`` and for comparing links


def _int_in(low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        value = int(raw.strip())
        if not low <= value <= high:
            raise ValueError(f"{value} is outside {low}..{high}")
        return value

    return parse


def _one_of(*choices: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw not in choices:
            raise ValueError(f"not one of {choices}")
        return raw

    return parse


def _equation(raw: str) -> int:
    """An equation number of ``ui.charts.equations.STEPS`` (imported here: only step pages link one)."""
    from ui.charts.equations import EQUATION_NUMBERS

    return _int_in(EQUATION_NUMBERS[0], EQUATION_NUMBERS[-1])(raw)


def _text(raw: str) -> str:
    return raw[:MAX_URL_TEXT]


def _flag(raw: str) -> bool:
    if raw not in ("0", "1", "true", "false"):
        raise ValueError("not 0 or 1")
    return raw in ("1", "true")


def _model(raw: str) -> str:
    """``model=NAME``: the shipped toy English → French model, a model the models folder lists now (a name,
    never a path: the folder lists only names of its own pattern), or this session's own private model of
    that name (another session's is no model here)."""
    return catalog.from_link(raw)


MAX_PICKS = 60  # one per decoder step of the longest sentence
MAX_WORD_CHARS = 40  # a target or source word in a link


def _word(raw: str) -> str:
    word = raw.strip()
    if not word or len(word) > MAX_WORD_CHARS or any(ch.isspace() for ch in word):
        raise ValueError(f"not a word: {raw!r}")
    return word


def _step_colon(raw: str) -> tuple[int, str]:
    step, colon, rest = raw.partition(":")
    if not colon:
        raise ValueError(f"no ':' in {raw!r}")
    return _int_in(1, 1_000)(step), rest


def _picks(raw: str) -> tuple[tuple[int, str], ...]:
    """``pick=STEP:WORD`` values, in step order: ((2, "le"), (5, "chat"))."""
    picks = tuple((step, _word(word)) for step, word in map(_step_colon, raw.split(REPEAT_SEPARATOR)))
    steps = [step for step, _ in picks]
    if len(picks) > MAX_PICKS or steps != sorted(set(steps)):
        raise ValueError("picks must be at most one per step, in step order")
    return picks


def _dump_picks(picks: tuple[tuple[int, str], ...]) -> list[str]:
    return [f"{step}:{word}" for step, word in picks]


def parse_override(raw: str) -> tuple[int, int | None, tuple[float, ...] | None]:
    """``STEP:J`` (all weight on source word J, 1-based) or ``STEP:w1,w2,…``: (step, J − 1 or None, weights or None)."""
    step, rest = _step_colon(raw)
    if "," not in rest:
        return step, _int_in(1, 1_000)(rest) - 1, None
    weights = tuple(float(w) for w in rest.split(","))
    if len(weights) > 1_000 or not all(0 <= w < float("inf") for w in weights) or not sum(weights) > 0:
        raise ValueError("weights must be finite, non-negative numbers, not all zero")
    return step, None, weights


def dump_override(step: int, j: int | None = None, weights=None) -> str:
    """The ``override`` value of one word (0-based ``j``) or of weights (written with 4 significant digits)."""
    if j is not None:
        return f"{step}:{j + 1}"
    return f"{step}:" + ",".join(f"{float(w):.4g}" for w in weights)


def _override(raw: str) -> str:
    parse_override(raw)
    return raw.strip()


def parse_swap(raw: str) -> tuple[int, str]:
    """``J:WORD``: the source word at J (1-based) replaced by WORD: (J − 1, WORD)."""
    j, word = _step_colon(raw)
    return j - 1, _word(word)


def _swap(raw: str) -> str:
    parse_swap(raw)
    return raw.strip()


EXAMPLE_SENTENCE = "the big red car sees a small dog"
EXAMPLE_TARGET = ""
# A one-word row (its attention is unsure, so without a mask most of it lands on padding), a
# sentence, a fully padded row and a long sentence that sets the padded length.
EXAMPLE_BATCH = "cat\nthe cat sees a dog\n\nthe big red car sees a small dog behind the old house"

WHAT_IF_VIEWS = ("override", "pick", "swap", "beam")  # the What if page's interventions, one slide each
SCORE_VIEWS = ("trained", "same_states")  # Score functions: trained models, or one model's states under each score
LESSON_STOPS = (
    "why",
    "alpha",
    "masking",
    "pitfall",
    "whatif",
    "transformer",
)  # the lesson, in order (ui.views.lesson.QUESTIONS)


def _stops(raw: str) -> tuple[str, ...]:
    """``done=why,alpha``: the lesson's stops answered right, kept in the lesson's order."""
    stops = {stop.strip() for stop in raw.split(",") if stop.strip()}
    if not stops <= set(LESSON_STOPS):
        raise ValueError(f"not lesson stops: {sorted(stops - set(LESSON_STOPS))}")
    return tuple(stop for stop in LESSON_STOPS if stop in stops)


def _room(raw: str) -> str:
    """``room=CODE``: the room of a talk this browser is in (``serving.rooms``; the code only, never a secret)."""
    from serving.rooms import normalize_code

    code = normalize_code(raw)
    if code is None:
        raise ValueError(f"not a room code: {raw!r}")
    return code


def _talk(raw: str) -> tuple[str, ...]:
    """``talk=step_through,what_if``: the pages of a talk in the speaker's order, each at most once."""
    pages = tuple(page.strip() for page in raw.split(","))
    unknown = [page for page in pages if page not in PAGE_PATHS]
    if unknown or len(set(pages)) != len(pages):
        raise ValueError(f"not a talk of distinct pages of {PAGE_PATHS}: {raw!r}")
    return pages


MAX_LAYERS = 16  # a Transformer's layers and heads a link may name; the page clamps them to the model's own
MAX_HEADS = 16

MAX_BATCH_ROWS = 4  # sentences in a padded batch: enough to show padding, readable on a phone


def batch_rows(text: str) -> tuple[tuple[str, ...], bool]:
    """The ``batch`` parameter as rows, the one way every page reads it.

    One sentence a line, at most ``MAX_BATCH_ROWS``; a blank line between others is a fully
    padded row, trailing blank lines are no row. Returns the rows and whether the text was
    usable as typed: cut to the limit, or without any sentence (then the example batch).
    """
    lines = text.split("\n")
    while len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    usable = len(lines) <= MAX_BATCH_ROWS and any(line.strip() for line in lines)
    if not any(line.strip() for line in lines[:MAX_BATCH_ROWS]):
        lines = EXAMPLE_BATCH.split("\n")
    return tuple(lines[:MAX_BATCH_ROWS]), usable


PARAMS: dict[str, Param] = {
    p.name: p
    for p in (
        Param("lang", "en", _one_of("en", "zh")),
        Param("present", False, _flag, lambda v: "1" if v else "0"),
        Param("talk", DEFAULT_TALK, _talk, ",".join),  # presenter mode: the deck's pages, in order
        Param("model", SHIPPED_MODEL, _model, catalog.link_name),  # the trained model every page runs
        Param("room", "", _room),  # the talk's room this browser is in (ui.session.room)
        Param("text", EXAMPLE_SENTENCE, _text),
        Param("src", "toy", _one_of("toy", "free")),
        Param("target", EXAMPLE_TARGET, _text),
        Param("step", 1, _int_in(1, 1_000)),
        Param("eq", 1, _equation),
        Param("slide", 1, _int_in(1, 99)),  # presenter mode: the slide shown of a page of several (ui.presenter.slides)
        Param("strategy", "correct", _one_of(*MASK_STRATEGIES)),
        Param("batch", EXAMPLE_BATCH, _text),
        Param("snap", -1, _int_in(-1, 99)),
        Param("score", "dot", _one_of(*(s for s in SCORE_FUNCTIONS if s != "additive"))),
        Param("pitfall", PITFALL_KEYS[0], _one_of(*PITFALL_KEYS)),
        Param("pick", (), _picks, _dump_picks, repeated=True),
        Param("beam", 1, _int_in(1, MAX_BEAM_WIDTH)),
        Param("override", "", _override),
        Param("swap", "", _swap),
        Param("baseline", False, _flag, lambda v: "1" if v else "0"),
        Param("whatif", WHAT_IF_VIEWS[0], _one_of(*WHAT_IF_VIEWS)),
        Param("scores", SCORE_VIEWS[0], _one_of(*SCORE_VIEWS)),
        Param("lesson", LESSON_STOPS[0], _one_of(*LESSON_STOPS)),
        Param("done", (), _stops, ",".join),
        Param("only", False, _flag, lambda v: "1" if v else "0"),  # step page: Next keeps the equation
        Param("layer", 1, _int_in(1, MAX_LAYERS)),  # a Transformer's layer (1-based), clamped to the model's
        Param("head", 1, _int_in(1, MAX_HEADS)),  # one of its heads (1-based), clamped to the model's
    )
}

GLOBAL = ("lang", "present", "talk", "model", "room")  # carried across pages and into every link
PAGE_NAMES = "page_names"  # session: the parameters of the page being drawn (what its exports name)


@dataclass(frozen=True)
class Notice:
    name: str
    raw: str
    default: Any


def sync(names: tuple[str, ...], page: str = "app") -> list[Notice]:
    """Read the URL into the canonical values of ``names`` (and the global ones) for ``page``.

    Returns a notice for each URL value that made no sense and was replaced by its default.
    """
    # The router reads the global values before any page runs; it does not change the page.
    same_page = page != "app" and st.session_state.get("current_page") == page
    if page != "app":
        st.session_state["current_page"] = page
        st.session_state[PAGE_NAMES] = names
    notices = []
    for name in (*GLOBAL, *names):
        param = PARAMS[name]
        key, seen_key = f"v_{name}", f"url_{name}"
        raw = _raw(name)
        if same_page and _set_by_this_press(name):
            # The browser sent the link it showed when the person pressed: it predates the press,
            # and can predate the server's last write of it (a burst of arrow keys). The press wins.
            pass
        elif raw is None and same_page and seen_key in st.session_state:
            # The link this page wrote had the value and the URL no longer does: Back (or an
            # edited link) to a screen where it was the default. The URL wins, as it would
            # for any other value; between pages Streamlit drops the query, so only here.
            del st.session_state[seen_key]
            st.session_state[key] = param.default
            _forget_widgets(name)
            _revised(name)
        elif raw is not None and st.session_state.get(seen_key) != raw:
            st.session_state[seen_key] = raw
            try:
                st.session_state[key] = param.parse(raw)
            except ValueError:
                st.session_state[key] = param.default
                notices.append(Notice(name, raw, param.default))
            _forget_widgets(name)  # the widget shows the linked value
            _revised(name)
        elif key not in st.session_state:
            st.session_state[key] = param.default
        st.session_state.get(PRESSED, set()).discard(name)
    return notices


PRESSED = "pressed"  # session: names a callback set (``put``) since the page last read or wrote the link


def _set_by_this_press(name: str) -> bool:
    """Whether the run's own press set ``name``: a widget bound to it moved (its value is not the
    canonical one yet), or a callback ``put`` it before the page read the link."""
    if name in st.session_state.get(PRESSED, ()):
        return True
    value = get(name)
    bound = st.session_state.get(WIDGET_KEYS, {}).get(name, ())
    return any(key in st.session_state and st.session_state[key] != value for key in bound)


def _raw(name: str) -> str | None:
    """The link's value of ``name`` as one string (a repeated parameter's values joined), or None."""
    if not PARAMS[name].repeated:
        return st.query_params.get(name)
    values = st.query_params.get_all(name)
    return REPEAT_SEPARATOR.join(values) if values else None


WIDGET_KEYS = "widget_keys"  # session: name → the keys of the widgets bound to it (see widget_key)


def _forget_widgets(name: str) -> None:
    # Only the keys this session bound to ``name``: reading every key of the session state
    # would copy all of it, twice on every press of Next.
    for key in st.session_state.get(WIDGET_KEYS, {}).pop(name, ()):
        st.session_state.pop(key, None)


def _widget_key(name: str, scope: str = "") -> str:
    # One key per page: a widget of the same name on another page is a different widget,
    # and Streamlit would start it from its own default instead of the canonical value.
    # ``scope`` makes a new widget when what it chooses among changes (a new sentence's steps).
    page = st.session_state.get("current_page", "app") if name not in GLOBAL else "app"
    return f"w:{page}:{scope + ':' if scope else ''}{name}"


def get(name: str) -> Any:
    return st.session_state.get(f"v_{name}", PARAMS[name].default)


def put(name: str, value: Any) -> None:
    """Set a canonical value from code (a button, a link between pages)."""
    st.session_state[f"v_{name}"] = value
    st.session_state.setdefault(PRESSED, set()).add(name)
    _forget_widgets(name)
    _revised(name)


def _revised(name: str) -> None:
    st.session_state[f"rev_{name}"] = revision(name) + 1


def revision(name: str) -> int:
    """How many times the page set ``name`` from code or from a link: the step page's script
    shows the server's equation when this changes, and keeps its own otherwise."""
    return st.session_state.get(f"rev_{name}", 0)


def widget_key(name: str, scope: str = "") -> str:
    """The key to bind a widget to; seeded from the canonical value, copied back by ``commit``."""
    key = _widget_key(name, scope)
    if key not in st.session_state:
        st.session_state[key] = get(name)
    st.session_state.setdefault(WIDGET_KEYS, {}).setdefault(name, set()).add(key)
    return key


def commit(name: str, scope: str = "") -> Any:
    """Copy the widget's value into the canonical value; returns it."""
    key = _widget_key(name, scope)
    if key in st.session_state:
        st.session_state[f"v_{name}"] = st.session_state[key]
    return get(name)


# Told every page and link a page writes (``write_url``): a room's speaker publishes the screen, a
# following phone notices that it left the speaker's (ui.session.room). Filled once, at import.
LINK_WRITTEN: list[Callable[[str, dict], None]] = []


def screen_query(names: tuple[str, ...]) -> dict[str, str | list[str]]:
    """The link's query of the screen: every parameter of ``names`` and the global ones, defaults left out."""
    wanted = {}
    for name in (*GLOBAL, *names):
        param, value = PARAMS[name], get(name)
        if value != param.default:
            wanted[name] = param.dump(value)
    return wanted


def write_url(names: tuple[str, ...]) -> None:
    """Make the URL reproduce the screen: every parameter of this page, defaults left out."""
    wanted = screen_query(names)
    current = {
        k: (st.query_params.get_all(k) if k in PARAMS and PARAMS[k].repeated else st.query_params.get(k))
        for k in st.query_params
    }
    joined = {name: REPEAT_SEPARATOR.join(raw) if isinstance(raw, list) else raw for name, raw in wanted.items()}
    written = {name: st.session_state[f"url_{name}"] for name in (*GLOBAL, *names) if f"url_{name}" in st.session_state}
    # The browser's link can lag the last one written (a press sent before it arrived): written
    # again when either differs, or the browser would keep the later link of the two.
    if current != wanted or written != joined:
        st.query_params.from_dict(wanted)
    for name, raw in joined.items():
        st.session_state[f"url_{name}"] = raw
    for name in (*GLOBAL, *names):
        if name not in wanted:
            st.session_state.pop(f"url_{name}", None)
    st.session_state.get(PRESSED, set()).difference_update((*GLOBAL, *names))
    for told in LINK_WRITTEN:
        told(st.session_state.get("current_page", ""), wanted)


def carried() -> dict[str, str]:
    """The link values that travel between pages (``GLOBAL``: language, presenter mode, the talk, the
    model), defaults left out: the query every link to another page carries."""
    return {name: PARAMS[name].dump(get(name)) for name in GLOBAL if get(name) != PARAMS[name].default}


def model_still_there() -> list[Notice]:
    """A model chosen earlier that the folder no longer lists (deleted, renamed) falls back to the
    shipped one, with the same notice as a bad link value; nothing else changes."""
    model = get("model")
    if catalog.is_known(model):
        return []
    put("model", SHIPPED_MODEL)
    return [Notice("model", model, SHIPPED_MODEL)]


INTERVENTIONS = ("pick", "override", "swap")  # made for one sentence: a new one starts without them


def clear_interventions() -> None:
    """A new sentence, or another model, starts from the model's own translation (widgets' on_change)."""
    for name in INTERVENTIONS:
        put(name, PARAMS[name].default)


def link(page: str, **values: Any) -> str:
    """A relative deep link to ``page`` with ``values`` (for markdown links and the share box); the
    global values (``GLOBAL``: the language, presenter mode, the talk, the model) come along unless given."""
    from urllib.parse import urlencode

    values = {**{name: get(name) for name in GLOBAL}, **values}
    query = {k: PARAMS[k].dump(v) for k, v in values.items() if v != PARAMS[k].default}
    return f"/{page}" + (f"?{urlencode(query, doseq=True)}" if query else "")
