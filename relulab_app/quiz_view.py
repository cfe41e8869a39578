"""Predict, then reveal: a question mode (URL ``quiz=1``, or the *Quiz* switch).

Questions come from :mod:`relulab_app.quiz`, seeded per session so neighbours get other
values. While a question is open the page shows what the question sets (the view, the
leak, the x-range, ...) and hides what it names (a chart, the dot at 0, the tables, the
definitions, curve names, the lab's result); answering (or *Reveal*) unhides them, marks
the answer on the chart and says why in one sentence."""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass

import streamlit as st

from relulab import registry
from relulab_app import quiz, sketch, sketch_view, urlstate

_STATE = "_quiz_state"
_LAB_OPENED = "_quiz_opened_lab"  # the lab is open because a question opened it
CHART = {"function": 0, "derivative": 1}
# The parts an open question may hide (quiz.HIDES names them and says what each is), as
# attributes: a misspelt part fails at once instead of silently never hiding.
Hide = enum.Enum("Hide", {part.upper(): part for part in quiz.HIDES}, type=str)


@dataclass
class _Session:
    seed: int  # the session's own: neighbours get other questions and values
    number: int = 0  # how many questions so far (0: none posed yet)
    question: quiz.Question | None = None
    result: quiz.Result | None = None
    revealed: bool = False
    in_class: bool = False  # the question is a class poll's (relulab_app/classroom_view.py)
    pose_pending: bool = False  # set from a fragment: posed at the top of the next run
    reveal_pending: bool = False  # likewise its reveal


def _session() -> _Session:
    if _STATE not in st.session_state:
        st.session_state[_STATE] = _Session(seed=secrets.randbits(32))
    return st.session_state[_STATE]


def seed(url: urlstate.Link) -> None:
    """On a session's first run: ``quiz=1`` in the link turns the mode on."""
    if url.unread and "quiz" not in st.session_state:
        on, repair = urlstate.check_flag("quiz", url.values("quiz"))
        url.check("quiz", repair)
        if on:
            st.session_state["quiz"] = True
            _next()


def _pose(q: quiz.Question) -> None:
    """Set the page to what the question shows (from a callback: before the widgets)."""
    show = q.show
    for key in ("act", "leak", "kink"):
        if key in show:
            st.session_state[key] = show[key]
    if "x_range" in show:
        st.session_state["x_range"] = tuple(float(v) for v in show["x_range"])
    if "show" in show:
        st.session_state["show"] = list(show["show"])
    from relulab_app import lab_view  # here: lab_view asks this module what is hidden

    if show.get("lab"):
        lab_view.open_with(q.lab_preset or "bias")
        st.session_state[_LAB_OPENED] = True
    elif st.session_state.pop(_LAB_OPENED, False):
        # The lab a question opened closes with the next question that does not use it
        # (one the student opened stays open): its charts would otherwise be drawn on
        # every run of the page, for a whole class at once when a question arrives.
        st.session_state["lab"] = False


def _next() -> None:
    s = _session()
    questions = quiz.for_student(s.seed, s.number + 1)
    s.question, s.number = questions[s.number], s.number + 1
    s.result, s.revealed = None, False
    _pose(s.question)


def _another() -> None:
    _next()


def _check() -> None:
    s = _session()
    if s.question is None:
        return
    raw = st.session_state.get(f"quiz_in_{s.question.id}")
    if isinstance(raw, dict):  # the sketch element's state: what it sent
        raw = raw.get("sent")
    s.result = quiz.check(s.question, None if raw is None else str(raw))
    if s.result.value is not None:  # an attempt: the answer shows
        _reveal()


def _reveal() -> None:
    s = _session()
    s.revealed = True
    _set_for_answer(s.question)


def _set_for_answer(q: quiz.Question | None) -> None:
    """What a reveal sets (before the widgets): the question's convention at 0, so that
    the switch, the dots, the hover and the tables all show the value the answer marks
    (the student may have switched it meanwhile), and the leak the answer is at."""
    if q is None:
        return
    if "kink" in q.show:
        st.session_state["kink"] = q.show["kink"]
    leak = q.reveal.get("leak")
    if leak is not None:
        st.session_state["leak"] = float(leak)


def _on_toggle() -> None:
    if st.session_state.get("quiz") and _session().question is None:
        _next()


def toggle(where) -> None:
    where.toggle(
        "Quiz",
        key="quiz",
        width="content",
        on_change=_on_toggle,
        help="Predict, then reveal: a question hides what would give its answer away; "
        "answer it to see the answer on the charts. The link keeps it (quiz=1).",
    )


def current() -> quiz.Question | None:
    s = _session()
    return s.question if (st.session_state.get("quiz") or s.in_class) else None


# --- a class poll's question (the class panel shows it; this page hides and reveals) ---


