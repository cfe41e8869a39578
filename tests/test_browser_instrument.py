"""The instrument in a real browser: first screen per viewport, charts that update in
place and keep the student's zoom, hover labels, theme switch and present mode."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from serve import READY, serve

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "screenshots"

pytestmark = pytest.mark.browser
CHARTS = "[...document.querySelectorAll('.rl-plot.js-plotly-plot')]"
LEAK_THUMB = '.rl-slider input[type="range"]'
NAMES = f"() => {CHARTS}.map(el => el.data[0].name)"


@pytest.fixture(scope="module")
def server(chromium):
    with serve(ROOT / "app.py") as (url, _pid):
        yield url


@pytest.fixture
def page(browser, server):
    contexts = []

    def _open(query: str = "", width=1440, height=900, scheme="light", phone=False):
        ctx = browser.new_context(
            viewport={"width": width, "height": height},
            color_scheme=scheme,
            is_mobile=phone,
            has_touch=phone,
        )
        contexts.append(ctx)
        pg = ctx.new_page()
        errors: list[str] = []
        pg.on("console", lambda m: m.type == "error" and errors.append(m.text))
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(f"{server}/{query}")
        wait_drawn(pg)
        pg.errors = errors
        return pg

    yield _open
    for ctx in contexts:
        ctx.close()


def wait_drawn(pg, name: str | None = None) -> None:
    pg.wait_for_selector(READY, timeout=60_000)
    want = f"el.data && el.data.some(t => t.name === {name!r})" if name else "true"
    pg.wait_for_function(
        f"{CHARTS}.length === 2 && {CHARTS}.every(el => el.querySelector('.main-svg') && {want})",
        timeout=60_000,
    )


def move_leak(pg, key: str, new_name: str) -> None:
    thumb = pg.locator(LEAK_THUMB).first
    thumb.focus()
    thumb.press(key)
    wait_drawn(pg, new_name)


def box(pg, selector: str, i: int = 0) -> dict:
    return pg.locator(selector).nth(i).bounding_box()


def plot_area(pg, i: int) -> dict:
    """The i-th chart's plot area (inside the axes) in page pixels."""
    return pg.evaluate(
        f"""() => {{
          const gd = {CHARTS}[{i}], r = gd.getBoundingClientRect(), L = gd._fullLayout;
          return {{top: r.top + L.yaxis._offset, bottom: r.top + L.yaxis._offset + L.yaxis._length,
                   chartBottom: r.bottom, left: r.left + L.xaxis._offset,
                   right: r.left + L.xaxis._offset + L.xaxis._length}};
        }}"""
    )


# --- the first screen -------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_projector_shows_the_leak_slider_and_both_plot_areas(page, scheme):
    pg = page(width=1024, height=768, scheme=scheme)
    slider = box(pg, ".rl-slider")
    assert slider["y"] + slider["height"] <= 768
    for i in (0, 1):
        area = plot_area(pg, i)
        assert area["bottom"] <= 768, area
    assert plot_area(pg, 0)["top"] == pytest.approx(plot_area(pg, 1)["top"])  # side by side
    SHOTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"instrument-projector-{scheme}.png"))
    assert pg.errors == []


def test_desktop_shows_both_whole_charts(page):
    pg = page(width=1440, height=900)
    for i in (0, 1):
        assert plot_area(pg, i)["chartBottom"] <= 900


def test_phone_shows_the_leak_slider_and_200_px_of_the_function_plot(page):
    pg = page(width=390, height=844, phone=True)
    slider = box(pg, ".rl-slider")
    assert slider["y"] + slider["height"] <= 844
    area = plot_area(pg, 0)
    assert min(area["bottom"], 844) - area["top"] >= 200, area
    assert area["right"] <= 390  # nothing past the right edge
    SHOTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(SHOTS / "instrument-phone.png"))


# --- update in place, zoom kept ----------------------------------------------------------


