"""Write tests/data/torch_leaky_relu.json and tests/data/torch_catalogue.json: PyTorch's
values and autograd derivatives of leaky_relu and of every activation in the registry.

An independent reference for relulab: values and gradients come from PyTorch's own
kernels, not from relulab. For the catalogue, each record's PyTorch line (its ``code``
template, as the page prints it) is evaluated at the record's parameter sets, so a new
record needs nothing here, and a wrong PyTorch line shows up as a mismatch in the tests.
Needs torch and relulab importable (a CPU build of torch is enough; the tests only read
the committed JSON):

    PYTHONPATH=src python scripts/make_torch_reference.py
"""

from __future__ import annotations

import json
from pathlib import Path

import torch

from relulab.frameworks import code_lines
from relulab.registry import REGISTRY

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


def _pytorch(key: str, params: dict[str, float], x: torch.Tensor) -> torch.Tensor:
    """The record's PyTorch line at ``x``; a line that builds a layer (PReLU) is applied."""
    line = code_lines(key, params)["PyTorch"]
    y = eval(line, {"torch": torch, "x": x})
    if isinstance(y, torch.nn.Module):
        y = y.to(torch.float64)(x)  # layers start in float32
    return y


# Finite grid for the smooth functions too (their own overflow guards are tested apart).
CATALOGUE_GRID = [-50.0, -20.0, -4.5, -2.2, -1.0, -0.6, -1e-3, -1e-300, 0.0, 1e-300, 1e-3, 0.11,
                  0.5, 1.0, 2.0, 4.5, 20.0, 50.0]  # fmt: skip


def catalogue() -> None:
    cases = []
    for key, act in REGISTRY.items():
        for params in act.param_sets():
            x = torch.tensor(CATALOGUE_GRID, dtype=torch.float64, requires_grad=True)
            y = _pytorch(key, params, x)
            (grad,) = torch.autograd.grad(y.sum(), x)
            line = code_lines(key, params)["PyTorch"]
            cases.append(
                {
                    "key": key,
                    "params": params,
                    "line": line,
                    "y": y.detach().tolist(),
                    "dy": grad.tolist(),
                }
            )
    doc = {
        "source": f"torch {torch.__version__}, each record's PyTorch line, float64, autograd",
        "x": CATALOGUE_GRID,
        "cases": cases,
    }
    path = Path(__file__).resolve().parent.parent / "tests" / "data" / "torch_catalogue.json"
    path.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
