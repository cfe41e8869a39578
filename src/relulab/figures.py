"""Plotly figures of ReLU / Leaky ReLU and their derivatives. Pure: no Streamlit here.

The curves are exact, not sampled: ReLU-family functions are straight lines on either
side of 0, so each is drawn as a polyline through ``lo``, ``0`` and ``hi`` with every
y value computed by :mod:`relulab.activations`. The derivative is a step: two
horizontal pieces with a gap at 0 (no fake vertical segment), a closed dot on the value
the library takes at exactly 0 and an open dot on the value it does not take.

Hover along the lines is the chart element's (``relulab/webchart/chart.js``): it reads
f and f′ at the cursor's x from these same vertices, named for it by :func:`hover_refs`.
Marked points (the article's examples, the student's values) carry their own labels,
rounded to 4 significant digits; full precision stays in the tables and the CSV.
"""

from __future__ import annotations

import pickle
from functools import partial

import numpy as np
import plotly.graph_objects as go
from _plotly_utils.basevalidators import is_homogeneous_array
from _plotly_utils.utils import is_skipped_key, to_typed_array_spec

from relulab.activations import relu, relu_dash
from relulab.frameworks import LEFT, kink_value, relu_dash_under
from relulab.sampling import adaptive_x

# Okabe–Ito colour-blind-safe palette; each reads on light and dark backgrounds.
LEAKY_COLOR = "#D55E00"  # vermillion
RELU_COLOR = "#0072B2"  # blue
POINT_COLOR = "#009E73"  # bluish green
FONT_SIZE = 16  # readable when projected
PRESENT_FONT_SIZE = 20  # present mode: chart text >= 18 px from the back of a room
HEIGHT = 470


def vertices(x_range: tuple[float, float]) -> np.ndarray:
    """The x values where a ReLU-family line can bend: the ends, and 0 when inside.

    >>> vertices((-5.0, 5.0)).tolist(), vertices((1.0, 3.0)).tolist()
    ([-5.0, 0.0, 5.0], [1.0, 3.0])
    """
    lo, hi = float(x_range[0]), float(x_range[1])
    return np.array([lo, 0.0, hi] if lo < 0 < hi else [lo, hi])


def _labels(leak: float) -> tuple[str, str]:
    return f"Leaky ReLU ({leak:g})", "ReLU"


def _base_layout(
    title: str, y_title: str, x_range: tuple[float, float], font_size: int = FONT_SIZE
) -> dict:
    lo, hi = x_range
    pad = 0.02 * (hi - lo)
    return {
        # No Python-side template (Plotly's default is ~7 KB of JSON per chart): the
        # page's chart theme, light or dark, is applied in the browser.
        "template": {},  # no plotly default: the page theme applies
        # Left-aligned: the modebar (top right) never covers it, even on a phone.
        "title": {
            "text": title,
            "font": {"size": font_size + 2},
            "x": 0,
            "xref": "paper",
            "y": 0.98,
            "yanchor": "top",
        },
        "font": {"size": font_size},
        "height": HEIGHT,
        "margin": {"l": 64, "r": 16, "t": 46, "b": 40},
        # Below the x axis: on a phone the legend wraps downwards, not over the plot.
        # Further down for larger text, so it clears the x axis's title.
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.01 * font_size - 0.02, "x": 0},
        "hovermode": "closest",
        "xaxis": {
            "title": {"text": "x", "standoff": 4},
            "range": [lo - pad, hi + pad],
            "zeroline": True,
        },
        "yaxis": {"title": {"text": y_title, "standoff": 4}, "zeroline": True},
    }


OWN_COLOR = "#CC79A7"  # reddish purple: the student's own values
OWN_MAX_DRAWN = 2_000  # more points than this add bytes, not information, to a chart


