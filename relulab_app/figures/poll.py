"""The class poll's figure: the teacher's chart of the answers."""

from __future__ import annotations

import math

from relulab_app.classroom import Tally, is_right
from relulab_app.figures._common import FONT_SIZE, LEAKY_COLOR, POINT_COLOR, RELU_COLOR
from relulab_app.quiz import CHOICE, Question

WRONG_COLOR = LEAKY_COLOR  # after the reveal: right answers green, the others vermillion


def plain_label(text: str) -> str:
    """``text`` as plotly draws it literally: plotly reads a few HTML tags (``<b>``,
    ``<br>``, ``<a href>``) and entities in labels, and a teacher's text is plain.

    >>> plain_label("<b>x</b> & y")
    '&lt;b&gt;x&lt;/b&gt; &amp; y'
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _title(tally: Tally, revealed: bool) -> str:
    text = f"{tally.n_answers} of {tally.n_students} answered"
    return text + (f"; {tally.n_correct} right" if revealed else "")


def _choice_data(q: Question, tally: Tally, revealed: bool) -> tuple[list, dict]:
    labels = [f"{i + 1}. {plain_label(c[:24])}" for i, c in enumerate(q.choices)]
    right = q.choices.index(q.answer) if revealed else -1
    colors = [
        (POINT_COLOR if i == right else WRONG_COLOR) if revealed else RELU_COLOR
        for i in range(len(labels))
    ]
    bar = {
        "type": "bar",
        "x": labels,
        "y": list(tally.counts),
        "marker": {"color": colors},
        "hovertemplate": "%{x}: %{y} answers<extra></extra>",
    }
    top = max(tally.counts or (1,))
    yaxis = {"title": {"text": "answers"}, "rangemode": "tozero"}
    return [bar], {"yaxis": {**yaxis, "dtick": max(1, math.ceil(top / 6))}}


def _number_data(tally: Tally, revealed: bool) -> tuple[list, dict]:
    """Every value answered as a dot, duplicates stacked (a dot plot), so three students
    who typed 0, 0.5 and 1 are three dots, never one bin. After the reveal the right
    value is a line, its tolerance a band, and each dot is green exactly when the store
    counts it right (:func:`relulab_app.classroom.is_right`)."""
    poll = tally.poll
    xs: list[float] = []
    ys: list[int] = []
    seen: dict[float, int] = {}
    for v in tally.values:
        seen[v] = seen.get(v, 0) + 1
        xs.append(v)
        ys.append(seen[v])
    colors = [
        (POINT_COLOR if is_right(poll, v) else WRONG_COLOR) if revealed else RELU_COLOR for v in xs
    ]
    dots = {
        "type": "scatter",
        "mode": "markers",
        "x": xs,
        "y": ys,
        "marker": {"color": colors, "size": 16, "line": {"width": 1, "color": "white"}},
        "hovertemplate": "%{x:.6g}<extra></extra>",
        "showlegend": False,
    }
    lo, hi = (min(xs), max(xs)) if xs else (0.0, 1.0)
    shapes, annotations = [], []
    if revealed and poll is not None and poll.answer is not None:
        a, tol = float(poll.answer), float(poll.tolerance or 0.0)
        lo, hi = min(lo, a - tol), max(hi, a + tol)
        shapes = [
            {
                "type": "rect", "xref": "x", "yref": "paper", "x0": a - tol, "x1": a + tol,
                "y0": 0, "y1": 1, "fillcolor": POINT_COLOR, "opacity": 0.2, "line": {"width": 0},
            },
            {
                "type": "line", "xref": "x", "yref": "paper", "x0": a, "x1": a, "y0": 0,
                "y1": 1, "line": {"color": POINT_COLOR, "width": 3},
            },
        ]  # fmt: skip
        annotations = [
            {
                "x": a, "y": 1, "xref": "x", "yref": "paper", "yanchor": "top",
                "xanchor": "left", "bgcolor": "rgba(127,127,127,0.15)",
                "text": f"answer {a:.6g}" + (f" ± {tol:.3g}" if tol else ""),
                "showarrow": False, "font": {"color": POINT_COLOR},
            }
        ]  # fmt: skip
    pad = (hi - lo) * 0.08 or max(abs(lo) * 0.1, 0.5)
    top = max(ys or [1])
    layout: dict = {"shapes": shapes, "annotations": annotations} if shapes else {}
    layout |= {
        "xaxis": {"range": [lo - pad, hi + pad], "zeroline": False},
        "yaxis": {
            "title": {"text": "students"},
            "range": [0, top + 1],
            "dtick": max(1, math.ceil(top / 6)),
        },
    }
    return [dots], layout


def tally_figure(q: Question, tally: Tally, revealed: bool, font: int = FONT_SIZE) -> dict:
    """A class's answers to ``q``: a bar per choice, or every number as a dot. Once
    revealed, right answers are green and the others vermillion, and the title counts
    the right ones with the same rule."""
    if q.answer_type == CHOICE:
        data, layout = _choice_data(q, tally, revealed)
    else:
        data, layout = _number_data(tally, revealed)
    yaxis = layout.pop("yaxis")
    yaxis["title"]["font"] = {"size": font}
    xaxis = layout.pop("xaxis", {})
    return {
        "data": data,
        "layout": {
            "template": {},
            "height": 360,
            "font": {"size": font},
            "margin": {"l": 60, "r": 16, "t": 56, "b": 60},
            "title": {"text": _title(tally, revealed), "x": 0, "font": {"size": font + 2}},
            # Explicit sizes: the theme's 12.8 px ticks are too small to read projected.
            "xaxis": {**xaxis, "tickfont": {"size": font}},
            "yaxis": {**yaxis, "tickfont": {"size": font}},
            **layout,
        },
    }
