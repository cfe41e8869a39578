"""A live class poll's store: classes, questions, anonymous answers and their tally.

A teacher opens a class and gets a short class code (for the students' link,
``?class=CODE``) and a separate, unguessable teacher token (kept by the teacher's own
browser, never shown). The teacher puts one question at a time to the class: one of the
quiz's (by its id) or one the teacher wrote (its text kept here, plain, length-limited).
Every joined student sees it (:class:`Poll`) and answers it, changing the answer until
the teacher locks answers, the optional countdown ends, or the teacher reveals the right
one. The teacher sees the :class:`Tally`: counts per choice, or every number given,
never who gave them; and at the end the results of every question (:meth:`Store.results`,
:func:`results_csv`). Students are identified by an opaque id their browser keeps, so a
student whose page reconnects (a server restart) is the same student, never counted
twice.

The rules live once, in :class:`Store`; two backends keep the data:

- :class:`SqliteStore`: one SQLite file (Python's ``sqlite3``, WAL), the default. A
  restart of the app loses nothing, and several server processes on one machine share
  it. The path is ``RELULAB_CLASS_DB``, else :func:`default_db_path`.
- :class:`RedisStore`: Redis, for app replicas on several machines behind a load
  balancer. :func:`store_from_env` picks it when ``RELULAB_REDIS_URL`` is set.

Both run each write as one transaction that reads, checks the rules in Python and writes
(SQLite: ``BEGIN IMMEDIATE``; Redis: ``WATCH``/``MULTI``, retried when another writer got
in between), so caps hold and no answer lands on a question that was locked, revealed or
replaced in between. (Redis's reads are plain reads, one round trip each.)

The API (every ``code`` is a canonical class code, every ``token`` a teacher token,
every ``session_id`` a :func:`new_session_id` value)::

    open_class() -> (code, token)                         anyone; Full at MAX_CLASSES
    status(code) -> "open" | "ended" | None               None: no such class
    exists(code) -> bool                                  status(code) == "open"
    is_teacher(code, token) -> bool                       constant-time token check
    join(code, session_id) -> int                         students so far; Full at the cap
    ask(code, token, question_id, kind, choices, answer, tolerance=0.0,
        *, prompt="", seconds=None) -> Poll               teacher: a new question
    lock(code, token, locked=True) -> Poll                teacher: stop/reopen answers
    reveal(code, token) -> None                           teacher; ends answering
    current(code) -> Poll | None                          what students see
    answer(code, session_id, question_id, value) -> None  BadAnswer, Closed, Full
    my_answer(code, session_id) -> float | str | None     this student's, open question
    for_student(code, session_id) -> (Poll | None, answer)  both, read at once
    tally(code, token) -> Tally                           teacher: the open question
    results(code, token) -> list[Tally]                   teacher: every question so far
    close(code, token) -> None                            teacher: the class ends
    ping() -> None                                        StoreUnavailable when down

Errors (all :class:`ClassroomError`): :class:`NoSuchClass` (a code that names no class:
never opened, or expired), :class:`Ended` (a subclass: the teacher ended it),
:class:`NotTeacher`, :class:`BadAnswer` (not a finite number in range, or not one of the
choices), :class:`Closed` (no open question, another one now, locked, time up, or
revealed), :class:`Full` (a cap below), :class:`StoreUnavailable` (the store cannot be
reached or written). Arguments only the page's own code supplies (a malformed session
id, a bad ``kind``) raise ``ValueError``; so does a teacher's question that breaks the
limits (text too long, too many choices), with a message the page can show.

Limits, so that storage stays bounded whatever visitors send: :data:`MAX_CLASSES` open
classes per store, :data:`MAX_STUDENTS` per class, one answer per student per question,
:data:`MAX_QUESTIONS` questions per class, :data:`MAX_PROMPT_CHARS` characters of a
written question and :data:`MAX_CHOICES` choices of :data:`MAX_CHOICE_CHARS`. A class
expires after :data:`IDLE_TTL` seconds (4 hours) without a write; every write starts
that time again (Redis: at most once a minute). An ended class keeps its results, and
its place under the cap, until it expires. Answers are numbers
or one of the teacher's choices: no text a student typed is ever stored.

>>> store = SqliteStore(":memory:")
>>> code, token = store.open_class()
>>> parse_code(code.lower()) == code, parse_token(token) == token
(True, True)
>>> poll = store.ask(code, token, "relu-dash-0", "choice", ("0", "1", "leak"), "leak")
>>> poll.question_id, poll.choices, poll.answer  # the answer stays hidden until revealed
('relu-dash-0', ('0', '1', 'leak'), None)
>>> ann, bob = new_session_id(), new_session_id()
>>> store.join(code, ann), store.join(code, bob), store.join(code, ann)
(1, 2, 2)
>>> store.answer(code, ann, "relu-dash-0", "1")
>>> store.answer(code, ann, "relu-dash-0", "leak")  # changed her mind
>>> store.answer(code, bob, "relu-dash-0", "0")
>>> store.tally(code, token).counts, store.my_answer(code, ann)
((1, 0, 1), 'leak')
>>> store.reveal(code, token)
>>> store.current(code).answer
'leak'
>>> store.answer(code, bob, "relu-dash-0", "leak")
Traceback (most recent call last):
    ...
relulab_app.classroom.Closed: the answer has been revealed
>>> store.close(code, token)
>>> store.status(code), store.status("K7MX3P")
('ended', None)
>>> [(t.poll.seq, t.n_answers, t.n_correct) for t in store.results(code, token)]
[(1, 2, 1)]
"""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import hmac
import io
import json
import math
import os
import re
import secrets
import sqlite3
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "CODE_NOTICE",
    "IDLE_TTL",
    "KINDS",
    "MAX_ANSWERS",
    "MAX_CHOICES",
    "MAX_CHOICE_CHARS",
    "MAX_CLASSES",
    "MAX_NUMBER",
    "MAX_PROMPT_CHARS",
    "MAX_QUESTIONS",
    "MAX_SECONDS",
    "MAX_STUDENTS",
    "MIN_SECONDS",
    "TOKEN_NOTICE",
    "BadAnswer",
    "ClassroomError",
    "Closed",
    "Ended",
    "Full",
    "NoSuchClass",
    "NotTeacher",
    "Poll",
    "RedisStore",
    "SqliteStore",
    "Store",
    "StoreUnavailable",
    "Tally",
    "default_db_path",
    "is_right",
    "new_session_id",
    "parse_code",
    "parse_session",
    "parse_token",
    "read_code",
    "read_token",
    "results_csv",
    "store_from_env",
]

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
KINDS = ("number", "choice")

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
    if len(code) != CODE_LENGTH or not set(code) <= _CODE_SET:
        return None
    return code


