"""A live class poll: the teacher opens a class, projects its join screen (a large code,
a QR code, the link and a live count), and students join from their phones with
``?class=CODE``. The teacher picks the next question from the quiz's bank (with a
preview) or writes one, may lock answers or run a countdown, sees the answers arrive
(every number as a dot, or a bar per choice), reveals the right one, and downloads every
question's results as CSV.

The store is :mod:`relulab_app.classroom`, so a server restart loses nothing. Who is who
lives in the browser's cookies (relulab_app/cookies.py), not in the address bar: a
reload or a reconnection after a restart is the same teacher and the same student, and
the projected address bar shows only the class code."""

from __future__ import annotations

import contextlib
import functools
import math
import os
import random
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import streamlit as st

from relulab_app import (
    classroom,
    common,
    cookies,
    figures,
    news,
    parse,
    quiz,
    quiz_view,
    share,
    sketch,
    sketch_view,
    urlstate,
)

_STATE = "_class_state"
_SENT_NOTE = "_class_sent_note"  # (question seq, text): what a student's last Send met
_ERROR = "_class_error"  # a message for the next run of the panel
_SENT_NOW = "_class_sent_now"  # the question whose Send callback ran before this run
# Seconds between the teacher's refreshes. The chart must show an answer within 2 s of
# it arriving, and a refresh also takes its run time and its wait behind a class's
# reruns, so it refreshes every second (one session). Students' pages do not refresh:
# they ask for news (relulab_app/news.py).
TEACHER_REFRESH = 1.0
STUDENT_COOKIE = "relulab_student"
TEACHER_COOKIE = "relulab_teacher_"  # + the class code
# The tally's height: on a 1024x768 projector in present mode, the question, its chart
# and the answer fit below the page's controls.
TALLY_HEIGHT, TALLY_HEIGHT_PRESENT = 360, 300
QR_SCALE = 9  # px per module: a class link's code is 300-400 px wide, scannable at 10 m
ENDED = "This class has ended. If your teacher opens another, ask for its code."
NO_SUCH = (
    "There is no class with the code {code}. Check the code with your teacher, or open "
    "the link they shared."
)
EXPIRED = "This class has expired: 4 hours went by without a question or an answer."
UNAVAILABLE = "The class store cannot be reached just now; the rest of the page works."
FULL = "This class is full ({n} students)."
WRITTEN = "written"  # quiz.Question.kind of a question the teacher wrote
OWN = "own-"  # the id's start of a question the teacher wrote
ANY_KIND = "any"

CSS = Path(__file__).with_name("classroom.css")


@dataclass
class _Class:
    code: str | None = None
    token: str | None = None  # the teacher's; None for a student
    session: str = field(default_factory=classroom.new_session_id)
    seen_seq: int = 0  # the last question this page posed
    ended: bool = False
    missing: str | None = None  # a code that names no class
    show_join: bool = True  # the teacher's join screen
    seconds: int = 0  # the countdown for the next questions (0: none)
    candidate: quiz.Question | None = None  # the teacher's next question from the bank


def _state() -> _Class:
    return st.session_state.setdefault(_STATE, _Class())


def _store() -> classroom.Store:
    return classroom.store_from_env(os.environ)


def _fail(text: str) -> None:
    st.session_state[_ERROR] = text


_FAILED = object()


def _try(call, **messages: str):
    """``call(store)`` for a teacher's button, or ``_FAILED`` after an error: a class that
    ended or expired ends the panel's; ``messages`` (by the error's name: ``Full``,
    ``Closed``, ``ValueError``) say what went wrong, else the store is unavailable."""
    try:
        return call(_store())
    except classroom.NoSuchClass:
        _state().ended = True
    except (classroom.ClassroomError, ValueError) as err:
        message = messages.get(type(err).__name__)
        if message is None and not isinstance(err, classroom.ClassroomError):
            raise
        _fail((message or UNAVAILABLE).format(err=err))
    return _FAILED


@functools.lru_cache(maxsize=64)
def _qr(url: str) -> bytes:
    return share.qr_png(url, QR_SCALE)


# --- questions: the quiz's, or the teacher's own -----------------------------------------


def _own(poll: classroom.Poll) -> bool:
    return poll.question_id.startswith(OWN)


