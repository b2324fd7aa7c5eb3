"""Tests for the toy English -> Chinese generator (attention_core.data.toy_zh).

Expected Chinese words are read from the raw ``lexicon_zh.json`` by their English words, not through
the module's own matching, so a bug in the generator cannot hide behind the same bug here.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attention_core.data import toy_data, toy_zh
from attention_core.data.toy_data import (
    MAX_CLAUSES,
    Example,
    generate_examples,
    generate_long_examples,
    parse_english,
    sample_long_sentence,
    word_classes,
)
from attention_core.data.toy_zh import generate_pairs, pharaoh, reference_translation_zh, render_zh, write_pairs_file

ZH = json.loads(Path(toy_zh.__file__).with_name("lexicon_zh.json").read_text(encoding="utf-8"))
EN = toy_data.load_lexicon()
COMMA = "，"


def zh_noun(english: str) -> dict:
    return next(noun for noun in ZH["nouns"] if english in noun["en"])


def zh_adjective(english: str) -> dict:
    return next(adjective["zh"] for adjective in ZH["adjectives"] if adjective["en"] == english)


def zh_preposition(english: str) -> dict:
    return next(preposition["zh"] for preposition in ZH["prepositions"] if preposition["en"] == english)


def zh_verb(english: str) -> str:
    return next(verb["zh"] for verb in ZH["verbs"] if english in verb["en"])


def translate(english: str) -> Example:
    example = reference_translation_zh(english.split())
    assert example is not None, english
    return example


# Rows of the SPEC.md "Examples" table, copied verbatim.
GOLDEN = [
    ("the good cats watch the good boy", "那些 好 猫 看着 那 个 好 男孩", [0, 1, 2, 3, 4, 4, 5, 6]),
    ("the small parks find the gardens", "那些 小 公园 找到 那些 花园", [0, 1, 2, 3, 4, 5]),
    (
        "the big black cat chases the house in a rabbit",
        "那 只 大 黑 猫 在 一 只 兔子 里 追 那 座 房子",
        [0, 0, 1, 2, 3, 7, 8, 8, 9, 7, 4, 5, 5, 6],
    ),
    (
        "a pretty blue horse follows the big cats in the big garden",
        "一 匹 漂亮 的 蓝 马 在 那 个 大 花园 里 跟着 那些 大 猫",
        [0, 0, 1, 1, 2, 3, 8, 9, 9, 10, 11, 8, 4, 5, 6, 7],
    ),
    (
        "a small fast house sees the good horses under the good white tables",
        "一 座 小 快速 的 房子 在 那些 好 白 桌子 下 看见 那些 好 马",
        [0, 0, 1, 2, 2, 3, 8, 9, 10, 11, 12, 8, 4, 5, 6, 7],
    ),
]
LONG_EXAMPLE = (
    "the good cats watch the good boy and the small parks find the gardens",
    "那些 好 猫 看着 那 个 好 男孩 ， 那些 小 公园 找到 那些 花园",
)


def zh_classes() -> dict[str, set[str]]:
    """Chinese word → the English word classes it may translate (toy_data.word_classes names)."""
    classes: dict[str, set[str]] = {}

    def add(word: str, word_class: str) -> None:
        classes.setdefault(word, set()).add(word_class)

    for forms in ZH["determiners"].values():
        for word in forms.values():
            add(word, "determiner")
    for noun in ZH["nouns"]:
        add(noun["zh"], "noun")
        add(noun["classifier"], "determiner")
    for adjective in ZH["adjectives"]:
        for word in adjective["zh"].values():
            add(word, "adjective")
    add(ZH["de"], "adjective")
    for verb in ZH["verbs"]:
        add(verb["zh"], "verb")
    for preposition in ZH["prepositions"]:
        add(preposition["zh"]["before"], "preposition")
        add(preposition["zh"]["after"], "preposition")
    for conjunction in ZH["conjunctions"]:
        add(conjunction["zh"], "conjunction")
    return classes


ZH_CLASSES = zh_classes()
EN_CLASSES = {word: c.removeprefix("pre-").removeprefix("post-") for word, c in word_classes().items()}


def is_chinese(token: str) -> bool:
    return token == COMMA or (bool(token) and all("\u4e00" <= ch <= "\u9fff" for ch in token))


def check_monotone_except_place_phrase(example: Example) -> None:
    """Within a clause the English indices never go back, except the place phrase block, which comes from
    the clause's end: it opens and closes on the preposition and lies wholly after the words around it."""
    start = 0
    fr, align = list(example.fr), list(example.align)
    ends = [k for k, token in enumerate(fr) if token == COMMA] + [len(fr)]
    for end in ends:
        clause = align[start:end]
        marks = [k for k, j in enumerate(clause) if EN_CLASSES[example.en[j]] == "preposition"]
        assert len(marks) in (0, 2), (example, clause)
        outside, block = clause, []
        if marks:
            first, last = marks
            block, outside = clause[first : last + 1], clause[:first] + clause[last + 1 :]
            assert block[0] == block[-1] and block[1:-1] == sorted(block[1:-1]) and block[0] < block[1]
            assert min(block) > max(outside)
        assert outside == sorted(outside), (example, clause)
        start = end + 1


