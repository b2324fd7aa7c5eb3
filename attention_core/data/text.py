"""Turn typed text into word tokens the way the toy task and the pages expect.

Lower-case words; punctuation and symbols dropped ("The cat sees a dog." → five
words); Han and kana one token per character (those scripts do not separate
words by spaces); emoji kept, with their joiners, skin tones and variation
selectors; combining marks stay on their letter; control and format characters
dropped. Scanning stops after ``MAX_TOKENS`` tokens and the result says so.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MAX_TOKENS = 256
"""Tokens kept from one text; the rest is reported as dropped, never silently cut."""

MAX_TOKEN_CHARS = 40
"""A longer run of letters is cut to this length and ends in "…" (a table cell stays readable)."""

_ZWJ = "\u200d"
_KEEP_FORMAT = {_ZWJ}  # the joiner that makes 👩‍💻 one emoji; other format characters are dropped


@dataclass(frozen=True)
class Tokens:
    """The tokens of a text and whether the cap cut it short."""

    tokens: list[str]
    truncated: bool  # True when the text had more than MAX_TOKENS tokens
    max_tokens: int = MAX_TOKENS
    words_cut: int = 0  # tokens longer than MAX_TOKEN_CHARS, cut short

    def __iter__(self):
        return iter(self.tokens)

    def __len__(self) -> int:
        return len(self.tokens)

    def __getitem__(self, index):
        return self.tokens[index]


def _is_ideograph(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x3400 <= cp <= 0x4DBF  # CJK extension A
        or 0x4E00 <= cp <= 0x9FFF  # CJK unified ideographs
        or 0xF900 <= cp <= 0xFAFF  # compatibility ideographs
        or 0x20000 <= cp <= 0x3134F  # extensions B–G
        or 0x3040 <= cp <= 0x30FF  # hiragana and katakana
    )


def _is_emoji(ch: str) -> bool:
    cp = ord(ch)
    return (
        unicodedata.category(ch) == "So"
        or 0x1F1E6 <= cp <= 0x1F1FF  # regional indicators (flags)
        or 0x1F300 <= cp <= 0x1FAFF
    )


def _is_regional_indicator(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _joins_emoji(ch: str) -> bool:
    cp = ord(ch)
    return ch == _ZWJ or 0xFE00 <= cp <= 0xFE0F or 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F


def tokenize(text: str, max_tokens: int = MAX_TOKENS) -> Tokens:
    """Split ``text`` into lower-case tokens; at most ``max_tokens`` of them.

    >>> tokenize("The cat sees a dog.").tokens
    ['the', 'cat', 'sees', 'a', 'dog']
    """
    if not isinstance(text, str):
        raise TypeError(f"tokenize expects a str. Received: {type(text).__name__}")
    tokens: list[str] = []
    current: list[str] = []  # the word or emoji being read
    kind = ""  # "word" or "emoji": what `current` holds

    def flush() -> None:
        nonlocal kind
        if current:
            # Composed again: a dropped control character can leave a letter and its combining
            # mark side by side ("A\b\u0300"), which the text's NFC above had kept apart.
            tokens.append(unicodedata.normalize("NFC", "".join(current)))
            current.clear()
        kind = ""

    for ch in unicodedata.normalize("NFC", text):
        if len(tokens) > max_tokens:
            break
        category = unicodedata.category(ch)
        joins = kind == "emoji" and (
            _joins_emoji(ch)  # tag characters (Cf) too: black flag + tags spell a subdivision flag
            or (current[-1] == _ZWJ and _is_emoji(ch))
            or (len(current) == 1 and _is_regional_indicator(current[0]) and _is_regional_indicator(ch))  # 🇫🇷
        )
        if not joins and ((category == "Cc" and not ch.isspace()) or (category == "Cf" and ch not in _KEEP_FORMAT)):
            continue  # a tab or newline is also Cc, but separates words: it falls through to flush()
        if joins:
            current.append(ch)
        elif category[0] == "M" and kind == "word":
            current.append(ch)  # a combining mark belongs to the letter before it
        elif _is_ideograph(ch):
            flush()
            tokens.append(ch)
        elif category[0] in "LN":
            if kind != "word":
                flush()
                kind = "word"
            current.append(ch.lower())
        elif ch in "'’" and kind == "word":
            current.append(ch)  # inside a word: "don't"; a trailing one is stripped below
        elif _is_emoji(ch):
            flush()
            kind = "emoji"
            current.append(ch.lower())  # a symbol can have a case too: circled Ⓐ reads as ⓐ
        else:
            flush()  # space, punctuation, other symbols
    flush()
    tokens = [t.rstrip("'’") if t[-1] in "'’" else t for t in tokens]
    tokens = [t for t in tokens if t.strip(_ZWJ)][: max_tokens + 1]
    words_cut = sum(len(t) > MAX_TOKEN_CHARS for t in tokens[:max_tokens])
    tokens = [t if len(t) <= MAX_TOKEN_CHARS else t[: MAX_TOKEN_CHARS - 1] + "…" for t in tokens]
    return Tokens(
        tokens=tokens[:max_tokens], truncated=len(tokens) > max_tokens, max_tokens=max_tokens, words_cut=words_cut
    )
