"""Beyond the article: the next lessons' activations, each with its derivative beside it.

Same rules as :mod:`relulab.activations`: ``x`` array-like of real numbers, any shape;
float16/32/64 kept, integers and bools in float64; NaN in gives NaN out; no numpy
warnings; ``out=``; bad parameters raise naming the parameter.

Each function is its formula in numpy and SciPy, in the form that stays accurate (each
says which and why): the page evaluates a few hundred points per move, so plain
whole-array expressions are fast enough, and only :func:`relulab.relu` and
:func:`relulab.relu_dash` (the benchmarked pair) run through :mod:`relulab._engine`'s
blocked, threaded path. For |x| up to 1e4 (and ±inf) there is no overflow to NaN and no
cancellation: where ``x = ±inf`` would meet a weight that underflows to 0, x is first
clipped to a bound past which the float64 result no longer changes, and near the zeros
of GELU′, GELU-tanh′, SiLU′ and Mish′, where f′'s terms cancel, f′ is its Taylor series
(:data:`ROOT_SERIES`). Softplus's switch to x tests the float64 product ``beta * x``, as
PyTorch (in float64) and every printed line do, so the jump is where theirs is.

float16 and float32 input is computed in float64 and rounded once, so every function
and derivative here is within 1 ulp of the exact value in those dtypes, subnormal
results and the underflow range included (``tests/test_accuracy.py`` holds them to
mpmath). That costs a float64 copy of the input: nothing at a chart's few hundred
points.

SciPy is imported on first use, so ``import relulab`` (all the article's page needs)
stays numpy only.

At a kink the derivative takes PyTorch's value: the ``x <= 0`` branch at 0 for the
ReLU family, PReLU, ELU (alpha != 1) and SELU, as the article does; ReLU6's 0 at both
its kinks and hard-swish's outer pieces (0 at -3, 1 at 3), where every framework agrees.

Each function pair has its record (:class:`relulab.record.Activation`) beside it: its
sliders, formulas, code lines and kinks. :data:`RECORDS` lists them in the picker's order
and :data:`relulab.registry.REGISTRY` gathers them, ReLU's and Leaky ReLU's included.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from relulab._engine import as_real_array, check_out, check_param
from relulab.activations import relu, relu_dash
from relulab.record import Activation, Kink, Param

__all__ = [
    "SELU_ALPHA",
    "SELU_LAMBDA",
    "elu",
    "elu_dash",
    "gelu",
    "gelu_dash",
    "gelu_tanh",
    "gelu_tanh_dash",
    "hardswish",
    "hardswish_dash",
    "mish",
    "mish_dash",
    "prelu",
    "prelu_da",
    "prelu_dash",
    "relu6",
    "relu6_dash",
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

INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)
GELU_TANH_C = math.sqrt(2 / math.pi)  # the tanh approximation's sqrt(2/pi)
GELU_TANH_K = 0.044715
Z_MAX = 800.0  # exp(-800) is 0 in float64 (and float32): past it sigmoid is exactly 0 or 1

# Where f′ crosses zero, x0 = x0_hi + x0_lo, and f′(x0 + t) = c1 t + ... + c6 t**6
# there: (x0_hi, x0_lo, (c1, ..., c6)), from mpmath by scripts/make_root_series.py.
# SiLU's is in z = beta * x. Within ROOT_RADIUS of x0 the series' remainder is below
# 1e-19 of f′; past it, float64's own formula has lost at most a factor 1e4 of its
# 1e-16, still far below float32's half ulp (3e-8).
ROOT_SERIES = {
    "gelu": (
        -0.7517915246935645,
        1.4956759177009883e-17,
        (
            0.4314939923140469,
            0.388284982990552,
            -0.018199676398671087,
            -0.1140082332972217,
            -0.014771522148244337,
            0.019421679838189067,
        ),
    ),
    "gelu_tanh": (
        -0.7524614220710163,
        3.635560509207687e-17,
        (
            0.4304000910248585,
            0.38751844613578895,
            -0.01578285352184803,
            -0.11394448308095899,
            -0.01661932834305256,
            0.019682309459833118,
        ),
    ),
    "silu": (
        -1.2784645427610737,
        -1.0946994183093437e-16,
        (
            0.2178117057198001,
            0.1466487969969469,
            0.018874814223782312,
            -0.015222655223188032,
            -0.006606589138356696,
            0.000126627410081122,
        ),
    ),
    "mish": (
        -1.1924312145154952,
        -4.8484829848031044e-17,
        (
            0.2669479140495345,
            0.20473126408010586,
            0.04190782104360987,
            -0.020271822716684245,
            -0.01582112656173338,
            -0.0033606849270232685,
        ),
    ),
}
ROOT_RADIUS = 2.0**-12


def _special():
    """``scipy.special``, imported on first use: see the module docstring."""
    import scipy.special

    return scipy.special


def _two_prod(a: float, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``a * b`` as ``p + e``: p the float64 product, e its rounding error, exactly
    (Dekker's product, each factor split into halves whose products are exact). e is
    0 where b is too large to split (|b| > 1e300) or not finite."""

    def split(v):
        c = 134217729.0 * v  # 2**27 + 1
        hi = c - (c - v)
        return hi, v - hi

    with np.errstate(over="ignore", invalid="ignore"):
        p = a * b
        (ah, al), (bh, bl) = split(np.float64(a)), split(b)
        e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    return p, np.where(np.isfinite(e), e, 0.0)


