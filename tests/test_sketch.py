"""Sketches of f′ (relulab_app.sketch): hand-made sketches scored against the library's
curves, and every text a student's browser could send refused or accepted sensibly."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relulab import relu, relu_dash
from relulab_app import sketch
from relulab_app.sketch import Axes, SketchError

AXES = Axes((-4.0, 4.0), (-0.5, 1.5))
LEAK = 0.1


def leaky_dash(x):
    return relu_dash(x, leak=LEAK)


KINK = [(0.0, LEAK, 1.0)]  # Leaky ReLU′ jumps at 0 from the leak to 1


def step(at: float, left: float, right: float, wobble: float = 0.0) -> sketch.Sketch:
    """A hand's step: flat, a steep rise over 0.1, flat; ``wobble`` a small tremor."""
    xs = np.linspace(-4, 4, 400)
    ys = np.where(xs < at - 0.05, left, np.where(xs > at + 0.05, right, np.nan))
    rise = np.isnan(ys)
    ys[rise] = left + (right - left) * (xs[rise] - (at - 0.05)) / 0.1
    ys = ys + wobble * np.sin(7 * xs)
    return sketch.parse(
        json.dumps([[[float(x), float(y)] for x, y in zip(xs, ys, strict=True)]]), AXES
    )


def test_the_right_step_scores_full_marks_even_drawn_by_a_shaky_hand():
    s = sketch.score(step(0.0, LEAK, 1.0, wobble=0.04), leaky_dash, AXES, KINK)
    assert s.share == 1.0
    assert s.jumps[0].placed and s.jumps[0].heights
    assert "in the right place, at the right heights" in s.summary()


def test_a_step_at_the_wrong_x_is_told_where_it_went_wrong():
    s = sketch.score(step(1.5, LEAK, 1.0), leaky_dash, AXES, KINK)
    assert not s.jumps[0].placed
    assert 0.7 < s.share < 0.85  # right on both sides, wrong between 0 and 1.5
    assert "not where the truth jumps" in s.summary()


def test_relus_derivative_drawn_for_leaky_relus_misses_the_left_half():
    s = sketch.score(step(0.0, 0.0, 1.0), leaky_dash, AXES, KINK)
    assert s.jumps[0].placed and not s.jumps[0].heights
    assert s.share == pytest.approx(0.5, abs=0.03)  # 0 is 0.1 from the leak: > 3 % of 2


def test_a_sketch_of_f_instead_of_f_dash_scores_low():
    xs = np.linspace(-4, 4, 200)
    f = [
        [float(x), float(y)]
        for x, y in zip(xs, np.clip(relu(xs, leak=LEAK), -0.5, 1.5), strict=True)
    ]
    s = sketch.score(sketch.parse([f], AXES), leaky_dash, AXES, KINK)
    assert s.share < 0.3
    assert not s.jumps[0].ok


def test_an_empty_part_of_the_x_range_counts_as_wrong():
    half = sketch.parse([[[0.5, 1.0], [4.0, 1.0]]], AXES)
    s = sketch.score(half, leaky_dash, AXES, KINK)
    assert s.share == pytest.approx(0.44, abs=0.03)
    assert not s.jumps[0].heights  # nothing drawn on the left


def test_a_later_stroke_corrects_an_earlier_one():
    wrong, fix = [[-4, 1.0], [0, 1.0]], [[-4, LEAK], [-0.05, LEAK]]
    both = sketch.parse([[*wrong, [0.05, 1.0], [4, 1.0]], fix], AXES)
    assert sketch.score(both, leaky_dash, AXES, KINK).share == 1.0


def test_no_jump_where_the_truth_is_continuous():
    # f itself is continuous at 0: its kink is no jump, and a kink's x is not left out.
    xs = np.linspace(-4, 4, 100)
    f = sketch.parse([[[float(x), float(relu(x, leak=LEAK))] for x in xs if x < 1.5]], AXES)
    s = sketch.score(f, lambda x: relu(x, leak=LEAK), AXES, [(0.0, 0.0, 0.0)])
    assert s.jumps == ()


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("", "not a sketch"),
        ("<script>alert(1)</script>", "not a sketch"),
        ("[[[0, NaN], [1, 1]]]", "not a sketch"),
        ("[[[0, Infinity], [1, 1]]]", "not a sketch"),
        ('[[["0", 1], [1, 1]]]', "pairs of numbers"),
        ("[[[0, true], [1, 1]]]", "pairs of numbers"),
        ("[[[0, 1, 2], [1, 1]]]", "pairs of numbers"),
        ("[[[0, 1e400], [1, 1]]]", "finite"),
        ("[[[0, 9], [1, 1]]]", "outside the chart"),
        ("[[[-40, 1], [1, 1]]]", "outside the chart"),
        ("[[[0, 1]]]", "Draw the curve"),
        ("[]", "Draw the curve"),
        ("{}", "Draw the curve"),
        ("[1, 2]", "not a sketch"),
        ("[" * 50_000, "not a sketch"),
    ],
)
def test_a_hostile_or_broken_sketch_is_refused_with_a_reason(raw, says):
    with pytest.raises(SketchError, match=says):
        sketch.parse(raw, AXES)


