"""A live class poll's store: classes, questions, anonymous answers and their tally.

A teacher opens a class and gets a short class code (for the students' link,
``?class=CODE``) and a separate, unguessable teacher token (for the teacher's own link
only). The teacher puts one question at a time to the class; every joined student sees
it (:class:`Poll`) and answers it, once per session, changing the answer until the
teacher reveals the right one. The teacher's view shows the :class:`Tally`: counts per
choice, or the numbers given, never who gave them.

Two stores with the same behaviour (the :class:`Store` protocol):

- :class:`MemoryStore`: one server process (``make run`` needs nothing else). A
  restart loses every class; :meth:`Store.exists` is then False and the page tells the
  teacher and the students that the class has ended.
- :class:`RedisStore`: classes live in Redis, so several app replicas behind a load
  balancer share them, and a restart of the app (or of a persistent Redis) loses
  nothing. :func:`store_from_env` picks it when ``RELULAB_REDIS_URL`` is set.

The API (every ``code`` is a canonical class code, every ``token`` a teacher token,
every ``session_id`` a :func:`new_session_id` value; the page parses URL text with
:func:`parse_code`, :func:`parse_token`, or :func:`read_code` and :func:`read_token`,
which also give a notice for a hostile value)::

    open_class() -> (code, token)                         anyone; Full at MAX_CLASSES
    exists(code) -> bool                                  False once closed or expired
    is_teacher(code, token) -> bool                       constant-time token check
    join(code, session_id) -> int                         students so far; Full at the cap
    ask(code, token, question_id, kind, choices, answer, tolerance=0.0) -> Poll
    current(code) -> Poll | None                          what students see
    answer(code, session_id, question_id, value) -> None  BadAnswer, Closed, Full
    my_answer(code, session_id) -> float | str | None     this session's answer
    tally(code, token) -> Tally                           teacher only
    reveal(code, token) -> None                           teacher only; ends answering
    close(code, token) -> None                            teacher only; deletes the class
    ping() -> None                                        StoreUnavailable when down

Errors (all :class:`ClassroomError`): :class:`NoSuchClass` (wrong, closed or expired
code: "the class has ended"), :class:`NotTeacher` (wrong or missing token),
:class:`BadAnswer` (not a finite number in range, or not one of the choices),
:class:`Closed` (no open question, a different question, or revealed), :class:`Full`
(a cap below), :class:`StoreUnavailable` (Redis cannot be reached). Arguments only the
page's own code supplies (a malformed session or question id, a bad ``kind``) raise
``ValueError``.

Limits, so that memory stays bounded whatever visitors send: :data:`MAX_CLASSES` open
classes per store, :data:`MAX_STUDENTS` per class, one answer per student for the open
question only (so at most :data:`MAX_ANSWERS` = :data:`MAX_STUDENTS`), and
:data:`MAX_QUESTIONS` questions per class. A class expires after :data:`IDLE_TTL`
seconds (4 hours) without a write; every write (open, join, ask, answer, reveal)
starts that time again. Answers are numbers or one of the teacher's choices: no text a
student typed is ever stored, so none reaches another screen.

>>> store = MemoryStore()
>>> code, token = store.open_class()
>>> parse_code(code.lower()) == code, parse_token(token) == token
(True, True)
>>> poll = store.ask(code, token, "relu-dash-0", "choice", ("0", "1", "leak"), "leak")
>>> poll.question_id, poll.choices, poll.answer  # the answer stays hidden until revealed
('relu-dash-0', ('0', '1', 'leak'), None)
>>> ann, bob = new_session_id(), new_session_id()
>>> store.join(code, ann), store.join(code, bob)
(1, 2)
>>> store.answer(code, ann, "relu-dash-0", "1")
>>> store.answer(code, ann, "relu-dash-0", "leak")  # changed her mind
>>> store.answer(code, bob, "relu-dash-0", "0")
>>> store.tally(code, token).counts
(1, 0, 1)
>>> store.reveal(code, token)
>>> store.current(code).answer
'leak'
>>> store.answer(code, bob, "relu-dash-0", "leak")
Traceback (most recent call last):
    ...
relulab.classroom.Closed: the answer has been revealed
>>> store.close(code, token)
>>> store.exists(code)
False
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
import re
import secrets
import threading
import time
import urllib.parse
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

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
    "MAX_QUESTIONS",
    "MAX_STUDENTS",
    "TOKEN_NOTICE",
    "BadAnswer",
    "ClassroomError",
    "Closed",
    "Full",
    "MemoryStore",
    "NoSuchClass",
    "NotTeacher",
    "Poll",
    "RedisStore",
    "Store",
    "StoreUnavailable",
    "Tally",
    "new_session_id",
    "parse_code",
    "parse_session",
    "parse_token",
    "read_code",
    "read_token",
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
MAX_CLASSES = 500  # open classes per store (per process, or per Redis database)
MAX_STUDENTS = 200  # sessions per class: joined or answered
MAX_ANSWERS = MAX_STUDENTS  # one per student, for the open question only
MAX_QUESTIONS = 100  # questions asked per class
MAX_CHOICES = 8  # choices per choice question
MAX_CHOICE_CHARS = 40  # characters per choice
# Numeric answers beyond this are refused: one wild value would squash the histogram.
MAX_NUMBER = 1e9
KINDS = ("number", "choice")

_CODE_SET = frozenset(CODE_ALPHABET)
_TOKEN_RE = re.compile(rf"[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}")
_SESSION_RE = re.compile(r"[0-9a-f]{32}")
_QUESTION_RE = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
_MAX_URL_CHARS = 200  # longer URL text is refused before any other work
# What the page shows for a hostile or mistyped link value (never the value itself).
CODE_NOTICE = "The link’s class code is not a class code (6 letters and digits, like K7MX3P)."
TOKEN_NOTICE = "The link’s teacher token is malformed; opening as a student."


class ClassroomError(Exception):
    """Base of the store's errors; the message is plain and safe to show."""


