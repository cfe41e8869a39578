// ReLU Lab's sketch element: an empty chart a student draws a curve on (mouse, finger or
// pen), and the chart the teacher projects with every student's sketch at once.
//
// Payload (data), from relulab_app/sketch_view.py:
//   axes: {x: [lo, hi], y: [lo, hi]}, label: string (what to sketch, for screen readers)
//   mine: strokes | null      the student's sent sketch (drawn until they draw anew)
//   others: [strokes]         the class's sketches (the teacher's overlay), thin
//   marked: {closest, typical} indexes into others, drawn thicker (after the reveal)
//   truth: [[x, y] | null]    the true curve, null between pieces (after the reveal)
//   draw: bool                the student may draw and send
//   present: bool             present mode: larger tick labels
// strokes: [[[x, y], ...], ...] in the chart's units. Sending sets the trigger "sent" to
// the strokes as JSON; the server checks them (relulab_app/sketch.py) and answers.
// Nothing here is computed from text: numbers only, drawn as SVG paths.

const NS = "http://www.w3.org/2000/svg";
// Plot margins; present mode's tick labels are larger (read from the back of a room).
const PADS = { plain: { left: 44, right: 12, top: 12, bottom: 30 }, present: { left: 58, right: 14, top: 14, bottom: 38 } };

function el(name, attrs = {}, parent = null) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

// Round tick steps (1, 2, 5 × 10^k), about `n` over the span.
function ticks(lo, hi, n) {
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) {
    out.push(Math.abs(v) < 1e-12 * step ? 0 : Number(v.toPrecision(6)));
  }
  return out;
}

function path(points, sx, sy) {
  let d = "";
  let pen = false;
  for (const p of points) {
    if (p === null) { pen = false; continue; }
    d += `${pen ? "L" : "M"}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`;
    pen = true;
  }
  return d;
}

function render(state) {
  const { data, svg } = state;
  const PAD = PADS[data.present ? "present" : "plain"];
  state.box.classList.toggle("present", !!data.present);
  const width = state.box.clientWidth || 360;
  // The rest of the first screen (a projector shows the whole chart without scrolling),
  // at least 240 px, and never taller than wide on a phone.
  const top = state.box.getBoundingClientRect().top + window.scrollY;
  const room = window.innerHeight - top - (data.draw ? 70 : 40);
  const height = Math.round(Math.min(width * 0.9, 560, Math.max(240, room)));
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("height", height);
  svg.replaceChildren();
  const [x0, x1] = data.axes.x;
  const [y0, y1] = data.axes.y;
  const w = width - PAD.left - PAD.right;
  const h = height - PAD.top - PAD.bottom;
  const sx = (x) => PAD.left + ((x - x0) / (x1 - x0)) * w;
  const sy = (y) => PAD.top + ((y1 - y) / (y1 - y0)) * h;
  state.toData = (px, py) => [x0 + ((px - PAD.left) / w) * (x1 - x0), y1 - ((py - PAD.top) / h) * (y1 - y0)];
  const grid = el("g", { class: "rl-sk-grid" }, svg);
  for (const v of ticks(x0, x1, Math.max(3, Math.round(w / 70)))) {
    el("line", { x1: sx(v), x2: sx(v), y1: PAD.top, y2: PAD.top + h, class: v === 0 ? "zero" : "" }, grid);
    el("text", { x: sx(v), y: height - 8, "text-anchor": "middle" }, grid).textContent = String(v);
  }
  for (const v of ticks(y0, y1, Math.max(3, Math.round(h / 50)))) {
    el("line", { x1: PAD.left, x2: PAD.left + w, y1: sy(v), y2: sy(v), class: v === 0 ? "zero" : "" }, grid);
    el("text", { x: PAD.left - 6, y: sy(v) + 4, "text-anchor": "end" }, grid).textContent = String(v);
  }
  const others = el("g", { class: "rl-sk-others" }, svg);
  (data.others || []).forEach((strokes, i) => {
    const marked = data.marked || {};
    const cls = i === marked.closest ? "closest" : i === marked.typical ? "typical" : "";
    for (const s of strokes) el("path", { d: path(s, sx, sy), class: cls }, others);
  });
  if (data.truth) el("path", { d: path(data.truth, sx, sy), class: "rl-sk-truth" }, svg);
  const mine = state.strokes.length ? state.strokes : data.mine || [];
  const g = el("g", { class: "rl-sk-mine" }, svg);
  for (const s of mine) el("path", { d: path(s, sx, sy) }, g);
  state.live = el("path", { class: "rl-sk-live" }, g);
  state.sx = sx;
  state.sy = sy;
  state.count.textContent = data.others ? `${data.others.length} sketches` : "";
  state.count.hidden = !data.others;
}

