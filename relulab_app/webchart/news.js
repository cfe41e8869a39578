// ReLU Lab's class news (relulab_app/news.py): a student's page asks the server with a
// plain GET, every few seconds, whether its class has news (a question, the reveal, a
// lock, a countdown), and reruns the page only when it has. It also counts a countdown
// down here, in the browser, and reruns the page once when the time is up.
//
// Payload (data): url (relative to the page), news (what the page shows), every
// (seconds between asks), left (seconds until the answers close, or null).
const states = new WeakMap();

async function ask(state) {
  if (state.asking) return;
  state.asking = true;
  try {
    const reply = await fetch(new URL(state.data.url, location.href), { cache: "no-store" });
    // A server without the route, or whose store is down: one rerun, whose own read
    // says so on the page.
    const news = reply.ok ? await reply.text() : `http-${reply.status}`;
    if (news !== state.data.news && news !== state.told) {
      state.told = news;
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
    // Every page of the class gets there at once: their reruns spread over a poll's time.
    const news = `${state.data.news}.closed`;
    setTimeout(() => state.trigger("news", news), Math.random() * state.data.every * 1000);
  };
  show();
  state.ticking = setInterval(show, 250);
}

export default function ({ data, parentElement, setTriggerValue }) {
  let state = states.get(parentElement);
  if (!state) {
    state = {};
    state.asks = setInterval(() => ask(state), data.every * 1000);
    states.set(parentElement, state);
  }
  Object.assign(state, { data, trigger: setTriggerValue, told: null });
  countdown(state, parentElement, data.left);
  return () => {
    // Called before every new payload too; only a removed element stops asking.
    setTimeout(() => {
      if (!parentElement.isConnected) {
        clearInterval(state.asks);
        clearInterval(state.ticking);
        states.delete(parentElement);
      }
    }, 0);
  };
}
