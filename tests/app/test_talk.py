"""A talk is one deck: in presenter mode the bar's page buttons walk ``talk=`` across pages,
entering a page forwards at its first screen and backwards at its last."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.apptest import page_of, press, run, warnings, where
from ui.session import registry

SHORT = "the cat sees a dog"  # 6 decoder steps: le chat voit un chien <end>
TALK_KEYS = ("talk_back", "talk_next")


def keys(at: AppTest) -> list[str]:
    return [b.key for b in at.button]


def test_the_default_talk_walks_its_five_pages_in_order():
    at = run("why_attention", present="1", text=SHORT)
    assert at.button(key="talk_back").disabled and not at.button(key="talk_next").disabled
    seen = [(page_of(at), where(at))]
    for _ in range(4):
        press(at, "talk_next")
        seen.append((page_of(at), where(at)))
    assert seen == [
        ("why_attention", "1 / 5"),
        ("step_through", "2 / 5"),
        ("masking", "3 / 5"),
        ("pitfalls", "4 / 5"),
        ("what_if", "5 / 5"),
    ]
    assert [page for page, _ in seen] == list(registry.DEFAULT_TALK)
    assert at.button(key="talk_next").disabled and not at.button(key="talk_back").disabled
    assert "talk" not in at.query_params  # the default stays out of the link
    assert at.query_params["present"] == "1" and at.query_params["text"] == SHORT  # carried, as between pages
    assert not warnings(at)


def test_a_custom_talk_in_the_speakers_order_stays_in_the_link():
    at = run("what_if", present="1", text=SHORT, talk="what_if,step_through")
    assert where(at) == "1 / 2"
    assert at.button(key="talk_back").disabled
    press(at, "talk_next")
    assert page_of(at) == "step_through" and where(at) == "2 / 2"
    assert at.query_params["talk"] == "what_if,step_through"
    assert at.button(key="talk_next").disabled
    press(at, "talk_back")
    assert page_of(at) == "what_if" and at.query_params["talk"] == "what_if,step_through"


@pytest.mark.parametrize("bad", ["step_through,nowhere", "masking,masking", ",", "<b>x</b>"])
def test_a_bad_talk_falls_back_to_the_default_with_a_notice(bad):
    at = run("step_through", present="1", text=SHORT, talk=bad)
    assert any("talk" in w for w in warnings(at)), warnings(at)
    assert where(at) == "2 / 5"  # the default talk
    assert "talk" not in at.query_params


def test_next_page_at_the_step_pages_last_screen_opens_masking_at_its_first():
    at = run("step_through", present="1", text=SHORT, step="6", eq="7")
    assert at.button(key="step_next").disabled  # the last screen: the key goes to talk_next
    press(at, "talk_next")
    assert page_of(at) == "masking" and where(at) == "3 / 5"
    assert "step" not in at.query_params and "eq" not in at.query_params  # masking opens at step 1
    assert not warnings(at)


def test_previous_page_on_masking_opens_the_step_pages_last_screen():
    at = run("step_through", present="1", text=SHORT, step="3", eq="5")
    press(at, "talk_next")
    assert page_of(at) == "masking"
    press(at, "talk_back")
    assert page_of(at) == "step_through"
    assert at.query_params["step"] == "6" and at.query_params["eq"] == "7", dict(at.query_params)
    assert at.subheader[0].value.startswith("7. ")
    assert at.button(key="step_next").disabled and not at.button(key="step_back").disabled
    assert not warnings(at), warnings(at)  # no "step does not exist": the page was never given a bogus step


def test_entering_the_step_page_forwards_opens_step_one_equation_one():
    at = run("step_through", present="1", text=SHORT, step="4", eq="5")
    press(at, "talk_back")
    assert page_of(at) == "why_attention"
    press(at, "talk_next")
    assert page_of(at) == "step_through"
    assert "step" not in at.query_params and "eq" not in at.query_params, dict(at.query_params)
    assert at.subheader[0].value.startswith("1. ")
    assert at.button(key="step_back").disabled


@pytest.mark.parametrize("page", ["why_attention", "step_through", "masking"])
def test_the_talk_is_absent_outside_presenter_mode(page):
    at = run(page, text=SHORT)
    assert not set(TALK_KEYS) & set(keys(at))
    assert not any(m.value.endswith(" / 5") for m in at.markdown)


def test_a_page_not_in_the_talk_shows_no_position_only_the_way_in():
    at = run("alignment", present="1", text=SHORT)
    assert set(TALK_KEYS) & set(keys(at)) == {"talk_next"}  # to the talk's first page (test_talk_from_anywhere)
    assert not any(m.value.endswith(" / 5") for m in at.markdown)
    assert "exit_present" in keys(at)  # the rest of the bar is there
