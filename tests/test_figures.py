"""Figure builders: exact vertices, steps with a gap at 0, dots at the kink, small JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from relulab import registry, relu, relu_dash
from relulab_app import figures

LEAKS = [0.0, 0.01, 0.1, 0.5, 1.0]


def _trace(fig, name):
    matches = [t for t in fig["data"] if t.get("name") == name]
    assert len(matches) == 1, name
    return matches[0]


def _names(leak):
    return f"Leaky ReLU ({leak:g})", "ReLU"


def _dots(fig):
    """The markers drawn at exactly x = 0: the dots at the kink."""
    return [t for t in fig["data"] if t["mode"] == "markers" and list(t["x"]) == [0.0]]


def _on_inset(fig):
    return [t for t in fig["data"] if t.get("xaxis") == "x2"]


@pytest.mark.parametrize("leak", LEAKS)
def test_function_lines_are_exact_polylines_through_zero(leak):
    fig = figures.function_figure(leak, (-5.0, 5.0))
    leaky, plain = (_trace(fig, n) for n in _names(leak))
    assert leaky["x"] == [-5.0, 0.0, 5.0]
    assert leaky["y"] == relu(np.array([-5.0, 0.0, 5.0]), leak).tolist()
    assert plain["y"] == [0.0, 0.0, 5.0]
    # both visible for x > 0
    assert plain["line"]["dash"] == "dash" and "dash" not in leaky["line"]


@pytest.mark.parametrize(
    ("x_range", "xs"), [((1.0, 3.0), [1.0, 3.0]), ((-4.0, -1.0), [-4.0, -1.0])]
)
def test_no_vertex_when_zero_is_outside(x_range, xs):
    fig = figures.function_figure(0.2, x_range)
    assert _trace(fig, _names(0.2)[0])["x"] == xs


@pytest.mark.parametrize("leak", LEAKS)
def test_derivative_is_a_step_with_a_gap_at_zero(leak):
    fig = figures.derivative_figure(leak, (-5.0, 5.0))
    leaky, plain = (_trace(fig, n) for n in _names(leak))
    assert leaky["x"] == [-5.0, 0.0, None, 0.0, 5.0]
    assert leaky["y"] == [leak, leak, None, 1.0, 1.0]
    assert plain["y"] == [0.0, 0.0, None, 1.0, 1.0]
    assert leaky["connectgaps"] is False


@pytest.mark.parametrize("leak", LEAKS)
def test_dots_at_zero_mark_the_value_taken(leak):
    fig = figures.derivative_figure(leak, (-5.0, 5.0))
    dots = [t["marker"] | {"y": t["y"][0]} for t in _dots(fig)]
    closed = {d["color"]: d["y"] for d in dots if d["symbol"] == "circle"}
    opened = {d["color"]: d["y"] for d in dots if d["symbol"] == "circle-open"}
    assert closed[figures.LEAKY_COLOR] == relu_dash(0.0, leak) == leak
    assert closed[figures.RELU_COLOR] == 0.0
    assert opened[figures.RELU_COLOR] == 1.0
    if leak == 1.0:  # no jump, nothing not taken
        assert figures.LEAKY_COLOR not in opened
    else:
        assert opened[figures.LEAKY_COLOR] == 1.0


def test_kink_dots_follow_the_library():
    assert figures.kink_dots(0.0) == (0.0, 1.0)
    assert figures.kink_dots(0.3) == (0.3, 1.0)
    assert figures.kink_dots(1.0) == (1.0, None)


def test_no_dots_when_zero_is_outside():
    fig = figures.derivative_figure(0.1, (1.0, 4.0))
    assert not _dots(fig)
    assert _trace(fig, _names(0.1)[0])["y"] == [1.0, 1.0]


@pytest.mark.parametrize("leak", [0.01, 0.05, 0.1])
def test_small_leak_is_visible_in_the_inset(leak):
    fig = figures.function_figure(leak, (-5.0, 5.0))
    inset = [t for t in _on_inset(fig) if t["line"]["color"] == figures.LEAKY_COLOR]
    assert len(inset) == 1
    y = np.array(inset[0]["y"])
    y_lo, y_hi = fig["layout"]["yaxis2"]["range"]
    assert np.ptp(y) / (y_hi - y_lo) > 0.6  # the slope fills most of the inset's height
    assert any(f"slope = {leak:g}" in a["text"] for a in fig["layout"]["annotations"])


@pytest.mark.parametrize("convention", ["left", "jax"])
def test_hover_refs_name_each_curves_lines_and_its_value_at_zero(convention):
    leak = 0.25
    f, df = (
        figures.function_figure(leak, (-5.0, 5.0), convention=convention),
        figures.derivative_figure(leak, (-5.0, 5.0), convention=convention),
    )
    refs = figures.hover_refs(f, df, figures.article_hover(leak, (-5.0, 5.0), convention))
    assert [r["name"] for r in refs] == ["Leaky ReLU (0.25)", "ReLU"]
    for r in refs:
        f_line, df_line = f["data"][r["f"][1]], df["data"][r["df"][1]]
        assert f_line["name"] == df_line["name"] == r["name"] and f_line["mode"] == "lines"
        assert r["f"][0] == 0 and r["df"][0] == 1
    # f′(0) for hover is the value the filled dot shows under the convention.
    assert refs[0]["kinks"] == [[0.0, figures.kink_dots(leak, convention)[0]]]
    assert refs[0]["kinks"] == [[0.0, 1.0 if convention == "jax" else leak]]
    assert refs[1]["kinks"] == [[0.0, 0.0]]


def test_hover_has_no_value_at_zero_when_zero_is_not_drawn():
    assert [kinks for _, kinks in figures.article_hover(0.1, (1.0, 4.0))] == [{}, {}]


def test_catalogue_hover_gives_the_value_taken_at_each_kink_drawn():
    # Hover snaps x to the axis' tick decimals, so a cursor near 3 reads x = 3: there
    # f′ is the value taken (hard-swish's 1), not the end of the piece drawn up to it.
    hs, relu6 = registry.REGISTRY["hardswish"], registry.REGISTRY["relu6"]
    hover = figures.catalogue_hover([(hs, {}), (relu6, {})], (-5.0, 5.0))
    assert hover == [("Hard-swish", {-3.0: 0.0, 3.0: 1.0}), ("ReLU6", {0.0: 0.0})]


def test_marked_points_hover_rounds_to_four_significant_digits():
    # relu(-2.2, 0.1) is -0.22000000000000003 in floating point: the label shows -0.22.
    fig = figures.function_figure(0.1, (-5.0, 5.0), np.array([-2.2]))
    template = _trace(fig, "article examples")["hovertemplate"]
    assert "%{customdata[0]:.4~g}" in template and "%{x:.4~g}" in template


@pytest.mark.parametrize("convention", ["left", "jax"])
def test_example_marker_at_zero_follows_the_convention(convention):
    # The article's x = 0 on f′ sits on the filled dot, never on the open one.
    p = np.array([-0.5, 0.0, 1.0])
    fig = figures.derivative_figure(0.25, (-5.0, 5.0), p, convention)
    taken, other = figures.kink_dots(0.25, convention)
    assert _trace(fig, "article examples")["y"] == [0.25, taken, 1.0]
    assert taken != other


def test_no_inset_at_leak_zero():
    # ReLU and Leaky ReLU 0 are the same flat line for x < 0: nothing to magnify.
    fig = figures.function_figure(0.0, (-5.0, 5.0))
    assert "xaxis2" not in fig["layout"]
    assert not fig["layout"].get("annotations") and not fig["layout"].get("shapes")
    assert not _on_inset(fig)


def test_inset_parts_are_marked_so_the_chart_can_hide_them():
    fig = figures.function_figure(0.1, (-5.0, 5.0))
    on_inset = _on_inset(fig)
    assert on_inset and all(t["meta"] == "inset" for t in on_inset)
    assert all(t.get("meta") != "inset" for t in fig["data"] if t not in on_inset)
    assert [a["name"] for a in fig["layout"]["annotations"]] == ["inset"]
    assert [s["name"] for s in fig["layout"]["shapes"]] == ["inset"]


def test_chart_text_is_large_enough_to_project():
    # Present mode: every number a student reads off a projected chart is >= 20 px,
    # the inset's ticks and the notes on the plot too.
    for font, least in ((figures.FONT_SIZE, 14), (figures.PRESENT_FONT_SIZE, 20)):
        f = figures.function_figure(0.1, (-5.0, 5.0), font_size=font)["layout"]
        df = figures.derivative_figure(0.1, (-5.0, 5.0), font_size=font)["layout"]
        sizes = [f["font"], df["font"], f["xaxis2"]["tickfont"], f["yaxis2"]["tickfont"]]
        sizes = [s["size"] for s in sizes]
        sizes += [a["font"]["size"] for a in (*f["annotations"], *df["annotations"])]
        assert min(sizes) >= least, sizes


def test_example_points_are_on_the_curves():
    p = np.array([-2.2, 0.0, 1.0])
    fig = figures.function_figure(0.1, (-5.0, 5.0), p)
    pts = _trace(fig, "article examples")
    assert pts["y"] == relu(p, 0.1).tolist()
    dfig = figures.derivative_figure(0.1, (-5.0, 5.0), p)
    assert _trace(dfig, "article examples")["y"] == relu_dash(p, 0.1).tolist()


def test_axes_are_labelled():
    for fig in (figures.function_figure(0.1, (-5, 5)), figures.derivative_figure(0.1, (-5, 5))):
        assert fig["layout"]["xaxis"]["title"]["text"] == "x"
        assert fig["layout"]["yaxis"]["title"]["text"] in ("f(x)", "f′(x)")


# Bound: each serialized figure stays under 5 KB at the widest range with every
# example point (a 1,000-point sampled figure is about 40 KB).
SIZE_BOUND = 5_000


@pytest.mark.parametrize("x_range", [(-5.0, 5.0), (-60.0, 60.0), (-0.5, 0.5)])
def test_serialized_figures_stay_small(x_range):
    p = np.array([-2.2, -0.6, -0.5, 0, 0.11, 1, 2, 3, 4.5, 33.5, 50.2])
    for build in (figures.function_figure, figures.derivative_figure):
        size = len(json.dumps(build(0.13, x_range, p), separators=(",", ":")))
        assert size < SIZE_BOUND, (build.__name__, size)


def test_figures_module_imports_neither_streamlit_nor_plotly():
    # Figures are plain dicts: plotly is the browser's, and st.plotly_chart's own import.
    code = (
        "import relulab_app.figures, sys; print(sorted({'streamlit', 'plotly'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("leak", [*LEAKS, 0.37])
@pytest.mark.parametrize("x_range", [(-5.0, 5.0), (-60.0, 60.0), (1.0, 3.0), (-3.0, -1.0)])
@pytest.mark.parametrize("with_points", [False, True])
def test_figures_pass_plotlys_validation(leak, x_range, with_points):
    # The builders skip validation for speed; this is where it happens instead.
    p = np.array([-2.2, -0.6, 0, 1, 4.5]) if with_points else None
    for build in (figures.function_figure, figures.derivative_figure):
        _validated_equals_built(build(leak, x_range, p))


def test_overlaid_curves_stay_distinguishable_where_they_coincide():
    # Leaky ReLU and ELU are both y = x for x > 0: the later line must not hide the
    # earlier one, so each is narrower than the one before and has its own dash.
    entries = [
        (registry.REGISTRY[k], registry.REGISTRY[k].defaults())
        for k in ("leaky_relu", "elu", "gelu", "silu")
    ]
    for fig in figures.catalogue_figures(entries, (-5.0, 5.0)):
        lines = [t["line"] for t in fig["data"] if t["mode"] == "lines"]
        assert len(lines) == 4
        widths = [line["width"] for line in lines]
        assert widths == sorted(widths, reverse=True) and len(set(widths)) == 4
        assert len({line["dash"] for line in lines}) == 4


CATALOGUE_CASES = [
    pytest.param(key, params, id=f"{key}-{'-'.join(f'{v:g}' for v in params.values())}")
    for key, act in registry.REGISTRY.items()
    for params in act.param_sets()
]


@pytest.mark.parametrize("convention", ["left", "tensorflow", "jax"])
@pytest.mark.parametrize(("key", "params"), CATALOGUE_CASES)
def test_catalogue_dots_at_the_kinks_follow_the_record(key, params, convention):
    # What the chart draws at a kink comes from the record: a closed dot on the value its
    # convention takes, an open one on each one-sided limit it does not take (both, for
    # TensorFlow's PReLU: 0, between a and 1; at a = 1, 0 off the line), and nothing at
    # all where there is no kink (or no jump at these parameters, and the line's own
    # value taken there): hard-swish has dots at -3 and 3, none at 0.
    from relulab import frameworks

    act = registry.REGISTRY[key]
    _, df = figures.catalogue_figures([(act, params)], (-8.0, 8.0), convention)
    kinks = {k.at for k in act.kinks}
    for at in sorted({0.0, 0.5, *kinks}):
        dots = [t for t in df["data"] if t["mode"] == "markers" and list(t["x"]) == [at]]
        left, right = (float(act.derivative(v, **params)) for v in np.nextafter(at, [-9, 9]))
        taken = frameworks.kink_value(key, params, convention, at)
        if at in kinks and (abs(left - right) > 1e-9 or taken != left):
            symbols = [(t["y"][0], t["marker"]["symbol"]) for t in dots]
            assert [y for y, s in symbols if s == "circle"] == [taken]
            others = [y for y, s in symbols if s == "circle-open"]
            want = list(dict.fromkeys(v for v in (left, right) if abs(v - taken) > 1e-9))
            np.testing.assert_allclose(others, want, rtol=1e-12, err_msg=f"{at}")
        else:
            assert dots == [], at


# --- the dying-ReLU lab's figures, at a phone's width and a desktop's -----------------

MODEBAR_PX = 30  # Plotly's modebar: a strip this tall at the top right of every chart
Y_LABELS_PX = 60  # what a y axis's tick labels and title need left of its plot
X_LABELS_PX = 44  # what an x axis's tick labels and title need below its plot


def _lab_figures(leak: float = 0.1) -> tuple:
    from relulab_app import lab

    relu_h = lab.History(loss=[0.7, 0.5, 0.4], dead=[0.2, 0.5, 0.8])
    leaky_h = lab.History(loss=[0.7, 0.3, 0.1], dead=[0.2, 0.1, 0.1])
    g = np.linspace(-3.0, 3.0, 5)
    grid = (g, g, np.full((5, 5), 0.5))
    X = np.array([[-1.0, 0.5], [1.0, -0.5], [0.0, 0.0]])
    y = np.array([0, 1, 1])
    curves = figures.lab_curves_figure(relu_h, leaky_h, leak)
    regions = figures.lab_regions_figure(X, y, [("ReLU", grid), (f"Leaky ReLU ({leak:g})", grid)])
    return curves, regions


def _subplots(layout: dict, data: list[dict], width: float) -> dict[tuple[str, str], tuple]:
    """Each (x axis, y axis) pair's plot area in pixels (left, top, right, bottom) for a
    chart `width` wide, from its domains and margins (the areas before any aspect-ratio
    constraint shrinks them, which only ever makes them smaller)."""
    m, height = layout["margin"], layout["height"]
    w, h = width - m["l"] - m["r"], height - m["t"] - m["b"]

    def axis(name: str) -> dict:
        return layout.get(name.replace("x", "xaxis").replace("y", "yaxis"), {})

    out = {}
    for t in data:
        xa, ya = t.get("xaxis", "x"), t.get("yaxis", "y")
        x0, x1 = axis(xa).get("domain", [0, 1])
        y0, y1 = axis(ya).get("domain", [0, 1])
        out[(xa, ya)] = (
            m["l"] + x0 * w,
            m["t"] + (1 - y1) * h,
            m["l"] + x1 * w,
            m["t"] + (1 - y0) * h,
        )
    return out


def _labelled(ax: dict) -> bool:
    return ax.get("visible", True) and (
        ax.get("showticklabels", True) or bool(ax.get("title", {}).get("text"))
    )


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("width", [350, 1400])
def test_lab_figures_keep_each_axis_off_the_other_plots(width):
    # On a phone the lab's loss and dead-unit plots sat side by side, and the right
    # one's y axis (ticks and title) was drawn over the left one's curves.
    for fig in _lab_figures():
        layout = fig["layout"]
        areas = _subplots(layout, fig["data"], width)
        for (xa, ya), (left, top, right, bottom) in areas.items():
            bands = []
            yax = layout.get(ya.replace("y", "yaxis"), {})
            if _labelled(yax):
                bands.append((left - Y_LABELS_PX, top, left, bottom))
            xax = layout.get(xa.replace("x", "xaxis"), {})
            if _labelled(xax) and xax.get("anchor", "y") == ya:
                bands.append((left, bottom, right, bottom + X_LABELS_PX))
            for other, rect in areas.items():
                if other == (xa, ya):
                    continue
                assert not _overlap((left, top, right, bottom), rect), (other, (xa, ya))
                for band in bands:
                    assert not _overlap(band, rect), ((xa, ya), "labels over", other, width)


@pytest.mark.parametrize("width", [350, 1400])
def test_lab_figure_text_is_inside_and_clear_of_the_modebar(width):
    # The region panels' titles were placed above the plots, in the strip where the
    # modebar sits, and on a phone printed over each other there.
    for fig in _lab_figures():
        layout = fig["layout"]
        assert layout["margin"]["t"] >= MODEBAR_PX
        assert not layout.get("title", {}).get("text")
        m, height = layout["margin"], layout["height"]
        h = height - m["t"] - m["b"]
        for ann in layout.get("annotations", []):
            if ann.get("yref") == "paper":
                y_px = m["t"] + (1 - ann["y"]) * h  # from the top of the chart
                assert MODEBAR_PX < y_px < height, ann["text"]
            if ann.get("xref") == "paper":
                assert 0 <= ann["x"] <= 1, ann["text"]


def test_lab_region_panels_are_titled_under_themselves():
    _, regions = _lab_figures(0.25)
    layout = regions["layout"]
    assert not layout.get("annotations")
    titles = [layout[k]["title"]["text"] for k in ("xaxis", "xaxis2")]
    assert titles == ["ReLU", "Leaky ReLU (0.25)"]
    for k in ("xaxis", "yaxis", "xaxis2", "yaxis2"):
        # the square panel shrinks its box, so the x axis title stays at its bottom edge
        assert layout[k]["constrain"] == "domain"
    assert layout["xaxis"]["domain"][1] < layout["xaxis2"]["domain"][0]


def test_lab_curves_share_the_epoch_axis_in_rows():
    curves, _ = _lab_figures()
    layout = curves["layout"]
    assert {t.get("xaxis", "x") for t in curves["data"]} == {"x"}
    # dead units below, loss above, a gap between
    assert layout["yaxis2"]["domain"][1] < layout["yaxis"]["domain"][0]
    assert layout["xaxis"]["anchor"] == "y2" and layout["xaxis"]["title"]["text"] == "epoch"
    assert layout["legend"]["yref"] == "container"  # pinned under everything


@pytest.mark.parametrize("i", [0, 1])
def test_lab_figures_pass_plotlys_validation_and_keep_the_house_style(i):
    built = _lab_figures()[i]
    _validated_equals_built(built)
    layout = built["layout"]
    # st.plotly_chart would add plotly's default template (~7 KB, over the page's theme).
    assert layout["template"] == {}
    # Explicit sizes: st.plotly_chart's theme sets 12.75 px ticks, legend and axis
    # titles, overriding what they would inherit from the layout's font.
    assert layout["font"]["size"] >= 14
    if layout.get("showlegend", True):
        assert layout["legend"]["font"]["size"] >= 14
    for key, ax in layout.items():
        if key.startswith(("xaxis", "yaxis")):
            if ax.get("showticklabels", True):
                assert ax["tickfont"]["size"] >= 14, key
            if ax.get("title", {}).get("text"):
                assert ax["title"]["font"]["size"] >= 14, key
    colors = {t.get("line", {}).get("color") for t in built["data"]}
    colors |= {t.get("marker", {}).get("color") for t in built["data"]}
    assert {figures.RELU_COLOR, figures.LEAKY_COLOR} <= colors


def _validated_equals_built(built: dict) -> None:
    import plotly.graph_objects as go

    unchecked = json.loads(go.Figure(built, _validate=False).to_json())
    validated = json.loads(go.Figure(built).to_json())  # raises on any unknown attribute
    # The template is plotly Python's (its default, or an empty one's stub): the chart
    # element sends none, and the browser applies the page's theme.
    unchecked["layout"].pop("template")
    validated["layout"].pop("template")
    assert validated == unchecked


@pytest.mark.parametrize("key", list(registry.REGISTRY))
@pytest.mark.parametrize("convention", ["left", "jax"])
def test_catalogue_figures_pass_plotlys_validation(key, convention):
    act = registry.REGISTRY[key]
    for fig in figures.catalogue_figures([(act, act.defaults())], (-5.0, 5.0), convention):
        _validated_equals_built(fig)


def test_compare_figures_pass_plotlys_validation():
    entries = [(a, a.defaults()) for a in registry.REGISTRY.values()]
    for fig in figures.catalogue_figures(entries, (-60.0, 60.0), font_size=20):
        _validated_equals_built(fig)


def test_quiz_figures_pass_plotlys_validation():
    hidden = figures.hidden_figure("Derivative f′(x)", (-5.0, 5.0))
    _validated_equals_built(hidden)
    marked = figures.function_figure(0.1, (-5.0, 5.0))
    marked["data"].append(figures.answer_trace(-2.2, -0.22))
    _validated_equals_built(marked)


@pytest.mark.parametrize("kind", ["number", "choice"])
def test_the_class_tally_figure_passes_plotlys_validation(kind):
    from relulab_app import classroom, quiz

    q = next(quiz.make(k, 1) for k in quiz.KINDS if quiz.make(k, 1).answer_type == kind)
    choices = tuple(str(i + 1) for i in range(len(q.choices)))
    poll = classroom.Poll(1, q.id, kind, choices, True, "1" if choices else 0.5, 0.0)
    tally = classroom.Tally(
        poll,
        counts=tuple(range(len(choices))),
        values=(0.5, 0.7, 2.0) if kind == "number" else (),
        n_answers=3,
        n_students=4,
        n_correct=1,
    )
    for revealed in (False, True):
        fig = figures.tally_figure(q, tally, revealed)
        _validated_equals_built(fig)
        assert fig["layout"]["template"] == {}  # drawn by st.plotly_chart, as the lab's


def test_catalogue_samples_are_shared_only_as_read_only_and_equal_fresh_ones():
    # Registry records' samples are kept between calls (a class draws the same curves
    # within seconds); an equal record that is not the registry's is sampled afresh.
    import dataclasses

    from relulab_app.figures import catalogue

    gelu = registry.REGISTRY["gelu"]
    copy = dataclasses.replace(gelu)
    kept = catalogue._shared_x([(gelu, {})], (-3.0, 2.0), 700.0, 470.0)
    again = catalogue._shared_x([(gelu, {})], (-3.0, 2.0), 700.0, 470.0)
    fresh = catalogue._shared_x([(copy, {})], (-3.0, 2.0), 700.0, 470.0)
    assert again is kept and fresh is not kept and fresh.flags.writeable
    assert not kept.flags.writeable
    np.testing.assert_array_equal(kept, fresh)
    other = catalogue._shared_x([(gelu, {})], (-3.0, 2.5), 700.0, 470.0)
    assert other is not kept and other[-1] == 2.5
    # What the figures send is theirs: changing it leaves the kept samples as they were.
    f, _ = figures.catalogue_figures([(gelu, {})], (-3.0, 2.0))
    f["data"][0]["x"][:] = 0
    np.testing.assert_array_equal(
        catalogue._shared_x([(gelu, {})], (-3.0, 2.0), 700.0, 470.0), fresh
    )
