"""The pages' one gateway to ``attention_core``: translators and their results, cached per server.

Pages import ``ui`` only. Everything they need from the library comes through here, so
TensorFlow is imported lazily inside these functions: the home page never calls one that
needs it, and opens at once while ``warm_in_background`` loads the model.
"""

from __future__ import annotations

import atexit
import gc
import sys
import threading

import streamlit as st
from streamlit.runtime.scriptrunner import script_runner

from attention_core.names import MASK_STRATEGIES, PITFALL_KEYS, SCORE_FUNCTIONS, SCORE_KINDS, TRAINED_SCORES
from attention_core.text import tokenize
from attention_core.toy_data import reference_translation, same_class_words, word_classes

__all__ = [
    "MASK_STRATEGIES",
    "PITFALL_KEYS",
    "SCORE_FUNCTIONS",
    "SCORE_KINDS",
    "TRAINED_SCORES",
    "reference_translation",
    "same_class_words",
    "tokenize",
    "word_classes",
]

_load_lock = threading.Lock()  # the background warm-up and a first page must not build two models


def _clean_up_after_run_keeping_keras() -> None:
    """Streamlit's clean-up after each script run, minus ``keras.backend.clear_session()``.

    Streamlit clears Keras's global state after every run, for apps that build a model per
    run. That call is a full ``gc.collect()``: 120 ms alone, 200–500 ms inside the server,
    on every click. The models here are built once in ``st.cache_resource`` and shared, so
    there is nothing per run to clear. The matplotlib part is kept as it is.
    """
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


def replace_private(owner, name: str, value) -> None:
    """Set ``owner.name``, a private Streamlit name, only if this Streamlit still has it.

    Assigning a renamed attribute would silently create a new one and lose what the
    override buys; fail at start-up instead, with the version to look at.
    """
    if not hasattr(owner, name):
        raise RuntimeError(
            f"Streamlit {st.__version__} has no {getattr(owner, '__name__', owner)!r}.{name}: "
            "the override in ui/compute.py must be updated for this release."
        )
    setattr(owner, name, value)


replace_private(script_runner, "_clean_problem_modules", _clean_up_after_run_keeping_keras)


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


def translator(source: str):
    return pretrained() if source == "toy" else free_text()


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


@st.cache_data(max_entries=TRANSLATIONS_KEPT, show_spinner=False)
def translate(text: str, source: str, target: str | None):
    """One whole translation with every step's trace; keyed by plain strings."""
    return translator(source).translate(text, target=target or None)


def _model(source: str, kind: str):
    return translator(source) if kind == "attention" else pretrained_kind(kind)


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
def translate_with(
    text: str,
    source: str,
    target: str | None,
    picks: tuple[tuple[int, str], ...] = (),
    beam: int = 1,
    override: tuple[int, tuple[float, ...]] | None = None,
    kind: str = "attention",
):
    """A translation under the person's interventions, and the picks it could apply.

    ``picks`` ((step, word), …) in step order: the words between them are the decoder's own
    (greedy, or the beam's) after the earlier picks, so each pick replays what the person saw
    when they clicked it. A pick past the end of the sentence, or after an ``<end>`` pick, is
    dropped with the later ones. ``override`` (step, weights) replaces that step's α. A typed
    ``target`` fixes every word: picks and the beam do not apply to it.
    """
    model = _model(source, kind)
    overrides = {} if override is None or not model.has_attention else {override[0]: list(override[1])}
    if target:
        return model.translate(text, target=target, attention_overrides=overrides), ()
    prefix: list[str] = []
    kept: list[tuple[int, str]] = []
    for step, word in picks:
        if len(prefix) < step - 1:
            own = model.translate(text, prefix=prefix, beam_width=beam, attention_overrides=overrides)
            words = [s.chosen for s in own.steps]
            if len(words) < step - 1 or "<end>" in words[: step - 1]:
                break  # the sentence ends before this step
            prefix = words[: step - 1]
        prefix.append(word)
        kept.append((step, word))
        if word == "<end>":
            break
    return model.translate(text, prefix=prefix, beam_width=beam, attention_overrides=overrides), tuple(kept)


@st.cache_data(max_entries=TRANSLATIONS_KEPT, show_spinner=False)
def baseline_beside(text: str, target_tokens: tuple[str, ...]):
    """The model without attention fed the same output words: the same step, its fixed summary for c_i."""
    return pretrained_without_attention().translate(text, target=list(target_tokens))


def target_words(source: str) -> list[str]:
    """Every word the model can write, <end> included (what a pick in a link may name)."""
    return [w for w in translator(source).target.tokens if w not in ("<pad>", "<start>", "<unk>")]


@st.cache_data(max_entries=TRANSLATIONS_KEPT, show_spinner=False)
def decode_batch(texts: tuple[str, ...], mask_strategy: str, pad_to: int):
    return pretrained().decode_batch(list(texts), mask_strategy=mask_strategy, pad_to=pad_to)


@st.cache_resource(show_spinner=False)
def snapshot(name: str):
    """The translator of training snapshot ``name``: building and warming one costs about 1 s, once per server."""
    with _load_lock:  # one model built at a time, whichever thread asks
        from attention_core.translator import load_snapshot

        return load_snapshot(name)


