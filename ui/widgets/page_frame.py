"""Every page's frame: the style, the keys, the title or presenter mode's bar, the link's notices;
and what a slide changes (the labels it leaves out, its tables)."""

from __future__ import annotations

import streamlit as st

from ui.charts import figures
from ui.models import catalog
from ui.presenter import slides, talk
from ui.session import registry, router, state
from ui.strings import escape_markdown, t
from ui.widgets import model_picker, share

# Constant CSS, never built from user text. A worked equation is written in short rows so
# it fits a phone; scrolling stays as a last resort. On a phone the equations' type shrinks a
# step so a row of the written-out sum fits 390 px.
APP_CSS = """
<style>
.katex-display { overflow-x: auto; overflow-y: hidden; padding-bottom: 0.3rem; }
/* room for the italic overhang of a last glyph (j, ]) inside the box, not past it */
.katex-display > .katex { padding-right: 0.3em; }
/* a bold word of a token line is the one being produced or looked at */
[data-testid="stMain"] [data-testid="stMarkdownContainer"] strong code {
  background: #fde68a; color: #7c2d12; box-shadow: 0 0 0 2px #f59e0b;
}
/* a row of choices wraps on a narrow screen instead of running off its edge */
[data-testid="stMain"] [data-testid="stButtonGroup"] > div { flex-wrap: wrap; }
/* a chart of its own width (the beam tree) scrolls sideways inside its box, not the page */
.st-key-beam_tree { overflow-x: auto; overflow-y: hidden; }
@media (max-width: 640px) {
  [data-testid="stMain"] .katex-display > .katex { font-size: 1em; }
}
/* WCAG AA, 4.5:1 (tests/browser/test_accessibility.py). Streamlit greys a caption with opacity 0.6
   (#797f87 on white, 4.0:1; its inline code 3.0:1): a grey of its own instead, 7.6:1. Code comments
   and punctuation are #808495 on #f9fafc (3.6:1); #555a66 is 6.6:1. */
[data-testid="stCaptionContainer"] { opacity: 1; color: #4b5563; }
.stCode pre code .token.comment, .stCode pre code .token.punctuation, .stCode pre code .token.prolog { color: #555a66; }
</style>
"""


# Presenter mode is a slide deck at 1280×720: no sidebar or header (the deck's own bar has
# the share and exit controls), tight margins, nothing under 18 px, equations larger.
PRESENTER_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stExpandSidebarButton"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0.6rem 2rem 0.4rem 2rem !important; max-width: 100% !important; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] th,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] td,
[data-testid="stMain"] [data-testid="stTable"] th,
[data-testid="stMain"] [data-testid="stTable"] td,
[data-testid="stMain"] [data-testid="stCaptionContainer"],
[data-testid="stMain"] [data-testid="stCaptionContainer"] p,
[data-testid="stMain"] [data-testid="stWidgetLabel"] p,
[data-testid="stMain"] [data-testid="stAlertContentWarning"] p,
[data-testid="stMain"] code { font-size: 1.25rem !important; line-height: 1.4; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] { color: #1f2937 !important; }
[data-testid="stMain"] h1 { font-size: 2.2rem !important; padding: 0.2rem 0 !important; }
[data-testid="stMain"] h3 { font-size: 1.8rem !important; padding: 0.1rem 0 !important; }
/* Streamlit pulls what follows a heading up by 1rem, measured for its own sizes: a slide's larger
   heading would then sit under the chart below it */
[data-testid="stMain"] [data-testid="stHeading"] > [data-testid="stMarkdownContainer"] { margin-bottom: 0 !important; }
/* 1.7rem: a subscript (0.7 of it) is still 19 px */
[data-testid="stMain"] .katex { font-size: 1.7rem !important; }
/* a subscript of a subscript (the x of h_{T_x}) would be half of that, 13.6 px: on a slide it stays 18 */
[data-testid="stMain"] .katex .sizing.reset-size3.size1 { font-size: 0.95em !important; }
[data-testid="stMain"] [data-testid="stIconMaterial"] { font-size: 1.6rem !important; }
[data-testid="stMain"] .katex-display { margin: 0.3rem 0 !important; }
[data-testid="stMain"] button p { font-size: 1.4rem !important; }
[data-testid="stMain"] [data-baseweb="select"] *, [data-testid="stMain"] input { font-size: 1.25rem !important; }
[data-testid="stMain"] [data-testid="stFileUploaderDropzoneInstructions"] * { font-size: 1.15rem !important; }
[data-testid="stMain"] [data-testid="stTable"] th, [data-testid="stMain"] [data-testid="stTable"] td {
  padding: 0.15rem 0.6rem !important; line-height: 1.3 !important; }
.st-key-step_next button, .st-key-step_back button { min-height: 3.2rem; }
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.5rem; }
/* the slide itself takes the focus when the speaker clicks it (so the keys reach the page): it is
   not a control, and its focus ring would frame the whole slide for the rest of the talk */