function setButtons(state) {
  const drawing = state.data.draw;
  state.tools.hidden = !drawing;
  state.undo.disabled = !state.strokes.length;
  state.clear.disabled = !state.strokes.length;
  state.send.disabled = !state.strokes.length;
}

function pointIn(state, event) {
  const box = state.svg.getBoundingClientRect();
  const scale = state.svg.viewBox.baseVal.width / box.width || 1;
  return state.toData((event.clientX - box.left) * scale, (event.clientY - box.top) * scale);
}

function listen(state) {
  const svg = state.svg;
  svg.addEventListener("pointerdown", (e) => {
    if (!state.data.draw || e.button > 0) return;
    e.preventDefault();
    svg.setPointerCapture(e.pointerId);
    state.pen = [pointIn(state, e)];
  });
  svg.addEventListener("pointermove", (e) => {
    if (!state.pen) return;
    e.preventDefault();
    for (const c of e.getCoalescedEvents ? e.getCoalescedEvents() : [e]) state.pen.push(pointIn(state, c));
    if (state.pen.length > 1500) state.pen.length = 1500; // a stroke past this is a stuck pen
    state.live.setAttribute("d", path(state.pen, state.sx, state.sy));
  });
  const end = () => {
    if (!state.pen) return;
    const [x0, x1] = state.data.axes.x;
    const [y0, y1] = state.data.axes.y;
    const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
    // The chart's edge is where a finger overshoots: points past it are put back on it.
    const stroke = state.pen.map(([x, y]) => [clamp(x, x0, x1), clamp(y, y0, y1)]);
    state.pen = null;
    if (stroke.length > 1) state.strokes.push(stroke);
    render(state);
    setButtons(state);
  };
  svg.addEventListener("pointerup", end);
  svg.addEventListener("pointercancel", end);
  state.undo.addEventListener("click", () => { state.strokes.pop(); render(state); setButtons(state); });
  state.clear.addEventListener("click", () => { state.strokes = []; render(state); setButtons(state); });
  state.send.addEventListener("click", () => {
    if (!state.strokes.length) return;
    state.setTrigger("sent", JSON.stringify(state.strokes));
    state.strokes = []; // the server's copy (data.mine) is drawn from now on
    setButtons(state);
  });
}

function button(text, parent) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  parent.appendChild(b);
  return b;
}

const states = new WeakMap();

export default function ({ data, parentElement, setTriggerValue }) {
  let state = states.get(parentElement);
  if (!state) {
    const box = document.createElement("div");
    box.className = "rl-sketch";
    const svg = el("svg", { role: "img", width: "100%" });
    const count = document.createElement("p");
    count.className = "rl-sk-count";
    const tools = document.createElement("div");
    tools.className = "rl-sk-tools";
    state = { box, svg, count, tools, strokes: [], pen: null, data };
    state.undo = button("Undo", tools);
    state.clear = button("Clear", tools);
    state.send = button("Send my sketch", tools);
    state.send.className = "rl-sk-send";
    box.append(svg, tools, count);
    parentElement.appendChild(box);
    listen(state);
    new ResizeObserver(() => render(state)).observe(box);
    states.set(parentElement, state);
  }
  state.data = data;
  state.setTrigger = setTriggerValue;
  state.svg.setAttribute("aria-label", data.label || "sketch");
  render(state);
  setButtons(state);
}