def parse_token(text: object) -> str | None:
    """The teacher token in ``text`` (surrounding spaces ignored), or None.

    >>> parse_token("x" * 32) == "x" * 32, parse_token("x" * 31), parse_token("x" * 31 + "!")
    (True, None, None)
    """
    if not isinstance(text, str) or len(text) > _MAX_URL_CHARS:
        return None
    token = text.strip()
    return token if _TOKEN_RE.fullmatch(token) else None


def new_session_id() -> str:
    """A fresh, opaque id for one student's browser session (32 hex digits).

    >>> parse_session(new_session_id()) is not None
    True
    """
    return secrets.token_hex(16)


def parse_session(text: object) -> str | None:
    """``text`` if it is a :func:`new_session_id` value, else None.

    >>> parse_session("0" * 32), parse_session("0" * 33), parse_session("G" * 32)
    ('00000000000000000000000000000000', None, None)
    """
    if isinstance(text, str) and _SESSION_RE.fullmatch(text):
        return text
    return None


def read_code(raw: list[str]) -> tuple[str | None, str | None]:
    """The class code from a link's ``class`` values, and a notice when they are not
    one valid code. The notice never repeats the link's text.

    >>> read_code([]), read_code(["k7mx3p"])
    ((None, None), ('K7MX3P', None))
    >>> read_code(["<script>"])
    (None, 'The link’s class code is not a class code (6 letters and digits, like K7MX3P).')
    """
    if not raw:
        return None, None
    code = parse_code(raw[0]) if len(raw) == 1 else None
    if code is None:
        return None, CODE_NOTICE
    return code, None


