// ReLU Lab's chart element: a function chart and its derivative chart, drawn with
// plotly.js from numbers the server computed (relulab), never from text a student typed.
//
// Streamlit (st.components.v2) calls the default export on mount and again whenever
// the payload or the theme changes, with the same parentElement. The plots live as
// long as that element: a new payload goes through Plotly.react, so a slider move
// redraws in place and a student's zoom or pan survives it (layout.uirevision, set by
// the server to the x-range: a new x-range starts a fresh view).
//
// Payload (JSON bytes, see relulab_app.wire):
//   charts: [{data, layout, name}]   Plotly figures; the inset's traces carry
//                                     meta "inset", its shapes and annotations name "inset"
//   hover:  [{name, f: [chart, trace], df: [chart, trace], kinks}]   which drawn lines
//           hold each curve's f and f′, and [x, f′] at each kink (the convention's value)
//   present: bool                     present mode: taller charts
//   revision: string                  uirevision for both charts
//   steps, leak (optional)            the id of the leak steps this payload is one of,
//                                     and its leak (see "the leak slider" below)
//
// or, from a hidden element of its own, gzipped, the leak steps: the payload above at
// every value the leak slider can take, as a base payload and per value its changes:
//   leak_steps: {id, leaks: [number], base: payload, patches: [[[path], value], ...]}

const PLOTLY_URL = new URL("./plotly-basic.min.js", import.meta.url).href;
// The same file gzipped once, when vendored (scripts/vendor_plotly.sh). Streamlit gzips
// a component's files anew on every request, ~35 ms of server CPU for plotly.js per page
// load, for each student of a class arriving at once; a .gz file it sends as it is
// (application/gzip), and the browser unpacks it here.
const PLOTLY_GZ_URL = `${PLOTLY_URL}.gz`;
const CELL_MIN = 360; // px: narrower than two of these side by side, the charts stack
const CONFIG = {
  displaylogo: false,
  showSendToCloud: false, // plotly.js would otherwise offer to upload the chart
  // Zoom, pan, reset and PNG download: few enough buttons to clear a phone's chart title.
  modeBarButtonsToRemove: ["lasso2d", "select2d", "zoomIn2d", "zoomOut2d", "autoScale2d"],
  doubleClick: "reset",
  responsive: false, // a ResizeObserver below resizes; Plotly's own listens on window
};

let plotlyLoading = null;
function addScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = src;
    s.async = true;
    s.onload = () => (window.Plotly ? resolve(window.Plotly) : reject(new Error("no Plotly")));
    s.onerror = () => reject(new Error("could not load plotly.js"));
    document.head.appendChild(s);
  });
}

async function plotlyFromGzip() {
  const response = await fetch(PLOTLY_GZ_URL);
  if (!response.ok) throw new Error(`plotly.js.gz: HTTP ${response.status}`);
  const source = await gunzip(response.body).blob();
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  try {
    return await addScript(url);
  } finally {
    URL.revokeObjectURL(url);
  }
}

function loadPlotly() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!plotlyLoading) {
    // Without DecompressionStream (browsers before 2023), or where a page's policy
    // refuses a blob: script, the plain file: the server gzips it as for any file.
    const packed =
      typeof DecompressionStream === "function"
        ? plotlyFromGzip()
        : Promise.reject(new Error("no DecompressionStream"));
    plotlyLoading = packed
      .catch((error) => {
        console.warn(`plotly.js: the plain file, as ${error.message}`);
        return addScript(PLOTLY_URL);
      })
      .catch((error) => {
        plotlyLoading = null;
        throw error;
      });
  }
  return plotlyLoading;
}

function bytesOf(data) {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return null;
}

function isGzip(data) {
  const b = bytesOf(data);
  return b !== null && b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;
}

// A gzipped stream, unpacked as it arrives, as a Response to read it from.
function gunzip(stream) {
  return new Response(stream.pipeThrough(new DecompressionStream("gzip")));
}

function gunzipJSON(data) {
  return gunzip(new Blob([bytesOf(data)]).stream()).text().then(JSON.parse);
}

function decode(data) {
  const bytes = bytesOf(data);
  if (bytes !== null) return JSON.parse(new TextDecoder().decode(bytes));
  if (typeof data === "string") return JSON.parse(data);
  return data;
}

// --- theme -------------------------------------------------------------------------

