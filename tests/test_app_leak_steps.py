"""The leak steps (relulab_app.article_view): the chart payload at every value of the
leak slider, which the browser draws from the moment the slider moves. Each step must
be exactly what the page itself sends at that leak, or a student would see one thing
while moving and another once the server answered."""

from __future__ import annotations

import pytest
from conftest import chart_payloads, leak_steps

from relulab import urlstate, wire


def _step(at, leak: float) -> dict:
    (steps,) = leak_steps(at)
    return wire.patch(steps["base"], steps["patches"][steps["leaks"].index(leak)])


def _sent(at) -> dict:
    (payload,) = chart_payloads(at)
    return {k: v for k, v in payload.items() if k not in ("steps", "leak")}


@pytest.mark.parametrize(
    "setup",
    [
        {},
        {"x_range": ["-60", "60"], "kink": "jax"},
        {"x_range": ["0.5", "3"]},  # 0 outside: no dots, no inset
        {"present": "1"},
    ],
)
def test_every_step_is_what_the_page_sends_at_that_leak(app, setup):
    for k, v in setup.items():
        app.query_params[k] = v
    at = app.run()
    (steps,) = leak_steps(at)
    lo, hi = urlstate.LEAK_BOUNDS
    assert steps["leaks"][0] == lo and steps["leaks"][-1] == hi and len(steps["leaks"]) == 101
    for leak in (0.0, 0.01, 0.1, 0.37, 0.5, 0.99, 1.0):
        at.slider(key="leak").set_value(leak).run()
        (payload,) = chart_payloads(at)
        assert payload["leak"] == leak and payload["steps"] == steps["id"]
        assert _step(at, leak) == _sent(at), leak
        assert leak_steps(at)[0]["id"] == steps["id"]  # a leak move keeps the same steps


def test_the_students_own_values_are_in_the_steps(app):
    at = app.run()
    at.session_state["own"] = True
    at.run()
    at.text_area(key="values").input("1, -2, 3").run()
    at.slider(key="leak").set_value(0.42).run()
    assert _step(at, 0.42) == _sent(at)
    names = [t.get("name") for t in _step(at, 0.42)["charts"][0]["data"]]
    assert "your values" in names


def test_too_many_own_values_take_the_servers_way(app):
    at = app.run()
    at.session_state["own"] = True
    at.run()
    from relulab_app import article_view  # (once the page has run: it declares the chart)

    many = ", ".join(str(i) for i in range(article_view.STEPS_MAX_OWN + 1))
    at.text_area(key="values").input(many).run()
    assert leak_steps(at) == []
    (payload,) = chart_payloads(at)
    assert "steps" not in payload and "leak" not in payload


def test_while_a_question_hides_part_of_the_charts_there_are_no_steps(app):
    # A step would draw what the question hides. A question that hides nothing on the
    # charts may keep the steps (on the article's view), which must then match what is
    # sent, as everywhere else.
    app.query_params["quiz"] = "1"
    at = app.run()
    at.session_state["_quiz_state"].seed = 7  # the same 30 questions on every run
    seen = set()
    for _ in range(30):
        (payload,) = chart_payloads(at)
        hiding = at.session_state["_quiz_state"].question.hides
        if {"function_chart", "derivative_chart", "kink_dot", "tables"} & set(hiding):
            assert leak_steps(at) == [] and "steps" not in payload, hiding
            seen.add("hidden, no steps")
        elif "steps" in payload:
            assert _step(at, payload["leak"]) == _sent(at)
            seen.add("steps that match")
        next(b for b in at.button if b.label == "Another question").click()
        at.run()
    assert seen == {"hidden, no steps", "steps that match"}
