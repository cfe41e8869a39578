"""Figures of any registered activation (the catalogue), one or several overlaid."""

from __future__ import annotations

from functools import lru_cache, partial

import numpy as np

from relulab import registry
from relulab.frameworks import LEFT, kink_value
from relulab_app.figures._common import FONT_SIZE, HEIGHT, _base_layout, _dot_pair, _line
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
    that jumps at a kink is drawn as pieces with a gap there (no vertical segment),
    with a closed dot on the value taken at the kink under ``convention`` and an open
    dot on the other one-sided limit.
    """
    # Within half a pixel of every curve, 0 and the kinks vertices. The two figures have their
    # own y-axes, so f and f′ are sampled separately and share the union of the two.
    x = _shared_x(entries, x_range, width_px, height_px)
    lo, hi = float(x[0]), float(x[-1])
    f_traces: list[dict] = []
    d_traces: list[dict] = []
    for i, (act, params) in enumerate(entries):
        color = PALETTE[i % len(PALETTE)]
        line = overlay_line(i, len(entries), color)
        name = entry_label(act, params)
        f = np.asarray(act(x, **params), dtype=float)
        df = np.asarray(act.derivative(x, **params), dtype=float)
        # float32 halves the JSON; a sampled curve needs no more digits.
        f_traces.append(_line(name, x.astype(np.float32), f.astype(np.float32), line))
        # f′ at each kink inside the range: the value taken and the one-sided limits.
        kinks = [
            (k.at, kink_value(act.key, params, convention, k.at), *act.sides(k.at, **params))
            for k in act.kinks
            if lo < k.at < hi
        ]
        jumps = [(at, left, right) for at, _, left, right in kinks if left != right]
        dx, dy = _split_at_jumps(x, df, jumps)
        dx, dy = dx.astype(np.float32), dy.astype(np.float32)
        d_traces.append(_line(name, dx, dy, line, connectgaps=False))
        for at, taken, left, right in kinks:
            if left != right or taken != left:
                # Open dots on the limits not taken: one, or both where f′ there is neither
                # (TensorFlow's PReLU layer takes 0 at 0: between a and 1, off the line at a = 1).
                others = list(dict.fromkeys(v for v in (left, right) if v != taken))
                d_traces += _dot_pair(taken, others, color, 13, f"{name}: ", at=at)
    f_layout = _base_layout("Function f(x)", "f(x)", (lo, hi), font_size)
    d_layout = _base_layout("Derivative f′(x)", "f′(x)", (lo, hi), font_size)
    return {"data": f_traces, "layout": f_layout}, {"data": d_traces, "layout": d_layout}


def _split_at_jumps(x: np.ndarray, y: np.ndarray, jumps: list) -> tuple[np.ndarray, np.ndarray]:
    """The polyline (x, y) broken by a gap (NaN) at each jump (at, left, right), a vertex
    of x: the piece before it ends at the left limit, the one after starts at the right.

    >>> x, y = np.array([-1.0, 0.0, 1.0]), np.array([0.1, 0.1, 1.0])
    >>> _split_at_jumps(x, y, [(0.0, 0.1, 1.0)])
    (array([-1.,  0., nan,  0.,  1.]), array([0.1, 0.1, nan, 1. , 1. ]))
    """
    for at, left, right in sorted(jumps, reverse=True):  # from the right: indices hold
        i = int(np.searchsorted(x, at))  # x[i] == at
        x = np.concatenate([x[: i + 1], [np.nan, at], x[i + 1 :]])
        y = np.concatenate([y[:i], [left, np.nan, right], y[i + 1 :]])
    return x, y


def _sample(entries, x_range, width_px: float, height_px: float) -> np.ndarray:
    # 0, where the axes cross, and every kink are vertices: a jump of f′ is drawn
    # between its two one-sided limits exactly there.
    size = {
        "width_px": width_px,
        "height_px": height_px,
        "must_include": (0.0, *(k.at for a, _ in entries for k in a.kinks)),
    }
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
) -> list[tuple[str, dict[float, float]]]:
    """Each entry's legend name and its f′ at each kink inside the x-range under
    ``convention`` (elsewhere, hover reads the drawn line)."""
    lo, hi = x_range
    return [
        (
            entry_label(act, p),
            {k.at: kink_value(act.key, p, convention, k.at) for k in act.kinks if lo < k.at < hi},
        )
        for act, p in entries
    ]
