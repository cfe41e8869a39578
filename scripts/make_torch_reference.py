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

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
SLOPES = [0.0, 0.01, 0.1, 0.2, 0.3, 0.5, 1.0, -0.5, 2.0]
# A fixed grid that includes 0 exactly, both signs, tiny and large magnitudes.
GRID = [-1e300, -50.2, -4.5, -2.2, -1.0, -0.6, -0.5, -1e-3, -1e-300, 0.0, 1e-300, 1e-3, 0.11,
        0.5, 1.0, 2.0, 3.0, 4.5, 33.5, 50.2, 1e300]  # fmt: skip
# Finite grid for the smooth functions too (their own overflow guards are tested apart).
CATALOGUE_GRID = [-50.0, -20.0, -4.5, -2.2, -1.0, -0.6, -1e-3, -1e-300, 0.0, 1e-300, 1e-3, 0.11,
                  0.5, 1.0, 2.0, 4.5, 20.0, 50.0]  # fmt: skip


def _case(grid: list[float], f) -> dict[str, list[float]]:
    """``f`` and its autograd derivative on ``grid``, in float64."""
    x = torch.tensor(grid, dtype=torch.float64, requires_grad=True)
    y = f(x)
    (grad,) = torch.autograd.grad(y.sum(), x)
    return {"y": y.detach().tolist(), "dy": grad.tolist()}


def _pytorch(key: str, params: dict[str, float], x: torch.Tensor) -> torch.Tensor:
    """The record's PyTorch line at ``x``; a line that builds a layer (PReLU) is applied."""
    y = eval(code_lines(key, params)["PyTorch"], {"torch": torch, "x": x})
    if isinstance(y, torch.nn.Module):
        y = y.to(torch.float64)(x)  # layers start in float32
    return y


def _write(name: str, source: str, grid: list[float], cases: list[dict]) -> None:
    path = DATA / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"source": source, "x": grid, "cases": cases}, indent=1) + "\n")
    print(f"wrote {path}")


def main() -> None:
    leaky = [
        {"slope": s, **_case(GRID, lambda x, s=s: torch.nn.functional.leaky_relu(x, s))}
        for s in SLOPES
    ]
    source = f"torch {torch.__version__}, torch.nn.functional.leaky_relu, float64"
    _write("torch_leaky_relu.json", source, GRID, leaky)
    catalogue = [
        {
            "key": key,
            "params": params,
            "line": code_lines(key, params)["PyTorch"],
            **_case(CATALOGUE_GRID, lambda x, key=key, params=params: _pytorch(key, params, x)),
        }
        for key, act in REGISTRY.items()
        for params in act.param_sets()
    ]
    source = f"torch {torch.__version__}, each record's PyTorch line, float64, autograd"
    _write("torch_catalogue.json", source, CATALOGUE_GRID, catalogue)


if __name__ == "__main__":
    main()
