"""The room's answers as a chart: one bar per source word and series (the room's share, the model's α,
the gold alignment), or one per answer of any other question. Streamlit-free."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ui.charts.figures import _FIT_WIDTH, _FONT, _SVG, BAR_HEIGHT, Figure, _title, axis_labels

ROOM_COLOURS = ("#c2410c", "#94a3b8", "#15803d")  # the room (deep orange), the model (slate), gold (green)


def answers_bars(
    series: dict[str, np.ndarray], labels: list[str], title: str, axis_title: str, value_title: str
) -> Figure:
    """Values per label side by side, one bar per series in the order given."""
    names = axis_labels(labels)
    order = list(series)
    rows = [
        {"token": name, "order": k, "series": s, "value": float(values[k]), "shown": f"{float(values[k]):.3f}"}
        for s, values in series.items()
        for k, name in enumerate(names)
    ]
    chart = (
        alt.Chart(pd.DataFrame(rows), title=_title(title))
        .mark_bar()
        .encode(
            x=alt.X(
                "token:O",
                sort=alt.EncodingSortField(field="order", op="min"),
                axis=alt.Axis(title=axis_title or None, labelAngle=0, labelFont=_FONT, titleFont=_FONT, labelLimit=160),
            ),
            xOffset=alt.XOffset("series:N", sort=order),
            y=alt.Y("value:Q", title=value_title, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(titleFont=_FONT)),
            color=alt.Color(
                "series:N",
                sort=order,
                scale=alt.Scale(domain=order, range=list(ROOM_COLOURS[: len(order)])),
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
    return Figure(chart, None, title)
