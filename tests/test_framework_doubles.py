"""The framework doubles (tests/framework_doubles.py) have the frameworks' real signatures.

No framework is installed where the tests run, so the doubles are held to signatures
recorded from the frameworks' own sources (tests/data/framework_signatures.json, which
names them). A double with a wrong parameter name or default would let a wrong code line
on the page pass its check; this catches it without PyTorch, TensorFlow, Keras or JAX.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import framework_doubles
import pytest

RECORDED = json.loads(
    (Path(__file__).parent / "data" / "framework_signatures.json").read_text(encoding="utf-8")
)["signatures"]
DOUBLES = {
    path: double
    for namespace in framework_doubles.DOUBLES.values()
    for path, double in framework_doubles.walk(namespace)
}


def _params(sig: inspect.Signature) -> list[tuple[str, object, object]]:
    return [(p.name, p.kind, p.default) for p in sig.parameters.values()]


def test_every_double_has_a_recorded_signature():
    assert set(DOUBLES) <= set(RECORDED), sorted(set(DOUBLES) - set(RECORDED))


@pytest.mark.parametrize("path", sorted(DOUBLES))
def test_double_has_the_recorded_signature(path):
    real = inspect.signature(eval(f"lambda {RECORDED[path]}: None"))
    got = _params(inspect.signature(DOUBLES[path]))
    want = [p for p in _params(real) if p[1] is not inspect.Parameter.VAR_KEYWORD]
    if len(want) < len(real.parameters):
        # The real one takes **kwargs (a Keras layer's name, dtype, ...): the double
        # spells out the ones it accepts, after the named ones.
        assert got[: len(want)] == want, (path, got, want)
    else:
        assert got == want, (path, got, want)
