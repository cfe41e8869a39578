"""The quiz's questions and their checking (relulab_app.quiz): every kind for many seeds, each
answer against an independent reference, answers typed every honest way and every
hostile way, and neighbours getting other values.

References are written from the definitions in plain Python (``x if x > 0 else leak * x``)
or from the frameworks' documented behaviour (PyTorch's leaky_relu gives the slope at 0,
JAX's gives 1), never by calling the library's implementation. The lab question is the
exception on purpose: its property is "the quiz reports what the lab computes", so the
test runs the lab's training itself and compares.
"""

from __future__ import annotations

import ast
import itertools
import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relulab.frameworks import JAX, LEFT
from relulab.registry import REGISTRY
from relulab_app import lab, quiz
from relulab_app.examples import EXAMPLES

ROOT = Path(__file__).resolve().parent.parent
SEEDS = range(120)
NUMBER_KINDS = [k for k in quiz.KINDS if quiz.make(k, 0).answer_type == quiz.NUMBER]
CHOICE_KINDS = [k for k in quiz.KINDS if quiz.make(k, 0).answer_type == quiz.CHOICE]


def ref_f(x: float, leak: float) -> float:
    return x if x > 0 else leak * x


def ref_df(x: float, leak: float) -> float:
    return 1.0 if x > 0 else leak  # the article's convention: the x <= 0 side at 0


def all_questions():
    return [quiz.make(kind, seed) for kind in quiz.KINDS for seed in SEEDS]


QUESTIONS = all_questions()


# --- every question is well formed -----------------------------------------------


def test_at_least_eight_kinds_each_with_a_title():
    assert len(quiz.KINDS) >= 8
    assert set(quiz.KINDS) == set(quiz.KIND_TITLES)
    assert {"number", "choice"} == {quiz.make(k, 0).answer_type for k in quiz.KINDS}


def _outside_code(text: str) -> str:
    assert text.count("`") % 2 == 0, text
    return re.sub(r"`[^`]*`", "", text)


def assert_markdown_safe(text: str) -> None:
    """Text the page renders as Markdown reads as written: no leftover format fields, no
    LaTeX, no HTML, links, emphasis, emoji shortcodes or colour directives outside code."""
    assert text and text == text.strip() and "\n" not in text
    assert "{" not in text and "}" not in text, text
    rest = _outside_code(text)
    assert "$" not in rest and "_" not in rest and "~" not in rest, text
    assert not re.search(r"(?<! )\*|\*(?! )", rest), text  # only " * ", never emphasis
    assert not re.search(r"<[A-Za-z/!]|\]\(|:[a-z0-9_+-]+:|:[a-z]+\[", rest), text
    assert not re.match(r"[#>|=]|[-+*] |\d+[.)] ", rest), text  # a heading, quote, list


@pytest.mark.parametrize("q", QUESTIONS, ids=lambda q: q.id)
def test_every_question_is_well_formed(q):
    assert re.fullmatch(r"[a-z0-9_]+-[0-9]+", q.id) and q.id == f"{q.kind}-{q.seed}"
    assert q.hides and q.hides <= set(quiz.HIDES)
    for text in (q.prompt, q.explanation, *q.choices):
        assert_markdown_safe(text)
    # the explanation is one sentence
    assert len(re.findall(r"[.!?](?:\s|$)", _outside_code(q.explanation))) == 1, q.explanation
    json.dumps({"show": q.show, "reveal": q.reveal})  # a page may keep them anywhere
    assert q.reveal.get("chart") in ("function", "derivative", "lab")
    hash(q)
    if q.answer_type == quiz.NUMBER:
        assert isinstance(q.answer, float) and q.tolerance > 0 and not q.choices
        assert f"within {q.tolerance:g}" in q.prompt  # the tolerance is stated
        assert q.answer == q.answer and abs(q.answer) < 1e300
    else:
        assert q.answer_type == quiz.CHOICE and isinstance(q.answer, str)
        assert len(q.choices) >= 2 and len(set(q.choices)) == len(q.choices)
        assert q.choices.count(q.answer) == 1
    assert quiz.make(q.kind, q.seed) == q and quiz.from_id(q.id) == q


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(quiz.KINDS), seed=st.integers(0, 2**64 - 1))
def test_any_seed_makes_a_question_that_its_own_answer_passes(kind, seed):
    q = quiz.make(kind, seed)
    assert quiz.from_id(q.id) == q
    assert_markdown_safe(q.prompt)
    raw = repr(q.answer) if q.answer_type == quiz.NUMBER else q.answer
    result = quiz.check(q, raw)
    assert result.correct and q.answer_text in result.message and q.explanation in result.message