def _near_zero_of_dash(key: str, fd: np.ndarray, t_hi: np.ndarray, t_lo=0.0) -> np.ndarray:
    """``fd`` (f′ in float64) with the points within :data:`ROOT_RADIUS` of f′'s zero
    replaced by its Taylor series there. The variable is ``t_hi + t_lo`` (x, or SiLU's
    exact ``beta * x``); ``t_hi - x0_hi`` is exact so near x0 (Sterbenz's lemma)."""
    x0_hi, x0_lo, coeffs = ROOT_SERIES[key]
    t = (t_hi - x0_hi) + (t_lo - x0_lo)
    near = np.abs(t) < ROOT_RADIUS  # NaN is not near
    if near.any():
        fd = np.array(fd, dtype=np.float64)  # a writable copy
        fd[near] = np.polynomial.polynomial.polyval(t[near], (0.0, *coeffs))
    return fd


def _elementwise(compute: Callable[[np.ndarray], np.ndarray], x: ArrayLike, out: np.ndarray | None):
    """``compute(x)`` under the library's rules for ``x``, the result and ``out``.

    ``compute`` gets ``x`` as a float64 array (longdouble as it is) and may return a
    new array; the result is rounded once to ``x``'s dtype. For float16 and float32
    input, float64's error (a few units in 1e-16, relative) is far below half their
    last place, so the result is within 1 ulp of the exact value, subnormal results and
    the underflow range included. A scalar in gives a numpy scalar out.
    """
    arr, _ = as_real_array(x)
    work = arr if arr.dtype.itemsize > 8 else arr.astype(np.float64, copy=False)
    # An intermediate that overflows to ±inf is the right limit (cosh(800) = inf gives
    # sech² = 0); invalid operations stay errors, so a stray inf * 0 shows in the tests.
    with np.errstate(over="ignore"):
        result = np.asarray(compute(work)).astype(arr.dtype, copy=False)
    if out is None:
        return result[()] if result.ndim == 0 else result
    np.copyto(check_out(out, arr.shape, arr.dtype), result)
    return out


# --- sigmoid and tanh ---------------------------------------------------------------


def sigmoid(x: ArrayLike, *, out: np.ndarray | None = None):
    """The logistic sigmoid (SciPy's ``expit``), with this library's input rules.

    The math, as code::

        sigmoid(x) = 1 / (1 + exp(-x))

    Examples
    --------
    >>> import numpy as np
    >>> sigmoid(np.array([-np.inf, -1000.0, 0.0, 2.0, np.inf]))
    array([0.        , 0.        , 0.5       , 0.88079708, 1.        ])
    """
    expit = _special().expit
    return _elementwise(expit, x, out)


def sigmoid_dash(x: ArrayLike, *, out: np.ndarray | None = None):
    """Derivative of :func:`sigmoid`.

    The math, as code::

        sigmoid_dash(x) = sigmoid(x) * (1 - sigmoid(x))
                        = sigmoid(x) * sigmoid(-x)      (the form used)

    ``1 - sigmoid(x)`` rounds to 0 for x past about 37, losing the tail; ``sigmoid(-x)``
    is the same number computed without the subtraction.

    >>> sigmoid_dash(0.0), sigmoid_dash(-1000.0)
    (np.float64(0.25), np.float64(0.0))
    """
    expit = _special().expit
    return _elementwise(lambda x: expit(x) * expit(-x), x, out)


def tanh(x: ArrayLike, *, out: np.ndarray | None = None):
    """The hyperbolic tangent (numpy's), with this library's input rules.

    The math, as code::

        tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x))

    >>> tanh(0.0), tanh(float("inf"))
    (np.float64(0.0), np.float64(1.0))
    """
    return _elementwise(np.tanh, x, out)


def tanh_dash(x: ArrayLike, *, out: np.ndarray | None = None):
    """Derivative of :func:`tanh`.

    The math, as code, with ``t = exp(-2 * abs(x))``::

        tanh_dash(x) = 1 - tanh(x)**2 = 1 / cosh(x)**2 = 4 * t / (1 + t)**2   (the form used)

    >>> tanh_dash(0.0), tanh_dash(1e4)
    (np.float64(1.0), np.float64(0.0))
    """

    def compute(x):
        t = np.exp(-2 * np.abs(x))  # in (0, 1]: no overflow, no cancellation
        return 4 * t / (1 + t) ** 2

    return _elementwise(compute, x, out)


SIGMOID = Activation(
    key="sigmoid",
    name="Sigmoid",
    fn=sigmoid,
    deriv=sigmoid_dash,
    latex=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
    latex_deriv=r"\sigma'(x) = \sigma(x)\,(1 - \sigma(x))",
    code={
        "PyTorch": "torch.sigmoid(x)",
        "TensorFlow": "tf.math.sigmoid(x)",
        "Keras": "keras.activations.sigmoid(x)",
        "JAX": "jax.nn.sigmoid(x)",
        "numpy (relulab)": "relulab.sigmoid(x)",
    },
    kink="No kink.",
)


TANH = Activation(
    key="tanh",
    name="tanh",
    fn=tanh,
    deriv=tanh_dash,
    latex=r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
    latex_deriv=r"\tanh'(x) = 1 - \tanh^{2}(x)",
    code={
        "PyTorch": "torch.tanh(x)",
        "TensorFlow": "tf.math.tanh(x)",
        "Keras": "keras.activations.tanh(x)",
        "JAX": "jnp.tanh(x)",
        "numpy (relulab)": "relulab.tanh(x)",
    },
    kink="No kink.",
)


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
    return _elementwise(lambda x: np.minimum(x, 0.0), x, out)


LEAK = Param(
    name="leak",
    label="leak (slope for x ≤ 0)",
    default=0.1,
    min=0.0,
    max=1.0,
    step=0.01,
    help="0 gives plain ReLU. PyTorch and JAX default to 0.01, tf.nn.leaky_relu to 0.2.",
)

