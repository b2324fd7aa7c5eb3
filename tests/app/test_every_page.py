"""Every page of the registry opens under AppTest in English with a short sentence and in Chinese, in
presenter mode, with a 59-token one: no exception, the page's title drawn, and no notice that the link
was refused (every value of these links is valid)."""

from __future__ import annotations

import pytest

from attention_core.data.toy_data import generate_long_examples
from tests.support.apptest import run, warnings
from ui.session import registry
from ui.strings import TABLES

SHORT = "the cat sees a dog"
LONGEST = " ".join(max(generate_long_examples(200, seed=3, min_tokens=55), key=lambda ex: len(ex.en)).en)


def test_the_long_sentence_is_the_longest_the_language_makes():
    assert len(LONGEST.split()) == 59


@pytest.mark.parametrize(
    ("lang", "text", "present"),
    [("en", SHORT, "0"), ("zh", LONGEST, "1")],
    ids=["en-short-reading", "zh-59-tokens-presenter"],
)
@pytest.mark.parametrize("page", [entry.path for entry in registry.PAGES])
def test_every_page_opens(page, lang, text, present):
    at = run(None if page == registry.HOME else page, lang=lang, text=text, present=present)
    assert at.title or at.subheader or at.markdown, f"{page} drew nothing"
    refused_start = TABLES[lang]["notice.bad_param"].split("{")[0]  # the notice a bad link value gets
    refused = [w for w in warnings(at) if w.startswith(refused_start)]
    assert not refused, refused


def test_apptest_reads_the_installed_packages_for_components_once():
    """The tier's fixture (tests/app/conftest.py) serves every AppTest one scan, the answer a fresh scan gives."""
    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    before = scan.cache_info()
    run("masking", batch=SHORT)
    after = scan.cache_info()
    assert after.hits > before.hits and after.misses <= 1, (before, after)
    assert scan() == scan.__wrapped__()
