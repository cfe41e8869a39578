"""The floor page for bench/bench_app.py: the app's two URL-bound sliders and one
3-point Plotly chart, nothing else. Whatever the real page costs above this is ours."""

import streamlit as st

from relulab_app import serving

# The app's server tuning (page.py), so that the ratios measure the page, not the tuning.
serving.freeze_startup_heap()
serving.disable_nagle()

leak = st.slider("leak", 0.0, 1.0, 0.1, 0.01, key="leak", bind="query-params")
lo, hi = st.slider("x-range", -60.0, 60.0, (-5.0, 5.0), 0.5, key="x_range", bind="query-params")
st.plotly_chart(
    {"data": [{"x": [lo, 0, hi], "y": [leak * lo, 0, hi], "name": f"Leaky ReLU ({leak:g})"}]},
    width="stretch",
)