def _points_trace(
    x: np.ndarray, y: np.ndarray, f: np.ndarray, df: np.ndarray, name: str, own: bool = False
) -> dict:
    return {
        "type": "scatter",
        "mode": "markers",
        "name": name,
        "x": x.tolist(),
        "y": y.tolist(),
        "customdata": np.column_stack([f, df]).tolist(),
        "marker": {
            "color": OWN_COLOR if own else POINT_COLOR,
            "size": 10 if own else 12,
            "symbol": "circle" if own else "diamond",
            "line": {"width": 1.5, "color": "white"},
        },
        # 4 significant digits, trailing zeros dropped: relu(-2.2, 0.1) reads -0.22,
        # not -0.22000000000000003 (the tables and the CSV keep every digit).
        "hovertemplate": f"{name}<br>x = %{{x:.4~g}}<br>f(x) = %{{customdata[0]:.4~g}}"
        "<br>f′(x) = %{customdata[1]:.4~g}<extra></extra>",
    }


def own_points(values: np.ndarray | None, x_range: tuple[float, float]) -> np.ndarray:
    """The student's finite values inside the x-range, at most OWN_MAX_DRAWN of them.

    >>> own_points(np.array([1.0, np.nan, 9.0, -2.0]), (-5, 5)).tolist()
    [1.0, -2.0]
    """
    if values is None:
        return np.empty(0)
    v = values[np.isfinite(values) & (values >= x_range[0]) & (values <= x_range[1])]
    return v[:: -(-v.size // OWN_MAX_DRAWN)] if v.size > OWN_MAX_DRAWN else v


def _marked_points(
    traces: list[dict],
    leak: float,
    convention: str,
    on: str,
    points: np.ndarray | None,
    own: np.ndarray | None,
) -> None:
    """The article's examples and the student's values as markers on f or on f′.

    f′ follows the page's convention at exactly 0, as the filled dot and the tables do,
    so a marker never sits on the value the convention does not take."""
    for values, name, is_own in ((points, "article examples", False), (own, "your values", True)):
        if values is None or not len(values):
            continue
        p = np.asarray(values, dtype=float)
        f, df = relu(p, leak), relu_dash_under(p, leak, convention)
        traces.append(_points_trace(p, f if on == "f" else df, f, df, name, is_own))


def function_figure(
    leak: float,
    x_range: tuple[float, float],
    points: np.ndarray | None = None,
    own: np.ndarray | None = None,
    convention: str = LEFT,
    font_size: int = FONT_SIZE,
) -> go.Figure:
    """ReLU and Leaky ReLU on the same axes, with a magnified inset of x < 0.

    Leaky ReLU is a solid line and ReLU a dashed one drawn on top, so both stay
    visible where they coincide (x > 0). The inset rescales y on the negative side
    so that even a slope of 0.01 is visibly different from ReLU's flat 0; with a leak
    of 0 the two are the same flat line there and there is nothing to magnify, so
    there is no inset. The inset's traces carry ``meta: "inset"`` and its panel and
    label ``name: "inset"``, so the chart element can hide it while the student zooms.
    """
    leak_name, relu_name = _labels(leak)
    xs = vertices(x_range)
    lo, hi = float(xs[0]), float(xs[-1])
    traces = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": leak_name,
            "x": xs.tolist(),
            "y": relu(xs, leak).tolist(),
            "line": {"color": LEAKY_COLOR, "width": 5},
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": relu_name,
            "x": xs.tolist(),
            "y": relu(xs).tolist(),
            "line": {"color": RELU_COLOR, "width": 3, "dash": "dash"},
            "hoverinfo": "skip",
        },
    ]
    _marked_points(traces, leak, convention, "f", points, own)
    layout = _base_layout("Function f(x)", "f(x)", (lo, hi), font_size)
    if lo < 0 and leak != 0:
        traces += _inset(layout, leak, xs, font_size)
    return _figure(traces, layout, plain=True)


