"""The lesson's questions: each one computed from the live model on the current sentence, its
answer checked against the model, its explanation the numbers that decide it.

A question is built fresh for every sentence, so changing the sentence changes the question,
its right answer and its numbers. Nothing here draws: ``ui.views.lesson_views`` does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from attention_core.decoding.masking import future_weight
from ui.charts import figures
from ui.models import catalog, compute, evaluation_tables, model_words
from ui.strings import escape_markdown, t
from ui.views import transformer_masks, what_if
from ui.widgets import sentence_inputs

PADDING_ADDED = 6  # padding positions after the sentence in the masking question's batch


@dataclass(frozen=True)
class Question:
    """A predict-then-reveal question: ``answer`` is one of ``options``, decided by ``explanation``'s numbers."""

    prompt: str  # markdown; user words only through sentence_inputs.token_line / escape_markdown
    options: tuple  # option values, in the order shown
    labels: tuple[str, ...]  # what each option reads as (markdown; a user's words escaped)
    answer: object  # the right option, computed from the model
    explanation: str  # markdown: the numbers that decide it
    step: int | None = None  # the decoder step (1-based) the question is about, for the page link
    link: dict | None = None  # the query of the full page this question comes from
    worked: str | None = None  # LaTeX of the page's own worked equation, shown with the answer
    figures: tuple = ()  # the page's own figures for this sentence, shown with the answer
    words: int = 0  # source words: the figures stand side by side only while each word keeps a label


def equation_view(translation, model: str, i: int, j: int, key: str):
    """The step page's own view of equation ``key`` at step ``i`` (0-based), entry j, as it draws it."""
    from ui.charts.equations import STEPS, StepContext

    translator = compute.translator(model)
    ctx = StepContext(translation, i, j, 0, translator.params, translator.output_weights, translator.target)
    return next(step for step in STEPS if step.key == key).view(ctx)


def n_words(text: str, model: str) -> int:
    return len(model_words.tokenize_for(text, model))


def word_labels(tokens: list[str]) -> tuple[str, ...]:
    """Source words as options, safe as markdown: a word that occurs twice carries its position, so
    each is one choice."""
    repeated = {w for w in tokens if tokens.count(w) > 1}
    return tuple(escape_markdown(f"{w} ({j + 1})" if w in repeated else w) for j, w in enumerate(tokens))


def telling_step(translation) -> int:
    """The 0-based decoder step a question looks at: the first whose attention is off the diagonal
    (the word order differs there, as "rouge" after "voiture"), else the middle one. Steps, not
    words: a translation that ends at once still has its <end> step to ask about."""
    words = [step for step in translation.steps if not step.is_end] or translation.steps
    for i, step in enumerate(words):
        if int(np.argmax(step.trace.alpha)) != min(i, len(translation.source_tokens) - 1):
            return i
    return len(words) // 2


def why_question(text: str, model: str) -> Question:
    """Will the model without attention, its whole sentence squeezed into one vector, get this right?
    (A model with a baseline trained beside it: the shipped one, or a folder model trained with --baseline.)"""
    with_attention = compute.translate(text, model, None)
    without = compute.translate_without_attention(text, model)
    reference = model_words.reference_for(with_attention.source_tokens, model)
    goal = list(reference.fr) if reference is not None else with_attention.target_tokens
    exact = without.target_tokens == goal
    right = sum(a == b for a, b in zip(without.target_tokens, goal, strict=False))
    from attention_core.evaluation.metrics import bucket_of

    bucket = bucket_of(len(with_attention.source_tokens))
    rates = {
        kind: evaluation_tables.length_table(model)["models"][kind]["by_bucket"].get(bucket, {}).get("exact_match", 0.0)
        for kind in ("no_attention", "attention")
    }
    explanation = t(
        "lesson.why.explain",
        without=sentence_inputs.token_line(without.target_tokens),
        goal=sentence_inputs.token_line(goal),
        goal_name=t("lesson.why.reference" if reference is not None else "lesson.why.with_attention"),
        right=right,
        total=len(goal),
        bucket=bucket,
        rate_without=f"{rates['no_attention']:.1%}",
        rate_with=f"{rates['attention']:.1%}",
    )
    return Question(
        prompt=t("lesson.why.prompt", n=len(with_attention.source_tokens)),
        options=(True, False),
        labels=(t("lesson.yes"), t("lesson.no")),
        answer=exact,
        explanation=explanation,
        words=n_words(text, model),
        link={"text": text},
    )


