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
    leak = _leak(url)
    # The x-range above the leak slider, as wide as it (chart.css), which is the chart
    # element's own (chart.js), so that its moves are drawn at once.
    x_range = common.x_range_slider(st.container(key="x_range_box"))
    url.check("x_range", urlstate.check_x_range(url.values("x_range"), tuple(x_range)))
    link.settle(("relu", leak, tuple(x_range), convention))
    common.sync_url("leak", f"{leak:g}", f"{urlstate.LEAK_DEFAULT:g}")

    values, error = own_values.parsed()
    own = figures.own_points(values, x_range)
    inside, outside = examples.split_by_range(examples.all_example_points(), x_range)
    font, present = common.font_size(), common.present()
    own_bytes = b"" if values is None else np.asarray(values, dtype=np.float64).tobytes()
    moved = st.session_state.pop(_MOVED, False)
    if common.quiz_changes_charts() or len(own_bytes) > 8 * STEPS_MAX_OWN:
        # A question's charts, or many own points: this leak's payload alone, as the
        # server draws it; the slider's moves wait for the server.
        figs = _figures(leak, x_range, inside, own, convention, font)
        packed = chart.pack([common.pair_payload(*figs, x_range)], [leak])
    else:
        # Its bytes, not the numbers: a NaN is then equal to itself, -0.0 is not 0.0.
        view = (tuple(float(v) for v in x_range), convention, own_bytes, font, present)
        # Every step once the student moves the leak in this view (~100 ms, shared by
        # every session); until then this leak's step alone, so that a new x-range or a
        # class's question does not cost every page the whole build.
        every = moved or st.session_state.get(_EVERY) == view
        st.session_state[_EVERY] = view if every else None
        packed = steps(view, None if every else leak)
    reported = chart.chart_pair(packed, slider=_slider(), on_change=_leak_moved).get("leak")
    if _take(reported):  # a move the callback did not see: a new session's first run
        st.rerun()
    common.copy_as_code("leaky_relu", {"leak": leak})

    # Heading, text, the note on hidden points and the tables as one element: one
    # message per move, not seven.
    st.markdown(_examples_markdown(leak, x_range, outside, convention))
    own_values.box(leak, convention, values, error, len(own))
    return leak


_LO, _HI = urlstate.LEAK_BOUNDS
# The slider's values as the browser sends them (0.37, not 0.37000000000000005).
LEAKS = tuple(
    round(_LO + i * urlstate.LEAK_STEP, 10)
    for i in range(round((_HI - _LO) / urlstate.LEAK_STEP) + 1)
)
_MOVED = "_leak_moved"  # set when the student moved the slider, for this run
_EVERY = "_leak_every"  # the view whose every step this session's element has
_SHOWN = "_leak_shown"  # the leak the element's slider shows
_REPORTED = "_leak_reported"  # the element's state as the page last took it
_TOLD = "_leak_told"  # (the leak the server last set the slider to, how many times)


def _leak(url: urlstate.Link) -> float:
    """The page's leak: the link's on a session's first run, the slider's after, or
    what a question, a preset or a repair set. When the server set it, the slider is
    told to follow (a count it has not seen yet)."""
    if url.unread:
        raw = url.values("leak")
        repair = urlstate.check_leak(raw, urlstate.LEAK_DEFAULT)
        link.repair_address("leak", repair, urlstate.LEAK_DEFAULT)
        if "leak" not in st.session_state:  # a question may have set it already
            fixed = urlstate.parse_number(raw[0]) if raw and repair is None else None
            fixed = repair.value if repair is not None else fixed
            st.session_state["leak"] = urlstate.LEAK_DEFAULT if fixed is None else fixed
    leak = float(st.session_state.setdefault("leak", urlstate.LEAK_DEFAULT))
    url.check("leak", urlstate.check_leak(url.values("leak"), leak))
    if leak != st.session_state.get(_SHOWN):
        st.session_state[_SHOWN] = leak
        st.session_state[_TOLD] = (leak, st.session_state.get(_TOLD, (None, 0))[1] + 1)
        if isinstance(st.session_state.get("charts"), dict):
            # The element's state, as the server knows it, is the new leak: a move back
            # to the value it had is then a change (and reaches _leak_moved).
            st.session_state["charts"]["leak"] = st.session_state[_REPORTED] = leak
    return leak


def _slider() -> dict:
    value, told = st.session_state[_TOLD]
    p = catalogue.LEAK
    return {
        "label": p.label,
        "help": p.help,
        "min": _LO,
        "max": _HI,
        "step": p.step,
        "value": value,
        "set": told,
    }


def _leak_moved() -> None:
    _take((st.session_state.get("charts") or {}).get("leak"))


def _take(value) -> bool:
    """The element's slider moved (its state, from the browser), if ``value`` is new: a
    number within the slider's bounds is taken to its step, anything else ignored.
    Returns whether it was taken."""
    if value == st.session_state.get(_REPORTED) or isinstance(value, bool):
        return False
    if not isinstance(value, int | float) or not _LO <= value <= _HI:
        return False
    st.session_state[_REPORTED] = value
    leak = LEAKS[round((value - _LO) / urlstate.LEAK_STEP)]
    st.session_state["leak"] = st.session_state[_SHOWN] = leak
    st.session_state[_MOVED] = True
    return True


def _figures(leak: float, x_range, inside, own, convention: str, font: int):
    """The view's two figures and hover curves at ``leak``: the one way they are made,
    for this run's charts and for every leak step alike."""
    return (
        figures.function_figure(leak, x_range, inside, own, convention, font),
        figures.derivative_figure(leak, x_range, inside, convention, own, font),
        figures.article_hover(leak, x_range, convention),
    )


@st.cache_resource(max_entries=64, show_spinner=False)
def steps(view: tuple, leak: float | None) -> str:
    """The chart payloads of ``view`` (x-range, convention, own values as bytes, font
    size, present mode) at ``leak``, or at every leak the slider can take (None),
    packed (:func:`chart.pack`): what the chart element draws the moment its slider
    moves. Pure: kept across sessions, so a class on the same view builds them once
    (the others wait for that build). A leak, not the list of them: Streamlit hashes
    the arguments on every call, 2 ms for a tuple of 101 floats."""
    leaks = LEAKS if leak is None else (leak,)
    x_range, convention, own_bytes, font, present = view
    values = np.frombuffer(own_bytes, dtype=np.float64) if own_bytes else None
    own = figures.own_points(values, x_range)
    inside, _ = examples.split_by_range(examples.all_example_points(), x_range)
    payloads = [
        common.plain_pair(*_figures(leak, x_range, inside, own, convention, font), x_range, present)
        for leak in leaks
    ]
    return chart.pack(payloads, list(leaks))


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