# ReLU's lines; Leaky ReLU's too at leak 0, where every library's relu says it plainer.
RELU_CODE = {
    "PyTorch": "torch.nn.functional.relu(x)",
    "TensorFlow": "tf.nn.relu(x)",
    "Keras": "keras.activations.relu(x)",
    "JAX": "jax.nn.relu(x)",
    "numpy (relulab)": "relulab.relu(x)",
}

RELU = Activation(
    key="relu",
    name="ReLU",
    fn=relu,
    deriv=relu_dash,
    latex=r"\mathrm{ReLU}(x) = \begin{cases} x & x > 0 \\ 0 & x \le 0 \end{cases}",
    latex_deriv=(r"\mathrm{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}"),
    code=RELU_CODE,
    fixed={"leak": 0.0},
    kink="At x = 0 the derivative is taken as 0 (article, PyTorch, TensorFlow, JAX).",
    kinks=(Kink(0.0),),
)


LEAKY_RELU = Activation(
    key="leaky_relu",
    name="Leaky ReLU",
    fn=relu,
    deriv=relu_dash,
    latex=(
        r"\mathrm{LeakyReLU}(x) = \begin{cases} x & x > 0 \\"
        r" \mathrm{leak}\cdot x & x \le 0 \end{cases}"
    ),
    latex_deriv=(
        r"\mathrm{LeakyReLU}'(x) = \begin{cases} 1 & x > 0 \\"
        r" \mathrm{leak} & x \le 0 \end{cases}"
    ),
    code={
        "PyTorch": "torch.nn.functional.leaky_relu(x, negative_slope={leak})",
        "TensorFlow": "tf.nn.leaky_relu(x, alpha={leak})",
        "Keras": "keras.activations.leaky_relu(x, negative_slope={leak})",
        "JAX": "jax.nn.leaky_relu(x, negative_slope={leak})",
        "numpy (relulab)": "relulab.relu(x, leak={leak})",
    },
    code_when=(({"leak": 0.0}, RELU_CODE),),
    params=(LEAK,),
    kink="At x = 0 the derivative is taken as leak (article, PyTorch, TensorFlow;"
    " JAX: 1, or 0 at leak 0, where its line is jax.nn.relu).",
    # jax.nn.leaky_relu is jnp.where(x >= 0, x, negative_slope * x): at 0 jax.grad
    # follows the x >= 0 branch, so 1 whatever the slope. At leak 0 the line
    # printed is jax.nn.relu(x) (code_when), whose custom JVP gives 0 at 0.
    kinks=(Kink(0.0, by={"JAX": lambda leak: 0.0 if leak == 0 else 1.0}),),
)


PRELU = Activation(
    key="prelu",
    name="PReLU",
    fn=prelu,
    deriv=prelu_dash,
    latex=r"\mathrm{PReLU}(x) = \begin{cases} x & x > 0 \\ a\,x & x \le 0 \end{cases}",
    latex_deriv=(
        r"\frac{\partial f}{\partial x} = \begin{cases} 1 & x > 0 \\ a & x \le 0"
        r" \end{cases},\quad \frac{\partial f}{\partial a} = \begin{cases} 0 & x > 0"
        r" \\ x & x \le 0 \end{cases}"
    ),
    code={
        "PyTorch": "torch.nn.PReLU(init={a})  # a layer: its slope is learned",
        "TensorFlow": ("tf.keras.layers.PReLU(alpha_initializer=tf.constant_initializer({a}))"),
        "Keras": "keras.layers.PReLU(alpha_initializer=keras.initializers.Constant({a}))",
        # JAX has none. Written with x > 0, so jax.grad takes a at 0 (as PyTorch).
        "JAX": "jnp.where(x > 0, x, a * x)  # no built-in; a = {a}, a learned parameter",
        "numpy (relulab)": "relulab.prelu(x, a={a})",
    },
    params=(
        Param(
            "a",
            "a (learned slope for x ≤ 0)",
            0.25,
            0.0,
            1.0,
            0.01,
            "A weight the network learns; PyTorch's nn.PReLU starts it at 0.25.",
        ),
    ),
    kink="At x = 0, ∂f/∂x is taken as a and ∂f/∂a as 0 (PyTorch, and JAX's line);"
    " TensorFlow's and Keras' PReLU layers give ∂f/∂x = 0 there.",
    # Keras' PReLU (also tf.keras') is relu(x) - alpha * relu(-x), and relu's
    # gradient at 0 is 0 on every backend: so 0 at 0, whatever alpha (1 too).
    kinks=(Kink(0.0, by={"TensorFlow": lambda a: 0.0, "Keras": lambda a: 0.0}),),
    param_grads={"a": prelu_da},
)


# --- ELU and SELU -------------------------------------------------------------------


def _elu(x: np.ndarray, alpha: float, scale: float) -> np.ndarray:
    # expm1 of min(x, 0): exp never sees a large argument, and it is accurate near 0.
    return np.where(x > 0, scale * x, (alpha * scale) * np.expm1(np.minimum(x, 0.0)))


def _elu_dash(x: np.ndarray, alpha: float, scale: float) -> np.ndarray:
    # The x <= 0 branch at 0: alpha * scale there.
    return np.where(x > 0, scale, (alpha * scale) * np.exp(np.minimum(x, 0.0)))


def elu(x: ArrayLike, alpha: float = 1.0, *, out: np.ndarray | None = None):
    """ELU, the exponential linear unit (Clevert et al., 2015).

    The math, as code::

        elu(x, alpha) = x                       if x > 0
                        alpha * (exp(x) - 1)    if x <= 0

    >>> import numpy as np
    >>> elu(np.array([-np.inf, -1.0, 0.0, 2.0]))
    array([-1.        , -0.63212056,  0.        ,  2.        ])
    """
    alpha = check_param("alpha", alpha)
    return _elementwise(lambda x: _elu(x, alpha, 1.0), x, out)


