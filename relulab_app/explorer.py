"""The interactive part: a slider move reruns only this fragment, which draws one view."""

from __future__ import annotations

import streamlit as st

from relulab_app import article_view, catalogue_view, common, compare_view, lab_view


@st.fragment
def explorer(view: str, convention: str) -> None:
    with common.contained(
        st,
        "The graphs could not be drawn this time. The rest of the page works; try "
        "another setting, or reload the page.",
        f"explorer failed (view {view!r}, convention {convention!r})",
    ):
        if view == "relu":
            lab_view.follow(article_view.show(convention))
        elif view == "compare":
            compare_view.show(convention)
            lab_view.follow(None)
        else:
            catalogue_view.show(view, convention)
            lab_view.follow(None)
