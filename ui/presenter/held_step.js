// The reading view holds one decoder step in the browser (ui/held_step.py). The server draws the
// step's seven equations; this script shows one of them. Next, Back and the equation buttons
// move within the step here, in the page and the address bar, and send the server nothing: a
// room of phones stepping through a talk costs the server one run per decoder step, not one per
// press. Next past y_i and Back before W1 h_j are presses into another step: the server draws it.
//
// Every press of Next and Back counts once, in order, however fast they come (here, in presenter
// mode and on a screen of one equation alike): a press the server must answer is let through
// only when the one before it has been answered (``answered``, counted by the server), and the
// presses made meanwhile wait here, to be pressed again in turn. Let through while a run was in
// flight, two presses of one button reach the server as one (Streamlit keeps one trigger per
// button), and a press at the end of a step, where the page still showed the old step, was
// answered as one more step: 30 quick presses landed 35 to 42 screens on.
//
// The server's idea of the equation is the one it last drew. Before any other control is used
// (a toggle, a picker, a link, presenter mode), the equation on screen is told to the server as
// this component's state, so that run draws, links and shares the equation the person sees.

const CONTROLS = [
  "button", "input", "textarea", "select", "a[href]", "summary",
  '[role="slider"]', '[role="switch"]', '[role="combobox"]', '[role="option"]', '[role="tab"]',
].join(", ");
const OURS = ".st-key-step_next, .st-key-step_back, [class*=' st-key-eqshow_'][class*='_choice']";
const KEYS = new Set(["Enter", " ", "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End"]);

