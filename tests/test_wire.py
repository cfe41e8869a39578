"""The chart element's payload encoding: strict JSON that the browser's JSON.parse takes."""

from __future__ import annotations

import enum
import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from relulab_app import wire


def _strict(data: bytes):
    """Parse as JSON.parse would: NaN, Infinity and -Infinity are not JSON."""

    def refuse(name):
        raise ValueError(f"not JSON: {name}")

    return json.loads(data, parse_constant=refuse)


@given(
    hnp.arrays(
        st.sampled_from([np.float64, np.float32, np.float16]),
        hnp.array_shapes(max_dims=2, max_side=20),
        elements={"allow_nan": True, "allow_infinity": True},
    )
)
def test_any_float_array_is_strict_json_with_gaps_for_non_finite_values(a):
    back = _strict(wire.encode({"y": a}))["y"]
    flat = np.asarray(back, dtype=object).ravel() if a.ndim else [back]
    for got, want in zip(flat, a.ravel(), strict=True):
        if np.isfinite(want):
            # Each number to its own precision: a float32 as the shortest decimal that
            # reads back as that float32.
            assert got == pytest.approx(float(want), rel=float(np.finfo(a.dtype).eps))
        else:
            assert got is None


def test_python_floats_keep_every_digit():
    # The article's vertices are exact floats; the chart gets them to the last bit.
    v = 0.1 * -2.2
    assert _strict(wire.encode([v, float("nan"), float("-inf")])) == [v, None, None]


def test_text_is_escaped_as_json():
    text = 'f′ "quoted" </script>\n'
    assert _strict(wire.encode({"name": text})) == {"name": text}


@pytest.mark.parametrize(
    "bad", [object(), {1: "x"}, np.array(["a"]), np.array([1 + 2j]), {1.5}, b"raw"]
)
def test_anything_else_is_refused_on_the_server(bad):
    with pytest.raises(TypeError):
        wire.encode({"x": bad})


def test_integers_booleans_and_none():
    payload = {"n": 3, "i": np.int64(4), "b": True, "z": None, "a": np.arange(3)}
    assert _strict(wire.encode(payload)) == {"n": 3, "i": 4, "b": True, "z": None, "a": [0, 1, 2]}


class _Side(enum.IntEnum):  # an int subclass, as a builder might hand over
    LEFT = 0
    RIGHT = 1


_floats = st.floats(allow_nan=True, allow_infinity=True)
_plain_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    _floats,
    st.text(),  # quotes, controls, </script>, any code point but a lone surrogate
    _floats.map(np.float64),
    st.floats(width=32).map(np.float32),
    st.integers(-(2**63), 2**63 - 1).map(np.int64),
    st.booleans().map(np.bool_),
    st.sampled_from(_Side),
)
_plain = st.recursive(
    _plain_leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=3), inner, max_size=4),
    ),
    max_leaves=20,
)


def _as_parsed(v):
    """What JSON.parse gives back for ``v``: a gap for a non-finite number, a list for a
    tuple, a float32 as the shortest decimal that is that float32."""
    if isinstance(v, dict):
        return {k: _as_parsed(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_as_parsed(x) for x in v]
    if isinstance(v, bool | np.bool_):
        return bool(v)
    if isinstance(v, float | np.floating):
        return (
            (float(str(v)) if isinstance(v, np.float32) else float(v)) if np.isfinite(v) else None
        )
    if isinstance(v, int | np.integer):
        return int(v)
    return v


@given(_plain)
def test_plain_payloads_come_back_as_sent_with_gaps_for_non_finite_numbers(payload):
    assert _strict(wire.encode(payload)) == _as_parsed(payload)


def test_an_array_slice_is_sent_as_its_values():
    assert _strict(wire.encode(np.arange(6.0)[::2])) == [0, 2, 4]


def test_a_payload_that_holds_itself_is_refused():
    loop: list = [1.0]
    loop.append(loop)
    with pytest.raises(TypeError):
        wire.encode({"x": loop})
