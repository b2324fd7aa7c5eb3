"""Charts of tensors: Altair with tooltips while small, an image when large.

An Altair heatmap draws one Vega mark per cell; measured here it costs about 0.4 s to
update at 20×20 and over 1 s at 200×200 in a browser, while an image of the same
matrix costs about what a bare page does. Above ``MAX_MARKS`` cells a matrix is drawn
as an image; the table beside it keeps every value.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd
from PIL import Image

from ui.strings import t

MAX_MARKS = 900  # cells drawn as Vega marks; beyond this, an image
CELL_PIXELS = 12  # image cell size, so a 200×200 matrix is 2400 px wide before the browser scales it
# A few stops of the viridis map, interpolated in numpy: the image and the charts share colours.
_VIRIDIS = np.array(
    [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]],
    dtype=np.float64,
)
_FONT = "Noto Sans CJK SC, Noto Sans, sans-serif"  # Chinese labels need a CJK font in every renderer


def unique_labels(tokens: list[str]) -> list[str]:
    """Axis labels that stay distinct when a word repeats ("the" twice): ``"1 the"``, ``"5 the"``."""
    return [f"{k + 1} {token}" for k, token in enumerate(tokens)]


@dataclass
class Figure:
    """A chart or an image, with what export needs."""

    chart: alt.Chart | None
    image: Image.Image | None
    title: str
    height: int | str = "content"  # pixels of the whole chart, axes and title included

    def png(self) -> bytes:
        if self.chart is not None:
            import vl_convert

            return vl_convert.vegalite_to_png(self.chart.to_json(), scale=2)
        buffer = io.BytesIO()
        self.image.save(buffer, format="PNG")
        return buffer.getvalue()

    def svg(self) -> bytes | None:
        """SVG of a chart; None for an image figure (a raster has no vector form)."""
        if self.chart is None:
            return None
        import vl_convert

        return vl_convert.vegalite_to_svg(self.chart.to_json()).encode("utf-8")


def _colours(values: np.ndarray, low: float, high: float) -> np.ndarray:
    span = high - low if high > low else 1.0
    x = np.clip((np.nan_to_num(values, nan=low) - low) / span, 0.0, 1.0) * (len(_VIRIDIS) - 1)
    k = np.minimum(np.floor(x).astype(int), len(_VIRIDIS) - 2)
    frac = (x - k)[..., None]
    rgb = _VIRIDIS[k] * (1 - frac) + _VIRIDIS[k + 1] * frac
    rgb[np.isnan(values)] = (255, 0, 255)  # NaN stands out in magenta
    return rgb.astype(np.uint8)


def heatmap(
    matrix: np.ndarray,
    row_labels: list[str],
    col_labels: list[str],
    title: str,
    row_title: str,
    col_title: str,
    value_title: str | None = None,
    domain: tuple[float, float] | None = None,
    row_pixels: int = 26,
) -> Figure:
    """``matrix`` ``(rows, cols)`` as a heatmap; rows top to bottom, columns left to right."""
    matrix = np.asarray(matrix, dtype=np.float64)
    value_title = value_title or t("axis.value")
    finite = matrix[np.isfinite(matrix)]
    low, high = domain or ((float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0))
    if matrix.size > MAX_MARKS:
        rgb = _colours(matrix, low, high)
        image = Image.fromarray(rgb, "RGB").resize(
            (max(1, matrix.shape[1]) * CELL_PIXELS, max(1, matrix.shape[0]) * CELL_PIXELS), Image.NEAREST
        )
        return Figure(chart=None, image=image, title=title)
    rows, cols = unique_labels(row_labels), unique_labels(col_labels)
    frame = pd.DataFrame(
        {
            "row": np.repeat(rows, len(cols)),
            "col": np.tile(cols, len(rows)),
            "value": matrix.reshape(-1),
        }
    )
    frame["shown"] = frame["value"].map(lambda v: f"{v:.4f}" if np.isfinite(v) else str(v))
    base = alt.Chart(frame, title=title).encode(
        x=alt.X("col:O", sort=cols, title=col_title, axis=alt.Axis(labelAngle=-45, labelFont=_FONT)),
        y=alt.Y("row:O", sort=rows, title=row_title, axis=alt.Axis(labelFont=_FONT)),
    )
    rects = base.mark_rect().encode(
        color=alt.Color("value:Q", title=value_title, scale=alt.Scale(scheme="viridis", domain=[low, high])),
        tooltip=[
            alt.Tooltip("row:O", title=row_title),
            alt.Tooltip("col:O", title=col_title),
            alt.Tooltip("shown:N", title=value_title),
        ],
    )
    chart = rects
    if matrix.shape[1] <= 10 and matrix.size <= 120:  # numbers in the cells while they fit
        text = base.mark_text(fontSize=10).encode(
            text="shown:N",
            color=alt.condition(alt.datum.value > (low + high) / 2, alt.value("black"), alt.value("white")),
        )
        chart = rects + text
    plot_height = max(40, row_pixels * len(rows))  # every row label readable, however few rows
    longest_label = max(len(label) for label in cols)
    return Figure(
        chart=chart.properties(height=plot_height).configure_title(font=_FONT).configure_legend(labelFont=_FONT),
        image=None,
        title=title,
        height=plot_height + 90 + 6 * min(longest_label, 20),  # title, rotated column labels, axis title
    )


BAR_HEIGHT = 260


def bars(values: np.ndarray, labels: list[str], title: str, axis_title: str, value_title: str) -> Figure:
    """One bar per source token (α, e), labelled with the tokens; an image when there are many."""
    values = np.asarray(values, dtype=np.float64)
    if values.size > MAX_MARKS:
        return heatmap(values[None, :], [value_title], labels, title, "", axis_title, value_title)
    names = unique_labels(labels)
    frame = pd.DataFrame({"token": names, "value": values})
    frame["shown"] = frame["value"].map(lambda v: f"{v:.4f}" if np.isfinite(v) else str(v))
    chart = (
        alt.Chart(frame, title=title)
        .mark_bar()
        .encode(
            x=alt.X("token:O", sort=names, title=axis_title, axis=alt.Axis(labelAngle=-45, labelFont=_FONT)),
            y=alt.Y("value:Q", title=value_title),
            color=alt.condition(alt.datum.value < 0, alt.value("#d62728"), alt.value("#1f77b4")),
            tooltip=[alt.Tooltip("token:O", title=axis_title), alt.Tooltip("shown:N", title=value_title)],
        )
        .properties(height=BAR_HEIGHT)
        .configure_title(font=_FONT)
    )
    return Figure(chart=chart, image=None, title=title, height=BAR_HEIGHT + 140)


def frame(matrix: np.ndarray, row_labels: list[str], col_labels: list[str]) -> pd.DataFrame:
    """A tensor as a table whose rows and columns carry the tokens (or dimension numbers)."""
    matrix = np.atleast_2d(np.asarray(matrix))
    return pd.DataFrame(matrix, index=unique_labels(row_labels), columns=col_labels)
