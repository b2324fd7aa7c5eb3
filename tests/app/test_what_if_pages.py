"""Interventions under AppTest, by click and by link: candidates, picks, the beam, an overridden α,
a swapped word, the baseline beside a step; bad links fall back with a notice."""

from __future__ import annotations

import numpy as np
import pytest

from attention_core import load_pretrained
from tests.support.apptest import run, texts, warnings

SENTENCE = "the big red car sees a small dog"
OWN = "`la` `grande` `voiture` `rouge` `voit` `un` `petit` `chien`"


@pytest.fixture(scope="module")
def model():
    return load_pretrained()


def picks(at) -> list[str]:
    """The link's ``pick`` values (AppTest gives one value as a string, several as a list)."""
    value = at.query_params.get("pick", [])
    return [value] if isinstance(value, str) else list(value)


def markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_clicking_a_candidate_picks_it_and_undo_returns_to_the_models_choice(model):
    at = run("step_through", eq="7")
    candidates = [b for b in at.button if b.key and b.key.startswith("cand_1_")]
    assert [b.label.split(" ")[0] for b in candidates] == [w for w, _ in model.translate(SENTENCE).steps[0].top_words]
    le = next(b for b in candidates if b.label.startswith("le "))
    le.click().run()
    assert not at.exception
    assert picks(at) == ["1:le"]
    expected = model.translate(SENTENCE, prefix=["le"])
    assert "`le` _picked_ " + " ".join(f"`{w}`" for w in expected.target_tokens[1:]) in texts(at)
    at.button(key="cand_undo").click().run()
    assert "pick" not in at.query_params
    assert OWN in texts(at)


def test_a_pick_link_restores_the_same_screen(model):
    at = run("step_through", pick=["1:le", "3:chien"], eq="7", step="3")
    first = model.translate(SENTENCE, prefix=["le"]).target_tokens
    expected = model.translate(SENTENCE, prefix=[*first[:2], "chien"])
    shown = texts(at)
    assert " ".join(f"`{w}`" for w in expected.target_tokens[3:]) in shown
    assert shown.count("_picked_") == 2
    assert picks(at) == ["1:le", "3:chien"]


@pytest.mark.parametrize(
    ("pick", "notice"),
    [("1:zzz", "cannot write"), ("2:le", None), ("abc", "pick"), ("3:le&", "pick"), ("40:le", "after the sentence")],
)
def test_nonsense_picks_fall_back_with_a_notice(pick, notice):
    at = run("step_through", pick=pick)
    if notice is None:
        assert not warnings(at)
        return
    assert any(notice in w for w in warnings(at)), warnings(at)
    assert "pick" not in at.query_params
    assert OWN in texts(at)


def test_picks_out_of_step_order_fall_back():
    at = run("step_through", pick=["3:le", "1:le"])
    assert any("pick" in w for w in warnings(at)) and "pick" not in at.query_params


def test_beam_link_drives_the_step_page(model):
    at = run("step_through", beam="4", eq="7")
    expected = model.translate(SENTENCE, beam_width=4)
    assert " ".join(f"`{w}`" for w in expected.target_tokens[1:]) in texts(at)
    assert at.query_params["beam"] == "4"
    assert at.number_input[0].value == 4


@pytest.mark.parametrize("beam", ["0", "9", "x", "1.5"])
def test_nonsense_beam_falls_back(beam):
    at = run("step_through", beam=beam)
    assert any("beam" in w for w in warnings(at)) and "beam" not in at.query_params


def test_override_link_shows_alpha_prime_and_its_consequences_on_the_step_page(model):
    at = run("step_through", override="2:8", step="2", eq="5")
    expected = model.translate(SENTENCE, attention_overrides={2: np.eye(8)[7]})
    shown = texts(at)
    assert "α at step 2 is overridden" in shown
    assert r"\alpha'_{2,8}" in shown and "= 1.0000" in shown
    assert " ".join(f"`{w}`" for w in expected.target_tokens[2:]) in shown
    table = at.dataframe[0].value
    assert list(table.columns) == ["e", "α", "α′"]
    np.testing.assert_allclose(table["α′"].to_numpy(), np.eye(8)[7], atol=1e-6)
    np.testing.assert_allclose(table["α"].to_numpy(), expected.steps[1].own_alpha, atol=1e-6)
    at = run("step_through", override="2:8", step="2", eq="6")  # c′ = h_8, written out for dimension 1
    assert f"= {expected.h[7][0]:.4f}" in texts(at)


@pytest.mark.parametrize(
    ("override", "notice"),
    [("2:9", "does not fit"), ("2:1,1", "does not fit"), ("2:-1,1,1,1,1,1,1,1", "override"), ("x", "override")],
)
def test_nonsense_overrides_fall_back_with_a_notice(override, notice):
    at = run("step_through", override=override)
    assert any(notice in w for w in warnings(at)), warnings(at)
    assert "override" not in at.query_params
    assert OWN in texts(at)


