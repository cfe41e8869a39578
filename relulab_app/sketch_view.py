"""The sketch element on the page (relulab_app/webchart/sketch.js): an empty chart a
student draws on and sends, or the teacher's overlay of the class's sketches."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable

import numpy as np
import streamlit as st

from relulab_app import sketch


@functools.cache
def _element():
    # Made on first use: its assets are found through relulab_app/pyproject.toml.
    return st.components.v2.component("relulab_app.sketch", js="sketch.js", css="sketch.css")


def truth_polyline(
    fn: Callable[[np.ndarray], np.ndarray], axes: sketch.Axes, kinks=()
) -> list[list[float] | None]:
    """The true curve as the element draws it: pieces between the jumps, a gap (None)
    at each, so a step is drawn as a step and not as a steep line."""
    cuts = sorted(k for k, a, b in kinks if axes.x[0] < k < axes.x[1] and a != b)
    edges = [axes.x[0], *cuts, axes.x[1]]
    out: list[list[float] | None] = []
    for lo, hi in itertools.pairwise(edges):
        xs = np.linspace(lo, hi, 120)
        # The pieces are open at a jump: f′ there is a limit from each side.
        xs[0] = lo if lo == axes.x[0] else np.nextafter(lo, hi)
        xs[-1] = hi if hi == axes.x[1] else np.nextafter(hi, lo)
        ys = np.clip(np.asarray(fn(xs), dtype=float), *axes.y)
        out += [[float(x), float(y)] for x, y in zip(xs, ys, strict=True)] + [None]
    return out[:-1]


def truth(spec: sketch.Spec) -> list[list[float] | None]:
    """The true curve of ``spec``, for the element's reveal."""
    return truth_polyline(spec.truth, spec.axes, spec.jumps())


def stored(text: str | None, spec: sketch.Spec) -> sketch.Sketch | None:
    """A sketch as a store or a result keeps it, or None (none, or not readable)."""
    try:
        return None if text is None else sketch.parse(text, spec.axes)
    except sketch.SketchError:
        return None


def show(
    axes: sketch.Axes,
    label: str,
    *,
    key: str,
    mine: sketch.Sketch | None = None,
    others: list[sketch.Sketch] | None = None,
    marked: dict[str, int] | None = None,
    truth: list | None = None,
    can_draw: bool = False,
    on_sent: Callable[[], None] | None = None,
) -> str | None:
    """Draw the element; the strokes the student sent in this run (JSON), else None."""
    data = {
        "axes": {"x": list(axes.x), "y": list(axes.y)},
        "label": label,
        "mine": mine,
        "others": others,
        "marked": marked or {},
        "truth": truth,
        "draw": can_draw,
        "present": bool(
            st.session_state.get("present")
        ),  # as common.present(), which imports quiz_view
    }
    result = _element()(data=data, key=key, on_sent_change=on_sent or _nothing, width="stretch")
    return result.sent


def _nothing() -> None:
    pass
