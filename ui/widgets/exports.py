"""Downloads: figures as PNG, SVG, a ZIP of PNGs or an animated GIF; tables as CSV; tensors as NPZ.

File names carry a slug of the sentence, the step and the equation, so a folder of slides
stays readable. A CSV starts with a UTF-8 byte-order mark (Excel then reads α and Chinese
correctly); an NPZ carries the tokens and the target vocabulary its logits index.
"""

from __future__ import annotations

import io
import re
import threading
import unicodedata
import zipfile
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import streamlit as st
from PIL import Image
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from ui.charts.figures import Figure, with_subtitle
from ui.session import state
from ui.strings import t
from ui.widgets import page_frame

SLUG_CHARS = 40  # characters of a sentence kept in a file name
ABOUT_CHARS = 60  # characters of a sentence kept in an exported figure's title
GIF_FRAME_MS = 900  # each training snapshot stays this long in the animation
GIF_LAST_FRAME_MS = 2500  # the final model stays longer before the loop starts again


def slug(text: str, limit: int = SLUG_CHARS) -> str:
    """``"The big red car!"`` → ``"the-big-red-car"``: letters and digits of any script, joined by "-"."""
    text = unicodedata.normalize("NFC", text).lower()
    words = re.findall(r"\w+", text)
    joined = "-".join(words)[:limit].strip("-")
    return joined or "text"


def file_name(*parts: object, ext: str) -> str:
    """``file_name("the cat", "step2", "eq5", ext="png")`` → ``"the-cat_step2_eq5.png"``."""
    pieces = [slug(str(p)) if i == 0 else re.sub(r"[^\w.-]+", "-", str(p)) for i, p in enumerate(parts) if str(p)]
    return "_".join(pieces) + f".{ext}"


def short_sentence(text: str, limit: int = ABOUT_CHARS) -> str:
    """The sentence on one line, cut at a word before ``limit`` characters with "…" when longer."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def about(sentence: str, step: int | None = None, word: str | None = None) -> str:
    """What an exported figure shows, under its title: the sentence, then on a line of its own the
    decoder step and its word (so wrapping never splits "step 1 → les"). No quotes around the sentence:
    the figures' font is a CJK one, whose “ ” are a full em wide and read as stray marks beside Latin words."""
    sentence = short_sentence(sentence)
    if step is None:
        return t("export.about", sentence=sentence)
    if word is None:
        return t("export.about_i", sentence=sentence, i=step)
    return t("export.about_step", sentence=sentence, i=step, word=word)


def page_sentence() -> str:
    """The sentence of the page being drawn: its ``text``, or a batch's rows joined by " / "."""
    names = st.session_state.get(state.PAGE_NAMES, ())
    if "text" not in names and "batch" in names:
        return " / ".join(row for row in state.batch_rows(state.get("batch"))[0] if row.strip())
    return state.get("text")


def show_figure(
    figure: Figure, key: str, name: str | None = None, downloads: bool = True, caption: str | None = None
) -> None:
    """The figure, then (unless ``downloads`` is False) its PNG, and SVG for charts, as downloads
    generated on click.

    ``name`` is the file name without extension; by default a slug of the current sentence
    followed by ``key`` (``"the-cat-sees-a-dog_eq5_step2"``). ``caption`` goes under the title of
    the exported figure (``about``); by default the page's sentence.
    """
    if figure.is_chart:
        st.vega_lite_chart(
            figure.on_screen(slide=page_frame.presenting()), width="stretch", height=figure.height, alt=figure.title
        )
    else:
        st.image(figure.image, caption=t("figure.image_caption"), width="stretch", alt=figure.title)
    if page_frame.presenting() or not downloads:
        return
    row = st.container(horizontal=True, wrap=True)  # one block, not a column per button: each is a message
    caption = caption or about(page_sentence())
    figure_downloads(figure, key, name or f"{slug(state.get('text'))}_{key}", where=row, caption=caption)


