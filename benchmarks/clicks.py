"""The app against a bare Streamlit page in a real Chromium: cold starts, warm clicks, 200 tokens.

Every browser figure has a baseline in ``benchmarks/bare_pages/bare.py`` (a title, a text input,
two buttons, a slider and a segmented control), served by its own ``streamlit run`` and timed
the same way (``serving.page_probe``) in the same run:

1. Cold start, a fresh server per measurement: process spawn → home page rendered, and
   → step-through page rendered (TensorFlow loaded, the model built), vs spawn → bare page
   rendered.
2. Warm clicks: the step page's "Next ▶" (the button keyed ``step_next``) → the next equation
   shown: within a decoder step the page shows it without the server (``step_held``), past y_i
   and on the first press the panel's fragment reruns (``step_drawn``); vs the bare page's "Next ▶" → its rerun
   rendered; clicked with the mouse as a person does, the two pages
   alternating. The server's CPU across each click is read beside the browser's time.
3. A 200-token sentence: navigation → rendered and one warm interaction, on the step page
   (free text) and on the alignment map (the trained model, toy words), vs the bare page.
"""

from __future__ import annotations

import contextlib
import math
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

from serving.page_probe import ALIGNMENT, SLIDER_INPUT, Ready, ServerCpu, Timing, interact, open_tab, slider_snapshot
from serving.processes import RunningApp, running_app

BARE_SCRIPT = Path(__file__).parent / "bare_pages" / "bare.py"
LONG_TOKENS = 200
MAX_URL_TEXT = 2_000  # ui/session/state.py keeps this many characters of a linked text
N_EQUATIONS = 7  # ui.charts.equations.STEPS: "Next ▶" after the last starts the next decoder step at 1

NEXT_BUTTON = '[data-testid="stMain"] .st-key-step_next button'  # the step panel's Next, by its key
BARE_NEXT_BUTTON = '[data-testid="stMain"] .st-key-next button'

HOME = Ready(heading="Attention Explorer")
BARE = Ready(heading="Bare page")
STEP = Ready(heading="1. ", text="Source:")


# --- servers ------------------------------------------------------------------------------


@contextlib.contextmanager
def bare_server() -> Iterator[RunningApp]:
    """``streamlit run benchmarks/bare_pages/bare.py`` on a free port, started like the app."""
    with (
        tempfile.TemporaryDirectory(prefix="attention-explorer-bare-") as logs,
        running_app(script=BARE_SCRIPT, log_path=Path(logs) / "streamlit.log") as app,
    ):
        yield app


@contextlib.contextmanager
def app_server() -> Iterator[RunningApp]:
    """``serving.processes.running_app()``, its log in a directory removed afterwards."""
    with (
        tempfile.TemporaryDirectory(prefix="attention-explorer-bench-") as logs,
        running_app(log_path=Path(logs) / "streamlit.log") as app,
    ):
        yield app


# --- inputs -------------------------------------------------------------------------------


def free_words(n: int = LONG_TOKENS, seed: int = 0) -> str:
    """``n`` short made-up words (consonant-vowel-consonant), distinct, in a seeded order."""
    import random

    consonants, vowels = "bdfgklmnprstvz", "aeiou"
    words = [a + v + b for a in consonants for v in vowels for b in consonants]
    random.Random(seed).shuffle(words)
    return " ".join(words[:n])


def toy_words(n: int = LONG_TOKENS, seed: int = 0) -> str:
    """``n`` words of the toy lexicon: toy sentences one after another, cut at ``n`` words."""
    from attention_core.data.toy_data import generate_examples

    words: list[str] = []
    batch = 0
    while len(words) < n:
        for example in generate_examples(16, seed * 1000 + batch):
            words.extend(example.en)
        batch += 1
    return " ".join(words[:n])


def checked_text(text: str, n: int = LONG_TOKENS) -> str:
    """``text`` is ``n`` tokens and survives the app's 2,000-character cap on linked text."""
    from attention_core.data.text import tokenize

    tokens = tokenize(text)
    if len(tokens) != n or tokens.truncated:
        raise ValueError(f"expected {n} tokens. Received: {len(tokens)}")
    if len(text) > MAX_URL_TEXT:
        raise ValueError(f"the text must fit the {MAX_URL_TEXT}-character URL cap. Received: {len(text)} characters")
    return text


