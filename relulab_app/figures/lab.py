"""The dying-ReLU lab's figures: training curves and decision regions."""

from __future__ import annotations

import numpy as np

from relulab_app.figures._common import FONT_SIZE, LEAKY_COLOR, RELU_COLOR, note_size

# Both lab figures are read on a phone (~350 px wide) as well as on a projector, and a
# layout that only works wide is what made them unreadable there: subplots side by side
# put the right one's axis on top of the left one's plot, and titles in the top margin
# print over each other and under the modebar (top right). So the curves are stacked
# rows sharing the epoch axis, and the region panels are titled below themselves.
LAB_CURVES_HEIGHT = 450
LAB_REGIONS_HEIGHT = 340
LAB_MODEBAR_STRIP = 34  # px at the top of a lab chart kept free for Plotly's modebar


def _sizes(font_size: int) -> tuple[dict, dict, float]:
    """Title and tick font settings, and the scale of margins and heights, for text of
    ``font_size`` (larger in present mode: the figure grows with it, so the plots keep
    their room). st.plotly_chart's theme="streamlit" sets 12.75 px tick, legend and
    axis-title fonts, which override the layout's font size: the sizes are explicit."""
    return {"font": {"size": font_size}}, {"tickfont": {"size": font_size}}, font_size / FONT_SIZE


# The loss axis shows at most this many powers of ten, down from the highest loss, and
# labels at most this many of them (each label is ~26 px tall with its exponent, and the
# loss plot is ~140 px tall on a phone).
LOSS_DECADES = 6
LOSS_LABELS = 4


def loss_axis(*losses) -> dict:
    """The log loss axis's range (in powers of ten) and label step: every loss of the
    curves, but not more than LOSS_DECADES below the highest. A learning rate too large
    drives a loss to 1e-12 for an epoch or two; those dips run off the bottom rather than
    squash the rest of both curves into the top of the plot. Labels on whole powers of
    ten only (Plotly's 2 and 5 between them print over each other on a phone). Empty
    (Plotly's own) when no loss is positive and finite.

    >>> axis = loss_axis([1300.0, 0.69, 1e-12])
    >>> [round(v, 2) for v in axis["range"]], axis["dtick"]
    ([-3.19, 3.41], 2)
    >>> loss_axis([0.7, 0.01])["dtick"], loss_axis([np.nan])
    (1, {})
    """
    y = np.concatenate([np.asarray(v, dtype=float) for v in losses])
    y = np.log10(y[np.isfinite(y) & (y > 0)])
    if not y.size:
        return {}
    hi = float(y.max())
    lo = max(float(y.min()), hi - LOSS_DECADES)
    pad = 0.05 * (hi - lo or 1.0)
    return {"range": [lo - pad, hi + pad], "dtick": max(1, int(np.ceil((hi - lo) / LOSS_LABELS)))}


