"""One catalogue activation (ELU, GELU, ...): sliders for its parameters from its
registry record (one parameter: the chart element's own slider, drawn at once), its
charts, formulas, kink convention and code lines."""

from __future__ import annotations

import streamlit as st

from relulab import registry
from relulab_app import chart, common, figures, link, param_slider, quiz_view, urlstate


def _param_sliders(act, columns, url: urlstate.Link) -> dict[str, float]:
    """Streamlit's sliders, for an activation with several parameters. Each value lives
    under the parameter's name, as the element's slider keeps its own, and goes to the
    address bar the same way (:func:`param_slider.value`); the slider has a key of its
    own, copied to that name when moved. Streamlit forgets a widget's value once it is
    off the page, and its URL binding drops the value too: the next view, which keeps
    one of the same name (Softplus's β, then SiLU's), would lose it."""
    params = {}
    for column, p in zip(columns, act.params, strict=False):
        widget = f"{p.name}_slider"
        st.session_state[widget] = params[p.name] = param_slider.value(p, url)
        column.slider(
            p.label, p.min, p.max, step=p.step, key=widget, help=p.help,
            on_change=_copy, args=(widget, p.name),
        )  # fmt: skip
    return params


def _copy(widget: str, name: str) -> None:
    st.session_state[name] = st.session_state[widget]


def show(key: str, convention: str) -> None:
    act = registry.get(key)
    url = link.current()
    one = act.params[0] if len(act.params) == 1 else None
    if one is not None:  # the chart element's own slider: its moves are drawn at once
        params = {one.name: param_slider.value(one, url)}
        x_range = common.x_range_slider(st.container(key="x_range_box"))
    else:
        columns = st.columns(len(act.params) + 1)
        params = _param_sliders(act, columns, url)
        x_range = common.x_range_slider(columns[-1])
    url.check("x_range", urlstate.check_x_range(url.values("x_range"), tuple(x_range)))
    link.settle((key, *params.values(), tuple(x_range), convention))

    entries = [(act, params)]
    font, asked = common.font_size(), common.quiz_changes_charts()
    if one is None or asked:  # drawn as the server makes it
        figs = figures.catalogue_figures(entries, x_range, convention, font_size=font)
        hover = figures.catalogue_hover(entries, x_range, convention)
        payload = common.pair_payload(*figs, hover, x_range)
    if one is None:
        chart.chart_pair(chart.pack([payload]))
    else:  # a question's charts: this value's payload alone; moves wait for the server
        packed = chart.pack([payload], [params[one.name]]) if asked else ""
        view = (key, tuple(float(v) for v in x_range), convention, font, common.present())
        param_slider.draw(one, _step, view, packed)
    if not quiz_view.hides_any():  # the kink note answers "which has a corner at 0"
        st.caption(act.kink)  # the formulas are under "The definitions"
    if act.param_grads:
        names = ", ".join(f"∂f/∂{name}" for name in act.param_grads)
        st.caption(
            f"Training also needs {names}: relulab gives it as "
            + ", ".join(f"`relulab.{fn.__name__}`" for fn in act.param_grads.values())
            + "."
        )
    common.copy_as_code(key, params)


def _step(view: tuple, value: float) -> dict:
    """The chart payload of ``view`` (activation, x-range, convention, font size, present
    mode) at its one parameter's ``value``, as no question changes it."""
    key, x_range, convention, font, present = view
    act = registry.get(key)
    entries = [(act, {act.params[0].name: value})]
    figs = figures.catalogue_figures(entries, x_range, convention, font_size=font)
    hover = figures.catalogue_hover(entries, x_range, convention)
    return common.plain_pair(*figs, hover, x_range, present)
