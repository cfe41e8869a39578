"""The chart element: a function chart and its derivative, updated in place.

``st.plotly_chart`` derives its element's identity from the figure, so every slider
move would mount a new chart: plotly draws it from scratch and the student's zoom is
lost. This element keeps its identity (a fixed ``key``) and its two plots live in the
browser; each move sends the new figures and ``Plotly.react`` redraws only what
changed, keeping any zoom or pan (see ``relulab/webchart/chart.js``).

What reaches the browser is numbers and labels the server computed (figures from
:mod:`relulab.figures`, encoded by :mod:`relulab.wire`); nothing a student types or
puts in a URL goes into the payload except as numbers the library produced.
"""

from __future__ import annotations

import streamlit as st

from relulab import wire

# "relulab.chart": Streamlit finds the assets (chart.js, chart.css and the vendored
# plotly.js) through the manifest src/relulab/pyproject.toml, under the project's name.
_CHART = st.components.v2.component(
    "relulab.chart", js="chart.js", css="chart.css", isolate_styles=False
)


def chart_pair(
    figures: tuple[dict, dict], hover: list[dict], *, revision: str, present: bool, key: str
) -> None:
    """Draw ``figures`` (two plotly specs: f, then f′) side by side, stacked on a phone.

    ``hover`` names, for each curve, the traces holding its f and f′ and its f′ at
    exactly 0; ``revision`` changes when the student's zoom should be reset (a new
    x-range); ``key`` keeps the element, and so the drawn plots, across reruns."""
    payload = {
        "charts": [{"data": f["data"], "layout": f["layout"]} for f in figures],
        "hover": hover,
        "present": present,
        "revision": revision,
    }
    _CHART(data=wire.encode(payload), key=key, width="stretch")