function install(win) {
  const doc = win.document;
  const held = { data: null, eq: 1, told: 1, revision: null, tell: null, asked: 0, sent: 0, queued: [], lost: null };
  // A press let through that no run answers (the connection dropped under it) would hold every
  // later press here: after this long without an answer, it counts as lost.
  // Long enough for a loaded server's slow run: a press counted lost while its run is only slow is
  // pressed again, and both are answered (one screen too far).
  const LOST_MS = 60000;
  const push = win.history.pushState.bind(win.history);
  const replace = win.history.replaceState.bind(win.history);
  const here = () => held.data !== null && doc.querySelector("[class*=' st-key-eqshow_']") !== null;

  // The address bar names the equation on screen: the server's own writes of the link carry
  // the equation it last drew, and are corrected here when the page holds the step.
  function withEq(url, eq) {
    const target = new URL(url, win.location.href);
    if (target.pathname !== win.location.pathname) return url; // another page
    if (eq === 1) target.searchParams.delete("eq");
    else target.searchParams.set("eq", String(eq));
    return target.pathname + target.search + target.hash;
  }
  win.history.pushState = (state, title, url) => push(state, title, here() && url != null ? withEq(url, held.eq) : url);
  win.history.replaceState = (state, title, url) =>
    replace(state, title, here() && url != null ? withEq(url, held.eq) : url);

  function mark() {
    const d = held.data;
    const root = doc.documentElement;
    root.dataset.heldEq = String(held.eq);
    const start = !d.walking && d.step <= 1 && held.eq === 1;
    const end = !d.walking && d.step >= d.steps && held.eq === d.last;
    root.toggleAttribute("data-held-start", start);
    root.toggleAttribute("data-held-end", end);
    for (const [key, inert] of [["step_back", start], ["step_next", end]]) {
      const button = doc.querySelector(`.st-key-held_nav .st-key-${key} button`);
      if (!button) continue;
      if (inert) button.setAttribute("aria-disabled", "true");
      else button.removeAttribute("aria-disabled");
    }
  }

  function show(eq, how) {
    held.eq = eq;
    mark();
    const now = win.location.pathname + win.location.search + win.location.hash;
    const wanted = withEq(now, eq);
    if (wanted !== now) (how === "push" ? push : replace)(win.history.state, "", wanted);
  }

  function stop(event) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }

  // The step page's keeper is drawn: presenter mode's slides on other pages have buttons keyed
  // alike, whose presses this does not count.
  const keeping = () => held.data !== null && doc.querySelector(".st-key-held_step") !== null;
  const waiting = () => keeping() && held.sent > held.data.answered;
  // The keyboard's script (ui/widgets/page_frame.py) hands this script Next's and Back's presses once
  // it keeps them: a fresh tab draws the keeper a moment before this script has run and been told
  // the server's count, and a press clicked meanwhile would reach the server uncounted.
  win.__attentionExplorerHeldReady = keeping;

  // A press of Next (+1) or Back (-1): within a held step, shown here; otherwise let through to
  // the server, unless an earlier press is still unanswered: then it waits its turn.
  function pressed(event, delta) {
    if (!keeping()) return; // another page, or the page's first run has not told us its count yet
    if (waiting()) {
      stop(event);
      held.queued.push(delta);
      return;
    }
    const d = held.data;
    if (here() && d.held && !d.walking) {
      const to = held.eq + delta;
      if (to >= 1 && to <= d.last) {
        stop(event);
        show(to, "push");
        return;
      }
      if ((delta > 0 && d.step >= d.steps) || (delta < 0 && d.step <= 1)) {
        stop(event); // the first or last screen: nowhere to go
        return;
      }
    }
    held.sent = d.answered + 1; // the server draws it: into another step, or one equation a run
    clearTimeout(held.lost);
    held.lost = setTimeout(() => {
      held.sent = held.data.answered;
      replay();
    }, LOST_MS);
  }

  // The page says while presses wait for the server (html[data-held-pending]): a test, or anyone
  // reading the screen, knows the screen is final once it is gone and the run is over.
  function pending() {
    doc.documentElement.toggleAttribute("data-held-pending", waiting() || held.queued.length > 0);
  }

  // The presses that waited, pressed again in order now that the server has answered: those
  // within the step move here at once, the next one the server must answer waits for its answer.
  function replay() {
    if (!keeping()) held.queued = []; // the page was left: its presses go with it
    while (held.queued.length && !waiting()) {
      const delta = held.queued.shift();
      const button = doc.querySelector(`.st-key-${delta > 0 ? "step_next" : "step_back"} button`);
      if (button) button.click(); // a disabled one (the first or last screen) does nothing
    }
    pending();
  }

  doc.addEventListener(
    "click",
    (event) => {
      if (!event.target.closest) return;
      const next = event.target.closest(".st-key-step_next button");
      const back = event.target.closest(".st-key-step_back button");
      if (next || back) {
        pressed(event, next ? 1 : -1);
        pending();
        return;
      }
      if (!here()) return;
      const option = event.target.closest("[class*=' st-key-eqshow_'][class*='_choice'] button");
      if (option) {
        const group = [...option.closest("[data-testid='stButtonGroup']").querySelectorAll("button")];
        const eq = group.indexOf(option) + 1;
        stop(event);
        show(eq, "push");
        // The choice clicked is hidden with its equation: the focus moves to the same one shown.
        const shown = doc.querySelectorAll(`.st-key-eqshow_${eq}_choice button`)[eq - 1];
        if (shown && doc.activeElement === option) shown.focus();
      }
    },
    true,
  );

  function tell(event) {
    if (!here() || held.eq === held.told || !event.target.closest) return;
    if (event.type === "keydown" && !KEYS.has(event.key)) return;
    const control = event.target.closest(CONTROLS);
    if (!control || control.closest(OURS)) return;
    held.told = held.eq;
    held.asked += 1;
    if (held.tell) held.tell("eq", { eq: held.eq, n: held.asked });
  }
  for (const type of ["pointerdown", "focusin", "keydown"]) doc.addEventListener(type, tell, true);

  win.addEventListener("popstate", () => {
    if (!here()) return;
    const eq = Number(new URL(win.location.href).searchParams.get("eq") || "1");
    if (Number.isInteger(eq) && eq >= 1 && eq <= held.data.last) show(eq, null);
  });

  // A held step's data: show the equation the server chose, or keep the one shown here.
  function follow(data) {
    if (data.revision !== held.revision) {
      // The server chose the equation (a new step, a link, a new sentence): show its choice.
      held.revision = data.revision;
      held.told = data.eq;
      show(data.eq, "replace");
    } else {
      show(held.eq, "replace");
    }
  }

  return {
    teller(setState) {
      held.tell = setState;
    },
    update(data) {
      held.data = data;
      if (data.answered >= held.sent) {
        held.sent = data.answered; // every press answered (or this session's count, on arrival)
        clearTimeout(held.lost);
      }
      if (data.held) follow(data);
      replay();
    },
  };
}

export default function (component) {
  const win = window;
  if (!win.__attentionExplorerHeldStep) win.__attentionExplorerHeldStep = install(win);
  const held = win.__attentionExplorerHeldStep;
  // Two instances: the teller, outside the panel's fragment, and the keeper, with the step's data.
  if (component.data && component.data.tells) held.teller(component.setStateValue);
  else held.update(component.data);
}
