"""Figures and their exports: charts while small, images when large, PNG and SVG offline."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from ui import figures

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_small_heatmap_is_a_chart_with_png_and_svg_exports():
    alpha = np.array([[0.9, 0.1], [0.2, 0.8]])
    figure = figures.heatmap(alpha, ["le", "chat"], ["the", "cat"], "α", "i", "j", "α")
    assert figure.chart is not None and figure.image is None
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
    assert figure.chart is None and figure.svg() is None
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
