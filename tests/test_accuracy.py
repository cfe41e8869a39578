"""float16 and float32 to the last bit: every registered function and derivative within
1 ulp of the correctly rounded exact value, against mpmath at 256 bits; all but the
ReLU family within half an ulp (and a thousandth) of the exact value, that is, correctly
rounded but where the exact value is all but halfway between two floats. (The ReLU
family multiplies by the leak rounded to the dtype, on the benchmarked path: up to
1.4 ulp from the exact value, but never past the correctly rounded value's neighbours.)

The inputs are float32 numbers (and their float16 roundings) where a catalogue can go
wrong: a dense grid, both tails down to where the result underflows (subnormal results
included), tiny and huge |x|, and the float32 neighbours of every zero of f′ (where a
sum of two terms cancels). The references are the definitions, in mpmath at 256 bits
(tests/reference.py).
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import EXACT, MP, mpf

from relulab.registry import REGISTRY

# The zeros of f′ (in z = beta * x for SiLU), near which f′ is a sum that cancels.
F_DASH_ZEROS = {
    key: float(MP.findroot(lambda v, key=key, params=params: EXACT[key][1](v, **params), guess))
    for key, params, guess in [
        ("gelu", {}, -0.75),
        ("gelu_tanh", {}, -0.75),
        ("mish", {}, -1.19),
        ("silu", {"beta": 1.0}, -1.28),
    ]
}


def _exact(key: str, params: dict, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """f and f′ at ``xs`` (float64 holding float32 values), each as float64 (hi, lo)
    pairs, hi + lo the exact value to about 1e-32 relative."""
    f, df = EXACT[key]
    out = np.empty((2, 2, xs.size))
    for i, v in enumerate(xs.tolist()):
        for j, fn in enumerate((f, df)):
            e = fn(mpf(v), **params)
            hi = float(e)
            out[j, 0, i], out[j, 1, i] = hi, float(e - hi) if np.isfinite(hi) else 0.0
    return out[0], out[1]


def _rounded(hi: np.ndarray, lo: np.ndarray, dtype) -> np.ndarray:
    """hi + lo correctly rounded to ``dtype``: the nearest of hi's rounding and its two
    neighbours (differences with hi are exact in float64 there)."""
    r = hi.astype(dtype)
    cands = np.stack([np.nextafter(r, dtype(-np.inf)), r, np.nextafter(r, dtype(np.inf))])
    dist = np.abs((cands.astype(np.float64) - hi) - lo)
    return np.take_along_axis(cands, dist.argmin(axis=0)[None], axis=0)[0]


def _within_one_ulp(got: np.ndarray, hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """Where ``got`` is the correctly rounded value or one of its two neighbours."""
    dtype = got.dtype.type
    r = _rounded(hi, lo, dtype)
    ok = (
        (got == r)
        | (got == np.nextafter(r, dtype(-np.inf)))
        | (got == np.nextafter(r, dtype(np.inf)))
    )
    return ok | (np.isinf(r) & (got == r))


def _neighbours(x0: float, dtype, n: int) -> np.ndarray:
    """The ``n`` numbers of ``dtype`` either side of the one nearest ``x0``."""
    v = dtype(x0)
    lo, hi = [v], [v]
    for _ in range(n):
        lo.append(np.nextafter(lo[-1], dtype(-np.inf)))
        hi.append(np.nextafter(hi[-1], dtype(np.inf)))
    return np.array(lo[::-1] + hi[1:], dtype=dtype).astype(np.float64)


def _grid(key: str, params: dict) -> np.ndarray:
    """float32 inputs (as float64) for ``key``: dense near 0, out through both tails to
    where the results underflow, tiny and huge |x|, and the neighbours of f′'s zeros."""
    scale = 1 / abs(params.get("beta", 1.0) or 1.0)  # SiLU and softplus bend at 1/beta
    parts = [
        np.linspace(-6, 6, 241) * scale,
        np.linspace(-120, -6, 301) * scale,  # down past float32's smallest subnormal
        np.linspace(6, 120, 58) * scale,
        np.geomspace(1e-44, 1e-3, 24),
        -np.geomspace(1e-44, 1e-3, 24),
        [-3e38, -1e30, -1e4, 1e4, 1e30, 3e38, 0.0],
    ]
    if key in F_DASH_ZEROS:
        x0 = F_DASH_ZEROS[key] * (scale if params.get("beta", 1.0) > 0 else -scale)
        parts += [_neighbours(x0, np.float32, 40), _neighbours(x0, np.float16, 8)]
        parts.append(x0 + np.linspace(-3e-3, 3e-3, 61) * scale)
    if key == "softplus":  # both sides of the switch to x at beta * x = threshold
        switch = params["threshold"] / params["beta"]
        parts += [_neighbours(switch, np.float32, 3), _neighbours(switch, np.float16, 3)]
    x = np.concatenate([np.asarray(p, dtype=np.float64) for p in parts])
    return np.unique(x.astype(np.float32)).astype(np.float64)


