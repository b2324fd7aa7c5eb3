"""Toy English -> toy French translation data (see /work/shared/toy_en_fr/SPEC.md).

Grammar, with all words taken from the packaged ``lexicon.json``::

    S   -> NP_subj VERB NP_obj [PREP NP]
    NP  -> DET [PRE_ADJ] [POST_ADJ] NOUN       English order
    NP  -> DET [PRE_ADJ] NOUN [POST_ADJ]       French order

Each noun phrase is singular or plural on its own; a plural one always takes "the"
("les"). English "a" becomes "an" before a vowel-initial word. French determiners and
adjectives agree with the noun's gender and number; the verb agrees with the subject's
number in both languages. Translation is one-to-one, so every example carries a word
alignment: ``align[k]`` is the index of the English token that French token ``k``
translates.

A sentence is described by a :class:`Sentence` of :class:`NounPhrase` specs holding
lexicon indices; :func:`render` turns it into an :class:`Example` and
:func:`parse_english` is its inverse on the English side.
"""

from __future__ import annotations

import functools
import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

LEXICON_PATH = Path(__file__).parent / "lexicon.json"

VOWELS = frozenset("aeiou")
DEFINITE = "the"
INDEFINITE = "a"
INDEFINITE_BEFORE_VOWEL = "an"

# Index of the singular / plural form in the lexicon's two-element form lists.
SINGULAR, PLURAL = 0, 1


@functools.cache
def load_lexicon() -> dict:
    """The packaged lexicon, parsed once. Callers must not mutate it."""
    with LEXICON_PATH.open(encoding="utf-8") as f:
        return json.load(f)


@dataclass(frozen=True)
class Example:
    en: tuple[str, ...]
    fr: tuple[str, ...]
    # align[k] = index of the English token that French token k translates
    align: tuple[int, ...]


@dataclass(frozen=True)
class SamplingConfig:
    """Probabilities used by :func:`sample_sentence` (defaults: SPEC's suggestions)."""

    pre_adjective: float = 0.4  # a noun phrase has a "pre" adjective
    post_adjective: float = 0.4  # a noun phrase has a "post" adjective
    plural: float = 0.3  # a noun phrase is plural
    indefinite: float = 0.4  # a *singular* noun phrase takes "a" instead of "the"
    prepositional_phrase: float = 0.5  # the sentence ends with PREP NP

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be a probability in [0, 1], got {value!r}")


@dataclass(frozen=True)
class NounPhrase:
    """A noun phrase spec. Indices point into the lexicon's ``nouns``/``adjectives``."""

    noun_index: int
    plural: bool = False
    indefinite: bool = False  # "a"/"an"; only allowed for singular phrases
    pre_adj: int | None = None  # an adjective whose position is "pre"
    post_adj: int | None = None  # an adjective whose position is "post"

    def __post_init__(self) -> None:
        if self.plural and self.indefinite:
            raise ValueError('a plural noun phrase always takes "the"')


@dataclass(frozen=True)
class Sentence:
    """A sentence spec: subject, verb (lexicon index), object, optional PREP NP."""

    subject: NounPhrase
    verb_index: int
    obj: NounPhrase
    prep_index: int | None = None
    prep_np: NounPhrase | None = None

    def __post_init__(self) -> None:
        if (self.prep_index is None) != (self.prep_np is None):
            raise ValueError("prep_index and prep_np must be given together")


# --------------------------------------------------------------------------- rendering


def _agreement_key(noun: dict, plural: bool) -> str:
    return f"{noun['gender']}.{'pl' if plural else 'sg'}"


def _adjective(index: int | None, position: str) -> dict | None:
    if index is None:
        return None
    adjective = load_lexicon()["adjectives"][index]
    if adjective["position"] != position:
        raise ValueError(f"adjective {adjective['en']!r} is not a {position!r} adjective")
    return adjective


def _render_noun_phrase(phrase: NounPhrase, offset: int) -> tuple[list[str], list[str], list[int]]:
    """English tokens, French tokens and their alignment (offset by ``offset``)."""
    lexicon = load_lexicon()
    noun = lexicon["nouns"][phrase.noun_index]
    number = PLURAL if phrase.plural else SINGULAR
    key = _agreement_key(noun, phrase.plural)
    pre = _adjective(phrase.pre_adj, "pre")
    post = _adjective(phrase.post_adj, "post")
    determiner = INDEFINITE if phrase.indefinite else DEFINITE

    # Positions of each English word, so the French reordering can point back at them.
    en_words = [determiner]
    fr_det = (lexicon["determiners"][determiner][key], offset)
    fr_pre = fr_post = None
    if pre is not None:
        fr_pre = (pre["fr"][key], offset + len(en_words))
        en_words.append(pre["en"])
    if post is not None:
        fr_post = (post["fr"][key], offset + len(en_words))
        en_words.append(post["en"])
    fr_noun = (noun["fr"][number], offset + len(en_words))
    en_words.append(noun["en"][number])

    if phrase.indefinite and en_words[1][0] in VOWELS:
        en_words[0] = INDEFINITE_BEFORE_VOWEL

    french = [fr_det, fr_pre, fr_noun, fr_post]  # French order: DET PRE NOUN POST
    french = [pair for pair in french if pair is not None]
    return en_words, [word for word, _ in french], [index for _, index in french]


