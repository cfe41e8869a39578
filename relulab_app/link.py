"""The shared link's trip through a session (see :class:`relulab_app.urlstate.Link`): read on
the first run, checked by the views, repaired with a notice, never a traceback."""

from __future__ import annotations

import streamlit as st

from relulab_app import urlstate

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


def repair_address(key: str, repair: urlstate.Repair | None, default) -> None:
    """On a session's first run, before the widget of ``key`` exists (bound to the
    address, or a parameter's, which the page keeps there itself): the address bar takes
    ``repair``'s value at once (none at all for ``default``, or a value that cannot be
    repaired), so that it shows what the page shows.

    Streamlit writes a bound widget's value into the address only when the student moves
    it, not when a run sets it before any run has finished (the repair's rerun), so a
    repaired link (``x_range=5&x_range=-5``) would otherwise stay wrong there; and once
    the widget exists the address is its binding's, which the page may not write."""
    if repair is None or key not in st.query_params:
        return
    value = repair.value
    if value is None or value == default:
        del st.query_params[key]
    elif isinstance(value, tuple):
        st.query_params[key] = [f"{v:g}" for v in value]
    else:
        st.query_params[key] = f"{value:g}"