def test_zoom_survives_slider_moves_until_reset(page):
    pg = page(width=1440, height=900)
    pg.evaluate(f"() => {{ {CHARTS}[0].__mark = 'same node'; }}")
    area = plot_area(pg, 0)
    # Drag a zoom box over x in [-1, 1], as a student would (a flat box: x only).
    to_px = pg.evaluate(
        f"() => {{ const a = {CHARTS}[0]._fullLayout.xaxis; return [a.l2p(-1), a.l2p(1)]; }}"
    )
    y_mid = area["top"] + 0.8 * (area["bottom"] - area["top"])  # below the inset
    pg.mouse.move(area["left"] + to_px[0], y_mid)
    pg.mouse.down()
    pg.mouse.move(area["left"] + (to_px[0] + to_px[1]) / 2, y_mid + 2, steps=4)
    pg.mouse.move(area["left"] + to_px[1], y_mid + 4, steps=4)
    pg.mouse.up()
    pg.wait_for_function(f"{CHARTS}[0]._fullLayout.xaxis.range[1] < 2")

    def x_range() -> list[float]:
        return pg.evaluate(f"() => {CHARTS}[0]._fullLayout.xaxis.range.slice()")

    def inset_visible() -> bool:
        return pg.evaluate(
            f"() => {CHARTS}[0].data.filter(t => t.meta === 'inset').some(t => t.visible !== false)"
        )

    zoomed = x_range()
    assert zoomed[0] == pytest.approx(-1, abs=0.05) and zoomed[1] == pytest.approx(1, abs=0.05)
    # Out of the way of the kink while zoomed (hidden once plotly reports the zoom).
    pg.wait_for_function(
        f"{CHARTS}[0].data.filter(t => t.meta === 'inset').every(t => t.visible === false)",
        timeout=5_000,
    )

    move_leak(pg, "ArrowRight", "Leaky ReLU (0.11)")
    move_leak(pg, "ArrowRight", "Leaky ReLU (0.12)")
    assert x_range() == pytest.approx(zoomed)  # the zoom survived two moves
    assert not inset_visible()
    assert pg.evaluate(f"() => {CHARTS}[0].__mark") == "same node"  # updated, not remounted
    assert pg.evaluate(f"() => {CHARTS}[0]._fullData[0].y[0]") == pytest.approx(-0.6)

    # Double-click resets to the page's range, and the inset comes back.
    pg.mouse.dblclick(area["left"] + 40, area["top"] + 60)
    pg.wait_for_function(f"{CHARTS}[0]._fullLayout.xaxis.range[1] > 4")
    assert x_range() == pytest.approx([-5.2, 5.2])
    pg.wait_for_function(
        f"{CHARTS}[0].data.filter(t => t.meta === 'inset').every(t => t.visible !== false)"
    )
    assert pg.errors == []


def test_a_view_switch_updates_the_same_charts(page):
    # The chart element keeps its key and its place in every view, so a switch to
    # another activation and back redraws the same two plots (Plotly.react) instead of
    # mounting new ones: no fresh plot to wait for, and nothing of the element lost.
    pg = page(width=1440, height=900)
    pg.evaluate(f"() => {CHARTS}.forEach((el, i) => {{ el.__mark = i; }})")
    for view, curve in (("GELU (exact)", "GELU"), ("ReLU and Leaky ReLU (the article)", "Leaky")):
        pg.get_by_label("Activation").click()
        pg.get_by_role("option", name=view, exact=True).click()
        pg.wait_for_function(
            f"{CHARTS}.length === 2 && {CHARTS}.every(el => el.data.some(t => "
            f"(t.name || '').includes({curve!r})))",
            timeout=30_000,
        )
        assert pg.evaluate(f"() => {CHARTS}.map(el => el.__mark)") == [0, 1], view
    assert pg.errors == []


