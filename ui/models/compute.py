"""The pages' one gateway to ``attention_core``: translators and their results, cached per server.

A model is named by a plain string: ``SHIPPED_MODEL`` ("toy_en_fr", the shipped toy English →
French model), ``FREE_TEXT_MODEL`` ("free", untrained, any script) or the name of a model of the
models folder. Every cached result is keyed by it (and a folder model's config stamp), so one
model's translation is never shown for another's.

Pages import ``ui`` only. Everything they need from the library comes through here, so
TensorFlow is imported lazily inside these functions: the home page never calls one that
needs it, and opens at once while ``warm_in_background`` loads the model.
"""

from __future__ import annotations

import atexit
import gc
import threading

import streamlit as st

from attention_core.data import models_folder
from attention_core.data.text import tokenize
from attention_core.data.toy_data import reference_translation, same_class_words, word_classes
from attention_core.names import (
    FREE_TEXT_MODEL,
    MASK_STRATEGIES,
    PITFALL_KEYS,
    SCORE_FUNCTIONS,
    SCORE_KINDS,
    SHIPPED_MODEL,
    TRAINED_SCORES,
)
from ui.models import catalog, keep_keras  # noqa: F401 (its import replaces Streamlit's per-run clean-up)

__all__ = [
    "FREE_TEXT_MODEL",
    "MASK_STRATEGIES",
    "PITFALL_KEYS",
    "SCORE_FUNCTIONS",
    "SCORE_KINDS",
    "SHIPPED_MODEL",
    "TRAINED_SCORES",
    "reference_translation",
    "same_class_words",
    "tokenize",
    "word_classes",
]

_load_lock = threading.Lock()  # the background warm-up and a first page must not build two models


@st.cache_resource(show_spinner=False)
def pretrained():
    """The shipped trained translator, built and warmed once per server."""
    with _load_lock:
        from attention_core import load_pretrained

        translator = load_pretrained()
        gc.freeze()  # TensorFlow's objects live as long as the server: keep them out of every later collection
        return translator


@st.cache_resource(show_spinner=False)
def free_text():
    """The same architecture with seeded, untrained weights (any script)."""
    with _load_lock:
        from attention_core import load_free_text

        return load_free_text()


def model_stamp(model: str) -> int:
    """Part of every cache key of ``model``'s results: a folder model trained again is another model."""
    return catalog.stamp(model)


@st.cache_resource(show_spinner=False, max_entries=8)
def folder_translator(name: str, stamp: int):
    """Folder model ``name`` as written at ``stamp``, built and warmed once per server."""
    with _load_lock:
        from attention_core import load_pretrained

        return load_pretrained(name)


def translator(model: str):
    """What runs ``model``: the shipped French model, free text's untrained one, or a folder model."""
    chosen = catalog.get(model)
    if chosen.free_text:
        return free_text()
    if chosen.transformer:
        return pretrained_kind(model)
    return folder_translator(model, chosen.stamp) if chosen.own else pretrained()


@st.cache_resource(show_spinner=False)
def _warm_thread() -> threading.Thread:
    thread = threading.Thread(target=pretrained, name="warm-model", daemon=True)
    thread.start()
    return thread


def warm_in_background() -> None:
    """Start loading TensorFlow and the model while the person reads the home page."""
    _warm_thread()


# A translation keeps every step's (T_x, d_a) tensors: ~17 MB at the 256-token cap, a few
# hundred kB for a toy sentence. 16 entries bound the cache near 300 MB however people type.
TRANSLATIONS_KEPT = 16


def translate(text: str, model: str, target: str | None):
    """One whole translation by ``model`` with every step's trace."""
    return _translate(text, model, model_stamp(model), target)


@st.cache_data(max_entries=TRANSLATIONS_KEPT, show_spinner=False)
def _translate(text: str, model: str, stamp: int, target: str | None):
    # Keyed by plain strings: the model's name and stamp are in the key, so one model's
    # translation is never shown for another's.
    return translator(model).translate(text, target=target or None)


def _model(model: str, kind: str):
    return translator(model) if kind == "attention" else pretrained_kind(kind)


@st.cache_resource(show_spinner=False)
def pretrained_kind(kind: str):
    """A shipped model of ``kind`` (``load_pretrained``), built on first use and kept for the server."""
    if kind == "attention":
        return pretrained()
    with _load_lock:
        from attention_core import load_pretrained

        return load_pretrained(kind)


