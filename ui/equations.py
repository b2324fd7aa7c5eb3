"""The seven equations of one decoder step: each one's LaTeX with real numbers, tensor and chart.

Every value comes from the ``Translation`` the page holds: the trace of the step and
the model's weights. The only arithmetic here is the substituted sum for one chosen
entry, shown beside the value the model computed so the two can be compared.
"""

from __future__ import annotations

import inspect
import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ui import figures
from ui.layout import escape_markdown
from ui.strings import t

EQUATIONS = (1, 2, 3, 4, 5, 6, 7)
LATEX = {
    1: r"W_1 h_j",
    2: r"W_2 s_{i-1}",
    3: r"\tanh\left(W_1 h_j + W_2 s_{i-1} + b\right)",
    4: r"e_{ij} = v^\top \tanh(\cdots)",
    5: r"\alpha_{ij} = \mathrm{softmax}_j(e_{ij})",
    6: r"c_i = \textstyle\sum_j \alpha_{ij} h_j",
    7: r"y_i = g(s_{i-1}, c_i)",
}


def source_code(eq: int) -> str:
    """The code of the ``attention_core`` function that computed equation ``eq``."""
    from attention_core.attention import bahdanau_attention, masked_softmax, weighted_sum
    from attention_core.model import Seq2Seq

    function = {5: masked_softmax, 6: weighted_sum, 7: Seq2Seq.output_logits}.get(eq, bahdanau_attention)
    return textwrap.dedent(inspect.getsource(function))


@dataclass
class EquationView:
    """What the page draws for one equation."""

    latex: str  # the equation with real numbers for the chosen entry
    table: pd.DataFrame  # the tensor, labelled
    figure: figures.Figure
    shape: tuple[int, ...]
    arrays: dict[str, np.ndarray]  # the step's tensors for export
    facts: list[str]  # short checks shown under the chart (sums, maxima)


def _num(x: float) -> str:
    if not np.isfinite(x):
        return r"\mathrm{NaN}" if np.isnan(x) else (r"\infty" if x > 0 else r"-\infty")
    return f"{x:.4f}"


def _factor(x: float) -> str:
    return f"({_num(x)})" if x < 0 else _num(x)


def _sum_terms(a: np.ndarray, b: np.ndarray, shown: int = 2) -> str:
    """``a₁·b₁ + a₂·b₂ + …`` with the first few terms written out, negative factors in brackets."""
    terms = [f"{_factor(x)}\\cdot{_factor(y)}" for x, y in zip(a, b)]
    text = " + ".join(terms[:shown])
    return text + (r" + \cdots" if len(terms) > shown else "")


def _dims(n: int, prefix: str) -> list[str]:
    return [f"{prefix}{k + 1}" for k in range(n)]


def _latex_label(token: str) -> str:
    """A token inside \\text{}: LaTeX specials removed (it is a label, not markup)."""
    kept = "".join(ch for ch in token if ch not in "\\{}$&#^_%~")
    return kept[:24] or "?"