def _inset(layout: dict, leak: float, xs: np.ndarray, font_size: int) -> list[dict]:
    """The close-up of x < 0: adds its axes, panel and label to ``layout``, returns
    its traces."""
    lo, hi = float(xs[0]), float(xs[-1])
    neg = np.array([lo, min(hi, 0.0)])
    y_leak = relu(neg, leak)
    span = float(np.ptp(y_leak)) or abs(lo) * 0.01
    y_all = np.concatenate([relu(xs, leak), relu(xs)])
    main_span = float(np.ptp(y_all)) or 1.0
    zoom = main_span / (span * 1.3)
    small = font_size - 2  # tick labels stay >= 14 px (18 in present mode)
    layout["xaxis2"] = {
        "domain": [0.14, 0.5],
        "anchor": "y2",
        "range": [lo, float(neg[-1])],
        "showgrid": False,
        "nticks": 4,
        "tickfont": {"size": small},
    }
    layout["yaxis2"] = {
        "domain": [0.5, 0.86],
        "anchor": "x2",
        "range": [float(y_leak.min()) - 0.15 * span, float(y_leak.max()) + 0.15 * span],
        "showgrid": False,
        "nticks": 4,
        "tickfont": {"size": small},
        "tickformat": ".2~g",
    }
    zoom_text = f"y ×{zoom:.3g}" if zoom >= 1.5 else "same scale"
    layout["annotations"] = [
        {
            "name": "inset",
            "text": f"close-up of x < 0: {zoom_text}, slope = {leak:g}",
            "xref": "paper",
            "yref": "paper",
            "x": 0.01,
            "y": 0.995,
            "xanchor": "left",
            "yanchor": "top",
            "showarrow": False,
            "font": {"size": small},
        }
    ]
    # A faint panel behind the inset, readable on light and dark themes.
    layout["shapes"] = [
        {
            "name": "inset",
            "type": "rect",
            "xref": "paper",
            "yref": "paper",
            "x0": 0.0,
            "x1": 0.53,
            "y0": 0.38,
            "y1": 1.0,
            "fillcolor": "rgba(128,128,128,0.10)",
            "line": {"color": "rgba(128,128,128,0.5)", "width": 1},
            "layer": "below",
        }
    ]
    return [
        {
            "type": "scatter",
            "mode": "lines",
            "name": "close-up: " + _labels(leak)[0],
            "meta": "inset",
            "x": neg.tolist(),
            "y": y_leak.tolist(),
            "xaxis": "x2",
            "yaxis": "y2",
            "showlegend": False,
            "line": {"color": LEAKY_COLOR, "width": 4},
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": "close-up: ReLU",
            "meta": "inset",
            "x": neg.tolist(),
            "y": relu(neg).tolist(),
            "xaxis": "x2",
            "yaxis": "y2",
            "showlegend": False,
            "line": {"color": RELU_COLOR, "width": 3, "dash": "dash"},
            "hoverinfo": "skip",
        },
    ]


def hidden_figure(title: str, x_range: tuple[float, float], font_size: int = FONT_SIZE) -> dict:
    """An empty chart that says it is hidden (a question would be answered by it): the
    same frame, none of the data, so nothing of the answer reaches the browser."""
    layout = _base_layout(title, "", x_range, font_size)
    layout["annotations"] = [
        {
            "text": "Hidden until you answer the question",
            "xref": "paper",
            "yref": "paper",
            "x": 0.5,
            "y": 0.5,
            "showarrow": False,
            "font": {"size": font_size + 2},
        }
    ]
    layout["yaxis"]["showticklabels"] = False
    return {"data": [], "layout": layout}


def answer_trace(x: float, y: float) -> dict:
    """The quiz's answer, marked on the chart once revealed."""
    return {
        "type": "scatter",
        "mode": "markers+text",
        "name": "the answer",
        "x": [x],
        "y": [y],
        "text": [f"({x:g}, {y:.4g})"],
        "textposition": "top center",
        "marker": {"color": "#E69F00", "size": 22, "symbol": "star", "line": {"width": 2}},
        "hovertemplate": "the answer: x = %{x:.4g}, y = %{y:.4g}<extra></extra>",
    }


def spec(fig: go.Figure) -> dict:
    """The plain ``{"data", "layout"}`` a builder made, without plotly's conversion (the
    chart element encodes it itself, see :mod:`relulab.wire`)."""
    raw = vars(fig).get("_spec")
    return raw if raw is not None else fig.to_dict()


