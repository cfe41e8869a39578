"""What PyTorch, TensorFlow, Keras and JAX do: defaults, the derivative at the kink,
and the current function as a line of code for each.

Facts, from each framework's source (paths as of 2026):

* PyTorch ``torch.nn.functional.leaky_relu(input, negative_slope=0.01)``; its backward
  (aten/src/ATen/native/Activation.cpp, ``leaky_relu_backward``) is
  ``self > 0 ? grad : grad * negval``, so the slope at 0. ``relu`` backward uses
  ``threshold_backward(grad, result, 0)``: 0 at 0. ``elu_backward``: ``x <= 0 ?
  grad * negcoef * exp(x) : grad``, so alpha (SELU: lambda*alpha) at 0.
* TensorFlow ``tf.nn.leaky_relu(features, alpha=0.2)``; LeakyReluGrad
  (tensorflow/core/kernels/relu_op_functor.h) is ``features > 0 ? g : g * alpha``:
  the slope at 0. ReluGrad: ``features > 0``, so 0. SeluGrad: ``features < 0 ?
  g * (activations + scale*alpha) : g * scale``, so lambda at 0.
* Keras 3 ``keras.activations.leaky_relu(x, negative_slope=0.2)`` and
  ``keras.layers.LeakyReLU(negative_slope=0.3)``; the gradient at 0 is the backend's
  (TensorFlow: the slope; JAX: 1; PyTorch: the slope).
* JAX ``jax.nn.leaky_relu(x, negative_slope=0.01)`` is
  ``jnp.where(x >= 0, x, negative_slope * x)`` (jax/_src/nn/functions.py): 1 at 0.
  ``jax.nn.relu`` has a custom JVP that gives 0 at 0. ``jax.nn.elu`` and ``selu`` are
  ``jnp.where(x > 0, ...)``: alpha and lambda*alpha at 0. ``jax.nn.gelu`` defaults to
  ``approximate=True`` (tanh); PyTorch's and TensorFlow's ``gelu`` default to exact.
  JAX has no PReLU; the line this module prints for it, ``jnp.where(x > 0, x, a * x)``,
  has ``jax.grad`` ``a`` at 0 (``x > 0`` is false there, and ``jnp.where`` passes the
  gradient through the branch it picks), so under JAX's convention PReLU takes ``a``
  and only Leaky ReLU takes 1.
* Softplus: PyTorch's ``softplus(input, beta=1, threshold=20)`` returns x itself where
  ``beta * x > threshold``. ``tf.math.softplus``, ``keras.activations.softplus`` and
  ``jax.nn.softplus`` (``jnp.logaddexp(x, 0)``) take neither beta nor a threshold, so
  their lines scale by beta and, unless the threshold is PyTorch's default, spell the
  switch out with ``where``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from relulab.catalogue import SELU_ALPHA, SELU_LAMBDA
from relulab.registry import get

LIBRARIES = ("PyTorch", "TensorFlow", "Keras", "JAX", "numpy (relulab)")


@dataclass(frozen=True)
class FrameworkFacts:
    name: str
    leaky_default: str
    leaky_at_0: str
    relu_at_0: str
    selu_at_0: str


_LA = f"λα ≈ {SELU_LAMBDA * SELU_ALPHA:.4f}"
FACTS: tuple[FrameworkFacts, ...] = (
    FrameworkFacts("article / relulab", "— (you choose)", "leak", "0", _LA),
    FrameworkFacts("PyTorch", "negative_slope=0.01", "slope", "0", _LA),
    FrameworkFacts("TensorFlow (tf.nn)", "alpha=0.2", "slope", "0", f"λ ≈ {SELU_LAMBDA:.4f}"),
    FrameworkFacts(
        "Keras 3",
        "activations.leaky_relu 0.2; layers.LeakyReLU 0.3",
        "backend's (TF, PyTorch: slope; JAX: 1)",
        "0",
        "backend's",
    ),
    FrameworkFacts("JAX", "negative_slope=0.01", "1", "0", _LA),
)


# The two conventions at a kink the page can switch between.
LEFT = "left"  # the x <= 0 branch: the article, PyTorch, TensorFlow
JAX = "jax"  # jnp.where(x >= 0, ...) for leaky_relu: the x > 0 branch at 0
CONVENTIONS = {
    LEFT: "x ≤ 0 branch at 0 (the article, PyTorch, TensorFlow)",
    JAX: "JAX's: Leaky ReLU takes the x > 0 branch at 0 (PReLU, written with x > 0, does not)",
}


def kink_value(key: str, params: dict[str, float], convention: str = LEFT) -> float | None:
    """f′(0) under a convention, for activations with a kink at 0 (None otherwise).

    >>> kink_value("leaky_relu", {"leak": 0.1}), kink_value("leaky_relu", {"leak": 0.1}, JAX)
    (0.1, 1.0)
    >>> kink_value("prelu", {"a": 0.25}, JAX)  # jnp.where(x > 0, x, a * x), as printed
    0.25
    >>> kink_value("relu", {}, JAX), kink_value("selu", {}, JAX) == SELU_LAMBDA * SELU_ALPHA
    (0.0, True)
    """
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be one of {sorted(CONVENTIONS)}; got {convention!r}")
    if key == "relu":
        return 0.0  # every framework: 0 (JAX through a custom JVP)
    if key == "leaky_relu":
        # jax.nn.leaky_relu tests x >= 0, so JAX takes the x > 0 branch's 1 at 0.
        return 1.0 if convention == JAX else float(params.get("leak", 0.0))
    if key == "prelu":
        # JAX has none; the JAX line in code_lines tests x > 0, so a at 0 there too.
        return float(params.get("a", 0.0))
    if key == "elu":
        return float(params.get("alpha", 1.0))  # x > 0 test in all: alpha
    if key == "selu":
        return SELU_LAMBDA * SELU_ALPHA
    return None


def _g(v: float) -> str:
    return f"{v:g}"


def code_lines(key: str, params: dict[str, float]) -> dict[str, str]:
    """The current activation as a ready line for each library, with its own names.

    >>> code_lines("leaky_relu", {"leak": 0.1})["PyTorch"]
    'torch.nn.functional.leaky_relu(x, negative_slope=0.1)'
    >>> code_lines("leaky_relu", {"leak": 0.1})["TensorFlow"]
    'tf.nn.leaky_relu(x, alpha=0.1)'
    """
    p = {k: _g(v) for k, v in params.items()}
    if key == "relu" or (key == "leaky_relu" and float(params.get("leak", 0)) == 0):
        return {
            "PyTorch": "torch.nn.functional.relu(x)",
            "TensorFlow": "tf.nn.relu(x)",
            "Keras": "keras.activations.relu(x)",
            "JAX": "jax.nn.relu(x)",
            "numpy (relulab)": "relulab.relu(x)",
        }
    if key == "leaky_relu":
        s = p["leak"]
        return {
            "PyTorch": f"torch.nn.functional.leaky_relu(x, negative_slope={s})",
            "TensorFlow": f"tf.nn.leaky_relu(x, alpha={s})",
            "Keras": f"keras.activations.leaky_relu(x, negative_slope={s})",
            "JAX": f"jax.nn.leaky_relu(x, negative_slope={s})",
            "numpy (relulab)": f"relulab.relu(x, leak={s})",
        }
    if key == "prelu":
        a = p["a"]
        return {
            "PyTorch": f"torch.nn.PReLU(init={a})  # a layer: its slope is learned",
            "TensorFlow": f"tf.keras.layers.PReLU(alpha_initializer=tf.constant_initializer({a}))",
            "Keras": f"keras.layers.PReLU(alpha_initializer=keras.initializers.Constant({a}))",
            "JAX": f"jnp.where(x > 0, x, a * x)  # no built-in; a = {a}, a learned parameter",
            "numpy (relulab)": f"relulab.prelu(x, a={a})",
        }
    if key == "elu":
        a = p["alpha"]
        return {
            "PyTorch": f"torch.nn.functional.elu(x, alpha={a})",
            "TensorFlow": "tf.nn.elu(x)" if a == "1" else f"tf.keras.activations.elu(x, alpha={a})",
            "Keras": f"keras.activations.elu(x, alpha={a})",
            "JAX": f"jax.nn.elu(x, alpha={a})",
            "numpy (relulab)": f"relulab.elu(x, alpha={a})",
        }
    if key in ("gelu", "gelu_tanh"):
        tanh = key == "gelu_tanh"
        return {
            "PyTorch": "torch.nn.functional.gelu(x" + (', approximate="tanh")' if tanh else ")"),
            "TensorFlow": f"tf.nn.gelu(x, approximate={tanh})",
            "Keras": f"keras.activations.gelu(x, approximate={tanh})",
            "JAX": f"jax.nn.gelu(x, approximate={tanh})",
            "numpy (relulab)": f"relulab.{key}(x)",
        }
    if key == "silu":
        b = p["beta"]
        if b == "1":
            return {
                "PyTorch": "torch.nn.functional.silu(x)",
                "TensorFlow": "tf.nn.silu(x)",
                "Keras": "keras.activations.silu(x)",
                "JAX": "jax.nn.silu(x)",
                "numpy (relulab)": "relulab.silu(x)",
            }
        return {
            "PyTorch": f"x * torch.sigmoid({b} * x)",
            "TensorFlow": f"tf.nn.silu(x, beta={b})",
            "Keras": f"x * keras.ops.sigmoid({b} * x)",
            "JAX": f"x * jax.nn.sigmoid({b} * x)",
            "numpy (relulab)": f"relulab.silu(x, beta={b})",
        }
    if key == "softplus":
        return _softplus_lines(p["beta"], p["threshold"], float(params["threshold"]))
    simple = {
        "selu": ("torch.nn.functional.selu", "tf.nn.selu", "keras.activations.selu", "jax.nn.selu"),
        "sigmoid": (
            "torch.sigmoid",
            "tf.math.sigmoid",
            "keras.activations.sigmoid",
            "jax.nn.sigmoid",
        ),
        "tanh": ("torch.tanh", "tf.math.tanh", "keras.activations.tanh", "jnp.tanh"),
    }
    if key in simple:
        names = simple[key]
        lines = {lib: f"{fn}(x)" for lib, fn in zip(LIBRARIES, names, strict=False)}
        lines["numpy (relulab)"] = f"relulab.{key}(x)"
        return lines
    raise KeyError(f"no code lines for activation {key!r}")


def _softplus_lines(b: str, t: str, threshold: float) -> dict[str, str]:
    """Softplus as PyTorch computes it, x itself where ``beta * x > threshold``, for
    libraries whose softplus has no threshold (TensorFlow, Keras, JAX).

    >>> _softplus_lines("1", "1", 1.0)["TensorFlow"]
    'tf.where(x > 1, x, tf.math.softplus(x))'
    >>> _softplus_lines("2", "5", 5.0)["JAX"]
    'jnp.where(2 * x > 5, x, jax.nn.softplus(2 * x) / 2)'
    """
    z = "x" if b == "1" else f"{b} * x"
    scale = "" if b == "1" else f" / {b}"
    lines = {"PyTorch": f"torch.nn.functional.softplus(x, beta={b}, threshold={t})"}
    for library, where, softplus in (
        ("TensorFlow", "tf.where", "tf.math.softplus"),
        ("Keras", "keras.ops.where", "keras.activations.softplus"),
        ("JAX", "jnp.where", "jax.nn.softplus"),
    ):
        smooth = f"{softplus}({z}){scale}"
        if threshold == 20:
            # PyTorch's default. Above the switch (z > 20) the smooth form exceeds x by
            # log1p(exp(-z)) / beta, under exp(-20) / 20 ≈ 1.03e-10 of x: below float32's
            # resolution (~6e-8), so the short line is the same function in practice and
            # far easier to read. Any other threshold is written out, since at small ones
            # the gap is plain to see (1.5 vs 1.7014 at threshold 1).
            lines[library] = f"{smooth}  # = PyTorch's threshold=20 to 1.1e-10, relative"
        else:
            lines[library] = f"{where}({z} > {t}, x, {smooth})"
    lines["numpy (relulab)"] = f"relulab.softplus(x, beta={b}, threshold={t})"
    return lines


def derivative_under(key: str, x, params: dict[str, float], convention: str = LEFT):
    """The registry derivative of ``key`` at ``x``, with f′(0) set by ``convention``.

    >>> derivative_under("leaky_relu", [-1.0, 0.0, 2.0], {"leak": 0.1}, JAX)
    array([0.1, 1. , 1. ])
    """
    out = np.asarray(get(key).derivative(x, **params))
    at0 = kink_value(key, params, convention)
    if at0 is not None:
        out = np.where(np.asarray(x) == 0, out.dtype.type(at0), out)
    return out


def relu_dash_under(x, leak: float, convention: str = LEFT):
    """The article's ``relu_dash(x, leak)`` with f′(0) set by ``convention``: ReLU's 0 in
    every framework when ``leak`` is 0, else Leaky ReLU's (``leak``, or JAX's 1).

    >>> relu_dash_under([0.0], 0.0, JAX), relu_dash_under([0.0], 0.1, JAX)
    (array([0.]), array([1.]))
    """
    key = "relu" if leak == 0 else "leaky_relu"
    return derivative_under(key, x, {"leak": leak}, convention)