[data-testid="stMain"]:focus-visible::before { content: none !important; box-shadow: none !important; }
</style>
"""


# Next: → PageDown Space; back: ← PageUp; in both modes, never while typing. A step button
# that cannot move (a page's first or last screen) hands the key to the talk's page button. One listener
# per tab (the page script reruns; the flag keeps it single). Buttons are found by their
# keyed container's class, so the script has no user text and no coupling to labels.
# A burst of presses (a clicker held, or pressed faster than the page answers) is a queue: each
# press clicks the button of the screen the press before it opened, once that run has ended. Clicked
# during a run, it would find the screen being replaced (a slide's ▶ still enabled on the last
# slide), and two clicks of one button waiting for the same run reach the script as one.
KEYBOARD_JS = """
<script>
(() => {
  const root = window.parent && window.parent.document ? window.parent : window;
  if (root.__attentionExplorerKeys) return;
  root.__attentionExplorerKeys = true;
  const doc = root.document;
  const NEXT = new Set(["ArrowRight", "PageDown", " ", "Spacebar"]);
  const BACK = new Set(["ArrowLeft", "PageUp"]);
  const STATE = "data-test-script-state";
  // a click after which the page says nothing this long frees the queue: a lost click, not a slow run (a
  // loaded server took over 8 s to start one, and the next click merged with it)
  const QUIET_MS = 30000;
  const SETTLED_MS = 100;  // how long a run's end must hold before the next click
  const queue = [];  // the presses not yet made: the button keys each may press, in order
  // The click made last, until its run has ended. Every move of a screen rewrites the link, so the run
  // has ended once the link is another and the app says it is not running, for SETTLED_MS (a fast
  // run may never show "running": the frontend draws both states at once). A page button's run ends
  // on another page: the run that switches pages ends once before the next page's run begins.
  let waiting = null;
  let idleSince = null;  // since when the app has said it is not running (a rerun ends one run, then starts one)
  // Presses not yet made or ended, here or waiting in the step page's own turn (tests read it).
  root.__attentionExplorerPresses = () =>
    queue.length + (waiting ? 1 : 0) + (doc.querySelector(".st-key-held_step [data-held-pending], .st-key-held_step")
      && doc.documentElement.hasAttribute("data-held-pending") ? 1 : 0);
  const scriptState = () => {
    const app = doc.querySelector('[data-testid="stApp"]');
    return app ? app.getAttribute(STATE) : null;
  };
  const link = () => root.location.pathname + root.location.search;
  // The page the last run drew (its marker, drawn with this script by every run): between the run that
  // switches pages and the next page's first run, the old page's buttons are still on screen, idle;
  // a press clicked there would go to a page that is gone. It waits for the new page's run, or at
  // most PAGE_GAP_MS of quiet (a page that stopped before drawing its marker).
  const PAGE_GAP_MS = 5000;
  const drawnPage = () => {
    const marks = doc.querySelectorAll("[data-attention-explorer-page]");
    return marks.length ? marks[marks.length - 1] : null;
  };
  function onDrawnPage(now) {
    const mark = drawnPage();
    const quiet = idleSince !== null && now - idleSince >= PAGE_GAP_MS;
    if (!mark) return quiet;  // nothing drawn yet (a page switch clears the screen), or a page without keys
    const pages = mark.dataset.attentionExplorerPages.split(",");
    const last = root.location.pathname.split("/").filter(Boolean).pop() || "";
    const here = pages.includes(last) ? last : pages[0];  // Home is at "/" (or under a base path)
    return here === mark.dataset.attentionExplorerPage || quiet;
  }
  // The drawn page has buttons for the keys (presenter mode, the step page). A fresh tab draws a button
  // a moment after its run has ended (its code loads first): a press meanwhile waits for it.
  const expectsKeys = () => { const mark = drawnPage(); return !!mark && mark.dataset.attentionExplorerKeys === "1"; };
  const shown = (keys) => keys.some((key) => doc.querySelector(`.st-key-${key} button`));
  // The step page's keeper (ui/presenter/held_step.js) counts its presses once its script has run: until
  // then (a fresh tab loads that script after the run that drew it) a press waits here.
  const keeper = () => doc.querySelector(".st-key-held_step");
  const keeperReady = () => !keeper() || (!!root.__attentionExplorerHeldReady && root.__attentionExplorerHeldReady());
  const enabled = (keys) => keys.map((key) => doc.querySelector(`.st-key-${key} button`))
    .filter(Boolean).find((b) => !b.disabled && b.getAttribute("aria-disabled") !== "true");
  function ended(w, now) {
    const moved = link() !== w.link && (!w.paging || root.location.pathname !== w.path);
    if (!moved || scriptState() !== "notRunning") {
      w.endedAt = null;
      return now - w.heard > QUIET_MS;
    }
    w.endedAt = w.endedAt || now;
    return now - w.endedAt >= SETTLED_MS;
  }
  function pump() {
    const now = Date.now();
    idleSince = scriptState() === "notRunning" ? idleSince || now : null;
    if (waiting && ended(waiting, now)) waiting = null;
    while (!waiting && queue.length && idleSince !== null && now - idleSince >= SETTLED_MS && onDrawnPage(now)
      && ((shown(queue[0]) && keeperReady()) || !expectsKeys() || now - idleSince >= PAGE_GAP_MS)) {
      const button = enabled(queue.shift());
      if (!button) continue;  // the first or last screen of the talk: the press has nowhere to go
      const paging = !!button.closest(".st-key-talk_next, .st-key-talk_back");
      const before = { link: link(), path: root.location.pathname };
      // Cancelled: a script of the page moved within the screen it holds (a held step), no run follows.
      const runs = button.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true, view: root }));
      if (runs) waiting = { ...before, paging, heard: Date.now(), endedAt: null };
    }
    if (waiting || queue.length) root.setTimeout(pump, 25);
  }
  new MutationObserver(() => {
    idleSince = scriptState() === "notRunning" ? idleSince || Date.now() : null;
    if (waiting) waiting.heard = Date.now();
  }).observe(doc.body, { attributes: true, subtree: true, attributeFilter: [STATE] });
  // A click of the step page's Next or Back before its keeper counts presses waits in the same queue.
  doc.addEventListener("click", (event) => {
    const button = event.isTrusted && event.target.closest
      && event.target.closest(".st-key-step_next button, .st-key-step_back button");
    if (!button || keeperReady()) return;  // ready: no keeper on the page, or one that counts
    event.preventDefault();
    event.stopImmediatePropagation();
    queue.push([button.closest(".st-key-step_next") ? "step_next" : "step_back"]);
    pump();
  }, true);
  doc.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const target = event.target;
    const role = target && target.getAttribute ? target.getAttribute("role") : null;
    const toggle = target && target.tagName === "INPUT" && ["checkbox", "radio"].includes(target.type);
    const typing = target && !toggle && (target.isContentEditable
      || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)
      || ["slider", "combobox", "listbox", "spinbutton"].includes(role));
    if (typing) return;
    // The step button while it can move, else the talk's page button (presenter mode's deck).
    const keys = NEXT.has(event.key) ? ["step_next", "talk_next"]
      : BACK.has(event.key) ? ["step_back", "talk_back"] : null;
    if (!keys) return;
    const pending = waiting || queue.length;
    // Between two pages (a run, or a screen not yet the address's page) a press waits for the buttons
    // it will press; on a page drawn and idle, a key with no button to press is the browser's own.
    const between = scriptState() !== "notRunning" || !onDrawnPage(Date.now());
    if (!pending && !between && !shown(keys) && !expectsKeys()) return;
    event.preventDefault();
    // On the step page its own script (held_step.js) keeps Next's and Back's presses in turn, within a
    // held step and into the next one: a press that has a step button to go to is clicked at once.
    const step =
      !pending && onDrawnPage(Date.now()) && keeper() && keeperReady() && enabled(keys.slice(0, 1));
    if (step) {
      step.click();
      return;
    }
    queue.push(keys);
    pump();
  }, true);
})();
</script>
"""


# A link that names an equation (the audience's, from the share box) lands on it: the page opens at
# the title and the inputs, two phone screens above. Once the run has ended, the equation's heading
# is scrolled to the top (below the header). Reads the equation from the address, no user text.
LAND_JS = """
<script>
(() => {
  const root = window.parent && window.parent.document ? window.parent : window;
  const doc = root.document;
  const eq = new URLSearchParams(root.location.search).get("eq") || "1";
  const until = Date.now() + 30000;
  const land = () => {
    const app = doc.querySelector('[data-testid="stApp"]');
    const heading = [...doc.querySelectorAll('[data-testid="stMain"] h3')]
      .find((h) => h.checkVisibility() && h.innerText.trim().startsWith(`${eq}. `));
    if (heading && app && app.getAttribute("data-test-script-state") === "notRunning") {
      heading.style.scrollMarginTop = "4rem";
      heading.scrollIntoView({ block: "start" });
      return;
    }
    if (Date.now() < until) root.setTimeout(land, 100);
  };
  land();
})();
</script>
"""


LAND = "land_on_equation"  # session: this run came by a link naming an equation (``page_start``)


def page_start(page: str, names: tuple[str, ...], title_key: str) -> None:
    """Every page begins alike: routed through app.py, the link read, the title, the link's notices.

    In presenter mode the title gives way to the deck's bar (share, exit): a slide has no room
    for both, and the sidebar that holds the switch is hidden.
    """
    router.ensure_entrypoint()
    arriving = st.session_state.get("current_page") != page
    notices = state.sync(names, page=page)
    if arriving and "eq" in names and not presenting():  # a link naming the equation: land on it
        st.session_state[LAND] = "eq" in st.query_params or "step" in st.query_params
    if presenting():
        presenter_bar(page, names, t(title_key))
    else:
        st.title(t(title_key))
    show_notices(notices)
    if catalog.get(state.get("model")).transformer and not registry.BY_PATH[page].runs_transformer:
        # its views read one additive α, a baseline or the recurrent model's masks: none of which the Transformer has
        st.info(t("transformer.not_here"), icon=":material/info:")
        state.write_url(names)
        st.stop()


def _leave_presenter_mode() -> None:
    state.put("present", False)


def presenter_bar(page: str, names: tuple[str, ...], title: str) -> None:
    """The deck's own bar: the page title, where the talk is (its page buttons), the link for the room,
    a way out of presenter mode. The keys work on every slide, so the clicker walks the whole talk."""
    title_col, talk_col, share_col, exit_col = st.columns([4.4, 3.2, 1.3, 1.3], vertical_alignment="center")
    title_row = title_col.container(horizontal=True, vertical_alignment="center", gap="small")
    title_slot = title_row.empty()
    title_slot.markdown(f"**{title}**")
    # A page of several slides puts its ◀ k/n ▶ in the row, and its short name in the title's place.
    slides.hold_bar_slot(title_row, title_slot, t(registry.title_key(page)) if page in registry.BY_PATH else title)
    with title_col:  # inside the row: the script takes no line of the slide
        keyboard_shortcuts()
    talk.navigation(page, talk_col)
    with share_col.popover(t("present.share"), icon=":material/qr_code_2:", width="stretch"):
        share.share_box(page, names)
    exit_col.button(
        t("present.exit"), icon=":material/close:", on_click=_leave_presenter_mode, width="stretch", key="exit_present"
    )


def show_notices(notices: list[state.Notice]) -> None:
    for n in notices:
        if n.name == "model":  # perhaps another visitor's private model: say why it is no model here
            value, default = escape_markdown(catalog.link_name(n.raw)[:80]), model_picker.model_name(n.default)
            st.warning(t("notice.bad_model", value=value, default=default), icon=":material/warning:")
            continue
        st.warning(
            t(
                "notice.bad_param",
                name=n.name,
                value=escape_markdown(n.raw[:80]),
                default=escape_markdown(state.PARAMS[n.name].dump(n.default) or "—"),
            ),
            icon=":material/warning:",
        )


def presenting() -> bool:
    return bool(state.get("present"))


def apply_style() -> None:
    st.markdown(APP_CSS + figures.BEAM_TREE_CSS + (PRESENTER_CSS if presenting() else ""), unsafe_allow_html=True)


def keyboard_shortcuts(step_buttons: bool = False) -> None:
    """Arrow keys, PageDown/PageUp (a clicker) and Space press the step buttons keyed ``step_next``/``step_back``
    (``step_buttons``: this run draws them) or the talk's; on a page a link opened at an equation, the
    scroll to it (``LAND_JS``)."""
    page = st.session_state.get("current_page", registry.HOME)
    # Which page drew the buttons on screen (KEYBOARD_JS): page names from the registry, no user text.
    # and whether it draws buttons the keys press (presenter mode's deck, the step page's Next and Back)
    has_keys = presenting() or step_buttons
    marker = (
        f'<span hidden data-attention-explorer-page="{page}"'
        f' data-attention-explorer-pages="{",".join(p.path for p in registry.PAGES)}"'
        f' data-attention-explorer-keys="{int(has_keys)}"></span>'
    )
    st.html(marker + KEYBOARD_JS + (LAND_JS if st.session_state.pop(LAND, False) else ""), unsafe_allow_javascript=True)


def batch_position_title(n_positions: int) -> str:
    """A batch map's column title: it says the cells show their words only where they do (a slide of
    a long batch leaves them out rather than print them under 18 px)."""
    if presenting() and not figures.batch_words_on_slide(n_positions):
        return t("mask.position_only")
    return t("mask.position")


def table(frame) -> None:
    """A table of a few rows: interactive in the reading view; on a slide an HTML table, whose text the
    slide's type sets at 20 px (the interactive grid draws on a canvas at its own 14 px)."""
    if presenting():
        st.table(frame)
    else:
        st.dataframe(frame, width="stretch")


def slide_label() -> str:
    """``label_visibility`` of a control: on a slide its options say enough, and every line counts."""
    return "collapsed" if presenting() else "visible"