function cssVar(el, name, fallback) {
  const v = getComputedStyle(el).getPropertyValue(name).trim();
  return v && v !== "unset" ? v : fallback;
}

function withAlpha(color, alpha) {
  // Streamlit hands hex colours; anything else is used as it is.
  const m = /^#([0-9a-f]{6})$/i.exec(color);
  if (!m) return color;
  const n = parseInt(m[1], 16);
  return `rgba(${n >> 16},${(n >> 8) & 255},${n & 255},${alpha})`;
}

function readTheme(el) {
  const text = cssVar(el, "--st-text-color", "#111318");
  return {
    text,
    background: cssVar(el, "--st-background-color", "#ffffff"),
    panel: cssVar(el, "--st-secondary-background-color", "#f2f4f7"),
    grid: withAlpha(text, 0.14),
    line: withAlpha(text, 0.55),
    font: cssVar(el, "--st-font", "sans-serif"),
  };
}

function axisTheme(axis, theme) {
  const a = axis || {};
  return {
    gridcolor: theme.grid,
    zerolinecolor: theme.line,
    linecolor: theme.line,
    ...a,
    tickfont: { color: theme.text, ...(a.tickfont || {}) },
    title: a.title ? { ...a.title, font: { color: theme.text, ...((a.title || {}).font || {}) } } : a.title,
  };
}

// A copy of the server's layout in the page's colours. Text is the theme's full text
// colour (not a grey): tick labels must keep 4.5:1 contrast on a projector.
function themedLayout(source, theme, width, height, revision) {
  // A deep copy: Plotly writes a zoom into the layout it was given (axis ranges, in
  // place), and the server's layout must stay as sent to tell a zoom from none.
  const layout = structuredClone(source);
  const out = {
    ...layout,
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "rgba(0,0,0,0)",
    font: { family: theme.font, color: theme.text, ...(layout.font || {}) },
    hoverlabel: { bgcolor: theme.background, bordercolor: theme.line, font: { color: theme.text, size: (layout.font || {}).size } },
    legend: { ...(layout.legend || {}), font: { color: theme.text } },
    // An explicit size: with autosize, Plotly measures its container on every redraw,
    // which makes the browser lay out the page mid-move. The size is measured only when
    // it can change (see draw).
    width,
    height,
    uirevision: revision,
    autosize: false,
  };
  for (const key of Object.keys(layout)) {
    if (/^[xy]axis\d*$/.test(key)) out[key] = axisTheme(layout[key], theme);
  }
  if (out.title) out.title = { ...out.title, font: { color: theme.text, ...((out.title || {}).font || {}) } };
  if (out.annotations) {
    out.annotations = out.annotations.map((a) => ({ ...a, font: { color: theme.text, ...(a.font || {}) } }));
  }
  return out;
}

// --- the inset steps aside when the student zooms -----------------------------------

function withoutInset(data, layout) {
  const d = data.map((t) => (t.meta === "inset" ? { ...t, visible: false } : t));
  const l = { ...layout };
  for (const key of ["xaxis2", "yaxis2"]) if (l[key]) l[key] = { ...l[key], visible: false };
  for (const key of ["shapes", "annotations"]) {
    if (l[key]) l[key] = l[key].filter((s) => s.name !== "inset");
  }
  return [d, l];
}

function isZoomed(gd, layout) {
  const full = gd._fullLayout && gd._fullLayout.xaxis;
  const want = layout.xaxis && layout.xaxis.range;
  if (!full || !want || !full.range) return false;
  const span = Math.abs(want[1] - want[0]) || 1;
  return Math.abs(full.range[0] - want[0]) > 1e-6 * span || Math.abs(full.range[1] - want[1]) > 1e-6 * span;
}

// --- hover: f and f′ of every curve at the cursor's x ---------------------------------

function decimals(step) {
  // One digit finer than the axis's tick step: at ticks 0, 2, 4 a cursor reads 1.4.
  if (!(step > 0) || !isFinite(step)) return 2;
  return Math.max(0, Math.min(12, Math.ceil(-Math.log10(step)) + 1));
}

function show4(v) {
  if (v === null || v === undefined || !isFinite(v)) return "—";
  if (v === 0) return "0";
  return String(Number(v.toPrecision(4)));
}