def in_session(make: Callable[[], bytes | None]) -> Callable[[], bytes | None]:
    """``make`` run with this session's script context: Streamlit calls a download's ``data`` later, on a
    thread of its own, where each string (its language is the session's) and each cached function
    looked for a session, logged "missing ScriptRunContext" and fell back to English. Streamlit's
    documented way to lend a thread a session; the thread's own context comes back afterwards (the
    same thread serves other sessions' downloads)."""
    session = get_script_run_ctx()

    def run() -> bytes | None:
        thread = threading.current_thread()
        before = get_script_run_ctx(suppress_warning=True)
        add_script_run_ctx(thread, session)
        try:
            return make()
        finally:
            add_script_run_ctx(thread, before)

    return run


def figure_downloads(figure: Figure, key: str, base: str, where=st, caption: str | None = None) -> None:
    """The figure's PNG, and SVG for a chart, as buttons in ``where``; files named ``base``, with
    ``caption`` (default: the page's sentence) under the title, added when the file is made."""
    caption = caption or about(page_sentence())

    def png() -> bytes:
        return with_subtitle(figure, caption).png()

    def svg() -> bytes | None:
        return with_subtitle(figure, caption).svg()

    formats = [("png", png, "image/png")] + ([("svg", svg, "image/svg+xml")] if figure.is_chart else [])
    for ext, data, mime in formats:
        where.download_button(
            t(f"export.{ext}"),
            data=in_session(data),
            file_name=f"{base}.{ext}",
            mime=mime,
            key=f"{ext}_{key}",
            on_click="ignore",
        )


def csv_bytes(frame: pd.DataFrame) -> Callable[[], bytes]:
    """The table as CSV in UTF-8 with a byte-order mark, generated on click."""
    return lambda: frame.to_csv().encode("utf-8-sig")


def npz_bytes(
    arrays: dict[str, np.ndarray],
    *,
    source_tokens: Sequence[str] | None = None,
    target_tokens: Sequence[str] | None = None,
    target_vocabulary: Sequence[str] | None = None,
) -> Callable[[], bytes]:
    """The tensors as an NPZ, generated on click; with the tokens and the target vocabulary as
    string arrays (``source_tokens``, ``target_tokens``, ``target_vocabulary``) when given, so
    ``logits[k]`` reads as the word ``target_vocabulary[k]``."""
    words = {"source_tokens": source_tokens, "target_tokens": target_tokens, "target_vocabulary": target_vocabulary}

    def make() -> bytes:
        contents = {k: np.asarray(v) for k, v in arrays.items() if v is not None}
        contents.update({k: np.array(list(v), dtype=np.str_) for k, v in words.items() if v is not None})
        buffer = io.BytesIO()
        np.savez(buffer, **contents)
        return buffer.getvalue()

    return make


def zip_of_pngs(figures: Sequence[Figure], base_name: str, caption: str | None = None) -> bytes:
    """A ZIP of the figures as numbered PNGs, ``<base_name>_1_<title>.png`` …, in order; each with
    ``caption`` (``about``) under its title when given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:  # PNGs are compressed already
        for k, figure in enumerate(figures, start=1):
            png = (with_subtitle(figure, caption) if caption else figure).png()
            archive.writestr(f"{base_name}_{k}_{slug(figure.title, 30)}.png", png)
    return buffer.getvalue()


def animated_gif(figures: Sequence[Figure], frame_ms: int = GIF_FRAME_MS, last_ms: int = GIF_LAST_FRAME_MS) -> bytes:
    """The figures as the frames of one looping GIF, each on a white canvas of the largest size.

    Frames of different sizes (a snapshot that translates to fewer words) are pinned to the
    top left, so the axes stay in place from one frame to the next.
    """
    if not figures:
        raise ValueError("animated_gif needs at least one figure. Received: 0 figures")
    images = [Image.open(io.BytesIO(f.png())).convert("RGB") for f in figures]
    width, height = max(i.width for i in images), max(i.height for i in images)
    frames = []
    for image in images:
        canvas = Image.new("RGB", (width, height), "white")
        canvas.paste(image, (0, 0))
        frames.append(canvas.convert("P", palette=Image.Palette.ADAPTIVE, colors=255))
    buffer = io.BytesIO()
    durations = [frame_ms] * (len(frames) - 1) + [last_ms]
    frames[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=durations,
        loop=0,
        disposal=1,
        optimize=False,
    )
    return buffer.getvalue()
