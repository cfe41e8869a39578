"""Sketch the derivative, in Chromium: a teacher at 1024x768 asks the class to sketch
f′; a phone draws with its finger (real touch events) and a laptop with the mouse; the
projector overlays both within 2 s, a hostile sketch is refused and changes nothing,
and the reveal shows the truth and each student's score. Then the quiz alone."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import numpy as np
import pytest
from serve import READY, serve
from test_browser_class import _open, _open_class, _wait_text

from relulab_app import quiz, sketch

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.browser
PAD = {"left": 44, "right": 12, "top": 12, "bottom": 30}  # sketch.js's plot margins (not present)
SVG = ".rl-sketch svg"


def _question_shown(page) -> quiz.Question:
    """The sketch question on the page, made again from its prompt (the test draws the
    true curve, so it must know which)."""
    text = page.locator('[data-testid="stMain"]').inner_text()
    for seed in range(5000):
        q = quiz.make("sketch_df", seed)
        if q.prompt in text:
            return q
    raise AssertionError(f"no sketch question on the page: {text[:600]}")


def _to_px(box: dict, axes: sketch.Axes, x: float, y: float) -> tuple[float, float]:
    w = box["width"] - PAD["left"] - PAD["right"]
    h = box["height"] - PAD["top"] - PAD["bottom"]
    px = box["x"] + PAD["left"] + (x - axes.x[0]) / (axes.x[1] - axes.x[0]) * w
    py = box["y"] + PAD["top"] + (axes.y[1] - y) / (axes.y[1] - axes.y[0]) * h
    return px, py


def _strokes(spec: sketch.Spec, right: bool) -> list[list[tuple[float, float]]]:
    """The true curve in pieces (a pen lifted at each jump), or a flat wrong line."""
    xs = np.linspace(*spec.axes.x, 60)
    if not right:
        return [[(x, spec.axes.y[1] - 0.1) for x in xs]]
    ys = np.clip(spec.truth(xs), *spec.axes.y)
    cuts = np.searchsorted(xs, [k for k, a, b in spec.jumps() if a != b])
    return [list(zip(xs[p], ys[p], strict=True)) for p in np.split(np.arange(60), cuts) if len(p)]


def _draw_with_mouse(page, spec, right: bool) -> None:
    box = page.locator(SVG).bounding_box()
    for stroke in _strokes(spec, right):
        page.mouse.move(*_to_px(box, spec.axes, *stroke[0]))
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(*_to_px(box, spec.axes, x, y))
        page.mouse.up()


def _draw_with_finger(page, spec, right: bool) -> None:
    # Real touch input through the DevTools protocol: Chromium makes the pointer events.
    cdp = page.context.new_cdp_session(page)
    box = page.locator(SVG).bounding_box()
    scroll = page.evaluate("window.scrollY")
    for stroke in _strokes(spec, right):
        for i, (x, y) in enumerate(stroke):
            px, py = _to_px(box, spec.axes, x, y)
            kind = "touchStart" if i == 0 else "touchMove"
            cdp.send(
                "Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": px, "y": py}]}
            )
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    assert page.evaluate("window.scrollY") == scroll  # drawing does not scroll the page


def _send(page) -> None:
    page.get_by_role("button", name="Send my sketch").click()


def _overlay_count(page) -> int:
    text = page.locator(".rl-sk-count").last.inner_text()
    return int(re.match(r"(\d+) sketches", text)[1])


def test_a_class_sketches_the_derivative(browser, tmp_path, monkeypatch):
    monkeypatch.delenv("RELULAB_REDIS_URL", raising=False)
    monkeypatch.setenv("RELULAB_CLASS_DB", str(tmp_path / "classes.sqlite3"))
    with serve(ROOT / "app.py") as (url, _pid):
        teacher = _open(browser, f"{url}/?present=1")
        code = _open_class(teacher)
        phone = _open(browser, f"{url}/?class={code}", phone=True)
        laptop = _open(browser, f"{url}/?class={code}")
        hostile = _open(browser, f"{url}/?class={code}")
        _wait_text(teacher, r"\b3\s+students joined")
        teacher.get_by_role("button", name="Hide the join screen").click()
        teacher.get_by_role("button", name="Choose or write a question").click()
        teacher.get_by_label("Kind").click()
        teacher.get_by_role("option", name="Sketch the derivative").click()
        teacher.wait_for_selector(READY, timeout=30_000)
        # The preview shows the kind chosen: its rerun is over, the button asks that one.
        teacher.get_by_text("Sketch f′(x), the derivative").first.wait_for(timeout=30_000)
        teacher.locator(".st-key-class_ask_bank button").click()
        teacher.wait_for_selector(READY, timeout=30_000)
        teacher.keyboard.press("Escape")
        for s in (phone, laptop, hostile):
            _wait_text(s, "Sketch f′\\(x\\)")
            s.locator(SVG).wait_for(timeout=30_000)
        q = _question_shown(phone)
        spec = sketch.Spec.loads(q.answer)

        _draw_with_finger(phone, spec, right=True)
        _send(phone)
        _wait_text(phone, "Sent: your sketch")
        sent_at = time.monotonic()
        one = teacher.locator(".rl-sk-count").filter(has_text=re.compile(r"^1 sketches"))
        one.wait_for(timeout=2_000)
        assert time.monotonic() - sent_at < 2.0  # the projector shows it within 2 s

        _draw_with_mouse(laptop, spec, right=False)
        _send(laptop)
        _wait_text(laptop, "Sent: your sketch")

        # A tampered page sends a sketch with NaN in it: refused, and nothing changes.
        _draw_with_mouse(hostile, spec, right=True)
        hostile.evaluate(
            "() => { const s = JSON.stringify; JSON.stringify = (v, ...r) => "
            "Array.isArray(v) && Array.isArray(v[0]) && Array.isArray(v[0][0]) "
            "? '[[[0, NaN], [1, 1]]]' : s(v, ...r); }"
        )
        _send(hostile)
        _wait_text(hostile, "Not sent: ")
        teacher.wait_for_timeout(1_500)  # two of the projector's refreshes
        assert _overlay_count(teacher) == 2

        teacher.get_by_role("button", name="Reveal to the class").click()
        _wait_text(teacher, r"2 of 3 answered; 1 right")
        teacher.locator(".rl-sk-truth").wait_for(state="attached", timeout=10_000)
        teacher.locator(".rl-sk-others path.closest").first.wait_for(
            state="attached", timeout=10_000
        )
        _wait_text(phone, r"Right: 1\d\d % of the x-range|Right: 9\d % of the x-range")
        _wait_text(laptop, r"Not quite: \d+ % of the x-range")
        phone.locator(".rl-sk-truth").wait_for(state="attached", timeout=10_000)
        for page in (teacher, phone, laptop, hostile):
            assert page.locator('[data-testid="stException"]').count() == 0
            page.context.close()


def test_the_quiz_alone_draws_reveals_and_scores(browser):
    with serve(ROOT / "app.py") as (url, _pid):
        page = _open(browser, f"{url}/?quiz=1")
        for n in range(1, len(quiz.KINDS) + 1):  # every kind comes once in the first round
            _wait_text(page, f"Question {n}: ")
            if page.get_by_text(f"Question {n}: Sketch the derivative").count():
                break
            page.get_by_role("button", name="Another question").click()
        page.wait_for_selector(READY, timeout=30_000)
        page.locator(SVG).wait_for(timeout=30_000)
        q = _question_shown(page)
        spec = sketch.Spec.loads(q.answer)
        _draw_with_mouse(page, spec, right=True)
        _send(page)
        _wait_text(page, r"Right: \d+ % of the x-range")
        page.locator(".rl-sk-truth").wait_for(
            state="attached", timeout=10_000
        )  # the truth over the sketch
        result = page.locator('[data-testid="stMain"]').inner_text()
        assert json.dumps(q.explanation)[1:-1] in result
        page.context.close()