def hover_refs(
    f_fig: go.Figure, df_fig: go.Figure, curves: list[tuple[str, float | None]]
) -> list[dict]:
    """For each (name, f′ at exactly 0) the indices of the line traces named ``name`` in
    the function and the derivative figure: the chart element reads f and f′ at the
    cursor's x from them.

    >>> f, df = function_figure(0.1, (-5, 5)), derivative_figure(0.1, (-5, 5))
    >>> hover_refs(f, df, [("ReLU", 0.0)])
    [{'name': 'ReLU', 'f': [0, 1], 'df': [1, 1], 'at0': 0.0}]
    """

    def index(fig: go.Figure, name: str) -> int:
        data = spec(fig)["data"]
        return next(
            i
            for i, t in enumerate(data)
            if t.get("name") == name and t.get("mode") == "lines" and t.get("meta") != "inset"
        )

    return [
        {"name": name, "f": [0, index(f_fig, name)], "df": [1, index(df_fig, name)], "at0": at0}
        for name, at0 in curves
    ]


def article_hover(leak: float, x_range: tuple[float, float], convention: str = LEFT) -> list:
    """What the article's chart pair shows on hover: both curves, f′(0) by convention."""
    leak_name, relu_name = _labels(leak)
    inside = x_range[0] <= 0 <= x_range[1]
    return [
        (leak_name, float(relu_dash_under(0.0, leak, convention)) if inside else None),
        (relu_name, float(relu_dash_under(0.0, 0.0, convention)) if inside else None),
    ]


class SpecFigure(go.Figure):
    """A ``go.Figure`` that keeps the plain spec it is built from and builds itself on use.

    ``st.plotly_chart`` only calls ``to_dict()`` and serialises the result; for a figure
    that is the spec itself, so a slider move skips building plotly's object tree and
    deep-copying it back out (docs/performance.md has the measurements). Any other
    use (``fig.data``, ``fig.update_layout(...)``, ``fig.show()``, pickling) builds the
    full figure first, so to notebooks and tests it is an ordinary ``go.Figure``.
    """

    def __init__(self, spec: dict, plain: bool = False) -> None:
        # vars(): past BaseFigure.__setattr__, which would build
        vars(self)["_spec"] = spec
        vars(self)["_plain"] = plain

    def _build(self) -> None:
        spec = vars(self).pop("_spec", None)
        if spec is not None:
            go.Figure.__init__(self, spec, _validate=False)

    def __getattr__(self, name: str):
        # Only reached for attributes not set yet: build once, then look again.
        if "_spec" not in vars(self):
            raise AttributeError(name)
        self._build()
        return getattr(self, name)

    def to_dict(self) -> dict:
        spec = vars(self).get("_spec")
        if spec is None:
            return super().to_dict()
        if vars(self)["_plain"]:
            # Only dicts, lists, strings and numbers (its builder says so, and a test
            # checks): a copy is all there is to do, and pickle's is 5x faster than _wire.
            return pickle.loads(pickle.dumps(spec, pickle.HIGHEST_PROTOCOL))
        return _wire(spec)

    def __reduce__(self):
        # Copies and pickles come back as plain, built go.Figures.
        self._build()
        return (go.Figure, super().__reduce__()[1])


def _wire(obj):
    """What go.Figure.to_dict gives for a spec, in one pass: new dicts and lists, and numpy
    arrays as base64 typed arrays under plotly's own rules (its ``convert_to_base64``
    converts dict values only, skips a few keys, and walks every number of every list)."""
    if isinstance(obj, dict):
        return {
            k: v
            if is_skipped_key(k)
            else to_typed_array_spec(v)
            if is_homogeneous_array(v)
            else _wire(v)
            for k, v in obj.items()
        }
    if isinstance(obj, list | tuple):
        if any(isinstance(v, dict | list | tuple) for v in obj):
            return [_wire(v) for v in obj]
        return list(obj)  # numbers or strings: nothing inside to convert
    return obj


def _figure(traces: list[dict], layout: dict, plain: bool = False) -> go.Figure:
    # Plotly's validation costs ~5 ms a figure, on every slider move. The dicts built
    # here are fixed in shape, and tests/test_figures.py validates every one of them.
    # `plain`: the spec holds no numpy arrays (nothing for plotly to convert).
    return SpecFigure({"data": traces, "layout": layout}, plain)


