"""Activation functions and their derivatives, each pair side by side.

Every public function takes ``x`` array-like of real numbers, its parameters as
keywords with defaults, and ``out=``. Rules shared by all of them:

* the result has ``x``'s shape; a scalar in gives a numpy scalar out;
* float16/float32/float64 keep their dtype; integers and bools compute in float64;
* NaN in gives NaN out; no numpy warnings are emitted;
* bad input raises ``TypeError``/``ValueError`` saying what was expected.

This pair is the benchmarked one, so it runs through :mod:`relulab._engine`'s blocked,
threaded runner (a kernel factory for each function). The other activations are plain
numpy/SciPy expressions in :mod:`relulab.catalogue`; adding one is a function pair there
with its record beside it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from relulab._engine import (
    Kernel,
    as_real_array,
    check_param,
    elementwise,
    param_in_dtype,
)

__all__ = ["relu", "relu_dash"]


# --- ReLU and Leaky ReLU --------------------------------------------------------


def relu(x: ArrayLike, leak: float = 0.0, *, out: np.ndarray | None = None):
    """ReLU, or Leaky ReLU when ``leak`` is not 0.

    The math, as code::

        relu(x, leak) = x         if x > 0
                        leak * x  if x <= 0

    With ``leak=0`` this is plain ReLU, ``max(x, 0)``.

    Parameters
    ----------
    x : array_like of real numbers
        Any shape, or a scalar.
    leak : float, default 0
        Slope for ``x <= 0``. Any finite real number (0.01 in PyTorch and JAX,
        0.2 in ``tf.nn.leaky_relu``).
    out : ndarray, optional
        Array of the result's dtype and shape to write into; it is returned.

    Returns
    -------
    ndarray or numpy scalar
        Same shape as ``x``; float dtype of ``x`` (float64 for integer input).

    Raises
    ------
    TypeError, ValueError
        For a ``leak`` that is not a finite real number, an ``x`` that is not an
        array of real numbers, or an ``out`` of the wrong dtype or shape.

    Notes
    -----
    Unlike ``np.where(x <= 0, leak * x, x)``, ``relu(-inf) == 0`` (not ``0 * -inf``,
    which is NaN), negative inputs give ``0.0`` rather than ``-0.0`` when ``leak``
    is 0, and memory is streamed once.

    Examples
    --------
    The article's first example (no leak):

    >>> import numpy as np
    >>> x = np.array([[0.11], [-2.2], [0], [50.2], [33.5], [-0.6]])
    >>> relu(x)
    array([[ 0.11],
           [ 0.  ],
           [ 0.  ],
           [50.2 ],
           [33.5 ],
           [ 0.  ]])

    The second example, with ``leak = 0.1``:

    >>> x = np.array([[-0.5], [0], [1], [2], [3], [4.5]])
    >>> relu(x, leak=0.1)
    array([[-0.05],
           [ 0.  ],
           [ 1.  ],
           [ 2.  ],
           [ 3.  ],
           [ 4.5 ]])

    Scalars and special values:

    >>> relu(-2.0), relu(3), relu(-np.inf), relu(-np.inf, 0.1)
    (np.float64(0.0), np.float64(3.0), np.float64(0.0), np.float64(-inf))
    """
    leak = check_param("leak", leak)
    arr, fresh = as_real_array(x)
    lk = param_in_dtype("leak", leak, arr.dtype)
    if leak != 0 and abs(leak) < np.finfo(arr.dtype).tiny:
        # Below the dtype's smallest normal number the leak would keep few of its digits
        # (or none): the product is taken in float64 instead and rounded once into it.
        lk = np.float64(leak)

    def factory(dtype: np.dtype, n: int) -> Kernel:
        if lk == 0:
            zeros = np.zeros(n, dtype)

            def kernel(x: np.ndarray, out: np.ndarray) -> None:
                np.maximum(x, zeros[: x.size], out=out)  # +0.0 for x <= 0, NaN kept

            return kernel

        # For leak <= 1, x >= leak*x exactly when x >= 0 (rounding keeps the order),
        # so the larger of the two is relu; for leak > 1 it is the smaller.
        pick = np.maximum if lk <= 1 else np.minimum
        scratch = np.empty(n, dtype)

        def kernel(x: np.ndarray, out: np.ndarray) -> None:
            t = scratch[: x.size]
            # same_kind: a leak kept in float64 (above) rounds its product back once.
            np.multiply(x, lk, out=t, casting="same_kind")
            pick(x, t, out=out)

        return kernel

    return elementwise(factory, arr, fresh, out)


def relu_dash(x: ArrayLike, leak: float = 0.0, *, out: np.ndarray | None = None):
    """Derivative of :func:`relu` with respect to ``x``.

    The math, as code::

        relu_dash(x, leak) = 1     if x > 0
                             leak  if x <= 0     (so leak at exactly 0)
                             nan   if x is nan

    The value at the kink ``x = 0`` is ``leak``, as in the article, PyTorch and
    TensorFlow (JAX uses 1). Parameters, returns and errors as for :func:`relu`;
    the result is always floating point.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[0.11], [-2.2], [0], [50.2], [33.5], [-0.6]])
    >>> relu_dash(x)
    array([[1.],
           [0.],
           [0.],
           [1.],
           [1.],
           [0.]])
    >>> x = np.array([[-0.5], [0], [1], [2], [3], [4.5]])
    >>> relu_dash(x, leak=0.1)
    array([[0.1],
           [0.1],
           [1. ],
           [1. ],
           [1. ],
           [1. ]])
    >>> relu_dash(0.0, 0.1), relu_dash(np.nan)
    (np.float64(0.1), np.float64(nan))
    """
    leak = check_param("leak", leak)
    arr, fresh = as_real_array(x)
    lk = param_in_dtype("leak", leak, arr.dtype)

    def factory(dtype: np.dtype, n: int) -> Kernel:
        ones = np.ones(n, dtype)
        if 0 <= lk <= 1:
            leaks = np.full(n, lk, dtype)

            def kernel(x: np.ndarray, out: np.ndarray) -> None:
                m = x.size
                np.ceil(x, out=out)  # >= 1 if x > 0 (even subnormal), <= 0 if x <= 0
                np.minimum(out, ones[:m], out=out)  # 1 where x > 0
                np.maximum(out, leaks[:m], out=out)  # leak where x <= 0; NaN kept

            return kernel

        zeros = np.zeros(n, dtype)
        scratch = np.empty(n, dtype)

        def kernel(x: np.ndarray, out: np.ndarray) -> None:
            m = x.size
            t = scratch[:m]
            np.ceil(x, out=out)
            np.minimum(out, ones[:m], out=out)
            np.maximum(out, zeros[:m], out=out)  # step: 1 if x > 0, 0 if x <= 0, NaN
            np.subtract(ones[:m], out, out=t)
            np.multiply(t, lk, out=t)
            np.add(out, t, out=out)  # step + (1 - step) * leak: exact 1 and exact leak

        return kernel

    return elementwise(factory, arr, fresh, out)
