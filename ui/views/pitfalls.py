"""The pitfalls page's content: a classic attention bug run live on the batch beside the correct
computation, its one-line fix, and what each computes.

The bugs and their fixes are ``attention_core.nn.pitfalls``, run through ``ui.models.compute``; this
module draws them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from ui.charts import figures
from ui.models import compute, model_words
from ui.session import state
from ui.strings import t
from ui.views import article_views
from ui.widgets import exports, notices, page_frame, sentence_inputs


@dataclass(frozen=True)
class PitfallRun:
    """One pitfall run on the batch: its inputs and what the buggy and the correct code computed."""

    key: str  # one of compute.PITFALL_KEYS
    rows: tuple[str, ...]  # the batch's rows with words
    tokens: list  # the words of each row, as the model reads them
    h: np.ndarray  # (batch, T, d_h) encoder states
    s_prev: np.ndarray  # (batch, d_s) the decoder state before the first step
    params: object  # the model's AdditiveParams
    result: object  # PitfallResult


def pitfall_input(names: tuple[str, ...], explain: bool) -> str:
    """The pitfall picker; the link written; what the bug is (with ``explain``). Returns the pitfall's key."""
    sentence_inputs.choice("pitfall", t("pit.choose"), compute.PITFALL_KEYS, lambda k: t(f"pit.name.{k}"))
    key = state.commit("pitfall")
    state.write_url(names)
    if explain:
        st.markdown(t(f"pit.explain.{key}"))
    return key


def batch_rows() -> tuple[str, ...]:
    """The link's batch rows with words: the pitfalls add their own padded row where they need one."""
    return tuple(row for row in state.batch_rows(state.get("batch"))[0] if row.strip())


def run(key: str, rows: tuple[str, ...], model: str) -> PitfallRun:
    """Pitfall ``key`` run on ``rows`` encoded by ``model``, with the unknown-words notice."""
    with st.spinner(t("spinner.model")):
        decoded = compute.decode_batch(rows, "correct", 0, model)
        params = compute.translator(model).params
        unknown = model_words.unknown_words([token for r in decoded.tokens for token in r], model)
    notices.unknown_words_notice(unknown)
    h, s_prev, mask = decoded.h, decoded.steps[0].s_prev, decoded.mask  # (batch, T, d_h), (batch, d_s), (batch, T)
    result = compute.run_pitfall(key, h, s_prev, params, mask)
    return PitfallRun(key, rows, decoded.tokens, h, s_prev, params, result)


def code_part(pitfall: PitfallRun) -> None:
    """The buggy line and its one-line fix, the article's own code, and the error the bug raises."""
    result = pitfall.result
    st.caption(t("pit.sentence_note"))
    code_left, code_right = st.columns(2)
    code_left.markdown(f"**{t('pit.buggy')}**")
    code_left.code(result.buggy_code, language="python", wrap_lines=True)
    code_right.markdown(f"**{t('pit.fix')}**")
    code_right.code(result.fixed_code, language="python", wrap_lines=True)
    article_views.article_code(pitfall.key)
    if result.error:
        st.markdown(f"**{t('pit.error')}**")
        st.code(result.error, language="text", wrap_lines=True)


def row_tokens(pitfall: PitfallRun, n_rows: int) -> list[list[str]]:
    """The words of each row the pitfall ran on: the batch's rows, then the rows it added
    (no_time_axis cycles the batch's rows; the mask pitfalls add one row of padding only)."""
    batch = len(pitfall.tokens)
    if pitfall.key == "no_time_axis":
        return [pitfall.tokens[k % batch] for k in range(n_rows)]
    return [pitfall.tokens[k] if k < batch else [] for k in range(n_rows)]


def as_rows(alpha) -> np.ndarray:
    """α as ``(batch, T_x)``, whatever axis the bug left it with (softmax_axis keeps a size-1 axis)."""
    alpha = np.asarray(alpha, dtype=np.float64)
    return alpha.reshape(alpha.shape[0], -1) if alpha.ndim > 1 else alpha[None, :]


