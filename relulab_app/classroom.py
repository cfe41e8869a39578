"""A live class poll's store: classes, questions, anonymous answers and their tally.

A teacher opens a class: a short code for the students' link (``?class=CODE``) and an
unguessable teacher token that only the teacher's browser keeps. The teacher puts one
question at a time, the quiz's (by its id) or one the teacher wrote; every joined
student sees it (:class:`Poll`) and may change their answer until the teacher locks
answers, a countdown ends or the answer is revealed. The teacher sees the :class:`Tally`
(counts, never who answered) and every question's results (:func:`results_csv`). A
student is an opaque id their browser keeps, so a reconnecting page never counts twice.

The rules live once, in :class:`Store`, over a backend's few reads and writes in one
transaction (:class:`_Txn`): :class:`SqliteStore` (the default; one file that a restart
keeps, shared by the server processes of one machine) or :class:`RedisStore` (when
``RELULAB_REDIS_URL`` is set: replicas on several machines). A write reads, checks and
writes at once (SQLite ``BEGIN IMMEDIATE``; Redis ``WATCH``/``MULTI``, retried when
another writer got in between), so caps hold and no answer lands on a question locked,
revealed or replaced meanwhile. Errors are :class:`ClassroomError`s with a message safe
to show; arguments only the page's code supplies, and a teacher's question beyond the
limits, raise ``ValueError``. The ``MAX_*`` limits bound storage whatever visitors
send, and a class expires :data:`IDLE_TTL` seconds after its last write (an ended one
keeps its results, and its place under the cap, until then). No text a student typed
is ever stored: answers are numbers or one of the teacher's choices.

>>> store = SqliteStore(":memory:")
>>> code, token = store.open_class()
>>> store.ask(code, token, "relu-dash-0", "choice", ("0", "1", "leak"), "leak").answer
>>> ann, bob = new_session_id(), new_session_id()
>>> store.answer(code, ann, "relu-dash-0", "leak"), store.answer(code, bob, "relu-dash-0", "0")
(None, None)
>>> store.tally(code, token).counts, store.my_answer(code, ann), store.join(code, ann)
((1, 0, 1), 'leak', 2)
>>> store.reveal(code, token)
>>> store.answer(code, bob, "relu-dash-0", "leak")
Traceback (most recent call last):
    ...
relulab_app.classroom.Closed: the answer has been revealed
"""

from __future__ import annotations

import csv
import functools
import hashlib
import hmac
import io
import itertools
import json
import os
import re
import secrets
import sqlite3
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from relulab_app import sketch

# Class codes are read off a projector and typed on phones: no 0/O, 1/I/L look-alikes.
# 31 symbols, 6 of them: about 8.9e8 codes, so a guessed code almost never names one of
# the few hundred open classes; and a code only lets one see the question and answer it.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6
# The teacher token: secrets.token_urlsafe(24), 32 URL-safe characters (192 bits).
TOKEN_BYTES = 24
TOKEN_LENGTH = 32

IDLE_TTL = 4 * 3600  # seconds without a write before a class expires
MAX_CLASSES = 500  # open classes per store (per SQLite file, or per Redis database)
MAX_STUDENTS = 200  # students per class: joined or answered
MAX_ANSWERS = MAX_STUDENTS  # one per student per question
MAX_QUESTIONS = 100  # questions asked per class
MAX_CHOICES = 8  # choices per choice question
MAX_CHOICE_CHARS = 40  # characters per choice
MAX_PROMPT_CHARS = 300  # characters of a question the teacher wrote
MIN_SECONDS, MAX_SECONDS = 5, 600  # a countdown's range
# Numeric answers beyond this are refused: one wild value would squash the chart.
MAX_NUMBER = 1e9
KINDS = ("number", "choice", "sketch")

_CODE_SET = frozenset(CODE_ALPHABET)
_TOKEN_RE = re.compile(rf"[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}")
_SESSION_RE = re.compile(r"[0-9a-f]{32}")
_QUESTION_RE = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
_MAX_URL_CHARS = 200  # longer URL text is refused before any other work
# What the page shows for a hostile or mistyped link value (never the value itself).
CODE_NOTICE = "The link’s class code is not a class code (6 letters and digits, like K7MX3P)."
TOKEN_NOTICE = "That is not this class’s teacher link; opening as a student."


class ClassroomError(Exception):
    """Base of the store's errors; the message is plain and safe to show."""


class NoSuchClass(ClassroomError):
    """No such class: a wrong code, or a class that expired."""


class Ended(NoSuchClass):
    """The teacher ended the class (its results stay until it expires)."""


class NotTeacher(ClassroomError):
    """The teacher token is wrong or missing."""


class BadAnswer(ClassroomError, ValueError):
    """The answer is not a finite number in range, or not one of the choices."""


class Closed(ClassroomError):
    """No open question to answer: none asked, another one now, locked, time up, or
    revealed."""


class Full(ClassroomError):
    """A cap is reached (classes, students or questions)."""


class StoreUnavailable(ClassroomError):
    """The store cannot be reached or written (Redis down, the SQLite file unwritable)."""


# -- parsing URL values ---------------------------------------------------------------


def parse_code(text: object) -> str | None:
    """The class code in ``text`` (any case, spaces and hyphens ignored), or None.

    >>> parse_code(" k7mx-3p "), parse_code("K7MX3O"), parse_code("<b>"), parse_code(None)
    ('K7MX3P', None, None, None)
    """
    if not isinstance(text, str) or len(text) > _MAX_URL_CHARS:
        return None
    code = "".join(text.split()).replace("-", "").upper()
    return code if len(code) == CODE_LENGTH and set(code) <= _CODE_SET else None


