"""Hypothesis properties of relu / relu_dash, none of them a second copy of the code.

The expectations come from elsewhere: the article's own two lines (verbatim in
relulab.article, where they are right), scalar Python on one float at a time, and
identities any Leaky ReLU satisfies (its derivative times x, positive homogeneity, the
split into two ReLUs, monotonicity, continuity at 0). Last, at every registered kink:
the function is continuous and its slopes either side are the recorded one-sided
limits of f′.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from relulab import article, relu, relu_dash
from relulab.registry import REGISTRY

finite = st.floats(allow_nan=False, allow_infinity=False)
moderate = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
leaks = st.floats(min_value=-10, max_value=10, allow_nan=False)
shapes = hnp.array_shapes(min_dims=0, max_dims=3, max_side=20)
any_float64 = hnp.arrays(np.float64, shapes, elements=st.floats())
finite_arrays = hnp.arrays(
    hnp.floating_dtypes(sizes=(16, 32, 64), endianness="="), shapes, elements={"allow_nan": False}
).filter(lambda a: np.isfinite(a).all())


@given(x=finite_arrays, leak=leaks)
@settings(max_examples=300)
def test_agrees_with_the_articles_code_on_finite_input(x, leak):
    # The article's np.where lines are right for finite input in every float dtype but
    # one case: a leak below the dtype's normal range, whose digits its leak * x loses
    # (relulab rounds the float64 product once there: tests/test_activations.py). Its
    # relu_dash returns ints (leak 0) or float64, so compare values in x's dtype.
    with np.errstate(over="ignore"):  # leak * x may overflow float16 in the article too
        want, want_d = article.relu(x, leak), article.relu_dash(x, leak)
        got, got_d = relu(x, leak), relu_dash(x, leak)
    assert got.dtype == got_d.dtype == x.dtype
    if leak == 0 or abs(leak) >= np.finfo(x.dtype).tiny:
        assert np.array_equal(got, want)
    assert np.array_equal(got_d, np.asarray(want_d).astype(x.dtype))


def _scalar_relu(v: float, leak: float) -> float:
    """One Python float at a time: the definition, with relulab's two documented fixes
    (ReLU of -inf is 0, not 0 * -inf = nan; NaN stays NaN)."""
    if math.isnan(v) or v > 0:
        return v
    return 0.0 if leak == 0 else leak * v


def _scalar_relu_dash(v: float, leak: float) -> float:
    return math.nan if math.isnan(v) else (1.0 if v > 0 else leak)


@given(x=any_float64, leak=leaks)
@example(x=np.array([-np.inf, np.inf, np.nan, -0.0, -1.5]), leak=0.0)  # the article's bugs
@example(x=np.array([-np.inf, np.nan, -2.0, 3.0]), leak=-0.5)
def test_matches_scalar_python_everywhere(x, leak):
    # Including ±inf and NaN, where the article's code is wrong.
    flat = x.reshape(-1).tolist()
    want = np.array([_scalar_relu(v, leak) for v in flat]).reshape(x.shape)
    want_d = np.array([_scalar_relu_dash(v, leak) for v in flat]).reshape(x.shape)
    assert np.array_equal(relu(x, leak), want, equal_nan=True)
    assert np.array_equal(relu_dash(x, leak), want_d, equal_nan=True)


@given(x=moderate, leak=leaks)
def test_relu_is_x_times_its_derivative(x, leak):
    # Euler's identity for a positively homogeneous function. Holds exactly: for x > 0
    # both are x; for x <= 0 both are fl(leak * x).
    assert relu(x, leak) == x * relu_dash(x, leak)


@given(x=hnp.arrays(np.float64, st.integers(0, 50), elements=finite), leak=leaks)
def test_relu_is_x_times_derivative_arrays(x, leak):
    with np.errstate(over="ignore"):
        assert np.array_equal(relu(x, leak), x * relu_dash(x, leak))


@given(x=hnp.arrays(np.float64, st.integers(0, 50), elements=finite), leak=leaks)
def test_leaky_relu_is_two_relus(x, leak):
    # relu(x, leak) = relu(x) - leak * relu(-x), exactly: one side of each is +0.
    with np.errstate(over="ignore"):
        assert np.array_equal(relu(x, leak), relu(x) - leak * relu(-x))


@given(
    x=hnp.arrays(
        np.float64, st.integers(0, 50), elements=st.floats(min_value=-1e200, max_value=1e200)
    ),
    k=st.integers(-60, 60),
    leak=leaks,
)
def test_positive_homogeneity(x, k, leak):
    # Scaling by a power of two is exact (no overflow or subnormal result here), so
    # relu(c x) = c relu(x) holds exactly, and the derivative does not change.
    c = 2.0**k
    smallest = np.abs(x[x != 0]) * min(c, 1.0) * min(abs(leak) if leak else 1.0, 1.0)
    assume(np.all(smallest > 1e-290))
    assert np.array_equal(relu(c * x, leak), c * relu(x, leak))
    assert np.array_equal(relu_dash(c * x, leak), relu_dash(x, leak))


@given(x=hnp.arrays(np.float64, st.integers(2, 50), elements=st.floats()), leak=leaks)
def test_monotone_for_non_negative_leak(x, leak):
    assume(leak >= 0)
    y = relu(np.sort(x[~np.isnan(x)]), leak)
    assert np.all(y[1:] >= y[:-1])


@given(leak=leaks, eps=st.floats(min_value=1e-300, max_value=1e-10))
def test_continuous_at_zero(leak, eps):
    assert relu(0.0, leak) == 0.0
    assert abs(relu(eps, leak) - relu(-eps, leak)) <= (1 + abs(leak)) * eps * (1 + 1e-12)


@given(x=st.floats(min_value=-1e3, max_value=1e3), leak=leaks)
def test_derivative_matches_central_difference_away_from_zero(x, leak):
    h = 1e-6 * max(1.0, abs(x))
    assume(abs(x) > 2 * h)  # the kink is exactly at 0
    fd = (relu(x + h, leak) - relu(x - h, leak)) / (2 * h)
    assert np.isclose(fd, relu_dash(x, leak), rtol=1e-6, atol=1e-9)


@given(x=hnp.arrays(hnp.floating_dtypes(sizes=(16, 32, 64), endianness="="), shapes), leak=leaks)
def test_nan_stays_nan_and_dtype_is_kept(x, leak):
    with np.errstate(over="ignore"):
        for fn in (relu, relu_dash):
            got = np.asarray(fn(x, leak))
            assert got.dtype == x.dtype and got.shape == x.shape
            assert np.array_equal(np.isnan(got), np.isnan(x))


KINKS = [(key, kink.at) for key, act in REGISTRY.items() for kink in act.kinks]


@given(case=st.sampled_from(KINKS), data=st.data(), eps=st.floats(1e-7, 1e-4))
def test_at_each_kink_f_is_continuous_with_the_recorded_slopes_either_side(case, data, eps):
    key, at = case
    act = REGISTRY[key]
    params = {p.name: data.draw(st.floats(p.min, p.max), label=p.name) for p in act.params}
    f0 = float(act(at, **params))
    left, right = act.sides(at, **params)
    # Difference quotients over eps: off the slope by eps * |f''| / 2 (|f''| <= 3 on
    # the sliders' ranges) plus rounding, |f| * 1e-16 / eps.
    tol = 2e-4 + 1e-9
    assert abs((f0 - float(act(at - eps, **params))) / eps - left) <= tol
    assert abs((float(act(at + eps, **params)) - f0) / eps - right) <= tol