def elu_dash(x: ArrayLike, alpha: float = 1.0, *, out: np.ndarray | None = None):
    """Derivative of :func:`elu`: 1 if x > 0 else alpha * exp(x), so alpha at 0
    (PyTorch's convention; for alpha = 1 there is no kink).

    >>> elu_dash([-1.0, 0.0, 2.0], alpha=0.5)
    array([0.18393972, 0.5       , 1.        ])
    """
    alpha = check_param("alpha", alpha)
    return _elementwise(lambda x: _elu_dash(x, alpha, 1.0), x, out)


def selu(x: ArrayLike, *, out: np.ndarray | None = None):
    """SELU, the scaled ELU (Klambauer et al., 2017), with its fixed constants.

    The math, as code::

        selu(x) = LAMBDA * x                      if x > 0
                  LAMBDA * ALPHA * (exp(x) - 1)   if x <= 0

    with ``ALPHA = 1.6732632423543772…`` and ``LAMBDA = 1.0507009873554804…``.

    >>> selu([-1.0, 0.0, 1.0])
    array([-1.11133074,  0.        ,  1.05070099])
    """
    return _elementwise(lambda x: _elu(x, SELU_ALPHA, SELU_LAMBDA), x, out)


def selu_dash(x: ArrayLike, *, out: np.ndarray | None = None):
    """Derivative of :func:`selu`: LAMBDA if x > 0 else LAMBDA*ALPHA*exp(x), so
    LAMBDA*ALPHA ≈ 1.7581 at 0 (PyTorch's value; the record says each library's).

    >>> selu_dash([0.0, 1.0])
    array([1.75809934, 1.05070099])
    """
    return _elementwise(lambda x: _elu_dash(x, SELU_ALPHA, SELU_LAMBDA), x, out)


ELU = Activation(
    key="elu",
    name="ELU",
    fn=elu,
    deriv=elu_dash,
    latex=(
        r"\mathrm{ELU}(x) = \begin{cases} x & x > 0 \\"
        r" \alpha\,(e^{x} - 1) & x \le 0 \end{cases}"
    ),
    latex_deriv=(
        r"\mathrm{ELU}'(x) = \begin{cases} 1 & x > 0 \\ \alpha\,e^{x} & x \le 0"
        r" \end{cases}"
    ),
    code={
        "PyTorch": "torch.nn.functional.elu(x, alpha={alpha})",
        "TensorFlow": "tf.keras.activations.elu(x, alpha={alpha})",  # tf.nn.elu: no alpha
        "Keras": "keras.activations.elu(x, alpha={alpha})",
        "JAX": "jax.nn.elu(x, alpha={alpha})",
        "numpy (relulab)": "relulab.elu(x, alpha={alpha})",
    },
    code_when=(({"alpha": 1.0}, {"TensorFlow": "tf.nn.elu(x)"}),),
    params=(
        Param(
            "alpha",
            "α (value approached as x → −∞ is −α)",
            1.0,
            0.0,
            3.0,
            0.05,
            "PyTorch, TensorFlow, Keras and JAX all default to 1.",
        ),
    ),
    kink="For α ≠ 1, f′ jumps at 0; it is taken as α there (PyTorch).",
    kinks=(Kink(0.0),),
)


SELU = Activation(
    key="selu",
    name="SELU",
    fn=selu,
    deriv=selu_dash,
    latex=(
        r"\mathrm{SELU}(x) = \lambda \begin{cases} x & x > 0 \\"
        r" \alpha\,(e^{x} - 1) & x \le 0 \end{cases}"
    ),
    latex_deriv=(
        r"\mathrm{SELU}'(x) = \lambda \begin{cases} 1 & x > 0 \\ \alpha\,e^{x} & x \le 0"
        r" \end{cases},\quad \alpha \approx 1.6733,\ \lambda \approx 1.0507"
    ),
    code={
        "PyTorch": "torch.nn.functional.selu(x)",
        "TensorFlow": "tf.nn.selu(x)",
        "Keras": "keras.activations.selu(x)",
        "JAX": "jax.nn.selu(x)",
        "numpy (relulab)": "relulab.selu(x)",
    },
    kink="f′ jumps at 0: taken as λα ≈ 1.7581 (PyTorch, JAX); TensorFlow gives λ ≈ 1.0507.",
    # TensorFlow's SeluGrad tests features < 0, so at 0 it takes the x > 0 side.
    kinks=(
        Kink(
            0.0,
            by={"TensorFlow": lambda: SELU_LAMBDA, "Keras": lambda: SELU_LAMBDA},
        ),
    ),
)


# --- GELU, exact and tanh-approximated ---------------------------------------------


def gelu(x: ArrayLike, *, out: np.ndarray | None = None):
    """GELU, exact form: x times the standard normal CDF (Hendrycks & Gimpel, 2016).

    The math, as code::

        gelu(x) = 0.5 * x * (1 + erf(x / sqrt(2))) = x * Phi(x)

    computed as ``x * scipy.special.ndtr(x)``, Phi without the cancellation of
    ``1 + erf(...)`` for negative x.

    >>> gelu([-1.0, 0.0, 1.0])
    array([-0.15865525,  0.        ,  0.84134475])
    """
    ndtr = _special().ndtr

    def compute(x):
        x = np.maximum(x, -40.0)  # x * Phi(x) is 0 in float64 below -40; avoids -inf * 0
        return x * ndtr(x)

    return _elementwise(compute, x, out)


