"""The equations of one decoder step, as one ordered registry: ``STEPS``.

Each entry names its key (links and strings: ``eq.<key>.name``, ``.explain``, ``.chart``),
its LaTeX, the ``attention_core`` function that computed its numbers (shown in the code
box), which entry pickers apply, and the view that substitutes the real numbers, labels
the tensor and draws the figure. Adding or changing an equation touches one entry and
its strings; the page, the link parser's bound for ``eq`` and the code box read ``STEPS``.

Every value comes from the ``Translation`` the page holds: the trace of the step and the
model's weights. The only arithmetic here is the written-out sum for one chosen entry,
shown beside the value the model computed so the two can be compared.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ui.charts import figures
from ui.strings import escape_markdown, t


@dataclass(frozen=True)
class StepContext:
    """What every equation view reads: one decoder step of one translation, and the entry picked."""

    translation: object  # attention_core Translation
    step_index: int  # 0-based decoder step
    j: int  # 0-based source position for the written-out numbers
    a: int  # 0-based dimension for the written-out numbers
    params: object  # AdditiveParams as numpy
    output_weights: tuple[np.ndarray, np.ndarray]  # W_o (d_s + d_h, |V_y|), b_o (|V_y|,)
    target_vocab: object  # the target Vocabulary

    @property
    def step(self):
        return self.translation.steps[self.step_index]

    @property
    def trace(self):
        return self.step.trace

    @property
    def tokens(self) -> list[str]:
        return self.translation.source_tokens

    @property
    def i(self) -> int:
        return self.step.i


@dataclass
class EquationView:
    """What the page draws for one equation."""

    worked: str  # the equation with real numbers for the chosen entry (LaTeX, one short line per row)
    value: float  # the model's value that the worked equation ends with
    table: pd.DataFrame  # the tensor, labelled
    figure: figures.Figure
    shape: str  # what the table holds, e.g. "64" or "9 × 64"
    facts: list[str]  # short checks shown under the chart (sums, maxima)
    facts_replace_explanation: bool = False  # on a slide the facts say what the usual explanation would not

    @functools.cached_property
    def arrow_table(self):
        """``table`` as Arrow, converted once for a cached view rather than by every run."""
        return figures.arrow_table(self.table)

    def prepare(self) -> EquationView:
        """Builds what every run sends (the Arrow table, the chart's spec) now, once for a cached view."""
        if self.figure.is_chart:
            self.figure.on_screen()
        _ = self.arrow_table
        return self


@dataclass(frozen=True)
class EquationStep:
    key: str  # in links' string keys: eq.<key>.name / .explain / .chart
    latex: str  # the equation in general form
    core: str  # "module:qualified name" of the attention_core function that computed it
    picks_word: bool  # the source word j changes the written-out numbers
    dimension: str | None  # the written-out entry runs over "d_a", "d_h" or nothing
    view: Callable[[StepContext], EquationView]

    def source_code(self) -> str:
        """The code of the ``attention_core`` function that computed this equation's numbers."""
        return _source_code(self.core)


@functools.cache
def _source_code(core: str) -> str:
    """Read once per server: the code does not change while it runs."""
    module, _, name = core.partition(":")
    target = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    return textwrap.dedent(inspect.getsource(target))


# --------------------------------------------------------------------------- number formatting


def num(x: float) -> str:
    """A value as LaTeX, four decimals; NaN and infinities by name."""
    if not np.isfinite(x):
        return r"\mathrm{NaN}" if np.isnan(x) else (r"\infty" if x > 0 else r"-\infty")
    return f"{x:.4f}"


def _factor(x: float) -> str:
    return f"({num(x)})" if x < 0 else num(x)


def sum_rows(a: np.ndarray, b: np.ndarray) -> list[str]:
    r"""``Σ a_k b_k`` written out as rows that fit a phone: the first two terms, ``⋯`` and the last.

    Each row is ``+ a·b`` (the first without ``+``); a sum of three terms or fewer is written whole.
    """
    terms = [f"{_factor(x)}\\cdot {_factor(y)}" for x, y in zip(a, b)]
    if len(terms) > 3:
        terms = [*terms[:2], r"\cdots", terms[-1]]
    return [terms[0], *(f"+ {term}" for term in terms[1:])]


def aligned(lhs: str, rows: list[str]) -> str:
    r"""``lhs &= row₁ \\ &\quad row₂ …``: a left-hand side and right-hand rows in one aligned block.

    A row starting with ``=`` begins a new step of the derivation; others continue the last one.
    """
    lines = []
    for k, row in enumerate(rows):
        if k == 0:
            lines.append(f"{lhs} &{row}")
        elif row.startswith("="):
            lines.append(f"&{row}")
        else:
            lines.append(rf"&\quad {row}")
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"


def written_sum(lhs: str, general: str, a: np.ndarray, b: np.ndarray, value: float, extra: str = "") -> str:
    """``lhs = general = a₁b₁ + a₂b₂ + ⋯ + a_n b_n [+ extra] = value`` as aligned rows."""
    terms = sum_rows(a, b)
    rows = [f"= {general}", f"= {terms[0]}", *terms[1:]]
    if extra:
        rows.append(f"+ {extra}")
    return aligned(lhs, [*rows, f"= {num(value)}"])


def _dims(n: int, prefix: str) -> list[str]:
    return [f"{prefix}{k + 1}" for k in range(n)]


def _latex_label(token: str) -> str:
    """A token inside \\text{}: LaTeX specials removed (it is a label, not markup)."""
    kept = "".join(ch for ch in token if ch not in "\\{}$&#^_%~")
    return kept[:24] or "?"


def _shape(array: np.ndarray) -> str:
    return " × ".join(str(n) for n in np.shape(array))


# --------------------------------------------------------------------------- one view per equation


def _in_space(figure: figures.Figure, columns: list[str], space: str, c: StepContext) -> figures.Figure:
    """A dimension axis labelled every k-th unit and named by its space ("a": attention, W₁ h, W₂ s,
    tanh; "d": encoder, h and c), with a line on the chart saying why the two sizes differ."""
    sizes = {"d_a": c.params.v.shape[0], "d_h": c.translation.h.shape[1], "d_s": c.step.s_prev.shape[0]}
    figure = figures.column_ticks(figure, columns, title=t(f"axis.space.{space}", n=len(columns)))
    if not figure.is_chart:  # a long sentence's image has no axis to name
        return figure
    return figures.with_subtitle(figure, t(f"eq.space.{space}", **sizes))


def keys_view(c: StepContext) -> EquationView:
    W1_h, d_h = c.trace.W1_h, c.translation.h.shape[1]
    value = float(W1_h[c.j, c.a])
    worked = written_sum(
        rf"(W_1 h_{{{c.j + 1}}})_{{{c.a + 1}}}",
        rf"\sum_{{d=1}}^{{{d_h}}} h_{{{c.j + 1},d}}\,W_1[d,{c.a + 1}]",
        c.translation.h[c.j],
        c.params.W1[:, c.a],
        value,
    )
    columns = _dims(W1_h.shape[1], "a")
    figure = figures.heatmap(
        W1_h, c.tokens, columns, t("eq.keys.chart"), t("axis.source"), t("axis.dim"), t("axis.value")
    )
    figure = _in_space(figure, columns, "a", c)
    return EquationView(worked, value, figures.frame(W1_h, c.tokens, columns), figure, _shape(W1_h), [])


def query_view(c: StepContext) -> EquationView:
    W2_s, s_prev, i = c.trace.W2_s, c.step.s_prev, c.i
    value = float(W2_s[c.a])
    worked = written_sum(
        rf"(W_2 s_{{{i - 1}}})_{{{c.a + 1}}}",
        rf"\sum_{{d=1}}^{{{s_prev.shape[0]}}} s_{{{i - 1},d}}\,W_2[d,{c.a + 1}]",
        s_prev,
        c.params.W2[:, c.a],
        value,
    )
    columns = _dims(W2_s.shape[0], "a")
    table = figures.frame(W2_s[None, :], [f"W2·s_{i - 1}"], columns)
    figure = figures.heatmap(
        W2_s[None, :], [f"W2·s_{i - 1}"], columns, t("eq.query.chart"), "", t("axis.dim"), t("axis.value")
    )
    figure = _in_space(figure, columns, "a", c)
    return EquationView(worked, value, table, figure, _shape(W2_s), [])


def tanh_view(c: StepContext) -> EquationView:
    tr, j, a, i = c.trace, c.j, c.a, c.i
    value = float(tr.tanh_activation[j, a])
    worked = aligned(
        rf"\tanh(\cdot)_{{{j + 1},{a + 1}}}",
        [
            rf"= \tanh\big((W_1 h_{{{j + 1}}})_{{{a + 1}}} + (W_2 s_{{{i - 1}}})_{{{a + 1}}} + b_{{{a + 1}}}\big)",
            rf"= \tanh({num(tr.W1_h[j, a])} + {_factor(tr.W2_s[a])} + {_factor(c.params.b[a])})",
            rf"= \tanh({num(tr.pre_activation[j, a])})",
            f"= {num(value)}",
        ],
    )
    columns = _dims(tr.tanh_activation.shape[1], "a")
    figure = figures.heatmap(
        tr.tanh_activation,
        c.tokens,
        columns,
        t("eq.tanh.chart"),
        t("axis.source"),
        t("axis.dim"),
        t("axis.value"),
        domain=(-1.0, 1.0),
    )
    figure = _in_space(figure, columns, "a", c)
    table = figures.frame(tr.tanh_activation, c.tokens, columns)
    fact = t("eq.tanh.fact", share=float(np.mean(np.abs(tr.tanh_activation) > 0.99)))
    return EquationView(worked, value, table, figure, _shape(tr.tanh_activation), [fact])


def scores_view(c: StepContext) -> EquationView:
    tr, j, d_a = c.trace, c.j, c.params.v.shape[0]
    value = float(tr.e[j])
    worked = written_sum(
        f"e_{{{c.i},{j + 1}}}",
        rf"\sum_{{a=1}}^{{{d_a}}} v_a \tanh(\cdot)_{{{j + 1},a}}",
        c.params.v,
        tr.tanh_activation[j],
        value,
    )
    figure = figures.bars(tr.e, c.tokens, t("eq.e.chart"), t("axis.source"), "e")
    fact = t("eq.e.fact", word=escape_markdown(c.tokens[int(np.argmax(tr.e))]))
    return EquationView(worked, value, figures.frame(tr.e[:, None], c.tokens, ["e"]), figure, _shape(tr.e), [fact])


COMPARED_WORDS = 12  # source words in the chart of an overridden α (two bars each): all labelled on a slide


def overridden_alpha_view(c: StepContext) -> EquationView:
    """α given by the person (renormalised) in place of softmax(e); the model's own α beside it."""
    tr, j, i, own = c.trace, c.j, c.i, c.step.own_alpha
    value = float(tr.alpha[j])
    worked = aligned(
        rf"\alpha'_{{{i},{j + 1}}}",
        [
            rf"= \frac{{w_{{{j + 1}}}}}{{\sum_k w_k}}",
            f"= {num(value)}",
            rf"\alpha_{{{i},{j + 1}}} = \mathrm{{softmax}}_j(e_{{{i},j}}) = {num(float(own[j]))}",
        ],
    )
    table = figures.frame(np.stack([tr.e, own, tr.alpha], axis=1), c.tokens, ["e", "α", "α′"])
    # Two bars a word: a long sentence's chart shows the words around α′'s peak and the model's own
    # (when both fit), every one labelled, on a slide too; the table keeps them all.
    n, given, looked = len(c.tokens), int(np.argmax(tr.alpha)), int(np.argmax(own))
    low, high = (min(given, looked), max(given, looked)) if abs(given - looked) < COMPARED_WORDS else (given, given)
    shown = list(figures.window(low - (COMPARED_WORDS - (high - low)) // 2, COMPARED_WORDS, n))
    title = t("whatif.alpha_chart")
    if len(shown) < n:
        title += " " + t("whatif.words_part", a=shown[0] + 1, b=shown[-1] + 1, n=n)
    figure = figures.compare_bars(
        own[shown],
        tr.alpha[shown],
        [f"{k + 1} {c.tokens[k]}" for k in shown],
        title,
        t("axis.source"),
        "α",
        (t("whatif.own"), t("whatif.given")),
    )
    facts = [t("whatif.alpha_fact", total=f"{float(np.sum(tr.alpha, dtype=np.float64)):.6f}")]
    return EquationView(worked, value, table, figure, _shape(tr.alpha), facts, facts_replace_explanation=True)


def alpha_view(c: StepContext) -> EquationView:
    if c.step.overridden:
        return overridden_alpha_view(c)
    tr, j, i = c.trace, c.j, c.i
    value = float(tr.alpha[j])
    m = float(tr.e.max())
    total = float(np.sum(np.exp(tr.e.astype(np.float64) - m)))
    worked = aligned(
        rf"\alpha_{{{i},{j + 1}}}",
        [
            rf"= \frac{{\exp(e_{{{i},{j + 1}}} - m)}}{{\sum_k \exp(e_{{{i},k}} - m)}}",
            rf"m = \max_k e_{{{i},k}} = {num(m)}",
            rf"= \frac{{\exp({num(tr.e[j] - m)})}}{{{num(total)}}}",
            f"= {num(value)}",
        ],
    )
    table = figures.frame(np.stack([tr.e, tr.alpha], axis=1), c.tokens, ["e", "α"])
    figure = figures.bars(tr.alpha, c.tokens, t("eq.alpha.chart"), t("axis.source"), "α")
    fact = t("eq.alpha.fact", total=f"{float(np.sum(tr.alpha, dtype=np.float64)):.6f}")
    return EquationView(worked, value, table, figure, _shape(tr.alpha), [fact])


def context_view(c: StepContext) -> EquationView:
    tr, h, a, i = c.trace, c.translation.h, c.a, c.i
    T_x, d_h = h.shape
    terms = tr.alpha[:, None] * h  # (T_x, d_h): α_ij h_j, one row per source word
    value = float(tr.context[a])
    worked = written_sum(
        f"c_{{{i},{a + 1}}}",
        rf"\sum_{{j=1}}^{{{T_x}}} \alpha_{{{i},j}}\,h_{{j,{a + 1}}}",
        tr.alpha,
        h[:, a],
        value,
    )
    rows = [*c.tokens, "Σ = c"]
    columns = _dims(d_h, "d")
    stacked = np.vstack([terms, tr.context[None, :]])  # (T_x + 1, d_h)
    figure = figures.heatmap(stacked, rows, columns, t("eq.c.chart"), t("axis.source"), t("axis.dim"), t("axis.value"))
    figure = _in_space(figure, columns, "d", c)
    fact = t("eq.c.fact", gap=f"{float(np.max(np.abs(terms.sum(axis=0) - tr.context))):.2e}")
    shape = t("eq.c.shape", c=_shape(tr.context), table=_shape(stacked))
    return EquationView(worked, value, figures.frame(stacked, rows, columns), figure, shape, [fact])


def output_view(c: StepContext) -> EquationView:
    step, vocab, i = c.step, c.target_vocab, c.i
    W_o, b_o = c.output_weights
    k = vocab.id(step.chosen) if vocab.known(step.chosen) else int(np.argmax(step.logits))
    s_c = np.concatenate([step.s_prev, c.trace.context])  # (d_s + d_h,): [s_{i-1}; c_i]
    value = float(step.probabilities[k])
    word = rf"\text{{{_latex_label(vocab.token(k))}}}"
    logit = written_sum(
        f"z_{{{word}}}",
        rf"(W_o[s_{{{i - 1}}};c_{{{i}}}] + b_o)_{{{word}}}",
        s_c,
        W_o[:, k],
        float(step.logits[k]),
        extra=_factor(b_o[k]),
    )
    worked = (
        r"\begin{gathered}"
        + logit
        + r"\\"
        + rf"P(y_{{{i}}} = {word}) = \mathrm{{softmax}}(z)_{{{word}}} = {num(value)}"
        + r"\end{gathered}"
    )
    words = [w for w, _ in step.top_words]
    probs = np.array([p for _, p in step.top_words])
    table = pd.DataFrame(
        {t("eq.y.word"): words, "P": probs, "logit": [step.logits[vocab.id(w)] for w in words]},
        index=range(1, len(words) + 1),  # rank, counted from 1 like every other label
    )
    figure = figures.bars(probs, words, t("eq.y.chart"), t("eq.y.word"), "P")
    fact = t("eq.y.fact", chosen=escape_markdown(step.chosen), predicted=escape_markdown(step.predicted))
    return EquationView(worked, value, table, figure, _shape(step.probabilities), [fact])


STEPS: tuple[EquationStep, ...] = (
    EquationStep("keys", r"W_1 h_j", "attention_core.nn.attention:project_keys", True, "d_a", keys_view),
    EquationStep("query", r"W_2 s_{i-1}", "attention_core.nn.attention:project_query", False, "d_a", query_view),
    EquationStep(
        "tanh",
        r"\tanh\left(W_1 h_j + W_2 s_{i-1} + b\right)",
        "attention_core.nn.attention:additive_scores",
        True,
        "d_a",
        tanh_view,
    ),
    EquationStep(
        "e", r"e_{ij} = v^\top \tanh(\cdots)", "attention_core.nn.attention:additive_scores", True, None, scores_view
    ),
    EquationStep(
        "alpha",
        r"\alpha_{ij} = \mathrm{softmax}_j(e_{ij})",
        "attention_core.nn.attention:masked_softmax",
        True,
        None,
        alpha_view,
    ),
    EquationStep(
        "c",
        r"c_i = \textstyle\sum_j \alpha_{ij} h_j",
        "attention_core.nn.attention:weighted_sum",
        False,
        "d_h",
        context_view,
    ),
    EquationStep("y", r"y_i = g(s_{i-1}, c_i)", "attention_core.nn.attention:output_logits", False, None, output_view),
)
"""The equations of one decoder step, in the order the page walks them; ``eq`` in a link is 1-based."""

EQUATION_NUMBERS = tuple(range(1, len(STEPS) + 1))


def step_of(number: int) -> EquationStep:
    """The equation ``number`` (1-based, as in links)."""
    if number not in EQUATION_NUMBERS:
        raise ValueError(f"eq must be one of {EQUATION_NUMBERS}. Received: eq={number!r}")
    return STEPS[number - 1]
