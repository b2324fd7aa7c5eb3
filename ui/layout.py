"""Page furniture: the shared sidebar, notices, user text shown safely, the sentence box."""

from __future__ import annotations

import streamlit as st

from ui import compute, router, state
from ui.strings import TABLES, t

_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:&=\"'")

# Constant CSS, never built from user text. A long substituted equation scrolls instead
# of being cut off; presenter mode enlarges the main area's type, not the sidebar's.
APP_CSS = """
<style>
.katex-display { overflow-x: auto; overflow-y: hidden; padding-bottom: 0.3rem; }
</style>
"""
PRESENTER_CSS = """
<style>
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p { font-size: 1.45rem; }
[data-testid="stMain"] .katex { font-size: 1.7rem !important; }
[data-testid="stMain"] button p { font-size: 1.5rem; }
[data-testid="stMain"] button { min-height: 4rem; }
</style>
"""


def escape_markdown(text: str) -> str:
    """User text inside a markdown string renders as the characters typed, never as markup."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in text)


def page_start(page: str, names: tuple[str, ...], title_key: str) -> None:
    """Every page begins alike: routed through app.py, the link read, the title, the link's notices."""
    router.ensure_entrypoint()
    notices = state.sync(names, page=page)
    st.title(t(title_key))
    show_notices(notices)


def show_notices(notices: list[state.Notice]) -> None:
    for n in notices:
        st.warning(
            t(
                "notice.bad_param",
                name=n.name,
                value=escape_markdown(n.raw[:80]),
                default=escape_markdown(str(n.default)),
            ),
            icon=":material/warning:",
        )


def presenting() -> bool:
    return bool(state.get("present"))


def apply_style() -> None:
    st.markdown(APP_CSS + (PRESENTER_CSS if presenting() else ""), unsafe_allow_html=True)


def token_line(tokens: list[str], unknown: list[int] | None = None) -> str:
    """Tokens as inline code, safe for markdown; unknown words marked."""
    unknown = set(unknown or [])
    parts = []
    for j, token in enumerate(tokens):
        shown = token.replace("`", "ˋ")
        parts.append(f"`{shown}`" + (" ⁽ᵘⁿᵏ⁾" if j in unknown else ""))
    return " ".join(parts) if parts else "—"


def choice(name: str, label: str, options, format_func, where=st) -> None:
    """A segmented control bound to the link parameter ``name``."""
    where.segmented_control(
        label, options=list(options), format_func=format_func, key=state.widget_key(name), required=True
    )


def class_name(word_class: str) -> str:
    """A word class of the toy grammar in the interface language (its own name if none is written)."""
    key = f"words.class.{word_class}"
    return t(key) if key in TABLES["en"] else word_class


def known_words_markdown() -> str:
    """The words the toy model knows, one line per class: for Home and the sentence box's help."""
    lines = [
        f"- **{class_name(word_class)}**: {', '.join(words)}"
        for word_class, words in compute.toy_words_by_class().items()
    ]
    return "\n".join(lines)


def _random_sentence(with_source: bool, with_target: bool) -> None:
    state.put("text", compute.random_toy_sentence())
    if with_source:
        state.put("src", "toy")  # a sentence of the toy language is for the trained model
    if with_target:
        state.put("target", "")  # a forced translation of another sentence would no longer fit


def random_sentence_button(with_source: bool = False, with_target: bool = False, where=st) -> None:
    where.button(
        t("input.random"),
        icon=":material/casino:",
        on_click=_random_sentence,
        args=(with_source, with_target),
        help=t("input.random_help"),
        key="random_sentence",
    )


def sentence_inputs(with_source: bool, with_target: bool) -> None:
    """The sentence box, the model switch and the optional target, bound to the URL state."""
    if presenting():
        return
    help_text = t("input.sentence_help") + "\n\n" + known_words_markdown()
    if with_source:
        left, right = st.columns([3, 2])
        left.text_input(t("input.sentence"), key=state.widget_key("text"), help=help_text)
        choice("src", t("input.source"), ["toy", "free"], lambda s: t(f"input.source.{s}"), where=right)
    else:
        st.text_input(t("input.sentence"), key=state.widget_key("text"), help=help_text)
    random_sentence_button(with_source, with_target)
    if with_target:
        st.text_input(t("input.target"), key=state.widget_key("target"), help=t("input.target_help"))


def stop_without_words(text_or_tokens, names: tuple[str, ...]) -> None:
    """Nothing to attend to: say why, keep the link in step, draw nothing more."""
    if isinstance(text_or_tokens, str):
        if text_or_tokens.strip():
            return
        st.info(t("notice.empty_text"), icon=":material/edit:")
    elif text_or_tokens:
        return
    else:
        st.info(t("notice.no_tokens"), icon=":material/edit:")
    state.write_url(names)
    st.stop()


def unknown_words_notice(words: list[str]) -> None:
    """The one warning every page gives for words outside the toy lexicon."""
    if words:
        shown = ", ".join(escape_markdown(w) for w in dict.fromkeys(words))
        st.warning(t("notice.unknown", words=shown), icon=":material/help:")


def translation_notices(translation, source: str) -> None:
    """What the person should know about this translation: cut short, untrained, unknown words."""
    if translation.truncated:
        st.warning(t("notice.truncated", n=len(translation.source_tokens)), icon=":material/content_cut:")
    if source == "free":
        st.warning(t("notice.free_text"), icon=":material/casino:")
    else:
        unknown_words_notice([translation.source_tokens[j] for j in translation.unknown_source])


def clamp_step(n_steps: int) -> None:
    """A linked step past the end of this translation becomes the last step, with a notice."""
    if state.get("step") > n_steps:
        st.warning(t("notice.step_clamped", step=state.get("step"), n=n_steps), icon=":material/warning:")
        state.put("step", n_steps)
