"""A translation under a person's interventions: words picked at some steps, one step's α overridden.

Streamlit-free: ``ui.models.compute`` caches what this returns, keyed by the plain values it takes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a type only: the pages import this module without TensorFlow
    from attention_core.decoding.translator import Translation, Translator


def translate_with_interventions(
    translator: Translator,
    text: str,
    target: str | None,
    picks: tuple[tuple[int, str], ...] = (),
    beam: int = 1,
    override: tuple[int, tuple[float, ...]] | None = None,
) -> tuple[Translation, tuple[tuple[int, str], ...]]:
    """``text`` translated with ``picks`` and ``override`` applied, and the picks that could be applied.

    ``picks`` ((step, word), …) in step order: the words between them are the decoder's own
    (greedy, or the beam's) after the earlier picks, so each pick replays what the person saw
    when they clicked it. A pick past the end of the sentence, or after an ``<end>`` pick, is
    dropped with the later ones. ``override`` (step, weights) replaces that step's α (a model without
    attention has none to replace). A typed ``target`` fixes every word: picks and the beam do not apply to it.
    """
    overrides = {} if override is None or not translator.has_attention else {override[0]: list(override[1])}
    if target:
        return translator.translate(text, target=target, attention_overrides=overrides), ()
    prefix: list[str] = []
    kept: list[tuple[int, str]] = []
    for step, word in picks:
        if len(prefix) < step - 1:
            own = translator.translate(text, prefix=prefix, beam_width=beam, attention_overrides=overrides)
            words = [s.chosen for s in own.steps]
            if len(words) < step - 1 or "<end>" in words[: step - 1]:
                break  # the sentence ends before this step
            prefix = words[: step - 1]
        prefix.append(word)
        kept.append((step, word))
        if word == "<end>":
            break
    return translator.translate(text, prefix=prefix, beam_width=beam, attention_overrides=overrides), tuple(kept)
