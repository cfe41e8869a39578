"""The article view's leak slider, owned by the chart element: the payloads at every
leak it can take (the steps), which the browser draws from the moment the slider moves,
and the value it reports back. Each step must be what the page draws at that leak, or a
student would see one thing while moving and another once the server answered."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import APP, chart_payloads, chart_steps, move_leak, trace
from streamlit.testing.v1 import AppTest

from relulab import registry, relu
from relulab_app import urlstate


def _own_values(at, text: str):
    """Open "Your own values" and type ``text`` into it."""
    at.session_state["own"] = True
    at.run()
    return at.text_area(key="values").input(text).run()


def _data(at) -> str:
    """The chart element's data as sent."""
    (el,) = [e for e in at.get("bidi_component") if e.proto.component_name == "relulab_app.chart"]
    return el.proto.json


@pytest.fixture
def builds(monkeypatch):
    """How many payloads the page builds from figures (steps kept from an earlier test
    are forgotten first)."""
    from relulab_app import article_view, param_slider

    param_slider.steps.clear()
    made = []
    figures = article_view._figures

    def counted(leak, *args):
        made.append(leak)
        return figures(leak, *args)

    monkeypatch.setattr(article_view, "_figures", counted)
    return made


VIEWS = [
    {},
    {"x_range": ["-60", "60"], "kink": "jax"},
    {"x_range": ["0.5", "3"]},  # 0 outside: no dots, no inset
    {"present": "1"},
]


@pytest.mark.parametrize("setup", VIEWS)
def test_every_step_is_what_the_page_draws_at_that_leak(app, setup):
    for k, v in setup.items():
        app.query_params[k] = v
    at = move_leak(app.run(), 0.2)
    (steps,) = chart_steps(at)
    lo, hi = urlstate.LEAK_BOUNDS
    assert steps["values"][0] == lo and steps["values"][-1] == hi and len(steps["values"]) == 101
    x_lo = float(setup.get("x_range", ["-5"])[0])
    for leak in (0.0, 0.01, 0.37, 1.0):
        step = steps["payloads"][steps["values"].index(leak)]
        # The library's value at the left end, on the drawn Leaky ReLU line.
        line = trace(step["charts"][0], f"Leaky ReLU ({leak:g})")
        assert line["y"][0] == pytest.approx(float(relu(x_lo, leak)))
        # A page opened at this leak draws this very payload (built for it alone).
        fresh = AppTest.from_file(str(APP), default_timeout=60)
        for k, v in {**setup, "leak": f"{leak:g}"}.items():
            fresh.query_params[k] = v
        (alone,) = chart_steps(fresh.run())
        assert alone["values"] == [leak] and alone["payloads"] == [step], leak


def test_steps_are_built_on_a_leak_move_and_then_kept_for_the_view(app, builds):
    app.query_params["x_range"] = ["-7", "3"]
    at = app.run()
    assert chart_steps(at)[0]["values"] == [0.1]  # a new view: its leak alone
    at.slider(key="x_range").set_value((-7.0, 2.0)).run()
    assert chart_steps(at)[0]["values"] == [0.1]  # and on an x-range move
    move_leak(at, 0.3)
    assert len(chart_steps(at)[0]["values"]) == 101  # every leak, on the first leak move
    assert len(builds) == 2 + 101
    move_leak(at, 0.31)
    other = AppTest.from_file(str(APP), default_timeout=60)
    other.query_params["x_range"] = ["-7", "2"]
    move_leak(other.run(), 0.5)
    assert len(chart_steps(other)[0]["values"]) == 101
    assert len(builds) == 2 + 101  # kept: a second student's page builds nothing


def test_a_move_sends_the_same_data_and_the_page_follows_it(app):
    at = move_leak(app.run(), 0.2)
    sent = _data(at)
    for leak in (0.21, 0.5, 0.0):
        move_leak(at, leak)
        # The same data: Streamlit sends a reference to what the browser has.
        assert _data(at) == sent
        assert at.session_state["leak"] == leak
        assert chart_payloads(at)[0]["charts"][0]["data"][0]["name"] == f"Leaky ReLU ({leak:g})"
        assert any(f"slider's leak ({leak:g})" in m.value for m in at.markdown)
    assert at.query_params["leak"] == "0"
    assert not at.exception and not at.warning


def test_a_leak_the_server_sets_is_told_to_the_slider(app):
    # A question or a preset sets the leak on the server (here, as quiz_view._pose
    # does): the slider is told the value, with a count it has not seen.
    at = move_leak(app.run(), 0.2)
    (before,) = chart_steps(at)
    at.session_state["leak"] = 0.4
    at.run()
    (told,) = chart_steps(at)
    assert told["slider"]["value"] == 0.4 and told["slider"]["set"] > before["slider"]["set"]
    assert at.query_params["leak"] == "0.4"
    # The student moves back to the value the slider had before: a move all the same.
    move_leak(at, 0.2)
    assert at.session_state["leak"] == 0.2
    assert chart_steps(at)[0]["slider"] == told["slider"]  # nothing new to tell


@pytest.mark.parametrize(("sent", "leak"), [(7, 0.1), ("0.5", 0.1), (True, 0.1), (0.123, 0.12)])
def test_the_browser_cannot_set_a_leak_the_slider_does_not_have(app, sent, leak):
    at = move_leak(app.run(), sent)
    assert at.session_state["leak"] == leak
    assert not at.exception


