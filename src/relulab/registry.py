"""Name -> activation record: everything the page, the frameworks panel and copy-as-code
know about an activation, in one place.

Like Keras' ``activations`` registry: a new activation is one function pair in
:mod:`relulab.catalogue` and one :class:`Activation` entry below; the page's picker,
its sliders, the sampler's vertices and the dots at its kinks, the code lines and the
tests all iterate :data:`REGISTRY`. The tests' exact references live with the tests
(tests/reference.py), as Keras keeps its reference functions in its tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from relulab import catalogue as cat
from relulab.activations import relu, relu_dash

# The libraries each record gives a line of code for, in the order the page lists them.
LIBRARIES = ("PyTorch", "TensorFlow", "Keras", "JAX", "numpy (relulab)")


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
class Kink:
    """A point where f′ jumps, for some parameter values.

    f′ there is the record's derivative at ``at``, which takes PyTorch's value (and the
    article's). ``by`` gives, by library name as in LIBRARIES, f′ at ``at`` of that
    library's printed line (``code``/``code_when``) from the parameters, where it is
    another value. Keras' lines are taken on its default backend, TensorFlow.
    """

    at: float
    by: dict[str, Callable[..., float]] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Activation:
    """One activation: its function, derivative, parameters, formulas and code lines."""

    key: str
    name: str
    fn: Callable
    deriv: Callable
    latex: str
    latex_deriv: str
    # The activation as one line for each of LIBRARIES: ``str.format`` templates in which
    # ``{name}`` is a parameter's value (as ``%g``), so each line spells the parameter
    # with the library's own keyword (``negative_slope=``, ``alpha=``, ``init=``).
    code: dict[str, str]
    # Shorter lines for particular values: (values, templates) pairs; where every listed
    # parameter prints as the given value, those templates replace ``code``'s (the first
    # matching pair wins). E.g. ELU at alpha 1 is plain ``tf.nn.elu(x)``.
    code_when: tuple[tuple[dict[str, float], dict[str, str]], ...] = ()
    params: tuple[Param, ...] = ()
    fixed: dict[str, float] = field(default_factory=dict)
    # The kink, in words, for the page: where f′ jumps and the value each library takes.
    kink: str = ""
    # Where f′ jumps (for some parameter values), in increasing order: the page makes
    # each a vertex of the sampled curve and draws the jump with its dots.
    kinks: tuple[Kink, ...] = ()
    # For an activation with a learned parameter (PReLU): d f / d param, by name.
    param_grads: dict[str, Callable] = field(default_factory=dict)

    def __call__(self, x, **params):
        return self.fn(x, **{**self.fixed, **params})

    def derivative(self, x, **params):
        return self.deriv(x, **{**self.fixed, **params})

    def defaults(self) -> dict[str, float]:
        return {p.name: p.default for p in self.params}

    def sides(self, at: float, **params) -> tuple[float, float]:
        """f′'s one-sided limits at ``at``: the ends of the two pieces a jump there is
        drawn between. Each is f′ at the neighbouring float, or f′(at) itself where
        within 1e-12 of it (that side's piece is the one taken at ``at``).

        >>> REGISTRY["relu6"].sides(6.0), REGISTRY["hardswish"].sides(3.0)
        ((1.0, 0.0), (1.5, 1.0))
        """
        here = float(self.derivative(at, **params))
        near = self.derivative(np.nextafter(at, [-np.inf, np.inf]), **params)
        left, right = (here if abs(v - here) <= 1e-12 else float(v) for v in near)
        return left, right

    def param_sets(self) -> list[dict[str, float]]:
        """The defaults, then each parameter alone at either end of its slider: the
        settings the tests and the PyTorch reference check.

        >>> REGISTRY["elu"].param_sets()
        [{'alpha': 1.0}, {'alpha': 0.0}, {'alpha': 3.0}]
        """
        sets = [self.defaults()]
        for p in self.params:
            sets += [{**self.defaults(), p.name: v} for v in (p.min, p.max) if v != p.default]
        return sets


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
# Softplus's note where its short line stands for PyTorch's threshold=20 (see the record).
_T20 = "  # = PyTorch's threshold=20 to 1.1e-10, relative"

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
            code=RELU_CODE,
            fixed={"leak": 0.0},
            kink="At x = 0 the derivative is taken as 0 (article, PyTorch, TensorFlow, JAX).",
            kinks=(Kink(0.0),),
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
            code={
                "PyTorch": "torch.nn.PReLU(init={a})  # a layer: its slope is learned",
                "TensorFlow": (
                    "tf.keras.layers.PReLU(alpha_initializer=tf.constant_initializer({a}))"
                ),
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
            param_grads={"a": cat.prelu_da},
        ),
        Activation(
            key="relu6",
            name="ReLU6",
            fn=cat.relu6,
            deriv=cat.relu6_dash,
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
                    by={"TensorFlow": lambda: cat.SELU_LAMBDA, "Keras": lambda: cat.SELU_LAMBDA},
                ),
            ),
        ),
        Activation(
            key="gelu",
            name="GELU (exact)",
            fn=cat.gelu,
            deriv=cat.gelu_dash,
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
        ),
        Activation(
            key="gelu_tanh",
            name="GELU (tanh approximation)",
            fn=cat.gelu_tanh,
            deriv=cat.gelu_tanh_dash,
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
        ),
        Activation(
            key="hardswish",
            name="Hard-swish",
            fn=cat.hardswish,
            deriv=cat.hardswish_dash,
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
            # PyTorch's hardswish_backward: 0 where x <= -3, x / 3 + 1/2 where x < 3, else
            # 1 (CPU builds before 2025 took the middle piece at both, -0.5 and 1.5).
            # Keras (on TensorFlow), JAX and the TensorFlow line are x * relu6(x + 3) / 6,
            # whose relu6 gradient is 0 at both ends: 0 at -3, and 6/6 = 1 at 3.
            kinks=(Kink(-3.0), Kink(3.0)),
        ),
        Activation(
            key="softplus",
            name="Softplus",
            fn=cat.softplus,
            deriv=cat.softplus_dash,
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
                "JAX": (
                    "jnp.where({beta} * x > {threshold}, x, jax.nn.softplus({beta} * x) / {beta})"
                ),
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
                        "Keras": (
                            "keras.ops.where(x > {threshold}, x, keras.activations.softplus(x))"
                        ),
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
        ),
        Activation(
            key="mish",
            name="Mish",
            fn=cat.mish,
            deriv=cat.mish_dash,
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
        ),
        Activation(
            key="sigmoid",
            name="Sigmoid",
            fn=cat.sigmoid,
            deriv=cat.sigmoid_dash,
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
        ),
        Activation(
            key="tanh",
            name="tanh",
            fn=cat.tanh,
            deriv=cat.tanh_dash,
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
