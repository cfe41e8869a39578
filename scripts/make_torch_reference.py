"""Write tests/data/torch_leaky_relu.json: PyTorch's leaky_relu and its autograd derivative.

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


if __name__ == "__main__":
    main()