def read_token(raw: list[str]) -> tuple[str | None, str | None]:
    """The teacher token from a link's ``teacher`` values, and a notice when they are not
    one well-formed token (whether it is the class's own is :meth:`Store.is_teacher`'s
    question). The notice never repeats the link's text.

    >>> read_token([]), read_token(["nope"])
    ((None, None), (None, 'That is not this class’s teacher link; opening as a student.'))
    """
    if not raw:
        return None, None
    token = parse_token(raw[0]) if len(raw) == 1 else None
    if token is None:
        return None, TOKEN_NOTICE
    return token, None


# -- what the page shows --------------------------------------------------------------


@dataclass(frozen=True)
class Poll:
    """The class's open question as a student may see it.

    ``seq`` counts the class's questions (1 for the first): a new value means a new
    question, even one asked again with the same ``question_id`` (the page's own id for
    the question). ``prompt`` is the text of a question the teacher wrote ("" for the
    quiz's, which the page makes from the id). ``answer`` and ``tolerance`` (a numeric
    answer within ``tolerance`` counts as right) are None until ``revealed``; in the
    teacher's :class:`Tally` they are always filled. ``locked``: the teacher stopped
    answers for now; ``deadline``: answers close at this time (seconds since the epoch),
    or None without a countdown.
    """

    seq: int
    question_id: str
    kind: str  # "number" or "choice"
    choices: tuple[str, ...]  # () for number questions
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


@dataclass(frozen=True)
class Tally:
    """The teacher's view of one question: anonymous counts, never who answered.

    ``counts`` has one count per choice (choice questions); ``values`` holds the
    numbers answered, sorted, duplicates kept (number questions). ``n_correct``
    counts answers equal to ``poll.answer`` (for numbers: within ``poll.tolerance``).
    ``poll`` is None before the first question.
    """

    poll: Poll | None
    counts: tuple[int, ...] = ()
    values: tuple[float, ...] = ()
    n_answers: int = 0
    n_students: int = 0
    n_correct: int = 0


# The methods every backend's transaction offers to Store's rules (see SqliteStore and
# RedisStore). Reads see the class as of the transaction; writes take effect at its end,
# all or none.
class _Txn:
    code: str
    now: float

    def meta(self) -> tuple[str, int, bool] | None:
        """(token hash, question count, ended) of a live class, or None."""
        raise NotImplementedError

    def poll(self, seq: int) -> Poll | None:
        raise NotImplementedError

    def polls(self) -> list[Poll]:
        raise NotImplementedError

    def n_students(self) -> int:
        raise NotImplementedError

    def is_student(self, session_id: str) -> bool:
        raise NotImplementedError

    def answers(self, seq: int) -> list[float | str]:
        raise NotImplementedError

    def answer_of(self, seq: int, session_id: str) -> float | str | None:
        raise NotImplementedError

    def open_classes(self) -> int:
        """Classes that have not expired, ended ones included (they keep their results
        until then, so the cap on storage counts them)."""
        raise NotImplementedError

    def create(self, token_hash: str) -> None:
        raise NotImplementedError

    def set_meta(self, *, seq: int | None = None, ended: bool | None = None) -> None:
        raise NotImplementedError

    def put_poll(self, poll: Poll) -> None:
        raise NotImplementedError

    def add_student(self, session_id: str) -> None:
        raise NotImplementedError

    def put_answer(self, seq: int, session_id: str, value: float | str) -> None:
        raise NotImplementedError

    def touch(self, seq: int) -> None:
        """A write renews the class's idle time (``seq``: its latest question); Redis
        renews it at most once a minute (see RedisStore)."""
        raise NotImplementedError


# -- checks shared by both stores -----------------------------------------------------


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _token_hash(token: str) -> str:
    # Stores keep a hash, so a copy of the database holds no usable teacher link.
    return hashlib.sha256(token.encode()).hexdigest()


