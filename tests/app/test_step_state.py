"""One screen, one truth: the step-through page names the step, equation and word it computes,
after a new sentence, a model switch, a link, and Back (a URL that lost a value)."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from tests.support.apptest import APP, TIMEOUT, run


def worked(at: AppTest) -> str:
    return at.latex[1].value  # the general form first, then the worked numbers


def shown_step(at: AppTest) -> int:
    """The decoder step the slider names."""
    return int(at.select_slider[0].value)


def computed_step(at: AppTest) -> int:
    """The decoder step i whose numbers the worked equation shows (equation 5: α_{i,j})."""
    return int(re.search(r"\\alpha_\{(\d+),", worked(at)).group(1))


def test_a_new_sentence_keeps_the_named_step_and_the_numbers_together():
    at = run("step_through", text="the cat sees a dog", step="3", eq="5")
    assert shown_step(at) == computed_step(at) == 3
    at.text_input[0].set_value("the big red car sees a small dog").run()
    assert not at.exception
    assert shown_step(at) == computed_step(at) == 3
    assert "voiture" in " ".join(m.value for m in at.markdown)
    word_box = at.selectbox[0]
    new_words = ("the", "big", "red", "car", "sees", "a", "small", "dog")
    assert word_box.format_func(word_box.value).split(": ")[1] in new_words


def test_a_shorter_sentence_clamps_the_step_everywhere():
    at = run("step_through", text="the big red car sees a small dog behind the old house", step="11", eq="5")
    at.text_input[0].set_value("the cat sees a dog").run()
    assert shown_step(at) == computed_step(at) == 6  # five words and <end>
    assert at.query_params["step"] == "6"


def test_a_model_switch_keeps_the_named_step_and_the_numbers_together():
    at = run("step_through", text="the cat sees a dog", step="2", eq="5")
    model_switch = next(g for g in at.button_group if g.key == "w:step_through:src")
    model_switch.set_value("free").run()
    assert not at.exception
    assert at.query_params.get("src") == "free"
    assert shown_step(at) == computed_step(at) == 2
    word_box = at.selectbox[0]
    assert word_box.format_func(word_box.value).startswith("j = ")


def test_a_link_opens_the_screen_it_names():
    at = run("step_through", text="the cat sees a dog", step="4", eq="2")
    assert at.subheader[0].value.startswith("2. ")
    assert shown_step(at) == 4
    assert "s_{3}" in worked(at)  # W2 s_{i-1} at i = 4


def test_back_to_a_default_value_shows_that_screen():
    """Back from ?eq=2 to a URL without eq shows equation 1 and keeps the URL as Back left it."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("pages/step_through.py")
    at.query_params["text"] = "the cat sees a dog"
    at.run()
    at.button(key="step_next").click().run()
    assert at.query_params["eq"] == "2" and at.subheader[0].value.startswith("2. ")
    del at.query_params["eq"]  # the browser's Back: the previous URL had no eq
    at.run()
    assert at.subheader[0].value.startswith("1. ")
    assert "eq" not in at.query_params


def test_a_language_switch_relabels_its_own_control_at_once():
    at = run()
    switch = next(g for g in at.button_group if g.key == "w:app:lang")
    switch.set_value("zh").run()
    switch = next(g for g in at.button_group if g.key == "w:app:lang")
    assert switch.label == "语言"


def test_presenter_names_a_typed_word_as_typed():
    """The word being produced is a code span like the token lines: no markdown escapes shown in it."""
    at = run("step_through", present="1", text="the cat sees a dog", target="c'est *le* chat", step="1")
    where = next(m.value for m in at.markdown if m.value.startswith("**i = 1 →**"))
    assert "**`c'est`**" in where and "\\" not in where


ONLY = "w:step_through:only"  # the "This equation only" toggle, bound to ``only`` in the link


def test_this_equation_only_is_kept_in_the_link():
    at = run("step_through", text="the cat sees a dog", step="2", eq="5", only="1")
    assert at.toggle(key=ONLY).value  # the link's choice is shown
    at.button(key="step_next").click().run()  # and used: Next keeps α and moves to the next word
    assert at.subheader[0].value.startswith("5. ") and shown_step(at) == computed_step(at) == 3
    assert at.query_params["only"] == "1" and at.query_params["step"] == "3"
    at.toggle(key=ONLY).set_value(False).run()
    assert "only" not in at.query_params  # the default is left out of the link
    at.button(key="step_next").click().run()  # the next equation of the same word
    assert at.subheader[0].value.startswith("6. ") and shown_step(at) == 3
    at.toggle(key=ONLY).set_value(True).run()
    assert at.query_params["only"] == "1"


def test_a_link_without_only_walks_the_equations():
    at = run("step_through", text="the cat sees a dog", step="2", eq="5")
    assert not at.toggle(key=ONLY).value
    at.button(key="step_next").click().run()
    assert at.subheader[0].value.startswith("6. ") and shown_step(at) == 2 and "only" not in at.query_params