def check_example(example: Example) -> None:
    assert len(example.align) == len(example.fr)
    assert all(is_chinese(token) for token in example.fr), example.fr
    for k, j in enumerate(example.align):
        assert 0 <= j < len(example.en)
        assert EN_CLASSES[example.en[j]] in ZH_CLASSES[example.fr[k]], (k, example.fr[k], example.en[j])
    check_monotone_except_place_phrase(example)


# --------------------------------------------------------------------------- the SPEC's examples


@pytest.mark.parametrize("english, chinese, align", GOLDEN, ids=[g[0] for g in GOLDEN])
def test_spec_examples(english, chinese, align):
    sentence = parse_english(english.split())
    assert sentence is not None
    expected = Example(tuple(english.split()), tuple(chinese.split()), tuple(align))
    assert render_zh(sentence) == expected
    assert reference_translation_zh(english.split()) == expected
    check_example(expected)


def test_spec_long_example():
    english, chinese = LONG_EXAMPLE
    example = translate(english)
    assert " ".join(example.fr) == chinese
    # Each clause's alignment is its SPEC row's, the second shifted by the first's 7 words and "and".
    first, second = GOLDEN[0][2], GOLDEN[1][2]
    assert example.align == (*first, 7, *(8 + j for j in second))
    assert example.en[7] == "and" and example.fr[8] == COMMA
    check_example(example)


def test_english_is_toy_datas():
    for english in [*(row[0] for row in GOLDEN), LONG_EXAMPLE[0]]:
        sentence = parse_english(english.split())
        assert render_zh(sentence).en == toy_data.render(sentence).en == tuple(english.split())


# --------------------------------------------------------------------------- noun phrases


@pytest.mark.parametrize("noun", [noun["en"][0] for noun in EN["nouns"]])
def test_singular_takes_the_nouns_own_classifier(noun):
    entry = zh_noun(noun)
    article = "an" if noun[0] in "aeiou" else "a"
    example = translate(f"the {noun} sees {article} {noun}")
    the, a = ZH["determiners"]["the"]["sg"], ZH["determiners"]["a"]["sg"]
    assert example.fr == (the, entry["classifier"], entry["zh"], zh_verb("sees"), a, entry["classifier"], entry["zh"])
    assert example.align == (0, 0, 1, 2, 3, 3, 4)


@pytest.mark.parametrize("noun", [noun["en"] for noun in EN["nouns"]], ids=lambda forms: forms[1])
def test_plural_takes_nei_xie_and_no_classifier(noun):
    singular, plural = noun
    example = translate(f"the {plural} see the {singular}")
    assert example.fr[:2] == (ZH["determiners"]["the"]["pl"], zh_noun(singular)["zh"])  # the noun does not inflect
    assert example.align[:2] == (0, 1)
    classifiers = {entry["classifier"] for entry in ZH["nouns"]}
    assert not classifiers & set(example.fr[:2])


