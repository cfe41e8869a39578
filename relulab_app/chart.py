"""The chart element: a function chart and its derivative, updated in place.

``st.plotly_chart`` derives its element's identity from the figure, so every slider
move would mount a new chart: plotly draws it from scratch and the student's zoom is
lost. This element keeps its identity (a fixed ``key``) and its two plots live in the
browser; each move sends the new figures and ``Plotly.react`` redraws only what
changed, keeping any zoom or pan (see ``relulab_app/webchart/chart.js``).

What reaches the browser is numbers and labels the server computed (figures from
:mod:`relulab_app.figures`, encoded by :mod:`relulab_app.wire`); nothing a student types or
puts in a URL goes into the payload except as numbers the library produced. A view's
parameter (the article's leak, ELU's α) can be the element's own slider: its payloads
at every value arrive at once, so a move is drawn in the browser before the server's
rerun updates the rest (:mod:`relulab_app.param_slider`).
"""

from __future__ import annotations

import base64
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


def pack(payloads: list[dict], values: list[float] | None = None) -> str:
    """Chart payloads (from :func:`payload`) as the element receives them: JSON,
    gzipped, as base64 text; with the slider's value each one is drawn at, when the
    element has a slider (the article's 101 leaks: 513 KB of JSON, 14 KB gzipped)."""
    data = wire.encode({"values": values, "payloads": payloads})
    return base64.b64encode(gzip.compress(data, 6, mtime=0)).decode()


def chart_pair(packed: str, *, slider: dict | None = None, on_change=None):
    """Draw the two charts of ``packed`` (from :func:`pack`) side by side, stacked on a
    phone, under a slider of their own when ``slider`` says so (``name``, ``label``,
    ``help``, ``min``, ``max``, ``step``, and ``value``, which the slider takes whenever
    ``set``, a count, is new to it). A move of the slider draws the payload at its value
    at once, then reports the value as the element's state ``name`` (``on_change``);
    this returns the element's state.

    The element keeps one key across reruns and views, so its plots (and a student's
    zoom) live on. While only the slider moves, the data is the same: Streamlit then
    sends a reference to the message the browser already has."""
    data = {"slider": slider, "steps_gz_base64": packed}
    if (st.session_state.get("charts") or {}).get("gunzip") is False:
        # A browser without DecompressionStream (before 2023) said so: plain JSON text.
        data = {"slider": slider, "steps_json": gzip.decompress(base64.b64decode(packed)).decode()}
    callback = {f"on_{slider['name']}_change": on_change} if slider else {}
    return _CHART(data=data, key="charts", width="stretch", **callback)
