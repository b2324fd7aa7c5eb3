"""The masking page's content: one padded batch decoded without a mask, under the chosen strategy and
under the correct mask, drawn side by side with the weight each row puts on padding.

The leak (α on padding) is ``attention_core.decoding.masking.padding_weight``; this module decodes
through ``ui.models.compute`` and draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from attention_core.decoding.masking import padding_weight
from ui.charts import figures
from ui.models import compute, model_words
from ui.session import state
from ui.strings import t
from ui.views import article_views
from ui.widgets import exports, notices, page_frame, sentence_inputs

SPECIAL_WORDS = {"<end>": "mask.word_end", "<pad>": "mask.word_none", "<start>": "mask.word_none"}


@dataclass(frozen=True)
class MaskedBatch:
    """One batch decoded three ways, padded to one length: no mask, the chosen strategy, the correct mask."""

    rows: tuple[str, ...]
    strategy: str
    unmasked: object  # BatchDecode, mask strategy "none"
    masked: object  # BatchDecode, the chosen strategy
    correct: object  # BatchDecode, the correct mask

    @property
    def n_steps(self) -> int:
        return min(len(self.unmasked.steps), len(self.masked.steps), len(self.correct.steps))

    @property
    def baseline(self) -> str:
        """The side beside the chosen strategy: no mask, and "no mask" itself beside the correct mask."""
        return "correct" if self.strategy == "none" else "none"


def batch_input() -> tuple[str, ...]:
    """The batch box (not on a slide) and its rows, with a warning when no row has words."""
    if not page_frame.presenting():
        st.text_area(t("mask.batch"), key=state.widget_key("batch"), help=t("mask.batch_help"), height=130)
    rows, usable = state.batch_rows(state.commit("batch"))
    if not usable:
        st.warning(t("mask.bad_batch"), icon=":material/warning:")
    return rows


def strategy_input() -> str:
    """The strategy picker, what the strategy does, and the article's own line where it is this strategy."""
    sentence_inputs.choice("strategy", t("mask.strategy"), compute.MASK_STRATEGIES, lambda s: t(f"mask.strategy.{s}"))
    strategy = state.commit("strategy")
    st.caption(t(f"mask.strategy_explain.{strategy}"))
    if not page_frame.presenting():
        article_views.article_line(strategy)
    return strategy


def decode(rows: tuple[str, ...], strategy: str, model: str) -> MaskedBatch:
    """``rows`` decoded by ``model`` without a mask, under ``strategy`` and under the correct mask."""
    with st.spinner(t("spinner.model")):
        longest = max(len(model_words.tokenize_for(r, model)) for r in rows)
        pad_to = max(longest + 2, 4)  # at least two padding positions, so padding always shows
        unmasked = compute.decode_batch(rows, "none", pad_to, model)
        masked = compute.decode_batch(rows, strategy, pad_to, model)
        correct = compute.decode_batch(rows, "correct", pad_to, model)
        unknown = model_words.unknown_words([token for r in unmasked.tokens for token in r], model)
    notices.unknown_words_notice(unknown)
    return MaskedBatch(rows, strategy, unmasked, masked, correct)


def _go_to_step(step: int) -> None:
    state.put("step", step)


def step_slider(batch: MaskedBatch, names: tuple[str, ...]) -> int:
    """The step slider; returns the 0-based step shown. A batch without a step says so and ends the page."""
    if batch.n_steps == 0:
        st.info(t("mask.no_steps"))
        state.write_url(names)
        st.stop()
    notices.clamp_step(batch.n_steps)
    st.select_slider(  # on a slide the line below it says which step it shows
        t("mask.step"),
        options=list(range(1, batch.n_steps + 1)),
        key=state.widget_key("step"),
        label_visibility=page_frame.slide_label(),
    )
    return state.commit("step") - 1


