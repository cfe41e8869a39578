"""The class news route (relulab_app/news.py) on a served page, on both stores: what a
student's page asks every few seconds instead of rerunning."""

from __future__ import annotations

from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest
from serve import serve

from relulab_app import classroom

ROOT = Path(__file__).resolve().parent.parent


def _get(url: str) -> tuple[int, str, str]:
    try:
        with urlopen(url, timeout=30) as r:
            return r.status, r.read().decode(), r.headers["Cache-Control"]
    except HTTPError as e:
        return e.code, e.read().decode(), e.headers["Cache-Control"]


@pytest.fixture(scope="module")
def server():
    with serve(ROOT / "app.py") as (url, _pid):
        yield url


def test_the_news_follow_a_class_from_its_first_question_to_its_end(class_store):
    store = classroom.store_from_env()
    code, token = store.open_class()
    with serve(ROOT / "app.py") as (url, _pid):  # on the store class_store chose
        _follow(store, code, token, f"{url}/api/class/{code}/news")


def _follow(store: classroom.Store, code: str, token: str, news: str) -> None:
    assert _get(news) == (200, "0", "no-store")
    store.ask(code, token, "relu-dash-0", "choice", ("0", "1", "leak"), "leak")
    assert _get(news)[1] == "1.0.0.0"
    store.answer(code, classroom.new_session_id(), "relu-dash-0", "leak")
    assert _get(news)[1] == "1.0.0.0"  # answers are not news to a student
    store.lock(code, token)
    assert _get(news)[1] == "1.0.1.0"
    store.reveal(code, token)
    assert _get(news)[1] == "1.1.1.0"
    store.close(code, token)
    assert _get(news)[1] == "ended"


@pytest.mark.parametrize("code", ["K7MX3P", "k7mx3p", "K7MX3", "<script>", "A" * 300, "%00"])
def test_a_code_that_names_no_class_is_gone_or_refused(server, code):
    status, text, cache = _get(f"{server}/api/class/{code}/news")
    if code == "K7MX3P":
        assert (status, text, cache) == (200, "gone", "no-store")
    else:
        assert status in (400, 404) and "Traceback" not in text, text  # (400: %00)


def test_the_route_answers_under_a_base_url_path(tmp_path, monkeypatch):
    # A page served under --server.baseUrlPath asks relative to its own address;
    # st.App adds its routes outside that path, so the route takes any prefix.
    monkeypatch.delenv("RELULAB_REDIS_URL", raising=False)
    monkeypatch.setenv("RELULAB_CLASS_DB", str(tmp_path / "classes.sqlite3"))
    with serve(ROOT / "app.py", base="relulab") as (url, _pid):
        assert url.endswith("/relulab")
        assert _get(f"{url}/api/class/K7MX3P/news")[:2] == (200, "gone")
