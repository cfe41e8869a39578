"""The page's "Your own values" box: presets, results, markers, errors, limits, CSV."""

from __future__ import annotations

import pytest
from conftest import chart_specs, move_leak, n_charts, trace

from relulab import relu
from relulab_app import parse


@pytest.fixture
def opened(app):
    at = app.run()
    at.session_state["own"] = True
    return at.run()


def test_closed_by_default_renders_nothing(app):
    at = app.run()
    assert not at.text_area and not at.dataframe


def test_presets_are_the_article_examples(opened):
    at = opened
    at.button[0].click().run()
    assert at.text_area(key="values").value == "[[0.11], [-2.2], [0], [50.2], [33.5], [-0.6]]"
    table = at.dataframe[0].value
    assert table["x"].tolist() == [0.11, -2.2, 0, 50.2, 33.5, -0.6]
    # At the article's leak for it (0, not the slider's 0.1 before), and the header says so.
    assert at.session_state["leak"] == 0.0
    assert table["f(x) at leak 0"].tolist() == relu(table["x"].to_numpy(), 0.0).tolist()
    at.button[1].click().run()
    assert at.text_area(key="values").value == "[[-0.5], [0], [1], [2], [3], [4.5]]"
    assert at.session_state["leak"] == 0.1
    assert list(at.dataframe[0].value)[1:3] == ["f(x) at leak 0.1", "f′(x) at leak 0.1"]


def test_a_decimal_comma_is_read_as_two_numbers_and_the_page_says_so(opened):
    at = opened
    at.text_area(key="values").set_value("3,5").run()
    assert at.dataframe[0].value["x"].tolist() == [3.0, 5.0]
    assert any("`3,5` was read as two numbers" in i.value for i in at.info)
    at.text_area(key="values").set_value("3, 5").run()  # plainly two: no note
    assert not any("read as two numbers" in i.value for i in at.info)


def test_typed_values_are_tabled_and_marked_on_both_graphs(opened):
    at = opened
    at.text_area(key="values").set_value("-3; 0\n2, nan, 99").run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert table["f′(x) at leak 0.1"].tolist()[:3] == [0.1, 0.1, 1.0]
    assert table["branch"].tolist()[:3] == ["x <= 0: leak * x", "x <= 0: leak * x", "x > 0: x"]
    f, df = chart_specs(at)
    assert list(trace(f, "your values")["x"]) == [-3.0, 0.0, 2.0]  # 99 and nan are not drawn
    assert list(trace(df, "your values")["y"]) == [0.1, 0.1, 1.0]
    assert "3 of them drawn" in " ".join(c.value for c in at.caption)


def test_bad_input_points_at_the_token_and_the_page_keeps_working(opened):
    at = opened
    at.text_area(key="values").set_value("1, 2..5, 3").run()
    assert not at.exception
    assert [e.value for e in at.error] == ["`2..5` at position 4 is not a number"]
    assert n_charts(at) == 2
    move_leak(at, 0.3)
    assert not at.exception and at.error


def test_markup_in_input_is_not_rendered(opened):
    at = opened
    at.text_area(key="values").set_value("<script>alert(1)</script>").run()
    message = at.error[0].value
    assert message.startswith("`<script>alert(1)<...`")  # shortened, inside a code span


def test_over_the_limit_is_refused(opened):
    at = opened
    at.text_area(key="values").set_value("1," * (parse.MAX_VALUES + 1)).run()
    assert "more than 10,000 numbers" in at.error[0].value
    assert not at.dataframe


def test_convention_reaches_the_table(opened):
    at = opened
    at.text_area(key="values").set_value("0").run()
    at.radio(key="kink").set_value("jax").run()
    assert at.dataframe[0].value["JAX f′(x) at leak 0.1"].tolist() == [1.0]


def test_csv_download_offered(opened):
    at = opened
    at.text_area(key="values").set_value("1, -1").run()
    assert at.get("download_button")


def test_lab_is_lazy_and_shows_dying_units(app):
    at = app.run()
    assert n_charts(at) == 2  # closed: no training, no charts
    at.session_state["lab"] = True
    at.run()
    assert not at.exception and n_charts(at) == 4
    text = " ".join(m.value for m in at.markdown)
    assert "**81%** (52 of 64) of the ReLU network's hidden units are dead" in text
    at.selectbox(key="lab_preset").set_value("lr").run()  # "Too large a learning rate"
    assert not at.exception


def test_lab_text_on_the_healthy_start_says_leaky_relu_has_more_units_at_zero(app):
    """There ReLU ends with 9 of 64 units dead and Leaky ReLU with 10 at input <= 0: the
    page once said 14 % "against 16 % with Leaky ReLU, whose units ... can recover"."""
    app.query_params.update({"lab": "1", "lab_preset": "healthy"})
    at = app.run()
    assert not at.exception
    (text,) = [m.value for m in at.markdown if "hidden units are dead" in m.value]
    assert "**14%** (9 of 64)" in text and "has more here: **16%** (10 of 64)" in text
    assert "against" not in text and "recover" not in text