def lab_curves_figure(relu_hist, leaky_hist, leak: float, font_size: int = FONT_SIZE) -> dict:
    """Loss (top) and fraction of dead hidden units (bottom) per epoch, both networks,
    as two rows over one shared epoch axis (zooming one zooms both)."""
    text, ticks, scale = _sizes(font_size)
    epochs = np.arange(1, len(relu_hist.loss) + 1, dtype=np.float32)
    traces = []
    for hist, name, color, dash in (
        (relu_hist, "ReLU", RELU_COLOR, "dash"),
        (leaky_hist, f"Leaky ReLU ({leak:g})", LEAKY_COLOR, "solid"),
    ):
        line = {"color": color, "width": 3, "dash": dash}
        traces.append(
            {"type": "scatter", "mode": "lines", "name": name, "x": epochs, "line": line,
             "y": np.asarray(hist.loss, np.float32), "legendgroup": name,
             "hovertemplate": f"{name}<br>epoch %{{x}}<br>loss %{{y:.4g}}<extra></extra>"}
        )  # fmt: skip
        traces.append(
            {"type": "scatter", "mode": "lines", "name": name, "x": epochs, "line": line,
             "y": np.asarray(hist.dead, np.float32), "legendgroup": name, "showlegend": False,
             "yaxis": "y2",
             "hovertemplate": f"{name}<br>epoch %{{x}}<br>dead %{{y:.0%}}<extra></extra>"}
        )  # fmt: skip
    layout = {
        "template": {},  # no plotly default: the page theme applies
        "height": round(LAB_CURVES_HEIGHT * scale),
        "font": {"size": font_size},
        # Bottom margin: the epoch ticks and title, then the legend, pinned to the
        # figure's bottom edge ("container"), not placed relative to the plot. Plotly
        # wraps a horizontal legend wider than the plot: at 14 px both entries still
        # fit one line on a phone.
        "margin": {"l": round(60 * scale), "r": 12, "t": LAB_MODEBAR_STRIP,
                   "b": round(92 * scale)},
        "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom",
                   "x": 0, "xanchor": "left", "font": {"size": note_size(font_size)}},
        # One x axis for both rows, drawn under the bottom one: no epoch ticks between
        # the rows, so the gap can stay small.
        "xaxis": {"anchor": "y2", "title": {"text": "epoch", "standoff": 4, **text},
                  **ticks},
        # A log axis: a learning rate too large makes the loss spike to ~1000 for a few
        # epochs, which on a linear axis flattened the rest of both curves onto 0; and
        # late progress (0.01 -> 0.0002) shows too. Powers of ten, not SI prefixes.
        "yaxis": {"domain": [0.56, 1.0], "type": "log", "exponentformat": "power", **ticks,
                  "title": {"text": "loss (log)", "standoff": 4, **text}},
        "yaxis2": {"domain": [0.0, 0.44], "anchor": "x", "range": [0, 1], "tickformat": ".0%",
                   **ticks, "title": {"text": "dead units", "standoff": 4, **text}},
    }  # fmt: skip
    layout["yaxis"].update(loss_axis(relu_hist.loss, leaky_hist.loss))
    return {"data": traces, "layout": layout}


def lab_regions_figure(X, y, grids: list[tuple[str, tuple]], font_size: int = FONT_SIZE) -> dict:
    """Each network's class-1 probability over the plane, with the training points.

    Each panel is square and titled by its x-axis title, so the title sits right under
    its own panel at any width (a paper-placed title stays where it was put while the
    square panels shrink, and collides with its neighbour on a phone)."""
    text, _, scale = _sizes(font_size)
    traces: list[dict] = []
    layout: dict = {
        "template": {},  # no plotly default: the page theme applies
        "height": round(LAB_REGIONS_HEIGHT * scale),
        "font": {"size": font_size},
        "margin": {"l": 8, "r": 8, "t": LAB_MODEBAR_STRIP, "b": 8},
        "showlegend": False,
    }
    hidden = {"showgrid": False, "zeroline": False, "showline": False,
              "showticklabels": False, "ticks": ""}  # fmt: skip
    for i, (title, (gx, gy, prob)) in enumerate(grids):
        sx = "" if i == 0 else str(i + 1)
        left = i / len(grids) + 0.02
        right = (i + 1) / len(grids) - 0.02
        # constrain "domain": keeping the panel square shrinks its box (not its data
        # range), so the x axis, and its title, stay at the panel's bottom edge.
        layout[f"xaxis{sx}"] = {
            **hidden, "domain": [left, right], "anchor": f"y{sx}", "constrain": "domain",
            "title": {"text": title, "standoff": 6, **text},
        }  # fmt: skip
        layout[f"yaxis{sx}"] = {**hidden, "anchor": f"x{sx}", "scaleanchor": f"x{sx}",
                                "constrain": "domain"}  # fmt: skip
        traces.append(
            {"type": "heatmap", "x": gx.astype(np.float32), "y": gy.astype(np.float32),
             "z": prob.astype(np.float32), "zmin": 0, "zmax": 1, "showscale": False,
             "colorscale": [[0, RELU_COLOR], [0.5, "#f0f0f0"], [1, LEAKY_COLOR]],
             "opacity": 0.75, "xaxis": f"x{sx}", "yaxis": f"y{sx}",
             "hovertemplate": "P(class 1) = %{z:.2f}<extra></extra>"}
        )  # fmt: skip
        for label, color in ((0, RELU_COLOR), (1, LEAKY_COLOR)):
            pts = X[y == label].astype(np.float32)
            traces.append(
                {"type": "scatter", "mode": "markers", "x": pts[:, 0], "y": pts[:, 1],
                 "xaxis": f"x{sx}", "yaxis": f"y{sx}", "hoverinfo": "skip",
                 "marker": {"color": color, "size": 6, "line": {"width": 1, "color": "white"}}}
            )  # fmt: skip
    return {"data": traces, "layout": layout}
