// ReLU Lab's chart element: a function chart and its derivative chart, drawn with
// plotly.js from numbers the server computed (relulab), never from text a student typed.
//
// Streamlit (st.components.v2) calls the default export on mount and again whenever
// the payload or the theme changes, with the same parentElement. The plots live as
// long as that element: a new payload goes through Plotly.react, so a slider move
// redraws in place and a student's zoom or pan survives it (layout.uirevision, set by
// the server to the x-range: a new x-range starts a fresh view).
//
// Data (relulab_app.chart.chart_pair):
//   steps_gz_base64: base64 of gzipped JSON {values: [number] | null, payloads: [payload]},
//                    a payload per value the slider can take (or one, without a slider);
//                    or steps_json, that JSON as text, for a browser that cannot gunzip
//   slider: null, or {name, label, help, min, max, step, value, set}: the element's own
//           slider for the view's parameter `name` (leak, alpha, ...), reported as the
//           element's state `name`; it takes `value` whenever `set` (a count) is new,
//           which is when the server set it (a question, a preset, a link), not when the
//           student moved it
// A payload:
//   charts: [{data, layout, name}]   Plotly figures; the inset's traces carry
//                                     meta "inset", its shapes and annotations name "inset"
//   hover:  [{name, f: [chart, trace], df: [chart, trace], kinks}]   which drawn lines
//           hold each curve's f and f′, and [x, f′] at each kink (the convention's value)
//   present: bool                     present mode: taller charts
//   revision: string                  uirevision for both charts

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

// A gzipped stream, unpacked as it arrives, as a Response to read it from.
function gunzip(stream) {
  return new Response(stream.pipeThrough(new DecompressionStream("gzip")));
}

