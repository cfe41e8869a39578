"""The record of an activation: what the page, the frameworks panel and copy-as-code
know about it beside its function pair (its parameters and sliders, formulas, the line
of code in each library, and its kinks with each library's value of f′ there).

Each record stands beside its function pair in :mod:`relulab.catalogue`, like Keras'
``activations/``; :data:`relulab.registry.REGISTRY` gathers them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

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

        >>> import relulab
        >>> relulab.REGISTRY["relu6"].sides(6.0), relulab.REGISTRY["hardswish"].sides(3.0)
        ((1.0, 0.0), (1.5, 1.0))
        """
        here = float(self.derivative(at, **params))
        near = self.derivative(np.nextafter(at, [-np.inf, np.inf]), **params)
        left, right = (here if abs(v - here) <= 1e-12 else float(v) for v in near)
        return left, right

    def param_sets(self) -> list[dict[str, float]]:
        """The defaults, then each parameter alone at either end of its slider: the
        settings the tests and the PyTorch reference check.

        >>> import relulab
        >>> relulab.REGISTRY["elu"].param_sets()
        [{'alpha': 1.0}, {'alpha': 0.0}, {'alpha': 3.0}]
        """
        sets = [self.defaults()]
        for p in self.params:
            sets += [{**self.defaults(), p.name: v} for v in (p.min, p.max) if v != p.default]
        return sets
