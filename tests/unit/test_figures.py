"""Figures and their exports: charts while small, images when large, PNG and SVG offline."""

from __future__ import annotations

import io

import altair as alt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from ui.charts import figures

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_small_heatmap_is_a_chart_with_png_and_svg_exports():
    alpha = np.array([[0.9, 0.1], [0.2, 0.8]])
    figure = figures.heatmap(alpha, ["le", "chat"], ["the", "cat"], "α", "i", "j", "α")
    assert figure.is_chart and figure.image is None
    png = figure.png()
    assert png.startswith(PNG_MAGIC)
    assert Image.open(io.BytesIO(png)).size[0] > 100
    svg = figure.svg().decode("utf-8")
    assert svg.lstrip().startswith("<svg") and "chat" in svg  # the labels are in the drawing


def test_chinese_labels_reach_the_svg():
    figure = figures.bars(np.array([0.5, 0.5]), ["我", "你"], "α", "源词", "α")
    assert "我" in figure.svg().decode("utf-8")


def test_large_matrix_is_an_image_not_one_mark_per_cell():
    matrix = np.random.default_rng(0).random((200, 200))
    figure = figures.heatmap(matrix, [f"w{k}" for k in range(200)], [f"v{k}" for k in range(200)], "α", "i", "j", "α")
    assert not figure.is_chart and figure.svg() is None
    image = Image.open(io.BytesIO(figure.png()))
    assert image.size == (200 * figures.CELL_PIXELS, 200 * figures.CELL_PIXELS)


def test_image_colours_follow_the_values_and_mark_nan():
    matrix = np.array([[0.0, 1.0, np.nan]] * 31)  # 93 cells: under the mark limit, so force the image path
    rgb = figures._colours(matrix, 0.0, 1.0)
    assert tuple(rgb[0, 0]) == tuple(figures._VIRIDIS[0].astype(np.uint8))
    assert tuple(rgb[0, 1]) == tuple(figures._VIRIDIS[-1].astype(np.uint8))
    assert tuple(rgb[0, 2]) == (255, 0, 255)


def test_repeated_words_keep_distinct_labels():
    assert figures.unique_labels(["the", "cat", "the"]) == ["1 the", "2 cat", "3 the"]


@pytest.mark.parametrize("domain", [None, (-1.0, 1.0)])
def test_heatmap_spec_is_valid_vega_lite_with_its_own_data(domain):
    """The spec is built from a cached layout plus this matrix's records: it still validates, and
    the records are this matrix's (NaN as null, the dark flag from the middle of the scale)."""
    matrix = np.array([[0.9, -0.5], [np.nan, 0.2]])
    figure = figures.heatmap(matrix, ["le", "chat"], ["the", "cat"], "t", "i", "j", "v", domain=domain)
    spec = figure.spec()
    alt.LayerChart.from_dict(spec)  # raises on a spec that is not valid Vega-Lite
    values = spec["data"]["values"]
    assert [r["value"] for r in values] == [0.9, -0.5, None, 0.2]
    middle = 0.0 if domain else (0.9 - 0.5) / 2
    assert [r["dark"] for r in values] == [v is not None and v > middle for v in (0.9, -0.5, None, 0.2)]
    again = figures.heatmap(matrix * 2, ["le", "chat"], ["the", "cat"], "t", "i", "j", "v", domain=domain)
    assert again.spec()["data"]["values"][0]["value"] == 1.8 and spec["data"]["values"][0]["value"] == 0.9


def test_bars_spec_is_valid_vega_lite():
    figure = figures.bars(np.array([0.7, 0.3]), ["le", "chat"], "α", "j", "α")
    alt.Chart.from_dict(figure.spec())
    assert [r["value"] for r in figure.spec()["data"]["values"]] == [0.7, 0.3]


