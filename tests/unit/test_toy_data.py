"""Tests for the toy English -> French generator (attention_core.data.toy_data).

Agreement and alignment are checked against the raw lexicon JSON, not through the
module's own helpers, so a bug in the generator cannot hide behind the same bug here.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attention_core.data import toy_data
from attention_core.data.toy_data import (
    MAX_CLAUSES,
    MAX_SENTENCE_TOKENS,
    Example,
    LongSentence,
    NounPhrase,
    SamplingConfig,
    Sentence,
    generate_examples,
    parse_english,
    reference_translation,
    render,
    sample_long_sentence,
    sample_sentence,
    vocabularies,
    word_classes,
)

PACKAGED_LEXICON = Path(toy_data.__file__).parent / "lexicon.json"
SHARED_LEXICON = Path(__file__).resolve().parents[3] / "shared" / "toy_en_fr" / "lexicon.json"
# sha256 of the packaged lexicon.json when it was copied from the shared SPEC folder.
LEXICON_SHA256 = "9c6dbb7e8f4299a39e38a43412974a373de331d0aa3ed37b466da1bd08e3142a"

LEX = json.loads(PACKAGED_LEXICON.read_text(encoding="utf-8"))
VOWELS = set("aeiou")


# --------------------------------------------------------------------------- helpers


def _index(entries: list[dict], english: str) -> int:
    for i, entry in enumerate(entries):
        forms = entry["en"] if isinstance(entry["en"], list) else [entry["en"]]
        if english in forms:
            return i
    raise KeyError(english)


def np_(noun, *, plural=False, a=False, pre=None, post=None) -> NounPhrase:
    """A NounPhrase spec from English words (noun given in its singular form)."""
    adjectives = LEX["adjectives"]
    return NounPhrase(
        noun_index=_index(LEX["nouns"], noun),
        plural=plural,
        indefinite=a,
        pre_adj=None if pre is None else _index(adjectives, pre),
        post_adj=None if post is None else _index(adjectives, post),
    )


def verb(word: str) -> int:
    return _index(LEX["verbs"], word)


def prep(word: str) -> int:
    return _index(LEX["prepositions"], word)


# Rows of the SPEC.md "Examples" table, copied verbatim, with the sentence spec of each.
GOLDEN = [
    (
        "the old car watches the streets",
        "la vieille voiture regarde les rues",
        [0, 1, 2, 3, 4, 5],
        Sentence(np_("car", pre="old"), verb("watches"), np_("street", plural=True)),
    ),
    (
        "a red garden finds the boy",
        "un jardin rouge trouve le garçon",
        [0, 2, 1, 3, 4, 5],
        Sentence(np_("garden", a=True, post="red"), verb("finds"), np_("boy")),
    ),
    (
        "the city sees a pretty black girl behind the happy park",
        "la ville voit une jolie fille noire derrière le parc content",
        [0, 1, 2, 3, 4, 6, 5, 7, 8, 10, 9],
        Sentence(
            np_("city"),
            verb("sees"),
            np_("girl", a=True, pre="pretty", post="black"),
            prep("behind"),
            np_("park", post="happy"),
        ),
    ),
    (
        "the good blue street watches the parks with a boy",
        "la bonne rue bleue regarde les parcs avec un garçon",
        [0, 1, 3, 2, 4, 5, 6, 7, 8, 9],
        Sentence(
            np_("street", pre="good", post="blue"),
            verb("watches"),
            np_("park", plural=True),
            prep("with"),
            np_("boy", a=True),
        ),
    ),
    (
        "the happy cities chase the girls",
        "les villes contentes chassent les filles",
        [0, 2, 1, 3, 4, 5],
        Sentence(
            np_("city", plural=True, post="happy"),
            verb("chase"),
            np_("girl", plural=True),
        ),
    ),
    (
        "a black city finds the small parks",
        "une ville noire trouve les petits parcs",
        [0, 2, 1, 3, 4, 5, 6],
        Sentence(
            np_("city", a=True, post="black"),
            verb("finds"),
            np_("park", plural=True, pre="small"),
        ),
    ),
    (
        "the street likes a good car",
        "la rue aime une bonne voiture",
        [0, 1, 2, 3, 4, 5],
        Sentence(np_("street"), verb("likes"), np_("car", a=True, pre="good")),
    ),
    (
        "the fast park eats the table",
        "le parc rapide mange la table",
        [0, 2, 1, 3, 4, 5],
        Sentence(np_("park", post="fast"), verb("eats"), np_("table")),
    ),
]


def _translation_pairs() -> set[tuple[str, str]]:
    """Every (English word, French word) pair that one-to-one translation allows."""
    pairs = set()
    for english, forms in LEX["determiners"].items():
        spellings = [english, "an"] if english == "a" else [english]
        pairs |= {(s, f) for s in spellings for f in forms.values()}
    for entry in LEX["nouns"] + LEX["verbs"]:
        pairs |= set(zip(entry["en"], entry["fr"]))
    for adjective in LEX["adjectives"]:
        pairs |= {(adjective["en"], f) for f in adjective["fr"].values()}
    pairs |= {(p["en"], p["fr"]) for p in LEX["prepositions"]}
    pairs |= {(c["en"], c["fr"]) for c in LEX["conjunctions"]}
    return pairs


PAIRS = _translation_pairs()
EN_NOUNS = {w: (n, number) for n in LEX["nouns"] for number, w in enumerate(n["en"])}
FR_NOUNS = {w: (n, number) for n in LEX["nouns"] for number, w in enumerate(n["fr"])}
EN_VERBS = {w: number for v in LEX["verbs"] for number, w in enumerate(v["en"])}
FR_VERBS = {w: number for v in LEX["verbs"] for number, w in enumerate(v["fr"])}
ADJECTIVES = {a["en"]: a for a in LEX["adjectives"]}
FR_DETERMINERS = {f for forms in LEX["determiners"].values() for f in forms.values()}
EN_DETERMINERS = {"the", "a", "an"}


EN_CONJUNCTIONS = {c["en"] for c in LEX["conjunctions"]}
FR_CONJUNCTIONS = {c["fr"] for c in LEX["conjunctions"]}


def check_example(ex: Example) -> None:
    """Independent check of one example, one clause or several, against the SPEC's rules.

    The sentence is cut at its conjunctions on both sides; each French clause must align
    inside its own English clause, and each clause alone must pass ``check_clause``.
    """
    en, fr, align = ex.en, ex.fr, ex.align
    assert len(en) == len(fr) == len(align)
    assert 5 <= len(en) <= 59
    assert sorted(align) == list(range(len(en)))
    en_cuts = [i for i, w in enumerate(en) if w in EN_CONJUNCTIONS]
    fr_cuts = [k for k, w in enumerate(fr) if w in FR_CONJUNCTIONS]
    assert len(en_cuts) == len(fr_cuts) <= 3
    for i, k in zip(en_cuts, fr_cuts):
        assert align[k] == i  # "et" translates the "and" at the same place
    en_bounds = [-1, *en_cuts, len(en)]
    fr_bounds = [-1, *fr_cuts, len(fr)]
    for c in range(len(en_bounds) - 1):
        en_start, en_stop = en_bounds[c] + 1, en_bounds[c + 1]
        fr_start, fr_stop = fr_bounds[c] + 1, fr_bounds[c + 1]
        clause_align = [a - en_start for a in align[fr_start:fr_stop]]
        assert all(0 <= a < en_stop - en_start for a in clause_align)  # the clause stays in its clause
        check_clause(Example(en[en_start:en_stop], fr[fr_start:fr_stop], tuple(clause_align)))

    sentence = parse_english(ex.en)
    assert sentence is not None
    assert isinstance(sentence, LongSentence) == bool(en_cuts)
    assert render(sentence) == ex
    assert reference_translation(list(ex.en)) == ex


def check_clause(ex: Example) -> None:
    """Independent check of one clause against the SPEC's rules."""
    en, fr, align = ex.en, ex.fr, ex.align
    assert len(en) == len(fr) == len(align)
    assert 5 <= len(en) <= 14
    assert sorted(align) == list(range(len(en)))
    en_vocab, fr_vocab = vocabularies()
    assert set(en) <= set(en_vocab)
    assert set(fr) <= set(fr_vocab)

    # Each French token translates the English token it is aligned with.
    for k, fr_word in enumerate(fr):
        assert (en[align[k]], fr_word) in PAIRS, (en[align[k]], fr_word)

    # English noun phrases: determiner rules.
    for i, word in enumerate(en):
        if word in EN_NOUNS:
            det = max(j for j in range(i) if en[j] in EN_DETERMINERS)
            _, number = EN_NOUNS[word]
            if number == 1:
                assert en[det] == "the"
            for j in range(det + 1, i):
                assert en[j] in ADJECTIVES
        if word in ("a", "an"):
            assert word == ("an" if en[i + 1][0] in VOWELS else "a")

    # Verb agrees with the subject (the noun before the verb) in both languages.
    (v,) = [i for i, w in enumerate(en) if w in EN_VERBS]
    (subject,) = [w for w in en[:v] if w in EN_NOUNS]
    assert EN_VERBS[en[v]] == EN_NOUNS[subject][1]
    fr_v = align.index(v)
    (fr_subject,) = [w for w in fr[:fr_v] if w in FR_NOUNS]
    assert FR_VERBS[fr[fr_v]] == FR_NOUNS[fr_subject][1]

    # French noun phrases: DET PRE* NOUN [POST], all agreeing with the noun.
    for k, word in enumerate(fr):
        if word not in FR_NOUNS:
            continue
        noun, number = FR_NOUNS[word]
        key = f"{noun['gender']}.{'pl' if number else 'sg'}"
        det = max(j for j in range(k) if fr[j] in FR_DETERMINERS)
        english_det = "a" if en[align[det]] in ("a", "an") else "the"
        assert fr[det] == LEX["determiners"][english_det][key]
        assert k - det <= 2
        for j in range(det + 1, k):
            adjective = ADJECTIVES[en[align[j]]]
            assert adjective["position"] == "pre"
            assert fr[j] == adjective["fr"][key]
        if k + 1 < len(fr) and en[align[k + 1]] in ADJECTIVES:
            adjective = ADJECTIVES[en[align[k + 1]]]
            assert adjective["position"] == "post"
            assert fr[k + 1] == adjective["fr"][key]

    # Round trip through the English parser.
    sentence = parse_english(ex.en)
    assert sentence is not None
    assert render(sentence) == ex
    assert reference_translation(list(ex.en)) == ex


