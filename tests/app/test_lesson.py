"""The lesson: every stop's question is computed from the live model on the current sentence,
checked against it, explained with its numbers, and the progress is kept in the link."""

from __future__ import annotations

import numpy as np
import pytest

from attention_core import load_pretrained
from tests.support.apptest import run, texts, warnings
from ui.session import state

SENTENCE = "the big red car sees a small dog"
LONG = (
    "the old doctors see a small red house behind the big city and a black cat finds the young dogs "
    "near a white car and the small parks see an old house"
)


def answer(at, option: int):
    at.radio[0].set_value(option).run()
    at.button(key="lesson_check").click().run()
    return at


def right_option(at) -> int:
    """Answer every option until the page says right: the index it accepts."""
    for option in range(len(at.radio[0].options)):
        answer(at, option)
        if at.success and at.success[-1].value.startswith(("Right", "答对了")):
            return option
    raise AssertionError("no option is accepted")


@pytest.mark.parametrize("stop", state.LESSON_STOPS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_stop_asks_checks_and_explains(stop, lang):
    at = run("lesson", lesson=stop, text=SENTENCE, lang=lang)
    assert at.subheader[0].value.startswith(f"{state.LESSON_STOPS.index(stop) + 1}.")
    assert at.radio and at.radio[0].value is None  # nothing chosen yet: predict first
    assert not at.success and not at.error  # and nothing revealed
    good = right_option(at)
    assert "done" in at.query_params and stop in at.query_params["done"].split(",")
    wrong = next(k for k in range(len(at.radio[0].options)) if k != good)
    answer(at, wrong)
    (feedback,) = [e.value for e in at.error]
    assert feedback.startswith("Not this time" if lang == "en" else "这次不对")
    assert stop in at.query_params["done"]  # a wrong retry keeps the progress made
    assert at.get("page_link"), "the full page of the stop is one click away"


def test_the_alpha_question_is_the_models_argmax_and_follows_the_sentence():
    model = load_pretrained()
    for text in (SENTENCE, "a black cat finds the small parks"):
        at = run("lesson", lesson="alpha", text=text)
        translation = model.translate(text)
        good = right_option(at)
        i = (
            int(
                next(s.value for s in at.markdown if s.value.startswith("At decoder step")).split("step ")[1].split()[0]
            )
            - 1
        )
        assert good == int(np.argmax(translation.alpha[i]))
        explanation = texts(at)
        assert f"with weight {translation.alpha[i].max():.3f}" in explanation


def test_the_pitfall_and_what_if_answers_come_from_the_numbers():
    at = run("lesson", lesson="pitfall", text=SENTENCE)
    assert at.radio[0].options[right_option(at)] == "every weight is 1"
    assert "summing to 8.0000 over 8 words" in texts(at)
    at = run("lesson", lesson="whatif", text=SENTENCE)
    assert at.radio[0].options[right_option(at)].startswith("exactly h_")
    gap = float(texts(at).split("by at most ")[1].split()[0])
    assert gap < 1e-5


@pytest.mark.parametrize("text", [SENTENCE, "the cat sees a dog"])
def test_the_causal_mask_answer_is_whether_the_two_transformers_write_alike(text):
    causal = load_pretrained("transformer").translate(text).target_tokens
    leaky = load_pretrained("transformer_no_causal_mask").translate(text).target_tokens
    at = run("lesson", lesson="transformer", text=text)
    assert at.radio[0].options[right_option(at)] == ("yes" if leaky == causal else "no")
    n = len(causal) + 1  # and <end>
    assert f"it writes {n} of {n} words right" in texts(at)  # it reads a given translation perfectly
    (link,) = [x.proto for x in at.get("page_link") if x.proto.label == "Open Masking, which ends on the causal mask"]
    assert link.page.endswith("masking")


def test_the_causal_mask_stop_says_why_a_model_without_the_pair_has_no_question():
    at = run("lesson", lesson="transformer", model="toy_en_zh")
    assert not at.radio and any("no such pair" in i.value for i in at.info)


def test_the_why_question_follows_the_sentence_length():
    short = run("lesson", lesson="why", text="the cat sees a dog")
    long = run("lesson", lesson="why", text=LONG)
    assert short.radio[0].options[right_option(short)] == "yes"
    assert long.radio[0].options[right_option(long)] == "no"
    assert "translates 0.0% exactly" in texts(long)  # the evaluation file's figure for 30–39 tokens


def test_progress_is_resumed_from_the_link():
    at = run("lesson", lesson="masking", done="why,alpha")
    assert at.subheader[0].value.startswith("3.")
    (bar,) = at.get("progress")
    assert bar.proto.text == f"2 of {len(state.LESSON_STOPS)} questions answered right"
    at.button(key="lesson_next").click().run()
    assert at.query_params["lesson"] == "pitfall" and at.query_params["done"] == "why,alpha"


@pytest.mark.parametrize(("name", "value"), [("lesson", "nowhere"), ("done", "why,<script>"), ("done", "../x")])
def test_nonsense_in_the_lesson_link_falls_back_with_a_notice(name, value):
    at = run("lesson", **{name: value})
    assert any(name in w for w in warnings(at))
    assert at.subheader[0].value.startswith("1.") or name == "done"


def test_a_sentence_outside_the_toy_language_still_gets_questions_and_says_so():
    at = run("lesson", lesson="why", text="the cat the dog")
    assert any("never makes this sentence" in w for w in warnings(at))
    right_option(at)
    assert "outside the toy grammar" in texts(at)


def test_home_starts_with_the_lesson_and_lists_why_attention():
    at = run()
    links = [link.proto for link in at.get("page_link")]
    assert links[0].label == "**Start the lesson**" and links[0].page.endswith("lesson")
    assert any("Why attention" in m.value for m in at.markdown)


def test_the_article_is_named_with_its_lines_where_its_code_is_quoted():
    at = run("lesson", lesson="pitfall")
    (caption,) = [c.value for c in at.caption if "source article" in c.value]
    assert "2.3.2 Attention机制" in caption and "禅与计算机程序设计艺术" in caption
    assert "21: `attn_weights = tf.nn.softmax(score, axis=-1)`" in caption
    at = run("pitfalls", pitfall="softmax_axis")
    (code,) = [c.value for c in at.code if "class BahdanauAttention" in c.value]
    assert code.splitlines()[20].strip() == "attn_weights = tf.nn.softmax(score, axis=-1)"
    assert any("line 11, 21" in e.proto.label for e in at.expander)
    at = run("pitfalls", pitfall="neg_inf")  # a bug the article does not have: no quote
    assert not [c for c in at.code if "class BahdanauAttention" in c.value]


def test_the_masking_page_names_the_article_where_its_strategy_is_the_articles():
    at = run("masking", strategy="min_fill")
    (caption,) = [c.value for c in at.caption if "source article" in c.value]
    assert "20: `score = tf.where(mask, score, tf.reduce_min(score))`" in caption
    assert not [c for c in run("masking", strategy="correct").caption if "source article" in c.value]


def test_a_translation_that_ends_at_once_still_gets_its_questions():
    """No output word at all: the questions ask about the <end> step, the only step there is."""
    from types import SimpleNamespace

    from ui.views import lesson

    step = SimpleNamespace(is_end=True, trace=SimpleNamespace(alpha=np.array([0.2, 0.8])), chosen="<end>")
    assert lesson.telling_step(SimpleNamespace(steps=[step], source_tokens=["a", "cat"])) == 0
