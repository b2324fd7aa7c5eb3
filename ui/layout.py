"""Page furniture: the shared sidebar, notices, user text shown safely, exports."""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
import pandas as pd
import streamlit as st

from ui import router, state
from ui.figures import Figure
from ui.strings import t

_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:&=\"'")

# Constant CSS, never built from user text. A long substituted equation scrolls instead
# of being cut off; presenter mode enlarges the main area's type, not the sidebar's.
APP_CSS = """
<style>
.katex-display { overflow-x: auto; overflow-y: hidden; padding-bottom: 0.3rem; }
</style>
"""
PRESENTER_CSS = """
<style>
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p { font-size: 1.45rem; }
[data-testid="stMain"] .katex { font-size: 1.7rem !important; }
[data-testid="stMain"] button p { font-size: 1.5rem; }
[data-testid="stMain"] button { min-height: 4rem; }
</style>
"""


def escape_markdown(text: str) -> str:
    """User text inside a markdown string renders as the characters typed, never as markup."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in text)


def page_start(page: str, names: tuple[str, ...], title_key: str) -> None:
    """Every page begins alike: routed through app.py, the link read, the title, the link's notices."""
    router.ensure_entrypoint()
    notices = state.sync(names, page=page)
    st.title(t(title_key))
    show_notices(notices)


def show_notices(notices: list[state.Notice]) -> None:
    for n in notices:
        st.warning(
            t(
                "notice.bad_param",
                name=n.name,
                value=escape_markdown(n.raw[:80]),
                default=escape_markdown(str(n.default)),
            ),
            icon=":material/warning:",
        )


def presenting() -> bool:
    return bool(state.get("present"))


def apply_style() -> None:
    st.markdown(APP_CSS + (PRESENTER_CSS if presenting() else ""), unsafe_allow_html=True)


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
        st.altair_chart(figure.chart, width="stretch", height=figure.height)
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


def choice(name: str, label: str, options, format_func, where=st) -> None:
    """A segmented control bound to the link parameter ``name``."""
    where.segmented_control(
        label, options=list(options), format_func=format_func, key=state.widget_key(name), required=True
    )


def sentence_inputs(with_source: bool, with_target: bool) -> None:
    """The sentence box, the model switch and the optional target, bound to the URL state."""
    if presenting():
        return
    if with_source:
        left, right = st.columns([3, 2])
        left.text_input(t("input.sentence"), key=state.widget_key("text"), help=t("input.sentence_help"))
        choice("src", t("input.source"), ["toy", "free"], lambda s: t(f"input.source.{s}"), where=right)
    else:
        st.text_input(t("input.sentence"), key=state.widget_key("text"), help=t("input.sentence_help"))
    if with_target:
        st.text_input(t("input.target"), key=state.widget_key("target"), help=t("input.target_help"))


def stop_without_words(text_or_tokens, names: tuple[str, ...]) -> None:
    """Nothing to attend to: say why, keep the link in step, draw nothing more."""
    if isinstance(text_or_tokens, str):
        if text_or_tokens.strip():
            return
        st.info(t("notice.empty_text"), icon=":material/edit:")
    elif text_or_tokens:
        return
    else:
        st.info(t("notice.no_tokens"), icon=":material/edit:")
    state.write_url(names)
    st.stop()


def translation_notices(translation, source: str) -> None:
    """What the person should know about this translation: cut short, untrained, unknown words."""
    if translation.truncated:
        st.warning(t("notice.truncated", n=len(translation.source_tokens)), icon=":material/content_cut:")
    if source == "free":
        st.warning(t("notice.free_text"), icon=":material/casino:")
    elif translation.unknown_source:
        words = ", ".join(escape_markdown(translation.source_tokens[j]) for j in translation.unknown_source)
        st.warning(t("notice.unknown", words=words), icon=":material/help:")


def clamp_step(n_steps: int) -> None:
    """A linked step past the end of this translation becomes the last step, with a notice."""
    if state.get("step") > n_steps:
        st.warning(t("notice.step_clamped", step=state.get("step"), n=n_steps), icon=":material/warning:")
        state.put("step", n_steps)
