"""The English and Chinese interface tables stay in step, and every key the code looks up exists."""

import re
import string
from pathlib import Path

import pytest

from ui.strings import PROSE_DIR, en, zh

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").rglob("*.py"))]

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Values that are pure math or symbols: the same in every language, so they need no CJK character.
SYMBOL_KEYS = {
    "eq.keys.name",
    "eq.query.name",
    "eq.tanh.name",
    "eq.e.name",
    "eq.alpha.name",
    "eq.c.name",
    "eq.y.name",
    "eq.query.chart",
    "eq.tanh.chart",
    "eq.alpha.fact",
    "mask.nan",
    "pit.alpha",
    "pit.context",
}
# Names allowed inside a symbol-only value; any other run of two ASCII letters is a word to translate.
MATH_NAMES = re.compile(r"softmax|tanh|NaN|\{\w+[^}]*\}")

# t("key"), t('key'), t(f"eq.{key}.name"), possibly with the argument on the next line.
T_CALL = re.compile(r"""(?<![\w.])t\(\s*(f?)(["'])(.*?)\2""", re.DOTALL)
FIELD = re.compile(r"\{[^{}]*\}")


def format_specs(text: str) -> list[tuple[str, str]]:
    """Field names with their format specs, e.g. [("share", ".1%")]."""
    return sorted((name, spec) for _, name, spec, _ in string.Formatter().parse(text) if name is not None)


def test_same_keys():
    missing_in_zh = sorted(set(en.STRINGS) - set(zh.STRINGS))
    extra_in_zh = sorted(set(zh.STRINGS) - set(en.STRINGS))
    assert not missing_in_zh and not extra_in_zh, f"missing in zh.py: {missing_in_zh}; not in en.py: {extra_in_zh}"


@pytest.mark.parametrize("key", sorted(en.STRINGS))
def test_same_placeholders(key):
    if key not in zh.STRINGS:
        pytest.skip("reported by test_same_keys")
    assert format_specs(zh.STRINGS[key]) == format_specs(en.STRINGS[key]), key


def test_values_are_nonempty_strings():
    for table in (en.STRINGS, zh.STRINGS):
        bad = [k for k, v in table.items() if not isinstance(v, str) or not v.strip()]
        assert not bad, bad


def test_chinese_values_are_chinese():
    untranslated = sorted(k for k, v in zh.STRINGS.items() if k not in SYMBOL_KEYS and not CJK.search(v))
    assert not untranslated, f"zh values without any Chinese character: {untranslated}"


@pytest.mark.parametrize("key", sorted(SYMBOL_KEYS))
def test_symbol_keys_really_are_symbols(key):
    assert key in en.STRINGS, f"stale allow-list entry {key}"
    for table in (en.STRINGS, zh.STRINGS):
        rest = MATH_NAMES.sub("", table[key])
        assert not re.search(r"[A-Za-z]{2}", rest), f"{key} has words to translate: {table[key]!r}"


def test_prose_in_both_languages():
    names = {p.name for p in (PROSE_DIR / "en").glob("*.md")}
    assert names, "no English prose found"
    zh_names = {p.name for p in (PROSE_DIR / "zh").glob("*.md")}
    assert names == zh_names, f"missing in zh: {sorted(names - zh_names)}; missing in en: {sorted(zh_names - names)}"
    for name in names:
        text = (PROSE_DIR / "zh" / name).read_text(encoding="utf-8")
        assert CJK.search(text), f"ui/prose/zh/{name} is not translated"
        english = (PROSE_DIR / "en" / name).read_text(encoding="utf-8")
        spans = sorted(re.findall(r"`[^`]+`", english))
        assert sorted(re.findall(r"`[^`]+`", text)) == spans, f"code spans differ in {name}"
        table_rows = [line.count("|") for line in english.splitlines() if line.startswith("|")]
        assert [line.count("|") for line in text.splitlines() if line.startswith("|")] == table_rows, name


def _used_keys() -> list[tuple[str, str, bool]]:
    """(file, key or f-string key, is_fstring) for every t(...) call with a literal first argument."""
    found = []
    for path in SOURCES:
        for m in T_CALL.finditer(path.read_text(encoding="utf-8")):
            found.append((path.relative_to(ROOT).as_posix(), m.group(3), m.group(1) == "f"))
    return found


def test_the_code_calls_t():
    assert len(_used_keys()) > 50  # the regex still finds the calls


def test_keys_used_in_code_exist():
    missing = []
    for where, key, is_f in _used_keys():
        if is_f:
            parts = FIELD.split(key)
            pattern = re.compile(".+".join(re.escape(p) for p in parts))
            if not any(pattern.fullmatch(k) for k in en.STRINGS):
                missing.append(f"{where}: t(f{key!r})")
        elif key not in en.STRINGS:
            missing.append(f"{where}: t({key!r})")
    assert not missing, f"keys used in code but missing from en.py: {missing}"


def test_key_literals_passed_indirectly_exist():
    """Key-shaped literals handed to t through a variable (e.g. the home page's cards)."""
    namespaces = "|".join(sorted({re.escape(k.split(".")[0]) for k in en.STRINGS}))
    literal = re.compile(rf"""(["'])((?:{namespaces})\.[a-z0-9_]+(?:\.[a-z0-9_]+)*)\1""")
    files = re.compile(r"\.(?:py|md|png|svg|csv|npz|json|toml)$")
    missing = []
    for path in SOURCES:
        for m in literal.finditer(path.read_text(encoding="utf-8")):
            key = m.group(2)
            if key not in en.STRINGS and not files.search(key):
                missing.append(f"{path.relative_to(ROOT).as_posix()}: {key!r}")
    assert not missing, f"key-like literals missing from en.py: {missing}"
