"""Toy English -> toy French translation data: the grammar below, the words in ``lexicon.json``.

Grammar, with all words taken from the packaged ``lexicon.json``::

    S_long -> S (CONJ S){0,3}                  CONJ: "and" -> "et"
    S   -> NP_subj VERB NP_obj [PREP NP]
    NP  -> DET [PRE_ADJ] [POST_ADJ] NOUN       English order
    NP  -> DET [PRE_ADJ] NOUN [POST_ADJ]       French order

Each noun phrase is singular or plural on its own; a plural one always takes "the"
("les"). English "a" becomes "an" before a vowel-initial word. French determiners and
adjectives agree with the noun's gender and number; the verb agrees with the subject's
number in both languages. Translation is one-to-one, so every example carries a word
alignment: ``align[k]`` is the index of the English token that French token ``k``
translates.

A clause is described by a :class:`Sentence` of :class:`NounPhrase` specs holding
lexicon indices, a long sentence by a :class:`LongSentence` of clauses joined by
conjunctions; :func:`render` turns either into an :class:`Example` and
:func:`parse_english` is its inverse on the English side. A conjunction is aligned one to
one like every other word, so the alignment of clause k is that of the clause alone
shifted by the English tokens before it.
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

MAX_CLAUSES = 4  # SPEC "Long sentences": up to four clauses, 5 to 59 tokens
MAX_CLAUSE_TOKENS = 14  # the longest single clause: DET PRE POST NOUN VERB DET PRE POST NOUN PREP DET PRE POST NOUN
MAX_SENTENCE_TOKENS = MAX_CLAUSES * MAX_CLAUSE_TOKENS + (MAX_CLAUSES - 1)  # 59


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


@dataclass(frozen=True)
class LongSentence:
    """Clauses joined by conjunctions: ``clauses[0] conj[0] clauses[1] conj[1] …``.

    ``conjunctions[k]`` is a lexicon index into ``conjunctions``, the word between clause
    ``k`` and clause ``k + 1``. A single clause is a plain :class:`Sentence`.
    """

    clauses: tuple[Sentence, ...]
    conjunctions: tuple[int, ...]

    def __post_init__(self) -> None:
        if not 2 <= len(self.clauses) <= MAX_CLAUSES:
            raise ValueError(f"a long sentence has 2 to {MAX_CLAUSES} clauses, got {len(self.clauses)}")
        if len(self.conjunctions) != len(self.clauses) - 1:
            raise ValueError(
                f"{len(self.clauses)} clauses need {len(self.clauses) - 1} conjunctions, got {len(self.conjunctions)}"
            )


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


def render(sentence: Sentence | LongSentence) -> Example:
    """The English sentence, its French translation and the word alignment."""
    if isinstance(sentence, LongSentence):
        return _render_long(sentence)
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


def _render_long(sentence: LongSentence) -> Example:
    """Each clause rendered alone, its alignment shifted by the English tokens before it."""
    conjunctions = load_lexicon()["conjunctions"]
    en: list[str] = []
    fr: list[str] = []
    align: list[int] = []
    for k, clause in enumerate(sentence.clauses):
        if k > 0:
            conjunction = conjunctions[sentence.conjunctions[k - 1]]
            align.append(len(en))
            en.append(conjunction["en"])
            fr.append(conjunction["fr"])
        part = render(clause)
        align.extend(len(en) + j for j in part.align)
        en.extend(part.en)
        fr.extend(part.fr)
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


def sample_long_sentence(
    rng: random.Random, config: SamplingConfig = SamplingConfig(), max_clauses: int = MAX_CLAUSES
) -> Sentence | LongSentence:
    """A random sentence of 1 to ``max_clauses`` clauses (uniform), each sampled on its own.

    One clause is a plain :class:`Sentence`, as :func:`parse_english` returns it.
    """
    if not 1 <= max_clauses <= MAX_CLAUSES:
        raise ValueError(f"max_clauses must be in 1..{MAX_CLAUSES}, got {max_clauses!r}")
    n_clauses = rng.randint(1, max_clauses)
    clauses = tuple(sample_sentence(rng, config) for _ in range(n_clauses))
    if n_clauses == 1:
        return clauses[0]
    n_conjunctions = len(load_lexicon()["conjunctions"])
    return LongSentence(clauses, tuple(rng.randrange(n_conjunctions) for _ in range(n_clauses - 1)))


def sentence_specs(
    n: int, seed: int, config: SamplingConfig = SamplingConfig(), max_clauses: int = 1
) -> list[Sentence | LongSentence]:
    """The ``n`` sentence specs :func:`generate_examples` renders, so another target language can
    render the very same English sentences."""
    if n < 0:
        raise ValueError(f"n must be non-negative, got {n}")
    rng = random.Random(seed)
    if max_clauses == 1:
        return [sample_sentence(rng, config) for _ in range(n)]
    return [sample_long_sentence(rng, config, max_clauses) for _ in range(n)]


def generate_examples(
    n: int, seed: int, config: SamplingConfig = SamplingConfig(), max_clauses: int = 1
) -> list[Example]:
    """``n`` rendered random sentences; the same ``seed`` always gives the same list.

    ``max_clauses`` > 1 gives long sentences: 1 to ``max_clauses`` clauses joined by
    "and", the number uniform (SPEC "Long sentences"). The default, 1, keeps the single
    clauses of 5 to 14 tokens that every sentence was before long sentences existed.
    """
    return [render(sentence) for sentence in sentence_specs(n, seed, config, max_clauses)]


LONG_SAMPLING = SamplingConfig(pre_adjective=0.8, post_adjective=0.8, prepositional_phrase=0.8)
"""Noun phrases and clauses near their longest: four such clauses make 45 to 59 tokens."""


def long_sentence_specs(n: int, seed: int, min_tokens: int) -> list[LongSentence]:
    """The ``n`` four-clause specs :func:`generate_long_examples` renders, each of at least ``min_tokens``
    English tokens; the English side is the same whatever the target language."""
    if not 0 <= min_tokens <= MAX_SENTENCE_TOKENS:
        raise ValueError(f"min_tokens must be in 0..{MAX_SENTENCE_TOKENS}, got {min_tokens!r}")
    rng = random.Random(seed)
    n_conjunctions = len(load_lexicon()["conjunctions"])
    specs = []
    while len(specs) < n:
        clauses = tuple(sample_sentence(rng, LONG_SAMPLING) for _ in range(MAX_CLAUSES))
        conjunctions = tuple(rng.randrange(n_conjunctions) for _ in range(MAX_CLAUSES - 1))
        spec = LongSentence(clauses, conjunctions)
        if len(render(spec).en) >= min_tokens:
            specs.append(spec)
    return specs


def generate_long_examples(n: int, seed: int, min_tokens: int) -> list[Example]:
    """``n`` sentences of four clauses and at least ``min_tokens`` tokens, sampled with ``LONG_SAMPLING``.

    Uniform clause counts make a sentence of 50 tokens or more about 1 in 8,000: too rare
    to learn from or to measure. These come from the same grammar, only nearer its longest.
    """
    return [render(spec) for spec in long_sentence_specs(n, seed, min_tokens)]


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
    for conjunction in lexicon["conjunctions"]:
        classes[conjunction["en"]] = "conjunction"
    return classes


def same_class_words(word: str) -> list[str]:
    """The other English words that can stand where ``word`` stands: its class in the lexicon, in
    the same form (a plural noun offers plural nouns, a plural verb plural verbs), sorted.

    A swapped word keeps the sentence in the grammar, except "a"/"an" before a word that needs the
    other spelling (the swap menu is a question to the model, not to the grammar). A word outside the
    lexicon has no class: ``[]``.
    """
    lexicon = load_lexicon()
    forms = []
    for group in ("nouns", "verbs"):
        for entry in lexicon[group]:
            if word in entry["en"]:
                number = entry["en"].index(word)
                forms = [other["en"][number] for other in lexicon[group]]
    word_class = word_classes().get(word)
    if not forms and word_class is not None:
        forms = [other for other, c in word_classes().items() if c == word_class]
    return sorted(w for w in dict.fromkeys(forms) if w != word)


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
    for word in (*lexicon["prepositions"], *lexicon["conjunctions"]):
        en.add(word["en"])
        fr.add(word["fr"])
    return sorted(en), sorted(fr)


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class _EnglishIndex:
    nouns: dict[str, tuple[int, bool]]  # word -> (noun index, plural)
    pre_adjectives: dict[str, int]
    post_adjectives: dict[str, int]
    verbs: dict[str, tuple[int, bool]]  # word -> (verb index, plural)
    prepositions: dict[str, int]
    conjunctions: dict[str, int]


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
    conjunctions = {c["en"]: i for i, c in enumerate(lexicon["conjunctions"])}

    # Parsing relies on every English word having exactly one reading; a lexicon
    # where e.g. a noun's singular equals its plural would make parses ambiguous.
    words = [DEFINITE, INDEFINITE, INDEFINITE_BEFORE_VOWEL]
    words += [w for n in lexicon["nouns"] for w in n["en"]]
    words += [a["en"] for a in adjectives]
    words += [w for v in lexicon["verbs"] for w in v["en"]]
    words += list(prepositions) + list(conjunctions)
    if len(set(words)) != len(words):
        duplicates = sorted({w for w in words if words.count(w) > 1})
        raise ValueError(f"ambiguous English words in lexicon: {duplicates}")
    return _EnglishIndex(nouns, pre, post, verbs, prepositions, conjunctions)


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


def _parse_clause(tokens: Sequence[str], start: int) -> tuple[Sentence, int] | None:
    """The clause starting at ``tokens[start]`` and the index just after it, or None.

    A clause ends after its object, or after its prepositional phrase when the word
    after the object is a preposition; whatever follows is the caller's to read.
    """
    index = _english_index()
    subject_parse = _parse_noun_phrase(tokens, start)
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
    prep_index = index.prepositions.get(tokens[position]) if position < len(tokens) else None
    if prep_index is None:
        return Sentence(subject, verb_index, obj), position
    prep_parse = _parse_noun_phrase(tokens, position + 1)
    if prep_parse is None:
        return None
    return Sentence(subject, verb_index, obj, prep_index, prep_parse[0]), prep_parse[1]


def parse_english(tokens: Iterable[str]) -> Sentence | LongSentence | None:
    """The sentence spec that renders to exactly these English tokens, else None.

    One clause gives a :class:`Sentence`; two to ``MAX_CLAUSES`` clauses joined by a
    conjunction give a :class:`LongSentence`. Tokens must already be lower-case words
    without punctuation, e.g. the output of ``attention_core.data.text.tokenize``; this
    function does no normalisation itself.
    """
    if isinstance(tokens, str):
        raise TypeError("parse_english expects a sequence of tokens, not a string")
    tokens = list(tokens)
    index = _english_index()
    clauses: list[Sentence] = []
    conjunctions: list[int] = []
    position = 0
    while True:
        clause_parse = _parse_clause(tokens, position)
        if clause_parse is None:
            return None
        clause, position = clause_parse
        clauses.append(clause)
        if position == len(tokens):
            break
        conjunction = index.conjunctions.get(tokens[position])
        if conjunction is None or len(clauses) == MAX_CLAUSES:
            return None
        conjunctions.append(conjunction)
        position += 1
    if len(clauses) == 1:
        return clauses[0]
    return LongSentence(tuple(clauses), tuple(conjunctions))


def reference_translation(tokens: Iterable[str]) -> Example | None:
    """The one correct translation and alignment of an English sentence, or None."""
    sentence = parse_english(tokens)
    return None if sentence is None else render(sentence)
