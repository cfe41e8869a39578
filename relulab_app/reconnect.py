"""The page across a server restart: a plain "reconnecting" banner while the server is
away (``relulab_app/webchart/reconnect.js``), and no move lost just after it is back.

Streamlit offers no setting for either. Its connection dialog's text is fixed in its
frontend and written for the developer, and the only switch that blocks it
(``blockErrorDialogs``) is for a hosting platform's frame, not for an app. And a
restarted server drops a fragment's rerun until the reconnection's own run has
reached that fragment (``AppSession.request_rerun``): a slider move, or a class
answer's Send, made in the first seconds after the page reconnects would be lost.
:func:`run_unknown_fragments_whole` has the server run the whole page for it instead.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.app_session import AppSession

AWAY = "Reconnecting to the server… Keep this page open: your settings and answers are kept."
LOST = "The connection to the server is lost. Reload the page to carry on."

# "relulab_app.reconnect": its assets sit beside the chart element's (relulab_app/pyproject.toml).
_RECONNECT = st.components.v2.component(
    "relulab_app.reconnect", js="reconnect.js", css="reconnect.css", isolate_styles=False
)


def watch() -> None:
    """Place the element. Outside every fragment: its rerun must be the whole page's."""
    _RECONNECT(data={"away": AWAY, "lost": LOST}, key="reconnect")


def run_unknown_fragments_whole() -> None:
    """Once per process, before anything else: any session's rerun of a fragment this
    server does not know (yet), made by a person, runs the whole page, with the same
    widget values and the same button or form trigger, instead of being dropped.

    Only for a person's rerun: a fragment's timed rerun (``is_auto_rerun``) of a
    fragment that a run removed is still dropped, as Streamlit does. A whole run is
    what a page does for any rerun outside a fragment, so nothing else changes; the
    fragment's rerun that Streamlit knows is untouched.
    """
    request_rerun = AppSession.request_rerun
    if getattr(request_rerun, "_relulab", False):
        return

    def patched(self: AppSession, client_state) -> None:
        if (
            client_state is not None
            and client_state.fragment_id
            and not client_state.is_auto_rerun
            and not self.has_fragment(client_state.fragment_id)
        ):
            client_state.fragment_id = ""
        request_rerun(self, client_state)

    patched._relulab = True  # type: ignore[attr-defined]
    AppSession.request_rerun = patched  # type: ignore[method-assign]