def test_a_key_on_the_slider_redraws_both_charts_before_the_server_answers(browser):
    # The server is stopped (SIGSTOP) before the keys are pressed: whatever the charts
    # show then came from the steps the element already had. Once it runs again, the
    # address takes the leak, and its rerun draws nothing a second time.
    with serve(ROOT / "app.py") as (url, pid):
        ctx = browser.new_context(viewport={"width": 1440, "height": 900})
        pg = ctx.new_page()
        pg.goto(url)
        wait_drawn(pg)
        # The first leak move of a view is drawn from the server's answer, which brings
        # every step (built on a view's first leak move).
        move_leak(pg, "ArrowRight", "Leaky ReLU (0.11)")
        pg.wait_for_url("**leak=0.11**", timeout=30_000)
        pg.wait_for_selector(READY, timeout=60_000)
        pg.wait_for_selector('.rl-pair[data-steps="101"]', timeout=30_000)
        pg.evaluate(
            """() => { const react = Plotly.react; window.__reacts = 0;
                       Plotly.react = (...a) => { window.__reacts++; return react(...a); }; }"""
        )
        os.kill(pid, signal.SIGSTOP)
        try:
            thumb = pg.locator(LEAK_THUMB)
            thumb.focus()
            for _ in range(3):
                thumb.press("ArrowRight")
            pg.wait_for_function(f"({NAMES})().every(n => n === 'Leaky ReLU (0.14)')")
            drawn = pg.evaluate(f"() => {CHARTS}.map(el => el.data[0].y.slice())")
            source = pg.evaluate("() => document.querySelector('.rl-pair').dataset.drawnFrom")
            assert pg.locator(".rl-slider output").text_content() == "0.14"
        finally:
            os.kill(pid, signal.SIGCONT)
        # f at x = -5, 0, 5 and f′ either side of 0 (a gap at the jump), at leak 0.14
        assert drawn[0] == pytest.approx([-0.7, 0, 5])
        assert drawn[1][:2] == pytest.approx([0.14, 0.14]) and drawn[1][-1] == 1
        assert source == "steps"
        # Each key's value is drawn from a timer after its change event, so on a busy
        # machine two keys can fall before one timer and be drawn once: one to three
        # draws, two charts each.
        reacts = pg.evaluate("() => window.__reacts")
        assert reacts in (2, 4, 6)
        pg.wait_for_url("**leak=0.14**", timeout=30_000)  # the server has the last move...
        pg.get_by_text("same input at the slider's leak (0.14)").wait_for(timeout=30_000)
        pg.wait_for_selector(READY, timeout=60_000)
        assert pg.evaluate("() => window.__reacts") == reacts  # ...and drew nothing again
        ctx.close()


def test_a_catalogue_parameter_is_drawn_from_its_steps_and_each_view_keeps_its_value(browser):
    # ELU's α is the element's own slider too: with the server stopped, keys on it are
    # drawn from its steps. Back on the article's view the slider is the leak again,
    # and on ELU once more it shows the α the student left.
    with serve(ROOT / "app.py") as (url, pid):
        ctx = browser.new_context(viewport={"width": 1440, "height": 900})
        pg = ctx.new_page()
        pg.goto(f"{url}/?act=elu")
        wait_drawn(pg, "ELU (alpha=1)")
        assert pg.locator(".rl-slider label").text_content().startswith("α")
        move_leak(pg, "ArrowRight", "ELU (alpha=1.05)")
        pg.wait_for_url("**alpha=1.05**", timeout=30_000)
        pg.wait_for_selector(READY, timeout=60_000)
        pg.wait_for_selector('.rl-pair[data-steps="61"]', timeout=30_000)
        os.kill(pid, signal.SIGSTOP)
        try:
            thumb = pg.locator(LEAK_THUMB)
            thumb.focus()
            thumb.press("ArrowRight")
            thumb.press("ArrowRight")
            pg.wait_for_function(f"({NAMES})().every(n => n === 'ELU (alpha=1.15)')")
            source = pg.evaluate("() => document.querySelector('.rl-pair').dataset.drawnFrom")
        finally:
            os.kill(pid, signal.SIGCONT)
        assert source == "steps"
        pg.wait_for_url("**alpha=1.15**", timeout=30_000)
        pg.wait_for_selector(READY, timeout=60_000)
        for view, name, shown in (
            ("ReLU and Leaky ReLU (the article)", "Leaky ReLU (0.1)", "0.10"),
            ("ELU", "ELU (alpha=1.15)", "1.15"),
        ):
            pg.get_by_label("Activation").click()
            pg.get_by_role("option", name=view, exact=True).click()
            wait_drawn(pg, name)
            pg.wait_for_selector(READY, timeout=60_000)
            assert pg.locator(".rl-slider output").text_content() == shown
        assert "alpha=1.15" in pg.url
        ctx.close()


def test_a_leak_the_server_sets_moves_the_slider(page):
    # A preset (as a class's or a quiz's question) sets the leak on the server: the
    # element's slider follows, and a student's move back to the value it had before
    # still reaches the server (its tables follow the slider again).
    pg = page()
    move_leak(pg, "ArrowRight", "Leaky ReLU (0.11)")
    pg.wait_for_url("**leak=0.11**", timeout=30_000)
    pg.get_by_text("Your own values").click()
    pg.get_by_role("button", name="Example 1").click()
    wait_drawn(pg, "Leaky ReLU (0)")
    assert pg.locator(LEAK_THUMB).input_value() == "0"
    assert pg.locator(".rl-slider output").text_content() == "0.00"
    for _ in range(11):
        pg.locator(LEAK_THUMB).press("ArrowRight")
    wait_drawn(pg, "Leaky ReLU (0.11)")
    pg.get_by_text("same input at the slider's leak (0.11)").wait_for(timeout=30_000)
    pg.wait_for_url("**leak=0.11**", timeout=30_000)
    assert pg.errors == []


