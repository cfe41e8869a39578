"""The shared link's trip through a session (see :class:`relulab.urlstate.Link`): read on
the first run, checked by the views, repaired with a notice, never a traceback."""

from __future__ import annotations

import streamlit as st

from relulab import urlstate

KEY = "_link"


def current() -> urlstate.Link:
    """This session's link: the address bar as it was on the session's first run."""
    if KEY not in st.session_state:
        st.session_state[KEY] = urlstate.Link(
            {k: st.query_params.get_all(k) for k in st.query_params}
        )
    return st.session_state[KEY]


_RESTART = "_link_restart"


def restart() -> None:
    """From a callback: start the session over from the address bar as it is now (a
    clean one, after "Back to the article's view"). The run the callback belongs to
    still seeds URL-bound widgets from the address bar it started with, so the page
    reruns once more, from the top, before drawing anything."""
    st.session_state[KEY] = urlstate.Link({})
    st.session_state[_RESTART] = True


def apply_pending() -> None:
    """Values a repair decided on the previous run, set before any widget exists."""
    if st.session_state.pop(_RESTART, False):
        st.rerun()
    if KEY in st.session_state:
        for key, value in current().take_pending().items():
            st.session_state[key] = value


def settle(state: tuple) -> None:
    """After a view's checks: rerun to apply repaired values, or show the notices (until
    the student changes ``state``)."""
    link = current()
    if link.settle():
        st.rerun()
    for notice in link.notices_at(state):
        st.warning(notice, icon=":material/link:")