def test_a_million_points_are_refused_before_they_are_read():
    raw = json.dumps([[[0.0, 0.5]] * 1_000_000])
    with pytest.raises(SketchError, match="too long"):
        sketch.parse(raw, AXES)
    with pytest.raises(SketchError, match="at most 2,000 points"):
        sketch.parse([[[0.0, 0.5]] * 2_001], AXES)
    with pytest.raises(SketchError, match="at most 30 strokes"):
        sketch.parse([[[0.0, 0.5], [1, 1]]] * 31, AXES)


@given(st.text(max_size=300) | st.binary(max_size=300))
def test_any_text_is_a_sketch_inside_the_axes_or_a_clear_refusal(raw):
    try:
        got = sketch.parse(raw, AXES)
    except SketchError as e:
        assert str(e)
        return
    points = [p for s in got for p in s]
    assert len(points) >= 2
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in points)


points = st.tuples(st.floats(-4.2, 4.2), st.floats(-0.6, 1.6))


@given(st.lists(st.lists(points, min_size=1, max_size=300), min_size=1, max_size=8))
def test_simplified_sketches_keep_their_ends_and_fit_in_keep_points(strokes):
    if sum(len(s) for s in strokes) < 2:
        return
    got = sketch.simplify(sketch.parse(json.dumps(strokes), AXES), AXES)
    assert sum(len(s) for s in got) <= sketch.KEEP
    if sum(len(s) for s in strokes) <= sketch.KEEP:  # then nothing but points is dropped
        assert [s[0] for s in got] == [tuple(s[0]) for s in strokes if s]
    again = sketch.parse(sketch.dumps(got), AXES)  # stored and read back
    assert len(again) == len(got)


def test_a_hand_drawn_step_keeps_its_shape_in_64_points():
    raw = step(0.0, LEAK, 1.0, wobble=0.01)
    short = sketch.simplify(raw, AXES)
    assert sum(len(s) for s in short) <= sketch.KEEP
    xs = np.linspace(-3.9, 3.9, 300)
    assert np.nanmax(np.abs(sketch.values_at(short, xs) - sketch.values_at(raw, xs))) < 0.05
    assert sketch.score(short, leaky_dash, AXES, KINK).share == 1.0


def test_the_most_typical_sketch_is_the_shape_most_of_the_class_drew():
    relu_shaped = [step(0.0, 0.0, 1.0, wobble=w) for w in (0.0, 0.02, 0.04)]
    right = [step(0.0, LEAK, 1.0)]
    odd = [step(2.0, 1.0, 0.0)]
    sketches = odd + right + relu_shaped
    assert sketch.most_typical(sketches, AXES) in (2, 3, 4)
    assert sketch.most_typical([], AXES) is None


# --- a sketch question in a class (relulab_app.classroom) -----------------------------

from relulab_app import classroom  # noqa: E402

SPEC = sketch.Spec("leaky_relu", (("leak", LEAK),), "df", AXES)


def _step_json(at: float, left: float) -> str:
    return json.dumps([[[-4, left], [at - 0.05, left], [at + 0.05, 1.0], [4, 1.0]]])


def test_a_class_collects_sketches_scores_them_and_refuses_hostile_ones():
    store = classroom.SqliteStore(":memory:")
    code, token = store.open_class()
    poll = store.ask(code, token, "sketch_df-1", "sketch", (), SPEC.dumps())
    assert poll.answer is None  # the truth is the teacher's until the reveal
    a, b, c = (classroom.new_session_id() for _ in range(3))
    for who in (a, b, c):
        store.join(code, who)
    hostile = ["[[[0, NaN], [1, 1]]]", "<b>hi</b>", json.dumps([[[0.0, 0.5]] * 5000]), 3.5]
    for raw in hostile:
        with pytest.raises(classroom.BadAnswer):
            store.answer(code, a, "sketch_df-1", raw)
    assert store.tally(code, token).n_answers == 0  # nothing stored by a refusal
    long = json.dumps([[[x, LEAK if x < 0 else 1.0] for x in np.linspace(-4, 4, 1500)]])
    store.answer(code, a, "sketch_df-1", long)  # stored short
    store.answer(code, b, "sketch_df-1", _step_json(0.0, 0.0))  # ReLU's f′
    store.answer(code, c, "sketch_df-1", _step_json(2.0, LEAK))  # the jump misplaced
    tally = store.tally(code, token)
    assert tally.n_answers == 3 and tally.n_correct == 1
    assert all(len(json.loads(s)[0]) <= sketch.KEEP for s in tally.sketches)
    store.reveal(code, token)
    csv = classroom.results_csv(store.results(code, token), lambda p: "sketch")
    assert "sketch,df of leaky_relu" in csv and "100%" in csv


def test_a_sketch_question_needs_a_real_spec():
    store = classroom.SqliteStore(":memory:")
    code, token = store.open_class()
    for bad in ("{}", '{"act": "nope", "params": {}, "of": "df", "x": [0, 1], "y": [0, 1]}', 1.0):
        with pytest.raises(ValueError):
            store.ask(code, token, "sketch_df-2", "sketch", (), bad)
