"""A file of sentence pairs, as people have them: read, checked, tokenised and summarised.

The format is the one of the Anki/Tatoeba files the TensorFlow and PyTorch translation
tutorials read: UTF-8 text, one pair per line, ``source<TAB>target``, then optionally more
columns. A later column in Pharaoh format (``0-0 1-2 2-1``: source index, target index,
0-based, as fast_align and GIZA++ write it) is the pair's gold alignment; any other later
column (Tatoeba's attribution) is ignored.

Tokenisation (``tokenize_side``), the same for training data and for what a person types:

- text is NFC-normalised and lower-cased;
- words and punctuation are separate tokens ("Go." → "go", "."); an apostrophe inside a word
  stays in it ("don't");
- text already split by spaces keeps its split: Chinese or Japanese written with spaces
  between words ("那些 好 猫") keeps its words, and a word never loses a character;
- Chinese or Japanese written without spaces ("我爱你。") goes one character per token.

Alignment indices count these tokens, so a pre-tokenised file (one space between tokens, as
aligners want it) keeps its indices.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from attention_core.data.text import MAX_TOKENS, Tokens

# The training recipe of a pairs file (attention_core.training.pairs_training), as far as its size is concerned:
# read here too, by the Train page, which never loads TensorFlow.
RECIPE_BATCH = 64  # pairs a step
MOST_AUTO_EPOCHS = 40  # passes over a small file when the epochs are chosen by its size
# Too few pairs to learn from. The recipe learns by optimizer steps: the shipped toy model's loss was
# 3.26 at step 50, 2.07 at 100, 1.04 at 200 and 0.06 at 400 (weights/metrics.json, batches of 64); toy
# pairs files with epochs by size gave 0% held-out exact match at 80 pairs (80 steps) and 400 (200 steps),
# 95% at 1,000 (520 steps) and 100% at 2,500 (1,360 steps). So a file must give MIN_STEPS steps
# within the passes it gets (at most MOST_AUTO_EPOCHS); and every target word needs sightings to be learnt:
# SIGHTINGS_PER_WORD per pass on average, an assumption (the toy model saw each word thousands of times).
MIN_STEPS = 400
SIGHTINGS_PER_WORD = 10

MAX_FILE_BYTES = 20_000_000
"""The largest pairs file uploaded to the app (20 MB: the Tatoeba English–French file is 9 MB)."""
COMMAND_LINE_MAX_BYTES = 200_000_000
"""The largest pairs file the command line trains on (the toy English → Chinese file is 52 MB)."""
MAX_LINES = 500_000
"""The most lines read; a longer file is refused before it is parsed."""
DEFAULT_MAX_PAIR_TOKENS = 60
"""A pair with a longer side is dropped as "too long" (the pages show sentences up to this length)."""

_PHARAOH = re.compile(r"^\d+-\d+(?: \d+-\d+)*$")
_WORD_OR_PUNCT = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]", re.UNICODE)
DROP_REASONS = ("blank", "no_tab", "empty_side", "too_long", "bad_alignment")
"""Why a line is not kept: an empty line; no tab; a side with no token; a side longer than the
limit; an alignment column whose indices fall outside the sentence."""


class PairsFileError(ValueError):
    """The file cannot be read as sentence pairs at all; the message says why and what to do."""


@dataclass(frozen=True)
class Pair:
    source: tuple[str, ...]
    target: tuple[str, ...]
    links: tuple[tuple[int, int], ...] | None = None  # (source index, target index); None: no gold given
    line: int = 0  # 1-based line number in the file


@dataclass(frozen=True)
class PairsData:
    pairs: list[Pair]
    lines: int  # lines read, blank ones included
    dropped: dict[str, int]  # reason (DROP_REASONS) → lines
    first_dropped: dict[str, int] = field(default_factory=dict)  # reason → its first line number

    @property
    def has_alignment(self) -> bool:
        """Every kept pair carries a gold alignment."""
        return bool(self.pairs) and all(p.links is not None for p in self.pairs)


_CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f\u3040-\u30ff"  # with kana
_CJK = re.compile(f"[{_CJK_RANGES}]")
_ALL_CJK = re.compile(f"[{_CJK_RANGES}]+")


def tokenize_side(text: str) -> tuple[str, ...]:
    """One side of a pair as tokens, by the rule in the module docstring.

    >>> tokenize_side("Go.")
    ('go', '.')
    >>> tokenize_side("我爱你。")
    ('我', '爱', '你', '。')
    >>> tokenize_side("那些 好 猫")
    ('那些', '好', '猫')
    """
    normal = unicodedata.normalize("NFC", text).lower()
    if not _CJK.search(normal):
        # No token spans a space, so one pass over the whole side splits it as chunk by chunk would:
        # the common case, and most of the time a 20 MB file takes to read.
        return tuple(_WORD_OR_PUNCT.findall(normal))
    chunks = normal.split()
    segmented = sum(_CJK.search(chunk) is not None for chunk in chunks) > 1
    tokens: list[str] = []
    for chunk in chunks:
        if segmented and _ALL_CJK.fullmatch(chunk):
            tokens.append(chunk)  # a word of a word-segmented text
            continue
        for piece in _WORD_OR_PUNCT.findall(chunk):
            if _CJK.search(piece) and not (segmented and _ALL_CJK.fullmatch(piece)):
                tokens.extend(piece)  # unsegmented Chinese or Japanese: one character each
            else:
                tokens.append(piece)
    return tuple(tokens)


def tokenize_text(text: str, max_tokens: int = MAX_TOKENS) -> Tokens:
    """What a person typed for a model of their own data: ``tokenize_side``, capped as ``text.tokenize`` is."""
    if not isinstance(text, str):
        raise TypeError(f"tokenize_text expects a str. Received: {type(text).__name__}")
    tokens = list(tokenize_side(text))
    return Tokens(tokens=tokens[:max_tokens], truncated=len(tokens) > max_tokens, max_tokens=max_tokens)


def parse_pharaoh(column: str) -> tuple[tuple[int, int], ...]:
    """``"0-0 1-2 2-1"`` → ``((0, 0), (1, 2), (2, 1))``: (source, target) pairs, 0-based.

    Raises ``ValueError`` on anything else (an empty column is no links at all).
    """
    column = column.strip()
    if not column:
        return ()
    if not _PHARAOH.match(column):
        raise ValueError(f"not a Pharaoh alignment (pairs like 0-0 1-2). Received: {column[:60]!r}")
    numbers = _pharaoh_numbers(column)
    return tuple(zip(numbers[::2], numbers[1::2]))


def _pharaoh_numbers(column: str) -> list[int]:
    """The indices of a column ``_PHARAOH`` matched, in order (source, target, source, …)."""
    return list(map(int, column.replace("-", " ").split()))


def target_alignment(links, n_target: int) -> tuple[int, ...]:
    """Pharaoh ``links`` (source, target) as one source index per target token, as the toy grammar's
    ``Example.align`` reads: the lowest linked source index, or -1 for a target token with no link."""
    linked: dict[int, int] = {}
    for j, i in links:
        linked[i] = min(j, linked.get(i, j))
    return tuple(linked.get(i, -1) for i in range(n_target))


def format_pharaoh(links) -> str:
    """The inverse of ``parse_pharaoh``, links ordered by target then source index."""
    return " ".join(f"{j}-{i}" for j, i in sorted(links, key=lambda link: (link[1], link[0])))


def is_pharaoh(column: str) -> bool:
    return bool(_PHARAOH.match(column.strip()))


def _unquote(column: str) -> str:
    """A field written as a quoted CSV value (``"Go."``), as spreadsheets save tab-separated text."""
    column = column.strip()
    if len(column) >= 2 and column[0] == column[-1] == '"':
        return column[1:-1].replace('""', '"')
    return column


def decode_file(data: bytes, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The file's text: UTF-8 (a byte-order mark is dropped), or a ``PairsFileError`` saying where it is not."""
    if not data:
        raise PairsFileError("The file is empty: it needs one sentence pair per line, source TAB target.")
    if len(data) > max_bytes:
        raise PairsFileError(
            f"The file has {len(data):,} bytes; the limit is {max_bytes:,}. Keep fewer lines (e.g. `head -n`)."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PairsFileError(
            f"The file is not UTF-8: byte 0x{data[error.start]:02x} on line {line} is not valid. "
            "Save it as UTF-8 and upload it again."
        ) from None
    return text


def _split_lines(text: str) -> list[str]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line
    if len(lines) > MAX_LINES:
        raise PairsFileError(f"The file has {len(lines):,} lines; the limit is {MAX_LINES:,}. Keep fewer lines.")
    if not any(line.strip() for line in lines):
        raise PairsFileError("The file has no text: it needs one sentence pair per line, source TAB target.")
    if not any("\t" in line for line in lines):
        hint = next((name for sep, name in ((",", "commas"), (";", "semicolons"), ("|", "bars")) if sep in text), None)
        raise PairsFileError(
            "No line has a tab: each line needs source TAB target."
            + (f" The lines look separated by {hint}: save the file as tab-separated text." if hint else "")
        )
    return lines


def _first_alignment(columns: list[str]) -> list[int] | None:
    """The indices of the first later column in Pharaoh format, or None when no column is one."""
    for column in columns:
        column = column.strip()
        if _PHARAOH.match(column):
            return _pharaoh_numbers(column)
    return None


def read_pairs(
    data: bytes | str | Path, max_tokens: int = DEFAULT_MAX_PAIR_TOKENS, max_bytes: int = MAX_FILE_BYTES
) -> PairsData:
    """Every usable pair of a pairs file (its bytes, text, or path), and what was dropped and why."""
    if isinstance(data, Path):
        size = data.stat().st_size
        if size > max_bytes:
            raise PairsFileError(f"The file has {size:,} bytes; the limit is {max_bytes:,}.")
        data = data.read_bytes()
    text = decode_file(data, max_bytes) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    lines = _split_lines(text)
    pairs, dropped, first = [], Counter(), {}

    def drop(reason: str, number: int) -> None:
        dropped[reason] += 1
        first.setdefault(reason, number)

    for number, line in enumerate(lines, start=1):
        if not line.strip() and "\t" not in line:
            drop("blank", number)
            continue
        columns = line.split("\t")
        if len(columns) < 2:
            drop("no_tab", number)
            continue
        source, target = tokenize_side(_unquote(columns[0])), tokenize_side(_unquote(columns[1]))
        if not source or not target:
            drop("empty_side", number)
            continue
        if len(source) > max_tokens or len(target) > max_tokens:
            drop("too_long", number)
            continue
        # The alignment is most of the time a 20 MB file takes to read: its indices are checked as two
        # maxima, not link by link.
        numbers = _first_alignment(columns[2:]) if len(columns) > 2 else None
        links = None
        if numbers is not None:
            if max(numbers[::2]) >= len(source) or max(numbers[1::2]) >= len(target):
                drop("bad_alignment", number)
                continue
            links = tuple(zip(numbers[::2], numbers[1::2]))
        pairs.append(Pair(source, target, links, number))
    if not pairs:
        reasons = ", ".join(f"{n} {reason.replace('_', ' ')}" for reason, n in dropped.items())
        raise PairsFileError(f"No line is a usable pair ({reasons}).")
    return PairsData(pairs, len(lines), {r: dropped[r] for r in DROP_REASONS}, first)


@dataclass(frozen=True)
class Summary:
    """What a person checks before training: what was kept, what was dropped, how long, how many words."""

    pairs: int
    lines: int
    dropped: dict[str, int]
    first_dropped: dict[str, int]
    source_lengths: tuple[int, float, int]  # min, mean, max tokens
    target_lengths: tuple[int, float, int]
    source_words: int  # distinct tokens
    target_words: int
    aligned_pairs: int  # pairs with a gold alignment


def pairs_needed(
    target_words: int,
    mean_target_tokens: float,
    held_out_share: float,
    epochs: int | None = None,
    batch_size: int = RECIPE_BATCH,
) -> int:
    """The fewest pairs a file needs for this recipe to learn from it: enough training pairs (those not
    held out) for ``MIN_STEPS`` batches of ``batch_size`` in the passes it gets (``epochs``, or at most
    ``MOST_AUTO_EPOCHS`` when chosen by size), and for each of ``target_words`` words to be seen about
    ``SIGHTINGS_PER_WORD`` times a pass in targets of ``mean_target_tokens`` tokens."""
    passes = epochs if epochs is not None else MOST_AUTO_EPOCHS
    for_steps = math.ceil(MIN_STEPS * batch_size / max(1, passes))
    for_words = math.ceil(SIGHTINGS_PER_WORD * target_words / max(1.0, mean_target_tokens))
    return math.ceil(max(for_steps, for_words) / (1 - held_out_share))


def learned_nothing(held_out: dict) -> bool:
    """A model whose held-out translations are all wrong (exact match 0 on at least one pair)."""
    overall = held_out.get("overall", {})
    return overall.get("pairs", 0) > 0 and overall.get("exact_match", 0) == 0


def summarise(data: PairsData) -> Summary:
    def lengths(sides) -> tuple[int, float, int]:
        n = [len(side) for side in sides]
        return min(n), round(sum(n) / len(n), 1), max(n)

    return Summary(
        pairs=len(data.pairs),
        lines=data.lines,
        dropped=dict(data.dropped),
        first_dropped=dict(data.first_dropped),
        source_lengths=lengths(p.source for p in data.pairs),
        target_lengths=lengths(p.target for p in data.pairs),
        source_words=len({t for p in data.pairs for t in p.source}),
        target_words=len({t for p in data.pairs for t in p.target}),
        aligned_pairs=sum(p.links is not None for p in data.pairs),
    )


def vocabulary_tokens(sides, cap: int) -> list[str]:
    """The ``cap`` most frequent tokens of ``sides``, most frequent first (ties alphabetical)."""
    counts = Counter(t for side in sides for t in side)
    return [t for t, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:cap]]