@st.cache_resource(show_spinner=False)
def _snapshots_thread(names: tuple[str, ...]) -> threading.Thread:
    stop = threading.Event()

    def load_all() -> None:
        for name in reversed(names):  # nearest the final model first: the slider starts there
            if stop.is_set():
                return
            snapshot(name)

    def finish() -> None:  # a process ending mid-build would abort inside TensorFlow: end after this model
        stop.set()
        thread.join()

    thread = threading.Thread(target=load_all, name="warm-snapshots", daemon=True)
    thread.start()
    atexit.register(finish)
    return thread


def warm_snapshots() -> threading.Thread:
    """Load every training snapshot in the background, once per server, so that moving the
    alignment map's slider costs a translation (milliseconds), not a model built on the spot (a second)."""
    return _snapshots_thread(tuple(snapshot_names()))


@st.cache_data(max_entries=TRANSLATIONS_KEPT, show_spinner=False)
def translate_at_snapshot(text: str, name: str, target: str | None):
    return snapshot(name).translate(text, target=target or None)


@st.cache_data(show_spinner=False)
def snapshot_names() -> list[str]:
    from attention_core.translator import snapshot_paths

    return [p.name for p in snapshot_paths()]


@st.cache_data(show_spinner=False)
def snapshot_pairs_seen() -> dict[str, int]:
    from attention_core.translator import snapshot_pairs_seen

    return snapshot_pairs_seen()


def score_function_traces(h, s_prev, W_a) -> dict:
    """Dot, general and scaled dot-product attention on one step's states (batch axis dropped).

    ``h`` is ``(T_x, d_h)``, ``s_prev`` ``(d_s,)``, ``W_a`` ``(d_h, d_s)``.
    """
    from attention_core.attention import dot_attention, general_attention, scaled_dot_attention

    h, s_prev = h[None], s_prev[None]  # (1, T_x, d_h), (1, d_s)
    return {
        "dot": dot_attention(h, s_prev).row(0),
        "general": general_attention(h, s_prev, W_a).row(0),
        "scaled_dot": scaled_dot_attention(h, s_prev).row(0),
    }


def run_pitfall(key: str, h, s_prev, params, mask):
    """A classic bug of ``attention_core.pitfalls`` run live beside the correct computation."""
    from attention_core.pitfalls import run_pitfall as run

    return run(key, h, s_prev, params, mask)


def query_without_time_axis(h, s_prev, params):
    from attention_core.pitfalls import query_without_time_axis as run

    return run(h, s_prev, params)


def toy_words_by_class() -> dict[str, list[str]]:
    """The English words of the toy model, by grammatical class, each class sorted (TensorFlow-free)."""
    by_class: dict[str, list[str]] = {}
    for word, word_class in word_classes().items():
        by_class.setdefault(word_class, []).append(word)
    order = ["determiner", "noun", "pre-adjective", "post-adjective", "verb", "preposition"]
    ranked = sorted(by_class, key=lambda c: (order.index(c) if c in order else len(order), c))
    return {c: sorted(by_class[c]) for c in ranked}


def random_toy_sentence(seed: int | None = None) -> str:
    """A sentence of the toy grammar, drawn by its own generator (a fresh draw when ``seed`` is None)."""
    import random

    from attention_core.toy_data import render, sample_sentence

    return " ".join(render(sample_sentence(random.Random(seed))).en)


def unknown_toy_words(tokens: list[str]) -> list[str]:
    """The tokens the trained model reads as its unknown token."""
    vocabulary = pretrained().source
    return [token for token in tokens if not vocabulary.known(token)]


# --------------------------------------------------------------------------- the why-attention page


def pretrained_without_attention():
    """The baseline trained beside the shipped model: its decoder sees only the encoder's final state."""
    return pretrained_kind("no_attention")


@st.cache_data(max_entries=TRANSLATIONS_KEPT, show_spinner=False)
def translate_without_attention(text: str):
    """The baseline's translation of ``text``: the same interface, no α."""
    return pretrained_without_attention().translate(text)


def percent(x: float | None) -> str:
    """A rate as the evaluation's tables print it (``attention_core.evaluate.percent``)."""
    from attention_core.evaluate import percent as printed

    return printed(x)


def luong_table_6() -> tuple[tuple[str, float], ...]:
    """Luong et al. 2015's AER rows (English–German), shown beside ours for reference."""
    from attention_core.evaluate import LUONG_TABLE_6

    return LUONG_TABLE_6


@st.cache_data(show_spinner=False)
def evaluation_table() -> dict:
    """Every shipped model by length bucket on held-out sentences, as ``python -m attention_core.evaluate`` wrote it."""
    from attention_core.evaluate import load_table

    return load_table()


# --------------------------------------------------------------------------- the train page


def train_page_visibility() -> str:
    """The Train page in the menu, or hidden where training is switched off (opened by its link, it says why)."""
    from attention_core.training_job import training_enabled

    return "visible" if training_enabled() else "hidden"