class NoSuchClass(ClassroomError):
    """No such class: a wrong code, or a class closed, expired or lost in a restart."""


class NotTeacher(ClassroomError):
    """The teacher token is wrong or missing."""


class BadAnswer(ClassroomError, ValueError):
    """The answer is not a finite number in range, or not one of the choices."""


class Closed(ClassroomError):
    """No open question to answer: none asked, another one now, or revealed."""


class Full(ClassroomError):
    """A cap is reached (classes, students or questions)."""


class StoreUnavailable(ClassroomError):
    """The shared store (Redis) cannot be reached."""


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
    ((None, None), (None, 'The link’s teacher token is malformed; opening as a student.'))
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
    the question; the store keeps no question text). ``answer`` and ``tolerance`` (a
    numeric answer within ``tolerance`` counts as right) are None until ``revealed``;
    in the teacher's :class:`Tally` they are always filled.
    """

    seq: int
    question_id: str
    kind: str  # "number" or "choice"
    choices: tuple[str, ...]  # () for number questions
    revealed: bool
    answer: float | str | None = None
    tolerance: float | None = None


@dataclass(frozen=True)
class Tally:
    """The teacher's view of the open question: anonymous counts, never who answered.

    ``counts`` has one count per choice (choice questions); ``values`` holds the
    numbers answered, sorted (number questions; bin them for a histogram).
    ``n_correct`` counts answers equal to ``poll.answer`` (for numbers: within
    ``poll.tolerance``). ``poll`` is None before the first question.
    """

    poll: Poll | None
    counts: tuple[int, ...] = ()
    values: tuple[float, ...] = ()
    n_answers: int = 0
    n_students: int = 0
    n_correct: int = 0


class Store(Protocol):
    """What the page uses; :class:`MemoryStore` and :class:`RedisStore` implement it.

    Every method but :meth:`exists`, :meth:`is_teacher` and :meth:`ping` raises
    :class:`NoSuchClass` for a code that names no open class (malformed codes
    included), and any method of a :class:`RedisStore` may raise
    :class:`StoreUnavailable`. Writes renew the class's idle time; reads do not.
    """

    def open_class(self) -> tuple[str, str]:
        """A new class: ``(code, token)``. :class:`Full` at the store's class cap."""

    def exists(self, code: str) -> bool:
        """Whether ``code`` names an open class (False: it has ended, or never was)."""

    def is_teacher(self, code: str, token: str | None) -> bool:
        """Whether ``token`` is the class's teacher token (compared in constant time)."""

    def join(self, code: str, session_id: str) -> int:
        """Count this session as a student (once); returns how many have joined.
        :class:`Full` when the class has its cap of students and this one is new."""

    def ask(
        self,
        code: str,
        token: str | None,
        question_id: str,
        kind: str,
        choices: tuple[str, ...],
        answer: float | str,
        tolerance: float = 0.0,
    ) -> Poll:
        """Teacher: put a new question (its answers start empty); returns it as students
        see it. ``kind`` "number": ``choices`` ``()``, ``answer`` a finite number,
        ``tolerance`` >= 0; "choice": 2 to :data:`MAX_CHOICES` choices, ``answer`` one of
        them. :class:`NotTeacher`, :class:`Full` (questions), ``ValueError`` (arguments)."""

    def current(self, code: str) -> Poll | None:
        """The open question as students see it (no answer until revealed), or None."""

    def answer(self, code: str, session_id: str, question_id: str, value: object) -> None:
        """Record (or replace) this session's answer to the open question ``question_id``.
        :class:`BadAnswer` (wrong type or range), :class:`Closed` (not the open question,
        or revealed), :class:`Full` (a new student in a full class)."""

    def my_answer(self, code: str, session_id: str) -> float | str | None:
        """This session's answer to the open question, or None."""

    def tally(self, code: str, token: str | None) -> Tally:
        """Teacher: the open question's anonymous tally. :class:`NotTeacher`."""

    def reveal(self, code: str, token: str | None) -> None:
        """Teacher: show the answer; no more answers. :class:`NotTeacher`, :class:`Closed`
        (no question yet)."""

    def close(self, code: str, token: str | None) -> None:
        """Teacher: end the class and delete everything in it. :class:`NotTeacher`."""

    def ping(self) -> None:
        """Nothing, or :class:`StoreUnavailable` (a page can check before it starts)."""


