"""Predict, then reveal: questions generated from the library, and their answers checked.

A question is made from a *kind* and a *seed*: the seed picks the values (the leak, the
x, the preset, the activations offered) and the library computes the answer, so no
answer is typed in here. The same kind and seed always give the same question, so a
question travels as its short :attr:`Question.id` (e.g. in a URL) and comes back with
:func:`from_id`.

The page poses a question by setting what :attr:`Question.show` says and hiding what
:attr:`Question.hides` names (the vocabulary is :data:`HIDES`); :func:`check` reads the
student's typed text (with :func:`relulab_app.parse.parse_values`, never evaluated) or
chosen choice; on reveal the page does what :attr:`Question.reveal` says, and
:func:`another` gives a fresh question of the same kind. :func:`for_student` gives a
session's questions, all kinds mixed: seed it per session so neighbours get other values.

Prompts, choices and explanations are the module's own text, safe to render as Markdown
(code in backticks, no ``$``, no HTML): nothing a student typed ever goes into them.

>>> from relulab_app import quiz
>>> q = quiz.make("f_at_x", 6)
>>> q.id, q.answer_type
('f_at_x-6', 'number')
>>> print(q.prompt)
Leaky ReLU with leak = 0.3, that is `relu(x, leak=0.3)`: what is f(-1.5)? Type one
number; answers within 0.0005 count.
>>> quiz.check(q, "-0.45").correct, quiz.check(q, " [[-4.5e-1]] ").correct
(True, True)
>>> print(quiz.check(q, "-1.5").message)
Not quite: you typed -1.5; the answer is -0.45 (answers within 0.0005 count). x = -1.5
is at or below 0, so f takes the `leak * x` branch: 0.3 × -1.5 = -0.45.
>>> quiz.check(q, "__import__('os')").message
"Could not read that: `__import__('os')` at position 1 is not a number. Type one number, e.g. 0.5."
"""

from __future__ import annotations

import functools
import math
import re
import zlib
from dataclasses import dataclass, field

import numpy as np

from relulab import frameworks
from relulab.activations import relu, relu_dash
from relulab.registry import REGISTRY
from relulab_app import lab, sketch
from relulab_app.examples import EXAMPLES
from relulab_app.parse import ParseError, comma_note, parse_values, results_table

NUMBER = "number"  # answered by typing one number
CHOICE = "choice"  # answered by picking one of Question.choices
SKETCH = "sketch"  # answered by drawing the curve (relulab_app/sketch.py); answer: a Spec

# What a page may be told to hide while a question is open. A question names the ones
# that would give its answer away; the page maps each to its own elements.
HIDES: dict[str, str] = {
    "function_chart": "the f(x) chart, with its hover readout",
    "derivative_chart": "the f′(x) chart, with its hover readout",
    "kink_dot": "the dots at x = 0 on the f′ chart that show the value taken there",
    "tables": "every table of values: the article's examples, the own-values results "
    "(f, f′ and the branch column), the np.where demo",
    "definitions": "the formulas and kink notes of the activations on show",
    "framework_facts": "what each framework does at the kink: the reference table and the "
    "labels of the convention switch",
    "curve_names": "the legend and any label that names a drawn curve",
    "lab_result": "the lab's charts and its sentence on dead units",
}

KIND_TITLES: dict[str, str] = {
    "f_at_x": "f(x) at a point",
    "df_at_x": "f′(x) at a point",
    "article_array": "The article's arrays",
    "kink_pytorch": "f′(0) in PyTorch",
    "kink_jax": "f′(0) in JAX",
    "where_branch": "Which np.where branch",
    "which_curve": "Which curve is Leaky ReLU",
    "leak_effect": "What the leak does",
    "smooth_at_0": "Smooth at 0",
    "dead_units": "Dead units in the lab",
    "sketch_df": "Sketch the derivative",
}
KINDS: tuple[str, ...] = tuple(KIND_TITLES)

# Leaks a class can work with in their heads, all on the page's leak slider (step 0.01).
LEAKS: tuple[float, ...] = (0.01, 0.05, 0.1, 0.2, 0.25, 0.3, 0.5)
# x values: multiples of 0.5 in -5..5, all on the x-range slider's step. With leaks of
# at most 2 decimals every leak * x has at most 3, so 3 decimals are always exact.
X_GRID: tuple[float, ...] = tuple(k / 2 for k in range(-10, 11))
_X_NONZERO = tuple(x for x in X_GRID if x != 0)
_X_FAR_NEGATIVE = tuple(x for x in X_GRID if x <= -1)  # where the curves differ plainly
NUMBER_TOLERANCE = 5e-4  # half a unit in the 3rd decimal: exact answers, any typing

