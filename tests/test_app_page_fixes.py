"""What students and teachers tripped over, fixed: each test fails on the page before
its fix (AppTest; browser-only behaviour is in the browser tests)."""

from __future__ import annotations

import inspect
import json

import pytest
from conftest import chart_payloads, move_leak

from relulab import catalogue, registry


def _markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


# --- the lab ----------------------------------------------------------------------------


def test_the_lab_follows_the_leak_slider(app):
    app.query_params["leak"] = "0.37"
    at = app.run()
    at.session_state["lab"] = True
    at.run()
    assert "leak = **0.37**, from the page's leak slider" in _markdown(at) + "\n".join(
        c.value for c in at.caption
    )
    move_leak(at, 0.38)
    assert not at.exception and not at.error
    captions = "\n".join(c.value for c in at.caption)
    assert "leak = **0.38**" in captions and "0.37" not in captions
    assert "Leaky ReLU (0.38)" in _markdown(at)


def test_where_there_is_no_leak_slider_the_lab_has_its_own(app):
    app.query_params["act"] = "elu"
    app.query_params["lab"] = "1"
    app.query_params["lab_leak"] = "0.2"
    at = app.run()
    assert not at.exception and not at.error
    assert at.slider(key="lab_leak").value == pytest.approx(0.2)
    captions = "\n".join(c.value for c in at.caption)
    assert "leak = **0.2**, from the lab's leak slider" in captions


def test_the_labs_settings_come_from_the_link_and_go_back_into_it(app):
    for key, value in {
        "lab": "1",
        "lab_preset": "lr",
        "lab_width": "16",
        "lab_epochs": "100",
    }.items():
        app.query_params[key] = value
    at = app.run()
    assert not at.exception and not at.warning
    assert at.selectbox(key="lab_preset").value == "lr"
    assert at.select_slider(key="lab_lr").value == 2.0  # the preset's
    assert at.slider(key="lab_width").value == 16 and at.slider(key="lab_epochs").value == 100
    at.slider(key="lab_bias").set_value(-1.0).run()
    url = {k: at.query_params[k] for k in ("lab", "lab_preset", "lab_width", "lab_bias")}
    assert url == {"lab": "1", "lab_preset": "lr", "lab_width": "16", "lab_bias": "-1"}


def test_a_bad_lab_link_gets_a_notice_not_a_traceback(app):
    for key, value in {"lab": "maybe", "lab_preset": "<b>", "lab_width": "1e9"}.items():
        app.query_params[key] = value
    at = app.run()
    assert not at.exception and not at.error
    notices = " ".join(w.value for w in at.warning)
    assert "lab_preset" in notices and "lab_width" in notices and "<b>" not in notices


def test_closing_and_reopening_the_lab_keeps_its_settings(app):
    at = app.run()
    at.session_state["lab"] = True
    at.run()
    at.slider(key="lab_width").set_value(8).run()
    at.session_state["lab"] = False
    at.run()
    at.session_state["lab"] = True
    at.run()
    assert at.slider(key="lab_width").value == 8


# --- the explorer ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["ELU", "Elu", " elu "])
def test_activation_names_in_links_ignore_case(app, text):
    app.query_params["act"] = text
    at = app.run()
    assert not at.exception and not at.warning
    assert at.selectbox(key="act").value == "elu"


def test_a_catalogue_view_shows_its_own_definitions_and_source(app):
    app.query_params["act"] = "elu"
    at = app.run()
    act = registry.REGISTRY["elu"]
    latex = [m.value for m in at.latex]
    assert len(latex) == 2 and act.latex in latex[0] and act.latex_deriv in latex[1]
    sources = [c.value for c in at.code]
    assert sources == [] or any(inspect.getsource(catalogue.elu) in s for s in sources)
    labels = [e.label for e in at.expander]
    assert "ELU: `relulab` source" in labels
    assert not at.tabs  # the article's np.where tabs are the article view's
    at.expander(key="src_elu")  # the source box exists and opens
    at.session_state["src_elu"] = True
    at.run()
    assert any(inspect.getsource(catalogue.elu) in c.value for c in at.code)


def test_present_mode_from_the_link_hides_prose_and_enlarges_chart_text(app):
    app.query_params["present"] = "1"
    at = app.run()
    assert not at.exception and not at.warning
    assert at.toggle(key="present").value is True
    (payload,) = chart_payloads(at)
    assert payload["present"] is True
    assert min(c["layout"]["font"]["size"] for c in payload["charts"]) >= 18
    assert not [h for h in at.header if h.value == "The definitions"]
    assert "What am I looking at?" not in [e.label for e in at.expander]