# -- checks shared by both stores -----------------------------------------------------


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _token_hash(token: str) -> str:
    # Stores keep a hash, so a dump of Redis holds no usable teacher link.
    return hashlib.sha256(token.encode()).hexdigest()


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


def _question(
    question_id: object, kind: object, choices: object, answer: object, tolerance: object
) -> tuple[str, str, tuple[str, ...], float | str, float]:
    """The teacher's question, checked: (question_id, kind, choices, answer, tolerance)."""
    if not isinstance(question_id, str) or not _QUESTION_RE.fullmatch(question_id):
        raise ValueError("question_id: 1-64 letters, digits, '_', '.', ':' or '-'")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    tol = _number(tolerance)
    if kind == "number":
        if choices:
            raise ValueError("a number question has no choices")
        number = _number(answer)
        if number is None or tol is None or tol < 0:
            raise ValueError("a number question needs a finite answer and tolerance >= 0")
        return question_id, kind, (), number, tol
    if isinstance(choices, str) or not isinstance(choices, tuple | list):
        raise ValueError("choices must be a tuple of strings")
    options = tuple(choices)
    if not 2 <= len(options) <= MAX_CHOICES or len(set(options)) != len(options):
        raise ValueError(f"2 to {MAX_CHOICES} different choices")
    for c in options:
        if (
            not isinstance(c, str)
            or not 1 <= len(c) <= MAX_CHOICE_CHARS
            or not c.isprintable()
            or not c.strip()
        ):
            raise ValueError(f"each choice: 1-{MAX_CHOICE_CHARS} printable characters")
    if answer not in options:
        raise ValueError("the answer must be one of the choices")
    if tol != 0:
        raise ValueError("a choice question has no tolerance")
    return question_id, kind, options, answer, 0.0  # type: ignore[return-value]