def test_heatmaps_of_other_words_share_one_layout_and_keep_their_order():
    """A new sentence reuses the cached layout (rows and columns ordered by their positions, the
    words are data), so the SVG still draws the rows top to bottom in the sentence's order."""
    matrix = np.array([[0.9, 0.1], [0.2, 0.8], [0.5, 0.5]])
    first = figures.heatmap(matrix, ["zoo", "ant", "moth"], ["a1", "a2"], "t", "source", "dim")
    other = figures.heatmap(matrix, ["yak", "bee", "cat"], ["a1", "a2"], "t", "source", "dim")
    layout = {key: value for key, value in first.spec().items() if key != "data"}
    assert layout == {key: value for key, value in other.spec().items() if key != "data"}
    svg = first.svg().decode("utf-8")
    assert svg.index("1 zoo") < svg.index("2 ant") < svg.index("3 moth")  # not alphabetical


def test_a_new_title_and_wider_labels_reuse_the_built_layout_and_reach_the_spec():
    """The title names the step and the label width follows the words, so both change from
    step to step: they are filled into the cached layout, never a reason to build it again."""
    matrix = np.array([[0.9, 0.1]])
    figures.heatmap(matrix, ["le"], ["a", "b"], "step 1", "source", "dim")
    figures.bars(np.array([0.7, 0.3]), ["le", "chat"], "α at step 1", "j", "α")
    heatmap_builds = figures._heatmap_template.cache_info().misses
    bars_builds = figures._bars_template.cache_info().misses
    wide = figures.heatmap(matrix, ["le"], ["elephants", "b"], "step 2 of a longer title here", "source", "dim")
    bar = figures.bars(np.array([0.7, 0.3]), ["le", "hippopotame"], "α at step 2", "j", "α")
    assert figures._heatmap_template.cache_info().misses == heatmap_builds
    assert figures._bars_template.cache_info().misses == bars_builds
    spec, bar_spec = wide.spec(), bar.spec()
    alt.LayerChart.from_dict(spec)
    alt.Chart.from_dict(bar_spec)
    assert spec["layer"][0]["title"]["text"] == figures.title_lines("step 2 of a longer title here")
    assert bar_spec["title"]["text"] == ["α at step 2"]
    upright = figures._upright_px(figures._widest(figures.axis_labels(["elephants", "b"])))
    assert spec["layer"][0]["encoding"]["x"]["axis"]["labelAngle"]["expr"] == f"bandwidth('x') >= {upright} ? 0 : -90"
    upright = figures._upright_px(figures._widest(figures.axis_labels(["le", "hippopotame"])))
    assert bar_spec["encoding"]["x"]["axis"]["labelAngle"]["expr"] == f"bandwidth('x') >= {upright} ? 0 : -90"
    assert "\x00" not in str(spec) + str(bar_spec)  # no placeholder left
    again = figures.heatmap(matrix, ["le"], ["a", "b"], "step 1", "source", "dim").spec()
    assert again["layer"][0]["title"]["text"] == ["step 1"]  # filling one figure never changed the cached layout


def test_screen_data_is_arrow_with_the_records_values():
    """What Streamlit is given (an Arrow table) holds what an export writes (records), NaN as null."""
    figure = figures.heatmap(np.array([[0.9, np.nan]]), ["le"], ["the", "cat"], "t", "i", "j")
    table = figure.on_screen()["data"]["values"]
    assert table.to_pylist() == figure.spec()["data"]["values"]
    assert table.column("value").null_count == 1
    assert figure.on_screen() is figure.on_screen()  # built once per figure
    slide = figure.on_screen(slide=True, marks=True, height=180)
    assert slide["height"] == 180 and slide["data"]["values"] is not None


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_arrow_table_equals_pyarrows_own_conversion(dtype):
    """The fast path (a cached schema, the values put under it) gives the very table
    ``pa.Table.from_pandas`` gives: the same values, index and pandas metadata."""
    import pandas as pd
    import pyarrow as pa

    matrix = np.random.default_rng(1).random((4, 5)).astype(dtype)
    matrix[1, 2] = np.nan
    frames = [
        figures.frame(matrix, ["the", "cat", "the", "dog"], [f"a{k}" for k in range(1, 6)]),
        pd.DataFrame({"word": ["le", "chat"], "P": [0.25, 0.75]}, index=["1 le", "2 chat"]),
        pd.DataFrame({"P": [0.25, 0.75]}),  # a plain range index: pyarrow's own path
    ]
    for frame in frames:
        for _ in range(2):  # the second conversion uses the cached schema
            ours, theirs = figures.arrow_table(frame), pa.Table.from_pandas(frame)
            assert ours.equals(theirs) and ours.schema.equals(theirs.schema, check_metadata=True)


