"""Figures of any registered activation (the catalogue), one or several overlaid."""

from __future__ import annotations

from functools import lru_cache, partial

import numpy as np

from relulab import registry
from relulab.frameworks import LEFT, kink_value
from relulab_app.figures._common import FONT_SIZE, HEIGHT, _base_layout, _dot_pair
from relulab_app.sampling import adaptive_x

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
) -> tuple[dict, dict]:
    """f and f′ of each (activation record, parameters), overlaid on two figures.

    Curves are sampled by :func:`relulab_app.sampling.adaptive_x` for a chart of about
    ``width_px`` × ``height_px``: by default a 700 × 470 chart zoomed in 4× (a zoom
    survives slider moves, and hover reads values off the drawn line). A derivative
    that jumps at 0 is drawn as two pieces with a gap (no vertical segment), with a
    closed dot on the value taken at 0 under ``convention`` and an open dot on the
    other one-sided limit.
    """
    # Within half a pixel of every curve, 0 always a vertex. The two figures have their
    # own y-axes, so f and f′ are sampled separately and share the union of the two.
    x = _shared_x(entries, x_range, width_px, height_px)
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
        if at0 is not None and (left != right or at0 != left):
            # Open dots on the limits not taken: one, or both where f′(0) is neither
            # (TensorFlow's PReLU layer takes 0: between a and 1, and off the line at a = 1).
            others = list(dict.fromkeys(v for v in (left, right) if v != at0))
            d_traces += _dot_pair(at0, others, color, 13, f"{name}: ")
    f_layout = _base_layout("Function f(x)", "f(x)", (lo, hi), font_size)
    d_layout = _base_layout("Derivative f′(x)", "f′(x)", (lo, hi), font_size)
    return {"data": f_traces, "layout": f_layout}, {"data": d_traces, "layout": d_layout}


def _sample(entries, x_range, width_px: float, height_px: float) -> np.ndarray:
    size = {"width_px": width_px, "height_px": height_px}
    return np.union1d(
        adaptive_x([partial(a, **p) for a, p in entries], x_range, **size),
        adaptive_x([partial(a.derivative, **p) for a, p in entries], x_range, **size),
    )


@lru_cache(maxsize=128)
def _sample_registered(key: tuple, x_range: tuple[float, float], w: float, h: float):
    entries = [(registry.REGISTRY[k], dict(p)) for k, _, p in key]
    x = _sample(entries, x_range, w, h)
    x.flags.writeable = False  # shared by every caller: nobody may change it
    return x


def _shared_x(entries, x_range, width_px: float, height_px: float) -> np.ndarray:
    """The x samples of ``entries``. Sampling is most of a catalogue chart's cost (a few
    ms), and a class's students all draw the same question's curves within seconds, so
    for the registry's own records the samples are kept (pure: same arguments, same
    samples); any other record is sampled afresh. Callers only read the result: the
    kept arrays are read-only."""
    if all(registry.REGISTRY.get(getattr(a, "key", None)) is a for a, _ in entries):
        # id(): a record put in the registry's place (a test's) is not the kept one's.
        key = tuple((a.key, id(a), tuple(sorted(p.items()))) for a, p in entries)
        lo, hi = (float(v) for v in x_range)
        return _sample_registered(key, (lo, hi), float(width_px), float(height_px))
    return _sample(entries, x_range, width_px, height_px)


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
