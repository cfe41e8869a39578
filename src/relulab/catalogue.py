"""Beyond the article: the next lessons' activations, each with its derivative beside it.

Same rules as :mod:`relulab.activations`: ``x`` array-like of real numbers, any shape;
float16/32/64 kept, integers and bools in float64; NaN in gives NaN out; no numpy
warnings; ``out=``; bad parameters raise naming the parameter.

Numerically stable forms, so |x| up to 1e4 (and ±inf) gives no overflow, no NaN and
no cancellation:

* sigmoid through ``e = exp(-|z|)`` (never overflows): ``1/(1+e)`` or ``e/(1+e)``, and
  its derivative as ``e/(1+e)**2`` rather than ``s*(1-s)`` (which cancels for large z);
* tanh's derivative as ``1/cosh(x)**2`` rather than ``1 - tanh(x)**2`` (same reason);
* ELU through ``expm1(min(x, 0))``, so exp never sees a large positive argument;
* GELU through ``erfc`` (SciPy's ufunc): ``0.5*x*erfc(-x/sqrt(2))`` keeps full relative
  accuracy in the negative tail, where ``1 + erf(...)`` would cancel to 0;
* where ``x = ±inf`` would meet a weight that underflows to 0 (``inf * 0 = nan``), x is
  first clipped to a bound past which the float64 result no longer changes.

Why SciPy for erf: numpy has none. ``math.erf`` per element costs about 60–100 ns an
element (a Python call each), 100× the ufunc; a hand-written rational approximation
would be a second, less-tested erf. ``scipy.special.erfc`` is a vectorized, accurate
ufunc, imported only when GELU is first used.

At a kink (ReLU family, PReLU, ELU with alpha != 1, SELU at 0) the derivative takes
the left-hand value, the ``x <= 0`` branch, as the article, PyTorch and TensorFlow do.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from relulab._engine import Kernel, as_real_array, check_param, elementwise
from relulab.activations import relu, relu_dash

__all__ = [
    "SELU_ALPHA",
    "SELU_LAMBDA",
    "elu",
    "elu_dash",
    "gelu",
    "gelu_dash",
    "gelu_tanh",
    "gelu_tanh_dash",
    "prelu",
    "prelu_da",
    "prelu_dash",
    "selu",
    "selu_dash",
    "sigmoid",
    "sigmoid_dash",
    "silu",
    "silu_dash",
    "softplus",
    "softplus_dash",
    "tanh",
    "tanh_dash",
]

# Klambauer et al. (2017), to the digits PyTorch and JAX use.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_LAMBDA = 1.0507009873554804934193349852946

SQRT_HALF = math.sqrt(0.5)
INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)
GELU_TANH_C = math.sqrt(2 / math.pi)  # the tanh approximation's sqrt(2/pi)
GELU_TANH_K = 0.044715
Z_MAX = 800.0  # exp(-800) is 0 in float64 (and float32): past it sigmoid is exactly 0 or 1

# A kernel body: (x copy, out, scratch a, scratch b, scratch c), all blocks of one dtype.
Body = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray], None]


def _apply(body: Body, x: ArrayLike, out: np.ndarray | None, *, min_float32: bool = False):
    """Run ``body`` blockwise. It gets a private copy of each x block, so it may write
    ``out`` at any step even when ``out`` is ``x``. With ``min_float32``, float16 is
    computed in float32 (SciPy has no float16 loop) and rounded once at the end."""
    arr, fresh = as_real_array(x)

    def factory(dtype: np.dtype, n: int) -> Kernel:
        work = np.dtype(np.float32) if min_float32 and dtype == np.float16 else dtype
        scratch = np.empty((5, n), work)

        def kernel(xb: np.ndarray, ob: np.ndarray) -> None:
            m = xb.size
            xc, a, b, c, r = scratch[:, :m]
            np.copyto(xc, xb)
            if work == ob.dtype:
                body(xc, ob, a, b, c)
            else:
                body(xc, r, a, b, c)
                np.copyto(ob, r, casting="same_kind")

        return kernel

    return elementwise(factory, arr, fresh, out)


def _logistic(z: np.ndarray, s: np.ndarray, d: np.ndarray, t: np.ndarray) -> None:
    """s = sigmoid(z) and d = sigmoid'(z), from e = exp(-|z|) in [0, 1]; t is scratch.
    ``z`` must not be any of the others. NaN gives NaN in both."""
    np.abs(z, out=d)
    np.negative(d, out=d)
    np.exp(d, out=d)  # e
    np.add(d, 1, out=t)
    np.reciprocal(t, out=t)  # 1/(1+e) = sigmoid(|z|)
    np.multiply(d, t, out=s)  # e/(1+e) = sigmoid(-|z|)
    np.multiply(s, t, out=d)  # e/(1+e)^2 = sigmoid(|z|) * sigmoid(-|z|)
    np.copyto(s, t, where=z >= 0)


# --- sigmoid and tanh ---------------------------------------------------------------


def sigmoid(x: ArrayLike, *, out: np.ndarray | None = None):
    """The logistic sigmoid.

    The math, as code::

        sigmoid(x) = 1 / (1 + exp(-x))

    Examples
    --------
    >>> import numpy as np
    >>> sigmoid(np.array([-np.inf, -1000.0, 0.0, 2.0, np.inf]))
    array([0.        , 0.        , 0.5       , 0.88079708, 1.        ])
    """
    return _apply(lambda x, o, a, b, c: _logistic(x, o, a, b), x, out)


def sigmoid_dash(x: ArrayLike, *, out: np.ndarray | None = None):
    """Derivative of :func:`sigmoid`.

    The math, as code::

        sigmoid_dash(x) = sigmoid(x) * (1 - sigmoid(x))

    >>> sigmoid_dash(0.0), sigmoid_dash(-1000.0)
    (np.float64(0.25), np.float64(0.0))
    """
    return _apply(lambda x, o, a, b, c: _logistic(x, a, o, b), x, out)


def tanh(x: ArrayLike, *, out: np.ndarray | None = None):
    """The hyperbolic tangent (numpy's), with this library's input rules.

    The math, as code::

        tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x))

    >>> tanh(0.0), tanh(float("inf"))
    (np.float64(0.0), np.float64(1.0))
    """
    return _apply(lambda x, o, a, b, c: np.tanh(x, out=o), x, out)


def tanh_dash(x: ArrayLike, *, out: np.ndarray | None = None):
    """Derivative of :func:`tanh`.

    The math, as code::

        tanh_dash(x) = 1 - tanh(x)**2 = 1 / cosh(x)**2     (the form used)

    >>> tanh_dash(0.0), tanh_dash(1e4)
    (np.float64(1.0), np.float64(0.0))
    """

    def body(x, o, a, b, c):
        np.cosh(x, out=a)  # overflows to inf past |x| ~ 710: 1/inf**2 = 0, exact enough
        np.multiply(a, a, out=a)
        np.reciprocal(a, out=o)

    return _apply(body, x, out)


# --- PReLU: Leaky ReLU whose slope is learned -------------------------------------


def prelu(x: ArrayLike, a: float = 0.25, *, out: np.ndarray | None = None):
    """PReLU: Leaky ReLU whose slope ``a`` is a learned weight (PyTorch's init: 0.25).

    The math, as code::

        prelu(x, a) = x      if x > 0
                      a * x  if x <= 0

    >>> prelu([-2.0, 3.0])
    array([-0.5,  3. ])
    """
    return relu(x, check_param("a", a), out=out)


def prelu_dash(x: ArrayLike, a: float = 0.25, *, out: np.ndarray | None = None):
    """Derivative of :func:`prelu` with respect to ``x``: 1 if x > 0 else a (a at 0).

    >>> prelu_dash([-2.0, 0.0, 3.0])
    array([0.25, 0.25, 1.  ])
    """
    return relu_dash(x, check_param("a", a), out=out)


def prelu_da(x: ArrayLike, a: float = 0.25, *, out: np.ndarray | None = None):
    """Derivative of :func:`prelu` with respect to the slope ``a``: what training uses.

    The math, as code::

        prelu_da(x, a) = 0  if x > 0
                         x  if x <= 0      (so 0 at x = 0; it does not depend on a)

    >>> prelu_da([-2.0, 0.0, 3.0])
    array([-2.,  0.,  0.])
    """
    check_param("a", a)
    return _apply(lambda x, o, a_, b, c: np.minimum(x, 0, out=o), x, out)


# --- ELU and SELU -------------------------------------------------------------------


def _elu_body(alpha: float, scale: float) -> Body:
    def body(x, o, a, b, c):
        np.minimum(x, 0, out=a)
        np.expm1(a, out=a)  # exp(min(x, 0)) - 1: no overflow, accurate near 0
        np.multiply(a, alpha * scale, out=o)
        np.multiply(x, scale, out=a)
        np.copyto(o, a, where=x > 0)

    return body


def _elu_dash_body(alpha: float, scale: float) -> Body:
    def body(x, o, a, b, c):
        np.minimum(x, 0, out=a)
        np.exp(a, out=a)
        np.multiply(a, alpha * scale, out=o)  # the x <= 0 branch: alpha*scale at 0
        np.copyto(o, scale, where=x > 0)

    return body


def elu(x: ArrayLike, alpha: float = 1.0, *, out: np.ndarray | None = None):
    """ELU, the exponential linear unit (Clevert et al., 2015).

    The math, as code::

        elu(x, alpha) = x                       if x > 0
                        alpha * (exp(x) - 1)    if x <= 0

    >>> import numpy as np
    >>> elu(np.array([-np.inf, -1.0, 0.0, 2.0]))
    array([-1.        , -0.63212056,  0.        ,  2.        ])
    """
    return _apply(_elu_body(check_param("alpha", alpha), 1.0), x, out)


def elu_dash(x: ArrayLike, alpha: float = 1.0, *, out: np.ndarray | None = None):
    """Derivative of :func:`elu`: 1 if x > 0 else alpha * exp(x), so alpha at 0
    (PyTorch's convention; for alpha = 1 there is no kink).

    >>> elu_dash([-1.0, 0.0, 2.0], alpha=0.5)
    array([0.18393972, 0.5       , 1.        ])
    """
    return _apply(_elu_dash_body(check_param("alpha", alpha), 1.0), x, out)


def selu(x: ArrayLike, *, out: np.ndarray | None = None):
    """SELU, the scaled ELU (Klambauer et al., 2017), with its fixed constants.

    The math, as code::

        selu(x) = LAMBDA * x                      if x > 0
                  LAMBDA * ALPHA * (exp(x) - 1)   if x <= 0

    with ``ALPHA = 1.6732632423543772…`` and ``LAMBDA = 1.0507009873554804…``.

    >>> selu([-1.0, 0.0, 1.0])
    array([-1.11133074,  0.        ,  1.05070099])
    """
    return _apply(_elu_body(SELU_ALPHA, SELU_LAMBDA), x, out)


def selu_dash(x: ArrayLike, *, out: np.ndarray | None = None):
    """Derivative of :func:`selu`: LAMBDA if x > 0 else LAMBDA*ALPHA*exp(x).

    At 0 it takes LAMBDA*ALPHA ≈ 1.7581, as PyTorch and JAX do (TensorFlow gives
    LAMBDA ≈ 1.0507).

    >>> selu_dash([0.0, 1.0])
    array([1.75809934, 1.05070099])
    """
    return _apply(_elu_dash_body(SELU_ALPHA, SELU_LAMBDA), x, out)


# --- GELU, exact and tanh-approximated ---------------------------------------------


def _erfc():
    from scipy.special import erfc  # imported on first use: see the module docstring

    return erfc


def gelu(x: ArrayLike, *, out: np.ndarray | None = None):
    """GELU, exact form: x times the standard normal CDF (Hendrycks & Gimpel, 2016).

    PyTorch's ``gelu`` (``approximate='none'``) and ``jax.nn.gelu(approximate=False)``;
    TensorFlow's ``tf.nn.gelu`` defaults to exact, JAX's to the tanh form.

    The math, as code::

        gelu(x) = 0.5 * x * (1 + erf(x / sqrt(2))) = 0.5 * x * erfc(-x / sqrt(2))

    >>> gelu([-1.0, 0.0, 1.0])
    array([-0.15865525,  0.        ,  0.84134475])
    """
    erfc = _erfc()

    def body(x, o, a, b, c):
        np.maximum(x, -40.0, out=x)  # x * Phi(x) is 0 in float64 below -40; avoids -inf*0
        np.multiply(x, -SQRT_HALF, out=a)
        erfc(a, out=a)
        np.multiply(a, x, out=a)
        np.multiply(a, 0.5, out=o)

    return _apply(body, x, out, min_float32=True)


def gelu_dash(x: ArrayLike, *, out: np.ndarray | None = None):
    """Derivative of :func:`gelu`.

    The math, as code::

        gelu_dash(x) = Phi(x) + x * phi(x)
                     = 0.5 * erfc(-x / sqrt(2)) + x * exp(-x**2 / 2) / sqrt(2 * pi)

    >>> gelu_dash([0.0, 1.0])
    array([0.5       , 1.08331547])
    """
    erfc = _erfc()

    def body(x, o, a, b, c):
        np.clip(x, -40.0, 40.0, out=x)  # the derivative is exactly 0 / 1 past ±40
        np.multiply(x, -SQRT_HALF, out=a)
        erfc(a, out=a)
        np.multiply(a, 0.5, out=a)  # Phi(x)
        np.multiply(x, x, out=b)
        np.multiply(b, -0.5, out=b)
        np.exp(b, out=b)
        np.multiply(b, x, out=b)
        np.multiply(b, INV_SQRT_2PI, out=b)  # x * phi(x)
        np.add(a, b, out=o)

    return _apply(body, x, out, min_float32=True)


def _gelu_tanh_z(x: np.ndarray, z: np.ndarray) -> None:
    """z = 2 * sqrt(2/pi) * (x + 0.044715 x**3), so that 0.5*(1 + tanh(z/2)) = sigmoid(z)."""
    np.multiply(x, x, out=z)
    np.multiply(z, GELU_TANH_K, out=z)
    np.add(z, 1.0, out=z)
    np.multiply(z, x, out=z)
    np.multiply(z, 2 * GELU_TANH_C, out=z)


def gelu_tanh(x: ArrayLike, *, out: np.ndarray | None = None):
    """GELU, tanh approximation: PyTorch's ``gelu(approximate='tanh')``, JAX's default.

    The math, as code::

        gelu_tanh(x) = 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x**3)))

    computed as ``x * sigmoid(2 * sqrt(2/pi) * (x + 0.044715 * x**3))``, the same value
    without the cancellation of ``1 + tanh(...)`` for negative x.

    >>> gelu_tanh([-1.0, 0.0, 1.0])
    array([-0.15880801,  0.        ,  0.84119199])
    """

    def body(x, o, a, b, c):
        np.maximum(x, -50.0, out=x)  # 0 in float64 below -50; avoids -inf*0
        _gelu_tanh_z(x, a)
        _logistic(a, b, c, o)
        np.multiply(x, b, out=o)

    return _apply(body, x, out)


def gelu_tanh_dash(x: ArrayLike, *, out: np.ndarray | None = None):
    """Derivative of :func:`gelu_tanh`.

    The math, as code, with ``z = 2*sqrt(2/pi)*(x + 0.044715*x**3)``::

        gelu_tanh_dash(x) = sigmoid(z) + x * sigmoid'(z) * dz/dx
        dz/dx = 2 * sqrt(2/pi) * (1 + 3 * 0.044715 * x**2)

    >>> gelu_tanh_dash([0.0, 1.0])
    array([0.5       , 1.08296408])
    """

    def body(x, o, a, b, c):
        np.clip(x, -50.0, 50.0, out=x)  # exactly 0 / 1 past ±50
        _gelu_tanh_z(x, a)
        _logistic(a, b, c, o)  # b = sigmoid(z), c = sigmoid'(z)
        np.multiply(x, x, out=a)
        np.multiply(a, 3 * GELU_TANH_K, out=a)
        np.add(a, 1.0, out=a)
        np.multiply(a, 2 * GELU_TANH_C, out=a)  # dz/dx
        np.multiply(a, c, out=a)
        np.multiply(a, x, out=a)
        np.add(a, b, out=o)

    return _apply(body, x, out)


# --- SiLU / Swish -------------------------------------------------------------------


def silu(x: ArrayLike, beta: float = 1.0, *, out: np.ndarray | None = None):
    """SiLU (beta = 1), or Swish with a slope ``beta`` (Ramachandran et al., 2017).

    The math, as code::

        silu(x, beta) = x * sigmoid(beta * x)

    >>> silu([-1.0, 0.0, 1.0])
    array([-0.26894142,  0.        ,  0.73105858])
    """
    beta = check_param("beta", beta)

    def body(x, o, a, b, c):
        if beta != 0:  # on the side where sigmoid(beta*x) underflows to 0, clip x
            bound = Z_MAX / abs(beta)
            np.maximum(x, -bound, out=x) if beta > 0 else np.minimum(x, bound, out=x)
        np.multiply(x, beta, out=a)
        _logistic(a, b, c, o)
        np.multiply(x, b, out=o)

    return _apply(body, x, out)


def silu_dash(x: ArrayLike, beta: float = 1.0, *, out: np.ndarray | None = None):
    """Derivative of :func:`silu` with respect to ``x``.

    The math, as code, with ``z = beta * x``::

        silu_dash(x, beta) = sigmoid(z) + z * sigmoid(z) * (1 - sigmoid(z))

    >>> silu_dash([0.0, 1.0])
    array([0.5       , 0.92767051])
    """
    beta = check_param("beta", beta)

    def body(x, o, a, b, c):
        np.multiply(x, beta, out=a)
        np.clip(a, -Z_MAX, Z_MAX, out=a)  # exactly 0 / 1 past ±800
        _logistic(a, b, c, o)
        np.multiply(a, c, out=a)
        np.add(a, b, out=o)

    return _apply(body, x, out)


# --- Softplus -------------------------------------------------------------------------


def _check_beta_positive(beta: object) -> float:
    beta = check_param("beta", beta)
    if beta <= 0:
        raise ValueError(f"beta must be greater than 0 for softplus; got {beta}")
    return beta


def softplus(
    x: ArrayLike, beta: float = 1.0, threshold: float = 20.0, *, out: np.ndarray | None = None
):
    """Softplus, a smooth ReLU, with PyTorch's linear fallback above ``threshold``.

    The math, as code, with ``z = beta * x``::

        softplus(x, beta, threshold) = x                          if z > threshold
                                       log(1 + exp(z)) / beta     otherwise

    computed as ``(max(z, 0) + log1p(exp(-|z|))) / beta``, which never overflows.

    >>> softplus([-1000.0, 0.0, 1.0, 30.0])
    array([ 0.        ,  0.69314718,  1.31326169, 30.        ])
    """
    beta = _check_beta_positive(beta)
    threshold = check_param("threshold", threshold)

    def body(x, o, a, b, c):
        np.multiply(x, beta, out=a)  # z
        np.abs(a, out=b)
        np.negative(b, out=b)
        np.exp(b, out=b)
        np.log1p(b, out=b)
        np.maximum(a, 0, out=c)
        np.add(b, c, out=b)
        np.divide(b, beta, out=o)
        np.copyto(o, x, where=a > threshold)

    return _apply(body, x, out)


def softplus_dash(
    x: ArrayLike, beta: float = 1.0, threshold: float = 20.0, *, out: np.ndarray | None = None
):
    """Derivative of :func:`softplus`: sigmoid(beta*x), and 1 above the threshold.

    >>> softplus_dash([0.0, 30.0])
    array([0.5, 1. ])
    """
    beta = _check_beta_positive(beta)
    threshold = check_param("threshold", threshold)

    def body(x, o, a, b, c):
        np.multiply(x, beta, out=a)
        _logistic(a, o, b, c)
        np.copyto(o, 1, where=a > threshold)

    return _apply(body, x, out)