def test_compare_bars_share_one_layout_and_keep_both_series():
    first = figures.compare_bars(np.array([0.1, 0.9]), np.array([1.0, 0.0]), ["the", "cat"], "t", "j", "α", ("a", "b"))
    other = figures.compare_bars(np.array([0.5]), np.array([0.5]), ["dog"], "t2", "j", "α", ("a", "b"))
    spec = first.spec()
    alt.Chart.from_dict(spec)  # a valid Vega-Lite spec
    assert [(r["token"], r["series"], r["value"]) for r in spec["data"]["values"]] == [
        ("1 the", "a", 0.1),
        ("1 the", "b", 1.0),
        ("2 cat", "a", 0.9),
        ("2 cat", "b", 0.0),
    ]
    assert first._layout["encoding"] == other._layout["encoding"]  # one cached layout, only the data differs


def test_beam_tree_draws_kept_pruned_and_the_best_path():
    from attention_core.decoding.translator import BeamNode

    nodes = [
        BeamNode(0, None, 0, "<start>", 0.0, True, True),
        BeamNode(1, 0, 1, "la", -0.01, True, True),
        BeamNode(2, 0, 1, "le", -4.2, True, False),
        BeamNode(3, 0, 1, "les", -6.5, False, False),
    ]
    spec = figures.beam_tree(nodes, "tree", "i", "pruned").spec()
    alt.LayerChart.from_dict(spec)
    words = [d["word"] for ds in spec["datasets"].values() for d in ds if "word" in d]
    assert words[:4] == ["<start> 0.00", "la −0.01", "le −4.20", "les −6.50"]


# --- a long map on slides: windows of output words beside the source words they look at


def test_map_windows_of_a_diagonal_map():
    alpha = np.eye(30)
    windows = figures.map_windows(alpha, rows=14, columns=24)
    assert [(r.start, r.stop) for r, _ in windows] == [(0, 14), (14, 28), (28, 30)]
    assert [(c.start, c.stop) for _, c in windows] == [(0, 24), (6, 30), (6, 30)]  # centred, then moved inside


def test_a_map_that_fits_is_one_window_of_all_of_it():
    (rows, columns), *rest = figures.map_windows(np.full((5, 8), 1 / 8))
    assert not rest and rows == range(5) and columns == range(8)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 59),
    st.integers(1, 59),
    st.integers(1, 20),
    st.integers(1, 30),
    st.integers(0, 2**31 - 1),
)
def test_map_windows_cover_every_row_once_and_keep_their_size(n_rows, n_cols, rows, columns, seed):
    alpha = np.random.default_rng(seed).random((n_rows, n_cols))
    windows = figures.map_windows(alpha, rows=rows, columns=columns)
    assert [i for r, _ in windows for i in r] == list(range(n_rows))  # in order, each output word once
    for row_range, col_range in windows:
        assert 1 <= len(row_range) <= rows
        assert len(col_range) == min(columns, n_cols) and col_range.start >= 0 and col_range.stop <= n_cols
        looked = alpha[row_range.start : row_range.stop].argmax(axis=1)
        if looked.max() - looked.min() < columns:  # the words looked at fit a window: it holds them all
            assert all(j in col_range for j in looked)


def test_map_window_numbers_words_by_the_whole_sentence_and_moves_the_reference():
    alpha = np.arange(20.0).reshape(4, 5)
    part, rows, cols, gold = figures.map_window(
        alpha, ["a", "b", "c", "d"], ["p", "q", "r", "s", "t"], range(1, 3), range(2, 5), gold=(0, 3, 1, 4)
    )
    np.testing.assert_array_equal(part, [[7, 8, 9], [12, 13, 14]])
    assert rows == ["2 b", "3 c"] and cols == ["3 r", "4 s", "5 t"]
    assert gold == [1, -1]  # row 2's word 4 is the window's second column; row 3's word 2 is outside it
    assert figures.map_window(alpha, list("abcd"), list("pqrst"), range(2), range(5))[3] is None
