"""The pages that take a sentence handle the longest toy sentences (four clauses, up to 59 tokens)
as they do short ones: the step page computes every step, masking pads the batch, the
alignment map checks the whole translation."""

from __future__ import annotations

import pytest

from tests.support.apptest import run, texts


def test_the_sentence_is_long(longest):
    assert len(longest.split()) >= 45 and longest.count(" and ") == 3


@pytest.mark.parametrize("eq", ["1", "5", "7"])
def test_step_page_last_step(longest, eq):
    at = run("step_through", text=longest, step="999", eq=eq)
    assert any("does not exist" in w.value for w in at.warning)  # clamped to the last step, said so
    n = int(at.query_params["step"])
    assert n >= len(longest.split()) and at.select_slider[0].value == n
    assert at.subheader[0].value.startswith(f"{eq}. ")


def test_masking_pads_a_long_row(longest):
    at = run("masking", batch=f"the cat sees a dog\n{longest}")
    table = at.dataframe[0].value  # the no-mask side: words per row, then α on padding
    assert table.iloc[:, 0].tolist() == [5, len(longest.split())]
    assert table.iloc[0, 1] > 0.1  # the short row, padded to the long one, leaks onto padding


def test_alignment_map_checks_the_whole_long_translation(longest):
    at = run("alignment", text=longest)
    n = len(longest.split())
    assert f"of {n} output words" in texts(at)
