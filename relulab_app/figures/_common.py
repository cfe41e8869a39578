"""What every figure shares: colours, sizes, the base layout, marked points, the hidden
placeholder and the quiz's answer mark, the dots at a kink, and the hover lines.

A figure is a plain ``{"data": [...], "layout": {...}}`` dict: the chart element sends
it as it is (:mod:`relulab_app.wire`), and ``st.plotly_chart`` takes it too."""

from __future__ import annotations

import numpy as np

# Okabe–Ito colour-blind-safe palette; each reads on light and dark backgrounds.
LEAKY_COLOR = "#D55E00"  # vermillion
RELU_COLOR = "#0072B2"  # blue
POINT_COLOR = "#009E73"  # bluish green
FONT_SIZE = 16  # readable when projected
PRESENT_FONT_SIZE = 20  # present mode: chart text >= 20 px from the back of a room
HEIGHT = 470


def note_size(font_size: int) -> int:
    """The size of a chart's secondary text (the inset's ticks, a note on the plot): 2 px
    under its main text, but in present mode the same, since every number on a
    projected chart must stay PRESENT_FONT_SIZE or larger.

    >>> note_size(FONT_SIZE), note_size(PRESENT_FONT_SIZE)
    (14, 20)
    """
    return font_size if font_size >= PRESENT_FONT_SIZE else font_size - 2


def _base_layout(
    title: str, y_title: str, x_range: tuple[float, float], font_size: int = FONT_SIZE
) -> dict:
    lo, hi = x_range
    pad = 0.02 * (hi - lo)
    return {
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
            # automargin: the bottom margin grows to hold the tick labels and the title at
            # its standoff; without it a chart with no legend below (one curve) put the
            # title on the ticks and past the chart's bottom edge.
            "automargin": True,
            "title": {"text": "x", "standoff": 4},
            "range": [lo - pad, hi + pad],
            "zeroline": True,
        },
        "yaxis": {"title": {"text": y_title, "standoff": 4}, "zeroline": True},
    }


def _line(name: str, x, y, line: dict, **extra) -> dict:
    """A line trace. Plotly's own hover is off: the chart element reads f and f′ at the
    cursor from the drawn vertices (see :func:`hover_refs`)."""
    return {"type": "scatter", "mode": "lines", "name": name, "x": x, "y": y, "line": line,
            "hoverinfo": "skip", **extra}  # fmt: skip


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


def answer_trace(x: float, y: float, spec: dict | None = None) -> dict:
    """The quiz's answer, marked on the chart ``spec`` (a figure's JSON) once revealed,
    its label placed where the chart draws nothing else (see :func:`answer_label_side`).
    """
    return {
        "type": "scatter",
        "mode": "markers+text",
        "name": "the answer",
        "x": [x],
        "y": [y],
        "text": [f"({x:g}, {y:.4g})"],
        "textposition": answer_label_side(x, y, spec or {}),
        "marker": {"color": "#E69F00", "size": 22, "symbol": "star", "line": {"width": 2}},
        "hovertemplate": "the answer: x = %{x:.4g}, y = %{y:.4g}<extra></extra>",
    }


LEAK_NOTE = "leak note"  # the derivative chart's "f′ = leak" annotation, by this name


def answer_label_side(x: float, y: float, spec: dict) -> str:
    """Where the answer's label goes beside its star (a Plotly ``textposition``).

    Never above a point in the top half (the plot area clips it), never on the side of
    the derivative's "f′ = leak" note, never across x = 0 where the dots are, and
    inward near either end of the x-axis. On the function chart the lines rise to the
    right, so a label goes left of a point, above one at or below 0.

    >>> from relulab_app.figures import derivative_figure, function_figure
    >>> d = derivative_figure(0.05, (-5, 5))
    >>> answer_label_side(4, 1, d), answer_label_side(0, 0.05, d), answer_label_side(-2, 0.05, d)
    ('bottom left', 'middle right', 'bottom center')
    >>> f = function_figure(0.1, (-5, 5))
    >>> answer_label_side(3, 3, f), answer_label_side(-2.2, -0.22, f)
    ('middle left', 'top center')
    """
    layout = spec.get("layout", {})
    lo, hi = layout.get("xaxis", {}).get("range", (x - 1, x + 1))
    edge = 0.2 * (hi - lo)
    if x > hi - edge or -edge / 2 < x < 0:  # the right end, or just left of the dots at 0
        across = "left"
    elif x < lo + edge or x >= 0:
        across = "right"
    else:
        across = "center"
    note = next((a for a in layout.get("annotations", []) if a.get("name") == LEAK_NOTE), None)
    if note is None:  # the function chart (or no negative side): it rises to the right
        return "middle left" if x > 0 else f"top {across}"
    ylo, yhi = layout.get("yaxis", {}).get("range", (y - 1, y + 1))
    if x == 0:  # right of the dots, level with the star unless the line at 1 is there
        return "middle right" if y < (ylo + yhi) / 2 else "bottom right"
    if x > 0 or note.get("yshift", 0) > 0:  # the line at 1 above, or the note above
        return f"bottom {across}"
    return f"top {across}"


_OPEN = {"symbol": "circle-open", "line": {"width": 3}}  # a value f′ does not take


def _dot_pair(
    taken: float, others: list[float], color: str, size: int, who: str = "", at: float = 0.0
) -> list:
    """A closed dot on the value f′ takes at the kink ``at``, an open one on each
    one-sided limit it does not take: one, or both where the value taken is neither
    (TensorFlow's PReLU layer takes 0 between a and 1)."""
    taken_at = (taken, {"symbol": "circle"}, f"f′({at:g}) = {taken:.4g}: the value taken")
    limits = [(y, _OPEN, f"{y:.4g}: a one-sided limit, not the value taken") for y in others]
    return [
        {
            "type": "scatter",
            "mode": "markers",
            "x": [at],
            "y": [y],
            "showlegend": False,
            "meta": "kink",
            "marker": {"color": color, "size": size, **symbol},
            "hovertemplate": f"{who}{what} at {at:g}<extra></extra>",
        }
        for y, symbol, what in [taken_at, *limits]
    ]


def hover_refs(
    f_fig: dict, df_fig: dict, curves: list[tuple[str, dict[float, float]]]
) -> list[dict]:
    """For each (name, f′ at each kink drawn) the indices of the line traces named
    ``name`` in the function and the derivative figure: the chart element reads f and
    f′ at the cursor's x from them, and f′ at exactly a kink from the values given.

    >>> from relulab_app.figures import derivative_figure, function_figure
    >>> f, df = function_figure(0.1, (-5, 5)), derivative_figure(0.1, (-5, 5))
    >>> hover_refs(f, df, [("ReLU", {0.0: 0.0})])
    [{'name': 'ReLU', 'f': [0, 1], 'df': [1, 1], 'kinks': [[0.0, 0.0]]}]
    """

    def index(fig: dict, name: str) -> int:
        return next(
            i
            for i, t in enumerate(fig["data"])
            if t.get("name") == name and t.get("mode") == "lines" and t.get("meta") != "inset"
        )

    return [
        {
            "name": name,
            "f": [0, index(f_fig, name)],
            "df": [1, index(df_fig, name)],
            "kinks": [[x, v] for x, v in kinks.items()],
        }
        for name, kinks in curves
    ]
