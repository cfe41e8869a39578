"""What only the Redis store has, against a real redis-server (tests/conftest.py starts
it): a TTL on every key of a class, nothing outside the store's prefix, replicas sharing
a class, a Redis restart that loses nothing, and an unreachable Redis. The behaviour a
class shares with the SQLite store is tested on both in tests/test_classroom.py."""

from __future__ import annotations

import threading
import time

import pytest
import redis

from conftest import RedisServer, free_port, redis_server_path
from relulab_app import classroom
from relulab_app.classroom import (
    Closed,
    Full,
    NoSuchClass,
    RedisStore,
    StoreUnavailable,
    new_session_id,
)


@pytest.fixture
def client(redis_server):
    with redis.Redis.from_url(redis_server, decode_responses=True) as c:
        c.flushdb()
        yield c


def class_keys(client, code: str) -> list[str]:
    return sorted(client.keys(f"relulab:class:{code}:*"))


def a_class_in_use(store: RedisStore) -> tuple[str, str, list[str]]:
    """A class with a question, two students and their answers: (code, token, sessions)."""
    code, token = store.open_class()
    store.ask(code, token, "relu-dash-0", "choice", ("0", "1", "leak"), "leak")
    sessions = [new_session_id(), new_session_id()]
    store.answer(code, sessions[0], "relu-dash-0", "leak")
    store.answer(code, sessions[1], "relu-dash-0", "0")
    return code, token, sessions


def test_every_key_of_a_class_has_the_idle_ttl(redis_server, client):
    store = RedisStore(redis_server, ttl=600)
    code, token = store.open_class()
    s = new_session_id()
    steps = [
        lambda: store.ask(code, token, "q", "number", (), 1.0),
        lambda: store.join(code, s),
        lambda: store.answer(code, s, "q", 1.0),
        lambda: store.reveal(code, token),
    ]
    for step in steps:
        step()
        keys = class_keys(client, code)
        assert keys and all(0 < client.pttl(k) <= 600_000 for k in keys), keys
    names = ("answers:1", "meta", "polls", "students")
    assert keys == [f"relulab:class:{code}:{k}" for k in names]
    assert 0 < client.pttl("relulab:classes") <= 600_000  # the registry of open classes
    assert client.zscore("relulab:classes", code) > time.time() * 1000
    assert set(client.keys("*")) == {*keys, "relulab:classes"}  # nothing else written


def test_the_teacher_token_is_stored_only_as_a_hash(redis_server, client):
    store = RedisStore(redis_server)
    code, token, _ = a_class_in_use(store)
    dump = " ".join(str(client.hgetall(k)) for k in class_keys(client, code) if "meta" in k)
    assert token not in dump and classroom._token_hash(token) in dump


def test_two_app_processes_share_a_class(redis_server, client):
    """Replicas behind a load balancer: a teacher on one, students on another."""
    teacher_side, student_side = RedisStore(redis_server), RedisStore(redis_server)
    code, token = teacher_side.open_class()
    assert student_side.exists(code) and student_side.is_teacher(code, token)
    teacher_side.ask(code, token, "relu-at-2", "number", (), 2.0)
    s = new_session_id()
    student_side.answer(code, s, "relu-at-2", 2.0)
    assert teacher_side.tally(code, token).values == (2.0,)
    student_side.reveal(code, token)  # the teacher's next click may land on either
    with pytest.raises(Closed):
        teacher_side.answer(code, s, "relu-at-2", 3.0)
    teacher_side.close(code, token)
    assert not student_side.exists(code)


def test_the_caps_hold_under_concurrent_replicas(redis_server, client):
    replicas = [RedisStore(redis_server, max_students=10, max_classes=5) for _ in range(4)]
    code, token = replicas[0].open_class()
    replicas[0].ask(code, token, "q", "number", (), 1.0)
    outcomes: list[str] = []

    def student(i: int) -> None:
        try:
            replicas[i % 4].answer(code, new_session_id(), "q", float(i))
            outcomes.append("ok")
        except Full:
            outcomes.append("full")

    def teacher(i: int) -> None:
        try:
            replicas[i % 4].open_class()
            outcomes.append("class")
        except Full:
            outcomes.append("no class")

    threads = [threading.Thread(target=student, args=(i,)) for i in range(30)]
    threads += [threading.Thread(target=teacher, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 10 and outcomes.count("full") == 20
    assert outcomes.count("class") == 4 and outcomes.count("no class") == 4
    tally = replicas[1].tally(code, token)
    assert tally.n_students == tally.n_answers == 10


def test_a_restart_with_redis_loses_nothing(tmp_path):
    """Stop redis-server (as a service manager does) and start it again on the same
    port: the class, its question, the students, their answers and the TTLs are all
    there, and the same store object carries on without a new connection pool."""
    path, port = redis_server_path(), free_port()
    persistent = ("--appendonly", "yes", "--dir", str(tmp_path))
    server = RedisServer(path, port, *persistent).start()
    try:
        store = RedisStore(server.url, ttl=3600)
        code, token, sessions = a_class_in_use(store)
        before = store.tally(code, token)

        server.stop()
        with pytest.raises(StoreUnavailable):
            store.tally(code, token)
        server.start()

        assert store.exists(code) and store.is_teacher(code, token)
        assert store.tally(code, token) == before
        assert store.current(code).question_id == "relu-dash-0"
        assert store.my_answer(code, sessions[0]) == "leak"
        store.answer(code, sessions[1], "relu-dash-0", "leak")
        store.reveal(code, token)
        assert store.tally(code, token).counts == (0, 0, 2)
        with redis.Redis(port=port, decode_responses=True) as c:
            keys = c.keys(f"relulab:class:{code}:*")
            assert len(keys) == 4 and all(0 < c.pttl(k) <= 3_600_000 for k in keys)
    finally:
        server.stop()


def test_a_restart_of_a_redis_without_persistence_ends_the_class():
    """The class is gone, and the page can say so ("no such class")."""
    path, port = redis_server_path(), free_port()
    server = RedisServer(path, port).start()
    try:
        store = RedisStore(server.url)
        code, _, sessions = a_class_in_use(store)
        server.stop()
        server.start()
        assert not store.exists(code)
        with pytest.raises(NoSuchClass):
            store.answer(code, sessions[0], "relu-dash-0", "0")
        assert store.open_class()  # and a new class can start
    finally:
        server.stop()


def test_an_unreachable_redis_says_so_quickly():
    store = RedisStore(f"redis://127.0.0.1:{free_port()}/0", timeout=1.0)
    for call in [
        store.ping,
        store.open_class,
        lambda: store.exists("K7MX3P"),
        lambda: store.current("K7MX3P"),
        lambda: store.join("K7MX3P", new_session_id()),
    ]:
        start = time.monotonic()
        with pytest.raises(StoreUnavailable):
            call()
        assert time.monotonic() - start < 3


def test_store_from_env_serves_a_class_through_redis(redis_server, client):
    store = classroom.store_from_env({"RELULAB_REDIS_URL": redis_server})
    assert isinstance(store, RedisStore)
    store.ping()
    code, token = store.open_class()
    assert class_keys(client, code) == [f"relulab:class:{code}:meta"]
    store.close(code, token)  # ended: kept (with its TTL) for the teacher's results
    assert store.status(code) == "ended" and client.zcard("relulab:classes") == 1  # a place
    assert all(client.pttl(k) > 0 for k in class_keys(client, code))
