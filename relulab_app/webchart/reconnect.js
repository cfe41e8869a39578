// ReLU Lab's reconnection element (relulab_app/reconnect.py): what the page does while
// its server is away, and just after it is back. It draws nothing in the page's flow.
//
// Streamlit 1.67 tells a component nothing about the connection; its app root says it
// in an attribute, which this element follows:
//   data-test-connection-state   CONNECTED, or PINGING_SERVER / CONNECTING while away
//
// While away: a plain banner (role="status", so a screen reader says it) instead of
// Streamlit's "Connection error" dialog, whose text is written for the developer
// ("streamlit run yourscript.py" on localhost, "Are you connected to the internet?"
// elsewhere). The dialog is closed the way its × closes it, which Streamlit keeps
// closed until the next reconnection: no focus trapped in it, no page hidden from a
// screen reader behind it.
//
// (Just after, a restarted server would drop a move in a fragment it does not know yet:
// relulab_app/reconnect.py runs the whole page for it instead.)
//
// Payload (JSON): {away, lost}: the banner's text while Streamlit tries to reconnect, and
// once it has given up.

const APP = '[data-testid="stApp"]';
const CONNECTION = "data-test-connection-state";

let watcher = null; // one per page: the element may be mounted anew

function closeConnectionDialog() {
  for (const dialog of document.querySelectorAll('[role="dialog"]')) {
    const title = dialog.querySelector("h2");
    if (title && title.textContent.trim() === "Connection error") {
      const close = dialog.querySelector('button[aria-label="Close"]');
      if (close) close.click();
    }
  }
}

function watch(app) {
  const w = { app, text: {}, away: false };
  w.banner = document.createElement("div");
  w.banner.className = "rl-away";
  w.banner.setAttribute("role", "status"); // polite: said when the text changes
  document.body.appendChild(w.banner);
  const dialogs = new MutationObserver(closeConnectionDialog);

  // Each change in order, with the value it set (a batch may hold several).
  const step = (name, value) => {
    if (value === null) return; // a Streamlit without the attribute: leave it be
    if (name === CONNECTION) {
      const away = value !== "CONNECTED";
      if (away) {
        // Streamlit stops trying only after a fault in the connection itself (never
        // for a server that is merely away): then a reload is the way on.
        const text = value === "DISCONNECTED_FOREVER" ? w.text.lost : w.text.away;
        // Only when it changes: each new text is read out again, and the state goes to
        // CONNECTING and back when a server answers its health check but not its socket.
        if (w.banner.textContent !== text) w.banner.textContent = text;
        if (!w.away) {
          closeConnectionDialog();
          dialogs.observe(document.body, { childList: true, subtree: true });
        }
      } else if (w.away) {
        w.banner.textContent = "";
        dialogs.disconnect();
      }
      w.away = away;
    }
  };
  new MutationObserver((records) => {
    records.forEach((r, i) => {
      const later = records.slice(i + 1).find((s) => s.attributeName === r.attributeName);
      step(r.attributeName, later ? later.oldValue : app.getAttribute(r.attributeName));
    });
  }).observe(app, { attributes: true, attributeOldValue: true, attributeFilter: [CONNECTION] });
  step(CONNECTION, app.getAttribute(CONNECTION));
  return w;
}

function decode(data) {
  if (data instanceof Uint8Array || data instanceof ArrayBuffer) {
    return JSON.parse(new TextDecoder().decode(data));
  }
  return typeof data === "string" ? JSON.parse(data) : data;
}

export default function ({ data, parentElement }) {
  const app = document.querySelector(APP);
  if (!app) return () => {};
  if (!watcher || watcher.app !== app) watcher = watch(app);
  watcher.text = decode(data);
  // The banner sits outside the element (which takes no room): it takes the theme's
  // colours, which Streamlit sets on the element, inverted for contrast in either theme.
  const style = getComputedStyle(parentElement);
  for (const name of ["--st-text-color", "--st-background-color", "--st-font"]) {
    watcher.banner.style.setProperty(name, style.getPropertyValue(name));
  }
  return () => {};
}
