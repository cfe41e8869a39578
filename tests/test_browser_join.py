"""Joining a class by its QR code in a real browser, with RELULAB_PUBLIC_URL set.

The server is started as `make run` starts it (no ``--server.address``: it listens on
every address) with RELULAB_PUBLIC_URL at another loopback address, 127.0.0.2. The
teacher opens the page as 127.0.0.1, so the page's own address is not one a phone could
open: the QR code must carry RELULAB_PUBLIC_URL's, and a second browser that opens what
the QR code says is in the class. Only loopback addresses are ever opened."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from unittest import mock

import pytest
from serve import READY, free_port, serve

from relulab_app import public_url

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(chromium):
    port = free_port()
    public = f"http://127.0.0.2:{port}"
    with (
        mock.patch.dict(os.environ, {public_url.ENV: public}),
        serve(ROOT / "app.py", port=port, address=None) as (url, _pid),
    ):
        yield url, public


def _open(browser, url: str):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(READY, timeout=60_000)
    return context, page


def test_a_student_joins_by_opening_the_decoded_qr_code(browser, served, zbarimg, tmp_path):
    url, public = served
    assert url.startswith("http://127.0.0.1:")
    teacher_ctx, teacher = _open(browser, url)
    student_ctx = None
    try:
        menu = teacher.get_by_role("button", name=re.compile(r"^Class"))
        menu.click()
        teacher.get_by_role("button", name="Open a class (for the teacher)").click()
        teacher.wait_for_function("location.search.includes('class=')", timeout=20_000)
        code = teacher.evaluate("new URLSearchParams(location.search).get('class')")
        qr = teacher.locator('[data-testid="stImage"]').filter(
            has_text=re.compile(r"^Scan to join class")
        )
        qr.locator("img").wait_for(timeout=20_000)
        shot = tmp_path / "join-qr.png"
        qr.locator("img").screenshot(path=str(shot))
        decoded = subprocess.run(
            [zbarimg, "--quiet", "--raw", str(shot)], capture_output=True, text=True
        ).stdout.strip()
        assert decoded == f"{public}/?class={code}"
        teacher.get_by_text(public_url.ENV).first.wait_for(timeout=20_000)  # the note
        student_ctx, student = _open(browser, decoded)  # 127.0.0.2: loopback
        student.get_by_text(f"You are in class {code}").first.wait_for(timeout=20_000)
    finally:
        teacher_ctx.close()
        if student_ctx is not None:
            student_ctx.close()
