"""Sharing a view in a real browser: the QR code decodes back to the view's link, the
reset returns to the article's view, and an over-long paste gets the parser's message."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from serve import READY, serve

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(chromium):
    with serve(ROOT / "app.py") as (url, _pid):
        yield url


def _open(browser, url: str):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(READY, timeout=60_000)
    page.wait_for_function(
        "document.querySelectorAll('.rl-plot .main-svg').length >= 2", timeout=60_000
    )
    return context, page


def test_the_qr_code_decodes_to_this_views_link(browser, server, zbarimg, tmp_path):
    context, page = _open(browser, f"{server}/?leak=0.25&x_range=-3&x_range=3")
    try:
        page.get_by_role("button", name="Share").click()
        image = page.locator('[data-testid="stPopoverBody"] img').first
        image.wait_for(timeout=20_000)
        shot = tmp_path / "qr.png"
        image.screenshot(path=str(shot))
        decoded = subprocess.run(
            [zbarimg, "--quiet", "--raw", str(shot)], capture_output=True, text=True
        ).stdout.strip()
        assert decoded.startswith(server + "/?")
        query = decoded.split("?", 1)[1].split("&")
        assert sorted(query) == sorted(["leak=0.25", "x_range=-3", "x_range=3"])
        # The same link as text, for the copy button.
        assert decoded in page.locator('[data-testid="stPopoverBody"] code').inner_text()
    finally:
        context.close()


def test_back_to_the_articles_view_resets_everything(browser, server):
    context, page = _open(browser, f"{server}/?act=elu&alpha=0.5&kink=jax")
    try:
        page.get_by_role("button", name="Share").click()
        page.get_by_role("button", name="Back to the article's view").click()
        page.wait_for_function("location.search === ''", timeout=20_000)
        page.wait_for_function(
            "[...document.querySelectorAll('.rl-plot')].some(el => el.data &&"
            " el.data.some(t => t.name === 'Leaky ReLU (0.1)'))",
            timeout=20_000,
        )
    finally:
        context.close()


def test_an_over_long_paste_gets_the_parsers_message(browser, server):
    context, page = _open(browser, server)
    try:
        page.get_by_text("Your own values").click()
        box = page.get_by_role("textbox", name="Numbers")
        box.wait_for(timeout=20_000)
        box.fill("1, " * 34_000)  # 102,000 characters: over the 100,000 limit
        box.press("Control+Enter")
        page.get_by_text("longer than 100,000 characters").wait_for(timeout=30_000)
    finally:
        context.close()


def test_the_teachers_projected_view_follows_the_answers(browser, server):
    teacher_ctx, teacher = _open(browser, server)
    student_ctx = None
    try:
        teacher.get_by_role("button", name="Class").click()
        teacher.get_by_role("button", name="Open a class (for the teacher)").click()
        teacher.wait_for_function("location.search.includes('class=')", timeout=20_000)
        code = teacher.evaluate("new URLSearchParams(location.search).get('class')")
        teacher.keyboard.press("Escape")
        teacher.get_by_role("button", name="Ask the next question").click()
        teacher.get_by_text("0 of 0 answered").or_(
            teacher.get_by_text("0 of 1 answered")
        ).first.wait_for(timeout=20_000)
        student_ctx, student = _open(browser, f"{server}/?class={code}")
        title = student.get_by_text(f"Class {code}, question 1")
        title.wait_for(timeout=20_000)
        # The class's own order may start with a sketch (drawn in test_browser_sketch.py):
        # then the next question, which is another kind.
        if "Sketch" in title.inner_text():
            teacher.get_by_role("button", name="Ask the next question").click()
            student.get_by_text(f"Class {code}, question 2").wait_for(timeout=20_000)
        box = student.get_by_role("textbox", name="Your answer")
        if box.count():
            box.fill("0.5")
            box.press("Enter")  # Enter sends a number
        else:
            student.get_by_role("radiogroup", name="Your answer").get_by_role("radio").first.check(
                force=True
            )
            student.get_by_role("button", name="Send").click()
        student.get_by_text("Sent: ").wait_for(timeout=20_000)
        # The teacher's chart refreshes every second: it shows the answer without a click.
        teacher.get_by_text("1 of 1 answered").wait_for(timeout=10_000)
        # Readable projected: tick labels and the axis title at >= 14 px, in the page's
        # full text colour (the chart theme's own grey is about 3.7:1 on white).
        texts = teacher.evaluate(
            """() => { const c = document.querySelector('[data-testid=stPlotlyChart]');
              return [...c.querySelectorAll('.xtick text, .ytick text, .g-ytitle text')]
                .map(e => [getComputedStyle(e).fill, parseFloat(getComputedStyle(e).fontSize),
                           getComputedStyle(c).color]); }"""
        )
        assert texts and all(fill == color and size >= 14 for fill, size, color in texts), texts
        SHOTS = ROOT / "screenshots"
        SHOTS.mkdir(exist_ok=True)
        teacher.screenshot(path=str(SHOTS / "class-teacher.png"), full_page=False)
        student.screenshot(path=str(SHOTS / "class-student.png"), full_page=False)
    finally:
        teacher_ctx.close()
        if student_ctx is not None:
            student_ctx.close()


def test_the_menu_switches_the_theme_and_the_charts_follow(browser, server):
    # toolbarMode "viewer" keeps Streamlit's menu, whose System / Light / Dark switch is
    # how a student or a teacher at a projector changes the theme.
    context, page = _open(browser, server)
    try:
        light = page.evaluate("document.querySelector('.rl-plot')._fullLayout.font.color")
        page.get_by_test_id("stMainMenu").click()
        page.get_by_text(re.compile(r"^\s*(dark_mode)?\s*Dark\s*$")).last.click()
        page.wait_for_function(
            f"document.querySelector('.rl-plot')._fullLayout.font.color !== {light!r}",
            timeout=20_000,
        )
    finally:
        context.close()
