"""The article's view: ReLU and Leaky ReLU with the leak slider, the article's examples
as markers and tables, and the student's own values."""

from __future__ import annotations

import numpy as np
import streamlit as st

from relulab import catalogue
from relulab_app import (
    chart,
    common,
    examples,
    figures,
    link,
    own_values,
    param_slider,
    quiz_view,
    urlstate,
)

# The leak steps (below) carry the student's own points at all 101 leaks: past this
# many points they would outweigh the page, and the charts take the server's way.
STEPS_MAX_OWN = 12

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
    url = link.current()
    leak = param_slider.value(catalogue.LEAK, url)
    # The x-range above the leak slider, as wide as it (chart.css), which is the chart
    # element's own (chart.js), so that its moves are drawn at once.
    x_range = common.x_range_slider(st.container(key="x_range_box"))
    url.check("x_range", urlstate.check_x_range(url.values("x_range"), tuple(x_range)))
    link.settle(("relu", leak, tuple(x_range), convention))

    values, error = own_values.parsed()
    own = figures.own_points(values, x_range)
    inside, outside = examples.split_by_range(examples.all_example_points(), x_range)
    font, present = common.font_size(), common.present()
    own_bytes = b"" if values is None else np.asarray(values, dtype=np.float64).tobytes()
    packed = ""
    if common.quiz_changes_charts() or len(own_bytes) > 8 * STEPS_MAX_OWN:
        # A question's charts, or many own points: this leak's payload alone, as the
        # server draws it; the slider's moves wait for the server.
        figs = _figures(leak, x_range, inside, own, convention, font)
        packed = chart.pack([common.pair_payload(*figs, x_range)], [leak])
    # Its bytes, not the numbers: a NaN is then equal to itself, -0.0 is not 0.0.
    view = (tuple(float(v) for v in x_range), convention, own_bytes, font, present)
    param_slider.draw(catalogue.LEAK, _step, view, packed)
    common.copy_as_code("leaky_relu", {"leak": leak})

    # Heading, text, the note on hidden points and the tables as one element: one
    # message per move, not seven.
    st.markdown(_examples_markdown(leak, x_range, outside, convention))
    own_values.box(leak, convention, values, error, len(own))
    return leak


def _figures(leak: float, x_range, inside, own, convention: str, font: int):
    """The view's two figures and hover curves at ``leak``: the one way they are made,
    for this run's charts and for every leak step alike."""
    return (
        figures.function_figure(leak, x_range, inside, own, convention, font),
        figures.derivative_figure(leak, x_range, inside, convention, own, font),
        figures.article_hover(leak, x_range, convention),
    )


def _step(view: tuple, leak: float) -> dict:
    """The chart payload of ``view`` (x-range, convention, own values as bytes, font
    size, present mode) at ``leak``, as no question changes it: a leak step."""
    x_range, convention, own_bytes, font, present = view
    values = np.frombuffer(own_bytes, dtype=np.float64) if own_bytes else None
    own = figures.own_points(values, x_range)
    inside, _ = examples.split_by_range(examples.all_example_points(), x_range)
    figs = _figures(leak, x_range, inside, own, convention, font)
    return common.plain_pair(*figs, x_range, present)


def _examples_markdown(leak: float, x_range, outside, convention: str) -> str:
    """The examples section: the article's result, then the same input at the slider's
    leak, as separate narrow tables (side by side they ran off a phone's screen); or a
    placeholder while a quiz question hides the tables."""
    if quiz_view.hidden(quiz_view.Hide.TABLES):
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