@st.cache_data(max_entries=TRANSLATIONS_KEPT * 2, show_spinner=False)
def translate_kind(text: str, kind: str):
    """The toy sentence ``text`` translated by the shipped model of ``kind``, every trace kept."""
    return pretrained_kind(kind).translate(text)


@st.cache_data(max_entries=TRANSLATIONS_KEPT, show_spinner=False)
def read_reference(text: str, kind: str, words: tuple[str, ...]):
    """``words`` (a translation of ``text``) read at once by the shipped Transformer of ``kind``, as in
    training (``TransformerTranslator.read_reference``)."""
    return pretrained_kind(kind).read_reference(text, list(words))


@st.cache_data(max_entries=TRANSLATIONS_KEPT, show_spinner=False)
def translate_heads(text: str, model: str, overrides: tuple[tuple[int, int, int, tuple[float, ...]], ...]):
    """The Transformer ``model``'s translation with ``(step, layer, head, α)`` overrides, 1-based
    (``TransformerTranslator.translate(head_overrides=…)``)."""
    return translator(model).translate(text, head_overrides={(s, l, h): list(w) for s, l, h, w in overrides})


def translate_with(
    text: str,
    model: str,
    target: str | None,
    picks: tuple[tuple[int, str], ...] = (),
    beam: int = 1,
    override: tuple[int, tuple[float, ...]] | None = None,
    kind: str = "attention",
):
    """A translation by ``model`` under the person's interventions, and the picks it could apply.
    ``kind`` other than "attention": the shipped model of that kind instead (the score page's models)."""
    stamp = model_stamp(model) if kind == "attention" else 0
    return _translate_with(text, model, stamp, target, picks, beam, override, kind)


@st.cache_data(max_entries=TRANSLATIONS_KEPT, show_spinner=False)
def _translate_with(
    text: str,
    model: str,
    stamp: int,
    target: str | None,
    picks: tuple[tuple[int, str], ...],
    beam: int,
    override: tuple[int, tuple[float, ...]] | None,
    kind: str,
):
    """A translation under the person's interventions, and the picks it could apply
    (``attention_core.decoding.interventions``), cached by the plain values of the link."""
    from attention_core.decoding.interventions import translate_with_interventions

    return translate_with_interventions(_model(model, kind), text, target, picks, beam, override)


def baseline_beside(text: str, target_tokens: tuple[str, ...], model: str = SHIPPED_MODEL):
    """``model``'s baseline without attention fed the same output words: the same step, its fixed summary for c_i."""
    return _baseline_beside(text, target_tokens, model, model_stamp(model))


@st.cache_data(max_entries=TRANSLATIONS_KEPT, show_spinner=False)
def _baseline_beside(text: str, target_tokens: tuple[str, ...], model: str, stamp: int):
    return baseline_translator(model).translate(text, target=list(target_tokens))


@st.cache_resource(show_spinner=False, max_entries=4)
def folder_baseline(name: str, stamp: int):
    """Folder model ``name``'s own baseline without attention, built once per server and stamp."""
    with _load_lock:
        from attention_core.decoding.translator import load_folder_baseline

        return load_folder_baseline(name, stamp)


def baseline_translator(model: str):
    """The model without attention trained beside ``model``: the shipped one's, or a folder model's own."""
    return folder_baseline(model, model_stamp(model)) if catalog.get(model).own else pretrained_without_attention()


def target_words(model: str) -> list[str]:
    """Every word ``model`` can write, <end> included (what a pick in a link may name)."""
    return [w for w in translator(model).target.tokens if w not in ("<pad>", "<start>", "<unk>")]


def decode_batch(texts: tuple[str, ...], mask_strategy: str, pad_to: int, model: str):
    """The rows ``texts`` decoded together by ``model``, padded to ``pad_to`` under ``mask_strategy``."""
    return _decode_batch(texts, mask_strategy, pad_to, model, model_stamp(model))


@st.cache_data(max_entries=TRANSLATIONS_KEPT, show_spinner=False)
def _decode_batch(texts: tuple[str, ...], mask_strategy: str, pad_to: int, model: str, stamp: int):
    return translator(model).decode_batch(list(texts), mask_strategy=mask_strategy, pad_to=pad_to)


@st.cache_resource(show_spinner=False)
def snapshot(name: str, model: str, stamp: int):
    """The translator of ``model``'s training snapshot ``name``: building and warming one costs about 1 s,
    once per server."""
    with _load_lock:  # one model built at a time, whichever thread asks
        from attention_core.decoding.translator import load_folder_snapshot, load_snapshot

        return load_folder_snapshot(model, name) if catalog.get(model).own else load_snapshot(name)


