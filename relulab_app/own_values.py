"""Your own values: numbers a student types or pastes, read by relulab_app.parse (never
evaluated), with f, f′ and the np.where branch for each, on the charts and as CSV."""

from __future__ import annotations

import functools

import streamlit as st

from relulab_app import examples, figures, parse, quiz_view
from relulab_app.quiz_view import Hide

# The text lives under its own key, not only the text area's: the box renders its
# widgets only while open, and Streamlit forgets the state of a widget that is not
# drawn, so closing the box would otherwise wipe what was typed.
_TEXT = "_own_text"


def _keep_text() -> None:
    st.session_state[_TEXT] = st.session_state.get("values", "")


def _clear() -> None:
    st.session_state[_TEXT] = st.session_state["values"] = ""


def _preset(example: int) -> None:
    """The article's example: its array, and the leak slider at the article's leak for
    it, so the results are the article's (the table's headers say the leak)."""
    ex = examples.EXAMPLES[example]
    st.session_state[_TEXT] = st.session_state["values"] = (
        "[" + ", ".join(f"[{v:g}]" for v in ex.x[:, 0]) + "]"
    )
    st.session_state["leak"] = ex.leak


def parsed() -> tuple:
    """The student's numbers, parsed, or the parser's message (None, None: no text).

    Parsed once per text, not on every slider move (10,000 numbers take ~35 ms)."""
    text = st.session_state.get(_TEXT, "")
    if not text.strip():
        return None, None
    parsed_text, result = st.session_state.get("_own_parsed", (None, None))
    if parsed_text != text:
        try:
            result = parse.parse_values(text), None
        except parse.ParseError as err:
            result = None, str(err)
        st.session_state["_own_parsed"] = (text, result)
    return result


def box(leak: float, convention: str, values, error, drawn: int) -> None:
    """Type or paste numbers; the box's widgets render only while it is open, and closing
    it keeps the numbers (the Clear button clears them)."""
    box = st.expander(
        "Your own values: type or paste numbers, see f(x) and f′(x)",
        key="own",
        on_change="rerun",
    )
    if not box.open:
        return
    if "values" not in st.session_state:  # reopened: the text area starts from the kept text
        st.session_state["values"] = st.session_state.get(_TEXT, "")
    buttons = box.container(horizontal=True)
    for i, ex in enumerate(examples.EXAMPLES):
        buttons.button(
            f"Example {i + 1} (the article's array, leak {ex.leak:g})",
            on_click=_preset,
            args=(i,),
            help="Sets the leak slider to the article's leak for this array.",
        )
    buttons.button("Clear", on_click=_clear, icon=":material/backspace:")
    box.text_area(
        "Numbers",
        key="values",
        height=110,
        # No max_chars: the browser's maxlength would refuse or cut a long paste with no
        # message; the parser refuses anything over its limit with one.
        on_change=_keep_text,
        placeholder="[[0.11], [-2.2], [0]]   or   1, -2, 3   or one per line; nan, inf, 1e-3",
        help=f"Up to {parse.MAX_VALUES:,} numbers and {parse.MAX_CHARS:,} characters. "
        "Brackets, commas, semicolons, spaces and new lines all separate numbers.",
    )
    if error:
        box.error(error, icon=":material/error:")
        return
    if values is None:
        return
    if any(quiz_view.hidden(h) for h in (Hide.TABLES, Hide.FUNCTION_CHART, Hide.DERIVATIVE_CHART)):
        # f and f′ of any typed x would answer the open question.
        box.info("The results are hidden until you answer the question above.")
        return
    cols = parse.results_table(values, leak, convention)
    if note := parse.comma_note(st.session_state.get(_TEXT, "")):
        box.info(note, icon=":material/info:")
    n = len(values)
    box.caption(
        f"{n:,} value{'' if n == 1 else 's'}; {drawn:,} of them drawn on the graphs (finite "
        f"ones inside the x-range, at most {figures.OWN_MAX_DRAWN:,})."
    )
    box.dataframe(cols, hide_index=True, width="stretch", height=min(400, 38 + 35 * n))
    box.download_button(
        "Download as CSV",
        functools.partial(parse.to_csv, cols),  # built when clicked, not on every rerun
        "relulab_values.csv",
        "text/csv",
        icon=":material/download:",
    )
