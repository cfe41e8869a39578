"""Reference page for bench/bench_app.py: the floor page with a second chart.

Streamlit 1.67 remounts a Plotly chart whenever its figure changes (the element id
hashes the spec), so every chart is drawn from scratch on each move. This page shows
what a second chart alone costs over the one-chart floor."""

import streamlit as st

from relulab_app import serving

# The app's server tuning (page.py), so that the ratios measure the page, not the tuning.
serving.freeze_startup_heap()
serving.disable_nagle()

leak = st.slider("leak", 0.0, 1.0, 0.1, 0.01, key="leak", bind="query-params")
lo, hi = st.slider("x-range", -60.0, 60.0, (-5.0, 5.0), 0.5, key="x_range", bind="query-params")
a, b = st.columns(2)
for i, c in enumerate((a, b)):
    c.plotly_chart(
        {"data": [{"x": [lo, 0, hi], "y": [leak * lo, 0, hi], "name": f"Leaky ReLU ({leak:g})"}]},
        width="stretch",
        key=f"c{i}",
    )
