"""Charts of tensors: Altair with tooltips while small, an image when large.

Streamlit-free, and so is every import here: the pages and ``docs/notebook.ipynb`` draw the same
figures from the same functions. Labels and titles come in as arguments, in any language.

An Altair heatmap draws one Vega mark per cell; measured here it costs about 0.4 s to
update at 20×20 and over 1 s at 200×200 in a browser, while an image of the same
matrix costs about what a bare page does. Above ``MAX_MARKS`` cells a matrix is drawn
as an image; the table beside it keeps every value.
"""

from __future__ import annotations

import base64
import functools
import io
import json
import math
import re
from dataclasses import dataclass, field, replace

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa
from PIL import Image

MAX_MARKS = 900  # cells drawn as Vega marks; beyond this, an image
CELL_PIXELS = 12  # image cell size, so a 200×200 matrix is 2400 px wide before the browser scales it
# A few stops of the viridis map, interpolated in numpy: the image and the charts share colours.
_VIRIDIS = np.array(
    [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]],
    dtype=np.float64,
)
_FONT = "Noto Sans CJK SC, Noto Sans, sans-serif"  # Chinese labels need a CJK font in every renderer
ROW_PIXELS = 28  # the usual least height of a heatmap row: its label stays readable
MIN_ROW_PIXELS = 22  # the least a caller may ask for (a slide's map): an 18 px label with its line still fits
BATCH_ROW_PIXELS = 56  # a batch row writes its words in the cells, turned a quarter when narrow
CELL_TEXT_BAND = 34  # least column width, in pixels, that prints a cell's value ("0.95" at 10 px)
EXPORT_CELL = 44  # column width in an exported figure: every cell's value fits
EXPORT_SCALE = 2  # exported PNGs: twice the screen scale, sharp on a projector
LABEL_LIMIT = 110  # pixels of an axis label before it ends in "…"
LABEL_GAP = 2  # least pixels between two column labels drawn
TITLE_CHARS = 34  # a chart title wraps at this many characters (a 390 px phone)
SLIDE_WORD_COLUMNS = 12  # a batch of at most this many positions writes its words in the cells on a slide
WORD_CHARS = 8  # characters of a word written in a batch cell before "…"
NAN_COLOUR = "#d62728"
GOLD_COLOUR = "#ff3b6b"  # the outline of a reference-alignment cell: seen on viridis purple and yellow alike
PICTURE_ROW_PIXELS = 16  # a long sentence's map: rows of one picture, each label still 11 px readable
# The chart takes the width of its column, and its height is the plot's (rows × ROW_PIXELS) plus
# its axes, legend and title. Streamlit's default, "fit", would squeeze all of that into the plot height.
_FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
# Drawn as SVG in the browser: crisp at any zoom, and each label is text a test or a screen reader can read.
_SVG = {"embedOptions": {"renderer": "svg"}}
NOT_A_NUMBER = "not a number"  # words, in the tooltip of a NaN cell


def window(start: int, size: int, total: int) -> range:
    """``size`` consecutive positions of ``total`` from ``start``, moved back inside ``0 … total − 1``:
    the part of a long sentence a chart (or a line) shows."""
    start = min(max(start, 0), max(total - size, 0))
    return range(start, min(start + size, total))


def unique_labels(tokens: list[str]) -> list[str]:
    """Axis labels that stay distinct when a word repeats ("the" twice): ``"1 the"``, ``"5 the"``."""
    return [f"{k + 1} {token}" for k, token in enumerate(tokens)]


def axis_labels(labels: list[str]) -> list[str]:
    """Labels as an axis shows them: words numbered (``"1 the"``), names that already carry a number
    (``"3"``, ``"a12"``, ``"s_1"``) left alone, so an axis never reads ``"1 1"``."""
    labels = [str(label) for label in labels]
    if len(set(labels)) == len(labels) and all(any(ch.isdigit() for ch in label) for label in labels):
        return labels
    return unique_labels(labels)


def title_lines(title: str, width: int = TITLE_CHARS) -> list[str]:
    """A chart title broken at spaces into lines of at most ``width`` characters: a Vega title never
    wraps by itself, so a long one would be cut on a phone. A line break in ``title`` always starts a
    new line (an export's "step 1 → les" stays whole on its own line)."""
    lines: list[str] = []
    for paragraph in title.split("\n"):
        start = len(lines)
        for word in paragraph.split(" "):
            if len(lines) > start and len(lines[-1]) + 1 + len(word) <= width:
                lines[-1] += " " + word
            else:
                lines.append(word)
    return lines or [""]


def _title(title: str) -> alt.TitleParams:
    return alt.TitleParams(text=title_lines(title), anchor="start", font=_FONT, fontSize=13)


@dataclass
class Figure:
    """A chart (an Altair chart, a whole Vega-Lite spec, or a cached layout and its data) or an
    image, with what export needs."""

    chart: alt.Chart | None
    image: Image.Image | None
    title: str
    height: int | str = "content"  # of the element on screen; "content": the chart's own size
    export_width: int | None = None  # plot width in a PNG or SVG: wide enough for every cell number
    _spec: dict | None = field(default=None, repr=False, compare=False)
    # A layout shared by every figure of its shape, and this figure's data, one array per field:
    # the screen gets the data as Arrow, an export as records, and neither is made until asked for.
    _layout: dict | None = field(default=None, repr=False, compare=False)
    _columns: dict | None = field(default=None, repr=False, compare=False)
    _on_screen: dict = field(default_factory=dict, repr=False, compare=False)
    picture: bool = False  # a chart whose cells are one picture under its axes (no value per cell to hover)
    slide_marks: bool = False  # its text marks are raised to slide size on a slide, not left out (they fit)

    @property
    def is_chart(self) -> bool:
        return self.chart is not None or self._spec is not None or self._layout is not None

    def spec(self) -> dict:
        """The chart's Vega-Lite spec with its data as records, built once. Unvalidated: Altair's
        schema check costs more than drawing (tens of ms a chart); ``test_figures`` validates the same specs."""
        if self._spec is None:
            if self._layout is not None:
                self._spec = {**self._layout, "data": {"values": _records(self._columns)}}
            else:
                self._spec = self.chart.to_dict(validate=False)
        return self._spec

    def on_screen(self, slide: bool = False, marks: bool = False, height: int | None = None) -> dict:
        """The spec as ``st.vega_lite_chart`` takes it, built once per form: on a slide (``slide_spec``)
        or not; a layout's data as an Arrow table. Streamlit would otherwise turn records into a
        DataFrame and then Arrow on every run, the largest part of a chart's server cost."""
        marks = marks or self.slide_marks
        form = (slide, marks, height)
        if form not in self._on_screen:
            if self._layout is not None:
                spec = {**self._layout, "data": {"values": _arrow(self._columns)}}
            else:  # an Altair chart: its data sits in named datasets, which Streamlit converts itself
                spec = dict(self.spec())
            if slide:
                spec = slide_spec(spec, marks=marks)
            if height is not None:
                spec["height"] = height
            self._on_screen[form] = spec
        return self._on_screen[form]

    def _export_spec(self) -> str:
        spec = {**self.spec(), "autosize": {"type": "pad"}}  # the plot keeps its own size
        # One font for every text: an axis or legend title, or a cell's number, without a font of its own
        # took the exporter's default (a serif one) under a sans title.
        spec["config"] = {**spec.get("config", {}), "font": _FONT}
        if self.export_width is not None:
            spec["width"] = self.export_width
        return json.dumps(spec)

    def png(self) -> bytes:
        """PNG at twice the screen scale (``EXPORT_SCALE``), for slides."""
        if self.is_chart:
            import vl_convert

            return vl_convert.vegalite_to_png(self._export_spec(), scale=EXPORT_SCALE)
        buffer = io.BytesIO()
        self.image.save(buffer, format="PNG")
        return buffer.getvalue()

    def svg(self) -> bytes | None:
        """SVG of a chart; None for an image figure (a raster has no vector form)."""
        if not self.is_chart:
            return None
        import vl_convert

        return vl_convert.vegalite_to_svg(self._export_spec()).encode("utf-8")


