"""An exported figure is in one font, title to cell numbers, and its subtitle is clean: the sentence
without quotes (the figures' CJK font draws “ ” an em wide) and "step i → word" whole on a line of its own."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from ui.charts import figures
from ui.widgets import exports

FONT_KEYS = {"font", "labelFont", "titleFont", "subtitleFont"}


def fonts_of(value, found=None) -> set[str]:
    """Every font named anywhere in a spec."""
    found = set() if found is None else found
    if isinstance(value, dict):
        for key, item in value.items():
            if key in FONT_KEYS and isinstance(item, str):
                found.add(item)
            fonts_of(item, found)
    elif isinstance(value, list):
        for item in value:
            fonts_of(item, found)
    return found


def alignment_map(n: int):
    alpha = np.full((n, n), 0.1 / n) + np.eye(n) * 0.9
    words = [f"w{k}" for k in range(n)]
    return figures.word_map(alpha, words, words, "α: final", "output word i", "source word j", "α",
                            domain=(0.0, 1.0), gold=list(range(n)), gold_title="reference alignment")  # fmt: skip


@pytest.mark.parametrize("n", [5, 59])  # marks per cell, and one picture under the axes
def test_every_text_of_an_export_is_in_the_figures_font(n):
    exported = figures.with_subtitle(alignment_map(n), exports.about("the cat sees a dog", 1, "le"))
    spec = json.loads(exported._export_spec())
    assert spec["config"]["font"] == figures._FONT  # texts without a font of their own: axis and legend titles
    assert fonts_of(spec) == {figures._FONT}
    svg = exported.svg().decode("utf-8")
    families = set(re.findall(r'font-family="([^"]+)"', svg))
    assert families and all(family.startswith("Noto Sans CJK SC") for family in families), families


def test_the_subtitle_keeps_the_step_whole_on_its_own_line_without_quotes():
    sentence = "the little cat sees a dog under the big black cat"
    caption = exports.about(sentence, 1, "les")
    assert caption == f"Sentence: {sentence}\nstep 1 → les"
    lines = figures.title_lines(caption)
    assert lines[-1] == "step 1 → les" and " ".join(lines[:-1]) == f"Sentence: {sentence}"
    assert all(len(line) <= figures.TITLE_CHARS for line in lines)
    spec = figures.with_subtitle(alignment_map(5), caption).spec()
    titles = [spec["title"]] if "title" in spec else [layer["title"] for layer in spec["layer"] if "title" in layer]
    assert titles and all(title["subtitle"] == lines for title in titles)
    assert not any(mark in caption for mark in '“”"/')
