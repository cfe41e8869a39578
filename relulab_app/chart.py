"""The chart element: a function chart and its derivative, updated in place.

``st.plotly_chart`` derives its element's identity from the figure, so every slider
move would mount a new chart: plotly draws it from scratch and the student's zoom is
lost. This element keeps its identity (a fixed ``key``) and its two plots live in the
browser; each move sends the new figures and ``Plotly.react`` redraws only what
changed, keeping any zoom or pan (see ``relulab_app/webchart/chart.js``).

What reaches the browser is numbers and labels the server computed (figures from
:mod:`relulab_app.figures`, encoded by :mod:`relulab_app.wire`); nothing a student types or
puts in a URL goes into the payload except as numbers the library produced.
"""

from __future__ import annotations

import gzip

import streamlit as st

from relulab_app import wire

# "relulab_app.chart": Streamlit finds the assets (chart.js, chart.css and the vendored
# plotly.js) through the manifest relulab_app/pyproject.toml, under its project name.
_CHART = st.components.v2.component(
    "relulab_app.chart", js="chart.js", css="chart.css", isolate_styles=False
)


def payload(specs, hover: list[dict], *, revision: str, present: bool) -> dict:
    """What the chart element draws: two plotly specs (f, then f′), which drawn lines
    hold each curve's f and f′ (``hover``), the zoom's revision and present mode."""
    return {
        "charts": [{"data": f["data"], "layout": f["layout"]} for f in specs],
        "hover": hover,
        "present": present,
        "revision": revision,
    }


def pair_data(content: dict, steps: tuple[str, float] | None = None) -> bytes:
    """``content`` (from :func:`payload`) as the bytes :func:`chart_pair` sends.

    ``steps`` is (the id of a :func:`leak_steps` element on the page, the leak drawn
    here) when ``content`` is exactly that element's payload at this leak: the browser
    then redraws from those steps the moment the leak slider moves, before this run's
    payload arrives, and does not draw this payload again when it does."""
    if steps is not None:
        content = {**content, "steps": steps[0], "leak": steps[1]}
    return wire.encode(content)


def chart_pair(data: bytes, *, key: str) -> None:
    """Draw the two charts of ``data`` (from :func:`pair_data`) side by side, stacked
    on a phone. ``key`` keeps the element, and so the drawn plots, across reruns."""
    _CHART(data=data, key=key, width="stretch")


def pack_steps(steps: dict) -> bytes:
    """The leak steps (``{"id", "leaks", "base", "patches"}``) as :func:`leak_steps`
    sends them: JSON from ``relulab_app.wire``, gzipped (134 -> 12 KB; the browser's
    DecompressionStream reads it). An arriving class would otherwise have the server
    compress 134 KB per student for the websocket, and every run hashes the element's
    bytes to know that they are unchanged."""
    return gzip.compress(wire.encode({"leak_steps": steps}), 6, mtime=0)


def leak_steps(data: bytes, *, key: str) -> None:
    """A hidden element holding the chart payload at every step of the leak slider
    (:func:`pack_steps`, made by ``relulab_app.article_view``). It changes only when
    the x-range or another input but the leak does, so a leak move re-sends none of it."""
    _CHART(data=data, key=key, width="stretch")
