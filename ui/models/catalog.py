"""The model catalog: a model a person can choose is an object that says what it has.

Pages and views ask a ``Model`` (``get(name).alignment``, ``.baseline``, ``.additive`` …); this module is the
one place that knows which name is which model. A model is still named by a plain string in links and cache
keys (``?model=toy_en_fr``): the shipped toy English → French model, free text's untrained one, or a model of
the models folder (toy English → Chinese, or one trained on a person's pairs file).

A model trained on the Train page is private to the session that trained it: its key is ``SESSION/NAME``
(``models_folder.private_key``), listed and known only where the session holds that id, and a link names it
by its plain ``NAME`` (``link_name``), which only that session reads back as the model (``from_link``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from attention_core.data import models_folder
from attention_core.names import FREE_TEXT_MODEL, SHIPPED_MODEL

SHIPPED = SHIPPED_MODEL  # the default of every page and link
FREE_TEXT = FREE_TEXT_MODEL  # any script, untrained weights: the arithmetic is real, the meaning is not
TOY_ZH = "toy_en_zh"  # shipped in the models folder; the toy grammar writes its references
TRANSFORMER = "transformer"  # the Transformer trained alike on the toy French data (load_pretrained's name)
NO_CAUSAL_MASK = "transformer_no_causal_mask"  # the same, trained without its decoder's causal mask
TOY_ZH_TRANSFORMER = "toy_en_zh_transformer"  # and on the toy Chinese data
# shipped models, named by what they are
LABEL_KEYS = {SHIPPED: "model.toy_en_fr", TOY_ZH: "model.toy_en_zh", TRANSFORMER: "model.transformer"}


@dataclass(frozen=True)
class Model:
    """What a model has, so that no page or view compares its name."""

    name: str
    stamp: int  # part of every cache key of its results: a folder model trained again is another model
    own: bool  # made from a pairs file (its sentences, words and references are its data's), not the toy French one
    free_text: bool  # seeded, untrained weights that read any script
    alignment: bool  # gold alignments: the toy grammar's, or a Pharaoh column on every pair of its data
    baseline: bool  # a model without attention was trained beside it
    score_siblings: bool  # models trained with Luong's scores on the same data (the French model's alone)
    additive: bool  # scores with vᵀ tanh(W1 h + W2 s + b), so its W1, W2, b and v exist for the equations
    word_classes: bool  # its source side is the toy lexicon's English: word classes and swaps by class apply
    toy_reference: str | None  # "fr" or "zh": the toy grammar writes its reference translations; None: its data
    class_misses: bool  # the evaluation file counts its alignment misses by the toy lexicon's word classes
    label_key: str | None  # its name in the interface strings; None: its own name
    config: dict  # a folder model's config.json (kind, score, has_alignment, summary …); {} for the others
    # (its additive model, the Transformer trained alike on the same data): Toward the Transformer compares them
    bridge: tuple[str, str] | None = None
    transformer: bool = False  # multi-head attention per layer (Q, K, V, W_O), not one additive α: its own views
    # (its Transformer, the same trained without the decoder's causal mask): the masking page compares them
    causal_pair: tuple[str, str] | None = None


SESSION_KEY = "private_models_session"  # session: the id of this session's private models folder


def session_id() -> str:
    """This session's own id for its private models: random, held in its session state alone."""
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = models_folder.new_session_id()
    return st.session_state[SESSION_KEY]


def private_folder() -> Path:
    """Where this session's trainings write their models (``models/.private/SESSION``)."""
    return models_folder.private_dir(session_id())


def private() -> list[str]:
    """The keys of this session's own private models."""
    return models_folder.private_models(session_id())


def available() -> list[str]:
    """The models a person can choose: the shipped French one first, its Transformer, then every published
    folder model, then this session's private ones."""
    return [SHIPPED, TRANSFORMER, *models_folder.folder_models(), *private()]


def is_known(name: str) -> bool:
    """``name`` is a model this session may run now (the folder lists only names of its own pattern, never
    paths; a private key only in the session that holds its id)."""
    return name in (SHIPPED, TRANSFORMER) or name in models_folder.folder_models() or name in private()


def is_private(name: str) -> bool:
    """``name`` is a private model's key (``SESSION/NAME``)."""
    return models_folder.split_key(name)[0] is not None


def link_name(name: str) -> str:
    """``name`` as a link writes it: a private model by its plain name, never its session's id."""
    return models_folder.shown_name(name)


def from_link(raw: str) -> str:
    """The model a link's ``model=NAME`` names in this session: its own private model of that name first,
    then a published one. Raises ``ValueError`` for a name this session cannot run (another's private model)."""
    for key in private():
        if link_name(key) == raw:
            return key
    if not is_known(raw):
        raise ValueError(f"no model named {raw!r} for this session")
    return raw


def name_taken(name: str) -> str | None:
    """Whether a training in this session may take ``name``: "published" (another model is listed under it,
    for everyone: refused), "own" (this session's private model of that name, which it replaces), or None."""
    if name in (SHIPPED, TRANSFORMER) or name in models_folder.folder_models():
        return "published"
    if any(link_name(key) == name for key in private()):
        return "own"
    return None


def stamp(name: str) -> int:
    return models_folder.config_stamp(name) if name not in (SHIPPED, FREE_TEXT, TRANSFORMER) else 0


def get(name: str) -> Model:
    """The model ``name`` as it is now (a folder model trained again is read afresh)."""
    return _model(name, stamp(name))


@st.cache_data(show_spinner=False, max_entries=32)
def _model(name: str, stamp: int) -> Model:
    if name in (SHIPPED, FREE_TEXT):
        shipped = name == SHIPPED
        return Model(
            name=name,
            stamp=0,
            own=False,
            free_text=not shipped,
            alignment=shipped,
            baseline=shipped,
            score_siblings=shipped,
            additive=True,
            word_classes=True,  # free text: its sentences are as often toy ones as not
            toy_reference="fr",
            class_misses=shipped,
            label_key=LABEL_KEYS.get(name),
            config={},
            bridge=(SHIPPED, TRANSFORMER) if shipped else None,
            causal_pair=(TRANSFORMER, NO_CAUSAL_MASK) if shipped else None,
        )
    if name == TRANSFORMER:
        return Model(
            name=name,
            stamp=0,
            own=False,
            free_text=False,
            alignment=True,
            baseline=False,
            score_siblings=False,
            additive=False,
            word_classes=True,
            toy_reference="fr",
            class_misses=False,
            label_key=LABEL_KEYS[TRANSFORMER],
            config={},
            bridge=(SHIPPED, TRANSFORMER),
            transformer=True,
            causal_pair=(TRANSFORMER, NO_CAUSAL_MASK),
        )
    config = models_folder.read_config(name)
    return Model(
        name=name,
        stamp=stamp,
        own=True,
        free_text=False,
        alignment=bool(config.get("has_alignment")),
        baseline=models_folder.has_baseline(name),
        score_siblings=False,
        additive=config.get("kind") == "attention",
        word_classes=name == TOY_ZH,
        toy_reference="zh" if name == TOY_ZH else None,
        class_misses=False,
        label_key=LABEL_KEYS.get(name),
        config=config,
        bridge=(TOY_ZH, TOY_ZH_TRANSFORMER) if name == TOY_ZH else None,
    )
