"""The rows above the instrument: title, present switch, activation picker, convention.

Outside the explorer's fragment, so a slider move does not re-send them; changing
them reruns the whole page. ``act``, ``kink``, ``show`` and ``present`` keep short
values in the URL (Streamlit's binding would write the displayed labels), so they are
seeded from the link here and written back below."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from relulab import frameworks, registry
from relulab_app import classroom_view, common, link, quiz_view, share, urlstate
from relulab_app.explorer import DEFAULT, VIEWS
from relulab_app.quiz_view import Hide

CONVENTION_NAMES = {
    frameworks.LEFT: "x ≤ 0 side (article, PyTorch)",
    frameworks.TENSORFLOW: "TensorFlow",
    frameworks.JAX: "JAX",
}
# Where TensorFlow takes the x ≤ 0 side too (every activation on show but its PReLU
# layer and SELU), the switch has no TensorFlow option and that side names it: a third
# option would say nothing new and push the charts down a line on a phone.
LEFT_WITH_TF = "x ≤ 0 side (article, PyTorch, TF)"


def _kinks(view: str) -> list:
    on_show = VIEWS[view].keys()  # a function of the row (compare: its chosen entries)
    acts = [registry.REGISTRY[k] for k in on_show if k in registry.REGISTRY]
    return [kink for act in acts for kink in act.kinks]


def _tensorflow_differs(view: str) -> bool:
    """Whether TensorFlow's f′(0) differs from the x ≤ 0 side's for what is on show."""
    return any("TensorFlow" in kink.by for kink in _kinks(view))


def _switch_matters(view: str) -> bool:
    """Whether some library's f′ at a kink of what is on show differs from the x ≤ 0
    side's. Compare's entries change inside the explorer's fragment, after this switch is
    drawn, so there it always matters."""
    return view == "compare" or any(kink.by for kink in _kinks(view))


# While a question asks for a framework's f′(0), a stand-in takes the switch's place: it
# shows neither which side each option takes nor which is chosen. Not the switch with
# its labels blanked: two equal labels are one value to Streamlit, which would read the
# chosen side back as the last option's (JAX) and lose the selection at the reveal.
HIDDEN_CONVENTION = "hidden until you answer"
# Present mode's style sheet: sent only while present mode is on (it says what it does).
PRESENT_CSS = Path(__file__).with_name("present.css")


def _seed_from_link(url: urlstate.Link) -> None:
    """On the session's first run, before the widgets exist."""
    if len(url.values("act")) == 1 and (
        v := urlstate.match_choice(url.values("act")[0], list(VIEWS))
    ):
        st.session_state["act"] = v
    kink = url.values("kink")
    if len(kink) == 1 and (v := urlstate.match_choice(kink[0], list(CONVENTION_NAMES))):
        st.session_state["kink"] = v
    if url.values("show"):
        shown = {urlstate.match_choice(s, list(registry.REGISTRY)) for s in url.values("show")}
        st.session_state["show"] = [k for k in registry.REGISTRY if k in shown]


def view_controls() -> tuple[str, str]:
    url = link.current()
    if url.unread and "act" not in st.session_state:
        _seed_from_link(url)
    # Apart from the view's settings, which a quiz question from the link may have set
    # already (quiz=1): present mode is the teacher's, whatever the question shows.
    if url.unread and "present" not in st.session_state:
        st.session_state["present"], repair = urlstate.check_flag("present", url.values("present"))
        url.check("present", repair)

    # Two compact rows above the instrument (they wrap on a phone): the title with the
    # present switch and the share button (present mode leaves the title out), then the
    # picker with the convention at the kink.
    top = st.container(horizontal=True, vertical_alignment="center", gap="small")
    if not st.session_state.get("present", False):
        top.title("ReLU Lab", anchor=False, width="content")
    row = st.container(horizontal=True, vertical_alignment="bottom", gap="medium")
    quiz_view.toggle(top)
    top.toggle(
        "Present",
        key="present",
        width="content",
        help="For a projector: hides the explanations and draws the charts as large as "
        "the screen allows, with larger text. The link keeps it (present=1).",
    )
    # Wide enough for the longest name at present mode's larger text (present.css).
    width = 400 if st.session_state["present"] else 300
    view = row.selectbox(
        "Activation", list(VIEWS), format_func=lambda v: VIEWS[v].label, key="act", width=width
    )
    # A question about the frameworks' value at 0 must not find it in these labels.
    label = "Derivative at exactly x = 0"
    if quiz_view.hidden(Hide.FRAMEWORK_FACTS):
        row.radio(label, [HIDDEN_CONVENTION], index=None, disabled=True, key="kink_hidden")
        convention = st.session_state.get("kink", frameworks.LEFT)  # the question's
    else:
        names = dict(CONVENTION_NAMES)
        if not _tensorflow_differs(view):
            del names[frameworks.TENSORFLOW]
            names[frameworks.LEFT] = LEFT_WITH_TF
            if st.session_state.get("kink") == frameworks.TENSORFLOW:
                st.session_state["kink"] = frameworks.LEFT  # the same values here
        matters = _switch_matters(view)
        convention = row.radio(
            label,
            list(names),
            format_func=names.get,
            key="kink",
            horizontal=True,
            width="content",
            # Kept while the stand-in shows, so the reveal shows the question's side.
            persist_state="page",
            # Off (its choice kept for the next view) where it would change nothing.
            disabled=not matters,
            help="Where f′ jumps at 0 it has no single value there. The article and "
            "PyTorch take the x ≤ 0 branch; TensorFlow does too, except its PReLU layer "
            "(0 at 0) and SELU (λ); JAX's leaky_relu takes the x > 0 one."
            + ("" if matters else " Here every library takes the same value: nothing to switch."),
        )
    url.check(
        "act", urlstate.check_choice("act", url.values("act"), list(VIEWS), VIEWS[view].label)
    )
    url.check(
        "kink",
        urlstate.check_choice(
            "kink", url.values("kink"), list(CONVENTION_NAMES), CONVENTION_NAMES[convention]
        ),
    )
    common.sync_url("act", view, DEFAULT)
    common.sync_url("present", "1" if st.session_state["present"] else None, None)
    if st.session_state["present"]:
        st.html(PRESENT_CSS)  # style only: Streamlit puts it where it takes no room
    common.sync_url("kink", convention, frameworks.LEFT)
    common.sync_url("quiz", "1" if st.session_state.get("quiz") else None, None)
    for key in {k for v in VIEWS.values() for k in v.link} - set(VIEWS[view].link):
        common.sync_url(key, None, None)
    share.share_button(top)  # after the syncs above: the link as it now is
    classroom_view.class_button(top)
    return view, convention
