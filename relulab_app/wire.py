"""Figures as the page's chart element receives them: compact, strict JSON bytes.

The browser parses the payload with ``JSON.parse``, which rejects the ``NaN`` and
``Infinity`` that :func:`json.dumps` writes by default. orjson writes every non-finite
number as ``null`` (Plotly draws ``null`` as a gap, which is what a gap in a curve
means) and numpy arrays as lists; nothing else is accepted: a value of any other type
is a bug in a figure builder and raises ``TypeError`` here, on the server, instead of
drawing something wrong in the browser.

>>> encode({"x": np.array([0.1, np.nan, 0.5]), "y": [1.5, float("inf")], "n": "f′"})
b'{"x":[0.1,null,0.5],"y":[1.5,null],"n":"f\\xe2\\x80\\xb2"}'
"""

from __future__ import annotations

import numpy as np
import orjson


def _array(obj):
    """The arrays orjson leaves to us: a slice (not contiguous) or a float16 one."""
    if isinstance(obj, np.ndarray) and obj.dtype.kind in "biuf":
        return np.ascontiguousarray(obj, np.float64 if obj.dtype.kind == "f" else None)
    raise TypeError(f"cannot send {type(obj).__name__} to the chart")


def encode(payload) -> bytes:
    """``payload`` (dicts, lists, strings, numbers, numpy arrays) as strict UTF-8 JSON."""
    return orjson.dumps(payload, default=_array, option=orjson.OPT_SERIALIZE_NUMPY)
