"""Every registered activation, parametrized over the registry: a new entry is covered by
adding it to REFS and LIMITS below (a test fails until it is).

References are independent scalar functions in plain Python ``math`` (as Keras tests
against ``_ref_`` functions); derivatives are also checked against central finite
differences away from kinks (as JAX's ``check_grads``), and exactly at the kinks.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from relulab import _engine, catalogue
from relulab.registry import REGISTRY

LAM, ALPHA = catalogue.SELU_LAMBDA, catalogue.SELU_ALPHA
C, K = math.sqrt(2 / math.pi), 0.044715


def _sig(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def _relu_ref(x, leak):
    return x if x > 0 else (0.0 if leak == 0 else leak * x)


# key -> (f(x, **p), f'(x, **p)) in plain Python floats, written from the definitions.
REFS = {
    "relu": (lambda x: _relu_ref(x, 0.0), lambda x: 1.0 if x > 0 else 0.0),
    "leaky_relu": (_relu_ref, lambda x, leak: 1.0 if x > 0 else leak),
    "prelu": (lambda x, a: _relu_ref(x, a), lambda x, a: 1.0 if x > 0 else a),
    "elu": (
        lambda x, alpha: x if x > 0 else alpha * math.expm1(x),
        lambda x, alpha: 1.0 if x > 0 else alpha * math.exp(x),
    ),
    "selu": (
        lambda x: LAM * (x if x > 0 else ALPHA * math.expm1(x)),
        lambda x: LAM if x > 0 else LAM * ALPHA * math.exp(x),
    ),
    "gelu": (
        lambda x: 0.5 * x * math.erfc(-x / math.sqrt(2)),
        lambda x: (
            0.5 * math.erfc(-x / math.sqrt(2)) + x * math.exp(-x * x / 2) / math.sqrt(2 * math.pi)
        ),
    ),
    "gelu_tanh": (
        lambda x: 0.5 * x * (1 + math.tanh(C * (x + K * x**3))),
        lambda x: (
            0.5 * (1 + math.tanh(C * (x + K * x**3)))
            + 0.5 * x * (1 - math.tanh(C * (x + K * x**3)) ** 2) * C * (1 + 3 * K * x * x)
        ),
    ),
    "silu": (
        lambda x, beta: x * _sig(beta * x),
        lambda x, beta: _sig(beta * x) * (1 + beta * x * (1 - _sig(beta * x))),
    ),
    "softplus": (
        lambda x, beta, threshold: (
            x if beta * x > threshold else math.log1p(math.exp(beta * x)) / beta
        ),
        lambda x, beta, threshold: 1.0 if beta * x > threshold else _sig(beta * x),
    ),
    "sigmoid": (_sig, lambda x: _sig(x) * (1 - _sig(x))),
    "tanh": (math.tanh, lambda x: 1 - math.tanh(x) ** 2),
}

# Parameter sets to test: the defaults, and values away from them.
EXTRA = {
    "leaky_relu": [{"leak": 0.37}, {"leak": 0.0}],
    "prelu": [{"a": 0.6}],
    "elu": [{"alpha": 0.5}, {"alpha": 2.0}],
    "silu": [{"beta": 0.5}, {"beta": 2.5}],
    "softplus": [{"beta": 2.5, "threshold": 10.0}],
}
CASES = [
    pytest.param(key, params, id=f"{key}-{'-'.join(f'{v:g}' for v in params.values())}")
    for key, act in REGISTRY.items()
    for params in [act.defaults(), *EXTRA.get(key, [])]
]

# key -> (f(-inf), f(inf), f'(-inf), f'(inf)) at the default parameters.
INF = math.inf
LIMITS = {
    "relu": (0.0, INF, 0.0, 1.0),
    "leaky_relu": (-INF, INF, 0.1, 1.0),
    "prelu": (-INF, INF, 0.25, 1.0),
    "elu": (-1.0, INF, 0.0, 1.0),
    "selu": (-LAM * ALPHA, INF, 0.0, LAM),
    "gelu": (0.0, INF, 0.0, 1.0),
    "gelu_tanh": (0.0, INF, 0.0, 1.0),
    "silu": (0.0, INF, 0.0, 1.0),
    "softplus": (0.0, INF, 0.0, 1.0),
    "sigmoid": (0.0, 1.0, 0.0, 0.0),
    "tanh": (-1.0, 1.0, 0.0, 0.0),
}

# key -> f'(0) at the default parameters: the value taken at the kink, exactly.
AT_ZERO = {
    "relu": 0.0,
    "leaky_relu": 0.1,
    "prelu": 0.25,
    "elu": 1.0,
    "selu": LAM * ALPHA,
    "gelu": 0.5,
    "gelu_tanh": 0.5,
    "silu": 0.5,
    "softplus": 0.5,
    "sigmoid": 0.25,
    "tanh": 1.0,
}


def test_every_entry_has_references():
    assert set(REFS) == set(REGISTRY) == set(LIMITS) == set(AT_ZERO)


@pytest.mark.parametrize(("key", "params"), CASES)
def test_values_match_scalar_reference(key, params):
    act, (ref_f, ref_df) = REGISTRY[key], REFS[key]
    x = np.concatenate([np.linspace(-8, 8, 161), [0.0, -0.0, 1e-300, -1e-300, 5e-324, 0.3]])
    want_f = [ref_f(v, **params) for v in x]
    want_df = [ref_df(v, **params) for v in x]
    np.testing.assert_allclose(act(x, **params), want_f, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(act.derivative(x, **params), want_df, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize(("key", "params"), CASES)
def test_derivative_matches_finite_differences_away_from_kinks(key, params):
    act = REGISTRY[key]
    x = np.linspace(-6, 6, 121)
    if act.kink_at_zero:
        x = x[np.abs(x) > 0.05]
    if key == "softplus":  # the linear fallback's small jump at beta*x = threshold
        x = x[np.abs(x - params["threshold"] / params["beta"]) > 0.05]
    h = 1e-5 * np.maximum(1.0, np.abs(x))
    fd = (act(x + h, **params) - act(x - h, **params)) / (2 * h)
    np.testing.assert_allclose(act.derivative(x, **params), fd, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("key", list(REGISTRY))
def test_value_at_zero_is_exact(key):
    act = REGISTRY[key]
    p = act.defaults()
    assert act(0.0, **p) == 0.0 or key in ("softplus", "sigmoid")
    assert act.derivative(0.0, **p) == AT_ZERO[key]
    assert act.derivative(-0.0, **p) == AT_ZERO[key]


def test_kink_values_follow_the_parameters():
    assert REGISTRY["leaky_relu"].derivative(0.0, leak=0.3) == 0.3
    assert REGISTRY["prelu"].derivative(0.0, a=0.6) == 0.6
    assert REGISTRY["elu"].derivative(0.0, alpha=0.5) == 0.5
    assert REGISTRY["elu"].derivative(1e-300, alpha=0.5) == 1.0


@pytest.mark.parametrize("key", list(REGISTRY))
def test_special_values(key):
    act = REGISTRY[key]
    p = act.defaults()
    f_lo, f_hi, d_lo, d_hi = LIMITS[key]
    x = np.array([-np.inf, np.inf, np.nan])
    f, df = act(x, **p), act.derivative(x, **p)
    assert f[0] == f_lo and f[1] == f_hi and np.isnan(f[2])
    assert df[0] == d_lo and df[1] == d_hi and np.isnan(df[2])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("key", "params"), CASES)
def test_no_warnings_and_no_nan_up_to_1e4(key, params, dtype):
    act = REGISTRY[key]
    x64 = np.array([-1e4, -1e3, -100, -30, -1, -1e-3, 0, 1e-3, 1, 30, 100, 1e3, 1e4])
    x = x64.astype(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f, df = act(x, **params), act.derivative(x, **params)
    for got, want in ((f, act(x64, **params)), (df, act.derivative(x64, **params))):
        assert got.dtype == dtype and not np.isnan(got).any()
        np.testing.assert_allclose(got, want, rtol=2e-6 if dtype == np.float32 else 0, atol=1e-30)


@pytest.mark.parametrize("key", list(REGISTRY))
def test_dtypes_shapes_and_scalars(key):
    act = REGISTRY[key]
    p = act.defaults()
    x = np.linspace(-3, 3, 6).reshape(2, 3)
    for dtype in (np.float16, np.float32, np.float64):
        for fn in (act, act.derivative):
            got = fn(x.astype(dtype), **p)
            assert got.dtype == dtype and got.shape == (2, 3)
            np.testing.assert_allclose(got, fn(x, **p), rtol=2e-3, atol=2e-3)
    for fn in (act, act.derivative):
        assert fn(np.array([[-2, 0, 3]]), **p).dtype == np.float64
        scalar = fn(-1.5, **p)
        assert isinstance(scalar, np.floating) and np.ndim(scalar) == 0
        assert fn([[-1.0], [2.0]], **p).shape == (2, 1)


@pytest.mark.parametrize("key", list(REGISTRY))
def test_out_and_in_place(key):
    act = REGISTRY[key]
    p = act.defaults()
    x = np.linspace(-4, 4, 9)
    for fn in (act, act.derivative):
        want = fn(x, **p)
        out = np.empty_like(x)
        assert fn(x, **p, out=out) is out and np.array_equal(out, want)
        y = x.copy()
        fn(y, **p, out=y)  # out is the input itself
        assert np.array_equal(y, want)
        with pytest.raises(ValueError, match="out must be"):
            fn(x, **p, out=np.empty(3))


@pytest.mark.parametrize("key", list(REGISTRY))
def test_bad_x_is_refused(key):
    act = REGISTRY[key]
    for fn in (act, act.derivative):
        with pytest.raises(TypeError, match="real numbers"):
            fn(np.array([1 + 2j]), **act.defaults())
        with pytest.raises(TypeError, match="real numbers"):
            fn(["a", "b"], **act.defaults())


PARAM_CASES = [(key, p.name) for key, act in REGISTRY.items() for p in act.params]


@pytest.mark.parametrize(("key", "name"), PARAM_CASES)
@pytest.mark.parametrize(
    ("bad", "error"),
    [(math.nan, ValueError), (math.inf, ValueError), ("abc", TypeError), (1j, TypeError)],
)
def test_bad_parameters_name_the_parameter(key, name, bad, error):
    act = REGISTRY[key]
    for fn in (act, act.derivative):
        with pytest.raises(error, match=name):
            fn(np.array([1.0]), **{**act.defaults(), name: bad})


def test_softplus_beta_must_be_positive():
    for fn in (catalogue.softplus, catalogue.softplus_dash):
        with pytest.raises(ValueError, match="beta must be greater than 0"):
            fn([1.0], beta=0.0)


def test_prelu_gradient_with_respect_to_slope():
    da = REGISTRY["prelu"].param_grads["a"]
    x = np.array([-3.0, -0.5, 0.0, 0.5, 3.0, -np.inf, np.nan])
    got = da(x, a=0.25)
    assert np.array_equal(got, [-3.0, -0.5, 0.0, 0.0, 0.0, -np.inf, np.nan], equal_nan=True)
    h = 1e-6
    xs = x[:5]
    fd = (catalogue.prelu(xs, 0.25 + h) - catalogue.prelu(xs, 0.25 - h)) / (2 * h)
    np.testing.assert_allclose(got[:5], fd, atol=1e-8)


def test_selu_constants():
    assert catalogue.SELU_ALPHA == 1.6732632423543772
    assert catalogue.SELU_LAMBDA == 1.0507009873554805
    assert catalogue.selu_dash(0.0) == pytest.approx(1.7580993408473766, abs=1e-15)


def test_gelu_negative_tail_keeps_relative_accuracy():
    # 1 + erf(x/sqrt 2) cancels to 0 here; erfc does not.
    x = np.array([-10.0, -20.0, -30.0])
    want = [0.5 * v * math.erfc(-v / math.sqrt(2)) for v in x]
    # erfc's argument x/sqrt(2) is rounded: relative error ~ 2 z**2 eps ~ 2e-13 at -30.
    np.testing.assert_allclose(catalogue.gelu(x), want, rtol=1e-12)
    assert (catalogue.gelu(x) < 0).all()


@pytest.fixture
def small_blocks(monkeypatch):
    monkeypatch.setattr(_engine, "BLOCK_BYTES", 64)
    monkeypatch.setattr(_engine, "PARALLEL_MIN_BYTES", 128)
    monkeypatch.setenv("RELULAB_THREADS", "3")


@pytest.mark.parametrize("key", list(REGISTRY))
def test_blocked_and_threaded_paths(small_blocks, key):
    act = REGISTRY[key]
    p = act.defaults()
    x = np.random.default_rng(1).standard_normal(1001) * 5
    x[::7] = np.nan
    ref_f, ref_df = REFS[key]
    want_f = [math.nan if math.isnan(v) else ref_f(v, **p) for v in x]
    want_df = [math.nan if math.isnan(v) else ref_df(v, **p) for v in x]
    np.testing.assert_allclose(act(x, **p), want_f, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(act.derivative(x, **p), want_df, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("key", list(REGISTRY))
def test_registry_records_are_complete(key):
    act = REGISTRY[key]
    assert act.name and act.latex and act.latex_deriv and act.kink
    for p in act.params:
        assert p.min <= p.default <= p.max and p.step > 0 and p.label and p.help


def test_public_api_exports_every_registered_function():
    import relulab

    for act in REGISTRY.values():
        for fn in (act.fn, act.deriv, *act.param_grads.values()):
            assert getattr(relulab, fn.__name__) is fn
    assert set(relulab.__all__) <= set(dir(relulab))


@pytest.mark.parametrize(("key", "params"), CASES)
def test_every_entry_has_code_for_every_library(key, params):
    from relulab import frameworks

    lines = frameworks.code_lines(key, params)
    assert list(lines) == list(frameworks.LIBRARIES)
    assert all(lines.values())


def test_kink_conventions():
    from relulab import frameworks

    assert frameworks.kink_value("leaky_relu", {"leak": 0.2}) == 0.2
    assert frameworks.kink_value("leaky_relu", {"leak": 0.2}, frameworks.JAX) == 1.0
    assert frameworks.kink_value("relu", {}, frameworks.JAX) == 0.0
    assert frameworks.kink_value("gelu", {}) is None
    with pytest.raises(ValueError, match="convention"):
        frameworks.kink_value("relu", {}, "pytorch2")


class _Dual:
    """x + dx·ε: enough forward-mode autodiff to differentiate a printed where-line."""

    def __init__(self, value: float, slope: float = 1.0):
        self.value, self.slope = value, slope

    def __gt__(self, other: float) -> bool:
        return self.value > other

    def __rmul__(self, k: float) -> _Dual:
        return _Dual(k * self.value, k * self.slope)


class _WhereOnly:
    """``jnp`` as far as autodiff of ``jnp.where`` goes: the derivative is the chosen
    branch's (JAX differentiates a select through the branch its condition picks)."""

    @staticmethod
    def where(cond: bool, then, other):
        return then if cond else other


