"""relulab.relu / relu_dash: article examples, special values, dtypes, shapes, errors."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pytest

import relulab
from relulab import _engine, article
from relulab.activations import relu, relu_dash

DATA = Path(__file__).resolve().parent / "data"
LEAKS = [0.0, 0.1, -0.5, 2.0]


def _ref_relu(x: float, leak: float) -> float:
    """Scalar reference, written from the definition in plain Python floats."""
    x, leak = float(x), float(leak)
    if math.isnan(x):
        return math.nan
    if x > 0:
        return x
    return 0.0 if leak == 0 else leak * x


def _ref_relu_dash(x: float, leak: float) -> float:
    x, leak = float(x), float(leak)
    if math.isnan(x):
        return math.nan
    return 1.0 if x > 0 else leak


def same(a, b) -> bool:
    """Equal values, NaN equal to NaN, shapes equal."""
    return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True)


# --- the article's two examples, value for value ---------------------------------

EX1 = np.array([[0.11], [-2.2], [0], [50.2], [33.5], [-0.6]])
EX2 = np.array([[-0.5], [0], [1], [2], [3], [4.5]])


def test_article_example_1_no_leak():
    assert same(relu(EX1), [[0.11], [0.0], [0.0], [50.2], [33.5], [0.0]])
    assert same(relu_dash(EX1), [[1.0], [0.0], [0.0], [1.0], [1.0], [0.0]])
    assert relu(EX1).shape == (6, 1)


def test_article_example_2_leak_0_1():
    assert same(relu(EX2, 0.1), [[-0.05], [0.0], [1.0], [2.0], [3.0], [4.5]])
    assert same(relu_dash(EX2, 0.1), [[0.1], [0.1], [1.0], [1.0], [1.0], [1.0]])


@pytest.mark.parametrize(("x", "leak"), [(EX1, 0), (EX2, 0.1), (EX1, 0.3), (EX2, 0)])
def test_agrees_with_article_where_article_is_right(x, leak):
    assert same(relu(x, leak), article.relu(x, leak))
    assert same(relu_dash(x, leak), article.relu_dash(x, leak))


def test_fixes_the_article_bugs():
    with np.errstate(invalid="ignore"):
        assert np.isnan(article.relu(np.array(-np.inf)))
    assert relu(-np.inf) == 0.0
    assert article.relu_dash(EX1).dtype.kind == "i"
    assert relu_dash(EX1).dtype == np.float64
    assert article.relu_dash(np.array(np.nan)) == 1
    assert np.isnan(relu_dash(np.nan))


# --- special values ---------------------------------------------------------------

TINY = 5e-324  # smallest subnormal float64
SPECIAL = [
    np.inf,
    -np.inf,
    np.nan,
    0.0,
    -0.0,
    TINY,
    -TINY,
    2.2e-308,
    -2.2e-308,
    1e308,
    -1e308,
    1.7976931348623157e308,
    -1.7976931348623157e308,
    1.0,
    -1.0,
    0.5,
    -0.5,
    1e-300,
    -1e-300,
]


@pytest.mark.parametrize("leak", LEAKS)
@pytest.mark.parametrize("x", SPECIAL)
def test_special_values_against_scalar_reference(x, leak):
    got = relu(x, leak)
    want = _ref_relu(x, leak)
    assert same(got, want), (x, leak, got, want)
    assert same(relu_dash(x, leak), _ref_relu_dash(x, leak))


@pytest.mark.parametrize("leak", LEAKS)
def test_special_values_as_one_array(leak):
    x = np.array(SPECIAL * 3)
    assert same(relu(x, leak), [_ref_relu(v, leak) for v in x])
    assert same(relu_dash(x, leak), [_ref_relu_dash(v, leak) for v in x])


def test_named_special_values():
    assert relu(-np.inf, 0.1) == -np.inf
    assert relu(np.inf) == np.inf
    assert relu(-np.inf, -0.5) == np.inf
    assert relu(-1e308, 2.0) == -np.inf  # overflow, silently, as IEEE says
    assert relu(1e308, 2.0) == 1e308
    assert relu_dash(0.0, 0.1) == np.float64(0.1)
    assert relu_dash(-0.0, 0.1) == np.float64(0.1)
    assert relu_dash(0.0) == 0.0


def test_relu_of_negatives_is_positive_zero_without_leak():
    out = relu(np.array([-2.2, -0.0, -np.inf, -TINY]))
    assert not np.signbit(out).any()
    assert not np.signbit(relu_dash(np.array([-2.2, -0.0, 0.0]))).any()


def test_no_warnings_on_extreme_inputs():
    x = np.array(SPECIAL)
    with np.errstate(over="ignore"):  # the casts themselves overflow to ±inf
        x32, x16 = x.astype(np.float32), x.astype(np.float16)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for leak in [*LEAKS, 1e300, -1e300, 1e-320]:
            relu(x, leak)
            relu_dash(x, leak)
        for leak in [*LEAKS, 3.0, 1000.0]:
            for xs in (x32, x16):
                relu(xs, leak)
                relu_dash(xs, leak)


@pytest.mark.parametrize("leak", [1.0, 0.999, 1.001, -1.0, 1e-320, 1e300, -1e300, 7.0])
def test_unusual_leaks_match_reference(leak):
    x = np.array(SPECIAL)
    assert same(relu(x, leak), [_ref_relu(v, leak) for v in x])
    assert same(relu_dash(x, leak), [_ref_relu_dash(v, leak) for v in x])


def test_exact_one_and_exact_leak_for_awkward_leaks():
    # (1 - leak) + leak is not always 1 in floating point; the derivative must be.
    x = np.array([-3.0, 0.0, 2.0])
    for leak in [0.1, 0.7, 1 / 3, -0.3, 1.7, 123.456]:
        assert relu_dash(x, leak).tolist() == [leak, leak, 1.0]


# --- an independent reference: PyTorch ---------------------------------------------


def test_against_pytorch_reference():
    doc = json.loads((DATA / "torch_leaky_relu.json").read_text())
    x = np.array(doc["x"])
    assert 0.0 in doc["x"]
    assert len(doc["cases"]) >= 5
    for case in doc["cases"]:
        slope = case["slope"]
        assert same(relu(x, slope), case["y"]), slope
        assert same(relu_dash(x, slope), case["dy"]), slope


# --- dtypes, shapes, scalars --------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.longdouble])
def test_float_dtypes_are_kept(dtype):
    x = np.array([-2, -0.5, 0, 0.5, 3], dtype=dtype)
    for leak in LEAKS:
        r, d = relu(x, leak), relu_dash(x, leak)
        assert r.dtype == dtype and d.dtype == dtype
        lk = dtype(leak)
        assert same(r, np.where(x > 0, x, lk * x))
        assert same(d, np.where(x > 0, dtype(1), lk))


def test_float16_subnormals_and_float32_subnormals():
    for dtype in (np.float16, np.float32):
        tiny = np.finfo(dtype).smallest_subnormal
        x = np.array([tiny, -tiny, 0], dtype=dtype)
        assert relu_dash(x, 0.1).tolist() == [1.0, float(dtype(0.1)), float(dtype(0.1))]
        assert relu(x).tolist() == [float(tiny), 0.0, 0.0]


@pytest.mark.parametrize(
    ("dtype", "leak"), [(np.float32, 1e-40), (np.float32, 4.6e-54), (np.float16, 3.7e-5)]
)
def test_a_leak_below_the_dtypes_normal_range_keeps_its_digits(small_blocks, dtype, leak):
    # Rounded into float32 (float16) such a leak keeps few digits, or none: leak * x
    # came out several ulps off, or 0 where it is a float32 subnormal.
    x = -np.geomspace(1e-3, np.finfo(dtype).max / 2, 1001).astype(dtype)
    want = (leak * x.astype(np.float64)).astype(dtype)  # the product, rounded once
    assert np.array_equal(relu(x, leak), want)
    assert (want != 0).any()


@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.uint8, np.uint64, np.bool_])
def test_integer_and_bool_compute_in_float64(dtype):
    x = np.array([0, 1, 1], dtype=dtype)
    r, d = relu(x, 0.1), relu_dash(x)
    assert r.dtype == np.float64 and d.dtype == np.float64
    assert r.tolist() == [0.0, 1.0, 1.0]
    assert d.tolist() == [0.0, 1.0, 1.0]
    assert x.dtype == dtype and x.tolist() == [0, 1, 1]  # input untouched


def test_integer_input_negative():
    assert relu(np.array([-3, 4]), 0.5).tolist() == [-1.5, 4.0]
    assert relu([-3, 4]).tolist() == [0.0, 4.0]


@pytest.mark.parametrize("shape", [(0,), (1,), (7,), (6, 1), (2, 3, 4), (0, 3), (1, 1, 1, 1)])
def test_shape_is_kept(shape):
    x = np.linspace(-3, 3, math.prod(shape)).reshape(shape)
    assert relu(x, 0.1).shape == shape
    assert relu_dash(x, 0.1).shape == shape


def test_scalars_in_give_numpy_scalars_out():
    for fn in (relu, relu_dash):
        assert isinstance(fn(2.5), np.float64)
        assert isinstance(fn(-2), np.float64)
        assert isinstance(fn(np.float32(-2)), np.float32)
        assert isinstance(fn(np.array(1.5)), np.float64)
        assert isinstance(fn(True), np.float64)
    assert relu(-2, 0.25) == -0.5


def test_lists_and_nested_lists():
    assert relu([[-1, 2], [3, -4]], 0.5).tolist() == [[-0.5, 2.0], [3.0, -2.0]]
    assert relu_dash([[-1.0], [2.0]]).tolist() == [[0.0], [1.0]]
    assert relu(()).shape == (0,)


def test_non_contiguous_inputs():
    base = np.linspace(-5, 5, 60).reshape(6, 10)
    for x in (base[::2], base.T, base[:, ::3], base[::-1]):
        assert same(relu(x, 0.1), np.where(x > 0, x, 0.1 * x))
        assert same(relu_dash(x, 0.1), np.where(x > 0, 1.0, 0.1))


def test_input_is_not_modified():
    x = np.array([-1.0, 0.0, 2.0])
    relu(x, 0.1)
    relu_dash(x, 0.1)
    assert x.tolist() == [-1.0, 0.0, 2.0]


# --- out= --------------------------------------------------------------------------


def test_out_is_written_and_returned():
    x = np.array([[-1.0], [0.0], [2.0]])
    out = np.full_like(x, 99.0)
    assert relu(x, 0.1, out=out) is out
    assert same(out, [[-0.1], [0.0], [2.0]])
    assert relu_dash(x, 0.1, out=out) is out
    assert same(out, [[0.1], [0.1], [1.0]])


def test_out_can_be_the_input():
    for fn, leak in [(relu, 0.0), (relu, 0.1), (relu, 2.0), (relu_dash, 0.1), (relu_dash, -1)]:
        x = np.array([-2.0, 0.0, 3.0, np.nan])
        want = fn(x.copy(), leak)
        assert fn(x, leak, out=x) is x
        assert same(x, want)


def test_out_partially_overlapping_and_strided():
    x = np.arange(-5.0, 5.0)
    want = relu(x[1:].copy(), 0.5)
    relu(x[1:], 0.5, out=x[:-1])
    assert same(x[:-1], want)
    y = np.array([-1.0, 2.0, -3.0])
    out = np.zeros(6)[::2]
    relu(y, 0.5, out=out)
    assert out.tolist() == [-0.5, 2.0, -1.5]


def test_out_on_scalar_input():
    out = np.zeros(())
    assert relu(-4.0, 0.5, out=out) is out
    assert out[()] == -2.0


@pytest.mark.parametrize(
    ("x", "out"),
    [
        (np.zeros(3), np.zeros(4)),
        (np.zeros(3), np.zeros((3, 1))),
        (np.zeros(3), np.zeros(3, np.float32)),
        (np.zeros(3, np.float32), np.zeros(3)),
        (np.zeros(3, np.int64), np.zeros(3, np.int64)),
        (np.zeros(3), np.zeros(3, np.complex128)),
    ],
)
def test_out_of_wrong_shape_or_dtype(x, out):
    for fn in (relu, relu_dash):
        with pytest.raises(ValueError, match="out must be a"):
            fn(x, out=out)


def test_out_read_only_and_not_array():
    out = np.zeros(3)
    out.flags.writeable = False
    with pytest.raises(ValueError, match="writeable"):
        relu(np.zeros(3), out=out)
    with pytest.raises(TypeError, match="out must be a numpy array"):
        relu(np.zeros(3), out=[0.0, 0.0, 0.0])


# --- errors a student can understand -----------------------------------------------


@pytest.mark.parametrize("leak", [float("nan"), float("inf"), -float("inf"), 10**400])
def test_non_finite_leak(leak):
    for fn in (relu, relu_dash):
        with pytest.raises(ValueError, match="leak"):
            fn([1.0], leak)


@pytest.mark.parametrize("leak", ["abc", "0.1", 1j, np.complex128(1), None, [0.1], True, b"1"])
def test_non_real_leak(leak):
    for fn in (relu, relu_dash):
        with pytest.raises(TypeError, match="leak must be a real number"):
            fn([1.0], leak)


def test_leak_accepts_numpy_and_fraction():
    from fractions import Fraction

    assert relu(-2.0, np.float32(0.5)) == -1.0
    assert relu(-2.0, np.array(0.5)) == -1.0
    assert relu(-2.0, Fraction(1, 4)) == -0.5
    assert relu(-2.0, 1) == -2.0


def test_leak_too_large_for_dtype():
    with pytest.raises(ValueError, match=r"leak=.*float16"):
        relu(np.zeros(2, np.float16), 1e6)
    assert relu(np.zeros(2), 1e6).tolist() == [0.0, 0.0]


@pytest.mark.parametrize(
    ("x", "match"),
    [
        (np.array([1 + 2j]), "complex"),
        ([1.0, 2j], "complex"),
        (["a", "b"], "text"),
        ("abc", "text"),
        (np.array([b"1"]), "bytes"),
        ([1.0, None], "objects"),
        (np.array([1, "a"], dtype=object), "objects"),
        (10**400, "objects"),
        (np.array(["2020-01-01"], dtype="datetime64[D]"), "dates"),
    ],
)
def test_bad_x_type(x, match):
    for fn in (relu, relu_dash):
        with pytest.raises(TypeError, match=match):
            fn(x)


def test_ragged_x():
    for fn in (relu, relu_dash):
        with pytest.raises(ValueError, match="ragged"):
            fn([[1.0, 2.0], [3.0]])


# --- the blocked, multi-threaded path ---------------------------------------------


@pytest.mark.parametrize("n", [1, 7, 8, 9, 63, 64, 65, 1000, 1001])
@pytest.mark.parametrize("leak", LEAKS)
def test_blocked_and_threaded_paths_match_reference(small_blocks, n, leak):
    rng = np.random.default_rng(n)
    x = rng.standard_normal(n) * 10
    x[::5] = 0.0
    x[::7] = np.nan
    want_r = np.array([_ref_relu(v, leak) for v in x])
    want_d = np.array([_ref_relu_dash(v, leak) for v in x])
    assert same(relu(x, leak), want_r)
    assert same(relu_dash(x, leak), want_d)
    out = np.empty_like(x)
    assert same(relu(x, leak, out=out), want_r)
    x32, lk32 = x.astype(np.float32), np.float32(leak)
    with np.errstate(invalid="ignore"):  # 0 * nan in the reference itself
        want32 = np.where(x32 > 0, x32, lk32 * x32)
    assert same(relu(x32, leak), want32)


def test_large_array_default_settings():
    x = np.random.default_rng(1).standard_normal(1_234_567)
    assert same(relu(x, 0.1), np.where(x > 0, x, 0.1 * x))
    assert same(relu_dash(x, 0.1), np.where(x > 0, 1.0, 0.1))
    assert same(relu(x), np.maximum(x, 0))


def test_thread_setting_from_environment(monkeypatch):
    monkeypatch.setenv("RELULAB_THREADS", "1")
    assert _engine._max_threads() == 1
    monkeypatch.setenv("RELULAB_THREADS", "nonsense")
    assert 1 <= _engine._max_threads() <= 4


def test_public_api():
    assert relulab.relu is relu and relulab.relu_dash is relu_dash
    assert relulab.__version__
