"""Numpy test doubles for the framework names the page's code lines use, so each line's
math and parameter names can be checked where PyTorch, TensorFlow, Keras or JAX is not
installed (none is, in the project's environment).

Each double has its framework's own signature (parameter names and defaults, from the
framework's documentation and source: PyTorch 2.x, TensorFlow 2.16+, Keras 3, JAX
0.4.27+) and computes the framework's documented formula with numpy and SciPy, never
through relulab, which is what the lines are checked against. A line that passes a
parameter under a wrong name gets a TypeError from the double, as it would from the
framework, and a name the framework lacks is an AttributeError. Where a framework is
importable, :func:`runner` uses the real one instead, and
``tests/test_catalogue.py`` checks the doubles' signatures against it.

Where an activation has a kink at 0, its doubles are written with the comparison the
framework's gradient uses there (``np.where(x > 0, x, 0.0)`` for a relu whose backward
tests ``x > 0``; Keras on its default backend, TensorFlow), so that a :class:`Dual`
passed through a line gives the gradient that framework computes at exactly 0.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable
from types import SimpleNamespace as NS

import numpy as np
from scipy.special import erf, expit

# Klambauer et al. (2017), as the frameworks spell them.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


class Dual:
    """x + slope·ε: forward-mode differentiation through the doubles. ``np.where``
    passes on the branch its condition picks, as frameworks differentiate a select;
    ``np.exp``/``np.expm1`` call the methods below (numpy's object loops)."""

    def __init__(self, value: float, slope: float = 1.0):
        self.value, self.slope = value, slope

    @staticmethod
    def _parts(other) -> tuple[float, float]:
        if isinstance(other, np.ndarray):  # a double's np.where at a single Dual
            other = other.item()
        if isinstance(other, Dual):
            return other.value, other.slope
        return float(other), 0.0

    def __gt__(self, other) -> bool:
        return self.value > self._parts(other)[0]

    def __ge__(self, other) -> bool:
        return self.value >= self._parts(other)[0]

    def __lt__(self, other) -> bool:
        return self.value < self._parts(other)[0]

    def __le__(self, other) -> bool:
        return self.value <= self._parts(other)[0]

    def __neg__(self) -> Dual:
        return Dual(-self.value, -self.slope)

    def __add__(self, other) -> Dual:
        v, s = self._parts(other)
        return Dual(self.value + v, self.slope + s)

    __radd__ = __add__

    def __sub__(self, other) -> Dual:
        return self + -Dual(*self._parts(other))

    def __rsub__(self, other) -> Dual:
        return -self + other

    def __mul__(self, other) -> Dual:
        v, s = self._parts(other)
        return Dual(self.value * v, self.slope * v + self.value * s)

    __rmul__ = __mul__

    def __truediv__(self, other: float) -> Dual:
        return Dual(self.value / other, self.slope / other)

    def exp(self) -> Dual:
        return Dual(math.exp(self.value), math.exp(self.value) * self.slope)

    def expm1(self) -> Dual:
        return Dual(math.expm1(self.value), math.exp(self.value) * self.slope)


def slope(y) -> float:
    """The slope a line's result carries (0 for a constant: a branch that is 0.0)."""
    y = y.item() if isinstance(y, np.ndarray) else y
    return y.slope if isinstance(y, Dual) else 0.0


def _relu(x):
    """relu as PyTorch (threshold_backward), TensorFlow (ReluGrad: features > 0) and
    jax.nn.relu's custom JVP differentiate it: the 0 branch at exactly 0."""
    return np.where(x > 0, x, 0.0)


def _relu6(x):
    """relu6 as every framework differentiates it (PyTorch's hardtanh backward,
    TensorFlow's Relu6Grad, jax.nn.relu6's custom JVP): 0 at both kinks, 0 and 6."""
    return np.where((x > 0) & (x < 6), x, np.where(x <= 0, 0.0, 6.0))


def _hard_swish(x):
    """x * relu6(x + 3) / 6, as JAX, Keras and the TensorFlow line compute it; its
    gradient is PyTorch's hardswish_backward too (0 at -3, 1 at 3)."""
    return x * _relu6(x + 3) / 6


def _tf_selu(features):
    # TensorFlow's SeluGrad tests features < 0: at 0 it takes the linear side, lambda.
    return _SELU_SCALE * np.where(features < 0, _SELU_ALPHA * np.expm1(features), features)


def _softplus(x):
    return np.logaddexp(0.0, x)  # log(1 + exp(x)), without overflow


def _gelu(x, approximate: bool):
    if approximate:
        c = math.sqrt(2 / math.pi)
        return 0.5 * x * (1 + np.tanh(c * (x + 0.044715 * x**3)))
    return 0.5 * x * (1 + erf(x / math.sqrt(2)))


class _Initializer:
    """``tf.constant_initializer(value)`` / ``keras.initializers.Constant(value)``."""

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        return np.full(shape, self.value)


class _KerasPReLU:
    """``keras.layers.PReLU`` (also TensorFlow's ``tf.keras.layers.PReLU``): built with
    its initial slope, ``x`` where x > 0 and ``alpha * x`` elsewhere, computed as Keras
    does, ``relu(x) - alpha * relu(-x)`` (so d/dx at 0 is 0, whatever alpha)."""

    def __init__(
        self,
        alpha_initializer="Zeros",
        alpha_regularizer=None,
        alpha_constraint=None,
        shared_axes=None,
        name=None,
        dtype=None,
        trainable=True,
    ):
        self.alpha_initializer = alpha_initializer

    def __call__(self, inputs):
        init = self.alpha_initializer
        alpha = init(()) if callable(init) else {"zeros": 0.0, "ones": 1.0}[init.lower()]
        return _relu(inputs) + -alpha * _relu(-inputs)


# --- PyTorch: torch.nn.functional, torch.sigmoid/tanh, torch.nn.PReLU ------------------


class _TorchPReLU:
    """``torch.nn.PReLU``: one learned slope, started at ``init``."""

    def __init__(self, num_parameters=1, init=0.25, device=None, dtype=None):
        self.weight = init

    def __call__(self, input):
        # PyTorch's backward tests input > 0: the slope at 0.
        return np.where(input > 0, input, self.weight * input)


def _torch_softplus(input, beta=1.0, threshold=20.0):
    return np.where(beta * input > threshold, input, _softplus(beta * input) / beta)


TORCH = NS(
    nn=NS(
        functional=NS(
            relu=lambda input, inplace=False: _relu(input),
            leaky_relu=lambda input, negative_slope=0.01, inplace=False: np.where(
                input > 0, input, negative_slope * input
            ),
            elu=lambda input, alpha=1.0, inplace=False: np.where(
                input > 0, input, alpha * np.expm1(input)
            ),
            selu=lambda input, inplace=False: (
                _SELU_SCALE * np.where(input > 0, input, _SELU_ALPHA * np.expm1(input))
            ),
            gelu=lambda input, approximate="none": _gelu(
                input, {"none": False, "tanh": True}[approximate]
            ),
            silu=lambda input, inplace=False: input * expit(input),
            softplus=_torch_softplus,
            mish=lambda input, inplace=False: input * np.tanh(_softplus(input)),
            relu6=lambda input, inplace=False: _relu6(input),
            hardswish=lambda input, inplace=False: _hard_swish(input),
        ),
        PReLU=_TorchPReLU,
    ),
    sigmoid=lambda input, *, out=None: expit(input),
    tanh=lambda input, *, out=None: np.tanh(input),
)

# --- TensorFlow: tf.nn, tf.math, tf.where, tf.keras --------------------------------------

TF = NS(
    nn=NS(
        relu=lambda features, name=None: _relu(features),
        leaky_relu=lambda features, alpha=0.2, name=None: np.where(
            features > 0, features, alpha * features
        ),
        elu=lambda features, name=None: np.where(features > 0, features, np.expm1(features)),
        selu=lambda features, name=None: _tf_selu(features),
        gelu=lambda features, approximate=False, name=None: _gelu(features, approximate),
        silu=lambda features, beta=1.0: features * expit(beta * features),
        relu6=lambda features, name=None: _relu6(features),
    ),
    math=NS(
        sigmoid=lambda x, name=None: expit(x),
        tanh=lambda x, name=None: np.tanh(x),
        softplus=lambda features, name=None: _softplus(features),
    ),
    where=lambda condition, x=None, y=None, name=None: np.where(condition, x, y),
    keras=NS(
        activations=NS(
            elu=lambda x, alpha=1.0: np.where(x > 0, x, alpha * np.expm1(x)),
            mish=lambda x: x * np.tanh(_softplus(x)),
        ),
        layers=NS(PReLU=_KerasPReLU),
    ),
    constant_initializer=lambda value=0: _Initializer(value),
)

# --- Keras 3: keras.activations, keras.ops, keras.layers, keras.initializers -------------

KERAS = NS(
    activations=NS(
        # Keras' relu with no options is the backend's relu.
        relu=lambda x, negative_slope=0.0, max_value=None, threshold=0.0: (
            _relu(x)
            if (negative_slope, max_value, threshold) == (0.0, None, 0.0)
            else np.clip(
                np.where(x >= threshold, x, negative_slope * (x - threshold)), None, max_value
            )
        ),
        # On TensorFlow, tf.nn.leaky_relu: LeakyReluGrad tests features > 0.
        leaky_relu=lambda x, negative_slope=0.2: np.where(x > 0, x, negative_slope * x),
        elu=lambda x, alpha=1.0: np.where(x > 0, x, alpha * np.expm1(x)),
        selu=lambda x: _tf_selu(x),  # on TensorFlow, tf.nn.selu
        gelu=lambda x, approximate=False: _gelu(x, approximate),
        silu=lambda x: x * expit(x),
        sigmoid=lambda x: expit(x),
        softplus=lambda x: _softplus(x),
        tanh=lambda x: np.tanh(x),
        mish=lambda x: x * np.tanh(_softplus(x)),
        relu6=lambda x: _relu6(x),  # on TensorFlow, tf.nn.relu6
        hard_swish=lambda x: _hard_swish(x),
    ),
    ops=NS(
        sigmoid=lambda x: expit(x),
        where=lambda condition, x1=None, x2=None: np.where(condition, x1, x2),
    ),
    layers=NS(PReLU=_KerasPReLU),
    initializers=NS(Constant=_Initializer),
)

# --- JAX: jax.nn and jax.numpy -----------------------------------------------------------

JAX = NS(
    nn=NS(
        relu=lambda x: _relu(x),
        leaky_relu=lambda x, negative_slope=0.01: np.where(x >= 0, x, negative_slope * x),
        elu=lambda x, alpha=1.0: np.where(x > 0, x, alpha * np.expm1(np.where(x > 0, 0.0, x))),
        selu=lambda x: _SELU_SCALE * np.where(x > 0, x, _SELU_ALPHA * np.expm1(x)),
        gelu=lambda x, approximate=True: _gelu(x, approximate),
        silu=lambda x: x * expit(x),
        sigmoid=lambda x: expit(x),
        softplus=lambda x: _softplus(x),
        mish=lambda x: x * np.tanh(_softplus(x)),
        relu6=lambda x: _relu6(x),
        hard_swish=lambda x: _hard_swish(x),
    ),
)
JNP = NS(
    where=lambda condition, x=None, y=None, /, *, size=None, fill_value=None: np.where(
        condition, x, y
    ),
    tanh=lambda x, /: np.tanh(x),
)

DOUBLES: dict[str, dict[str, object]] = {
    "PyTorch": {"torch": TORCH},
    "TensorFlow": {"tf": TF},
    "Keras": {"keras": KERAS},
    "JAX": {"jax": JAX, "jnp": JNP},
}

# The real modules behind each library's names, for when they are importable.
REAL: dict[str, dict[str, str]] = {
    "PyTorch": {"torch": "torch"},
    "TensorFlow": {"tf": "tensorflow"},
    "Keras": {"keras": "keras"},
    "JAX": {"jax": "jax", "jnp": "jax.numpy"},
}


def real_modules(library: str) -> dict[str, object] | None:
    """The library's real modules under the names its lines use, or None if any of them
    cannot be imported."""
    try:
        return {name: importlib.import_module(mod) for name, mod in REAL[library].items()}
    except ImportError:
        return None


def runner(
    library: str,
) -> tuple[Callable[[str, dict, np.ndarray], np.ndarray], str, dict[str, float]]:
    """How to run ``library``'s lines: ``run(line, variables, x)``, what runs them
    ("doubles" or "real"), and the tolerances to hold them to: float64 for the doubles
    and for PyTorch (given float64 tensors), float32 for the other frameworks, which
    compute in it by default (with the cancellation of their textbook forms)."""
    modules = real_modules(library)
    if modules is None:

        def run_double(line, variables, x):
            y = eval(line, {**DOUBLES[library], **variables, "x": x})
            return np.asarray(y(x) if callable(y) else y, dtype=float)

        return run_double, "doubles", {"rtol": 1e-9, "atol": 1e-12}

    def run_real(line, variables, x):
        if library == "PyTorch":
            torch = modules["torch"]
            tx = torch.from_numpy(x)
            y = eval(line, {**modules, **variables, "x": tx})
            if isinstance(y, torch.nn.Module):
                y = y.to(torch.float64)(tx)  # layers start in float32
            return y.detach().numpy()
        y = eval(line, {**modules, **variables, "x": x})
        return np.asarray(y(x) if callable(y) else y, dtype=float)

    if library == "PyTorch":
        return run_real, "real", {"rtol": 1e-9, "atol": 1e-12}
    return run_real, "real", {"rtol": 1e-5, "atol": 1e-6}


def walk(namespace: dict[str, object], prefix: str = ""):
    """(dotted name, double) for every callable double under ``namespace``."""
    for name, value in namespace.items():
        path = f"{prefix}{name}"
        if isinstance(value, NS):
            yield from walk(vars(value), path + ".")
        elif callable(value):
            yield path, value
