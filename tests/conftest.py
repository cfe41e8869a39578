"""Shared helpers for the page tests."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import numpy as np
import pytest
from serve import CHROMIUM_ARGS, find_chromium

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"


def decode(value):
    """A chart's data array as numpy: a JSON list of numbers (the chart element's form),
    or Plotly's base64 typed array ({"dtype": "f8", "bdata": ...}, st.plotly_chart's).
    A list with a gap (None) stays a list, so tests can see the gap."""
    if isinstance(value, dict) and "bdata" in value:
        arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        return arr.reshape(value["shape"]) if "shape" in value else arr
    if (
        isinstance(value, list)
        and value
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        return np.array(value, dtype=float)
    return value


def chart_payloads(at) -> list[dict]:
    """What each chart element (the explorer's function and derivative pair) sends the
    browser: its JSON payload (``charts``, ``hover``, ``present``, ``revision``)."""
    return [
        json.loads(el.proto.bytes)
        for el in at.get("bidi_component")
        if el.proto.component_name == "relulab.chart"
    ]


def chart_specs(at) -> list[dict]:
    """The figure JSON of every chart on the page, in order: the explorer's pair (one
    chart element), then any st.plotly_chart (the lab's)."""
    specs = [c for p in chart_payloads(at) for c in p["charts"]]
    return specs + [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def n_charts(at) -> int:
    """How many charts the page draws (2 per chart element, 1 per st.plotly_chart)."""
    return 2 * len(chart_payloads(at)) + len(at.get("plotly_chart"))


def trace(spec: dict, name: str) -> dict:
    matches = [t for t in spec["data"] if t.get("name") == name]
    assert len(matches) == 1, f"{name!r} not in {[t.get('name') for t in spec['data']]}"
    return {k: decode(v) for k, v in matches[0].items()}


@pytest.fixture
def app():
    """A fresh AppTest of the page (not thread-safe: one per test)."""
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(APP), default_timeout=60)


# Browser fixtures: locally a missing Chromium skips the browser tests; with
# RELULAB_REQUIRE_BROWSER=1 (CI) it fails them.
@pytest.fixture(scope="module")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        if os.environ.get("RELULAB_REQUIRE_BROWSER") == "1":
            pytest.fail(
                "RELULAB_REQUIRE_BROWSER=1 but no Chromium found (apt-get install chromium)"
            )
        pytest.skip("no Chromium found (apt-get install chromium, or set RELULAB_CHROMIUM)")
    return path


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def small_blocks(monkeypatch):
    """Tiny blocks and a tiny parallel threshold, so small arrays take every path of
    relulab's blocked, threaded runner."""
    from relulab import _engine

    monkeypatch.setattr(_engine, "BLOCK_BYTES", 64)
    monkeypatch.setattr(_engine, "PARALLEL_MIN_BYTES", 128)
    monkeypatch.setenv("RELULAB_THREADS", "3")