def _token_matches(token_hash: str | None, token: object) -> bool:
    """Constant-time comparison of a stored hash with a presented token's."""
    if not isinstance(token, str) or token_hash is None or parse_token(token) != token:
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
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        return None
    return number if math.isfinite(number) and abs(number) <= MAX_NUMBER else None


def _plain_text(text: object, what: str, limit: int) -> str:
    """``text`` stripped, if it is 1 to ``limit`` printable characters (line breaks
    allowed in a prompt); a ValueError the page can show otherwise."""
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


def _new_poll(
    seq: int,
    question_id: object,
    kind: object,
    choices: object,
    answer: object,
    tolerance: object,
    prompt: object,
    seconds: object,
    now: float,
) -> Poll:
    """The teacher's question, checked, as the store keeps it (answer included)."""
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
    why = poll.closed_why(now)
    if why:
        raise Closed(why)
    if poll.kind == "number":
        number = _number(value)
        if number is None:
            raise BadAnswer(f"the answer must be a finite number within ±{MAX_NUMBER:g}")
        return number
    if not isinstance(value, str) or value not in poll.choices:
        raise BadAnswer("the answer must be one of the choices")
    return value


def is_right(poll: Poll, value: float | str) -> bool:
    """Whether ``value`` answers ``poll`` (its answer filled, as the teacher's is): the
    right choice, or a number within the tolerance. The tally's ``n_correct`` and the
    teacher's chart both count with this rule.

    >>> is_right(Poll(1, "q", "number", (), True, 0.5, 0.1), 0.6)
    True
    """
    if poll.kind == "number":
        return abs(value - poll.answer) <= poll.tolerance  # type: ignore[operator]
    return value == poll.answer


def _tally(poll: Poll | None, answers: list[float | str], n_students: int) -> Tally:
    if poll is None:
        return Tally(None, n_students=n_students)
    if poll.kind == "number":
        values = tuple(sorted(float(v) for v in answers if not isinstance(v, str)))
        return Tally(
            poll,
            values=values,
            n_answers=len(values),
            n_students=n_students,
            n_correct=sum(is_right(poll, v) for v in values),
        )
    counts = tuple(sum(a == c for a in answers) for c in poll.choices)
    return Tally(
        poll,
        counts=counts,
        n_answers=sum(counts),
        n_students=n_students,
        n_correct=sum(n for n, c in zip(counts, poll.choices, strict=True) if c == poll.answer),
    )


def _student_view(poll: Poll) -> Poll:
    return poll if poll.revealed else replace(poll, answer=None, tolerance=None)


def _dump_poll(poll: Poll) -> str:
    return json.dumps(asdict(poll))


def _load_poll(text: str) -> Poll:
    d = json.loads(text)
    d["choices"] = tuple(d["choices"])
    return Poll(**d)


# -- the rules, once ------------------------------------------------------------------