def split_held_out(pairs: list[Pair], share: float, seed: int) -> tuple[list[Pair], list[Pair]]:
    """Training and held-out pairs; a held-out pair's source never appears in training.

    Pairs are grouped by source sentence (a file often translates one sentence several ways)
    and whole groups are held out, so a held-out figure is about sentences the model never saw.
    """
    import random

    if not 0 <= share < 1:
        raise ValueError(f"the held-out share must be in [0, 1). Received: {share}")
    groups: dict[tuple[str, ...], list[Pair]] = {}
    for pair in pairs:
        groups.setdefault(pair.source, []).append(pair)
    sources = list(groups)
    random.Random(seed).shuffle(sources)
    n_held = round(share * len(sources)) if len(sources) > 1 else 0
    held = [p for s in sources[:n_held] for p in groups[s]]
    train = [p for s in sources[n_held:] for p in groups[s]]
    return train, held


def write_pairs(path: Path, pairs: list[Pair]) -> None:
    """Tokens joined by single spaces, TAB, and the Pharaoh column where a pair has one."""
    with Path(path).open("w", encoding="utf-8", newline="\n") as f:
        for p in pairs:
            columns = [" ".join(p.source), " ".join(p.target)]
            if p.links is not None:
                columns.append(format_pharaoh(p.links))
            f.write("\t".join(columns) + "\n")
