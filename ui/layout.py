"""Page furniture: the shared sidebar, notices, user text shown safely, exports."""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
import pandas as pd
import streamlit as st

from ui import state
from ui.figures import Figure
from ui.strings import t

_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:&=\"'")

# Constant CSS, never built from user text: presenter mode enlarges the type.
PRESENTER_CSS = """
<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 1.35rem; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.5rem; }
.katex { font-size: 1.9rem !important; }
[data-testid="stBaseButton-primary"], [data-testid="stBaseButton-secondary"] { font-size: 1.6rem; min-height: 4rem; }
</style>
"""


def escape_markdown(text: str) -> str:
    """User text inside a markdown string renders as the characters typed, never as markup."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in text)


def show_notices(notices: list[state.Notice]) -> None:
    for n in notices:
        st.warning(
            t(
                "notice.bad_param",
                name=n.name,
                value=escape_markdown(n.raw[:80]),
                default=escape_markdown(str(n.default)),
            ),
            icon="⚠️",
        )


def presenting() -> bool:
    return bool(state.get("present"))


def apply_presenter_style() -> None:
    if presenting():
        st.markdown(PRESENTER_CSS, unsafe_allow_html=True)


def token_line(tokens: list[str], unknown: list[int] | None = None) -> str:
    """Tokens as inline code, safe for markdown; unknown words marked."""
    unknown = set(unknown or [])
    parts = []
    for j, token in enumerate(tokens):
        shown = token.replace("`", "ˋ")
        parts.append(f"`{shown}`" + (" ⁽ᵘⁿᵏ⁾" if j in unknown else ""))
    return " ".join(parts) if parts else "—"


def show_figure(figure: Figure, key: str) -> None:
    """The figure, then its PNG (and SVG for charts) as downloads generated on click."""
    if figure.chart is not None:
        st.altair_chart(figure.chart, width="stretch")
    else:
        st.image(figure.image, caption=t("figure.image_caption"), width="stretch")
    if presenting():
        return
    cols = st.columns(2)
    cols[0].download_button(
        t("export.png"), data=figure.png, file_name=f"{key}.png", mime="image/png", key=f"png_{key}", on_click="ignore"
    )
    if figure.chart is not None:
        cols[1].download_button(
            t("export.svg"),
            data=figure.svg,
            file_name=f"{key}.svg",
            mime="image/svg+xml",
            key=f"svg_{key}",
            on_click="ignore",
        )


def csv_bytes(frame: pd.DataFrame) -> Callable[[], bytes]:
    return lambda: frame.to_csv().encode("utf-8")


def npz_bytes(arrays: dict[str, np.ndarray]) -> Callable[[], bytes]:
    def make() -> bytes:
        buffer = io.BytesIO()
        np.savez(buffer, **{k: np.asarray(v) for k, v in arrays.items() if v is not None})
        return buffer.getvalue()

    return make