def gelu_dash(x: ArrayLike, *, out: np.ndarray | None = None):
    """Derivative of :func:`gelu`.

    The math, as code::

        gelu_dash(x) = Phi(x) + x * phi(x)
                     = Phi(x) + x * exp(-x**2 / 2) / sqrt(2 * pi)

    >>> gelu_dash([0.0, 1.0])
    array([0.5       , 1.08331547])
    """
    ndtr = _special().ndtr

    def compute(x):
        c = np.clip(x, -40.0, 40.0)  # exactly 0 / 1 past ±40; avoids ±inf * 0
        return _near_zero_of_dash("gelu", ndtr(c) + c * np.exp(-0.5 * c * c) * INV_SQRT_2PI, x)

    return _elementwise(compute, x, out)


def _gelu_tanh_z(x: np.ndarray) -> np.ndarray:
    """z = 2 * sqrt(2/pi) * (x + 0.044715 x**3), so that 0.5*(1 + tanh(z/2)) = sigmoid(z)."""
    return 2 * GELU_TANH_C * x * (1 + GELU_TANH_K * x * x)


def gelu_tanh(x: ArrayLike, *, out: np.ndarray | None = None):
    """GELU, tanh approximation: PyTorch's ``gelu(approximate='tanh')``, JAX's default.

    The math, as code::

        gelu_tanh(x) = 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x**3)))

    computed as ``x * sigmoid(2 * sqrt(2/pi) * (x + 0.044715 * x**3))``, the same value
    without the cancellation of ``1 + tanh(...)`` for negative x.

    >>> gelu_tanh([-1.0, 0.0, 1.0])
    array([-0.15880801,  0.        ,  0.84119199])
    """
    expit = _special().expit

    def compute(x):
        x = np.maximum(x, -50.0)  # 0 in float64 below -50; avoids -inf * 0
        return x * expit(_gelu_tanh_z(x))

    return _elementwise(compute, x, out)


def gelu_tanh_dash(x: ArrayLike, *, out: np.ndarray | None = None):
    """Derivative of :func:`gelu_tanh`.

    The math, as code, with ``z = 2*sqrt(2/pi)*(x + 0.044715*x**3)``::

        gelu_tanh_dash(x) = sigmoid(z) + x * sigmoid'(z) * dz/dx
        dz/dx = 2 * sqrt(2/pi) * (1 + 3 * 0.044715 * x**2)

    >>> gelu_tanh_dash([0.0, 1.0])
    array([0.5       , 1.08296408])
    """
    expit = _special().expit

    def compute(x):
        c = np.clip(x, -50.0, 50.0)  # exactly 0 / 1 past ±50
        z = _gelu_tanh_z(c)
        dz = 2 * GELU_TANH_C * (1 + 3 * GELU_TANH_K * c * c)
        return _near_zero_of_dash("gelu_tanh", expit(z) + c * (expit(z) * expit(-z)) * dz, x)

    return _elementwise(compute, x, out)


GELU = Activation(
    key="gelu",
    name="GELU (exact)",
    fn=gelu,
    deriv=gelu_dash,
    latex=r"\mathrm{GELU}(x) = x\,\Phi(x) = \tfrac{x}{2}\left(1 + \operatorname{erf}"
    r"\tfrac{x}{\sqrt 2}\right)",
    latex_deriv=r"\mathrm{GELU}'(x) = \Phi(x) + x\,\varphi(x)",
    code={
        "PyTorch": "torch.nn.functional.gelu(x)",
        "TensorFlow": "tf.nn.gelu(x, approximate=False)",
        "Keras": "keras.activations.gelu(x, approximate=False)",
        "JAX": "jax.nn.gelu(x, approximate=False)",
        "numpy (relulab)": "relulab.gelu(x)",
    },
    kink="No kink. PyTorch's and TensorFlow's default; JAX defaults to the tanh form.",
)


GELU_TANH = Activation(
    key="gelu_tanh",
    name="GELU (tanh approximation)",
    fn=gelu_tanh,
    deriv=gelu_tanh_dash,
    latex=r"\mathrm{GELU}_{\tanh}(x) = \tfrac{x}{2}\left(1 + \tanh\!\left("
    r"\sqrt{2/\pi}\,(x + 0.044715\,x^{3})\right)\right)",
    latex_deriv=r"\mathrm{GELU}_{\tanh}'(x) = \tfrac{d}{dx}\,\mathrm{GELU}_{\tanh}(x)",
    code={
        "PyTorch": 'torch.nn.functional.gelu(x, approximate="tanh")',
        "TensorFlow": "tf.nn.gelu(x, approximate=True)",
        "Keras": "keras.activations.gelu(x, approximate=True)",
        "JAX": "jax.nn.gelu(x, approximate=True)",
        "numpy (relulab)": "relulab.gelu_tanh(x)",
    },
    kink="No kink. jax.nn.gelu's default; PyTorch with approximate='tanh'.",
)


# --- SiLU / Swish -------------------------------------------------------------------


def silu(x: ArrayLike, beta: float = 1.0, *, out: np.ndarray | None = None):
    """SiLU (beta = 1), or Swish with a slope ``beta`` (Ramachandran et al., 2017).

    The math, as code::

        silu(x, beta) = x * sigmoid(beta * x)

    >>> silu([-1.0, 0.0, 1.0])
    array([-0.26894142,  0.        ,  0.73105858])
    """
    beta = check_param("beta", beta)
    expit = _special().expit

    def compute(x):
        if beta == 0:
            return 0.5 * x  # sigmoid(0); beta * x would make 0 * inf = NaN
        # On the side where sigmoid(beta * x) is exactly 0, clip x: avoids -inf * 0.
        x = np.maximum(x, -Z_MAX / beta) if beta > 0 else np.minimum(x, Z_MAX / -beta)
        return x * expit(beta * x)

    return _elementwise(compute, x, out)


