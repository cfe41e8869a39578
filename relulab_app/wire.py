"""Figures as the page's chart element receives them: compact, strict JSON bytes.

The chart element (``relulab_app.chart``) hands the browser one payload per chart pair
and the browser parses it with ``JSON.parse``, which rejects the ``NaN`` and
``Infinity`` that :func:`json.dumps` writes by default. So every non-finite number
becomes ``null`` (Plotly draws ``null`` as a gap, which is what a gap in a curve
means), numpy arrays become lists, and nothing else is accepted: a value of any
other type is a bug in a figure builder and raises ``TypeError`` here, on the
server, instead of drawing something wrong in the browser.

Arrays are written with 9 significant digits: more than a chart or a hover label
at 4 digits can show, and about half the bytes of Python's 17-digit ``repr``.
Plain Python floats keep ``repr`` (the builders use them for exact vertices).

>>> encode({"x": np.array([0.1, np.nan, 1 / 3]), "y": [1.5, float("inf")], "n": "f′"})
b'{"x":[0.1,null,0.333333333],"y":[1.5,null],"n":"f\\xe2\\x80\\xb2"}'
"""

from __future__ import annotations

import json
import math

import numpy as np

_DIGITS = "%.9g"


def _array(a: np.ndarray, out: list[str]) -> None:
    a = np.asarray(a)
    if a.dtype.kind == "b":
        out.append(json.dumps(a.tolist()))
        return
    if a.dtype.kind not in "fiu":
        raise TypeError(f"cannot send an array of dtype {a.dtype} to the chart")
    if a.ndim != 1:
        out.append("[")
        for i, row in enumerate(a):
            if i:
                out.append(",")
            _array(row, out)
        out.append("]")
        return
    if a.dtype.kind in "iu":
        out.append(json.dumps(a.tolist()))
        return
    text = np.char.mod(_DIGITS, a.astype(np.float64)).astype(object)  # room for "null"
    text[~np.isfinite(a)] = "null"
    out.append("[" + ",".join(text.tolist()) + "]")


def _write(obj, out: list[str]) -> None:
    if isinstance(obj, dict):
        out.append("{")
        for i, (k, v) in enumerate(obj.items()):
            if not isinstance(k, str):
                raise TypeError(f"chart keys must be strings; got {k!r}")
            if i:
                out.append(",")
            out.append(json.dumps(k, ensure_ascii=False))
            out.append(":")
            _write(v, out)
        out.append("}")
    elif isinstance(obj, list | tuple):
        out.append("[")
        for i, v in enumerate(obj):
            if i:
                out.append(",")
            _write(v, out)
        out.append("]")
    elif isinstance(obj, str):
        out.append(json.dumps(obj, ensure_ascii=False))
    elif obj is None or isinstance(obj, bool):
        out.append(json.dumps(obj))
    elif isinstance(obj, int | np.integer):
        out.append(str(int(obj)))
    elif isinstance(obj, float | np.floating):
        v = float(obj)
        out.append(repr(v) if math.isfinite(v) else "null")
    elif isinstance(obj, np.ndarray):
        _array(obj, out)
    else:
        raise TypeError(f"cannot send {type(obj).__name__} to the chart")


def _refuse(obj):
    raise TypeError(f"not plain JSON: {type(obj).__name__}")


# The article view's payload is all plain JSON values (its figure builders hand over
# lists, not arrays): json's C encoder writes it byte for byte as _write would (0.52 ->
# 0.14 ms a payload, the key check included). Anything else (an array, a numpy scalar
# but float64, a NaN or an infinity) makes it give up, and _write does the job.
_PLAIN = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_refuse
)


_NESTED = (dict, list, tuple)
_MAX_NESTED = 100_000  # a chart payload has a few hundred