# --- each answer, against an independent reference -------------------------------


def by_kind(kind):
    return [q for q in QUESTIONS if q.kind == kind]


def _leak_in_prompt(q, leak):
    if leak == 0:
        assert "ReLU, that is `relu(x)`" in q.prompt
    else:
        assert f"leak = {leak:g}," in q.prompt


def test_f_at_x_against_the_definition():
    for q in by_kind("f_at_x"):
        x, leak = q.show["x"], q.show["leak"]
        assert f"f({x:g})?" in q.prompt
        _leak_in_prompt(q, leak)
        assert q.answer == pytest.approx(ref_f(x, leak), abs=1e-12)
        assert q.reveal["y"] == q.answer and q.show["x_range"][0] <= x <= q.show["x_range"][1]


def test_df_at_x_against_the_definition_and_states_the_convention_at_0():
    xs = set()
    for q in by_kind("df_at_x"):
        x, leak = q.show["x"], q.show["leak"]
        xs.add(x)
        assert f"f′({x:g})?" in q.prompt
        _leak_in_prompt(q, leak)
        assert q.answer == ref_df(x, leak)
        assert ("convention" in q.prompt) == (x == 0)
    assert 0.0 in xs  # the kink is asked about


def test_article_array_against_the_article_values():
    seen = set()
    for q in by_kind("article_array"):
        example, x, leak = EXAMPLES[q.show["example"]], q.show["x"], q.show["leak"]
        column = [float(v) for v in example.x[:, 0]]
        row = int(re.search(r"in row (\d+),", q.prompt)[1])
        assert column[row - 1] == x
        assert "x = `[[" + "], [".join(f"{v:g}" for v in column) + "]]`" in q.prompt
        deriv = "`relu_dash(x, " in q.prompt
        assert (f"`relu_dash(x, {leak:g})`" if deriv else f"`relu(x, {leak:g})`") in q.prompt
        ref = ref_df(x, leak) if deriv else ref_f(x, leak)
        assert q.answer == pytest.approx(ref, abs=1e-12)
        seen.add((q.show["example"], deriv, leak == example.leak))
    assert len(seen) == 8  # both examples, f and f′, the article's leak and others


def test_kink_values_are_the_frameworks():
    for q in by_kind("kink_pytorch"):
        leak = q.show["leak"]
        assert f"negative_slope={leak:g})`" in q.prompt and q.show["kink"] == LEFT
        assert q.answer == leak  # PyTorch: the slope at exactly 0
    for q in by_kind("kink_jax"):
        assert f"`jax.nn.leaky_relu(x, negative_slope={q.show['leak']:g})`" in q.prompt
        assert q.answer == 1.0 and q.show["kink"] == JAX  # JAX: x >= 0, so 1


def test_where_branch_follows_x_le_0_and_asks_about_0():
    xs = set()
    for q in by_kind("where_branch"):
        x = q.show["x"]
        xs.add(x)
        assert f"element x = {x:g} take?" in q.prompt
        assert q.choices == ("x <= 0: leak * x", "x > 0: x")
        assert q.answer == ("x <= 0: leak * x" if x <= 0 else "x > 0: x")
    assert 0.0 in xs and min(xs) < 0 < max(xs)


def _curve_values(prompt: str, label: str) -> tuple[float, ...]:
    """The two values the prompt gives for one curve ("A: f(-2) = -0.2, f(-4) = -0.4")."""
    listing = re.search(r"they give (.*)\. Which", prompt)[1]
    rows = dict(part.split(": ", 1) for part in listing.split("; "))
    return tuple(float(v.split(" = ")[1]) for v in rows[label].split(", "))