@pytest.mark.parametrize("leak", ["%3Cscript%3Ealert(1)%3C/script%3E", "7"])
def test_a_hostile_link_leak_is_repaired_with_a_message(page, leak):
    pg = page(f"?leak={leak}")
    pg.get_by_text("The link’s leak").wait_for(timeout=30_000)
    assert pg.locator(LEAK_THUMB).input_value() == "0.1"
    assert pg.evaluate(NAMES) == ["Leaky ReLU (0.1)"] * 2
    assert "leak=" not in pg.url
    assert pg.errors == []


# --- how plotly.js arrives -------------------------------------------------------------


@pytest.mark.parametrize(
    ("refused", "fetched"),
    [
        # The vendored file gzipped once: the server sends it as it is (no gzip per load).
        ("nothing", ["plotly-basic.min.js.gz"]),
        # A browser from before DecompressionStream takes the plain file.
        ("DecompressionStream", ["plotly-basic.min.js"]),
        # So does one where the .gz cannot be had (a proxy, a policy): it is tried first.
        ("the .gz file", ["plotly-basic.min.js.gz", "plotly-basic.min.js"]),
    ],
)
def test_plotly_js_comes_gzipped_and_the_plain_file_stands_in(browser, server, refused, fetched):
    ctx = browser.new_context(viewport={"width": 1024, "height": 768})
    if refused == "DecompressionStream":
        ctx.add_init_script("delete window.DecompressionStream")
    elif refused == "the .gz file":
        ctx.route("**/plotly-basic.min.js.gz", lambda route: route.abort())
    pg = ctx.new_page()
    requests: list[str] = []
    pg.on("request", lambda r: "plotly" in r.url and requests.append(r.url.rsplit("/", 1)[1]))
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(server)
    wait_drawn(pg)
    assert requests == fetched
    assert pg.evaluate("() => typeof Plotly.react") == "function"
    assert errors == []
    ctx.close()


# --- hover -----------------------------------------------------------------------------


def test_hover_on_an_article_point_is_rounded(page):
    pg = page(width=1440, height=900)
    pos = pg.evaluate(
        f"""() => {{
          const gd = {CHARTS}[0], L = gd._fullLayout, r = gd.getBoundingClientRect();
          return [r.left + L.xaxis._offset + L.xaxis.l2p(-2.2),
                  r.top + L.yaxis._offset + L.yaxis.l2p(-0.22)];
        }}"""
    )
    pg.mouse.move(pos[0] - 20, pos[1] - 20)
    pg.mouse.move(*pos, steps=3)
    label = pg.locator(".rl-plot .hoverlayer .hovertext").first
    label.wait_for(timeout=10_000)
    text = label.text_content()
    assert "-0.22" in text.replace("−", "-") and "0.22000000000000003" not in text


def test_hover_anywhere_on_a_line_reads_f_and_f_prime_at_the_cursor(page):
    pg = page(width=1440, height=900)
    pos = pg.evaluate(
        f"""() => {{
          const gd = {CHARTS}[0], L = gd._fullLayout, r = gd.getBoundingClientRect();
          return [r.left + L.xaxis._offset + L.xaxis.l2p(1.37),
                  r.top + L.yaxis._offset + L.yaxis.l2p(1.37) + 2, L.xaxis.dtick];
        }}"""
    )
    pg.mouse.move(pos[0] - 5, pos[1])
    pg.mouse.move(pos[0], pos[1])
    tip = pg.locator(".rl-tip").first
    tip.wait_for(state="visible", timeout=10_000)
    lines = tip.inner_text().splitlines()
    # One digit finer than the axis ticks (1 or 2 apart here): 1.37 reads 1.4.
    assert lines[0] == "x = 1.4"
    assert "Leaky ReLU (0.1): f = 1.4, f′ = 1" in lines
    assert "ReLU: f = 1.4, f′ = 1" in lines