def silu_dash(x: ArrayLike, beta: float = 1.0, *, out: np.ndarray | None = None):
    """Derivative of :func:`silu` with respect to ``x``.

    The math, as code, with ``z = beta * x``::

        silu_dash(x, beta) = sigmoid(z) + z * sigmoid(z) * (1 - sigmoid(z))

    >>> silu_dash([0.0, 1.0])
    array([0.5       , 0.92767051])
    """
    beta = check_param("beta", beta)
    expit = _special().expit

    def compute(x):
        if beta == 0:
            return np.where(np.isnan(x), x, 0.5)  # sigmoid(0); 0 * inf would be NaN
        z = np.clip(beta * x, -Z_MAX, Z_MAX)  # exactly 0 / 1 past ±800; avoids ±inf * 0
        fd = expit(z) + z * (expit(z) * expit(-z))
        # Near f′'s zero the distance to it is taken from the exact beta * x.
        near = np.flatnonzero(np.abs(z - ROOT_SERIES["silu"][0]) < 2 * ROOT_RADIUS)
        if near.size:
            fd[near] = _near_zero_of_dash("silu", fd[near], *_two_prod(beta, x[near]))
        return fd

    return _elementwise(compute, x, out)


SILU = Activation(
    key="silu",
    name="SiLU / Swish",
    fn=silu,
    deriv=silu_dash,
    latex=r"\mathrm{SiLU}(x) = x\,\sigma(\beta x)",
    latex_deriv=(
        r"\mathrm{SiLU}'(x) = \sigma(\beta x)\left(1 + \beta x\,"
        r"(1 - \sigma(\beta x))\right)"
    ),
    # Only TensorFlow's silu takes a beta; elsewhere Swish is written out.
    code={
        "PyTorch": "x * torch.sigmoid({beta} * x)",
        "TensorFlow": "tf.nn.silu(x, beta={beta})",
        "Keras": "x * keras.ops.sigmoid({beta} * x)",
        "JAX": "x * jax.nn.sigmoid({beta} * x)",
        "numpy (relulab)": "relulab.silu(x, beta={beta})",
    },
    code_when=(
        (
            {"beta": 1.0},
            {
                "PyTorch": "torch.nn.functional.silu(x)",
                "TensorFlow": "tf.nn.silu(x)",
                "Keras": "keras.activations.silu(x)",
                "JAX": "jax.nn.silu(x)",
                "numpy (relulab)": "relulab.silu(x)",
            },
        ),
    ),
    params=(
        Param(
            "beta",
            "β (Swish slope; 1 is SiLU)",
            1.0,
            0.1,
            5.0,
            0.1,
            "SiLU is β = 1; Swish learns or sets β.",
        ),
    ),
    kink="No kink.",
)


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

    computed as ``-log_expit(-z) / beta`` (SciPy's ``log(sigmoid(.))``), which never
    overflows and keeps the negative tail (numpy's ``logaddexp(0, z)`` is as accurate but
    warns on NaN).

    >>> softplus([-1000.0, 0.0, 1.0, 30.0])
    array([ 0.        ,  0.69314718,  1.31326169, 30.        ])
    """
    beta = _check_beta_positive(beta)
    threshold = check_param("threshold", threshold)

    log_expit = _special().log_expit

    def compute(x):
        z = beta * x
        return np.where(z > threshold, x, -log_expit(-z) / beta)

    return _elementwise(compute, x, out)


def softplus_dash(
    x: ArrayLike, beta: float = 1.0, threshold: float = 20.0, *, out: np.ndarray | None = None
):
    """Derivative of :func:`softplus`: sigmoid(beta*x), and 1 above the threshold.

    >>> softplus_dash([0.0, 30.0])
    array([0.5, 1. ])
    """
    beta = _check_beta_positive(beta)
    threshold = check_param("threshold", threshold)
    expit = _special().expit

    def compute(x):
        z = beta * x
        return np.where(z > threshold, 1.0, expit(z))

    return _elementwise(compute, x, out)


# Softplus's note where its short line stands for PyTorch's threshold=20 (see the record).
_T20 = "  # = PyTorch's threshold=20 to 1.1e-10, relative"
SOFTPLUS = Activation(
    key="softplus",
    name="Softplus",
    fn=softplus,
    deriv=softplus_dash,
    latex=r"\mathrm{Softplus}(x) = \tfrac{1}{\beta}\log\left(1 + e^{\beta x}\right)",
    latex_deriv=r"\mathrm{Softplus}'(x) = \sigma(\beta x)",
    # TensorFlow's, Keras' and JAX's softplus take neither beta nor a threshold:
    # their lines scale by beta and spell PyTorch's switch to x out with where.
    code={
        "PyTorch": "torch.nn.functional.softplus(x, beta={beta}, threshold={threshold})",
        "TensorFlow": (
            "tf.where({beta} * x > {threshold}, x, tf.math.softplus({beta} * x) / {beta})"
        ),
        "Keras": (
            "keras.ops.where({beta} * x > {threshold}, x,"
            " keras.activations.softplus({beta} * x) / {beta})"
        ),
        "JAX": ("jnp.where({beta} * x > {threshold}, x, jax.nn.softplus({beta} * x) / {beta})"),
        "numpy (relulab)": "relulab.softplus(x, beta={beta}, threshold={threshold})",
    },
    # At PyTorch's default threshold, 20, the smooth form above the switch exceeds
    # x by log1p(exp(-z)) / beta, under exp(-20) / 20 ≈ 1.03e-10 of x: below
    # float32's resolution (~6e-8), so the short line is the same function in
    # practice and far easier to read. Any other threshold is written out, since
    # at small ones the gap is plain to see (1.5 vs 1.7014 at threshold 1).
    code_when=(
        (
            {"beta": 1.0, "threshold": 20.0},
            {
                "TensorFlow": f"tf.math.softplus(x){_T20}",
                "Keras": f"keras.activations.softplus(x){_T20}",
                "JAX": f"jax.nn.softplus(x){_T20}",
            },
        ),
        (
            {"threshold": 20.0},
            {
                "TensorFlow": f"tf.math.softplus({{beta}} * x) / {{beta}}{_T20}",
                "Keras": f"keras.activations.softplus({{beta}} * x) / {{beta}}{_T20}",
                "JAX": f"jax.nn.softplus({{beta}} * x) / {{beta}}{_T20}",
            },
        ),
        (
            {"beta": 1.0},
            {
                "TensorFlow": "tf.where(x > {threshold}, x, tf.math.softplus(x))",
                "Keras": ("keras.ops.where(x > {threshold}, x, keras.activations.softplus(x))"),
                "JAX": "jnp.where(x > {threshold}, x, jax.nn.softplus(x))",
            },
        ),
    ),
    params=(
        Param(
            "beta",
            "β (sharpness)",
            1.0,
            0.1,
            5.0,
            0.1,
            "Larger β hugs ReLU more closely; PyTorch's default is 1.",
        ),
        Param(
            "threshold",
            "threshold (linear above β·x > threshold)",
            20.0,
            1.0,
            30.0,
            1.0,
            "PyTorch returns x itself where β·x > threshold (default 20).",
        ),
    ),
    kink="No kink; a jump of at most about 2e-9 (at the default) where the linear"
    " fallback starts, as in PyTorch.",
)


# --- Mish -----------------------------------------------------------------------------


def mish(x: ArrayLike, *, out: np.ndarray | None = None):
    """Mish (Misra, 2019): x times the tanh of its softplus; PyTorch's ``nn.Mish``.

    The math, as code::

        mish(x) = x * tanh(softplus(x)) = x * tanh(log(1 + exp(x)))

    with softplus computed as ``-log_expit(-x)``, which neither overflows for large x
    nor loses the negative tail (where it is about ``exp(x)``).

    >>> mish([-1.0, 0.0, 1.0])
    array([-0.30340146,  0.        ,  0.86509839])
    """
    log_expit = _special().log_expit

    def compute(x):
        x = np.maximum(x, -Z_MAX)  # tanh(softplus(x)) is exactly 0 below -800; avoids -inf * 0
        return x * np.tanh(-log_expit(-x))

    return _elementwise(compute, x, out)


def mish_dash(x: ArrayLike, *, out: np.ndarray | None = None):
    """Derivative of :func:`mish`.

    The math, as code, with ``s = softplus(x)`` (whose derivative is ``sigmoid(x)``)::

        mish_dash(x) = tanh(s) + x * sigmoid(x) * (1 - tanh(s)**2)
                     = tanh(s) + x * sigmoid(x) / cosh(s)**2     (the form used)

    >>> mish_dash([0.0, 1.0])
    array([0.6       , 1.04903622])
    """
    special = _special()

    def compute(x):
        c = np.clip(x, -Z_MAX, Z_MAX)  # exactly 0 / 1 past ±800; avoids ±inf * 0
        s = -special.log_expit(-c)
        # cosh overflows to inf for s past ~710, where the second term is 0 anyway.
        return _near_zero_of_dash("mish", np.tanh(s) + c * special.expit(c) / np.cosh(s) ** 2, x)

    return _elementwise(compute, x, out)


MISH = Activation(
    key="mish",
    name="Mish",
    fn=mish,
    deriv=mish_dash,
    latex=r"\mathrm{Mish}(x) = x\,\tanh\!\left(\ln\left(1 + e^{x}\right)\right)",
    latex_deriv=(
        r"\mathrm{Mish}'(x) = \tanh s + x\,\sigma(x)\left(1 - \tanh^{2} s\right),"
        r"\quad s = \ln\left(1 + e^{x}\right)"
    ),
    code={
        "PyTorch": "torch.nn.functional.mish(x)",  # the layer is torch.nn.Mish()
        # tf.nn has no mish; Keras's, as tf.keras, does (Keras 2.13 and later).
        "TensorFlow": "tf.keras.activations.mish(x)",
        "Keras": "keras.activations.mish(x)",
        "JAX": "jax.nn.mish(x)",  # JAX 0.4.27 and later
        "numpy (relulab)": "relulab.mish(x)",
    },
    kink="No kink. Not monotonic: a minimum of about −0.309 at x ≈ −1.19, where f′ = 0.",
)


# --- ReLU6 and hard-swish: piecewise, kinks away from 0 ------------------------------


def relu6(x: ArrayLike, *, out: np.ndarray | None = None):
    """ReLU6: ReLU capped at 6 (MobileNet's), ``torch.nn.functional.relu6``.

    The math, as code::

        relu6(x) = min(max(x, 0), 6)

    >>> relu6([-2.0, 0.0, 3.0, 6.0, 9.0])
    array([0., 0., 3., 6., 6.])
    """
    return _elementwise(lambda x: np.clip(x, 0.0, 6.0), x, out)


def relu6_dash(x: ArrayLike, *, out: np.ndarray | None = None):
    """Derivative of :func:`relu6`: 1 strictly between its kinks at 0 and 6, else 0.

    At both kinks it takes 0, as PyTorch, TensorFlow, Keras and JAX all do::

        relu6_dash(x) = 1  if 0 < x < 6
                        0  otherwise (x <= 0 or x >= 6)

    >>> relu6_dash([-1.0, 0.0, 3.0, 6.0, 7.0])
    array([0., 0., 1., 0., 0.])
    """
    # NaN compares False both ways: kept as NaN rather than taken as 0.
    return _elementwise(lambda x: np.where(np.isnan(x), x, (x > 0) & (x < 6)), x, out)


RELU6 = Activation(
    key="relu6",
    name="ReLU6",
    fn=relu6,
    deriv=relu6_dash,
    latex=r"\mathrm{ReLU6}(x) = \min(\max(x, 0), 6)",
    latex_deriv=(
        r"\mathrm{ReLU6}'(x) = \begin{cases} 1 & 0 < x < 6 \\ 0 & x \le 0"
        r" \text{ or } x \ge 6 \end{cases}"
    ),
    code={
        "PyTorch": "torch.nn.functional.relu6(x)",
        "TensorFlow": "tf.nn.relu6(x)",
        "Keras": "keras.activations.relu6(x)",
        "JAX": "jax.nn.relu6(x)",
        "numpy (relulab)": "relulab.relu6(x)",
    },
    kink="f′ jumps at 0 and at 6, and is taken as 0 at both (PyTorch, TensorFlow,"
    " Keras, and JAX 0.4.6 and later).",
    # PyTorch's relu6 is hardtanh(x, 0, 6), whose backward is 0 where x <= 0 or
    # x >= 6; TensorFlow's Relu6Grad keeps the gradient only for 0 < x < 6 (Keras
    # calls tf.nn.relu6); jax.nn.relu6's custom JVP selects (x > 0) & (x < 6).
    kinks=(Kink(0.0), Kink(6.0)),
)


def hardswish(x: ArrayLike, *, out: np.ndarray | None = None):
    """Hard-swish (Howard et al., 2019, MobileNetV3): SiLU with its sigmoid replaced
    by a piecewise-linear ``relu6(x + 3) / 6``.

    The math, as code::

        hardswish(x) = x * relu6(x + 3) / 6
                     = 0                  if x <= -3
                       x * (x + 3) / 6    if -3 < x < 3
                       x                  if x >= 3

    computed piecewise, so ``hardswish(-inf)`` is 0 rather than ``-inf * 0``.

    >>> hardswish([-4.0, -3.0, -1.5, 0.0, 3.0, 5.0])
    array([ 0.   ,  0.   , -0.375,  0.   ,  3.   ,  5.   ])
    """
    return _elementwise(
        lambda x: np.where(x <= -3, 0.0, np.where(x >= 3, x, x * (x + 3) / 6)), x, out
    )


def hardswish_dash(x: ArrayLike, *, out: np.ndarray | None = None):
    """Derivative of :func:`hardswish`; f′ jumps at both kinks, -3 and 3.

    At the kinks it takes the outer pieces' values, 0 at -3 and 1 at 3, as PyTorch,
    TensorFlow, Keras and JAX do::

        hardswish_dash(x) = 0                if x <= -3
                            (2 * x + 3) / 6  if -3 < x < 3
                            1                if x >= 3

    >>> hardswish_dash([-3.0, -1.5, 0.0, 3.0])
    array([0. , 0. , 0.5, 1. ])
    """
    return _elementwise(
        lambda x: np.where(x <= -3, 0.0, np.where(x >= 3, 1.0, (2 * x + 3) / 6)), x, out
    )


HARDSWISH = Activation(
    key="hardswish",
    name="Hard-swish",
    fn=hardswish,
    deriv=hardswish_dash,
    latex=(
        r"\mathrm{HardSwish}(x) = x\,\frac{\mathrm{ReLU6}(x + 3)}{6} = \begin{cases}"
        r" 0 & x \le -3 \\ x\,(x + 3)/6 & -3 < x < 3 \\ x & x \ge 3 \end{cases}"
    ),
    latex_deriv=(
        r"\mathrm{HardSwish}'(x) = \begin{cases} 0 & x \le -3 \\ (2x + 3)/6 &"
        r" -3 < x < 3 \\ 1 & x \ge 3 \end{cases}"
    ),
    code={
        "PyTorch": "torch.nn.functional.hardswish(x)",
        "TensorFlow": "x * tf.nn.relu6(x + 3) / 6  # tf.nn has no hard_swish",
        "Keras": "keras.activations.hard_swish(x)",
        "JAX": "jax.nn.hard_swish(x)",
        "numpy (relulab)": "relulab.hardswish(x)",
    },
    kink="Smooth at 0. f′ jumps at −3 (from 0 to −0.5) and at 3 (from 1.5 to 1); it"
    " is taken as 0 and 1 there, the outer pieces (PyTorch, TensorFlow, Keras, JAX).",
    # PyTorch's hardswish_backward (aten/src/ATen/native/cpu/Activation.cpp): 0 where
    # x <= -3, x / 3 + 1/2 where x < 3, else 1 (CPU builds before 2025 took the middle
    # piece at both, -0.5 and 1.5).
    # Keras (on TensorFlow), JAX and the TensorFlow line are x * relu6(x + 3) / 6,
    # whose relu6 gradient is 0 at both ends: 0 at -3, and 6/6 = 1 at 3.
    kinks=(Kink(-3.0), Kink(3.0)),
)


# The records in the order the page's picker lists them.
RECORDS = (
    RELU,
    LEAKY_RELU,
    PRELU,
    RELU6,
    ELU,
    SELU,
    GELU,
    GELU_TANH,
    SILU,
    HARDSWISH,
    SOFTPLUS,
    MISH,
    SIGMOID,
    TANH,
)