def view(eq: int, translation, step_index: int, j: int, a: int, params, output_weights, target_vocab) -> EquationView:
    """Equation ``eq`` at decoder step ``step_index`` (0-based), entry ``j`` (source) and ``a`` (dimension)."""
    step = translation.steps[step_index]
    trace = step.trace
    tokens = translation.source_tokens
    T_x, d_a = trace.W1_h.shape
    d_h = translation.h.shape[1]
    i = step.i
    arrays = {
        "h": translation.h,
        "s_prev": step.s_prev,
        "W1_h": trace.W1_h,
        "W2_s": trace.W2_s,
        "pre_activation": trace.pre_activation,
        "tanh_activation": trace.tanh_activation,
        "e": trace.e,
        "alpha": trace.alpha,
        "context": trace.context,
        "logits": step.logits,
        "probabilities": step.probabilities,
    }
    facts: list[str] = []
    if eq == 1:
        value = trace.W1_h[j, a]
        latex = (
            rf"(W_1 h_{{{j + 1}}})_{{{a + 1}}} = \sum_{{d=1}}^{{{d_h}}} h_{{{j + 1},d}}\,W_1[d,{a + 1}]"
            rf" = {_sum_terms(translation.h[j], params.W1[:, a])} = {_num(value)}"
        )
        table = figures.frame(trace.W1_h, tokens, _dims(d_a, "a"))
        fig = figures.heatmap(trace.W1_h, tokens, _dims(d_a, "a"), t("eq.1.chart"), t("axis.source"), t("axis.dim"))
        shape = trace.W1_h.shape
    elif eq == 2:
        value = trace.W2_s[a]
        latex = (
            rf"(W_2 s_{{{i - 1}}})_{{{a + 1}}}"
            rf" = \sum_{{d=1}}^{{{step.s_prev.shape[0]}}} s_{{{i - 1},d}}\,W_2[d,{a + 1}]"
            rf" = {_sum_terms(step.s_prev, params.W2[:, a])} = {_num(value)}"
        )
        table = figures.frame(trace.W2_s[None, :], [f"s_{i - 1}"], _dims(d_a, "a"))
        fig = figures.heatmap(
            trace.W2_s[None, :], [f"W2·s_{i - 1}"], _dims(d_a, "a"), t("eq.2.chart"), "", t("axis.dim")
        )
        shape = trace.W2_s.shape
    elif eq == 3:
        x, y, z = trace.W1_h[j, a], trace.W2_s[a], params.b[a]
        latex = (
            rf"\tanh\big((W_1 h_{{{j + 1}}})_{{{a + 1}}} + (W_2 s_{{{i - 1}}})_{{{a + 1}}} + b_{{{a + 1}}}\big)"
            rf" = \tanh({_num(x)} + {_num(y)} + {_num(z)}) = \tanh({_num(trace.pre_activation[j, a])})"
            rf" = {_num(trace.tanh_activation[j, a])}"
        )
        table = figures.frame(trace.tanh_activation, tokens, _dims(d_a, "a"))
        fig = figures.heatmap(
            trace.tanh_activation,
            tokens,
            _dims(d_a, "a"),
            t("eq.3.chart"),
            t("axis.source"),
            t("axis.dim"),
            domain=(-1.0, 1.0),
        )
        shape = trace.tanh_activation.shape
        facts.append(t("eq.3.fact", share=float(np.mean(np.abs(trace.tanh_activation) > 0.99))))
    elif eq == 4:
        latex = (
            rf"e_{{{i},{j + 1}}} = \sum_{{a=1}}^{{{d_a}}} v_a \tanh(\cdots)_{{{j + 1},a}}"
            rf" = {_sum_terms(params.v, trace.tanh_activation[j])} = {_num(trace.e[j])}"
        )
        table = figures.frame(trace.e[:, None], tokens, ["e"])
        fig = figures.bars(trace.e, tokens, t("eq.4.chart"), t("axis.source"), "e")
        shape = trace.e.shape
        facts.append(t("eq.4.fact", word=escape_markdown(tokens[int(np.argmax(trace.e))])))
    elif eq == 5:
        total = float(np.sum(np.exp(trace.e - trace.e.max())))
        latex = (
            rf"\alpha_{{{i},{j + 1}}} = \frac{{\exp(e_{{{i},{j + 1}}} - m)}}{{\sum_k \exp(e_{{{i},k}} - m)}}"
            rf" = \frac{{\exp({_num(trace.e[j] - trace.e.max())})}}{{{_num(total)}}} = {_num(trace.alpha[j])}"
            rf",\quad m = \max_k e_{{{i},k}} = {_num(trace.e.max())}"
        )
        table = figures.frame(np.stack([trace.e, trace.alpha], axis=1), tokens, ["e", "α"])
        fig = figures.bars(trace.alpha, tokens, t("eq.5.chart"), t("axis.source"), "α")
        shape = trace.alpha.shape
        facts.append(t("eq.5.fact", total=f"{float(np.sum(trace.alpha, dtype=np.float64)):.6f}"))
    elif eq == 6:
        terms = trace.alpha[:, None] * translation.h  # (T_x, d_h): α_ij h_j, one row per source word
        summed = terms.sum(axis=0)
        latex = (
            rf"c_{{{i},{a + 1}}} = \sum_{{j=1}}^{{{T_x}}} \alpha_{{{i},j}}\,h_{{j,{a + 1}}}"
            rf" = {_sum_terms(trace.alpha, translation.h[:, a])} = {_num(trace.context[a])}"
        )
        rows = [*tokens, "Σ = c"]
        table = figures.frame(np.vstack([terms, trace.context[None, :]]), rows, _dims(d_h, "d"))
        fig = figures.heatmap(
            np.vstack([terms, trace.context[None, :]]),
            rows,
            _dims(d_h, "d"),
            t("eq.6.chart"),
            t("axis.source"),
            t("axis.dim"),
        )
        shape = trace.context.shape
        facts.append(t("eq.6.fact", gap=f"{float(np.max(np.abs(summed - trace.context))):.2e}"))
    elif eq == 7:
        W_o, b_o = output_weights
        k = target_vocab.id(step.chosen) if target_vocab.known(step.chosen) else int(np.argmax(step.logits))
        sc = np.concatenate([step.s_prev, trace.context])
        latex = (
            r"\begin{gathered}"
            rf"P(y_{{{i}}} = \text{{{_latex_label(target_vocab.token(k))}}})"
            rf" = \mathrm{{softmax}}(W_o[s_{{{i - 1}}};c_{{{i}}}] + b_o)_k = {_num(step.probabilities[k])}"
            r"\\"
            rf"(W_o[s_{{{i - 1}}};c_{{{i}}}] + b_o)_k = {_sum_terms(sc, W_o[:, k])} + {_factor(b_o[k])}"
            rf" = {_num(step.logits[k])}"
            r"\end{gathered}"
        )
        words = [w for w, _ in step.top_words]
        probs = np.array([p for _, p in step.top_words])
        table = pd.DataFrame(
            {t("eq.7.word"): words, "P": probs, "logit": [step.logits[target_vocab.id(w)] for w in words]},
            index=range(1, len(words) + 1),  # rank, counted from 1 like every other label
        )
        fig = figures.bars(probs, words, t("eq.7.chart"), t("eq.7.word"), "P")
        shape = step.probabilities.shape
        facts.append(t("eq.7.fact", chosen=escape_markdown(step.chosen), predicted=escape_markdown(step.predicted)))
    else:
        raise ValueError(f"eq must be one of {EQUATIONS}. Received: eq={eq!r}")
    return EquationView(latex=latex, table=table, figure=fig, shape=tuple(shape), arrays=arrays, facts=facts)
