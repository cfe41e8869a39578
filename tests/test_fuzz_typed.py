"""Hypothesis over what a student types or pastes into "Your own values": never an
exception; a message, a table, or (blank input) nothing; the graphs stay; and nothing
typed reaches the page as Markdown or HTML. A short run in `make test`; `make fuzz`
runs 10,000 cases.

One page serves every example (a fresh AppTest costs ~1 s, a typed rerun ~0.06 s): what
the box shows depends only on the text and the unmoved sliders, so examples stay
independent. Every page element that renders Markdown (text elements, and each widget's
label, help and placeholder) is compared with the page's own blank-box rendering: the
only additions allowed are the parser's message, checked against its templates, or the
table's caption, all digits."""

from __future__ import annotations

import os
import re
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import APP, n_charts
from relulab_app import parse

EXAMPLES = int(os.environ.get("RELULAB_FUZZ_EXAMPLES", "15"))

# Elements whose value the browser renders as Markdown (st.error and friends included).
MARKDOWN_VALUES = {"markdown", "caption", "latex", "title", "header", "subheader", "error",
                   "warning", "info", "success", "exception", "toast"}  # fmt: skip
MARKDOWN_ATTRS = ("label", "help", "placeholder")  # every widget's, Markdown too

# What the parser may say; a quoted token sits alone in one code span: no backtick, no
# line break, nothing invisible (see parse._shown).
TOKEN = r"`(?P<token>[^`\n]{1,200})`"
MESSAGES = [
    re.compile(rf"{TOKEN} at position \d+ is not a number"),
    re.compile(rf"{TOKEN} at position \d+ is beyond the largest float \(about 1\.8e308\)"),
    re.compile(r"`\]` at position \d+ closes nothing"),
    re.compile(r"`\[` at position \d+ is never closed"),
    re.compile(r"`[,;]` at position \d+ has an empty value (before|after) it"),
    re.compile(r"no numbers found: type some, e\.g\. 1, -2, 0\.5"),
    re.compile(r"more than 10,000 numbers \(the limit\); the 10,001th starts at position \d+"),
    re.compile(r"the text is longer than 100,000 characters \(the limit\)"),
]
CAPTION = re.compile(
    r"[\d,]+ values?; [\d,]+ of them drawn on the graphs \(finite ones inside the x-range, "
    r"at most 2,000\)\."
)

MARKUP = ["<b>x</b>", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "**bold**",
          "__u__", "*i*", "[link](javascript:alert(1))", "![i](http://x/i.png)", "$x$",
          "$$x^2$$", "`", "``", "```", "`1`", "|", "| a | b |", "|---|", "# h", "> q", "~~s~~",
          ":red[x]", ":material/home:", ":smile:", "\\", "\\`", "&lt;", "&#96;", "<!--", "-->",
          "\\(x\\)"]  # fmt: skip
ODD = ["\x00", "\u200f", "\u200e", "\u202e", "\u2066", "\u2069", "\u200b", "\u200d", "\ufeff",
       "\xa0", "\u3000", "\u2028", "\x85", "\x1b", "\x7f", "\u0301", "📈", "👨‍👩‍👧", "🇫🇷",
       "１２", "٣", "−1", "½", "²", "İnf", "ǅ"]  # fmt: skip
WORDS = ["nan", "NaN", "-nan", "inf", "-inf", "+inf", "Infinity", "-infinity", "1e309",
         "-1e309", "1e-400", "-0", "+0", "-0.0", ".5", "5.", "1e", "e5", "1e+", "--1", "+-1",
         "0x10", "1_000", "1,000", "2..5", "1.2.3", "4.9e-324", "1.7976931348623157e308",
         "None", "True", "__import__('os')", "x", "one"]  # fmt: skip
SEPARATORS = [",", ", ", ";", " ", "\n", "\r\n", "\r", "\t", " , ", ";\n", "\n\n", "[", "]",
              "[[", "]]", "[]", "], [", "]\n["]  # fmt: skip

NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda v: f"{v:.17e}"),
    st.integers(-(10**40), 10**40).map(str),
    st.builds(  # very long digit strings, signed, with a point or an exponent
        lambda sign, n, frac, exp: f"{sign}{'9' * n}{frac}{exp}",
        st.sampled_from(["", "-", "+"]),
        st.integers(1, 5_000),
        st.sampled_from(["", ".", ".5", "." + "3" * 400]),
        st.sampled_from(["", "e10", "e-5000", "e308", "E+99999"]),
    ),
)
PIECES = st.one_of(
    NUMBERS,
    st.sampled_from(SEPARATORS),
    st.sampled_from(WORDS),
    st.sampled_from(MARKUP),
    st.sampled_from(ODD),
    st.text(max_size=4),
)
MIXED = st.lists(PIECES, max_size=40).map("".join)
CLEAN = st.builds(  # what the parser reads: mostly tables, some refusals near the edges
    lambda values, sep, nest: (
        "[" + sep.join(f"[{v}]" for v in values) + "]" if nest else sep.join(values)
    ),
    st.lists(st.one_of(NUMBERS, st.sampled_from(WORDS[:14])), min_size=1, max_size=60),
    st.sampled_from([",", ", ", " ", "\n", ";", "\t", "\r\n", " ; ", "\xa0", "\u3000"]),
    st.booleans(),
)


