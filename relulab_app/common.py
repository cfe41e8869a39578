"""What every view shares: failure containment, the chart pair, the x-range slider,
copy-as-code, present mode and keeping a value in the address bar."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import streamlit as st

from relulab import figures, frameworks, urlstate
from relulab_app import chart, quiz_view

log = logging.getLogger("relulab.app")
# The lab keeps st.plotly_chart (its figures change only when it retrains).
PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def plotly_chart(where, figure, key: str) -> None:
    where.plotly_chart(figure, width="stretch", theme="streamlit", config=PLOTLY_CONFIG, key=key)


@contextlib.contextmanager
def contained(where, message: str, what: str) -> Iterator[None]:
    """A failure inside shows `message` in `where` and logs its traceback, instead of
    ending the run and blanking every part of the page below it. st.rerun and st.stop
    raise BaseExceptions, so they pass through."""
    try:
        yield
    except Exception:
        log.exception(what)
        where.error(message, icon=":material/error:")


def present() -> bool:
    """Present mode (a projector): prose hidden, larger charts and chart text."""
    return bool(st.session_state.get("present", False))


def font_size() -> int:
    return figures.PRESENT_FONT_SIZE if present() else figures.FONT_SIZE


def chart_pair(fig_f, fig_df, curves: list, x_range) -> None:
    """The function and its derivative side by side (stacked on a phone), as one element
    that keeps its plots across slider moves (and the student's zoom until the x-range
    changes). An open quiz question may hide a chart or the dot at 0 (their data is not
    sent at all), and a revealed one marks its answer."""
    specs = [figures.spec(fig_f), figures.spec(fig_df)]
    hover = figures.hover_refs(fig_f, fig_df, curves)
    if quiz_view.hidden("kink_dot"):
        d = specs[1]
        specs[1] = {**d, "data": [t for t in d["data"] if t.get("meta") != "kink"]}
        hover = []  # it would read f′ at exactly 0
    if quiz_view.hidden("tables"):  # marked points carry f and f′ in their hover labels
        marked = ("article examples", "your values")
        specs = [
            {**d, "data": [t for t in d["data"] if t.get("name") not in marked]} for d in specs
        ]
    for i, (name, title) in enumerate(
        (("function_chart", "Function f(x)"), ("derivative_chart", "Derivative f′(x)"))
    ):
        if quiz_view.hidden(name):
            specs[i] = figures.hidden_figure(title, x_range, font_size())
            hover = []
    point = quiz_view.answer_point()
    if point is not None:
        i, x, y = point
        specs[i] = {**specs[i], "data": [*specs[i]["data"], figures.answer_trace(x, y)]}
    chart.chart_pair(
        tuple(specs),
        hover,
        revision=f"{x_range[0]:g}:{x_range[1]:g}",
        present=present(),
        key="charts",
    )


def x_range_slider(where) -> tuple[float, float]:
    return where.slider(
        "x-range",
        *urlstate.X_BOUNDS,
        urlstate.X_DEFAULT,
        urlstate.X_STEP,
        key="x_range",
        bind="query-params",
        help="The stretch of the x axis to draw. Widen it to reach the article's 50.2.",
    )


def copy_as_code(key: str, params: dict[str, float]) -> None:
    """The current function as a line for each library; rendered only when opened."""
    box = st.expander(
        "Copy as code: PyTorch, TensorFlow, Keras, JAX, numpy", key="copy", on_change="rerun"
    )
    if box.open:
        for library, line in frameworks.code_lines(key, params).items():
            box.markdown(f"**{library}**")
            box.code(line, language="python")


def sync_url(key: str, value, default) -> None:
    """Keep ``key`` in the address bar while it differs from its default."""
    if value is None or value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif isinstance(value, list) or st.query_params.get(key) != value:
        st.query_params[key] = value