def test_present_mode_from_the_link_survives_a_quiz_question_from_it(app):
    """A question from the link (quiz=1) sets the view before the controls read the
    link; present mode was then never read from it, and the projector got the page
    without it."""
    app.query_params.update({"present": "1", "quiz": "1"})
    at = app.run()
    assert not at.exception and not at.warning
    assert at.toggle(key="quiz").value is True
    assert at.toggle(key="present").value is True
    (payload,) = chart_payloads(at)
    assert payload["present"] is True


def _font_sizes(node) -> list:
    """Every font size set anywhere in a figure's layout."""
    if isinstance(node, dict):
        own = [node["size"]] if isinstance(node.get("size"), int | float) else []
        return own + [s for k, v in node.items() if k != "size" for s in _font_sizes(v)]
    if isinstance(node, list):
        return [s for v in node for s in _font_sizes(v)]
    return []


def test_present_mode_sets_the_labs_text_at_projector_size(app):
    """The lab's ticks, axis titles and legend stayed at 14-16 px in present mode."""
    app.query_params.update({"present": "1", "lab": "1"})
    at = app.run()
    assert not at.exception
    lab = [json.loads(el.proto.spec)["layout"] for el in at.get("plotly_chart")]
    assert len(lab) == 2  # the curves and the decision regions
    for layout in lab:
        sizes = _font_sizes(layout)
        assert len(sizes) >= 3 and min(sizes) >= 20, sizes


def test_an_unclear_present_value_gets_a_notice(app):
    app.query_params["present"] = "<script>"
    at = app.run()
    assert [w.value for w in at.warning] == ["The link’s present is not 1 or 0; left off."]


# --- typed values ----------------------------------------------------------------------


def test_one_value_is_one_value(app):
    at = app.run()
    at.session_state["own"] = True
    at.run()
    at.text_area(key="values").input("3").run()
    assert any(c.value.startswith("1 value; ") for c in at.caption)


def test_closing_your_own_values_keeps_them_and_clear_clears(app):
    at = app.run()
    at.session_state["own"] = True
    at.run()
    at.text_area(key="values").input("1, -2, 3").run()
    at.session_state["own"] = False
    at.run()
    (payload,) = chart_payloads(at)
    own = [t for t in payload["charts"][0]["data"] if t.get("name") == "your values"]
    assert own and sorted(own[0]["x"]) == [-2.0, 1.0, 3.0]  # still on the charts
    at.session_state["own"] = True
    at.run()
    assert at.text_area(key="values").value == "1, -2, 3"
    next(b for b in at.button if b.label == "Clear").click().run()
    assert at.text_area(key="values").value == ""
    (payload,) = chart_payloads(at)
    assert not [t for t in payload["charts"][0]["data"] if t.get("name") == "your values"]


# --- share and reset -------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {"act": "elu", "alpha": "0.5", "kink": "jax", "leak": "0.3"},
        {"leak": "0.3", "x_range": ["-3", "3"], "present": "1", "lab": "1"},
    ],
)
def test_back_to_the_articles_view_restores_every_default(app, query):
    for key, value in query.items():
        app.query_params[key] = value
    at = app.run()
    at.session_state["share"] = True
    at.run()
    next(b for b in at.button if b.label == "Back to the article's view").click().run()
    assert not at.exception and not at.warning
    assert dict(at.query_params) == {}
    assert at.selectbox(key="act").value == "relu" and at.radio(key="kink").value == "left"
    assert at.session_state["leak"] == pytest.approx(0.1)
    assert at.slider(key="x_range").value == (-5.0, 5.0)
    assert at.toggle(key="present").value is False


@pytest.mark.parametrize(
    "query, address",
    [
        ({"x_range": ["5", "-5"]}, {}),  # the default once repaired: gone
        ({"x_range": ["9", "-3"]}, {"x_range": ["-3", "9"]}),
        ({"x_range": ["2"]}, {}),  # not repairable: the page shows the default
        ({"leak": "0.123"}, {"leak": "0.12"}),
        ({"leak": "abc"}, {}),
        ({"act": "elu", "x_range": ["4", "-4"]}, {"act": "elu", "x_range": ["-4", "4"]}),
    ],
)
def test_a_repaired_link_is_repaired_in_the_address_bar_too(app, query, address):
    for key, value in query.items():
        app.query_params[key] = value
    at = app.run()
    assert not at.exception and at.warning  # the notice, as before
    shown = {k: at.query_params.get(k) for k in at.query_params}
    assert shown == address
