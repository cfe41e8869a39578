"""ReLU Lab: the page. Layout and widgets only; every number comes from relulab."""

from __future__ import annotations

import inspect

import streamlit as st

from relulab import activations, article, examples, figures, registry, urlstate

st.set_page_config(page_title="ReLU Lab — ReLU and Leaky ReLU", page_icon="📈", layout="wide")

# A repair decided on the previous run is applied before the widgets exist: on a
# rerun, a value set in session state wins over the URL for a bound widget.
for _key, _value in st.session_state.pop("_pending", {}).items():
    st.session_state[_key] = _value

CHART_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
RELU, LEAKY = registry.REGISTRY["relu"], registry.REGISTRY["leaky_relu"]
TABS = ["np.where", "Article's code", "Library's code"]  # short: fit a phone

st.title("ReLU Lab: ReLU and Leaky ReLU")
st.markdown(
    "An activation function decides what a neuron passes on. **ReLU** lets positive inputs "
    "through unchanged and turns every negative input into 0. **Leaky ReLU** lets a little "
    "of the negative side through: it multiplies negative inputs by a small slope, the "
    "*leak*. With a leak of 0 the two are the same function, so one pair of functions, "
    "`relu(x, leak)` and its derivative `relu_dash(x, leak)`, covers both. Move the sliders "
    "and watch the graphs and the tables change; the address bar keeps your settings, so "
    "you can share the exact view."
)


def _url_repairs(raw_leak: list[str], raw_range: list[str], leak, x_range) -> None:
    """Turn a bad shared link into a working view with a notice (never a traceback)."""
    found = {
        "leak": urlstate.check_leak(raw_leak, leak),
        "x_range": urlstate.check_x_range(raw_range, tuple(x_range)),
    }
    found = {k: r for k, r in found.items() if r is not None}
    if not found:
        return
    st.session_state["_notices"] = [r.notice for r in found.values()]
    st.session_state.pop("_notices_for", None)
    pending = {k: r.value for k, r in found.items() if r.value is not None}
    if pending:
        st.session_state["_pending"] = pending
        st.rerun()


@st.fragment
def explorer() -> None:
    """The interactive part; a slider move reruns only this fragment."""
    first_run = "_url_checked" not in st.session_state
    st.session_state["_url_checked"] = True
    raw_leak = st.query_params.get_all("leak") if first_run else []
    raw_range = st.query_params.get_all("x_range") if first_run else []

    left, right = st.columns(2)
    leak = left.slider(
        "leak (slope for x ≤ 0)",
        *urlstate.LEAK_BOUNDS,
        urlstate.LEAK_DEFAULT,
        urlstate.LEAK_STEP,
        key="leak",
        bind="query-params",
        help=registry.LEAK.help,
    )
    x_range = right.slider(
        "x-range",
        *urlstate.X_BOUNDS,
        urlstate.X_DEFAULT,
        urlstate.X_STEP,
        key="x_range",
        bind="query-params",
        help="The stretch of the x axis to draw. Widen it to reach the article's 50.2.",
    )
    _url_repairs(raw_leak, raw_range, leak, x_range)

    state = (leak, tuple(x_range))
    if st.session_state.get("_notices"):
        shown_for = st.session_state.setdefault("_notices_for", state)
        if shown_for == state:  # the notice goes once the student moves on
            for notice in st.session_state["_notices"]:
                st.warning(notice, icon="🔗")
        else:
            del st.session_state["_notices"]

    inside, outside = examples.split_by_range(examples.all_example_points(), x_range)
    graph_f, graph_df = st.columns(2)
    graph_f.plotly_chart(
        figures.function_figure(leak, x_range, inside),
        width="stretch",
        theme="streamlit",
        config=CHART_CONFIG,
        key="chart_f",
    )
    graph_df.plotly_chart(
        figures.derivative_figure(leak, x_range, inside),
        width="stretch",
        theme="streamlit",
        config=CHART_CONFIG,
        key="chart_df",
    )
    st.caption(
        "For x > 0 both functions are y = x and both derivatives are 1, so the two lines "
        "lie on top of each other: ReLU is drawn dashed over Leaky ReLU so you can see "
        "both. The inset enlarges the negative side, where they differ. On the derivative, "
        "the filled dot is the value the library uses at exactly x = 0 (the leak, as in "
        "the article, PyTorch and TensorFlow); the open dot is the value it does not take."
    )
    if len(outside):
        values = ", ".join(f"{v:g}" for v in outside)
        st.info(
            f"Example points outside the x-range {x_range[0]:g} to {x_range[1]:g}, not on "
            f"the graphs: {values}. Widen the x-range to see them.",
            icon="↔️",
        )

    st.header("The article's examples")
    st.markdown(
        f"Each table shows the article's result and, beside it, the same input under the "
        f"slider's leak ({leak:g})."
    )
    for column, example in zip(st.columns(2), examples.EXAMPLES, strict=True):
        table = examples.markdown_table(examples.example_columns(example, leak))
        column.markdown(f"**{example.title}**\n\n{table}")  # one element: fewer to redraw


explorer()

st.header("The definitions")
math_relu, math_leaky = st.columns(2)
for column, act in ((math_relu, RELU), (math_leaky, LEAKY)):
    # Separate blocks: KaTeX makes a multi-line block a scrollable region that axe flags.
    column.latex(act.latex)
    column.latex(act.latex_deriv)
st.markdown(
    "At exactly x = 0 the derivative has no single value (the kink). Like the article, "
    "PyTorch and TensorFlow, `relu_dash` uses the left-hand value there: `leak` (0 for "
    "ReLU). JAX uses 1 for Leaky ReLU. Default leaks differ too: 0.01 in PyTorch and JAX, "
    "0.2 in `tf.nn.leaky_relu`, 0.3 in `keras.layers.LeakyReLU`."
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
