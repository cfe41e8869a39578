"""Print ``ROOT_SERIES`` for src/relulab/catalogue.py: where the derivatives of GELU,
GELU-tanh, SiLU and Mish cross zero, and their Taylor coefficients there.

Near such a zero f′ is a sum of terms of about 0.2 that cancel, so float64 keeps only
a few digits of it, fewer than float32 needs at the float32 numbers next to the zero.
There the catalogue sums the series instead, in t = x - x0 with x0 split into two
float64s (x0_hi + x0_lo), and t computed without rounding error. The zeros and the
coefficients come from mpmath at 256 bits, with the definitions as in
tests/test_accuracy.py (SiLU's in z = beta * x). Needs mpmath (requirements-dev.txt):

    python scripts/make_root_series.py
"""

from __future__ import annotations

import mpmath

mp = mpmath.mp
mp.prec = 256
TERMS = 6  # c1 t + ... + c6 t**6; |t| < 2**-12 leaves a remainder below 1e-19 relative
SQRT_2_PI = mp.sqrt(2 / mp.pi)
K = mp.mpf("0.044715")


def sig(z):
    return 1 / (1 + mp.exp(-z))


def gelu_dash(x):
    return mp.erfc(-x / mp.sqrt(2)) / 2 + x * mp.exp(-x * x / 2) / mp.sqrt(2 * mp.pi)


def gelu_tanh_dash(x):
    u = SQRT_2_PI * (x + K * x**3)
    return (1 + mp.tanh(u)) / 2 + x / 2 / mp.cosh(u) ** 2 * SQRT_2_PI * (1 + 3 * K * x * x)


def silu_dash(z):  # d/dz of z * sigmoid(z)
    return sig(z) * (1 + z * sig(-z))


def mish_dash(x):
    s = mp.log1p(mp.exp(x))
    return mp.tanh(s) + x * sig(x) / mp.cosh(s) ** 2


FUNCTIONS = {
    "gelu": (gelu_dash, -0.75),
    "gelu_tanh": (gelu_tanh_dash, -0.75),
    "silu": (silu_dash, -1.28),
    "mish": (mish_dash, -1.19),
}


def main() -> None:
    print("ROOT_SERIES = {")
    for name, (fn, guess) in FUNCTIONS.items():
        x0 = mp.findroot(fn, guess)
        hi = float(x0)
        lo = float(x0 - hi)
        coeffs = mp.taylor(fn, x0, TERMS)[1:]  # the constant term is 0
        print(f"    {name!r}: ({hi!r}, {lo!r}, ({', '.join(repr(float(c)) for c in coeffs)})),")
    print("}")


if __name__ == "__main__":
    main()