def test_what_if_override_by_click_uniform_and_typed(model):
    at = run("what_if", step="2")
    at.segmented_control(key="whatif_override_mode").set_value("word").run()
    at.button(key="ov_word_7").click().run()
    assert not at.exception and at.query_params["override"] == "2:8"
    assert "‖c′_2 − c_2‖" in markdown(at) and "with α′ it writes “chien”" in markdown(at)
    table = at.dataframe[0].value  # the logits behind both distributions
    step = model.translate(SENTENCE, attention_overrides={2: np.eye(8)[7]}).steps[1]
    chien = table.index[table.iloc[:, 0] == "chien"][0]
    assert table.loc[chien, "logit′"] == pytest.approx(float(step.logits[model.target.id("chien")]), abs=1e-3)
    at.segmented_control(key="whatif_override_mode").set_value("uniform").run()
    assert at.query_params["override"] == "2:" + ",".join(["1"] * 8)
    uniform = model.translate(SENTENCE, attention_overrides={2: [1] * 8})
    gap = np.linalg.norm(uniform.steps[1].trace.context - model.translate(SENTENCE).steps[1].trace.context)
    assert f"= {gap:.4f}." in markdown(at)
    at.segmented_control(key="whatif_override_mode").set_value("typed").run()
    box = at.text_input(key="whatif_typed_weights")
    box.set_value("1, 0, 0, 0, 0, 0, 0, 3").run()
    assert at.query_params["override"] == "2:1,0,0,0,0,0,0,3"
    box.set_value("1, 2, banana").run()
    assert at.error and "Type 8 numbers" in at.error[0].value
    assert at.query_params["override"] == "2:1,0,0,0,0,0,0,3"  # a bad entry changes nothing
    at.segmented_control(key="whatif_override_mode").set_value("own").run()
    assert "override" not in at.query_params


def test_what_if_pick_view_compares_both_sentences(model):
    at = run("what_if", whatif="pick")
    at.button(key="wi_cand_1_1").click().run()
    picked = model.translate(SENTENCE, prefix=[model.translate(SENTENCE).steps[0].top_words[1][0]])
    assert " ".join(f"`{w}`" for w in picked.target_tokens[1:4]) in texts(at)
    assert picks(at) == [f"1:{picked.target_tokens[0]}"]
    assert len(at.get("vega_lite_chart")) == 2  # both α maps


def test_swap_link_shows_both_translations(model):
    at = run("what_if", whatif="swap", swap="8:cat")
    swapped = model.translate("the big red car sees a small cat")
    assert "**`chat`**" in markdown(at) and " ".join(f"`{w}`" for w in swapped.target_tokens[:-1]) in markdown(at)
    assert at.query_params["swap"] == "8:cat"
    assert len(at.get("vega_lite_chart")) == 2


@pytest.mark.parametrize("swap", ["8:sees", "9:cat", "cat", "0:cat"])
def test_nonsense_swaps_fall_back(swap):
    at = run("what_if", whatif="swap", swap=swap)
    assert warnings(at), swap
    assert at.query_params.get("swap") != swap


def test_beam_view_draws_the_tree_and_states_the_normalisation(model):
    at = run("what_if", whatif="beam", beam="3")
    result = model.translate(SENTENCE, beam_width=3)
    shown = markdown(at)
    assert f"score {result.hypotheses[0].score:.4f}" in shown and "log P / words" in shown
    assert len(at.get("vega_lite_chart")) == 1
    table = at.dataframe[0].value
    assert table.iloc[:, 0].tolist() == [" ".join(h.tokens) for h in result.hypotheses]
    at = run("what_if", whatif="beam")
    assert any("Width 1 is greedy" in i.value for i in at.info)


def test_baseline_beside_the_step(model):
    at = run("step_through", baseline="1", step="2", eq="7")
    baseline = load_pretrained("no_attention").translate(SENTENCE, target=model.translate(SENTENCE).target_tokens)
    shown = markdown(at)
    assert "without attention" in shown and "c = ←h_1" in shown
    assert f"picks “{baseline.steps[1].predicted}”" in shown


def test_a_new_sentence_clears_the_interventions():
    at = run("step_through", pick="1:le", override="2:8", eq="7")
    at.text_input[0].set_value("the cat sees a dog").run()
    assert not at.exception
    assert "pick" not in at.query_params and "override" not in at.query_params
    assert not warnings(at)


def test_alignment_map_lists_candidates_and_marks_picks(model):
    at = run("alignment")
    at.button(key="align_cand_1_1").click().run()
    word = model.translate(SENTENCE).steps[0].top_words[1][0]
    assert picks(at) == [f"1:{word}"]
    chart = at.get("vega_lite_chart")[0].proto  # its data goes to the browser as Arrow
    assert f"{word} (picked)".encode() in chart.data.data


@pytest.mark.parametrize("view", ["override", "pick", "swap", "beam"])
def test_what_if_views_in_chinese_and_presenter_mode(view):
    at = run("what_if", whatif=view, lang="zh", override="2:8", beam="2")
    assert "假如" in texts(at)
    at = run("what_if", whatif=view, present="1", override="2:8", beam="2")
    assert not at.title  # a slide: the deck's bar instead of a title
