"""The article's view: ReLU and Leaky ReLU with the leak slider, the article's examples
as markers and tables, and the student's own values."""

from __future__ import annotations

import streamlit as st

from relulab import examples, figures, registry, urlstate
from relulab_app import common, link, own_values, quiz_view

CAPTION = (
    "How to read the graphs: for x > 0 both functions are y = x and both derivatives are "
    "1, so the two lines lie on top of each other; ReLU is drawn dashed over Leaky ReLU so "
    "you can see both. The inset enlarges the negative side, where they differ. On the "
    "derivative, the filled dot is the value taken at exactly x = 0 under the convention "
    "chosen above (the leak, as in the article, PyTorch and TensorFlow; 1 in JAX); the "
    "open dot is the value not taken. Hover anywhere on a chart for f and f′ there."
)


def show(convention: str) -> float:
    """The view; returns the leak, which the lab follows."""
    # Every element here is re-sent on each slider move (bench/load.py counts them), so
    # text that never changes sits outside the fragment. Columns: side by side on a
    # wide screen, stacked at full width on a phone.
    left, right = st.columns(2, gap="medium")
    leak = left.slider(
        "leak (slope for x ≤ 0)",
        *urlstate.LEAK_BOUNDS,
        urlstate.LEAK_DEFAULT,
        urlstate.LEAK_STEP,
        key="leak",
        bind="query-params",
        help=registry.LEAK.help,
    )
    x_range = common.x_range_slider(right)
    url = link.current()
    url.check("leak", urlstate.check_leak(url.values("leak"), leak))
    url.check("x_range", urlstate.check_x_range(url.values("x_range"), tuple(x_range)))
    link.settle(("relu", leak, tuple(x_range), convention))

    values, error = own_values.parsed()
    own = figures.own_points(values, x_range)
    inside, outside = examples.split_by_range(examples.all_example_points(), x_range)
    common.chart_pair(
        figures.function_figure(leak, x_range, inside, own, convention, common.font_size()),
        figures.derivative_figure(leak, x_range, inside, convention, own, common.font_size()),
        figures.article_hover(leak, x_range, convention),
        x_range,
    )
    common.copy_as_code("leaky_relu", {"leak": leak})

    # Heading, text, the note on hidden points and the tables as one element: one
    # message per move, not seven.
    st.markdown(_examples_markdown(leak, x_range, outside, convention))
    own_values.box(leak, convention, values, error, len(own))
    return leak


def _examples_markdown(leak: float, x_range, outside, convention: str) -> str:
    """The examples section: the article's result, then the same input at the slider's
    leak, as separate narrow tables (side by side they ran off a phone's screen); or a
    placeholder while a quiz question hides the tables."""
    if quiz_view.hidden("tables"):
        return (
            "## The article's examples\n\n:material/visibility_off: Hidden until you "
            "answer the question above."
        )
    hidden = ""
    if len(outside):
        hidden = (
            f"\n\n:material/swap_horiz: Not on the graphs: "
            f"{', '.join(f'{v:g}' for v in outside)}, outside the x-range "
            f"{x_range[0]:g} to {x_range[1]:g}. Widen the x-range to see them."
        )
    tables = "\n\n".join(
        f"**{ex.title}**\n\n"
        + "\n\n".join(
            f"{caption}:\n\n{examples.markdown_table(cols)}"
            for caption, cols in examples.example_tables(ex, leak, convention)
        )
        for ex in examples.EXAMPLES
    )
    return (
        f"## The article's examples\n\nEach example shows the article's result, then the "
        f"same input at the slider's leak ({leak:g}).{hidden}\n\n{tables}"
    )