@pytest.mark.parametrize("adjective", [adjective["en"] for adjective in EN["adjectives"]])
def test_de_follows_a_two_character_adjective_only(adjective):
    for noun in ("cat", "book"):  # one animate, one inanimate: "old" has a form for each
        example = translate(f"the {adjective} {noun} sees the dog")
        words = zh_adjective(adjective)
        word = words.get("any") or words["animate" if zh_noun(noun)["animate"] else "inanimate"]
        expected = [word, ZH["de"]] if len(word) == 2 else [word]
        assert len(word) in (1, 2)
        assert list(example.fr[2 : 3 + len(expected) - 1]) == expected
        assert example.fr[2 + len(expected)] == zh_noun(noun)["zh"]
        assert example.align[2 : 2 + len(expected)] == (1,) * len(expected)


def test_two_adjectives_keep_english_order_each_with_its_own_de():
    example = translate("a young happy girl likes the cat")
    assert example.fr[:7] == ("一", "个", "年轻", "的", "快乐", "的", "女孩")
    assert example.align[:7] == (0, 0, 1, 1, 2, 2, 3)


@pytest.mark.parametrize("noun", [noun["en"][0] for noun in EN["nouns"]])
def test_old_is_lao_for_animate_jiu_otherwise(noun):
    example = translate(f"the old {noun} sees the dog")
    assert example.fr[2] == ("老" if zh_noun(noun)["animate"] else "旧")
    assert example.fr[2] == zh_adjective("old")["animate" if zh_noun(noun)["animate"] else "inanimate"]


# --------------------------------------------------------------------------- clauses


# SPEC "Clauses": each preposition's two words, copied verbatim.
SPEC_PREPOSITIONS = {
    "in": ("在", "里"),
    "on": ("在", "上"),
    "under": ("在", "下"),
    "behind": ("在", "后面"),
    "with": ("和", "一起"),
}


@pytest.mark.parametrize("preposition", [p["en"] for p in EN["prepositions"]])
def test_each_preposition_becomes_its_two_words_before_the_verb(preposition):
    before, after = SPEC_PREPOSITIONS[preposition]
    assert (zh_preposition(preposition)["before"], zh_preposition(preposition)["after"]) == (before, after)
    example = translate(f"the cat sees the dog {preposition} the house")
    assert example.fr == ("那", "只", "猫", before, "那", "座", "房子", after, "看见", "那", "只", "狗")
    assert example.align == (0, 0, 1, 5, 6, 6, 7, 5, 2, 3, 3, 4)


def test_one_verb_form_for_both_english_forms():
    for verb in EN["verbs"]:
        singular, plural = verb["en"]
        one = translate(f"the cat {singular} the dog").fr[3]
        many = translate(f"the cats {plural} the dog").fr[2]
        assert one == many == zh_verb(singular)


def test_and_becomes_the_full_width_comma_aligned_to_it():
    examples = generate_pairs(300, seed=5, long_pairs=20, long_min_tokens=45)
    assert any(COMMA in example.fr for example in examples)
    for example in examples:
        commas = [k for k, token in enumerate(example.fr) if token == COMMA]
        assert len(commas) == example.en.count("and")
        assert [example.en[example.align[k]] for k in commas] == ["and"] * len(commas)


def test_outside_the_grammar_is_none():
    for tokens in ([], ["the", "cat"], ["cat", "the", "sees", "dog"], ["the", "cat", "sees", "the", "dog", "and"]):
        assert reference_translation_zh(tokens) is None


# --------------------------------------------------------------------------- the two lexicons


def test_words_are_matched_by_english_not_position(monkeypatch):
    reordered = {**ZH, **{group: ZH[group][::-1] for group in ("nouns", "adjectives", "verbs", "prepositions")}}
    expected = [translate(english) for english, _, _ in GOLDEN]
    monkeypatch.setattr(toy_zh, "load_lexicon_zh", lambda: reordered)
    toy_zh._chinese_entries.cache_clear()
    try:
        assert [translate(english) for english, _, _ in GOLDEN] == expected
    finally:
        toy_zh._chinese_entries.cache_clear()