// The steps: base64 text of gzipped JSON, unpacked off the main thread.
function unpack(text) {
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  return gunzip(new Blob([bytes]).stream()).text().then(JSON.parse);
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
    // Plotly's default ("hide past div") measures every tick label's box on every
    // redraw, to hide one that would stick out of the chart: a sixth of a leak
    // move's drawing time. Ours stay in (the x axis's automargin; the y labels, a few
    // digits at the x-range's bounds of ±60, in the fixed 64 px left margin); one
    // that did not would be cut at the chart's edge instead of hidden.
    ticklabeloverflow: "allow",
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

// --- the element's slider: a move is drawn at once from the steps ---------------------
//
// The server sends the payload at every value the slider can take (all computed by
// relulab, as every payload). A move draws its step here, then reports the value as
// the element's state; the server's rerun updates the rest of the page, and sends the
// same steps again (Streamlit sends a reference to them), so nothing is drawn twice.

// Each parameter's value, kept by the module: a remounted element (another view, then
// this one again) shows the value the student left, until the server sets another.
const sliders = {};

function makeSlider(state) {
  const box = document.createElement("div");
  box.className = "rl-slider";
  const input = document.createElement("input");
  input.type = "range";
  input.id = `rl-slider-${Math.random().toString(36).slice(2)}`;
  const label = document.createElement("label");
  label.htmlFor = input.id;
  const name = document.createElement("span");
  const value = document.createElement("output");
  value.htmlFor = input.id;
  label.append(name, value);
  // Its bounds at its ends, on the track's row (the input itself tells them to a reader).
  const ends = [document.createElement("span"), document.createElement("span")];
  ends.forEach((end) => end.setAttribute("aria-hidden", "true"));
  const row = document.createElement("div");
  row.append(ends[0], input, ends[1]);
  box.append(label, row);
  // A key press, or a drag's release, sends the value (each report is a rerun on the
  // server), then draws: Streamlit sends the report from a timer, which runs first, so
  // the server's rerun and this drawing go on at the same time. A drag draws as it goes.
  input.addEventListener("pointerdown", () => (state.dragging = true));
  input.addEventListener("pointerup", () => (state.dragging = false));
  input.addEventListener("input", () => {
    sliders[state.name].value = Number(input.value);
    value.textContent = shown(input);
    if (state.dragging) requestAnimationFrame(() => redraw(state, "steps").catch(() => {}));
  });
  input.addEventListener("change", () => {
    state.setStateValue(state.name, sliders[state.name].value);
    setTimeout(() => redraw(state, "steps").catch(() => {})); // the server's answer draws too
  });
  Object.assign(state, { box, input, label: name, value, ends });
  return box;
}

function showSlider(state, spec) {
  state.box.hidden = !spec;
  if (!spec) return;
  const { input } = state;
  state.name = spec.name;
  state.label.textContent = spec.label;
  state.box.title = spec.help || "";
  Object.assign(input, { min: spec.min, max: spec.max, step: spec.step });
  const kept = (sliders[spec.name] ||= { value: null, set: null });
  if (spec.set !== kept.set) Object.assign(kept, { value: spec.value, set: spec.set });
  input.value = String(kept.value);
  state.value.textContent = shown(input);
  const [lo, hi] = state.ends;
  lo.textContent = shown(input, spec.min);
  hi.textContent = shown(input, spec.max);
}

// The value as Streamlit's sliders show theirs: to the step's decimals (0.10, 0.00).
function shown(input, value = input.value) {
  const decimals = (input.step.split(".")[1] || "").length;
  return Number(value).toFixed(decimals);
}

// The payload to draw: the step at the slider's value; without it (a view whose steps
// the server has not sent yet) the one nearest, until the server's answer.
function pick(state, steps) {
  const { values, payloads } = steps;
  if (state.box.hidden || !values) return payloads[0];
  const at = Number(state.input.value);
  let best = 0;
  values.forEach((value, i) => {
    if (Math.abs(value - at) < Math.abs(values[best] - at)) best = i;
  });
  return payloads[best];
}

function redraw(state, source) {
  if (!window.Plotly || !state.steps) return Promise.resolve();
  const payload = pick(state, state.steps);
  const theme = readTheme(state.root instanceof ShadowRoot ? state.root.host : state.root);
  const same = JSON.stringify(theme) === JSON.stringify(state.theme);
  if (payload === state.payload && same) return Promise.resolve();
  Object.assign(state, { payload, theme });
  state.box.classList.toggle("rl-present", payload.present);
  return draw(state, false, source).catch((error) => {
    state.payload = null; // drawn again by the next payload
    throw error;
  });
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
  root.prepend(makeSlider(state));
  root.style.position = "relative"; // the slider's place is set from the element's box
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
  return Promise.all(state.payload.charts.map((_, i) => drawOne(state, i)));
}

const states = new WeakMap();

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  let state = states.get(parentElement);
  if (!state) {
    state = create(parentElement);
    states.set(parentElement, state);
  }
  state.setStateValue = setStateValue;
  showSlider(state, data.slider);
  const gzipped = typeof DecompressionStream === "function";
  if (!gzipped && data.steps_gz_base64 && !state.toldPlain) {
    state.toldPlain = true; // the server sends plain JSON text from the next run on
    setStateValue("gunzip", false);
  }
  const text = data.steps_json || data.steps_gz_base64;
  if (text !== state.text) {
    // None of the previous steps is drawn from now on (a question may hide what they show).
    Object.assign(state, { text, steps: null });
    const steps = data.steps_json ? Promise.resolve(JSON.parse(text)) : gzipped && unpack(text);
    state.unpacked = Promise.resolve(steps).then((steps) => {
      if (state.text !== text || !steps) return;
      state.steps = steps;
      state.pair.dataset.steps = steps.payloads.length; // for tests: how many it has
    });
  }
  Promise.all([loadPlotly(), state.unpacked])
    .then(() => {
      state.message.hidden = true;
      return redraw(state, "server");
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
        if (window.Plotly) state.plots.forEach((gd) => window.Plotly.purge(gd));
        states.delete(parentElement);
      }
    }, 0);
  };
}