@st.cache_resource(show_spinner=False)
def _snapshots_thread(names: tuple[str, ...], model: str, stamp: int) -> threading.Thread:
    stop = threading.Event()

    def load_all() -> None:
        for name in reversed(names):  # nearest the final model first: the slider starts there
            if stop.is_set():
                return
            snapshot(name, model, stamp)

    def finish() -> None:  # a process ending mid-build would abort inside TensorFlow: end after this model
        stop.set()
        thread.join()

    thread = threading.Thread(target=load_all, name="warm-snapshots", daemon=True)
    thread.start()
    atexit.register(finish)
    return thread


def warm_snapshots(model: str = SHIPPED_MODEL) -> threading.Thread:
    """Load every training snapshot of ``model`` in the background, once per server, so that moving the
    alignment map's slider costs a translation (milliseconds), not a model built on the spot (a second)."""
    return _snapshots_thread(tuple(snapshot_names(model)), model, model_stamp(model))


def translate_at_snapshot(text: str, name: str, target: str | None, model: str = SHIPPED_MODEL):
    """``text`` translated by ``model`` as it was at training snapshot ``name``."""
    return _translate_at_snapshot(text, name, target, model, model_stamp(model))


@st.cache_data(max_entries=TRANSLATIONS_KEPT, show_spinner=False)
def _translate_at_snapshot(text: str, name: str, target: str | None, model: str, stamp: int):
    return snapshot(name, model, stamp).translate(text, target=target or None)


def snapshot_names(model: str = SHIPPED_MODEL) -> list[str]:
    """The file names of ``model``'s training snapshots, untrained to final."""
    return _snapshot_names(model, model_stamp(model))


@st.cache_data(show_spinner=False)
def _snapshot_names(model: str, stamp: int) -> list[str]:
    if catalog.get(model).own:
        return [p.name for p in models_folder.snapshot_files(model)]
    from attention_core.decoding.translator import snapshot_paths

    return [p.name for p in snapshot_paths()]


def snapshot_pairs_seen(model: str = SHIPPED_MODEL) -> dict[str, int]:
    """Snapshot file name → sentence pairs ``model`` had trained on when it was written."""
    return _snapshot_pairs_seen(model, model_stamp(model))


@st.cache_data(show_spinner=False)
def _snapshot_pairs_seen(model: str, stamp: int) -> dict[str, int]:
    if catalog.get(model).own:
        return models_folder.snapshot_pairs_seen(model)
    from attention_core.decoding.translator import snapshot_pairs_seen as pairs_seen

    return pairs_seen()


def score_function_traces(h, s_prev, W_a) -> dict:
    """Dot, general and scaled dot-product attention on one step's states (batch axis dropped).

    ``h`` is ``(T_x, d_h)``, ``s_prev`` ``(d_s,)``, ``W_a`` ``(d_h, d_s)``.
    """
    from attention_core.nn.attention import dot_attention, general_attention, scaled_dot_attention

    h, s_prev = h[None], s_prev[None]  # (1, T_x, d_h), (1, d_s)
    return {
        "dot": dot_attention(h, s_prev).row(0),
        "general": general_attention(h, s_prev, W_a).row(0),
        "scaled_dot": scaled_dot_attention(h, s_prev).row(0),
    }


def run_pitfall(key: str, h, s_prev, params, mask):
    """A classic bug of ``attention_core.nn.pitfalls`` run live beside the correct computation."""
    from attention_core.nn.pitfalls import run_pitfall as run

    return run(key, h, s_prev, params, mask)


def query_without_time_axis(h, s_prev, params):
    from attention_core.nn.pitfalls import query_without_time_axis as run

    return run(h, s_prev, params)


# --------------------------------------------------------------------------- the why-attention page


def pretrained_without_attention():
    """The baseline trained beside the shipped model: its decoder sees only the encoder's final state."""
    return pretrained_kind("no_attention")


def translate_without_attention(text: str, model: str = SHIPPED_MODEL):
    """``model``'s baseline's translation of ``text``: the same interface, no α."""
    return _translate_without_attention(text, model, model_stamp(model))


@st.cache_data(max_entries=TRANSLATIONS_KEPT, show_spinner=False)
def _translate_without_attention(text: str, model: str, stamp: int):
    return baseline_translator(model).translate(text)


# --------------------------------------------------------------------------- the train page


def train_page_visibility() -> str:
    """The Train page in the menu, or hidden where training is switched off (opened by its link, it says why)."""
    from serving.training_job import training_enabled

    return "visible" if training_enabled(st.get_option("server.address")) else "hidden"
