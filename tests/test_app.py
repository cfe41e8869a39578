"""The page, run headless with Streamlit's AppTest."""

from __future__ import annotations

import inspect
import json

import pytest
from conftest import chart_specs, move_leak, n_charts, trace

from relulab import activations, registry, relu, relu_dash
from relulab_app import quiz_view


def _all_text(at) -> str:
    parts = [m.value for m in at.markdown] + [w.value for w in at.warning]
    parts += [i.value for i in at.info] + [c.value for c in at.caption]
    return "\n".join(parts)


def test_page_runs_and_has_the_controls(app):
    at = app.run()
    assert not at.exception and not at.error
    assert at.session_state["leak"] == pytest.approx(0.1)
    lo, hi = at.slider(key="x_range").value
    assert lo < 0 < hi
    assert at.slider(key="x_range").min <= -50.2 and at.slider(key="x_range").max >= 50.2
    assert n_charts(at) == 2
    assert not at.warning  # a clean URL gives no notice


def test_the_picker_offers_each_row_of_the_views_table_which_draws_its_definitions(app):
    at = app.run()
    from relulab_app import explorer  # after a run: it declares the chart element

    assert at.selectbox(key="act").options == [v.label for v in explorer.VIEWS.values()]
    for key, view in explorer.VIEWS.items():
        at.selectbox(key="act").set_value(key).run()
        assert not at.exception and not at.error, key
        assert n_charts(at) == 2, key
        latex = [el.proto.body.strip("$\n") for el in at.get("latex")]
        # The compare view's keys are its picker's (session state, not readable here).
        keys = at.multiselect(key="show").value if key == "compare" else view.keys()
        assert keys and latex == [
            f for k in keys for f in (registry.REGISTRY[k].latex, registry.REGISTRY[k].latex_deriv)
        ], key


def test_a_misspelt_hidden_part_fails_instead_of_never_hiding():
    with pytest.raises(ValueError, match="tabels"):
        quiz_view.hidden("tabels")


def test_charts_show_library_values(app):
    at = app.run()
    f, df = chart_specs(at)
    leaky = trace(f, "Leaky ReLU (0.1)")
    assert list(leaky["x"]) == [-5.0, 0.0, 5.0]
    assert list(leaky["y"]) == relu([-5.0, 0.0, 5.0], 0.1).tolist()
    step = trace(df, "Leaky ReLU (0.1)")
    assert list(step["y"]) == [0.1, 0.1, None, 1.0, 1.0]


def test_moving_leak_changes_the_charts(app):
    at = app.run()
    before = [json.dumps(c) for c in chart_specs(at)]
    move_leak(at, 0.35)
    assert not at.exception and not at.error
    after = [json.dumps(c) for c in chart_specs(at)]
    assert before[0] != after[0] and before[1] != after[1]
    f, _ = chart_specs(at)
    assert trace(f, "Leaky ReLU (0.35)")["y"][0] == relu(-5.0, 0.35)
    assert "relu(x, 0.35)" in _all_text(at)


def test_moving_x_range_redraws(app):
    at = app.run()
    at.slider(key="x_range").set_value((-2.0, 8.0)).run()
    f, _ = chart_specs(at)
    assert list(trace(f, "ReLU")["x"]) == [-2.0, 0.0, 8.0]


def test_example_tables_hold_the_article_values(app):
    at = app.run()
    text = _all_text(at)
    # Example 1 at leak 0: x, relu(x), relu_dash(x) row by row.
    for x, r, d in zip(
        [0.11, -2.2, 0, 50.2, 33.5, -0.6],
        [0.11, 0, 0, 50.2, 33.5, 0],
        [1, 0, 0, 1, 1, 0],
        strict=True,
    ):
        assert f"| {x:.6g} | {r:.6g} | {d:.6g} |" in text
    # Example 2 at leak 0.1.
    for x, r, d in zip(
        [-0.5, 0, 1, 2, 3, 4.5], [-0.05, 0, 1, 2, 3, 4.5], [0.1, 0.1, 1, 1, 1, 1], strict=True
    ):
        assert f"| {x:.6g} | {r:.6g} | {d:.6g} |" in text


