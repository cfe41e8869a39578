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


def encode(payload) -> bytes:
    """``payload`` (dicts, lists, strings, numbers, numpy arrays) as strict UTF-8 JSON."""
    out: list[str] = []
    _write(payload, out)
    return "".join(out).encode()
