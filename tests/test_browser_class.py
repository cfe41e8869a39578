"""A real lesson in Chromium: a teacher and three students' phones in one class, a
question the teacher wrote, answers sent with Enter, and a server restart mid-question
on both stores (the default SQLite file and a real redis-server), after which everyone
carries on without a reload: the same teacher, the same students (never counted twice),
each student's "Sent" and the answers so far."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from serve import READY, free_port, serve

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "screenshots"
# The page in Streamlit's dark theme: its background, not a class name, says so.
DARK = """() => {
  const [r, g, b] = getComputedStyle(document.querySelector('[data-testid="stApp"]'))
    .backgroundColor.match(/\\d+/g).map(Number);
  return r + g + b < 200;
}"""
pytestmark = pytest.mark.browser
CONNECTED = '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
AWAY = '[data-testid="stApp"][data-test-connection-state="PINGING_SERVER"]'


def _open(browser, url: str, *, phone: bool = False):
    size = {"width": 390, "height": 844} if phone else {"width": 1024, "height": 768}
    context = browser.new_context(viewport=size, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(READY, timeout=60_000)
    return page


def _main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def _wait_text(page, pattern: str, timeout: float = 30_000) -> None:
    page.wait_for_function(
        "re => new RegExp(re).test(document.querySelector('[data-testid=\"stMain\"]').innerText)",
        arg=pattern,
        timeout=timeout,
    )


def _open_class(page) -> str:
    """Class → Open a class, as a teacher does; the class code."""
    page.get_by_role("button", name="Class").click()
    page.wait_for_selector(READY, timeout=30_000)  # the menu's own rerun has finished
    page.get_by_role("button", name="Open a class (for the teacher)").click()
    page.wait_for_function("location.search.includes('class=')", timeout=30_000)
    page.wait_for_selector(READY, timeout=30_000)
    page.keyboard.press("Escape")
    return re.search(r"class=([A-Z2-9]{6})", page.url)[1]


def _teacher_writes(page, text: str, answer: str, tolerance: str) -> None:
    page.get_by_role("button", name="Choose or write a question").click()
    page.wait_for_selector(READY, timeout=30_000)  # opening it reruns the page
    page.get_by_role("tab", name="Write your own").click(timeout=60_000)
    page.get_by_role("textbox", name="Question", exact=True).fill(text)
    page.get_by_label("The right number").fill(answer)
    page.get_by_label("Counts as right within ±").fill(tolerance)
    page.get_by_role("button", name="Ask the class").last.click()
    page.wait_for_selector(READY, timeout=30_000)
    page.keyboard.press("Escape")


def _send_with_enter(page, value: str) -> None:
    box = page.get_by_label("Your answer")
    box.wait_for(timeout=30_000)
    box.fill(value)
    box.press("Enter")
    _wait_text(page, f"Sent: {re.escape(value)}\\.")


def test_a_lesson_carries_on_across_a_server_restart(browser, class_store):
    port = free_port()
    with serve(ROOT / "app.py", port=port) as (url, _pid):
        teacher = _open(browser, f"{url}/?present=1")
        code = _open_class(teacher)
        assert "teacher=" not in teacher.url  # the projected address bar holds no token
        assert teacher.locator(".st-key-class_join_code").inner_text().strip() == code
        students = [_open(browser, f"{url}/?class={code}", phone=True) for _ in range(3)]
        _wait_text(teacher, r"\b3\s+students joined")
        _teacher_writes(teacher, "What is f′(−2) of Leaky ReLU at leak 0.1?", "-0.2", "0.01")
        for s in students:
            _wait_text(s, "What is f′\\(−2\\)")
        _send_with_enter(students[0], "-0.2")
        _send_with_enter(students[1], "5")
        _wait_text(teacher, r"2 of 3 answered")

    for page in (teacher, *students):
        page.wait_for_selector(AWAY, timeout=30_000)  # the server is gone
    with serve(ROOT / "app.py", port=port):
        for page in (teacher, *students):
            page.wait_for_selector(CONNECTED, timeout=60_000)
        # No reload: the same question, the same "Sent", the same teacher.
        _send_with_enter(students[2], "-0.2")  # at once: not lost by the new server
        _wait_text(teacher, r"3 of 3 answered")  # the rejoined are not new students
        _wait_text(students[0], r"Sent: -0\.2\.")
        assert students[0].get_by_label("Your answer").input_value() == "-0.2"
        _send_with_enter(students[0], "-0.25")  # a changed answer replaces the stored one
        teacher.get_by_role("button", name="Reveal to the class").click()
        _wait_text(teacher, r"3 of 3 answered; 1 right")
        _wait_text(students[1], r"Not quite: you sent 5; the answer is -0\.2")
        _wait_text(students[0], r"Not quite: you sent -0\.25")
        _wait_text(students[2], r"Right: -0\.2")
        assert "teacher=" not in teacher.url
        for page in (teacher, *students):
            assert page.locator('[data-testid="stException"]').count() == 0
            page.context.close()


def test_the_join_screen_and_the_question_screen_read_from_the_back_of_a_room(
    browser, tmp_path, monkeypatch
):
    # A 1024x768 projector in present mode: the code at >= 64 px and the QR code at
    # >= 300 px; then, the join screen hidden, a revealed question's answer, its tally
    # and the tally's labels all above the fold.
    monkeypatch.delenv("RELULAB_REDIS_URL", raising=False)
    monkeypatch.setenv("RELULAB_CLASS_DB", str(tmp_path / "classes.sqlite3"))
    with serve(ROOT / "app.py") as (url, _pid):
        teacher = _open(browser, f"{url}/?present=1")
        _open_class(teacher)
        code = teacher.locator(".st-key-class_join_code p").first
        code.wait_for(timeout=30_000)
        assert float(code.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 64
        qr = teacher.locator('[data-testid="stImage"] img').first
        box = qr.bounding_box()
        assert box["width"] >= 300 and box["height"] >= 300
        teacher.get_by_role("button", name="Hide the join screen").click()
        _teacher_writes(teacher, "f′(−2) at leak 0.1?", "0.1", "0")
        teacher.get_by_role("button", name="Reveal to the class").click()
        _wait_text(teacher, "The answer: 0\\.1")
        teacher.wait_for_selector(READY, timeout=30_000)
        answer = teacher.get_by_text("The answer: 0.1").first.bounding_box()
        tally = teacher.locator('[data-testid="stPlotlyChart"]').first
        chart = tally.bounding_box()
        ticks = tally.locator(".xtick text").all()
        assert answer["y"] + answer["height"] <= 768
        assert chart["y"] + chart["height"] <= 768, chart
        assert ticks and all(t.bounding_box()["y"] < 768 for t in ticks)
        teacher.context.close()


def test_a_phone_takes_news_without_refreshing_and_counts_down(browser, tmp_path, monkeypatch):
    # A student's phone sends nothing while nothing happens; a question reaches it with
    # one run of the page, which its news element asks for (relulab_app/news.py); a
    # countdown is counted down on the phone, and at 0 the page closes the answers.
    monkeypatch.delenv("RELULAB_REDIS_URL", raising=False)
    monkeypatch.setenv("RELULAB_CLASS_DB", str(tmp_path / "classes.sqlite3"))
    with serve(ROOT / "app.py") as (url, _pid):
        teacher = _open(browser, url)
        code = _open_class(teacher)
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
            color_scheme="light",
        )  # fmt: skip
        phone = context.new_page()
        sent: list[str] = []
        phone.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(f)))
        phone.goto(f"{url}/?class={code}")
        phone.wait_for_selector(READY, timeout=60_000)
        _wait_text(phone, "The teacher's question will appear here")
        before = len(sent)
        phone.wait_for_timeout(5_000)  # more than one news interval (4 s)
        assert len(sent) == before
        teacher.get_by_role("button", name="Choose or write a question").click()
        teacher.wait_for_selector(READY, timeout=30_000)
        seconds = teacher.get_by_role("spinbutton", name="Countdown in seconds (0: none)")
        seconds.fill("8")
        seconds.press("Tab")
        teacher.wait_for_selector(READY, timeout=30_000)
        teacher.get_by_role("tab", name="Write your own").click(timeout=60_000)
        teacher.get_by_role("textbox", name="Question", exact=True).fill("Quick: relu(-3)?")
        teacher.get_by_label("The right number").fill("0")
        teacher.get_by_role("button", name="Ask the class").last.click()
        _wait_text(phone, "Quick: relu\\(-3\\)\\?")
        assert len(sent) == before + 1  # one run of the page
        clock = phone.locator(".st-key-class_news .rl-clock")
        first = clock.inner_text()
        assert re.fullmatch(r"Time left: [5-8] s", first), first
        size = clock.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 20  # as large as the teacher's countdown
        # Both schemes on the one phone (the page follows the system's as it changes): a
        # second lesson would only wait through the same news and countdown again.
        phone.screenshot(path=str(SHOTS / "class-countdown-phone-light.png"))
        phone.emulate_media(color_scheme="dark")
        phone.wait_for_function(DARK, timeout=10_000)
        phone.screenshot(path=str(SHOTS / "class-countdown-phone-dark.png"))
        assert clock.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 20
        phone.wait_for_function(
            "() => /Time left: [1-4] s/.test(document.querySelector('.rl-clock')?.innerText)",
            timeout=10_000,
        )
        _wait_text(phone, "Answers closed: time is up", timeout=15_000)  # the phone's clock
        expect(phone.get_by_label("Your answer")).to_be_disabled(timeout=15_000)  # its rerun
        expect(clock).to_have_count(0)
        assert len(sent) == before + 2
        assert phone.locator('[data-testid="stException"]').count() == 0
        context.close()
        teacher.context.close()


def test_a_students_page_keeps_asking_through_the_stores_outage(browser, tmp_path, monkeypatch):
    # The class's Redis stops mid-lesson (a service restart): the phone says the class
    # cannot be reached, and keeps asking for news, so that once Redis is back the
    # teacher's next question reaches it by itself, without a reload.
    from conftest import RedisServer, redis_server_path

    from relulab_app import classroom

    redis = RedisServer(
        redis_server_path(), free_port(), "--appendonly", "yes", "--dir", str(tmp_path)
    )
    redis.start()
    monkeypatch.setenv("RELULAB_REDIS_URL", redis.url)
    try:
        store = classroom.RedisStore(redis.url)
        code, token = store.open_class()
        store.ask(code, token, "own-1", "number", (), 1.0, prompt="First: relu(1)?")
        with serve(ROOT / "app.py") as (url, _pid):
            phone = _open(browser, f"{url}/?class={code}", phone=True)
            _wait_text(phone, r"First: relu\(1\)\?")
            redis.stop()
            _wait_text(phone, "cannot be reached")  # its news route answers 503: a run
            redis.start()
            store.ask(code, token, "own-2", "number", (), 2.0, prompt="Second: relu(2)?")
            _wait_text(phone, r"Second: relu\(2\)\?")
            assert phone.locator('[data-testid="stException"]').count() == 0
            phone.context.close()
    finally:
        redis.stop()
