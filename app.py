"""ReLU Lab: the page. Layout and widgets only; every number comes from relulab."""

from __future__ import annotations

import contextlib
import functools
import inspect
import logging
from collections.abc import Iterator

# Imported here, fully, before any chart: plotly's array check looks pandas up in
# sys.modules without importing it, so while one session's first run is importing pandas
# another session's chart could see it half-initialised and fail (AttributeError). A
# plain import waits for the import in progress. Found by bench/load.py on a cold server.
import pandas  # noqa: F401
import streamlit as st

from relulab import (
    activations,
    article,
    examples,
    figures,
    frameworks,
    lab,
    parse,
    registry,
    serving,
    urlstate,
)
from relulab_app import chart

# Once per server process, after the imports: the heap of plotly, pandas and Streamlit
# leaves the garbage collector's view, so a full collection no longer pauses every
# session for ~100 ms mid-lesson (bench/load.py: rerun p95 under a class 81 -> 58 ms).
serving.freeze_startup_heap()

st.set_page_config(page_title="ReLU Lab — ReLU and Leaky ReLU", page_icon="📈", layout="wide")

# A repair decided on the previous run is applied before the widgets exist: on a
# rerun, a value set in session state wins over the URL for a bound widget.
for _key, _value in st.session_state.pop("_pending", {}).items():
    st.session_state[_key] = _value

log = logging.getLogger("relulab.app")
CHART_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
RELU, LEAKY = registry.REGISTRY["relu"], registry.REGISTRY["leaky_relu"]
TABS = ["np.where", "Article's code", "Library's code"]  # short: fit a phone

INTRO = (
    "An activation function decides what a neuron passes on. **ReLU** lets positive inputs "
    "through unchanged and turns every negative input into 0. **Leaky ReLU** lets a little "
    "of the negative side through: it multiplies negative inputs by a small slope, the "
    "*leak*. With a leak of 0 the two are the same function, so one pair of functions, "
    "`relu(x, leak)` and its derivative `relu_dash(x, leak)`, covers both. Move the sliders "
    "and watch the graphs and the tables change; the address bar keeps your settings, so "
    "you can share the exact view."
)

# The article's pair is one view; every other registry entry is a view of its own.
VIEW_NAMES = {
    "relu": "ReLU and Leaky ReLU (the article)",
    **{k: a.name for k, a in registry.REGISTRY.items() if k not in ("relu", "leaky_relu")},
    "compare": "Compare several",
}
VIEWS = list(VIEW_NAMES)
COMPARE_DEFAULT = ["leaky_relu", "elu", "gelu", "silu"]
CONVENTION_NAMES = {
    frameworks.LEFT: "x ≤ 0 side (article, PyTorch, TF)",
    frameworks.JAX: "JAX",
}


def _chart(column, figure, key: str) -> None:
    column.plotly_chart(figure, width="stretch", theme="streamlit", config=CHART_CONFIG, key=key)


@contextlib.contextmanager
def _contained(where, message: str, what: str) -> Iterator[None]:
    """A failure inside shows `message` in `where` and logs its traceback, instead of
    ending the run and blanking every part of the page below it. st.rerun and st.stop
    raise BaseExceptions, so they pass through."""
    try:
        yield
    except Exception:
        log.exception(what)
        where.error(message, icon=":material/error:")


def _chart_pair(fig_f, fig_df, curves: list, x_range) -> None:
    """The function and its derivative side by side (stacked on a phone), as one element
    that keeps its plots across slider moves (and the student's zoom until the x-range
    changes)."""
    chart.chart_pair(
        (figures.spec(fig_f), figures.spec(fig_df)),
        figures.hover_refs(fig_f, fig_df, curves),
        revision=f"{x_range[0]:g}:{x_range[1]:g}",
        present=_present(),
        key="charts",
    )


def _present() -> bool:
    return bool(st.session_state.get("present", False))


def _font_size() -> int:
    return figures.PRESENT_FONT_SIZE if _present() else figures.FONT_SIZE