# The lab's presets by the short names its URL uses (relulab_app/lab_view.py's
# PRESET_SLUGS, in the same order; a test checks they agree).
PRESET_SLUGS: dict[str, str] = dict(zip(("bias", "lr", "healthy"), lab.PRESETS, strict=True))

MAX_SEED = 2**64 - 1
_ID = re.compile(r"([a-z0-9_]{1,32})-(0|[1-9][0-9]{0,19})")  # canonical: one id per question


@dataclass(frozen=True)
class Question:
    """One question, with everything needed to pose, check and reveal it.

    ``answer`` is the right number (``answer_type`` :data:`NUMBER`; typed answers within
    ``tolerance`` count) or the right one of ``choices`` (:data:`CHOICE`). ``hides`` are
    keys of :data:`HIDES`.

    ``show`` is what the page sets to pose it: keys the page already has (``act``:
    ``"relu"``, ``"compare"`` or a registry key; ``leak``; ``kink``; ``x_range``;
    ``show``, registry keys to overlay; ``lab`` and ``lab_preset``) and the quiz's own
    (``x``, the x asked about; ``example``, an index into
    :data:`relulab_app.examples.EXAMPLES`; ``curves``, ``(label, registry key, params)``
    triples to draw with their labels, not their names). ``reveal`` is what the page
    does on reveal: ``chart`` (``"function"``, ``"derivative"`` or ``"lab"``: where the
    answer shows) and, as the question needs, ``x`` and ``y`` (a point to mark),
    ``leak`` (move the leak to it), ``curve`` (the label that is the answer). Treat both
    as read-only.
    """

    kind: str
    seed: int
    prompt: str
    answer_type: str
    answer: float | str
    explanation: str
    hides: frozenset[str]
    choices: tuple[str, ...] = ()
    tolerance: float = 0.0
    show: dict = field(default_factory=dict, hash=False)
    reveal: dict = field(default_factory=dict, hash=False)
    lab_preset: str | None = None  # dead_units: the preset's slug (see PRESET_SLUGS)

    @property
    def id(self) -> str:
        """``kind-seed``: short, and safe in a URL, JSON and a widget key."""
        return f"{self.kind}-{self.seed}"

    @property
    def answer_text(self) -> str:
        """The answer as the page shows it.

        >>> make("f_at_x", 6).answer_text, make("dead_units", 1).answer_text
        ('-0.45', '40% to under 60%')
        """
        if self.answer_type == SKETCH:
            return "the dashed curve on the chart"
        return str(self.answer) if self.answer_type == CHOICE else _g(self.answer)


@dataclass(frozen=True)
class Result:
    """What :func:`check` says about one answer: ``value`` is what was read (a float, or
    the chosen choice); None means nothing usable was read, not an attempt, so the
    message does not give the answer away and the student may try again."""

    correct: bool
    message: str
    value: float | str | None


# --- helpers -----------------------------------------------------------------------


def _g(v: float) -> str:
    """A number as the questions show it: shortest form, and never ``-0``.

    >>> _g(-0.0), _g(0.1 * -2.2), _g(50.2)
    ('0', '-0.22', '50.2')
    """
    return f"{float(v) + 0.0:g}"


def _g4(v: float) -> str:
    """A computed value to 4 significant digits (exact short values stay exact)."""
    return f"{float(v) + 0.0:.4g}"


def _pick(rng: np.random.Generator, options: tuple):
    return options[int(rng.integers(len(options)))]


def _check_seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(f"seed must be an int; got {type(seed).__name__}")
    if not 0 <= int(seed) <= MAX_SEED:
        raise ValueError(f"seed must be in 0 … 2**64 - 1; got {int(seed)}")
    return int(seed)


def _rng(salt: str, seed: int) -> np.random.Generator:
    # crc32, not hash(): str hashes change from one Python process to the next, and a
    # question must be the same in every server process (and after a restart).
    return np.random.default_rng([seed, zlib.crc32(salt.encode())])


