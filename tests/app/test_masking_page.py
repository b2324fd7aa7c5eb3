"""The masking page says what it shows: undefined cells keep a label that fits, no strategy is
compared with itself, the leak callout is about the step on screen, and a changed output word
is explained in words."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PIL import ImageFont

from tests.support.apptest import run

SMALL_COLUMN_PX = 75  # st.column_config width="small"
CELL_PADDING_PX = 8  # the data grid's padding on each side of a cell's text
GRID_FONT_PX = 14
# Wider than the grid's Source Sans, so a label that fits here fits on screen.
FONTS = {
    "en": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "zh": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
}
FULLY_PADDED_BATCH = "the cat sees a dog\n\nthe big red car sees a small dog"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_undefined_cell_label_fits_its_small_column(lang):
    at = run("masking", strategy="neg_inf", batch=FULLY_PADDED_BATCH, lang=lang)
    chosen = at.dataframe[1]
    assert np.isnan(chosen.value.iloc[1, 1]) and np.isnan(chosen.value.iloc[1, 2])  # α on pad and ‖Δc‖: undefined
    label = chosen.proto.placeholder
    width = ImageFont.truetype(FONTS[lang], GRID_FONT_PX).getlength(label)
    assert label and width <= SMALL_COLUMN_PX - 2 * CELL_PADDING_PX, (label, width)
    assert at.error, "the explanation of the undefined cells stays on the page"


@pytest.mark.parametrize("strategy", ["none", "correct", "neg_inf", "large_negative", "min_fill"])
def test_no_strategy_is_compared_with_itself(strategy):
    at = run("masking", strategy=strategy)
    left, right = (s.value for s in at.subheader[:2])
    assert left != right
    expected_left = "With: correct mask" if strategy == "none" else "Without a mask"
    assert left == expected_left and (right == "Without a mask") == (strategy == "none")
    leak_left, leak_right = (d.value.iloc[:, 1].to_numpy() for d in at.dataframe[:2])
    if strategy == "none":
        assert np.all(leak_left == 0) and leak_right[0] > 0.5  # the correct mask beside the leaking one


def test_the_leak_callout_is_about_the_step_shown():
    at = run("masking")
    n_steps = len(at.select_slider[0].options)
    assert n_steps > 1
    for step in range(1, n_steps + 1):
        at = run("masking", strategy="correct", step=str(step))
        assert at.select_slider[0].value == step
        callout = at.info[0].value
        assert callout.startswith(f"At step {step}, the step shown,"), callout
        no_mask = at.dataframe[0].value  # the left side: no mask
        words, leak = no_mask.iloc[:, 0].to_numpy(), no_mask.iloc[:, 1].to_numpy()
        row = int(np.argmax(np.where(words > 0, leak, -1.0)))
        assert f"in row {row + 1}: α on padding = {leak[row]:.2f}." in callout
        others = re.findall(r"the most is in row \d+ at step (\d+)", callout)
        go = next(b for b in at.button if b.label.startswith("Go to step"))
        worst = int(go.label.rsplit(" ", 1)[1])
        assert others == ([] if worst == step else [str(worst)])
        assert go.disabled == (worst == step)


@pytest.mark.parametrize(
    ("lang", "story"),
    [
        ("en", "Row 1 writes “{got}” where the correct mask writes “{right}”"),
        ("zh", "第 1 行输出“{got}”，而正确的掩码输出“{right}”"),
    ],
)
def test_a_changed_output_word_is_explained(lang, story):
    at = run("masking", lang=lang)
    no_mask = at.dataframe[0].value
    got, right = no_mask.iloc[0, 3].split(" ≠ ")  # the example batch's first row changes its word without a mask
    assert got != right
    start = story.format(got=got, right=right)
    stories = [c.value for c in at.caption if c.value.startswith(start)]
    assert len(stories) == 1, [c.value for c in at.caption]
    assert f"‖Δc‖ = {no_mask.iloc[0, 2]:.2f}" in stories[0] and f"{no_mask.iloc[0, 1]:.2f}" in stories[0]
    unchanged = [k for k in range(len(no_mask)) if "≠" not in no_mask.iloc[k, 3]]
    for k in unchanged:  # only the rows whose word changed get a story
        assert not any(c.value.startswith((f"Row {k + 1} writes", f"第 {k + 1} 行输出")) for c in at.caption)


CAUSAL_TITLE = {"en": "The Transformer's own mask: the causal one", "zh": "Transformer 自己的掩码：因果掩码"}
LONG_ROW = "the big dog sees a small cat in the house"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_causal_mask_is_shown_by_the_two_transformers_figures_and_translations(lang):
    from attention_core import load_pretrained
    from attention_core.evaluation.metrics import percent
    from attention_core.evaluation.table import load_table

    at = run("masking", batch=f"the cat\n{LONG_ROW}", lang=lang)
    assert CAUSAL_TITLE[lang] in [s.value for s in at.subheader]
    table = at.dataframe[3].value  # after the two sides and the Transformer's padding
    models = load_table()["models"]
    for column, kind in enumerate(("transformer", "transformer_no_causal_mask"), start=1):
        overall = models[kind]["overall"]
        expected = [percent(overall[k]) for k in ("teacher_forced_exact_match", "exact_match", "word_accuracy")]
        assert list(table.iloc[:, column]) == expected
    causal = load_pretrained("transformer").translate(LONG_ROW).target_tokens  # the batch's longest row
    leaky = load_pretrained("transformer_no_causal_mask").translate(LONG_ROW).target_tokens
    line = next(m.value for m in at.markdown if "`" in m.value and "\n" in m.value)
    first, second = line.split("\n")
    assert first.rstrip().endswith(" ".join(f"`{w}`" for w in causal)) and "**" not in first
    assert [w.strip("*`") for w in re.split(r"[:：]\s*", second, maxsplit=1)[1].split()] == list(leaky)
    assert "**" in second  # it writes other words, and they are marked
    n = len(causal) + 1  # and <end>
    assert any(f"{n} of its {n}" in m.value or f"{n} 个词中写对 {n} 个" in m.value for m in at.markdown)


@pytest.mark.parametrize("params", [{"model": "toy_en_zh"}, {"present": "1"}])
def test_the_causal_mask_is_not_shown_without_a_french_transformer_pair_nor_on_a_slide(params):
    at = run("masking", **params)
    assert CAUSAL_TITLE["en"] not in [s.value for s in at.subheader]


def test_the_transformers_padding_mask_reads_no_padding_and_each_row_writes_what_it_writes_alone():
    from attention_core import load_pretrained

    rows = ["cat", "the cat sees a dog", "", "the big red car sees a small dog behind the old house"]
    at = run("masking", batch="\n".join(rows))
    (table,) = [d.value for d in at.dataframe if "α on pad, no mask (most)" in d.value.columns]
    transformer = load_pretrained("transformer")
    assert list(table["row"]) == [1, 2, 4]  # the fully padded row has no words to write
    for _, line in table.iterrows():
        alone = transformer.translate(rows[line["row"] - 1]).target_tokens
        assert line["with the mask"] == " ".join(alone)  # the mask makes the padded row its own sentence
    assert table["α on pad, no mask (most)"].iloc[0] > 0.5  # a one-word row reads mostly padding unmasked
    assert table["without it"].iloc[0] != table["with the mask"].iloc[0]