def test_example_points_outside_the_range_are_listed(app):
    at = app.run()
    note = next(m.value for m in at.markdown if "Not on the graphs" in m.value)
    assert "33.5, 50.2, outside the x-range -5 to 5" in note
    at.slider(key="x_range").set_value((-60.0, 60.0)).run()
    assert "Not on the graphs" not in _all_text(at)
    f, _ = chart_specs(at)
    pts = trace(f, "article examples")
    assert 50.2 in list(pts["x"])


def test_the_real_source_is_shown(app):
    at = app.run()
    assert not at.code  # the np.where tab is open first; code renders when asked for
    assert "| 0 | True: takes `0.1 * x` | 0 | 0.1 |" in "\n".join(m.value for m in at.markdown)
    latex = " ".join(el.proto.body for el in at.get("latex"))
    for act in (registry.REGISTRY["relu"], registry.REGISTRY["leaky_relu"]):
        assert act.latex in latex and act.latex_deriv in latex
    at.session_state["code_tab"] = "Article's code"
    at.run()
    assert "np.where(x <= 0, leak * x, x)" in at.code[0].value
    assert inspect.getsource(activations.relu) not in at.code[0].value
    at.session_state["code_tab"] = "Library's code"
    at.run()
    code = "\n".join(c.value for c in at.code)
    assert inspect.getsource(activations.relu) in code
    assert inspect.getsource(activations.relu_dash).strip() in code
    assert not at.exception and not at.error


def test_url_state_is_restored(app):
    app.query_params["leak"] = "0.25"
    app.query_params["x_range"] = ["-3", "3"]
    at = app.run()
    assert not at.exception and not at.error and not at.warning
    assert at.session_state["leak"] == pytest.approx(0.25)
    assert at.slider(key="x_range").value == (-3.0, 3.0)
    f, df = chart_specs(at)
    assert list(trace(f, "Leaky ReLU (0.25)")["x"]) == [-3.0, 0.0, 3.0]
    assert trace(df, "Leaky ReLU (0.25)")["y"][0] == relu_dash(-3.0, 0.25)


HOSTILE = [
    ({"leak": "abc"}, 0.1, (-5.0, 5.0)),
    ({"leak": "nan"}, 0.1, (-5.0, 5.0)),
    ({"leak": "1e309"}, 0.1, (-5.0, 5.0)),
    ({"leak": "-3"}, 0.1, (-5.0, 5.0)),
    ({"leak": "<script>alert(1)</script>"}, 0.1, (-5.0, 5.0)),
    ({"leak": "0.123"}, 0.12, (-5.0, 5.0)),
    ({"leak": ["0.2", "0.3"]}, 0.1, (-5.0, 5.0)),
    ({"x_range": ["5", "-5"]}, 0.1, (-5.0, 5.0)),
    ({"x_range": ["0", "0"]}, 0.1, (-1.0, 1.0)),
    ({"x_range": "2"}, 0.1, (-5.0, 5.0)),
    ({"x_range": ["-3", "abc"]}, 0.1, (-5.0, 5.0)),
    ({"x_range": ["-1e9", "3"]}, 0.1, (-5.0, 5.0)),
    ({"x_range": ["-3.3", "2"]}, 0.1, (-3.5, 2.0)),
    ({"x_range": ["<b>x</b>", "3"], "leak": "<img src=x>"}, 0.1, (-5.0, 5.0)),
]


