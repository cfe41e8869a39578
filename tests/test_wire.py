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
            assert got == pytest.approx(float(want), rel=1e-8)
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
    st.integers(-(2**70), 2**70),
    _floats,
    st.text(),  # quotes, controls, </script>, any code point but a lone surrogate
    # numpy scalars: float64 is a float subclass (json writes it), the others are not
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


def _outcome(encode, payload) -> bytes | type:
    try:
        return encode(payload)
    except (TypeError, ValueError) as e:
        return type(e)


def _value_by_value(payload) -> bytes:
    """The encoder's careful path, which writes any payload it takes value by value."""
    out: list[str] = []
    wire._write(payload, out)
    return "".join(out).encode()


@given(_plain)
def test_plain_payloads_encode_as_the_careful_path_writes_them(payload):
    # A payload of plain JSON values goes through json's C encoder; what it writes must
    # be what the careful path writes, byte for byte, NaN and infinities included, and
    # what the careful path refuses (a numpy bool) stays refused.
    assert _outcome(wire.encode, payload) == _outcome(_value_by_value, payload)


def test_a_plain_payload_takes_json_s_encoder(monkeypatch):
    def careful(*args):
        raise AssertionError("the careful path wrote a plain payload")

    monkeypatch.setattr(wire, "_write", careful)
    payload = {"charts": [{"data": [{"x": [0.1, -2.2], "name": "f′"}]}], "n": 3, "ok": None}
    assert json.loads(wire.encode(payload)) == payload


def test_a_payload_that_holds_itself_is_refused():
    loop: list = [1.0]
    loop.append(loop)
    with pytest.raises(RecursionError):
        wire.encode({"x": loop})


# --- diff and patch: the leak steps' changes ----------------------------------------

_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=4),
    st.lists(st.floats(-3, 3, width=16), max_size=3),
)
_json = st.recursive(
    _leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from("abcd"), inner, max_size=3),
    ),
    max_leaves=12,
)


@given(_json, _json)
def test_patching_the_diff_of_two_payloads_gives_the_second(a, b):
    changes = wire.diff(a, b)
    assert wire.encode(wire.patch(a, changes)) == wire.encode(b)
    assert wire.diff(b, b) == []


@given(_json, _json)
def test_a_patch_leaves_its_base_as_it_was(a, b):
    before = wire.encode(a)
    wire.patch(a, wire.diff(a, b))
    assert wire.encode(a) == before


def test_a_diff_names_only_what_changed():
    base = {"data": [{"name": "a", "y": np.array([0.0, 1.0])}, {"y": [2.0]}], "rev": "r"}
    other = {"data": [{"name": "b", "y": np.array([0.0, 1.0])}, {"y": [2.0]}], "rev": "r"}
    assert wire.diff(base, other) == [[["data", 0, "name"], "b"]]
    # another shape: the part that differs is replaced whole
    longer = {"data": [*other["data"], {"y": [3.0]}], "rev": "r"}
    assert wire.diff(base, longer) == [[["data"], longer["data"]]]