def _x_range(x: float) -> tuple[float, float]:
    """The page's default -5..5, widened (on the slider's whole steps) to show ``x``.

    >>> _x_range(-2.0), _x_range(50.2)
    ((-5.0, 5.0), (-5.0, 52.0))
    """
    return (float(min(-5, math.floor(x) - 1)), float(max(5, math.ceil(x) + 1)))


def _f_why(x: float, leak: float, y: float) -> str:
    if x > 0:
        return f"x = {_g(x)} is above 0, so f takes the `x` branch and returns it unchanged."
    if leak == 0:
        return f"x = {_g(x)} is at or below 0, where ReLU gives 0."
    return (
        f"x = {_g(x)} is at or below 0, so f takes the `leak * x` branch: "
        f"{_g(leak)} × {_g(x)} = {_g(y)}."
    )


def _df_why(x: float, leak: float, dy: float) -> str:
    name = "ReLU" if leak == 0 else "Leaky ReLU"
    if x > 0:
        return f"For x > 0, {name} is f(x) = x, whose slope is {_g(dy)}."
    if x < 0 and leak == 0:
        return f"For x < 0, ReLU is flat at 0, so its slope is {_g(dy)}."
    if x < 0:
        return f"For x < 0, {name} is f(x) = {_g(leak)} × x, whose slope is the leak, {_g(dy)}."
    return (
        f"At 0 the slope of {name} jumps from {_g(leak)} to 1, and the article, PyTorch and "
        f"TensorFlow take the `x <= 0` branch there, so f′(0) = {_g(dy)}."
    )


# --- the kinds: each maker draws its values from the rng and returns the Question's
# fields; a maker without ``choices`` makes a number question (see make) ---------------

_HIDE_F = frozenset({"function_chart", "tables"})
_HIDE_DF = frozenset({"derivative_chart", "kink_dot", "tables"})
_AT_ZERO = (
    " At exactly 0, use the article's convention: the `x <= 0` branch, as PyTorch and "
    "TensorFlow take it."
)


def _at(x: float, leak: float, deriv: bool, prompt: str, **show) -> dict:
    """A number question on the article's f (or f′, under its convention) at ``x``."""
    if deriv:
        y = float(frameworks.relu_dash_under(np.array([x]), leak, frameworks.LEFT)[0])
        prompt += _AT_ZERO if x == 0 else ""
        show["kink"] = frameworks.LEFT
    else:
        y = float(relu(x, leak))
    return dict(
        prompt=prompt,
        answer=y,
        explanation=(_df_why if deriv else _f_why)(x, leak, y),
        hides=_HIDE_DF if deriv else _HIDE_F,
        show={"act": "relu", "leak": leak, "x_range": _x_range(x), "x": x, **show},
        reveal={"chart": "derivative" if deriv else "function", "x": x, "y": y},
    )


def _f_at_x(rng: np.random.Generator, deriv: bool = False) -> dict:
    leak = _pick(rng, (0.0, *LEAKS))
    x = 0.0 if rng.random() < 1 / 6 else _pick(rng, _X_NONZERO)
    act = "ReLU, that is `relu(x)`"
    if leak:
        act = f"Leaky ReLU with leak = {_g(leak)}, that is `relu(x, leak={_g(leak)})`"
    what = "its derivative f′" if deriv else "f"
    return _at(x, leak, deriv, f"{act}: what is {what}({_g(x)})?")


def _article_array(rng: np.random.Generator) -> dict:
    index = int(rng.integers(len(EXAMPLES)))
    example = EXAMPLES[index]
    column = example.x[:, 0].astype(float)
    row = int(rng.integers(len(column)))
    # Half the time the article's own leak, so its printed results come back.
    leak = example.leak if rng.random() < 0.5 else _pick(rng, LEAKS)
    deriv = bool(rng.integers(2))
    x = float(column[row])
    shown = "[" + ", ".join(f"[{_g(v)}]" for v in column) + "]"  # as the article prints it
    call = f"{'relu_dash' if deriv else 'relu'}(x, {_g(leak)})"
    prompt = (
        f"The article's example {index + 1} has x = `{shown}`. What is `{call}` in row "
        f"{row + 1}, where x = {_g(x)}?"
    )
    return _at(x, leak, deriv, prompt, kink=frameworks.LEFT, example=index)


