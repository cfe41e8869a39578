"""The classroom load harness (bench/load.py, bench/simclient.py) is faithful and works.

- One simulated leak move looks to the server exactly like one real Chromium move: the
  same rerun request (query string, page, fragment, every widget's state, context) and
  the same replies (the same elements, and a fragment rerun, not a full one), with the
  lab closed and open.
- A teacher opening a class looks the same simulated as in Chromium: the popover opened,
  the button clicked, the address bar rewritten, and the auto-rerun of the teacher's
  panel that follows (the same request, the same replies).
- A student answering a class question (a typed number or a radio choice, then Send)
  sends the same requests simulated as in Chromium.
- A small class (8 students) gets every page and every move right: no errors.
- A small class poll (1 teacher, 5 students, 2 questions) runs without an error on both
  stores, and the teacher's chart reaches all 5 answers to each question.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import re
import sys
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any
from urllib.request import Request, urlopen

import pytest
from serve import READY, serve

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import load  # noqa: E402
from simclient import Run, SimSession, describe, js_number, rerun_fields  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from relulab_app import classroom, quiz  # noqa: E402


def _in_thread(fn: Callable[..., Any], *args: Any, timeout: float = 240) -> Any:
    """``fn(*args)`` in a daemon thread (Playwright's sync API holds this thread's event
    loop, so a simulation needs its own), its result or exception; TimeoutError if it
    has not returned within `timeout` seconds. Daemon, unlike a ThreadPoolExecutor's: a
    hung simulation fails its test instead of blocking the test run's exit."""
    box: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            box.append((True, fn(*args)))
        except BaseException as e:
            box.append((False, e))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    if not box:
        raise TimeoutError(f"{getattr(fn, '__name__', fn)} still running after {timeout} s")
    ok, value = box[0]
    if not ok:
        raise value
    return value


def test_js_number_writes_numbers_as_the_frontend_does():
    assert [js_number(v) for v in (0.21, 5.0, -5.0, 0.1 + 0.2, 1e-7)] == [
        "0.21", "5", "-5", "0.30000000000000004", "1e-07",
    ]  # fmt: skip
    # (JavaScript writes 1e-7; the page's sliders never go below a step of 0.01.)


def test_a_small_class_gets_every_move_right(tmp_path):
    # A cold server and students arriving together: first runs overlap with moves. This
    # caught a race (plotly's array check seeing a half-imported pandas) fixed in page.py.
    log = tmp_path / "server.log"
    with serve(ROOT / "app.py", log=log) as (url, pid):
        res = load.measure("app", url, pid, students=8, moves=3, ramp=0.5)
    assert res.established == 8 and res.n_errors == 0, res.errors
    assert len(res.reruns) == 24 and res.peak_rss > 0
    assert "Traceback" not in log.read_text(errors="replace")


# The leak slider is the chart element's own; the x-range is Streamlit's.
SLIDERS = {
    "leak": '.rl-slider input[type="range"]',
    "x_range": '.st-key-x_range input[type="range"]',
}


def _browser_move(
    browser, url: str, query: str, after_load: Callable[[], object] = lambda: None
) -> tuple[BackMsg, list[str]]:
    frames: list[tuple[str, bytes]] = []
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()

    def watch(ws):
        ws.on("framesent", lambda d: frames.append(("sent", d)))
        ws.on("framereceived", lambda d: frames.append(("received", d)))

    page.on("websocket", watch)
    page.goto(f"{url}/?{query}")
    page.wait_for_selector(READY, timeout=60_000)
    _wait_until(page, lambda: _settled(frames, 0))
    after_load()
    start = len(frames)
    thumb = page.locator(SLIDERS["leak"])
    thumb.focus()
    thumb.press("ArrowRight")  # 0.2 -> 0.21
    _wait_until(page, lambda: _finished(_described(frames, start)))
    replies = _described(frames, start)
    sent = []
    for way, data in frames[start:]:
        if way == "sent":
            bm = BackMsg()
            bm.ParseFromString(data)
            if bm.WhichOneof("type") == "rerun_script":
                sent.append(bm)
    context.close()
    assert len(sent) == 1, f"the browser sent {len(sent)} rerun requests for one move"
    return sent[0], _until_finished(replies)


