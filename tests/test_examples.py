"""The article's example tables: the article's numbers first, narrow enough for a phone."""

from __future__ import annotations

import pytest

from relulab import relu, relu_dash
from relulab_app import examples


@pytest.mark.parametrize("convention", ["left", "jax"])
@pytest.mark.parametrize("leak", [0.0, 0.01, 0.1, 0.37, 1.0])
@pytest.mark.parametrize("example", examples.EXAMPLES, ids=lambda e: e.title)
def test_example_tables_are_narrow_and_lose_no_column(example, leak, convention):
    tables = examples.example_tables(example, leak, convention)
    caption, first = tables[0]
    assert caption.startswith("The article's result")
    x = example.x[:, 0]
    article = ["x", f"relu(x, {example.leak:g})", f"relu_dash(x, {example.leak:g})"]
    assert list(first)[:3] == article
    assert first[f"relu(x, {example.leak:g})"] == relu(x, example.leak).tolist()
    assert first[f"relu_dash(x, {example.leak:g})"] == relu_dash(x, example.leak).tolist()
    for _, cols in tables:
        assert len(cols) <= examples.MAX_TABLE_COLUMNS
        assert cols["x"] == x.tolist()  # each table reads on its own
    # together they hold every column of the one wide table they replace
    merged = {name: values for _, cols in tables for name, values in cols.items()}
    assert merged == examples.example_columns(example, leak, convention)