@pytest.mark.parametrize("a", [0.25, 0.6, 0.0, -0.5])
def test_jax_prelu_kink_is_the_derivative_of_its_printed_line(a):
    # JAX has no prelu; the page prints jnp.where(x > 0, x, a * x), whose jax.grad at 0
    # is a (x > 0 is false there). It once claimed 1, the value for jax.nn.leaky_relu,
    # which tests x >= 0.
    from relulab import frameworks

    line = frameworks.code_lines("prelu", {"a": a})["JAX"]
    got = eval(line, {"jnp": _WhereOnly, "a": a, "x": _Dual(0.0)})
    assert got.slope == frameworks.kink_value("prelu", {"a": a}, frameworks.JAX) == a
    assert frameworks.kink_value("leaky_relu", {"leak": a}, frameworks.JAX) == 1.0


@pytest.mark.parametrize("a", [0.25, 0.6, -0.5])
def test_jax_prelu_kink_under_real_jax(a):
    jax = pytest.importorskip("jax")  # not installed by default; the real thing if it is
    from relulab import frameworks

    line = frameworks.code_lines("prelu", {"a": a})["JAX"]
    grad = jax.grad(lambda x: eval(line, {"jnp": jax.numpy, "a": a, "x": x}))
    assert float(grad(0.0)) == pytest.approx(frameworks.kink_value("prelu", {"a": a}, "jax"))
    leaky = jax.grad(lambda x: jax.nn.leaky_relu(x, negative_slope=a))
    assert float(leaky(0.0)) == frameworks.kink_value("leaky_relu", {"leak": a}, "jax")


