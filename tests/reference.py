"""Exact references for every registered activation, kept with the tests (as Keras
keeps its ``_ref_`` functions in its tests): each definition written in mpmath at 256
bits, independent of relulab's numpy code, where needed with an exact identity that
mpmath evaluates without cancelling (1 + tanh(u) = 2 / (1 + exp(-2u)),
sigmoid(x) * sigmoid(-x) = 1 / (2 + 2 cosh x)). Products with a parameter (beta * x)
are exact, as in the definitions, except where softplus switches to x (``_switched``).

At a kink f′ is the value relulab takes there (PyTorch's): the x <= 0 branch at 0,
ReLU6's 0 at 0 and 6, hard-swish's outer pieces at -3 and 3. :data:`LIMITS` gives
f(-inf), f(inf), f′(-inf), f′(inf) at the default parameters, where the definitions
give NaN.
"""

from __future__ import annotations

import math

import mpmath

from relulab.registry import REGISTRY

MP = mpmath.mp.clone()  # 256 bits here, without changing mpmath's global context
MP.prec = 256
mpf = MP.mpf

SQRT_2_PI = MP.sqrt(2 / MP.pi)
K = mpf("0.044715")
SELU_A = mpf("1.6732632423543772848170429916717")
SELU_L = mpf("1.0507009873554804934193349852946")


def _sig(z):
    return 1 / (1 + MP.exp(-z))


def _silu(x, beta):
    return x * _sig(mpf(beta) * x)


def _silu_dash(x, beta):
    z = mpf(beta) * x
    return _sig(z) * (1 + z * _sig(-z))


def _switched(x, beta, threshold) -> bool:
    # Softplus's switch to x is PyTorch's: beta * x > threshold on the float64 product
    # (a jump's place is a convention; the lines the page prints put it there too).
    return float(beta) * float(x) > threshold


def _softplus(x, beta, threshold):
    z = mpf(beta) * x
    return x if _switched(x, beta, threshold) else MP.log1p(MP.exp(z)) / beta


def _softplus_dash(x, beta, threshold):
    z = mpf(beta) * x
    return mpf(1) if _switched(x, beta, threshold) else _sig(z)


def _gelu_tanh_parts(x):
    u = SQRT_2_PI * (x + K * x**3)
    half_one_plus_tanh = 1 / (1 + MP.exp(-2 * u))  # (1 + tanh u) / 2
    return u, half_one_plus_tanh


def _gelu_tanh_dash(x):
    u, h = _gelu_tanh_parts(x)
    sech2 = 1 / MP.cosh(u) ** 2
    return h + x / 2 * sech2 * SQRT_2_PI * (1 + 3 * K * x * x)


def _mish_dash(x):
    s = MP.log1p(MP.exp(x))
    return MP.tanh(s) + x * _sig(x) / MP.cosh(s) ** 2


def _elu(x, alpha, scale=1):
    return scale * x if x > 0 else scale * alpha * MP.expm1(x)


def _elu_dash(x, alpha, scale=1):
    return mpf(scale) if x > 0 else scale * alpha * MP.exp(x)


# key -> (f, f') in mpmath, from the definitions, at x (an mpf) and the parameters.
EXACT = {
    "relu": (lambda x, leak: x if x > 0 else mpf(0), lambda x, leak: mpf(1 if x > 0 else 0)),
    "leaky_relu": (
        lambda x, leak: x if x > 0 else mpf(leak) * x,
        lambda x, leak: mpf(1) if x > 0 else mpf(leak),
    ),
    "prelu": (
        lambda x, a: x if x > 0 else mpf(a) * x,
        lambda x, a: mpf(1) if x > 0 else mpf(a),
    ),
    "elu": (lambda x, alpha: _elu(x, mpf(alpha)), lambda x, alpha: _elu_dash(x, mpf(alpha))),
    "selu": (lambda x: _elu(x, SELU_A, SELU_L), lambda x: _elu_dash(x, SELU_A, SELU_L)),
    "gelu": (
        lambda x: x / 2 * MP.erfc(-x / MP.sqrt(2)),
        lambda x: MP.erfc(-x / MP.sqrt(2)) / 2 + x * MP.exp(-x * x / 2) / MP.sqrt(2 * MP.pi),
    ),
    "gelu_tanh": (lambda x: x * _gelu_tanh_parts(x)[1], _gelu_tanh_dash),
    "silu": (_silu, _silu_dash),
    "softplus": (_softplus, _softplus_dash),
    "mish": (lambda x: x * MP.tanh(MP.log1p(MP.exp(x))), _mish_dash),
    "sigmoid": (_sig, lambda x: 1 / (2 + 2 * MP.cosh(x))),
    "tanh": (MP.tanh, lambda x: 1 / MP.cosh(x) ** 2),
}
EXACT["relu6"] = (
    lambda x: min(max(x, mpf(0)), mpf(6)),
    lambda x: mpf(1 if 0 < x < 6 else 0),
)
EXACT["hardswish"] = (
    lambda x: mpf(0) if x <= -3 else (x if x >= 3 else x * (x + 3) / 6),
    lambda x: mpf(0) if x <= -3 else (mpf(1) if x >= 3 else (2 * x + 3) / 6),
)

_INF = math.inf
_LAM = float(SELU_L)
LIMITS = {
    "relu": (0.0, _INF, 0.0, 1.0),
    "leaky_relu": (-_INF, _INF, 0.1, 1.0),
    "prelu": (-_INF, _INF, 0.25, 1.0),
    "relu6": (0.0, 6.0, 0.0, 0.0),
    "elu": (-1.0, _INF, 0.0, 1.0),
    "selu": (-_LAM * float(SELU_A), _INF, 0.0, _LAM),
    "gelu": (0.0, _INF, 0.0, 1.0),
    "gelu_tanh": (0.0, _INF, 0.0, 1.0),
    "silu": (0.0, _INF, 0.0, 1.0),
    "hardswish": (0.0, _INF, 0.0, 1.0),
    "softplus": (0.0, _INF, 0.0, 1.0),
    "mish": (0.0, _INF, 0.0, 1.0),
    "sigmoid": (0.0, 1.0, 0.0, 0.0),
    "tanh": (-1.0, 1.0, 0.0, 0.0),
}


def reference(key: str, x: float, **params) -> float:
    """f(x) of the registry's ``key``, exact then rounded to float (the record's fixed
    parameters, ReLU's leak 0, filled in); NaN for NaN."""
    return _float(EXACT[key][0], key, x, params)


def reference_dash(key: str, x: float, **params) -> float:
    """f′(x) of the registry's ``key``, exact then rounded to float; NaN for NaN."""
    return _float(EXACT[key][1], key, x, params)


def _float(fn, key: str, x: float, params: dict) -> float:
    if math.isnan(x):
        return math.nan
    return float(fn(mpf(x), **{**REGISTRY[key].fixed, **params}))
