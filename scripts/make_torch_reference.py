"""Write tests/data/torch_leaky_relu.json and tests/data/torch_catalogue.json: PyTorch's
values and autograd derivatives of leaky_relu and of every activation in the registry.

An independent reference for relulab: values and gradients come from PyTorch's own
kernels, not from relulab. Needs torch (``pip install torch``); the tests only read
the committed JSON.

    python scripts/make_torch_reference.py
"""

from __future__ import annotations

import json
from pathlib import Path

import torch

SLOPES = [0.0, 0.01, 0.1, 0.2, 0.3, 0.5, 1.0, -0.5, 2.0]
# A fixed grid that includes 0 exactly, both signs, tiny and large magnitudes.
GRID = [
    -1e300,
    -50.2,
    -4.5,
    -2.2,
    -1.0,
    -0.6,
    -0.5,
    -1e-3,
    -1e-300,
    0.0,
    1e-300,
    1e-3,
    0.11,
    0.5,
    1.0,
    2.0,
    3.0,
    4.5,
    33.5,
    50.2,
    1e300,
]


def main() -> None:
    cases = []
    for slope in SLOPES:
        x = torch.tensor(GRID, dtype=torch.float64, requires_grad=True)
        y = torch.nn.functional.leaky_relu(x, negative_slope=slope)
        (grad,) = torch.autograd.grad(y.sum(), x)
        cases.append({"slope": slope, "y": y.detach().tolist(), "dy": grad.tolist()})
    doc = {
        "source": f"torch {torch.__version__}, torch.nn.functional.leaky_relu, float64",
        "x": GRID,
        "cases": cases,
    }
    path = Path(__file__).resolve().parent.parent / "tests" / "data" / "torch_leaky_relu.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {path}")
    catalogue()


def _torch_fns():
    """Registry key -> (PyTorch function of (x, **params), parameter sets)."""
    F = torch.nn.functional
    return {
        "relu": (lambda x: F.relu(x), [{}]),
        "leaky_relu": (lambda x, leak: F.leaky_relu(x, leak), [{"leak": 0.1}, {"leak": 0.37}]),
        "prelu": (
            lambda x, a: F.prelu(x, torch.tensor([a], dtype=torch.float64)),
            [{"a": 0.25}, {"a": 0.6}],
        ),
        "elu": (lambda x, alpha: F.elu(x, alpha), [{"alpha": 1.0}, {"alpha": 0.5}]),
        "selu": (lambda x: F.selu(x), [{}]),
        "gelu": (lambda x: F.gelu(x), [{}]),
        "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"), [{}]),
        "silu": (lambda x, beta: x * torch.sigmoid(beta * x), [{"beta": 1.0}, {"beta": 2.5}]),
        "softplus": (
            lambda x, beta, threshold: F.softplus(x, beta, threshold),
            [{"beta": 1.0, "threshold": 20.0}, {"beta": 2.5, "threshold": 10.0}],
        ),
        "sigmoid": (lambda x: torch.sigmoid(x), [{}]),
        "tanh": (lambda x: torch.tanh(x), [{}]),
    }


# Finite grid for the smooth functions too (their own overflow guards are tested apart).
CATALOGUE_GRID = [-50.0, -20.0, -4.5, -2.2, -1.0, -0.6, -1e-3, -1e-300, 0.0, 1e-300, 1e-3, 0.11,
                  0.5, 1.0, 2.0, 4.5, 20.0, 50.0]  # fmt: skip


def catalogue() -> None:
    cases = []
    for key, (fn, param_sets) in _torch_fns().items():
        for params in param_sets:
            x = torch.tensor(CATALOGUE_GRID, dtype=torch.float64, requires_grad=True)
            y = fn(x, **params)
            (grad,) = torch.autograd.grad(y.sum(), x)
            cases.append(
                {"key": key, "params": params, "y": y.detach().tolist(), "dy": grad.tolist()}
            )
    doc = {
        "source": f"torch {torch.__version__}, torch.nn.functional, float64, autograd",
        "x": CATALOGUE_GRID,
        "cases": cases,
    }
    path = Path(__file__).resolve().parent.parent / "tests" / "data" / "torch_catalogue.json"
    path.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
