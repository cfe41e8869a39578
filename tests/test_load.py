"""The classroom load harness (bench/load.py, bench/simclient.py) is faithful and works.

- One simulated leak move looks to the server exactly like one real Chromium move: the
  same rerun request (query string, page, fragment, every widget's state, context) and
  the same replies (the same elements, and a fragment rerun, not a full one).
- A small class (5 students) gets every page and every move right: no errors.
"""

from __future__ import annotations

import asyncio
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from serve import READY, serve

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import load  # noqa: E402
from simclient import SimSession, describe, js_number, rerun_fields  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402


def test_js_number_writes_numbers_as_the_frontend_does():
    assert [js_number(v) for v in (0.21, 5.0, -5.0, 0.1 + 0.2, 1e-7)] == [
        "0.21", "5", "-5", "0.30000000000000004", "1e-07",
    ]  # fmt: skip
    # (JavaScript writes 1e-7; the page's sliders never go below a step of 0.01.)


def test_a_small_class_gets_every_move_right(tmp_path):
    # A cold server and students arriving together: first runs overlap with moves. This
    # caught a race (plotly's array check seeing a half-imported pandas) fixed in app.py.
    log = tmp_path / "server.log"
    with serve(ROOT / "app.py", log=log) as (url, pid):
        res = load.measure("app", url, pid, students=8, moves=3, ramp=0.5)
    assert res.established == 8 and res.n_errors == 0, res.errors
    assert len(res.reruns) == 24 and res.peak_rss > 0
    assert "Traceback" not in log.read_text(errors="replace")


def _browser_move(browser, url: str) -> tuple[BackMsg, list[str]]:
    frames: list[tuple[str, bytes]] = []
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()

    def watch(ws):
        ws.on("framesent", lambda d: frames.append(("sent", d)))
        ws.on("framereceived", lambda d: frames.append(("received", d)))

    page.on("websocket", watch)
    page.goto(f"{url}/?leak=0.2")
    page.wait_for_selector(READY, timeout=60_000)
    page.wait_for_timeout(1000)  # the first run's trailing messages
    start = len(frames)
    thumb = page.locator('[data-testid="stSlider"] input[type="range"]').first
    thumb.focus()
    thumb.press("ArrowRight")  # 0.2 -> 0.21
    deadline = time.monotonic() + 60
    replies: list[str] = []
    while time.monotonic() < deadline:
        page.wait_for_timeout(100)
        replies = []
        for way, data in frames[start:]:
            if way == "received":
                fm = ForwardMsg()
                fm.ParseFromString(data)
                replies.append(describe(fm))
        if any(r.startswith("script_finished") for r in replies):
            break
    sent = []
    for way, data in frames[start:]:
        if way == "sent":
            bm = BackMsg()
            bm.ParseFromString(data)
            if bm.WhichOneof("type") == "rerun_script":
                sent.append(bm)
    context.close()
    assert len(sent) == 1, f"the browser sent {len(sent)} rerun requests for one move"
    end = next(i for i, r in enumerate(replies) if r.startswith("script_finished"))
    return sent[0], replies[: end + 1]


async def _simulated_move(url: str) -> tuple[BackMsg, list[str]]:
    async with SimSession(url, "leak=0.2") as s:
        await s.open()
        run = await s.move_slider("leak", 0.21)
        assert run.ok
        return s.sent[-1], run.kinds


@pytest.mark.browser
def test_a_simulated_move_looks_like_a_real_browser_move(browser):
    with serve(ROOT / "app.py") as (url, _pid):
        real_msg, real_replies = _browser_move(browser, url)
        # Playwright's sync API holds this thread's event loop: the simulation gets its own.
        with ThreadPoolExecutor(1) as pool:
            sim_msg, sim_replies = pool.submit(asyncio.run, _simulated_move(url)).result()
    real, sim = rerun_fields(real_msg), rerun_fields(sim_msg)
    assert sim == real
    assert real["fragment_id"] and real["widgets"]  # a fragment rerun, with widget states
    assert sim_replies == real_replies
    assert real_replies[-1] == f"script_finished:{ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}"


async def _simulated_load_assets(url: str) -> list[str]:
    async with SimSession(url) as s:
        run = await s.open()
        return sorted(run.assets) + [load.PLOTLY_JS] * bool(run.assets)


@pytest.mark.browser
def test_a_simulated_load_fetches_what_the_browser_fetches_for_the_charts(browser):
    # The class's arrival costs the server these files (gzipped per request): the
    # simulation must fetch the same ones, or the load figures leave that cost out.
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
        with ThreadPoolExecutor(1) as pool:
            simulated = pool.submit(asyncio.run, _simulated_load_assets(url)).result()
    assert sorted(set(fetched)) == sorted(simulated)
    assert load.PLOTLY_JS in simulated
