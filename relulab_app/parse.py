"""Numbers a student types or pastes, read without ``eval``.

Accepted: numbers the way the article prints them (``[[0.11], [-2.2], [0]]``), separated
by commas, semicolons, spaces (any Unicode space, a pasted no-break space too) or new
lines; scientific notation (``1e-3``); ``nan``, ``inf``, ``-inf`` (any case, also
``infinity``). Brackets may nest but must balance; the result is flat, in reading order.
Anything else is refused with a :class:`ParseError` that points at the offending token
by its position (1-based, in characters).

A comma or semicolon stands between two values, so an empty value is refused too
(``1,,2``, ``,1``, ``[1, 2,]``); spaces and new lines alone never make one. At most
:data:`MAX_CHARS` characters and :data:`MAX_VALUES` numbers.

>>> parse_values("[[0.11], [-2.2], [0]]").tolist()
[0.11, -2.2, 0.0]
>>> parse_values("1, -2; 3\\n4e-1 nan").tolist()
[1.0, -2.0, 3.0, 0.4, nan]
>>> parse_values("1,,2")
Traceback (most recent call last):
...
relulab_app.parse.ParseError: `,` at position 3 has an empty value before it
"""

from __future__ import annotations

import csv
import io
import re

import numpy as np

from relulab.activations import relu
from relulab.frameworks import relu_dash_under

MAX_CHARS = 100_000
MAX_VALUES = 10_000

_TOKEN = re.compile(r"[\s,;]+|\[|\]|[^\s,;\[\]]+")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_SPECIAL = {"nan": np.nan, "inf": np.inf, "infinity": np.inf}
_CONTENT = re.compile(r"[^\s,;\[\]]")  # anything but separators and brackets


class ParseError(ValueError):
    """Text that is not a list of numbers; ``position`` is 1-based (None: whole text)."""

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.position = position


def _shown(token: str) -> str:
    """A token as the page shows it inside backticks: short, free of backticks, and with
    every invisible or control character spelled out, as Python writes it (a zero-width
    space would hide in the message; a right-to-left mark would garble the rest of it)."""
    token = token if len(token) <= 20 else token[:17] + "..."
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in token.replace("`", "'"))


def _number(token: str, position: int) -> float:
    """One number; a Unicode minus (as Plotly's axis labels write it) counts as ``-``."""
    shown, token = token, token.replace("\u2212", "-")
    if _NUMBER.fullmatch(token):
        value = float(token)
        if np.isinf(value):
            raise ParseError(
                f"`{_shown(shown)}` at position {position} is beyond the largest float"
                " (about 1.8e308)",
                position,
            )
        return value
    sign, word = (token[0], token[1:]) if token[:1] in "+-" else ("", token)
    special = _SPECIAL.get(word.lower())
    if special is not None and not (np.isnan(special) and sign):
        return -special if sign == "-" else special
    raise ParseError(f"`{_shown(shown)}` at position {position} is not a number", position)


def _empty(text: str, position: int, side: str) -> ParseError:
    return ParseError(
        f"`{text[position - 1]}` at position {position} has an empty value {side} it", position
    )


