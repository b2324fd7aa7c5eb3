"""The step a browser holds (ui/presenter/held_step.py): one run draws all seven equations of the step, each in
its own container, with the numbers of that equation; Next reaching the server is a press into
another step; the equation the page's script tells is the page's from then on.

AppTest sends no browser headers, so the page serves it one equation a run; here ``holds`` is
made true, as it is for a browser's session, to run the held path itself. What the script does in
the page (switching, the address bar, no message) is tested in Chromium: tests/browser/test_held_browser.py.
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.apptest import APP, TIMEOUT, run
from ui.charts.equations import EQUATION_NUMBERS, step_of
from ui.presenter import held_step
from ui.strings import t
from ui.views import step_panel


@pytest.fixture
def held(monkeypatch):
    """Every run of the reading view holds the step, the first screen included."""
    monkeypatch.setattr(held_step, "holds", lambda busy=False: not held_step.state.get("present"))


def panel_headings(at: AppTest) -> list[str]:
    return [h.value for h in at.subheader]


def test_one_run_draws_every_equation_of_the_step_in_order(held):
    at = run("step_through", text="the cat sees a dog", step="2", eq="3")
    headings = panel_headings(at)
    assert [int(h.split(".")[0]) for h in headings] == list(EQUATION_NUMBERS)
    for number, heading in zip(EQUATION_NUMBERS, headings, strict=True):
        assert heading == f"{number}. {t(f'eq.{step_of(number).key}.name')}"
    # Each equation's numbers are its own, of step 2: W2 s_{1}, and α_{2,j}.
    worked = [latex.value for latex in at.latex]
    assert any("s_{1}" in w for w in worked)
    assert any(re.search(r"\\alpha_\{2,", w) for w in worked)
    choices = [g for g in at.button_group if g.key and g.key.startswith("eq_choice_")]
    assert [g.value for g in choices] == list(EQUATION_NUMBERS)  # each shows itself
    assert at.query_params["eq"] == "3" and at.query_params["step"] == "2"


def test_next_reaching_the_server_opens_the_next_step_at_its_first_equation(held):
    at = run("step_through", text="the cat sees a dog", step="2", eq="3")
    at.button(key="step_next").click().run()
    assert not at.exception
    assert at.query_params["step"] == "3" and "eq" not in at.query_params
    at.button(key="step_back").click().run()
    assert at.query_params["step"] == "2" and at.query_params["eq"] == "7"  # back into a step: at y_i


def test_this_equation_only_changes_the_step_and_keeps_the_equation(held):
    at = run("step_through", text="the cat sees a dog", step="2", eq="5", only="1")
    at.button(key="step_next").click().run()
    assert at.query_params["step"] == "3" and at.query_params["eq"] == "5"


def test_the_equation_the_page_tells_becomes_the_pages(held):
    at = run("step_through", text="the cat sees a dog", step="2", eq="1")
    at.session_state[held_step.TELLER_KEY] = {"eq": {"eq": 6, "n": 1}}
    at.run()
    assert at.query_params["eq"] == "6"
    at.session_state[held_step.TELLER_KEY] = {"eq": {"eq": 99, "n": 2}}  # not an equation: ignored
    at.run()
    assert at.query_params["eq"] == "6" and not at.exception


def test_presenter_mode_is_still_one_equation_a_run(held):
    at = run("step_through", text="the cat sees a dog", step="2", eq="4", present="1")
    assert panel_headings(at) == [f"4. {t('eq.e.name')}"]


def browser_session(**params: str) -> AppTest:
    """The step page's first screen in a session a browser opened (its headers say so), not held."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("pages/step_through.py")
    at.session_state["held_browser"] = True  # what a browser's headers make of the session
    at.query_params["text"] = "the cat sees a dog"
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    return at


def test_a_browsers_first_screen_is_one_equation_and_its_first_press_draws_the_step():
    """A room opening the link at once gets one equation each; the step is held from the first Next."""
    at = browser_session(step="2")
    assert panel_headings(at) == [f"1. {t('eq.keys.name')}"]
    at.button(key="step_next").click().run()  # one equation on screen: Next is the next one
    assert at.query_params["eq"] == "2" and len(panel_headings(at)) == len(EQUATION_NUMBERS)
    at.button(key="step_next").click().run()  # the page passed it on: into the next step
    assert at.query_params["step"] == "3" and "eq" not in at.query_params


def test_a_press_while_others_wait_draws_one_equation_and_the_next_free_one_the_step(monkeypatch):
    """Seven equations are drawn when the server has room: queued behind others, a press is the
    next equation alone, and the step is held from the next press that finds the server free."""
    at = browser_session()
    monkeypatch.setattr(step_panel, "BUSY_QUEUE", 0)  # every panel finds as many waiting as this
    at.button(key="step_next").click().run()
    assert at.query_params["eq"] == "2" and panel_headings(at) == [f"2. {t('eq.query.name')}"]
    monkeypatch.setattr(step_panel, "BUSY_QUEUE", 1)  # alone: nobody waits behind this panel
    at.button(key="step_next").click().run()  # one equation on screen: Next is the next equation
    assert at.query_params["eq"] == "3" and len(panel_headings(at)) == len(EQUATION_NUMBERS)
    monkeypatch.setattr(step_panel, "BUSY_QUEUE", 0)
    at.button(key="step_next").click().run()  # the page passed it on: the next step, one equation
    assert at.query_params["step"] == "2" and panel_headings(at) == [f"1. {t('eq.keys.name')}"]
    monkeypatch.setattr(step_panel, "BUSY_QUEUE", 1)
    at.button(key="step_next").click().run()
    assert at.query_params["step"] == "2" and at.query_params["eq"] == "2"
    assert len(panel_headings(at)) == len(EQUATION_NUMBERS)
    assert not at.exception
