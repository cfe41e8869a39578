"""The article's figures: ReLU and Leaky ReLU (exact polylines through 0, with an inset
of x < 0) and their derivatives (steps with the dots at 0)."""

from __future__ import annotations

import numpy as np

from relulab.activations import relu, relu_dash
from relulab.frameworks import LEFT, relu_dash_under
from relulab_app.figures._common import (
    FONT_SIZE,
    LEAK_NOTE,
    LEAKY_COLOR,
    RELU_COLOR,
    _base_layout,
    _dot_pair,
    _line,
    _points_trace,
    note_size,
)

_RELU_LINE = {"color": RELU_COLOR, "width": 3, "dash": "dash"}  # drawn over Leaky ReLU's


def vertices(x_range: tuple[float, float]) -> np.ndarray:
    """The x values where a ReLU-family line can bend: the ends, and 0 when inside.

    >>> vertices((-5.0, 5.0)).tolist(), vertices((1.0, 3.0)).tolist()
    ([-5.0, 0.0, 5.0], [1.0, 3.0])
    """
    lo, hi = float(x_range[0]), float(x_range[1])
    return np.array([lo, 0.0, hi] if lo < 0 < hi else [lo, hi])


def _labels(leak: float) -> tuple[str, str]:
    return f"Leaky ReLU ({leak:g})", "ReLU"


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
) -> dict:
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
        _line(leak_name, xs.tolist(), relu(xs, leak).tolist(), {"color": LEAKY_COLOR, "width": 5}),
        _line(relu_name, xs.tolist(), relu(xs).tolist(), _RELU_LINE),
    ]
    _marked_points(traces, leak, convention, "f", points, own)
    layout = _base_layout("Function f(x)", "f(x)", (lo, hi), font_size)
    if lo < 0 and leak != 0:
        traces += _inset(layout, leak, xs, font_size)
    return {"data": traces, "layout": layout}


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
    small = note_size(font_size)  # tick labels stay >= 14 px (20 in present mode)
    # y: under the two lines of its caption (below), at any chart size and font.
    y_range = [float(y_leak.min()) - 0.15 * span, float(y_leak.max()) + 0.15 * span]
    _inset_axes(layout, ([0.14, 0.5], [lo, float(neg[-1])]), ([0.5, 0.8], y_range), 4, small)
    zoom_text = f"y ×{zoom:.3g}" if zoom >= 1.5 else "same scale"
    # With no x > 0 in range, ReLU's 0 is the top of the chart: the panel stops below
    # it and the caption goes under the close-up, off the line. Two lines: on one, it ran
    # past the panel onto the main plot (at 1024 px wide, and on a phone).
    panel = (0.38, 1.0) if hi > 0 else (0.3, 0.92)
    _inset_frame(
        layout, f"close-up of x < 0<br>{zoom_text}, slope = {leak:g}", panel, 0.53, hi > 0, small
    )
    return _inset_lines(leak, neg.tolist(), y_leak.tolist(), relu(neg).tolist())


def _inset_axes(layout: dict, x: tuple, y: tuple, y_ticks: int, size: int) -> None:
    """A close-up's axes, x and y each as (domain, range), with tick labels of ``size``."""
    plain = {"showgrid": False, "tickfont": {"size": size}}
    layout["xaxis2"] = {"domain": x[0], "anchor": "y2", "range": x[1], "nticks": 4, **plain}
    layout["yaxis2"] = {"domain": y[0], "anchor": "x2", "range": y[1], "nticks": y_ticks,
                        "tickformat": ".2~g", **plain}  # fmt: skip


def _inset_lines(leak: float, x: list, y_leak: list, y_relu: list) -> list[dict]:
    """The close-up's two lines, Leaky ReLU's and ReLU's, on the inset's axes."""
    inset = {"meta": "inset", "xaxis": "x2", "yaxis": "y2", "showlegend": False}
    return [
        _line(
            "close-up: " + _labels(leak)[0], x, y_leak, {"color": LEAKY_COLOR, "width": 4}, **inset
        ),
        _line("close-up: ReLU", x, y_relu, _RELU_LINE, **inset),
    ]


def _inset_frame(
    layout: dict, caption: str, panel: tuple[float, float], right: float, on_top: bool, size: int
) -> None:
    """An inset's faint panel (readable on light and dark themes) spanning ``panel``
    (bottom, top) and 0 … ``right`` of the chart (paper units), and its caption at the
    panel's top or bottom; both named "inset", which the chart element hides on zoom."""
    layout["annotations"] = [
        *layout.get("annotations", []),
        {
            "name": "inset",
            "text": caption,
            "xref": "paper",
            "yref": "paper",
            "x": 0.01,
            "y": panel[1] - 0.005 if on_top else panel[0] + 0.01,
            "xanchor": "left",
            "yanchor": "top" if on_top else "bottom",
            "align": "left",
            "showarrow": False,
            "font": {"size": size},
        },
    ]
    layout["shapes"] = [
        {
            "name": "inset",
            "type": "rect",
            "xref": "paper",
            "yref": "paper",
            "x0": 0.0,
            "x1": right,
            "y0": panel[0],
            "y1": panel[1],
            "fillcolor": "rgba(128,128,128,0.10)",
            "line": {"color": "rgba(128,128,128,0.5)", "width": 1},
            "layer": "below",
        }
    ]