class Store:
    """The class poll's rules over a backend (:class:`SqliteStore`, :class:`RedisStore`).

    Each method runs as one transaction of the backend (``_run``): it reads the class,
    checks who may do what and the caps here, and writes. Writes renew the class's idle
    time; reads do not. ``clock`` (seconds since the epoch) is for tests: several
    processes share a class, so it is wall-clock time, not a process's monotonic one.
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

    # -- helpers for the rules: ``t`` is the transaction
    @staticmethod
    def _live(t: _Txn, *, ended_ok: bool = False) -> tuple[str, int, bool]:
        meta = t.meta()
        if meta is None:
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
        try:
            code = _valid_code(code)
        except NoSuchClass:
            return None
        meta = self._run(code, lambda t: t.meta(), write=False)
        return None if meta is None else ("ended" if meta[2] else "open")

    def exists(self, code: str) -> bool:
        """Whether ``code`` names an open class."""
        return self.status(code) == "open"

    def is_teacher(self, code: str, token: str | None) -> bool:
        """Whether ``token`` is the class's teacher token (compared in constant time)."""
        try:
            code = _valid_code(code)
        except NoSuchClass:
            return False
        meta = self._run(code, lambda t: t.meta(), write=False)
        return meta is not None and _token_matches(meta[0], token)

    def join(self, code: str, session_id: str) -> int:
        """Count this student (once); returns how many have joined. :class:`Full` when
        the class has its cap of students and this one is new."""
        session_id = _valid_session(session_id)

        def join(t: _Txn) -> int:
            _, seq, _ = self._live(t)
            n = self._enrol(t, session_id)
            t.touch(seq)
            return n

        return self._run(_valid_code(code), join, write=True)

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

        def ask(t: _Txn) -> Poll:
            seq = self._teacher(t, token)
            if seq >= self.max_questions:
                raise Full(f"this class has had {self.max_questions} questions: open a new one")
            poll = _new_poll(
                seq + 1, question_id, kind, choices, answer, tolerance, prompt, seconds, t.now
            )
            t.put_poll(poll)
            t.set_meta(seq=seq + 1)
            t.touch(seq + 1)
            return _student_view(poll)

        code = _valid_code(code)
        # The arguments are checked before the class is looked at, so a bad question
        # is a ValueError whatever the class's state.
        _new_poll(1, question_id, kind, choices, answer, tolerance, prompt, seconds, 0.0)
        return self._run(code, ask, write=True)

    def _change(self, code: str, token: object, change: Callable[[Poll], Poll]) -> Poll:
        def run(t: _Txn) -> Poll:
            seq = self._teacher(t, token)
            poll = t.poll(seq) if seq else None
            if poll is None:
                raise Closed("no question yet: ask one first")
            poll = change(poll)
            t.put_poll(poll)
            t.touch(seq)
            return _student_view(poll)

        return self._run(_valid_code(code), run, write=True)

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

        def current(t: _Txn) -> Poll | None:
            _, seq, _ = self._live(t)
            poll = t.poll(seq) if seq else None
            return None if poll is None else _student_view(poll)

        return self._run(_valid_code(code), current, write=False)

    def answer(self, code: str, session_id: str, question_id: str, value: object) -> None:
        """Record (or replace) this student's answer to the open question
        ``question_id``. :class:`BadAnswer` (wrong type or range), :class:`Closed` (not
        the open question, locked, time up or revealed), :class:`Full` (a new student in
        a full class)."""
        session_id = _valid_session(session_id)

        def answer(t: _Txn) -> None:
            _, seq, _ = self._live(t)
            poll = t.poll(seq) if seq else None
            stored = _checked_answer(poll, question_id, value, t.now)
            self._enrol(t, session_id)
            t.put_answer(seq, session_id, stored)
            t.touch(seq)

        self._run(_valid_code(code), answer, write=True)

    def my_answer(self, code: str, session_id: str) -> float | str | None:
        """This student's answer to the open question, or None."""
        session_id = _valid_session(session_id)

        def mine(t: _Txn) -> float | str | None:
            _, seq, _ = self._live(t)
            return t.answer_of(seq, session_id) if seq else None

        return self._run(_valid_code(code), mine, write=False)

    def for_student(self, code: str, session_id: str) -> tuple[Poll | None, float | str | None]:
        """What a student's page shows, read at once: :meth:`current` and
        :meth:`my_answer`."""
        session_id = _valid_session(session_id)

        def read(t: _Txn) -> tuple[Poll | None, float | str | None]:
            _, seq, _ = self._live(t)
            poll = t.poll(seq) if seq else None
            if poll is None:
                return None, None
            return _student_view(poll), t.answer_of(seq, session_id)

        return self._run(_valid_code(code), read, write=False)

    def tally(self, code: str, token: str | None) -> Tally:
        """Teacher: the open question's anonymous tally. :class:`NotTeacher`."""

        def tally(t: _Txn) -> Tally:
            seq = self._teacher(t, token, ended_ok=True)
            poll = t.poll(seq) if seq else None
            return _tally(poll, t.answers(seq) if poll else [], t.n_students())

        return self._run(_valid_code(code), tally, write=False)

    def results(self, code: str, token: str | None) -> list[Tally]:
        """Teacher: every question so far, in order, as tallies (also once the class has
        ended, until it expires). :class:`NotTeacher`."""

        def results(t: _Txn) -> list[Tally]:
            self._teacher(t, token, ended_ok=True)
            n = t.n_students()
            return [_tally(p, t.answers(p.seq), n) for p in t.polls()]

        return self._run(_valid_code(code), results, write=False)

    def close(self, code: str, token: str | None) -> None:
        """Teacher: end the class. Students' pages say it has ended; its results stay
        for the teacher until it expires. :class:`NotTeacher`."""

        def close(t: _Txn) -> None:
            seq = self._teacher(t, token)
            t.set_meta(ended=True)
            t.touch(seq)

        self._run(_valid_code(code), close, write=True)

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
_TABLES = ("classes", "polls", "students", "answers")


