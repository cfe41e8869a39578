"""Shared helpers for the page tests."""

from __future__ import annotations

import base64
import gzip
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings
from serve import CHROMIUM_ARGS, find_chromium

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "page.py"

# The class poll's default store is a SQLite file in the user's state folder. The tests,
# and the servers they start (which inherit the environment), use one of their own.
_CLASS_DB = tempfile.mkdtemp(prefix="relulab-classes-")
os.environ["RELULAB_CLASS_DB"] = os.path.join(_CLASS_DB, "classes.sqlite3")


# Every property runs 100 examples in `make test` (a test may ask for fewer, when each
# example serves a page) and has no per-example deadline: on a busy machine a slow
# example is not a failure. `make fuzz` sets RELULAB_FUZZ_EXAMPLES for the long runs.
settings.register_profile("relulab", max_examples=100, deadline=None)
settings.load_profile("relulab")


def decode(value):
    """A chart's data array as numpy: a JSON list of numbers (the chart element's form),
    or Plotly's base64 typed array ({"dtype": "f8", "bdata": ...}, st.plotly_chart's).
    A list with a gap (None) stays a list, so tests can see the gap."""
    if isinstance(value, dict) and "bdata" in value:
        arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        return arr.reshape(value["shape"]) if "shape" in value else arr
    if (
        isinstance(value, list)
        and value
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        return np.array(value, dtype=float)
    return value


def chart_payloads(at) -> list[dict]:
    """What each chart element (the explorer's function and derivative pair) draws: its
    payload (``charts``, ``hover``, ``present``, ``revision``) at the page's value of its
    slider's parameter, where the element has a slider and the payloads of several."""
    return [_at_value(at, steps) for steps in chart_steps(at)]


def chart_steps(at) -> list[dict]:
    """Each chart element's payloads as the browser unpacks them (``values``, ``payloads``),
    with its slider (``slider``, None without one)."""
    out = []
    for el in at.get("bidi_component"):
        if el.proto.component_name == "relulab_app.chart":
            data = json.loads(el.proto.json)
            packed = gzip.decompress(base64.b64decode(data["steps_gz_base64"]))
            out.append({**json.loads(packed), "slider": data["slider"]})
    return out


def _at_value(at, steps: dict) -> dict:
    if steps["values"] is None:
        (payload,) = steps["payloads"]
        return payload
    return steps["payloads"][steps["values"].index(at.session_state[steps["slider"]["name"]])]


def move_leak(at, leak: float, name: str = "leak"):
    """Move the chart element's slider (of parameter ``name``) to ``leak``, as the browser
    reports it (the element's state), and run the page."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    (el,) = [e for e in at.get("bidi_component") if e.proto.component_name == "relulab_app.chart"]
    states = at._tree.get_widget_states()
    states.widgets.append(WidgetState(id=el.proto.id, json_value=json.dumps({name: leak})))
    return at._run(states)


def chart_specs(at) -> list[dict]:
    """The figure JSON of every chart on the page, in order: the explorer's pair (one
    chart element), then any st.plotly_chart (the lab's)."""
    specs = [c for p in chart_payloads(at) for c in p["charts"]]
    return specs + [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def n_charts(at) -> int:
    """How many charts the page draws (2 per chart element, 1 per st.plotly_chart)."""
    return 2 * len(chart_payloads(at)) + len(at.get("plotly_chart"))


def trace(spec: dict, name: str) -> dict:
    matches = [t for t in spec["data"] if t.get("name") == name]
    assert len(matches) == 1, f"{name!r} not in {[t.get('name') for t in spec['data']]}"
    return {k: decode(v) for k, v in matches[0].items()}


@pytest.fixture(autouse=True)
def fresh_leak_steps():
    """Each test starts with no slider steps kept: the page keeps them across sessions
    (``param_slider.steps``, a resource cache), so across the AppTests of one process
    too, and a test would otherwise draw steps that an earlier test built."""
    yield
    module = sys.modules.get("relulab_app.param_slider")
    if module is not None:
        module.steps.clear()


@pytest.fixture
def app():
    """A fresh AppTest of the page (not thread-safe: one per test)."""
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(APP), default_timeout=60)


# Browser fixtures: locally a missing Chromium skips the browser tests; with
# RELULAB_REQUIRE_BROWSER=1 (CI) it fails them.
@pytest.fixture(scope="module")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        if os.environ.get("RELULAB_REQUIRE_BROWSER") == "1":
            pytest.fail(
                "RELULAB_REQUIRE_BROWSER=1 but no Chromium found (apt-get install chromium)"
            )
        pytest.skip("no Chromium found (apt-get install chromium, or set RELULAB_CHROMIUM)")
    return path


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def zbarimg() -> str:
    """Debian's zbar-tools decodes the page's QR codes (.ci/run installs it); missing, it
    skips the test like a missing browser, and fails it with RELULAB_REQUIRE_BROWSER=1."""
    import shutil

    path = shutil.which("zbarimg")
    if path is None:
        if os.environ.get("RELULAB_REQUIRE_BROWSER") == "1":
            pytest.fail(
                "RELULAB_REQUIRE_BROWSER=1 but zbarimg is missing (apt-get install zbar-tools)"
            )
        pytest.skip("zbarimg not found (apt-get install zbar-tools)")
    return path


# Redis fixtures (the class poll's shared store, relulab_app.classroom.RedisStore): a real
# redis-server from PATH (Debian's package) on a free loopback port, stopped after.
# Locally a missing redis-server skips the Redis tests; with RELULAB_REQUIRE_REDIS=1 (CI)
# it fails them, so the Redis path cannot go untested there unnoticed.
def redis_server_path() -> str:
    """redis-server's path, or skip (fail when RELULAB_REQUIRE_REDIS=1)."""
    import shutil

    path = shutil.which("redis-server")
    if path is None:
        if os.environ.get("RELULAB_REQUIRE_REDIS") == "1":
            pytest.fail("RELULAB_REQUIRE_REDIS=1 but no redis-server on PATH (apt-get install)")
        pytest.skip("no redis-server on PATH (apt-get install redis-server)")
    return path


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """One redis-server process on 127.0.0.1:``port``; ``start`` waits for PING.

    By default nothing is persisted (``--save '' --appendonly no``); ``extra`` arguments
    come last and win (the restart test turns the append-only file on)."""

    def __init__(self, path: str, port: int, *extra: str) -> None:
        self.path, self.port, self.extra = path, port, extra
        self.url = f"redis://127.0.0.1:{port}/0"
        self.proc = self.log = None

    def start(self) -> RedisServer:
        import subprocess
        import tempfile
        import time

        import redis

        args = [self.path, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += ["--appendonly", "no", "--daemonize", "no", *self.extra]
        # The log goes to a file, not a pipe nobody reads (a full pipe would stall Redis).
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 -- closed in stop()
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 20
        while True:
            if self.proc.poll() is not None:
                self.log.seek(0)
                out = self.log.read().decode(errors="replace")[-2000:]
                pytest.fail(f"redis-server exited ({self.proc.returncode}):\n{out}")
            try:
                if client.ping():
                    break
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    self.stop()
                    pytest.fail("redis-server did not answer PING within 20 s")
                time.sleep(0.05)
        client.close()
        return self

    def stop(self) -> None:
        """SIGTERM, as a service manager stops it (Redis then flushes its append-only
        file), and wait for the process to end."""
        import subprocess

        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        self.proc = None


@pytest.fixture(scope="session")
def redis_server():
    """The URL of a redis-server shared by the session's tests (flush between them)."""
    server = RedisServer(redis_server_path(), free_port()).start()
    yield server.url
    server.stop()


@pytest.fixture(params=["sqlite", "redis"])
def class_store(request, monkeypatch, tmp_path) -> str:
    """The class poll's store for the page, and for the servers a test starts (they
    inherit the environment): a fresh SQLite file, or the session's real redis-server,
    flushed. Its name: "sqlite" or "redis"."""
    if request.param == "redis":
        import redis

        url = request.getfixturevalue("redis_server")
        redis.Redis.from_url(url).flushdb()
        monkeypatch.setenv("RELULAB_REDIS_URL", url)
    else:
        monkeypatch.delenv("RELULAB_REDIS_URL", raising=False)
        monkeypatch.setenv("RELULAB_CLASS_DB", str(tmp_path / "classes.sqlite3"))
    return request.param


@pytest.fixture
def small_blocks(monkeypatch):
    """Tiny blocks and a tiny parallel threshold, so small arrays take every path of
    relulab's blocked, threaded runner."""
    from relulab import _engine

    monkeypatch.setattr(_engine, "BLOCK_BYTES", 64)
    monkeypatch.setattr(_engine, "PARALLEL_MIN_BYTES", 128)
    monkeypatch.setenv("RELULAB_THREADS", "3")