def _apply_repairs(found: dict) -> None:
    """Turn a bad shared link into a working view with a notice (never a traceback)."""
    found = {k: r for k, r in found.items() if r is not None}
    if not found:
        return
    st.session_state["_notices"] = [r.notice for r in found.values()]
    st.session_state.pop("_notices_for", None)
    pending = {k: r.value for k, r in found.items() if r.value is not None}
    if pending:
        st.session_state["_pending"] = pending
        st.rerun()


def _show_notices(state: tuple) -> None:
    if st.session_state.get("_notices"):
        shown_for = st.session_state.setdefault("_notices_for", state)
        if shown_for == state:  # the notice goes once the student moves on
            for notice in st.session_state["_notices"]:
                st.warning(notice, icon=":material/link:")
        else:
            del st.session_state["_notices"]


def _x_range_slider(column) -> tuple[float, float]:
    return column.slider(
        "x-range",
        *urlstate.X_BOUNDS,
        urlstate.X_DEFAULT,
        urlstate.X_STEP,
        key="x_range",
        bind="query-params",
        help="The stretch of the x axis to draw. Widen it to reach the article's 50.2.",
    )


def _copy_as_code(key: str, params: dict[str, float]) -> None:
    """The current function as a line for each library; rendered only when opened."""
    box = st.expander(
        "Copy as code: PyTorch, TensorFlow, Keras, JAX, numpy", key="copy", on_change="rerun"
    )
    if box.open:
        for library, line in frameworks.code_lines(key, params).items():
            box.markdown(f"**{library}**")
            box.code(line, language="python")


def _sync_url(key: str, value, default) -> None:
    """Keep ``key`` in the address bar while it differs from its default."""
    if value is None or value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif isinstance(value, list) or st.query_params.get(key) != value:
        st.query_params[key] = value


def view_controls() -> tuple[str, str]:
    """The activation picker and the convention switch: outside the fragment, so a
    slider move does not re-send them; changing them reruns the whole page."""
    first_run = "_url_checked" not in st.session_state
    st.session_state["_url_checked"] = True
    # Read the link before any widget exists: a bound widget drops what it cannot use.
    link = {k: st.query_params.get_all(k) for k in st.query_params} if first_run else {}
    raw = link.get
    # act, kink and show keep short keys in the URL (Streamlit's binding would write the
    # displayed labels), so the page syncs them itself: seeded from the link here,
    # written back below.
    if first_run:
        if raw("act", [])[:1] and raw("act")[0] in VIEWS:
            st.session_state["act"] = raw("act")[0]
        if raw("kink", [])[:1] and raw("kink")[0] in CONVENTION_NAMES:
            st.session_state["kink"] = raw("kink")[0]
        if raw("show"):
            st.session_state["show"] = [k for k in registry.REGISTRY if k in raw("show")]
        st.session_state["present"], present_repair = urlstate.check_flag(
            "present", raw("present", [])
        )
        st.session_state["_link"] = link  # for the fragment's first run, then dropped

    # Two compact rows above the instrument (they wrap on a phone): the title with the
    # present switch, then the picker with the convention at the kink. Present mode
    # drops the title and keeps the switch in the second row, for taller charts.
    present = st.session_state["present"]
    if not present:
        top = st.container(horizontal=True, vertical_alignment="center")
        top.markdown("#### ReLU Lab", width="content")
    row = st.container(horizontal=True, vertical_alignment="bottom", gap="medium")
    (row if present else top).toggle(
        "Present",
        key="present",
        help="For a projector: hides the explanations and draws the charts as large as "
        "the screen allows, with larger text. The link keeps it (present=1).",
    )
    view = row.selectbox("Activation", VIEWS, format_func=VIEW_NAMES.get, key="act", width=300)
    convention = row.radio(
        "Derivative at exactly x = 0",
        list(CONVENTION_NAMES),
        format_func=CONVENTION_NAMES.get,
        key="kink",
        horizontal=True,
        width="content",
        help="Where f′ jumps at 0 it has no single value there. The article, PyTorch and "
        "TensorFlow take the x ≤ 0 branch; JAX's leaky_relu takes the x > 0 one.",
    )
    choices = {
        "act": urlstate.check_choice("act", raw("act", []), VIEWS, VIEW_NAMES[view]),
        "kink": urlstate.check_choice(
            "kink", raw("kink", []), list(CONVENTION_NAMES), CONVENTION_NAMES[convention]
        ),
    }
    if first_run:
        choices["present"] = present_repair
        st.session_state["_choice_repairs"] = choices
    _sync_url("act", view, "relu")
    _sync_url("present", "1" if st.session_state["present"] else None, None)
    _sync_url("kink", convention, frameworks.LEFT)
    if view != "compare":
        _sync_url("show", None, None)
    return view, convention


