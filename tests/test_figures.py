"""Figures and their exports: charts while small, images when large, PNG and SVG offline."""

from __future__ import annotations

import io

import altair as alt
import numpy as np
import pytest
from PIL import Image

from ui import figures

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
