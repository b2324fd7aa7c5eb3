"""The why-attention page under AppTest: defaults, a deep link, a typed sentence, a sentence outside the grammar."""

from __future__ import annotations

import pytest

from attention_core import load_pretrained
from attention_core.data.toy_data import reference_translation
from attention_core.evaluation.metrics import BUCKETS
from attention_core.evaluation.table import load_table
from tests.support.apptest import run, texts

PAGE = "why_attention"
KINDS = ("attention", "no_attention")  # the two models the page compares
LONG = "the old car watches the streets and a red garden finds the boy and the cats see a small apple"


@pytest.fixture(scope="module")
def table():
    return load_table()


def charts(at) -> list:
    return at.get("vega_lite_chart")


def marked_words(at) -> int:
    return sum(m.value.count(":red-background[") for m in at.markdown)


def wrong_words(words: list[str], gold: tuple[str, ...]) -> int:
    """Output words not equal to the reference word at their place (extra words included)."""
    return sum(k >= len(gold) or word != gold[k] for k, word in enumerate(words))


def test_defaults_show_the_curve_a_long_sentence_and_the_cost(table):
    at = run(PAGE)
    assert at.title[0].value == "Why attention: the bottleneck"
    # the curve, α and the cost as charts: α of a 40-word sentence is one picture under its word axes
    assert len(charts(at)) == 3 and not at.get("image")
    # the curve's numbers are the table's, both models, every bucket
    frame = at.dataframe[0].value
    assert len(frame) == len(KINDS) * len(BUCKETS)
    for kind, offset in zip(KINDS, (0, len(BUCKETS))):
        exact = frame.iloc[offset : offset + len(BUCKETS)]["exact match"].tolist()
        assert exact == pytest.approx([table["models"][kind]["by_bucket"][b]["exact_match"] for b in BUCKETS])
    # the long example of the table, put in the box and the link
    assert at.text_input[0].value == table["example"] == at.query_params["text"]
    reference = reference_translation(table["example"].split())
    captions = [c.value for c in at.caption]
    assert f"{len(reference.fr)} of {len(reference.fr)} words right" in captions  # with attention
    assert marked_words(at) >= 1  # without attention, at least one word marked wrong


def test_a_deep_link_translates_that_sentence_with_both_models():
    at = run(PAGE, text=LONG)
    reference = reference_translation(LONG.split())
    page = texts(at)
    assert " ".join(reference.fr) in page  # the reference caption
    assert at.query_params["text"] == LONG
    baseline = load_pretrained("no_attention").translate(LONG)
    right = sum(w == g for w, g in zip(baseline.target_tokens, reference.fr))
    assert f"{right} of {len(reference.fr)} words right" in [c.value for c in at.caption]
    attention = load_pretrained().translate(LONG)
    expected = wrong_words(baseline.target_tokens, reference.fr) + wrong_words(attention.target_tokens, reference.fr)
    assert marked_words(at) == expected


def test_a_typed_sentence_updates_both_translations_and_the_link():
    at = run(PAGE)
    typed = "the cat sees a dog and the dogs chase the happy girls in the old house"
    at.text_input[0].set_value(typed).run()
    assert not at.exception
    assert at.query_params["text"] == typed
    attention = load_pretrained().translate(typed)
    baseline = load_pretrained("no_attention").translate(typed)
    page = texts(at)
    assert " ".join(attention.target_tokens) in page
    reference = reference_translation(typed.split())
    right = sum(w == g for w, g in zip(baseline.target_tokens, reference.fr))
    assert f"{right} of {len(reference.fr)} words right" in [c.value for c in at.caption]


def test_a_sentence_outside_the_grammar_has_no_reference():
    at = run(PAGE, text="the cat sees a dog and and the dog")
    assert "not in the toy grammar" in texts(at)
    assert marked_words(at) == 0


def test_the_page_in_chinese():
    at = run(PAGE, lang="zh")
    assert at.title[0].value == "为什么需要注意力：信息瓶颈"
    assert "完全匹配率" in at.dataframe[0].value.columns


def test_empty_text_asks_for_a_sentence():
    at = run(PAGE, text=" ")
    assert at.info and len(charts(at)) == 1  # the curve stays; no translation to draw


def test_the_long_example_is_offered_once_per_session():
    at = run(PAGE)
    short = "the big red car sees a small dog"  # the app-wide default sentence
    at.text_input[0].set_value(short).run()
    assert not at.exception
    assert at.text_input[0].value == short
    assert " ".join(load_pretrained().translate(short).target_tokens) in texts(at)


@pytest.mark.parametrize(("lang", "column", "words"), [("en", "alignment", "n/a"), ("zh", "对齐准确率", "不适用")])
def test_the_model_without_attention_has_no_alignment_and_says_so(lang, column, words):
    """Its alignment cells are empty (it has no α), shown with a word, never a raw "None"."""
    at = run(PAGE, lang=lang)
    frame = at.dataframe[0].value
    assert frame[column].isna().sum() == len(BUCKETS)  # one empty cell per bucket: the model without attention
    assert frame[column].notna().sum() == len(BUCKETS)  # the model with attention has every bucket's figure
    assert words in at.dataframe[0].proto.placeholder  # what the grid writes in an empty cell