def parse_values(text: str) -> np.ndarray:
    """The numbers in ``text`` as a flat float64 array; :class:`ParseError` otherwise."""
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}")
    if len(text) > MAX_CHARS:
        # The page's box holds MAX_CHARS + 1 characters, so a longer paste lands here.
        raise ParseError(f"the text is longer than {MAX_CHARS:,} characters (the limit)")
    values: list[float] = []
    open_at: list[int] = []
    # Empty values: a comma or semicolon needs a value (a number or a bracketed group) on
    # each side. ``pending`` is the position of the last one while it still waits for
    # the value after it; ``value_before`` says whether one came since the previous
    # separator or ``[``. Text with no content at all gets "no numbers found" instead.
    check_empty = _CONTENT.search(text) is not None
    pending: int | None = None
    value_before = False
    for match in _TOKEN.finditer(text):
        token, position = match.group(), match.start() + 1
        if token == "[":
            open_at.append(position)
            pending, value_before = None, False
        elif token == "]":
            if not open_at:
                raise ParseError(f"`]` at position {position} closes nothing", position)
            if pending is not None and check_empty:
                raise _empty(text, pending, "after")
            open_at.pop()
            pending, value_before = None, True
        elif token[0].isspace() or token[0] in ",;":  # any space separates, as in _TOKEN
            for offset, char in enumerate(token):
                if char in ",;":
                    if not value_before and check_empty:
                        raise _empty(text, position + offset, "before")
                    pending, value_before = position + offset, False
        else:
            values.append(_number(token, position))
            pending, value_before = None, True
            if len(values) > MAX_VALUES:
                raise ParseError(
                    f"more than {MAX_VALUES:,} numbers (the limit); the "
                    f"{MAX_VALUES + 1:,}th starts at position {position}",
                    position,
                )
    if pending is not None and check_empty:
        raise _empty(text, pending, "after")
    if open_at:
        raise ParseError(f"`[` at position {open_at[-1]} is never closed", open_at[-1])
    if not values:
        raise ParseError("no numbers found: type some, e.g. 1, -2, 0.5")
    return np.array(values, dtype=np.float64)


# Digits, a comma, digits, with no space: "3,5" is two numbers here, and a decimal
# comma (three and a half, in much of Europe) would be read wrong without a word.
_COMMA_BETWEEN_DIGITS = re.compile(r"(?<![\w.])(\d+),(\d+)(?![\w.])")


def comma_note(text: str) -> str | None:
    """How the first comma between two runs of digits was read (two numbers), for a
    student who meant a decimal comma; None if there is none.

    >>> comma_note("3, 5") is None, comma_note("1e3,5") is None, comma_note("2.5,3") is None
    (True, True, True)
    """
    m = _COMMA_BETWEEN_DIGITS.search(text) if isinstance(text, str) else None
    if m is None:
        return None
    a, b = m.groups()
    return (
        f"`{m.group()}` was read as two numbers, {a} and {b}: a comma separates numbers. "
        f"For a decimal, type a point: {a}.{b}."
    )


def results_table(x: np.ndarray, leak: float, convention: str = "left") -> dict[str, list]:
    """Columns for the page: x, f(x), f′(x) (their headers say at which leak, and JAX's
    f′ under its convention) and which branch of ``np.where`` applied.

    >>> cols = results_table(np.array([-2.0, 0.0, 3.0]), 0.1)
    >>> list(cols)
    ['x', 'f(x) at leak 0.1', 'f′(x) at leak 0.1', 'branch']
    >>> cols["branch"]
    ['x <= 0: leak * x', 'x <= 0: leak * x', 'x > 0: x']
    >>> list(results_table(np.array([0.0]), 0.0, "jax"))[2]
    'JAX f′(x) at leak 0'
    """
    branch = np.where(x <= 0, "x <= 0: leak * x", "x > 0: x")
    branch = np.where(np.isnan(x), "nan: neither (nan in, nan out)", branch)
    return {
        "x": x.tolist(),
        f"f(x) at leak {leak:g}": relu(x, leak).tolist(),
        f"{'JAX ' if convention == 'jax' else ''}f′(x) at leak {leak:g}": relu_dash_under(
            x, leak, convention
        ).tolist(),
        "branch": branch.tolist(),
    }


def to_csv(columns: dict[str, list]) -> str:
    """CSV text of equal-length columns (floats with repr precision, so nothing is lost).

    >>> print(to_csv({"x": [0.1, -2.0], "branch": ["x > 0: x", "x <= 0: leak * x"]}), end="")
    x,branch
    0.1,x > 0: x
    -2.0,x <= 0: leak * x
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(columns))
    writer.writerows(zip(*columns.values(), strict=True))
    return buffer.getvalue()