# Each framework's gradient at exactly 0, from its source: (convention, what takes it, why).
_KINK_FACTS = {
    "PyTorch": (
        frameworks.LEFT,
        "autograd",
        "PyTorch's backward for `leaky_relu` is `x > 0 ? grad : grad * negative_slope`, "
        "so at exactly 0 (not > 0) it passes the slope, {}.",
    ),
    "JAX": (
        frameworks.JAX,
        "`jax.grad`",
        "`jax.nn.leaky_relu` is `jnp.where(x >= 0, x, negative_slope * x)`, so at exactly 0 "
        "it takes the `x` branch, whose slope is {}, not the leak.",
    ),
}


def _kink(library: str, rng: np.random.Generator) -> dict:
    leak = _pick(rng, LEAKS)
    convention, grad, why = _KINK_FACTS[library]
    line = frameworks.code_lines("leaky_relu", {"leak": leak})[library]
    answer = frameworks.kink_value("leaky_relu", {"leak": leak}, convention)
    return dict(
        prompt=f"In {library}, y = `{line}`. At exactly x = 0, what derivative dy/dx does "
        f"{grad} give?",
        answer=answer,
        explanation=why.format(_g(answer)),
        hides=_HIDE_DF | {"definitions", "framework_facts"},
        show={"act": "relu", "leak": leak, "kink": convention, "x_range": (-5.0, 5.0), "x": 0.0},
        reveal={"chart": "derivative", "x": 0.0, "y": answer},
    )


def _where_branch(rng: np.random.Generator) -> dict:
    leak = _pick(rng, LEAKS)
    # x = 0 a third of the time: the element students get wrong.
    x = 0.0 if rng.random() < 1 / 3 else _pick(rng, _X_NONZERO)
    taken, y = x <= 0, float(relu(x, leak))
    return dict(
        prompt=f"The article computes Leaky ReLU as `np.where(x <= 0, leak * x, x)`, here "
        f"with leak = {_g(leak)}. Which branch does the element x = {_g(x)} take?",
        # The branch names the page's own results table uses, for one x on each side.
        answer=results_table(np.array([x]), leak)["branch"][0],
        choices=tuple(results_table(np.array([-1.0, 1.0]), leak)["branch"]),
        explanation=f"`x <= 0` is {taken} for x = {_g(x)}, so `np.where` takes "
        f"{'`leak * x`' if taken else '`x`'} there, giving {_g(y)}.",
        hides=frozenset({"tables", "kink_dot"}),
        show={"act": "relu", "leak": leak, "x_range": _x_range(x), "x": x},
        reveal={"chart": "function", "x": x, "y": y},
    )


def _which_curve(rng: np.random.Generator) -> dict:
    leak = _pick(rng, LEAKS)
    i, j = sorted(rng.choice(len(_X_FAR_NEGATIVE), 2, replace=False).tolist(), reverse=True)
    x1, x2 = _X_FAR_NEGATIVE[i], _X_FAR_NEGATIVE[j]  # x1 nearer 0

    def at(key: str, params: dict) -> tuple[float, float]:
        return float(REGISTRY[key](x1, **params)), float(REGISTRY[key](x2, **params))

    curves = [("leaky_relu", {"leak": leak})]
    shown = {tuple(map(_g4, at(*curves[0])))}
    # Distractors from the catalogue at its defaults, in a per-seed order, skipping any
    # that print the same numbers as another or would also read as a Leaky ReLU here
    # (f = s × x at both points with 0 < s <= 1: PReLU at its default does).
    for k in rng.permutation(len(REGISTRY)).tolist():
        key = list(REGISTRY)[k]
        params = REGISTRY[key].defaults()
        (f1, f2), values = at(key, params), tuple(map(_g4, at(key, params)))
        leaky = 0 < f1 / x1 <= 1 and abs(f1 / x1 - f2 / x2) < 1e-9
        if key == "leaky_relu" or values in shown or leaky:
            continue
        curves.append((key, params))
        shown.add(values)
        if len(curves) == 4:
            break
    order = rng.permutation(len(curves)).tolist()
    drawn = tuple(("ABCD"[n], *curves[k]) for n, k in enumerate(order))
    answer = "ABCD"[order.index(0)]
    lines = "; ".join(
        f"{label}: f({_g(x1)}) = {_g4(a)}, f({_g(x2)}) = {_g4(b)}"
        for label, key, params in drawn
        for a, b in [at(key, params)]
    )
    return dict(
        prompt=f"Four curves, A to D, are drawn without their names. At x = {_g(x1)} and "
        f"x = {_g(x2)} they give {lines}. Which one is Leaky ReLU (with a leak above 0)?",
        answer="Curve " + answer,
        choices=tuple("Curve " + label for label, _, _ in drawn),
        explanation=f"Only curve {answer} gives {_g(leak)} × x at both points, a straight "
        f"line through 0 with slope {_g(leak)} for x < 0: Leaky ReLU with leak {_g(leak)}.",
        hides=frozenset({"curve_names", "definitions", "tables"}),
        show={"act": "compare", "curves": drawn, "x_range": (-5.0, 5.0)},
        reveal={"chart": "function", "curve": answer},
    )


