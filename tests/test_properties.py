"""Hypothesis properties of relu / relu_dash."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from relulab import relu, relu_dash

finite = st.floats(allow_nan=False, allow_infinity=False)
moderate = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
leaks = st.floats(min_value=-10, max_value=10, allow_nan=False)
any_float64 = hnp.arrays(
    np.float64, hnp.array_shapes(max_dims=3, max_side=20), elements=st.floats()
)


@given(any_float64)
def test_relu_without_leak_is_max_with_zero(x):
    assert np.array_equal(relu(x, 0), np.maximum(x, 0.0), equal_nan=True)


@given(x=moderate, leak=leaks)
def test_relu_is_x_times_its_derivative(x, leak):
    # Holds exactly: for x > 0 both are x; for x <= 0 both are fl(leak * x).
    assert relu(x, leak) == x * relu_dash(x, leak)


@given(x=hnp.arrays(np.float64, st.integers(0, 50), elements=finite), leak=leaks)
def test_relu_is_x_times_derivative_arrays(x, leak):
    with np.errstate(over="ignore"):
        assert np.array_equal(relu(x, leak), x * relu_dash(x, leak))


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


@given(x=any_float64, leak=leaks)
def test_derivative_takes_only_two_values_or_nan(x, leak):
    d = relu_dash(x, leak)
    assert np.array_equal(np.isnan(d), np.isnan(x))
    ok = ~np.isnan(x)
    assert np.array_equal(d[ok], np.where(x[ok] > 0, 1.0, leak))


@given(
    x=hnp.arrays(hnp.floating_dtypes(sizes=(16, 32, 64)), st.integers(0, 40)),
    leak=st.floats(min_value=-2, max_value=2),
)
@settings(max_examples=200)
def test_dtype_kept_and_agrees_with_where(x, leak):
    lk = x.dtype.type(leak)
    with np.errstate(all="ignore"):
        want = np.where(x > 0, x, (x * 0 if lk == 0 else lk * x))
        want = np.where(np.isinf(x) & (x < 0) & (lk == 0), 0, want).astype(x.dtype)
    got = relu(x, leak)
    assert got.dtype == x.dtype
    assert np.array_equal(got, want, equal_nan=True)
