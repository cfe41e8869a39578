"""A simulated browser session: Streamlit's websocket protocol, spoken with Streamlit's own
protobuf classes, without a browser.

It does what the frontend does for a student who opens the page and uses it: connects
to ``/_stcore/stream`` (``streamlit`` subprotocol, the host's Origin: CORS and XSRF are
on); sends ``rerun_script`` BackMsgs with the address bar's query string, the browser's
context, the state of every widget it knows and, for a widget inside an
``@st.fragment``, that fragment's id; reads ForwardMsgs up to ``script_finished``,
learning every widget the page draws as the frontend does (its id, value, URL key and
fragment); keeps the address bar as the server rewrites it; keeps the messages the
server marks cacheable and lists their hashes in every request, as the frontend's
ForwardMsg cache does (so the server sends an unchanged large element as a reference);
reruns each ``@st.fragment(run_every=...)`` on its timer, as the frontend's
setInterval does; and, for a student's class news element, asks the news route on its
timer and fires the element's trigger when the answer is new, as news.js does (not its
countdown, which the load runs do not set).

One request is in flight per session at a time: a click or a timer tick that comes while
a run is going waits for it, and its latency counts from the moment it came. The server
queues a fragment rerun behind the run in progress anyway, so the server's work and the
wait the student sees are the same. tests/test_load.py checks that simulated requests
look to the server the same as a real Chromium's.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import gzip
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.error import HTTPError
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit
from urllib.request import Request, urlopen

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.NumberInput_pb2 import NumberInput
from streamlit.proto.Slider_pb2 import Slider
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

# ForwardMsg.ScriptFinishedStatus values that mean the run completed.
FINISHED_OK = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
TEXT = ("text_input", "text_area")
# news.js: what the news route answers, and the asks after which news fires again.
NEWS = re.compile(r"0|ended|gone|\d+\.[01]\.[01]\.\d+")
NEWS_RETRY = 3
# The browser reports its context with every rerun; a headless Chromium's, as recorded.
CONTEXT = dict(
    timezone="UTC", timezone_offset=0, locale="en-US", is_embedded=False, color_scheme="light"
)


def js_number(v: float) -> str:
    """A number as the frontend writes it into the URL (JavaScript's String(v))."""
    return str(int(v)) if float(v).is_integer() else repr(float(v))


@dataclass
class Widget:
    id: str
    kind: str  # the element's type: "slider", "button", "text_input", "popover", ...
    url_key: str  # the query parameter it is bound to, or ""
    fragment_id: str  # the @st.fragment it was rendered in, or ""
    state: WidgetState | None  # None: the frontend sends nothing for it until used
    label: str = ""
    options: list[str] = field(default_factory=list)  # a radio's or select's choices
    shown: bool | None = None  # a popover's or expander's open state as last drawn


def _initial_state(kind: str, el) -> WidgetState | None:
    """The value the frontend registers for a widget when it first draws it."""
    s = WidgetState(id=el.id)
    if kind == "slider" and el.type == Slider.Type.SELECT_SLIDER:
        # st.select_slider: the chosen options' texts, not their indices
        if el.set_value and el.raw_value:
            s.string_array_value.data.extend(el.raw_value)
        else:
            indices = el.value if el.set_value else el.default
            s.string_array_value.data.extend(el.options[int(i)] for i in indices)
    elif kind == "slider":
        s.double_array_value.data.extend(el.value if el.set_value else el.default)
    elif kind in ("selectbox", "radio"):
        if el.set_value and el.raw_value:
            s.string_value = el.raw_value
        elif (kind != "radio" or el.HasField("default")) and 0 <= el.default < len(el.options):
            s.string_value = el.options[el.default]
        elif kind == "radio":
            return s  # nothing chosen (index=None): Chromium sends the id with no value
        else:
            return None
    elif kind == "multiselect":
        if el.set_value:
            s.string_array_value.data.extend(el.raw_values)
        else:
            s.string_array_value.data.extend(el.options[i] for i in el.default)
    elif kind == "checkbox":  # st.checkbox and st.toggle
        s.bool_value = el.value if el.set_value else el.default
    elif kind == "number_input":  # the x-range's typed ends
        value = el.value if el.set_value else el.default
        if el.data_type == NumberInput.DataType.INT:
            s.int_value = int(value)
        else:
            s.double_value = value
    elif kind in ("text_input", "text_area") and (el.set_value or el.HasField("default")):
        # The frontend registers a text field's value as soon as it is drawn ("" for
        # st.text_input's default), not only once typed in.
        s.string_value = el.value if el.set_value else el.default
    else:
        return None  # buttons, expanders, tabs: nothing until used
    return s


def _state(w: Widget, value) -> WidgetState:
    """The state the frontend sends for `w` once the user gives it `value`."""
    s = WidgetState(id=w.id)
    if w.kind == "slider":
        s.double_array_value.data.extend(value if isinstance(value, tuple) else [value])
    elif w.kind == "bidi_component":  # the chart element's own slider: its state
        s.json_value = json.dumps({w.label: value}, separators=(",", ":"))
    elif w.kind in ("radio", "selectbox") and value not in w.options:
        raise ValueError(f"{value!r} is not one of {w.id!r}'s options {w.options}")
    elif w.kind in (*TEXT, "radio", "selectbox"):
        s.string_value = str(value)  # for a choice, the option's text, as the frontend sends
    else:  # a checkbox, an opened popover or expander
        s.bool_value = bool(value)
    return s


@functools.lru_cache(maxsize=16)
def _unpack(packed: str) -> tuple[list, list[str]]:
    """The chart element's steps: their slider values and each payload as JSON text. Decoded once
    for every session that receives them (a class shares a view's steps): decoding the
    101 payloads (~0.5 MB of JSON) for every student's every move made this one process
    the bottleneck of the load, where each real browser decodes its own."""
    steps = json.loads(gzip.decompress(base64.b64decode(packed)))
    values = steps["values"] or [None]
    return values, [json.dumps(p) for p in steps["payloads"]]


@dataclass
class Run:
    """What the server sent for one rerun request, up to its script_finished."""

    seconds: float
    status: int
    kinds: list[str] = field(default_factory=list)  # "delta:new_element:slider", ...
    charts: list[str] = field(default_factory=list)  # chart payloads or specs (JSON text)
    assets: set[str] = field(default_factory=set)  # component files the browser would load
    exceptions: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # markdown and alert bodies, in order
    finished_at: float = 0.0  # time.perf_counter() when its script_finished arrived
    whole: bool = False  # the whole page ran, not only fragments

    @property
    def ok(self) -> bool:
        return self.status in FINISHED_OK and not self.exceptions


class SimSession:
    """One student's (or the teacher's) browser tab, as the server sees it."""

    def __init__(self, base_url: str, query: str = "", timeout: float = 120.0) -> None:
        parts = urlsplit(base_url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.ws_url = f"ws://{parts.netloc}/_stcore/stream"
        self.page_url = base_url.rstrip("/") + "/"
        self.query: list[tuple[str, str]] = parse_qsl(query, keep_blank_values=True)
        self.timeout = timeout
        self.page_script_hash = ""
        self.widgets: dict[str, Widget] = {}
        self.sent: list[BackMsg] = []
        self.auto_runs: list[Run] = []  # the fragments' timed reruns, as they finished
        self.failures: list[BaseException] = []  # a timed rerun that failed (timeout, ...)
        self.last: Run | None = None  # the latest finished run, the user's or a timer's
        self._ws = None
        # The frontend's ForwardMsg cache: hash -> [message, run count when last used,
        # fragment id]. Its hashes go with every rerun request.
        self._cache: dict[str, list] = {}
        # (chart element id, parameter) -> (told count, value shown), as chart.js keeps it
        self._shown: dict[tuple[str, str], tuple] = {}
        self._run_count = 0
        self._max_age = 2  # global.maxCachedMessageAge, until the server's config says
        self._lock = asyncio.Lock()  # one request in flight (see the module's docstring)
        # fragment id -> (interval, next tick): the frontend's setInterval timers
        self._timers: dict[str, tuple[float, float]] = {}
        self._timers_changed = asyncio.Event()
        self._clock: asyncio.Task | None = None
        self._closed = False
        self._finished = asyncio.Event()  # set and replaced after every run
        self._news: dict = {}  # the class news element's payload, as last drawn
        self._told = ""  # the news its trigger last fired with
        self._since = 0  # asks since then
        self._asking: asyncio.Task | None = None  # its timer (news.js's setInterval)

    async def __aenter__(self) -> SimSession:
        self._ws = await connect(
            self.ws_url,
            origin=self.origin,
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=self.timeout,
            ping_interval=None,  # the browser's own heartbeats are HTTP, not ws pings
        )
        self._clock = asyncio.create_task(self._tick())
        return self

    async def __aexit__(self, *exc) -> None:
        self._closed = True  # (should a cancellation be lost, the timers' loop still ends)
        self._timers_changed.set()
        for task in (self._clock, self._asking):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await self._ws.close()

    @property
    def intervals(self) -> dict[str, float]:
        """The auto-rerun interval (s) of each fragment whose timer is running."""
        return {fragment: interval for fragment, (interval, _) in self._timers.items()}

    @property
    def params(self) -> dict[str, str]:
        """The address bar's query parameters (the first value of each)."""
        return dict(reversed(self.query))

    # -- requests ------------------------------------------------------------------------
    def back_msg(self, fragment_id: str = "", *, auto: bool = False) -> BackMsg:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = urlencode(self.query, safe=",")
        cs.page_script_hash = self.page_script_hash
        cs.fragment_id = fragment_id
        cs.is_auto_rerun = auto
        cs.cached_message_hashes.extend(self._cache)
        for w in self.widgets.values():
            if w.state is not None:
                cs.widget_states.widgets.append(w.state)
        for k, v in CONTEXT.items():
            setattr(cs.context_info, k, v)
        cs.context_info.url = self.page_url
        return msg

    async def open(self) -> Run:
        """Load the page: the first full run."""
        return await self._use(None, None, ())

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
        return await self._use(key, value, ("slider", "bidi_component"))

    async def set_value(self, key: str, value: str | bool) -> Run:
        """Type `value` into the text input with widget key `key` and commit it (Enter, or
        leaving the field), pick the radio or select option labelled `value`, or tick a
        checkbox: one rerun, as the frontend sends on each of those."""
        return await self._use(key, value, (*TEXT, "radio", "selectbox", "checkbox"))

    async def submit(self, key: str, value: str, label: str) -> Run:
        """Type `value` into the text field `key` of a form and send the form with its
        button labelled `label`: one rerun (a form's fields go only with its submission)."""
        return await self._use(key, value, TEXT, button=label)

    async def open_block(self, key: str, is_open: bool = True) -> Run:
        """Open (or close) the popover or expander with widget key `key` (its state is a
        bool; a stateful one, with on_change, reruns the page when it changes)."""
        return await self._use(key, is_open, ("popover", "expandable"))

    async def click(self, label: str) -> Run:
        """Click the button labelled `label`: its trigger goes with this request only
        (the frontend drops it once sent), with every other widget's state."""
        return await self._use(None, None, (), button=label)

    async def _use(self, key: str | None, value, kinds: tuple[str, ...], button: str = "") -> Run:
        """Give the widget `key` (one of `kinds`) `value` and/or click `button`, and send
        the rerun of the fragment they live in; its time counts from now."""
        t0 = time.perf_counter()
        async with self._lock:
            fragment = ""
            if key is not None:
                w = self.find(key)
                if w.kind not in kinds:
                    raise TypeError(f"{key!r} is a {w.kind}, not one of {kinds}")
                w.state, fragment = _state(w, value), w.fragment_id
                if w.kind == "bidi_component":  # the element now shows the student's value
                    self._shown[w.id, w.label] = (self._shown[w.id, w.label][0], value)
                if w.kind == "slider" and w.url_key:  # the frontend rewrites the address
                    values = w.state.double_array_value.data
                    self.query = [(k, v) for k, v in self.query if k != w.url_key]
                    self.query += [(w.url_key, js_number(v)) for v in values]
            if button:
                b = self.button(button)
                fragment = b.fragment_id
            msg = self.back_msg(fragment)
            if button:
                trigger = WidgetState(id=b.id, trigger_value=True)
                msg.rerun_script.widget_states.widgets.append(trigger)
            return await self._request(msg, t0)

    async def press(self, key: str) -> Run:
        """Click the button with widget key `key` (where two buttons share a label)."""
        t0 = time.perf_counter()
        async with self._lock:
            b = self.find(key)
            msg = self.back_msg(b.fragment_id)
            msg.rerun_script.widget_states.widgets.append(WidgetState(id=b.id, trigger_value=True))
            return await self._request(msg, t0)

    async def trigger(self, key: str, event: str, value) -> Run:
        """Fire the trigger `event` of the components-v2 element with key `key`, with
        `value`, as its script's setTriggerValue does (the sketch element's "sent")."""
        t0 = time.perf_counter()
        async with self._lock:
            return await self._request(self._fired(self.find(key), event, value), t0)

    def _fired(self, w: Widget, event: str, value) -> BackMsg:
        msg = self.back_msg(w.fragment_id)
        fired = [{"event": event, "value": value}]
        msg.rerun_script.widget_states.widgets.append(
            WidgetState(
                id=f"$$STREAMLIT_INTERNAL_KEY_{w.id}__events", json_trigger_value=json.dumps(fired)
            )
        )
        return msg

    def button(self, label: str) -> Widget:
        found = [w for w in self.widgets.values() if w.kind == "button" and w.label == label]
        if len(found) != 1:
            have = sorted(w.label for w in self.widgets.values() if w.kind == "button")
            raise KeyError(f"{len(found)} buttons labelled {label!r} on the page (have {have})")
        return found[0]

    def _drawn(self, element_id: str, data: dict, fragment_id: str) -> str:
        """The chart element's payload at its slider's value, as chart.js picks it (the
        step nearest to it). The slider shows the server's value when the server set
        it (a count it has not seen), else the student's last move."""
        values, payloads = _unpack(data["steps_gz_base64"])
        slider = data["slider"]
        if slider is None:
            return payloads[0]
        known = self.widgets.get(element_id)
        self.widgets[element_id] = Widget(
            element_id,
            "bidi_component",
            "",
            fragment_id,
            known.state if known else None,
            slider["name"],
        )
        shown = (element_id, slider["name"])  # as chart.js keeps it: per parameter
        if self._shown.get(shown, (None,))[0] != slider["set"]:
            self._shown[shown] = (slider["set"], slider["value"])
        at = self._shown[shown][1]
        return payloads[min(range(len(values)), key=lambda i: abs(values[i] - at))]

    def find(self, key: str) -> Widget:
        """The widget with key (or URL key) `key`, or the chart element's slider named so."""
        for w in self.widgets.values():
            if w.url_key == key or w.id.endswith(f"-{key}"):
                return w
        for w in self.widgets.values():  # a chart element's own slider
            if w.kind == "bidi_component" and w.label == key:
                return w
        raise KeyError(f"no widget {key!r} on the page (have {list(self.widgets)})")

    async def wait_for(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Wait, while the timers rerun the page, until `predicate()` holds after a run;
        False if it does not within `timeout` seconds."""
        deadline = time.perf_counter() + timeout
        while not predicate():
            left = deadline - time.perf_counter()
            if left <= 0:
                return False
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(left):
                    await self._finished.wait()
        return True

    # -- the fragments' timers -----------------------------------------------------------
    async def _tick(self) -> None:
        """The frontend's setInterval per auto-rerunning fragment: a rerun request for it
        every `interval` seconds, at a fixed phase from when the server asked for it."""
        while not self._closed:
            self._timers_changed.clear()
            if not self._timers:
                await self._timers_changed.wait()
                continue
            fragment, (interval, due) = min(self._timers.items(), key=lambda kv: kv[1][1])
            now = time.perf_counter()
            if due > now:
                # (asyncio.timeout, not wait_for: Python 3.11's wait_for can lose the
                # cancellation that closes the session if its timeout fires with it.)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(due - now):
                        await self._timers_changed.wait()
                continue
            # Ticks missed while a run held the session come as one request: the
            # server would have folded them into one run.
            nxt = due + interval
            while nxt <= now:
                nxt += interval
            self._timers[fragment] = (interval, nxt)
            try:
                async with self._lock:
                    # A full run in the meantime may have dropped this fragment's timer:
                    # the server would ignore the request for a fragment it no longer has.
                    if fragment in self._timers:
                        run = await self._request(self.back_msg(fragment, auto=True), due)
                        self.auto_runs.append(run)
            except Exception as e:  # a timeout, a dropped connection: the caller sees it
                self.failures.append(e)
                return

    async def _ask_news(self, w: Widget) -> None:
        """news.js: every `every` seconds from the element's first drawing, GET the news
        route; an answer that differs from the element's `news` (and from the last one it
        fired with, unless that was NEWS_RETRY asks ago) fires its "news" trigger, a run
        of the page."""
        due = time.perf_counter()
        while not self._closed:
            due += self._news["every"]
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            try:
                news = await asyncio.to_thread(_get, urljoin(self.page_url, self._news["url"]))
            except OSError:
                continue  # the server is away
            self._since += 1
            if news == self._news["news"] or (news == self._told and self._since < NEWS_RETRY):
                continue
            self._told, self._since, t0 = news, 0, time.perf_counter()
            try:
                async with self._lock:
                    self.auto_runs.append(await self._request(self._fired(w, "news", news), t0))
            except Exception as e:  # a timeout, a dropped connection: the caller sees it
                self.failures.append(e)
                return

    # -- replies -------------------------------------------------------------------------
    async def _request(self, msg: BackMsg, t0: float) -> Run:
        """Send `msg` (holding the lock) and read up to its run's script_finished; the
        run's seconds count from `t0`, when the user (or the timer) asked."""
        # Replies still in flight from an earlier run (a trailing status message) are not
        # this run's: read them off first.
        while True:
            try:
                async with asyncio.timeout(0.001):
                    data = await self._ws.recv()
            except TimeoutError:
                break
            self._handle(data, Run(seconds=0.0, status=-1), set())
        self.sent.append(msg)
        await self._ws.send(msg.SerializeToString())
        run = Run(seconds=0.0, status=-1)
        seen: set[str] = set()
        fragments: list[str] = []
        async with asyncio.timeout(self.timeout):
            while True:
                data = await self._ws.recv()
                fm = self._handle(data, run, seen)
                kind = fm.WhichOneof("type")
                if kind == "new_session":
                    seen.clear()  # the widgets the last run draws are the ones that stay
                    fragments = list(fm.metadata.run.fragment_ids)
                elif (
                    kind == "script_finished"
                    and fm.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
                ):
                    # (A run that stopped early for st.rerun is followed by the rerun.)
                    run.finished_at = time.perf_counter()
                    run.seconds = run.finished_at - t0
                    run.status = fm.script_finished
                    break
        # As the frontend does at the end of a run: forget widgets the run did not draw
        # (only those of the rerun fragments, for a fragment run).
        if run.status in FINISHED_OK:
            self.widgets = {
                i: w
                for i, w in self.widgets.items()
                if i in seen or (fragments and w.fragment_id not in fragments)
            }
        self.last = run
        self._finished.set()
        self._finished = asyncio.Event()
        return run

    def _handle(self, data: bytes, run: Run, seen: set[str]) -> ForwardMsg:
        fm = ForwardMsg()
        fm.ParseFromString(data)
        self._cached(fm, data)
        run.kinds.append(describe(fm))
        kind = fm.WhichOneof("type")
        if kind == "new_session":
            self.page_script_hash = fm.new_session.page_script_hash
            if fm.new_session.config.max_cached_message_age:
                self._max_age = fm.new_session.config.max_cached_message_age
            if not fm.metadata.run.fragment_ids:
                # A full run: the frontend clears every timer; the run re-registers the
                # fragments it draws, each with a fresh timer.
                run.whole = True
                self._timers.clear()
                self._timers_changed.set()
        elif kind == "delta":
            self._delta(fm.delta, seen, run)
        elif kind == "page_info_changed":
            # The script changed st.query_params: the frontend rewrites the address bar,
            # and every later request carries it.
            self.query = parse_qsl(fm.page_info_changed.query_string, keep_blank_values=True)
        elif kind == "auto_rerun" and fm.auto_rerun.fragment_id:
            fragment, interval = fm.auto_rerun.fragment_id, fm.auto_rerun.interval
            # The frontend keeps a running timer whose interval is unchanged.
            if self._timers.get(fragment, (None,))[0] != interval:
                self._timers[fragment] = (interval, time.perf_counter() + interval)
                self._timers_changed.set()
        elif kind == "script_finished" and fm.script_finished in FINISHED_OK:
            self._age_cache(fm.metadata.run)
        elif kind == "stop_auto_rerun":
            for fragment in fm.stop_auto_rerun.fragment_ids:
                self._timers.pop(fragment, None)
            self._timers_changed.set()
        return fm

    def _cached(self, fm: ForwardMsg, data: bytes) -> None:
        """The frontend's ForwardMsgCache: a reference becomes the message it names (with
        the reference's metadata) and renews it; a cacheable message is kept, or renewed."""
        if fm.WhichOneof("type") == "ref_hash":
            entry = self._cache[fm.ref_hash]  # a KeyError is the frontend's "cache MISS"
            entry[1] = self._run_count
            metadata = fm.metadata.SerializeToString()
            fm.ParseFromString(entry[0])
            fm.metadata.ParseFromString(metadata)  # clears the cached copy's first
        elif fm.metadata.cacheable and fm.hash:
            if fm.hash in self._cache:
                self._cache[fm.hash][1] = self._run_count
            else:
                fragment = fm.delta.fragment_id if fm.HasField("delta") else ""
                self._cache[fm.hash] = [data, self._run_count, fragment]

    def _age_cache(self, run) -> None:
        """At the end of a run (``run``: its script_finished's run metadata), as the
        frontend does: messages unused for more than maxCachedMessageAge runs are
        dropped; a fragment's run ages only that fragment's."""
        if not run.script_run_id:
            return
        self._run_count += 1
        fragments = list(run.fragment_ids)
        for h, (_, used, fragment) in list(self._cache.items()):
            if fragments and (not fragment or fragment not in fragments):
                continue
            if self._run_count - used > self._max_age:
                del self._cache[h]

    def _delta(self, delta, seen: set[str], run: Run) -> None:
        kind = delta.WhichOneof("type")
        if kind == "add_block":
            # Popovers and expanders with on_change are widgets too (a bool state).
            sub = delta.add_block.WhichOneof("type")
            el = getattr(delta.add_block, sub) if sub in ("popover", "expandable") else None
            if el is not None and el.id:
                known = self.widgets.get(el.id)
                is_open = el.open if sub == "popover" else el.expanded
                state = known.state if known else None
                # Drawn for the first time, it sends nothing; drawn again open where it
                # was closed (or closed where open), because the script set it, the
                # frontend takes that as its state.
                if known and known.shown is not None and known.shown != is_open:
                    state = WidgetState(id=el.id, bool_value=is_open)
                self._widget(sub, el, delta, seen, state).shown = is_open
            return
        if kind != "new_element":
            return
        el_kind = delta.new_element.WhichOneof("type")
        el = getattr(delta.new_element, el_kind)
        if el_kind == "plotly_chart":
            run.charts.append(el.spec)
        elif el_kind == "bidi_component":
            # The chart element: the payload it draws, and the files the browser loads
            # for it. One with a slider is a widget whose state reports the slider.
            data = json.loads(el.json) if el.json else {}
            if "steps_gz_base64" in data:
                run.charts.append(self._drawn(el.id, data, delta.fragment_id))
                seen.update([el.id] if data["slider"] else [])
            elif el.component_name == "relulab_app.sketch":  # a drawing: its trigger
                self.widgets[el.id] = Widget(el.id, "sketch", "", delta.fragment_id, None)
                seen.add(el.id)
            elif el.component_name == "relulab_app.news":  # a class's news: its timer
                w = self.widgets[el.id] = Widget(el.id, "news", "", delta.fragment_id, None)
                seen.add(el.id)
                if data != self._news:
                    self._news, self._told, self._since = data, "", 0
                if self._asking is None:
                    self._asking = asyncio.create_task(self._ask_news(w))
            elif el.bytes:
                run.charts.append(el.bytes.decode())
            run.assets.update(
                f"/_stcore/bidi-components/{el.component_name}/{path}"
                for path in (el.js_source_path, el.css_source_path)
                if path
            )
        elif el_kind == "exception":
            run.exceptions.append(f"{el.type}: {el.message}")
        elif el_kind in ("markdown", "alert"):
            run.texts.append(el.body)
        elif getattr(el, "id", "").startswith("$$ID-"):
            known = self.widgets.get(el.id)
            fresh = _initial_state(el_kind, el)
            # A widget the frontend already holds keeps its value across runs, unless the
            # script set it (set_value): the frontend then takes the new value, as for the
            # x-range boxes, which follow the slider on every run, or a question's view.
            if known and not (getattr(el, "set_value", False) and fresh is not None):
                fresh = known.state
            self._widget(el_kind, el, delta, seen, fresh)

    def _widget(self, kind: str, el, delta, seen: set[str], state: WidgetState | None) -> Widget:
        seen.add(el.id)
        self.widgets[el.id] = w = Widget(
            id=el.id,
            kind=kind,
            url_key=getattr(el, "query_param_key", ""),
            fragment_id=delta.fragment_id,
            state=state,
            label=getattr(el, "label", ""),
            options=list(getattr(el, "options", [])),
        )
        return w


def _get(url: str) -> str:
    """The news route's answer as news.js reads it: its text, if it is news."""
    try:
        with urlopen(Request(url, headers={"Cache-Control": "no-store"}), timeout=30) as r:
            text, status = r.read().decode().strip(), r.status
    except HTTPError as e:
        text, status = "", e.code
    return text if NEWS.fullmatch(text) else f"unreadable-{status}"


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
        "cached_message_hashes": sorted(cs.cached_message_hashes),
        "widgets": {w.id: _value(w) for w in cs.widget_states.widgets},
        "context": {k: getattr(cs.context_info, k) for k in (*CONTEXT, "url")},
    }


def _value(w: WidgetState) -> tuple[str | None, str]:
    """A widget state's value as (kind, text); (None, "") for a state with no value,
    which the frontend sends for a radio drawn with nothing chosen (index=None)."""
    kind = w.WhichOneof("value")
    return (kind, str(getattr(w, kind))) if kind else (None, "")