def _softplus_namespace() -> dict:
    """Test doubles for the framework names a softplus line uses: numpy stand-ins, so
    the test checks the line's math, not the frameworks (relulab's softplus, the
    reference here, is checked against PyTorch below)."""
    from types import SimpleNamespace as NS

    import relulab

    def softplus(z):
        return np.logaddexp(0.0, z)

    return {
        "tf": NS(where=np.where, math=NS(softplus=softplus)),
        "keras": NS(ops=NS(where=np.where), activations=NS(softplus=softplus)),
        "jnp": NS(where=np.where),
        "jax": NS(nn=NS(softplus=softplus)),
        "relulab": relulab,
    }


SOFTPLUS_PARAMS = [
    {"beta": b, "threshold": t} for b in (1.0, 0.1, 2.5, 5.0) for t in (1.0, 5.0, 20.0, 30.0)
]


def _softplus_x(params: dict[str, float]) -> np.ndarray:
    """The page's x-range, 1.5, and both sides of the switch to x at beta*x = threshold."""
    switch = params["threshold"] / params["beta"]
    return np.concatenate([np.linspace(-60, 60, 241), [1.5, switch, switch * (1 + 1e-12)]])


@pytest.mark.parametrize(
    "params", SOFTPLUS_PARAMS, ids=lambda p: f"{p['beta']:g}-{p['threshold']:g}"
)
def test_softplus_code_lines_compute_pytorchs_softplus(params):
    # TensorFlow, Keras and JAX have no threshold: with threshold=1 a plain
    # tf.math.softplus(x) gives 1.7014 at 1.5 where PyTorch (and relulab) give 1.5.
    from relulab import frameworks

    x = _softplus_x(params)
    want = catalogue.softplus(x, **params)
    for library, line in frameworks.code_lines("softplus", params).items():
        if library == "PyTorch":
            continue
        got = eval(line, {**_softplus_namespace(), "x": x})
        # At threshold 20 the short form leaves out PyTorch's switch to x, which moves
        # the value by under 1.1e-10, relative: float32 cannot show it.
        np.testing.assert_allclose(got, want, rtol=1.1e-10, atol=0, err_msg=f"{library}: {line}")
        if params["threshold"] != 20:
            np.testing.assert_allclose(got, want, rtol=1e-14, atol=0, err_msg=line)