def long_texts(run: int) -> tuple[str, str]:
    """The 200-token texts of run ``run`` (from 0): the step page's free words and the alignment map's toy
    words, each checked; every run has words of its own, so no cached translation is reused."""
    return checked_text(free_words(seed=run)), checked_text(toy_words(seed=run + 1))


# --- the pages ----------------------------------------------------------------------------


def source_token_count(page) -> int:
    """Inline-code tokens on the step page's "Source:" line (up to the next label, "Output:")."""
    return page.evaluate(
        """() => {
          const p = [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMarkdownContainer"] p')]
            .find((p) => p.textContent.trim().startsWith('Source:'));
          if (!p) return -1;
          let n = 0, inSource = false;
          for (const node of p.querySelectorAll('strong, code')) {
            const label = node.tagName === 'STRONG' && !node.querySelector('code');
            if (label) inSource = node.textContent.trim() === 'Source:';
            else if (node.tagName === 'CODE' && inSource) n += 1;
          }
          return n;
        }"""
    )


def url_text(page) -> str:
    return parse_qs(urlsplit(page.url).query).get("text", [""])[0]


def next_ready(k: int) -> Ready:
    """The step page after the k-th press of "Next ▶" from equation 1 of step 1. The reading view
    holds a decoder step in the page (ui/presenter/held_step.py) from the first press, which draws it: after
    that only every seventh press, past y_i, runs."""
    return Ready(heading=f"{k % N_EQUATIONS + 1}. ", text="Source:", held=k % N_EQUATIONS != 0 and k > 1)


def bare_ready(k: int) -> Ready:
    """The bare page after the k-th press of its "Next ▶"."""
    return Ready(heading="Bare page", text=f"Presses: {k}")


def click(page, selector: str) -> Callable[[], None]:
    """A mouse click on the one element ``selector`` names (scrolled into view, then pressed)."""
    button = page.locator(selector)
    return lambda: button.click()


def slider_left(page) -> Callable[[], None]:
    thumb = page.locator(SLIDER_INPUT).first

    def press() -> None:
        thumb.focus()
        page.keyboard.press("ArrowLeft")

    return press


# --- measurements -------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def mean(values: Sequence[float]) -> float:
    return statistics.fmean(values) if values else math.nan


def cold_start(context, server: Callable[[], contextlib.AbstractContextManager[RunningApp]], path: str, ready: Ready):
    """Process spawn → ``path`` rendered in a new tab, on a fresh server; ms."""
    spawned = time.perf_counter()
    with server() as app:
        navigated = time.perf_counter()
        timing = open_tab(context, app.url + path, ready)
        timing.page.close()
    return (navigated - spawned) * 1000 + timing.total_ms


def measure_cold(context, repeats: int, pages: Sequence[str] = ("home", "step")) -> dict[str, list[float]]:
    """Spawn → rendered, ms, a fresh server each time; bare and app interleaved."""
    out: dict[str, list[float]] = {"bare": [], **{p: [] for p in pages}}
    for _ in range(repeats):
        out["bare"].append(cold_start(context, bare_server, "/", BARE))
        if "home" in pages:
            out["home"].append(cold_start(context, app_server, "/home", HOME))
        if "step" in pages:
            out["step"].append(cold_start(context, app_server, "/step_through", STEP))
    return out


def warm_app(context, app: RunningApp) -> None:
    """Load every model and cache the measured pages use, so warm figures are warm."""
    snap = slider_snapshot()
    for path, ready in (
        ("/home", HOME),
        ("/step_through", STEP),
        ("/step_through?src=free&text=warm+up+words", STEP),
        ("/alignment?text=the+cat+sees+a+dog", ALIGNMENT),
        (f"/alignment?text=the+cat+sees+a+dog&snap={snap}", ALIGNMENT),
    ):
        open_tab(context, app.url + path, ready).page.close()