def _colours(values: np.ndarray, low: float, high: float) -> np.ndarray:
    span = high - low if high > low else 1.0
    x = np.clip((np.nan_to_num(values, nan=low) - low) / span, 0.0, 1.0) * (len(_VIRIDIS) - 1)
    k = np.minimum(np.floor(x).astype(int), len(_VIRIDIS) - 2)
    frac = (x - k)[..., None]
    rgb = _VIRIDIS[k] * (1 - frac) + _VIRIDIS[k + 1] * frac
    rgb[np.isnan(values)] = (255, 0, 255)  # NaN stands out in magenta
    return rgb.astype(np.uint8)


def _numbers(values: np.ndarray, spec: str, missing: str) -> list[str]:
    """``values`` written with format ``spec``, ``missing`` where not finite. Formats Python
    floats: numpy scalars format ~5× slower, and a new sentence's screens format thousands of cells."""
    values = np.asarray(values)
    return [
        format(value, spec) if finite else missing
        for value, finite in zip(values.tolist(), np.isfinite(values).tolist(), strict=True)
    ]


def _upright_px(widest: int) -> str:
    """The column width (px) from which labels of ``widest`` characters stand upright."""
    return str(widest * 7 + 6)


def _x_axis(title: str, upright_px: str) -> alt.Axis:
    """Column labels: upright while the columns are at least ``upright_px`` wide (``_upright_px``),
    turned a quarter when they are narrow (a phone), cut with "…" past ``LABEL_LIMIT`` pixels. Where
    even turned labels are wider than their columns (59 words on a phone), every label that would
    touch the one before it is left out ("greedy"), so those drawn stay readable."""
    upright = f"bandwidth('x') >= {upright_px}"
    return alt.Axis(
        title=title,
        labelOverlap="greedy",
        labelSeparation=LABEL_GAP,
        labelAngle=alt.expr(f"{upright} ? 0 : -90"),
        labelAlign=alt.expr(f"{upright} ? 'center' : 'right'"),
        labelBaseline=alt.expr(f"{upright} ? 'top' : 'middle'"),
        labelLimit=LABEL_LIMIT,
        labelFont=_FONT,
        labelFontSize=11,
    )


def _widest(labels) -> int:
    return max((len(label) for label in labels), default=1)


def _y_axis(title: str) -> alt.Axis:
    return alt.Axis(title=title, labelOverlap=False, labelLimit=LABEL_LIMIT, labelFont=_FONT, labelFontSize=11)


def _legend(title: str) -> alt.Legend:
    """Under the chart, horizontal: a phone keeps its width for the columns."""
    return alt.Legend(title=title, orient="bottom", direction="horizontal", gradientLength=160, titleFont=_FONT)


def _image_figure(matrix: np.ndarray, low: float, high: float, title: str) -> Figure:
    """A matrix too large for one mark per cell, as an image of ``CELL_PIXELS`` squares."""
    rgb = _colours(matrix, low, high)
    size = (max(1, matrix.shape[1]) * CELL_PIXELS, max(1, matrix.shape[0]) * CELL_PIXELS)
    return Figure(chart=None, image=Image.fromarray(rgb, "RGB").resize(size, Image.NEAREST), title=title)


CELL_FIELDS = ("row", "col", "r", "c", "value", "bad", "shown", "cell", "dark")


def _gold_cells(gold, n_rows: int, n_cols: int) -> np.ndarray:
    """``(n_rows, n_cols)`` booleans: row ``i``'s reference cell is column ``gold[i]``."""
    marked = np.zeros((n_rows, n_cols), bool)
    for i, j in enumerate(gold[:n_rows]):
        if 0 <= j < n_cols:
            marked[i, j] = True
    return marked


def _gold_layer(chart: alt.Chart, gold_title: str) -> alt.Chart:
    """The cells of ``chart``'s data whose ``gold`` is true, outlined, with a legend entry saying what they are.
    Its legend sits above the plot: beside the colour scale under it, it ran past a phone's edge ("refere…")."""
    return (
        chart.transform_filter("datum.gold")
        .mark_rect(filled=False, strokeWidth=2.5)
        .encode(
            stroke=alt.Stroke(
                "mark:N",
                scale=alt.Scale(domain=[gold_title], range=[GOLD_COLOUR]),
                legend=alt.Legend(title=None, orient="top", symbolType="square", labelFont=_FONT, labelLimit=400),
            )
        )
    )


def _cells(values: np.ndarray, rows: list[str], cols: list[str], mid: float) -> dict[str, np.ndarray | list]:
    """One entry per cell of a ``(rows, cols)`` matrix flattened row by row: its labels, their
    positions (``r``, ``c``: the axes' order), its value; ``dark``: its number is printed in black
    (a light cell, above the middle of the colour scale)."""
    finite = np.isfinite(values)
    return {
        "row": [row for row in rows for _ in cols],
        "col": list(cols) * len(rows),
        "r": np.repeat(np.arange(len(rows)), len(cols)),
        "c": np.tile(np.arange(len(cols)), len(rows)),
        "value": np.where(finite, values, np.nan),
        "bad": ~finite,
        "shown": _numbers(values, ".4f", NOT_A_NUMBER),
        "cell": _numbers(values, ".2f", ""),
        "dark": np.nan_to_num(values, nan=-np.inf) > mid,
    }