def _repeat(text: str, times: int) -> str:
    return (text * min(times, parse.MAX_CHARS // max(len(text), 1) + 1))[: parse.MAX_CHARS]


# The text area holds at most parse.MAX_CHARS characters (max_chars); over-long text is
# tested on its own below.
TYPED = st.one_of(
    st.text(max_size=300),  # any code point but surrogates: control characters, NUL, RTL
    MIXED,
    CLEAN,
    st.builds(_repeat, MIXED | CLEAN, st.integers(1, 20_000)),  # a long paste, to the limit
).map(lambda text: text[: parse.MAX_CHARS])


def rendered(at) -> Counter:
    """Every string on the page that the browser renders as Markdown."""
    out: Counter = Counter()

    def walk(node) -> None:
        kind = getattr(node, "type", "")
        if kind in MARKDOWN_VALUES:
            out[(kind, "value", node.value)] += 1
        if kind not in ("plotly_chart", "dataframe", "bidi_component"):
            for attr in MARKDOWN_ATTRS:
                text = getattr(node, attr, None)
                if isinstance(text, str) and text:
                    out[(kind, attr, text)] += 1
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    return out


@pytest.fixture(scope="module")
def page():
    """The page with "Your own values" open and empty, and what it renders so."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.session_state["own"] = True
    at.run()
    assert not at.exception and at.text_area(key="values").value == ""
    return at, rendered(at)


def check_typed(page, text: str) -> str:
    at, blank = page
    at.text_area(key="values").set_value(text).run()
    assert not at.exception, (text, at.exception)
    assert n_charts(at) == 2
    kept = at.text_area(key="values").value
    assert kept == text  # nothing cut or dropped: whatever arrives, the parser judges
    shown = rendered(at)
    assert not blank - shown, "something on the page disappeared"
    added = shown - blank
    try:
        values, message = parse.parse_values(kept), None
    except parse.ParseError as err:
        values, message = None, str(err)

    if not kept.strip():  # blank: nothing shown
        assert not added and not at.error and not at.dataframe
        return "blank"
    elif message is not None:  # refused: the parser's message, and only that
        assert [e.value for e in at.error] == [message] and not at.dataframe
        assert added == Counter({("error", "value", message): 1}), added
        assert any(m.fullmatch(message) for m in MESSAGES), message
        assert message.isprintable(), message
        _assert_inert(message)
        return "refused: " + re.sub(r"`.*`|\d[\d,]*", "_", message)
    else:  # read: the table, its caption, the download button
        assert not at.error and len(at.dataframe) == 1
        table = at.dataframe[0].value
        assert np.array_equal(table["x"].to_numpy(dtype=float), values, equal_nan=True)
        (caption,) = [c for (kind, _, c) in added if kind == "caption"]
        assert CAPTION.fullmatch(caption), caption
        assert added == Counter(
            {("caption", "value", caption): 1, ("download_button", "label", "Download as CSV"): 1}
        ), added
        return "tabled"


def _assert_inert(message: str) -> None:
    """Outside its one code span the message holds no character Markdown or HTML acts
    on; inside, no backtick that could end the span early and nothing invisible."""
    match = re.match(TOKEN, message)
    outside = message[match.end() :] if match else message
    assert not set(outside) & set("<>*_[]$|`~\\&!"), message
    if match:
        assert "`" not in match["token"] and match["token"].isprintable(), message


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=EXAMPLES <= 15,  # the quick run is the same every time
)
@given(TYPED)
def test_any_typed_text_gives_a_working_page(page, text):
    event(check_typed(page, text))  # --hypothesis-show-statistics counts the outcomes


HOSTILE = {
    "markup": "".join(MARKUP),
    "markup spaced": " ".join(MARKUP),
    "odd characters": "1, " + ", ".join(ODD),
    "words": "\n".join(WORDS),
    "script": "<script>alert(1)</script>, 1",
    "zero-width space": "1, 2\u200b",  # reads as two numbers: the message shows the space
    "unicode spaces": "1\xa02\u30003",  # pasted no-break and ideographic spaces separate
    "blank": " \n\t\u3000\xa0",
    "deep brackets": "[" * 5000 + "1" + "]" * 5000,
    "longest digits": "9" * parse.MAX_CHARS,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_known_hostile_inputs(page, text):
    check_typed(page, text)


@pytest.mark.parametrize(
    "text",
    [
        "9" * (parse.MAX_CHARS + 10),
        "1, " * (parse.MAX_CHARS // 3 + 10),
        "0.12345678, " * 8333 + "0.123456789012",  # the last number crosses the limit
    ],
    ids=["digits", "numbers", "a number across the limit"],
)
def test_over_long_text_is_refused_not_cut(page, text):
    # A text area with max_chars makes the browser refuse or cut a longer paste without
    # a word (and Streamlit's server cuts a longer value too). The box has no max_chars,
    # so an over-long paste reaches the parser and gets its message.
    assert len(text) > parse.MAX_CHARS
    check_typed(page, text)
    assert [e.value for e in page[0].error] == [
        "the text is longer than 100,000 characters (the limit)"
    ]