# --------------------------------------------------------------------------- tests


@pytest.mark.parametrize("english, french, align, sentence", GOLDEN, ids=[g[0] for g in GOLDEN])
def test_spec_examples(english, french, align, sentence):
    expected = Example(tuple(english.split()), tuple(french.split()), tuple(align))
    assert reference_translation(english.split()) == expected
    assert render(sentence) == expected
    assert parse_english(english.split()) == sentence
    check_example(expected)


LONG_EXAMPLE = (
    "the old car watches the streets and a red garden finds the boy",
    "la vieille voiture regarde les rues et un jardin rouge trouve le garçon",
)


def test_spec_long_example():
    english, french = LONG_EXAMPLE
    example = reference_translation(english.split())
    assert example is not None and " ".join(example.fr) == french
    # The second clause's alignment is the SPEC row's shifted by its 6 words and "and".
    assert example.align == (0, 1, 2, 3, 4, 5, 6, *(7 + a for a in (0, 2, 1, 3, 4, 5)))
    first, second = GOLDEN[0][3], GOLDEN[1][3]
    assert parse_english(english.split()) == LongSentence((first, second), (0,))
    check_example(example)


@pytest.mark.parametrize("n_clauses", [2, 3, 4])
def test_alignment_shifts_after_each_and(n_clauses):
    """Joining SPEC rows: each clause keeps its own alignment, shifted by everything before it."""
    rows = [GOLDEN[(2 + 3 * k) % len(GOLDEN)] for k in range(n_clauses)]
    english = " and ".join(row[0] for row in rows).split()
    example = reference_translation(english)
    expected_align, expected_fr, offset = [], [], 0
    for k, (en_row, fr_row, align_row, _) in enumerate(rows):
        if k:
            expected_align.append(offset)
            expected_fr.append("et")
            offset += 1
        expected_align.extend(offset + a for a in align_row)
        expected_fr.extend(fr_row.split())
        offset += len(en_row.split())
    assert example.fr == tuple(expected_fr)
    assert example.align == tuple(expected_align)
    assert render(LongSentence(tuple(row[3] for row in rows), (0,) * (n_clauses - 1))) == example
    check_example(example)