def heatmap(
    matrix: np.ndarray,
    row_labels: list[str],
    col_labels: list[str],
    title: str,
    row_title: str,
    col_title: str,
    value_title: str | None = None,
    domain: tuple[float, float] | None = None,
    row_pixels: int = ROW_PIXELS,
    gold: list[int] | tuple[int, ...] | None = None,
    gold_title: str = "",
) -> Figure:
    """``matrix`` ``(rows, cols)`` as a heatmap; rows top to bottom, columns left to right.

    Each cell prints its value only while its column is at least ``CELL_TEXT_BAND`` pixels
    wide, so numbers never overlap, whatever the screen; the tooltip always has the value.
    A NaN cell is drawn red and its tooltip says "not a number". ``gold``, one column per row
    (a reference alignment), outlines those cells, named ``gold_title`` in the legend.
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    value_title = value_title or "value"  # the pages pass their own language's word
    finite = matrix[np.isfinite(matrix)]
    low, high = domain or ((float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0))
    if matrix.size > MAX_MARKS:
        return _image_figure(matrix, low, high, title)
    rows, cols = axis_labels(row_labels), axis_labels(col_labels)
    values = matrix.reshape(-1)
    plot_height = max(MIN_ROW_PIXELS, row_pixels) * len(rows)  # every row label readable, however few rows
    with_nan = bool((~np.isfinite(values)).any())
    layout = _heatmap_template(row_title, col_title, value_title, domain, with_nan, gold_title if gold else None)
    columns = _cells(values, rows, cols, (low + high) / 2)
    if gold:
        columns["gold"] = _gold_cells(gold, *matrix.shape).reshape(-1)
        columns["mark"] = [gold_title] * len(values)
    return Figure(
        None,
        None,
        title,
        export_width=EXPORT_CELL * len(cols),
        _layout={**_fill_layout(layout, title, _widest(cols)), "height": plot_height},
        _columns=columns,
    )


def word_map(
    matrix: np.ndarray,
    row_labels: list[str],
    col_labels: list[str],
    title: str,
    row_title: str,
    col_title: str,
    value_title: str,
    domain: tuple[float, float] | None = None,
    row_pixels: int = ROW_PIXELS,
    gold: list[int] | tuple[int, ...] | None = None,
    gold_title: str = "",
) -> Figure:
    """A matrix between two sentences (α: output words × source words) that names its words at any length.

    Up to ``MAX_MARKS`` cells it is ``heatmap``. A larger one (a 40-word sentence) keeps the
    heatmap's axes, word labels, colour scale and ``gold`` outlines, but its cells are one
    picture under them (``_picture_url``): one mark instead of thousands, so it draws as fast as a small one.
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.size <= MAX_MARKS:
        args = (title, row_title, col_title, value_title, domain, row_pixels, gold, gold_title)
        return heatmap(matrix, row_labels, col_labels, *args)
    finite = matrix[np.isfinite(matrix)]
    low, high = domain or ((float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0))
    rows, cols = axis_labels(row_labels), axis_labels(col_labels)
    layout = _word_map_template(row_title, col_title, value_title, (low, high), gold_title if gold else None)
    spec = _fill_slots(_fill_layout(layout, title, _widest(cols)), {_ROWS_SLOT: rows, _COLS_SLOT: cols})
    datasets = {
        "picture": [{"url": _picture_url(matrix, low, high)}],
        "corner": [{"row": rows[0], "col": cols[0], "value": low}],  # carries the axes and the colour scale
    }
    if gold:
        marked = np.argwhere(_gold_cells(gold, *matrix.shape))
        shown = _numbers(matrix[marked[:, 0], marked[:, 1]], ".4f", NOT_A_NUMBER)
        datasets["gold"] = [
            {"row": rows[i], "col": cols[j], "gold": True, "mark": gold_title, "shown": value}
            for (i, j), value in zip(marked.tolist(), shown, strict=True)
        ]
    spec = {**spec, "height": PICTURE_ROW_PIXELS * len(rows), "datasets": datasets}
    return Figure(None, None, title, export_width=PICTURE_ROW_PIXELS * len(cols), _spec=spec, picture=True)


SLIDE_MAP_ROWS = 14  # output words on one slide of a long map: 14 rows of 22 px, each labelled at 18 px
SLIDE_MAP_COLUMNS = 24  # source words beside them: each column's 18 px label fits a slide's width


def map_windows(matrix: np.ndarray, rows: int = SLIDE_MAP_ROWS, columns: int = SLIDE_MAP_COLUMNS):
    """A long α map cut into slides: each slide ``rows`` consecutive output words, and the at most
    ``columns`` consecutive source words they look at most (their argmax, centred), so every word on
    a slide keeps its label at slide size. A map that fits is one window, the whole of it."""
    matrix = np.nan_to_num(np.asarray(matrix, dtype=np.float64), nan=-np.inf)
    n_rows, n_cols = matrix.shape
    out = []
    for start in range(0, max(n_rows, 1), rows):
        row_range = range(start, min(start + rows, n_rows))
        looked = matrix[row_range.start : row_range.stop].argmax(axis=1) if n_cols else np.zeros(0, int)
        out.append((row_range, looked_window(looked, columns, n_cols)))
    return out