@st.fragment
def explorer(view: str, convention: str) -> None:
    """The interactive part; a slider move reruns only this fragment."""
    link = st.session_state.pop("_link", {})  # the shared link, on the first run only

    def raw(key: str) -> list[str]:
        return link.get(key, [])

    found = st.session_state.pop("_choice_repairs", {})
    with _contained(
        st,
        "The graphs could not be drawn this time. The rest of the page works; try "
        "another setting, or reload the page.",
        f"explorer failed (view {view!r}, convention {convention!r})",
    ):
        if view == "relu":
            _article_view(raw, found, convention)
        elif view == "compare":
            _compare_view(raw, found, convention)
        else:
            _single_view(view, raw, found, convention)


def _article_view(raw, found: dict, convention: str) -> None:
    # Every element in this fragment is re-sent on each slider move, and each costs the
    # server ~0.3 ms under load (bench/load.py): the sliders stack rather than sit in
    # columns (three layout blocks fewer), and text that never changes sits outside.
    # Columns, not a horizontal container: side by side on a wide screen, stacked at
    # full width on a phone.
    left, right = st.columns(2, gap="medium")
    leak = left.slider(
        "leak (slope for x ≤ 0)",
        *urlstate.LEAK_BOUNDS,
        urlstate.LEAK_DEFAULT,
        urlstate.LEAK_STEP,
        key="leak",
        bind="query-params",
        help=registry.LEAK.help,
    )
    x_range = _x_range_slider(right)
    found["leak"] = urlstate.check_leak(raw("leak"), leak)
    found["x_range"] = urlstate.check_x_range(raw("x_range"), tuple(x_range))
    _apply_repairs(found)
    _show_notices(("relu", leak, tuple(x_range), convention))

    own_values, own_error = _own_values()
    own = figures.own_points(own_values, x_range)
    inside, outside = examples.split_by_range(examples.all_example_points(), x_range)
    _chart_pair(
        figures.function_figure(leak, x_range, inside, own, convention, _font_size()),
        figures.derivative_figure(leak, x_range, inside, convention, own, _font_size()),
        figures.article_hover(leak, x_range, convention),
        x_range,
    )
    _copy_as_code("leaky_relu", {"leak": leak})

    # Heading, text, the note on hidden points and both tables as one element: one
    # message per move, not seven.
    hidden = ""
    if len(outside):
        hidden = (
            f"\n\n:material/swap_horiz: Not on the graphs: "
            f"{', '.join(f'{v:g}' for v in outside)}, outside the x-range "
            f"{x_range[0]:g} to {x_range[1]:g}. Widen the x-range to see them."
        )
    tables = "\n\n".join(
        f"**{ex.title}**\n\n"
        + examples.markdown_table(examples.example_columns(ex, leak, convention))
        for ex in examples.EXAMPLES
    )
    st.markdown(
        f"## The article's examples\n\nEach table shows the article's result and, beside "
        f"it, the same input under the slider's leak ({leak:g}).{hidden}\n\n{tables}"
    )
    _own_values_box(leak, convention, own_values, own_error, len(own))


def _own_values() -> tuple:
    """The student's typed numbers (from the box below), parsed; or the parser's message.

    Parsed once per text, not on every slider move (10,000 numbers take ~35 ms)."""
    text = st.session_state.get("values", "")
    if not text.strip():
        return None, None
    parsed_text, result = st.session_state.get("_own_parsed", (None, None))
    if parsed_text != text:
        try:
            result = parse.parse_values(text), None
        except parse.ParseError as err:
            result = None, str(err)
        st.session_state["_own_parsed"] = (text, result)
    return result


