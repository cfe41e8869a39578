"""The article's two worked examples, and the tables the page shows for them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from relulab import article  # the article's np.where version, for where_demo_table
from relulab.activations import relu, relu_dash
from relulab.frameworks import relu_dash_under


@dataclass(frozen=True)
class Example:
    """An input column from the article and the leak the article used with it."""

    title: str
    x: np.ndarray  # shape (n, 1), as in the article
    leak: float


EXAMPLES: tuple[Example, ...] = (
    Example(
        title="Example 1: no leak",
        x=np.array([[0.11], [-2.2], [0], [50.2], [33.5], [-0.6]]),
        leak=0.0,
    ),
    Example(
        title="Example 2: leak = 0.1",
        x=np.array([[-0.5], [0], [1], [2], [3], [4.5]]),
        leak=0.1,
    ),
)


def example_columns(
    example: Example, leak: float, convention: str = "left"
) -> dict[str, list[float]]:
    """Columns ``x``, ``relu(x)``, ``relu_dash(x)`` at the article's leak and at ``leak``;
    under JAX's convention, also the derivative as JAX takes it (1 at x = 0).

    >>> cols = example_columns(EXAMPLES[1], 0.25)
    >>> cols["relu(x, 0.1)"][:2], cols["relu(x, 0.25)"][:2]
    ([-0.05, 0.0], [-0.125, 0.0])
    >>> example_columns(EXAMPLES[1], 0.1, "jax")["JAX f′ (0.1)"][:3]
    [0.1, 1.0, 1.0]
    """
    x = example.x[:, 0]
    cols = {
        "x": x.tolist(),
        f"relu(x, {example.leak:g})": relu(x, example.leak).tolist(),
        f"relu_dash(x, {example.leak:g})": relu_dash(x, example.leak).tolist(),
    }
    if leak != example.leak:
        cols[f"relu(x, {leak:g})"] = relu(x, leak).tolist()
        cols[f"relu_dash(x, {leak:g})"] = relu_dash(x, leak).tolist()
    if convention == "jax":
        cols[f"JAX f′ ({leak:g})"] = relu_dash_under(x, leak, "jax").tolist()
    return cols


# A phone shows about 356 px of table, and each column of a Markdown table costs ~26 px
# of padding before its widest word: four columns of numbers under `relu_dash(x, 0.1)`
# headers fit, five do not (the table then runs off the screen's edge).
MAX_TABLE_COLUMNS = 4


def example_tables(
    example: Example, leak: float, convention: str = "left"
) -> list[tuple[str, dict[str, list[float]]]]:
    """The columns of :func:`example_columns` as (caption, columns) tables of at most
    ``MAX_TABLE_COLUMNS`` each: the article's result first, then, when the slider's leak
    differs from the article's, the same x at that leak (with JAX's f′ under its
    convention). Each table repeats ``x``, so it reads on its own.

    >>> for caption, table in example_tables(EXAMPLES[0], 0.25, "jax"):
    ...     print(f"{caption}: {', '.join(table)}")
    The article's result (leak 0): x, relu(x, 0), relu_dash(x, 0)
    The same x at the slider's leak, 0.25: x, relu(x, 0.25), relu_dash(x, 0.25), JAX f′ (0.25)
    >>> [(caption, len(table)) for caption, table in example_tables(EXAMPLES[1], 0.1, "jax")]
    [("The article's result (leak 0.1, the slider's too)", 4)]
    """
    cols = example_columns(example, leak, convention)
    if leak == example.leak:  # x, relu, relu_dash and, under JAX's convention, its f′
        return [(f"The article's result (leak {leak:g}, the slider's too)", cols)]
    items = list(cols.items())
    return [
        (f"The article's result (leak {example.leak:g})", dict(items[:3])),
        (f"The same x at the slider's leak, {leak:g}", dict(items[:1] + items[3:])),
    ]


def split_by_range(x: np.ndarray, x_range: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """The values of ``x`` inside the closed range, and those outside it.

    >>> split_by_range(np.array([0.11, -2.2, 50.2]), (-5.0, 5.0))
    (array([ 0.11, -2.2 ]), array([50.2]))
    """
    x = np.ravel(x)
    inside = (x >= x_range[0]) & (x <= x_range[1])
    return x[inside], x[~inside]


def all_example_points() -> np.ndarray:
    """Every distinct x of both examples, sorted."""
    return np.unique(np.concatenate([e.x.ravel() for e in EXAMPLES]))


def markdown_table(cols: dict[str, list[float]]) -> str:
    """A Markdown table of equal-length numeric columns, numbers to 6 significant digits.

    >>> print(markdown_table({"x": [-0.5, 0.0], "relu(x, 0.1)": [-0.05, 0.0]}))
    | `x` | `relu(x, 0.1)` |
    |---:|---:|
    | -0.5 | -0.05 |
    | 0 | 0 |
    """

    def row(cells) -> str:
        return "| " + " | ".join(cells) + " |"

    body = [row(f"{v:.6g}" for v in r) for r in zip(*cols.values(), strict=True)]
    return "\n".join([row(f"`{c}`" for c in cols), "|" + "---:|" * len(cols), *body])


WHERE_DEMO_X = np.array([-2.0, 0.0, 3.0])


def where_demo_table(leak: float = 0.1) -> str:
    """How ``np.where(condition, a, b)`` builds the article's results, element by element.

    Computed with the article's own code, so the table shows what ``np.where`` returns.

    >>> print(where_demo_table())
    | `x` | `x <= 0` | `np.where(x <= 0, 0.1 * x, x)` | `np.where(x <= 0, 0.1, 1)` |
    |---:|:---|---:|---:|
    | -2 | True: takes `0.1 * x` | -0.2 | 0.1 |
    | 0 | True: takes `0.1 * x` | 0 | 0.1 |
    | 3 | False: takes `x` | 3 | 1 |
    """
    x = WHERE_DEMO_X
    f, df = article.relu(x, leak), article.relu_dash(x, leak)
    head = (
        f"| `x` | `x <= 0` | `np.where(x <= 0, {leak:g} * x, x)` "
        f"| `np.where(x <= 0, {leak:g}, 1)` |\n|---:|:---|---:|---:|"
    )
    taken = {True: f"True: takes `{leak:g} * x`", False: "False: takes `x`"}
    rows = [
        f"| {a:g} | {taken[bool(a <= 0)]} | {b:g} | {c:g} |"
        for a, b, c in zip(x, f, df, strict=True)
    ]
    return "\n".join([head, *rows])
