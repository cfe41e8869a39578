"""Compare several: activations overlaid at their default parameters."""

from __future__ import annotations

import streamlit as st

from relulab import registry
from relulab_app import common, figures, link, quiz_view, urlstate

DEFAULT = ["leaky_relu", "elu", "gelu", "silu"]


def show(convention: str) -> None:
    url = link.current()
    quiz_curves = quiz_view.compare_entries()
    # The picker gets the wider column, and its chips wrap onto more rows: in a column
    # Streamlit otherwise keeps them on one row that scrolls under a fade (a chip under
    # it reads as disabled), which on a phone hid the fourth of the default four.
    pick, right = st.columns([3, 2])
    if quiz_curves is not None:  # a question's own curves: no picker naming them
        keys = []
    else:
        keys = pick.multiselect(
            "Activations to overlay (each at its default parameters)",
            list(registry.REGISTRY),
            None if "show" in st.session_state else DEFAULT,  # seeded from the link
            # The name alone: the label says the parameters are the defaults, and the
            # legend gives their values.
            format_func=lambda k: registry.REGISTRY[k].name,
            key="show",
            wrap=True,
        )
        common.sync_url("show", keys, DEFAULT)
    x_range = common.x_range_slider(right)
    shown = url.values("show")
    if any(urlstate.match_choice(k, list(registry.REGISTRY)) is None for k in shown):
        url.check(
            "show",
            urlstate.Repair(
                None, "Some of the link’s activations to compare are not known here; left out."
            ),
        )
    url.check("x_range", urlstate.check_x_range(url.values("x_range"), tuple(x_range)))
    link.settle(("compare", tuple(keys), tuple(x_range), convention))
    if quiz_curves is not None:  # named by letter until revealed
        _draw_labelled(quiz_curves, x_range, convention)
        return
    if not keys:
        st.info("Pick at least one activation to draw.", icon=":material/touch_app:")
        return
    entries = [(registry.REGISTRY[k], registry.REGISTRY[k].defaults()) for k in keys]
    common.show_charts(
        *figures.catalogue_figures(entries, x_range, convention, font_size=common.font_size()),
        figures.catalogue_hover(entries, x_range, convention),
        x_range,
    )
    if quiz_view.hides_any():  # it says which activations have a corner at 0
        return
    st.caption(
        "Smooth curves are sampled densely enough to look smooth even zoomed in; the "
        "ReLU family, ELU and SELU have their vertex at exactly 0, where a jump in f′ is "
        "shown with a filled dot (the value taken) and an open dot (the one not taken). "
        "Where curves coincide, each later one is drawn narrower and dashed, so the "
        "earlier one shows around it."
    )


def _draw_labelled(curves: list, x_range, convention: str) -> None:
    """Curves with the labels a question gives them: nothing of their names reaches the
    browser while the names are hidden."""
    entries = [(act, params) for act, params, _ in curves]
    f, df = figures.catalogue_figures(entries, x_range, convention, font_size=common.font_size())
    hover = figures.catalogue_hover(entries, x_range, convention)
    for fig in (f, df):
        for trace in fig["data"]:
            for (_, _, label), (name, _) in zip(curves, hover, strict=True):
                if trace.get("name") == name:
                    trace["name"] = label
                if name in str(trace.get("hovertemplate", "")):
                    trace["hovertemplate"] = trace["hovertemplate"].replace(name, label)
    labels = [(label, kinks) for (_, _, label), (_, kinks) in zip(curves, hover, strict=True)]
    common.show_charts(f, df, labels, x_range)