def test_the_students_own_values_are_in_the_steps(app):
    at = move_leak(_own_values(app.run(), "1, -2, 3"), 0.42)
    (steps,) = chart_steps(at)
    step = steps["payloads"][steps["values"].index(0.6)]
    points = trace(step["charts"][0], "your values")
    assert points["y"].tolist() == pytest.approx([1, -1.2, 3])


def test_too_many_own_values_take_the_servers_way(app):
    at = app.run()
    from relulab_app import article_view  # (once the page has run: it declares the chart)

    many = ", ".join(str(i) for i in range(article_view.STEPS_MAX_OWN + 1))
    at = move_leak(_own_values(at, many), 0.42)
    assert chart_steps(at)[0]["values"] == [0.42]


def test_own_values_with_nan_and_negative_zero_find_their_steps_again(app, builds):
    at = move_leak(_own_values(app.run(), "1, nan, -0"), 0.3)
    built = len(builds)
    move_leak(at, 0.31)
    assert len(builds) == built  # found, not built again


def test_while_a_question_changes_the_charts_the_slider_has_only_its_leak(app):
    # A step at another leak would draw what the question hides (or has not revealed).
    app.query_params["quiz"] = "1"
    at = app.run()
    at.session_state["_quiz_state"].seed = 7  # the same 30 questions on every run
    seen = set()
    for _ in range(30):
        hiding = set(at.session_state["_quiz_state"].question.hides)
        (steps,) = chart_steps(at)
        if steps["slider"] is not None:  # the article's view: move its leak
            leak = at.session_state["leak"]
            (steps,) = chart_steps(move_leak(at, round(leak + (0.01 if leak < 1 else -0.01), 2)))
            if {"function_chart", "derivative_chart", "kink_dot", "tables"} & hiding:
                assert steps["values"] == [at.session_state["leak"]], hiding
                seen.add("hidden: its leak alone")
            else:
                assert len(steps["values"]) == 101
                seen.add("nothing hidden: every step")
        next(b for b in at.button if b.label == "Another question").click()
        at.run()
    assert seen == {"hidden: its leak alone", "nothing hidden: every step"}


def test_a_move_in_a_built_view_builds_no_figures(app, builds):
    at = move_leak(app.run(), 0.2)
    built = len(builds)
    at = move_leak(at, 0.33)
    assert len(builds) == built and not at.error and not at.exception
    assert json.loads(_data(at))["slider"]["value"] == 0.1  # told once, on the first run


# The catalogue's activations with parameters: the first has the same slider, and steps
# of its own (at the other parameters' values).
FIRST_PARAMETER = [
    (k, a.params[0])
    for k, a in registry.REGISTRY.items()
    if a.params and k not in ("relu", "leaky_relu")  # (the article's view)
]


@pytest.mark.parametrize(("key", "p"), FIRST_PARAMETER, ids=[k for k, _ in FIRST_PARAMETER])
def test_a_catalogue_parameters_steps_are_what_the_page_draws_at_each_value(app, key, p):
    app.query_params["act"] = key
    at = app.run()
    (alone,) = chart_steps(at)
    assert alone["values"] == [p.default] and alone["slider"]["name"] == p.name
    at = move_leak(at, p.min + p.step, p.name)
    (steps,) = chart_steps(at)
    assert steps["values"][0] == p.min and steps["values"][-1] == p.max
    assert len(steps["values"]) == round((p.max - p.min) / p.step) + 1
    assert at.query_params[p.name] == f"{p.min + p.step:g}"
    for value in (p.min, steps["values"][len(steps["values"]) // 3], p.max):
        step = steps["payloads"][steps["values"].index(value)]
        line = trace(step["charts"][0], step["charts"][0]["data"][0]["name"])
        act = registry.REGISTRY[key]
        want = act(line["x"].astype(float), **{p.name: value})
        np.testing.assert_allclose(line["y"], want, rtol=1e-6, atol=1e-6)  # as sent
        fresh = AppTest.from_file(str(APP), default_timeout=60)
        fresh.query_params["act"] = key
        fresh.query_params[p.name] = f"{value:g}"
        (drawn,) = chart_steps(fresh.run())
        assert drawn["values"] == [value] and drawn["payloads"] == [step], value


def test_softplus_beta_steps_follow_its_threshold(app):
    # Softplus's threshold (one of Streamlit's sliders) is part of what β's steps are
    # built at: a threshold move sends this β's payload alone, at the new threshold; the
    # next β move, every step at it.
    app.query_params["act"] = "softplus"
    at = move_leak(app.run(), 2.0, "beta")
    assert len(chart_steps(at)[0]["values"]) == 50
    at.slider(key="threshold").set_value(3.0).run()
    (steps,) = chart_steps(at)
    assert steps["values"] == [2.0] and at.query_params["threshold"] == "3"
    at = move_leak(at, 2.5, "beta")
    (steps,) = chart_steps(at)
    assert len(steps["values"]) == 50
    act = registry.REGISTRY["softplus"]
    for value in (0.5, 2.5, 5.0):
        step = steps["payloads"][steps["values"].index(value)]
        line = trace(step["charts"][0], step["charts"][0]["data"][0]["name"])
        assert line["name"] == f"Softplus (beta={value:g}, threshold=3)"
        want = act(line["x"].astype(float), beta=value, threshold=3.0)
        np.testing.assert_allclose(line["y"], want, rtol=1e-6, atol=1e-6)  # as sent