def test_longest_sentence_has_59_tokens():
    clause = Sentence(
        np_("car", pre="old", post="red"),
        verb("sees"),
        np_("dog", pre="big", post="black"),
        prep("in"),
        np_("garden", pre="small", post="green"),
    )
    example = render(LongSentence((clause,) * MAX_CLAUSES, (0,) * (MAX_CLAUSES - 1)))
    assert len(example.en) == MAX_SENTENCE_TOKENS == 59
    check_example(example)
    with pytest.raises(ValueError):
        LongSentence((clause,) * (MAX_CLAUSES + 1), (0,) * MAX_CLAUSES)
    with pytest.raises(ValueError):
        LongSentence((clause, clause), ())
    with pytest.raises(ValueError):
        LongSentence((clause,), ())


def test_long_generator_covers_one_to_four_clauses_and_5_to_59_tokens():
    examples = generate_examples(4000, seed=3, max_clauses=4)
    clauses = Counter(ex.en.count("and") + 1 for ex in examples)
    assert set(clauses) == {1, 2, 3, 4}
    for n in range(1, 5):  # uniform over 1..4
        assert abs(clauses[n] / len(examples) - 0.25) < 0.03, clauses
    lengths = [len(ex.en) for ex in examples]
    assert min(lengths) == 5 and 40 <= max(lengths) <= 59
    assert sum(length >= 40 for length in lengths) > 100  # the longest bucket is not empty
    for ex in examples[:1000]:
        check_example(ex)
    assert generate_examples(300, seed=3, max_clauses=4) == examples[:300]


