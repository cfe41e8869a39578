"""A student's page learns of its class's news from a plain HTTP GET, not from a rerun.

The page's news element (webchart/news.js) asks ``/api/class/<code>/news`` every
:data:`EVERY` seconds and asks for a run only when the answer differs from what the
page shows (:func:`relulab_app.classroom.news`: a new question, its reveal, a lock or a
countdown): of the class panel's fragment, which it is in, or of the whole page when
the news changes more than the panel (relulab_app/classroom_view.py). A timed
fragment rerun did this before, a script run per student every 2 s whether or not
anything had changed: a third of a core for 100 idle students, and the queue every
question's arrival then waited behind (docs/performance.md, "Class news").
The element also counts a countdown down in the browser, which a rerun per second
would cost as much again. The route is served beside the page by ``st.App`` (app.py).
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable

import streamlit as st
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from relulab_app import classroom

EVERY = 4.0  # seconds between a page's asks (why: docs/performance.md, "Class news")
PATH = "api/class/{code}/news"  # relative to the page, whatever path it is served under
_NO_STORE = {"Cache-Control": "no-store"}


def _news(request: Request) -> PlainTextResponse:
    # A plain function: Starlette runs it in a worker thread, so a slow store (a Redis
    # across the network) never holds up the server's event loop.
    code = classroom.parse_code(request.path_params["code"])
    if code != request.path_params["code"]:
        return PlainTextResponse("not a class code", 404, headers=_NO_STORE)
    try:
        text = classroom.news(classroom.store_from_env(os.environ).current(code))
    except classroom.Ended:
        text = "ended"
    except classroom.NoSuchClass:
        text = "gone"
    except classroom.ClassroomError:
        return PlainTextResponse("the class store cannot be reached", 503, headers=_NO_STORE)
    return PlainTextResponse(text, headers=_NO_STORE)


# Under any prefix: st.App adds its routes outside --server.baseUrlPath, and a page
# served under a path (that option, or a proxy's) asks relative to its own address.
ROUTES = [Route("/{prefix:path}" + PATH, _news, methods=["GET"])]


@functools.cache
def _element():
    # Made on first use; its script is found through relulab_app/pyproject.toml. Not
    # style-isolated: the page's classroom.css hides the element while it has no
    # countdown (`:has(.rl-clock)`), which cannot look into a shadow root.
    return st.components.v2.component(
        "relulab_app.news", js="news.js", css="news.css", isolate_styles=False
    )


# What a page shows when it could not read its class (the store is down, or the class
# has just ended): any news the route gives differs from it, so the page asks for a run
# again until one reads it (or, for the end, runs whole and leaves the class).
UNREAD = "unread"


def watch(code: str, poll: classroom.Poll | str | None, on_news: Callable[[], None]) -> None:
    """The news element of class ``code`` on a page that shows ``poll`` (or
    :data:`UNREAD`): ``on_news`` runs (before the rerun of the fragment it is in, or of
    the page) when the class has news; while a countdown runs, the element shows the
    seconds left."""
    left = None
    if isinstance(poll, str):
        news, poll = poll, None
    else:
        news = classroom.news(poll)
    if poll is not None and poll.deadline is not None and poll.closed_why(time.time()) is None:
        left = round(poll.deadline - time.time(), 1)
    data = {
        "url": PATH.format(code=code),
        "news": news,
        "every": EVERY,
        "left": left,
    }
    _element()(data=data, key="class_news", on_news_change=on_news)
