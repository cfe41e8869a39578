"""The class poll's store (relulab_app.classroom): the same behavioural tests run against a
real SQLite file and against a real redis-server (the ``store`` and ``backend`` fixtures
are parametrized over both), so the Redis path is proven by what a class does, not by a
unit test alone. Hypothesis fuzzes the class code, token and answer inputs (200 cases in
`make test`; `make fuzz` runs 10,000). Redis-only checks (key TTLs, replicas, a restart,
an unreachable server) are in tests/test_classroom_redis.py."""

from __future__ import annotations

import math
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relulab_app import classroom
from relulab_app.classroom import (
    CODE_ALPHABET,
    BadAnswer,
    Closed,
    Ended,
    Full,
    NoSuchClass,
    NotTeacher,
    RedisStore,
    SqliteStore,
    new_session_id,
    parse_code,
    parse_session,
    parse_token,
    read_code,
    read_token,
)

EXAMPLES = int(os.environ.get("RELULAB_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize="RELULAB_FUZZ_EXAMPLES" not in os.environ,  # `make test`: the same cases
)


class Backend:
    """Makes stores of one kind; ``wait`` lets time pass (a fake clock for SQLite, real
    seconds for Redis, whose keys expire on the server's clock). Every store a backend
    makes shares its data (one file; one Redis), as the processes of a server do."""

    def __init__(self, name: str, url: str) -> None:
        self.name, self.url, self.now = name, url, 1_700_000_000.0

    def make(self, **kw):
        if self.name == "sqlite":
            return SqliteStore(self.url, clock=lambda: self.now, **kw)
        return RedisStore(self.url, **kw)

    def wait(self, seconds: float) -> None:
        if self.name == "sqlite":
            self.now += seconds
        else:
            time.sleep(seconds)


@pytest.fixture(params=["sqlite", "redis"])
def backend(request, tmp_path) -> Backend:
    if request.param == "sqlite":
        return Backend("sqlite", str(tmp_path / "classes.sqlite3"))
    url = request.getfixturevalue("redis_server")
    import redis

    with redis.Redis.from_url(url) as client:
        client.flushdb()  # each test starts with an empty Redis
    return Backend("redis", url)


@pytest.fixture
def store(backend):
    return backend.make()


@pytest.fixture
def choice_class(store):
    """An open class with a choice question asked: (store, code, token)."""
    code, token = store.open_class()
    store.ask(code, token, "relu-dash-0", "choice", ("0", "1", "leak"), "leak")
    return store, code, token


def other_code(*codes: str) -> str:
    """A valid class code that is none of ``codes``."""
    for c in CODE_ALPHABET:
        code = c * 6
        if code not in codes:
            return code
    raise AssertionError


# -- parsing URL values ---------------------------------------------------------------


def test_codes_read_off_a_projector():
    assert set(CODE_ALPHABET).isdisjoint("0O1IL")
    assert parse_code("k7mx3p") == parse_code(" K7M X3P ") == parse_code("k7m-x3p") == "K7MX3P"
    for bad in ["", "K7MX3", "K7MX3PP", "K7MX3O", "K7MX31", "K7MX3L", "ｋ７ｍｘ３ｐ", "K7MX3P\x00"]:
        assert parse_code(bad) is None, bad


@FUZZ
@given(st.one_of(st.text(), st.binary(), st.none(), st.integers(), st.floats()))
def test_fuzz_any_code_token_or_session_text_parses_to_a_valid_value_or_none(text):
    code, token, session = parse_code(text), parse_token(text), parse_session(text)
    assert code is None or (len(code) == 6 and set(code) <= set(CODE_ALPHABET))
    assert token is None or (len(token) == 32 and token.isascii())
    assert session is None or session == text
    for read in (read_code, read_token):
        value, notice = read([text] if isinstance(text, str) else [])
        assert (value is None) or notice is None
        assert notice in (None, classroom.CODE_NOTICE, classroom.TOKEN_NOTICE)  # no echo


def test_hostile_link_values_get_a_notice_that_does_not_echo_them():
    for raw in (["<script>alert(1)</script>"], ["K7MX3P", "K7MX3Q"], ["**x**"]):
        code, notice = read_code(raw)
        assert code is None and notice == classroom.CODE_NOTICE
        token, notice = read_token(raw)
        assert token is None and notice == classroom.TOKEN_NOTICE


def test_tokens_and_session_ids_are_fresh_and_well_formed():
    store = SqliteStore(":memory:")
    tokens = {store.open_class()[1] for _ in range(50)}
    assert len(tokens) == 50 and all(parse_token(t) == t for t in tokens)
    sessions = {new_session_id() for _ in range(50)}
    assert len(sessions) == 50 and all(parse_session(s) == s for s in sessions)


# -- a class, on both backends --------------------------------------------------------


def test_open_gives_a_code_and_a_separate_teacher_token(store):
    code, token = store.open_class()
    assert parse_code(code) == code and parse_token(token) == token
    assert store.exists(code) and store.is_teacher(code, token)
    assert store.current(code) is None  # no question yet
    tally = store.tally(code, token)
    assert tally.poll is None and tally.n_students == 0
    code2, token2 = store.open_class()
    assert code2 != code and token2 != token
    assert not store.is_teacher(code, token2) and not store.is_teacher(code2, token)


def test_a_teacher_and_three_students(choice_class):
    store, code, token = choice_class
    ann, bob, cat = (new_session_id() for _ in range(3))
    assert [store.join(code, s) for s in (ann, bob, cat)] == [1, 2, 3]
    assert store.join(code, ann) == 3  # joining again counts once

    poll = store.current(code)  # what every student sees
    assert (poll.seq, poll.question_id, poll.kind) == (1, "relu-dash-0", "choice")
    assert poll.choices == ("0", "1", "leak") and not poll.revealed
    assert poll.answer is None and poll.tolerance is None

    store.answer(code, ann, "relu-dash-0", "1")
    store.answer(code, bob, "relu-dash-0", "leak")
    assert store.my_answer(code, ann) == "1" and store.my_answer(code, cat) is None
    store.answer(code, ann, "relu-dash-0", "leak")  # changeable until the reveal
    assert store.my_answer(code, ann) == "leak"
    tally = store.tally(code, token)
    assert tally.counts == (0, 0, 2) and tally.values == ()
    assert (tally.n_answers, tally.n_students, tally.n_correct) == (2, 3, 2)
    assert tally.poll.answer == "leak"  # the teacher sees it before the reveal

    store.answer(code, cat, "relu-dash-0", "0")
    store.reveal(code, token)
    poll = store.current(code)
    assert poll.revealed and poll.answer == "leak"
    for s in (ann, cat):
        with pytest.raises(Closed):
            store.answer(code, s, "relu-dash-0", "1")
    tally = store.tally(code, token)
    assert tally.counts == (1, 0, 2) and tally.n_correct == 2 and tally.poll.revealed
    store.reveal(code, token)  # twice is harmless


def test_a_number_question_gives_the_numbers_for_a_histogram(store):
    code, token = store.open_class()
    poll = store.ask(code, token, "relu-at-2.5", "number", (), 2.5, 0.05)
    assert poll.kind == "number" and poll.choices == () and poll.answer is None
    answers = [2.5, 2.52, 0.0, -1e9, 2.5, 7]  # an int is a number too
    sessions = [new_session_id() for _ in answers]
    for s, v in zip(sessions, answers, strict=True):
        store.answer(code, s, "relu-at-2.5", v)
    tally = store.tally(code, token)
    assert tally.values == (-1e9, 0.0, 2.5, 2.5, 2.52, 7.0) and tally.counts == ()
    assert all(type(v) is float for v in tally.values)
    assert (tally.n_answers, tally.n_students, tally.n_correct) == (6, 6, 3)
    store.reveal(code, token)
    assert (store.current(code).answer, store.current(code).tolerance) == (2.5, 0.05)


def test_a_new_question_starts_empty_and_old_answers_go_nowhere(choice_class):
    store, code, token = choice_class
    ann = new_session_id()
    store.answer(code, ann, "relu-dash-0", "1")
    poll = store.ask(code, token, "relu-at-2", "number", (), 2.0)
    assert poll.seq == 2 and store.current(code).question_id == "relu-at-2"
    assert store.my_answer(code, ann) is None
    tally = store.tally(code, token)
    assert tally.n_answers == 0 and tally.n_students == 1  # students stay joined
    with pytest.raises(Closed):  # a page still showing the old question
        store.answer(code, ann, "relu-dash-0", "1")
    # The same question again is a new poll: a new seq, no answers carried over.
    store.answer(code, ann, "relu-at-2", 2.0)
    assert store.ask(code, token, "relu-at-2", "number", (), 2.0).seq == 3
    assert store.tally(code, token).n_answers == 0


def test_nothing_to_answer_or_reveal_before_a_question(store):
    code, token = store.open_class()
    with pytest.raises(Closed):
        store.answer(code, new_session_id(), "q", 1.0)
    with pytest.raises(Closed):
        store.reveal(code, token)


WRONG_FOR_NUMBERS = ["1", "2.5", "", True, False, None, math.nan, math.inf, -math.inf, 1e10,
                     -1.0000001e9, 10**400, 1j, [1.0], (1.0,), {"v": 1}, b"1",
                     object()]  # fmt: skip
WRONG_FOR_CHOICES = ["LEAK", " leak", "leak ", "2", "", 0, 1, 1.0, None, True, ["leak"],
                     ("leak",), b"leak", "<b>leak</b>"]  # fmt: skip


@pytest.mark.parametrize("value", WRONG_FOR_NUMBERS, ids=repr)
def test_a_number_question_refuses_anything_but_a_finite_number_in_range(store, value):
    code, token = store.open_class()
    store.ask(code, token, "q", "number", (), 1.0)
    with pytest.raises(BadAnswer):
        store.answer(code, new_session_id(), "q", value)
    assert store.tally(code, token).n_answers == 0


@pytest.mark.parametrize("value", WRONG_FOR_CHOICES, ids=repr)
def test_a_choice_question_refuses_anything_but_a_choice(choice_class, value):
    store, code, token = choice_class
    with pytest.raises(BadAnswer):
        store.answer(code, new_session_id(), "relu-dash-0", value)
    assert store.tally(code, token).n_answers == 0


BAD_TOKENS = [None, "", "x" * 32, "<script>", " " * 32, 32]


def test_a_student_cannot_teach(choice_class):
    store, code, token = choice_class
    other_token = store.open_class()[1]
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in [*BAD_TOKENS, other_token, flipped, token.lower() if token != token.lower() else 0]:
        assert not store.is_teacher(code, bad)
        with pytest.raises(NotTeacher):
            store.ask(code, bad, "q", "number", (), 1.0)
        with pytest.raises(NotTeacher):
            store.reveal(code, bad)
        with pytest.raises(NotTeacher):
            store.close(code, bad)
        with pytest.raises(NotTeacher):
            store.tally(code, bad)
        with pytest.raises(NotTeacher):
            store.lock(code, bad)
        with pytest.raises(NotTeacher):
            store.results(code, bad)
    poll = store.current(code)
    assert store.exists(code) and poll.seq == 1 and not poll.revealed


def test_another_class_code_gives_nothing(store):
    code, token = store.open_class()
    s = new_session_id()
    for bad in [other_code(code), code.lower(), "", "<b>", "K7MX3P:meta", "*", None, 7]:
        assert not store.exists(bad) and not store.is_teacher(bad, token)
        assert store.status(bad) is None  # "no such class", not "ended"
        for call in [
            lambda c: store.current(c),
            lambda c: store.join(c, s),
            lambda c: store.answer(c, s, "q", 1.0),
            lambda c: store.my_answer(c, s),
            lambda c: store.tally(c, token),
            lambda c: store.ask(c, token, "q", "number", (), 1.0),
            lambda c: store.reveal(c, token),
            lambda c: store.lock(c, token),
            lambda c: store.results(c, token),
            lambda c: store.close(c, token),
        ]:
            with pytest.raises(NoSuchClass):
                call(bad)
    assert store.exists(code) and store.tally(code, token).n_students == 0


def test_a_closed_class_has_ended_for_everyone_and_keeps_its_results(choice_class):
    store, code, token = choice_class
    s = new_session_id()
    store.answer(code, s, "relu-dash-0", "1")
    store.close(code, token)
    assert not store.exists(code) and store.status(code) == "ended"
    for call in [
        lambda: store.current(code),
        lambda: store.answer(code, s, "relu-dash-0", "0"),
        lambda: store.join(code, new_session_id()),
        lambda: store.ask(code, token, "q", "number", (), 1.0),
        lambda: store.close(code, token),
    ]:
        with pytest.raises(Ended):
            call()
    # The teacher still has the results, until the class expires.
    assert store.is_teacher(code, token)
    (result,) = store.results(code, token)
    assert result.counts == (0, 1, 0) and result.poll.answer == "leak"


def test_the_page_own_arguments_are_checked(store):
    code, token = store.open_class()
    for args in [
        ("q", "text", (), "x", 0.0),  # no free-text questions
        ("q", "number", ("a", "b"), 1.0, 0.0),
        ("q", "number", (), math.nan, 0.0),
        ("q", "number", (), 1.0, -0.1),
        ("q", "number", (), "1", 0.0),
        ("q", "choice", ("a",), "a", 0.0),  # one choice is no question
        ("q", "choice", ("a", "a"), "a", 0.0),
        ("q", "choice", ("a", "b"), "c", 0.0),
        ("q", "choice", ("a", "b"), "a", 0.5),
        ("q", "choice", "ab", "a", 0.0),
        ("q", "choice", tuple("abcdefghi"), "a", 0.0),  # more than MAX_CHOICES
        ("q", "choice", ("a", "x" * 41), "a", 0.0),
        ("q", "choice", ("a", "b\nc"), "a", 0.0),
        ("q", "choice", ("a", " "), "a", 0.0),
        ("", "number", (), 1.0, 0.0),
        ("q q", "number", (), 1.0, 0.0),
        ("q" * 65, "number", (), 1.0, 0.0),
    ]:
        with pytest.raises(ValueError):
            store.ask(code, token, *args)
    assert store.current(code) is None
    for bad in ["", "abc", "G" * 32, None, 1]:
        with pytest.raises(ValueError):
            store.join(code, bad)
        with pytest.raises(ValueError):
            store.answer(code, bad, "q", 1.0)


# -- caps and expiry ------------------------------------------------------------------


def test_caps_on_classes_students_and_questions(backend):
    store = backend.make(max_classes=3, max_students=2, max_questions=2)
    classes = [store.open_class() for _ in range(3)]
    with pytest.raises(Full):
        store.open_class()
    store.close(*classes[0])
    with pytest.raises(Full):  # an ended class keeps its results, and its place, until it expires
        store.open_class()
    store = backend.make(max_classes=4, max_students=2, max_questions=2)
    code, token = store.open_class()

    ann, bob, cat = (new_session_id() for _ in range(3))
    assert store.join(code, ann) == 1
    store.ask(code, token, "q1", "number", (), 1.0)
    store.answer(code, bob, "q1", 1.0)  # answering joins
    with pytest.raises(Full):
        store.join(code, cat)
    with pytest.raises(Full):
        store.answer(code, cat, "q1", 1.0)
    assert store.join(code, ann) == 2  # the joined still can
    store.answer(code, ann, "q1", 2.0)
    assert store.tally(code, token).n_answers == 2

    store.ask(code, token, "q2", "number", (), 1.0)
    with pytest.raises(Full):
        store.ask(code, token, "q3", "number", (), 1.0)
    assert store.current(code).question_id == "q2"


def test_caps_stated_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert classroom.MAX_ANSWERS == classroom.MAX_STUDENTS
    for stated in [
        f"{classroom.MAX_CLASSES} open classes",
        f"{classroom.MAX_STUDENTS} students per class",
        f"{classroom.MAX_QUESTIONS} questions per class",
        f"{classroom.IDLE_TTL // 3600} hours",
    ]:
        assert stated in readme


def test_a_class_expires_after_its_idle_time_and_writes_renew_it(backend):
    store = backend.make(ttl=1.0, max_classes=1)
    code, token = store.open_class()
    s = new_session_id()
    backend.wait(0.6)
    store.join(code, s)  # a write: 1 s from now
    backend.wait(0.6)
    assert store.exists(code)  # 1.2 s after opening
    store.current(code), store.tally(code, token)  # reads do not renew
    backend.wait(0.6)
    assert not store.exists(code)
    with pytest.raises(NoSuchClass):
        store.answer(code, s, "q", 1.0)
    code2, _ = store.open_class()  # the expired class no longer counts against the cap
    assert store.exists(code2)


def test_every_write_renews_a_class(backend):
    store = backend.make(ttl=1.0)
    code, token = store.open_class()
    s = new_session_id()
    writes = [
        lambda: store.ask(code, token, "q", "number", (), 1.0),
        lambda: store.join(code, s),
        lambda: store.answer(code, s, "q", 1.0),
        lambda: store.reveal(code, token),
    ]
    for write in writes:
        backend.wait(0.6)
        write()
    backend.wait(0.6)
    assert store.exists(code) and store.tally(code, token).n_answers == 1


# -- fuzz: hostile codes, tokens and answers on both backends -------------------------

ANY_VALUE = st.one_of(
    st.text(max_size=50),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.booleans(),
    st.none(),
    st.binary(max_size=10),
    st.lists(st.floats(), max_size=3),
    st.sampled_from(["0", "1", "leak", "LEAK", "<script>alert(1)</script>", "**x**", "1e999"]),
)


@FUZZ
@given(code=st.text(max_size=40), token=st.one_of(st.none(), st.text(max_size=40)))
def test_fuzz_codes_and_tokens_never_reach_a_class(choice_class, code, token):
    store, real_code, real_token = choice_class
    s = new_session_id()
    if code != real_code:
        assert not store.exists(code)
        with pytest.raises(NoSuchClass):
            store.current(code)
        with pytest.raises(NoSuchClass):
            store.answer(code, s, "relu-dash-0", "0")
    if token != real_token:
        assert not store.is_teacher(real_code, token)
        with pytest.raises(NotTeacher):
            store.reveal(real_code, token)
        with pytest.raises(NotTeacher):
            store.tally(real_code, token)
    assert not store.current(real_code).revealed


@FUZZ
@given(value=ANY_VALUE, kind=st.sampled_from(["number", "choice"]))
def test_fuzz_answers_are_numbers_or_choices_only(store, value, kind):
    code, token = store.open_class()
    if kind == "number":
        store.ask(code, token, "q", kind, (), 0.5, 0.1)
    else:
        store.ask(code, token, "q", kind, ("0", "1", "leak"), "leak")
    try:
        store.answer(code, new_session_id(), "q", value)
    except BadAnswer:
        accepted = False
    else:
        accepted = True
    tally = store.tally(code, token)
    assert tally.n_answers == int(accepted)
    if kind == "number":
        assert accepted == (type(value) in (int, float) and abs(value) <= 1e9), value
        assert all(type(v) is float for v in tally.values)
        if accepted:
            assert tally.values == (float(value),)
    else:
        assert accepted == (value in ("0", "1", "leak"))
        assert tally.values == () and sum(tally.counts) == int(accepted)
    store.close(code, token)


# -- the teacher leads: written questions, lock and reopen, a countdown, results ------


def test_a_written_question_keeps_its_text_and_choices(store):
    code, token = store.open_class()
    poll = store.ask(
        code, token, "own-1", "choice", ("Zero", "One", "The leak"), "The leak",
        prompt="  What is f′(0) of Leaky ReLU in PyTorch?  ",
    )  # fmt: skip
    assert poll.prompt == "What is f′(0) of Leaky ReLU in PyTorch?" and poll.answer is None
    assert store.current(code).choices == ("Zero", "One", "The leak")
    s = new_session_id()
    store.answer(code, s, "own-1", "The leak")
    assert store.tally(code, token).n_correct == 1


BAD_PROMPTS = ["   ", "\n", "x" * (classroom.MAX_PROMPT_CHARS + 1), "a\x00b", "bell\x07", 5]


@pytest.mark.parametrize("prompt", BAD_PROMPTS, ids=repr)
def test_a_written_question_beyond_the_limits_is_refused_with_a_reason(store, prompt):
    code, token = store.open_class()
    with pytest.raises(ValueError) as e:
        store.ask(code, token, "own-1", "number", (), 1.0, prompt=prompt)
    assert str(e.value) and "\x00" not in str(e.value)
    assert store.current(code) is None


@FUZZ
@given(
    prompt=st.text(max_size=400),
    choices=st.lists(st.text(max_size=50), min_size=0, max_size=10),
)
def test_fuzz_written_questions_are_kept_exactly_or_refused(store, prompt, choices):
    code, token = store.open_class()
    try:
        poll = store.ask(
            code, token, "own-1", "choice", tuple(choices), choices[0] if choices else "",
            prompt=prompt,
        )  # fmt: skip
    except ValueError:
        assert store.current(code) is None
        return
    assert poll.prompt == prompt.strip() and len(poll.prompt) <= classroom.MAX_PROMPT_CHARS
    assert poll.choices == tuple(choices) and 2 <= len(choices) <= classroom.MAX_CHOICES
    assert store.current(code) == poll


def test_locked_answers_are_refused_until_reopened(choice_class):
    store, code, token = choice_class
    s = new_session_id()
    store.answer(code, s, "relu-dash-0", "1")
    assert store.lock(code, token).locked
    with pytest.raises(Closed, match="locked"):
        store.answer(code, s, "relu-dash-0", "0")
    assert not store.lock(code, token, locked=False).locked
    store.answer(code, s, "relu-dash-0", "0")
    assert store.tally(code, token).counts == (1, 0, 0)
    store.reveal(code, token)
    with pytest.raises(Closed):
        store.lock(code, token, locked=False)  # a revealed question stays closed


def test_nothing_to_lock_before_a_question(store):
    code, token = store.open_class()
    with pytest.raises(Closed):
        store.lock(code, token)


def test_a_countdown_closes_answers_at_its_deadline(backend):
    store = backend.make()
    code, token = store.open_class()
    poll = store.ask(code, token, "q", "number", (), 1.0, seconds=5)
    assert poll.deadline is not None and poll.closed_why(poll.deadline - 0.1) is None
    s = new_session_id()
    store.answer(code, s, "q", 1.0)
    if backend.name == "sqlite":  # the fake clock: no five-second sleep
        backend.wait(5.0)
        with pytest.raises(Closed, match="time is up"):
            store.answer(code, s, "q", 2.0)
        store.lock(code, token, locked=False)  # reopening ends the countdown
        store.answer(code, s, "q", 2.0)
        assert store.tally(code, token).values == (2.0,)
    for bad in [0, 4, 601, 5.5, True, "10"]:
        with pytest.raises(ValueError):
            store.ask(code, token, "q", "number", (), 1.0, seconds=bad)


def test_results_keep_every_question_with_its_own_answers(store):
    code, token = store.open_class()
    ann, bob = new_session_id(), new_session_id()
    store.ask(code, token, "q1", "number", (), 0.5, 0.1)
    store.answer(code, ann, "q1", 0.5)
    store.answer(code, bob, "q1", -3.0)
    store.ask(code, token, "q2", "choice", ("a", "b"), "b")
    store.answer(code, ann, "q2", "b")
    r1, r2 = store.results(code, token)
    assert (r1.poll.seq, r1.values, r1.n_correct) == (1, (-3.0, 0.5), 1)
    assert (r2.poll.seq, r2.counts, r2.n_correct, r2.n_students) == (2, (0, 1), 1, 2)
    text = classroom.results_csv([r1, r2], lambda p: p.question_id)
    rows = text.splitlines()
    assert rows[1].startswith("1,q1,number,0.5,0.1,2,1,2,")
    assert rows[2] == "2,q2,choice,b,,1,1,2,a: 0; b: 1"


FORMULA = ("=", "+", "-", "@", "\t", "\r")


@FUZZ
@given(
    prompt=st.text(min_size=1, max_size=60),
    choices=st.lists(st.text(min_size=1, max_size=40), min_size=2, max_size=4, unique=True),
    values=st.lists(st.floats(-1e9, 1e9), max_size=5),
)
def test_fuzz_the_results_csv_never_holds_a_formula(prompt, choices, values):
    import csv
    import io

    polls = [
        classroom.Poll(1, "own-1", "choice", tuple(choices), True, choices[0], 0.0, prompt),
        classroom.Poll(2, "own-2", "number", (), True, -1.5, 0.25, prompt),
    ]
    tallies = [
        classroom.Tally(polls[0], counts=(1,) * len(choices), n_answers=len(choices)),
        classroom.Tally(polls[1], values=tuple(sorted(values)), n_answers=len(values)),
    ]
    text = classroom.results_csv(tallies, lambda p: p.prompt)
    for row in csv.reader(io.StringIO(text, newline="")):
        for cell in row:
            assert not cell.startswith(FORMULA), cell


# -- SQLite: durable, shared by processes, bounded ------------------------------------


def test_a_restart_loses_nothing(tmp_path):
    """A new store on the same file (a restarted server) carries on the class: the
    question, the students (counted once when they rejoin) and their answers."""
    path = tmp_path / "classes.sqlite3"
    before = SqliteStore(path)
    code, token = before.open_class()
    ann, bob = new_session_id(), new_session_id()
    before.join(code, ann), before.join(code, bob)
    before.ask(code, token, "q", "choice", ("a", "b"), "a", seconds=60)
    before.answer(code, ann, "q", "a")
    before.close_db()

    after = SqliteStore(path)
    assert after.is_teacher(code, token) and after.current(code).choices == ("a", "b")
    assert after.join(code, ann) == 2  # the same student, not a third
    assert after.my_answer(code, ann) == "a" and after.my_answer(code, bob) is None
    after.answer(code, bob, "q", "b")
    assert after.tally(code, token).counts == (1, 1)


def test_two_server_processes_share_a_class(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "classes.sqlite3"
    store = SqliteStore(path)
    code, token = store.open_class()
    store.ask(code, token, "q", "number", (), 1.0)
    script = (
        "import sys; from relulab_app import classroom as c; s = c.SqliteStore(sys.argv[1]); "
        "[s.answer(sys.argv[2], c.new_session_id(), 'q', float(i)) for i in range(20)]"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(path), code]) for _ in range(3)]
    for i in range(20):
        store.answer(code, new_session_id(), "q", float(i))
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0]
    tally = store.tally(code, token)
    assert tally.n_answers == tally.n_students == 80


