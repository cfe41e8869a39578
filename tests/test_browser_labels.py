"""Labels on the charts, measured in a real browser: nothing cut at a chart's edge,
nothing drawn over another label or a line, and a small leak told apart from ReLU on
the derivative chart. Only the browser knows where text ends up (its size, Plotly's
margins), so these read the bounding boxes of the drawn SVG."""

from __future__ import annotations

from pathlib import Path

import pytest
from serve import READY, serve

ROOT = Path(__file__).resolve().parent.parent
CHARTS = "[...document.querySelectorAll('.rl-plot.js-plotly-plot')]"
SIZES = [(1440, 900), (1024, 768), (390, 844)]

pytestmark = pytest.mark.browser

# The revealed answer on a chart of the article's view, as the page marks it
# (relulab_app/common.py), at values a question can set: the chart element alone, so
# the answer's position does not depend on which question a session happens to draw.
ANSWER_PAGE = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
import streamlit as st
from relulab_app import figures
from relulab_app import chart

q = st.query_params
leak, i, x, y = (float(q[k]) for k in ("leak", "chart", "x", "y"))
specs = [
    figures.function_figure(leak, (-5.0, 5.0)),
    figures.derivative_figure(leak, (-5.0, 5.0)),
]
i = int(i)
specs[i]["data"].append(figures.answer_trace(x, y, specs[i]))
content = chart.payload(specs, [], revision="r", present=False)
chart.chart_pair(chart.pack([content]))
"""


@pytest.fixture(scope="module")
def app_server(chromium):
    with serve(ROOT / "app.py") as (url, _pid):
        yield url


@pytest.fixture(scope="module")
def answer_server(chromium, tmp_path_factory):
    script = tmp_path_factory.mktemp("answer") / "answer_page.py"
    script.write_text(ANSWER_PAGE)
    with serve(script, cwd=ROOT) as (url, _pid):
        yield url


def _open(browser, url: str, size: tuple[int, int]):
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
    pg = ctx.new_page()
    pg.goto(url)
    pg.wait_for_selector(READY, timeout=60_000)
    pg.wait_for_function(
        f"{CHARTS}.length === 2 && {CHARTS}.every(el => el.querySelector('.main-svg'))",
        timeout=60_000,
    )
    return ctx, pg


# Page-pixel boxes of a chart's parts: the plot area, the answer's label, the
# annotations (by their text), the markers but the answer's, the x-axis title and tick
# labels, and where y = 0 is drawn.
BOXES = """(i) => {
  const gd = [...document.querySelectorAll('.rl-plot.js-plotly-plot')][i];
  const r = gd.getBoundingClientRect(), L = gd._fullLayout;
  const box = (el) => { const b = el.getBoundingClientRect();
    return {left: b.left, right: b.right, top: b.top, bottom: b.bottom}; };
  return {
    plot: {left: r.left + L.xaxis._offset, right: r.left + L.xaxis._offset + L.xaxis._length,
           top: r.top + L.yaxis._offset, bottom: r.top + L.yaxis._offset + L.yaxis._length},
    chart: box(gd),
    labels: [...gd.querySelectorAll('.textpoint text')].map(box),
    notes: [...gd.querySelectorAll('g.annotation')].map(
      (a) => ({text: a.textContent, ...box(a.querySelector('text'))})),
    points: [...gd.querySelectorAll('.scatterlayer .trace')]  // but the answer's own star
      .filter((t) => !t.querySelector('.textpoint'))
      .flatMap((t) => [...t.querySelectorAll('.point')]).map(box),
    xtitle: [...gd.querySelectorAll('.g-xtitle text')].map(box),
    xticks: [...gd.querySelectorAll('.xtick text')].map(box),
    y0: r.top + L.yaxis._offset + L.yaxis.l2p(0),
  };
}"""


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and (b["top"] < a["bottom"])
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(
    "chart, leak, x, y",
    [
        (1, 0.05, 4.0, 1.0),  # f′(4): the top of the chart
        (1, 0.05, 0.0, 0.05),  # PyTorch's f′(0): beside the dots and the "f′ = leak" note
        (1, 0.5, 0.0, 1.0),  # JAX's f′(0)
        (1, 0.3, -2.0, 0.3),  # on the leak line, under its note
        (0, 0.1, 5.0, 5.0),  # f(5): the top right corner
        (0, 0.1, -0.5, -0.05),  # f just left of 0, by the article's points
    ],
)
def test_the_answers_label_is_whole_and_clear_of_notes_and_dots(
    browser, answer_server, size, chart, leak, x, y
):
    ctx, pg = _open(browser, f"{answer_server}/?chart={chart}&leak={leak}&x={x}&y={y}", size)
    try:
        b = pg.evaluate(BOXES, chart)
        (label,) = b["labels"]
        plot = b["plot"]
        # Inside the plot area, which clips it: nothing of "(4, 1)" is cut off.
        assert plot["top"] <= label["top"] and label["bottom"] <= plot["bottom"], (label, plot)
        assert plot["left"] <= label["left"] and label["right"] <= plot["right"], (label, plot)
        for note in b["notes"]:
            assert not _overlap(label, note), note
        for point in b["points"]:
            assert not _overlap(label, point), point
    finally:
        ctx.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_close_up_caption_is_off_the_relu_line_left_of_zero(browser, app_server, size):
    ctx, pg = _open(browser, f"{app_server}/?x_range=-5&x_range=-3", size)
    try:
        b = pg.evaluate(BOXES, 0)
        (caption,) = [n for n in b["notes"] if n["text"].startswith("close-up")]
        assert not caption["top"] - 3 <= b["y0"] <= caption["bottom"] + 3, (caption, b["y0"])
    finally:
        ctx.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("view", ["elu", "relu", "compare"])
def test_the_x_title_clears_the_ticks_and_stays_in_the_chart(browser, app_server, size, view):
    ctx, pg = _open(browser, f"{app_server}/?act={view}", size)
    try:
        for i in (0, 1):
            b = pg.evaluate(BOXES, i)
            (title,) = b["xtitle"]
            ticks = max(t["bottom"] for t in b["xticks"])
            assert title["top"] >= ticks, (title, ticks)  # not on the ticks
            assert title["bottom"] <= b["chart"]["bottom"], (title, b["chart"])
            if size[0] > 390:  # the fold: beside each other, the charts fill the first screen
                assert title["bottom"] <= size[1], title
    finally:
        ctx.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_leak_of_001_stands_apart_from_relu_on_the_derivative_chart(browser, app_server, size):
    ctx, pg = _open(browser, f"{app_server}/?leak=0.01", size)
    try:
        # The lines' drawn y for x < 0, and the filled dots' at 0, by trace name.
        drawn = pg.evaluate(
            """(i) => {
              const gd = [...document.querySelectorAll('.rl-plot.js-plotly-plot')][i], out = {};
              gd._fullData.forEach((t, k) => {
                const ya = gd._fullLayout[t.yaxis === 'y' ? 'yaxis' : 'yaxis' + t.yaxis.slice(1)];
                (out[t.name || t.meta + k] = out[t.name || t.meta + k] || []).push(
                  ...t.y.filter((v) => v !== null).map((v) => ya._offset + ya.l2p(v)));
              });
              return out;
            }""",
            1,
        )
        leaky = drawn["close-up: Leaky ReLU (0.01)"]
        relu = drawn["close-up: ReLU"]
        # Each line is at most 4 px wide: 12 px between them reads as two lines.
        assert min(relu) - max(leaky) >= 12, (leaky, relu)
    finally:
        ctx.close()


# The default four, and eight (more than a phone's row holds).
COMPARED = ["", "&show=relu&show=leaky_relu&show=elu&show=selu&show=gelu&show=silu"
            "&show=softplus&show=mish"]  # fmt: skip


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_compares_chips_all_show_clear_of_the_fade(browser, app_server, size):
    # A row of chips too long for the picker scrolls under a fade over its last 17 px,
    # and a chip under it looks disabled: the chips wrap onto more rows instead (no
    # fade, nothing to scroll), so each is whole inside the picker, on a phone too.
    for query, n in zip(COMPARED, (4, 8), strict=True):
        ctx, pg = _open(browser, f"{app_server}/?act=compare{query}", size)
        try:
            # The charts can be drawn a moment before the picker's chips: wait for them.
            pg.wait_for_function(
                f"document.querySelectorAll("
                f"'[data-testid=\"stMultiSelectTagsContainer\"] span > button').length === {n}",
                timeout=30_000,
            )
            row, chips, scrolls = pg.evaluate(
                """() => {
                  const row = document.querySelector('[data-testid="stMultiSelectTagsContainer"]');
                  const chips = [...row.querySelectorAll('span')].filter(
                    (s) => s.querySelector(':scope > button'));
                  const box = (e) => { const b = e.getBoundingClientRect();
                    return [b.left, b.right]; };
                  return [box(row), chips.map((c) => [c.textContent, ...box(c)]),
                          row.hasAttribute('data-can-scroll-end')];
                }"""
            )
            assert len(chips) == n
            assert not scrolls
            for text, left, right in chips:
                assert row[0] <= left and right <= row[1], (text, left, right, row)
        finally:
            ctx.close()


def test_a_reversed_x_range_is_repaired_in_the_address_bar(browser, app_server):
    # The page repairs it (with a notice); the address bar must not keep the reversed
    # range, or the link shared from it carries the error on.
    ctx, pg = _open(browser, f"{app_server}/?leak=0.123&x_range=9&x_range=-3", (1024, 768))
    try:
        pg.wait_for_function("location.search.includes('x_range=-3')", timeout=10_000)
        assert pg.evaluate("location.search") == "?leak=0.12&x_range=-3&x_range=9"
    finally:
        ctx.close()
