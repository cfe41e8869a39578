"""Where to sample a curve so its polyline looks exactly like the curve on screen.

A chart draws a sampled curve as straight segments between the samples. With evenly
spaced samples, zooming out makes every segment longer than the curve's bends allow,
and a student sees corners on ELU or GELU that the function does not have. Sending
thousands of points instead would cost JSON bytes and server time on every slider
move. :func:`adaptive_x` picks the few x values that keep every segment within about
half a pixel of the true curve at the chart's size: many where the curve bends, few
where it is straight, and none at all inside a piece that is exactly straight (so the
ReLU family comes back as just its ends and its kinks, the points it is told to keep).

Pure numpy: no plotting library, no Streamlit, so it runs anywhere a curve is drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["adaptive_x", "pixel_deviation"]

COARSE = 64  # first grid's intervals: finer than any bend an activation has at ±60
MAX_POINTS = 2_000  # past this, more points add bytes per move, not visible accuracy
MIN_STEP_PX = 0.25  # narrowest interval: stops a jump (f′ of ELU at 0) from recursing
Y_PAD = 0.05  # Plotly's autorange pads a line trace's y span by about 5% each side
# A y span this small relative to the values is not a shape a chart can show: charts
# are often sent float32 (this app's are), whose step is 6e-8 of the value, and the
# float64 curve itself is a staircase of rounding steps at that zoom (sigmoid on 30…60
# spans 1e-13 around 1). Such curves are sampled as flat lines.
FLAT_SPAN = 1e-6
# An interval is checked at three points, which see all of a parabola's deviation from
# the chord and 97% of a cubic's, but less where the bend sits off them. Refining at
# 90% of the tolerance keeps the unseen part under it. Measured over 3,536 curves (f
# and f′ of every activation, each parameter at its slider's ends and between, on 68
# x-ranges): at 100%, 31 exceeded 0.5 px (worst 0.61); at 90%, one, a bend sharper
# than MIN_STEP_PX can follow (SiLU at beta = 5 on -55.5…0, a dip 6 px wide: 0.61 px).
SEEN = 0.9
# Deviation (pixels) below which three samples count as on one straight line. It only
# has to sit above float64 rounding (about 1e-13 px here); a run of n dropped points
# can drift at most about n * n / 4 times it, under 1e-3 px for MAX_POINTS.
FLAT_PX = 1e-9


def pixel_deviation(
    x0: np.ndarray,
    y0: np.ndarray,
    x1: np.ndarray,
    y1: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    sx: float,
    sy: float,
) -> np.ndarray:
    """Distance in pixels from point (x, y) to the segment from (x0, y0) to (x1, y1).

    Data units are scaled to pixels by ``sx`` and ``sy`` (pixels per unit) first, so
    the distance is the one a viewer sees. To the segment, not its whole line: next
    to a jump the chord is nearly vertical, and a point of the curve beyond its end
    is near the line but far from anything drawn. Non-finite input gives NaN, and no
    warning.

    The math, as code::

        vx, vy = (x1 - x0) * sx, (y1 - y0) * sy   # the segment, in pixels
        wx, wy = (x - x0) * sx, (y - y0) * sy     # the point, from its start
        t = clip((wx * vx + wy * vy) / (vx**2 + vy**2), 0, 1)  # nearest, along it
        pixel_deviation = hypot(wx - t * vx, wy - t * vy)

    >>> import numpy as np
    >>> one = np.array([1.0])
    >>> pixel_deviation(0 * one, 0 * one, 2 * one, 0 * one, one, one, 10.0, 10.0)
    array([10.])
    >>> pixel_deviation(0 * one, 0 * one, one, one, one, 0 * one, 1.0, 1.0).round(4)
    array([0.7071])
    >>> pixel_deviation(0 * one, 0 * one, one, -100 * one, one / 2, one, 1.0, 1.0)
    array([1.11803399])
    """
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        vx, vy = (x1 - x0) * sx, (y1 - y0) * sy
        wx, wy = (x - x0) * sx, (y - y0) * sy
        t = np.clip((wx * vx + wy * vy) / (vx * vx + vy * vy), 0.0, 1.0)
        return np.hypot(wx - t * vx, wy - t * vy)


def _values(fs: Sequence[Callable[[np.ndarray], ArrayLike]], x: np.ndarray) -> np.ndarray:
    """Every function at every x, one row per function, as float64."""
    out = np.empty((len(fs), x.size))
    for row, f in zip(out, fs, strict=True):
        row[:] = np.asarray(f(x), dtype=float)
    return out


def _y_scale(values: np.ndarray, y_range: tuple[float, float] | None, height_px: float) -> float:
    """Pixels per y unit: the given y-range, or the values' finite span padded as
    Plotly's autorange pads it. A flat or empty span counts as one unit."""
    if y_range is not None:
        lo, hi = float(y_range[0]), float(y_range[1])
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise ValueError(f"y_range must be two finite numbers, low < high; got {y_range}")
        return height_px / (hi - lo)
    finite = values[np.isfinite(values)]
    if not finite.size:
        return height_px
    span = float(finite.max() - finite.min())
    if not span > FLAT_SPAN * float(np.abs(finite).max()):
        return height_px
    return height_px / (span * (1 + 2 * Y_PAD))