# What changing the leak can do to f on the negative side; the answer is whichever the
# library's numbers show.
_EFFECTS = {
    "more negative": "f(x) moves further below 0 (more negative) for every x < 0",
    "toward zero": "f(x) moves up, closer to 0, for every x < 0",
    "zero": "f(x) becomes exactly 0 for every x < 0",
    "unchanged": "Nothing: the leak only changes f for x > 0",
}


def _leak_effect(rng: np.random.Generator) -> dict:
    old, new = (LEAKS[k] for k in rng.choice(len(LEAKS), 2, replace=False).tolist())
    at = -2.0  # the point the explanation quotes
    base = (
        f"Leaky ReLU's leak is {'raised' if new > old else 'lowered'} from {_g(old)} to {_g(new)}."
    )
    common = dict(
        hides=frozenset({"function_chart", "derivative_chart", "tables"}),
        show={"act": "relu", "leak": old, "kink": frameworks.LEFT, "x_range": (-5.0, 5.0)},
    )
    if rng.random() < 0.5:
        negative = np.array([x for x in X_GRID if x < 0])
        before, after = relu(negative, old), relu(negative, new)
        shows = {
            "zero": np.all(after == 0),
            "more negative": np.all(after < before),
            "toward zero": np.all(after > before),
            "unchanged": np.array_equal(after, before),
        }
        effect = next(k for k, holds in shows.items() if holds)
        effects = list(_EFFECTS.values())
        return dict(
            prompt=f"{base} What happens to f(x) for x < 0?",
            answer=_EFFECTS[effect],
            choices=tuple(effects[k] for k in rng.permutation(len(effects)).tolist()),
            explanation=f"For x < 0, f(x) = leak × x with x negative, so f({_g(at)}) goes "
            f"from {_g(relu(at, old))} to {_g(relu(at, new))}, and every x < 0 moves the "
            "same way, while x > 0 is untouched.",
            reveal={"chart": "function", "leak": new},
            **common,
        )
    # The slopes a student might say: the old leak, the new, ReLU's 0, the x > 0 side's 1.
    slopes = [relu_dash(at, old), relu_dash(at, new), relu_dash(at, 0.0), relu_dash(-at, new)]
    answer = _g(relu_dash(at, new))
    return dict(
        prompt=f"{base} What is the slope f′(x) for x < 0 now?",
        answer=answer,
        choices=tuple(_g(s) for s in sorted(set(map(float, slopes)))),
        explanation="For x < 0, f(x) = leak × x, a straight line whose slope is the leak "
        f"itself, now {answer}.",
        reveal={"chart": "derivative", "leak": new},
        **common,
    )


def _smooth_at_0(rng: np.random.Generator) -> dict:
    # The registry says which activations have a kink at 0 (for some parameter values).
    kinked = [a for a in REGISTRY.values() if 0.0 in (k.at for k in a.kinks)]
    smooth = [a for a in REGISTRY.values() if a not in kinked]
    ask_smooth = rng.random() < 0.5
    one, three = (smooth, kinked) if ask_smooth else (kinked, smooth)
    answer = one[int(rng.integers(len(one)))]
    others = [three[k] for k in rng.choice(len(three), 3, replace=False).tolist()]
    offered = [answer, *others]
    offered = [offered[k] for k in rng.permutation(4).tolist()]
    names = ", ".join(a.name for a in others[:-1]) + f" and {others[-1].name}"
    corner = "where f′ jumps for at least some parameter values"
    if ask_smooth:
        prompt = (
            "is smooth at x = 0 whatever its parameters (no corner: its derivative f′ does "
            "not jump there)?"
        )
        why = f"is smooth at 0 (its derivative is continuous there), while {names} have a "
        why += f"corner at 0, {corner}."
    else:
        prompt = (
            "has a corner at x = 0 (its derivative f′ jumps there, at least for some "
            "parameter values)?"
        )
        why = f"has a corner at 0, {corner}, while {names} are smooth there."
    return dict(
        prompt="Which of these activations from the catalogue " + prompt,
        answer=answer.name,
        choices=tuple(a.name for a in offered),
        explanation=f"{answer.name} {why}",
        hides=frozenset({"function_chart", "derivative_chart", "kink_dot", "definitions"}),
        show={"act": "compare", "show": [a.key for a in offered], "x_range": (-3.0, 3.0)},
        reveal={"chart": "derivative"},
    )


