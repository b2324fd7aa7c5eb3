"""Bad input everywhere: every page, every payload, every URL parameter.

Each case must leave the page working (no exception, the page's title drawn), give a
notice or a sensible result, and never put user text into markup.
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.apptest import APP, TIMEOUT, run, texts

PAYLOADS = {
    "empty": "",
    "whitespace": " \t\n  ",
    "huge": "cat " * 25_000,
    "one_huge_word": "a" * 100_000,
    "html": "<img src=x onerror=alert(1)><script>alert(1)</script>",
    "markdown_link": "[click](javascript:alert(1)) **bold** $x^2$ :red[red]",
    "emoji_joiners": "👩‍👩‍👧‍👦 🏳️‍🌈 👍🏽 🇫🇷",
    "cjk": "我爱你，世界。日本語のテキスト",
    "arabic": "مرحبا بالعالم",
    "combining": "e\u0301 n\u0303 a\u0308\u0301",
    "control": "the\x00 cat\x07 sees\x1b a\u200f dog",
    "unknown_words": "the zebra devours a quokka",
}

PAGES = {
    # page: the URL parameters that carry typed text there
    "step_through": ("text", "target"),
    "masking": ("batch",),
    "alignment": ("text", "target"),
    "score_functions": ("text",),
    "pitfalls": ("batch",),
    "what_if": ("text",),
}

TITLES = {
    "step_through": "Step through one decoder step",
    "masking": "Masking: what padding does to attention",
    "alignment": "Alignment map",
    "score_functions": "Score functions side by side",
    "pitfalls": "Pitfalls: classic attention bugs, live",
    "what_if": "What if: change one thing and watch what follows",
}

MARKUP = ("<script", "<img", "](javascript")
CODE_SPAN = re.compile(r"`[^`]*`")
ESCAPED = re.compile(r"\\.")


def markup_in(markdown: str) -> list[str]:
    """Markup that would render: outside code spans and not backslash-escaped."""
    live = ESCAPED.sub("", CODE_SPAN.sub("", markdown))
    return [bad for bad in MARKUP if bad in live]


def assert_page_works(at: AppTest, page: str) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert at.title and at.title[0].value == TITLES[page]
    for element in (*at.markdown, *at.warning, *at.info, *at.caption, *at.success, *at.error):
        assert not markup_in(element.value), f"user text reached markup: {element.value[:200]!r}"


@pytest.mark.parametrize("payload", sorted(PAYLOADS))
@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_payload_on_every_page(page, payload):
    for param in PAGES[page]:
        params = {param: PAYLOADS[payload], "src": "free"} if page == "step_through" else {param: PAYLOADS[payload]}
        at = run(page, check=False, **params)
        assert_page_works(at, page)
        shown = texts(at)
        if payload in ("empty", "whitespace") and param in ("text",):
            assert "Type a sentence" in shown
        if payload == "huge" and param == "text":
            assert "only its first" in shown  # capped, with a notice
        if payload == "unknown_words" and page in ("alignment",) and param == "text":
            assert "Not in the toy lexicon" in shown


@pytest.mark.parametrize("payload", ["html", "markdown_link", "cjk", "emoji_joiners"])
def test_typed_text_is_shown_as_tokens(payload):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("pages/step_through.py")
    at.run()
    at.text_input[0].set_value(PAYLOADS[payload]).run()
    assert_page_works(at, "step_through")
    assert "**Source:**" in texts(at)


NONSENSE = ["-5", "abc", "1e9", "", "%00", "<script>", "9" * 400, "🙂", "1;DROP TABLE"]
PARAMETERS = ["step", "eq", "lang", "present", "src", "strategy", "snap", "score", "pitfall"]
PARAMETERS += ["pick", "beam", "override", "swap", "baseline", "whatif"]  # the interventions


@pytest.mark.parametrize("value", NONSENSE)
@pytest.mark.parametrize("name", PARAMETERS)
def test_nonsense_in_every_url_parameter(name, value):
    pages = {"strategy": "masking", "snap": "alignment", "score": "score_functions", "pitfall": "pitfalls"}
    page = {**pages, "swap": "what_if", "whatif": "what_if"}.get(name, "step_through")
    at = run(page, check=False, **{name: value, "text": "the cat sees a dog"})
    assert_page_works(at, page)
    notices = " ".join(w.value for w in at.warning)
    assert name in notices, f"no notice for {name}={value!r}: {notices!r}"
