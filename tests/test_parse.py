"""The typed-values parser: grammar, positions in messages, limits, and fuzzing."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relulab_app.parse import MAX_CHARS, MAX_VALUES, ParseError, parse_values, results_table, to_csv


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("[[0.11], [-2.2], [0], [50.2], [33.5], [-0.6]]", [0.11, -2.2, 0, 50.2, 33.5, -0.6]),
        ("1, -2, 3", [1, -2, 3]),
        ("1\n-2\n\n3\n", [1, -2, 3]),
        ("1;2 ;3", [1, 2, 3]),
        ("1e-3 -2.5E+2 .5 5. +4", [1e-3, -250, 0.5, 5, 4]),
        ("nan NaN inf -inf +Infinity", [math.nan, math.nan, math.inf, -math.inf, math.inf]),
        ("  [1,2]  [3] ", [1, 2, 3]),
        ("-0.0", [-0.0]),
        ("4.9e-324", [5e-324]),
    ],
)
def test_accepted_forms(text, want):
    got = parse_values(text)
    assert got.dtype == np.float64
    assert np.array_equal(got, np.array(want, dtype=float), equal_nan=True)


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("1, 2..5", "`2..5` at position 4 is not a number", 4),
        ("1, abc", "`abc` at position 4 is not a number", 4),
        ("1 2 3]", "`]` at position 6 closes nothing", 6),
        ("[1, [2]", "`[` at position 1 is never closed", 1),
        ("1e999", "`1e999` at position 1 is beyond the largest float", 1),
        ("0x10", "`0x10` at position 1 is not a number", 1),
        ("1_000", "`1_000` at position 1 is not a number", 1),
        ("-nan", "`-nan` at position 1 is not a number", 1),
        ("__import__('os')", "is not a number", 1),
        ("", "no numbers found", None),
        ("[ ] ,;", "no numbers found", None),
    ],
)
def test_refused_with_a_pointed_message(text, message, position):
    with pytest.raises(ParseError) as info:
        parse_values(text)
    assert message in str(info.value)
    assert info.value.position == position


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        # A comma or semicolon separates two values; with none between (spaces aside),
        # the student most likely lost a number, so the parser says where.
        ("1,,2", "`,` at position 3 has an empty value before it", 3),
        ("1;;2", "`;` at position 3 has an empty value before it", 3),
        ("1, ,2", "`,` at position 4 has an empty value before it", 4),
        ("1,\n,2", "`,` at position 4 has an empty value before it", 4),
        ("1;,2", "`,` at position 3 has an empty value before it", 3),
        ("[1,,2]", "`,` at position 4 has an empty value before it", 4),
        (",1", "`,` at position 1 has an empty value before it", 1),
        ("  ;1", "`;` at position 3 has an empty value before it", 3),
        ("[,1]", "`,` at position 2 has an empty value before it", 2),
        ("[1], [, 2]", "`,` at position 7 has an empty value before it", 7),
        ("1,", "`,` at position 2 has an empty value after it", 2),
        ("1, 2, ", "`,` at position 5 has an empty value after it", 5),
        ("[1, 2,]", "`,` at position 6 has an empty value after it", 6),
        ("[[0.11], [-2.2],]", "`,` at position 16 has an empty value after it", 16),
        ("1,, abc", "`,` at position 3 has an empty value before it", 3),  # the first problem
    ],
)
def test_an_empty_value_between_separators_is_refused(text, message, position):
    with pytest.raises(ParseError) as info:
        parse_values(text)
    assert str(info.value) == message
    assert info.value.position == position


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("1  2", [1, 2]),  # spaces and new lines alone never make an empty value
        ("1\n\n2", [1, 2]),
        ("1 ,\n 2 ; 3", [1, 2, 3]),
        ("[1],[2]", [1, 2]),
        ("[1] , [2]; [3]", [1, 2, 3]),
        ("[1][2]", [1, 2]),
    ],
)
def test_separators_that_are_not_empty_values(text, want):
    assert parse_values(text).tolist() == want


@pytest.mark.parametrize("text", [",", " ,; ", "[,]", "[ ] ,;"])
def test_only_separators_is_no_numbers_not_an_empty_value(text):
    # Nothing typed but punctuation: "type some numbers" helps more than a position.
    with pytest.raises(ParseError, match="no numbers found"):
        parse_values(text)


def test_long_tokens_are_shortened_in_messages():
    with pytest.raises(ParseError) as info:
        parse_values("x" * 500)
    assert len(str(info.value)) < 80 and "..." in str(info.value)


def test_backticks_cannot_break_the_message_markup():
    with pytest.raises(ParseError) as info:
        parse_values("a`b")
    assert str(info.value).count("`") == 2


@pytest.mark.parametrize("space", ["\xa0", "\u202f", "\u2003", "\u3000", "\x85", "\u2028", "\x1f"])
def test_every_unicode_space_separates(space):
    # A no-break space pasted from a web page or a PDF used to be refused as "not a
    # number", with the invisible space itself quoted as the culprit.
    assert parse_values(f"1{space}2,{space}[3]{space}").tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("12\u200b", "`12\\u200b`"),  # zero-width space: the message said `12` is not a number
        ("1\u202e", "`1\\u202e`"),  # right-to-left override: garbled the rest of the message
        ("a\x00b", "`a\\x00b`"),
        ("\x1b[31m", "`\\x1b`"),
        ("\ufeff1", "`\\ufeff1`"),
        ("1\u00ad5", "`1\\xad5`"),  # soft hyphen
    ],
)
def test_invisible_characters_are_spelled_out_in_messages(text, shown):
    with pytest.raises(ParseError) as info:
        parse_values(text)
    assert str(info.value).startswith(shown + " at position 1 ")
    assert str(info.value).isprintable()


def test_size_limits_are_refused_before_work():
    with pytest.raises(ParseError, match=r"longer than 100,000 characters \(the limit\)"):
        parse_values("1 " * (MAX_CHARS // 2 + 1))
    assert len(parse_values("1," * (MAX_VALUES - 1) + "1")) == MAX_VALUES
    with pytest.raises(ParseError, match="more than 10,000 numbers"):
        parse_values("1," * (MAX_VALUES + 1))


def test_not_text():
    with pytest.raises(ParseError, match="expected text"):
        parse_values(b"1, 2")  # type: ignore[arg-type]


@given(st.text(max_size=200))
def test_any_text_gives_numbers_or_a_parse_error(text):
    try:
        got = parse_values(text)
    except ParseError as err:
        assert str(err) and (err.position is None or 1 <= err.position <= len(text))
        assert str(err).isprintable() and str(err).count("`") in (0, 2)
    else:
        assert got.ndim == 1 and got.dtype == np.float64 and 1 <= got.size <= MAX_VALUES


SEPS = st.sampled_from([",", ", ", " ", "\n", ";", "\t", " , "])


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=30), SEPS)
def test_round_trip_of_printed_floats(values, sep):
    text = "[" + sep.join(f"[{v!r}]" for v in values) + "]"
    assert np.array_equal(parse_values(text), np.array(values), equal_nan=True)


@given(
    st.lists(st.floats(), min_size=2, max_size=10),
    st.data(),
    st.sampled_from([",", ";"]),
    st.sampled_from([",", ";"]),
    st.sampled_from(["", " ", "\n", "\xa0 ", "\r\n\t"]),
)
def test_a_doubled_separator_is_pointed_at(values, data, first, second, space):
    # However the values look, two separators with only space between stop the parse
    # at the second one.
    k = data.draw(st.integers(1, len(values) - 1))
    left = ", ".join(repr(v) for v in values[:k])
    right = ", ".join(repr(v) for v in values[k:])
    text = f"{left}{first}{space}{second}{right}"
    with pytest.raises(ParseError) as info:
        parse_values(text)
    assert info.value.position == len(left) + 1 + len(space) + 1
    assert (
        str(info.value)
        == f"`{second}` at position {info.value.position} has an empty value before it"
    )


def test_results_table_and_csv():
    cols = results_table(np.array([-2.0, 0.0, 3.0, np.nan]), 0.1)
    assert cols["f(x) at leak 0.1"][:3] == [-0.2, 0.0, 3.0]
    assert cols["f′(x) at leak 0.1"][:3] == [0.1, 0.1, 1.0]
    assert cols["branch"][3].startswith("nan")
    jax = results_table(np.array([0.0]), 0.1, "jax")
    assert jax["JAX f′(x) at leak 0.1"] == [1.0]
    csv = to_csv(cols)
    assert csv.splitlines()[0] == "x,f(x) at leak 0.1,f′(x) at leak 0.1,branch"
    assert csv.splitlines()[1] == "-2.0,-0.2,0.1,x <= 0: leak * x"


def test_a_unicode_minus_is_a_minus():
    # Copied from a Plotly axis label or a typeset page, −1 is minus one.
    assert parse_values("\u22121, 2e\u22121; \u2212inf").tolist() == [-1.0, 0.2, -np.inf]