def test_sqlite_store_under_threads_keeps_its_caps(tmp_path):
    # Each thread its own store (connection) on the one file, as server processes are:
    # the caps must hold by SQLite's transactions, not by a store's own lock.
    path = tmp_path / "c.sqlite3"
    store = SqliteStore(path, max_students=50)
    code, token = store.open_class()
    store.ask(code, token, "q", "number", (), 1.0)
    outcomes = []

    def student():
        s, mine = new_session_id(), SqliteStore(path, max_students=50)
        try:
            for v in range(20):
                mine.answer(code, s, "q", float(v))
            outcomes.append("ok")
        except Full:
            outcomes.append("full")

    threads = [threading.Thread(target=student) for _ in range(80)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    tally = store.tally(code, token)
    assert outcomes.count("ok") == 50 and outcomes.count("full") == 30
    assert tally.n_students == 50 and tally.values == (19.0,) * 50


def test_expired_classes_leave_the_file(tmp_path):
    import sqlite3

    now = [1_700_000_000.0]
    path = tmp_path / "c.sqlite3"
    store = SqliteStore(path, ttl=10, clock=lambda: now[0], max_classes=3)
    codes = [store.open_class()[0] for _ in range(3)]
    with pytest.raises(Full):
        store.open_class()
    now[0] += 5
    store.join(codes[0], new_session_id())  # renewed: now the last to expire
    now[0] += 6
    store.open_class()  # two expired: the cap counts live classes only
    assert store.exists(codes[0]) and store.status(codes[1]) is None
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM classes").fetchone()[0] == 2
        assert db.execute("SELECT count(*) FROM students").fetchone()[0] == 1


def test_an_unwritable_class_db_says_so(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(classroom.StoreUnavailable):
        SqliteStore(tmp_path / "file" / "c.sqlite3")  # a file where a folder should be
    with pytest.raises(classroom.StoreUnavailable):
        classroom.store_from_env({"RELULAB_CLASS_DB": str(tmp_path / "file" / "x")})


def test_sessions_that_ask_for_the_store_at_once_share_one(tmp_path):
    # A class arriving: many sessions' first runs ask at the same moment, and each
    # store is a connection of its own, so exactly one may be made.
    env = {"RELULAB_CLASS_DB": str(tmp_path / "c.sqlite3")}
    start = threading.Barrier(8)

    def ask(_):
        start.wait()
        return classroom.store_from_env(env)

    with ThreadPoolExecutor(8) as pool:
        stores = list(pool.map(ask, range(8)))
    assert all(s is stores[0] for s in stores)


def test_store_from_env_picks_the_backend(tmp_path):
    env = {"RELULAB_CLASS_DB": str(tmp_path / "c.sqlite3")}
    local = classroom.store_from_env(env)
    assert isinstance(local, SqliteStore) and classroom.store_from_env(env) is local
    assert classroom.store_from_env({**env, "RELULAB_REDIS_URL": "  "}) is local
    home = classroom.store_from_env({"XDG_STATE_HOME": str(tmp_path / "state")})
    assert home.path == str(tmp_path / "state" / "relulab" / "classes.sqlite3")
    url = "redis://127.0.0.1:1/0"  # not contacted until used
    shared = classroom.store_from_env({"RELULAB_REDIS_URL": url})
    assert isinstance(shared, RedisStore)
    assert classroom.store_from_env({"RELULAB_REDIS_URL": url}) is shared
    for bad in ["http://x", "localhost:6379", "file:///tmp/x", "redis+secret://u:pw@h"]:
        with pytest.raises(ValueError) as e:
            classroom.store_from_env({"RELULAB_REDIS_URL": bad})
        assert bad not in str(e.value) and "pw" not in str(e.value)
    assert isinstance(classroom.store_from_env({"RELULAB_REDIS_URL": "unix:///x.sock"}), RedisStore)


def test_the_library_never_imports_streamlit_or_redis_for_sqlite(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys; from relulab_app import classroom; "
        f"classroom.SqliteStore({str(tmp_path / 'c.db')!r}).open_class(); "
        "assert 'streamlit' not in sys.modules and 'redis' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=os.environ.copy())