def looked_window(looked: np.ndarray, columns: int, n_cols: int) -> range:
    """``columns`` consecutive source positions of ``n_cols`` centred on the positions ``looked`` at:
    it holds every one of them whenever they fit one window."""
    low, high = (int(np.min(looked)), int(np.max(looked))) if np.size(looked) else (0, 0)
    return window((low + high + 1 - columns) // 2, columns, n_cols)


def map_window(matrix, row_tokens, col_tokens, row_range: range, col_range: range, gold=None):
    """The part of a map in a window: its values, its words numbered by their place in the whole
    sentence ("15 et"), and the reference columns moved into the window (-1 outside it)."""
    part = np.asarray(matrix, dtype=np.float64)[row_range.start : row_range.stop, col_range.start : col_range.stop]
    row_labels = [f"{i + 1} {row_tokens[i]}" for i in row_range]
    col_labels = [f"{j + 1} {col_tokens[j]}" for j in col_range]
    part_gold = (
        None
        if gold is None
        else [
            (gold[i] - col_range.start if col_range.start <= gold[i] < col_range.stop else -1)
            for i in row_range
            if i < len(gold)
        ]
    )
    return part, row_labels, col_labels, part_gold


_ROWS_SLOT, _COLS_SLOT = "\x00rows", "\x00cols"  # a word map's axis domains, filled per figure


def _fill_slots(value, lists: dict[str, list[str]]):
    """A copy of a spec with every one-element list ``[slot]`` replaced by ``lists[slot]``."""
    if isinstance(value, dict):
        return {key: _fill_slots(item, lists) for key, item in value.items()}
    if isinstance(value, list):
        if len(value) == 1 and isinstance(value[0], str) and value[0] in lists:
            return lists[value[0]]
        return [_fill_slots(item, lists) for item in value]
    return value


@functools.lru_cache(maxsize=64)
def _word_map_template(
    row_title: str, col_title: str, value_title: str, domain: tuple[float, float], gold_title: str | None
) -> dict:
    """``word_map``'s Vega-Lite spec for a large matrix, without its words, picture, title or height, built once.

    Three layers over ordinal axes whose domains are the words: the picture stretched over the
    plot, an invisible corner cell that carries the colour scale's legend, the reference cells outlined.
    """
    x = alt.X("col:O", scale=alt.Scale(domain=[_COLS_SLOT]), sort=None, axis=_x_axis(col_title, _UPRIGHT_SLOT))
    y = alt.Y("row:O", scale=alt.Scale(domain=[_ROWS_SLOT]), sort=None, axis=_y_axis(row_title))
    picture = (
        alt.Chart(alt.NamedData(name="picture"))
        .mark_image(
            align="left",
            baseline="top",
            aspect=False,
            smooth=False,
            width=alt.ExprRef(expr="width"),
            height=alt.ExprRef(expr="height"),
        )
        .encode(x=alt.value(0), y=alt.value(0), url="url:N")
    )
    scale = alt.Scale(scheme="viridis", domain=list(domain))
    colour = alt.Color("value:Q", scale=scale, legend=_legend(value_title))
    layers = [picture, alt.Chart(alt.NamedData(name="corner")).mark_rect(opacity=0).encode(x=x, y=y, color=colour)]
    if gold_title:
        tooltip = [
            alt.Tooltip("row:O", title=row_title or " "),
            alt.Tooltip("col:O", title=col_title or " "),
            alt.Tooltip("shown:N", title=value_title),
        ]
        layers.append(_gold_layer(alt.Chart(alt.NamedData(name="gold")).encode(x=x, y=y, tooltip=tooltip), gold_title))
    chart = (
        alt.layer(*layers, title=_title(_TITLE_SLOT))
        .properties(autosize=_FIT_WIDTH, usermeta=_SVG)
        .configure_legend(labelFont=_FONT)
    )
    return chart.to_dict(validate=False)


def _picture_url(matrix: np.ndarray, low: float, high: float) -> str:
    """The cells of ``matrix`` as a PNG data URL, one pixel a cell (``_colours``): the chart stretches it unsmoothed."""
    buffer = io.BytesIO()
    Image.fromarray(_colours(matrix, low, high), "RGB").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


# Placeholders in a cached layout, filled per figure by ``_fill_layout``: the title and the
# label width follow the step and its words: a layout keyed by them would be rebuilt for every step.
_TITLE_SLOT = "\x00title"
_UPRIGHT_SLOT = "\x00upright"


@functools.lru_cache(maxsize=256)
def _heatmap_template(
    row_title: str,
    col_title: str,
    value_title: str,
    domain: tuple[float, float] | None,
    with_nan: bool,
    gold_title: str | None = None,
) -> dict:
    """A heatmap's Vega-Lite spec without its data, height, title or label width, built with Altair
    once per layout.

    Building an Altair chart costs tens of ms (25–80 ms measured here); a step through a sentence,
    and every other sentence, draws the same layout with new numbers and words. So the words are
    data: rows and columns keep the order of their positions (``r``, ``c``). The colour scale spans
    the data unless ``domain`` fixes it; whether a cell's number is printed dark is a field of its record.
    With ``gold_title``, the cells whose ``gold`` field is true are outlined (``_gold_layer``).
    """
    empty = pd.DataFrame({name: [] for name in (*CELL_FIELDS, *(("gold", "mark") if gold_title else ()))})
    base = alt.Chart(empty, title=_title(_TITLE_SLOT)).encode(
        x=alt.X("col:O", sort=alt.EncodingSortField(field="c", op="min"), axis=_x_axis(col_title, _UPRIGHT_SLOT)),
        y=alt.Y("row:O", sort=alt.EncodingSortField(field="r", op="min"), axis=_y_axis(row_title)),
        tooltip=[
            alt.Tooltip("row:O", title=row_title or " "),
            alt.Tooltip("col:O", title=col_title or " "),
            alt.Tooltip("shown:N", title=value_title),
        ],
    )
    scale = alt.Scale(scheme="viridis", domain=list(domain)) if domain else alt.Scale(scheme="viridis")
    layers = [base.mark_rect().encode(color=alt.Color("value:Q", scale=scale, legend=_legend(value_title)))]
    if with_nan:
        layers.append(base.transform_filter("datum.bad").mark_rect(color=NAN_COLOUR))
    layers.append(
        base.mark_text(fontSize=10, opacity=alt.expr(f"bandwidth('x') >= {CELL_TEXT_BAND} ? 1 : 0")).encode(
            text="cell:N", color=alt.condition("datum.dark", alt.value("black"), alt.value("white"))
        )
    )
    if gold_title:
        layers.append(_gold_layer(base, gold_title))
    chart = alt.layer(*layers).properties(autosize=_FIT_WIDTH, usermeta=_SVG).configure_legend(labelFont=_FONT)
    return _layout_only(chart)


def _layout_only(chart: alt.TopLevelMixin) -> dict:
    """A chart's Vega-Lite spec without its data: the records are added per figure."""
    spec = chart.to_dict(validate=False)
    spec.pop("datasets", None)
    spec.pop("data", None)
    return spec


def _fill_layout(layout: dict, title: str, widest: int) -> dict:
    """A copy of a cached layout with its placeholders filled: the title's lines, and the column
    width from which labels of ``widest`` characters stand upright. The cached layout is never changed."""
    lines, upright = title_lines(title), _upright_px(widest)

    def fill(value):
        if isinstance(value, dict):
            return {key: fill(item) for key, item in value.items()}
        if isinstance(value, list):
            return lines if value == [_TITLE_SLOT] else [fill(item) for item in value]
        if isinstance(value, str) and _UPRIGHT_SLOT in value:
            return value.replace(_UPRIGHT_SLOT, upright)
        return value

    return fill(layout)


def _json_values(values) -> list:
    """A column as JSON-ready values: NaN becomes null (JSON has no NaN)."""
    values = values.tolist() if isinstance(values, np.ndarray) else list(values)
    return [None if isinstance(v, float) and math.isnan(v) else v for v in values]


def _records(columns: dict) -> list[dict]:
    """Columns (one array per field) as records, for exports and specs written out whole."""
    names = list(columns)
    rows = zip(*(_json_values(values) for values in columns.values()), strict=True)
    return [dict(zip(names, row, strict=True)) for row in rows]


def _arrow(columns: dict) -> pa.Table:
    """Columns as an Arrow table, NaN as null (as Streamlit's own conversion of the records gives)."""
    return pa.table({name: pa.array(values, from_pandas=True) for name, values in columns.items()})


def _batch_cells(alpha: np.ndarray, tokens: list[list[str]], row_title: str, pad_word: str) -> pd.DataFrame:
    """One record per cell of a padded batch's α, with the word at that position (or padding)."""
    records = []
    shown = _numbers(alpha.reshape(-1), ".4f", NOT_A_NUMBER)  # in np.ndindex's order, row by row
    for n, (k, j) in enumerate(np.ndindex(alpha.shape)):
        value = float(alpha[k, j])
        real = j < len(tokens[k])
        word = tokens[k][j] if real else pad_word
        records.append(
            {
                "row": f"{row_title} {k + 1}",
                "col": str(j + 1),
                "value": value if np.isfinite(value) else np.nan,
                "bad": not np.isfinite(value),
                "word": word if len(word) <= WORD_CHARS else word[: WORD_CHARS - 1] + "…",
                "full": word,
                "pad": not real,
                "shown": shown[n],
            }
        )
    return pd.DataFrame.from_records(records)


def batch_words_on_slide(n_positions: int) -> bool:
    """Whether a batch map of ``n_positions`` columns writes its words in the cells on a slide (at 18 px)."""
    return n_positions <= SLIDE_WORD_COLUMNS


def batch_heatmap(
    alpha: np.ndarray,
    tokens: list[list[str]],
    title: str,
    row_title: str,
    col_title: str,
    pad_word: str,
    value_title: str = "α",
    row_pixels: int = BATCH_ROW_PIXELS,
) -> Figure:
    """α ``(batch, T)`` of a padded batch: one row per sentence, each cell labelled with its own word.

    The rows of a batch hold different words at the same position, so the column axis can only
    number the positions; the words are written in the cells (turned a quarter when the columns
    are narrow), padding cells say ``pad_word`` in italics, and NaN cells are red.
    """
    alpha = np.atleast_2d(np.asarray(alpha, dtype=np.float64))
    batch, T = alpha.shape
    frame = _batch_cells(alpha, tokens, row_title, pad_word)
    rows, cols = [f"{row_title} {k + 1}" for k in range(batch)], [str(j + 1) for j in range(T)]
    base = alt.Chart(frame, title=_title(title)).encode(
        x=alt.X("col:O", sort=cols, axis=_x_axis(col_title, _upright_px(_widest(cols)))),
        y=alt.Y("row:O", sort=rows, axis=_y_axis("")),
        tooltip=[
            alt.Tooltip("row:O", title=row_title),
            alt.Tooltip("col:O", title=col_title),
            alt.Tooltip("full:N", title=" "),
            alt.Tooltip("shown:N", title=value_title),
        ],
    )
    rects = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("value:Q", scale=alt.Scale(scheme="viridis", domain=[0.0, 1.0]), legend=_legend(value_title)),
    )
    layers = [rects]
    if frame["bad"].any():
        layers.append(base.transform_filter("datum.bad").mark_rect(color=NAN_COLOUR, stroke="white", strokeWidth=1))
    widest = WORD_CHARS * 6 + 6
    angle = alt.expr(f"bandwidth('x') >= {widest} ? 0 : 270")
    ink = alt.condition("datum.value > 0.5 && !datum.bad", alt.value("black"), alt.value("white"))
    for is_pad, style in ((False, "normal"), (True, "italic")):
        layers.append(
            base.transform_filter("datum.pad" if is_pad else "!datum.pad")
            .mark_text(fontSize=10, font=_FONT, angle=angle, fontStyle=style, opacity=0.75 if is_pad else 1.0)
            .encode(text="word:N", color=ink)
        )
    chart = (
        alt.layer(*layers)
        .properties(height=row_pixels * batch, autosize=_FIT_WIDTH, usermeta=_SVG)
        .configure_legend(labelFont=_FONT)
    )
    # On a slide the words grow to 18 px: they fit cells of a short batch, and a long one leaves them out.
    return Figure(
        chart=chart, image=None, title=title, export_width=max(widest + 4, 30) * T, slide_marks=batch_words_on_slide(T)
    )


