"""A room under AppTest: a speaker (presenter mode) and phones (the reading view) in one process, so
they share the process's room store as sessions of one server do.

A phone's script (follow.js) only asks for a run when the room moves; AppTest has no browser, so a
test runs each phone once after the speaker's press, as that script would have asked.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from attention_core import load_pretrained
from serving import rooms
from tests.support.apptest import page_of, press, run, texts, warnings
from ui.strings import escape_markdown

SENTENCE = "the big red car sees a small dog"


@pytest.fixture(scope="module")
def model():
    return load_pretrained()


def show(at):
    """A phone's run, asked for by its script after a move: the page the browser shows."""
    at.switch_page(f"pages/{page_of(at)}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def click(at, key: str):
    at.switch_page(f"pages/{page_of(at)}.py")
    at.button(key=key).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def value(at, name: str):
    key = f"v_{name}"
    return at.session_state[key] if key in at.session_state else None  # noqa: SIM401 - AppTest's has no get()


def screen(at) -> tuple:
    """What a screen shows: its page and the values the speaker moves."""
    page = page_of(at)
    names = ("text", "lesson") if page == "lesson" else ("text", "step", "eq", "model")
    return (page, *(value(at, name) for name in names))


def open_room(page: str = "lesson", **params):
    speaker = run(page, present="1", text=SENTENCE, **params)
    speaker.button(key="room_open").click().run()
    code = speaker.session_state["v_room"]
    assert rooms.CODE_PATTERN.fullmatch(code)
    return speaker, code


def phone(code: str, **params):
    """A phone opening the audience's link (the QR code): the room's code, and the screen it was made on."""
    return run(None, room=code, **params)


def following(at) -> bool:
    return any(c.value.startswith("Following the speaker") for c in at.caption)


def test_the_share_box_opens_a_room_whose_link_carries_the_code_and_never_the_secret():
    speaker, code = open_room(lesson="alpha")
    secret = speaker.session_state["room_speaker"]["secret"]
    link = [c.value for c in speaker.code if "room=" in c.value]
    assert link and f"room={code}" in link[0] and secret not in link[0] and "present" not in link[0]
    assert f"Room **{code}**" in texts(speaker)
    assert secret not in str(dict(speaker.query_params))
    assert rooms.store().room(code).page == "lesson"
    click(speaker, "room_close")
    assert rooms.store().room(code) is None and speaker.session_state["v_room"] == ""


def test_a_speaker_and_three_phones_follow_step_away_rejoin_and_a_late_joiner_lands(model):
    speaker, code = open_room(lesson="alpha")
    phones = [phone(code) for _ in range(3)]  # the QR code's link, opened on the home page's address
    for ph in phones:
        assert screen(ph) == screen(speaker) and following(ph)
        assert not ph.session_state["v_present"]  # the reading view
    press(speaker, "lesson_next")
    assert speaker.session_state["v_lesson"] == "masking"
    for ph in phones:
        assert screen(show(ph)) == screen(speaker)

    # The speaker opens the step page and presses Next: each phone follows to the same step and equation.
    speaker.switch_page("pages/step_through.py").run()
    for _ in range(3):
        press(speaker, "step_next")
    assert speaker.session_state["v_eq"] == 4
    for ph in phones:
        assert screen(show(ph)) == screen(speaker) and page_of(ph) == "step_through"

    # A phone's own control takes it off on its own; the others go on following.
    away = phones[1]
    click(away, "step_next")
    assert not following(away) and away.button(key="room_rejoin")
    assert away.session_state["v_eq"] == 5
    press(speaker, "step_back")
    press(speaker, "step_back")
    assert speaker.session_state["v_eq"] == 2
    for ph in phones:
        show(ph)
    assert screen(phones[0]) == screen(speaker) == screen(phones[2])
    assert away.session_state["v_eq"] == 5 and not following(away)
    # "Back to the speaker" rejoins at the speaker's current screen.
    click(away, "room_rejoin")
    show(away)
    assert screen(away) == screen(speaker) and following(away)

    # A late joiner (or a reconnect: a new session on the same link) lands on the current screen.
    late = phone(code, lang="zh")
    assert screen(late) == screen(speaker)
    assert late.session_state["v_lang"] == "zh"  # its own language kept
    assert any(c.value.startswith("正在跟随讲者") for c in late.caption)


def chart_titles(at) -> list[str]:
    found = []
    for chart in at.get("vega_lite_chart"):
        title = json.loads(chart.proto.spec).get("title", {})
        text = title.get("text", "") if isinstance(title, dict) else title
        found.append(" ".join(text) if isinstance(text, list) else text)
    return found


def counts_shown(at) -> int:
    found = [int(m.group(1)) for m in re.finditer(r"### (\d+) answered", texts(at))]
    assert len(found) == 1, texts(at)
    return found[0]


def test_a_question_to_the_room_its_reveal_and_the_played_guess_match_translate(model):
    speaker, code = open_room(lesson="alpha")
    phones = [phone(code) for _ in range(3)]
    click(speaker, "room_ask")
    q = rooms.store().room(code).question
    translation = model.translate(SENTENCE)
    assert q.kind == "word" and q.stage == "asked" and len(q.options) == len(translation.source_tokens)
    assert counts_shown(speaker) == 0
    for ph in phones:
        show(ph)
        assert [ph.button(key=f"room_vote_{q.id}_{k}").label for k in range(len(q.options))] == list(q.options)
    # Votes: phone 0 changes its mind, phone 2 presses twice; one vote each.
    click(phones[0], f"room_vote_{q.id}_0")
    click(phones[0], f"room_vote_{q.id}_2")
    click(phones[1], f"room_vote_{q.id}_2")
    click(phones[2], f"room_vote_{q.id}_5")
    click(phones[2], f"room_vote_{q.id}_5")
    assert "Your answer: " in texts(phones[0])
    counts = rooms.store().tally(code, q)
    assert sum(counts) == 3 and counts[2] == 2 and counts[5] == 1
    show(speaker)
    assert counts_shown(speaker) == 3

    click(speaker, "room_reveal")
    assert rooms.store().room(code).question.stage == "revealed"
    titles = chart_titles(speaker)
    assert f"Step {q.step}: the room's answers, the model's α and the gold alignment" in titles, titles
    # After the reveal a vote is refused, with a message; nothing is counted.
    show(phones[1])
    assert not [b for b in phones[1].button if b.key and b.key.startswith("room_vote_")]
    assert "The answers are on the speaker's screen." in texts(phones[1])
    with pytest.raises(rooms.RoomError):
        rooms.store().vote(code, q.id, "late-voter-01", 0)
    assert rooms.store().tally(code, q) == counts

    click(speaker, "room_play")
    shares = np.asarray(counts, np.float64) / 3
    own = model.translate(SENTENCE)
    guessed = model.translate(SENTENCE, attention_overrides={q.step: shares})
    i = q.step - 1
    np.testing.assert_allclose(guessed.steps[i].trace.alpha, shares, atol=1e-6)
    shown = texts(speaker)
    assert f"At step {q.step} the model would write **{guessed.steps[i].chosen}**" in shown
    assert f"(its own: **{own.steps[i].chosen}**)" in shown
    gap = float(np.linalg.norm(guessed.steps[i].trace.context - own.steps[i].trace.context))
    assert f"‖c′ − c‖ = {gap:.3f}" in shown
    redecoded = next(line for line in shown.splitlines() if line.startswith("Re-decoded with the room's α"))
    assert re.findall(r"`([^`]+)`", redecoded) == guessed.target_tokens
    changed = [w for w, o in zip(guessed.target_tokens, own.target_tokens, strict=False) if w != o]
    assert all(f"**`{w}`**" in redecoded for w in changed)


def test_two_rooms_side_by_side_never_see_each_others_screens_or_votes():
    speaker_a, code_a = open_room(lesson="alpha")
    speaker_b, code_b = open_room(lesson="masking")
    assert code_a != code_b
    phone_a, phone_b = phone(code_a), phone(code_b)
    assert phone_a.session_state["v_lesson"] == "alpha" and phone_b.session_state["v_lesson"] == "masking"
    click(speaker_b, "room_ask")
    qb = rooms.store().room(code_b).question
    assert qb.kind == "choice" and rooms.store().room(code_a).question is None
    show(phone_a)
    show(phone_b)
    assert not [b for b in phone_a.button if b.key and b.key.startswith("room_vote_")]
    click(phone_b, f"room_vote_{qb.id}_0")
    press(speaker_a, "lesson_next")
    show(phone_a)
    show(phone_b)
    assert phone_a.session_state["v_lesson"] == "masking" and phone_b.session_state["v_lesson"] == "masking"
    assert rooms.store().room(code_a).question is None and rooms.store().tally(code_b, qb) == [1, 0]
    press(speaker_b, "lesson_next")
    show(phone_a)
    assert phone_a.session_state["v_lesson"] == "masking"  # room b's move is not room a's
    assert show(phone_b).session_state["v_lesson"] == "pitfall"


def test_an_audience_session_trying_the_speakers_actions_is_refused_and_nothing_changes():
    speaker, code = open_room(lesson="alpha")
    click(speaker, "room_ask")
    before = rooms.store().room(code)
    # A phone on the room's link that switches presenter mode on: the slide's buttons are there, refused.
    intruder = phone(code)
    intruder.switch_page("pages/lesson.py")
    intruder.query_params["present"] = "1"
    show(intruder)
    for key in ("room_reveal", "room_withdraw"):
        click(intruder, key)
        assert any("Only the speaker's browser can do this in room" in w for w in warnings(intruder)), key
        assert rooms.store().room(code) == before
    click(speaker, "room_withdraw")
    before = rooms.store().room(code)
    show(intruder)
    click(intruder, "room_ask")
    assert any("Only the speaker's browser can do this" in w for w in warnings(intruder))
    assert rooms.store().room(code) == before
    # The speaker's own presses go on moving the room.
    press(speaker, "lesson_next")
    assert rooms.store().room(code).version > before.version


@pytest.mark.parametrize("raw", ["ZZZZZZ", "../etc", "s5du"])
def test_a_guessed_or_nonsense_code_says_so_and_changes_nothing(raw):
    at = run(None, room=raw)
    shown = "\n".join(warnings(at))
    if rooms.normalize_code(raw):  # a code of the right shape that no room has
        assert f"Room {raw} has ended, or there is no such room" in shown
    else:  # not a code at all: the link's notice, as for any bad value
        assert f"The link's value room={escape_markdown(raw)} makes no sense here" in shown
    assert at.session_state["v_room"] == "" and not following(at)