def _preset(example: int) -> None:
    x = examples.EXAMPLES[example].x
    st.session_state["values"] = "[" + ", ".join(f"[{v:g}]" for v in x[:, 0]) + "]"


def _own_values_box(leak: float, convention: str, values, error, drawn: int) -> None:
    """Type or paste numbers; rendered only when opened (closing it clears them)."""
    box = st.expander(
        "Your own values: type or paste numbers, see f(x) and f′(x)",
        key="own",
        on_change="rerun",
    )
    if not box.open:
        return
    first, second = box.columns(2)
    first.button("Example 1 (the article's first array)", on_click=_preset, args=(0,))
    second.button("Example 2 (the article's second array)", on_click=_preset, args=(1,))
    box.text_area(
        "Numbers",
        key="values",
        height=110,
        max_chars=parse.MAX_CHARS + 1,  # one over: a longer paste is refused, not cut
        placeholder="[[0.11], [-2.2], [0]]   or   1, -2, 3   or one per line; nan, inf, 1e-3",
        help=f"Up to {parse.MAX_VALUES:,} numbers and {parse.MAX_CHARS:,} characters. "
        "Brackets, commas, semicolons, spaces and new lines all separate numbers.",
    )
    if error:
        box.error(error, icon=":material/error:")
        return
    if values is None:
        return
    cols = parse.results_table(values, leak, convention)
    box.caption(
        f"{len(values):,} values; {drawn:,} of them drawn on the graphs (finite ones inside "
        f"the x-range, at most {figures.OWN_MAX_DRAWN:,})."
    )
    box.dataframe(cols, hide_index=True, width="stretch", height=min(400, 38 + 35 * len(values)))
    box.download_button(
        "Download as CSV",
        functools.partial(parse.to_csv, cols),  # built when clicked, not on every rerun
        "relulab_values.csv",
        "text/csv",
        icon=":material/download:",
    )


def _param_sliders(act, raw, found: dict, columns) -> dict[str, float]:
    params = {}
    for column, p in zip(columns, act.params, strict=False):
        params[p.name] = column.slider(
            p.label, p.min, p.max, p.default, p.step, key=p.name, bind="query-params", help=p.help
        )
        found[p.name] = urlstate.check_number(
            p.name, raw(p.name), params[p.name], (p.min, p.max), p.step
        )
    return params


def _single_view(key: str, raw, found: dict, convention: str) -> None:
    act = registry.get(key)
    columns = st.columns(len(act.params) + 1)
    params = _param_sliders(act, raw, found, columns)
    x_range = _x_range_slider(columns[-1])
    found["x_range"] = urlstate.check_x_range(raw("x_range"), tuple(x_range))
    _apply_repairs(found)
    _show_notices((key, *params.values(), tuple(x_range), convention))

    entries = [(act, params)]
    _chart_pair(
        *figures.catalogue_figures(entries, x_range, convention, font_size=_font_size()),
        figures.catalogue_hover(entries, x_range, convention),
        x_range,
    )
    math_f, math_df = st.columns(2)
    math_f.latex(act.latex)
    math_df.latex(act.latex_deriv)
    st.caption(act.kink)
    if act.param_grads:
        names = ", ".join(f"∂f/∂{name}" for name in act.param_grads)
        st.caption(
            f"Training also needs {names}: relulab gives it as "
            + ", ".join(f"`relulab.{fn.__name__}`" for fn in act.param_grads.values())
            + "."
        )
    _copy_as_code(key, params)