CASES = [
    pytest.param(key, params, id=f"{key}-{'-'.join(f'{v:g}' for v in params.values())}")
    for key, act in REGISTRY.items()
    for params in act.param_sets()
]


@functools.cache
def _reference(key: str, items: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    params = dict(items)
    x = _grid(key, params)
    with np.errstate(over="ignore"):
        x = np.union1d(x, x.astype(np.float16).astype(np.float64))  # float16's too
    x = x[np.isfinite(x)]
    return x, *_exact(key, {**REGISTRY[key].fixed, **params}, x)


# Functions computed from the leak rounded into the input's dtype (see the docstring).
RELU_FAMILY = {"relu", "leaky_relu", "prelu"}


def _check(act, params, x64, exact, dtype, which):
    with np.errstate(over="ignore"):
        xs = x64.astype(dtype)
    keep = xs.astype(np.float64) == x64  # the inputs this dtype holds exactly
    xs, hi, lo = xs[keep], exact[0][keep], exact[1][keep]
    got = (act if which == "f" else act.derivative)(xs, **params)
    assert got.dtype == dtype
    # The neighbours of the largest float are inf (and inf - inf is NaN).
    with np.errstate(over="ignore", invalid="ignore"):
        ok = _within_one_ulp(got, hi, lo)
        if act.key not in RELU_FAMILY:
            # The spacing of dtype's numbers in the binade of the exact value.
            info = np.finfo(dtype)
            _, k = np.frexp(np.abs(hi))
            ulp = np.ldexp(1.0, np.maximum(k - info.nmant - 1, info.minexp - info.nmant))
            err = np.abs((got.astype(np.float64) - hi) - lo) / ulp
            ok &= (err <= 0.501) | (got == hi)
        # An exact value past the largest float by half an ulp or more rounds to inf.
        ok |= np.isinf(got) & (got == hi.astype(dtype))
    bad = np.flatnonzero(~ok)
    assert not bad.size, [(float(xs[i]), float(got[i]), hi[i]) for i in bad[:5]] + [
        f"{bad.size} of {ok.size} off by more than 1 ulp"
    ]


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
@pytest.mark.parametrize(("key", "params"), CASES)
def test_within_one_ulp_of_the_exact_value(key, params, dtype):
    act = REGISTRY[key]
    x, f, df = _reference(key, tuple(params.items()))
    _check(act, params, x, f, dtype, "f")
    _check(act, params, x, df, dtype, "f′")


# Points where float32 arithmetic goes wrong (PyTorch's, JAX's and TensorFlow's too, at
# most of them): 0 where the exact result is a normal float32 (SciPy's float32 expit
# underflows below -88.7), cancellation near the zeros of f′, a subnormal sigmoid,
# tanh′ near 0; with exact values, to the digits given, that check the references.
HARD_POINTS = [
    ("silu", {"beta": 5.0}, [-18.36, -18.0, -17.75], "f", {-17.75: "-5.08e-38"}),
    ("gelu_tanh", {}, [-10.23, -10.15, -10.07], "f", {}),
    ("mish", {}, [-1.19], "f′", {-1.19: "6.50203e-4"}),
    ("gelu_tanh", {}, [-0.75], "f′", {}),
    ("silu", {"beta": 0.1}, [-12.79], "f′", {}),
    ("softplus", {"beta": 1.0, "threshold": 20.0}, [-88.75, -95.0, -103.0], "f′", {}),
    ("tanh", {}, [0.49, 0.1, -0.3, 1e-3], "f′", {}),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
@pytest.mark.parametrize(("key", "params", "xs", "which", "exact"), HARD_POINTS)
def test_hard_points(key, params, xs, which, exact, dtype):
    x = np.array(xs, dtype=np.float32).astype(np.float64)
    ref = _exact(key, params, x)[0 if which == "f" else 1]
    for v, want in exact.items():  # the exact value, to the digits given
        digits = len(want.split("e")[0].strip("-").replace(".", "").lstrip("0"))
        assert f"{ref[0][xs.index(v)]:.{digits}g}" == f"{float(want):.{digits}g}"
    if dtype == np.float16:
        x = x[np.abs(x) < 65504]
    _check(REGISTRY[key], params, x, ref, dtype, which)


def _param(p):
    return st.floats(p.min, p.max, allow_nan=False).filter(
        lambda v: v != 0 or p.name != "beta"  # softplus refuses beta 0; SiLU's is 0.5 x
    )


@st.composite
def _cases(draw):
    key = draw(st.sampled_from(sorted(EXACT)))
    act = REGISTRY[key]
    params = {p.name: draw(_param(p)) for p in act.params}
    x = draw(st.floats(width=32, allow_nan=False, allow_infinity=False))
    return key, params, x


@settings(max_examples=200, deadline=None)
@given(_cases())
def test_random_points_within_one_ulp(case):
    # Any float32 x, any parameters the sliders allow: f and f′ in float32 and in
    # float16 (x rounded to it) within 1 ulp of the exact value.
    key, params, x = case
    act = REGISTRY[key]
    x64 = np.array([x, float(np.float16(x)) if abs(x) < 65504 else x])
    f, df = _exact(key, {**act.fixed, **params}, x64)
    for dtype in (np.float32, np.float16):
        _check(act, params, x64, f, dtype, "f")
        _check(act, params, x64, df, dtype, "f′")


@pytest.mark.parametrize("x", [-1.0, -3.0, -0.5, -12.79, 7.0])
def test_silu_dash_at_its_zero_for_any_beta(x):
    # With beta = z0 / x, beta * x lands within float64's rounding of SiLU′'s zero z0,
    # where the float64 sum cancels to noise; the exact f′ is still a normal float32.
    x = float(np.float32(x))
    beta = F_DASH_ZEROS["silu"] / x
    x64 = np.array([x, *_neighbours(x, np.float32, 2)])
    f, df = _exact("silu", {"beta": beta}, x64)
    assert 0 < abs(df[0][0]) < 1e-15  # the case this is about
    for dtype in (np.float32, np.float16):
        _check(REGISTRY["silu"], {"beta": beta}, x64, df, dtype, "f′")
        _check(REGISTRY["silu"], {"beta": beta}, x64, f, dtype, "f")


@pytest.mark.parametrize("key", sorted(F_DASH_ZEROS))
def test_derivatives_near_their_zeros_keep_their_digits_in_float64(key):
    # float64 inputs next to f′'s zero: the float64 sum cancels to noise there (f′ is
    # about 1e-17), the series about the zero keeps f′ to 1e-15, relative.
    params = {"beta": 1.0} if key == "silu" else {}
    x = _neighbours(F_DASH_ZEROS[key], np.float64, 3)
    (hi, lo) = _exact(key, params, x)[1]
    got = REGISTRY[key].derivative(x, **params)
    np.testing.assert_allclose(got, hi + lo, rtol=1e-15, atol=0)
