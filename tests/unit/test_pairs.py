"""Reading a file of one's own sentence pairs: the format people have, and every bad file."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attention_core.data import models_folder
from attention_core.data.pairs import (
    MAX_FILE_BYTES,
    MAX_LINES,
    Pair,
    PairsFileError,
    format_pharaoh,
    parse_pharaoh,
    read_pairs,
    split_held_out,
    summarise,
    tokenize_side,
    vocabulary_tokens,
)

TATOEBA = (
    "Go.\tVa !\tCC-BY 2.0 (France) Attribution: tatoeba.org #2877272 (CM) & #1158250 (Wittydev)\n"
    "Hi.\tSalut !\tCC-BY 2.0 (France) Attribution: tatoeba.org #538123 (CM) & #509819 (Aiji)\n"
    "I don't know.\tJe ne sais pas.\tCC-BY 2.0 (France) Attribution: tatoeba.org #349064 (fatih)\n"
)


def test_a_tatoeba_file_loads_as_it_is_attribution_column_ignored():
    data = read_pairs(TATOEBA.encode())
    assert [p.source for p in data.pairs] == [("go", "."), ("hi", "."), ("i", "don't", "know", ".")]
    assert data.pairs[0].target == ("va", "!")
    assert data.pairs[2].target == ("je", "ne", "sais", "pas", ".")
    assert all(p.links is None for p in data.pairs)
    assert not data.has_alignment
    assert sum(data.dropped.values()) == 0


def test_a_pharaoh_column_is_the_gold_alignment_in_any_later_column():
    data = read_pairs("the cat\tle chat\t0-0 1-1\nthe dogs\tles chiens\tsome attribution\t0-0 1-1\n")
    assert data.pairs[0].links == ((0, 0), (1, 1))
    assert data.pairs[1].links == ((0, 0), (1, 1))
    assert data.has_alignment


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Go.", ("go", ".")),
        ("I don't know.", ("i", "don't", "know", ".")),
        ("我爱你。", ("我", "爱", "你", "。")),  # Chinese without spaces: one character each
        ("那些 好 猫 看着 那 个 好 男孩", ("那些", "好", "猫", "看着", "那", "个", "好", "男孩")),  # word-segmented
        ("那些 小 公园 ， 那些 花园", ("那些", "小", "公园", "，", "那些", "花园")),
        ("Va !", ("va", "!")),  # already split by spaces: kept
        ("Ça   va", ("ça", "va")),
        ("", ()),
    ],
)
def test_tokenisation_rule(text, tokens):
    assert tokenize_side(text) == tokens


@given(st.lists(st.sampled_from(["the", "cat", ".", "!", "don't", "猫", "那些", "，"]), min_size=2, max_size=12))
def test_text_split_by_spaces_keeps_its_tokens(tokens):
    """A pre-tokenised side (as aligners write it) is read back token for token, so alignment indices hold."""
    if sum(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in tokens) == 1 and any(len(t) > 1 for t in tokens):
        return  # one Chinese word in a sentence reads as unsegmented Chinese: per character, by the rule
    assert tokenize_side(" ".join(tokens)) == tuple(tokens)


def test_pharaoh_parser_on_hand_cases():
    assert parse_pharaoh("0-0 1-2 2-1") == ((0, 0), (1, 2), (2, 1))
    assert parse_pharaoh("") == ()
    assert format_pharaoh(((0, 0), (2, 1), (1, 2))) == "0-0 2-1 1-2"
    for bad in ("0-0,1-1", "0:0", "a-b", "0-0 1", "-1-0"):
        with pytest.raises(ValueError, match="Pharaoh"):
            parse_pharaoh(bad)


def test_bad_lines_are_dropped_with_their_reason_and_first_line():
    text = (
        "the cat\tle chat\t0-0 1-1\n"
        "\n"  # blank
        "no tab here\n"  # no tab
        "the cat\tle chat\t0-0 1-5\n"  # alignment index out of range
        "...\tle chat\n"  # a side with tokens only of punctuation is still tokens: kept
        "\t\n" + " ".join(["word"] * 61) + "\tmot\n"  # empty sides  # too long
        "the dog\tle chien\n"
    )
    data = read_pairs(text)
    assert [p.line for p in data.pairs] == [1, 5, 8]
    assert data.dropped == {"blank": 1, "no_tab": 1, "empty_side": 1, "too_long": 1, "bad_alignment": 1}
    assert data.first_dropped == {"blank": 2, "no_tab": 3, "bad_alignment": 4, "empty_side": 6, "too_long": 7}
    assert not data.has_alignment  # some pairs have gold, some do not
    summary = summarise(data)
    assert (summary.pairs, summary.lines, summary.aligned_pairs) == (3, 8, 1)
    assert summary.source_lengths == (2, 2.3, 3)  # "..." is three tokens of punctuation


def test_crlf_and_a_byte_order_mark_read_as_plain_lines():
    data = read_pairs("\ufeffthe cat\tle chat\r\nthe dog\tle chien\r\n".encode())
    assert [p.source for p in data.pairs] == [("the", "cat"), ("the", "dog")]
    assert data.pairs[1].target == ("le", "chien")


def test_quoted_fields_are_unquoted():
    data = read_pairs('"Go."\t"Va !"\n"He said ""hi"""\t"Il a dit ""salut"""\n')
    assert data.pairs[0].source == ("go", ".")
    assert data.pairs[1].source == ("he", "said", '"', "hi", '"')


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\n\n  \n", "no text"),
        ("café\tcafé\n".encode("latin-1"), "not UTF-8: byte 0xe9 on line 1"),
        (b"the cat,le chat\nthe dog,le chien\n", "separated by commas"),
        (b'"the cat","le chat"\n', "separated by commas"),
        (b"the cat le chat\n", "No line has a tab"),
        (b"\tle chat\nthe cat\t\n", "No line is a usable pair"),
        (b"x" * (MAX_FILE_BYTES + 1), "limit is 20,000,000"),
        (b"a\tb\n" * (MAX_LINES + 1), "limit is 500,000"),
    ],
    ids=["empty", "blank", "latin-1", "csv", "quoted-csv", "one-column", "no-pairs", "too-big", "too-many-lines"],
)
def test_a_file_that_is_not_pairs_gets_a_clear_message(data, message):
    with pytest.raises(PairsFileError, match=message):
        read_pairs(data)


