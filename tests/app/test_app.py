"""Every page under AppTest: defaults, deep links, every equation and mask strategy, bad input."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from attention_core.names import WEIGHTS_DIR
from tests.support.apptest import APP, TIMEOUT, run, texts, warnings
from ui.views import step_panel


def test_home_shows_the_equations_and_links_without_tensorflow():
    at = run()
    assert at.title[0].value == "Attention Explorer"
    latex = [x.value for x in at.latex]
    assert any(r"e_{ij} = v^\top \tanh" in x for x in latex)
    assert any(r"c_i = \sum" in x for x in latex)
    assert len(latex) == 4


def test_step_page_defaults_show_tokens_and_the_real_translation():
    at = run("step_through")
    shown = texts(at)
    assert "`the` `big` `red` `car` `sees` `a` `small` `dog`" in shown
    assert "`la` `grande` `voiture` `rouge` `voit` `un` `petit` `chien`" in shown
    assert dict(at.query_params) == {}  # defaults leave the link clean


CODE_OF_EQUATION = {
    1: "def project_keys",
    2: "def project_query",
    3: "def additive_scores",
    4: "def additive_scores",
    5: "def masked_softmax",
    6: "def weighted_sum",
    7: "def output_logits",
}


def model_value(eq: int, step_index: int, text: str) -> float:
    """The number equation ``eq`` ends with, read from the model's own trace (j = the first word, a = 1:
    the entry shown before one is picked, never the word α peaks on)."""
    from attention_core import load_pretrained

    step = load_pretrained().translate(text).steps[step_index]
    tr, j = step.trace, 0
    k = int(step.probabilities.argmax())
    return {
        1: tr.W1_h[j, 0],
        2: tr.W2_s[0],
        3: tr.tanh_activation[j, 0],
        4: tr.e[j],
        5: tr.alpha[j],
        6: tr.context[0],
        7: step.probabilities[k],
    }[eq]


@pytest.mark.parametrize("eq", range(1, 8))
def test_every_equation_shows_its_numbers(eq):
    at = run("step_through", text="the cat sees a dog", step="2", eq=str(eq))
    assert at.subheader[0].value.startswith(f"{eq}.")
    worked = at.latex[1].value  # the general form first, then the worked numbers
    shown = re.findall(r"= (-?[0-9]+\.[0-9]{4})", worked)
    assert shown, worked
    assert abs(float(shown[-1]) - model_value(eq, 1, "the cat sees a dog")) <= 5e-5, worked
    if eq == 5:
        assert "Σⱼ αᵢⱼ = 1.000000" in texts(at)
    if eq == 6:
        gap = next(s.value for s in at.info if "Largest gap" in s.value)
        assert float(gap.rsplit(":", 1)[1]) < 1e-5
    if eq == 7:
        assert "Chosen: “chat”" in texts(at)
    assert at.query_params.get("eq", "1") == str(eq)  # the default stays out of the link
    assert at.dataframe, "the tensor is shown as a table"
    assert not at.code, "the code box is built only when opened"
    at.session_state[step_panel.CODE_OPEN] = True  # what opening the box does
    at.run()
    assert any(c.value.startswith(CODE_OF_EQUATION[eq]) for c in at.code), "the code that computed the numbers"


def test_downloads_are_built_when_opened_and_stay_open_from_step_to_step():
    """Closed, the step offers no download button (a press sends five fewer widgets); opened,
    all five, and they stay open after Next."""
    at = run("step_through", text="the cat sees a dog", step="2", eq="3")
    assert not at.get("download_button")
    at.session_state[step_panel.DOWNLOADS_OPEN] = True
    at.run()
    labels = ["Figure as PNG", "Figure as SVG", "Table as CSV", "Step tensors as NPZ", "All figures as ZIP"]
    assert [d.proto.label for d in at.get("download_button")] == labels
    at.button(key="step_next").click().run()
    assert at.subheader[0].value.startswith("4.")
    assert [d.proto.label for d in at.get("download_button")] == labels


def test_next_and_previous_walk_the_equations_and_steps():
    at = run("step_through", text="the cat sees a dog", eq="7")
    at.button(key="step_next").click().run()  # Next after y_1: the next decoder step starts again at equation 1
    assert at.query_params["step"] == "2" and "eq" not in at.query_params
    at.button(key="step_back").click().run()
    assert at.query_params.get("step") is None and at.query_params["eq"] == "7"


def test_forced_target_is_decoded_word_by_word():
    at = run("step_through", text="the cat sees a dog", target="le chat mange un chien", step="3", eq="7")
    shown = texts(at)
    assert "`le` `chat` `mange` `un` `chien`" in shown
    assert "Chosen: “mange” (the model's most likely word: “voit”)" in shown


def test_free_text_in_any_script_is_labelled_untrained():
    at = run("step_through", text="我爱你 مرحبا 👩‍💻", src="free")
    shown = texts(at)
    assert "`我` `爱` `你` `مرحبا`" in shown
    assert any("untrained" in w for w in warnings(at))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "Type a sentence"),
        ("   \n\t ", "Type a sentence"),
        ("!!! ... ???", "no words to attend to"),
        ("the zebra sees a dog", "Not in the toy lexicon"),
        ("<script>alert(1)</script> the cat", "Not in the toy lexicon"),
    ],
)
def test_bad_text_gives_a_message(text, expected):
    at = run("step_through", text=text)
    assert expected in texts(at)


def test_html_is_shown_as_text_never_markup():
    at = run("step_through", text="<b>bold</b> [link](javascript:alert(1)) the cat")
    shown = texts(at)
    assert "`bold` ⁽ᵘⁿᵏ⁾" in shown and "`javascript` ⁽ᵘⁿᵏ⁾" in shown
    assert "<b>" not in shown and "](javascript" not in shown


def test_a_hundred_thousand_characters_are_capped_with_a_notice():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("pages/step_through.py")
    at.run()
    at.text_input[0].set_value("cat " * 25_000).run()
    assert not at.exception
    assert any("first 256 tokens" in w for w in warnings(at))


@pytest.mark.parametrize(
    ("params", "name"),
    [({"step": "-5"}, "step"), ({"eq": "abc"}, "eq"), ({"src": "gpt"}, "src"), ({"lang": "xx"}, "lang")],
)
def test_nonsense_in_a_link_falls_back_with_a_notice(params, name):
    at = run("step_through", text="the cat sees a dog", **params)
    assert any(f"`{name}=" in w or f"{name}\\=" in w or name in w for w in warnings(at))
    assert "`the` `cat` `sees` `a` `dog`" in texts(at)


def test_a_step_past_the_end_is_clamped_with_a_notice():
    at = run("step_through", text="the cat sees a dog", step="40")
    assert any("does not exist" in w for w in warnings(at))
    assert at.query_params["step"] == "6"  # five words and <end>


def test_state_survives_moving_between_pages():
    at = run("step_through", text="the dog sees a cat", step="3", eq="4")
    at.switch_page("pages/alignment.py").run()
    assert not at.exception
    assert at.query_params["text"] == "the dog sees a cat"
    at.switch_page("pages/step_through.py").run()
    assert at.query_params["step"] == "3" and at.query_params["eq"] == "4"


@pytest.mark.parametrize("strategy", ["correct", "none", "neg_inf", "large_negative", "min_fill"])
def test_every_mask_strategy(strategy):
    batch = "the cat sees a dog\n\nthe big red car sees a small dog"
    at = run("masking", strategy=strategy, batch=batch)
    frames = [d.value for d in at.dataframe]
    right = frames[1]
    leak = right.iloc[:, 1].to_numpy()
    if strategy == "correct":
        assert leak[0] == 0 and leak[2] == 0 and leak[1] == 0
    if strategy == "none":
        assert leak[0] > 0
    if strategy == "min_fill":
        assert leak[0] > 0
    if strategy == "neg_inf":
        assert any("NaN" in e.value for e in at.error)
    if strategy == "large_negative":
        assert abs(leak[1] - 1.0) < 1e-6  # the fully padded row spreads all its weight over padding
    assert "Row 2 is fully padded." in texts(at)
    # A padded batch sums in another order than the sentence alone: equal up to float32 rounding.
    gaps = [float(m) for m in re.findall(r"‖c_alone − c_padded‖ = ([0-9.e+-]+)", texts(at))]
    assert gaps and max(gaps) < 1e-5


def test_alignment_map_and_training_snapshots():
    at = run("alignment", text="the old car watches the streets")
    assert "6 of 6 output words" in texts(at)
    labels = at.select_slider[0].options  # read from metrics.json: pairs seen at each snapshot
    metrics = json.loads((WEIGHTS_DIR / "metrics.json").read_text())
    first = metrics["snapshots"][1]  # written after a number of steps of the batches it trained on
    assert first["pairs_seen"] == first["step"] * metrics["train_config"]["batch_size"]
    assert labels[0] == "untrained" and labels[1] == f"after {first['pairs_seen']:,} sentence pairs"
    assert labels[-1] == "final"
    untrained = run("alignment", text="the old car watches the streets", snap="0")
    assert "6 of 6 output words" not in texts(untrained)
    open_step = next(b for b in at.button if b.label == "Open step")  # the chosen row in the step-through page
    open_step.click().run()
    assert not at.exception


def test_alignment_snapshot_out_of_range_falls_back():
    at = run("alignment", text="the cat sees a dog", snap="50")
    assert any("snap" in w for w in warnings(at))


def test_score_functions_compare_on_the_same_states():
    at = run("score_functions", text="the cat sees a dog", scores="same_states", score="general", step="2")
    table = at.dataframe[0].value
    assert len(table) == 4
    assert table.iloc[0, 2] == 0.0  # additive vs itself
    assert "W_a = W_1 W_2^\\top" in texts(at)


@pytest.mark.parametrize(
    "pitfall", ["softmax_axis", "min_fill", "neg_inf", "large_negative", "no_time_axis", "integer_inputs"]
)
def test_every_pitfall_runs_live(pitfall):
    at = run("pitfalls", pitfall=pitfall)
    codes = [c.value for c in at.code]
    assert len(codes) >= 2
    if pitfall == "softmax_axis":
        sums = [c.value for c in at.caption if c.value.startswith("Σⱼ α = [")]
        buggy, correct = (eval(x.removeprefix("Σⱼ α = ")) for x in sums)  # noqa: S307  (our own list literal)
        assert all(total > 1.5 for total in buggy)  # every weight is 1: rows sum to T_x
        assert all(abs(total - 1.0) < 1e-3 for total in correct)
    if pitfall == "integer_inputs":
        assert any("int32" in c for c in codes)
    if pitfall == "neg_inf":
        assert any("NaN" in e.value for e in at.error)


def test_unknown_pitfall_falls_back():
    at = run("pitfalls", pitfall="<script>")
    assert any("pitfall" in w for w in warnings(at))


@pytest.mark.parametrize("page", [None, "step_through", "masking", "alignment", "score_functions", "pitfalls"])
def test_every_page_in_chinese(page):
    at = run(page, lang="zh")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in texts(at))


@pytest.mark.parametrize("page", ["step_through", "score_functions", "pitfalls"])
def test_presenter_mode_keeps_only_step_navigation(page):
    at = run(page, present="1", text="the cat sees a dog")
    assert len(at.text_input) == 0  # inputs hidden: only navigation remains
    if page == "step_through":
        # the deck's bar (the talk's page buttons, the Share box's room, exit), then steps
        labels = ["◀ Page", "Page ▶", "Open a room", "Exit", "◀ Previous", "Next ▶"]
        assert [b.label for b in at.button] == labels
