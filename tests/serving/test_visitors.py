"""Where a visitor's presses of "Next" lead, and the sentences visitors open (``serving.visitors``)."""

from __future__ import annotations

from serving.visitors import advance, position, sentences, walk


def test_walk_visits_every_equation_then_the_next_step():
    assert [walk(i, 3) for i in range(9)] == [(1, e) for e in range(1, 8)] + [(2, 1), (2, 2)]
    assert walk(7 * 3, 3) == (1, 1)  # past the last step it starts over


def test_sentences_are_distinct():
    tokens = sentences(50, seed=7)
    assert len(tokens) == len(set(tokens)) == 50


def test_next_advances_one_equation_then_the_next_step():
    assert advance((1, 1)) == (1, 2)
    assert advance((2, 7)) == (3, 1)
    assert position("text=a+b&step=3&eq=5") == (3, 5)
    assert position("text=a+b") == (1, 1)  # the app leaves defaults out of its links