def adaptive_x(
    fs: Sequence[Callable[[np.ndarray], ArrayLike]],
    x_range: tuple[float, float],
    y_range: tuple[float, float] | None = None,
    *,
    width_px: float = 700.0,
    height_px: float = 470.0,
    tol_px: float = 0.5,
    max_points: int = MAX_POINTS,
    must_include: Sequence[float] = (),
    coarse: int = COARSE,
) -> np.ndarray:
    """Sorted x values where a polyline through ``f(x)`` stays within ``tol_px`` of f.

    For every function in ``fs``, the straight segments between consecutive samples
    stay within ``tol_px`` pixels of the true curve when ``x_range`` fills
    ``width_px`` pixels and the y-range fills ``height_px``. The functions share one
    y-axis: pass the curves of one chart together, and sample a second chart (say,
    the derivatives) with a second call.

    How: a coarse even grid plus the ``must_include`` points inside the range. Each
    round, every interval still under test is checked at its quarter, half and
    three-quarter points (the middle alone misses an S-bend centred in it) and halved
    where any function deviates from its chord by more than ``SEEN * tol_px``; it stops
    when none does, when a half would be narrower than ``MIN_STEP_PX`` (a jump can never
    be straightened), or at ``max_points``, the worst intervals split first. Last, points
    on an exactly straight stretch of every function are dropped.

    Parameters
    ----------
    fs : sequence of callables
        Vectorised functions, float64 array in, array of the same shape out. For a
        registry entry, ``functools.partial(act, **params)`` or
        ``functools.partial(act.derivative, **params)``.
    x_range : (float, float)
        The drawn x-range, low < high, both finite.
    y_range : (float, float), optional
        The chart's y-range. Default: the finite span of all the functions' values on
        the coarse grid, padded 5% each side as Plotly's autorange does. The coarse
        grid can only under-estimate the true span, which makes the tolerance stricter.
    width_px, height_px : float
        The plot's size in pixels. Over-estimates are safe (more points, not fewer).
    tol_px : float, default 0.5
        Largest allowed distance, in pixels, from the true curve to the segment drawn
        over it (what a viewer sees: a steep segment is not refined for a vertical
        offset that is a sliver sideways). Plotly's own zoom and full-screen view
        magnify the chart without resampling; for headroom, pass larger sizes.
    max_points : int, default 2000
        Refinement stops before the result would have more points than this.
    must_include : sequence of float, default ()
        x values made vertices when strictly inside the range: a curve's kinks, where
        a straight piece ends or its derivative jumps.
    coarse : int, default 64
        Intervals of the first, even grid.

    Returns
    -------
    ndarray of float64
        Strictly increasing; starts at the low end, ends at the high end, and holds
        every ``must_include`` point strictly inside the range.

    Raises
    ------
    ValueError
        If a range is not two finite, increasing numbers, or a size, tolerance or
        count is not positive.

    Notes
    -----
    Non-finite values never force a refinement: an interval whose check involves NaN
    or ±inf counts as straight, and it is never dropped as flat.

    Examples
    --------
    >>> import functools, numpy as np
    >>> from relulab.registry import REGISTRY
    >>> leaky = REGISTRY["leaky_relu"]
    >>> adaptive_x([functools.partial(leaky, leak=0.1)], (-5.0, 5.0), must_include=[0.0]).tolist()
    [-5.0, 0.0, 5.0]
    >>> relu6 = REGISTRY["relu6"]
    >>> adaptive_x([relu6], (-8.0, 8.0), must_include=[k.at for k in relu6.kinks]).tolist()
    [-8.0, 0.0, 6.0, 8.0]
    >>> elu = functools.partial(REGISTRY["elu"], alpha=1.0)
    >>> x = adaptive_x([elu], (-60.0, 60.0), must_include=[0.0])
    >>> 0.0 in x, int(x.size) < 200
    (True, True)

    The curved side (x < 0) is where the points go; ELU is exactly ``x`` past 0:

    >>> bool((x < 0).sum() > 10 * (x > 0).sum())
    True
    """
    lo, hi = float(x_range[0]), float(x_range[1])
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"x_range must be two finite numbers, low < high; got {x_range}")
    if not (width_px > 0 and height_px > 0 and tol_px > 0 and coarse >= 1):
        raise ValueError("width_px, height_px, tol_px and coarse must be positive")
    musts = np.unique([float(m) for m in must_include if lo < m < hi])
    if max_points < coarse + 1 + musts.size:
        least = coarse + 1 + musts.size
        raise ValueError(f"max_points must allow the first grid: at least {least}")
    sx = width_px / (hi - lo)
    min_step = MIN_STEP_PX / sx

    # The first grid, with no point within a quarter pixel of a must-include point: a
    # sliver interval next to a kink would only cost a point.
    grid = np.linspace(lo, hi, coarse + 1)
    inner = grid[1:-1]
    if musts.size:
        near = np.abs(inner[:, None] - musts[None, :]).min(axis=1) < min_step
        inner = inner[~near]
    x = np.concatenate([[lo], np.union1d(inner, musts), [hi]])
    if not fs:
        return np.concatenate([[lo], musts, [hi]])
    y = _values(fs, x)
    sy = _y_scale(y, y_range, height_px)

    # Intervals still under test: ends a, b, midpoint m, and the values there, fa, fb
    # and fm, one row per function. Only the first grid's midpoints cost a call;
    # later ones are the quarter points evaluated the round before.
    a, b, fa, fb = x[:-1], x[1:], y[:, :-1], y[:, 1:]
    m = (a + b) / 2
    fm = _values(fs, m)
    new_x, new_y = [x], [y]
    room = max_points - x.size
    while a.size and room > 0:
        h = b - a
        q1, q3 = a + h / 4, b - h / 4
        fq = _values(fs, np.concatenate([q1, q3]))
        f1, f3 = fq[:, : a.size], fq[:, a.size :]
        dev = np.fmax.reduce(
            [
                pixel_deviation(a, fa, b, fb, q1, f1, sx, sy),
                pixel_deviation(a, fa, b, fb, m, fm, sx, sy),
                pixel_deviation(a, fa, b, fb, q3, f3, sx, sy),
            ]
        )
        # Worst over the functions; fmax skips NaN, and all-NaN (nothing finite to
        # compare) counts as straight.
        worst = np.nan_to_num(np.fmax.reduce(dev, axis=0), nan=0.0)
        split = np.flatnonzero((worst > SEEN * tol_px) & (h / 2 >= min_step))
        if split.size > room:  # the cap: the worst intervals first
            split = split[np.argsort(worst[split])[::-1][:room]]
            split.sort()
        if not split.size:
            break
        room -= split.size
        new_x.append(m[split])
        new_y.append(fm[:, split])
        # The halves [a, m] and [m, b]; their midpoints are this round's quarter points.
        a, b = np.concatenate([a[split], m[split]]), np.concatenate([m[split], b[split]])
        fa = np.concatenate([fa[:, split], fm[:, split]], axis=1)
        fb = np.concatenate([fm[:, split], fb[:, split]], axis=1)
        m = np.concatenate([q1[split], q3[split]])
        fm = np.concatenate([f1[:, split], f3[:, split]], axis=1)

    # Sorted and strictly increasing: on a range only a few float64 steps wide a
    # midpoint can round onto an end.
    x, first = np.unique(np.concatenate(new_x), return_index=True)
    y = np.concatenate(new_y, axis=1)[:, first]
    return _drop_flat(x, y, musts, sx, sy)


def _drop_flat(x: np.ndarray, y: np.ndarray, musts: np.ndarray, sx: float, sy: float) -> np.ndarray:
    """x without the inner points that lie on the line through their neighbours for
    every function. A run of such points lies on one line (each consecutive triple
    does), so dropping them all leaves that line drawn exactly as before."""
    if x.size < 3:
        return x
    dev = pixel_deviation(x[:-2], y[:, :-2], x[2:], y[:, 2:], x[1:-1], y[:, 1:-1], sx, sy)
    flat = np.all(dev <= FLAT_PX, axis=0)  # NaN compares False: kept
    flat &= ~np.isin(x[1:-1], musts)
    return np.concatenate([[x[0]], x[1:-1][~flat], [x[-1]]])