def kink_dots(leak: float, convention: str = LEFT) -> tuple[float, float | None]:
    """The derivative's value taken at exactly 0, and the one-sided limit not taken.

    Computed from the library (the article's convention) or, for JAX's convention,
    from :func:`relulab.frameworks.kink_value`.

    >>> kink_dots(0.1), kink_dots(0.1, "jax")
    ((0.1, 1.0), (1.0, 0.1))
    >>> kink_dots(1.0)
    (1.0, None)
    """
    taken = float(relu_dash_under(0.0, leak, convention))
    left = float(relu_dash(-np.finfo(float).tiny, leak))
    right = float(relu_dash(np.finfo(float).tiny, leak))
    other = right if taken == left else left
    return taken, (None if other == taken else other)


def _step_trace(leak: float, x_range: tuple[float, float], name: str, line: dict) -> dict:
    lo, hi = x_range
    if lo < 0 < hi:
        # Two pieces, broken at 0 by a gap (None), values from the library.
        x = [lo, 0.0, None, 0.0, hi]
        d = relu_dash(np.array([lo, 0.0, hi]), leak).tolist()
        right = float(relu_dash(np.finfo(float).tiny, leak))
        y = [d[0], d[1], None, right, d[2]]
    else:
        x = [lo, hi]
        y = relu_dash(np.array([lo, hi]), leak).tolist()
    return {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "x": x,
        "y": y,
        "connectgaps": False,
        "line": line,
        "hoverinfo": "skip",
    }


def _dot_pair(taken: float, other: float | None, color: str, size: int, who: str = "") -> list:
    """A closed dot on the value f′ takes at 0, an open one on the limit it does not."""
    dots = [
        {
            "type": "scatter",
            "mode": "markers",
            "x": [0.0],
            "y": [taken],
            "showlegend": False,
            "meta": "kink",
            "marker": {"color": color, "size": size, "symbol": "circle"},
            "hovertemplate": f"{who}f′(0) = {taken:.4g}: the value taken at 0<extra></extra>",
        }
    ]
    if other is not None:
        dots.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [0.0],
                "y": [other],
                "showlegend": False,
                "meta": "kink",
                "marker": {
                    "color": color,
                    "size": size,
                    "symbol": "circle-open",
                    "line": {"width": 3},
                },
                "hovertemplate": f"{who}{other:.4g}: the limit from the other side,"
                " not taken at 0<extra></extra>",
            }
        )
    return dots


def _dot_traces(leak: float, color: str, size: int, convention: str = LEFT) -> list[dict]:
    taken, other = kink_dots(leak, convention)
    return _dot_pair(taken, other, color, size)


def derivative_figure(
    leak: float,
    x_range: tuple[float, float],
    points: np.ndarray | None = None,
    convention: str = LEFT,
    own: np.ndarray | None = None,
    font_size: int = FONT_SIZE,
) -> go.Figure:
    """The derivatives of ReLU and Leaky ReLU as steps with marked values at 0 (the
    value taken there follows ``convention``: the article's, or JAX's)."""
    leak_name, relu_name = _labels(leak)
    xs = vertices(x_range)
    lo, hi = float(xs[0]), float(xs[-1])
    traces = [
        _step_trace(leak, (lo, hi), leak_name, {"color": LEAKY_COLOR, "width": 5}),
        _step_trace(0.0, (lo, hi), relu_name, {"color": RELU_COLOR, "width": 3, "dash": "dash"}),
    ]
    _marked_points(traces, leak, convention, "df", points, own)
    if lo < 0 < hi:  # after the marked points, so the dots at 0 stay on top
        traces += _dot_traces(0.0, RELU_COLOR, 20, convention)
        traces += _dot_traces(leak, LEAKY_COLOR, 13, convention)
    layout = _base_layout("Derivative f′(x)", "f′(x)", (lo, hi), font_size)
    ys = [0.0, 1.0, leak]
    layout["yaxis"]["range"] = [min(ys) - 0.15, max(ys) + 0.15]
    if lo < 0:
        left = float(relu_dash(lo, leak))
        layout["annotations"] = [
            {
                "text": f"f′ = leak = {left:g} for x {'<' if convention == 'jax' else '≤'} 0",
                "x": (lo + min(hi, 0.0)) / 2,
                "y": left,
                "yshift": 18 if left < 0.5 else -18,  # away from ReLU′ = 0
                "showarrow": False,
                "font": {"size": font_size - 2},  # the theme's text colour: 4.5:1
            }
        ]
    return _figure(traces, layout, plain=True)


