"""Write tests/data/torch_leaky_relu.json and tests/data/torch_catalogue.json: PyTorch's
values and autograd derivatives of leaky_relu and of every activation in the registry.

An independent reference for relulab: values and gradients come from PyTorch's own
kernels, not from relulab. For the catalogue, each record's PyTorch line (its ``code``
template, as the page prints it) is evaluated at the record's parameter sets, so a new
record needs nothing here, and a wrong PyTorch line shows up as a mismatch in the tests.
Needs torch and relulab importable (a CPU build of torch is enough; the tests only read
the committed JSON):

    PYTHONPATH=src python scripts/make_torch_reference.py

Where torch cannot be installed, ``--exact-for-new`` keeps the committed torch cases
whose line is unchanged and fills in the others from the exact definitions in
tests/reference.py (mpmath at 256 bits, rounded to float64), each such case marked
with its ``source``, until the script is run with torch:

    PYTHONPATH=src:tests python scripts/make_torch_reference.py --exact-for-new
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from relulab.frameworks import code_lines
from relulab.registry import REGISTRY

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
EXACT_SOURCE = "tests/reference.py: the definition in mpmath, rounded; torch not installed"
SLOPES = [0.0, 0.01, 0.1, 0.2, 0.3, 0.5, 1.0, -0.5, 2.0]
# A fixed grid that includes 0 exactly, both signs, tiny and large magnitudes.
GRID = [-1e300, -50.2, -4.5, -2.2, -1.0, -0.6, -0.5, -1e-3, -1e-300, 0.0, 1e-300, 1e-3, 0.11,
        0.5, 1.0, 2.0, 3.0, 4.5, 33.5, 50.2, 1e300]  # fmt: skip
# Finite grid for the smooth functions too (their own overflow guards are tested apart).
CATALOGUE_GRID = [-50.0, -20.0, -4.5, -2.2, -1.0, -0.6, -1e-3, -1e-300, 0.0, 1e-300, 1e-3, 0.11,
                  0.5, 1.0, 2.0, 4.5, 20.0, 50.0]  # fmt: skip


def _case(grid: list[float], f) -> dict[str, list[float]]:
    """``f`` and its autograd derivative on ``grid``, in float64."""
    import torch

    x = torch.tensor(grid, dtype=torch.float64, requires_grad=True)
    y = f(x)
    (grad,) = torch.autograd.grad(y.sum(), x)
    return {"y": y.detach().tolist(), "dy": grad.tolist()}


def _pytorch(key: str, params: dict[str, float], x):
    """The record's PyTorch line at ``x``; a line that builds a layer (PReLU) is applied."""
    import torch

    y = eval(code_lines(key, params)["PyTorch"], {"torch": torch, "x": x})
    if isinstance(y, torch.nn.Module):
        y = y.to(torch.float64)(x)  # layers start in float32
    return y


def _write(name: str, doc: dict) -> None:
    path = DATA / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {path}")


def main() -> None:
    if sys.argv[1:] == ["--exact-for-new"]:
        return exact_for_new()
    import torch

    leaky = [
        {"slope": s, **_case(GRID, lambda x, s=s: torch.nn.functional.leaky_relu(x, s))}
        for s in SLOPES
    ]
    source = f"torch {torch.__version__}, torch.nn.functional.leaky_relu, float64"
    _write("torch_leaky_relu.json", {"source": source, "x": GRID, "cases": leaky})
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
    _write("torch_catalogue.json", {"source": source, "x": CATALOGUE_GRID, "cases": catalogue})


def exact_for_new() -> None:
    """torch_catalogue.json for today's records without torch: see the docstring."""
    from reference import reference, reference_dash

    doc = json.loads((DATA / "torch_catalogue.json").read_text())
    kept = {(c["key"], json.dumps(c["params"]), c["line"]): c for c in doc["cases"]}
    cases = []
    for key, act in REGISTRY.items():
        for params in act.param_sets():
            line = code_lines(key, params)["PyTorch"]
            case = kept.get((key, json.dumps(params), line))
            if case is None or case.get("source") == EXACT_SOURCE:
                case = {
                    "key": key,
                    "params": params,
                    "line": line,
                    "source": EXACT_SOURCE,
                    "y": [reference(key, v, **params) for v in doc["x"]],
                    "dy": [reference_dash(key, v, **params) for v in doc["x"]],
                }
            cases.append(case)
    _write("torch_catalogue.json", {**doc, "cases": cases})
    new = sum(c.get("source") == EXACT_SOURCE for c in cases)
    print(f"{len(cases) - new} torch cases kept, {new} from the definitions")


if __name__ == "__main__":
    main()