// The value of a drawn polyline at x: linear between the server's vertices (exact for
// the ReLU family's straight pieces; within half a pixel for sampled curves). A null
// in the data is a gap (a jump), so the piece containing x is used.
function valueAt(xs, ys, x) {
  for (let i = 0; i + 1 < xs.length; i++) {
    const x0 = xs[i], x1 = xs[i + 1], y0 = ys[i], y1 = ys[i + 1];
    if (x0 === null || x1 === null || y0 === null || y1 === null) continue;
    if ((x0 <= x && x <= x1) || (x1 <= x && x <= x0)) {
      if (x1 === x0) return y0;
      return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return null;
}

function hoverLines(state, x) {
  const charts = state.payload.charts;
  return state.payload.hover.map((c) => {
    const at = (ref) => {
      const t = charts[ref[0]].data[ref[1]];
      return t ? valueAt(t.x, t.y, x) : null;
    };
    const kink = (c.kinks || []).find((k) => k[0] === x); // a jump's ends are not f′ there
    const df = kink ? kink[1] : at(c.df);
    return `${c.name}: f = ${show4(at(c.f))}, f′ = ${show4(df)}`;
  });
}

function onMove(state, i, event) {
  const gd = state.plots[i];
  const tip = state.tips[i];
  const full = gd._fullLayout;
  if (!full || state.markerHover || !state.payload.hover.length) {
    tip.hidden = true;
    return;
  }
  const box = gd.getBoundingClientRect();
  const px = event.clientX - box.left;
  const py = event.clientY - box.top;
  let xa = full.xaxis;
  const ya = full.yaxis;
  const inset = full.xaxis2 && full.xaxis2.visible !== false && full.yaxis2;
  if (inset && px >= full.xaxis2._offset && px <= full.xaxis2._offset + full.xaxis2._length &&
      py >= full.yaxis2._offset && py <= full.yaxis2._offset + full.yaxis2._length) {
    xa = full.xaxis2;
  }
  if (px < xa._offset || px > xa._offset + xa._length || py < ya._offset || py > ya._offset + ya._length) {
    tip.hidden = true;
    return;
  }
  const d = decimals(xa.dtick);
  let x = Number(xa.p2d(px - xa._offset).toFixed(d));
  if (Object.is(x, -0)) x = 0;
  tip.replaceChildren();
  for (const line of [`x = ${x.toFixed(d)}`, ...hoverLines(state, x)]) {
    const row = document.createElement("div");
    row.textContent = line; // plain text: nothing in a label is markup
    tip.appendChild(row);
  }
  tip.hidden = false;
  const cell = gd.parentElement.getBoundingClientRect();
  const left = event.clientX - cell.left + 14;
  const room = cell.width - tip.offsetWidth - 4;
  tip.style.left = `${Math.max(4, left > room ? left - tip.offsetWidth - 28 : left)}px`;
  tip.style.top = `${Math.max(0, event.clientY - cell.top - tip.offsetHeight - 12)}px`;
}

// --- the leak slider: redrawn as it moves, from the server's steps -----------------
//
// A slider move reruns the page on the server, and its new payload reaches this
// element after that run and after Streamlit has rendered it: most of a redraw's time.
// Once the student has moved the leak in a view, the server also sends the payload at
// every leak step of that view (computed by relulab like every payload). When the
// student moves the slider again, the charts are redrawn at once from that step; when
// the run's payload for the same step arrives it is that step, already drawn, and is
// not drawn again. Nothing is computed here: a step is the server's payload with the
// server's changes applied.

const leakSteps = new Map(); // id -> {leaks, base, patches}, the latest few
const LEAK_INPUT = '.st-key-leak input[type="range"]';

function keepSteps(steps) {
  leakSteps.delete(steps.id);
  leakSteps.set(steps.id, steps);
  while (leakSteps.size > 4) leakSteps.delete(leakSteps.keys().next().value);
  for (const pair of document.querySelectorAll(".rl-pair")) pair.dataset.steps = steps.id;
}

// The server's changes (relulab_app.wire.diff) applied to a copy of its base payload.
function applySteps(base, changes) {
  let out = structuredClone(base);
  for (const [path, value] of changes) {
    if (!path.length) {
      out = structuredClone(value);
      continue;
    }
    let node = out;
    for (const key of path.slice(0, -1)) node = node[key];
    node[path[path.length - 1]] = value;
  }
  return out;
}

// The payload at `leak` from the steps the server's latest payload belongs to, or null.
function stepPayload(state, leak) {
  const server = state.server;
  const steps = server && server.steps !== undefined ? leakSteps.get(server.steps) : null;
  if (!steps || !Number.isFinite(leak)) return null;
  const i = steps.leaks.indexOf(leak);
  if (i < 0) return null;
  return { ...applySteps(steps.base, steps.patches[i]), steps: server.steps, leak };
}

function leakInput() {
  return document.querySelector(LEAK_INPUT);
}

// What a payload draws, for telling whether it is already on the screen.
function drawnKey(state, payload) {
  if (payload.steps === undefined) return null;
  return JSON.stringify([payload.steps, payload.leak, state.theme, payload.present]);
}

// When the student last pressed a key or a pointer on the leak slider. Streamlit also
// sets the slider's value itself (a class's question sets the leak, in a run that may
// hide parts of the charts): only the student's own moves are drawn from the steps.
let touchedAt = -Infinity;
const TOUCH_MS = 1500;
for (const type of ["keydown", "pointerdown", "pointermove"]) {
  document.addEventListener(
    type,
    (e) => {
      if (type === "pointermove" && !e.buttons) return;
      if (e.target instanceof Element && e.target.closest(".st-key-leak")) {
        touchedAt = performance.now();
      }
    },
    true,
  );
}

function watchLeak(state) {
  // The slider's input is re-created when Streamlit remounts it: look for it again
  // whenever the page changes, and follow its value (aria-valuetext changes with it).
  let watched = null;
  const follow = new MutationObserver(() => {
    if (!watched || !window.Plotly || !state.server) return;
    if (performance.now() - touchedAt > TOUCH_MS) return;
    const step = stepPayload(state, Number(watched.value));
    if (!step) return;
    state.payload = step;
    draw(state, false, "steps").catch(() => {}); // the server's payload follows anyway
  });
  const find = () => {
    const input = leakInput();
    if (input === watched) return;
    follow.disconnect();
    watched = input;
    if (input) follow.observe(input, { attributes: true, attributeFilter: ["aria-valuetext"] });
  };
  state.finder = new MutationObserver(find);
  state.finder.observe(document.body, { childList: true, subtree: true });
  state.follow = follow;
  find();
}

// --- layout -------------------------------------------------------------------------

function chartHeight(state) {
  const pair = state.pair;
  const width = pair.clientWidth;
  const stacked = width < 2 * CELL_MIN + 16;
  const present = state.payload.present;
  if (stacked) {
    // A phone: each chart about as tall as it is wide, the pair one under the other;
    // taller in present mode, whose larger text (a legend on three rows, the inset's
    // two-line caption) would otherwise leave the plot a strip.
    const [most, ratio] = present ? [620, 1.4] : [480, 1.15];
    return Math.round(Math.min(most, Math.max(320, width * ratio)));
  }
  // Beside each other: fill the rest of the first screen, so both whole charts show
  // without scrolling on a projector.
  const top = pair.getBoundingClientRect().top + window.scrollY;
  const room = window.innerHeight - top - 8;
  const [lo, hi] = present ? [420, 1100] : [340, 640];
  return Math.round(Math.min(hi, Math.max(lo, room)));
}

function create(root) {
  const pair = document.createElement("div");
  pair.className = "rl-pair";
  const state = { root, pair, plots: [], tips: [], zoomed: [false, false], revision: null,
                  markerHover: false, payload: null, height: null, widths: [null, null] };
  for (let i = 0; i < 2; i++) {
    const cell = document.createElement("div");
    cell.className = "rl-cell";
    const plot = document.createElement("div");
    plot.className = "rl-plot";
    plot.setAttribute("role", "figure");
    const tip = document.createElement("div");
    tip.className = "rl-tip";
    tip.hidden = true;
    cell.append(plot, tip);
    pair.appendChild(cell);
    state.plots.push(plot);
    state.tips.push(tip);
    plot.addEventListener("mousemove", (e) => onMove(state, i, e));
    plot.addEventListener("mouseleave", () => {
      tip.hidden = true;
      state.markerHover = false; // a redraw under the cursor may never send plotly_unhover
    });
  }
  state.message = document.createElement("div");
  state.message.className = "rl-message";
  state.message.hidden = true;
  root.append(state.message, pair);
  let last = pair.clientWidth;
  state.observer = new ResizeObserver(() => {
    if (!pair.isConnected || !window.Plotly || !state.payload) return;
    if (Math.abs(pair.clientWidth - last) < 1) return;
    last = pair.clientWidth;
    draw(state, true);
  });
  state.observer.observe(pair);
  watchLeak(state);
  return state;
}

function wire(state, i) {
  const gd = state.plots[i];
  if (gd.__rlWired) return;
  gd.__rlWired = true;
  gd.on("plotly_hover", () => { state.markerHover = true; state.tips[i].hidden = true; });
  gd.on("plotly_unhover", () => { state.markerHover = false; });
  gd.on("plotly_relayout", () => {
    // Plotly reports the event before its full layout holds the new range: look after.
    setTimeout(() => {
      if (!state.payload) return;
      const zoomed = isZoomed(gd, state.payload.charts[i].layout);
      if (zoomed !== state.zoomed[i]) {
        state.zoomed[i] = zoomed;
        drawOne(state, i);
      }
    }, 0);
  });
}

function drawOne(state, i) {
  const spec = state.payload.charts[i];
  const gd = state.plots[i];
  let data = spec.data;
  let layout = themedLayout(
    spec.layout, state.theme, state.widths[i], state.height, state.payload.revision);
  if (state.zoomed[i]) [data, layout] = withoutInset(data, layout);
  gd.setAttribute("aria-label", spec.name || (spec.layout.title || {}).text || "chart");
  const done = window.Plotly.react(gd, data, layout, CONFIG);
  wire(state, i);
  return done;
}

function draw(state, resized = false, source = "server") {
  // The height is measured when it can have changed (first draw, resize, present mode),
  // not on every slider move: measuring forces the browser to lay out the page.
  state.theme = readTheme(state.root instanceof ShadowRoot ? state.root.host : state.root);
  const key = drawnKey(state, state.payload);
  if (!resized && key !== null && key === state.drawn) return Promise.resolve();
  state.drawn = null; // until this draw has succeeded
  state.pair.dataset.drawnFrom = source; // for tests: which way the last redraw came
  if (resized || state.height === null || state.present !== state.payload.present) {
    state.height = chartHeight(state);
    state.widths = state.plots.map((gd) => gd.parentElement.clientWidth);
    state.present = state.payload.present;
  }
  if (state.payload.revision !== state.revision) {
    state.revision = state.payload.revision;
    state.zoomed = [false, false];
  }
  return Promise.all(state.payload.charts.map((_, i) => drawOne(state, i))).then(() => {
    state.drawn = key;
  });
}

const states = new WeakMap();

export default function (component) {
  const { data, parentElement } = component;
  if (isGzip(data)) {
    // The hidden leak steps element (gzipped JSON): nothing to draw, only to keep.
    gunzipJSON(data)
      .then((steps) => keepSteps(steps.leak_steps))
      .catch(() => {}); // without steps the charts wait for the server, as before
    return () => {};
  }
  const payload = decode(data);
  let state = states.get(parentElement);
  if (!state) {
    state = create(parentElement);
    states.set(parentElement, state);
  }
  state.server = payload;
  state.pair.dataset.serverLeak = payload.leak === undefined ? "" : String(payload.leak);
  if (payload.steps === undefined) {
    // A question hides part of the charts (or the view has no steps): no step of an
    // earlier view may be drawn, nor kept here, while it is open.
    leakSteps.clear();
  }
  // The slider may already be further on than this run's leak (keys pressed while the
  // server ran): draw where it is now, from the steps, rather than step back to it.
  const input = leakInput();
  const now = input && payload.steps !== undefined ? Number(input.value) : null;
  const ahead = now !== null && now !== payload.leak ? stepPayload(state, now) : null;
  state.payload = ahead || payload;
  loadPlotly()
    .then(() => {
      state.message.hidden = true;
      return draw(state, false, ahead ? "steps" : "server");
    })
    .catch((err) => {
      // Beside the plots, not over them: the next payload tries again and draws there.
      state.message.textContent = "The charts could not be drawn: " + err.message;
      state.message.hidden = false;
    });
  return () => {
    // Called before every new payload too; only a removed element lets its plots go.
    setTimeout(() => {
      if (!state.pair.isConnected) {
        state.observer.disconnect();
        state.finder.disconnect();
        state.follow.disconnect();
        if (window.Plotly) state.plots.forEach((gd) => window.Plotly.purge(gd));
        states.delete(parentElement);
      }
    }, 0);
  };
}