def _string_keys(obj) -> bool:
    """Whether every dict in ``obj`` has only string keys (json would write 1 as "1";
    a key of another type is a builder's bug, which _write refuses). False past
    _MAX_NESTED containers: a payload that holds itself is _write's to refuse."""
    stack, left = [obj], _MAX_NESTED
    while stack:
        o = stack.pop()
        left -= 1
        if left < 0:
            return False
        if isinstance(o, dict):
            if not all(isinstance(k, str) for k in o):
                return False
            stack.extend([v for v in o.values() if isinstance(v, _NESTED)])
        elif isinstance(o, list | tuple):
            stack.extend([v for v in o if isinstance(v, _NESTED)])
    return True


def encode(payload) -> bytes:
    """``payload`` (dicts, lists, strings, numbers, numpy arrays) as strict UTF-8 JSON."""
    if _string_keys(payload):
        try:
            return _PLAIN.encode(payload).encode()
        except (TypeError, ValueError):
            pass  # not plain JSON: written below, value by value
    out: list[str] = []
    _write(payload, out)
    return "".join(out).encode()


# --- a payload's changes, for the chart element's slider steps -----------------------


def _leaf(obj) -> bool:
    """Whether ``diff`` compares ``obj`` whole: anything but a dict, or a list that
    holds dicts (a figure's traces, annotations). An array of numbers is one leaf."""
    if isinstance(obj, dict):
        return False
    if isinstance(obj, list | tuple):
        return not any(isinstance(v, dict) for v in obj)
    return True


def diff(base, other, path: tuple = ()) -> list[list]:
    """The changes that turn ``base`` into ``other``: ``[path, value]`` pairs, a path
    being the keys and list indices down to the value. Where the two differ in shape
    (other keys, another length, a dict against a leaf) the whole part is replaced.
    Leaves are compared as :func:`encode` writes them, so a change the browser could
    not see (a float beyond 9 digits in an array) is no change, and every value sent
    is the one a full payload would carry.

    >>> a = {"data": [{"y": np.array([0.0, 1.0]), "name": "a"}], "n": 2}
    >>> diff(a, {"data": [{"y": np.array([0.5, 1.0]), "name": "a"}], "n": 3})
    [[['data', 0, 'y'], array([0.5, 1. ])], [['n'], 3]]
    >>> diff(a, a)
    []
    """
    if _leaf(base) or _leaf(other):
        same = _leaf(base) and _leaf(other) and encode(base) == encode(other)
        return [] if same else [[list(path), other]]
    if isinstance(base, dict) != isinstance(other, dict):
        return [[list(path), other]]
    if isinstance(base, dict):
        if list(base) != list(other):
            return [[list(path), other]]
        return [c for k in base for c in diff(base[k], other[k], (*path, k))]
    if len(base) != len(other):
        return [[list(path), other]]
    pairs = enumerate(zip(base, other, strict=True))
    return [c for i, (a, b) in pairs for c in diff(a, b, (*path, i))]


def patch(base, changes: list[list]):
    """``base`` with ``changes`` (from :func:`diff`) made, as a new object; ``base`` is
    not modified. The chart element does the same in the browser (``applySteps``).

    >>> base = {"data": [{"y": [0, 1]}], "n": 2}
    >>> patch(base, [[["data", 0, "y"], [5, 1]], [["n"], 3]])
    {'data': [{'y': [5, 1]}], 'n': 3}
    >>> base
    {'data': [{'y': [0, 1]}], 'n': 2}
    >>> patch(base, [[[], "all of it"]])
    'all of it'
    """
    out = base
    for path, value in changes:
        if not path:
            out = value
            continue
        out = _copy_along(out, path)
        node = out
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return out


def _copy_along(obj, path: list):
    """A copy of ``obj`` in which the containers along ``path`` are new (shallow copies),
    so that setting the value at its end leaves ``obj`` as it was."""
    top = obj.copy() if isinstance(obj, dict) else list(obj)
    node = top
    for key in path[:-1]:
        child = node[key]
        node[key] = child.copy() if isinstance(child, dict) else list(child)
        node = node[key]
    return top