def leak_callout(batch: MaskedBatch, i: int) -> None:
    """Where padding takes the most weight without a mask: at step ``i``, and over every step."""
    unmasked = batch.unmasked
    has_words = np.array([len(r) > 0 for r in unmasked.tokens])
    if not has_words.any():
        return
    leaks = np.stack([padding_weight(s.trace.alpha, unmasked.mask) for s in unmasked.steps[: batch.n_steps]])
    masked_leaks = np.where(has_words[None, :], leaks, -1.0)  # (n_steps, batch)
    worst_step, worst_row = np.unravel_index(int(np.argmax(masked_leaks)), masked_leaks.shape)
    here = int(np.argmax(masked_leaks[i]))
    worst = st.columns([4, 1], vertical_alignment="center")
    message = t("mask.leak_here", step=i + 1, row=here + 1, leak=f"{leaks[i, here]:.2f}")
    if worst_step != i and not page_frame.presenting():  # a slide says what it shows, on one line
        most = f"{leaks[worst_step, worst_row]:.2f}"
        message += " " + t("mask.leak_most", step=worst_step + 1, row=worst_row + 1, leak=most)
    worst[0].info(message, icon=":material/water_drop:")
    if not page_frame.presenting():
        worst[1].button(
            t("mask.go_step", step=worst_step + 1),
            on_click=_go_to_step,
            args=(int(worst_step) + 1,),
            disabled=i == worst_step,
            width="stretch",
        )


def _word(decode, k: int, word: str) -> str:
    """An output word as the table shows it: special tokens and rows without words said in words."""
    if not decode.tokens[k]:
        return t("mask.word_none")
    return t(SPECIAL_WORDS[word]) if word in SPECIAL_WORDS else word


def summary(decode, reference, i: int) -> pd.DataFrame:
    """Step ``i`` of ``decode`` row by row: real tokens, α on padding, ‖Δc‖ and the word beside ``reference``'s."""
    step, ref = decode.steps[i], reference.steps[i]
    delta = np.linalg.norm(step.trace.context - ref.trace.context, axis=1)
    return pd.DataFrame(
        {
            t("mask.real_tokens"): decode.mask.sum(axis=1),
            t("mask.leak"): padding_weight(step.trace.alpha, decode.mask),
            t("mask.delta_c"): delta,
            t("mask.word"): [
                _word(decode, k, w) + ("" if w == r or not decode.tokens[k] else f" ≠ {_word(decode, k, r)}")
                for k, (w, r) in enumerate(zip(step.chosen, ref.chosen))
            ],
        },
        index=[f"{t('mask.row')} {k + 1}" for k in range(len(decode.tokens))],
    )


def summary_columns() -> dict:
    """The summary table's columns, in the language of this run."""
    return {
        t("mask.real_tokens"): st.column_config.NumberColumn(help=t("mask.real_tokens_help"), width="small"),
        t("mask.leak"): st.column_config.NumberColumn(help=t("mask.leak_help"), format="%.4f", width="small"),
        t("mask.delta_c"): st.column_config.NumberColumn(help=t("mask.delta_c_help"), format="%.4f", width="small"),
        t("mask.word"): st.column_config.TextColumn(help=t("mask.word_help")),
    }


def fully_padded_story(decode, k: int, i: int) -> str:
    """What this side's strategy did at step ``i`` to row ``k``, which has no words, read from its own numbers."""
    alpha = decode.steps[i].trace.alpha[k]  # (T,)
    context = decode.steps[i].trace.context[k]  # (d_h,)
    T = decode.padded_length
    if np.isnan(alpha).any():
        return t("mask.story.nan")
    if np.allclose(alpha, 0.0):
        return t("mask.story.zero", norm=f"{np.linalg.norm(context):.4f}")
    h_norm = float(np.linalg.norm(decode.h[k]))  # encoder states of the row: padding only
    if np.allclose(alpha, 1.0 / T, atol=1e-6):
        return t(
            "mask.story.uniform", T=T, each=f"{1.0 / T:.4f}", norm=f"{np.linalg.norm(context):.4f}", h=f"{h_norm:.1f}"
        )
    return t(
        "mask.story.other", leak=f"{np.nansum(alpha):.4f}", norm=f"{np.linalg.norm(context):.4f}", h=f"{h_norm:.1f}"
    )


