"""The article's view: ReLU and Leaky ReLU with the leak slider, the article's examples
as markers and tables, and the student's own values."""

from __future__ import annotations

import collections
import dataclasses
import hashlib
import secrets
import threading

import numpy as np
import streamlit as st

from relulab import registry
from relulab_app import (
    chart,
    common,
    examples,
    figures,
    link,
    own_values,
    quiz_view,
    urlstate,
    wire,
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
    # Every element here is re-sent on each slider move (bench/load.py counts them), so
    # text that never changes sits outside the fragment. Columns: side by side on a
    # wide screen, stacked at full width on a phone.
    left, right = st.columns(2, gap="medium")
    url = link.current()
    if url.unread:
        leak_repair = urlstate.check_leak(url.values("leak"), urlstate.LEAK_DEFAULT)
        link.repair_address("leak", leak_repair, urlstate.LEAK_DEFAULT)
    leak = left.slider(
        "leak (slope for x ≤ 0)",
        *urlstate.LEAK_BOUNDS,
        urlstate.LEAK_DEFAULT,
        urlstate.LEAK_STEP,
        key="leak",
        bind="query-params",
        help=registry.LEAK.help,
        on_change=_leak_moved,
    )
    x_range = common.x_range_slider(right)
    url.check("leak", urlstate.check_leak(url.values("leak"), leak))
    url.check("x_range", urlstate.check_x_range(url.values("x_range"), tuple(x_range)))
    link.settle(("relu", leak, tuple(x_range), convention))

    values, error = own_values.parsed()
    own = figures.own_points(values, x_range)
    inside, outside = examples.split_by_range(examples.all_example_points(), x_range)
    font, present = common.font_size(), common.present()
    key = _steps_key(x_range, convention, values, font, present)
    built = _built(key)
    ready = None if built is None or common.quiz_changes_charts() else built.pairs.get(leak)
    if ready is not None:  # this view's steps are built: its payload at this leak too
        chart.chart_pair(ready, key="charts")
        live = True
    else:
        live = common.show_charts(
            *_figures(leak, x_range, inside, own, convention, font),
            x_range,
            steps=None if key is None else (_steps_id(key), leak),
        )
    common.copy_as_code("leaky_relu", {"leak": leak})

    # Heading, text, the note on hidden points and the tables as one element: one
    # message per move, not seven.
    st.markdown(_examples_markdown(leak, x_range, outside, convention))
    own_values.box(leak, convention, values, error, len(own))
    moved = st.session_state.pop(_MOVED, False)  # this run's, whether or not used
    if live:
        # Last: when this run builds the steps, the charts' own message goes first.
        steps = built if built is not None else _ready_steps(key, moved)
        if steps is not None:
            chart.leak_steps(steps.packed, key="leak_steps")
    return leak


def _figures(leak: float, x_range, inside, own, convention: str, font: int):
    """The view's two figures and hover curves at ``leak``: the one way they are made,
    for this run's charts and for every leak step alike."""
    return (
        figures.function_figure(leak, x_range, inside, own, convention, font),
        figures.derivative_figure(leak, x_range, inside, convention, own, font),
        figures.article_hover(leak, x_range, convention),
    )


def _steps_key(x_range, convention: str, values, font: int, present: bool) -> tuple | None:
    """Everything but the leak that the charts depend on, hashable; None when the
    student's own values are too many to send at every step. The values go in as
    their bytes: a NaN is then equal to itself (a tuple of floats holding NaN never
    equals another, so it would never be found again), and -0.0 is not 0.0."""
    own = b"" if values is None else np.asarray(values, dtype=np.float64).tobytes()
    if len(own) > 8 * STEPS_MAX_OWN:
        return None
    return (tuple(float(v) for v in x_range), convention, own, font, present)


# Per server process: a browser that reconnects to a restarted or redeployed server
# keeps the steps it had, which the new code may not draw the same way.
_STEPS_SALT = secrets.token_hex(8)


def _steps_id(key: tuple) -> str:
    return hashlib.sha256(f"{_STEPS_SALT}{key!r}".encode()).hexdigest()[:16]


_MOVED = "_leak_moved"  # set by the leak slider's on_change: the student moved it


def _leak_moved() -> None:
    st.session_state[_MOVED] = True


@dataclasses.dataclass(frozen=True)
class Steps:
    """A view's leak steps as :func:`chart.leak_steps` sends them (``packed``), and the
    chart element's bytes at each leak (``pairs``, from ``chart.pair_data``): a leak
    move in a built view sends those instead of building and encoding its figures
    again (server CPU per move ~10.7 -> ~7.5 ms, measured over 300 moves)."""

    packed: bytes
    pairs: dict[float, bytes]


# Built steps by key (an LRU; ~0.5 MB each, 16 MB at most), and the keys being built:
# a class whose students make their first leak move together builds a view's steps
# once, the others wait for it.
_BUILT: collections.OrderedDict[tuple, Steps] = collections.OrderedDict()
_BUILDING: dict[tuple, threading.Event] = {}
_BUILT_MAX = 32
_BUILT_LOCK = threading.Lock()


def _built(key: tuple | None) -> Steps | None:
    """The steps of ``key`` if they are built (never builds them), as recently used."""
    with _BUILT_LOCK:
        if key not in _BUILT:
            return None
        _BUILT.move_to_end(key)
        return _BUILT[key]


def _ready_steps(key: tuple, moved: bool) -> Steps | None:
    """The leak steps for ``key`` if they are built, or if the student has just moved
    the leak slider (then built now); else None, and the charts take the server's way.

    Built on a student's leak move only (the slider's on_change: not when a class's
    question sets the leak, nor on a link's first load), not on every new x-range: a
    student who moves the x-range, or a class whose questions set each student's own
    leak and x-range, would otherwise cost ~100 ms of server CPU per page each time,
    for steps that may never be used. The first leak move in a view is drawn from the
    server's answer; the steps go out with it, and the next moves are drawn at once."""
    with _BUILT_LOCK:
        if key in _BUILT:  # built by another session since this run looked
            _BUILT.move_to_end(key)
            return _BUILT[key]
        if not moved:
            return None
        building = _BUILDING.get(key)
        if building is None:
            _BUILDING[key] = threading.Event()
    if building is not None:  # another session builds them: this run's moves wait
        building.wait(timeout=5)
        with _BUILT_LOCK:
            return _BUILT.get(key)
    try:
        data = _leak_steps(key)
        with _BUILT_LOCK:
            _BUILT[key] = data
            while len(_BUILT) > _BUILT_MAX:
                _BUILT.popitem(last=False)
        return data
    finally:
        with _BUILT_LOCK:
            _BUILDING.pop(key).set()


def _leak_steps(key: tuple) -> Steps:
    """The chart payload at every step of the leak slider, as one base payload and,
    per step, the changes from it (``wire.diff``): what the browser needs to redraw
    the moment the slider moves, for any value it can take.

    Built by :func:`_figures` and ``common.plain_pair``, as this run's charts are, so
    that a step is the payload the server would send at that leak (a test checks
    it); with them, each step's chart element bytes, which later leak moves in the
    view send as they are. ~100 ms; :func:`_ready_steps` keeps them across sessions,
    so a class on the same view builds them once."""
    x_range, convention, own_bytes, font, present = key
    values = np.frombuffer(own_bytes, dtype=np.float64) if own_bytes else None
    own = figures.own_points(values, x_range)
    inside, _ = examples.split_by_range(examples.all_example_points(), x_range)
    lo, hi = urlstate.LEAK_BOUNDS
    n = round((hi - lo) / urlstate.LEAK_STEP) + 1
    # round(): the slider's values as the browser sends them (0.37, not 0.37000000000000005)
    leaks = [round(lo + i * urlstate.LEAK_STEP, 10) for i in range(n)]
    payloads = [
        common.plain_pair(*_figures(leak, x_range, inside, own, convention, font), x_range, present)
        for leak in leaks
    ]
    base = payloads[n // 2]  # a leak > 0: the same traces as every step but 0
    steps_id = _steps_id(key)
    steps = {
        "id": steps_id,
        "leaks": leaks,
        "base": base,
        "patches": [wire.diff(base, p) for p in payloads],
    }
    return Steps(
        packed=chart.pack_steps(steps),
        pairs={
            leak: chart.pair_data(p, (steps_id, leak))
            for leak, p in zip(leaks, payloads, strict=True)
        },
    )


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