# --- any registered activation (the catalogue) ---------------------------------------

PALETTE = ["#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
SAMPLES = 201  # sample_x's default: evenly spaced, for callers that want a fixed grid
# Smooth curves are sampled for a chart this many times larger than drawn, so a student
# who zooms in 4x still sees no straight segments (about 110 points for four curves).
ZOOM_HEADROOM = 4


def sample_x(x_range: tuple[float, float], n: int = SAMPLES) -> np.ndarray:
    """Evenly spaced x with 0 included when inside, so every kink is a vertex."""
    lo, hi = float(x_range[0]), float(x_range[1])
    x = np.linspace(lo, hi, n)
    return np.union1d(x, [0.0]) if lo < 0 < hi else x


def entry_label(act, params: dict[str, float]) -> str:
    """'ELU (alpha=0.5)': the legend name of an activation at its parameters."""
    if not params:
        return act.name
    return f"{act.name} (" + ", ".join(f"{k}={v:g}" for k, v in params.items()) + ")"


DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid"]


def overlay_line(i: int, n: int, color: str) -> dict:
    """The i-th of n overlaid curves: each later one narrower and in its own dash, so
    where curves coincide (Leaky ReLU and ELU for x > 0) the earlier, wider line still
    shows around the later one.

    >>> overlay_line(0, 1, "#000"), overlay_line(1, 3, "#000")
    ({'color': '#000', 'width': 4}, {'color': '#000', 'width': 5.0, 'dash': 'dash'})
    """
    if n == 1:
        return {"color": color, "width": 4}
    return {"color": color, "width": max(2.0, 7.0 - 2.0 * i), "dash": DASHES[i % len(DASHES)]}


def catalogue_figures(
    entries: list[tuple[object, dict[str, float]]],
    x_range: tuple[float, float],
    convention: str = LEFT,
    *,
    width_px: float = ZOOM_HEADROOM * 700.0,
    height_px: float = ZOOM_HEADROOM * HEIGHT,
    font_size: int = FONT_SIZE,
) -> tuple[go.Figure, go.Figure]:
    """f and f′ of each (activation record, parameters), overlaid on two figures.

    Curves are sampled by :func:`relulab.sampling.adaptive_x` for a chart of about
    ``width_px`` × ``height_px``: by default a 700 × 470 chart zoomed in 4× (a zoom
    survives slider moves, and hover reads values off the drawn line). A derivative
    that jumps at 0 is drawn as two pieces with a gap (no vertical segment), with a
    closed dot on the value taken at 0 under ``convention`` and an open dot on the
    other one-sided limit.
    """
    # Within half a pixel of every curve, 0 always a vertex. The two figures have their
    # own y-axes, so f and f′ are sampled separately and share the union of the two.
    size = {"width_px": width_px, "height_px": height_px}
    x = np.union1d(
        adaptive_x([partial(a, **p) for a, p in entries], x_range, **size),
        adaptive_x([partial(a.derivative, **p) for a, p in entries], x_range, **size),
    )
    lo, hi = float(x[0]), float(x[-1])
    f_traces: list[dict] = []
    d_traces: list[dict] = []
    tiny = np.finfo(float).tiny
    for i, (act, params) in enumerate(entries):
        color = PALETTE[i % len(PALETTE)]
        line = overlay_line(i, len(entries), color)
        name = entry_label(act, params)
        f = np.asarray(act(x, **params), dtype=float)
        df = np.asarray(act.derivative(x, **params), dtype=float)
        f_traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": name,
                # float32 halves the JSON; a sampled curve needs no more digits.
                "x": x.astype(np.float32),
                "y": f.astype(np.float32),
                "line": line,
                "hoverinfo": "skip",  # the chart element reads f and f′ at the cursor
            }
        )
        at0 = kink_value(act.key, params, convention) if lo < 0 < hi else None
        left = float(act.derivative(-tiny, **params))
        right = float(act.derivative(tiny, **params))
        if at0 is not None and left != right:
            neg, pos = x <= 0, x > 0
            dx = np.concatenate([x[neg], [np.nan, 0.0], x[pos]])
            dy = np.concatenate([df[neg], [np.nan, right], df[pos]])
            dy[np.flatnonzero(neg)[-1]] = left  # the left piece ends at the left limit
        else:
            dx, dy = x, df
        d_traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": name,
                "x": dx.astype(np.float32),
                "y": dy.astype(np.float32),
                "connectgaps": False,
                "line": line,
                "hoverinfo": "skip",
            }
        )
        if at0 is not None and left != right:
            other = right if at0 == left else left
            d_traces += _dot_pair(at0, other, color, 13, f"{name}: ")
    f_layout = _base_layout("Function f(x)", "f(x)", (lo, hi), font_size)
    d_layout = _base_layout("Derivative f′(x)", "f′(x)", (lo, hi), font_size)
    return _figure(f_traces, f_layout), _figure(d_traces, d_layout)