def render(sentence: Sentence) -> Example:
    """The English sentence, its French translation and the word alignment."""
    lexicon = load_lexicon()
    en: list[str] = []
    fr: list[str] = []
    align: list[int] = []

    def add_phrase(phrase: NounPhrase) -> None:
        en_part, fr_part, align_part = _render_noun_phrase(phrase, len(en))
        en.extend(en_part)
        fr.extend(fr_part)
        align.extend(align_part)

    def add_word(en_word: str, fr_word: str) -> None:
        align.append(len(en))
        en.append(en_word)
        fr.append(fr_word)

    add_phrase(sentence.subject)
    verb = lexicon["verbs"][sentence.verb_index]
    number = PLURAL if sentence.subject.plural else SINGULAR
    add_word(verb["en"][number], verb["fr"][number])
    add_phrase(sentence.obj)
    if sentence.prep_index is not None and sentence.prep_np is not None:
        preposition = lexicon["prepositions"][sentence.prep_index]
        add_word(preposition["en"], preposition["fr"])
        add_phrase(sentence.prep_np)
    return Example(tuple(en), tuple(fr), tuple(align))


# --------------------------------------------------------------------------- sampling


def _adjective_indices(position: str) -> list[int]:
    adjectives = load_lexicon()["adjectives"]
    return [i for i, adjective in enumerate(adjectives) if adjective["position"] == position]


def _sample_noun_phrase(rng: random.Random, config: SamplingConfig) -> NounPhrase:
    plural = rng.random() < config.plural
    indefinite = not plural and rng.random() < config.indefinite
    pre_adj = rng.choice(_adjective_indices("pre")) if rng.random() < config.pre_adjective else None
    post_adj = rng.choice(_adjective_indices("post")) if rng.random() < config.post_adjective else None
    noun_index = rng.randrange(len(load_lexicon()["nouns"]))
    return NounPhrase(noun_index, plural, indefinite, pre_adj, post_adj)


def sample_sentence(rng: random.Random, config: SamplingConfig = SamplingConfig()) -> Sentence:
    """A random sentence spec; all randomness comes from ``rng``."""
    lexicon = load_lexicon()
    subject = _sample_noun_phrase(rng, config)
    verb_index = rng.randrange(len(lexicon["verbs"]))
    obj = _sample_noun_phrase(rng, config)
    if rng.random() < config.prepositional_phrase:
        prep_index = rng.randrange(len(lexicon["prepositions"]))
        return Sentence(subject, verb_index, obj, prep_index, _sample_noun_phrase(rng, config))
    return Sentence(subject, verb_index, obj)


def generate_examples(n: int, seed: int, config: SamplingConfig = SamplingConfig()) -> list[Example]:
    """``n`` rendered random sentences; the same ``seed`` always gives the same list."""
    if n < 0:
        raise ValueError(f"n must be non-negative, got {n}")
    rng = random.Random(seed)
    return [render(sample_sentence(rng, config)) for _ in range(n)]


# --------------------------------------------------------------------------- vocabulary


def _can_follow_indefinite() -> list[str]:
    """English words that may directly follow "a": any adjective or a singular noun."""
    lexicon = load_lexicon()
    return [adjective["en"] for adjective in lexicon["adjectives"]] + [
        noun["en"][SINGULAR] for noun in lexicon["nouns"]
    ]


def word_classes() -> dict[str, str]:
    """English word → its class in the grammar."""
    lexicon = load_lexicon()
    classes = {"the": "determiner", "a": "determiner", "an": "determiner"}
    for noun in lexicon["nouns"]:
        classes.update(dict.fromkeys(noun["en"], "noun"))
    for adjective in lexicon["adjectives"]:
        classes[adjective["en"]] = f"{adjective['position']}-adjective"
    for verb in lexicon["verbs"]:
        classes.update(dict.fromkeys(verb["en"], "verb"))
    for preposition in lexicon["prepositions"]:
        classes[preposition["en"]] = "preposition"
    return classes


