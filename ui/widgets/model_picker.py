"""The model picker: which trained model every page runs, chosen in the sidebar, carried in ``?model=``.

The shipped toy English → French model is the default; every model of the models folder
(``attention_core.data.models_folder``) can be chosen too. A page starts from the chosen model's own
sentence: when the model changes, a sentence or batch that was the previous model's example becomes
the new model's example, and one the person typed stays as typed.
"""

from __future__ import annotations

import functools

import streamlit as st

from ui.models import catalog, compute, model_words
from ui.session import state
from ui.strings import TABLES, escape_markdown, language, t

EXAMPLES_OF = "examples_of_model"  # session: the model the example sentence and batch were last set for


def label(model: str, lang: str | None = None) -> str:
    """A model as the picker lists it (in ``lang``, by default the interface's): a shipped one by what it
    is (short enough for the sidebar), one of a person's own by its name (this session's private one marked)."""
    key = catalog.LABEL_KEYS.get(model)
    if key:
        return TABLES[lang or language()][key]
    if catalog.is_private(model):  # this session's own: marked, and named without its session's id
        return TABLES[lang or language()]["model.private"].format(name=catalog.link_name(model))
    return model


def _changed() -> None:
    # The picks, the override, the swap and a forced target name the old model's words; a snapshot
    # is a point of the old model's training.
    state.clear_interventions()
    state.put("target", state.PARAMS["target"].default)
    state.put("snap", state.PARAMS["snap"].default)


def picker(where=st) -> str:
    """The sidebar's model menu, bound to ``model``; returns the model chosen.

    One menu per language: a menu's choice is kept as its label, and a label in the other language
    would not be found among the new ones (the model would fall back to the first)."""
    where.selectbox(
        t("sidebar.model"),
        options=catalog.available(),
        format_func=functools.partial(label, lang=language()),  # the same labels whenever it is called
        key=state.widget_key("model", scope=language()),
        on_change=_changed,
        help=t("sidebar.model_help"),
    )
    return state.commit("model", scope=language())


def follow_examples(model: str) -> None:
    """The example sentence and batch of ``model`` in place of the previous model's, once per change.

    A link's own ``text`` or ``batch`` still wins: the page reads its parameters after this."""
    previous = st.session_state.get(EXAMPLES_OF)
    if previous == model:
        return
    st.session_state[EXAMPLES_OF] = model
    if previous is not None and previous not in catalog.available():
        previous = None  # a model deleted since: its examples can no longer be read
    for name, example in (("text", model_words.example_sentence), ("batch", model_words.example_batch)):
        default, value = state.PARAMS[name].default, state.get(name)
        was_example = value == default or (previous is not None and value == example(previous, default))
        new = example(model, default)
        if was_example and value != new:
            state.put(name, new)


def chosen_model() -> str:
    """The trained model the pages run (the sidebar's picker, ``?model=``)."""
    return state.get("model")


def transformer_chosen() -> bool:
    """The chosen model is a Transformer: its pages walk heads and layers instead of one additive α."""
    return catalog.get(chosen_model()).transformer


def own_model() -> bool:
    """The chosen model is one made from a pairs file: its own words and sentences, not the toy lexicon's."""
    return catalog.get(chosen_model()).own


def model_name(model: str | None = None) -> str:
    """The chosen model (or ``model``) as markdown names it: its picker label, escaped."""
    return escape_markdown(label(model or chosen_model()))


def running_model(source: str) -> str:
    """What translates on a page with the model switch: free text's untrained model, or the chosen one."""
    return compute.FREE_TEXT_MODEL if source == "free" else chosen_model()
