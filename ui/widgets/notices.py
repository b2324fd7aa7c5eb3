"""What a page says before it stops or goes on: no words, unknown words, a translation's notices,
a model's notes, a step past the sentence's end."""

from __future__ import annotations

import streamlit as st

from ui.models import catalog, model_words
from ui.session import state
from ui.strings import escape_markdown, t
from ui.widgets import model_picker


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


def unknown_words_notice(words: list[str], model: str | None = None) -> None:
    """The one warning every page gives for words the model reads as its unknown token."""
    if words:
        shown = ", ".join(escape_markdown(w) for w in dict.fromkeys(words))
        model = model or model_picker.chosen_model()
        if catalog.get(model).own:
            st.warning(t("own.unknown", words=shown, name=model_picker.model_name(model)), icon=":material/help:")
        else:
            st.warning(t("notice.unknown", words=shown), icon=":material/help:")


def truncated_notice(translation) -> None:
    """A text longer than the model reads was cut: say where."""
    if translation.truncated:
        st.warning(t("notice.truncated", n=len(translation.source_tokens)), icon=":material/content_cut:")


def translation_notices(translation, model: str) -> None:
    """What the person should know about ``model``'s translation: cut short, untrained, unknown words
    (source or forced target), or a sentence the toy language (a folder model: its data) does not have."""
    truncated_notice(translation)
    own = catalog.get(model).own
    if catalog.get(model).free_text:
        st.warning(t("notice.free_text"), icon=":material/casino:")
    elif translation.unknown_source:
        unknown_words_notice([translation.source_tokens[j] for j in translation.unknown_source], model)
    elif translation.source_tokens and model_words.reference_for(translation.source_tokens, model) is None:
        if own:  # a person's data: most sentences typed are not in it, which is no fault of theirs
            st.info(t("own.outside", name=model_picker.model_name(model)), icon=":material/help:")
        else:  # known words in a form the toy grammar never makes ("the cat the dog"): no reference
            st.warning(t("notice.outside"), icon=":material/help:")
    if translation.unknown_target:
        forced = translation.target_tokens if translation.forced else translation.prefix
        shown = ", ".join(escape_markdown(forced[k]) for k in dict.fromkeys(translation.unknown_target))
        message = t("own.unknown_target", words=shown, name=model_picker.model_name(model)) if own else None
        st.warning(message or t("notice.unknown_target", words=shown), icon=":material/help:")


def model_note(key: str, **values) -> None:
    """A view that means nothing for the chosen model, in a short note where it would stand."""
    st.info(t(key, name=model_picker.model_name(), **values), icon=":material/info:")


def stop_unless_additive(model: str, names: tuple[str, ...]) -> None:
    """A page of the additive score's own weights (W1, W2, b, v) has nothing to show for a model trained
    with another score: say so, keep the link in step, draw nothing more."""
    if catalog.get(model).additive:
        return
    model_note("own.not_additive", score=escape_markdown(str(catalog.get(model).config.get("score", ""))))
    state.write_url(names)
    st.stop()


def clamp_step(n_steps: int) -> None:
    """A linked step past the end of this translation becomes the last step, with a notice."""
    if state.get("step") > n_steps:
        st.warning(t("notice.step_clamped", step=state.get("step"), n=n_steps), icon=":material/warning:")
        state.put("step", n_steps)
