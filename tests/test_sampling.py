"""Adaptive sampling: every drawn curve within half a pixel of the true one at the
chart's size, with tens of points, not thousands, and every kink a vertex.

The reference is the curve itself, evaluated densely, and the error is what a viewer
sees: the distance in pixels from each true point to the drawn segment over it. It is
measured here independently of :func:`relulab_app.sampling.pixel_deviation`.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from relulab import registry
from relulab_app import figures
from relulab_app.sampling import MAX_POINTS, adaptive_x

WIDTH, HEIGHT = 700.0, 470.0  # catalogue_figures' defaults
TOL = 0.5
RANGES = [(-5.0, 5.0), (-1.0, 1.0), (-60.0, 60.0), (0.5, 3.0), (-8.0, 8.0)]
DENSE = 20_001
RELU_FAMILY = ["relu", "leaky_relu", "prelu"]
TINY = np.finfo(float).tiny


def _curves(act: registry.Activation, params: dict[str, float]) -> dict[str, object]:
    return {
        "f": functools.partial(act, **params),
        "df": functools.partial(act.derivative, **params),
    }


def _kinks(act: registry.Activation) -> list[float]:
    """What catalogue_figures makes vertices: 0 and the record's kinks."""
    return [0.0, *(k.at for k in act.kinks)]


CASES = [
    pytest.param(f, _kinks(act), x_range, id=f"{key}-{which}-{x_range[0]:g}..{x_range[1]:g}")
    for key, act in registry.REGISTRY.items()
    for which, f in _curves(act, act.defaults()).items()
    for x_range in RANGES
]


def _y_scale(values: np.ndarray) -> float:
    """Pixels per y unit of a chart autoranged on these values. Plotly gets float32
    (catalogue_figures sends it) and pads a line's span by about 5% each side; a span
    float32 cannot show is drawn flat, one unit tall."""
    v = values[np.isfinite(values)].astype(np.float32).astype(float)
    span = float(v.max() - v.min())
    return HEIGHT / (span * 1.1) if span > 1e-6 * float(np.abs(v).max()) else HEIGHT


def _pieces(f, xs: np.ndarray, kinks) -> list[tuple[np.ndarray, np.ndarray]]:
    """The polylines drawn through f at xs, as catalogue_figures draws a derivative:
    broken at each kink inside, between f's one-sided limits there (f at the
    neighbouring floats). For a continuous f that is the same picture as one line."""
    ys = np.asarray(f(xs), dtype=float)
    pieces = []
    for at in sorted(k for k in set(kinks) if xs[0] < k < xs[-1]):
        left, right = (float(f(np.array([v]))[0]) for v in np.nextafter(at, [-np.inf, np.inf]))
        before, after = xs < at, xs > at
        pieces.append((np.r_[xs[before], at], np.r_[ys[before], left]))
        xs, ys = np.r_[at, xs[after]], np.r_[right, ys[after]]
    return [*pieces, (xs, ys)]


def _pixel_error(pieces, f, x_range, sy: float, n: int = DENSE) -> float:
    """Largest distance, in pixels, from a dense true point to the segment drawn over
    its x. Each piece covers the x strictly between its ends, and the range's ends;
    the value at a kink itself is a dot, not a line (tests/test_figures.py)."""
    lo, hi = x_range
    sx = WIDTH / (hi - lo)
    xd = np.linspace(lo, hi, n)
    worst = 0.0
    for px, py in pieces:
        first, last = px[0] == lo, px[-1] == hi  # an end of the range, not a kink
        inside = ((xd > px[0]) | (first & (xd == lo))) & ((xd < px[-1]) | (last & (xd == hi)))
        x = xd[inside]
        i = np.clip(np.searchsorted(px, x, side="right") - 1, 0, px.size - 2)
        x0, y0 = px[i] * sx, py[i] * sy
        vx, vy = px[i + 1] * sx - x0, py[i + 1] * sy - y0
        wx, wy = x * sx - x0, np.asarray(f(x), dtype=float) * sy - y0
        t = np.clip((wx * vx + wy * vy) / (vx * vx + vy * vy), 0.0, 1.0)
        worst = max(worst, float(np.max(np.hypot(wx - t * vx, wy - t * vy))))
    return worst


def _error(f, xs: np.ndarray, x_range, kinks=(0.0,)) -> float:
    lo, hi = x_range
    sy = _y_scale(np.asarray(f(np.linspace(lo, hi, DENSE)), dtype=float))
    return _pixel_error(_pieces(f, xs, kinks), f, x_range, sy)


@pytest.mark.parametrize(("f", "kinks", "x_range"), CASES)
def test_every_curve_is_drawn_within_half_a_pixel(f, kinks, x_range):
    xs = adaptive_x([f], x_range, width_px=WIDTH, height_px=HEIGHT, must_include=kinks)
    assert _error(f, xs, x_range, kinks) <= TOL
    assert xs.dtype == np.float64 and np.all(np.diff(xs) > 0)
    assert (xs[0], xs[-1]) == x_range
    assert xs.size <= 200  # tens, not thousands (the cap is MAX_POINTS)
    assert {k for k in kinks if x_range[0] < k < x_range[1]} <= set(xs)  # exact vertices


