"""What every view shares: failure containment, the chart pair, the x-range slider,
copy-as-code, present mode and keeping a value in the address bar."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from relulab import frameworks
from relulab_app import chart, figures, link, quiz_view, urlstate
from relulab_app.quiz_view import Hide

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


def fragment_run() -> bool:
    """Whether this run is a fragment's alone (a slider move, say), not the whole page's.
    Streamlit's run context lists the fragments a fragment run runs (None for the whole
    page); without the field, a fragment run is assumed (the caller then does an extra
    run, never skips one)."""
    ctx = get_script_run_ctx()
    return ctx is None or bool(getattr(ctx, "fragment_ids_this_run", True))


def present() -> bool:
    """Present mode (a projector): prose hidden, larger charts and chart text."""
    return bool(st.session_state.get("present", False))


def font_size() -> int:
    return figures.PRESENT_FONT_SIZE if present() else figures.FONT_SIZE


def revision(x_range) -> str:
    """The charts' zoom revision: a new x-range starts a fresh view."""
    return f"{x_range[0]:g}:{x_range[1]:g}"


def plain_pair(fig_f, fig_df, curves: list, x_range, present: bool) -> dict:
    """The chart element's payload for two figures, as no quiz question changes it.
    Reads no session state, so the article view's steps can be built for every leak
    and kept across sessions."""
    return chart.payload(
        [fig_f, fig_df],
        figures.hover_refs(fig_f, fig_df, curves),
        revision=revision(x_range),
        present=present,
    )


def quiz_changes_charts() -> bool:
    """Whether an open quiz question changes what the charts show (see pair_payload)."""
    return (
        any(
            quiz_view.hidden(part)
            for part in (Hide.KINK_DOT, Hide.TABLES, Hide.FUNCTION_CHART, Hide.DERIVATIVE_CHART)
        )
        or quiz_view.answer_point() is not None
    )


def pair_payload(fig_f, fig_df, curves: list, x_range) -> dict:
    """The chart element's payload for two figures as this student sees them now: an
    open quiz question may hide a chart or the dot at 0 (their data is not sent at
    all), and a revealed one marks its answer."""
    content = plain_pair(fig_f, fig_df, curves, x_range, present())
    if not quiz_changes_charts():
        return content
    specs = list(content["charts"])  # replaced, never changed in place, below
    hover = content["hover"]
    if quiz_view.hidden(Hide.KINK_DOT):
        d = specs[1]
        # The dots, and the derivative close-up's copies of them (legendgroup "kink").
        dots = [t for t in d["data"] if "kink" in (t.get("meta"), t.get("legendgroup"))]
        specs[1] = {**d, "data": [t for t in d["data"] if t not in dots]}
        hover = []  # it would read f′ at exactly 0
    if quiz_view.hidden(Hide.TABLES):  # marked points carry f and f′ in their hover labels
        marked = ("article examples", "your values")
        specs = [
            {**d, "data": [t for t in d["data"] if t.get("name") not in marked]} for d in specs
        ]
    for i, (name, title) in enumerate(
        ((Hide.FUNCTION_CHART, "Function f(x)"), (Hide.DERIVATIVE_CHART, "Derivative f′(x)"))
    ):
        if quiz_view.hidden(name):
            specs[i] = figures.hidden_figure(title, x_range, font_size())
            hover = []
    point = quiz_view.answer_point()
    if point is not None:
        i, x, y = point
        specs[i] = {**specs[i], "data": [*specs[i]["data"], figures.answer_trace(x, y, specs[i])]}
    return chart.payload(specs, hover, revision=revision(x_range), present=present())


def show_charts(fig_f, fig_df, curves: list, x_range) -> None:
    """The function and its derivative side by side (stacked on a phone), as one element
    that keeps its plots across slider moves (and the student's zoom until the x-range
    changes)."""
    chart.chart_pair(chart.pack([pair_payload(fig_f, fig_df, curves, x_range)]))