def test_hover_at_zero_gives_the_conventions_value(page):
    for query, want in (("?leak=0.25", "f′ = 0.25"), ("?leak=0.25&kink=jax", "f′ = 1")):
        pg = page(query, width=1440, height=900)
        pos = pg.evaluate(
            f"""() => {{
              const gd = {CHARTS}[0], L = gd._fullLayout, r = gd.getBoundingClientRect();
              return [r.left + L.xaxis._offset + L.xaxis.l2p(0.01),
                      r.top + L.yaxis._offset + L.yaxis.l2p(3)];
            }}"""
        )
        pg.mouse.move(pos[0] + 30, pos[1])
        pg.mouse.move(*pos)
        tip = pg.locator(".rl-tip").first
        tip.wait_for(state="visible", timeout=10_000)
        lines = tip.inner_text().splitlines()
        assert lines[0] == "x = 0.0"
        assert f"Leaky ReLU (0.25): f = 0, {want}" in lines


def test_hover_at_a_kink_away_from_zero_gives_the_value_taken(page):
    # Hard-swish's f′ jumps from 1.5 to 1 at x = 3, where every framework takes 1: the
    # cursor there reads 1, not the end of the piece drawn up to it.
    pg = page("?act=hardswish", width=1440, height=900)
    pos = pg.evaluate(
        f"""() => {{
          const gd = {CHARTS}[1], L = gd._fullLayout, r = gd.getBoundingClientRect();
          return [r.left + L.xaxis._offset + L.xaxis.l2p(3.01),
                  r.top + L.yaxis._offset + L.yaxis.l2p(0.5)];
        }}"""
    )
    pg.mouse.move(pos[0] + 30, pos[1])
    pg.mouse.move(*pos)
    tip = pg.locator(".rl-tip").nth(1)
    tip.wait_for(state="visible", timeout=10_000)
    lines = tip.inner_text().splitlines()
    assert lines[0] == "x = 3.0"
    assert "Hard-swish: f = 3, f′ = 1" in lines


# --- theme and present mode -------------------------------------------------------------


def test_switching_the_theme_redraws_the_charts_in_it(page):
    pg = page(width=1440, height=900, scheme="light")
    light = pg.evaluate(f"() => {CHARTS}[0]._fullLayout.font.color")
    pg.emulate_media(color_scheme="dark")
    pg.wait_for_function(f"{CHARTS}[0]._fullLayout.font.color !== {light!r}", timeout=20_000)
    dark = pg.evaluate(f"() => {CHARTS}.map(el => el._fullLayout.xaxis.tickfont.color)")
    assert light.lower() in ("#111318", "rgb(17, 19, 24)")
    assert all(c.lower() in ("#f4f5f7", "rgb(244, 245, 247)") for c in dark), dark


def test_present_mode_hides_prose_and_enlarges_the_charts(page):
    normal = page(width=1024, height=768)
    normal_height = box(normal, ".rl-plot")["height"]
    assert normal.get_by_text("What am I looking at?").count() == 1
    pg = page("?present=1", width=1024, height=768)
    assert pg.get_by_text("What am I looking at?").count() == 0
    sizes = pg.evaluate(
        f"""() => {CHARTS}.map(el => [el._fullLayout.font.size,
                 el._fullLayout.xaxis.tickfont.size, el._fullLayout.yaxis.tickfont.size])"""
    )
    assert min(min(s) for s in sizes) >= 18, sizes
    # The charts fill the rest of the screen, at least as tall as without present mode.
    assert box(pg, ".rl-plot")["height"] >= normal_height
    assert plot_area(pg, 0)["chartBottom"] <= 768
    SHOTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(SHOTS / "present-projector.png"))
    # The toggle turns it off again and the link forgets it.
    pg.get_by_text("Present", exact=True).click()
    pg.wait_for_function("!location.search.includes('present')", timeout=20_000)


