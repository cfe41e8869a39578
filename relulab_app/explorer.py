"""The views, one row each, and the fragment that draws the one picked (a slider move
reruns only the fragment).

A view is a module with an entry ``show(convention)`` that draws its widgets and charts
and returns the leak the lab below follows (None: the lab keeps its own). Adding one is
that module and a row of :data:`VIEWS`: the picker (controls.py), this fragment and the
definitions and code under the charts (reference.py) all read the row."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from relulab import registry
from relulab_app import article_view, catalogue_view, common, compare_view, lab_view


@dataclass(frozen=True)
class View:
    label: str  # the picker's
    show: Callable[[str], float | None]
    keys: Callable[[], list[str]]  # the registry entries on show: their definitions, code
    caption: str = ""  # how to read its charts, under "What am I looking at?"
    article: bool = False  # the article's own text and code tabs go with it
    link: tuple[str, ...] = ()  # URL values of its own: they leave with the view


def _catalogue(key: str) -> View:
    act = registry.REGISTRY[key]
    link = tuple(p.name for p in act.params)
    return View(act.name, functools.partial(catalogue_view.show, key), lambda: [key], link=link)


# The article's pair is one view; every other registry entry is a view of its own.
VIEWS: dict[str, View] = {
    "relu": View(
        "ReLU and Leaky ReLU (the article)",
        article_view.show,
        lambda: ["relu", "leaky_relu"],
        caption=article_view.CAPTION,
        article=True,
    ),
    **{k: _catalogue(k) for k in registry.REGISTRY if k not in ("relu", "leaky_relu")},
    "compare": View(
        "Compare several",
        compare_view.show,
        lambda: list(st.session_state.get("show") or []),  # its picker's
        link=("show",),
    ),
}
DEFAULT = "relu"


@st.fragment
def explorer(view: str, convention: str) -> None:
    with common.contained(
        st,
        "The graphs could not be drawn this time. The rest of the page works; try "
        "another setting, or reload the page.",
        f"explorer failed (view {view!r}, convention {convention!r})",
    ):
        lab_view.follow(VIEWS[view].show(convention))