# Typing the x-range. The slider spans -60…60 (the article's 50.2 must be reachable), so
# on a phone its two thumbs sit ~26 px apart at the default -5…5: too close to set with
# a finger. Two small boxes, "x-range [from] to [to]", set the same range by typing (a
# phone brings up its number pad) and take the place of the slider's label row, so the
# first screen on a phone still shows the function chart. The slider keeps the range,
# its key and its URL binding (``x_range=a&x_range=b``); the boxes only write to it.
X_FROM, X_TO = "x_range_from", "x_range_to"
_X_NOTE = "_x_range_note"  # what a repair of typed values did, shown once as a toast
# Below ~127 px Streamlit drops a number box's +/- buttons, which would push the two
# boxes onto a row of their own on a phone; 92 px still shows "-12.5".
X_BOX_WIDTH = 92
X_RANGE_HELP = "The stretch of the x axis to draw. Widen it to reach the article's 50.2."


def _typed_x_range(edited: str) -> None:
    """on_change of the boxes: their pair becomes the slider's value, hence the charts'
    and the URL's. If the edited end reached or passed the other, the other end moves
    along by the range's old width, so the number just typed stays where it was typed;
    then the rules for a shared link's range apply (step, width, bounds)."""
    lo, hi = st.session_state.get(X_FROM), st.session_state.get(X_TO)
    if lo is None or hi is None:  # an emptied box: the next run refills it from the slider
        return
    old_lo, old_hi = st.session_state.get("x_range", urlstate.X_DEFAULT)
    notes = []
    if hi - lo < 2 * urlstate.X_STEP:
        if edited == X_FROM:
            hi = lo + (old_hi - old_lo)
            notes.append("“to” moved along to stay above “from”")
        else:
            lo = hi - (old_hi - old_lo)
            notes.append("“from” moved along to stay below “to”")
    bmin, bmax = urlstate.X_BOUNDS
    (lo, hi), why = urlstate.repair_range(min(max(lo, bmin), bmax), min(max(hi, bmin), bmax))
    notes += [why] if why else []
    st.session_state["x_range"] = (lo, hi)
    if notes:
        st.session_state[_X_NOTE] = f"x-range {lo:g} to {hi:g}: {'; '.join(notes)}."


def x_range_slider(where) -> tuple[float, float]:
    """The x-range slider, with a "Type" popover beside its label for typing the two
    ends (a phone's thumbs sit too close for a finger). The popover's boxes exist only
    while it is open: every element here is re-sent on each slider move, and eight of
    them for two boxes cost the browser as much as a chart's redraw."""
    url = link.current()
    if url.unread:
        raw = url.values("x_range")
        repair = urlstate.check_x_range(raw, urlstate.X_DEFAULT)
        link.repair_address("x_range", repair, urlstate.X_DEFAULT)
    box = where.container(gap=None)
    # The row is placed first and filled after the slider: the boxes show the slider's
    # value, known only once the slider is drawn (it may come from the URL).
    row = box.container(horizontal=True, vertical_alignment="center", gap="small")
    x_range = box.slider(
        "x-range",
        *urlstate.X_BOUNDS,
        urlstate.X_DEFAULT,
        urlstate.X_STEP,
        key="x_range",
        bind="query-params",
        label_visibility="collapsed",  # the row above is its label
    )
    row.markdown("x-range", width="content", help=X_RANGE_HELP)
    typed = row.popover("Type", key="x_type", on_change="rerun", type="tertiary")
    if typed.open:
        pair = typed.container(horizontal=True, vertical_alignment="center", gap="xsmall")
        for key, end, label in (
            (X_FROM, x_range[0], "x-range from"),
            (X_TO, x_range[1], "x-range to"),
        ):
            if key == X_TO:
                pair.markdown("to", width="content")
            st.session_state[key] = float(end)  # before the box exists: the slider's value
            pair.number_input(
                label,
                *urlstate.X_BOUNDS,
                step=urlstate.X_STEP,
                format="%g",
                key=key,
                on_change=_typed_x_range,
                args=(key,),
                label_visibility="collapsed",
                width=X_BOX_WIDTH,
            )
    if note := st.session_state.pop(_X_NOTE, None):
        st.toast(note, icon=":material/swap_horiz:")
    return x_range


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