@functools.cache
def _dead_relu_percent(slug: str) -> float:
    """Dead hidden units (%) of the lab's ReLU network after training with a preset, by
    the lab's own run (a tenth of a second; a class asks the same three, so kept)."""
    setting = lab.PRESETS[PRESET_SLUGS[slug]]
    X, y = lab.two_moons(seed=setting.seed)
    return 100.0 * lab.train(setting, 0.0, X, y).dead[-1]


# The dead units' share as ranges to pick from: the exact share comes out of a training
# run, which a student can predict roughly from the preset's settings but not compute.
DEAD_BANDS: tuple[tuple[float, float, str], ...] = (
    (0.0, 20.0, "fewer than 20%"),
    (20.0, 40.0, "20% to under 40%"),
    (40.0, 60.0, "40% to under 60%"),
    (60.0, 80.0, "60% to under 80%"),
    (80.0, math.inf, "80% or more"),
)


def _dead_units(rng: np.random.Generator) -> dict:
    slug = _pick(rng, tuple(PRESET_SLUGS))
    name = PRESET_SLUGS[slug]
    setting = lab.PRESETS[name]
    percent = _dead_relu_percent(slug)
    units = 2 * setting.width  # two hidden layers
    return dict(
        prompt=f"The lab trains a small network with ReLU ({units} hidden units in two "
        f"layers) on the two-moons data. With the preset “{name}” (hidden biases start "
        f"at {_g(setting.bias_shift)}, learning rate {_g(setting.learning_rate)}), what "
        f"share of its hidden units will be dead after {setting.epochs} epochs?",
        answer=next(label for lo, hi, label in DEAD_BANDS if lo <= percent < hi),
        choices=tuple(label for _, _, label in DEAD_BANDS),
        explanation=f"Running the lab leaves {_g4(percent)}% dead "
        f"({round(percent * units / 100)} of {units} units): their input is ≤ 0 for every "
        "training point, so under ReLU their gradient is 0 and nothing can revive them.",
        hides=frozenset({"lab_result"}),
        show={"lab": True, "lab_preset": slug},
        reveal={"chart": "lab"},
        lab_preset=slug,
    )


# What a class can sketch from what it has learnt: where f′ jumps and to what, and the
# smooth bumps below 0. (registry key, x-range); Leaky ReLU at a leak from LEAKS or 0.
_SKETCHABLE = (
    ("leaky_relu", (-4.0, 4.0)),
    ("relu6", (-2.0, 8.0)),
    ("hardswish", (-5.0, 5.0)),
    ("selu", (-3.0, 3.0)),
    ("gelu", (-4.0, 4.0)),
    ("sigmoid", (-6.0, 6.0)),
)