def parse_token(text: object) -> str | None:
    """The teacher token in ``text`` (surrounding spaces ignored), or None.

    >>> parse_token("x" * 32) == "x" * 32, parse_token("x" * 31), parse_token("x" * 31 + "!")
    (True, None, None)
    """
    if not isinstance(text, str) or len(text) > _MAX_URL_CHARS:
        return None
    return token if _TOKEN_RE.fullmatch(token := text.strip()) else None


def new_session_id() -> str:
    """A fresh, opaque id for one student's browser session (32 hex digits)."""
    return secrets.token_hex(16)


def parse_session(text: object) -> str | None:
    """``text`` if it is a :func:`new_session_id` value, else None.

    >>> parse_session("0" * 32), parse_session("0" * 33), parse_session("G" * 32)
    ('00000000000000000000000000000000', None, None)
    """
    return text if isinstance(text, str) and _SESSION_RE.fullmatch(text) else None


def read_code(raw: list[str]) -> tuple[str | None, str | None]:
    """The class code from a link's ``class`` values, and a notice when they are not
    one valid code. The notice never repeats the link's text.

    >>> read_code([]), read_code(["k7mx3p"])
    ((None, None), ('K7MX3P', None))
    >>> read_code(["<script>"])
    (None, 'The link’s class code is not a class code (6 letters and digits, like K7MX3P).')
    """
    code = parse_code(raw[0]) if len(raw) == 1 else None
    return code, None if code or not raw else CODE_NOTICE


def read_token(raw: list[str]) -> tuple[str | None, str | None]:
    """The teacher token from a link's ``teacher`` values, and a notice when they are not
    one well-formed token (whether it is the class's own is :meth:`Store.is_teacher`'s
    question). The notice never repeats the link's text.

    >>> read_token(["nope"])[1] == TOKEN_NOTICE
    True
    """
    token = parse_token(raw[0]) if len(raw) == 1 else None
    return token, None if token or not raw else TOKEN_NOTICE


# -- what the page shows --------------------------------------------------------------


@dataclass(frozen=True)
class Poll:
    """The class's question as a student may see it.

    ``seq`` counts the class's questions (1 for the first): a new value means a new
    question, even one asked again with the same ``question_id``. ``prompt`` is the text
    of a question the teacher wrote ("" for the quiz's, which the page makes from the
    id). ``answer`` and ``tolerance`` (a number within it counts as right) are None until
    ``revealed``; the teacher's :class:`Tally` always has them. ``locked``: the teacher
    stopped answers for now; ``deadline``: answers close at this time (seconds since the
    epoch), or None without a countdown.
    """

    seq: int
    question_id: str
    kind: str  # "number", "choice" or "sketch" (a curve drawn: relulab_app/sketch.py)
    choices: tuple[str, ...]  # () for number and sketch questions
    revealed: bool
    answer: float | str | None = None
    tolerance: float | None = None
    prompt: str = ""
    locked: bool = False
    deadline: float | None = None

    def closed_why(self, now: float) -> str | None:
        """Why answers are refused at ``now``, or None while they are taken."""
        if self.revealed:
            return "the answer has been revealed"
        if self.locked:
            return "the teacher has locked the answers"
        if self.deadline is not None and now >= self.deadline:
            return "time is up"
        return None


def news(poll: Poll | None) -> str:
    """What a student's page reruns for when it changes: the question, its reveal, a
    lock or a countdown (served to the page by relulab_app/news.py). Answers are not in
    it: a student's page does not show the class's.

    >>> news(None), news(Poll(3, "q", "number", (), False, locked=True, deadline=1e9))
    ('0', '3.0.1.1000000000')
    """
    if poll is None:
        return "0"
    return f"{poll.seq}.{poll.revealed:d}.{poll.locked:d}.{poll.deadline or 0:.0f}"


@dataclass(frozen=True)
class Tally:
    """The teacher's view of one question: anonymous counts, never who answered.

    ``counts``: one per choice (choice questions); ``values``: the numbers answered,
    sorted, duplicates kept (number questions); ``sketches``: the sketches sent, as
    stored (sketch questions); ``n_correct``: the answers :func:`is_right` accepts.
    ``poll`` is None before the first question.
    """

    poll: Poll | None
    counts: tuple[int, ...] = ()
    values: tuple[float, ...] = ()
    n_answers: int = 0
    n_students: int = 0
    n_correct: int = 0
    sketches: tuple[str, ...] = ()


def is_right(poll: Poll, value: float | str) -> bool:
    """Whether ``value`` answers ``poll`` (its answer filled, as the teacher's is): the
    right choice, a number within the tolerance, or a sketch close enough to the true
    curve (:meth:`sketch.Spec.is_right`). The tally's ``n_correct`` and the teacher's
    chart both count with this rule.

    >>> is_right(Poll(1, "q", "number", (), True, 0.5, 0.1), 0.6)
    True
    """
    if poll.kind == "number":
        return abs(value - poll.answer) <= poll.tolerance  # type: ignore[operator]
    if poll.kind == "sketch":
        return sketch_score(poll.answer, value).right  # type: ignore[arg-type]
    return value == poll.answer


@functools.lru_cache(maxsize=4096)
def sketch_score(spec: str, value: str) -> sketch.Score:
    """A stored sketch's score against a question's stored spec (:meth:`sketch.Spec.dumps`).

    Once per sketch, not at each of the teacher's and the students' refreshes (100
    sketches: ~100 ms)."""
    s = sketch.Spec.loads(spec)
    return s.score(sketch.parse(value, s.axes))


# -- checks --------------------------------------------------------------------------


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _token_hash(token: str) -> str:
    # Stores keep a hash, so a copy of the database holds no usable teacher link.
    return hashlib.sha256(token.encode()).hexdigest()


