"""Hypothesis over every URL parameter the page reads: never an exception, never markup
echoed back. A short run in `make test`; `make fuzz` runs 10,000 cases."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import APP, n_charts

KEYS = ["leak", "x_range", "act", "kink", "show", "a", "alpha", "beta", "threshold",
        "present", "quiz", "class", "teacher", "lab", "lab_preset", "lab_lr", "lab_bias",
        "lab_width", "lab_epochs", "lab_leak", "mish"]  # fmt: skip
VALUES = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["0.5", "-1", "1e309", "nan", "inf", "-0", "60", "-60", "0.123", "elu",
                     "compare", "jax", "gelu", "<b>x</b>", "<script>", "", " ", "%00",
                     "1", "0", "true", "K7MX3P", "lr", "bias", "x" * 32]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)  # fmt: skip
QUERIES = st.dictionaries(st.sampled_from(KEYS), st.lists(VALUES, min_size=1, max_size=3))
EXAMPLES = int(os.environ.get("RELULAB_FUZZ_EXAMPLES", "15"))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=EXAMPLES <= 15,  # the quick run is the same every time
)
@given(QUERIES)
def test_any_url_gives_a_working_page(query):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, values in query.items():
        at.query_params[key] = values
    at.run()
    assert not at.exception and not at.error, (query, at.exception, at.error)
    shown = " ".join(w.value for w in at.warning)
    assert "<b>" not in shown and "<script>" not in shown
    # charts, or "pick at least one", or a quiz question hiding one of them
    assert n_charts(at) >= 2 or at.info or "quiz" in query
