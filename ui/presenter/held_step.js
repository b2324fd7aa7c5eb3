// The reading view holds one decoder step in the browser (ui/held_step.py). The server draws the
// step's seven equations; this script shows one of them. Next, Back and the equation buttons
// move within the step here, in the page and the address bar, and send the server nothing: a
// room of phones stepping through a talk costs the server one run per decoder step, not one per
// press. Next past y_i and Back before W1 h_j are presses into another step: the server draws it.
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
  const held = { data: null, eq: 1, told: 1, revision: null, tell: null, asked: 0 };
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

  doc.addEventListener(
    "click",
    (event) => {
      if (!here() || !event.target.closest) return;
      const d = held.data;
      const next = event.target.closest(".st-key-held_nav .st-key-step_next button");
      const back = event.target.closest(".st-key-held_nav .st-key-step_back button");
      if (next || back) {
        if (d.walking) return; // "this equation only": every press is another step
        const to = held.eq + (next ? 1 : -1);
        if (to >= 1 && to <= d.last) {
          stop(event);
          show(to, "push");
        } else if ((next && d.step >= d.steps) || (back && d.step <= 1)) {
          stop(event); // the first or last screen: nowhere to go
        }
        return; // into another step: the server draws it
      }
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

  return {
    teller(setState) {
      held.tell = setState;
    },
    update(data) {
      held.data = data;
      if (data.revision !== held.revision) {
        // The server chose the equation (a new step, a link, a new sentence): show its choice.
        held.revision = data.revision;
        held.told = data.eq;
        show(data.eq, "replace");
      } else {
        show(held.eq, "replace");
      }
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