def _token_matches(token_hash: str, token: object) -> bool:
    """Constant-time comparison of a stored hash with a presented token's."""
    if not isinstance(token, str) or parse_token(token) != token:
        return False
    return hmac.compare_digest(token_hash, _token_hash(token))


def _valid_code(code: object) -> str:
    if not isinstance(code, str) or parse_code(code) != code:
        raise NoSuchClass("no such class")
    return code


def _valid_session(session_id: object) -> str:
    if parse_session(session_id) is None:
        raise ValueError("session ids come from new_session_id()")
    return session_id  # type: ignore[return-value]


def _number(value: object) -> float | None:
    """A finite float within ±MAX_NUMBER from a number (not a bool, not text), or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    # Compared before float(): an int too large for a float is refused, not an error.
    return float(value) if abs(value) <= MAX_NUMBER else None  # NaN compares False


def _plain_text(text: object, what: str, limit: int) -> str:
    """``text`` stripped, if it is 1 to ``limit`` printable characters (line breaks
    allowed); a ValueError the page can show otherwise."""
    if not isinstance(text, str):
        raise ValueError(f"{what}: text")
    text = text.strip()
    if not text:
        raise ValueError(f"{what}: it is empty")
    if len(text) > limit:
        raise ValueError(f"{what}: at most {limit} characters (that is {len(text)})")
    if not all(c.isprintable() or c == "\n" for c in text):
        raise ValueError(f"{what}: letters, digits and punctuation only")
    return text


def _new_poll(seq: int, now: float, *args: Any) -> Poll:
    """The teacher's question (``ask``'s arguments), checked, as the store keeps it."""
    question_id, kind, choices, answer, tolerance, prompt, seconds = args
    if not isinstance(question_id, str) or not _QUESTION_RE.fullmatch(question_id):
        raise ValueError("question_id: 1-64 letters, digits, '_', '.', ':' or '-'")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    text = "" if prompt in ("", None) else _plain_text(prompt, "The question", MAX_PROMPT_CHARS)
    deadline = None
    if seconds is not None:
        if isinstance(seconds, bool) or not isinstance(seconds, int):
            raise ValueError("the countdown is a whole number of seconds")
        if not MIN_SECONDS <= seconds <= MAX_SECONDS:
            raise ValueError(f"the countdown: {MIN_SECONDS} to {MAX_SECONDS} seconds")
        deadline = now + seconds
    tol = _number(tolerance)
    if kind == "number":
        if choices:
            raise ValueError("a number question has no choices")
        number = _number(answer)
        if number is None or tol is None or tol < 0:
            raise ValueError(
                f"a number question needs an answer within ±{MAX_NUMBER:g} and a "
                "tolerance of 0 or more"
            )
        return Poll(seq, question_id, "number", (), False, number, tol, text, False, deadline)
    if kind == "sketch":
        if choices or tol != 0 or not isinstance(answer, str):
            raise ValueError("a sketch question has no choices nor tolerance; its answer a spec")
        spec = sketch.Spec.loads(answer).dumps()  # ValueError unless it is one
        return Poll(seq, question_id, "sketch", (), False, spec, 0.0, text, False, deadline)
    if isinstance(choices, str) or not isinstance(choices, tuple | list):
        raise ValueError("choices must be a tuple of strings")
    options = tuple(_plain_text(c, "Each choice", MAX_CHOICE_CHARS) for c in choices)
    if options != tuple(choices):
        raise ValueError("each choice without spaces around it")
    if "\n" in "".join(options):
        raise ValueError("Each choice: one line")
    if not 2 <= len(options) <= MAX_CHOICES or len(set(options)) != len(options):
        raise ValueError(f"2 to {MAX_CHOICES} different choices")
    if answer not in options:
        raise ValueError("the answer must be one of the choices")
    if tol != 0:
        raise ValueError("a choice question has no tolerance")
    return Poll(seq, question_id, "choice", options, False, answer, 0.0, text, False, deadline)


def _checked_answer(poll: Poll | None, question_id: str, value: object, now: float) -> float | str:
    """``value`` as stored for the open ``poll``; Closed or BadAnswer otherwise."""
    if poll is None or poll.question_id != question_id:
        raise Closed("that question is no longer open")
    if why := poll.closed_why(now):
        raise Closed(why)
    if poll.kind == "number":
        if (number := _number(value)) is None:
            raise BadAnswer(f"the answer must be a finite number within ±{MAX_NUMBER:g}")
        return number
    if poll.kind == "sketch":
        axes = sketch.Spec.loads(poll.answer).axes  # type: ignore[arg-type]
        try:  # stored short: what the teacher's overlay draws, a few dozen points
            return sketch.dumps(sketch.simplify(sketch.parse(value, axes), axes))  # type: ignore[arg-type]
        except sketch.SketchError as e:
            raise BadAnswer(str(e)) from None
    if not isinstance(value, str) or value not in poll.choices:
        raise BadAnswer("the answer must be one of the choices")
    return value


def _tally(poll: Poll, answers: list[float | str], n_students: int) -> Tally:
    if poll.kind == "number":
        values = tuple(sorted(answers))  # type: ignore[type-var]
        n_correct = sum(is_right(poll, v) for v in values)
        return Tally(poll, (), values, len(values), n_students, n_correct)
    if poll.kind == "sketch":
        n_correct = sum(is_right(poll, v) for v in answers)
        return Tally(poll, (), (), len(answers), n_students, n_correct, tuple(answers))  # type: ignore[arg-type]
    counts = tuple(answers.count(c) for c in poll.choices)
    return Tally(poll, counts, (), sum(counts), n_students, answers.count(poll.answer))


def _student_view(poll: Poll) -> Poll:
    return poll if poll.revealed else replace(poll, answer=None, tolerance=None)


def _load_poll(text: str) -> Poll:
    d = json.loads(text)
    return Poll(**{**d, "choices": tuple(d["choices"])})


# -- the rules, once ------------------------------------------------------------------


class _Txn(Protocol):
    """What a backend offers the rules inside one transaction. Reads see the class as
    of the transaction; writes take effect at its end, all or none. ``meta`` is (token
    hash, question count, ended) of a class that has not expired, or None."""

    now: float

    def meta(self) -> tuple[str, int, bool] | None: ...
    def poll(self, seq: int) -> Poll | None: ...
    def polls(self) -> list[Poll]: ...
    def n_students(self) -> int: ...
    def is_student(self, session_id: str) -> bool: ...
    def answers(self, seq: int) -> list[float | str]: ...
    def answer_of(self, seq: int, session_id: str) -> float | str | None: ...
    def open_classes(self) -> int: ...  # classes not expired, ended ones included
    def create(self, token_hash: str) -> None: ...  # also prunes expired classes
    def set_meta(self, field: str, value: int) -> None: ...  # "seq" or "ended"
    def put_poll(self, poll: Poll) -> None: ...
    def add_student(self, session_id: str) -> None: ...
    def put_answer(self, seq: int, session_id: str, value: float | str) -> None: ...
    def touch(self, seq: int) -> None: ...  # renew the idle time; seq: the last question


class Store:
    """The class poll's rules over a backend (:class:`SqliteStore`, :class:`RedisStore`).

    Each method is one transaction of the backend (``_run``): it reads the class, checks
    who may do what and the caps, and writes. Writes renew the class's idle time; reads
    do not. ``clock`` is for tests: several processes share a class, so it is wall-clock
    time (seconds since the epoch), not a process's monotonic one.
    """

    def __init__(
        self,
        *,
        ttl: float = IDLE_TTL,
        clock: Callable[[], float] = time.time,
        max_classes: int = MAX_CLASSES,
        max_students: int = MAX_STUDENTS,
        max_questions: int = MAX_QUESTIONS,
    ) -> None:
        self.ttl, self.clock = ttl, clock
        self.max_classes, self.max_students = max_classes, max_students
        self.max_questions = max_questions

    def _run(
        self, code: str, fn: Callable[[_Txn], Any], *, write: bool, opening: bool = False
    ) -> Any:
        """``fn(transaction)`` as one transaction; ``opening``: it counts open classes."""
        raise NotImplementedError

    def _on(self, code: object, fn: Callable[[_Txn], Any], write: bool = False) -> Any:
        return self._run(_valid_code(code), fn, write=write)

    # -- the rules' steps: ``t`` is the transaction
    @staticmethod
    def _live(t: _Txn, *, ended_ok: bool = False) -> tuple[str, int, bool]:
        if (meta := t.meta()) is None:
            raise NoSuchClass("no such class")
        if meta[2] and not ended_ok:
            raise Ended("the class has ended")
        return meta

    def _teacher(self, t: _Txn, token: object, *, ended_ok: bool = False) -> int:
        token_hash, seq, _ = self._live(t, ended_ok=ended_ok)
        if not _token_matches(token_hash, token):
            raise NotTeacher("only the teacher can do that")
        return seq

    def _enrol(self, t: _Txn, session_id: str) -> int:
        """Count the student in (once); the number of students with them. (Writes take
        effect at the transaction's end, so the count is not read back.)"""
        n = t.n_students()
        if t.is_student(session_id):
            return n
        if n >= self.max_students:
            raise Full(f"the class is full ({self.max_students} students)")
        t.add_student(session_id)
        return n + 1

    def _question(self, t: _Txn) -> tuple[int, Poll | None]:
        """The live class's question count and its current question (None before one)."""
        seq = self._live(t)[1]
        return seq, t.poll(seq) if seq else None

    def _meta(self, code: object) -> tuple[str, int, bool] | None:
        if not isinstance(code, str) or parse_code(code) != code:
            return None
        return self._run(code, lambda t: t.meta(), write=False)

    # -- the API
    def open_class(self) -> tuple[str, str]:
        """A new class: ``(code, token)``. :class:`Full` at the store's class cap."""
        token = secrets.token_urlsafe(TOKEN_BYTES)

        def create(t: _Txn) -> bool:
            if t.open_classes() >= self.max_classes:
                raise Full(f"too many open classes ({self.max_classes}); try again later")
            if t.meta() is not None:
                return False  # the code is in use (or kept for its results): another
            t.create(_token_hash(token))
            t.touch(0)
            return True

        for _ in range(20):  # 20 codes in use in a row means something is off
            code = _new_code()
            if self._run(code, create, write=True, opening=True):
                return code, token
        raise RuntimeError("no free class code found")

    def status(self, code: str) -> str | None:
        """ "open", "ended" (the teacher ended it), or None (no such class: never
        opened, or expired)."""
        meta = self._meta(code)
        return None if meta is None else ("ended" if meta[2] else "open")

    def exists(self, code: str) -> bool:
        """Whether ``code`` names an open class."""
        return self.status(code) == "open"

    def is_teacher(self, code: str, token: str | None) -> bool:
        """Whether ``token`` is the class's teacher token (compared in constant time)."""
        meta = self._meta(code)
        return meta is not None and _token_matches(meta[0], token)

    def join(self, code: str, session_id: str) -> int:
        """Count this student (once); how many have joined. :class:`Full` when the class
        has its cap of students and this one is new."""
        session_id = _valid_session(session_id)

        def join(t: _Txn) -> int:
            seq = self._live(t)[1]
            n = self._enrol(t, session_id)
            t.touch(seq)
            return n

        return self._on(code, join, write=True)

    def ask(
        self,
        code: str,
        token: str | None,
        question_id: str,
        kind: str,
        choices: tuple[str, ...],
        answer: float | str,
        tolerance: float = 0.0,
        *,
        prompt: str = "",
        seconds: int | None = None,
    ) -> Poll:
        """Teacher: put a new question (its answers start empty); returns it as students
        see it. ``kind`` "number": ``choices`` ``()``, ``answer`` a finite number,
        ``tolerance`` >= 0; "choice": 2 to :data:`MAX_CHOICES` choices, ``answer`` one of
        them. ``prompt``: the text of a question the teacher wrote; ``seconds``: a
        countdown (:data:`MIN_SECONDS` to :data:`MAX_SECONDS`) after which answers close.
        :class:`NotTeacher`, :class:`Full` (questions), ``ValueError`` (arguments)."""
        args = (question_id, kind, choices, answer, tolerance, prompt, seconds)

        def ask(t: _Txn) -> Poll:
            seq = self._teacher(t, token)
            if seq >= self.max_questions:
                raise Full(f"this class has had {self.max_questions} questions: open a new one")
            poll = _new_poll(seq + 1, t.now, *args)
            t.put_poll(poll)
            t.set_meta("seq", seq + 1)
            t.touch(seq + 1)
            return _student_view(poll)

        code = _valid_code(code)
        # Checked before the class is looked at: a bad question is a ValueError
        # whatever the class's state.
        _new_poll(1, 0.0, *args)
        return self._run(code, ask, write=True)

    def _change(self, code: str, token: object, change: Callable[[Poll], Poll]) -> Poll:
        def run(t: _Txn) -> Poll:
            seq = self._teacher(t, token)
            if not seq:
                raise Closed("no question yet: ask one first")
            poll = change(t.poll(seq))  # type: ignore[arg-type]
            t.put_poll(poll)
            t.touch(seq)
            return _student_view(poll)

        return self._on(code, run, write=True)

    def lock(self, code: str, token: str | None, locked: bool = True) -> Poll:
        """Teacher: stop taking answers to the open question (``locked``), or take them
        again; reopening also ends its countdown. :class:`Closed` before a question or
        after the reveal."""

        def change(poll: Poll) -> Poll:
            if poll.revealed:
                raise Closed("the answer has been revealed")
            return replace(poll, locked=bool(locked), deadline=poll.deadline if locked else None)

        return self._change(code, token, change)

    def reveal(self, code: str, token: str | None) -> None:
        """Teacher: show the answer; no more answers. :class:`Closed` before a question."""
        self._change(code, token, lambda poll: replace(poll, revealed=True))

    def current(self, code: str) -> Poll | None:
        """The open question as students see it (no answer until revealed), or None."""
        return self.for_student(code, None)[0]

    def answer(self, code: str, session_id: str, question_id: str, value: object) -> None:
        """Record (or replace) this student's answer to the open question
        ``question_id``. :class:`BadAnswer` (wrong type or range), :class:`Closed` (not
        the open question, locked, time up or revealed), :class:`Full` (a new student in
        a full class)."""
        session_id = _valid_session(session_id)

        def answer(t: _Txn) -> None:
            seq, poll = self._question(t)
            stored = _checked_answer(poll, question_id, value, t.now)
            self._enrol(t, session_id)
            t.put_answer(seq, session_id, stored)
            t.touch(seq)

        self._on(code, answer, write=True)

    def my_answer(self, code: str, session_id: str) -> float | str | None:
        """This student's answer to the open question, or None."""
        return self.for_student(code, _valid_session(session_id))[1]

    def for_student(
        self, code: str, session_id: str | None
    ) -> tuple[Poll | None, float | str | None]:
        """What a student's page shows, read at once: :meth:`current` and
        :meth:`my_answer` (None without ``session_id``)."""
        if session_id is not None:
            session_id = _valid_session(session_id)

        def read(t: _Txn) -> tuple[Poll | None, float | str | None]:
            seq, poll = self._question(t)
            if poll is None:
                return None, None
            return _student_view(poll), session_id and t.answer_of(seq, session_id)

        return self._on(code, read)

    def tally(self, code: str, token: str | None) -> Tally:
        """Teacher: the open question's anonymous tally. :class:`NotTeacher`."""

        def tally(t: _Txn) -> Tally:
            seq, n = self._teacher(t, token, ended_ok=True), t.n_students()
            if not seq:
                return Tally(None, n_students=n)
            return _tally(t.poll(seq), t.answers(seq), n)  # type: ignore[arg-type]

        return self._on(code, tally)

    def results(self, code: str, token: str | None) -> list[Tally]:
        """Teacher: every question so far, in order, as tallies (also once the class has
        ended, until it expires). :class:`NotTeacher`."""

        def results(t: _Txn) -> list[Tally]:
            self._teacher(t, token, ended_ok=True)
            n = t.n_students()
            return [_tally(p, t.answers(p.seq), n) for p in t.polls()]

        return self._on(code, results)

    def close(self, code: str, token: str | None) -> None:
        """Teacher: end the class. Students' pages say it has ended; its results stay
        for the teacher until it expires. :class:`NotTeacher`."""

        def close(t: _Txn) -> None:
            seq = self._teacher(t, token)
            t.set_meta("ended", 1)
            t.touch(seq)

        self._on(code, close, write=True)

    def ping(self) -> None:
        """Nothing, or :class:`StoreUnavailable`."""
        self._run(_new_code(), lambda t: t.meta(), write=False)


# -- one file: SQLite -----------------------------------------------------------------

_SCHEMA = """
CREATE TABLE IF NOT EXISTS classes (
  code TEXT PRIMARY KEY, token TEXT NOT NULL, seq INTEGER NOT NULL,
  ended INTEGER NOT NULL, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS polls (
  code TEXT NOT NULL, seq INTEGER NOT NULL, poll TEXT NOT NULL, PRIMARY KEY (code, seq));
CREATE TABLE IF NOT EXISTS students (
  code TEXT NOT NULL, session TEXT NOT NULL, PRIMARY KEY (code, session));
CREATE TABLE IF NOT EXISTS answers (
  code TEXT NOT NULL, seq INTEGER NOT NULL, session TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (code, seq, session));
CREATE INDEX IF NOT EXISTS classes_expires ON classes (expires);
"""


class _SqliteTxn:
    def __init__(self, db: sqlite3.Connection, code: str, now: float, ttl: float) -> None:
        self.db, self.code, self.now, self.ttl = db, code, now, ttl

    def _q(self, sql: str, *args: object) -> sqlite3.Cursor:  # the class's code is ?1
        return self.db.execute(sql, (self.code, *args))

    def _one(self, sql: str, *args: object) -> Any:
        row = self._q(sql, *args).fetchone()
        return None if row is None else row[0]

    def meta(self):
        sql = "SELECT token, seq, ended FROM classes WHERE code = ? AND expires > ?"
        row = self._q(sql, self.now).fetchone()
        return row and (row[0], row[1], bool(row[2]))

    def poll(self, seq):
        text = self._one("SELECT poll FROM polls WHERE code = ? AND seq = ?", seq)
        return text and _load_poll(text)

    def polls(self):
        return [
            _load_poll(p) for (p,) in self._q("SELECT poll FROM polls WHERE code = ? ORDER BY seq")
        ]

    def n_students(self):
        return self._one("SELECT count(*) FROM students WHERE code = ?")

    def is_student(self, session_id):
        return self._one("SELECT 1 FROM students WHERE code = ? AND session = ?", session_id)

    def answers(self, seq):
        rows = self._q("SELECT value FROM answers WHERE code = ? AND seq = ?", seq)
        return [json.loads(v) for (v,) in rows]

    def answer_of(self, seq, session_id):
        sql = "SELECT value FROM answers WHERE code = ? AND seq = ? AND session = ?"
        value = self._one(sql, seq, session_id)
        return None if value is None else json.loads(value)

    def open_classes(self):
        return self.db.execute(
            "SELECT count(*) FROM classes WHERE expires > ?", (self.now,)
        ).fetchone()[0]

    def create(self, token_hash):
        # The code's expired class goes here, and a few other expired ones with it, so
        # the file stays as small as the classes in use.
        sql = "SELECT code FROM classes WHERE expires <= ? LIMIT 16"
        gone = [(self.code,), *self.db.execute(sql, (self.now,))]
        for table in ("classes", "polls", "students", "answers"):
            self.db.executemany(f"DELETE FROM {table} WHERE code = ?", gone)
        self._q("INSERT INTO classes VALUES (?, ?, 0, 0, ?)", token_hash, self.now)

    def set_meta(self, field, value):
        self.db.execute(f"UPDATE classes SET {field} = ? WHERE code = ?", (value, self.code))

    def put_poll(self, poll):
        self._q("INSERT OR REPLACE INTO polls VALUES (?, ?, ?)", poll.seq, json.dumps(asdict(poll)))

    def add_student(self, session_id):
        self._q("INSERT INTO students VALUES (?, ?)", session_id)

    def put_answer(self, seq, session_id, value):
        self._q(
            "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?)", seq, session_id, json.dumps(value)
        )

    def touch(self, seq):
        self.db.execute(
            "UPDATE classes SET expires = ? WHERE code = ?", (self.now + self.ttl, self.code)
        )


def default_db_path(environ: Mapping[str, str] = os.environ) -> Path:
    """Where :func:`store_from_env` keeps classes without ``RELULAB_CLASS_DB``: the
    user's state folder (``$XDG_STATE_HOME``, else ``~/.local/state``), which a server's
    restart keeps.

    >>> default_db_path({"XDG_STATE_HOME": "/srv/state"}).as_posix()
    '/srv/state/relulab/classes.sqlite3'
    """
    state = environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "relulab" / "classes.sqlite3"


class SqliteStore(Store):
    """Classes in one SQLite file: durable, embedded, shared by the server processes of
    one machine (WAL: readers do not wait for a writer; a writer waits up to
    ``timeout`` seconds for another). ``":memory:"`` keeps them in this process only.

    One connection per store, used by one thread at a time (Streamlit runs each
    session's script in its own thread): the page's operations take well under a
    millisecond each. A file that cannot be opened or written raises
    :class:`StoreUnavailable`.
    """

    def __init__(self, path: str | os.PathLike, *, timeout: float = 10.0, **kw: Any) -> None:
        super().__init__(**kw)
        self.path = str(path)
        self._lock = threading.Lock()
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            # Autocommit mode: _run begins each transaction itself.
            self._db = sqlite3.connect(
                self.path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode = WAL")
            # With WAL, NORMAL survives the app's crash or restart (not a power cut
            # between two checkpoints), at a fraction of FULL's fsyncs.
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.executescript(_SCHEMA)
        except (sqlite3.Error, OSError) as e:
            raise StoreUnavailable("the class store (SQLite) cannot be opened") from e

    def _run(
        self, code: str, fn: Callable[[_Txn], Any], *, write: bool, opening: bool = False
    ) -> Any:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                with self._db:  # COMMIT, or ROLLBACK on any exception
                    return fn(_SqliteTxn(self._db, code, self.clock(), self.ttl))
            except sqlite3.Error as e:
                raise StoreUnavailable("the class store (SQLite) is busy or unwritable") from e

    def close_db(self) -> None:
        """Close the file (tests; a server keeps it open for its lifetime)."""
        with self._lock:
            self._db.close()


# -- shared: Redis --------------------------------------------------------------------


class _RedisTxn:
    """Reads go to Redis at once (on the ``WATCH``ed connection of a write); writes are
    queued as commands and sent in one ``MULTI``/``EXEC`` at the end."""

    def __init__(self, store: RedisStore, conn: Any, code: str, now: float) -> None:
        self.s, self.r, self.code, self.now = store, conn, code, now
        self.key = f"{store.prefix}class:{code}:"
        self.writes: list[tuple] = []
        self.stored_seq = -1  # the question count meta() read; -1: none read, renew

    def meta(self):
        if not (m := self.r.hgetall(self.key + "meta")):
            return None
        self.stored_seq = int(m["seq"])  # as stored: touch() compares it
        return m["token"], self.stored_seq, m.get("ended") == "1"

    def poll(self, seq):
        text = self.r.hget(self.key + "polls", str(seq))
        return text and _load_poll(text)

    def polls(self):
        return sorted(map(_load_poll, self.r.hvals(self.key + "polls")), key=lambda p: p.seq)

    def n_students(self):
        return self.r.scard(self.key + "students")

    def is_student(self, session_id):
        return self.r.sismember(self.key + "students", session_id)

    def answers(self, seq):
        return [json.loads(v) for v in self.r.hvals(f"{self.key}answers:{seq}")]

    def answer_of(self, seq, session_id):
        value = self.r.hget(f"{self.key}answers:{seq}", session_id)
        return None if value is None else json.loads(value)

    def open_classes(self):
        return self.r.zcount(self.s.registry, f"({self.now * 1000:.0f}", "+inf")

    def create(self, token_hash):
        # Classes that expired leave the registry here (their keys expire by themselves).
        self.writes += [
            ("zremrangebyscore", self.s.registry, "-inf", self.now * 1000),
            ("delete", self.key + "students", self.key + "polls"),
            ("hset", self.key + "meta", "token", token_hash),
            ("hset", self.key + "meta", "seq", 0),
        ]

    def set_meta(self, field, value):
        self.writes.append(("hset", self.key + "meta", field, value))

    # Each write gives its key the idle time too: touch() renews the others only now and
    # then, and a key must never be left without one.
    def _add(self, command: str, key: str, *args: object) -> None:
        self.writes += [(command, key, *args), ("pexpire", key, self.s.ttl_ms)]

    def put_poll(self, poll):
        self._add("hset", self.key + "polls", str(poll.seq), json.dumps(asdict(poll)))

    def add_student(self, session_id):
        self._add("sadd", self.key + "students", session_id)

    def put_answer(self, seq, session_id, value):
        self._add("hset", f"{self.key}answers:{seq}", session_id, json.dumps(value))

    def touch(self, seq):
        # Renewed when a tenth of the idle time (at most a minute) has passed since the
        # last renewal: a PEXPIRE counts as a change to a WATCHed key, and renewing on
        # every answer would make a class's burst of answers retry each other.
        ttl, registry = self.s.ttl_ms, self.s.registry
        if seq == self.stored_seq and self.r.pttl(self.key + "meta") > ttl - min(60_000, ttl // 10):
            return
        names = ["meta", "polls", "students", *(f"answers:{s}" for s in range(1, seq + 1))]
        self.writes += [("pexpire", self.key + name, ttl) for name in names]
        self.writes += [
            ("zadd", registry, {self.code: self.now * 1000 + ttl}),
            ("pexpire", registry, ttl),
        ]


class RedisStore(Store):
    """Classes in Redis, shared by every app process that uses the same ``url``.

    Keys, all with a TTL that every write renews (``ttl`` seconds, fractions allowed):
    ``{prefix}class:{code}:meta`` (a hash: the token's SHA-256, the question count,
    ended), ``...:polls`` (a hash: question number -> the question as JSON),
    ``...:students`` (a set of student ids) and ``...:answers:{n}`` (a hash per
    question: student id -> the answer as JSON), plus one registry, ``{prefix}classes``
    (a sorted set: code -> expiry in ms), for the cap on open classes. A write watches
    the class's meta, questions and students (and the registry, when opening) and is
    retried if another writer changed them first. A lost connection raises
    :class:`StoreUnavailable` (after redis-py's own retries). Replicas on several
    machines take the time (countdowns, expiry in the registry) from their own clocks:
    keep them in sync (NTP), as any cluster does.
    """

    def __init__(
        self, url: str, *, prefix: str = "relulab:", timeout: float = 5.0, **kw: Any
    ) -> None:
        super().__init__(**kw)
        import redis  # only needed when classes live in Redis
        from redis.backoff import ExponentialBackoff
        from redis.retry import Retry

        self._errors = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
        self.client = redis.Redis.from_url(
            url,
            decode_responses=True,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            health_check_interval=30,
            # A page waits for this: a few quick retries ride over a Redis restart, and a
            # Redis that is down is reported within about a second, not redis-py's 7 s.
            retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), retries=3),
        )
        self.ttl_ms = max(1, round(self.ttl * 1000))
        self.prefix, self.registry = prefix, prefix + "classes"

    def _run(
        self, code: str, fn: Callable[[_Txn], Any], *, write: bool, opening: bool = False
    ) -> Any:
        tries = itertools.count()

        def attempt(pipe: Any) -> Any:  # redis-py runs it again after a WatchError
            if next(tries) == 100:  # a retry per concurrent change; 100 would be a storm
                raise StoreUnavailable("the class store (Redis) is too busy just now")
            t = _RedisTxn(self, pipe, code, self.clock())
            result = fn(t)
            pipe.multi()
            for command, *args in t.writes:
                getattr(pipe, command)(*args)
            return result

        try:
            if not write:
                return fn(_RedisTxn(self, self.client, code, self.clock()))
            keys = [f"{self.prefix}class:{code}:{k}" for k in ("meta", "polls", "students")]
            if opening:  # the cap on open classes: only opening reads the registry
                keys.append(self.registry)
            return self.client.transaction(attempt, *keys, value_from_callable=True)
        except self._errors as e:
            raise StoreUnavailable("the class store (Redis) cannot be reached") from e


# -- results for the teacher ----------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet never runs: text starting like a formula gets a
    leading apostrophe (OWASP's advice for CSV injection)."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _g(v: float) -> str:
    return f"{v + 0.0:.10g}"  # + 0.0: never "-0"


def results_csv(
    results: list[Tally],
    title: Callable[[Poll], str],
    choice: Callable[[Poll, str], str] = lambda poll, c: c,
) -> str:
    """The class's results as CSV, one row per question, anonymous: its number, its
    text (``title(poll)``), the right answer, how many answered and were right, and
    the distribution (each choice's count, or every number given with its count).
    ``choice(poll, c)`` is a stored choice's text (the page stores the quiz's choices
    as their numbers).

    >>> t = Tally(Poll(1, "own-1", "number", (), True, -0.5, 0.1), values=(-0.5, -0.5, 2.0),
    ...           n_answers=3, n_students=4, n_correct=2)
    >>> print(results_csv([t], lambda p: "=HYPERLINK()"), end="")
    question,text,kind,right answer,tolerance,answered,right,students,distribution
    1,'=HYPERLINK(),number,'-0.5,0.1,3,2,4,'-0.5 ×2; 2 ×1
    """
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    header = "question,text,kind,right answer,tolerance,answered,right,students,distribution"
    w.writerow(header.split(","))
    for t in results:
        if (p := t.poll) is None:
            continue
        if p.kind == "number":
            dist = "; ".join(f"{_g(v)} ×{n}" for v, n in Counter(t.values).items())
            answer, tol = _g(float(p.answer)), _g(float(p.tolerance or 0))  # type: ignore[arg-type]
        elif p.kind == "sketch":  # how close the sketches came: share of the x-range
            spec = sketch.Spec.loads(p.answer)  # type: ignore[arg-type]
            shares = [sketch_score(p.answer, s).share for s in t.sketches]  # type: ignore[arg-type]
            dist = "; ".join(f"{round(100 * s)}%" for s in sorted(shares))
            answer, tol = f"{spec.of} of {spec.act} {dict(spec.params)}", ""
        else:
            pairs = zip(p.choices, t.counts, strict=True)
            dist = "; ".join(f"{choice(p, c)}: {n}" for c, n in pairs)
            answer, tol = choice(p, str(p.answer)), ""
        row = [p.seq, title(p), p.kind, answer, tol, t.n_answers, t.n_correct, t.n_students]
        w.writerow([_cell(c) for c in [*row, dist]])
    return out.getvalue()


# -- choosing a store -----------------------------------------------------------------

REDIS_SCHEMES = ("redis", "rediss", "unix")
# One store per place, even for two sessions that ask first at the same moment
# (functools.cache alone may build twice then, and each store is a connection).
_choose = threading.Lock()


def store_from_env(environ: Mapping[str, str] = os.environ) -> Store:
    """The process's store: a :class:`RedisStore` when ``RELULAB_REDIS_URL`` is set
    (``redis://``, ``rediss://`` or ``unix://``), else a :class:`SqliteStore` on
    ``RELULAB_CLASS_DB`` (a file path), else on :func:`default_db_path` (the system's
    temporary folder where that is not writable). The same object comes back on every
    call (one connection per process). Redis is connected on first use, which may raise
    :class:`StoreUnavailable`.

    >>> import tempfile, pathlib
    >>> db = str(pathlib.Path(tempfile.mkdtemp()) / "c.sqlite3")
    >>> store_from_env({"RELULAB_CLASS_DB": db}) is store_from_env({"RELULAB_CLASS_DB": db})
    True
    >>> store_from_env({"RELULAB_REDIS_URL": "http://example.org"})
    Traceback (most recent call last):
        ...
    ValueError: RELULAB_REDIS_URL must start with redis://, rediss:// or unix://
    """
    url = environ.get("RELULAB_REDIS_URL", "").strip()
    # The message never repeats the URL: it may hold a password.
    if url and urllib.parse.urlsplit(url).scheme.lower() not in REDIS_SCHEMES:
        raise ValueError("RELULAB_REDIS_URL must start with redis://, rediss:// or unix://")
    chosen = environ.get("RELULAB_CLASS_DB", "").strip()
    with _choose:
        if url:
            return _redis_store(url)
        return _sqlite_store(chosen or str(default_db_path(environ)), bool(chosen))


_redis_store = functools.cache(RedisStore)


@functools.cache
def _sqlite_store(path: str, chosen: bool) -> Store:
    try:
        return SqliteStore(path)
    except StoreUnavailable:
        if chosen:
            raise  # the path the operator chose: say so, do not hide it
        # A read-only home folder (some hosts): the temporary folder instead.
        return SqliteStore(Path(tempfile.gettempdir()) / "relulab" / "classes.sqlite3")