def test_which_curve_has_exactly_one_leaky_relu():
    for q in by_kind("which_curve"):
        curves = {label: (key, params) for label, key, params in q.show["curves"]}
        assert len(curves) == 4 and q.choices == tuple(f"Curve {c}" for c in curves)
        key, params = curves[q.answer[-1]]
        assert key == "leaky_relu"
        x1, x2 = (
            float(v) for v in re.search(r"At x = (\S+) and x = (\S+) they", q.prompt).groups()
        )
        leak = params["leak"]
        assert _curve_values(q.prompt, q.answer[-1]) == pytest.approx(
            (ref_f(x1, leak), ref_f(x2, leak)), abs=5e-4
        )
        for label, (other, _) in curves.items():
            if label == q.answer[-1]:
                continue
            assert other != "leaky_relu"
            f1, f2 = _curve_values(q.prompt, label)
            s1, s2 = f1 / x1, f2 / x2  # a Leaky ReLU would give one slope in (0, 1]
            assert not (0 < s1 <= 1 and abs(s1 - s2) <= 1e-3 * s1), (q.id, label, other)


def test_leak_effect_follows_the_sign_of_the_change():
    variants = set()
    for q in by_kind("leak_effect"):
        old, new = q.show["leak"], q.reveal["leak"]
        assert old != new and f"from {old:g} to {new:g}." in q.prompt
        if "slope" in q.prompt:
            variants.add("slope")
            assert q.answer == f"{new:g}"  # f′ = leak for x < 0
            assert set(q.choices) == {f"{v:g}" for v in (old, new, 0.0, 1.0)}
        else:
            variants.add("values")
            # leak * x with x < 0: a larger leak is more negative
            want = "further below 0" if new > old else "closer to 0"
            assert want in q.answer and len(q.choices) == 4
            assert ("raised" in q.prompt) == (new > old)
    assert variants == {"slope", "values"}


def test_smooth_at_0_uses_the_registry_flags():
    by_name = {a.name: a for a in REGISTRY.values()}
    answers = set()
    for q in by_kind("smooth_at_0"):
        asks_smooth = "is smooth at x = 0" in q.prompt
        answer = by_name[q.answer]
        answers.add(q.answer)
        assert (0.0 in (k.at for k in answer.kinks)) is not asks_smooth
        for name in q.choices:
            if name != q.answer:
                assert (0.0 in (k.at for k in by_name[name].kinks)) is asks_smooth
        assert q.show["show"] == [by_name[n].key for n in q.choices]
    # every activation comes up as an answer sooner or later
    assert answers == set(by_name)


@pytest.mark.parametrize("slug", list(quiz.PRESET_SLUGS))
def test_dead_units_is_what_the_lab_computes(slug):
    name = quiz.PRESET_SLUGS[slug]
    setting = lab.PRESETS[name]
    X, y = lab.two_moons(seed=setting.seed)
    dead = 100 * lab.train(setting, 0.0, X, y).dead[-1]
    qs = [q for q in by_kind("dead_units") if q.lab_preset == slug]
    assert qs
    for q in qs:
        # A range to pick, the one holding the lab's share; the exact share on reveal.
        assert q.answer_type == quiz.CHOICE and q.show == {"lab": True, "lab_preset": slug}
        (band,) = [label for lo, hi, label in quiz.DEAD_BANDS if lo <= dead < hi]
        assert q.answer == band and q.choices == tuple(b[2] for b in quiz.DEAD_BANDS)
        assert f"leaves {dead:.4g}% dead" in q.explanation
        assert f"“{name}”" in q.prompt and f"after {setting.epochs} epochs" in q.prompt


def test_preset_slugs_are_the_pages():
    """The slugs in the order relulab_app/lab_view.py zips them with lab.PRESETS (read
    from its source: importing the page would need a running Streamlit)."""
    tree = ast.parse((ROOT / "relulab_app" / "lab_view.py").read_text(encoding="utf-8"))
    (call,) = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "PRESET_SLUGS"
    ]
    assert ast.unparse(call) == "dict(zip(('bias', 'lr', 'healthy'), lab.PRESETS, strict=True))"
    slugs = dict(zip(("bias", "lr", "healthy"), lab.PRESETS, strict=True))
    assert slugs == quiz.PRESET_SLUGS


# --- checking typed and chosen answers ---------------------------------------------


def honest_forms(value: float) -> list[str]:
    text = repr(value)
    return [
        text,
        f"  {text}  ",
        f"{value:e}",
        f"[[{text}]]",
        f"[{text}]\n",
        text.replace("-", "\u2212"),  # the minus Plotly's axis labels write
        f"{value:.6f}",
    ]