def catalogue_hover(
    entries: list[tuple[object, dict[str, float]]],
    x_range: tuple[float, float],
    convention: str = LEFT,
) -> list[tuple[str, float | None]]:
    """Each entry's legend name and its f′ at exactly 0 under ``convention`` (None where
    there is no kink, or 0 is outside the x-range: hover then reads the drawn line)."""
    inside = x_range[0] < 0 < x_range[1]
    return [
        (entry_label(act, p), kink_value(act.key, p, convention) if inside else None)
        for act, p in entries
    ]


# --- the dying-ReLU lab ------------------------------------------------------------------


# Both lab figures are read on a phone (~350 px wide) as well as on a projector, and a
# layout that only works wide is what made them unreadable there: subplots side by side
# put the right one's axis on top of the left one's plot, and titles in the top margin
# print over each other and under the modebar (top right). So the curves are stacked
# rows sharing the epoch axis, and the region panels are titled below themselves.
LAB_CURVES_HEIGHT = 450
LAB_REGIONS_HEIGHT = 340
LAB_MODEBAR_STRIP = 34  # px at the top of a lab chart kept free for Plotly's modebar
# st.plotly_chart's theme="streamlit" sets 12.75 px tick, legend and axis-title fonts,
# which override the layout's font size: the lab's text sizes are given explicitly.
_LAB_TEXT = {"font": {"size": FONT_SIZE}}
_LAB_TICKS = {"tickfont": {"size": FONT_SIZE}}


