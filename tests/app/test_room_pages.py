"""The pages other than step-through, ready for a room: masking you can read, pitfalls whose
messages agree, score functions that say what they compare, the words the toy model knows."""

from __future__ import annotations

import numpy as np
import pytest

from tests.support.apptest import run, texts, warnings
from ui.models import compute, model_words
from ui.session import state

FULLY_PADDED_BATCH = "the cat sees a dog\n\nthe big red car sees a small dog"
RAW = ("None", "nan", "<pad>", "<start>")


def table_cells(at) -> list[str]:
    """The text cells of every table (a NaN number is drawn as the table's placeholder, in words)."""
    return [v for d in at.dataframe for v in d.value.to_numpy().reshape(-1) if isinstance(v, str)]


def test_default_batch_leaks_plainly_without_a_mask():
    at = run("masking")
    no_mask, masked = (d.value for d in at.dataframe[:2])
    leak = no_mask.iloc[:, 1].to_numpy()
    real = no_mask.iloc[:, 0].to_numpy()
    assert state.EXAMPLE_BATCH.count("\n") == 3 and len(leak) == 4
    assert leak[0] > 0.5, leak  # the one-word row: most of α on padding, at the default step
    assert real[2] == 0 and abs(leak[2] - 1.0) < 1e-6  # the fully padded row: all of it
    assert masked.iloc[:, 1].abs().max() == 0  # the correct mask leaks nothing
    assert "At step 1, the step shown, padding takes the most weight without a mask in row" in texts(at)
    assert dict(at.query_params) == {}


@pytest.mark.parametrize(
    ("strategy", "story"),
    [
        ("correct", "The mask sets every α of the row to 0, so c = 0"),
        ("none", "softmax gives every padding position α = 1/10"),
        ("neg_inf", "softmax computes exp(−∞ − (−∞)) = exp(NaN)"),
        ("large_negative", "softmax gives every padding position α = 1/10"),
        ("min_fill", "softmax gives every padding position α = 1/10"),
    ],
)
def test_a_fully_padded_row_says_in_words_what_each_strategy_did(strategy, story):
    at = run("masking", strategy=strategy, batch=FULLY_PADDED_BATCH)
    captions = [c.value for c in at.caption if c.value.startswith("Row 2 is fully padded.")]
    assert len(captions) == 2  # one per side
    baseline, chosen = captions
    if strategy == "none":  # no mask is shown beside the correct mask, never beside itself
        assert "The mask sets every α of the row to 0, so c = 0" in baseline
    else:
        assert "‖Δc‖ = 0" in baseline and "zero vectors (‖h‖ = 0.0)" in baseline  # why the no-mask side shows 0
    assert story in chosen, chosen
    for cell in table_cells(at):
        assert cell not in RAW and "<pad>" not in cell, cell
    words = [d.value.iloc[1, 3] for d in at.dataframe[:2]]
    assert words == ["— (none)", "— (none)"]
    if strategy == "neg_inf":
        errors = [e.value for e in at.error]
        assert errors and all(e != "NaN" and "row 2" in e for e in errors)
        assert np.isnan(at.dataframe[1].value.iloc[1, 1])  # the table keeps the number; it shows the placeholder
    else:
        assert not at.error


def test_go_to_the_step_where_padding_leaks_most():
    label = next(b.label for b in run("masking").button if b.label.startswith("Go to step"))
    step = int(label.rsplit(" ", 1)[1])
    at = run("masking", step="2" if step == 1 else "1")  # elsewhere: at that step the button has nothing to do
    go = next(b for b in at.button if b.label == label)
    assert not go.disabled
    go.click().run()
    assert not at.exception
    assert at.query_params.get("step", "1") == str(step)  # step 1 is the default: the link leaves it out
    assert at.dataframe[0].value.iloc[:, 1].max() > 0.5


def test_masking_label_and_warning_agree_on_the_number_of_lines():
    at = run("masking", batch="\n".join(["the cat sees a dog"] * 5))
    label = at.text_area[0].label
    assert "1 to 4" in label and any("1 to 4" in w for w in warnings(at))


def test_masking_warns_about_unknown_words_like_every_page():
    at = run("masking", batch="the zebra sees an apple\nthe cat sees a dog")
    assert any(w.startswith("Not in the toy lexicon") and "zebra" in w for w in warnings(at))
    assert not any("an," in w or w.endswith(" an.") for w in warnings(at))  # "an" is a word the model knows
    step = run("step_through", text="the zebra sees an apple")
    same = [w for w in warnings(step) if w.startswith("Not in the toy lexicon")]
    assert same == [w for w in warnings(at) if w.startswith("Not in the toy lexicon")]