@functools.lru_cache(maxsize=256)  # made once, not on every run of every page
def _question(poll: classroom.Poll) -> quiz.Question:
    """The poll as the page poses and checks a quiz question: the quiz's, made again from
    its id, or the teacher's own (its answer None on a student's page until the reveal)."""
    if not _own(poll):
        return quiz.from_id(poll.question_id)
    kind, tol = quiz.NUMBER if poll.kind == "number" else quiz.CHOICE, poll.tolerance or 0.0
    return quiz.Question(
        WRITTEN, 0, poll.prompt, kind, poll.answer, "", frozenset(), poll.choices, tol
    )


def _title(q: quiz.Question) -> str:
    return "The teacher's question" if q.kind == WRITTEN else quiz.KIND_TITLES[q.kind]


def _poll_title(poll: classroom.Poll) -> str:
    """A question's text for the results: the teacher's, or the quiz's prompt."""
    return poll.prompt if _own(poll) else quiz.from_id(poll.question_id).prompt


def _choice_text(poll: classroom.Poll, choice: str) -> str:
    """A choice as the question shows it: the quiz's travel as their numbers."""
    return choice if _own(poll) else quiz.from_id(poll.question_id).choices[int(choice) - 1]


def _prompt(where, q: quiz.Question, key: str) -> None:
    """The question's text: the quiz's is the page's own Markdown; a teacher's is shown
    as plain text, never as markup."""
    if q.kind == WRITTEN:
        where.container(key=key).text(q.prompt)
    else:
        where.markdown(q.prompt)


def _choice_label(q: quiz.Question):
    """Radio labels: a teacher's choices are plain text (Streamlit reads Markdown there)."""
    if q.answer_type == quiz.SKETCH:
        return lambda _: "your sketch"
    return _escape_markdown if q.kind == WRITTEN else str