def test_mixed_separators_keep_the_tab_lines_and_count_the_rest():
    data = read_pairs("the cat\tle chat\nthe dog;le chien\nthe bird,l'oiseau\n")
    assert len(data.pairs) == 1
    assert data.dropped["no_tab"] == 2


def test_a_million_lines_is_refused_before_parsing():
    with pytest.raises(PairsFileError, match="1,000,000 lines"):
        read_pairs("a\tb\n" * 1_000_000)


def test_held_out_sentences_are_never_trained_on():
    pairs = [Pair((f"s{k % 40}",), (f"t{k}",)) for k in range(200)]  # each source translated five ways
    train, held = split_held_out(pairs, 0.2, seed=3)
    assert len(train) + len(held) == 200
    assert {p.source for p in train}.isdisjoint({p.source for p in held})
    assert len({p.source for p in held}) == 8
    assert split_held_out(pairs, 0.2, seed=3) == (train, held)


def test_vocabulary_cap_keeps_the_most_frequent():
    sides = [("a", "b", "a"), ("c", "a", "b"), ("d",)]
    assert vocabulary_tokens(sides, 2) == ["a", "b"]
    assert vocabulary_tokens(sides, 10) == ["a", "b", "c", "d"]


@pytest.mark.parametrize(
    "name", ["../etc", "a/b", "a.b", "..", ".hidden", "", "A" * 3, "x" * 41, "my model", "toy_en_zh", "attention"]
)
def test_a_model_name_is_never_a_path(name):
    with pytest.raises(ValueError, match="name"):
        models_folder.check_name(name)


def test_models_folder_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(models_folder.MODELS_ENV, str(tmp_path))
    assert models_folder.models_dir() == tmp_path
    (tmp_path / "half").mkdir()  # no config.json: a training that did not finish
    (tmp_path / ".partial-x-1").mkdir()
    (tmp_path / ".partial-x-1" / models_folder.COMPLETE_FILE).write_text("{}")
    (tmp_path / "done").mkdir()
    (tmp_path / "done" / models_folder.COMPLETE_FILE).write_text("{}")
    assert models_folder.own_models() == ["done"]
    monkeypatch.delenv(models_folder.MODELS_ENV)
    assert models_folder.models_dir() == models_folder.PROJECT_MODELS_DIR