def _described(frames: list[tuple[str, bytes]], start: int) -> list[str]:
    """The received messages from frame `start` on, described. A large message the
    browser already has comes as a reference to it (ref_hash): described as the message
    it stands for, as the simulated client (bench/simclient.py) does."""
    cache: dict[str, bytes] = {}
    out = []
    for i, (way, data) in enumerate(frames):
        if way != "received":
            continue
        fm = ForwardMsg()
        fm.ParseFromString(data)
        if fm.WhichOneof("type") == "ref_hash":
            fm.ParseFromString(cache[fm.ref_hash])
        elif fm.hash:
            cache[fm.hash] = data
        if i >= start:
            out.append(describe(fm))
    return out


EARLY = f"script_finished:{ForwardMsg.FINISHED_EARLY_FOR_RERUN}"


def _finished(replies: list[str]) -> bool:
    """Whether the replies hold the request's last run: its script_finished (a run that
    stopped early for st.rerun is followed by the rerun)."""
    return any(r.startswith("script_finished") and r != EARLY for r in replies)


def _settled(frames: list[tuple[str, bytes]], start: int) -> bool:
    """Whether the run from frame `start` on has finished and the server has said so
    (the session_status_changed that follows script_finished, its last message)."""
    replies = _described(frames, start)
    return _finished(replies) and replies[-1] == "session_status_changed"


