"""ReLU Lab's page (app.py serves it), as a short composition of its views (relulab_app/).
Layout and widgets only live there; every number comes from relulab."""

from __future__ import annotations

# First, before the slow imports below: a move made just after the page reconnects to a
# restarted server, whose first run is still importing, would otherwise be dropped.
from relulab_app.reconnect import run_unknown_fragments_whole

run_unknown_fragments_whole()

# Imported here, fully, before any chart: plotly's array check looks pandas up in
# sys.modules without importing it, so while one session's first run is importing pandas
# another session's chart could see it half-initialised and fail (AttributeError). A
# plain import waits for the import in progress (tests/test_load.py: a cold server).
import pandas  # noqa: F401
import streamlit as st

from relulab_app import (
    classroom_view,
    common,
    controls,
    explorer,
    lab_view,
    link,
    quiz_view,
    reconnect,
    reference,
    serving,
)

# Once per server process, after the imports: the heap of plotly, pandas and Streamlit
# leaves the garbage collector's view, so a full collection does not pause every
# session for ~100 ms mid-lesson (docs/performance.md has the measurements).
serving.freeze_startup_heap()
# Likewise once: the server's sockets send each small websocket message at once instead
# of waiting up to 40 ms for the browser's ACK (relulab_app/serving.py says why).
serving.disable_nagle()

st.set_page_config(page_title="ReLU Lab — ReLU and Leaky ReLU", page_icon="📈", layout="wide")

INTRO = (
    "An activation function decides what a neuron passes on. **ReLU** lets positive inputs "
    "through unchanged and turns every negative input into 0. **Leaky ReLU** lets a little "
    "of the negative side through: it multiplies negative inputs by a small slope, the "
    "*leak*. With a leak of 0 the two are the same function, so one pair of functions, "
    "`relu(x, leak)` and its derivative `relu_dash(x, leak)`, covers both. Move the sliders "
    "and watch the graphs and the tables change; the address bar keeps your settings, so "
    "you can share the exact view."
)

link.apply_pending()  # a repair decided on the previous run, before any widget exists
quiz_view.apply_pending()  # likewise a class's question, found by a fragment's run
lab_view.seed(link.current())
quiz_view.seed(link.current())
classroom_view.seed(link.current())
view, convention = controls.view_controls()
classroom_view.panel()
quiz_view.panel()
explorer.explorer(view, convention)
shown = explorer.VIEWS[view]

if not common.present():
    with st.expander("What am I looking at?", key="about"):
        st.markdown(INTRO)
        if shown.caption:
            st.markdown(shown.caption)

st.header("Why Leaky ReLU exists: a dying-ReLU lab")
if not common.present():
    st.markdown(
        "A small network (2 inputs, two hidden layers, 1 output, written in numpy) learns "
        "to separate two interleaved half-moons. Both networks start from the same weights; "
        "one uses ReLU, the other Leaky ReLU at the leak chosen above (or the lab's own, "
        "where the view has none). The presets show units dying."
    )
lab_view.show()

if not common.present():
    reference.definitions(shown)
    reference.code_tabs(shown)


@st.fragment(run_every="1h")
def reconnect_guard() -> None:
    """Draws nothing; it makes the page survive a server restart without a reload.

    When its websocket reconnects, Streamlit 1.67's frontend asks for a full rerun only
    if the page has an auto-rerunning fragment (or its last run was a fragment run).
    Without one, a restarted server never runs the page, does not know its fragments,
    and silently drops every slider move inside them. Its hourly rerun costs nothing.
    A move made while that run is going is still dropped: reconnect.watch() below."""


reconnect_guard()
reconnect.watch()