def alpha_question(text: str, model: str) -> Question:
    """Which source word will α peak on for this output word?"""
    translation = compute.translate(text, model, None)
    i = telling_step(translation)
    alpha = translation.steps[i].trace.alpha
    peak = int(np.argmax(alpha))
    explanation = t(
        "lesson.alpha.explain",
        i=i + 1,
        word=sentence_inputs.token_line([translation.source_tokens[peak]]),
        alpha=f"{alpha[peak]:.3f}",
        second=f"{np.sort(alpha)[-2]:.3f}" if alpha.size > 1 else "—",
    )
    return Question(
        prompt=t("lesson.alpha.prompt", i=i + 1, word=sentence_inputs.token_line([translation.steps[i].chosen])),
        options=tuple(range(len(translation.source_tokens))),
        labels=word_labels(translation.source_tokens),
        answer=peak,
        explanation=explanation,
        words=n_words(text, model),
        step=i + 1,
        link={"text": text, "step": str(i + 1), "eq": "5"},
        worked=(view := equation_view(translation, model, i, peak, "alpha")).worked,
        figures=(view.figure,),
    )


def padded_batch(text: str, model: str):
    """The sentence with ``PADDING_ADDED`` padding positions, decoded without a mask and with the correct one."""
    pad_to = n_words(text, model) + PADDING_ADDED
    return compute.decode_batch((text,), "none", pad_to, model), compute.decode_batch((text,), "correct", pad_to, model)


def batch_words(decode) -> list[str]:
    words = []
    for step in decode.steps:
        if step.chosen[0] == "<end>":
            break
        words.append(step.chosen[0])
    return words


def masking_question(text: str, model: str) -> Question:
    """Will the translation change if the padding is left unmasked?"""
    unmasked, masked = padded_batch(text, model)
    leaks = [float(np.where(unmasked.mask[0], 0.0, s.trace.alpha[0]).sum()) for s in unmasked.steps]
    worst = int(np.argmax(leaks))
    without, with_mask = batch_words(unmasked), batch_words(masked)
    explanation = t(
        "lesson.mask.explain",
        leak=f"{leaks[worst]:.2f}",
        step=worst + 1,
        without=sentence_inputs.token_line(without),
        with_mask=sentence_inputs.token_line(with_mask),
        changed=sum(a != b for a, b in zip(without, with_mask, strict=False)) + abs(len(without) - len(with_mask)),
    )
    return Question(
        prompt=t("lesson.mask.prompt", pads=PADDING_ADDED),
        options=(True, False),
        labels=(t("lesson.yes"), t("lesson.no")),
        answer=without != with_mask,
        explanation=explanation,
        words=n_words(text, model),
        link={"batch": text, "strategy": "correct"},
        figures=tuple(
            figures.bars(
                decode.steps[worst].trace.alpha[0],
                [*decode.tokens[0], *["<pad>"] * (decode.padded_length - len(decode.tokens[0]))],
                t(title, step=worst + 1),
                t("lesson.axis.word"),
                "α",
            )
            for decode, title in ((unmasked, "lesson.mask.chart_none"), (masked, "lesson.mask.chart_correct"))
            if worst < len(decode.steps)
        ),
    )


PITFALL_OUTCOMES = ("ones", "uniform", "correct", "zeros")  # what softmax over the size-1 axis might give


def pitfall_question(text: str, model: str) -> Question:
    """The article's softmax over the axis of size 1: what does every weight become?"""
    decoded = compute.decode_batch((text,), "correct", 0, model)
    h, s_prev, mask = decoded.h, decoded.steps[0].s_prev, decoded.mask  # (1, T, d_h), (1, d_s), (1, T)
    result = compute.run_pitfall("softmax_axis", h, s_prev, compute.translator(model).params, mask)
    buggy = np.asarray(result.buggy["alpha"], np.float64).reshape(-1)
    correct = np.asarray(result.correct["alpha"], np.float64).reshape(-1)
    n = buggy.size
    candidates = {"ones": np.ones(n), "uniform": np.full(n, 1.0 / n), "correct": correct, "zeros": np.zeros(n)}
    gaps = {key: float(np.max(np.abs(buggy - value))) for key, value in candidates.items()}
    answer = min(gaps, key=gaps.get)  # the outcome the buggy code's numbers match
    explanation = t(
        "lesson.pit.explain",
        buggy=", ".join(f"{a:.4f}" for a in buggy[:6]) + (" …" if n > 6 else ""),
        total=f"{buggy.sum():.4f}",
        correct=", ".join(f"{a:.4f}" for a in correct[:6]) + (" …" if n > 6 else ""),
        n=n,
    )
    return Question(
        prompt=t("lesson.pit.prompt", code=result.buggy_code.strip(), n=n),
        options=PITFALL_OUTCOMES,
        labels=tuple(t(f"lesson.pit.outcome.{key}", n=n) for key in PITFALL_OUTCOMES),
        answer=answer,
        explanation=explanation,
        words=n_words(text, model),
        link={"pitfall": "softmax_axis", "batch": text},
        figures=tuple(
            figures.bars(values, decoded.tokens[0], t(title), t("lesson.axis.word"), "α")
            for values, title in ((buggy, "lesson.pit.chart_buggy"), (correct, "lesson.pit.chart_correct"))
        ),
    )


