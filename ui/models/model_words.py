"""A model's words and sentences, read without TensorFlow where it can be: the toy lexicon and grammar for the
shipped model, a folder model's own vocabularies and pairs; its examples, references and gold alignments."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from attention_core.data import models_folder
from attention_core.data.text import tokenize
from attention_core.data.toy_data import reference_translation, same_class_words, word_classes
from ui.models import catalog, compute


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

    from attention_core.data.toy_data import render, sample_sentence

    return " ".join(render(sample_sentence(random.Random(seed))).en)


SWAP_WORDS = 12  # words offered to swap in, for a model without word classes: its most frequent source words


KNOWN_WORDS_SHOWN = 80  # a folder model's most frequent source words listed as the words it knows


def available_models() -> list[str]:
    """The models a person can choose: the shipped French one first, then every folder model."""
    return catalog.available()


def tokenize_for(text: str, model: str):
    """``text`` split as ``model`` reads it (``Tokens``): the toy rule, or a folder model's ``tokenize_text``."""
    if catalog.get(model).own:
        from attention_core.data.pairs import tokenize_text

        return tokenize_text(text)
    return tokenize(text)


@dataclass(frozen=True)
class ModelData:
    """A folder model's pairs and source words, as its pages read them (never changed once built)."""

    sentences: tuple[str, ...]  # held-out sources (else training ones), tokens joined by spaces
    references: dict  # source tokens → (target tokens, Pharaoh column), training and held-out pairs
    source_words: tuple[str, ...]  # most frequent first, without <pad> and <unk>


@st.cache_resource(show_spinner=False, max_entries=8)
def _model_data(model: str, stamp: int) -> ModelData:
    # A resource, not data: a model's pairs can be 100,000 rows, and cache_data would copy them on every read.
    held_out, train = (models_folder.read_tsv_pairs(model, split) for split in ("heldout", "train"))
    references = {source: (target, links) for source, target, links in (*train, *held_out)}
    words = [w for w in models_folder.read_vocabulary(model, "source") if w not in ("<pad>", "<unk>")]
    sentences = tuple(" ".join(source) for source, _, _ in (held_out or train))
    return ModelData(sentences, references, tuple(words))


def model_data(model: str) -> ModelData:
    return _model_data(model, compute.model_stamp(model))


EXAMPLE_TOKENS = 8  # a folder model's example sentence: its first held-out one nearest this length


def example_sentence(model: str, default: str) -> str:
    """The sentence a page starts from: ``default`` (the shipped model's), or a held-out one of the model's data."""
    if not catalog.get(model).own:
        return default
    sentences = model_data(model).sentences
    return min(sentences, key=lambda s: abs(len(s.split()) - EXAMPLE_TOKENS)) if sentences else default


LONG_BATCH_ROW = 14  # tokens of a folder model's longest example row, as long as the shipped batch's: a slide holds it


def example_batch(model: str, default: str) -> str:
    """The masking batch a page starts from: for a folder model, as the shipped one is built from its
    own sentences: its shortest sentence, the example, a fully padded row, a longer one."""
    if not catalog.get(model).own:
        return default
    sentences = sorted(model_data(model).sentences, key=lambda s: len(s.split()))
    if not sentences:
        return default
    example = example_sentence(model, default)
    longest = ([s for s in sentences if len(s.split()) <= LONG_BATCH_ROW] or sentences)[-1]
    distinct = list(dict.fromkeys([sentences[0], example, longest]))
    return "\n".join([*distinct[:-1], "", distinct[-1]])  # a fully padded row before the last one


def random_sentence(model: str, seed: int | None = None) -> str:
    """A sentence the model has data for: drawn by the toy grammar, or one of a folder model's held-out ones."""
    if not catalog.get(model).own:
        return random_toy_sentence(seed)
    import random

    sentences = model_data(model).sentences
    return random.Random(seed).choice(sentences) if sentences else ""


def source_words(model: str) -> list[str]:
    """The source words ``model`` reads, most frequent first (the shipped model's in lexicon order)."""
    if catalog.get(model).own:
        return list(model_data(model).source_words)
    return sorted(word_classes())


def unknown_words(tokens: list[str], model: str) -> list[str]:
    """The tokens ``model`` reads as its unknown token."""
    if catalog.get(model).own:
        known = set(model_data(model).source_words)
        return [token for token in tokens if token not in known]
    vocabulary = compute.translator(model).source
    return [token for token in tokens if not vocabulary.known(token)]


def swap_words(token: str, model: str) -> list[str]:
    """Words to put in place of ``token``: those of its class in the toy lexicon, or for a model without
    word classes its ``SWAP_WORDS`` most frequent source words (``[]`` for a word it does not know)."""
    if catalog.get(model).word_classes:
        return same_class_words(token)
    words = model_data(model).source_words
    return [w for w in words[: SWAP_WORDS + 1] if w != token][:SWAP_WORDS] if token in words else []


def reference_for(tokens, model: str):
    """The reference translation of ``tokens`` for ``model`` (a ``toy_data.Example``), or None.

    The shipped model's is the toy grammar's. A folder model's is the pair of its data whose source is
    exactly these tokens, with its gold alignment (``align``, one source index per target word, -1 for
    none) when the data has one, ``()`` when it has none."""
    tokens = tuple(tokens)
    toy = catalog.get(model).toy_reference
    if toy == "fr":
        return reference_translation(tokens)
    if toy == "zh":
        return toy_zh_reference(tokens)
    return pairs_reference(tokens, model)


def pairs_reference(tokens: tuple[str, ...], model: str):
    """The folder model's own pair with source ``tokens``, as a ``toy_data.Example``, or None."""
    from attention_core.data.pairs import parse_pharaoh, target_alignment
    from attention_core.data.toy_data import Example

    found = model_data(model).references.get(tokens)
    if found is None:
        return None
    target, links = found
    align = target_alignment(parse_pharaoh(links), len(target)) if catalog.get(model).alignment and links else ()
    return Example(en=tokens, fr=target, align=align)


def toy_zh_reference(tokens: tuple[str, ...]):
    """The toy English → Chinese grammar's own reference: every sentence of the toy grammar has one,
    not only the ones in the model's pairs."""
    from attention_core.data.toy_zh import reference_translation_zh

    return reference_translation_zh(list(tokens))


def has_gold(reference) -> bool:
    """A reference with one gold source word per target word (a folder model's data may have none)."""
    return reference is not None and len(reference.align) == len(reference.fr) and len(reference.fr) > 0


def alignment_hits(alpha, reference) -> tuple[int, int]:
    """Of the reference's words that have a gold source word, how many have α peak on it, and how many
    there are: ``alpha`` ``(T_y, T_x)`` of a translation that wrote the reference's words."""
    import numpy as np

    gold = np.array(reference.align)
    linked = gold >= 0
    looks = np.argmax(np.asarray(alpha), axis=1)
    return int(np.sum(looks[linked] == gold[linked])), int(linked.sum())