class _SqliteTxn(_Txn):
    def __init__(self, db: sqlite3.Connection, code: str, now: float, ttl: float) -> None:
        self.db, self.code, self.now, self.ttl = db, code, now, ttl

    def _one(self, sql: str, *args: object) -> tuple | None:
        return self.db.execute(sql, (self.code, *args)).fetchone()

    def meta(self):
        row = self._one(
            "SELECT token, seq, ended FROM classes WHERE code = ? AND expires > ?", self.now
        )
        return None if row is None else (row[0], row[1], bool(row[2]))

    def poll(self, seq):
        row = self._one("SELECT poll FROM polls WHERE code = ? AND seq = ?", seq)
        return None if row is None else _load_poll(row[0])

    def polls(self):
        rows = self.db.execute("SELECT poll FROM polls WHERE code = ? ORDER BY seq", (self.code,))
        return [_load_poll(r[0]) for r in rows]

    def n_students(self):
        return self._one("SELECT count(*) FROM students WHERE code = ?")[0]

    def is_student(self, session_id):
        return self._one("SELECT 1 FROM students WHERE code = ? AND session = ?", session_id)

    def answers(self, seq):
        rows = self.db.execute(
            "SELECT value FROM answers WHERE code = ? AND seq = ?", (self.code, seq)
        )
        return [json.loads(r[0]) for r in rows]

    def answer_of(self, seq, session_id):
        row = self._one(
            "SELECT value FROM answers WHERE code = ? AND seq = ? AND session = ?",
            seq,
            session_id,
        )
        return None if row is None else json.loads(row[0])

    def open_classes(self):
        sql = "SELECT count(*) FROM classes WHERE expires > ?"
        return self.db.execute(sql, (self.now,)).fetchone()[0]

    def create(self, token_hash):
        # An expired class is deleted here, and all expired ones now and then, so the
        # file stays as small as the classes in use.
        for table in _TABLES:
            self.db.execute(f"DELETE FROM {table} WHERE code = ?", (self.code,))
        expired = [
            r[0]
            for r in self.db.execute(
                "SELECT code FROM classes WHERE expires <= ? LIMIT 16", (self.now,)
            )
        ]
        for code in expired:
            for table in _TABLES:
                self.db.execute(f"DELETE FROM {table} WHERE code = ?", (code,))
        self.db.execute(
            "INSERT INTO classes VALUES (?, ?, 0, 0, ?)", (self.code, token_hash, self.now)
        )

    def set_meta(self, *, seq=None, ended=None):
        if seq is not None:
            self.db.execute("UPDATE classes SET seq = ? WHERE code = ?", (seq, self.code))
        if ended is not None:
            self.db.execute("UPDATE classes SET ended = ? WHERE code = ?", (ended, self.code))

    def put_poll(self, poll):
        self.db.execute(
            "INSERT OR REPLACE INTO polls VALUES (?, ?, ?)", (self.code, poll.seq, _dump_poll(poll))
        )

    def add_student(self, session_id):
        self.db.execute("INSERT INTO students VALUES (?, ?)", (self.code, session_id))

    def put_answer(self, seq, session_id, value):
        self.db.execute(
            "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?)",
            (self.code, seq, session_id, json.dumps(value)),
        )

    def touch(self, seq):
        self.db.execute(
            "UPDATE classes SET expires = ? WHERE code = ?", (self.now + self.ttl, self.code)
        )


