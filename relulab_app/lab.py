"""The dying-ReLU lab: a small multilayer perceptron in numpy, trained twice from the
same initial weights — once with ReLU, once with Leaky ReLU — on a 2-D toy dataset.

A hidden unit is *dead* when its pre-activation is <= 0 for every training example:
under ReLU its output is 0 and its weights get no gradient; only what Adam's momentum
still carries, or (in the second layer) a change in the first layer's outputs, can bring
it back. Under Leaky ReLU the same unit still passes ``leak`` times its gradient.
Everything is deterministic for a given setting (fixed seeds).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from relulab.activations import relu, relu_dash


def two_moons(n: int = 200, noise: float = 0.15, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles, standardized; labels 0 and 1 (n points in all).

    >>> X, y = two_moons(10)
    >>> X.shape, y.shape, sorted(set(y.tolist()))
    ((10, 2), (10,), [0.0, 1.0])
    """
    rng = np.random.default_rng(seed)
    half = n // 2
    t = np.pi * rng.random(n)
    outer = np.column_stack([np.cos(t[:half]), np.sin(t[:half])])
    inner = np.column_stack([1 - np.cos(t[half:]), 0.5 - np.sin(t[half:])])
    X = np.vstack([outer, inner]) + noise * rng.standard_normal((n, 2))
    y = np.concatenate([np.zeros(half), np.ones(n - half)])
    return (X - X.mean(0)) / X.std(0), y


@dataclass(frozen=True)
class Setting:
    """One training run's knobs (all the lab's sliders)."""

    leak: float = 0.1
    learning_rate: float = 0.05
    bias_shift: float = -2.0
    width: int = 32
    epochs: int = 300
    seed: int = 0


# Checked by tests/test_lab.py: under the first two, ReLU ends with far more dead units
# (and a worse fit) than Leaky ReLU at leak 0.1; the third is the control.
PRESETS: dict[str, Setting] = {
    "Negative bias start": Setting(bias_shift=-2.0, learning_rate=0.05),
    "Too large a learning rate": Setting(bias_shift=0.0, learning_rate=2.0),
    "Healthy start (control)": Setting(bias_shift=0.0, learning_rate=0.05),
}


def init_params(setting: Setting) -> list[np.ndarray]:
    """He-initialized weights for 2 -> width -> width -> 1; hidden biases = bias_shift."""
    rng = np.random.default_rng(setting.seed + 1)
    w = setting.width
    return [
        rng.standard_normal((2, w)) * np.sqrt(2 / 2),
        np.full(w, setting.bias_shift),
        rng.standard_normal((w, w)) * np.sqrt(2 / w),
        np.full(w, setting.bias_shift),
        rng.standard_normal((w, 1)) * np.sqrt(2 / w),
        np.zeros(1),
    ]


def forward(params: list[np.ndarray], X: np.ndarray, leak: float) -> tuple[np.ndarray, list]:
    """Logits (n,) and the cache the backward pass needs (inputs and pre-activations)."""
    W1, b1, W2, b2, W3, b3 = params
    z1 = X @ W1 + b1
    a1 = relu(z1, leak)
    z2 = a1 @ W2 + b2
    a2 = relu(z2, leak)
    return (a2 @ W3 + b3)[:, 0], [X, z1, a1, z2, a2]


def loss_and_grads(
    params: list[np.ndarray], X: np.ndarray, y: np.ndarray, leak: float
) -> tuple[float, list[np.ndarray], list]:
    """Mean binary cross-entropy on the logits, its gradients, and the forward cache."""
    _, _, W2, _, W3, _ = params
    logits, cache = forward(params, X, leak)
    _, z1, a1, z2, a2 = cache
    # log(1 + e^z) - y z, written so it never overflows
    loss = float(np.mean(np.logaddexp(0.0, logits) - y * logits))
    d3 = ((0.5 * (1 + np.tanh(logits / 2))) - y)[:, None] / len(y)  # sigmoid - y
    dW3, db3 = a2.T @ d3, d3.sum(0)
    d2 = (d3 @ W3.T) * relu_dash(z2, leak)
    dW2, db2 = a1.T @ d2, d2.sum(0)
    d1 = (d2 @ W2.T) * relu_dash(z1, leak)
    dW1, db1 = X.T @ d1, d1.sum(0)
    return loss, [dW1, db1, dW2, db2, dW3, db3], cache


def dead_fraction(pre_activations: list[np.ndarray]) -> float:
    """Share of hidden units whose pre-activation is <= 0 for every example.

    >>> dead_fraction([np.array([[-1.0, 2.0], [-0.5, -1.0]]), np.array([[0.0], [0.0]])])
    0.6666666666666666
    """
    dead = sum(int(np.sum(np.all(z <= 0, axis=0))) for z in pre_activations)
    return dead / sum(z.shape[1] for z in pre_activations)