@pytest.mark.parametrize("kind", NUMBER_KINDS)
def test_number_answers_typed_in_every_honest_form(kind):
    for seed in range(20):
        q = quiz.make(kind, seed)
        for raw in honest_forms(q.answer):
            result = quiz.check(q, raw)
            assert result.correct, (q.id, raw, result.message)
            assert result.value == pytest.approx(q.answer, abs=1e-6)
            assert result.message.startswith(f"Right: {q.answer_text}.")


@pytest.mark.parametrize("kind", NUMBER_KINDS)
def test_tolerance_is_applied_as_stated(kind):
    for seed in range(20):
        q = quiz.make(kind, seed)
        tol = q.tolerance
        for sign in (1, -1):
            inside = quiz.check(q, repr(q.answer + sign * 0.99 * tol))
            outside = quiz.check(q, repr(q.answer + sign * 1.01 * tol))
            assert inside.correct and not outside.correct, q.id
            assert outside.message.startswith("Not quite: you typed ")
            assert f"the answer is {q.answer_text} " in outside.message
            assert outside.message.endswith(q.explanation)
            # exactly at the tolerance, in decimals, counts
            edge = Decimal(f"{q.answer:.6f}") + sign * Decimal(repr(tol))
            assert quiz.check(q, str(edge)).correct, (q.id, str(edge))


def test_a_wrong_number_gets_the_answer_and_why():
    q = quiz.make("kink_jax", 0)
    result = quiz.check(q, "0.01")
    assert (result.correct, result.value) == (False, 0.01)
    assert result.message == (
        "Not quite: you typed 0.01; the answer is 1 (answers within 0.0005 count). " + q.explanation
    )


HOSTILE = [
    "",
    "   ",
    "\n\t",
    "1,2",
    "1 2",
    "[1, 2]",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "1e999",
    "__import__('os')",
    "__import__('os').system('ls')",
    "<script>alert(1)</script>",
    "0.5; DROP TABLE answers",
    "1" * 10_000,
    "1 " * 5_000,
    "x" * 10_000,
    "9" * 200_000,
    "\x00\x1b[31m0.5",
    "0.5\x00",
    "0.5\u200b",
    "\u202e0.5",
    "$\\frac{1}{2}$",
    "**0.5**",
    "{0}",
    "[[0.5]",
    "0,5",
    "½",
    "٠٫٥",  # Arabic-Indic digits
    "%",
    "50%%",
]


@pytest.mark.parametrize("kind", quiz.KINDS)
@pytest.mark.parametrize("raw", HOSTILE, ids=lambda r: repr(r[:12]) + f"-{len(r)}")
def test_garbage_is_refused_with_a_message_and_never_raises(kind, raw):
    q = quiz.make(kind, 0)
    result = quiz.check(q, raw)
    assert result.correct is False and result.value is None
    assert result.message and len(result.message) < 300
    assert q.explanation not in result.message  # not an attempt: the answer stays hidden
    if len(raw) > 20:
        assert raw not in result.message  # never echoed whole


def test_unreadable_text_gets_the_parsers_message():
    q = quiz.make("f_at_x", 0)
    assert quiz.check(q, "1,,2").message == (
        "Could not read that: `,` at position 3 has an empty value before it. "
        "Type one number, e.g. 0.5."
    )
    assert quiz.check(q, "1, 2").message == "Type exactly one number; that is 2."
    # A decimal comma is not an answer, and the message says how it was read.
    assert quiz.check(q, "0,5").message == (
        "Type exactly one number; that is 2. `0,5` was read as two numbers, 0 and 5: a "
        "comma separates numbers. For a decimal, type a point: 0.5."
    )
    assert quiz.check(q, "nan").message.startswith("Type a finite number")
    assert quiz.check(q, "").message == "No answer yet: type one number."
    assert quiz.check(q, None).message == "No answer yet: type one number."


@pytest.mark.parametrize("raw", [None, 0.5, b"0.5", ["0.5"], 1])
def test_non_text_is_refused(raw):
    for kind in ("f_at_x", "smooth_at_0"):
        result = quiz.check(quiz.make(kind, 0), raw)
        assert not result.correct and result.value is None and result.message


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(quiz.KINDS), seed=st.integers(0, 50), raw=st.text(max_size=60))
def test_any_text_never_raises_and_right_means_right(kind, seed, raw):
    q = quiz.make(kind, seed)
    result = quiz.check(q, raw)
    assert isinstance(result.message, str) and result.message
    if result.correct:
        if q.answer_type == quiz.NUMBER:
            assert abs(result.value - q.answer) <= q.tolerance + 1e-9 * max(1, abs(q.answer))
        else:
            assert result.value == q.answer