def lab_curves_figure(relu_hist, leaky_hist, leak: float) -> go.Figure:
    """Loss (top) and fraction of dead hidden units (bottom) per epoch, both networks,
    as two rows over one shared epoch axis (zooming one zooms both)."""
    epochs = np.arange(1, len(relu_hist.loss) + 1, dtype=np.float32)
    traces = []
    for hist, name, color, dash in (
        (relu_hist, "ReLU", RELU_COLOR, "dash"),
        (leaky_hist, f"Leaky ReLU ({leak:g})", LEAKY_COLOR, "solid"),
    ):
        line = {"color": color, "width": 3, "dash": dash}
        traces.append(
            {"type": "scatter", "mode": "lines", "name": name, "x": epochs, "line": line,
             "y": np.asarray(hist.loss, np.float32), "legendgroup": name,
             "hovertemplate": f"{name}<br>epoch %{{x}}<br>loss %{{y:.4g}}<extra></extra>"}
        )  # fmt: skip
        traces.append(
            {"type": "scatter", "mode": "lines", "name": name, "x": epochs, "line": line,
             "y": np.asarray(hist.dead, np.float32), "legendgroup": name, "showlegend": False,
             "yaxis": "y2",
             "hovertemplate": f"{name}<br>epoch %{{x}}<br>dead %{{y:.0%}}<extra></extra>"}
        )  # fmt: skip
    layout = {
        "template": {},  # no plotly default: the page theme applies
        "height": LAB_CURVES_HEIGHT,
        "font": {"size": FONT_SIZE},
        # Bottom margin: the epoch ticks and title, then the legend, pinned to the
        # figure's bottom edge ("container"), not placed relative to the plot. Plotly
        # wraps a horizontal legend wider than the plot: at 14 px both entries still
        # fit one line on a phone.
        "margin": {"l": 60, "r": 12, "t": LAB_MODEBAR_STRIP, "b": 92},
        "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom",
                   "x": 0, "xanchor": "left", "font": {"size": FONT_SIZE - 2}},
        # One x axis for both rows, drawn under the bottom one: no epoch ticks between
        # the rows, so the gap can stay small.
        "xaxis": {"anchor": "y2", "title": {"text": "epoch", "standoff": 4, **_LAB_TEXT},
                  **_LAB_TICKS},
        "yaxis": {"domain": [0.56, 1.0], "rangemode": "tozero", **_LAB_TICKS,
                  "title": {"text": "training loss", "standoff": 4, **_LAB_TEXT}},
        "yaxis2": {"domain": [0.0, 0.44], "anchor": "x", "range": [0, 1], "tickformat": ".0%",
                   **_LAB_TICKS, "title": {"text": "dead units", "standoff": 4, **_LAB_TEXT}},
    }  # fmt: skip
    return _figure(traces, layout)


def lab_regions_figure(X, y, grids: list[tuple[str, tuple]]) -> go.Figure:
    """Each network's class-1 probability over the plane, with the training points.

    Each panel is square and titled by its x-axis title, so the title sits right under
    its own panel at any width (a paper-placed title stays where it was put while the
    square panels shrink, and collides with its neighbour on a phone)."""
    traces: list[dict] = []
    layout: dict = {
        "template": {},  # no plotly default: the page theme applies
        "height": LAB_REGIONS_HEIGHT,
        "font": {"size": FONT_SIZE},
        "margin": {"l": 8, "r": 8, "t": LAB_MODEBAR_STRIP, "b": 8},
        "showlegend": False,
    }
    hidden = {"showgrid": False, "zeroline": False, "showline": False,
              "showticklabels": False, "ticks": ""}  # fmt: skip
    for i, (title, (gx, gy, prob)) in enumerate(grids):
        sx = "" if i == 0 else str(i + 1)
        left = i / len(grids) + 0.02
        right = (i + 1) / len(grids) - 0.02
        # constrain "domain": keeping the panel square shrinks its box (not its data
        # range), so the x axis, and its title, stay at the panel's bottom edge.
        layout[f"xaxis{sx}"] = {
            **hidden, "domain": [left, right], "anchor": f"y{sx}", "constrain": "domain",
            "title": {"text": title, "standoff": 6, **_LAB_TEXT},
        }  # fmt: skip
        layout[f"yaxis{sx}"] = {**hidden, "anchor": f"x{sx}", "scaleanchor": f"x{sx}",
                                "constrain": "domain"}  # fmt: skip
        traces.append(
            {"type": "heatmap", "x": gx.astype(np.float32), "y": gy.astype(np.float32),
             "z": prob.astype(np.float32), "zmin": 0, "zmax": 1, "showscale": False,
             "colorscale": [[0, RELU_COLOR], [0.5, "#f0f0f0"], [1, LEAKY_COLOR]],
             "opacity": 0.75, "xaxis": f"x{sx}", "yaxis": f"y{sx}",
             "hovertemplate": "P(class 1) = %{z:.2f}<extra></extra>"}
        )  # fmt: skip
        for label, color in ((0, RELU_COLOR), (1, LEAKY_COLOR)):
            pts = X[y == label].astype(np.float32)
            traces.append(
                {"type": "scatter", "mode": "markers", "x": pts[:, 0], "y": pts[:, 1],
                 "xaxis": f"x{sx}", "yaxis": f"y{sx}", "hoverinfo": "skip",
                 "marker": {"color": color, "size": 6, "line": {"width": 1, "color": "white"}}}
            )  # fmt: skip
    return _figure(traces, layout)
