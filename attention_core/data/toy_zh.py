"""Toy English -> toy Chinese translation data: the English of :mod:`attention_core.data.toy_data`, the
Chinese words in ``lexicon_zh.json``.

Grammar (English as in ``toy_data``; Chinese tokens are words separated by spaces)::

    S_long -> S (CONJ S){0,3}                      CONJ: "and" -> "，"
    S   -> NP_subj VERB NP_obj [PREP NP]           English
    S   -> NP_subj [BEFORE NP AFTER] VERB NP_obj   Chinese: the place phrase moves before the verb
    NP  -> DET [PRE_ADJ] [POST_ADJ] NOUN           English
    NP  -> 那/一 CLASSIFIER ADJ* NOUN               Chinese singular ("the" / "a", "an")
    NP  -> 那些 ADJ* NOUN                           Chinese plural: no classifier, the noun does not inflect

The classifier is the noun's own; both adjectives keep their English order before the noun, a
two-character adjective followed by 的; "old" is 老 for an animate noun and 旧 otherwise. The verb has
one form for both English forms; a preposition becomes two words around its noun phrase (in -> 在 … 里,
with -> 和 … 一起).

Translation is not one to one, so ``align[k]`` is the index of the English token that Chinese token
``k`` translates: determiner words and the classifier -> the determiner, an adjective and its 的 -> the
adjective, both words of a place phrase -> the preposition, "，" -> "and". :func:`render_zh` gives an
:class:`~attention_core.data.toy_data.Example` whose ``fr`` holds the Chinese tokens, so the French task's
code reads it unchanged. :func:`generate_pairs` renders the sentence specs the French training set is
rendered from, and ``python -m attention_core.data.toy_zh`` writes them as ``english<TAB>chinese<TAB>pharaoh``.
"""

from __future__ import annotations

import argparse
import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from attention_core.data import toy_data
from attention_core.data.toy_data import MAX_CLAUSES, Example, LongSentence, NounPhrase, Sentence
from attention_core.names import SHIPPED_SEED

ZH_LEXICON_PATH = Path(__file__).parent / "lexicon_zh.json"

DEFAULT_PAIRS = 100_000
DEFAULT_LONG_PAIRS = 10_000
DEFAULT_LONG_MIN_TOKENS = 45


@functools.cache
def load_lexicon_zh() -> dict:
    """The packaged Chinese lexicon, parsed once. Callers must not mutate it."""
    with ZH_LEXICON_PATH.open(encoding="utf-8") as f:
        return json.load(f)


@dataclass(frozen=True)
class _ChineseEntries:
    """The Chinese lexicon's entries, each at the index of its English word in toy_data's lexicon."""

    nouns: tuple[dict, ...]
    adjectives: tuple[dict, ...]
    verbs: tuple[dict, ...]
    prepositions: tuple[dict, ...]
    conjunctions: tuple[dict, ...]


def _english_key(forms: str | Sequence[str]) -> str | tuple[str, ...]:
    return forms if isinstance(forms, str) else tuple(forms)


def _matched(group: str) -> tuple[dict, ...]:
    """The Chinese entries of ``group`` in the order of toy_data's ``group``, matched by their English words.

    The two lexicons list words in the same order today, but nothing says they must: matching by English
    keeps a reordered file correct, and a word in one lexicon and not the other fails here, not mid-sample.
    """
    chinese: dict[str | tuple[str, ...], dict] = {}
    for entry in load_lexicon_zh()[group]:
        key = _english_key(entry["en"])
        if key in chinese:
            raise ValueError(f"lexicon_zh.json lists {group} {key!r} twice")
        chinese[key] = entry
    english = [_english_key(entry["en"]) for entry in toy_data.load_lexicon()[group]]
    missing = [key for key in english if key not in chinese]
    extra = [key for key in chinese if key not in english]
    if missing or extra:
        raise ValueError(f"{group}: no Chinese for {missing}, Chinese for no English word {extra}")
    return tuple(chinese[key] for key in english)


