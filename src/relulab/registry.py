"""Name -> activation record, the single place the page and the tests enumerate.

Like Keras' ``activations`` registry: a new activation is one function pair in
:mod:`relulab.activations` and one :class:`Activation` entry below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from relulab import catalogue as cat
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
    # Whether f' jumps at x = 0 (for some parameter values): tests compare with finite
    # differences only away from it, and check the value taken there exactly.
    kink_at_zero: bool = False
    # For an activation with a learned parameter (PReLU): d f / d param, by name.
    param_grads: dict[str, Callable] = field(default_factory=dict)

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
            kink_at_zero=True,
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
            kink_at_zero=True,
        ),
        Activation(
            key="prelu",
            name="PReLU",
            fn=cat.prelu,
            deriv=cat.prelu_dash,
            latex=r"\mathrm{PReLU}(x) = \begin{cases} x & x > 0 \\ a\,x & x \le 0 \end{cases}",
            latex_deriv=(
                r"\frac{\partial f}{\partial x} = \begin{cases} 1 & x > 0 \\ a & x \le 0"
                r" \end{cases},\quad \frac{\partial f}{\partial a} = \begin{cases} 0 & x > 0"
                r" \\ x & x \le 0 \end{cases}"
            ),
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
            kink="At x = 0, ∂f/∂x is taken as a and ∂f/∂a as 0 (PyTorch).",
            kink_at_zero=True,
            param_grads={"a": cat.prelu_da},
        ),
        Activation(
            key="elu",
            name="ELU",
            fn=cat.elu,
            deriv=cat.elu_dash,
            latex=(
                r"\mathrm{ELU}(x) = \begin{cases} x & x > 0 \\"
                r" \alpha\,(e^{x} - 1) & x \le 0 \end{cases}"
            ),
            latex_deriv=(
                r"\mathrm{ELU}'(x) = \begin{cases} 1 & x > 0 \\ \alpha\,e^{x} & x \le 0"
                r" \end{cases}"
            ),
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
            kink_at_zero=True,
        ),
        Activation(
            key="selu",
            name="SELU",
            fn=cat.selu,
            deriv=cat.selu_dash,
            latex=(
                r"\mathrm{SELU}(x) = \lambda \begin{cases} x & x > 0 \\"
                r" \alpha\,(e^{x} - 1) & x \le 0 \end{cases}"
            ),
            latex_deriv=(
                r"\mathrm{SELU}'(x) = \lambda \begin{cases} 1 & x > 0 \\ \alpha\,e^{x} & x \le 0"
                r" \end{cases},\quad \alpha \approx 1.6733,\ \lambda \approx 1.0507"
            ),
            kink="f′ jumps at 0: taken as λα ≈ 1.7581 (PyTorch, JAX); TensorFlow gives λ ≈ 1.0507.",
            kink_at_zero=True,
        ),
        Activation(
            key="gelu",
            name="GELU (exact)",
            fn=cat.gelu,
            deriv=cat.gelu_dash,
            latex=r"\mathrm{GELU}(x) = x\,\Phi(x) = \tfrac{x}{2}\left(1 + \operatorname{erf}"
            r"\tfrac{x}{\sqrt 2}\right)",
            latex_deriv=r"\mathrm{GELU}'(x) = \Phi(x) + x\,\varphi(x)",
            kink="No kink. PyTorch's and TensorFlow's default; JAX defaults to the tanh form.",
        ),
        Activation(
            key="gelu_tanh",
            name="GELU (tanh approximation)",
            fn=cat.gelu_tanh,
            deriv=cat.gelu_tanh_dash,
            latex=r"\mathrm{GELU}_{\tanh}(x) = \tfrac{x}{2}\left(1 + \tanh\!\left("
            r"\sqrt{2/\pi}\,(x + 0.044715\,x^{3})\right)\right)",
            latex_deriv=r"\mathrm{GELU}_{\tanh}'(x) = \tfrac{d}{dx}\,\mathrm{GELU}_{\tanh}(x)",
            kink="No kink. jax.nn.gelu's default; PyTorch with approximate='tanh'.",
        ),
        Activation(
            key="silu",
            name="SiLU / Swish",
            fn=cat.silu,
            deriv=cat.silu_dash,
            latex=r"\mathrm{SiLU}(x) = x\,\sigma(\beta x)",
            latex_deriv=(
                r"\mathrm{SiLU}'(x) = \sigma(\beta x)\left(1 + \beta x\,"
                r"(1 - \sigma(\beta x))\right)"
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
        ),
        Activation(
            key="softplus",
            name="Softplus",
            fn=cat.softplus,
            deriv=cat.softplus_dash,
            latex=r"\mathrm{Softplus}(x) = \tfrac{1}{\beta}\log\left(1 + e^{\beta x}\right)",
            latex_deriv=r"\mathrm{Softplus}'(x) = \sigma(\beta x)",
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
        ),
        Activation(
            key="sigmoid",
            name="Sigmoid",
            fn=cat.sigmoid,
            deriv=cat.sigmoid_dash,
            latex=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
            latex_deriv=r"\sigma'(x) = \sigma(x)\,(1 - \sigma(x))",
            kink="No kink.",
        ),
        Activation(
            key="tanh",
            name="tanh",
            fn=cat.tanh,
            deriv=cat.tanh_dash,
            latex=r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
            latex_deriv=r"\tanh'(x) = 1 - \tanh^{2}(x)",
            kink="No kink.",
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