def _compare_view(raw, found: dict, convention: str) -> None:
    pick, right = st.columns(2)
    keys = pick.multiselect(
        "Activations to overlay (each at its default parameters)",
        list(registry.REGISTRY),
        None if "show" in st.session_state else COMPARE_DEFAULT,  # seeded from the link
        format_func=lambda k: figures.entry_label(
            registry.REGISTRY[k], registry.REGISTRY[k].defaults()
        ),
        key="show",
    )
    _sync_url("show", keys, COMPARE_DEFAULT)
    x_range = _x_range_slider(right)
    shown = raw("show")
    if shown and any(k not in registry.REGISTRY for k in shown):
        found["show"] = urlstate.Repair(
            None, "Some of the link’s activations to compare are not known here; left out."
        )
    found["x_range"] = urlstate.check_x_range(raw("x_range"), tuple(x_range))
    _apply_repairs(found)
    _show_notices(("compare", tuple(keys), tuple(x_range), convention))
    if not keys:
        st.info("Pick at least one activation to draw.", icon=":material/touch_app:")
        return
    entries = [(registry.REGISTRY[k], registry.REGISTRY[k].defaults()) for k in keys]
    _chart_pair(
        *figures.catalogue_figures(entries, x_range, convention, font_size=_font_size()),
        figures.catalogue_hover(entries, x_range, convention),
        x_range,
    )
    st.caption(
        "Smooth curves are sampled densely enough to look smooth even zoomed in; the "
        "ReLU family, ELU and SELU have their vertex at exactly 0, where a jump in f′ is "
        "shown with a filled dot (the value taken) and an open dot (the one not taken). "
        "Where curves overlap, the one drawn later lies on top."
    )


ARTICLE_CAPTION = (
    "How to read the graphs: for x > 0 both functions are y = x and both derivatives are "
    "1, so the two lines lie on top of each other; ReLU is drawn dashed over Leaky ReLU so "
    "you can see both. The inset enlarges the negative side, where they differ. On the "
    "derivative, the filled dot is the value taken at exactly x = 0 under the convention "
    "chosen above (the leak, as in the article, PyTorch and TensorFlow; 1 in JAX); the "
    "open dot is the value not taken."
)

view, convention = view_controls()
explorer(view, convention)
if not _present():
    with st.expander("What am I looking at?", key="about"):
        st.markdown(INTRO)
        if view == "relu":
            st.markdown(ARTICLE_CAPTION)


@st.cache_data(show_spinner="Training both networks…", max_entries=64)
def _train_pair(setting: lab.Setting) -> dict:
    """Both networks for one setting; cached across sessions (a class shares presets)."""
    X, y = lab.two_moons(seed=setting.seed)
    out = {"X": X, "y": y}
    for name, leak in (("relu", 0.0), ("leaky", setting.leak)):
        hist = lab.train(setting, leak, X, y)
        out[name] = hist
        out[name + "_grid"] = lab.decision_grid(hist.params, leak)
    return out


@st.fragment
def dying_relu_lab() -> None:
    """Its own fragment: training never blocks the explorer above."""
    box = st.expander(
        "Open the lab: train one network with ReLU and one with Leaky ReLU",
        key="lab",
        on_change="rerun",
    )
    if not box.open:
        return
    leak = st.session_state.get("leak", urlstate.LEAK_DEFAULT)
    preset = box.selectbox("Preset", list(lab.PRESETS), key="lab_preset")
    base = lab.PRESETS[preset]
    c1, c2, c3, c4 = box.columns(4)
    lr = c1.select_slider(
        "learning rate",
        [0.001, 0.01, 0.05, 0.1, 0.5, 1.0, 2.0],
        base.learning_rate,
        key=f"lab_lr_{preset}",
    )
    shift = c2.slider("initial bias shift", -3.0, 1.0, base.bias_shift, 0.25, key=f"lab_b_{preset}")
    width = c3.slider("hidden width", 4, 64, base.width, 4, key=f"lab_w_{preset}")
    epochs = c4.slider("epochs", 50, 600, base.epochs, 50, key=f"lab_e_{preset}")
    if leak == 0:
        box.info(
            "The leak slider above is at 0, so both networks are ReLU.", icon=":material/info:"
        )
    setting = lab.Setting(
        leak=float(leak), learning_rate=lr, bias_shift=shift, width=width, epochs=epochs
    )
    with _contained(
        box,
        "The lab could not train this time. The rest of the page works; try another "
        "preset or setting, or reload the page.",
        f"dying-ReLU lab failed for {setting}",
    ):
        result = _train_pair(setting)
        relu_h, leaky_h = result["relu"], result["leaky"]
        _chart(box, figures.lab_curves_figure(relu_h, leaky_h, leak), "lab_curves")
        regions = figures.lab_regions_figure(
            result["X"],
            result["y"],
            [
                (f"ReLU: {relu_h.accuracy:.0%} right", result["relu_grid"]),
                (f"Leaky ReLU ({leak:g}): {leaky_h.accuracy:.0%} right", result["leaky_grid"]),
            ],
        )
        _chart(box, regions, "lab_regions")
        box.markdown(
            f"After {epochs} epochs **{relu_h.dead[-1]:.0%}** of the ReLU network's hidden units "
            f"are dead (their input is ≤ 0 for every training point, so their gradient is 0 "
            f"and nothing can revive them), against **{leaky_h.dead[-1]:.0%}** with Leaky ReLU, "
            f"whose units still pass {leak:g} × the gradient and can recover."
        )


