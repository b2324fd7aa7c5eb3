"""Tests for attention_core.tokenize: words, scripts, emoji, hostile and huge input."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from attention_core import MAX_TOKENS, tokenize

ELLIPSIS = "…"
ROOT = Path(__file__).resolve().parents[2]


def toks(text: str) -> list[str]:
    return tokenize(text).tokens


def test_english_sentence():
    result = tokenize("The cat sees a dog.")
    assert result.tokens == ["the", "cat", "sees", "a", "dog"]
    assert result.truncated is False and result.words_cut == 0
    assert list(result) == result.tokens and len(result) == 5 and result[1] == "cat"


def test_does_not_load_tensorflow():
    # The package docstring promises `from attention_core import tokenize` stays light.
    code = "import sys; from attention_core import tokenize; tokenize('x'); print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_punctuation_numbers_and_apostrophes():
    expected = ["hello", "world", "42", "times", "don't", "stop", "ever"]
    assert toks("Hello, world! 42 times; don't stop—ever.") == expected
    assert toks("the dogs' bone") == ["the", "dogs", "bone"]  # a trailing apostrophe is stripped
    assert toks("'quoted'") == ["quoted"]


def test_cjk_one_token_per_character():
    assert toks("我爱你") == ["我", "爱", "你"]
    assert toks("I love 東京!") == ["i", "love", "東", "京"]
    assert toks("ひらがなカタカナ") == list("ひらがなカタカナ")


def test_emoji_kept_with_joiners_and_modifiers():
    assert toks("I ❤️ 🐱") == ["i", "❤️", "🐱"]  # heart + variation selector U+FE0F stays one token
    assert toks("👩‍💻 codes") == ["👩\u200d💻", "codes"]  # ZWJ sequence: one token of 3 code points
    assert toks("👍🏽👍🏿") == ["👍🏽", "👍🏿"]  # skin tone modifiers stay with their emoji
    assert toks("👩🏾‍💻") == ["👩🏾\u200d💻"]
    assert toks("👨‍👩‍👧‍👦!") == ["👨\u200d👩\u200d👧\u200d👦"]
    assert toks("cat🐱dog") == ["cat", "🐱", "dog"]


def test_flags_are_one_token_each():
    # A flag is two regional indicators; two flags in a row are two tokens.
    assert toks("🇫🇷🇩🇪 🇯") == ["🇫🇷", "🇩🇪", "🇯"]
    # A subdivision flag is the black flag followed by invisible tag characters (format, Cf).
    scotland = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
    assert toks(f"{scotland} rocks") == [scotland, "rocks"]
    assert toks("a\U000e0067b") == ["ab"]  # outside an emoji a tag character is just dropped


def test_control_and_format_characters_dropped():
    assert toks("ca\x00t d\x07og\x1b") == ["cat", "dog"]
    assert toks("soft\u00adhyphen zero\u200bwidth") == ["softhyphen", "zerowidth"]
    assert toks("\u200d\u200d") == []  # a lone joiner is not a token


def test_whitespace_control_characters_separate_words():
    # Newline and tab are Unicode category Cc too, but they separate words.
    assert toks("The\ncat\tsees\r\na\x0bdog\x0c") == ["the", "cat", "sees", "a", "dog"]
    assert toks("one\u2028two\u2029three\x85four") == ["one", "two", "three", "four"]


def test_rtl_arabic_and_hebrew_words_kept():
    assert toks("مرحبا بالعالم") == ["مرحبا", "بالعالم"]
    assert toks("\u200fשלום עולם\u200f") == ["שלום", "עולם"]  # RLM marks (Cf) dropped


def test_combining_marks_stay_on_their_letter():
    assert toks("q\u0307 x") == ["q\u0307", "x"]  # no precomposed q-dot: the mark stays attached
    assert toks("Cafe\u0301") == ["café"]  # NFC composes e + acute
    assert toks("नमस्ते दुनिया") == ["नमस्ते", "दुनिया"]  # Devanagari vowel signs and virama
    arabic = "مَرْحَبًا"
    assert toks(arabic) == [unicodedata.normalize("NFC", arabic)]
    assert toks("\u0301alone") == ["alone"]  # a mark with no letter before it is dropped


def test_html_is_not_passed_through():
    result = toks("<script>alert(1)</script><img src=x onerror=alert(2)>&lt;b&gt;")
    assert result[:4] == ["script", "alert", "1", "script"]
    assert not any(c in token for token in result for c in "<>&;\"'=/()")


# 100,000 characters: a tokenizer that went back over its text per character would take minutes, not
# milliseconds. The bound catches that (pytest-timeout), not a speed: speed is the benchmarks' business.
LINEAR = pytest.mark.timeout(60)


@LINEAR
def test_huge_input_is_capped():
    assert MAX_TOKENS >= 256
    text = ("word " * 20_000)[:100_000]
    result = tokenize(text)
    assert result.truncated is True
    assert len(result) == MAX_TOKENS and result.max_tokens == MAX_TOKENS


@LINEAR
def test_huge_input_without_tokens():
    for text in ("." * 100_000, "\u0301" * 100_000, "\x00" * 100_000, "\u200d" * 100_000):
        result = tokenize(text)
        assert result.tokens == [] and result.truncated is False


@LINEAR
def test_single_huge_word_is_cut():
    result = tokenize("a" * 100_000)
    assert len(result) == 1 and result.words_cut == 1 and result.truncated is False
    (token,) = result.tokens
    assert token.endswith(ELLIPSIS) and len(token) <= 40 and token[:-1] == "a" * (len(token) - 1)


def test_max_tokens_argument():
    assert tokenize("a b c", max_tokens=2).tokens == ["a", "b"]
    assert tokenize("a b c", max_tokens=2).truncated is True
    assert tokenize("a b", max_tokens=2).truncated is False
    exactly = " ".join(["w"] * MAX_TOKENS)
    assert len(tokenize(exactly)) == MAX_TOKENS and tokenize(exactly).truncated is False
    assert tokenize(exactly + " x").truncated is True


@pytest.mark.parametrize("text", ["", " ", "   \n\t  ", "\u3000\u00a0", "...!?"])
def test_empty_and_blank(text):
    result = tokenize(text)
    assert result.tokens == [] and result.truncated is False and result.words_cut == 0


def test_non_string_raises():
    with pytest.raises(TypeError, match="bytes"):
        tokenize(b"the cat")


# --------------------------------------------------------------------------- properties

# Text that hits the interesting branches more often than uniform code points would.
PIECES = st.sampled_from(
    [
        "cat", "Dog", "don't", "dogs'", "İ", "ß", "Σ", "café", "e\u0301", "\u0301", "q\u0307", "我", "カ",
        "👩", "💻", "\u200d", "\ufe0f", "🏽", "🇫", "🇷", "\U0001f3f4", "\U000e0067", "❤", "©",
        " ", "\n", "\t", "\x00", "\u200b", "\u00ad", ".", "…", "'", "’", "<", ">", "مرحبا", "\u200f", "a" * 45,
    ]
)  # fmt: skip
TEXTS = st.one_of(st.text(max_size=300), st.lists(PIECES, max_size=60).map("".join))


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc"


@settings(max_examples=200, deadline=None)
@given(TEXTS)
@example("a" * 45 + "'" + "b")
@example("x" * 39 + "'bc")
@example("word " * 300)
@example("Ⓐ")  # a symbol with a case (So, not a letter)
def test_token_invariants(text):
    result = tokenize(text)
    assert len(result) <= MAX_TOKENS
    assert result.words_cut == sum(t.endswith(ELLIPSIS) for t in result)
    for token in result:
        assert isinstance(token, str) and token
        assert not any(ch.isspace() for ch in token), repr(token)
        assert not any(_is_control(ch) for ch in token), repr(token)
        assert len(token) <= 40
        assert not token.startswith(("'", "’")) and not token.endswith(("'", "’"))
        assert token == token.lower()


@settings(max_examples=200, deadline=None)
@given(TEXTS)
@example("a" * 45)
@example("x" * 38 + "'" + "y" * 5)
@example("A\x08\u0300")  # a control character between a letter and its combining mark
@example("0" * 37 + "A\x08\u030000")
def test_tokenize_is_idempotent_on_its_output(text):
    tokens = toks(text)
    again = toks(" ".join(tokens))
    if not any(t.endswith(ELLIPSIS) for t in tokens):
        assert again == tokens
        return
    # A word longer than 40 characters is shown cut, ending in "…". "…" is punctuation, so
    # re-tokenizing drops it (and then any apostrophe the cut left at the end). The cut
    # form is for display; the weaker, true property is that everything else is unchanged
    # and that the second pass is a fixed point.
    assert again == [t[:-1].rstrip("'’") if t.endswith(ELLIPSIS) else t for t in tokens]
    assert toks(" ".join(again)) == again