BAR_HEIGHT = 260


def bars(values: np.ndarray, labels: list[str], title: str, axis_title: str, value_title: str) -> Figure:
    """One bar per source token (α, e), labelled with the tokens; an image when there are many."""
    values = np.asarray(values, dtype=np.float64)
    if values.size > MAX_MARKS:
        return heatmap(values[None, :], [value_title], labels, title, "", axis_title, value_title)
    names = axis_labels(labels)
    columns = {
        "token": names,
        "value": np.where(np.isfinite(values), values, np.nan),
        "shown": _numbers(values, ".4f", NOT_A_NUMBER),
        "order": np.arange(len(names)),
    }
    layout = _fill_layout(_bars_template(axis_title, value_title), title, _widest(names))
    return Figure(None, None, title, export_width=EXPORT_CELL * len(names), _layout=layout, _columns=columns)


@functools.lru_cache(maxsize=256)
def _bars_template(axis_title: str, value_title: str) -> dict:
    """A bar chart's Vega-Lite spec without its data, title or label width, built with Altair once
    per layout.

    The bars keep the records' order (field ``order``), so the words themselves are data: the
    output words of every decoder step share one layout.
    """
    empty = pd.DataFrame({"token": [], "value": [], "shown": [], "order": []})
    chart = (
        alt.Chart(empty, title=_title(_TITLE_SLOT))
        .mark_bar()
        .encode(
            x=alt.X(
                "token:O",
                sort=alt.EncodingSortField(field="order", op="min"),
                axis=_x_axis(axis_title, _UPRIGHT_SLOT),
            ),
            y=alt.Y("value:Q", title=value_title),
            color=alt.condition(alt.datum.value < 0, alt.value("#d62728"), alt.value("#1f77b4")),
            tooltip=[alt.Tooltip("token:O", title=axis_title), alt.Tooltip("shown:N", title=value_title)],
        )
        .properties(height=BAR_HEIGHT, autosize=_FIT_WIDTH, usermeta=_SVG)
    )
    return _layout_only(chart)