def _sketch_df(rng: np.random.Generator) -> dict:
    """Sketch f′ of an activation on an empty chart: the jumps, their heights, the bumps."""
    key, x_range = _pick(rng, _SKETCHABLE)
    record = REGISTRY[key]
    params = {"leak": _pick(rng, (0.0, *(v for v in LEAKS if v >= 0.1)))} if record.params else {}
    xs = np.linspace(*x_range, 401)
    ys = np.asarray(record.derivative(xs, **params))
    # The y-axis: the curve with room around it, on half-unit steps, 0 always in view.
    lo = math.floor(2 * (min(ys.min(), 0.0) - 0.25)) / 2
    hi = math.ceil(2 * (ys.max() + 0.25)) / 2
    spec = sketch.Spec(key, tuple(params.items()), "df", sketch.Axes(x_range, (lo, hi)))
    name = record.name if not params else f"Leaky ReLU with leak {_g(params['leak'])}"
    if params and params["leak"] == 0:
        name = "ReLU (Leaky ReLU with leak 0)"
    jumps = [(k, a, b) for k, a, b in spec.jumps() if abs(a - b) > 1e-9]
    why = "; ".join(f"at x = {_g(k)} it jumps from {_g4(a)} to {_g4(b)}" for k, a, b in jumps)
    why = f"The derivative: {why}" if jumps else "The derivative is smooth: it has no jump"
    show = {"act": "relu", "leak": params["leak"]} if params else {"act": key}
    return dict(
        prompt=(
            f"Sketch f′(x), the derivative of {name}, for x from {_g(x_range[0])} to "
            f"{_g(x_range[1])}: draw it on the empty chart (mouse, finger or pen), then "
            "send it."
        ),
        answer_type=SKETCH,
        answer=spec.dumps(),
        explanation=f"{why}.",
        hides=_HIDE_DF | {"definitions"},
        show={**show, "x_range": x_range},
        reveal={"chart": "derivative"},
    )


_MAKERS = {
    "f_at_x": _f_at_x,
    "df_at_x": functools.partial(_f_at_x, deriv=True),
    "article_array": _article_array,
    "kink_pytorch": functools.partial(_kink, "PyTorch"),
    "kink_jax": functools.partial(_kink, "JAX"),
    "where_branch": _where_branch,
    "which_curve": _which_curve,
    "leak_effect": _leak_effect,
    "smooth_at_0": _smooth_at_0,
    "dead_units": _dead_units,
    "sketch_df": _sketch_df,
}


# --- the API -----------------------------------------------------------------------


def make(kind: str, seed: int) -> Question:
    """The question of ``kind`` (one of :data:`KINDS`) for ``seed`` (0 … 2**64 - 1): the
    same every time. ``ValueError`` or ``TypeError`` for an unknown kind or a bad seed.

    >>> q = make("kink_pytorch", 2)
    >>> print(q.prompt)
    In PyTorch, y = `torch.nn.functional.leaky_relu(x, negative_slope=0.3)`. At exactly
    x = 0, what derivative dy/dx does autograd give? Type one number; answers within
    0.0005 count.
    >>> q.answer, sorted(q.hides)
    (0.3, ['definitions', 'derivative_chart', 'framework_facts', 'kink_dot', 'tables'])
    >>> make("kink_pytorch", 2) == q
    True
    >>> q = make("where_branch", 5)
    >>> q.choices, q.answer
    (('x <= 0: leak * x', 'x > 0: x'), 'x <= 0: leak * x')
    """
    if kind not in _MAKERS:
        raise ValueError(f"unknown question kind {kind!r}; known: {', '.join(KINDS)}")
    seed = _check_seed(seed)
    f = _MAKERS[kind](_rng(kind, seed))
    if f.get("answer_type") == SKETCH:
        return Question(kind, seed, **f)
    if "choices" in f:
        return Question(kind, seed, answer_type=CHOICE, **f)
    f["prompt"] += f" Type one number; answers within {_g(NUMBER_TOLERANCE)} count."
    f["answer"] = float(f["answer"])
    return Question(kind, seed, answer_type=NUMBER, tolerance=NUMBER_TOLERANCE, **f)


def another(q: Question) -> Question:
    """A new question of the same kind, with other values (the next seeds' first that
    differs; a kind with few variants, like ``dead_units``, comes round again).

    >>> q = make("df_at_x", 1)
    >>> r = another(q)
    >>> r.kind, r.seed > q.seed, r.prompt != q.prompt
    ('df_at_x', True, True)
    """
    seed = q.seed
    for _ in range(64):
        seed = (seed + 1) % (MAX_SEED + 1)
        new = make(q.kind, seed)
        # The values show in the prompt, or for some kinds only in the choices offered.
        if (new.prompt, new.choices) != (q.prompt, q.choices):
            return new
    return new