def _escape_markdown(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!|<>~$:&" else c for c in text)


def _choices(where, q: quiz.Question) -> None:
    if q.answer_type == quiz.CHOICE:
        label = _choice_label(q)
        where.markdown("  \n".join(f"**{i + 1}.** {label(c)}" for i, c in enumerate(q.choices)))


# --- who is who: the link, and the browser's cookies -----------------------------------


def seed(url: urlstate.Link) -> None:
    """On a session's first run (a new page, a reload, or a reconnection after a server
    restart): the class code from the link; the student id and the teacher's token from
    this browser's cookies (or a ``teacher`` token in the link, which is then kept in
    the cookie and leaves the address bar)."""
    if not url.unread or _STATE in st.session_state:
        return
    s = _state()
    if sid := classroom.parse_session(cookies.read(STUDENT_COOKIE)):
        s.session = sid
    code, notice = classroom.read_code(url.values("class"))
    if notice:
        url.check("class", urlstate.Repair(None, notice))
    linked, notice = classroom.read_token(url.values("teacher"))
    if notice:
        url.check("teacher", urlstate.Repair(None, notice))
    if code is None:
        return
    token = linked or classroom.parse_token(cookies.read(TEACHER_COOKIE + code))
    try:
        store = _store()
        if (status := store.status(code)) is None:
            s.missing = code
            return
        s.code = code
        if token is not None and store.is_teacher(code, token):
            s.token = token
        elif linked is not None:
            url.check("teacher", urlstate.Repair(None, classroom.TOKEN_NOTICE))
        if status == "ended":
            s.ended = True
            return
        if s.token is None:
            store.join(code, s.session)
        # The class's question, posed now, before any widget: a page that reconnects
        # after a server restart shows it in its first run, without a rerun that
        # would drop what the student pressed meanwhile.
        if (poll := store.current(code)) is not None:
            s.seen_seq = poll.seq
            quiz_view.set_class_question(_question(poll), poll.revealed)
            quiz_view.apply_pending()
    except classroom.Ended:
        s.ended = True
    except classroom.NoSuchClass:  # expired between the two reads
        s.code, s.missing = None, code
    except classroom.ClassroomError as err:
        s.code = None
        full = isinstance(err, classroom.Full)
        _fail(FULL.format(n=classroom.MAX_STUDENTS) if full else UNAVAILABLE)


def _sync_url() -> None:
    s = _state()
    common.sync_url("class", None if s.ended and not s.token else s.code, None)
    common.sync_url("teacher", None, None)  # never in the address bar: it is projected


def _remember() -> None:
    """Keep who this page is in the browser's cookies (see the module's docstring), and
    style the class's screens."""
    s = _state()
    kept = {STUDENT_COOKIE: s.session}
    if s.code and s.token:
        kept[TEACHER_COOKIE + s.code] = s.token
    cookies.keep(kept)
    st.html(CSS)  # style only: Streamlit puts it where it takes no room


def _open() -> None:
    busy = "Too many classes are open on this server just now; try again later."
    if (opened := _try(lambda store: store.open_class(), Full=busy)) is not _FAILED:
        st.session_state[_STATE] = _Class(*opened, session=_state().session)


def _join() -> None:
    code = classroom.parse_code(st.session_state.get("class_code", ""))
    if code is None:
        _fail(classroom.CODE_NOTICE.replace("The link’s", "That"))
        return
    try:
        _store().join(code, _state().session)
    except classroom.ClassroomError as err:
        full = FULL.format(n=classroom.MAX_STUDENTS)
        messages = {classroom.Ended: ENDED, classroom.NoSuchClass: NO_SUCH, classroom.Full: full}
        _fail(messages.get(type(err), UNAVAILABLE).format(code=code))
        return
    st.session_state[_STATE] = _Class(code, session=_state().session)


def _leave() -> None:
    st.session_state[_STATE] = _Class(session=_state().session)
    quiz_view.stop_class_question()


def _end() -> None:
    """The teacher ends the class: students' pages say so; the results stay here."""
    s = _state()
    if _try(lambda store: store.close(s.code, s.token)) is not _FAILED:
        s.ended = True  # as it is when the class had ended already, or expired
    quiz_view.stop_class_question()


def class_button(where) -> None:
    """The "Class" popover in the top row: open, join, or the class in progress."""
    s = _state()
    box = where.popover(
        f"Class {s.code}" if s.code else "Class", key="class_menu", on_change="rerun"
    )
    if not box.open:
        return
    if s.code and s.token:
        box.markdown(f"You teach class **{s.code}**. This browser stays its teacher.")
        if not s.ended:
            box.button("Show the join screen", on_click=_show_join, args=(True,))
            box.button("End the class", on_click=_end, icon=":material/close:")
        box.button("Leave this page's class panel", on_click=_leave)
    elif s.code:
        box.markdown(f"You are in class **{s.code}**; your answers are anonymous.")
        box.button("Leave the class", on_click=_leave)
    else:
        box.button("Open a class (for the teacher)", on_click=_open, type="primary")
        box.text_input("Class code", key="class_code", max_chars=20, placeholder="K7MX3P")
        box.button("Join", on_click=_join)


# --- the teacher ------------------------------------------------------------------------


def _show_join(on: bool) -> None:
    _state().show_join = on


def _keep_seconds() -> None:
    # Kept in the class's state: the box exists only while its popover is open.
    _state().seconds = int(st.session_state.get("class_seconds") or 0)


def _put(q: quiz.Question, question_id: str, prompt: str = "") -> None:
    """Put ``q`` to the class (from a callback) and pose it on the teacher's page."""
    s = _state()
    if q.answer_type == quiz.CHOICE and not prompt:
        # The quiz's choices travel as their numbers (the page makes the text from the
        # question's id), so no text of the quiz's need fit the store's limits.
        choices = tuple(str(i + 1) for i in range(len(q.choices)))
        answer: float | str = str(q.choices.index(q.answer) + 1)
    else:
        choices = q.choices
        answer = q.answer if q.answer_type != quiz.NUMBER else float(q.answer)
    kind = {quiz.CHOICE: "choice", quiz.SKETCH: "sketch"}.get(q.answer_type, "number")
    poll = _try(
        lambda store: store.ask(
            s.code, s.token, question_id, kind, choices, answer, float(q.tolerance),
            prompt=prompt, seconds=s.seconds or None,
        ),
        Full=f"This class has had its {classroom.MAX_QUESTIONS} questions; open a new one.",
        ValueError="That question cannot be asked: {err}.",
    )  # fmt: skip
    if poll is _FAILED:
        return
    s.seen_seq, s.candidate = poll.seq, None
    quiz_view.set_class_question(q, revealed=False)
    quiz_view.apply_pending()  # from a callback: before the widgets


def _new_candidate() -> None:
    kind = st.session_state.get("class_kind", ANY_KIND)
    kind = kind if kind in quiz.KINDS else random.choice(quiz.KINDS)
    _state().candidate = quiz.make(kind, secrets.randbits(32))


def _ask_next() -> None:
    """The quick way: the next question of any kind, at random."""
    st.session_state["class_kind"] = ANY_KIND
    _new_candidate()
    _ask_candidate()


def _ask_candidate() -> None:
    if (q := _state().candidate) is not None:
        _put(q, q.id)


def _read_number(text: str, what: str) -> float:
    try:
        values = parse.parse_values(text)
    except parse.ParseError as err:
        raise ValueError(f"{what}: {err}") from None
    if values.size != 1 or not math.isfinite(float(values[0])):
        raise ValueError(f"{what}: type one finite number")
    return float(values[0])


def _ask_written() -> None:
    """The teacher's own question, from the form: checked here for the page's messages,
    and again by the store, whose limits are the rule."""
    get = st.session_state.get
    prompt = str(get("class_own_text") or "")
    try:
        if not prompt.strip():
            raise ValueError("Type the question first")
        if get("class_own_type") == "A number":
            answer = _read_number(str(get("class_own_answer") or ""), "The right number")
            tolerance = _read_number(str(get("class_own_tolerance") or "0"), "The tolerance")
            if tolerance < 0:
                raise ValueError("The tolerance: 0 or more")
            poll = classroom.Poll(0, OWN, "number", (), True, answer, tolerance, prompt)
        else:
            lines = str(get("class_own_choices") or "").splitlines()
            choices = tuple(c.strip() for c in lines if c.strip())
            right = int(get("class_own_right") or 1)
            if not 2 <= len(choices) <= classroom.MAX_CHOICES:
                raise ValueError(f"Type 2 to {classroom.MAX_CHOICES} choices, one per line")
            if right > len(choices):
                raise ValueError(f"The right choice: a line from 1 to {len(choices)}")
            answer = choices[right - 1]
            poll = classroom.Poll(0, OWN, "choice", choices, True, answer, 0.0, prompt)
    except ValueError as err:
        _fail(str(err).rstrip(".") + ".")
        return
    _put(_question(poll), f"{OWN}{secrets.randbelow(10**9)}", prompt)


def _ask_menu(where) -> None:
    """Choose the next question (from the bank, with a preview) or write one."""
    box = where.popover(
        "Choose or write a question", key="class_next", on_change="rerun",
        icon=":material/edit_note:",
    )  # fmt: skip
    if not box.open:
        return
    s = _state()
    st.session_state["class_seconds"] = s.seconds
    box.number_input(
        "Countdown in seconds (0: none)", 0, classroom.MAX_SECONDS, None, 15,
        key="class_seconds", on_change=_keep_seconds,
        help=f"{classroom.MIN_SECONDS} to {classroom.MAX_SECONDS} s; answers close when it ends.",
    )  # fmt: skip
    bank, own = box.tabs(["From the quiz", "Write your own"])
    names = {ANY_KIND: "Any kind", **quiz.KIND_TITLES}
    bank.selectbox(
        "Kind", list(names), format_func=names.get, key="class_kind", on_change=_new_candidate
    )
    if s.candidate is None:
        _new_candidate()
    q = s.candidate
    preview = bank.container(border=True)
    preview.caption("Preview: on this screen only, not on the students' phones.")
    preview.markdown(f"**{_title(q)}**\n\n{q.prompt}")
    _choices(preview, q)
    preview.caption(f"Answer: {q.answer_text}")
    row = bank.container(horizontal=True)
    row.button("Ask the class", on_click=_ask_candidate, type="primary", key="class_ask_bank")
    row.button("Another", on_click=_new_candidate, icon=":material/refresh:")
    with own.form("class_own", border=False):
        st.text_area(
            "Question", key="class_own_text", max_chars=classroom.MAX_PROMPT_CHARS,
            placeholder="What is f′(−2) of Leaky ReLU with leak 0.1?",
        )  # fmt: skip
        st.radio("Answered with", ["A number", "A choice"], key="class_own_type", horizontal=True)
        st.text_input("The right number", key="class_own_answer", max_chars=40)
        st.text_input("Counts as right within ±", "0", key="class_own_tolerance", max_chars=40)
        st.text_area(
            f"Or the choices, one per line (2 to {classroom.MAX_CHOICES}, up to "
            f"{classroom.MAX_CHOICE_CHARS} characters each)",
            key="class_own_choices",
            max_chars=classroom.MAX_CHOICES * (classroom.MAX_CHOICE_CHARS + 1),
        )
        st.number_input(
            "The right choice (its line)", 1, classroom.MAX_CHOICES, key="class_own_right"
        )
        st.form_submit_button("Ask the class", on_click=_ask_written, type="primary")


def _lock(locked: bool) -> None:
    s = _state()
    closed = f"Nothing to {'lock' if locked else 'reopen'}: {{err}}."
    _try(lambda store: store.lock(s.code, s.token, locked), Closed=closed)


def _reveal_to_class() -> None:
    s = _state()
    closed = "There is no open question to reveal: ask one first."
    if _try(lambda store: store.reveal(s.code, s.token), Closed=closed) is not _FAILED:
        quiz_view.reveal_class_question()


def _read(call):
    """``call(store)`` for a live panel; if the class has ended or the store is down, a
    message in its place and ``_FAILED`` (a student's panel run alone that meets the
    class's end reruns the whole page instead, which unhides what a question hid)."""
    try:
        return call(_store())
    except classroom.NoSuchClass as err:
        s = _state()
        s.ended = True
        if s.token is None:
            quiz_view.stop_class_question()
            if common.fragment_run():  # the panel alone (a Send's): the page unhides too
                st.rerun(scope="app")
        gone = EXPIRED if s.token else NO_SUCH.format(code=s.code)
        st.warning(ENDED if isinstance(err, classroom.Ended) else gone)
    except classroom.ClassroomError:
        st.warning(UNAVAILABLE, icon=":material/cloud_off:")
    return _FAILED


def _clock(where, poll: classroom.Poll, count: bool = True) -> None:
    """Whether answers are taken, and (with ``count``) a countdown's seconds left: a
    student's page counts down in its news element instead."""
    why = poll.closed_why(time.time())
    box = where.container(key="class_clock")
    if poll.revealed:
        return
    if why:
        box.markdown(f"Answers closed: {why}.")
    elif poll.deadline is not None and count:
        box.markdown(f"Time left: {math.ceil(poll.deadline - time.time())} s")


def _join_screen(code: str, n_students: int) -> None:
    """For the projector: the code large, the QR code, the link and who has joined."""
    link = share.join_link(code)
    url = link.url
    row = st.container(horizontal=True, vertical_alignment="center", gap="large", key="class_join")
    row.image(_qr(url), caption=f"Scan to join class {code}", width="content")
    text = row.container()
    text.markdown("Join with the code")
    text.container(key="class_join_code").markdown(code)
    text.markdown("or open")
    text.container(key="class_join_link").code(url, language=None, wrap_lines=True)
    share.join_note(text, link)  # which address the link uses, or why phones can't
    text.container(key="class_join_count").markdown(
        f"**{n_students}** {'student' if n_students == 1 else 'students'} joined"
    )
    text.button("Hide the join screen", on_click=_show_join, args=(False,))


def _results(where, s: _Class) -> None:
    box = where.expander("Results of every question", key="class_results", on_change="rerun")
    if not box.open or (results := _read(lambda store: store.results(s.code, s.token))) is _FAILED:
        return
    if not results:
        box.caption("No question asked yet.")
        return
    rows = [
        {
            "#": t.poll.seq,
            "question": _poll_title(t.poll)[:80],
            "right": f"{t.n_correct} of {t.n_answers}",
            "answers": ", ".join(
                [
                    f"{_choice_text(t.poll, c)}: {n}"
                    for c, n in zip(t.poll.choices, t.counts, strict=True)
                ]
                if t.poll.kind == "choice"
                else [f"{v:g}" for v in t.values]
            ),
        }
        for t in results
    ]
    box.dataframe(rows, hide_index=True)
    box.download_button(
        "Download the results (CSV, anonymous)",
        classroom.results_csv(results, _poll_title, _choice_text),
        file_name=f"class-{s.code}-results.csv",
        mime="text/csv",
        icon=":material/download:",
    )


def _answer_note(q: quiz.Question) -> str:
    why = f" {q.explanation}" if q.explanation else ""
    if q.answer_type == quiz.SKETCH:
        return f"**{q.answer_text}**.{why}"
    return f"**{_choice_label(q)(q.answer_text)}**.{why}"


@st.fragment(run_every=TEACHER_REFRESH)
def _teacher_live() -> None:
    s = _state()
    if (tally := _read(lambda store: store.tally(s.code, s.token))) is _FAILED:
        return
    if s.show_join and not s.ended:
        _join_screen(s.code, tally.n_students)
    if (poll := tally.poll) is None:
        st.info("Put a question to the class: the answers appear here as they arrive.")
        return
    q = _question(poll)
    # A sketch overlay beside its text on a projector: both on the first screen.
    text, chart = st.columns([2, 3]) if poll.kind == "sketch" else (st, None)
    text.markdown(f"**Question {poll.seq}: {_title(q)}**")
    _prompt(text, q, "class_prompt_teacher")
    _choices(text, q)
    _clock(text, poll)
    if poll.revealed:  # above the chart: on a projector's first screen
        text.info(f"The answer: {_answer_note(q)}", icon=":material/visibility:")
    if chart is not None:
        _overlay(q, tally, poll.revealed, text, chart)
        _results(st, s)
        return
    figure = figures.tally_figure(q, tally, poll.revealed, common.font_size())
    figure["layout"]["height"] = TALLY_HEIGHT_PRESENT if common.present() else TALLY_HEIGHT
    common.plotly_chart(st, figure, "class_tally")
    _results(st, s)


def _overlay(q: quiz.Question, tally: classroom.Tally, revealed: bool, text, chart) -> None:
    """Every sketch sent, at once: thin lines the room can read as one shape; after the
    reveal the true curve over them, the closest sketch and the most typical wrong one."""
    spec = sketch.Spec.loads(str(q.answer))
    readable = [(s, d) for s in tally.sketches if (d := sketch_view.stored(s, spec))]
    drawn = [d for _, d in readable]
    marked: dict[str, int] = {}
    line = f"**{tally.n_answers} of {tally.n_students} answered**"
    if revealed and drawn:
        scores = [classroom.sketch_score(str(q.answer), s) for s, _ in readable]
        marked["closest"] = max(range(len(drawn)), key=lambda i: scores[i].share)
        wrong = [i for i, s in enumerate(scores) if not s.right]
        if (typical := sketch.most_typical([drawn[i] for i in wrong], spec.axes)) is not None:
            marked["typical"] = wrong[typical]
        shares = np.array([s.share for s in scores])
        bands = np.histogram(shares, bins=[0, 0.5, 0.9, 1.01])[0]
        line += (
            f"; {tally.n_correct} right. Share of the x-range within tolerance: under 50 %: "
            f"{bands[0]}, 50–89 %: {bands[1]}, 90 % or more: {bands[2]} (median "
            f"{round(100 * float(np.median(shares)))} %). Green: the closest. Red: the most "
            "common wrong shape."
        )
    text.markdown(line)
    with chart:
        sketch_view.show(
            spec.axes, f"{len(drawn)} sketches of the class", key="class_overlay", others=drawn,
            marked=marked, truth=sketch_view.truth(spec) if revealed else None,
        )  # fmt: skip


def _teacher_panel() -> None:
    s = _state()
    box = st.container(border=True, key="class_teacher")
    head = box.container(horizontal=True, vertical_alignment="center")
    head.markdown(f"**Class {s.code}**" + (" · ended" if s.ended else ""))
    if not s.ended:
        try:
            poll = _store().current(s.code)
        except classroom.ClassroomError:
            poll = None
        head.button(
            "Ask the next question", on_click=_ask_next, type="primary", icon=":material/campaign:"
        )
        _ask_menu(head)
        open_question = poll is not None and not poll.revealed
        # Locked, or out of time: reopening is what the teacher can do.
        reopen = bool(open_question and poll.closed_why(time.time()))
        head.button(
            "Reopen answers" if reopen else "Lock answers", on_click=_lock, args=(not reopen,),
            icon=f":material/lock{'_open' if reopen else ''}:", disabled=not open_question,
        )  # fmt: skip
        head.button(
            "Reveal to the class", on_click=_reveal_to_class, icon=":material/visibility:",
            disabled=poll is None or poll.revealed,
        )  # fmt: skip
        if not s.show_join:
            head.button("Join screen", on_click=_show_join, args=(True,), icon=":material/qr_code:")
    if error := st.session_state.pop(_ERROR, None):
        box.warning(error, icon=":material/edit:")
    with box:
        _teacher_live()


# --- a student --------------------------------------------------------------------------


def _answer(q: quiz.Question, poll: classroom.Poll) -> None:
    s = _state()

    def note(text: str, seq: int = poll.seq) -> None:
        # Shown with question `seq` until the next Send: kept in the session, not shown
        # once, because a run that shows it may be replaced by a rerun (a new question's).
        st.session_state[_SENT_NOTE] = (seq, text)

    st.session_state.pop(_SENT_NOTE, None)  # this Send's own message replaces it
    raw = st.session_state.get(f"class_in_{poll.seq}")
    if isinstance(raw, dict):  # the sketch element's state: what it sent
        raw = raw.get("sent")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        note("Type one number first." if q.answer_type == quiz.NUMBER else "Pick one first.")
        return
    if q.answer_type == quiz.CHOICE:
        value: float | str = raw if poll.prompt else str(q.choices.index(raw) + 1)
    elif q.answer_type == quiz.SKETCH:
        value = str(raw)  # the store checks it (relulab_app/sketch.py) and keeps it short
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
    except classroom.Closed as err:
        # Revealed, locked, out of time, or replaced by a question this page has not
        # taken yet (its news comes within a few seconds): then it takes it now.
        with contextlib.suppress(classroom.ClassroomError):
            if (now := _store().current(s.code)) is not None and now.seq != poll.seq:
                note("The teacher has moved on to the next question: here it is.", now.seq)
                return
        revealed = "The teacher has revealed this one: answers are closed."
        note(revealed if "revealed" in str(err) else f"Not sent: {err}.")
    except classroom.BadAnswer as err:
        if q.answer_type == quiz.SKETCH:
            note(f"Not sent: {err}")
        else:
            note("That number is out of range: type one between ±1e9.")
    except classroom.NoSuchClass:
        s.ended = True
    except classroom.Full:
        note(FULL.format(n=classroom.MAX_STUDENTS))
    except classroom.ClassroomError:
        note(UNAVAILABLE)


def _shown(q: quiz.Question, poll: classroom.Poll, mine) -> str | None:
    """A stored answer as the answer box shows it."""
    if mine is None:
        return None
    if q.answer_type == quiz.NUMBER:
        return repr(float(mine)).removesuffix(".0")  # the shortest text of that number
    if q.answer_type == quiz.SKETCH:
        return mine  # the sketch as stored; the element draws it
    return mine if poll.prompt else q.choices[int(mine) - 1]


def _answer_box(box, q: quiz.Question, poll: classroom.Poll, stored: str | None) -> bool:
    """The answer box and Send; whether Send was pressed (the answer is then sent). A
    number is typed in a form, so Enter sends it; a choice is picked, then sent. A new
    session's box starts from what the store holds (``stored``).

    Send runs its callback before the run (so a Send on a question the teacher has just
    replaced is answered before the page takes the new one), and else from the
    button's value: a page that reconnects to a restarted server may press it before
    this new session has drawn the button, when Streamlit knows no callback for it but
    the run still gets its value."""
    key = f"class_in_{poll.seq}"
    if q.answer_type == quiz.SKETCH:
        spec = sketch.Spec.loads(str(q.answer))  # the quiz's question, made from its id
        with box:
            sketch_view.show(
                spec.axes, q.prompt, key=key, mine=sketch_view.stored(stored, spec),
                can_draw=poll.closed_why(time.time()) is None,
                truth=sketch_view.truth(spec) if poll.revealed else None,
                on_sent=functools.partial(_send, q, poll),
            )  # fmt: skip
        sent = st.session_state.get(_SENT_NOW) == poll.seq
        st.session_state.pop(_SENT_NOW, None)
        return sent
    # What the store holds is the box's default, not written into session state: a
    # page that reconnects after a restart sends what the box shows, which must win.
    closed = poll.closed_why(time.time()) is not None
    send = {"on_click": _send, "args": (q, poll), "type": "primary", "disabled": closed}
    if q.answer_type == quiz.NUMBER:
        form = box.form(f"class_form_{poll.seq}", border=False, enter_to_submit=True)
        form.text_input("Your answer", stored or "", key=key, max_chars=200, disabled=closed)
        sent = form.form_submit_button("Send", **send)
    else:
        box.radio(
            "Your answer",
            q.choices,
            index=None if stored is None else q.choices.index(stored),
            key=key,
            disabled=closed,
            format_func=_choice_label(q),
            horizontal=all(len(c) <= 30 for c in q.choices),
        )
        sent = box.button("Send", **send)
    if sent and st.session_state.get(_SENT_NOW) != poll.seq:
        _answer(q, poll)  # no callback ran (see above)
    st.session_state.pop(_SENT_NOW, None)
    return sent


def _send(q: quiz.Question, poll: classroom.Poll) -> None:
    st.session_state[_SENT_NOW] = poll.seq
    _answer(q, poll)


def _take(poll: classroom.Poll | None) -> bool:
    """Pose a new question, or its reveal, for the page's next run; whether there was one."""
    s = _state()
    if poll is None or (
        poll.seq == s.seen_seq and (not poll.revealed or quiz_view.class_revealed())
    ):
        return False
    s.seen_seq = poll.seq
    quiz_view.set_class_question(_question(poll), poll.revealed)
    return True


def _take_news() -> None:
    """The news element's callback, before the run. A quiz's question or its reveal sets
    and unhides parts of the whole page, and so does the class's end: the whole page
    runs, posing it. A lock, the time up, or a question the teacher wrote (or its
    reveal) where the page's question was none or another written one, changes the
    class panel alone: its fragment, where the element is, runs alone (a third of the
    page's cost). So does a store that cannot be read: the panel says so."""
    s = _state()
    if s.code is None or s.token is not None:  # a trigger from a page that left the class
        return
    try:
        poll = _store().current(s.code)
        alone = quiz_view.class_panel_alone()  # before the news, then after it
        whole = _take(poll) and not (alone and quiz_view.class_panel_alone())
        quiz_view.apply_pending()  # a callback's: before any widget
    except classroom.NoSuchClass:
        whole = True
    except classroom.ClassroomError:
        whole = False  # the panel's own read says what is wrong
    if whole:
        st.rerun(scope="app")


@st.fragment
def _student_live() -> None:
    s = _state()
    # The news element first, its countdown above the question; drawn too when the read
    # below fails, so that the page keeps asking through a store's outage.
    watch = st.empty()
    if (got := _read(lambda store: store.for_student(s.code, s.session))) is _FAILED:
        with watch:
            news.watch(s.code, news.UNREAD, _take_news)
        return
    poll, mine = got
    if _take(poll):  # found by a Send's run, or a reload's: the whole page poses it
        st.rerun(scope="app")
    with watch:
        news.watch(s.code, poll, _take_news)
    if poll is None:
        st.info(f"You are in class {s.code}. The teacher's question will appear here.")
        return
    q = _question(poll)
    box = st.container(border=True)
    box.markdown(f"**Class {s.code}, question {poll.seq}: {_title(q)}**")
    _prompt(box, q, "class_prompt_student")
    _clock(box, poll, count=False)
    if _answer_box(box, q, poll, _shown(q, poll, mine)):
        with contextlib.suppress(classroom.ClassroomError):
            mine = _store().my_answer(s.code, s.session)  # what the Send stored
    seq, sent_note = st.session_state.get(_SENT_NOTE, (None, None))
    typed = st.session_state.get(f"class_in_{poll.seq}")
    stored = _shown(q, poll, mine)
    closed = poll.closed_why(time.time()) is not None
    label = _choice_label(q)
    choice_open = q.answer_type == quiz.CHOICE and not closed and not poll.revealed
    if seq == poll.seq:
        box.warning(sent_note, icon=":material/edit:")
    elif stored is not None and not poll.revealed:
        if choice_open and typed != stored:
            box.warning(f"Not sent yet: press Send. (Sent so far: {label(stored)}.)")
        else:
            more = "" if closed else " You can change it until the answers close."
            box.success(f"Sent: {label(stored)}.{more}")
    elif choice_open and typed is not None:
        box.warning("Not sent yet: press Send.")
    if poll.revealed:
        box.info(_verdict(q, poll, mine, stored))


def _verdict(q: quiz.Question, poll: classroom.Poll, mine, stored: str | None) -> str:
    """The student's own result, by the rule the teacher's count uses."""
    if mine is None:
        return f"You did not answer. The answer: {_answer_note(q)}"
    right = classroom.is_right(poll, mine)
    if q.answer_type == quiz.SKETCH:
        score = classroom.sketch_score(str(poll.answer), mine).summary()
        return f"{'Right' if right else 'Not quite'}: {score} {q.explanation}"
    if right:
        return f"Right: {_answer_note(q)}"
    return f"Not quite: you sent {_choice_label(q)(stored)}; the answer is {_answer_note(q)}"


def panel() -> None:
    """The class's panel above the instrument: the teacher's or a student's."""
    s = _state()
    _sync_url()
    if s.missing:
        st.warning(NO_SUCH.format(code=s.missing), icon=":material/search_off:")
        st.session_state[_STATE] = _Class(session=s.session)
        return
    if s.ended and s.token is None:
        st.warning(ENDED, icon=":material/event_busy:")
        quiz_view.stop_class_question()
        st.session_state[_STATE] = _Class(session=s.session)
        _sync_url()
        return
    if s.code is None:
        if error := st.session_state.pop(_ERROR, None):
            st.warning(error, icon=":material/group_off:")
        return
    _remember()
    if s.token is not None:
        _teacher_panel()
        return
    if error := st.session_state.pop(_ERROR, None):
        st.warning(error, icon=":material/cloud_off:")
    _student_live()