@dataclass
class History:
    loss: list[float] = field(default_factory=list)
    dead: list[float] = field(default_factory=list)
    accuracy: float = 0.0
    params: list[np.ndarray] = field(default_factory=list)


def train(setting: Setting, leak: float, X: np.ndarray, y: np.ndarray, progress=None) -> History:
    """Full-batch Adam from the setting's initial weights; loss and dead fraction per epoch."""
    params = init_params(setting)
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    b1, b2, eps = 0.9, 0.999, 1e-8
    history = History()
    for epoch in range(1, setting.epochs + 1):
        loss, grads, cache = loss_and_grads(params, X, y, leak)
        history.loss.append(loss)
        history.dead.append(dead_fraction([cache[1], cache[3]]))
        for p, g, mi, vi in zip(params, grads, m, v, strict=True):
            mi[...] = b1 * mi + (1 - b1) * g
            vi[...] = b2 * vi + (1 - b2) * g * g
            m_hat, v_hat = mi / (1 - b1**epoch), vi / (1 - b2**epoch)
            p -= setting.learning_rate * m_hat / (np.sqrt(v_hat) + eps)
        if progress is not None and epoch % 25 == 0:
            progress(epoch / setting.epochs)
    logits, _ = forward(params, X, leak)
    history.accuracy = float(np.mean((logits > 0) == (y == 1)))
    history.params = params
    return history


def _came_back(dead: list[float], units: int) -> str:
    """A clause saying how many units came back in a run, only if its count of dead
    units fell from its peak (else nothing: a fall not measured is not claimed)."""
    counts = np.rint(np.asarray(dead) * units).astype(int)
    peak = int(counts.max())
    if peak <= counts[-1]:
        return ""
    back = peak - int(counts[-1])
    return f"; at epoch {int(counts.argmax()) + 1} there were {peak}, so at least {back} came back"


def dead_units_text(setting: Setting, relu: History, leaky: History) -> str:
    """The lab's sentence on dead units (markdown), said from the two runs' counts at
    the last epoch: which network has more, or as many, and that units came back only
    where a run's count fell. ``relu`` and ``leaky`` are :func:`train`'s histories
    for ``setting`` at leak 0 and at ``setting.leak``.

    >>> s = Setting(width=4)
    >>> r = History(dead=[0.25, 0.5]); k = History(dead=[0.75, 0.125])
    >>> print(dead_units_text(s, r, k))  # doctest: +NORMALIZE_WHITESPACE
    After 2 epochs **50%** (4 of 8) of the ReLU network's hidden units are dead: their
    input is ≤ 0 for every training point, so they output 0 and their weights get no
    gradient. Leaky ReLU (0.1) has fewer: **12%** (1 of 8) of its units get input ≤ 0
    everywhere, and each still passes 0.1 × the gradient; at epoch 1 there were 6, so at
    least 5 came back.
    """
    units = 2 * setting.width
    epochs = len(relu.dead)
    r, k = (round(h.dead[-1] * units) for h in (relu, leaky))

    def share(n: int) -> str:
        return f"**{n / units:.0%}** ({n} of {units})"

    why = (
        "input is ≤ 0 for every training point, so they output 0 and their weights get no gradient"
    )
    if setting.leak == 0:
        return (
            f"With a leak of 0 both networks are ReLU. After {epochs} epochs {share(r)} of "
            f"their hidden units are dead: their {why}{_came_back(relu.dead, units)}."
        )
    if r == 0:
        first = f"After {epochs} epochs none of the ReLU network's {units} hidden units is dead"
    else:
        first = (
            f"After {epochs} epochs {share(r)} of the ReLU network's hidden units are dead: "
            f"their {why}{_came_back(relu.dead, units)}"
        )
    name, leak = f"Leaky ReLU ({setting.leak:g})", f"{setting.leak:g}"
    if k == 0:
        second = f"{name} has {'none either' if r == 0 else 'none'}"
    else:
        more = "fewer" if k < r else "as many" if k == r else "more here"
        second = (
            f"{name} has {more}: {share(k)} of its units get input ≤ 0 everywhere, and "
            f"each still passes {leak} × the gradient{_came_back(leaky.dead, units)}"
        )
    return f"{first}. {second}."


def decision_grid(params: list[np.ndarray], leak: float, n: int = 40) -> tuple:
    """Class-1 probability on an n x n grid over the standardized data's box."""
    g = np.linspace(-3.0, 3.0, n)
    gx, gy = np.meshgrid(g, g)
    logits, _ = forward(params, np.column_stack([gx.ravel(), gy.ravel()]), leak)
    return g, g, (0.5 * (1 + np.tanh(logits / 2))).reshape(n, n)
