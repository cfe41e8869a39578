"""A student's sketch of a curve (f or f′): checked, shortened, compared with the truth.

A sketch is what a finger, a mouse or a pen drew on an empty chart: one or more strokes,
each a polyline of (x, y) points in the chart's own units. The drawing element sends
the strokes as JSON; :func:`parse` accepts only lists of finite numbers inside the
chart's axes (a little past its edges, where a finger overshoots), at most
``MAX_RAW_POINTS`` of them, and :func:`simplify` keeps the shape in at most ``KEEP``
points, which is what a class stores and the teacher's projector overlays.

>>> axes = Axes((-4.0, 4.0), (-0.5, 1.5))
>>> step = parse('[[[-4, 0.1], [-0.05, 0.1], [0.05, 1], [4, 1]]]', axes)
>>> s = score(step, lambda x: np.where(x <= 0, 0.1, 1.0), axes, kinks=[(0.0, 0.1, 1.0)])
>>> s.share, s.jumps[0].ok
(1.0, True)
>>> s.summary().split("; ")[0]
'100 % of the x-range within 0.06 of the truth'

The score means something to a student: the share of the x-range where the sketch is
within a tolerance (3 % of the y-axis) of the true curve, and for each jump of the true
curve (a kink of f, where f′ jumps) whether the sketch jumps there, between the right
heights. Near a jump the truth is ambiguous to a hand (the drawn step is never vertical),
so the share leaves out 2 % of the x-range on each side of it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from relulab import REGISTRY

MAX_RAW_POINTS = 2_000  # a 20 s stroke at a phone's 100 events per second
MAX_STROKES = 30
KEEP = 64  # points stored per sketch: a smooth curve and a step look the same at this size
MARGIN = 0.05  # of each axis's span: a finger overshoots the chart's edge
TOLERANCE = 0.03  # of the y-axis's span (~10 px on a phone): within it, a point is right
NEAR_JUMP = 0.02  # of the x-axis's span: the hand's step, left out of the share
_SAMPLES = 401


class SketchError(ValueError):
    """A sketch that cannot be used; the message says why, for the page."""


@dataclass(frozen=True)
class Axes:
    """The chart a sketch is drawn on: its x-range and y-range (low, high)."""

    x: tuple[float, float]
    y: tuple[float, float]

    def __post_init__(self) -> None:
        for lo, hi in (self.x, self.y):
            if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
                raise ValueError(f"an axis needs finite low < high, not {lo!r}, {hi!r}")

    @property
    def tolerance(self) -> float:
        return TOLERANCE * (self.y[1] - self.y[0])


Stroke = tuple[tuple[float, float], ...]
Sketch = tuple[Stroke, ...]


def parse(raw: str | bytes | list, axes: Axes) -> Sketch:
    """The strokes of ``raw`` (JSON text, or the list it holds: ``[[[x, y], ...], ...]``),
    or :class:`SketchError` saying what is wrong. Nothing else is accepted: no text, no
    NaN or infinity, no point outside the axes (past ``MARGIN``), no more than
    ``MAX_RAW_POINTS`` points or ``MAX_STROKES`` strokes, and at least two points."""
    if isinstance(raw, str | bytes):
        if len(raw) > 40 * MAX_RAW_POINTS:
            raise SketchError("This sketch is too long to send; clear it and draw again.")
        try:
            raw = json.loads(raw, parse_constant=_no_constant)
        except (ValueError, RecursionError):
            raise SketchError("This is not a sketch.") from None
    if not isinstance(raw, list) or not raw:
        raise SketchError("Draw the curve on the chart first.")
    if len(raw) > MAX_STROKES:
        raise SketchError(f"A sketch has at most {MAX_STROKES} strokes; clear it and redraw.")
    (x_lo, x_hi), (y_lo, y_hi) = _with_margin(axes.x), _with_margin(axes.y)
    strokes, n = [], 0
    for stroke in raw:
        if not isinstance(stroke, list):
            raise SketchError("This is not a sketch.")
        n += len(stroke)
        if n > MAX_RAW_POINTS:
            raise SketchError(f"A sketch has at most {MAX_RAW_POINTS:,} points.")
        points = []
        for p in stroke:
            if not (isinstance(p, list) and len(p) == 2 and all(_is_number(v) for v in p)):
                raise SketchError("A sketch's points are pairs of numbers.")
            x, y = float(p[0]), float(p[1])
            if not (math.isfinite(x) and math.isfinite(y)):
                raise SketchError("A sketch's points must be finite numbers.")
            if not (x_lo <= x <= x_hi and y_lo <= y <= y_hi):
                raise SketchError("Part of this sketch is outside the chart.")
            points.append((x, y))
        if points:
            strokes.append(tuple(points))
    if sum(len(s) for s in strokes) < 2:
        raise SketchError("Draw the curve on the chart first.")
    return tuple(strokes)


def _no_constant(name: str):
    raise ValueError(name)


def _is_number(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _with_margin(axis: tuple[float, float]) -> tuple[float, float]:
    pad = MARGIN * (axis[1] - axis[0])
    return axis[0] - pad, axis[1] + pad


def simplify(sketch: Sketch, axes: Axes, keep: int = KEEP) -> Sketch:
    """``sketch`` in at most ``keep`` points (Ramer-Douglas-Peucker, in units of the
    axes' spans, the tolerance doubled until the points fit): the shape a projector
    shows, without the hundreds of points a hand makes."""
    scale = np.array([axes.x[1] - axes.x[0], axes.y[1] - axes.y[0]])
    arrays = [np.array(s) / scale for s in sketch]
    tol = 0.002
    while True:
        kept = [_rdp(a, tol) for a in arrays]
        if sum(int(k.sum()) for k in kept) <= keep or tol > 1:
            break
        tol *= 2
    out = tuple(
        tuple(p for p, k in zip(s, mask, strict=True) if k)
        for s, mask in zip(sketch, kept, strict=True)
    )
    total = sum(len(s) for s in out)
    if total > keep:  # only strokes of one or two points each remain: keep the last ones
        out = _last_points(out, keep)
    return out


def _rdp(points: np.ndarray, tol: float) -> np.ndarray:
    """Which of ``points`` to keep (a mask): the ends, and recursively the point
    farthest from the chord while it is farther than ``tol``."""
    keep = np.zeros(len(points), dtype=bool)
    keep[[0, -1]] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        if j - i < 2:
            continue
        a, b = points[i], points[j]
        d = b - a
        seg = points[i + 1 : j] - a
        norm = math.hypot(*d)
        if norm == 0:
            dist = np.hypot(seg[:, 0], seg[:, 1])
        else:
            dist = np.abs(d[0] * seg[:, 1] - d[1] * seg[:, 0]) / norm
        k = int(np.argmax(dist))
        if dist[k] > tol:
            keep[i + 1 + k] = True
            stack += [(i, i + 1 + k), (i + 1 + k, j)]
    return keep


def _last_points(sketch: Sketch, keep: int) -> Sketch:
    out: list[Stroke] = []
    for stroke in reversed(sketch):
        if keep <= 0:
            break
        out.append(stroke[-keep:])
        keep -= len(out[-1])
    return tuple(reversed(out))


def dumps(sketch: Sketch) -> str:
    """``sketch`` as compact JSON (5 significant digits: far below a pixel)."""
    return json.dumps([[[float(f"{x:.5g}"), float(f"{y:.5g}")] for x, y in s] for s in sketch])


def values_at(sketch: Sketch, xs: np.ndarray) -> np.ndarray:
    """The sketch's y at each of ``xs`` (linear between its points), NaN where no
    stroke passes; where strokes overlap, the one drawn last (a correction) counts."""
    out = np.full(len(xs), np.nan)
    for stroke in sketch:
        a = np.array(stroke)
        order = np.argsort(a[:, 0], kind="stable")
        sx, sy = a[order, 0], a[order, 1]
        if len(sx) == 1:
            continue
        inside = (xs >= sx[0]) & (xs <= sx[-1])
        out[inside] = np.interp(xs[inside], sx, sy)
    return out


@dataclass(frozen=True)
class Jump:
    """How a sketch treats one jump of the true curve at ``x`` (from ``left`` to ``right``)."""

    x: float
    placed: bool  # the sketch jumps within 5 % of the x-range of it
    heights: bool  # on either side, the sketch is within the tolerance of the truth

    @property
    def ok(self) -> bool:
        return self.placed and self.heights


@dataclass(frozen=True)
class Score:
    share: float  # of the x-range (away from jumps) where the sketch is within tolerance
    tolerance: float
    jumps: tuple[Jump, ...]

    @property
    def right(self) -> bool:
        """Counted right: ``RIGHT_SHARE`` of the x-range, and every jump right."""
        return self.share >= RIGHT_SHARE and all(j.ok for j in self.jumps)

    def summary(self) -> str:
        text = (
            f"{round(100 * self.share)} % of the x-range within {self.tolerance:.2g} of the truth"
        )
        for j in self.jumps:
            where = "in the right place" if j.placed else "not where the truth jumps"
            heights = "at the right heights" if j.heights else "not at the right heights"
            text += f"; the jump at x = {j.x:g}: {where}, {heights}"
        return text + "."


def score(
    sketch: Sketch,
    truth: Callable[[np.ndarray], np.ndarray],
    axes: Axes,
    kinks: Sequence[tuple[float, float, float]] = (),
) -> Score:
    """How close ``sketch`` is to the curve ``truth`` on ``axes``. ``kinks`` are the
    truth's jumps as (x, value just left, value just right); a kink where the two are
    within the tolerance is no jump (the article's f, say, at 0)."""
    lo, hi = axes.x
    span, tol = hi - lo, axes.tolerance
    jumps = [(k, a, b) for k, a, b in kinks if lo < k < hi and abs(b - a) > tol]
    xs = np.linspace(lo, hi, _SAMPLES)
    away = np.ones(len(xs), dtype=bool)
    for k, _, _ in jumps:
        away &= np.abs(xs - k) > NEAR_JUMP * span
    drawn = values_at(sketch, xs)
    with np.errstate(invalid="ignore"):
        right = np.abs(drawn - np.asarray(truth(xs), dtype=float)) <= tol
    share = float(np.mean(right[away]))
    return Score(share, tol, tuple(_jump(sketch, truth, k, a, b, axes) for k, a, b in jumps))


def _jump(sketch: Sketch, truth, k: float, left: float, right: float, axes: Axes) -> Jump:
    span, tol = axes.x[1] - axes.x[0], axes.tolerance
    side = np.linspace(NEAR_JUMP * span, 0.15 * span, 20)
    heights = all(
        _median_gap(values_at(sketch, xs), np.asarray(truth(xs), dtype=float), tol)
        for xs in (k - side, k + side)
    )
    # The sketch's own step: its largest rise (or fall) across 4 % of the x-range near
    # the jump (a steep stroke, or the gap a lifted pen leaves), the right way and at
    # least half as high as the truth's, centred within 5 % of the x-range of it.
    xs = np.linspace(k - 0.15 * span, k + 0.15 * span, 301)
    drawn = values_at(sketch, xs)
    seen = ~np.isnan(drawn)
    xs, drawn = xs[seen], drawn[seen]
    ends = np.minimum(np.searchsorted(xs, xs + 2 * NEAR_JUMP * span), len(xs) - 1)
    steps = (drawn[ends] - drawn) * np.sign(right - left)
    placed = False
    if len(xs) > 1:
        i = int(np.argmax(steps))
        at = (xs[i] + xs[ends[i]]) / 2
        placed = steps[i] >= abs(right - left) / 2 and abs(at - k) <= 0.05 * span
    return Jump(k, bool(placed), heights)


def _median_gap(drawn: np.ndarray, truth: np.ndarray, tol: float) -> bool:
    gaps = np.abs(drawn - truth)[~np.isnan(drawn)]
    return len(gaps) > 0 and float(np.median(gaps)) <= tol


def resample(sketch: Sketch, axes: Axes, n: int = 41) -> np.ndarray:
    """The sketch's y at ``n`` evenly spaced x: a vector to compare sketches by."""
    return values_at(sketch, np.linspace(*axes.x, n))


def most_typical(sketches: Sequence[Sketch], axes: Axes) -> int | None:
    """The index of the sketch closest, on average, to the others (the class's most
    common shape among ``sketches``), or None for none. Where two sketches do not both
    cover an x, that x does not count between them."""
    if not sketches:
        return None
    m = np.array([resample(s, axes) for s in sketches])
    gaps = np.abs(m[:, None, :] - m[None, :, :])
    both = ~np.isnan(gaps)
    # Mean over the x both cover; a pair that shares none is as far apart as can be.
    mean = np.where(
        both.any(axis=2), np.nansum(gaps, axis=2) / np.maximum(both.sum(axis=2), 1), np.inf
    )
    return int(np.argmin(mean.sum(axis=1)))


RIGHT_SHARE = 0.9  # a sketch counts as right: 90 % of the x-range, and every jump right


@dataclass(frozen=True)
class Spec:
    """What a sketch question asks for: f (``of="f"``) or f′ (``"df"``) of the registry's
    activation ``act`` at ``params``, drawn on ``axes``. Kept with a class's question
    (:meth:`dumps`), so any server process can score its sketches."""

    act: str
    params: tuple[tuple[str, float], ...]
    of: str
    axes: Axes

    def __post_init__(self) -> None:
        record = REGISTRY.get(self.act)
        if record is None or self.of not in ("f", "df"):
            raise ValueError("a sketch is of f or df of a registered activation")
        if {n for n, _ in self.params} != {p.name for p in record.params}:
            raise ValueError(f"{self.act} takes the parameters {[p.name for p in record.params]}")
        if not all(_is_number(v) and math.isfinite(v) for _, v in self.params):
            raise ValueError("parameters are finite numbers")

    def truth(self, x: np.ndarray) -> np.ndarray:
        record, params = REGISTRY[self.act], dict(self.params)
        return record(x, **params) if self.of == "f" else record.derivative(x, **params)

    def jumps(self) -> list[tuple[float, float, float]]:
        """Each kink as (x, the curve just left of it, just right): f′'s jumps (f is
        continuous at a kink, so a sketch of f has none to get right)."""
        record, params = REGISTRY[self.act], dict(self.params)
        out = []
        for k in record.kinks:
            left, right = record.sides(k.at, **params)
            if self.of == "f":
                left = right = float(record(k.at, **params))
            out.append((k.at, left, right))
        return out

    def score(self, drawn: Sketch) -> Score:
        return score(drawn, self.truth, self.axes, self.jumps())

    def is_right(self, drawn: Sketch) -> bool:
        return self.score(drawn).right

    def dumps(self) -> str:
        return json.dumps(
            {"act": self.act, "params": dict(self.params), "of": self.of,
             "x": list(self.axes.x), "y": list(self.axes.y)},
            sort_keys=True,
        )  # fmt: skip

    @classmethod
    def loads(cls, text: str) -> Spec:
        """The spec :meth:`dumps` wrote; ``ValueError`` for anything else."""
        try:
            d = json.loads(text)
            axes = Axes(tuple(map(float, d["x"])), tuple(map(float, d["y"])))
            params = tuple(sorted((str(k), float(v)) for k, v in d["params"].items()))
            return cls(str(d["act"]), params, str(d["of"]), axes)
        except (TypeError, KeyError, AttributeError, json.JSONDecodeError) as e:
            raise ValueError(f"not a sketch question: {e}") from None