def side_title(mask_strategy: str) -> str:
    if mask_strategy == "none":
        return t("mask.side_left")
    return t("mask.side_right", strategy=t(f"mask.strategy.{mask_strategy}"))


def word_stories(decode, reference, i: int) -> list[str]:
    """Why a row's output word differs from the correct mask's, in words, from this side's own numbers."""
    step, ref = decode.steps[i], reference.steps[i]
    leak = padding_weight(step.trace.alpha, decode.mask)
    delta_c = np.linalg.norm(step.trace.context - ref.trace.context, axis=1)
    delta_s = np.linalg.norm(step.s_prev - ref.s_prev, axis=1)
    stories = []
    for k, (w, r) in enumerate(zip(step.chosen, ref.chosen)):
        if w == r or not decode.tokens[k] or np.isnan(delta_c[k]):
            continue
        story = t(
            "mask.word_story",
            row=k + 1,
            word=_word(decode, k, w),
            reference=_word(decode, k, r),
            leak=f"{leak[k]:.2f}",
            delta=f"{delta_c[k]:.2f}",
        )
        if delta_s[k] > 1e-4:  # an earlier step already differed: the decoder state carries it
            story += " " + t("mask.word_story_state", delta=f"{delta_s[k]:.2f}")
        stories.append(story)
    return stories


def side(side_name: str, decode, batch: MaskedBatch, i: int) -> None:
    """One side at step ``i``: its α map, and (not on a slide) its numbers and what they mean."""
    st.subheader(side_title(decode.mask_strategy))
    alpha = decode.steps[i].trace.alpha
    figure = figures.batch_heatmap(
        alpha,
        decode.tokens,
        t("mask.alpha_chart", step=i + 1),
        t("mask.row"),
        page_frame.batch_position_title(alpha.shape[-1]),
        t("mask.pad_word"),
    )
    exports.show_figure(
        figure,
        key=f"mask_{side_name}_{decode.mask_strategy}_{i}",
        name=f"{exports.slug(' '.join(r for r in batch.rows if r.strip()))}_step{i + 1}_{decode.mask_strategy}",
    )
    if not page_frame.presenting():  # a slide keeps the two maps; the numbers are in the page's tables
        st.dataframe(
            summary(decode, batch.correct, i),
            width="stretch",
            column_config=summary_columns(),
            placeholder=t("mask.undefined"),
        )
        for story in word_stories(decode, batch.correct, i):
            st.caption(story)
    nan_rows = [k + 1 for k in range(len(decode.tokens)) if np.isnan(alpha[k]).any()]
    if nan_rows:
        st.error(t("mask.nan_rows", rows=", ".join(map(str, nan_rows))), icon=":material/error:")
    for k, r in enumerate(decode.tokens):
        if not r and not page_frame.presenting():
            st.caption(t("mask.fully_padded", row=k + 1) + " " + fully_padded_story(decode, k, i))


def sides(batch: MaskedBatch, i: int) -> None:
    """The baseline on the left, the chosen strategy on the right."""
    left, right = st.columns(2)
    baseline = batch.unmasked if batch.baseline == "none" else batch.correct
    for side_name, column, decode in (("left", left, baseline), ("right", right, batch.masked)):
        with column:
            side(side_name, decode, batch, i)


def invariance(batch: MaskedBatch, i: int, model: str) -> None:
    """Each row alone gives the context it gets in the padded batch under the correct mask (not on a slide)."""
    if page_frame.presenting():
        return  # a slide: the two sides and their numbers; the notes and the invariance check are the page's
    correct = batch.correct
    st.subheader(t("mask.invariance"))
    for k, r in enumerate(correct.tokens):
        if not r:
            continue
        alone = compute.decode_batch((batch.rows[k],), "correct", len(r), model)
        if i < len(alone.steps):
            gap = float(np.linalg.norm(alone.steps[i].trace.context[0] - correct.steps[i].trace.context[k]))
            st.write(t("mask.invariance_text", row=k + 1, length=correct.padded_length, gap=f"{gap:.2e}"))
