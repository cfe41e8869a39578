"""How a figure reaches the browser: plain specs (the chart element encodes them with
:mod:`relulab_app.wire`), and :class:`SpecFigure` for ``st.plotly_chart`` (the lab)."""

from __future__ import annotations

import pickle

import plotly.graph_objects as go
from _plotly_utils.basevalidators import is_homogeneous_array
from _plotly_utils.utils import is_skipped_key, to_typed_array_spec


class SpecFigure(go.Figure):
    """A ``go.Figure`` that keeps the plain spec it is built from and builds itself on use.

    ``st.plotly_chart`` only calls ``to_dict()`` and serialises the result; for a figure
    that is the spec itself, so a slider move skips building plotly's object tree and
    deep-copying it back out (docs/performance.md has the measurements). Any other
    use (``fig.data``, ``fig.update_layout(...)``, ``fig.show()``, pickling) builds the
    full figure first, so to notebooks and tests it is an ordinary ``go.Figure``.
    """

    def __init__(self, spec: dict, plain: bool = False) -> None:
        # vars(): past BaseFigure.__setattr__, which would build
        vars(self)["_spec"] = spec
        vars(self)["_plain"] = plain

    def _build(self) -> None:
        spec = vars(self).pop("_spec", None)
        if spec is not None:
            go.Figure.__init__(self, spec, _validate=False)

    def __getattr__(self, name: str):
        # Only reached for attributes not set yet: build once, then look again.
        if "_spec" not in vars(self):
            raise AttributeError(name)
        self._build()
        return getattr(self, name)

    def to_dict(self) -> dict:
        spec = vars(self).get("_spec")
        if spec is None:
            return super().to_dict()
        if vars(self)["_plain"]:
            # Only dicts, lists, strings and numbers (its builder says so, and a test
            # checks): a copy is all there is to do, and pickle's is 5x faster than _wire.
            return pickle.loads(pickle.dumps(spec, pickle.HIGHEST_PROTOCOL))
        return _wire(spec)

    def __reduce__(self):
        # Copies and pickles come back as plain, built go.Figures.
        self._build()
        return (go.Figure, super().__reduce__()[1])


def _wire(obj):
    """What go.Figure.to_dict gives for a spec, in one pass: new dicts and lists, and numpy
    arrays as base64 typed arrays under plotly's own rules (its ``convert_to_base64``
    converts dict values only, skips a few keys, and walks every number of every list)."""
    if isinstance(obj, dict):
        return {
            k: v
            if is_skipped_key(k)
            else to_typed_array_spec(v)
            if is_homogeneous_array(v)
            else _wire(v)
            for k, v in obj.items()
        }
    if isinstance(obj, list | tuple):
        if any(isinstance(v, dict | list | tuple) for v in obj):
            return [_wire(v) for v in obj]
        return list(obj)  # numbers or strings: nothing inside to convert
    return obj


def _figure(traces: list[dict], layout: dict, plain: bool = False) -> go.Figure:
    # Plotly's validation costs ~5 ms a figure, on every slider move. The dicts built
    # here are fixed in shape, and tests/test_figures.py validates every one of them.
    # `plain`: the spec holds no numpy arrays (nothing for plotly to convert).
    return SpecFigure({"data": traces, "layout": layout}, plain)


def spec(fig: go.Figure) -> dict:
    """The plain ``{"data", "layout"}`` a builder made, without plotly's conversion (the
    chart element encodes it itself, see :mod:`relulab_app.wire`)."""
    raw = vars(fig).get("_spec")
    return raw if raw is not None else fig.to_dict()


def hover_refs(
    f_fig: go.Figure, df_fig: go.Figure, curves: list[tuple[str, dict[float, float]]]
) -> list[dict]:
    """For each (name, f′ at each kink drawn) the indices of the line traces named
    ``name`` in the function and the derivative figure: the chart element reads f and
    f′ at the cursor's x from them, and f′ at exactly a kink from the values given.

    >>> from relulab_app.figures import derivative_figure, function_figure
    >>> f, df = function_figure(0.1, (-5, 5)), derivative_figure(0.1, (-5, 5))
    >>> hover_refs(f, df, [("ReLU", {0.0: 0.0})])
    [{'name': 'ReLU', 'f': [0, 1], 'df': [1, 1], 'kinks': [[0.0, 0.0]]}]
    """

    def index(fig: go.Figure, name: str) -> int:
        data = spec(fig)["data"]
        return next(
            i
            for i, t in enumerate(data)
            if t.get("name") == name and t.get("mode") == "lines" and t.get("meta") != "inset"
        )

    return [
        {
            "name": name,
            "f": [0, index(f_fig, name)],
            "df": [1, index(df_fig, name)],
            "kinks": [[x, v] for x, v in kinks.items()],
        }
        for name, kinks in curves
    ]