st.header("Why Leaky ReLU exists: a dying-ReLU lab")
st.markdown(
    "A small network (2 inputs, two hidden layers, 1 output, written in numpy) learns to "
    "separate two interleaved half-moons. Both networks start from the same weights; one "
    "uses ReLU, the other Leaky ReLU at the leak chosen above. The presets show units dying."
)
dying_relu_lab()

st.header("The definitions")
math_relu, math_leaky = st.columns(2)
for column, act in ((math_relu, RELU), (math_leaky, LEAKY)):
    # Separate blocks: KaTeX makes a multi-line block a scrollable region that axe flags.
    column.latex(act.latex)
    column.latex(act.latex_deriv)
st.markdown(
    "At exactly x = 0 the derivative has no single value (the kink). Like the article, "
    "PyTorch and TensorFlow, `relu_dash` uses the x ≤ 0 branch there: `leak` (0 for "
    "ReLU). JAX's `leaky_relu` takes the other branch, 1. The switch above the graphs "
    "moves the dot at 0 and adds JAX's column to the tables. The frameworks also "
    "disagree on defaults:"
)
st.markdown(
    "| | default Leaky ReLU slope | Leaky ReLU′(0) | ReLU′(0) | SELU′(0) |\n|---|---|---|---|---|\n"
    + "\n".join(
        f"| {f.name} | {f.leaky_default} | {f.leaky_at_0} | {f.relu_at_0} | {f.selu_at_0} |"
        for f in frameworks.FACTS
    )
)

st.header("The code")


@st.fragment
def code_tabs() -> None:
    """How np.where works, the article's code and the library's. Tracked tabs render
    only the open one, so the code highlighter (the page's costliest script after
    Plotly) loads when a student asks for code, not before the graphs are drawn."""
    where, art, lib = st.tabs(TABS, key="code_tab", on_change="rerun")
    if where.open:
        where.markdown(
            "The article computes both functions with `np.where(condition, value_if_true, "
            "value_if_false)`. It checks the condition for every element of the array: where "
            "it holds, the result takes that element of the second argument, elsewhere that "
            "element of the third. So `np.where(x <= 0, leak * x, x)` keeps `x` for the "
            "positive elements and uses `leak * x` for the rest; a plain number such as "
            "`leak` or `1` counts as the same value for every element."
        )
        where.markdown(examples.where_demo_table(0.1))
    if art.open:
        art.code(
            "import numpy as np\n\n\n"
            + inspect.getsource(article.relu)
            + "\n\n"
            + inspect.getsource(article.relu_dash),
            language="python",
        )
    if lib.open:
        lib.markdown(
            "This is the source of `relulab.relu` and `relulab.relu_dash`, read from the "
            "library itself, so it is exactly what computed the graphs above. It gives the "
            "same numbers as the article, fixes `relu(-inf)` (the article gets `0 × -inf = "
            "nan`) and `relu_dash(nan)`, and streams memory once instead of building three "
            "temporary arrays."
        )
        lib.code(
            inspect.getsource(activations.relu) + "\n\n" + inspect.getsource(activations.relu_dash),
            language="python",
        )


code_tabs()


@st.fragment(run_every="1h")
def reconnect_guard() -> None:
    """Draws nothing; it makes the page survive a server restart without a reload.

    When its websocket reconnects, Streamlit 1.67's frontend asks for a full rerun only
    if the page has an auto-rerunning fragment (or its last run was a fragment run).
    Without one, a restarted server never runs the page, does not know its fragments,
    and silently drops every slider move inside them. Its hourly rerun costs nothing."""


reconnect_guard()
