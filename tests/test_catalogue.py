"""Every registered activation, parametrized over the registry: a new record is covered
by what it carries (kinks, code lines, slider ranges) and by its reference in
tests/reference.py, and a record missing one fails here.

References are each definition in mpmath, rounded to float (as Keras tests against
``_ref_`` functions); derivatives are also checked against central finite differences
away from kinks (as JAX's ``check_grads``), and exactly at the kinks.
"""

from __future__ import annotations

import math
import warnings

import framework_doubles
import numpy as np
import pytest
from reference import EXACT, LIMITS, reference, reference_dash

from relulab import catalogue
from relulab.registry import REGISTRY, Activation

# Each record at its defaults and with each parameter at either end of its slider.
CASES = [
    pytest.param(key, params, id=f"{key}-{'-'.join(f'{v:g}' for v in params.values())}")
    for key, act in REGISTRY.items()
    for params in act.param_sets()
]


def test_every_record_beside_a_function_pair_is_registered_once():
    # A record written in catalogue.py but left out of RECORDS, or two under one key
    # (the registry would keep only the last), would vanish from the page silently.
    written = [v for v in vars(catalogue).values() if isinstance(v, Activation)]
    assert sorted(a.key for a in written) == sorted(REGISTRY)
    assert len(catalogue.RECORDS) == len(REGISTRY) == len(written)


