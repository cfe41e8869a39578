"""The leak steps (relulab_app.article_view): the chart payload at every value of the
leak slider, which the browser draws from the moment the slider moves. Each step must
be exactly what the page itself sends at that leak, or a student would see one thing
while moving and another once the server answered."""

from __future__ import annotations

import pytest

from conftest import chart_payloads, leak_steps
from relulab_app import urlstate, wire


def _move(at, leak: float):
    """A leak move (the steps of a view are built on its first leak move)."""
    return at.slider(key="leak").set_value(leak).run()


def _own_values(at, text: str):
    """Open "Your own values" and type ``text`` into it."""
    at.session_state["own"] = True
    at.run()
    return at.text_area(key="values").input(text).run()


def _step(at, leak: float) -> dict:
    (steps,) = leak_steps(at)
    return wire.patch(steps["base"], steps["patches"][steps["leaks"].index(leak)])


def _sent(at) -> dict:
    (payload,) = chart_payloads(at)
    return {k: v for k, v in payload.items() if k not in ("steps", "leak")}


VIEWS = [
    {},
    {"x_range": ["-60", "60"], "kink": "jax"},
    {"x_range": ["0.5", "3"]},  # 0 outside: no dots, no inset
    {"present": "1"},
]


@pytest.mark.parametrize("setup", VIEWS)
def test_every_step_is_what_the_page_sends_at_that_leak(app, setup):
    # Past the first move the page sends the bytes kept with the steps, so this checks
    # the steps' changes (wire.diff, as the browser applies them); that those bytes are
    # what the page computes is the next test's.
    for k, v in setup.items():
        app.query_params[k] = v
    at = _move(app.run(), 0.2)
    (steps,) = leak_steps(at)
    lo, hi = urlstate.LEAK_BOUNDS
    assert steps["leaks"][0] == lo and steps["leaks"][-1] == hi and len(steps["leaks"]) == 101
    for leak in (0.0, 0.01, 0.1, 0.37, 0.5, 0.99, 1.0):
        _move(at, leak)
        (payload,) = chart_payloads(at)
        assert payload["leak"] == leak and payload["steps"] == steps["id"]
        assert _step(at, leak) == _sent(at), leak
        assert leak_steps(at)[0]["id"] == steps["id"]  # a leak move keeps the same steps


def test_the_students_own_values_are_in_the_steps(app):
    at = _own_values(app.run(), "1, -2, 3")
    _move(at, 0.42)
    assert _step(at, 0.42) == _sent(at)
    names = [t.get("name") for t in _step(at, 0.42)["charts"][0]["data"]]
    assert "your values" in names


def test_steps_are_built_on_a_leak_move_and_then_kept_for_the_view(app):
    app.query_params["x_range"] = ["-7", "3"]
    at = app.run()
    assert leak_steps(at) == []  # a new view: not built for a page that may not use them
    at.slider(key="x_range").set_value((-7.0, 2.0)).run()
    assert leak_steps(at) == []  # nor on an x-range move
    _move(at, 0.3)
    (steps,) = leak_steps(at)  # built on the first leak move
    from streamlit.testing.v1 import AppTest

    other = AppTest.from_file(str(app._script_path), default_timeout=60)
    other.query_params["x_range"] = ["-7", "2"]
    other.run()
    assert [s["id"] for s in leak_steps(other)] == [steps["id"]]  # kept: a second student


def test_too_many_own_values_take_the_servers_way(app):
    at = app.run()
    from relulab_app import article_view  # (once the page has run: it declares the chart)

    many = ", ".join(str(i) for i in range(article_view.STEPS_MAX_OWN + 1))
    at = _own_values(at, many)
    _move(at, 0.42)
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
        slider = next((s for s in at.slider if s.key == "leak"), None)
        if slider is not None:  # the article's view: a leak move builds its steps
            at = _move(at, round(slider.value + (0.01 if slider.value < 1 else -0.01), 2))
            (payload,) = chart_payloads(at)
        if {"function_chart", "derivative_chart", "kink_dot", "tables"} & set(hiding):
            assert leak_steps(at) == [] and "steps" not in payload, hiding
            seen.add("hidden, no steps")
        elif "steps" in payload:
            assert _step(at, payload["leak"]) == _sent(at)
            seen.add("steps that match")
        next(b for b in at.button if b.label == "Another question").click()
        at.run()
    assert seen == {"hidden, no steps", "steps that match"}


def test_not_built_when_a_question_sets_the_leak(app):
    # A question (quiz_view._pose, or a class's) sets the leak in session state, as
    # here: that is not the student's move, and builds nothing.
    at = app.run()
    for leak in (0.4, 0.55):
        at.session_state["leak"] = leak
        at.run()
        assert chart_payloads(at)[0]["leak"] == leak
        assert leak_steps(at) == []
    _move(at, 0.56)
    assert len(leak_steps(at)) == 1  # the student's own move does


def test_steps_for_own_values_with_nan_and_negative_zero_are_found_again(app):
    from relulab_app import article_view

    at = _own_values(app.run(), "1, nan, -0")
    _move(at, 0.3)
    (steps,) = leak_steps(at)
    assert chart_payloads(at)[0]["steps"] == steps["id"]
    built = len(article_view._BUILT)
    _move(at, 0.31)
    assert len(article_view._BUILT) == built  # found, not built again
    assert _step(at, 0.31) == _sent(at)


def _pair_bytes(at) -> bytes:
    """The chart element's bytes as sent (not parsed)."""
    (data,) = [
        el.proto.bytes
        for el in at.get("bidi_component")
        if el.proto.component_name == "relulab_app.chart" and el.proto.bytes[:2] != b"\x1f\x8b"
    ]
    return data


@pytest.mark.parametrize(
    ("setup", "own"), [(v, None) for v in VIEWS] + [({"kink": "jax"}, "1, nan, -0, 2.5")]
)
def test_a_move_in_a_built_view_sends_what_the_page_computes(app, setup, own):
    # Once a view's steps are built, a leak move sends the element's bytes kept with
    # them instead of building the figures again: they must be the bytes a page
    # without the steps computes at that leak (so the steps' key holds every input).
    from streamlit.testing.v1 import AppTest

    def page():
        at = AppTest.from_file(str(app._script_path), default_timeout=60)
        for k, v in setup.items():
            at.query_params[k] = v
        at.run()
        return at if own is None else _own_values(at, own)

    at = page()
    from relulab_app import article_view  # (once the page has run: it declares the chart)

    _move(at, 0.2)
    assert leak_steps(at)  # built
    for leak in (0.0, 0.01, 0.37, 1.0):
        kept = _pair_bytes(_move(at, leak))
        article_view._BUILT.clear()
        computed = _pair_bytes(_move(page(), leak))  # computed first, then built again
        assert kept == computed, leak


def test_a_move_in_a_built_view_builds_no_figures(app, monkeypatch):
    at = _move(app.run(), 0.2)
    from relulab_app import article_view

    assert leak_steps(at)

    def refuse(*args):
        raise AssertionError("figures built for a view whose steps are built")

    monkeypatch.setattr(article_view, "_figures", refuse)
    at = _move(at, 0.33)
    assert not at.error and not at.exception
    (payload,) = chart_payloads(at)
    assert payload["leak"] == 0.33 and _step(at, 0.33) == _sent(at)
