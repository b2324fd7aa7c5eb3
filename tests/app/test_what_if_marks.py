"""What changed is what is marked: after an override, a pick or a swap, the words highlighted in the
two sentences are the words that changed, and the line under them says what is highlighted.

Golden cases of the alignment (``ui.views.what_if.changed_words``), then the What if page under AppTest on
the model's real translations.
"""

from __future__ import annotations

import re

import pytest

from attention_core import load_pretrained
from tests.support.apptest import run
from ui.views import what_if

MARKED = re.compile(r"\*\*`([^`]*)`\*\*")  # a highlighted word of a token line (sentence_inputs.token_line)
WORD = re.compile(r"`([^`]*)`")


@pytest.mark.parametrize(
    ("after", "before", "changed"),
    [
        ("un noir noir", "un chien noir", [1]),  # replaced by a copy of the next word: that word
        ("le grand chat voit", "le chat voit", [1]),  # one word more early: that word only
        ("le chat voit", "le chat voit", []),
        ("le chat", "le chat voit", []),  # a word left out: nothing of the shorter one is new
        ("les chiens voient le chat", "le chat voit les chiens", [0, 1, 2, 3, 4]),
        ("le chat voit le chat", "le chat voit", [3, 4]),  # the added words at the end, not the start
        ("", "le chat", []),
        ("le chat", "", [0, 1]),
    ],
)
def test_changed_words_are_the_replaced_and_new_ones(after, before, changed):
    assert what_if.changed_words(after.split(), before.split()) == changed


def test_dropped_words_only_when_nothing_is_new():
    assert what_if.dropped_words(["la", "voiture", "rouge"], ["la", "grande", "voiture", "rouge"]) == [1]
    assert what_if.dropped_words(["la", "petite", "voiture"], ["la", "grande", "voiture", "rouge"]) == []


@pytest.fixture(scope="module")
def model():
    return load_pretrained()


def sentence_lines(at, before_name: str, after_name: str) -> tuple[str, str, str]:
    """The two sentences' lines of the What if view and the line that says what changed."""
    block = next(m.value for m in at.markdown if m.value.startswith(f"**{before_name}**"))
    before, after, said = block.split("  \n")
    assert after.startswith(f"**{after_name}**"), block
    return before, after, said


def marked_positions(line: str) -> list[int]:
    """0-based positions of the highlighted words among a token line's words."""
    words = re.sub(r"^\*\*[^*]*\*\* ", "", line)
    marked = {m.start() for m in MARKED.finditer(words)}
    return [k for k, m in enumerate(WORD.finditer(words)) if m.start() - 2 in marked]


def test_an_override_marks_the_word_it_replaced(model):
    """The issue's case: α on "black" at step 5 writes "noir" where "chien" was; word 5 is marked."""
    text = "the boys chase a black dog"
    own = model.translate(text).target_tokens
    changed = model.translate(text, attention_overrides={5: [0, 0, 0, 0, 1, 0]}).target_tokens
    assert own[3:] == ["un", "chien", "noir"] and changed[3:] == ["un", "noir", "noir"]  # the case itself
    at = run("what_if", text=text, override="5:5")
    before, after, said = sentence_lines(at, "Model's own:", "With α′:")
    assert marked_positions(after) == [4] and marked_positions(before) == []
    assert said == "1 of 6 words are new or replaced (highlighted); the model's own has 6."


def test_a_pick_that_only_leaves_a_word_out_marks_that_word_in_the_models_own(model):
    """Picking "voiture" at step 2 skips "grande": no word is new, the left-out one is marked."""
    text = "the big red car sees a small dog"
    picked = model.translate(text, prefix=["la", "voiture"]).target_tokens
    assert picked == ["la", "voiture", "rouge", "voit", "un", "petit", "chien"]
    at = run("what_if", text=text, whatif="pick", pick="2:voiture", step="2")
    before, after, said = sentence_lines(at, "Model's own:", "With your picks:")
    assert marked_positions(before) == [1] and marked_positions(after) == []
    assert said == "No word is new: 1 of the model's own 8 words are left out (highlighted in it)."


def test_a_swap_marks_the_changed_words_and_says_how_many(model):
    """Swapping "dog" for "cat": as many words as before, so the marked ones are those that differ."""
    text = "the big red car sees a small dog"
    at = run("what_if", text=text, whatif="swap", swap="8:cat")
    own = model.translate(text).target_tokens
    swapped = model.translate("the big red car sees a small cat").target_tokens
    assert len(own) == len(swapped) and own != swapped
    differ = [k for k, (a, b) in enumerate(zip(own, swapped, strict=True)) if a != b]
    before, after, said = sentence_lines(at, "Model's own:", "Swapped:")
    assert marked_positions(after) == differ and marked_positions(before) == []
    assert said == f"{len(differ)} of {len(swapped)} words are new or replaced (highlighted); the model's own has 8."
