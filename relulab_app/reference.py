"""Below the instrument: the definitions and the code, for the activation on show
(the article's pair, a catalogue entry, or each compared one)."""

from __future__ import annotations

import inspect

import streamlit as st

from relulab import activations, article, frameworks, registry
from relulab_app import examples, quiz_view
from relulab_app.explorer import View
from relulab_app.quiz_view import Hide

TABS = ["np.where", "Article's code", "Library's code"]  # short: fit a phone


def definitions(view: View) -> None:
    st.header("The definitions")
    if quiz_view.hidden(Hide.DEFINITIONS) or quiz_view.hidden(Hide.FRAMEWORK_FACTS):
        st.markdown(":material/visibility_off: Hidden until you answer the question above.")
        return
    keys = view.keys()
    for row in range(0, len(keys), 2):
        columns = st.columns(2)
        for column, key in zip(columns, keys[row : row + 2], strict=False):
            act = registry.REGISTRY[key]
            if not view.article:  # the article's prose names its two
                column.markdown(f"**{act.name}**")
            # Separate blocks: KaTeX makes a multi-line block a scrollable region axe flags.
            column.latex(act.latex)
            column.latex(act.latex_deriv)
            if not view.article and act.kink:
                column.caption(act.kink)
    if view.article:
        st.markdown(
            "At exactly x = 0 the derivative has no single value (the kink). Like the "
            "article, PyTorch and TensorFlow, `relu_dash` uses the x ≤ 0 branch there: "
            "`leak` (0 for ReLU). JAX's `leaky_relu` takes the other branch, 1. The switch "
            "above the graphs moves the dot at 0 and adds JAX's column to the tables. The "
            "frameworks also disagree on defaults:"
        )
    else:
        st.markdown("What the frameworks do by default and at the kink:")
    # Two narrow tables, not one wide one: five columns run off a phone's screen.
    st.markdown(
        "| | default Leaky ReLU slope |\n|---|---|\n"
        + "\n".join(f"| {f.name} | {f.leaky_default} |" for f in frameworks.FACTS)
    )
    kink = {"Leaky ReLU′(0)": "leaky_at_0", "ReLU′(0)": "relu_at_0", "SELU′(0)": "selu_at_0"}
    same = ""
    if len(relu_at_0 := {f.relu_at_0 for f in frameworks.FACTS}) == 1:
        # A column of one value says less than a sentence, and costs a phone's width.
        del kink["ReLU′(0)"]
        same = f" ReLU′(0) is {relu_at_0.pop()} in every one."
    st.markdown(
        f"The derivative at exactly 0 in each:{same}\n\n"
        + "| | "
        + " | ".join(kink)
        + " |\n|---|"
        + "---|" * len(kink)
        + "\n"
        + "\n".join(
            f"| {f.name} | " + " | ".join(getattr(f, field) for field in kink.values()) + " |"
            for f in frameworks.FACTS
        )
    )


def _source(key: str) -> str:
    act = registry.REGISTRY[key]
    fns = [act.fn, act.deriv, *act.param_grads.values()]
    return "\n\n".join(inspect.getsource(fn) for fn in dict.fromkeys(fns))


@st.fragment
def code_tabs(view: View) -> None:
    """How np.where works, the article's code and the library's. Tracked tabs render
    only the open one, so the code highlighter (the page's costliest script after
    Plotly) loads when a student asks for code, not before the graphs are drawn."""
    st.header("The code")
    if quiz_view.hides_any():  # the np.where demo and the sources answer questions
        st.markdown(":material/visibility_off: Hidden until you answer the question above.")
        return
    if not view.article:
        keys = view.keys()
        st.markdown(
            "The source of the library's functions for what is on show, read from "
            "`relulab` itself: exactly what computed the graphs above."
        )
        for key in keys:
            box = st.expander(f"{registry.REGISTRY[key].name}: `relulab` source", key=f"src_{key}")
            box.code(_source(key), language="python")
        return
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