CONTEXT_OUTCOMES = ("h_j", "mean_h", "unchanged", "zeros")  # what c_i might become under a one-hot α


def whatif_question(text: str, model: str) -> Question:
    """A one-hot override puts all of α on source word j: what does c_i become?"""
    own = compute.translate(text, model, None)
    i = telling_step(own)
    j = int(np.argmin(own.steps[i].trace.alpha))  # the word the model looks at least: the override moves α most
    weights = tuple(float(w) for w in np.eye(len(own.source_tokens))[j])
    overridden, _ = compute.translate_with(text, model, None, override=(i + 1, weights))
    c = overridden.steps[i].trace.context
    candidates = {
        "h_j": own.h[j],
        "mean_h": own.h.mean(axis=0),
        "unchanged": own.steps[i].trace.context,
        "zeros": np.zeros_like(c),
    }
    gaps = {key: float(np.max(np.abs(c - value))) for key, value in candidates.items()}
    answer = min(gaps, key=gaps.get)
    explanation = t(
        "lesson.whatif.explain",
        i=i + 1,
        j=j + 1,
        gap=f"{gaps['h_j']:.1e}",
        moved=f"{gaps['unchanged']:.3f}",
        own=sentence_inputs.token_line(own.target_tokens),
        after=what_if.changed_line(overridden.target_tokens, own.target_tokens),  # what changed, marked
    )
    word = sentence_inputs.token_line([own.source_tokens[j]])
    return Question(
        prompt=t("lesson.whatif.prompt", i=i + 1, j=j + 1, word=word, alpha=f"{own.steps[i].trace.alpha[j]:.3g}"),
        options=CONTEXT_OUTCOMES,
        labels=tuple(t(f"lesson.whatif.outcome.{key}", j=j + 1, i=i + 1) for key in CONTEXT_OUTCOMES),
        answer=answer,
        explanation=explanation,
        words=n_words(text, model),
        step=i + 1,
        link={"text": text, "override": f"{i + 1}:{j + 1}", "step": str(i + 1), "whatif": "override"},
        figures=(
            figures.vector_strips(
                [c, own.h[j], own.steps[i].trace.context],
                [f"c′_{i + 1}", f"h_{j + 1}", f"c_{i + 1}"],
                t("lesson.whatif.chart", i=i + 1, j=j + 1),
                t("axis.dim"),
                t("axis.value"),
            ),
        ),
    )


def transformer_question(text: str, model: str) -> Question:
    """Writing its own words, does the Transformer trained without its causal mask write what the one with
    it writes? (It reads a given translation almost perfectly.)"""
    causal_kind, leaky_kind = catalog.get(model).causal_pair
    causal = compute.translate_kind(text, causal_kind)
    leaky = compute.translate_kind(text, leaky_kind)
    reading = compute.read_reference(text, leaky_kind, tuple(causal.target_tokens))
    ahead = future_weight(reading.self_alpha)  # (layers, heads, T)
    layer, head = transformer_masks.most_ahead(ahead)
    overall = evaluation_tables.evaluation_table()["models"][leaky_kind]["overall"]
    explanation = t(
        "lesson.transformer.explain",
        right=reading.right,
        n=len(reading.written),
        layer=layer,
        head=head,
        ahead=f"{ahead[layer - 1, head - 1].mean():.2f}",
        free=evaluation_tables.percent(overall["exact_match"]),
        causal=sentence_inputs.token_line(list(causal.target_tokens)),
        leaky=what_if.changed_line(list(leaky.target_tokens), list(causal.target_tokens)),
    )
    return Question(
        prompt=t("lesson.transformer.prompt", forced=evaluation_tables.percent(overall["teacher_forced_exact_match"])),
        options=(True, False),
        labels=(t("lesson.yes"), t("lesson.no")),
        answer=list(leaky.target_tokens) == list(causal.target_tokens),
        explanation=explanation,
        words=n_words(text, model),
        link={"batch": text, "strategy": "correct"},
        figures=(transformer_masks.reading_map(reading, layer, head),),
    )


QUESTIONS = {
    "why": why_question,
    "alpha": alpha_question,
    "masking": masking_question,
    "pitfall": pitfall_question,
    "whatif": whatif_question,
    "transformer": transformer_question,
}