def test_single_clauses_stay_the_default():
    assert all("and" not in ex.en for ex in generate_examples(2000, seed=5))
    assert generate_examples(50, seed=5) == generate_examples(50, seed=5, max_clauses=1)
    rng = random.Random(0)
    assert all(isinstance(sample_long_sentence(rng, max_clauses=1), Sentence) for _ in range(100))
    with pytest.raises(ValueError):
        generate_examples(5, seed=5, max_clauses=5)


@pytest.mark.parametrize(
    "tokens",
    [
        "the cat sees the dog and",  # dangling conjunction
        "and the cat sees the dog",  # leading conjunction
        "the cat sees the dog and and the dog sees the cat",
        "the cat sees the dog and the dog",  # second clause without a verb
        "the cat sees the dog and the dogs sees the cat",  # agreement inside the second clause
        "the cat sees the dog in the park and",
        "the cat and the dog sees the park",  # "and" joins clauses, not noun phrases
        " and ".join(["the cat sees the dog"] * (MAX_CLAUSES + 1)),  # five clauses
    ],
)
def test_parse_english_rejects_bad_long_sentences(tokens):
    assert parse_english(tokens.split()) is None
    assert reference_translation(tokens.split()) is None


def test_conjunction_in_vocabularies_and_word_classes():
    en_vocab, fr_vocab = vocabularies()
    assert "and" in en_vocab and "et" in fr_vocab
    assert word_classes()["and"] == "conjunction"
    assert set(word_classes()) == set(en_vocab)


def test_packaged_lexicon_matches_shared():
    packaged = PACKAGED_LEXICON.read_bytes()
    if SHARED_LEXICON.exists():
        assert packaged == SHARED_LEXICON.read_bytes()
    else:
        assert hashlib.sha256(packaged).hexdigest() == LEXICON_SHA256


def test_load_lexicon_reads_packaged_file():
    assert toy_data.load_lexicon() == LEX
    assert toy_data.load_lexicon() is toy_data.load_lexicon()


def test_generated_examples_follow_the_rules():
    examples = generate_examples(2000, seed=0)
    assert len(examples) == 2000
    for ex in examples:
        check_example(ex)


@settings(max_examples=40, deadline=None, database=None)
@given(seed=st.integers(min_value=0, max_value=2**63))
def test_generated_examples_follow_the_rules_for_any_seed(seed):
    for ex in generate_examples(25, seed):
        check_example(ex)
    for ex in generate_examples(10, seed, max_clauses=MAX_CLAUSES):
        check_example(ex)


def test_reproducible():
    assert generate_examples(200, seed=7) == generate_examples(200, seed=7)
    assert generate_examples(200, seed=7) != generate_examples(200, seed=8)
    assert generate_examples(0, seed=7) == []
    with pytest.raises(ValueError):
        generate_examples(-1, seed=7)


def test_sampling_frequencies_match_config():
    config = SamplingConfig()
    rng = random.Random(12345)
    sentences = [sample_sentence(rng, config) for _ in range(5000)]
    pp_rate = sum(s.prep_np is not None for s in sentences) / len(sentences)
    assert abs(pp_rate - config.prepositional_phrase) < 0.03

    phrases = [p for s in sentences for p in (s.subject, s.obj, s.prep_np) if p is not None]
    singular = [p for p in phrases if not p.plural]
    rates = {
        "plural": sum(p.plural for p in phrases) / len(phrases),
        "pre_adjective": sum(p.pre_adj is not None for p in phrases) / len(phrases),
        "post_adjective": sum(p.post_adj is not None for p in phrases) / len(phrases),
        "indefinite": sum(p.indefinite for p in singular) / len(singular),
    }
    for name, rate in rates.items():
        assert abs(rate - getattr(config, name)) < 0.03, name

    # All nouns and verbs are used, roughly uniformly.
    nouns = Counter(p.noun_index for p in phrases)
    assert set(nouns) == set(range(len(LEX["nouns"])))
    verbs = Counter(s.verb_index for s in sentences)
    assert set(verbs) == set(range(len(LEX["verbs"])))


