"""Name -> activation record, the single place the page and the tests enumerate.

Like Keras' ``activations`` registry: a new activation is one function pair in
:mod:`relulab.activations` and one :class:`Activation` entry below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from relulab.activations import relu, relu_dash


@dataclass(frozen=True)
class Param:
    """A parameter of an activation, with the range a slider offers."""

    name: str
    label: str
    default: float
    min: float
    max: float
    step: float
    help: str = ""


@dataclass(frozen=True)
class Activation:
    """One activation: its function, derivative, parameters and formulas."""

    key: str
    name: str
    fn: Callable
    deriv: Callable
    latex: str
    latex_deriv: str
    params: tuple[Param, ...] = ()
    fixed: dict[str, float] = field(default_factory=dict)
    kink: str = ""

    def __call__(self, x, **params):
        return self.fn(x, **{**self.fixed, **params})

    def derivative(self, x, **params):
        return self.deriv(x, **{**self.fixed, **params})

    def defaults(self) -> dict[str, float]:
        return {p.name: p.default for p in self.params}


LEAK = Param(
    name="leak",
    label="leak (slope for x ≤ 0)",
    default=0.1,
    min=0.0,
    max=1.0,
    step=0.01,
    help="0 gives plain ReLU. PyTorch and JAX default to 0.01, tf.nn.leaky_relu to 0.2.",
)

REGISTRY: dict[str, Activation] = {
    a.key: a
    for a in (
        Activation(
            key="relu",
            name="ReLU",
            fn=relu,
            deriv=relu_dash,
            latex=r"\mathrm{ReLU}(x) = \begin{cases} x & x > 0 \\ 0 & x \le 0 \end{cases}",
            latex_deriv=(r"\mathrm{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}"),
            fixed={"leak": 0.0},
            kink="At x = 0 the derivative is taken as 0 (article, PyTorch, TensorFlow, JAX).",
        ),
        Activation(
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
            params=(LEAK,),
            kink="At x = 0 the derivative is taken as leak (article, PyTorch, TensorFlow; JAX: 1).",
        ),
    )
}


def get(key: str) -> Activation:
    """The activation registered under ``key``; ``KeyError`` lists the known ones."""
    try:
        return REGISTRY[key]
    except KeyError:
        known = ", ".join(REGISTRY)
        raise KeyError(f"unknown activation {key!r}; known: {known}") from None
