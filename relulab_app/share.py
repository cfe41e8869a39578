"""Share this view: its link as a QR code a class can scan (drawn on the server by
segno, pure Python, no network), the link as text with a copy button, and a way back to
the article's view with every setting at its default."""

from __future__ import annotations

import contextlib
import io
import os
from urllib.parse import urlencode, urlsplit, urlunsplit

import segno
import streamlit as st
from streamlit.errors import StreamlitAPIException

from relulab import registry
from relulab_app import common, link, public_url, urlstate

# Never in a shared link: the teacher's token would make whoever scans it the teacher,
# and a class is joined through its own join link (the Class menu).
PRIVATE = ("teacher", "class")
# The page's address when the browser has not reported it (AppTest): Streamlit's default.
_UNKNOWN_PAGE = "http://localhost:8501/"


def view_url() -> str:
    """This view's address: the page's own address with the settings the page keeps in
    the address bar now (they change after the browser connected, so st.context.url,
    which the browser reported then, may lack them)."""
    query = urlencode(
        [(k, v) for k in st.query_params if k not in PRIVATE for v in st.query_params.get_all(k)],
        safe=",",
    )
    parts = urlsplit(st.context.url or _UNKNOWN_PAGE)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))


def join_link(code: str) -> public_url.JoinLink:
    """The students' link to a class (an address with ``?class=CODE`` only) and a note
    for the teacher's panel. Served as localhost, the page's own address would point
    each phone at itself: `public_url.choose` says which address is used instead, and
    why phones might not reach it."""
    return public_url.choose(
        st.context.url or _UNKNOWN_PAGE,
        f"class={code}",
        public_url=os.environ.get(public_url.ENV),
        listen=st.get_option("server.address"),
        interfaces=public_url.interface_addresses,
    )


def join_note(where, link: public_url.JoinLink) -> None:
    """The link's note in ``where``: a caption, or a warning when the teacher has
    something to fix before phones can join."""
    if link.note and link.alert:
        where.warning(link.note, icon=":material/wifi_off:")
    elif link.note:
        where.caption(link.note)


def qr_png(text: str, scale: int) -> bytes:
    """``text`` as a QR code PNG (error correction M: readable from a projected,
    slightly blurred image), ``scale`` pixels a module, with the standard quiet zone."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def _defaults_of_bound_widgets() -> dict[str, object]:
    """The sliders bound to the URL, at their defaults: Streamlit keeps a bound
    widget's URL value in step with the widget, so they are reset through the widget."""
    out: dict[str, object] = {"leak": urlstate.LEAK_DEFAULT, "x_range": urlstate.X_DEFAULT}
    for act in registry.REGISTRY.values():
        out.update(act.defaults())
    return out


def _back_to_the_article() -> None:
    bound = _defaults_of_bound_widgets()
    for key in list(st.session_state):
        if key not in bound:
            del st.session_state[key]
    for key, value in bound.items():
        st.session_state[key] = value
    for key in list(st.query_params):
        # A param bound to a widget drawn now cannot be deleted (Streamlit refuses);
        # its widget was just set to its default, which takes it out of the URL.
        with contextlib.suppress(StreamlitAPIException):
            del st.query_params[key]
    link.restart()


def share_button(where) -> None:
    """A compact "Share" popover: QR code, the link, and the reset. Its content is made
    when it opens (a rerun), so the link is the view's as it is then."""
    box = where.popover("Share", key="share", on_change="rerun")
    if not box.open:
        return
    url = view_url()
    box.image(qr_png(url, 10 if common.present() else 6), caption="Scan to open this view")
    box.code(url, language=None, wrap_lines=True)  # the code block has a copy button
    box.button(
        "Back to the article's view",
        on_click=_back_to_the_article,
        icon=":material/restart_alt:",
        help="Every setting back to its default, and a clean address bar.",
    )
