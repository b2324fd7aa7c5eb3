"""Classic attention bugs, each run live next to the correct computation, with its one-line fix."""

import numpy as np
import streamlit as st

from ui.charts import figures
from ui.models import compute
from ui.presenter import slides
from ui.session import state
from ui.strings import t
from ui.views import article_views
from ui.widgets import exports, layout

NAMES = ("batch", "pitfall", "slide")
layout.page_start("pitfalls", NAMES, "pit.title")
# In presenter mode two slides: the bug and its fix in code, then what each computes.
shown = slides.deck("pitfalls", 2)

layout.choice("pitfall", t("pit.choose"), compute.PITFALL_KEYS, lambda k: t(f"pit.name.{k}"))
key = state.commit("pitfall")
state.write_url(NAMES)
if slides.shows(shown, 1):
    st.markdown(t(f"pit.explain.{key}"))


# The pitfalls add their own padded row where they need one: blank lines are left out here.
rows = tuple(row for row in state.batch_rows(state.get("batch"))[0] if row.strip())
model = layout.chosen_model()
layout.stop_unless_additive(model, NAMES)
with st.spinner(t("spinner.model")):
    decoded = compute.decode_batch(rows, "correct", 0, model)
    params = compute.translator(model).params
    unknown = compute.unknown_words([token for r in decoded.tokens for token in r], model)
layout.unknown_words_notice(unknown)

h, s_prev, mask = decoded.h, decoded.steps[0].s_prev, decoded.mask  # (batch, T, d_h), (batch, d_s), (batch, T)
result = compute.run_pitfall(key, h, s_prev, params, mask)


def code_part() -> None:
    """The buggy line and its one-line fix, the article's own code, and the error the bug raises."""
    st.caption(t("pit.sentence_note"))
    code_left, code_right = st.columns(2)
    code_left.markdown(f"**{t('pit.buggy')}**")
    code_left.code(result.buggy_code, language="python", wrap_lines=True)
    code_right.markdown(f"**{t('pit.fix')}**")
    code_right.code(result.fixed_code, language="python", wrap_lines=True)
    article_views.article_code(key)
    if result.error:
        st.markdown(f"**{t('pit.error')}**")
        st.code(result.error, language="text", wrap_lines=True)


if slides.shows(shown, 1):
    code_part()


def row_tokens(n_rows: int) -> list[list[str]]:
    """The words of each row the pitfall ran on: the batch's rows, then the rows it added
    (no_time_axis cycles the batch's rows; the mask pitfalls add one row of padding only)."""
    batch = len(decoded.tokens)
    if key == "no_time_axis":
        return [decoded.tokens[k % batch] for k in range(n_rows)]
    return [decoded.tokens[k] if k < batch else [] for k in range(n_rows)]


def as_rows(alpha) -> np.ndarray:
    """α as ``(batch, T_x)``, whatever axis the bug left it with (softmax_axis keeps a size-1 axis)."""
    alpha = np.asarray(alpha, dtype=np.float64)
    return alpha.reshape(alpha.shape[0], -1) if alpha.ndim > 1 else alpha[None, :]


def alpha_figure(alpha, title: str):
    alpha = as_rows(alpha)
    return figures.batch_heatmap(
        alpha,
        row_tokens(alpha.shape[0]),
        title,
        t("mask.row"),
        layout.batch_position_title(alpha.shape[-1]),
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


def computed_part() -> None:
    """What the buggy and the correct code compute, side by side, and how they differ."""
    left, right = st.columns(2)
    for column, side, arrays in ((left, "buggy", result.buggy), (right, "correct", result.correct)):
        with column:
            st.subheader(t(f"pit.{side}"))
            if arrays.get("alpha") is not None:
                exports.show_figure(
                    alpha_figure(arrays["alpha"], t("pit.alpha")),
                    key=f"pit_{key}_{side}",
                    name=f"{exports.slug(' '.join(rows))}_{key}_{side}",
                )
                alpha = as_rows(arrays["alpha"])
                st.caption(f"Σⱼ α = {np.round(alpha.sum(axis=1), 4).tolist()}")
                nan_rows = [k + 1 for k in range(alpha.shape[0]) if np.isnan(alpha[k]).any()]
                if nan_rows:
                    st.error(t("pit.nan_rows", rows=", ".join(map(str, nan_rows))), icon=":material/error:")
            if arrays.get("context") is not None:
                context = np.asarray(arrays["context"], dtype=np.float64)
                st.caption(
                    f"‖c‖ = {np.round(np.linalg.norm(context.reshape(context.shape[0], -1), axis=1), 4).tolist()}"
                )
            elif side == "buggy" and result.error:
                st.error(t("pit.no_context", error=result.error.split(":", 1)[0]), icon=":material/error:")

    st.info(comparison_line(result), icon=":material/compare_arrows:")

    if key == "no_time_axis":
        T_x = h.shape[1]
        st.caption(t("pit.batch_eq_time", batch=T_x))
        raising = compute.query_without_time_axis(h[:1], s_prev[:1], params) if T_x != 1 else None
        if raising is not None and raising.error:
            st.caption(t("pit.batch_ne_time", batch=1, T_x=T_x))
            st.code(raising.error, language="text", wrap_lines=True)


if slides.shows(shown, 2):
    computed_part()