# Each parameter at the ends of its slider. Not Softplus' threshold: a low one makes
# Softplus jump (PyTorch's linear fallback), and a jump is no curve to follow.
PARAM_CASES = [
    pytest.param(
        f, _kinks(act), x_range, id=f"{key}-{name}={value:g}-{which}-{x_range[0]:g}..{x_range[1]:g}"
    )
    for key, act in registry.REGISTRY.items()
    for p in act.params
    if p.name != "threshold"
    for name, value in ((p.name, p.min), (p.name, p.max))
    for which, f in _curves(act, {**act.defaults(), name: value}).items()
    for x_range in [(-5.0, 5.0), (-60.0, 60.0), (-1.0, 1.0)]
]


@pytest.mark.parametrize(("f", "kinks", "x_range"), PARAM_CASES)
def test_every_curve_is_drawn_within_half_a_pixel_at_its_parameters_ends(f, kinks, x_range):
    xs = adaptive_x([f], x_range, width_px=WIDTH, height_px=HEIGHT, must_include=kinks)
    assert _error(f, xs, x_range, kinks) <= TOL
    assert xs.size <= 200


@pytest.mark.parametrize("key", ["gelu", "gelu_tanh", "silu", "sigmoid", "tanh"])
def test_201_even_points_were_off_by_more_than_half_a_pixel_zoomed_out(key):
    # The old sampling (figures.sample_x) on the widest range puts points 0.6 apart,
    # and these derivatives bend within that; the adaptive sampler does not miss it.
    x_range = (-60.0, 60.0)
    act = registry.REGISTRY[key]
    df = functools.partial(act.derivative, **act.defaults())
    assert _error(df, figures.sample_x(x_range), x_range) > TOL
    assert _error(df, adaptive_x([df], x_range, must_include=[0.0]), x_range) <= TOL


@pytest.mark.parametrize("key", RELU_FAMILY)
@pytest.mark.parametrize("x_range", [*RANGES, (-3.0, 0.0), (-60.0, -0.5)])
def test_relu_family_keeps_just_its_exact_vertices(key, x_range):
    act = registry.REGISTRY[key]
    f, df = _curves(act, act.defaults()).values()
    kinks = [k.at for k in act.kinks]
    assert (
        adaptive_x([f], x_range, must_include=kinks).tolist() == figures.vertices(x_range).tolist()
    )
    # f′ jumps at 0: the interval after it is halved down to a quarter pixel before the
    # sampler gives up (the figure draws the jump as a gap), which leaves one point.
    xs = adaptive_x([df], x_range, must_include=kinks)
    assert set(figures.vertices(x_range)) <= set(xs) and xs.size <= 4
    if xs.size == 4:
        assert 0 < xs[2] <= 0.5 * (x_range[1] - x_range[0]) / WIDTH


def test_several_curves_share_one_sample_set_that_serves_each():
    x_range = (-60.0, 60.0)
    acts = [registry.REGISTRY[k] for k in ("leaky_relu", "elu", "gelu", "silu")]
    fs = [functools.partial(a.derivative, **a.defaults()) for a in acts]
    xs = adaptive_x(fs, x_range, must_include=[0.0])
    # One chart, one y-axis: each curve is judged on the span of all of them.
    sy = _y_scale(np.concatenate([f(np.linspace(*x_range, DENSE)) for f in fs]))
    for f in fs:
        assert _pixel_error(_pieces(f, xs, [0.0]), f, x_range, sy) <= TOL
    assert xs.size <= 200


def test_a_given_y_range_sets_the_scale():
    # The same curve in a chart 10x taller in data units is 10x flatter on screen.
    x_range = (-5.0, 5.0)
    auto = adaptive_x([np.sin], x_range, coarse=4)
    tall = adaptive_x([np.sin], x_range, y_range=(-10.0, 10.0), coarse=4)
    assert tall.size < auto.size


def test_the_point_cap_holds_and_the_worst_bends_go_first():
    def wiggle(x):
        return np.sin(40 * x)  # about 760 turns on -60…60: more bends than pixels

    xs = adaptive_x([wiggle], (-60.0, 60.0))
    assert xs.size <= MAX_POINTS
    small = adaptive_x([wiggle], (-60.0, 60.0), max_points=100)
    assert 65 < small.size <= 100


