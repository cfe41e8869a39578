"""What PyTorch, TensorFlow, Keras and JAX do: defaults, the derivative at the kink,
and the current function as a line of code for each.

The per-activation facts live in each record beside its function pair in
:mod:`relulab.catalogue` (its ``code`` templates, and its ``kinks`` with each library's
f′ there and the source it comes from); this module reads them. The ReLU family's, from
each framework's source (paths as of 2026):

* PyTorch ``torch.nn.functional.leaky_relu(input, negative_slope=0.01)``; its backward
  (aten/src/ATen/native/Activation.cpp, ``leaky_relu_backward``) is
  ``self > 0 ? grad : grad * negval``, so the slope at 0. ``relu`` backward uses
  ``threshold_backward(grad, result, 0)``: 0 at 0. ``elu_backward``: ``x <= 0 ?
  grad * negcoef * exp(x) : grad``, so alpha (SELU: lambda*alpha) at 0. ``prelu``
  backward is ``x > 0 ? grad : weight * grad``: a at 0.
* TensorFlow ``tf.nn.leaky_relu(features, alpha=0.2)``; LeakyReluGrad
  (tensorflow/core/kernels/relu_op_functor.h) is ``features > 0 ? g : g * alpha``:
  the slope at 0. ReluGrad: ``features > 0``, so 0.
* Keras 3 ``keras.activations.leaky_relu(x, negative_slope=0.2)`` and
  ``keras.layers.LeakyReLU(negative_slope=0.3)``; the gradient at 0 is the backend's
  (TensorFlow: the slope; JAX: 1; PyTorch: the slope).
* JAX ``jax.nn.elu`` and ``selu`` are ``jnp.where(x > 0, ...)``: alpha and
  lambda*alpha at 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from relulab.catalogue import SELU_ALPHA, SELU_LAMBDA
from relulab.registry import LIBRARIES, get

__all__ = [
    "CONVENTIONS",
    "FACTS",
    "JAX",
    "LEFT",
    "LIBRARIES",
    "TENSORFLOW",
    "FrameworkFacts",
    "code_lines",
    "derivative_under",
    "kink_value",
    "library_kink",
    "relu_dash_under",
]


@dataclass(frozen=True)
class FrameworkFacts:
    name: str
    leaky_default: str
    leaky_at_0: str
    relu_at_0: str
    selu_at_0: str
    prelu_at_0: str = ""


_LA = f"λα ≈ {SELU_LAMBDA * SELU_ALPHA:.4f}"
FACTS: tuple[FrameworkFacts, ...] = (
    FrameworkFacts("article / relulab", "— (you choose)", "leak", "0", _LA, "a"),
    FrameworkFacts("PyTorch", "negative_slope=0.01", "slope", "0", _LA, "a"),
    FrameworkFacts("TensorFlow (tf.nn)", "alpha=0.2", "slope", "0", f"λ ≈ {SELU_LAMBDA:.4f}", "0"),
    FrameworkFacts(
        "Keras 3",
        "activations.leaky_relu 0.2; layers.LeakyReLU 0.3",
        "backend's (TF, PyTorch: slope; JAX: 1)",
        "0",
        "backend's",
        "0",
    ),
    FrameworkFacts(
        "JAX", "negative_slope=0.01", "1", "0", _LA, "a (no PReLU: jnp.where(x > 0, …))"
    ),
)


# The conventions at a kink the page can switch between: each is what one library's
# printed line gives there (relulab's own for LEFT), so a label can name it.
LEFT = "left"  # relulab's and PyTorch's: at 0 the x <= 0 branch, as the article
TENSORFLOW = "tensorflow"  # TensorFlow's gradients; Keras' too, on its default backend
JAX = "jax"  # jnp.where(x >= 0, ...) for leaky_relu: the x > 0 branch at 0
CONVENTIONS = {
    LEFT: "PyTorch's, and the article's: the x ≤ 0 branch at 0",
    TENSORFLOW: "TensorFlow's (Keras' on TensorFlow): PReLU's layer takes 0 at 0, SELU λ",
    JAX: "JAX's: Leaky ReLU takes the x > 0 branch at 0 (but at leak 0 its line is"
    " jax.nn.relu, 0; PReLU's, written with x > 0, takes a)",
}
# The library whose printed line each convention follows.
_LIBRARY = {LEFT: "numpy (relulab)", TENSORFLOW: "TensorFlow", JAX: "JAX"}


def library_kink(key: str, params: dict[str, float], library: str, at: float = 0.0) -> float | None:
    """f′(at) of ``library``'s printed line for ``key`` (:func:`code_lines`) where the
    record has a kink at ``at`` (None otherwise): the kink's ``by`` for that library,
    or the derivative's own value there.

    >>> library_kink("prelu", {"a": 0.25}, "PyTorch"), library_kink("prelu", {"a": 0.25}, "Keras")
    (0.25, 0.0)
    >>> library_kink("leaky_relu", {"leak": 0.0}, "JAX")  # the line is jax.nn.relu(x)
    0.0
    >>> library_kink("hardswish", {}, "JAX", -3.0), library_kink("hardswish", {}, "JAX")
    (0.0, None)
    """
    if library not in LIBRARIES:
        raise ValueError(f"library must be one of {list(LIBRARIES)}; got {library!r}")
    act = get(key)
    kink = next((k for k in act.kinks if k.at == at), None)
    if kink is None:
        return None
    if library in kink.by:
        return float(kink.by[library](**params))
    return float(act.derivative(at, **params))


def kink_value(
    key: str, params: dict[str, float], convention: str = LEFT, at: float = 0.0
) -> float | None:
    """f′(at) under a convention where the record has a kink at ``at`` (None otherwise):
    the gradient there of the line its library prints (:func:`library_kink`).

    >>> kink_value("leaky_relu", {"leak": 0.1}), kink_value("leaky_relu", {"leak": 0.1}, JAX)
    (0.1, 1.0)
    >>> kink_value("prelu", {"a": 0.25}, JAX)  # jnp.where(x > 0, x, a * x), as printed
    0.25
    >>> kink_value("prelu", {"a": 0.25}, TENSORFLOW)  # relu(x) - a * relu(-x)
    0.0
    >>> kink_value("relu", {}, JAX), kink_value("selu", {}, JAX) == SELU_LAMBDA * SELU_ALPHA
    (0.0, True)
    >>> kink_value("gelu", {}) is None, kink_value("relu6", {}, at=6.0)
    (True, 0.0)
    """
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be one of {sorted(CONVENTIONS)}; got {convention!r}")
    return library_kink(key, params, _LIBRARY[convention], at)


def _g(v: float) -> str:
    return f"{v:g}"


def code_lines(key: str, params: dict[str, float]) -> dict[str, str]:
    """The current activation as a ready line for each library, with its own names:
    the record's ``code`` templates (or a ``code_when`` pair's, for the values it names)
    filled in with the parameters.

    >>> code_lines("leaky_relu", {"leak": 0.1})["PyTorch"]
    'torch.nn.functional.leaky_relu(x, negative_slope=0.1)'
    >>> code_lines("leaky_relu", {"leak": 0.1})["TensorFlow"]
    'tf.nn.leaky_relu(x, alpha=0.1)'
    >>> code_lines("softplus", {"beta": 2.0, "threshold": 5.0})["JAX"]
    'jnp.where(2 * x > 5, x, jax.nn.softplus(2 * x) / 2)'
    """
    act = get(key)
    values = {**act.defaults(), **params}
    templates = dict(act.code)
    for when, override in act.code_when:
        # Compared as printed: a value shown as 20 gets the line for 20 (and -0 that for 0).
        if all(_g(values[k] + 0.0) == _g(v) for k, v in when.items()):
            templates.update(override)
            break
    shown = {k: _g(v) for k, v in values.items()}
    return {library: templates[library].format(**shown) for library in LIBRARIES}


def derivative_under(key: str, x, params: dict[str, float], convention: str = LEFT):
    """The registry derivative of ``key`` at ``x``, with f′ at each kink set by
    ``convention``.

    >>> derivative_under("leaky_relu", [-1.0, 0.0, 2.0], {"leak": 0.1}, JAX)
    array([0.1, 1. , 1. ])
    """
    out = np.asarray(get(key).derivative(x, **params))
    for kink in get(key).kinks:
        taken = kink_value(key, params, convention, kink.at)
        out = np.where(np.asarray(x) == kink.at, out.dtype.type(taken), out)
    return out


def relu_dash_under(x, leak: float, convention: str = LEFT):
    """The article's ``relu_dash(x, leak)`` with f′(0) set by ``convention``: ReLU's 0 in
    every framework when ``leak`` is 0, else Leaky ReLU's (``leak``, or JAX's 1).

    >>> relu_dash_under([0.0], 0.0, JAX), relu_dash_under([0.0], 0.1, JAX)
    (array([0.]), array([1.]))
    """
    key = "relu" if leak == 0 else "leaky_relu"
    return derivative_under(key, x, {"leak": leak}, convention)