@pytest.mark.parametrize("group", ["nouns", "adjectives", "verbs", "prepositions", "conjunctions"])
def test_a_word_missing_from_the_chinese_lexicon_fails_loudly(monkeypatch, group):
    missing = {**ZH, group: ZH[group][1:]}
    monkeypatch.setattr(toy_zh, "load_lexicon_zh", lambda: missing)
    toy_zh._chinese_entries.cache_clear()
    try:
        with pytest.raises(ValueError, match=f"{group}: no Chinese for"):
            translate("the cat sees the dog")
    finally:
        toy_zh._chinese_entries.cache_clear()


def test_an_adjective_of_three_characters_has_no_rule(monkeypatch):
    adjectives = [{**a, "zh": {"any": "非常大"}} if a["en"] == "big" else a for a in ZH["adjectives"]]
    monkeypatch.setattr(toy_zh, "load_lexicon_zh", lambda: {**ZH, "adjectives": adjectives})
    toy_zh._chinese_entries.cache_clear()
    try:
        with pytest.raises(ValueError, match="3 characters"):
            translate("the big cat sees the dog")
    finally:
        toy_zh._chinese_entries.cache_clear()


# --------------------------------------------------------------------------- data files


def parse_pharaoh(text: str) -> tuple[int, ...]:
    pairs = [tuple(int(n) for n in pair.split("-")) for pair in text.split(" ")]
    assert [target for _, target in pairs] == list(range(len(pairs)))  # one pair per target, in target order
    return tuple(source for source, _ in pairs)


def test_pharaoh_round_trip():
    assert pharaoh((0, 0, 1)) == "0-0 0-1 1-2"
    assert pharaoh(GOLDEN[2][2]) == "0-0 0-1 1-2 2-3 3-4 7-5 8-6 8-7 9-8 7-9 4-10 5-11 5-12 6-13"
    for example in generate_pairs(200, seed=2, long_pairs=10, long_min_tokens=45):
        assert parse_pharaoh(pharaoh(example.align)) == example.align


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_generate_pairs_has_the_french_training_sets_english(seed):
    pairs = generate_pairs(150, seed, long_pairs=12, long_min_tokens=45)
    french = generate_examples(150, seed, max_clauses=MAX_CLAUSES) + generate_long_examples(12, seed, 45)
    assert [pair.en for pair in pairs] == [example.en for example in french]
    assert all(len(pair.en) >= 45 for pair in pairs[150:])
    assert generate_pairs(150, seed, 12, 45) == pairs
    assert [p.en for p in generate_pairs(150, seed + 1, 12, 45)] != [p.en for p in pairs]


def test_write_pairs_file(tmp_path):
    examples = generate_pairs(40, seed=3, long_pairs=5, long_min_tokens=45)
    path = tmp_path / "pairs.tsv"
    assert write_pairs_file(path, examples) == 45
    data = path.read_bytes()
    assert b"\r" not in data and data.endswith(b"\n")
    lines = data.decode("utf-8").split("\n")[:-1]
    assert len(lines) == 45
    for line, example in zip(lines, examples, strict=True):
        english, chinese, alignment = line.split("\t")
        assert english.split(" ") == list(example.en) and chinese.split(" ") == list(example.fr)
        assert parse_pharaoh(alignment) == example.align


def test_cli_writes_the_file_and_says_how_many_lines(tmp_path, capsys):
    path = tmp_path / "zh.tsv"
    toy_zh.main(["--out", str(path), "--pairs", "8", "--long-pairs", "3", "--seed", "4"])
    assert "wrote 11 lines" in capsys.readouterr().out
    lines = path.read_text(encoding="utf-8").splitlines()
    expected = generate_pairs(8, 4, long_pairs=3, long_min_tokens=45)
    assert [line.split("\t")[1] for line in lines] == [" ".join(example.fr) for example in expected]


# --------------------------------------------------------------------------- any sentence


@settings(max_examples=60, deadline=None, database=None)
@given(seed=st.integers(min_value=0, max_value=2**63))
def test_sampled_sentences_follow_the_rules(seed):
    rng = random.Random(seed)
    for _ in range(5):
        sentence = sample_long_sentence(rng)
        example = render_zh(sentence)
        assert example.en == toy_data.render(sentence).en
        assert all(token in ZH_CLASSES for token in example.fr)
        check_example(example)