@pytest.mark.parametrize(("key", "params"), CASES)
def test_values_match_scalar_reference(key, params):
    act = REGISTRY[key]
    x = np.concatenate([np.linspace(-8, 8, 161), [0.0, -0.0, 1e-300, -1e-300, 5e-324, 0.3]])
    want_f = [reference(key, v, **params) for v in x]
    want_df = [reference_dash(key, v, **params) for v in x]
    np.testing.assert_allclose(act(x, **params), want_f, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(act.derivative(x, **params), want_df, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize(("key", "params"), CASES)
def test_derivative_matches_finite_differences_away_from_kinks(key, params):
    act = REGISTRY[key]
    x = np.linspace(-6, 6, 121)
    for kink in act.kinks:
        x = x[np.abs(x - kink.at) > 0.05]
    if key == "softplus":  # the linear fallback's small jump at beta*x = threshold
        x = x[np.abs(x - params["threshold"] / params["beta"]) > 0.05]
    h = 1e-5 * np.maximum(1.0, np.abs(x))
    fd = (act(x + h, **params) - act(x - h, **params)) / (2 * h)
    np.testing.assert_allclose(act.derivative(x, **params), fd, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("key", list(REGISTRY))
def test_values_at_zero_and_at_the_kinks_within_one_ulp(key):
    # Within 1 ulp of the exact value (SELU's λα is the product of the two rounded
    # constants, as in PyTorch), and f′(-0.0) is f′(0.0).
    act = REGISTRY[key]
    for p in act.param_sets():
        assert act.derivative(0.0, **p) == act.derivative(-0.0, **p)
        for at in {0.0, *(k.at for k in act.kinks)}:
            for got, want in (
                (act(at, **p), reference(key, at, **p)),
                (act.derivative(at, **p), reference_dash(key, at, **p)),
            ):
                assert abs(got - want) <= np.spacing(abs(want)), (at, p, got, want)


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


@pytest.mark.parametrize("key", list(REGISTRY))
def test_blocked_and_threaded_paths(small_blocks, key):
    # The ReLU family (relu, leaky_relu, prelu) runs through the blocked, threaded runner;
    # for the others this is the reference check on a larger array with NaN in it.
    act = REGISTRY[key]
    p = act.defaults()
    x = np.random.default_rng(1).standard_normal(1001) * 5
    x[::7] = np.nan
    want_f = [reference(key, v, **p) for v in x]
    want_df = [reference_dash(key, v, **p) for v in x]
    np.testing.assert_allclose(act(x, **p), want_f, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(act.derivative(x, **p), want_df, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("key", list(REGISTRY))
def test_registry_records_are_complete(key):
    from relulab.registry import LIBRARIES

    act = REGISTRY[key]
    assert act.key == key and act.name and act.latex and act.latex_deriv and act.kink
    assert key in EXACT and key in LIMITS  # its reference, in tests/reference.py
    names = {p.name for p in act.params}
    for p in act.params:
        assert p.min <= p.default <= p.max and p.step > 0 and p.label and p.help
    assert set(act.code) == set(LIBRARIES)
    for when, override in act.code_when:
        assert set(when) <= names and set(override) <= set(LIBRARIES)
    assert [k.at for k in act.kinks] == sorted({k.at for k in act.kinks})
    assert all(set(k.by) <= set(LIBRARIES) for k in act.kinks)
    assert set(act.param_grads) <= names


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


def _doubles(library: str) -> dict:
    """The names ``library``'s lines use, as numpy test doubles (tests/framework_doubles.py)
    with the framework's own signatures; relulab itself for its own line."""
    import relulab

    return {**framework_doubles.DOUBLES.get(library, {}), "relulab": relulab}


# Wide, to reach each line's tails and switches, and dense near 0 where they bend.
X_LINES = np.concatenate([np.linspace(-60, 60, 241), np.linspace(-4, 4, 81), [1e-3, -1e-3, 1.5]])


@pytest.mark.parametrize("library", ["PyTorch", "TensorFlow", "Keras", "JAX"])
@pytest.mark.parametrize(("key", "params"), CASES)
def test_each_code_line_computes_the_activation(key, params, library):
    # Run the line the page prints, with the framework where it is importable and with
    # numpy doubles of it otherwise: a wrong formula, a missing parameter or one passed
    # under a name the library does not use (a TypeError from the double) fails here.
    # The record's parameters are variables too (PReLU's JAX line uses ``a``).
    from relulab import frameworks

    act = REGISTRY[key]
    line = frameworks.code_lines(key, params)[library]
    run, how, tolerance = framework_doubles.runner(library)
    got = run(line, params, X_LINES.copy())
    np.testing.assert_allclose(got, act(X_LINES, **params), **tolerance, err_msg=f"{how}: {line}")


@pytest.mark.parametrize(("key", "params"), CASES)
def test_relulab_code_line_is_the_record(key, params):
    import relulab
    from relulab import frameworks

    act = REGISTRY[key]
    line = frameworks.code_lines(key, params)["numpy (relulab)"]
    got = eval(line, {"relulab": relulab, "x": X_LINES})
    assert np.array_equal(got, act(X_LINES, **params)), line


@pytest.mark.parametrize("library", list(framework_doubles.DOUBLES))
def test_doubles_have_the_frameworks_signatures(library):
    # Only where the framework is importable; elsewhere the doubles stand in for it.
    import functools
    import inspect

    modules = framework_doubles.real_modules(library)
    if modules is None:
        pytest.skip(f"{library} is not installed")
    checked = 0
    for path, double in framework_doubles.walk(framework_doubles.DOUBLES[library]):
        head, *rest = path.split(".")
        real = functools.reduce(getattr, rest, modules[head])  # AttributeError: no such name
        try:
            want = inspect.signature(real).parameters
        except (TypeError, ValueError):
            continue  # a C builtin without a signature (torch.sigmoid, F.gelu, ...)
        got = inspect.signature(double).parameters
        open_ended = any(p.kind is p.VAR_KEYWORD for p in want.values())
        assert set(got) <= set(want) or open_ended, (path, list(got), list(want))
        for name, p in want.items():
            if p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
                continue
            assert name in got, (path, name)
            assert got[name].default == p.default, (path, name, got[name].default, p.default)
        checked += 1
    assert checked


def test_kink_conventions():
    from relulab import frameworks

    assert frameworks.kink_value("leaky_relu", {"leak": 0.2}) == 0.2
    assert frameworks.kink_value("leaky_relu", {"leak": 0.2}, frameworks.JAX) == 1.0
    assert frameworks.kink_value("relu", {}, frameworks.JAX) == 0.0
    assert frameworks.kink_value("gelu", {}) is None
    with pytest.raises(ValueError, match="convention"):
        frameworks.kink_value("relu", {}, "pytorch2")


@pytest.mark.parametrize("key", list(REGISTRY))
def test_kinks_are_where_the_derivative_jumps(key):
    # The record's kinks decide where the page makes a vertex, splits the derivative and
    # draws its dots: each must be a real jump of f′ (for some parameter set), the value
    # taken there the derivative's own, JAX's one of the two sides.
    from relulab import frameworks

    act = REGISTRY[key]
    for kink in act.kinks:
        jumps = []
        for p in act.param_sets():
            left, right = act.sides(kink.at, **p)
            jumps.append(left != pytest.approx(right, abs=1e-12))
            taken = frameworks.kink_value(key, p, frameworks.LEFT, kink.at)
            assert taken == act.derivative(kink.at, **p), (kink.at, p)
            jax = frameworks.kink_value(key, p, frameworks.JAX, kink.at)
            assert min(abs(jax - left), abs(jax - right)) < 1e-12, (kink.at, p)
        assert any(jumps), kink.at
    assert frameworks.kink_value(key, act.defaults(), at=0.5) is None  # no kink there


@pytest.mark.parametrize(("key", "params"), CASES)
def test_the_derivative_jumps_only_at_kinks(key, params):
    # A jump of f′ where the record lists no kink would be drawn as a vertical segment.
    # Softplus's switch to x, at threshold / beta, moves with the parameters: its record
    # describes it (and it is about 2e-9 at the default threshold).
    act = REGISTRY[key]
    x = np.linspace(-8, 8, 1601)  # steps of 0.01: smooth f′ moves under 0.05 per step
    step = np.abs(np.diff(act.derivative(x, **params))) > 0.2
    kinks = np.array([k.at for k in act.kinks])
    if key == "softplus":
        kinks = np.array([params["threshold"] / params["beta"]])
    for a, b in zip(x[:-1][step], x[1:][step], strict=True):
        assert ((a - 1e-9 <= kinks) & (kinks <= b + 1e-9)).any(), (a, b)


def test_frameworks_table_agrees_with_the_records():
    # The panel's table (FACTS) is prose; where it states a number, it must be the one
    # kink_value gives under that framework's convention (TensorFlow's SELU′(0), λ, is
    # a convention the page does not offer).
    from relulab import frameworks

    convention = {
        "article / relulab": "left",
        "PyTorch": "left",
        "TensorFlow (tf.nn)": "tensorflow",
        "JAX": "jax",
    }
    for facts in frameworks.FACTS:
        if facts.name not in convention:
            continue
        c = convention[facts.name]
        assert f"{frameworks.kink_value('relu', {}, c):g}" == facts.relu_at_0
        leaky = frameworks.kink_value("leaky_relu", {"leak": 0.3}, c)
        assert leaky == (1.0 if facts.leaky_at_0 == "1" else 0.3), facts
        assert f"{frameworks.kink_value('selu', {}, c):.4f}" in facts.selu_at_0
        prelu = frameworks.kink_value("prelu", {"a": 0.3}, c)
        assert prelu == (0.0 if facts.prelu_at_0 == "0" else 0.3), facts


# Every record with a kink, at each parameter set (Leaky ReLU's include leak 0, PReLU's
# a = 1), and the library whose line each convention follows.
KINK_CASES = [
    (key, params, kink.at)
    for key, params in (c.values for c in CASES)
    for kink in REGISTRY[key].kinks
]
CONVENTION_OF = {"PyTorch": "left", "TensorFlow": "tensorflow", "Keras": "tensorflow", "JAX": "jax"}


@pytest.mark.parametrize("library", list(CONVENTION_OF))
@pytest.mark.parametrize(("key", "params", "at"), KINK_CASES)
def test_kink_dot_is_the_gradient_of_the_printed_line(key, params, at, library):
    # The line the page prints, run on a dual number x = at + ε through doubles written
    # with the comparison each framework's gradient uses (tests/framework_doubles.py):
    # its slope is what autograd, tf.GradientTape or jax.grad gives at the kink. The
    # dot the page draws under that library's convention must be that value: at leak 0
    # JAX's line is jax.nn.relu (0, not leaky_relu's 1), and Keras' PReLU layer, as
    # TensorFlow's, is relu(x) - a * relu(-x) (0 for every a, not a).
    from relulab import frameworks

    line = frameworks.code_lines(key, params)[library]
    x = framework_doubles.Dual(at)
    y = eval(line, {**framework_doubles.DOUBLES[library], **params, "x": x})
    if callable(y):  # a layer
        y = y(x)
    want = frameworks.library_kink(key, params, library, at)
    assert framework_doubles.slope(y) == pytest.approx(want, abs=1e-15), line
    convention = CONVENTION_OF[library]
    if library != "Keras":  # Keras follows TensorFlow's convention on its default backend
        assert frameworks.kink_value(key, params, convention, at) == want


def test_conventions_name_only_libraries_whose_dot_they_draw():
    # Each convention's label names the libraries it draws the dot for: under it, every
    # kinked record at every parameter set must take each named library's value
    # (TensorFlow takes the x <= 0 branch for ReLU and Leaky ReLU, but its PReLU layer
    # gives 0, not a, and its SELU λ: it cannot share the article's label).
    from relulab import frameworks

    for convention, label in frameworks.CONVENTIONS.items():
        named = [library for library in CONVENTION_OF if library in label]
        assert named, label
        for key, params, at in KINK_CASES:
            taken = frameworks.kink_value(key, params, convention, at)
            for library in named:
                want = frameworks.library_kink(key, params, library, at)
                assert taken == want, (label, key, params, at)


def test_version_notes_name_the_first_release():
    # jax.nn.mish first ships in JAX 0.4.27 (its changelog); keras.activations.mish, and
    # so tf.keras.activations.mish, in Keras 2.13 (its release notes).
    from pathlib import Path

    import relulab.catalogue

    source = Path(relulab.catalogue.__file__).read_text()
    assert "JAX 0.4.27 and later" in source and "0.4.26" not in source
    assert "Keras 2.13 and later" in source and "TensorFlow 2.9" not in source


@pytest.mark.parametrize("a", [0.25, 0.6, -0.5])
def test_jax_prelu_kink_under_real_jax(a):
    jax = pytest.importorskip("jax")  # not installed by default; the real thing if it is
    from relulab import frameworks

    line = frameworks.code_lines("prelu", {"a": a})["JAX"]
    grad = jax.grad(lambda x: eval(line, {"jnp": jax.numpy, "a": a, "x": x}))
    assert float(grad(0.0)) == pytest.approx(frameworks.kink_value("prelu", {"a": a}, "jax"))
    leaky = jax.grad(lambda x: jax.nn.leaky_relu(x, negative_slope=a))
    assert float(leaky(0.0)) == frameworks.kink_value("leaky_relu", {"leak": a}, "jax")


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
        got = eval(line, {**_doubles(library), "x": x})
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
        assert eval(lines[library], {**_doubles(library), "x": 1.5}) == 1.5, library


def _torch_cases():
    import json
    from pathlib import Path

    doc = json.loads((Path(__file__).parent / "data" / "torch_catalogue.json").read_text())
    return doc["x"], doc["cases"]


def test_torch_reference_is_current():
    # The JSON holds each record's PyTorch line, evaluated by PyTorch at each parameter
    # set: a new record, a new slider end or a changed line means regenerating it. A
    # case with a "source" was filled in from tests/reference.py where torch was not
    # installed (scripts/make_torch_reference.py --exact-for-new).
    from relulab import frameworks

    _, cases = _torch_cases()
    got = [(c["key"], c["params"], c["line"]) for c in cases]
    want = [
        (key, params, frameworks.code_lines(key, params)["PyTorch"])
        for key, act in REGISTRY.items()
        for params in act.param_sets()
    ]
    assert got == want, "run scripts/make_torch_reference.py"


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