@functools.cache
def _chinese_entries() -> _ChineseEntries:
    groups = ("nouns", "adjectives", "verbs", "prepositions", "conjunctions")
    return _ChineseEntries(*(_matched(group) for group in groups))


# --------------------------------------------------------------------------- rendering


def _adjective_tokens(adjective: dict, noun: dict) -> list[str]:
    """The adjective's Chinese form for ``noun``, followed by 的 when it has two characters."""
    forms = adjective["zh"]
    word = forms["any"] if "any" in forms else forms["animate" if noun["animate"] else "inanimate"]
    if len(word) == 1:
        return [word]
    if len(word) == 2:
        return [word, load_lexicon_zh()["de"]]
    # SPEC names one- and two-character adjectives only; a longer one needs a rule, not a guess.
    raise ValueError(f"adjective {adjective['en']!r} -> {word!r}: SPEC has no rule for {len(word)} characters")


def _noun_phrase(phrase: NounPhrase, offset: int) -> tuple[list[str], list[int], int]:
    """Chinese tokens, the English index each translates, and the phrase's English length.

    ``offset`` is the English index of the phrase's determiner; the English is DET [PRE] [POST] NOUN.
    """
    entries = _chinese_entries()
    noun = entries.nouns[phrase.noun_index]
    determiner = load_lexicon_zh()["determiners"][toy_data.INDEFINITE if phrase.indefinite else toy_data.DEFINITE]
    if phrase.plural:
        tokens, align = [determiner["pl"]], [offset]
    else:
        tokens, align = [determiner["sg"], noun["classifier"]], [offset, offset]
    position = offset + 1
    for adjective_index in (phrase.pre_adj, phrase.post_adj):
        if adjective_index is not None:
            adjective = _adjective_tokens(entries.adjectives[adjective_index], noun)
            tokens += adjective
            align += [position] * len(adjective)
            position += 1
    tokens.append(noun["zh"])
    align.append(position)
    return tokens, align, position + 1 - offset


def _clause(sentence: Sentence) -> tuple[list[str], list[int], int]:
    """Chinese tokens, their alignment and the English length of one clause.

    English is NP_subj VERB NP_obj [PREP NP]; Chinese is NP_subj [BEFORE NP AFTER] VERB NP_obj.
    """
    entries = _chinese_entries()
    subject, subject_align, verb_position = _noun_phrase(sentence.subject, 0)
    obj, obj_align, obj_length = _noun_phrase(sentence.obj, verb_position + 1)
    length = verb_position + 1 + obj_length
    place: list[str] = []
    place_align: list[int] = []
    if sentence.prep_index is not None and sentence.prep_np is not None:
        words = entries.prepositions[sentence.prep_index]["zh"]
        inner, inner_align, inner_length = _noun_phrase(sentence.prep_np, length + 1)
        place = [words["before"], *inner, words["after"]]
        place_align = [length, *inner_align, length]
        length += 1 + inner_length
    tokens = [*subject, *place, entries.verbs[sentence.verb_index]["zh"], *obj]
    return tokens, [*subject_align, *place_align, verb_position, *obj_align], length


def _long(sentence: LongSentence) -> tuple[list[str], list[int], int]:
    """Each clause rendered alone, its alignment shifted by the English tokens before it."""
    conjunctions = _chinese_entries().conjunctions
    tokens: list[str] = []
    align: list[int] = []
    length = 0
    for k, clause in enumerate(sentence.clauses):
        if k > 0:
            tokens.append(conjunctions[sentence.conjunctions[k - 1]]["zh"])
            align.append(length)
            length += 1
        clause_tokens, clause_align, clause_length = _clause(clause)
        tokens += clause_tokens
        align += [length + j for j in clause_align]
        length += clause_length
    return tokens, align, length


