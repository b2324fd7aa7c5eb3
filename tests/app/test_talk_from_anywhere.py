"""Presenter mode from any page leads into the talk; why attention's long example stays on its page,
a sentence the speaker typed goes on; the talk's What if slide opens on an intervention."""

from __future__ import annotations

import pytest

from attention_core.evaluate import load_table
from tests.support.apptest import page_of, press, run, warnings, where
from ui.session import state
from ui.strings import t

SHORT = "the cat sees a dog"  # 6 decoder steps: le chat voit un chien <end>
LONG = load_table()["example"]  # why attention's own example, 40 words


def test_the_long_example_is_why_attentions_own():
    assert len(LONG.split()) >= 30 and LONG != state.EXAMPLE_SENTENCE


@pytest.mark.parametrize(("page", "slides"), [("home", 5), ("alignment", 1), ("score_functions", 1)])
def test_a_page_outside_the_talk_leads_into_its_first_page(page, slides):
    """Home, where presenter mode is turned on, is no dead end: the bar's one page button, the one
    PageDown presses on its last screen, opens the talk's first page."""
    at = run(page, present="1", text=SHORT, **({"slide": str(slides)} if slides > 1 else {}))
    way_in = at.button(key="talk_next")
    assert not way_in.disabled
    assert "talk_back" not in [b.key for b in at.button]  # nothing before the talk
    if slides > 1:
        assert at.button(key="step_next").disabled  # its last slide: the key goes to the talk's button
    press(at, "talk_next")
    assert page_of(at) == "why_attention" and where(at) == "1 / 5"
    assert at.query_params["present"] == "1"
    assert not warnings(at), warnings(at)


def test_a_custom_talk_is_entered_at_its_own_first_page():
    at = run("home", present="1", talk="masking,what_if")
    press(at, "talk_next")
    assert page_of(at) == "masking" and where(at) == "1 / 2"
    assert at.query_params["talk"] == "masking,what_if"


def test_the_long_example_stays_on_why_attention_in_the_talk():
    """From Home through why attention (its long example on its slides) to the step page: the step page
    opens on the session's sentence, 9 decoder steps, not the example's 41; and back on why attention
    the slides show the long example again."""
    at = run("home", present="1")
    press(at, "talk_next")
    assert page_of(at) == "why_attention" and at.query_params["text"] == LONG
    press(at, "talk_next")
    assert page_of(at) == "step_through" and where(at) == "2 / 5"
    assert "text" not in at.query_params  # the app's default sentence
    assert at.session_state["v_text"] == state.EXAMPLE_SENTENCE
    press(at, "talk_back")
    assert page_of(at) == "why_attention" and at.query_params["text"] == LONG


def test_a_sentence_typed_on_why_attention_goes_on_into_the_talk():
    at = run("why_attention")
    assert at.text_input[0].value == LONG  # offered in the reading view
    at.text_input[0].set_value(SHORT).run()
    at.toggle(key="w:app:present").set_value(True).run()  # the sidebar's switch
    assert where(at) == "1 / 5"
    press(at, "talk_next")
    assert page_of(at) == "step_through" and at.query_params["text"] == SHORT


def test_turned_on_after_reading_why_attention_the_step_page_has_the_replaced_sentence():
    at = run("why_attention")  # the long example offered, never typed over
    at.toggle(key="w:app:present").set_value(True).run()
    press(at, "talk_next")
    assert page_of(at) == "step_through" and "text" not in at.query_params


def test_the_talks_what_if_slide_opens_on_an_override():
    at = run("what_if", present="1", text=SHORT)  # the sentence, then back a page and on to What if
    press(at, "talk_back")
    assert page_of(at) == "pitfalls"
    press(at, "talk_next")
    assert page_of(at) == "what_if" and where(at) == "5 / 5"
    override = at.query_params["override"]
    step, j = (int(part) for part in override.split(":"))
    assert step == 2 and 1 <= j <= len(SHORT.split())
    assert at.query_params["step"] == "2"
    assert t("whatif.override_none") not in [i.value for i in at.info]
    assert len(at.get("vega_lite_chart")) == 2  # α beside α′, P(y) beside P(y′)
    assert not warnings(at), warnings(at)


def test_an_intervention_the_speaker_made_is_kept():
    at = run("what_if", present="1", text=SHORT, override="3:1")
    press(at, "talk_back")
    assert page_of(at) == "pitfalls"
    press(at, "talk_next")
    assert page_of(at) == "what_if" and at.query_params["override"] == "3:1"


def test_what_if_opened_by_a_link_or_the_menu_is_as_the_link_says():
    at = run("what_if", present="1", text=SHORT)
    assert "override" not in at.query_params
    assert t("whatif.override_none") in [i.value for i in at.info]
