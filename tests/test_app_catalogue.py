"""The page's catalogue views (issue 5): act and parameter URLs, compare view, the
convention switch, frameworks panel and copy-as-code, with AppTest."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import chart_specs, chart_steps, move_leak, n_charts, trace

from relulab import catalogue, frameworks, registry

OTHERS = [k for k in registry.REGISTRY if k not in ("relu", "leaky_relu")]


def _names(spec: dict) -> list[str]:
    return [t.get("name") for t in spec["data"] if t.get("name")]


@pytest.mark.parametrize("key", OTHERS)
def test_each_activation_opens_from_its_url(app, key):
    app.query_params["act"] = key
    at = app.run()
    assert not at.exception and not at.error and not at.warning
    assert at.selectbox(key="act").value == key
    f, _ = chart_specs(at)
    act = registry.REGISTRY[key]
    name = _names(f)[0]
    assert name.startswith(act.name)
    curve = trace(f, name)
    np.testing.assert_allclose(
        curve["y"], act(curve["x"].astype(float), **act.defaults()), rtol=1e-6, atol=1e-6
    )
    # The first parameter: the chart element's own slider (drawn at once); the others
    # Streamlit's.
    (steps,) = chart_steps(at)
    own = {steps["slider"]["name"]} if steps["slider"] else set()
    assert own == {p.name for p in act.params[:1]}
    sliders = {s.key for s in at.slider}
    assert sliders | own == {p.name for p in act.params} | {"x_range"}
    latex = " ".join(el.proto.body for el in at.get("latex"))
    assert act.latex in latex and act.latex_deriv in latex


def test_parameter_urls_are_restored_and_used(app):
    app.query_params["act"] = "elu"
    app.query_params["alpha"] = "0.5"
    app.query_params["x_range"] = ["-3", "3"]
    at = app.run()
    assert at.session_state["alpha"] == 0.5
    assert chart_steps(at)[0]["slider"]["value"] == 0.5  # the element's slider shows it
    f, df = chart_specs(at)
    curve = trace(f, "ELU (alpha=0.5)")
    assert curve["x"][0] == -3 and curve["y"][0] == pytest.approx(
        catalogue.elu(-3.0, 0.5), rel=1e-6
    )
    # the derivative jumps at 0 for alpha != 1: closed dot at alpha, open dot at 1
    dots = [t for t in df["data"] if t.get("mode") == "markers"]
    assert [(d["y"][0], d["marker"]["symbol"]) for d in dots] == [
        (0.5, "circle"),
        (1.0, "circle-open"),
    ]


def test_moving_a_parameter_redraws(app):
    app.query_params["act"] = "silu"
    at = app.run()
    before = [json.dumps(c) for c in chart_specs(at)]
    at = move_leak(at, 2.5, "beta")
    assert at.query_params["beta"] == "2.5"
    assert not at.exception and not at.error
    assert [json.dumps(c) for c in chart_specs(at)] != before
    assert "SiLU / Swish (beta=2.5)" in _names(chart_specs(at)[0])


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"act": "<script>alert(1)</script>"}, "act is not one of the choices"),
        ({"act": ["elu", "selu"]}, "act is not one of the choices"),
        ({"act": "elu", "alpha": "9"}, "outside 0–3"),
        ({"act": "elu", "alpha": "nan"}, "not a finite number"),
        ({"act": "softplus", "beta": "0"}, "outside 0.1–5"),
        ({"act": "softplus", "threshold": "abc"}, "not a finite number"),
        ({"act": "silu", "beta": "1e999"}, "not a finite number"),
        ({"act": "prelu", "a": "0.123"}, "rounded"),
        ({"kink": "banana"}, "kink is not one of the choices"),
        ({"act": "compare", "show": ["elu", "<b>x</b>"]}, "not known here"),
    ],
)
def test_hostile_catalogue_urls_give_a_notice(app, query, words):
    for k, v in query.items():
        app.query_params[k] = v
    at = app.run()
    assert not at.exception and not at.error
    notices = " ".join(w.value for w in at.warning)
    assert words in notices
    assert "<script>" not in notices and "<b>" not in notices
    assert n_charts(at) == 2


def test_compare_view_overlays_the_chosen_activations(app):
    app.query_params["act"] = "compare"
    app.query_params["show"] = ["gelu", "gelu_tanh", "elu"]
    at = app.run()
    assert not at.exception and not at.error and not at.warning
    f, df = chart_specs(at)
    assert _names(f) == ["ELU (alpha=1)", "GELU (exact)", "GELU (tanh approximation)"]
    assert [n for n in _names(df)] == _names(f)
    at.multiselect(key="show").set_value([]).run()
    assert "Pick at least one" in " ".join(i.value for i in at.info)


def test_compare_default_and_url_sync(app):
    app.query_params["act"] = "compare"
    at = app.run()
    assert at.multiselect(key="show").value == ["leaky_relu", "elu", "gelu", "silu"]
    at.multiselect(key="show").set_value(["tanh", "sigmoid"]).run()
    assert at.query_params["show"] == ["tanh", "sigmoid"]
    assert at.query_params["act"] == "compare"


def test_convention_switch_moves_the_dot_and_the_tables(app):
    at = app.run()
    _, df = chart_specs(at)
    closed = [t["y"][0] for t in df["data"] if t.get("marker", {}).get("symbol") == "circle"]
    assert 0.1 in closed and 1.0 not in closed
    at.radio(key="kink").set_value(frameworks.JAX).run()
    assert not at.exception and not at.error
    _, df = chart_specs(at)
    closed = [t["y"][0] for t in df["data"] if t.get("marker", {}).get("symbol") == "circle"]
    assert 1.0 in closed and 0.1 not in closed
    tables = "\n".join(m.value for m in at.markdown)
    assert "`JAX f′ (0.1)`" in tables
    assert at.query_params["kink"] == "jax"


@pytest.mark.parametrize(
    ("act", "want"),
    [
        # The default comparison's Leaky ReLU: jax.nn.leaky_relu tests x >= 0, so 1.
        ("compare", [1.0]),
        # PReLU's JAX line is jnp.where(x > 0, x, a * x): its jax.grad at 0 is a (0.25).
        ("prelu", [0.25]),
    ],
)
def test_convention_from_url(app, act, want):
    app.query_params["kink"] = "jax"
    app.query_params["act"] = act
    at = app.run()
    assert at.radio(key="kink").value == frameworks.JAX
    _, df = chart_specs(at)
    closed = [t["y"][0] for t in df["data"] if t.get("marker", {}).get("symbol") == "circle"]
    assert closed == want


@pytest.mark.parametrize(
    ("act", "matters"),
    [
        # Leaky ReLU (JAX: 1 at 0), PReLU and SELU (TensorFlow's layers) differ.
        ("relu", True),
        ("prelu", True),
        ("selu", True),
        ("compare", True),
        # Every library takes the same value at these kinks, or there is none.
        ("relu6", False),
        ("elu", False),
        ("hardswish", False),
        ("gelu", False),
    ],
)
def test_the_switch_is_off_where_every_library_agrees(app, act, matters):
    app.query_params["kink"] = "jax"
    app.query_params["act"] = act
    at = app.run()
    assert not at.exception and not at.error
    switch = at.radio(key="kink")
    assert switch.disabled is not matters
    # Off, it keeps the link's choice for the next view.
    assert switch.value == frameworks.JAX and at.query_params["kink"] == "jax"


def test_frameworks_panel_lists_defaults_and_kinks(app):
    at = app.run()
    text = "\n".join(m.value for m in at.markdown)
    # Two narrow tables (one wide one ran off a phone): the defaults, then f′ at 0, where
    # ReLU′(0), the same in every framework, is a sentence instead of a column.
    for facts in frameworks.FACTS:
        assert f"| {facts.name} | {facts.leaky_default} |" in text
        assert f"| {facts.name} | {facts.leaky_at_0} | {facts.selu_at_0} |" in text
    assert {f.relu_at_0 for f in frameworks.FACTS} == {"0"}
    assert "ReLU′(0) is 0 in every one." in text


def test_copy_as_code_renders_each_library_when_opened(app):
    app.query_params["leak"] = "0.25"
    at = app.run()
    assert not any("leaky_relu" in c.value for c in at.code)  # closed: nothing rendered
    at.session_state["copy"] = True
    at.run()
    code = "\n".join(c.value for c in at.code)
    assert "torch.nn.functional.leaky_relu(x, negative_slope=0.25)" in code
    assert "tf.nn.leaky_relu(x, alpha=0.25)" in code
    assert "jax.nn.leaky_relu(x, negative_slope=0.25)" in code
    assert "relulab.relu(x, leak=0.25)" in code


@pytest.mark.parametrize("key", OTHERS)
def test_copy_as_code_shows_the_records_lines(app, key):
    # Every record's lines reach the page: one code block per library, as the record
    # gives them at the sliders' defaults.
    app.query_params["act"] = key
    at = app.run()
    at.session_state["copy"] = True
    at.run()
    assert not at.exception and not at.error
    act = registry.REGISTRY[key]
    want = list(frameworks.code_lines(key, act.defaults()).values())
    assert [c.value for c in at.code if c.value in want] == want


def test_the_switch_offers_tensorflow_whose_prelu_takes_0_at_0():
    # TensorFlow's (and Keras') PReLU layer gives 0 at 0 for every a; PyTorch gives a.
    from conftest import APP, chart_payloads
    from streamlit.testing.v1 import AppTest

    def filled_dot(kink: str) -> list:
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.query_params["act"], at.query_params["kink"] = "prelu", kink
        at.run()
        assert not at.exception and at.radio(key="kink").value == kink
        (payload,) = chart_payloads(at)
        return [
            t["y"]
            for t in payload["charts"][1]["data"]
            if t.get("meta") == "kink" and t["marker"]["symbol"] == "circle"
        ]

    assert filled_dot("tensorflow") == [[0.0]]
    assert filled_dot("left") != [[0.0]]


def test_where_tensorflow_takes_the_x_le_0_side_the_switch_names_it_there():
    from conftest import APP
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["kink"] = "tensorflow"  # the article's pair: the same values as x <= 0
    at.run()
    switch = at.radio(key="kink")
    assert not at.exception and switch.value == "left" and "kink" not in at.query_params
    assert switch.options == ["x ≤ 0 side (article, PyTorch, TF)", "JAX"]
    at.selectbox(key="act").set_value("selu").run()
    assert at.radio(key="kink").options == ["x ≤ 0 side (article, PyTorch)", "TensorFlow", "JAX"]


def test_a_parameter_two_views_share_keeps_its_value_and_its_place_in_the_address_bar(app):
    # Softplus and SiLU both have a β: one value under one name, in the address bar on
    # either view, run after run; Softplus's threshold (one of Streamlit's sliders, which
    # forget their value once off the page) waits for it on another view.
    app.query_params["act"] = "softplus"
    at = move_leak(app.run(), 3.0, "beta")
    at.slider(key="threshold").set_value(5.0).run()
    assert at.query_params["beta"] == "3" and at.query_params["threshold"] == "5"
    at.selectbox(key="act").set_value("silu").run()
    for x_range in ((-4.0, 4.0), (-3.0, 3.0)):
        at.slider(key="x_range").set_value(x_range).run()
        assert at.session_state["beta"] == 3.0 and at.query_params["beta"] == "3"
    assert "threshold" not in at.query_params  # it left with its view
    at = move_leak(at, 4.0, "beta")
    for x_range in ((-4.0, 4.0), (-3.0, 3.0)):
        at.slider(key="x_range").set_value(x_range).run()
        assert "SiLU / Swish (beta=4)" in _names(chart_specs(at)[0])
    at.selectbox(key="act").set_value("elu").run()
    at.selectbox(key="act").set_value("softplus").run()
    assert at.session_state["beta"] == 4.0 and at.slider(key="threshold").value == 5.0
    assert "Softplus (beta=4, threshold=5)" in _names(chart_specs(at)[0])
    assert at.query_params["beta"] == "4" and at.query_params["threshold"] == "5"
    assert not at.exception and not at.warning
