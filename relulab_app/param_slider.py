"""The chart element's own slider for a view's parameter (the article's leak, ELU's α,
the first of a catalogue activation's): a move is drawn in the browser from the
payloads at every value the slider can take (the steps), then reported as the element's
state; the server's rerun updates the rest of the view. The value stays in the address
bar under the parameter's name.

A view asks :func:`value` for this run's value, then draws with :func:`draw` and a
pure ``build(view, value) -> payload``, which the steps are made of."""

from __future__ import annotations

import functools
from collections.abc import Callable

import streamlit as st

from relulab.record import Param
from relulab_app import chart, common, link, urlstate

_EVERY = "_steps_every"  # (parameter, view) whose every step this session's element has


def _key(p: Param, what: str) -> str:
    # What the page keeps per parameter: "moved" (the student moved it, this run),
    # "shown" (the value the element's slider shows), "reported" (the element's state
    # as the page last took it), "told" (the value the server last set, and a count).
    return f"_{p.name}_{what}"


@functools.cache
def values(p: Param) -> tuple[float, ...]:
    """Every value the slider can take, as the browser sends them (0.37, not
    0.37000000000000005)."""
    n = round((p.max - p.min) / p.step)
    return tuple(round(p.min + i * p.step, 10) for i in range(n + 1))


def value(p: Param, url: urlstate.Link, *, element: bool = True) -> float:
    """The parameter's value: the link's on a session's first run, the slider's after,
    or what a question, a preset or a repair set; kept in the address bar. When the
    server set it, the element's slider is told to follow (a count it has not seen
    yet). Called before the slider is drawn; ``element=False`` for a parameter that is
    one of Streamlit's sliders (the same link and address bar, no element's state)."""
    check = functools.partial(urlstate.check_number, p.name, bounds=(p.min, p.max), step=p.step)
    if url.unread:
        raw = url.values(p.name)
        repair = check(raw, p.default)
        link.repair_address(p.name, repair, p.default)
        if p.name not in st.session_state:  # a question may have set it already
            fixed = urlstate.parse_number(raw[0]) if raw and repair is None else None
            fixed = repair.value if repair is not None else fixed
            st.session_state[p.name] = p.default if fixed is None else fixed
    v = float(st.session_state.setdefault(p.name, p.default))
    url.check(p.name, check(url.values(p.name), v))
    if element and v != st.session_state.get(_key(p, "shown")):
        st.session_state[_key(p, "shown")] = v
        told = st.session_state.get(_key(p, "told"), (None, 0))[1] + 1
        st.session_state[_key(p, "told")] = (v, told)
        if isinstance(st.session_state.get("charts"), dict):
            # The element's state, as the server knows it, is the new value: a move back
            # to the value it had is then a change (and reaches _moved).
            st.session_state["charts"][p.name] = st.session_state[_key(p, "reported")] = v
    common.sync_url(p.name, f"{v:g}", f"{p.default:g}")
    return v


def draw(p: Param, build: Callable[[tuple, float], dict], view: tuple, packed: str = "") -> None:
    """The chart element with ``p``'s slider. ``build(view, value)`` makes the payload at
    a value from ``view`` (hashable: what else the charts depend on) and nothing else;
    ``packed``, when given, is drawn instead (a question's charts): moves then wait for
    the server."""
    v = st.session_state[p.name]
    moved = st.session_state.pop(_key(p, "moved"), False)
    if not packed:
        # Every step once the student moves the slider in this view (~100 ms, shared by
        # every session); until then this value's step alone, so that a new x-range or a
        # class's question does not cost every page the whole build.
        every = moved or st.session_state.get(_EVERY) == (p.name, view)
        st.session_state[_EVERY] = (p.name, view) if every else None
        name = f"{build.__module__}.{build.__qualname__} {p!r}"  # the key: all of p
        packed = steps(name, view, None if every else v, build, p)
    told, count = st.session_state[_key(p, "told")]
    spec = {"name": p.name, "label": p.label, "help": p.help, "min": p.min, "max": p.max}
    spec |= {"step": p.step, "value": told, "set": count}
    reported = chart.chart_pair(packed, slider=spec, on_change=functools.partial(_moved, p))
    if _take(p, reported.get(p.name)):  # a move the callback did not see: a first run
        st.rerun()


@st.cache_resource(max_entries=64, show_spinner=False)
def steps(name: str, view: tuple, value: float | None, _build, _p: Param) -> str:
    """The packed payloads (:func:`chart.pack`) of ``view`` at ``value``, or at every
    value ``_p``'s slider can take (None), made by ``_build`` (``name`` names both). Pure: kept
    across sessions, so a class on the same view builds them once (the others wait for
    that build). A value, not the list of them: Streamlit hashes the arguments on every
    call, 2 ms for a tuple of 101 floats."""
    at = values(_p) if value is None else (value,)
    return chart.pack([_build(view, v) for v in at], list(at))


def _moved(p: Param) -> None:
    _take(p, (st.session_state.get("charts") or {}).get(p.name))


def _take(p: Param, reported) -> bool:
    """The element's slider moved (its state, from the browser), if ``reported`` is new: a
    number within the slider's bounds is taken to its step, anything else ignored.
    Returns whether it was taken."""
    if reported == st.session_state.get(_key(p, "reported")) or isinstance(reported, bool):
        return False
    if not isinstance(reported, int | float) or not p.min <= reported <= p.max:
        return False
    st.session_state[_key(p, "reported")] = reported
    v = values(p)[round((reported - p.min) / p.step)]
    st.session_state[p.name] = st.session_state[_key(p, "shown")] = v
    st.session_state[_key(p, "moved")] = True
    return True
