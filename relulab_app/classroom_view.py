"""A live class poll: the teacher opens a class, students join with ``?class=CODE`` (or
its QR code), the teacher puts the quiz's questions to the class and sees the answers
arrive as a bar chart, then reveals the right one.

The store is :mod:`relulab.classroom` (in memory, or Redis when ``RELULAB_REDIS_URL``
is set). The teacher's link carries ``class=CODE&teacher=TOKEN``; the students' only
``class=CODE``. The store keeps no text: a question travels as its quiz id, and a
choice as its number, so nothing a student types reaches another screen."""

from __future__ import annotations

import contextlib
import math
import os
import random
from dataclasses import dataclass, field

import streamlit as st

from relulab import classroom, figures, parse, quiz, urlstate
from relulab_app import common, quiz_view, share

_STATE = "_class_state"
_SENT_NOTE = "_class_sent_note"  # (question seq, text): what a student's last Send met
# Seconds between refreshes. The teacher's chart must show an answer within 2 s of it
# arriving, and a refresh also takes its run time and its wait behind a class's reruns,
# so it refreshes every second (one session); the students' question every 2 s.
TEACHER_REFRESH = 1.0
REFRESH = 2.0
DEFER = 0.5  # the share of students' pages that take a question one refresh later
ENDED = (
    "This class has ended (the teacher closed it, it was idle for hours, or the server "
    "restarted without a shared store). Ask your teacher for a new link."
)
UNAVAILABLE = "The class store cannot be reached just now; the rest of the page works."


@dataclass
class _Class:
    code: str | None = None
    token: str | None = None  # the teacher's; None for a student
    session: str = field(default_factory=classroom.new_session_id)
    seen_seq: int = 0  # the last question this page posed
    ended: bool = False
    question: quiz.Question | None = None  # the poll's, made once, not on every refresh
    shown: classroom.Poll | None = None  # the poll the student's panel shows
    deferred: tuple[int, bool] | None = None  # news this page takes at its next refresh


def _state() -> _Class:
    if _STATE not in st.session_state:
        st.session_state[_STATE] = _Class()
    return st.session_state[_STATE]


def _store() -> classroom.Store:
    return classroom.store_from_env(os.environ)


def _question(poll: classroom.Poll) -> quiz.Question:
    s = _state()
    if s.question is None or s.question.id != poll.question_id:
        s.question = quiz.from_id(poll.question_id)
    return s.question


def seed(url: urlstate.Link) -> None:
    """On a session's first run: a class code (and a teacher token) from the link."""
    if not url.unread or _STATE in st.session_state:
        return
    s = _state()
    code, notice = classroom.read_code(url.values("class"))
    if notice:
        url.check("class", urlstate.Repair(None, notice))
    token, notice = classroom.read_token(url.values("teacher"))
    if notice:
        url.check("teacher", urlstate.Repair(None, notice))
    if code is None:
        return
    try:
        store = _store()
        if not store.exists(code):
            s.ended = True  # panel() says so, and clears any class question
            return
        s.code = code
        if token is not None and store.is_teacher(code, token):
            s.token = token
        elif token is not None:
            url.check("teacher", urlstate.Repair(None, classroom.TOKEN_NOTICE))
        if s.token is None:
            store.join(code, s.session)
    except classroom.ClassroomError as err:
        s.ended = isinstance(err, classroom.NoSuchClass)
        if not s.ended:
            st.session_state["_class_error"] = UNAVAILABLE


def _sync_url() -> None:
    s = _state()
    common.sync_url("class", s.code, None)
    common.sync_url("teacher", s.token, None)


def _open() -> None:
    s = _state()
    try:
        s.code, s.token = _store().open_class()
        s.ended, s.seen_seq = False, 0
    except classroom.ClassroomError:
        st.session_state["_class_error"] = UNAVAILABLE


def _join() -> None:
    s = _state()
    code = classroom.parse_code(st.session_state.get("class_code", ""))
    if code is None:
        st.session_state["_class_error"] = classroom.CODE_NOTICE.replace("The link’s", "That")
        return
    try:
        _store().join(code, s.session)
        s.code, s.token, s.ended, s.seen_seq = code, None, False, 0
    except classroom.NoSuchClass:
        st.session_state["_class_error"] = "There is no open class with that code."
    except classroom.ClassroomError:
        st.session_state["_class_error"] = UNAVAILABLE


def _leave() -> None:
    s = _state()
    if s.token is not None:
        with contextlib.suppress(classroom.ClassroomError):  # best effort: it expires anyway
            _store().close(s.code, s.token)
    st.session_state[_STATE] = _Class()
    quiz_view.stop_class_question()