def test_config_extremes():
    rng = random.Random(3)
    never = SamplingConfig(
        pre_adjective=0,
        post_adjective=0,
        plural=0,
        indefinite=0,
        prepositional_phrase=0,
    )
    for _ in range(200):
        ex = render(sample_sentence(rng, never))
        assert len(ex.en) == 5 and ex.en[0] == ex.en[3] == "the"
    always = SamplingConfig(pre_adjective=1, post_adjective=1, plural=1, prepositional_phrase=1)
    for _ in range(200):
        ex = render(sample_sentence(rng, always))
        assert len(ex.en) == 14
        check_example(ex)
    with pytest.raises(ValueError):
        SamplingConfig(plural=1.5)


def test_vocabularies_are_exactly_what_the_grammar_produces():
    en_vocab, fr_vocab = vocabularies()
    assert en_vocab == sorted(set(en_vocab)) and fr_vocab == sorted(set(fr_vocab))
    assert {"the", "a", "an"} <= set(en_vocab)
    assert {"le", "la", "les", "un", "une"} <= set(fr_vocab)
    seen_en, seen_fr = set(), set()
    for ex in generate_examples(5000, seed=1, max_clauses=MAX_CLAUSES):
        seen_en.update(ex.en)
        seen_fr.update(ex.fr)
    assert seen_en == set(en_vocab)
    assert seen_fr == set(fr_vocab)


@pytest.mark.parametrize(
    "tokens",
    [
        [],
        ["the", "cat"],
        ["the", "cat", "sees"],
        ["a", "apple", "sees", "the", "dog"],  # must be "an apple"
        ["an", "cat", "sees", "the", "dog"],  # must be "a cat"
        ["the", "dog", "sees", "an", "young", "cat"],  # "y" is not a vowel
        ["the", "cat", "see", "the", "dog"],  # verb agreement
        ["the", "cats", "sees", "the", "dog"],  # verb agreement
        ["a", "cats", "see", "the", "dog"],  # "a" is singular only
        ["the", "cat", "sees", "the", "unicorn"],  # unknown word
        ["the", "cat", "sees", "dog"],  # missing determiner
        ["the", "red", "old", "car", "sees", "the", "dog"],  # adjective order
        ["the", "old", "big", "car", "sees", "the", "dog"],  # two pre adjectives
        ["the", "car", "red", "sees", "the", "dog"],  # French order in English
        ["the", "cat", "sees", "the", "dog", "in"],  # dangling preposition
        ["the", "cat", "sees", "the", "dog", "the", "cat"],  # missing preposition
        ["the", "cat", "sees", "the", "dog", "in", "the", "park", "on", "the", "table"],
        [
            "the",
            "cat",
            "sees",
            "the",
            "dog",
            "in",
            "the",
            "park",
            "the",
        ],  # trailing word
        ["The", "cat", "sees", "the", "dog"],  # tokens must be normalised first
        ["the", "cat", "sees", "the", "dog."],
    ],
)
def test_parse_english_rejects_non_sentences(tokens):
    assert parse_english(tokens) is None
    assert reference_translation(tokens) is None


def test_parse_english_rejects_a_plain_string():
    with pytest.raises(TypeError):
        parse_english("the cat sees the dog")


def test_translate_typed_input_via_project_tokenizer():
    from attention_core.data.text import tokenize

    ex = reference_translation(tokenize("The cat sees an old dog."))
    assert ex == Example(
        ("the", "cat", "sees", "an", "old", "dog"),
        ("le", "chat", "voit", "un", "vieux", "chien"),
        (0, 1, 2, 3, 4, 5),
    )


def test_render_rejects_invalid_specs():
    with pytest.raises(ValueError):
        NounPhrase(0, plural=True, indefinite=True)
    with pytest.raises(ValueError):
        Sentence(np_("cat"), verb("sees"), np_("dog"), prep_index=prep("in"))
    post_as_pre = NounPhrase(_index(LEX["nouns"], "cat"), pre_adj=_index(LEX["adjectives"], "red"))
    with pytest.raises(ValueError):
        render(Sentence(post_as_pre, verb("sees"), np_("dog")))