# Below this leak the derivative's leak line and ReLU′'s 0 line (and their dots at 0)
# are fewer pixels apart than the lines are wide, on a phone's chart of ~220 px for
# the y-axis's 1.3: a close-up of x ≤ 0 then shows them apart.
DERIVATIVE_INSET_BELOW = 0.05


def _derivative_inset(
    layout: dict, leak: float, lo: float, hi: float, convention: str, font_size: int
) -> list[dict]:
    """The close-up of f′ for x ≤ 0 at a small leak: adds its axes, panel and caption to
    ``layout``, returns its traces (the two lines, and the dots at 0 within its range,
    which carry ``legendgroup: "kink"`` so that a question hiding the dots hides them).

    Placed where f′ draws nothing: over x < 0 above the leak line, and over x > 0 below
    the line at 1, so wherever 0 falls in the x-range the panel covers no line."""
    end = min(hi, 0.0)
    span = 2.2 * leak
    small = note_size(font_size)  # as the function's close-up: >= 20 px when presenting
    y_range = [-0.6 * leak, 1.6 * leak]
    # x: a little past 0 when 0 is in range, so the dots there show whole.
    x_range = [lo, end + (0.08 * (end - lo) if hi > 0 else 0.0)]
    _inset_axes(layout, ([0.14, 0.55], x_range), ([0.42, 0.68], y_range), 3, small)
    main_span = float(np.ptp(layout["yaxis"]["range"]))
    _inset_frame(
        layout,
        f"close-up of x ≤ 0: y ×{main_span / span:.3g}",
        (0.3, 0.8),
        0.6,
        True,
        small,
    )
    traces = _inset_lines(leak, [lo, end], [float(relu_dash(lo, leak))] * 2, [0.0, 0.0])
    if hi > 0:
        for dot in _dot_traces(0.0, RELU_COLOR, 16, convention) + _dot_traces(
            leak, LEAKY_COLOR, 10, convention
        ):
            if y_range[0] <= dot["y"][0] <= y_range[1]:
                traces.append(
                    {**dot, "meta": "inset", "legendgroup": "kink", "xaxis": "x2", "yaxis": "y2"}
                )
    return traces


def article_hover(leak: float, x_range: tuple[float, float], convention: str = LEFT) -> list:
    """What the article's chart pair shows on hover: both curves, f′(0) by convention
    (where 0 is drawn)."""
    leak_name, relu_name = _labels(leak)
    inside = x_range[0] <= 0 <= x_range[1]
    return [
        (name, {0.0: float(relu_dash_under(0.0, v, convention))} if inside else {})
        for name, v in ((leak_name, leak), (relu_name, 0.0))
    ]


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
    return _line(name, x, y, line, connectgaps=False)


def _dot_traces(leak: float, color: str, size: int, convention: str = LEFT) -> list[dict]:
    taken, other = kink_dots(leak, convention)
    return _dot_pair(taken, [] if other is None else [other], color, size)


def derivative_figure(
    leak: float,
    x_range: tuple[float, float],
    points: np.ndarray | None = None,
    convention: str = LEFT,
    own: np.ndarray | None = None,
    font_size: int = FONT_SIZE,
) -> dict:
    """The derivatives of ReLU and Leaky ReLU as steps with marked values at 0 (the
    value taken there follows ``convention``: the article's, or JAX's)."""
    leak_name, relu_name = _labels(leak)
    xs = vertices(x_range)
    lo, hi = float(xs[0]), float(xs[-1])
    traces = [
        _step_trace(leak, (lo, hi), leak_name, {"color": LEAKY_COLOR, "width": 5}),
        _step_trace(0.0, (lo, hi), relu_name, _RELU_LINE),
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
                "name": LEAK_NOTE,
                "text": f"f′ = leak = {left:g} for x {'<' if convention == 'jax' else '≤'} 0",
                "x": (lo + min(hi, 0.0)) / 2,
                "y": left,
                "yshift": 18 if left < 0.5 else -18,  # away from ReLU′ = 0
                "showarrow": False,
                "font": {"size": note_size(font_size)},  # the theme's text colour: 4.5:1
            }
        ]
        if 0 < leak < DERIVATIVE_INSET_BELOW:
            traces += _derivative_inset(layout, leak, lo, hi, convention, font_size)
    return {"data": traces, "layout": layout}
