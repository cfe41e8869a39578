// ReLU Lab's class news (relulab_app/news.py): a student's page asks the server with a
// plain GET, every few seconds, whether its class has news (a question, the reveal, a
// lock, a countdown), and asks for a run only when it has (of the class panel it sits
// in, or of the whole page: the panel's callback decides). It also counts a countdown
// down here, in the browser, and asks for one run when the time is up.
//
// Payload (data): url (relative to the page), news (what the page shows), every
// (seconds between asks), left (seconds until the answers close, or null).
const states = new WeakMap();
// What the route answers (classroom.news); anything else (an error page, a proxy's
// page) is not news.
const NEWS = /^(0|ended|gone|\d+\.[01]\.[01]\.\d+)$/;
const RETRY = 3; // asks after which the same news fires again if no run took it

async function ask(state) {
  if (state.asking) return;
  state.asking = true;
  try {
    const reply = await fetch(new URL(state.data.url, location.href), { cache: "no-store" });
    const text = reply.ok ? (await reply.text()).trim() : "";
    // A store that is down, or a server without the route: a run, whose own read says
    // so on the page (and again every few asks, below, until a read succeeds).
    const news = NEWS.test(text) ? text : `unreadable-${reply.status}`;
    state.since += 1;
    // A fired run whose page still shows the old news (its read of the class failed,
    // say) is asked for again after a few asks, so a page never stays behind.
    if (news !== state.data.news && (news !== state.told || state.since >= RETRY)) {
      Object.assign(state, { told: news, since: 0 });
      state.trigger("news", news);
    }
  } catch {
    // The server is away: Streamlit's reconnection reruns the page when it is back.
  } finally {
    state.asking = false;
  }
}

function countdown(state, parent, left) {
  clearInterval(state.ticking);
  clearTimeout(state.closing);
  parent.querySelector(".rl-clock")?.remove();
  if (left == null) return;
  const clock = document.createElement("p");
  clock.className = "rl-clock";
  clock.setAttribute("role", "timer");
  parent.append(clock);
  const end = performance.now() + left * 1000;
  const show = () => {
    const s = Math.ceil((end - performance.now()) / 1000);
    if (s > 0) {
      clock.textContent = `Time left: ${s} s`;
      return;
    }
    clock.textContent = "Answers closed: time is up.";
    clearInterval(state.ticking);
    // Every page of the class gets there at once: their reruns spread over an ask's time.
    const news = `${state.data.news}.closed`;
    state.closing = setTimeout(() => state.trigger("news", news), Math.random() * state.data.every * 1000);
  };
  state.ticking = setInterval(show, 250);
  show();
}

export default function ({ data, parentElement, setTriggerValue }) {
  let state = states.get(parentElement);
  if (!state) {
    state = {};
    state.asks = setInterval(() => ask(state), data.every * 1000);
    states.set(parentElement, state);
  }
  // Streamlit calls this again only when the payload changes: a new page to compare with.
  Object.assign(state, { data, trigger: setTriggerValue, told: null, since: 0 });
  countdown(state, parentElement, data.left);
  return () => {
    // Called when the element goes; a new payload may follow, so check it is gone.
    setTimeout(() => {
      if (!parentElement.isConnected) {
        clearInterval(state.asks);
        clearInterval(state.ticking);
        clearTimeout(state.closing);
        states.delete(parentElement);
      }
    }, 0);
  };
}
