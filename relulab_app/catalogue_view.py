"""One catalogue activation (ELU, GELU, ...): sliders for its parameters from its
registry record, its charts, formulas, kink convention and code lines."""

from __future__ import annotations

import streamlit as st

from relulab import registry
from relulab_app import common, figures, link, quiz_view, urlstate


def _param_sliders(act, columns, url: urlstate.Link) -> dict[str, float]:
    params = {}
    for column, p in zip(columns, act.params, strict=False):
        params[p.name] = column.slider(
            p.label, p.min, p.max, p.default, p.step, key=p.name, bind="query-params", help=p.help
        )
        url.check(
            p.name,
            urlstate.check_number(
                p.name, url.values(p.name), params[p.name], (p.min, p.max), p.step
            ),
        )
    return params


def show(key: str, convention: str) -> None:
    act = registry.get(key)
    url = link.current()
    columns = st.columns(len(act.params) + 1)
    params = _param_sliders(act, columns, url)
    x_range = common.x_range_slider(columns[-1])
    url.check("x_range", urlstate.check_x_range(url.values("x_range"), tuple(x_range)))
    link.settle((key, *params.values(), tuple(x_range), convention))

    entries = [(act, params)]
    common.show_charts(
        *figures.catalogue_figures(entries, x_range, convention, font_size=common.font_size()),
        figures.catalogue_hover(entries, x_range, convention),
        x_range,
    )
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
