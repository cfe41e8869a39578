"""Name -> activation record (:class:`relulab.record.Activation`), in the order the
page's picker lists them. The page's picker, its sliders, the sampler's vertices and the
dots at its kinks, the code lines and the tests all iterate :data:`REGISTRY`; a new
activation is its function pair and its record in :mod:`relulab.catalogue`, and its exact
reference in the tests (tests/reference.py), as Keras keeps its reference functions in
its tests.
"""

from __future__ import annotations

from relulab.catalogue import RECORDS
from relulab.record import LIBRARIES, Activation, Kink, Param

__all__ = ["LIBRARIES", "REGISTRY", "Activation", "Kink", "Param", "get"]

REGISTRY: dict[str, Activation] = {a.key: a for a in RECORDS}


def get(key: str) -> Activation:
    """The activation registered under ``key``; ``KeyError`` lists the known ones."""
    try:
        return REGISTRY[key]
    except KeyError:
        known = ", ".join(REGISTRY)
        raise KeyError(f"unknown activation {key!r}; known: {known}") from None
