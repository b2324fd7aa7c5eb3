"""The sentence and its inputs: the sentence box, a random sentence, the target and the beam, the
words a model knows, and tokens written as one line."""

from __future__ import annotations

import streamlit as st

from ui.models import catalog, model_words
from ui.session import state
from ui.strings import TABLES, escape_markdown, t
from ui.widgets import model_picker, page_frame


def token_line(
    tokens: list[str],
    unknown: list[int] | None = None,
    highlight: int | None = None,
    marks: dict[int, str] | None = None,
    bold=(),
) -> str:
    """Tokens as inline code, safe for markdown; unknown words marked; token ``highlight`` (and those
    in ``bold``) stand out; ``marks`` puts a short note in italics after a token ("picked")."""
    unknown, marks, bold = set(unknown or []), marks or {}, set(bold)
    parts = []
    for j, token in enumerate(tokens):
        shown = f"`{token.replace('`', 'ˋ')}`"
        if j == highlight or j in bold:
            shown = f"**{shown}**"  # styled by APP_CSS
        note = f" _{escape_markdown(marks[j])}_" if j in marks else ""
        parts.append(shown + (" ⁽ᵘⁿᵏ⁾" if j in unknown else "") + note)
    return " ".join(parts) if parts else "—"


def choice(name: str, label: str, options, format_func, where=st, label_visibility: str = "visible") -> None:
    """A segmented control bound to the link parameter ``name``."""
    where.segmented_control(
        label,
        options=list(options),
        format_func=format_func,
        key=state.widget_key(name),
        required=True,
        label_visibility=label_visibility,
    )


def class_name(word_class: str) -> str:
    """A word class of the toy grammar in the interface language (its own name if none is written)."""
    key = f"words.class.{word_class}"
    return t(key) if key in TABLES["en"] else word_class


def known_words_markdown() -> str:
    """The words the chosen model knows: the toy lexicon one line per class, or a folder model's most
    frequent source words (for Home and the sentence box's help)."""
    model = model_picker.chosen_model()
    if catalog.get(model).word_classes:
        lines = [
            f"- **{class_name(word_class)}**: {', '.join(words)}"
            for word_class, words in model_words.toy_words_by_class().items()
        ]
        return "\n".join(lines)
    words = model_words.source_words(model)
    shown = words[: model_words.KNOWN_WORDS_SHOWN]
    listed = ", ".join(escape_markdown(w) for w in shown)
    return t("own.words_list", name=model_picker.model_name(model), n=len(words), shown=len(shown), words=listed)


def _random_sentence(with_source: bool, with_target: bool) -> None:
    state.clear_interventions()
    state.put("text", model_words.random_sentence(model_picker.chosen_model()) or state.get("text"))
    if with_source:
        state.put("src", "toy")  # a sentence of the model's data is for the trained model
    if with_target:
        state.put("target", "")  # a forced translation of another sentence would no longer fit


def random_sentence_button(with_source: bool = False, with_target: bool = False, where=st) -> None:
    own = model_picker.own_model()
    where.button(
        t("own.random") if own else t("input.random"),
        icon=":material/casino:",
        on_click=_random_sentence,
        args=(with_source, with_target),
        help=t("own.random_help", name=model_picker.model_name()) if own else t("input.random_help"),
        key="random_sentence",
    )


def beam_input(where=st) -> None:
    """The beam width, 1 (greedy) to 8, bound to ``beam``."""
    where.number_input(
        t("whatif.beam"),
        min_value=1,
        max_value=state.MAX_BEAM_WIDTH,
        step=1,
        key=state.widget_key("beam"),
        help=t("whatif.beam_help"),
    )
    state.commit("beam")


def source_label(source: str) -> str:
    """The sentence box's model switch (markdown): the chosen trained model, or free text."""
    if source == "toy" and model_picker.own_model():
        return t("own.source_trained", name=model_picker.model_name())
    return t(f"input.source.{source}")


def sentence_help() -> str:
    """The sentence box's help: what the chosen model reads, then the words it knows."""
    intro = (
        t("own.sentence_help", name=model_picker.model_name()) if model_picker.own_model() else t("input.sentence_help")
    )
    return intro + "\n\n" + known_words_markdown()


def sentence_inputs(with_source: bool, with_target: bool, with_beam: bool = False) -> None:
    """The sentence box, the model switch, the beam width and the optional target, bound to the URL state.

    A new sentence or model clears the picks, the override and the swap made for the old one.
    """
    if page_frame.presenting():
        return
    help_text = sentence_help()
    if with_source:
        left, right = st.columns([3, 2])
        left.text_input(
            t("input.sentence"), key=state.widget_key("text"), help=help_text, on_change=state.clear_interventions
        )
        row = right.container(horizontal=True, vertical_alignment="bottom")
        row.segmented_control(
            t("input.source"),
            options=["toy", "free"],
            format_func=source_label,
            key=state.widget_key("src"),
            required=True,
            on_change=state.clear_interventions,
        )
        if with_beam:
            beam_input(where=row)
    else:
        st.text_input(
            t("input.sentence"), key=state.widget_key("text"), help=help_text, on_change=state.clear_interventions
        )
    random_sentence_button(with_source, with_target)
    if with_target:
        target_help = (
            t("own.target_help", name=model_picker.model_name()) if model_picker.own_model() else t("input.target_help")
        )
        st.text_input(t("input.target"), key=state.widget_key("target"), help=target_help)
