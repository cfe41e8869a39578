"""A simulated browser session: Streamlit's websocket protocol, spoken with Streamlit's own
protobuf classes, without a browser.

It does what the frontend does for a student who opens the page and moves a slider:

- connects to ``/_stcore/stream`` with the ``streamlit`` subprotocol and an Origin header
  matching the host (the server rejects any other origin: CORS and XSRF are on);
- sends a ``rerun_script`` BackMsg with the page's query string and the browser's context;
- reads ForwardMsgs until ``script_finished``, learning every widget the page renders (its
  id, its value, its URL key and the fragment it lives in) as the frontend does;
- on a slider move, sends the states of all widgets it knows, the new URL query string and,
  for a slider inside an ``@st.fragment``, that fragment's id, so the server reruns only
  the fragment, exactly as a real browser's rerun does.

tests/test_load.py checks that one simulated move looks to the server the same as one
real Chromium move (same BackMsg fields, same reply sequence, same kind of rerun).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.NumberInput_pb2 import NumberInput
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

# ForwardMsg.ScriptFinishedStatus values that mean the run completed.
FINISHED_OK = {
    ForwardMsg.FINISHED_SUCCESSFULLY,
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}
# The browser reports its context with every rerun; a headless Chromium's, as recorded.
CONTEXT = {
    "timezone": "UTC",
    "timezone_offset": 0,
    "locale": "en-US",
    "is_embedded": False,
    "color_scheme": "light",
}


def js_number(v: float) -> str:
    """A number as the frontend writes it into the URL (JavaScript's String(v))."""
    return str(int(v)) if float(v).is_integer() else repr(float(v))


@dataclass
class Widget:
    id: str
    kind: str
    url_key: str  # the query parameter it is bound to, or ""
    fragment_id: str  # the @st.fragment it was rendered in, or ""
    state: WidgetState | None  # None: the frontend sends nothing for it until used


def _initial_state(kind: str, el) -> WidgetState | None:
    """The value the frontend registers for a widget when it first draws it."""
    s = WidgetState(id=el.id)
    if kind == "slider":
        s.double_array_value.data.extend(el.value if el.set_value else el.default)
    elif kind in ("selectbox", "radio"):
        if el.set_value and el.raw_value:
            s.string_value = el.raw_value
        elif el.default >= 0 and len(el.options) > el.default:
            s.string_value = el.options[el.default]
        else:
            return None
    elif kind == "multiselect":
        s.string_array_value.data.extend(el.options[i] for i in el.default)
    elif kind == "checkbox":  # st.checkbox and st.toggle
        s.bool_value = el.value if el.set_value else el.default
    elif kind == "number_input":  # the x-range's typed ends
        value = el.value if el.set_value else el.default
        if el.data_type == NumberInput.DataType.INT:
            s.int_value = int(value)
        else:
            s.double_value = value
    else:
        return None  # text areas, buttons, expanders, tabs: nothing until used
    return s


@dataclass
class Run:
    """What the server sent for one rerun request, up to its script_finished."""

    seconds: float
    status: int
    kinds: list[str] = field(default_factory=list)  # "delta:new_element:slider", ...
    charts: list[str] = field(default_factory=list)  # chart payloads or specs (JSON text)
    assets: set[str] = field(default_factory=set)  # component files the browser would load
    exceptions: list[str] = field(default_factory=list)
    received_bytes: int = 0

    @property
    def ok(self) -> bool:
        return self.status in FINISHED_OK and not self.exceptions


class SimSession:
    """One student's browser tab, as the server sees it."""

    def __init__(self, base_url: str, query: str = "", timeout: float = 120.0) -> None:
        parts = urlsplit(base_url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.ws_url = f"ws://{parts.netloc}/_stcore/stream"
        self.page_url = base_url.rstrip("/") + "/"
        self.query: list[tuple[str, str]] = [
            tuple(p.split("=", 1)) for p in query.split("&") if "=" in p
        ]
        self.timeout = timeout
        self.page_script_hash = ""
        self.widgets: dict[str, Widget] = {}
        self.sent: list[BackMsg] = []
        self._ws = None
        self._cache: dict[str, bytes] = {}  # message hash -> message, for ref_hash replies

    async def __aenter__(self) -> SimSession:
        self._ws = await connect(
            self.ws_url,
            origin=self.origin,
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=self.timeout,
            ping_interval=None,  # the browser's own heartbeats are HTTP, not ws pings
        )
        return self

    async def __aexit__(self, *exc) -> None:
        await self._ws.close()

    # -- requests ------------------------------------------------------------------------
    def back_msg(self, fragment_id: str = "") -> BackMsg:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = urlencode(self.query, safe=",")
        cs.page_script_hash = self.page_script_hash
        cs.fragment_id = fragment_id
        for w in self.widgets.values():
            if w.state is not None:
                cs.widget_states.widgets.append(w.state)
        for k, v in CONTEXT.items():
            setattr(cs.context_info, k, v)
        cs.context_info.url = self.page_url
        return msg

    async def open(self) -> Run:
        """Load the page: the first full run."""
        return await self._rerun(self.back_msg())

    async def fetch(self, path: str) -> int:
        """GET a file as a browser does (gzip accepted); its size on the wire."""

        def get() -> int:
            req = Request(self.origin + path, headers={"Accept-Encoding": "gzip"})
            with urlopen(req, timeout=self.timeout) as r:
                if r.status != 200:
                    raise OSError(f"{path}: HTTP {r.status}")
                return len(r.read())

        return await asyncio.to_thread(get)

    async def move_slider(self, key: str, value: float | tuple[float, float]) -> Run:
        """Move the slider bound to URL key `key` (or with that widget key) to `value`."""
        w = self._find(key)
        values = list(value) if isinstance(value, tuple) else [value]
        w.state = WidgetState(id=w.id)
        w.state.double_array_value.data.extend(values)
        if w.url_key:
            self.query = [(k, v) for k, v in self.query if k != w.url_key]
            self.query += [(w.url_key, js_number(v)) for v in values]
        return await self._rerun(self.back_msg(w.fragment_id))

    def _find(self, key: str) -> Widget:
        for w in self.widgets.values():
            if w.url_key == key or w.id.endswith(f"-{key}"):
                return w
        raise KeyError(f"no widget {key!r} on the page (have {list(self.widgets)})")

    # -- replies -------------------------------------------------------------------------
    async def _rerun(self, msg: BackMsg) -> Run:
        # Replies still in flight from an earlier run (a trailing status message) are not
        # this run's: read them off first.
        while True:
            try:
                await asyncio.wait_for(self._ws.recv(), 0.001)
            except TimeoutError:
                break
        self.sent.append(msg)
        t0 = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        run = Run(seconds=0.0, status=-1)
        seen: set[str] = set()
        fragment = msg.rerun_script.fragment_id
        async with asyncio.timeout(self.timeout):
            while True:
                data = await self._ws.recv()
                run.received_bytes += len(data)
                fm = ForwardMsg()
                fm.ParseFromString(data)
                if fm.WhichOneof("type") == "ref_hash":
                    fm.ParseFromString(self._cache[fm.ref_hash])
                elif fm.hash:
                    self._cache[fm.hash] = data
                run.kinds.append(describe(fm))
                kind = fm.WhichOneof("type")
                if kind == "new_session":
                    self.page_script_hash = fm.new_session.page_script_hash
                elif kind == "delta":
                    self._delta(fm.delta, seen, run)
                elif kind == "script_finished":
                    run.seconds = time.perf_counter() - t0
                    run.status = fm.script_finished
                    break
        # As the frontend does at the end of a run: forget widgets the run did not draw
        # (only those of the rerun fragment, for a fragment run).
        if run.status in FINISHED_OK:
            self.widgets = {
                i: w
                for i, w in self.widgets.items()
                if i in seen or (fragment and w.fragment_id != fragment)
            }
        return run

    def _delta(self, delta, seen: set[str], run: Run) -> None:
        if delta.WhichOneof("type") != "new_element":
            return
        el_kind = delta.new_element.WhichOneof("type")
        el = getattr(delta.new_element, el_kind)
        if el_kind == "plotly_chart":
            run.charts.append(el.spec)
        elif el_kind == "bidi_component":
            # The chart element: its payload, and the files the browser loads for it.
            run.charts.append(el.bytes.decode())
            run.assets.update(
                f"/_stcore/bidi-components/{el.component_name}/{path}"
                for path in (el.js_source_path, el.css_source_path)
                if path
            )
        elif el_kind == "exception":
            run.exceptions.append(f"{el.type}: {el.message}")
        elif getattr(el, "id", "").startswith("$$ID-"):
            seen.add(el.id)
            known = self.widgets.get(el.id)
            fresh = _initial_state(el_kind, el)
            # A widget the frontend already holds keeps its value across runs, unless the
            # script set it (set_value): the frontend then takes the new value, as for the
            # x-range boxes, which follow the slider on every run.
            if known and not (getattr(el, "set_value", False) and fresh is not None):
                fresh = known.state
            self.widgets[el.id] = Widget(
                id=el.id,
                kind=el_kind,
                url_key=getattr(el, "query_param_key", ""),
                fragment_id=delta.fragment_id,
                state=fresh,
            )


def describe(fm: ForwardMsg) -> str:
    """A reply's kind: "new_session", "delta:new_element:slider", "script_finished:3"."""
    kind = fm.WhichOneof("type")
    if kind == "delta":
        sub = fm.delta.WhichOneof("type")
        if sub == "new_element":
            return f"delta:new_element:{fm.delta.new_element.WhichOneof('type')}"
        return f"delta:{sub}"
    if kind == "script_finished":
        return f"script_finished:{fm.script_finished}"
    return kind or ""


def rerun_fields(msg: BackMsg) -> dict:
    """What a rerun request tells the server, in a form two requests can be compared in."""
    cs = msg.rerun_script
    return {
        "query_string": cs.query_string,
        "page_script_hash": cs.page_script_hash,
        "fragment_id": cs.fragment_id,
        "is_auto_rerun": cs.is_auto_rerun,
        "widgets": {
            w.id: (w.WhichOneof("value"), str(getattr(w, w.WhichOneof("value"))))
            for w in cs.widget_states.widgets
        },
        "context": {k: getattr(cs.context_info, k) for k in (*CONTEXT, "url")},
    }