def default_db_path(environ: Mapping[str, str] = os.environ) -> Path:
    """Where :func:`store_from_env` keeps classes without ``RELULAB_CLASS_DB``: the
    user's state folder (``$XDG_STATE_HOME``, else ``~/.local/state``), which a server's
    restart keeps; the system's temporary folder where the home folder is not writable.

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
    millisecond each. A failing disk or a file that cannot be opened raises
    :class:`StoreUnavailable`.
    """

    def __init__(self, path: str | os.PathLike, *, timeout: float = 10.0, **kw: Any) -> None:
        super().__init__(**kw)
        self.path = str(path)
        self._lock = threading.Lock()
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            # Autocommit mode: transactions are begun explicitly below.
            db = sqlite3.connect(
                self.path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
            db.execute("PRAGMA journal_mode = WAL")
            # With WAL, NORMAL survives the app's crash or restart (not a power cut
            # between two checkpoints), at a fraction of FULL's fsyncs.
            db.execute("PRAGMA synchronous = NORMAL")
            with self._lock:
                db.executescript(_SCHEMA)
        except (sqlite3.Error, OSError) as e:
            raise StoreUnavailable("the class store (SQLite) cannot be opened") from e
        self._db = db

    def _run(
        self, code: str, fn: Callable[[_Txn], Any], *, write: bool, opening: bool = False
    ) -> Any:
        with self._lock:
            db = self._db
            try:
                db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            except sqlite3.Error as e:
                raise StoreUnavailable("the class store (SQLite) is busy or unwritable") from e
            try:
                result = fn(_SqliteTxn(db, code, self.clock(), self.ttl))
                db.execute("COMMIT")
                return result
            except BaseException as e:
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
                if isinstance(e, sqlite3.Error):
                    raise StoreUnavailable("the class store (SQLite) cannot be written") from e
                raise

    def close_db(self) -> None:
        """Close the file (tests; a server keeps it open for its lifetime)."""
        with self._lock:
            self._db.close()


# -- shared: Redis --------------------------------------------------------------------


class _RedisTxn(_Txn):
    """Reads go to Redis at once (on a ``WATCH``ed connection for a write); writes are
    queued and sent in one ``MULTI``/``EXEC`` at the end."""

    def __init__(self, store: RedisStore, conn: Any, code: str, now: float) -> None:
        self.store, self.r, self.code, self.now = store, conn, code, now
        self.k = store._keys(code)
        self.writes: list[Callable[[Any], Any]] = []
        self.stored_seq = -1  # the question count meta() read; -1: none read, renew

    def meta(self):
        m = self.r.hgetall(self.k["meta"])
        if not m:
            return None
        self.stored_seq = int(m["seq"])  # as stored: touch() compares it
        return m["token"], self.stored_seq, m.get("ended") == "1"

    def poll(self, seq):
        text = self.r.hget(self.k["polls"], str(seq))
        return None if text is None else _load_poll(text)

    def polls(self):
        raw = self.r.hgetall(self.k["polls"])
        return sorted((_load_poll(v) for v in raw.values()), key=lambda p: p.seq)

    def n_students(self):
        return int(self.r.scard(self.k["students"]))

    def is_student(self, session_id):
        return bool(self.r.sismember(self.k["students"], session_id))

    def answers(self, seq):
        return [json.loads(v) for v in self.r.hvals(self.store._answers_key(self.code, seq))]

    def answer_of(self, seq, session_id):
        v = self.r.hget(self.store._answers_key(self.code, seq), session_id)
        return None if v is None else json.loads(v)

    def open_classes(self):
        return int(self.r.zcount(self.store._registry, f"({self.now * 1000:.0f}", "+inf"))

    def create(self, token_hash):
        k, registry, now_ms = self.k, self.store._registry, self.now * 1000
        # Classes that expired leave the registry here (their keys expire by themselves).
        self.writes.append(lambda p: p.zremrangebyscore(registry, "-inf", now_ms))
        self.writes.append(lambda p: p.delete(k["students"], k["polls"]))
        self.writes.append(lambda p: p.hset(k["meta"], mapping={"token": token_hash, "seq": 0}))

    def set_meta(self, *, seq=None, ended=None):
        k = self.k
        if seq is not None:
            self.writes.append(lambda p: p.hset(k["meta"], "seq", seq))
        if ended:
            self.writes.append(lambda p: p.hset(k["meta"], "ended", "1"))

    # Each write gives its key the idle time too: touch() renews the others only now
    # and then, and a key must never be left without one.
    def put_poll(self, poll):
        key, text, ttl = self.k["polls"], _dump_poll(poll), self.store.ttl_ms
        self.writes.append(lambda p: p.hset(key, str(poll.seq), text).pexpire(key, ttl))

    def add_student(self, session_id):
        key, ttl = self.k["students"], self.store.ttl_ms
        self.writes.append(lambda p: p.sadd(key, session_id).pexpire(key, ttl))

    def put_answer(self, seq, session_id, value):
        key, text = self.store._answers_key(self.code, seq), json.dumps(value)
        ttl = self.store.ttl_ms
        self.writes.append(lambda p: p.hset(key, session_id, text).pexpire(key, ttl))

    def touch(self, seq):
        # Renewed when a tenth of the idle time (at most a minute) has passed since the
        # last renewal: a PEXPIRE counts as a change to a WATCHed key, and renewing on
        # every answer would make a class's burst of answers retry each other.
        ttl, store, code = self.store.ttl_ms, self.store, self.code
        if seq == self.stored_seq and self.r.pttl(self.k["meta"]) > ttl - min(60_000, ttl // 10):
            return
        keys = [self.k["meta"], self.k["polls"], self.k["students"]]
        keys += [store._answers_key(code, s) for s in range(1, seq + 1)]
        expires = self.now * 1000 + ttl

        def renew(p: Any) -> None:
            for key in keys:
                p.pexpire(key, ttl)
            p.zadd(store._registry, {code: expires})
            p.pexpire(store._registry, ttl)

        self.writes.append(renew)


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

        self._redis = redis
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
        self.prefix = prefix
        self._registry = prefix + "classes"

    def _keys(self, code: str) -> dict[str, str]:
        base = f"{self.prefix}class:{code}:"
        return {k: base + k for k in ("meta", "polls", "students")}

    def _answers_key(self, code: str, seq: int) -> str:
        return f"{self.prefix}class:{code}:answers:{seq}"

    def _run(
        self, code: str, fn: Callable[[_Txn], Any], *, write: bool, opening: bool = False
    ) -> Any:
        try:
            if not write:
                return fn(_RedisTxn(self, self.client, code, self.clock()))
            keys = list(self._keys(code).values())
            if opening:  # the cap on open classes: only opening reads the registry
                keys.append(self._registry)
            for _ in range(100):  # a retry per concurrent change; 100 would be a storm
                with self.client.pipeline() as pipe:
                    pipe.watch(*keys)
                    t = _RedisTxn(self, pipe, code, self.clock())
                    result = fn(t)
                    pipe.multi()
                    for w in t.writes:
                        w(pipe)
                    try:
                        pipe.execute()
                    except self._redis.WatchError:
                        continue
                    return result
            raise StoreUnavailable("the class store (Redis) is too busy just now")
        except self._errors as e:
            raise StoreUnavailable("the class store (Redis) cannot be reached") from e

    def ping(self) -> None:
        try:
            self.client.ping()
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
    w.writerow(
        [
            *("question", "text", "kind", "right answer", "tolerance"),
            *("answered", "right", "students", "distribution"),
        ]
    )
    for t in results:
        p = t.poll
        if p is None:
            continue
        if p.kind == "number":
            counts: dict[float, int] = {}
            for v in t.values:
                counts[v] = counts.get(v, 0) + 1
            dist = "; ".join(f"{_g(v)} ×{n}" for v, n in counts.items())
            answer, tol = _g(float(p.answer)), _g(float(p.tolerance or 0))  # type: ignore[arg-type]
        else:
            dist = "; ".join(
                f"{choice(p, c)}: {n}" for c, n in zip(p.choices, t.counts, strict=True)
            )
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
    ``RELULAB_CLASS_DB`` (a file path), else on :func:`default_db_path`. The same
    object comes back on every call (one connection per process). Redis is connected
    on first use, which may raise :class:`StoreUnavailable`.

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