@pytest.mark.parametrize(
    ("pitfall", "line"),
    [
        ("softmax_axis", "Largest difference between buggy and correct α"),
        ("min_fill", "Largest difference between buggy and correct α"),
        ("neg_inf", "The buggy α is NaN (not a number) in row 4"),
        ("large_negative", "Largest difference between buggy and correct α"),
        ("no_time_axis", "Largest difference between buggy and correct α"),
        ("integer_inputs", "but the buggy line raises InvalidArgumentError"),
    ],
)
def test_every_pitfall_comparison_agrees_with_what_it_shows(pitfall, line):
    at = run("pitfalls", pitfall=pitfall)
    comparison = at.info[-1].value
    assert line in comparison, comparison
    if pitfall == "neg_inf":
        assert "0.0000" not in comparison.split("largest difference is")[0]
        assert any("NaN" in e.value and "row 4" in e.value for e in at.error)
    if pitfall == "integer_inputs":
        assert "agree" not in comparison
        assert any("No context c" in e.value for e in at.error)
        code = [c for c in at.code if c.language == "text"]
        assert code and code[0].value.startswith("InvalidArgumentError")
    if pitfall == "large_negative":
        assert float(comparison.rsplit(" ", 1)[1]) > 0.05  # the padded row gets uniform weights, not zeros


def test_score_functions_say_the_other_scores_are_untrained():
    at = run("score_functions", text="the cat sees a dog", scores="same_states", step="2")
    shown = texts(at)
    assert "Only the additive score was trained" in shown and "untrained" in shown
    assert "How to read this comparison" in shown
    assert at.dataframe[0].value.index.name == "score"
    zh = run("score_functions", text="the cat sees a dog", scores="same_states", lang="zh")
    assert zh.dataframe[0].value.index.name == "得分函数"


def test_early_snapshot_says_why_there_is_no_reference_line():
    at = run("alignment", text="the old car watches the streets", snap="1")
    shown = texts(at)
    assert "No reference line at this point of training" in shown
    force = next(b for b in at.button if b.label == "Force the reference translation")
    force.click().run()
    assert not at.exception
    assert at.query_params["target"] == "la vieille voiture regarde les rues"
    assert "output words look hardest at the word they translate" in texts(at)


def test_random_toy_sentence_button_sets_a_grammatical_sentence():
    for page in ("alignment", "score_functions", "step_through"):
        # the score page's trained models read toy sentences only: its view with a source switch
        views = {"scores": "same_states"} if page == "score_functions" else {}
        at = run(page, text="the zebra", src="free" if page != "alignment" else "toy", **views)
        button = next(b for b in at.button if b.label == "Random toy sentence")
        button.click().run()
        assert not at.exception
        text = at.query_params.get("text", state.EXAMPLE_SENTENCE)
        assert text != "the zebra"
        assert compute.reference_translation(compute.tokenize(text).tokens) is not None, text
        assert at.query_params.get("src", "toy") == "toy"
        assert not any(w.startswith("Not in the toy lexicon") for w in warnings(at))


def test_home_lists_the_known_words_by_class_and_keeps_presenter_mode():
    at = run()  # the reading view: the whole page
    shown = texts(at)
    assert "The words the toy model knows" in shown
    for word_class, words in model_words.toy_words_by_class().items():
        line = next(m.value for m in at.markdown if words[0] in m.value and words[-1] in m.value)
        assert all(word in line for word in words), word_class
    links = at.main.get("page_link")  # the cards; the sidebar's menu links carry the state in the session
    # the lesson; why, step, masking, alignment, score functions, pitfalls, what if, toward the Transformer
    assert len(links) == 9
    at = run(present="1", slide="4")  # presenter mode: the cards are the fourth of five slides
    links = at.main.get("page_link")
    assert len(links) == 8 and "The words the toy model knows" not in texts(at)
    assert all("present=1" in link.proto.query_string for link in links), [link.proto.query_string for link in links]
    assert "The words the toy model knows" in texts(run(present="1", slide="5"))


def test_home_in_presenter_mode_is_five_slides():
    at = run(present="1")
    assert len(at.main.get("page_link")) == 1 and not at.latex, "slide 1: what it is and the lesson, no equations"
    assert at.button(key="step_back").disabled and not at.button(key="step_next").disabled
    at = run(present="1", slide="2")
    assert len(at.latex) == 4 and not at.main.get("page_link"), "slide 2: the four equations alone"
    at = run(present="1", slide="99")  # past the end: the last slide, said by the link it writes
    assert at.query_params["slide"] == "5" and at.button(key="step_next").disabled
    assert "slide" not in run(slide="3").query_params, "the reading view draws the whole page"


def test_sentence_help_lists_the_known_words():
    at = run("alignment")
    help_text = at.text_input[0].help
    assert "nouns" in help_text and "cat" in help_text and "behind" in help_text


def python_code(at) -> list:
    """The page's Python code blocks (the share box's link is a code block too)."""
    return [c for c in at.code if c.language == "python"]


def test_pitfalls_in_presenter_mode_is_two_slides_walked_by_the_step_buttons():
    at = run("pitfalls", present="1")
    assert len(python_code(at)) >= 2 and not at.get("vega_lite_chart"), "slide 1: the bug and its fix in code"
    assert at.button(key="step_back").disabled
    at.button(key="step_next").click().run()
    assert at.query_params["slide"] == "2" and at.query_params["present"] == "1"
    assert len(at.get("vega_lite_chart")) == 2 and not python_code(at), "slide 2: what each computes"
    assert at.button(key="step_next").disabled, "the last slide: PageDown goes on to the talk's next page"