def _wait_until(page, condition: Callable[[], bool], timeout: float = 60) -> None:
    """Let the page run until `condition()` holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"still waiting after {timeout} s"
        page.wait_for_timeout(50)


def _until_finished(replies: list[str]) -> list[str]:
    end = next(i for i, r in enumerate(replies) if r.startswith("script_finished") and r != EARLY)
    return replies[: end + 1]


def _last_run(replies: list[str]) -> list[str]:
    """The replies of the run that finished, without its transient elements. Both of
    those depend on timing: what a run that stopped early for st.rerun sent (the server
    drops its messages still queued when the rerun starts), and a spinner (sent only if
    the work under it takes long enough, like the lab's training)."""
    if EARLY in replies:
        replies = replies[len(replies) - replies[::-1].index(EARLY) :]
    return [r for r in replies if r != "delta:new_transient"]


async def _simulated_move(url: str, query: str) -> tuple[BackMsg, list[str]]:
    async with SimSession(url, query) as s:
        await s.open()
        run = await s.move_slider("leak", 0.21)
        assert run.ok
        return s.sent[-1], run.kinds


@pytest.mark.browser
# With the lab open the page has a select_slider (its state is the options' texts), and a
# leak move reruns the whole page once (the lab follows the leak).
@pytest.mark.parametrize(
    ("query", "final"),
    [
        ("leak=0.2", ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY),
        ("leak=0.2&lab=1", ForwardMsg.FINISHED_SUCCESSFULLY),
    ],
)
def test_a_simulated_move_looks_like_a_real_browser_move(browser, query, final):
    sim: list = []
    with serve(ROOT / "app.py") as (url, _pid):
        # Both pages load before either moves: the first leak move builds the view's leak
        # steps, and a page loaded after it would hold them too (one more cached message,
        # whose hash the next request lists).
        real_msg, real_replies = _browser_move(
            browser,
            url,
            query,
            after_load=lambda: sim.extend(_in_thread(asyncio.run, _simulated_move(url, query))),
        )
    sim_msg, sim_replies = sim
    real, sim = rerun_fields(real_msg), rerun_fields(sim_msg)
    assert sim == real
    assert real["fragment_id"] and real["widgets"]  # a fragment rerun, with widget states
    assert _last_run(sim_replies) == _last_run(real_replies)
    assert (EARLY in sim_replies) == (EARLY in real_replies)
    assert real_replies[-1] == f"script_finished:{final}"


# A series of moves: three leak steps (the first builds the view's leak steps), an
# x-range step (a new view), two more leak steps. Each request lists the messages its
# page still holds, aged by the runs before it.
SERIES = [("leak", "ArrowRight")] * 3 + [("x_range", "ArrowRight")] + [("leak", "ArrowRight")] * 2


def _browser_series(browser, url: str, then: Callable[[int], object]) -> list[BackMsg]:
    """The SERIES in Chromium, calling ``then(i)`` after its move i: each request the
    page sent, one a move."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    frames = _record(page)
    page.goto(url)
    page.wait_for_selector(READY, timeout=60_000)
    _wait_until(page, lambda: _settled(frames, 0))
    sent = []
    for i, (key, press) in enumerate(SERIES):
        start = len(frames)
        thumb = page.locator(SLIDERS[key]).first
        thumb.focus()
        thumb.press(press)
        _wait_until(page, lambda s=start: _settled(frames, s))
        page.wait_for_selector(READY, timeout=60_000)
        reruns = [m for m, _ in _reruns(frames[start:])]
        assert len(reruns) == 1, f"{len(reruns)} rerun requests for one {key} move"
        sent.append(reruns[0])
        then(i)
    context.close()
    return sent


@pytest.mark.browser
def test_a_simulated_series_of_moves_holds_the_messages_a_browser_holds(browser):
    # Move for move, the browser first: a view's leak steps are built by the first leak
    # move in it, and a page that comes to the view after that gets them at once.
    with serve(ROOT / "app.py") as (url, _pid), _Loop() as call, call.session(url) as sim:
        call(sim.open())  # both pages load before either moves (see the test above)
        leaks = [round(0.1 + 0.01 * (k + 1), 2) for k in range(len(SERIES))]
        x_range = (-4.5, 5.0)  # the first thumb, one step

        def move(i: int) -> None:
            key = SERIES[i][0]
            value = x_range if key == "x_range" else leaks[sum(k == "leak" for k, _ in SERIES[:i])]
            assert call(sim.move_slider(key, value)).ok

        real = _browser_series(browser, url, then=move)
    held = [list(m.rerun_script.cached_message_hashes) for m in real]
    assert [list(m.rerun_script.cached_message_hashes) for m in sim.sent[1:]] == held
    assert len({tuple(h) for h in held}) > 2  # the pages' caches did change on the way


async def _simulated_load_assets(url: str) -> list[str]:
    async with SimSession(url) as s:
        run = await s.open()
        return sorted(run.assets) + [load.PLOTLY_JS] * bool(run.assets)


@pytest.mark.browser
def test_a_simulated_load_fetches_what_the_browser_fetches_for_the_charts(browser):
    # The class's arrival costs the server these files: the simulation must fetch the
    # same ones, or the load figures leave that cost out.
    with serve(ROOT / "app.py") as (url, _pid):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        fetched: list[str] = []
        page.on(
            "request",
            lambda r: (
                "/_stcore/bidi-components/" in r.url and fetched.append(r.url.removeprefix(url))
            ),
        )
        page.goto(url)
        page.wait_for_selector(READY, timeout=60_000)
        page.wait_for_function(
            "document.querySelectorAll('.rl-plot .main-svg').length >= 2", timeout=60_000
        )
        context.close()
        simulated = _in_thread(asyncio.run, _simulated_load_assets(url))
    assert sorted(set(fetched)) == sorted(simulated)
    assert load.PLOTLY_JS in simulated


def test_the_gzipped_plotly_js_is_sent_as_it_is():
    # Streamlit gzips a component's files on every request (~35 ms of server CPU for the
    # plain plotly.js); the page loads the .gz, which must go out as the file's own
    # bytes, not gzipped again (Starlette leaves application/gzip alone from 1.5 on).
    packed = (ROOT / "relulab_app" / "webchart" / "plotly-basic.min.js.gz").read_bytes()
    with serve(ROOT / "app.py") as (url, _pid):
        req = Request(url + load.PLOTLY_JS, headers={"Accept-Encoding": "gzip, br"})
        with urlopen(req, timeout=30) as r:
            encoding, body = r.headers.get("Content-Encoding"), r.read()
        plain = url + load.PLOTLY_JS.removesuffix(".gz")
        with urlopen(Request(plain, headers={"Accept-Encoding": "gzip"}), timeout=30) as r:
            plain_encoding = r.headers.get("Content-Encoding")
    assert encoding is None and body == packed
    assert plain_encoding == "gzip"  # the plain file is gzipped per request: the cost avoided


# --- the class poll -----------------------------------------------------------------------


class _Loop:
    """An asyncio loop in a thread, for simulated sessions that live across the steps of
    a Playwright test (whose sync API holds the test thread's own loop)."""

    def __enter__(self) -> _Loop:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        return self

    def __call__(self, coro: Coroutine[Any, Any, Any], timeout: float = 120) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    @contextlib.contextmanager
    def session(self, url: str, query: str = "") -> Iterator[SimSession]:
        """A simulated session on this loop, closed (its timers stopped) on the way out."""
        s = SimSession(url, query)
        self(s.__aenter__())
        try:
            yield s
        finally:
            self(s.__aexit__(None, None, None))

    def __exit__(self, *exc) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def _record(page) -> list[tuple[str, bytes]]:
    frames: list[tuple[str, bytes]] = []

    def watch(ws):
        ws.on("framesent", lambda d: frames.append(("sent", d)))
        ws.on("framereceived", lambda d: frames.append(("received", d)))

    page.on("websocket", watch)
    return frames


def _reruns(frames: list[tuple[str, bytes]]) -> list[tuple[BackMsg, list[str]]]:
    """Each rerun request the page sent, with the replies of the run it started. The
    server runs the requests in order, each run's replies beginning with new_session: a
    request sent while an earlier run still replies (a panel's timed refresh on a busy
    machine) gets the replies from its own new_session on."""
    out: list[tuple[BackMsg, list[str]]] = []
    waiting: collections.deque[tuple[BackMsg, list[str]]] = collections.deque()
    replies: list[str] | None = None
    for way, data in frames:
        if way == "sent":
            bm = BackMsg()
            bm.ParseFromString(data)
            if bm.WhichOneof("type") == "rerun_script":
                out.append((bm, []))
                waiting.append(out[-1])
        else:
            fm = ForwardMsg()
            fm.ParseFromString(data)
            if fm.WhichOneof("type") == "new_session" and waiting:
                replies = waiting.popleft()[1]
            if replies is not None:
                replies.append(describe(fm))
    return out


def _anonymous(fields: dict, params: dict[str, str]) -> dict:
    """Rerun fields with this session's own class code and teacher token taken out."""
    qs = fields["query_string"]
    for key in ("class", "teacher"):
        if key in params:
            qs = qs.replace(params[key], key.upper())
    return {**fields, "query_string": qs}


OPEN_CLASS = load.OPEN_CLASS


@pytest.mark.browser
def test_a_simulated_teacher_opening_a_class_looks_like_a_real_browser(browser):
    # The teacher's three requests (open the Class popover, click "Open a class", then the
    # first timed refresh of the panel, @st.fragment(run_every=1)) must reach the server
    # as Chromium's do: the same fields, widget states, fragment and is_auto_rerun.
    with serve(ROOT / "app.py") as (url, _pid):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        frames = _record(page)
        page.goto(url)
        page.wait_for_selector(READY, timeout=60_000)
        _wait_until(page, lambda: _settled(frames, 0))
        # As a person would: once the page is drawn. Widgets report their state when
        # they mount, and a click before then sends the Class menu's state alone.
        page.wait_for_selector(".rl-plot .main-svg", timeout=60_000)
        page.get_by_role("button", name="Class", exact=True).click()
        page.get_by_role("button", name=OPEN_CLASS).click()
        page.wait_for_url(re.compile(r"class="), timeout=30_000)

        def finished_refreshes() -> list[int]:
            # A refresh that ran past the next one's time (a busy machine) is stopped
            # early for it: its replies are compared from the first that finished.
            runs = _reruns(frames)
            return [
                i
                for i, (m, r) in enumerate(runs)
                if m.rerun_script.is_auto_rerun
                and any(x.startswith("script_finished") and x != EARLY for x in r)
            ]

        _wait_until(page, lambda: bool(finished_refreshes()), timeout=30)
        runs = _reruns(frames)
        auto = [i for i, (m, _) in enumerate(runs) if m.rerun_script.is_auto_rerun]
        finished = finished_refreshes()[0]
        real_params = dict(p.split("=", 1) for p in page.url.split("?", 1)[1].split("&"))
        context.close()

        async def simulated() -> tuple[list[BackMsg], list[str], dict[str, str]]:
            async with SimSession(url) as s:
                await s.open()
                await s.open_block("class_menu")
                await s.click(OPEN_CLASS)
                assert await s.wait_for(lambda: bool(s.auto_runs), 10)
                return list(s.sent), s.auto_runs[0].kinds, s.params

        with _Loop() as call:
            sim_sent, sim_auto_replies, sim_params = call(simulated())
    first_auto = auto[0]
    assert first_auto == 3  # page load, popover, click, then the refresh
    real = [_anonymous(rerun_fields(m), real_params) for m, _ in runs[: first_auto + 1]]
    sim = [_anonymous(rerun_fields(m), sim_params) for m in sim_sent[: first_auto + 1]]
    assert sim == real
    refresh = real[-1]
    assert refresh["is_auto_rerun"] and refresh["fragment_id"]
    assert refresh["query_string"] == "class=CLASS"  # no teacher token in the address
    assert sim_auto_replies == _until_finished(runs[finished][1])
    assert (
        sim_auto_replies[-1] == f"script_finished:{ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}"
    )


# A typed number's question, then a picked choice's (relulab_app.quiz.KIND_TITLES).
ASKED = ("f(x) at a point", "Which np.where branch")


@pytest.mark.browser
def test_a_simulated_answer_looks_like_a_real_browser_answer(browser):
    # A student answers: picks a choice (a rerun) or types a number (committed when the
    # field loses focus to the Send button: a rerun), then Send (a rerun with the
    # button's trigger). A person's click holds the button down ~0.1 s, so the commit and
    # the click go as two requests (Playwright's instant click would send one). The
    # teacher (simulated) asks one question of each kind from the class menu.
    kinds: list[str] = []
    with serve(ROOT / "app.py") as (url, _pid), _Loop() as call, call.session(url) as teacher:
        call(teacher.open())
        call(teacher.open_block("class_menu"))
        call(teacher.click(OPEN_CLASS))
        code = teacher.params["class"]
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        try:
            with call.session(url, f"class={code}") as student:
                call(student.open())
                page = context.new_page()
                frames = _record(page)
                page.goto(f"{url}/?class={code}")
                page.wait_for_selector(READY, timeout=60_000)
                for seq, title in enumerate(ASKED, start=1):
                    call(teacher.open_block("class_next"))
                    call(teacher.set_value("class_kind", title))
                    call(teacher.press("class_ask_bank"))
                    kinds.append(_answer_both(call, page, frames, student, seq))
        finally:
            context.close()
    assert kinds == ["number", "choice"]


def _uncached(msg: BackMsg) -> dict:
    """A request's fields but the hashes of the messages the page holds. Those age with
    every run, timed refreshes and news runs included, and the two pages' timers run out
    of phase, so which charts they still hold differs by timing (a slider move, with no
    timer in between, compares them)."""
    fields = rerun_fields(msg)
    del fields["cached_message_hashes"]
    return fields


def _answer_both(call, page, frames, student: SimSession, seq: int) -> str:
    """Question `seq` reaches both students (their news element's next ask); both answer
    it the same way and send the same requests."""
    page.get_by_text(f"question {seq}:", exact=False).first.wait_for(timeout=20_000)
    page.wait_for_selector(READY, timeout=20_000)
    assert call(student.wait_for(lambda: load.answer_box(student, seq - 1) is not None, 20))
    _, box = load.answer_box(student, seq - 1)
    kind = {"radio": "choice", "sketch": "sketch"}.get(box.kind, "number")
    if kind == "sketch":  # sketches: test_browser_sketch.py
        return kind
    start = len(frames)
    if kind == "number":
        field = page.locator('input[aria-label="Your answer"]')
        field.click()
        field.press_sequentially("0.5", delay=50)
        value = "0.5"
    else:
        group = page.locator('[data-testid="stRadioGroup"][aria-label="Your answer"]')
        group.locator('[data-testid="stRadioOption"]').first.click(delay=120)
        value = box.options[0]  # the option's text as sent (the page renders <= as ≤)
        # The pick's own rerun finishes before Send is clicked, as a person's would.
        _wait_until(
            page,
            lambda: any(
                not m.rerun_script.is_auto_rerun
                and any(r.startswith("script_finished") for r in rs)
                for m, rs in _reruns(frames[start:])
            ),
            timeout=20,
        )
    page.get_by_role("button", name=load.SEND).click(delay=120)
    page.get_by_text("Sent: ", exact=False).first.wait_for(timeout=20_000)
    real = [_uncached(m) for m, _ in _reruns(frames[start:]) if not m.rerun_script.is_auto_rerun]
    key = box.id.rsplit("-", 1)[1]
    if kind == "number":  # typed in a form: sent with its Send, in one rerun
        sent = call(student.submit(key, value, load.SEND))
    else:  # picked (one rerun), then sent (another)
        call(student.set_value(key, value))
        sent = call(student.click(load.SEND))
    mine = [_uncached(m) for m in student.sent if not m.rerun_script.is_auto_rerun]
    n = 1 if kind == "number" else 2
    assert len(real) == n and mine[-n:] == real, kind
    assert all(r["fragment_id"] and not r["is_auto_rerun"] for r in real)  # the panel's
    assert any(t.startswith("Sent:") for t in sent.texts)
    return kind


def test_a_small_class_poll_runs_without_an_error(class_store, tmp_path):
    # A cold server, 5 students arriving within 1 s, 2 questions: every page, answer and
    # run right, and the teacher's chart shows all 5 answers to each question.
    log = tmp_path / "server.log"
    # 12 s apart, as in bench/load.py: a student who joins before the first question
    # gets it with the next news (up to 4 s), then takes up to 4 s to answer, and
    # the teacher's chart must show that answer before the next question clears it.
    plan = load.ClassPlan(students=5, ramp=1.0, ask_at=[0.0, 12.0])
    with serve(ROOT / "app.py", log=log) as (url, pid):
        res = _in_thread(load.run_class, class_store, url, pid, plan)
    assert res.established == 5 and res.n_errors == 0, res.errors
    assert res.answers == 10 and len(res.sends) == 10
    assert {(q, n) for q, n, _ in res.tallies} >= {(1, 5), (2, 5)}
    assert res.tallies[-1] == (2, 5, 5)
    assert set(res.lags) == {1, 2}
    # the teacher's chart timer, learned from the server (1 s: an answer must show within 2)
    assert res.refresh == 1.0
    # the teacher's chart refreshed (every 1 s for ~13 s); each student's page took
    # question 2 from its news (and question 1 too, if it came before it)
    assert len(res.teacher_runs) >= 10 and 5 <= len(res.arrivals) <= 10
    assert "Traceback" not in log.read_text(errors="replace")


def test_a_class_page_runs_once_per_question_and_never_while_idle(tmp_path):
    # 16 students' pages in a class: idle for more than one news interval, they make no
    # run at all; when the teacher asks, each takes the question with one run of the
    # whole page, which its news element asks for (relulab_app/news.py), and its next
    # ask, which finds nothing new, makes no other. A lock changes the answer box alone:
    # each page takes it with one run of its class panel; the class's end, with a run of
    # the whole page.

    async def lesson(url: str) -> tuple[list[int], list[list[int]], list[Run], list[Run]]:
        async with SimSession(url) as t:
            for step in (t.open, lambda: t.open_block("class_menu")):
                await step()
            await t.click(load.OPEN_CLASS)
            code = t.params["class"]
            async with contextlib.AsyncExitStack() as stack:
                pages = [
                    await stack.enter_async_context(SimSession(url, f"class={code}"))
                    for _ in range(16)
                ]
                for p in pages:
                    assert (await p.open()).ok
                await asyncio.sleep(1.25 * load.REFRESH)
                idle = [len(p.auto_runs) for p in pages]
                assert (await t.click(load.ASK)).ok

                async def runs(p: SimSession) -> list[int]:
                    assert await p.wait_for(lambda: load.answer_box(p, 0) is not None, 15)
                    await asyncio.sleep(1.25 * load.REFRESH)  # its next ask: nothing new
                    return [r.status for r in p.auto_runs]

                taken = list(await asyncio.gather(*(runs(p) for p in pages)))
                for p in pages:
                    assert p.auto_runs[0].whole  # the question's run is the whole page's
                assert (await t.click("Lock answers")).ok
                await asyncio.gather(
                    *(p.wait_for(lambda p=p: len(p.auto_runs) > 1, 15) for p in pages)
                )
                locks = [p.auto_runs[-1] for p in pages]
                await t.open_block("class_menu")
                assert (await t.click("End the class")).ok
                await asyncio.gather(
                    *(p.wait_for(lambda p=p: len(p.auto_runs) > 2, 15) for p in pages)
                )
                return idle, taken, locks, [p.auto_runs[-1] for p in pages]

    with serve(ROOT / "app.py", log=tmp_path / "log") as (url, _pid):
        idle, runs, locks, ends = _in_thread(asyncio.run, lesson(url))
    assert idle == [0] * 16
    assert runs == [[ForwardMsg.FINISHED_SUCCESSFULLY]] * 16
    for run in locks:
        assert run.ok and not run.whole
        assert any(t.startswith("Answers closed") for t in run.texts), run.texts
    for run in ends:  # the end unhides what the question hid: the whole page runs
        assert run.ok and run.whole
        assert any("has ended" in t for t in run.texts), run.texts


def test_a_question_the_teacher_wrote_changes_the_class_panel_alone(tmp_path, monkeypatch):
    # A question the teacher wrote sets, hides and marks nothing: a page whose question
    # (if any) is such a one takes the next such one, and its reveal, with a run of its
    # class panel alone. After a quiz's question, which hides parts of
    # the page, the whole page runs, unhiding them. The teacher is the store's own API.
    monkeypatch.delenv("RELULAB_REDIS_URL", raising=False)
    monkeypatch.setenv("RELULAB_CLASS_DB", str(tmp_path / "classes.sqlite3"))
    store = classroom.store_from_env()
    code, token = store.open_class()
    hiding = quiz.make("df_at_x", 3)  # it hides the f′ chart until answered
    assert hiding.hides
    asks = [
        lambda: store.ask(code, token, "own-1", "number", (), 1.0, prompt="One?"),
        lambda: store.ask(code, token, "own-2", "number", (), 2.0, prompt="Two?"),
        lambda: store.reveal(code, token),
        lambda: store.ask(code, token, hiding.id, "number", (), float(hiding.answer)),
        lambda: store.ask(code, token, "own-3", "number", (), 3.0, prompt="Three?"),
        lambda: store.ask(code, token, "own-4", "number", (), 4.0, prompt="Four?"),
    ]

    async def lesson(url: str) -> list[list[bool]]:
        async with contextlib.AsyncExitStack() as stack:
            pages = [
                await stack.enter_async_context(SimSession(url, f"class={code}")) for _ in range(2)
            ]
            for p in pages:
                assert (await p.open()).ok
            whole = []
            for n, ask in enumerate(asks, start=1):
                ask()
                await asyncio.gather(
                    *(p.wait_for(lambda p=p, n=n: len(p.auto_runs) >= n, 15) for p in pages)
                )
                assert all(len(p.auto_runs) == n and p.auto_runs[-1].ok for p in pages)
                whole.append([p.auto_runs[-1].whole for p in pages])
            return whole

    with serve(ROOT / "app.py", log=tmp_path / "log") as (url, _pid):
        whole = _in_thread(asyncio.run, lesson(url))
    # own-1 (after none), own-2, its reveal: the panel; the quiz's: the whole page; own-3,
    # which unhides what it hid: the whole page; own-4: the panel.
    assert whole == [[False] * 2, [False] * 2, [False] * 2, [True] * 2, [True] * 2, [False] * 2]


def test_a_send_that_meets_the_classs_end_runs_the_whole_page(tmp_path, monkeypatch):
    # The class ends under a quiz's question that hides the f′ chart, and a student's
    # Send meets the end before the page's next news ask (4 s away): the panel's run
    # becomes the whole page's, which says so and shows the chart again.
    monkeypatch.delenv("RELULAB_REDIS_URL", raising=False)
    monkeypatch.setenv("RELULAB_CLASS_DB", str(tmp_path / "classes.sqlite3"))
    store = classroom.store_from_env()
    code, token = store.open_class()
    hiding = quiz.make("df_at_x", 4)
    store.ask(code, token, hiding.id, "number", (), float(hiding.answer))

    async def lesson(url: str) -> Run:
        async with SimSession(url, f"class={code}") as p:
            assert (await p.open()).ok
            assert await p.wait_for(lambda: load.answer_box(p, 0) is not None, 15)
            _, box = load.answer_box(p, 0)
            store.close(code, token)
            return await p.submit(box.id.rsplit("-", 1)[1], "0.5", load.SEND)

    with serve(ROOT / "app.py", log=tmp_path / "log") as (url, _pid):
        sent = _in_thread(asyncio.run, lesson(url))
    assert sent.ok and sent.whole and any("has ended" in t for t in sent.texts), sent.texts


def test_a_written_question_closes_the_lab_a_quiz_question_opened(tmp_path, monkeypatch):
    # The quiz's "Dead units in the lab" opens the lab; the student turns the quiz off,
    # the lab stays open. A question the teacher writes then arrives with a run of the
    # whole page, whose posing closes the lab the quiz opened (as every next question
    # does), not of the class panel alone, which would leave it open on screen.
    monkeypatch.delenv("RELULAB_REDIS_URL", raising=False)
    monkeypatch.setenv("RELULAB_CLASS_DB", str(tmp_path / "classes.sqlite3"))
    store = classroom.store_from_env()
    code, token = store.open_class()
    title = f"**Question {{}}: {quiz.KIND_TITLES['dead_units']}**"

    async def lesson(url: str) -> Run:
        async with SimSession(url, f"quiz=1&class={code}") as p:
            run = await p.open()
            for n in range(1, len(quiz.KINDS) + 1):  # each kind comes once in a round
                if any(t.startswith(title.format(n)) for t in run.texts):
                    break
                run = await p.click("Another question")
            else:
                raise AssertionError("no lab question in a round of the quiz")
            assert p.find("lab").shown
            run = await p.set_value("quiz", False)
            assert p.find("lab").shown  # a question it opened, now gone
            store.ask(code, token, "own-1", "number", (), 1.0, prompt="One?")
            assert await p.wait_for(lambda: len(p.auto_runs) >= 1, 15)
            assert not p.find("lab").shown
            return p.auto_runs[-1]

    with serve(ROOT / "app.py", log=tmp_path / "log") as (url, _pid):
        arrival = _in_thread(asyncio.run, lesson(url))
    assert arrival.ok and arrival.whole
