// A phone in a room (ui/session/room.py). It asks the server for the room's version without running
// the app's script: GET /rooms/CODE/version?since=N (serving/asgi.py) answers when the version is no
// longer N, or after a while with N. A new version asks Streamlit for one run (the trigger "moved"),
// which opens the speaker's screen or shows the question. Only the version and a room code travel;
// nothing a person typed.
//
// The browser's voter id lives in local storage: every tab and reconnect of this browser votes as one.

const VOTER_KEY = "attention-explorer-voter";
const RETRY_MS = 2000;
const SETTLE_MS = 8000; // after asking for a run, wait this long for the page to show the new version

function newVoter() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes); // works on a plain-http address too (randomUUID needs a secure context)
  return "v-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function voterId() {
  try {
    let id = window.localStorage.getItem(VOTER_KEY);
    if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
      id = newVoter();
      window.localStorage.setItem(VOTER_KEY, id);
    }
    return id;
  } catch (e) {
    return null; // storage refused (a private window's settings): the server keeps one per session
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const NOT_FOLLOWED = new Set(["lang", "present", "eq"]);

function sameBut(a, b) {
  const rest = (q) => JSON.stringify(Object.keys(q || {}).filter((k) => !NOT_FOLLOWED.has(k)).sort().map((k) => [k, q[k]]));
  return rest(a) === rest(b);
}

// A move of the equation alone, on a step this page holds (ui/presenter/held_step.js: all seven
// equations are on the page): shown here by pressing that equation's own button, which the held
// step answers without the server. Returns whether it was shown.
function showHere(f, screen) {
  const doc = document;
  const here = doc.documentElement.dataset.heldEq;
  if (!f.following || !f.screen || !screen || !here || screen.page !== f.screen.page) return false;
  if (!location.pathname.endsWith(`/${screen.page}`) || !doc.querySelector(".st-key-held_step")) return false;
  if (!sameBut(screen.query, f.screen.query)) return false;
  const eq = Number((screen.query || {}).eq || "1");
  const choices = doc.querySelectorAll(`.st-key-eqshow_${here}_choice button`);
  if (!Number.isInteger(eq) || eq < 1 || eq > choices.length) return false;
  if (String(eq) !== here) choices[eq - 1].click();
  return doc.documentElement.dataset.heldEq === String(eq);
}

// A press of the phone's own (a person's tap or key on a control of the page, not in the room's bar)
// takes it off the speaker's screen: the server is told once ("away"), even for a press the page
// answers by itself (the next equation of a step the page holds).
const CONTROLS = 'button, input, textarea, select, a[href], summary, [role="slider"], [role="switch"], '
  + '[role="combobox"], [role="option"], [role="tab"], [role="radio"], [role="checkbox"]';
const KEYS = new Set(["Enter", " ", "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "PageDown", "PageUp"]);

function ownPress(f, event) {
  if (!event.isTrusted || !f.following || !f.trigger || !event.target.closest) return;
  if (event.type === "keydown" && !KEYS.has(event.key)) return;
  const control = event.target.closest(CONTROLS);
  if (!control || !control.closest('[data-testid="stMain"]') || control.closest(".st-key-room_bar")) return;
  f.following = false;
  f.trigger("away", Date.now());
}

function install() {
  const f = { code: null, version: null, trigger: null, running: false, asked: null, askedAt: 0, stopped: false };
  f.following = false;
  for (const type of ["click", "keydown"]) window.addEventListener(type, (event) => ownPress(f, event), true);
  f.loop = async () => {
    f.running = true;
    while (f.code && !f.stopped) {
      const code = f.code;
      const since = f.version;
      if (f.asked !== null && Date.now() - f.askedAt < SETTLE_MS) {
        await sleep(100);
        continue;
      }
      let version;
      try {
        const response = await fetch(`/rooms/${encodeURIComponent(code)}/version?since=${since}`, {
          cache: "no-store",
          credentials: "same-origin",
        });
        const type = response.headers.get("content-type") || "";
        if (!type.includes("application/json")) {
          f.stopped = true; // a server without the room route (streamlit run app.py): the page says so
          break;
        }
        const body = await response.json();
        version = body.version;
        if (version !== since && version !== null && code === f.code && since === f.version && showHere(f, body.screen)) {
          f.version = version; // shown in the page: no run
          f.screen = body.screen;
          f.shownHere = (f.shownHere || 0) + 1;
          document.documentElement.dataset.roomShownHere = String(f.shownHere); // for a test to read
          continue;
        }
      } catch (e) {
        await sleep(RETRY_MS); // the server restarting, or a replica gone: nginx sends us to another
        continue;
      }
      if (code !== f.code || since !== f.version) continue; // a run came meanwhile
      if (version !== since && f.trigger) {
        f.asked = since;
        f.askedAt = Date.now();
        f.trigger("moved", version === null ? -1 : version);
        if (version === null) f.code = null; // the room ended: the run says so, and nothing is asked again
      }
    }
    f.running = false;
  };
  return f;
}

export default function (component) {
  const win = window;
  if (!win.__attentionExplorerFollow) win.__attentionExplorerFollow = install();
  const f = win.__attentionExplorerFollow;
  const data = component.data || {};
  f.trigger = component.setTriggerValue;
  if (data.code !== f.code || data.version !== f.version) {
    f.asked = null;
  }
  f.code = data.code;
  f.version = data.version;
  f.screen = data.screen || null;
  f.following = Boolean(data.following);
  document.documentElement.dataset.roomVersion = String(data.version);
  const id = voterId();
  if (id && data.voter !== id) component.setStateValue("voter", id);
  if (!f.running && !f.stopped) f.loop();
}
