"""Why Leaky ReLU exists: the dying-ReLU lab. Trains one network with ReLU and one with
Leaky ReLU from the same weights; its own fragment, rendered only when opened.

The Leaky ReLU network trains at the page's leak where the view has a leak slider (the
article's view), and at the lab's own leak slider elsewhere; the lab always says which.
Its settings live in the URL (``lab=1&lab_preset=lr&lab_lr=2&...``) so a teacher can
share the run they showed."""

from __future__ import annotations

import streamlit as st

from relulab_app import common, figures, lab, quiz_view, urlstate

LEARNING_RATES = [0.001, 0.01, 0.05, 0.1, 0.5, 1.0, 2.0]
# Short URL names for the presets; the page shows the long ones.
PRESET_SLUGS = dict(zip(("bias", "lr", "healthy"), lab.PRESETS, strict=True))
SLIDERS = {  # key: (label, min, max, step, Setting field)
    "lab_bias": ("initial bias shift", -3.0, 1.0, 0.25, "bias_shift"),
    "lab_width": ("hidden width", 4, 64, 4, "width"),
    "lab_epochs": ("epochs", 50, 600, 50, "epochs"),
}


def _preset_values(slug: str) -> dict[str, object]:
    base = lab.PRESETS[PRESET_SLUGS[slug]]
    values = {key: getattr(base, spec[4]) for key, spec in SLIDERS.items()}
    return {"lab_lr": base.learning_rate, **values}


# The settings live under their own key as well as the widgets': the lab draws its
# widgets only while open, and Streamlit forgets the state of a widget not drawn, so
# closing the lab would otherwise lose them (and the URL with them).
_KEPT = "_lab_kept"
KEYS = ("lab_preset", "lab_lr", *SLIDERS, "lab_leak")


def _kept() -> dict[str, object]:
    if _KEPT not in st.session_state:
        st.session_state[_KEPT] = {
            "lab_preset": "bias",
            **_preset_values("bias"),
            "lab_leak": urlstate.LEAK_DEFAULT,
        }
    return st.session_state[_KEPT]


def open_with(slug: str) -> None:
    """Open the lab at a preset (from a callback, e.g. the quiz posing a question)."""
    kept = _kept()
    kept.update({"lab_preset": slug, **_preset_values(slug)})
    for key in KEYS:
        st.session_state.pop(key, None)  # the widgets start from the kept settings
    st.session_state["lab"] = True


def _apply_preset() -> None:
    st.session_state.update(_preset_values(st.session_state["lab_preset"]))


def seed(url: urlstate.Link) -> None:
    """On a session's first run, before any widget: the lab's settings from the link,
    checked like every URL value (a bad one gets a notice and the preset's value)."""
    if not url.unread or _KEPT in st.session_state:
        return
    kept = _kept()
    opened, repair = urlstate.check_flag("lab", url.values("lab"))
    url.check("lab", repair)
    st.session_state["lab"] = opened
    raw = url.values("lab_preset")
    url.check("lab_preset", urlstate.check_choice("lab_preset", raw, list(PRESET_SLUGS), "bias"))
    if len(raw) == 1 and (slug := urlstate.match_choice(raw[0], list(PRESET_SLUGS))):
        kept["lab_preset"] = slug
        kept.update(_preset_values(slug))

    def take_number(key: str, bounds: tuple[float, float], step: float) -> None:
        got = url.values(key)
        repair = urlstate.check_number(key, got, kept[key], bounds, step)
        url.check(key, repair)
        if repair is None and got:
            kept[key] = type(kept[key])(urlstate.parse_number(got[0]))
        elif repair is not None and repair.value is not None:
            kept[key] = type(kept[key])(repair.value)

    for key, (_, lo, hi, step, _) in SLIDERS.items():
        take_number(key, (lo, hi), step)
    got = url.values("lab_lr")
    if got:
        number = urlstate.parse_number(got[0]) if len(got) == 1 else None
        if number in LEARNING_RATES:
            kept["lab_lr"] = number
        else:
            url.check(
                "lab_lr",
                urlstate.Repair(
                    None,
                    "The link’s lab_lr is not one of the lab's learning rates; "
                    f"using {kept['lab_lr']:g}.",
                ),
            )
    take_number("lab_leak", urlstate.LEAK_BOUNDS, urlstate.LEAK_STEP)


def _text(value: object) -> str:
    return value if isinstance(value, str) else f"{value:g}"