def test_a_jump_away_from_zero_is_bracketed_to_a_quarter_pixel_and_stops():
    # Softplus at threshold 1 switches to x at x = 1 (PyTorch), a jump of 0.31.
    act = registry.REGISTRY["softplus"]
    f = functools.partial(act, beta=1.0, threshold=1.0)
    x_range = (-5.0, 5.0)
    xs = adaptive_x([f], x_range)
    i = np.searchsorted(xs, 1.0, side="right")  # xs[i - 1] <= 1 < xs[i]
    pixel = (x_range[1] - x_range[0]) / WIDTH
    assert xs[i] - xs[i - 1] < 0.5 * pixel
    assert xs.size < 100


def test_non_finite_values_do_not_break_it():
    def holes(x):
        with np.errstate(divide="ignore"):
            y = np.where(x > 2, np.nan, x * x)
            return np.where(np.abs(x - 1) < 0.3, np.log(np.abs(x - 1) * 0.0), y)

    for fs in ([holes], [holes, np.tanh], [lambda x: np.full_like(x, np.nan)]):
        xs = adaptive_x(fs, (-5.0, 5.0))  # RuntimeWarnings are errors in this suite
        assert xs[0] == -5.0 and xs[-1] == 5.0
        assert np.all(np.diff(xs) > 0) and xs.size <= MAX_POINTS


def test_a_must_include_point_is_a_vertex_only_when_strictly_inside():
    f = registry.REGISTRY["gelu"]
    assert 0.0 in adaptive_x([f], (-0.5, 3.0), must_include=[0.0])
    assert 0.0 not in adaptive_x([f], (-0.5, 3.0))  # 0 itself is nothing special
    assert 0.0 not in adaptive_x([f], (0.5, 3.0), must_include=[0.0])
    assert adaptive_x([f], (0.0, 3.0), must_include=[0.0])[0] == 0.0
    assert 0.7 in adaptive_x([f], (0.5, 3.0), must_include=(0.7, 9.0))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"x_range": (1.0, 1.0)},
        {"x_range": (2.0, 1.0)},
        {"x_range": (0.0, np.inf)},
        {"x_range": (-1.0, 1.0), "y_range": (1.0, 1.0)},
        {"x_range": (-1.0, 1.0), "tol_px": 0.0},
        {"x_range": (-1.0, 1.0), "width_px": -1.0},
        {"x_range": (-1.0, 1.0), "max_points": 10},
    ],
)
def test_bad_arguments_raise(kwargs):
    with pytest.raises(ValueError):
        adaptive_x([np.tanh], **kwargs)


def test_no_functions_gives_the_vertices():
    assert adaptive_x([], (-5.0, 5.0), must_include=[3.0, 0.0]).tolist() == [-5.0, 0.0, 3.0, 5.0]


# --- the catalogue's figures, as sent ------------------------------------------------


def _drawn(trace) -> list[tuple[np.ndarray, np.ndarray]]:
    """A line trace's pieces, split at its NaN gaps, in float64."""
    x, y = np.asarray(trace["x"], dtype=float), np.asarray(trace["y"], dtype=float)
    ends = np.flatnonzero(np.isnan(x))
    starts, stops = np.r_[0, ends + 1], np.r_[ends, x.size]
    return [(x[i:j], y[i:j]) for i, j in zip(starts, stops, strict=True)]


@pytest.mark.parametrize("x_range", RANGES, ids=lambda r: f"{r[0]:g}..{r[1]:g}")
@pytest.mark.parametrize(
    "keys",
    [
        ["elu"],
        ["gelu"],
        ["selu"],
        ["sigmoid"],
        ["relu6"],
        ["hardswish"],
        ["leaky_relu", "elu", "gelu", "silu"],
        ["relu6", "hardswish", "selu"],
    ],
    ids="+".join,
)
def test_catalogue_figures_draw_every_curve_within_half_a_pixel(keys, x_range):
    entries = [(registry.REGISTRY[k], registry.REGISTRY[k].defaults()) for k in keys]
    figs = figures.catalogue_figures(entries, x_range)
    xd = np.linspace(*x_range, DENSE)
    for fig, which in zip(figs, ("f", "df"), strict=True):
        curves = [_curves(act, params)[which] for act, params in entries]
        sy = _y_scale(np.concatenate([f(xd) for f in curves]))  # one y-axis a figure
        lines = [t for t in fig["data"] if t["mode"] == "lines"]
        for line, f in zip(lines, curves, strict=True):
            pieces = _drawn(line)
            assert _pixel_error(pieces, f, x_range, sy) <= TOL, line["name"]
            assert len(line["x"]) <= 250
            # No vertical segment: the line is broken at every jump of f′ inside the
            # range, and only there (hard-swish's at -3 and 3, none at 0).
            act, params = entries[lines.index(line)]
            jumps = [
                k.at
                for k in act.kinks
                if x_range[0] < k.at < x_range[1] and len(set(act.sides(k.at, **params))) == 2
            ]
            breaks = [float(px[-1]) for px, _ in pieces[:-1]]
            assert breaks == (jumps if which == "df" else []), line["name"]
            if x_range[0] < 0 < x_range[1]:
                assert 0.0 in np.concatenate([px for px, _ in pieces])