@pytest.mark.parametrize("kind", CHOICE_KINDS)
def test_choices_right_only_for_the_answer(kind):
    for seed in range(20):
        q = quiz.make(kind, seed)
        for choice in q.choices:
            result = quiz.check(q, choice)
            assert result.correct == (choice == q.answer) and result.value == choice
            assert q.explanation in result.message
            if not result.correct:
                assert result.message.startswith(f"Not quite: the answer is “{q.answer}”.")
        assert quiz.check(q, f"  {q.answer} ").correct
        other = quiz.check(q, q.answer.upper() + "!")
        assert (other.correct, other.message) == (False, "Pick one of the choices.")


# --- values vary per student and per question --------------------------------------


@pytest.mark.parametrize("kind", quiz.KINDS)
def test_seeds_give_different_values(kind):
    # a question's values show in its prompt, or (smooth_at_0) in the choices offered
    prompts = {(q.prompt, q.choices) for q in (quiz.make(kind, seed) for seed in range(40))}
    # a kind with few variants has them all; the rest differ for most seeds
    wanted = {"dead_units": len(quiz.PRESET_SLUGS), "kink_pytorch": 7, "kink_jax": 7}
    assert len(prompts) >= wanted.get(kind, 20), kind


def test_neighbours_get_other_questions():
    n = len(quiz.KINDS)
    sessions = [quiz.for_student(seed, n) for seed in range(30)]
    for a, b in itertools.pairwise(sessions):
        same = sum(qa.prompt == qb.prompt for qa, qb in zip(a, b, strict=True))
        assert same <= 2
    # the kinds come in a different order too
    assert len({tuple(q.kind for q in s) for s in sessions}) == len(sessions)


def test_for_student_mixes_every_kind_and_is_repeatable():
    qs = quiz.for_student(7, 25)
    assert len(qs) == 25 and quiz.for_student(7, 25) == qs
    n = len(quiz.KINDS)
    assert sorted(q.kind for q in qs[:n]) == sorted(quiz.KINDS)
    assert sorted(q.kind for q in qs[n : 2 * n]) == sorted(quiz.KINDS)
    assert len({q.id for q in qs}) == 25
    assert quiz.for_student(7, 0) == []
    for bad in (-1, 10_001, 2.0, True, "3"):
        with pytest.raises(ValueError):
            quiz.for_student(7, bad)


def test_another_is_the_same_kind_with_other_values():
    for kind in quiz.KINDS:
        q = quiz.make(kind, 5)
        r = quiz.another(q)
        assert r.kind == kind and (r.prompt, r.choices) != (q.prompt, q.choices)
        assert quiz.another(q) == r
    last = quiz.make("f_at_x", quiz.MAX_SEED)
    assert quiz.another(last).seed < 100  # wraps round


# --- ids and seeds from outside ---------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "f_at_x",
        "f_at_x-",
        "f_at_x-07",
        "f_at_x--1",
        "f_at_x-1.0",
        "f_at_x-٣",  # a Unicode digit
        f"f_at_x-{2**64}",
        "nope-1",
        "F_AT_X-1",
        "f_at_x-1\n",
        "<script>-1",
        "x" * 10_000,
        None,
        7,
    ],
)
def test_from_id_refuses_anything_but_an_id_without_echoing_it(bad):
    with pytest.raises(ValueError) as info:
        quiz.from_id(bad)
    assert str(info.value) == "not a question id: expected a kind and a seed, like f_at_x-7"


def test_make_refuses_unknown_kinds_and_bad_seeds():
    with pytest.raises(ValueError, match="unknown question kind"):
        quiz.make("nope", 1)
    for bad in (-1, 2**64):
        with pytest.raises(ValueError):
            quiz.make("f_at_x", bad)
    for bad in (1.0, True, "1", None):
        with pytest.raises(TypeError):
            quiz.make("f_at_x", bad)
    assert quiz.make("f_at_x", 2**64 - 1).id == f"f_at_x-{2**64 - 1}"


def test_the_module_imports_neither_streamlit_nor_plotly():
    code = (
        "import sys; from relulab_app import quiz; quiz.for_student(1, 20); "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('streamlit', 'plotly')]; "
        "print(bad); sys.exit(bool(bad))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