def vocabularies() -> tuple[list[str], list[str]]:
    """Sorted English and French words that the grammar can produce."""
    lexicon = load_lexicon()
    en = {DEFINITE, INDEFINITE}
    if any(word[0] in VOWELS for word in _can_follow_indefinite()):
        en.add(INDEFINITE_BEFORE_VOWEL)
    fr = {form for forms in lexicon["determiners"].values() for form in forms.values()}
    for noun in lexicon["nouns"]:
        en.update(noun["en"])
        fr.update(noun["fr"])
    for adjective in lexicon["adjectives"]:
        en.add(adjective["en"])
        fr.update(adjective["fr"].values())
    for verb in lexicon["verbs"]:
        en.update(verb["en"])
        fr.update(verb["fr"])
    for preposition in lexicon["prepositions"]:
        en.add(preposition["en"])
        fr.add(preposition["fr"])
    return sorted(en), sorted(fr)


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class _EnglishIndex:
    nouns: dict[str, tuple[int, bool]]  # word -> (noun index, plural)
    pre_adjectives: dict[str, int]
    post_adjectives: dict[str, int]
    verbs: dict[str, tuple[int, bool]]  # word -> (verb index, plural)
    prepositions: dict[str, int]


@functools.cache
def _english_index() -> _EnglishIndex:
    lexicon = load_lexicon()
    nouns = {
        word: (i, number == PLURAL) for i, noun in enumerate(lexicon["nouns"]) for number, word in enumerate(noun["en"])
    }
    adjectives = lexicon["adjectives"]
    pre = {adjectives[i]["en"]: i for i in _adjective_indices("pre")}
    post = {adjectives[i]["en"]: i for i in _adjective_indices("post")}
    verbs = {
        word: (i, number == PLURAL) for i, verb in enumerate(lexicon["verbs"]) for number, word in enumerate(verb["en"])
    }
    prepositions = {p["en"]: i for i, p in enumerate(lexicon["prepositions"])}

    # Parsing relies on every English word having exactly one reading; a lexicon
    # where e.g. a noun's singular equals its plural would make parses ambiguous.
    words = [DEFINITE, INDEFINITE, INDEFINITE_BEFORE_VOWEL]
    words += [w for n in lexicon["nouns"] for w in n["en"]]
    words += [a["en"] for a in adjectives]
    words += [w for v in lexicon["verbs"] for w in v["en"]]
    words += list(prepositions)
    if len(set(words)) != len(words):
        duplicates = sorted({w for w in words if words.count(w) > 1})
        raise ValueError(f"ambiguous English words in lexicon: {duplicates}")
    return _EnglishIndex(nouns, pre, post, verbs, prepositions)


def _parse_noun_phrase(tokens: Sequence[str], start: int) -> tuple[NounPhrase, int] | None:
    """The phrase starting at ``tokens[start]`` and the index just after it, or None."""
    index = _english_index()
    if start + 1 >= len(tokens):
        return None
    determiner = tokens[start]
    if determiner not in (DEFINITE, INDEFINITE, INDEFINITE_BEFORE_VOWEL):
        return None
    position = start + 1
    pre_adj = index.pre_adjectives.get(tokens[position])
    if pre_adj is not None:
        position += 1
    post_adj = index.post_adjectives.get(tokens[position]) if position < len(tokens) else None
    if post_adj is not None:
        position += 1
    if position >= len(tokens) or tokens[position] not in index.nouns:
        return None
    noun_index, plural = index.nouns[tokens[position]]

    indefinite = determiner != DEFINITE
    if indefinite:
        if plural:
            return None
        expected = INDEFINITE_BEFORE_VOWEL if tokens[start + 1][0] in VOWELS else INDEFINITE
        if determiner != expected:
            return None
    return NounPhrase(noun_index, plural, indefinite, pre_adj, post_adj), position + 1


def parse_english(tokens: Iterable[str]) -> Sentence | None:
    """The sentence spec that renders to exactly these English tokens, else None.

    Tokens must already be lower-case words without punctuation, e.g. the output of
    ``attention_core.text.tokenize``; this function does no normalisation itself.
    """
    if isinstance(tokens, str):
        raise TypeError("parse_english expects a sequence of tokens, not a string")
    tokens = list(tokens)
    index = _english_index()

    subject_parse = _parse_noun_phrase(tokens, 0)
    if subject_parse is None:
        return None
    subject, position = subject_parse
    if position >= len(tokens) or tokens[position] not in index.verbs:
        return None
    verb_index, verb_plural = index.verbs[tokens[position]]
    if verb_plural != subject.plural:
        return None
    object_parse = _parse_noun_phrase(tokens, position + 1)
    if object_parse is None:
        return None
    obj, position = object_parse
    if position == len(tokens):
        return Sentence(subject, verb_index, obj)

    prep_index = index.prepositions.get(tokens[position])
    if prep_index is None:
        return None
    prep_parse = _parse_noun_phrase(tokens, position + 1)
    if prep_parse is None or prep_parse[1] != len(tokens):
        return None
    return Sentence(subject, verb_index, obj, prep_index, prep_parse[0])


def reference_translation(tokens: Iterable[str]) -> Example | None:
    """The one correct translation and alignment of an English sentence, or None."""
    sentence = parse_english(tokens)
    return None if sentence is None else render(sentence)