def record(out: dict, key: str, timing: Timing) -> None:
    """The total under ``key``, the part until the script finished under ``key_run``, the
    server's CPU under ``key_server``, the tab's renderer CPU under ``key_browser``."""
    out.setdefault(key, []).append(timing.total_ms)
    out.setdefault(f"{key}_run", []).append(timing.run_ms)
    if timing.server_cpu_ms is not None:
        out.setdefault(f"{key}_server", []).append(timing.server_cpu_ms)
    if timing.browser_cpu_ms is not None:
        out.setdefault(f"{key}_browser", []).append(timing.browser_cpu_ms)


def measure_clicks(context, app: RunningApp, bare: RunningApp, clicks: int) -> dict[str, list[float]]:
    """``clicks`` presses of the step page's "Next ▶" and of the bare page's, alternating; ms."""
    out: dict[str, list[float]] = {}
    app_cpu, bare_cpu = ServerCpu(app.process), ServerCpu(bare.process)
    step_page = open_tab(context, app.url + "/step_through", STEP).page
    bare_page = open_tab(context, bare.url + "/", BARE).page
    for k in range(1, clicks + 1):
        step_page.bring_to_front()
        ready = next_ready(k)
        timing = app_cpu.across(interact, step_page, click(step_page, NEXT_BUTTON), ready)
        record(out, "step", timing)
        record(out, "step_held" if ready.held else "step_drawn", timing)  # within a step, or a run of the panel
        bare_page.bring_to_front()
        record(out, "bare", bare_cpu.across(interact, bare_page, click(bare_page, BARE_NEXT_BUTTON), bare_ready(k)))
    step_page.close()
    bare_page.close()
    return out


def measure_long(context, app: RunningApp, bare: RunningApp, repeats: int) -> dict:
    """A 200-token sentence on the step page and the alignment map: navigation and one interaction."""
    out: dict = {}
    app_cpu, bare_cpu, snap = ServerCpu(app.process), ServerCpu(bare.process), slider_snapshot()
    for r in range(repeats):
        free, text = long_texts(r)
        url = f"{app.url}/step_through?src=free&text={quote(free)}"
        timing = app_cpu.across(open_tab, context, url, STEP)
        page = timing.page
        shown = source_token_count(page)
        if shown != LONG_TOKENS:
            raise RuntimeError(f"the step page shows {shown} source tokens, not {LONG_TOKENS}")
        record(out, "step_open", timing)
        record(out, "step_next", app_cpu.across(interact, page, click(page, NEXT_BUTTON), next_ready(1)))
        page.close()

        timing = app_cpu.across(open_tab, context, f"{app.url}/alignment?text={quote(text)}", ALIGNMENT)
        page = timing.page
        if url_text(page) != text:
            raise RuntimeError("the alignment page did not keep the whole 200-token text")
        record(out, "align_open", timing)
        record(out, "align_slider", app_cpu.across(interact, page, slider_left(page), ALIGNMENT))
        if f"snap={snap}" not in page.url:
            raise RuntimeError(f"the slider did not move to snapshot {snap}: {page.url}")
        page.close()

        timing = bare_cpu.across(open_tab, context, bare.url + "/", BARE)
        record(out, "bare_open", timing)
        timing.page.close()
    return out


def long_text_shapes(repeats: int) -> str:
    """What the 200-token runs drew: decoder steps on the step page, output words on the alignment map."""
    from attention_core import load_free_text, load_pretrained

    texts = [long_texts(r) for r in range(repeats)]
    free = [load_free_text().translate(step_text) for step_text, _ in texts]
    toy = [load_pretrained().translate(map_text) for _, map_text in texts]
    steps = ", ".join(str(len(t.steps)) for t in free)
    rows = ", ".join(str(len(t.target_tokens)) for t in toy)
    return (
        f"What the 200-token runs drew: on the step page {LONG_TOKENS} source tokens and {steps} decoder steps "
        f"(the untrained free-text model does not stop early); on the alignment map α matrices of {rows} output "
        f"words × {LONG_TOKENS} source tokens (where the trained toy model stops on a 200-word run-on text "
        "depends on the words). Every such matrix is drawn as an image."
    )
