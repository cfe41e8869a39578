"""Fault isolation: a slow or failing computation in one part of the page (the lab, the
graphs) never blanks the rest, and the student gets a short message, not a traceback."""

from __future__ import annotations

import time
from unittest import mock

import pytest
import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext

from conftest import n_charts
from relulab_app import lab

LAB_MESSAGE = "The lab could not train this time."
GRAPHS_MESSAGE = "The graphs could not be drawn this time."
LAB_LABEL = "Open the lab: train one network with ReLU and one with Leaky ReLU"


@pytest.fixture
def no_cache():
    """A good result cached by an earlier test would keep the fault from being reached."""
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def assert_rest_of_page(at, view: str = "relu") -> None:
    """The headings, definitions and code below the explorer and the lab (the article's
    view has the code tabs; the others, the library source of what they show)."""
    assert [h.value for h in at.header] == [
        "Why Leaky ReLU exists: a dying-ReLU lab",
        "The definitions",
        "The code",
    ]
    texts = [m.value for m in at.markdown]
    assert any(t.startswith("| | default Leaky ReLU slope") for t in texts)
    if view == "relu":
        assert len(at.latex) == 4  # f and f′ of ReLU and Leaky ReLU
        assert [t.label for t in at.tabs] == ["np.where", "Article's code", "Library's code"]
        assert any("np.where(condition, value_if_true" in t for t in texts)  # the open tab
    else:
        assert len(at.latex) >= 2 and any("`relulab` source" in e.label for e in at.expander)


def assert_friendly(message: str) -> None:
    assert "boom" not in message and "Traceback" not in message and "Error" not in message


def open_lab(app):
    at = app.run()
    at.session_state["lab"] = True
    return at.run()


def test_a_failing_lab_leaves_the_rest_of_the_page(app, no_cache, caplog):
    with mock.patch("relulab_app.lab.train", side_effect=RuntimeError("boom")) as train:
        at = open_lab(app)
    assert train.called
    assert not at.exception
    assert n_charts(at) == 2  # the explorer's graphs; the lab has none
    assert len(at.error) == 1 and at.error[0].value.startswith(LAB_MESSAGE)
    assert_friendly(at.error[0].value)
    assert_rest_of_page(at)
    assert at.selectbox(key="lab_preset").value  # the lab's controls stay: try another
    assert "dying-ReLU lab failed" in caplog.text and "RuntimeError: boom" in caplog.text

    at.run()  # the failure was not cached: once training works again, so does the lab
    assert not at.exception and not at.error
    assert n_charts(at) == 4


def test_a_failing_lab_figure_is_caught_too(app, no_cache):
    with mock.patch("relulab_app.figures.lab_regions_figure", side_effect=ValueError("boom")):
        at = open_lab(app)
    assert not at.exception
    assert len(at.error) == 1 and at.error[0].value.startswith(LAB_MESSAGE)
    assert n_charts(at) == 3  # explorer's two and the lab's first
    assert_rest_of_page(at)


def test_a_slow_lab_holds_back_nothing_above_it(app, no_cache, monkeypatch):
    """Everything above the lab is sent to the browser before training starts; the lab
    then finishes normally. (Opening or changing the lab reruns only its fragment, so in
    the browser the rest of the page is not touched at all.)"""
    sent: list[str] = []
    real_enqueue, real_train = ScriptRunContext.enqueue, lab.train

    def recording_enqueue(self, msg):
        if msg.HasField("delta") and msg.delta.HasField("new_element"):
            element = msg.delta.new_element
            kind = element.WhichOneof("type")
            if kind == "bidi_component" and element.bidi_component.bytes[:2] == b"\x1f\x8b":
                kind = "leak steps"  # the chart's hidden element (gzipped), not a chart
            sent.append(element.heading.body if kind == "heading" else kind)
        return real_enqueue(self, msg)

    def slow_train(*args, **kwargs):
        sent.append("training starts")
        time.sleep(0.4)
        return real_train(*args, **kwargs)

    at = app.run()
    at.session_state["lab"] = True
    monkeypatch.setattr(ScriptRunContext, "enqueue", recording_enqueue)
    monkeypatch.setattr(lab, "train", slow_train)
    at.run()
    assert sent.count("training starts") == 2  # ReLU, then Leaky ReLU
    before = sent[: sent.index("training starts")]
    assert before.count("bidi_component") == 1  # the explorer's graphs are already out
    assert "Why Leaky ReLU exists: a dying-ReLU lab" in before
    assert not at.exception and not at.error
    assert n_charts(at) == 4
    assert_rest_of_page(at)


@pytest.mark.parametrize(
    ("view", "builder"),
    [
        ("relu", "function_figure"),
        ("relu", "derivative_figure"),
        ("elu", "catalogue_figures"),
        ("compare", "catalogue_figures"),
    ],
)
def test_failing_graphs_leave_the_rest_of_the_page(app, caplog, view, builder):
    at = app
    at.query_params["act"] = view
    with mock.patch(f"relulab_app.figures.{builder}", side_effect=RuntimeError("boom")):
        at.run()
    assert not at.exception
    assert not n_charts(at)
    assert len(at.error) == 1 and at.error[0].value.startswith(GRAPHS_MESSAGE)
    assert_friendly(at.error[0].value)
    assert at.selectbox(key="act").value == view and at.slider  # controls stay
    assert LAB_LABEL in [e.label for e in at.expander]
    assert_rest_of_page(at, view)
    assert "explorer failed" in caplog.text and "RuntimeError: boom" in caplog.text

    at.run()  # and the next run draws them
    assert not at.exception and not at.error
    assert n_charts(at) == 2
