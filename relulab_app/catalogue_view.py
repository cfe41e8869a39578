"""One catalogue activation (ELU, GELU, ...): sliders for its parameters from its
registry record (the first is the chart element's own slider, drawn at once), its
charts, formulas, kink convention and code lines."""

from __future__ import annotations

import streamlit as st

from relulab import registry
from relulab_app import chart, common, figures, link, param_slider, quiz_view, urlstate


def _other_sliders(others, url: urlstate.Link) -> dict[str, float]:
    """Streamlit's sliders, for the parameters after the first (Softplus's threshold),
    half the page wide. Their values go to the address bar as the element's slider's do
    (:func:`param_slider.value`), and are kept while the view is away (``persist_state``:
    Streamlit would otherwise forget them)."""
    if not others:
        return {}
    params = {}
    for column, p in zip(st.columns(2 * len(others)), others, strict=False):
        param_slider.value(p, url, element=False)
        params[p.name] = column.slider(
            p.label, p.min, p.max, step=p.step, key=p.name, help=p.help, persist_state="page"
        )
    return params


def show(key: str, convention: str) -> None:
    act = registry.get(key)
    url = link.current()
    first = act.params[0] if act.params else None
    params = {first.name: param_slider.value(first, url)} if first else {}
    params |= _other_sliders(act.params[1:], url)
    # The x-range beside the element's slider if there is one (chart.css), as in the
    # article's view.
    x_range = common.x_range_slider(st.container(key="x_range_box") if first else st)
    url.check("x_range", urlstate.check_x_range(url.values("x_range"), tuple(x_range)))
    link.settle((key, *params.values(), tuple(x_range), convention))

    entries = [(act, params)]
    font, asked = common.font_size(), common.quiz_changes_charts()
    if first is None or asked:  # drawn as the server makes it
        payload = common.pair_payload(*_figures(entries, x_range, convention, font), x_range)
    if first is None:
        chart.chart_pair(chart.pack([payload]))
    else:  # a question's charts: this value's payload alone; moves wait for the server
        packed = chart.pack([payload], [params[first.name]]) if asked else ""
        others = tuple(params.items())[1:]
        view = (key, tuple(float(v) for v in x_range), convention, font, common.present())
        param_slider.draw(first, _step, (*view, others), packed)
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


def _figures(entries, x_range, convention: str, font: int):
    """The two figures and hover curves of ``entries``: the one way they are made, for
    this run's charts and for every step alike."""
    figs = figures.catalogue_figures(entries, x_range, convention, font_size=font)
    return (*figs, figures.catalogue_hover(entries, x_range, convention))


def _step(view: tuple, value: float) -> dict:
    """The chart payload of ``view`` (activation, x-range, convention, font size, present
    mode, the other parameters' (name, value)) at its first parameter's ``value``, as no
    question changes it."""
    key, x_range, convention, font, present, others = view
    act = registry.get(key)
    entries = [(act, {act.params[0].name: value, **dict(others)})]
    return common.plain_pair(*_figures(entries, x_range, convention, font), x_range, present)
