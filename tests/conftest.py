"""Shared helpers for the page tests."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"


def decode(value):
    """Plotly JSON arrays may arrive base64-encoded ({"dtype": "f8", "bdata": ...})."""
    if isinstance(value, dict) and "bdata" in value:
        arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        return arr.reshape(value["shape"]) if "shape" in value else arr
    return value


def chart_specs(at) -> list[dict]:
    """The figure JSON of every Plotly chart on the page, in order."""
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def trace(spec: dict, name: str) -> dict:
    matches = [t for t in spec["data"] if t.get("name") == name]
    assert len(matches) == 1, f"{name!r} not in {[t.get('name') for t in spec['data']]}"
    return {k: decode(v) for k, v in matches[0].items()}


@pytest.fixture
def app():
    """A fresh AppTest of the page (not thread-safe: one per test)."""
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(APP), default_timeout=60)