def render_zh(sentence: Sentence | LongSentence) -> Example:
    """The English sentence (exactly ``toy_data.render``'s), its Chinese translation in ``fr``, and the alignment."""
    english = toy_data.render(sentence).en
    tokens, align, length = _long(sentence) if isinstance(sentence, LongSentence) else _clause(sentence)
    if length != len(english):
        # The alignment counts English tokens from the spec; toy_data renders them. They must agree.
        raise RuntimeError(f"Chinese alignment counts {length} English tokens, toy_data renders {len(english)}")
    return Example(english, tuple(tokens), tuple(align))


def reference_translation_zh(tokens: Iterable[str]) -> Example | None:
    """The one correct Chinese translation and alignment of an English sentence, or None outside the grammar."""
    sentence = toy_data.parse_english(tokens)
    return None if sentence is None else render_zh(sentence)


# --------------------------------------------------------------------------- data files


def chinese_words() -> list[str]:
    """Sorted Chinese words the grammar can produce (the target side of ``toy_en_zh_transformer``)."""
    lexicon = load_lexicon_zh()
    words = {lexicon["de"], *(w for forms in lexicon["determiners"].values() for w in forms.values())}
    for noun in lexicon["nouns"]:
        words.update((noun["zh"], noun["classifier"]))
    for adjective in lexicon["adjectives"]:
        words.update(adjective["zh"].values())
    for entry in (*lexicon["verbs"], *lexicon["conjunctions"]):
        words.add(entry["zh"])
    for preposition in lexicon["prepositions"]:
        words.update(preposition["zh"].values())
    return sorted(words)


def pharaoh(align: Sequence[int]) -> str:
    """The alignment as Pharaoh pairs ``source-target`` (0-based), in target order: ``"0-0 0-1 1-2"``."""
    return " ".join(f"{source}-{target}" for target, source in enumerate(align))


def generate_pairs(
    n: int,
    seed: int,
    long_pairs: int = DEFAULT_LONG_PAIRS,
    long_min_tokens: int = DEFAULT_LONG_MIN_TOKENS,
    max_clauses: int = MAX_CLAUSES,
) -> list[Example]:
    """The French training set's English sentences, in its order, translated into Chinese.

    As ``train.training_examples``: ``n`` sentences of 1 to ``max_clauses`` clauses, then ``long_pairs``
    of four clauses and at least ``long_min_tokens`` tokens, both drawn with ``seed``.
    """
    uniform = toy_data.sentence_specs(n, seed, max_clauses=max_clauses)
    long = toy_data.long_sentence_specs(long_pairs, seed, long_min_tokens)
    return [render_zh(sentence) for sentence in [*uniform, *long]]


def write_pairs_file(path: Path | str, examples: Iterable[Example]) -> int:
    """One line per example, ``english<TAB>chinese<TAB>pharaoh``, UTF-8 with "\\n" endings; returns the line count."""
    lines = 0
    with Path(path).open("w", encoding="utf-8", newline="\n") as f:
        for example in examples:
            f.write(f"{' '.join(example.en)}\t{' '.join(example.fr)}\t{pharaoh(example.align)}\n")
            lines += 1
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="the pairs file to write")
    parser.add_argument("--pairs", type=int, default=DEFAULT_PAIRS, help="sentences of 1 to 4 clauses")
    parser.add_argument("--long-pairs", type=int, default=DEFAULT_LONG_PAIRS, help="long four-clause sentences")
    parser.add_argument("--long-min-tokens", type=int, default=DEFAULT_LONG_MIN_TOKENS)
    parser.add_argument("--seed", type=int, default=SHIPPED_SEED)
    args = parser.parse_args(argv)
    examples = generate_pairs(args.pairs, args.seed, args.long_pairs, args.long_min_tokens)
    print(f"wrote {write_pairs_file(args.out, examples)} lines to {args.out}")


if __name__ == "__main__":
    main()