MIN_SLIDE_TEXT_PX = 18  # no text on a slide smaller than this

FONT_SIZE_KEYS = ("fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize")


def _small_text_mark(layer, least: int) -> bool:
    mark = layer.get("mark") if isinstance(layer, dict) else None
    return isinstance(mark, dict) and mark.get("type") == "text" and mark.get("fontSize", 11) < least


def _slide_text(spec, least: int, marks: bool):
    """A Vega-Lite spec with every font size raised to ``least`` pixels: the room reads it from afar.

    Sizes are set per axis, legend and title by the figure helpers, so a theme-wide setting would
    not reach them; a label limit grows with its text.
    """
    if isinstance(spec, list):
        return [_slide_text(item, least, marks) for item in spec]
    if not isinstance(spec, dict):
        return spec
    out = {key: _slide_text(value, least, marks) for key, value in spec.items()}
    if not marks and isinstance(out.get("layer"), list):  # text in the cells stays off a slide rather than small
        out["layer"] = [layer for layer in out["layer"] if not _small_text_mark(layer, least)]
    for key in FONT_SIZE_KEYS if marks or out.get("type") != "text" else FONT_SIZE_KEYS[1:]:
        if isinstance(out.get(key), int | float) and out[key] < least:
            out[key] = least
    if isinstance(out.get("labelLimit"), int | float):
        out["labelLimit"] = int(out["labelLimit"] * 1.6)
    if "labelOverlap" in out and "labelAngle" in out:
        out["labelOverlap"] = "parity"  # column labels (a1…a32) thin out; row labels are words, all kept
    if isinstance(out.get("legend"), dict):
        out["legend"] = {**out["legend"], "orient": "right", "direction": "vertical", "gradientLength": 200}
    for value in out.values():
        if isinstance(value, dict) and isinstance(value.get("expr"), str):
            # "bandwidth('x') >= N" chooses upright labels for 11 px text: scale N to slide text
            value["expr"] = re.sub(
                r"(bandwidth\('x'\) >= )(\d+)",
                lambda m: f"{m.group(1)}{int(m.group(2)) * least // 11 + 1}",
                value["expr"],
            )
    return out


def slide_spec(spec: dict, marks: bool = False) -> dict:
    """A copy of a Vega-Lite spec for presenter mode: axis, legend and title text at least
    ``MIN_SLIDE_TEXT_PX``; with ``marks``, text marks too (where cells are wide enough to print)."""
    out = _slide_text(spec, MIN_SLIDE_TEXT_PX, marks)
    big = {"labelFontSize": MIN_SLIDE_TEXT_PX, "titleFontSize": MIN_SLIDE_TEXT_PX}
    config = out.setdefault("config", {})
    for part in ("axis", "legend"):
        config[part] = {**config.get(part, {}), **big}
    config["title"] = {**config.get("title", {}), "fontSize": MIN_SLIDE_TEXT_PX + 2}
    return out


def legend_length(spec, pixels: int):
    """A copy of a spec whose colour scales are ``pixels`` long: a slide's 200 px outgrows a plot of few rows."""
    if isinstance(spec, list):
        return [legend_length(item, pixels) for item in spec]
    if not isinstance(spec, dict):
        return spec
    out = {key: legend_length(value, pixels) for key, value in spec.items()}
    if "gradientLength" in out:
        out["gradientLength"] = pixels
    return out


SUBTITLE_PX = 11  # a chart's subtitle: a note on its axes, or in an export the sentence and step


def _subtitled(title, lines: list[str], fallback: str) -> dict:
    """A Vega-Lite title (a dict, text, or None) with ``lines`` added under its subtitle."""
    title = dict(title) if isinstance(title, dict) else {"text": title or title_lines(fallback), "anchor": "start"}
    old = title.get("subtitle", [])
    title["subtitle"] = [*([old] if isinstance(old, str) else old), *lines]
    return {**title, "subtitleFont": _FONT, "subtitleFontSize": SUBTITLE_PX, "subtitleColor": "#374151"}


def _with_subtitle_spec(spec: dict, lines: list[str], fallback: str) -> dict:
    """A copy of a spec whose title carries ``lines`` below it: the top-level title, or where Altair
    put it, every layer's (a layer of charts from one base carries the same title in each)."""
    if "title" in spec or not any(isinstance(layer, dict) and "title" in layer for layer in spec.get("layer", ())):
        return {**spec, "title": _subtitled(spec.get("title"), lines, fallback)}
    layers = [
        {**layer, "title": _subtitled(layer["title"], lines, fallback)} if "title" in layer else layer
        for layer in spec["layer"]
    ]
    return {**spec, "layer": layers}


def with_subtitle(figure: Figure, text: str) -> Figure:
    """A copy of ``figure`` with ``text`` under its title, wrapped to a phone's width; an image
    figure gets its title and ``text`` written above it. ``figure`` itself is not changed (views are shared)."""
    lines = title_lines(text)
    if not figure.is_chart:
        return replace(figure, image=_titled_image(figure.image, [*title_lines(figure.title), *lines]))
    if figure._layout is not None:
        return replace(
            figure, _layout=_with_subtitle_spec(figure._layout, lines, figure.title), _spec=None, _on_screen={}
        )
    return replace(figure, _spec=_with_subtitle_spec(figure.spec(), lines, figure.title), _on_screen={})


_CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def _titled_image(image: Image.Image, lines: list[str], size: int = 2 * SUBTITLE_PX) -> Image.Image:
    """``image`` under a white band with ``lines`` written in it (a CJK font where the system has one)."""
    from PIL import ImageDraw, ImageFont

    try:
        font = ImageFont.truetype(_CJK_FONT, size)
    except OSError:
        font = ImageFont.load_default(size)
    line_px = int(size * 1.4)
    band = line_px * len(lines) + size // 2
    out = Image.new("RGB", (image.width, image.height + band), "white")
    out.paste(image.convert("RGB"), (0, band))
    draw = ImageDraw.Draw(out)
    for k, line in enumerate(lines):
        draw.text((4, size // 4 + k * line_px), line, fill="black", font=font)
    return out


def column_ticks(figure: Figure, labels: list[str], most: int = 9, title: str | None = None) -> Figure:
    """A copy of a heatmap whose column axis labels the first column and every k-th (d1 d8 d16 … d64),
    at most ``most`` of them, upright; ``title`` replaces the axis title. Sixty-four labels, turned or
    not, overlap at any width a page gives the chart; the tooltip and the table name every column."""
    if figure._layout is None:  # an image (a long sentence): no axis to label
        return figure
    k = max(1, math.ceil(len(labels) / (most - 1)))
    k = next((nice for nice in (1, 2, 4, 5, 8, 10, 16, 20, 32) if nice >= k), k)
    values = [labels[0], *(labels[n - 1] for n in range(k, len(labels) + 1, k) if n > 1)]
    extra = {"values": values, "labelAngle": 0, "labelAlign": "center", "labelBaseline": "top"}
    if title is not None:
        extra["title"] = title

    def ticks(value):
        if isinstance(value, list):
            return [ticks(item) for item in value]
        if not isinstance(value, dict):
            return value
        out = {key: ticks(item) for key, item in value.items()}
        x = out.get("x")
        if isinstance(x, dict) and x.get("field") == "col" and isinstance(x.get("axis"), dict):
            out["x"] = {**x, "axis": {**x["axis"], **extra}}
        return out

    return replace(figure, _layout=ticks(figure._layout), _spec=None, _on_screen={})


def arrow_table(table: pd.DataFrame) -> pa.Table:
    """A DataFrame as the Arrow table Streamlit would make of it (its index kept as pandas does),
    for frames sent on every run: Streamlit sends an Arrow table as it is.

    ``pa.Table.from_pandas`` spends about 70 µs a column describing it (3 ms for a 64-column
    tensor); the description is the same for every frame of the same columns, so it is made once
    and the values are put under it.
    """
    dtypes = table.dtypes.tolist()  # a Series built per call: read once
    schema = _pandas_schema(table, dtypes)
    if schema is None:
        return pa.Table.from_pandas(table)
    if len(set(dtypes)) == 1:  # a tensor: one block, its columns read in one pass
        values = list(np.ascontiguousarray(table.to_numpy().T))
    else:
        values = [table.iloc[:, k].to_numpy() for k in range(table.shape[1])]
    arrays = [pa.array(v, type=f.type, from_pandas=True) for v, f in zip(values, schema, strict=False)]
    arrays.append(pa.array(table.index.to_numpy(), type=schema.field(len(values)).type, from_pandas=True))
    return pa.Table.from_arrays(arrays, schema=schema)


_SCHEMAS: dict[tuple, pa.Schema | None] = {}
SCHEMAS_KEPT = 256  # a handful of column sets in practice: the dimensions, e and α, the output words


def _pandas_schema(table: pd.DataFrame, dtypes: list) -> pa.Schema | None:
    """The schema ``from_pandas`` gives frames of these columns with a labelled index; None for
    an index pandas keeps as metadata only (a plain range), which the general path handles."""
    key = (tuple(table.columns.tolist()), tuple(dtypes), table.index.dtype, table.index.name)
    if key not in _SCHEMAS:
        if len(_SCHEMAS) >= SCHEMAS_KEPT:
            _SCHEMAS.clear()
        schema = pa.Table.from_pandas(table.iloc[:1]).schema
        stored = len(schema) == table.shape[1] + 1 and schema.field(table.shape[1]).name == "__index_level_0__"
        _SCHEMAS[key] = schema if stored else None
    return _SCHEMAS[key]


def frame(matrix: np.ndarray, row_labels: list[str], col_labels: list[str]) -> pd.DataFrame:
    """A tensor as a table whose rows and columns carry the tokens (or dimension numbers)."""
    matrix = np.atleast_2d(np.asarray(matrix))
    return pd.DataFrame(matrix, index=unique_labels(row_labels), columns=col_labels)


# --------------------------------------------------------------------------- what if: comparisons and the beam tree

COMPARE_COLOURS = ("#94a3b8", "#c2410c")  # the model's own value (slate), the intervention's (deep orange)


def compare_bars(
    before: np.ndarray,
    after: np.ndarray,
    labels: list[str],
    title: str,
    axis_title: str,
    value_title: str,
    series: tuple[str, str],
) -> Figure:
    """Two values per label side by side (α and α′, P(y) and P(y′)): the model's own, then the intervention's.

    A cached layout per axis, value and series names, like ``bars``: an intervention redraws only data.
    """
    names = axis_labels(labels)
    n = len(names)
    values = np.stack([np.asarray(before, np.float64), np.asarray(after, np.float64)], axis=1).reshape(-1)
    columns = {
        "token": np.repeat(names, 2).tolist(),
        "order": np.repeat(np.arange(n), 2),
        "series": list(series) * n,
        "value": values,
        "shown": _numbers(values, ".4f", NOT_A_NUMBER),
    }
    layout = _fill_layout(_compare_template(axis_title, value_title, series), title, _widest(names) + 3)
    return Figure(None, None, title, export_width=2 * EXPORT_CELL * n, _layout=layout, _columns=columns)


@functools.lru_cache(maxsize=64)
def _compare_template(axis_title: str, value_title: str, series: tuple[str, str]) -> dict:
    """``compare_bars``' Vega-Lite spec without its data, title or label width, built with Altair once."""
    empty = pd.DataFrame({"token": [], "order": [], "series": [], "value": [], "shown": []})
    chart = (
        alt.Chart(empty, title=_title(_TITLE_SLOT))
        .mark_bar()
        .encode(
            x=alt.X(
                "token:O", sort=alt.EncodingSortField(field="order", op="min"), axis=_x_axis(axis_title, _UPRIGHT_SLOT)
            ),
            xOffset=alt.XOffset("series:N", sort=list(series)),
            y=alt.Y("value:Q", title=value_title, axis=alt.Axis(titleFont=_FONT, labelFontSize=11)),
            color=alt.Color(
                "series:N",
                sort=list(series),
                scale=alt.Scale(domain=list(series), range=list(COMPARE_COLOURS)),
                legend=alt.Legend(title=None, orient="top", labelFont=_FONT, labelFontSize=12),
            ),
            tooltip=[
                alt.Tooltip("token:O", title=axis_title or " "),
                alt.Tooltip("series:N", title=" "),
                alt.Tooltip("shown:N", title=value_title),
            ],
        )
        .properties(height=BAR_HEIGHT, autosize=_FIT_WIDTH, usermeta=_SVG)
    )
    return _layout_only(chart)


def vector_strips(vectors: list[np.ndarray], names: list[str], title: str, col_title: str, value_title: str) -> Figure:
    """Vectors of one size as rows of one heatmap (c and c′), on one colour scale so they compare."""
    matrix = np.stack([np.asarray(v, np.float64) for v in vectors])
    return heatmap(matrix, names, [f"d{k + 1}" for k in range(matrix.shape[1])], title, "", col_title, value_title)


BEAM_ROW_PIXELS = 34  # one hypothesis's row in the beam tree: its word stays readable
BEAM_STEP_PIXELS = 130  # one step's column in an exported tree: "contentes −11.47" fits beside its dot
BEAM_MIN_STEP_PIXELS = 110  # on a page the tree fills its column, a step never narrower than this
BEAM_MAX_STEPS = 12  # steps a page's tree may show: at least ui.views.what_if_views.TREE_STEPS
_PAD = alt.AutoSizeParams(type="pad")  # a chart of its own width (a slide's tree)


def beam_steps_key(n_steps: int) -> str:
    """The key of the container a page's tree of ``n_steps`` steps is drawn in (``BEAM_TREE_CSS``)."""
    return f"beam_steps_{n_steps}"


# A page's tree fills its column (1366×768: eight steps in 906 px). A column too narrow for its
# steps (a phone) would squeeze the words over each other: the tree keeps its least width there,
# and its box (.st-key-beam_tree, APP_CSS) scrolls sideways with a scrollbar in sight.
BEAM_TREE_CSS = (
    "<style>\n"
    + "".join(
        f".st-key-{beam_steps_key(n)} {{ min-width: {n * BEAM_MIN_STEP_PIXELS}px; }}\n"
        for n in range(1, BEAM_MAX_STEPS + 1)
    )
    # Streamlit's scrollbars are transparent until hovered, and a phone's are hidden: this one is drawn.
    + ".st-key-beam_tree { scrollbar-width: auto; scrollbar-color: auto; }\n"
    + ".st-key-beam_tree::-webkit-scrollbar { height: 10px; }\n"
    + ".st-key-beam_tree::-webkit-scrollbar-track { background: #f1f5f9; }\n"
    + ".st-key-beam_tree::-webkit-scrollbar-thumb { background: #94a3b8; border-radius: 5px; }\n</style>\n"
)


def _beam_points(nodes, pruned_word: str) -> tuple[list[dict], list[dict], dict[int, int]]:
    """The tree's dots (step, row, label) and edges (parent to child), and the rows used per step."""
    rank: dict[int, int] = {}
    per_step: dict[int, int] = {}
    for node in nodes:  # per step the kept words come first, best first, then the pruned ones
        rank[node.id] = per_step.get(node.step, 0)
        per_step[node.step] = rank[node.id] + 1
    by_id = {node.id: node for node in nodes}
    points, edges = [], []
    for node in nodes:
        state = "best" if node.on_best_path else ("kept" if node.kept else "pruned")
        label = node.word if len(node.word) <= WORD_CHARS + 4 else node.word[: WORD_CHARS + 3] + "…"
        points.append(
            {
                "step": node.step,
                "rank": rank[node.id],
                "word": f"{label} {node.log_prob:.2f}".replace("-", "−"),
                "full": node.word,
                "log_prob": round(node.log_prob, 4),
                "state": state if node.kept or node.on_best_path else pruned_word,
                "faded": not node.kept,
            }
        )
        if node.parent in by_id:  # a window of steps leaves out the parents of its first column
            parent = by_id[node.parent]
            edges.append(
                {
                    "step": parent.step,
                    "step2": node.step,
                    "rank": rank[parent.id],
                    "rank2": rank[node.id],
                    "best": node.on_best_path,
                    "faded": not node.kept,
                }
            )
    return points, edges, per_step


def beam_tree(nodes, title: str, step_title: str, pruned_word: str, step_pixels: int = 0) -> Figure:
    """The beam search as a tree: one column per decoder step, a row per word considered there.

    ``nodes`` may be a window of steps (a long sentence's tree does not fit one screen). A slide's
    step is ``step_pixels`` wide; a page's tree fills its width (``beam_steps_key``); an export's is fixed.
    Kept words (with their cumulative log-probability) are solid, pruned ones faded, and the path
    of the best hypothesis is drawn in the intervention colour. ``nodes`` are ``BeamNode``s.
    """
    points, edges, per_step = _beam_points(nodes, pruned_word)
    first, last = min(per_step), max(per_step)
    n_steps, n_rows = last - first + 1, max(per_step.values())
    x = alt.X(
        "step:Q",
        title=step_title,
        scale=alt.Scale(domain=[first - 0.3, last + 0.7]),
        axis=alt.Axis(tickMinStep=1, format="d", labelFontSize=11),
    )
    y = alt.Y("rank:Q", title=None, scale=alt.Scale(domain=[n_rows - 0.5, -0.5]), axis=None)
    lines = (
        alt.Chart(pd.DataFrame.from_records(edges))
        .mark_rule()
        .encode(
            x=x,
            x2="step2:Q",
            y=y,
            y2="rank2:Q",
            color=alt.condition("datum.best", alt.value(COMPARE_COLOURS[1]), alt.value("#64748b")),
            strokeWidth=alt.condition("datum.best", alt.value(3), alt.value(1)),
            opacity=alt.condition("datum.faded", alt.value(0.25), alt.value(0.9)),
        )
    )
    point_data = pd.DataFrame.from_records(points)
    tooltip = [alt.Tooltip("full:N", title="y"), alt.Tooltip("log_prob:Q", title="log P"), "step:Q"]
    dots = (
        alt.Chart(point_data)
        .mark_circle(size=60)
        .encode(
            x=x,
            y=y,
            color=alt.condition("datum.state == 'best'", alt.value(COMPARE_COLOURS[1]), alt.value("#334155")),
            opacity=alt.condition("datum.faded", alt.value(0.3), alt.value(1.0)),
            tooltip=tooltip,
        )
    )
    words = (  # the word and its cumulative log P on one line, beside its dot
        alt.Chart(point_data)
        .mark_text(align="left", dx=7, fontSize=12, font=_FONT)
        .encode(
            x=x,
            y=y,
            text="word:N",
            opacity=alt.condition("datum.faded", alt.value(0.45), alt.value(1.0)),
            color=alt.condition("datum.state == 'best'", alt.value("#7c2d12"), alt.value("#111827")),
            tooltip=tooltip,
        )
    )
    size = {"width": step_pixels * n_steps, "autosize": _PAD} if step_pixels else {"autosize": _FIT_WIDTH}
    chart = alt.layer(lines, dots, words, title=_title(title)).properties(height=BEAM_ROW_PIXELS * n_rows, **size)
    chart = chart.properties(usermeta=_SVG)
    return Figure(chart=chart, image=None, title=title, export_width=BEAM_STEP_PIXELS * n_steps)
