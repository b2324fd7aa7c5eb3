"""The model says what it knows: a toy sentence shows its reference and gold alignment, a sentence
outside the toy language says so, unknown target words are reported, and the most-attended word
is marked only once α exists."""

from __future__ import annotations

import pytest

from attention_core import load_pretrained
from attention_core.data.toy_data import reference_translation
from tests.support.apptest import HIGHLIGHT, run, warnings
from ui.views import reference_views

OUTSIDE = "the toy grammar never makes this sentence"
UNKNOWN = "Not in the toy lexicon"
UNKNOWN_TARGET = "Not in the model's French vocabulary"


def token_lines(at) -> tuple[str, str]:
    """The step page's source line and output line."""
    lines = next(m.value for m in at.markdown if m.value.startswith("**Source:**"))
    source, output = lines.split("  \n")[:2]
    return source, output


def test_a_toy_sentence_shows_its_reference_and_whether_the_model_agrees():
    text = "the big red car sees a small dog"
    at = run("step_through", text=text)
    reference = reference_translation(text.split())
    translation = load_pretrained().translate(text)
    hits = sum(int(a.argmax()) == g for a, g in zip(translation.alpha, reference.align))
    (summary,) = [s.value for s in at.success]
    assert " ".join(f"`{w}`" for w in reference.fr) in summary
    assert f"for {hits} of {len(reference.fr)} words" in summary
    assert not any(OUTSIDE in w or UNKNOWN in w for w in warnings(at))
    assert not [d for d in at.dataframe if "gold source word" in d.value.columns]  # built when opened
    at.session_state[reference_views.REFERENCE_OPEN] = True
    at.run()
    (table,) = [d.value for d in at.dataframe if "gold source word" in d.value.columns]
    assert list(table["reference"]) == list(reference.fr)
    assert list(table["gold source word"]) == [f"{g + 1} {reference.en[g]}" for g in reference.align]
    assert list(table["model's word"]) == translation.target_tokens


def test_a_forced_target_other_than_the_reference_is_said_to_differ():
    at = run("step_through", text="the cat sees a dog", target="le chien voit un chat")
    (summary,) = [s.value for s in at.success]
    assert "differs from it in 2 words" in summary


@pytest.mark.parametrize(
    ("text", "outside", "unknown"),
    [
        ("the cat the dog", True, False),  # known words, a form the grammar never makes
        ("cat", True, False),
        ("I love machine learning", False, True),  # unknown words keep their own notice
        ("the cat sees a dog", False, False),
    ],
)
@pytest.mark.parametrize("page", ["step_through", "what_if"])
def test_sentences_outside_the_toy_language_are_told_apart(page, text, outside, unknown):
    at = run(page, text=text)
    shown = warnings(at)
    assert any(OUTSIDE in w for w in shown) == outside, shown
    assert any(w.startswith(UNKNOWN) for w in shown) == unknown, shown
    assert bool(at.success) == (not outside and not unknown)  # a reference only where there is one


def test_a_sentence_outside_the_language_is_said_so_in_chinese_too():
    at = run("step_through", text="the cat the dog", lang="zh")
    assert any("玩具语法不会生成这样的句子" in w for w in warnings(at))


def test_unknown_words_in_the_target_box_are_reported():
    at = run("step_through", text="the red car is fast", target="the red car is fast")
    (notice,) = [w for w in warnings(at) if w.startswith(UNKNOWN_TARGET)]
    for word in ("the", "red", "car", "is", "fast"):
        assert word in notice
    at = run("step_through", text="the cat sees a dog", target="le chat voit un chien")
    assert not any(w.startswith(UNKNOWN_TARGET) for w in warnings(at))


def test_the_translator_lists_unknown_forced_words():
    translator = load_pretrained()
    assert translator.translate("the cat sees a dog", target="le zèbre voit un chien").unknown_target == [1]
    assert translator.translate("the cat sees a dog", target="le chat voit un chien").unknown_target == []
    assert translator.translate("the cat sees a dog").unknown_target == []


@pytest.mark.parametrize("eq", range(1, 8))
def test_the_most_attended_word_is_marked_only_from_alpha_on(eq):
    text = "the big red car sees a small dog"
    at = run("step_through", text=text, step="3", eq=str(eq))
    source, output = token_lines(at)
    marked = HIGHLIGHT.findall(source.removeprefix("**Source:**"))
    if eq < 5:
        assert marked == [], source
    else:
        looked = int(load_pretrained().translate(text).steps[2].trace.alpha.argmax())
        assert marked == [f"`{text.split()[looked]}`"]
    assert len(HIGHLIGHT.findall(output.removeprefix("**Output:**"))) == 1  # the word being produced, always
