"""The class poll's figure: the teacher's bar chart of the answers."""

from __future__ import annotations

import itertools
import math

import numpy as np

from relulab.classroom import Tally
from relulab.figures._common import FONT_SIZE, POINT_COLOR, RELU_COLOR
from relulab.quiz import CHOICE, Question


def tally_figure(q: Question, tally: Tally, revealed: bool, font: int = FONT_SIZE) -> dict:
    """Bars of a class's answers to ``q``: one per choice, or the numbers binned (at most
    10 bins); once revealed, the right bar is green and the title counts the right ones."""
    if q.answer_type == CHOICE:
        labels = [f"{i + 1}. {c[:24]}" for i, c in enumerate(q.choices)]
        counts = list(tally.counts)
        right = q.choices.index(q.answer) if revealed else -1
    else:
        values = np.asarray(tally.values, dtype=float)
        lo, hi = (float(values.min()), float(values.max())) if values.size else (0.0, 1.0)
        if revealed:
            lo, hi = min(lo, float(q.answer)), max(hi, float(q.answer))
        edges = np.histogram_bin_edges(values, bins=min(10, max(1, values.size)), range=(lo, hi))
        if edges[0] == edges[-1]:
            edges = np.array([lo - 0.5, hi + 0.5])
        counts = np.histogram(values, edges)[0].tolist() if values.size else [0]
        labels = [f"{a:.3g} – {b:.3g}" for a, b in itertools.pairwise(edges)]
        right = -1
        if revealed:
            right = int(
                np.clip(np.searchsorted(edges, float(q.answer), "right") - 1, 0, len(labels) - 1)
            )
    colors = [POINT_COLOR if i == right else RELU_COLOR for i in range(len(labels))]
    return {
        "data": [
            {
                "type": "bar",
                "x": labels,
                "y": counts,
                "marker": {"color": colors},
                "hovertemplate": "%{x}: %{y} answers<extra></extra>",
            }
        ],
        "layout": {
            "template": {},
            "height": 360,
            "font": {"size": font},
            "margin": {"l": 50, "r": 16, "t": 40, "b": 60},
            "title": {
                "text": f"{tally.n_answers} of {tally.n_students} answered"
                + (f"; {tally.n_correct} right" if revealed else ""),
                "x": 0,
                "font": {"size": font + 2},
            },
            # Explicit sizes: the theme's 12.8 px ticks are too small to read projected.
            "xaxis": {"tickfont": {"size": font}},
            "yaxis": {
                "title": {"text": "answers", "font": {"size": font}},
                "tickfont": {"size": font},
                "rangemode": "tozero",
                "dtick": max(1, math.ceil(max(counts or [1]) / 6)),
            },
        },
    }
