"""Who this browser is in a class, kept across reloads and server restarts: cookies the
browser writes (``relulab_app/webchart/cookies.js``; a server cannot set one over
Streamlit's websocket) and sends with every websocket handshake, where
``st.context.cookies`` reads them on a session's first run."""

from __future__ import annotations

import functools
import re

import streamlit as st

AGE = 24 * 3600  # seconds: a lesson's day (a class expires after 4 idle hours anyway)
_SAFE = re.compile(r"[A-Za-z0-9_-]{1,64}")  # cookie-safe names and values, nothing else


@functools.cache
def _element():
    # "relulab_app.cookies": its script sits beside the chart element's
    # (relulab_app/pyproject.toml). Made on first use, so the checks below can be
    # tested without a Streamlit server.
    return st.components.v2.component("relulab_app.cookies", js="cookies.js")


def read(name: str) -> str | None:
    """The cookie ``name`` as the browser sent it when this session connected."""
    return st.context.cookies.get(name)


def keep(values: dict[str, str]) -> None:
    """Have the browser keep ``values`` (name -> value) as cookies. Hidden by the page's
    style (``.st-key-cookies``); the same values on the next run send nothing new."""
    for pair in values.items():
        if not all(_SAFE.fullmatch(p) for p in pair):
            raise ValueError("cookie names and values: 1-64 letters, digits, '-' or '_'")
    _element()(data={"set": [[k, v, AGE] for k, v in values.items()]}, key="cookies")