@pytest.mark.parametrize(("params", "leak", "x_range"), HOSTILE)
def test_hostile_urls_give_a_working_page_with_a_notice(app, params, leak, x_range):
    for key, value in params.items():
        app.query_params[key] = value
    at = app.run()
    assert not at.exception and not at.error
    assert at.warning, "a notice is shown"
    assert at.session_state["leak"] == pytest.approx(leak)
    assert at.slider(key="x_range").value == x_range
    assert n_charts(at) == 2
    text = _all_text(at)
    assert "<" not in "\n".join(w.value for w in at.warning)  # nothing echoed as markup
    assert "script" not in text and "<img" not in text and "<b>" not in text


def test_notice_goes_once_the_student_moves_on(app):
    app.query_params["x_range"] = ["5", "-5"]
    at = app.run()
    assert at.warning
    move_leak(at, 0.3)
    assert not at.exception and not at.error and not at.warning


# --- typing the x-range (on a phone the slider's thumbs are too close for a finger) -----


def _typing(app):
    """The page with its "Type" popover open (its boxes exist only while it is)."""
    at = app.run()
    at.session_state["x_type"] = True
    return at.run()


def test_the_boxes_exist_only_while_the_popover_is_open(app):
    # Every element of the explorer is re-sent on each slider move: two boxes and their
    # layout would be eight more, so they are drawn only when asked for.
    at = app.run()
    assert not at.number_input
    assert len(_typing(app).number_input) == 2


def test_typing_the_x_range_sets_the_slider_the_charts_and_the_link(app):
    at = _typing(app)
    assert at.number_input(key="x_range_from").value == -5.0
    assert at.number_input(key="x_range_to").value == 5.0
    at.number_input(key="x_range_from").set_value(-3.0).run()
    at.number_input(key="x_range_to").set_value(12.5).run()
    assert not at.exception and not at.error and not at.warning
    assert at.slider(key="x_range").value == (-3.0, 12.5)
    f, df = chart_specs(at)
    assert list(trace(f, "ReLU")["x"]) == [-3.0, 0.0, 12.5]
    assert trace(df, "ReLU")["x"][0] == -3.0
    assert at.query_params["x_range"] == ["-3", "12.5"]  # the link follows
    assert not at.toast  # nothing to explain


def test_the_boxes_follow_the_slider(app):
    at = _typing(app)
    at.slider(key="x_range").set_value((-2.0, 8.0)).run()
    assert at.number_input(key="x_range_from").value == -2.0
    assert at.number_input(key="x_range_to").value == 8.0


@pytest.mark.parametrize(
    ("key", "typed", "want", "words"),
    [
        # past the other end: the number typed stays, the other end moves by the old width
        ("x_range_from", 8.0, (8.0, 18.0), "“to” moved along"),
        ("x_range_to", -7.0, (-17.0, -7.0), "“from” moved along"),
        ("x_range_from", 5.0, (5.0, 15.0), "“to” moved along"),  # an empty range
        ("x_range_from", 59.0, (59.0, 60.0), "“to” moved along"),  # kept inside -60…60
        ("x_range_from", 2.3, (2.5, 5.0), "rounded to the slider step"),
    ],
)
def test_a_reversed_or_odd_typed_range_is_repaired_with_a_message(app, key, typed, want, words):
    at = _typing(app)
    at.number_input(key=key).set_value(typed).run()
    assert not at.exception and not at.error
    assert at.slider(key="x_range").value == want
    assert at.number_input(key="x_range_from").value == want[0]
    assert at.number_input(key="x_range_to").value == want[1]
    xs = trace(chart_specs(at)[0], "ReLU")["x"]
    assert (xs[0], xs[-1]) == want
    [toast] = at.toast
    assert words in toast.value and f"{want[0]:g} to {want[1]:g}" in toast.value


def test_the_boxes_are_in_every_view_with_an_x_range(app):
    for query in ({"act": "elu"}, {"act": "softplus"}, {"act": "compare"}):
        app.query_params.clear()
        app.query_params.update(query)
        at = app.run()
        assert not at.exception
        at.session_state["x_type"] = True
        at.run()
        at.number_input(key="x_range_to").set_value(20.0).run()
        assert at.slider(key="x_range").value == (-5.0, 20.0), query