def _sync_url(page_leak: float | None) -> None:
    """The lab's settings in the address bar while open and not at their defaults (the
    numbers at the chosen preset's)."""
    kept = _kept()
    opened = bool(st.session_state.get("lab"))
    common.sync_url("lab", "1" if opened else None, None)
    defaults = {
        "lab_preset": "bias",
        **_preset_values(kept["lab_preset"]),
        "lab_leak": urlstate.LEAK_DEFAULT,
    }
    for key, default in defaults.items():
        shown = opened and not (key == "lab_leak" and page_leak is not None)
        common.sync_url(key, _text(kept[key]) if shown else None, _text(default))


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


def follow(page_leak: float | None) -> None:
    """Called by the explorer after it drew its view: the view's leak (None: it has
    none). The lab is its own fragment, so a leak move (the explorer's fragment alone)
    does not rerun it: while the lab is open and trained with another leak, the whole
    page then reruns (once), so the lab retrains with the leak the page shows. In a run
    of the whole page the lab's fragment runs after the explorer anyway: no second run."""
    before = st.session_state.get("_page_leak")
    st.session_state["_page_leak"] = page_leak
    if st.session_state.get("lab") and before != page_leak and common.fragment_run():
        st.rerun(scope="app")


@st.fragment
def show() -> None:
    """Its own fragment: training never blocks the explorer above."""
    page_leak = st.session_state.get("_page_leak")  # the article view's leak, if shown
    box = st.expander(
        "Open the lab: train one network with ReLU and one with Leaky ReLU",
        key="lab",
        on_change="rerun",
    )
    if not box.open:
        _sync_url(page_leak)
        return
    kept = _kept()
    for key in KEYS:  # reopened: the widgets start from the kept settings
        if key not in st.session_state:
            st.session_state[key] = kept[key]
    row = box.container(horizontal=True)
    row.selectbox(
        "Preset",
        list(PRESET_SLUGS),
        format_func=PRESET_SLUGS.get,
        key="lab_preset",
        on_change=_apply_preset,
        width=320,
    )
    if page_leak is None:
        leak = row.slider(
            "leak of the Leaky ReLU network",
            *urlstate.LEAK_BOUNDS,
            step=urlstate.LEAK_STEP,
            key="lab_leak",
            help="This view has no leak slider, so the lab has its own.",
        )
    else:
        leak = page_leak
    c1, c2, c3, c4 = box.columns(4)
    lr = c1.select_slider("learning rate", LEARNING_RATES, key="lab_lr")
    shift, width, epochs = (
        column.slider(label, lo, hi, step=step, key=key)
        for column, (key, (label, lo, hi, step, _)) in zip(
            (c2, c3, c4), SLIDERS.items(), strict=True
        )
    )
    kept.update({key: st.session_state[key] for key in KEYS if key in st.session_state})
    _sync_url(page_leak)
    source = "the page's leak slider" if page_leak is not None else "the lab's leak slider"
    box.caption(f"Leaky ReLU trains with leak = **{leak:g}**, from {source}.")
    if leak == 0:
        box.info("The leak is 0, so both networks are ReLU.", icon=":material/info:")
    setting = lab.Setting(
        leak=float(leak), learning_rate=lr, bias_shift=shift, width=width, epochs=epochs
    )
    with common.contained(
        box,
        "The lab could not train this time. The rest of the page works; try another "
        "preset or setting, or reload the page.",
        f"dying-ReLU lab failed for {setting}",
    ):
        if quiz_view.hidden(quiz_view.Hide.LAB_RESULT):
            box.info(
                "The lab's result is hidden until you answer the question above.",
                icon=":material/visibility_off:",
            )
            return
        result = _train_pair(setting)
        relu_h, leaky_h = result["relu"], result["leaky"]
        font = common.font_size()
        curves = figures.lab_curves_figure(relu_h, leaky_h, leak, font)
        common.plotly_chart(box, curves, "lab_curves")
        regions = figures.lab_regions_figure(
            result["X"],
            result["y"],
            [("ReLU", result["relu_grid"]), (f"Leaky ReLU ({leak:g})", result["leaky_grid"])],
            font,
        )
        box.markdown(
            f"Decision regions, left **ReLU: {relu_h.accuracy:.0%} right**, right **Leaky "
            f"ReLU ({leak:g}): {leaky_h.accuracy:.0%} right**."
        )
        common.plotly_chart(box, regions, "lab_regions")
        box.markdown(lab.dead_units_text(setting, relu_h, leaky_h))