def for_student(session_seed: int, n: int = len(KINDS)) -> list[Question]:
    """A session's questions: every kind once in a per-session order, then again.

    ``session_seed`` is as :func:`make`'s seed; ``n`` an int in 0 … 10,000 (else
    ``ValueError``). Each question gets its own 32-bit seed, drawn from the session's.

    >>> qs = for_student(2024, 12)
    >>> len(qs), sorted({q.kind for q in qs[: len(KINDS)]}) == sorted(KINDS)
    (12, True)
    """
    session_seed = _check_seed(session_seed)
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= 10_000:
        raise ValueError(f"n must be an int in 0 … 10,000; got {n!r}")
    rng = _rng("for_student", session_seed)
    out: list[Question] = []
    while len(out) < n:
        for k in rng.permutation(len(KINDS)).tolist():
            # 32-bit seeds keep ids short; a session has far fewer questions than that.
            out.append(make(KINDS[k], int(rng.integers(2**32))))
    return out[:n]


def from_id(question_id: str) -> Question:
    """The question an id names (as :attr:`Question.id` writes it). The error never
    repeats the text it was given, so a page may show it as it is.

    >>> from_id("f_at_x-7") == make("f_at_x", 7)
    True
    """
    m = _ID.fullmatch(question_id) if isinstance(question_id, str) else None
    if m is None or m[1] not in _MAKERS or int(m[2]) > MAX_SEED:
        raise ValueError("not a question id: expected a kind and a seed, like f_at_x-7")
    return make(m[1], int(m[2]))


def check(q: Question, raw: str | None) -> Result:
    """Whether ``raw`` (the student's typed text, or the chosen choice) answers ``q``.

    A number is read with :func:`relulab_app.parse.parse_values` (never evaluated):
    exactly one finite number, right within ``q.tolerance``. A choice must be one of
    ``q.choices``. Never raises: unreadable text gets a message saying why (the
    parser's) and ``value=None``; a readable answer gets the right answer and the reason.

    >>> q = make("f_at_x", 6)
    >>> check(q, "-0.45").correct, check(q, "  -0.4502 ").correct, check(q, "-0.46").correct
    (True, True, False)
    >>> check(q, "1, 2")
    Result(correct=False, message='Type exactly one number; that is 2.', value=None)
    """
    if q.answer_type == SKETCH and raw is not None:
        return _check_sketch(q, raw)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        what = {NUMBER: "type one number.", CHOICE: "pick one of the choices."}.get(
            q.answer_type, "draw the curve and send it."
        )
        return Result(False, "No answer yet: " + what, None)
    if not isinstance(raw, str):
        return Result(False, "An answer is text: a number, or one of the choices.", None)
    if q.answer_type == CHOICE:
        pick = raw.strip()
        if pick not in q.choices:
            return Result(False, "Pick one of the choices.", None)
        if pick == q.answer:
            return Result(True, f"Right: {q.answer_text}. {q.explanation}", pick)
        return Result(False, f"Not quite: the answer is “{q.answer_text}”. {q.explanation}", pick)
    text = raw.rstrip()
    try:
        values = parse_values(text)
    except ParseError as error:
        return Result(False, f"Could not read that: {error}. Type one number, e.g. 0.5.", None)
    if values.size != 1:
        note = comma_note(text)
        how_many = f"Type exactly one number; that is {values.size:,}."
        return Result(False, how_many + (f" {note}" if note else ""), None)
    value = float(values[0])
    if not math.isfinite(value):
        return Result(False, "Type a finite number: nan and inf are not answers here.", None)
    # A hair of slack so that a value typed exactly at the stated tolerance counts,
    # whatever the binary rounding of the two decimals.
    if abs(value - q.answer) <= q.tolerance + 1e-9 * max(1.0, abs(q.answer)):
        return Result(True, f"Right: {q.answer_text}. {q.explanation}", value)
    return Result(
        False,
        f"Not quite: you typed {_g(value)}; the answer is {q.answer_text} "
        f"(answers within {_g(q.tolerance)} count). {q.explanation}",
        value,
    )


def _check_sketch(q: Question, raw: str) -> Result:
    """A sketch (the drawing element's JSON) against the question's true curve."""
    spec = sketch.Spec.loads(str(q.answer))
    try:
        drawn = sketch.simplify(sketch.parse(raw, spec.axes), spec.axes)
    except sketch.SketchError as error:
        return Result(False, str(error), None)
    score = spec.score(drawn)
    right = score.right
    verdict = "Right" if right else "Not quite"
    return Result(right, f"{verdict}: {score.summary()} {q.explanation}", sketch.dumps(drawn))