def set_class_question(q: quiz.Question, revealed: bool) -> None:
    """A student's page: the class's question, to pose (from the news element's
    callback, or from a fragment for the page's next run)."""
    s = _session()
    # Widgets exist now: pose it, and set what its reveal sets, before they do next run.
    s.reveal_pending = revealed and not (s.revealed and s.question == q)
    s.pose_pending = s.question != q
    s.question, s.in_class, s.revealed, s.result = q, True, revealed, None


def apply_pending() -> None:
    """Before any widget (at the top of a run, or in a callback): pose (or reveal) a
    question set from a callback or a fragment."""
    s = _session()
    if s.pose_pending and s.question is not None:
        s.pose_pending = False
        _pose(s.question)
    if s.reveal_pending:
        s.reveal_pending = False
        _set_for_answer(s.question)


def reveal_class_question() -> None:
    _reveal()


def class_revealed() -> bool:
    s = _session()
    return s.in_class and s.revealed


def class_panel_alone() -> bool:
    """Whether the page's question, if any, is a class's that sets, hides and marks
    nothing (a question the teacher wrote): what the page shows outside the class panel
    is then the same without it, and a change of it changes that panel alone."""
    q, s = current(), _session()
    if st.session_state.get(_LAB_OPENED):  # the next question's posing closes that lab
        return False
    return q is None or (s.in_class and not (q.show or q.hides or q.reveal))


def stop_class_question() -> None:
    s = _session()
    s.in_class = False
    # A question the teacher wrote is no quiz question: it never stays.
    if not st.session_state.get("quiz") or (s.question and s.question.kind not in quiz.KINDS):
        s.question = None


def hidden(part: Hide) -> bool:
    """Whether the open question hides ``part``; ValueError if no question can hide it."""
    part, q = Hide(part), current()
    return q is not None and not _session().revealed and part in q.hides


def hides_any() -> bool:
    """Whether an open question hides anything (then explanatory notes stay away too)."""
    q = current()
    return q is not None and not _session().revealed and bool(q.hides)


def compare_entries() -> list[tuple[object, dict[str, float], str]] | None:
    """For a question that draws its own curves: (record, parameters, label) each, the
    label a letter while the names are hidden; None otherwise."""
    q = current()
    if q is None or "curves" not in q.show:
        return None
    out = []
    for letter, key, params in q.show["curves"]:
        act = registry.REGISTRY[key]
        name = f"Curve {letter}" if hidden(Hide.CURVE_NAMES) else f"Curve {letter}: {act.name}"
        out.append((act, dict(params), name))
    return out


def answer_point() -> tuple[int, float, float] | None:
    """(chart index, x, y) of the answer to mark, once revealed."""
    q = current()
    if q is None or not _session().revealed:
        return None
    r = q.reveal
    if r.get("chart") in CHART and "x" in r and "y" in r:
        return CHART[r["chart"]], float(r["x"]), float(r["y"])
    return None


def panel() -> None:
    """The open question, its answer box and the buttons; nothing when the mode is off."""
    q = current()
    s = _session()
    if q is None or s.in_class:  # a class's question is in the class panel
        return
    box = st.container(border=True)
    box.markdown(f"**Question {s.number}: {quiz.KIND_TITLES[q.kind]}**\n\n{q.prompt}")
    key = f"quiz_in_{q.id}"
    # A sketch's chart is tall: its verdict goes above it, on a projector's first screen.
    verdict = box.container() if q.answer_type == quiz.SKETCH else None
    if q.answer_type == quiz.SKETCH:
        spec = sketch.Spec.loads(str(q.answer))
        mine = sketch_view.stored(s.result and s.result.value, spec)  # type: ignore[arg-type]
        with box:
            sketch_view.show(
                spec.axes, q.prompt, key=key, mine=mine, can_draw=not s.revealed,
                truth=sketch_view.truth(spec) if s.revealed else None, on_sent=_check,
            )  # fmt: skip
    elif q.answer_type == quiz.NUMBER:
        box.text_input(
            "Your answer", key=key, placeholder="one number", disabled=s.revealed, max_chars=200
        )
    else:
        short = all(len(c) <= 30 for c in q.choices)  # short choices fit on one line
        box.radio(
            "Your answer", q.choices, index=None, key=key, disabled=s.revealed, horizontal=short
        )
    buttons = box.container(horizontal=True)
    if q.answer_type != quiz.SKETCH:  # a sketch is checked when it is sent
        buttons.button("Check", on_click=_check, type="primary", disabled=s.revealed)
    buttons.button("Reveal", on_click=_reveal, disabled=s.revealed)
    buttons.button("Another question", on_click=_another, icon=":material/refresh:")
    box = verdict or box
    if s.result is not None and (s.result.value is None or s.revealed):
        if s.result.correct:
            box.success(s.result.message, icon=":material/check_circle:")
        elif s.result.value is None:
            box.warning(s.result.message, icon=":material/edit:")
        else:
            box.error(s.result.message, icon=":material/cancel:")
    elif s.revealed:
        box.info(f"The answer: **{q.answer_text}**. {q.explanation}", icon=":material/visibility:")