# Every piece of text in the main area with a text of its own, on the first screen (its
# top above the window's bottom), and every text the charts draw: font size and WCAG
# contrast of its colour (an alpha colour taken over what is behind it) on the
# background painted at its centre (the backgrounds there, composed bottom up).
TEXT_ON_SCREEN = """(root) => {
  const rgba = c => { const v = (c.match(/[\\d.]+/g) || []).map(Number);
    return v.length === 3 ? [...v, 1] : v.length === 4 ? v : [0, 0, 0, 0]; };
  const over = ([r, g, b, a], under) => [r, g, b].map((v, i) => v * a + under[i] * (1 - a));
  const lum = c => { const f = v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const behind = el => { const r = el.getBoundingClientRect();
    const x = r.left + r.width / 2, y = Math.min(r.top + r.height / 2, innerHeight - 1);
    const stack = document.elementsFromPoint(x, y);  // what is painted there, top first
    const i = stack.findIndex(e => e === el || el.contains(e) || e.contains(el));
    return stack.slice(Math.max(i, 0)).reverse()
      .reduce((bg, e) => over(rgba(getComputedStyle(e).backgroundColor), bg), [255, 255, 255]); };
  const ratio = (fg, el) => { const bg = behind(el), f = over(rgba(fg), bg);
    const [hi, lo] = [lum(f), lum(bg)].sort((a, b) => b - a); return (hi + 0.05) / (lo + 0.05); };
  const out = [];
  for (const el of root.querySelectorAll('*')) {
    if (el.closest("svg, h1, h2, h3, .rl-tip, [data-testid=stIconMaterial]")) continue;
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || r.top >= innerHeight) continue;
    const s = getComputedStyle(el);
    out.push({text: el.textContent.trim().slice(0, 40), size: parseFloat(s.fontSize),
              contrast: ratio(s.color, el)});
  }
  for (const el of root.querySelectorAll('.rl-pair svg text')) {
    if (!el.textContent.trim() || !el.getBoundingClientRect().width) continue;
    const s = getComputedStyle(el);
    out.push({text: el.textContent.trim(), size: parseFloat(s.fontSize),
              contrast: ratio(s.fill, el)});
  }
  return out;
}"""


def _too_small_or_faint(texts: list[dict], least: float = 20, contrast: float = 4.5) -> list:
    return [t for t in texts if t["size"] < least or t["contrast"] < contrast]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_present_mode_makes_a_projector_better(page, scheme):
    """At 1024x768 present mode's larger text once took the plots' height (plot areas
    339x234 px against 339x275 without it) and left the controls at 14.9 px: now both
    plot areas are taller than without it and at least 300 px, and every word and
    number on the first screen (the leak and its ends, the x-range, ticks, legend, the
    inset's caption) is at least 20 px at 4.5:1."""
    normal = page(width=1024, height=768, scheme=scheme)
    before = [plot_area(normal, i) for i in (0, 1)]
    pg = page("?present=1", width=1024, height=768, scheme=scheme)
    for i in (0, 1):
        area = plot_area(pg, i)
        height = area["bottom"] - area["top"]
        assert height >= 300, (i, area)
        assert height > before[i]["bottom"] - before[i]["top"], (i, area, before[i])
        assert area["chartBottom"] <= 768, area  # the whole chart on the first screen
    texts = pg.locator('[data-testid="stMain"]').evaluate(TEXT_ON_SCREEN)
    shown = {t["text"] for t in texts}
    for needed in ("leak (slope for x ≤ 0)", "0.10", "0.00", "1.00", "-5.00", "5.00", "−4",
                   "Leaky ReLU (0.1)", "article examples"):  # fmt: skip
        assert needed in shown, (needed, sorted(shown))
    assert _too_small_or_faint(texts) == [], _too_small_or_faint(texts)
    # The inset's caption stays inside its panel (it ran across the main plot).
    caption, panel = pg.evaluate(
        f"""() => {{ const el = {CHARTS}[0], box = e => {{ const r = e.getBoundingClientRect();
          return [r.left, r.top, r.right, r.bottom]; }};
          return [box(el.querySelector('.annotation')), box(el.querySelector('.shapelayer path'))];
        }}"""
    )
    assert panel[0] - 1 <= caption[0] and caption[2] <= panel[2] + 1, (caption, panel)
    pg.screenshot(path=str(SHOTS / f"present-projector-{scheme}.png"))
    assert pg.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_present_mode_shows_the_revealed_answer_projector_sized(page, scheme):
    pg = page("?present=1&quiz=1", width=1024, height=768, scheme=scheme)
    pg.get_by_role("button", name="Reveal").click()
    answer = pg.get_by_text("The answer:")
    answer.wait_for(timeout=20_000)
    texts = answer.locator("xpath=ancestor::*[@data-testid='stAlert'][1]").evaluate(TEXT_ON_SCREEN)
    assert any(t["text"].startswith("The answer:") for t in texts), texts
    assert _too_small_or_faint(texts) == [], _too_small_or_faint(texts)