def alpha_figure(pitfall: PitfallRun, alpha, title: str):
    alpha = as_rows(alpha)
    return figures.batch_heatmap(
        alpha,
        row_tokens(pitfall, alpha.shape[0]),
        title,
        t("mask.row"),
        page_frame.batch_position_title(alpha.shape[-1]),
        t("mask.pad_word"),
    )


def comparison_line(result) -> str:
    """One line on buggy vs correct that agrees with everything above it: an error, NaN, or the gap."""
    buggy_alpha, correct_alpha = result.buggy.get("alpha"), result.correct.get("alpha")
    if result.error:
        kind = result.error.split(":", 1)[0]
        same_alpha = (
            buggy_alpha is not None
            and correct_alpha is not None
            and np.shape(buggy_alpha) == np.shape(correct_alpha)
            and np.allclose(as_rows(buggy_alpha), as_rows(correct_alpha), atol=1e-6)
        )
        return t("pit.raises_after_alpha", error=kind) if same_alpha else t("pit.raises", error=kind)
    if buggy_alpha is None or correct_alpha is None or np.shape(buggy_alpha) != np.shape(correct_alpha):
        return t("pit.not_comparable")
    buggy, right = as_rows(buggy_alpha), as_rows(correct_alpha)
    nan_rows = [k for k in range(buggy.shape[0]) if np.isnan(buggy[k]).any()]
    finite = [k for k in range(buggy.shape[0]) if k not in nan_rows]
    gap = float(np.max(np.abs(buggy[finite] - right[finite]))) if finite else 0.0
    if nan_rows:
        return t("pit.differs_nan", rows=", ".join(str(k + 1) for k in nan_rows), gap=f"{gap:.4f}")
    return t("pit.same") if gap < 1e-6 else t("pit.differs", gap=f"{gap:.4f}")


def side(pitfall: PitfallRun, side_name: str, arrays: dict) -> None:
    """What one side (``buggy`` or ``correct``) computed: its α map and sums, and ‖c‖ or the error."""
    result = pitfall.result
    st.subheader(t(f"pit.{side_name}"))
    if arrays.get("alpha") is not None:
        exports.show_figure(
            alpha_figure(pitfall, arrays["alpha"], t("pit.alpha")),
            key=f"pit_{pitfall.key}_{side_name}",
            name=f"{exports.slug(' '.join(pitfall.rows))}_{pitfall.key}_{side_name}",
        )
        alpha = as_rows(arrays["alpha"])
        st.caption(f"Σⱼ α = {np.round(alpha.sum(axis=1), 4).tolist()}")
        nan_rows = [k + 1 for k in range(alpha.shape[0]) if np.isnan(alpha[k]).any()]
        if nan_rows:
            st.error(t("pit.nan_rows", rows=", ".join(map(str, nan_rows))), icon=":material/error:")
    if arrays.get("context") is not None:
        context = np.asarray(arrays["context"], dtype=np.float64)
        st.caption(f"‖c‖ = {np.round(np.linalg.norm(context.reshape(context.shape[0], -1), axis=1), 4).tolist()}")
    elif side_name == "buggy" and result.error:
        st.error(t("pit.no_context", error=result.error.split(":", 1)[0]), icon=":material/error:")


def computed_part(pitfall: PitfallRun) -> None:
    """What the buggy and the correct code compute, side by side, and how they differ."""
    result = pitfall.result
    left, right = st.columns(2)
    for column, side_name, arrays in ((left, "buggy", result.buggy), (right, "correct", result.correct)):
        with column:
            side(pitfall, side_name, arrays)

    st.info(comparison_line(result), icon=":material/compare_arrows:")

    if pitfall.key == "no_time_axis":
        h, s_prev = pitfall.h, pitfall.s_prev
        T_x = h.shape[1]
        st.caption(t("pit.batch_eq_time", batch=T_x))
        raising = compute.query_without_time_axis(h[:1], s_prev[:1], pitfall.params) if T_x != 1 else None
        if raising is not None and raising.error:
            st.caption(t("pit.batch_ne_time", batch=1, T_x=T_x))
            st.code(raising.error, language="text", wrap_lines=True)