def _checked_answer(poll: Poll | None, question_id: str, value: object) -> float | str:
    """``value`` as stored for the open ``poll``; Closed or BadAnswer otherwise."""
    if poll is None or poll.question_id != question_id:
        raise Closed("that question is no longer open")
    if poll.revealed:
        raise Closed("the answer has been revealed")
    if poll.kind == "number":
        number = _number(value)
        if number is None:
            raise BadAnswer(f"the answer must be a finite number within ±{MAX_NUMBER:g}")
        return number
    if not isinstance(value, str) or value not in poll.choices:
        raise BadAnswer("the answer must be one of the choices")
    return value


def _correct(poll: Poll, value: float | str) -> bool:
    if poll.kind == "number":
        return abs(value - poll.answer) <= poll.tolerance  # type: ignore[operator]
    return value == poll.answer


def _tally(poll: Poll | None, answers: list[float | str], n_students: int) -> Tally:
    if poll is None:
        return Tally(None, n_students=n_students)
    if poll.kind == "number":
        values = tuple(sorted(v for v in answers if isinstance(v, float)))
        return Tally(
            poll,
            values=values,
            n_answers=len(values),
            n_students=n_students,
            n_correct=sum(_correct(poll, v) for v in values),
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


# -- one process: in memory -----------------------------------------------------------


@dataclass
class _Class:
    token_hash: str
    expires: float
    poll: Poll | None = None  # with the answer: students get _student_view(poll)
    students: set[str] = field(default_factory=set)
    answers: dict[str, float | str] = field(default_factory=dict)


class MemoryStore:
    """Classes in this process's memory: the default, lost on restart.

    Thread-safe (Streamlit runs each session's script in its own thread). Expiry is
    lazy: a class idle for ``ttl`` seconds is gone when next looked up, and each call
    also drops up to :data:`SWEEP` of the longest-idle expired classes, so abandoned
    classes do not pile up. ``clock`` (seconds, monotonic) is for tests.

    >>> now = [0.0]
    >>> store = MemoryStore(ttl=60, clock=lambda: now[0])
    >>> code, token = store.open_class()
    >>> now[0] = 59.0; store.exists(code)
    True
    >>> store.join(code, new_session_id())  # a write: another 60 s from now
    1
    >>> now[0] = 118.0; store.exists(code)
    True
    >>> now[0] = 120.0; store.exists(code)
    False
    """

    SWEEP = 16  # expired classes dropped per call at most: each call's cost stays bounded

    def __init__(
        self,
        *,
        ttl: float = IDLE_TTL,
        clock: Callable[[], float] = time.monotonic,
        max_classes: int = MAX_CLASSES,
        max_students: int = MAX_STUDENTS,
        max_questions: int = MAX_QUESTIONS,
    ) -> None:
        self.ttl, self.clock = ttl, clock
        self.max_classes, self.max_students = max_classes, max_students
        self.max_questions = max_questions
        self._lock = threading.Lock()
        # Least recently written first, so the sweep looks only at the front.
        self._classes: OrderedDict[str, _Class] = OrderedDict()

    def __len__(self) -> int:
        """How many classes are held (expired ones not yet dropped included)."""
        return len(self._classes)

    # Callers hold self._lock.
    def _sweep(self, now: float) -> None:
        for _ in range(self.SWEEP):
            if not self._classes:
                return
            code, cls = next(iter(self._classes.items()))
            if cls.expires > now:
                return
            del self._classes[code]

    def _get(self, code: object) -> _Class:
        now = self.clock()
        self._sweep(now)
        cls = self._classes.get(_valid_code(code))
        if cls is None:
            raise NoSuchClass("no such class")
        if cls.expires <= now:
            del self._classes[code]  # type: ignore[arg-type]
            raise NoSuchClass("no such class")
        return cls

    def _teacher(self, code: object, token: object) -> _Class:
        cls = self._get(code)
        if not _token_matches(cls.token_hash, token):
            raise NotTeacher("only the teacher can do that")
        return cls

    def _touch(self, code: str, cls: _Class) -> None:
        cls.expires = self.clock() + self.ttl
        self._classes.move_to_end(code)

    def _enrol(self, cls: _Class, session_id: str) -> None:
        if session_id not in cls.students:
            if len(cls.students) >= self.max_students:
                raise Full(f"the class is full ({self.max_students} students)")
            cls.students.add(session_id)

    def open_class(self) -> tuple[str, str]:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        with self._lock:
            now = self.clock()
            # Classes are ordered by expiry, so if any has expired the sweep drops it
            # and the cap counts live classes only.
            self._sweep(now)
            if len(self._classes) >= self.max_classes:
                raise Full(f"too many open classes ({self.max_classes}); try again later")
            code = _new_code()
            while code in self._classes:
                code = _new_code()
            self._classes[code] = _Class(_token_hash(token), now + self.ttl)
        return code, token

    def exists(self, code: str) -> bool:
        try:
            with self._lock:
                self._get(code)
        except NoSuchClass:
            return False
        return True

    def is_teacher(self, code: str, token: str | None) -> bool:
        try:
            with self._lock:
                self._teacher(code, token)
        except (NoSuchClass, NotTeacher):
            return False
        return True

    def join(self, code: str, session_id: str) -> int:
        session_id = _valid_session(session_id)
        with self._lock:
            cls = self._get(code)
            self._enrol(cls, session_id)
            self._touch(code, cls)
            return len(cls.students)

    def ask(
        self,
        code: str,
        token: str | None,
        question_id: str,
        kind: str,
        choices: tuple[str, ...],
        answer: float | str,
        tolerance: float = 0.0,
    ) -> Poll:
        qid, kind, choices, answer, tolerance = _question(
            question_id, kind, choices, answer, tolerance
        )
        with self._lock:
            cls = self._teacher(code, token)
            seq = cls.poll.seq if cls.poll else 0
            if seq >= self.max_questions:
                raise Full(f"this class has had {self.max_questions} questions: open a new one")
            cls.poll = Poll(seq + 1, qid, kind, choices, False, answer, tolerance)
            cls.answers.clear()
            self._touch(code, cls)
            return _student_view(cls.poll)

    def current(self, code: str) -> Poll | None:
        with self._lock:
            poll = self._get(code).poll
        return None if poll is None else _student_view(poll)

    def answer(self, code: str, session_id: str, question_id: str, value: object) -> None:
        session_id = _valid_session(session_id)
        with self._lock:
            cls = self._get(code)
            stored = _checked_answer(cls.poll, question_id, value)
            self._enrol(cls, session_id)
            cls.answers[session_id] = stored
            self._touch(code, cls)

    def my_answer(self, code: str, session_id: str) -> float | str | None:
        session_id = _valid_session(session_id)
        with self._lock:
            return self._get(code).answers.get(session_id)

    def tally(self, code: str, token: str | None) -> Tally:
        with self._lock:
            cls = self._teacher(code, token)
            return _tally(cls.poll, list(cls.answers.values()), len(cls.students))

    def reveal(self, code: str, token: str | None) -> None:
        with self._lock:
            cls = self._teacher(code, token)
            if cls.poll is None:
                raise Closed("no question to reveal")
            cls.poll = replace(cls.poll, revealed=True)
            self._touch(code, cls)

    def close(self, code: str, token: str | None) -> None:
        with self._lock:
            self._teacher(code, token)
            del self._classes[code]

    def ping(self) -> None:
        return None


def _token_matches(token_hash: str | None, token: object) -> bool:
    """Constant-time comparison of a stored hash with a presented token's."""
    if not isinstance(token, str) or token_hash is None or parse_token(token) != token:
        return False
    return hmac.compare_digest(token_hash, _token_hash(token))


# -- shared: Redis --------------------------------------------------------------------

# Every script gets KEYS = the class's meta hash, students set, answers hash and the
# store's registry of classes (a sorted set: code -> expiry in ms), and ARGV[1] = the
# code, ARGV[2] = the idle TTL in ms. A script runs atomically in Redis, so caps hold
# and no write lands on a class that a concurrent close removed. Scripts use Redis's own
# clock (TIME), so replicas with skewed clocks agree on expiry.
_LUA_PRELUDE = """
local meta, students, answers, registry = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local code, ttl = ARGV[1], tonumber(ARGV[2])
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function touch()
  redis.call('PEXPIRE', meta, ttl)
  redis.call('PEXPIRE', students, ttl)
  redis.call('PEXPIRE', answers, ttl)
  redis.call('ZADD', registry, now_ms() + ttl, code)
  redis.call('PEXPIRE', registry, ttl)
end
local function enrol(session, cap)
  if redis.call('SISMEMBER', students, session) == 0 then
    if redis.call('SCARD', students) >= cap then return false end
    redis.call('SADD', students, session)
  end
  return true
end
"""
# Return codes shared by the scripts.
_OK, _NO_CLASS, _NOT_TEACHER, _FULL, _CLOSED, _TAKEN = 1, 0, -1, -2, -3, -4

_LUA_OPEN = """
redis.call('ZREMRANGEBYSCORE', registry, '-inf', now_ms())
if redis.call('EXISTS', meta) == 1 then return -4 end
if redis.call('ZCARD', registry) >= tonumber(ARGV[4]) then return -2 end
redis.call('DEL', students, answers)
redis.call('HSET', meta, 'token', ARGV[3], 'seq', 0)
touch()
return 1
"""
_LUA_TEACHER = """
if redis.call('EXISTS', meta) == 0 then return 0 end
if redis.call('HGET', meta, 'token') ~= ARGV[3] then return -1 end
"""
_LUA_ASK = (
    _LUA_TEACHER
    + """
local seq = tonumber(redis.call('HGET', meta, 'seq'))
if seq >= tonumber(ARGV[4]) then return -2 end
redis.call('HSET', meta, 'seq', seq + 1, 'poll', ARGV[5], 'revealed', 0)
redis.call('DEL', answers)
touch()
return seq + 1
"""
)
_LUA_REVEAL = (
    _LUA_TEACHER
    + """
if tonumber(redis.call('HGET', meta, 'seq')) == 0 then return -3 end
redis.call('HSET', meta, 'revealed', 1)
touch()
return 1
"""
)
_LUA_CLOSE = (
    _LUA_TEACHER
    + """
redis.call('DEL', meta, students, answers)
redis.call('ZREM', registry, code)
return 1
"""
)
_LUA_JOIN = """
if redis.call('EXISTS', meta) == 0 then return 0 end
if not enrol(ARGV[3], tonumber(ARGV[4])) then return -2 end
touch()
return redis.call('SCARD', students)
"""
# ARGV[5] = the seq the answer was checked against: a question asked (or revealed) in
# between makes the answer land nowhere.
_LUA_ANSWER = """
if redis.call('EXISTS', meta) == 0 then return 0 end
local m = redis.call('HMGET', meta, 'seq', 'revealed')
if m[1] ~= ARGV[5] or m[2] == '1' then return -3 end
if not enrol(ARGV[3], tonumber(ARGV[4])) then return -2 end
redis.call('HSET', answers, ARGV[3], ARGV[6])
touch()
return 1
"""


def _dump_poll(poll: Poll) -> str:
    return json.dumps(
        [poll.question_id, poll.kind, list(poll.choices), poll.answer, poll.tolerance]
    )


def _load_poll(seq: str | None, text: str | None, revealed: str | None) -> Poll | None:
    if not text or not seq:
        return None
    qid, kind, choices, answer, tolerance = json.loads(text)
    return Poll(int(seq), qid, kind, tuple(choices), revealed == "1", answer, tolerance)


class RedisStore:
    """Classes in Redis, shared by every app process that uses the same ``url``.

    Keys, all with a TTL that every write renews (``ttl`` seconds, fractions allowed):
    ``{prefix}class:{code}:meta`` (a hash: the token's SHA-256, the question count and
    the open question as JSON), ``...:students`` (a set of session ids) and
    ``...:answers`` (a hash: session id -> the answer as JSON), plus one registry,
    ``{prefix}classes`` (a sorted set: code -> expiry), for the cap on open classes.
    Writes are Lua scripts, atomic in Redis. A lost connection raises
    :class:`StoreUnavailable` (after redis-py's own retries).
    """

    def __init__(
        self,
        url: str,
        *,
        ttl: float = IDLE_TTL,
        prefix: str = "relulab:",
        max_classes: int = MAX_CLASSES,
        max_students: int = MAX_STUDENTS,
        max_questions: int = MAX_QUESTIONS,
        timeout: float = 5.0,
    ) -> None:
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
        self.ttl_ms = max(1, round(ttl * 1000))
        self.prefix = prefix
        self.max_classes, self.max_students = max_classes, max_students
        self.max_questions = max_questions
        self._scripts = {
            name: self.client.register_script(_LUA_PRELUDE + body)
            for name, body in [
                ("open", _LUA_OPEN),
                ("ask", _LUA_ASK),
                ("reveal", _LUA_REVEAL),
                ("close", _LUA_CLOSE),
                ("join", _LUA_JOIN),
                ("answer", _LUA_ANSWER),
            ]
        }

    def _keys(self, code: str) -> list[str]:
        base = f"{self.prefix}class:{code}:"
        return [base + "meta", base + "students", base + "answers", self.prefix + "classes"]

    def _call(self, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except self._errors as e:
            raise StoreUnavailable("the class store (Redis) cannot be reached") from e

    def _run(self, name: str, code: str, *args: object) -> int:
        keys = self._keys(code)
        result = self._call(lambda: self._scripts[name](keys, [code, self.ttl_ms, *args]))
        result = int(result)
        if result == _NO_CLASS:
            raise NoSuchClass("no such class")
        if result == _NOT_TEACHER:
            raise NotTeacher("only the teacher can do that")
        return result

    def _meta(self, code: str) -> dict[str, str]:
        meta = self._call(lambda: self.client.hgetall(self._keys(code)[0]))
        if not meta:
            raise NoSuchClass("no such class")
        return meta

    @staticmethod
    def _token_arg(token: object) -> str:
        # A malformed token cannot match any stored hash: pass something that never does.
        return _token_hash(token) if isinstance(token, str) and parse_token(token) else "-"

    def open_class(self) -> tuple[str, str]:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        for _ in range(20):  # a code in use is retried; 20 in a row means something is off
            code = _new_code()
            result = self._run("open", code, _token_hash(token), self.max_classes)
            if result == _FULL:
                raise Full(f"too many open classes ({self.max_classes}); try again later")
            if result == _OK:
                return code, token
        raise RuntimeError("no free class code found")

    def exists(self, code: str) -> bool:
        try:
            key = self._keys(_valid_code(code))[0]
        except NoSuchClass:
            return False
        return bool(self._call(lambda: self.client.exists(key)))

    def is_teacher(self, code: str, token: str | None) -> bool:
        try:
            meta = self._meta(_valid_code(code))
        except NoSuchClass:
            return False
        return _token_matches(meta.get("token"), token)

    def join(self, code: str, session_id: str) -> int:
        session_id = _valid_session(session_id)
        result = self._run("join", _valid_code(code), session_id, self.max_students)
        if result == _FULL:
            raise Full(f"the class is full ({self.max_students} students)")
        return result

    def ask(
        self,
        code: str,
        token: str | None,
        question_id: str,
        kind: str,
        choices: tuple[str, ...],
        answer: float | str,
        tolerance: float = 0.0,
    ) -> Poll:
        qid, kind, choices, answer, tolerance = _question(
            question_id, kind, choices, answer, tolerance
        )
        poll = Poll(0, qid, kind, choices, False, answer, tolerance)
        args = (self._token_arg(token), self.max_questions, _dump_poll(poll))
        seq = self._run("ask", _valid_code(code), *args)
        if seq == _FULL:
            raise Full(f"this class has had {self.max_questions} questions: open a new one")
        return _student_view(replace(poll, seq=seq))

    def _poll(self, meta: Mapping[str, str]) -> Poll | None:
        return _load_poll(meta.get("seq"), meta.get("poll"), meta.get("revealed"))

    def current(self, code: str) -> Poll | None:
        poll = self._poll(self._meta(_valid_code(code)))
        return None if poll is None else _student_view(poll)

    def answer(self, code: str, session_id: str, question_id: str, value: object) -> None:
        session_id = _valid_session(session_id)
        poll = self._poll(self._meta(_valid_code(code)))
        stored = json.dumps(_checked_answer(poll, question_id, value))
        args = (session_id, self.max_students, str(poll.seq), stored)  # type: ignore[union-attr]
        result = self._run("answer", code, *args)
        if result == _CLOSED:
            raise Closed("that question is no longer open")
        if result == _FULL:
            raise Full(f"the class is full ({self.max_students} students)")

    def my_answer(self, code: str, session_id: str) -> float | str | None:
        session_id = _valid_session(session_id)
        keys = self._keys(_valid_code(code))

        def read() -> list:
            pipe = self.client.pipeline()  # MULTI/EXEC: one consistent read
            pipe.exists(keys[0])
            pipe.hget(keys[2], session_id)
            return pipe.execute()

        found, value = self._call(read)
        if not found:
            raise NoSuchClass("no such class")
        return None if value is None else json.loads(value)

    def tally(self, code: str, token: str | None) -> Tally:
        keys = self._keys(_valid_code(code))

        def read() -> list:
            pipe = self.client.pipeline()
            pipe.hgetall(keys[0])
            pipe.hvals(keys[2])
            pipe.scard(keys[1])
            return pipe.execute()

        meta, raw, n_students = self._call(read)
        if not meta:
            raise NoSuchClass("no such class")
        if not _token_matches(meta.get("token"), token):
            raise NotTeacher("only the teacher can do that")
        poll = self._poll(meta)
        answers = [json.loads(v) for v in raw]
        if poll is not None and poll.kind == "number":
            answers = [float(v) for v in answers]
        return _tally(poll, answers, int(n_students))

    def reveal(self, code: str, token: str | None) -> None:
        if self._run("reveal", _valid_code(code), self._token_arg(token)) == _CLOSED:
            raise Closed("no question to reveal")

    def close(self, code: str, token: str | None) -> None:
        self._run("close", _valid_code(code), self._token_arg(token))

    def ping(self) -> None:
        self._call(self.client.ping)


# -- choosing a store -----------------------------------------------------------------

REDIS_SCHEMES = ("redis", "rediss", "unix")
_memory: MemoryStore | None = None
_redis: dict[str, RedisStore] = {}
_choose = threading.Lock()


def store_from_env(environ: Mapping[str, str] = os.environ) -> Store:
    """The process's store: a :class:`RedisStore` when ``RELULAB_REDIS_URL`` is set
    (``redis://``, ``rediss://`` or ``unix://``), else one process-wide
    :class:`MemoryStore`. The same object comes back on every call (one connection pool
    per process). Connecting happens on first use, which may raise
    :class:`StoreUnavailable`.

    >>> store_from_env({}) is store_from_env({})
    True
    >>> store_from_env({"RELULAB_REDIS_URL": "http://example.org"})
    Traceback (most recent call last):
        ...
    ValueError: RELULAB_REDIS_URL must start with redis://, rediss:// or unix://
    """
    global _memory
    url = environ.get("RELULAB_REDIS_URL", "").strip()
    with _choose:
        if not url:
            if _memory is None:
                _memory = MemoryStore()
            return _memory
        # The message never repeats the URL: it may hold a password.
        if urllib.parse.urlsplit(url).scheme.lower() not in REDIS_SCHEMES:
            raise ValueError("RELULAB_REDIS_URL must start with redis://, rediss:// or unix://")
        if url not in _redis:
            _redis[url] = RedisStore(url)
        return _redis[url]