def class_button(where) -> None:
    """The "Class" popover in the top row: open, join, or the class in progress."""
    s = _state()
    label = f"Class {s.code}" if s.code else "Class"
    box = where.popover(label, key="class_menu", on_change="rerun")
    if not box.open:
        return
    if s.code and s.token:
        box.markdown(f"You teach class **{s.code}**. Students join with this link:")
        join = share.join_url(s.code)
        box.image(share.qr_png(join, 8), caption=f"Scan to join class {s.code}")
        box.code(join, language=None, wrap_lines=True)
        share.join_note(box, s.code)  # which address the link uses, or why phones can't
        box.caption("Your own link (it lets you ask and reveal) is in the address bar: keep it.")
        box.button("Close the class", on_click=_leave, icon=":material/close:")
    elif s.code:
        box.markdown(f"You are in class **{s.code}**; your answers are anonymous.")
        box.button("Leave the class", on_click=_leave)
    else:
        box.button("Open a class (for the teacher)", on_click=_open, type="primary")
        box.text_input("Class code", key="class_code", max_chars=20, placeholder="K7MX3P")
        box.button("Join", on_click=_join)


# --- the teacher ------------------------------------------------------------------------


def _ask() -> None:
    s = _state()
    q = quiz_view.next_question()
    choices = tuple(str(i + 1) for i in range(len(q.choices)))
    answer = str(q.choices.index(q.answer) + 1) if q.answer_type == quiz.CHOICE else float(q.answer)
    try:
        poll = _store().ask(
            s.code, s.token, q.id, q.answer_type, choices, answer, float(q.tolerance)
        )
        s.seen_seq = poll.seq
    except classroom.NoSuchClass:
        s.ended = True
    except classroom.Full:
        st.session_state["_class_error"] = (
            f"This class has had its {classroom.MAX_QUESTIONS} questions; open a new one."
        )
    except classroom.ClassroomError:
        st.session_state["_class_error"] = UNAVAILABLE


def _reveal_to_class() -> None:
    s = _state()
    try:
        _store().reveal(s.code, s.token)
    except classroom.Closed:
        st.session_state["_class_error"] = "There is no open question to reveal: ask one first."
        return
    except classroom.NoSuchClass:
        s.ended = True
        return
    except classroom.ClassroomError:
        st.session_state["_class_error"] = UNAVAILABLE
        return
    quiz_view.reveal_class_question()


_FAILED = object()


def _read(call):
    """``call(store)`` for a live panel; if the class has ended or the store is down, a
    message in its place and ``_FAILED``."""
    try:
        return call(_store())
    except classroom.NoSuchClass:
        _state().ended = True
        quiz_view.stop_class_question()
        st.warning(ENDED, icon=":material/event_busy:")
    except classroom.ClassroomError:
        st.warning(UNAVAILABLE, icon=":material/cloud_off:")
    return _FAILED


@st.fragment(run_every=TEACHER_REFRESH)
def _teacher_live() -> None:
    s = _state()
    tally = _read(lambda store: store.tally(s.code, s.token))
    if tally is _FAILED:
        return
    if tally.poll is None:
        st.info("Put a question to the class: the answers appear here as they arrive.")
        return
    q = _question(tally.poll)
    st.markdown(f"**Question {tally.poll.seq}: {quiz.KIND_TITLES[q.kind]}**\n\n{q.prompt}")
    if q.answer_type == quiz.CHOICE:
        st.markdown("  \n".join(f"**{i + 1}.** {c}" for i, c in enumerate(q.choices)))
    common.plotly_chart(
        st, figures.tally_figure(q, tally, tally.poll.revealed, common.font_size()), "class_tally"
    )
    if tally.poll.revealed:
        st.info(f"The answer: **{q.answer_text}**. {q.explanation}", icon=":material/visibility:")


def _teacher_panel() -> None:
    s = _state()
    box = st.container(border=True)
    head = box.container(horizontal=True, vertical_alignment="center")
    head.markdown(f"**Class {s.code}** · students join at `{share.join_url(s.code)}`")
    head.button("Ask the next question", on_click=_ask, type="primary", icon=":material/campaign:")
    head.button("Reveal to the class", on_click=_reveal_to_class, icon=":material/visibility:")
    with box:
        _teacher_live()


# --- a student --------------------------------------------------------------------------