@pytest.mark.parametrize(
    "params", SOFTPLUS_PARAMS, ids=lambda p: f"{p['beta']:g}-{p['threshold']:g}"
)
def test_softplus_pytorch_code_line(params):
    torch = pytest.importorskip("torch")  # not installed by default
    from relulab import frameworks

    x = _softplus_x(params)
    want = catalogue.softplus(x, **params)
    line = frameworks.code_lines("softplus", params)["PyTorch"]
    got = eval(line, {"torch": torch, "x": torch.from_numpy(x)}).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-14, atol=0, err_msg=line)


def test_softplus_code_lines_at_threshold_1():
    from relulab import frameworks

    lines = frameworks.code_lines("softplus", {"beta": 1.0, "threshold": 1.0})
    for library in ("TensorFlow", "Keras", "JAX"):
        assert eval(lines[library], {**_softplus_namespace(), "x": 1.5}) == 1.5, library


def _torch_cases():
    import json
    from pathlib import Path

    doc = json.loads((Path(__file__).parent / "data" / "torch_catalogue.json").read_text())
    return doc["x"], doc["cases"]


def test_torch_reference_covers_every_entry():
    _, cases = _torch_cases()
    assert {c["key"] for c in cases} == set(REGISTRY)


@pytest.mark.parametrize("case", _torch_cases()[1], ids=lambda c: f"{c['key']}-{c['params']}")
def test_against_pytorch_values_and_autograd(case):
    # PyTorch computes GELU-tanh as 0.5*x*(1 + tanh(.)), which cancels for x << 0:
    # relative agreement to 1e-9 there, tighter elsewhere.
    x = np.array(_torch_cases()[0])
    act = REGISTRY[case["key"]]
    np.testing.assert_allclose(act(x, **case["params"]), case["y"], rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(
        act.derivative(x, **case["params"]), case["dy"], rtol=1e-9, atol=1e-15
    )


def test_silu_at_beta_0_is_half_x():
    # sigmoid(0 * x) is 1/2 for every x, including ±inf, where 0 * inf would be NaN.
    x = np.array([-np.inf, -3.0, 0.0, 2.0, np.inf, np.nan])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f, df = catalogue.silu(x, beta=0.0), catalogue.silu_dash(x, beta=0.0)
    assert np.array_equal(f, 0.5 * x, equal_nan=True)
    assert np.array_equal(df, [0.5, 0.5, 0.5, 0.5, 0.5, np.nan], equal_nan=True)
