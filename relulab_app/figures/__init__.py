"""Plotly figures of ReLU / Leaky ReLU and their derivatives, as plain
``{"data", "layout"}`` dicts. Pure: no Streamlit here.

The article's curves are exact polylines through their kinks, the catalogue's are
sampled (:mod:`relulab_app.sampling`); a derivative is drawn in pieces with a gap at
each jump, a closed dot on the value taken there and an open one on the limit not taken.

Hover along the lines is the chart element's (``relulab_app/webchart/chart.js``): it reads
f and f′ at the cursor's x from these same vertices, named for it by :func:`hover_refs`.
Marked points (the article's examples, the student's values) carry their own labels,
rounded to 4 significant digits; full precision stays in the tables and the CSV.

The builders live by concern: :mod:`relulab_app.figures.article`, :mod:`~.catalogue`,
:mod:`~.lab`, :mod:`~.poll` (the class poll's chart), and what they share in ``_common``.
Everything is importable from here.
"""

from relulab_app.figures._common import (
    FONT_SIZE,
    HEIGHT,
    LEAKY_COLOR,
    OWN_COLOR,
    OWN_MAX_DRAWN,
    POINT_COLOR,
    PRESENT_FONT_SIZE,
    RELU_COLOR,
    answer_trace,
    hidden_figure,
    hover_refs,
    own_points,
)
from relulab_app.figures.article import (
    article_hover,
    derivative_figure,
    function_figure,
    kink_dots,
    vertices,
)
from relulab_app.figures.catalogue import (
    DASHES,
    PALETTE,
    SAMPLES,
    ZOOM_HEADROOM,
    catalogue_figures,
    catalogue_hover,
    entry_label,
    overlay_line,
    sample_x,
)
from relulab_app.figures.lab import lab_curves_figure, lab_regions_figure
from relulab_app.figures.poll import tally_figure

__all__ = [
    "DASHES",
    "FONT_SIZE",
    "HEIGHT",
    "LEAKY_COLOR",
    "OWN_COLOR",
    "OWN_MAX_DRAWN",
    "PALETTE",
    "POINT_COLOR",
    "PRESENT_FONT_SIZE",
    "RELU_COLOR",
    "SAMPLES",
    "ZOOM_HEADROOM",
    "answer_trace",
    "article_hover",
    "catalogue_figures",
    "catalogue_hover",
    "derivative_figure",
    "entry_label",
    "function_figure",
    "hidden_figure",
    "hover_refs",
    "kink_dots",
    "lab_curves_figure",
    "lab_regions_figure",
    "overlay_line",
    "own_points",
    "sample_x",
    "tally_figure",
    "vertices",
]