def _answer(q: quiz.Question, poll: classroom.Poll) -> None:
    s = _state()
    st.session_state.pop(_SENT_NOTE, None)  # this Send's own message replaces it

    def note(text: str, seq: int = poll.seq) -> None:
        # Shown with question `seq` until the next Send: kept in the session, not shown
        # once, because a run that shows it may be replaced by a rerun (a new question's).
        st.session_state[_SENT_NOTE] = (seq, text)

    raw = st.session_state.get(f"class_in_{poll.seq}")
    if raw is None:
        return
    if q.answer_type == quiz.CHOICE:
        value: float | str = str(q.choices.index(raw) + 1)
    else:
        try:
            values = parse.parse_values(str(raw))
        except parse.ParseError as err:
            note(f"Could not read that: {err}")
            return
        if values.size != 1 or not math.isfinite(float(values[0])):
            note("Type one finite number, e.g. 0.5.")
            return
        value = float(values[0])
    try:
        _store().answer(s.code, s.session, poll.question_id, value)
        st.session_state["_class_sent"] = poll.seq
    except classroom.Closed:
        # Revealed, or replaced by a question this page has not taken yet (half the
        # class takes news a refresh later): then it takes it now.
        try:
            now = _store().current(s.code)
        except classroom.ClassroomError:
            now = None
        if now is not None and now.seq != poll.seq:
            s.deferred = (now.seq, now.revealed)
            note("The teacher has moved on to the next question: here it is.", now.seq)
        else:
            note("The teacher has revealed this one: answers are closed.")
    except classroom.BadAnswer:
        note("That number is out of range: type one between ±1e9.")
    except classroom.NoSuchClass:
        s.ended = True
    except classroom.ClassroomError:
        note(UNAVAILABLE)


@st.fragment(run_every=REFRESH)
def _student_live() -> None:
    s = _state()
    poll = _read(lambda store: store.current(s.code))
    if poll is _FAILED:
        return
    if poll is None:
        st.info(f"You are in class {s.code}. The teacher's question will appear here.")
        return
    if poll.seq != s.seen_seq or (poll.revealed and not quiz_view.class_revealed()):
        news = (poll.seq, poll.revealed)
        if common.fragment_run() and s.deferred != news and random.random() < DEFER:
            # Taking news costs a run of the whole page. Every page learns of a new
            # question (or the reveal) within one refresh of the teacher's click, so a
            # class's runs would all land in those REFRESH seconds, more than one core
            # can serve (bench/load.py); a random half of the pages takes it one
            # refresh later, spreading the runs over twice the time. (A run of the whole
            # page takes it at once: it is drawing everything anyway.)
            s.deferred = news
            poll = s.shown
            if poll is None:
                st.info(f"You are in class {s.code}. The teacher's question will appear here.")
                return
        else:
            # A new question, or the reveal: the whole page poses or unhides it.
            s.seen_seq, s.deferred = poll.seq, None
            quiz_view.set_class_question(_question(poll), poll.revealed)
            st.rerun(scope="app")
    s.shown = poll
    q = _question(poll)
    box = st.container(border=True)
    box.markdown(
        f"**Class {s.code}, question {poll.seq}: {quiz.KIND_TITLES[q.kind]}**\n\n{q.prompt}"
    )
    key = f"class_in_{poll.seq}"
    if q.answer_type == quiz.NUMBER:
        box.text_input("Your answer", key=key, max_chars=200, disabled=poll.revealed)
    else:
        box.radio(
            "Your answer",
            q.choices,
            index=None,
            key=key,
            disabled=poll.revealed,
            horizontal=all(len(c) <= 30 for c in q.choices),
        )
    box.button("Send", on_click=_answer, args=(q, poll), type="primary", disabled=poll.revealed)
    error = st.session_state.pop("_class_error", None)
    seq, sent_note = st.session_state.get(_SENT_NOTE, (None, None))
    if error or seq == poll.seq:
        box.warning(error or sent_note, icon=":material/edit:")
    elif st.session_state.get("_class_sent") == poll.seq and not poll.revealed:
        box.success("Sent. You can change it until the teacher reveals the answer.")
    if poll.revealed:
        try:
            mine = _store().my_answer(s.code, s.session)
        except classroom.ClassroomError:
            mine = None
        verdict = ""
        if mine is not None:
            typed = q.choices[int(mine) - 1] if q.answer_type == quiz.CHOICE else repr(mine)
            verdict = quiz.check(q, str(typed)).message
        box.info(verdict or f"The answer: **{q.answer_text}**. {q.explanation}")


def panel() -> None:
    """The class's panel above the instrument: the teacher's or a student's."""
    s = _state()
    _sync_url()
    error = st.session_state.get("_class_error")
    if s.ended:
        st.warning(ENDED, icon=":material/event_busy:")
        quiz_view.stop_class_question()
        st.session_state[_STATE] = _Class()
        _sync_url()
        return
    if s.code is None:
        if error:
            st.warning(st.session_state.pop("_class_error"), icon=":material/group_off:")
        return
    if s.token is not None:
        if error:
            st.warning(st.session_state.pop("_class_error"), icon=":material/cloud_off:")
        _teacher_panel()
    else:
        _student_live()
