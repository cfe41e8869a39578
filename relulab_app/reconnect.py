"""The page across a server restart: a plain "reconnecting" banner while the server is
away, and no slider move lost just after it is back (``relulab/webchart/reconnect.js``).

Streamlit offers no setting for either. Its connection dialog's text is fixed in its
frontend and written for the developer, and the only switch that blocks it
(``blockErrorDialogs``) is for a hosting platform's frame, not for an app. And a
restarted server drops a fragment's rerun until the reconnection's own run has
reached that fragment: the element reruns the whole page after that run if the
student touched the page meanwhile.
"""

from __future__ import annotations

import streamlit as st

AWAY = "Reconnecting to the server… Keep this page open: your settings and answers are kept."
LOST = "The connection to the server is lost. Reload the page to carry on."

# "relulab.reconnect": its assets sit beside the chart element's (src/relulab/pyproject.toml).
_RECONNECT = st.components.v2.component(
    "relulab.reconnect", js="reconnect.js", css="reconnect.css", isolate_styles=False
)


def watch() -> None:
    """Place the element. Outside every fragment: its rerun must be the whole page's."""
    _RECONNECT(data={"away": AWAY, "lost": LOST}, key="reconnect")
