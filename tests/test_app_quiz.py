"""Predict, then reveal, through the page (AppTest): questions from relulab_app.quiz are
posed, hide what would give them away, are checked, and reveal their answer."""

from __future__ import annotations

import pytest
from conftest import chart_payloads

from relulab_app import quiz


def _open_quiz(app):
    app.query_params["quiz"] = "1"
    at = app.run()
    assert not at.exception and not at.error
    return at


def _question(at) -> quiz.Question:
    return at.session_state["_quiz_state"].question


def _texts(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def _answer(at, q: quiz.Question, value: str | None = None):
    key = f"quiz_in_{q.id}"
    if q.answer_type == quiz.NUMBER:
        at.text_input(key=key).input(value if value is not None else f"{q.answer!r}")
    else:
        at.radio(key=key).set_value(value if value is not None else q.answer)
    next(b for b in at.button if b.label == "Check").click()
    return at.run()


def _check_hidden(at, q: quiz.Question) -> None:
    """What the question names is not on the page (nor in what the browser receives)."""
    payloads = chart_payloads(at)
    if payloads:
        charts = payloads[0]["charts"]
        for name, i in (("function_chart", 0), ("derivative_chart", 1)):
            if name in q.hides:
                assert charts[i]["data"] == [], name
        if "kink_dot" in q.hides:  # the dots, and their copies in the f′ close-up
            assert not [
                t for t in charts[1]["data"] if "kink" in (t.get("meta"), t.get("legendgroup"))
            ]
        if {"function_chart", "derivative_chart", "kink_dot"} & q.hides:
            assert payloads[0]["hover"] == []
        if "curve_names" in q.hides:
            names = [t.get("name", "") for c in charts for t in c["data"]]
            assert all(n.startswith("Curve ") and ":" not in n for n in names if n), names
    if "tables" in q.hides:
        assert "| x |" not in _texts(at) and "Hidden until you answer" in _texts(at)
        assert not [
            t
            for p in payloads
            for c in p["charts"]
            for t in c["data"]
            if t.get("name") == "article examples"
        ]
    if {"definitions", "framework_facts"} & q.hides:
        assert not at.latex and "default Leaky ReLU slope" not in _texts(at)
    if "lab_result" in q.hides:
        assert any("hidden until you answer" in i.value for i in at.info)


def test_every_kind_is_posed_hides_its_giveaways_and_reveals_its_answer(app):
    at = _open_quiz(app)
    seen = set()
    for _ in range(40):
        q = _question(at)
        assert q is not None
        seen.add(q.kind)
        assert any(q.prompt in m.value for m in at.markdown)
        _check_hidden(at, q)
        if q.answer_type == quiz.SKETCH:  # drawn in a browser: tests/test_browser_sketch.py
            next(b for b in at.button if b.label == "Reveal").click()
            at.run()
            assert not at.exception and q.explanation in _texts(at) + str(at.info[0].value)
        else:
            at = _answer(at, q)
            assert not at.exception and not at.error, q.id
            assert [s.value for s in at.success][:1] and q.answer_text in at.success[0].value
        point = q.reveal
        if point.get("chart") in ("function", "derivative") and "x" in point and "y" in point:
            (payload,) = chart_payloads(at)
            i = 0 if point["chart"] == "function" else 1
            marks = [t for t in payload["charts"][i]["data"] if t.get("name") == "the answer"]
            assert marks and marks[0]["x"] == [point["x"]], q.id
        if seen == set(quiz.KINDS):
            break
        next(b for b in at.button if b.label == "Another question").click()
        at.run()
        assert not at.exception
    assert seen == set(quiz.KINDS)


def test_a_wrong_answer_says_so_and_reveals(app):
    at = _open_quiz(app)
    while _question(at).answer_type == quiz.SKETCH:  # a sketch is scored in test_sketch.py
        next(b for b in at.button if b.label == "Another question").click()
        at.run()
    q = _question(at)
    wrong = "12345" if q.answer_type == quiz.NUMBER else next(c for c in q.choices if c != q.answer)
    at = _answer(at, q, wrong)
    assert at.error and q.answer_text in at.error[0].value
    assert at.session_state["_quiz_state"].revealed


@pytest.mark.parametrize("typed", ["", "abc", "1, 2", "__import__('os')", "<script>", "nan"])
def test_unreadable_typing_is_not_an_attempt(app, typed):
    at = _open_quiz(app)
    while _question(at).answer_type != quiz.NUMBER:
        next(b for b in at.button if b.label == "Another question").click()
        at.run()
    q = _question(at)
    at = _answer(at, q, typed)
    assert not at.exception and not at.session_state["_quiz_state"].revealed
    assert at.warning and "the answer is" not in at.warning[0].value  # not given away


def test_neighbours_get_different_questions(app):
    from conftest import APP
    from streamlit.testing.v1 import AppTest

    prompts = set()
    for _ in range(8):  # random sessions: 4 gave 2 kinds about once in 50 runs
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.query_params["quiz"] = "1"
        at.run()
        prompts.add(_question(at).prompt)
    assert len(prompts) >= 3


def test_turning_the_quiz_off_shows_everything_again(app):
    at = _open_quiz(app)
    at.toggle(key="quiz").set_value(False).run()
    assert not at.exception and "quiz" not in at.query_params
    assert not [m for m in at.markdown if m.value.startswith("**Question")]
    (payload,) = chart_payloads(at) or [None]
    if payload is not None:
        assert all(c["data"] for c in payload["charts"])


def test_a_bad_quiz_link_gets_a_notice(app):
    app.query_params["quiz"] = "yes please"
    at = app.run()
    assert [w.value for w in at.warning] == ["The link’s quiz is not 1 or 0; left off."]


def _until(at, kind: str):
    while _question(at).kind != kind:
        next(b for b in at.button if b.label == "Another question").click()
        at.run()
    return at


def test_a_framework_question_finds_no_answer_in_the_convention_switch(app):
    at = _until(_open_quiz(app), "kink_pytorch")
    assert not [r for r in at.radio if r.key == "kink"]
    (stand_in,) = [r for r in at.radio if r.label == "Derivative at exactly x = 0"]
    assert stand_in.disabled and stand_in.value is None  # neither side nor choice shows
    assert not any("PyTorch" in o or "JAX" in o for o in stand_in.options)
    _answer(at, _question(at))
    assert any("PyTorch" in o for o in at.radio(key="kink").options)  # back once revealed


def _shows_the_questions_convention(at, q: quiz.Question) -> None:
    """The switch (with a selection), the address, the filled dot and the hover at 0,
    the tables and the answer's star all show the convention the question asks about."""
    from relulab import frameworks
    from relulab_app.figures import LEAKY_COLOR

    kink = q.show["kink"]
    assert at.radio(key="kink").value == kink and at.radio(key="kink").index is not None
    assert at.query_params.get("kink") == ("jax" if kink == frameworks.JAX else None), kink
    (payload,) = chart_payloads(at)
    df = payload["charts"][1]["data"]
    (taken,) = [
        t
        for t in df
        if t.get("meta") == "kink"
        and t["marker"]["symbol"] == "circle"
        and t["marker"]["color"] == LEAKY_COLOR
    ]
    leaky = next(h for h in payload["hover"] if h["name"].startswith("Leaky"))
    (star,) = [t for t in df if t.get("name") == "the answer"]
    at0 = frameworks.kink_value("leaky_relu", {"leak": q.show["leak"]}, kink)
    assert taken["y"] == [at0] and leaky["kinks"] == [[0.0, at0]] and star["y"] == [q.answer]
    assert ("JAX f′" in _texts(at)) == (kink == frameworks.JAX)


def _reveal(at):
    next(b for b in at.button if b.label == "Reveal").click()
    return at.run()


@pytest.mark.parametrize("kind", ["kink_pytorch", "kink_jax", "df_at_x", "article_array"])
def test_a_reveal_shows_the_asked_conventions_value_everywhere(app, kind):
    from relulab import frameworks

    at = _open_quiz(app)
    while _question(at).kind != kind or _question(at).reveal["chart"] != "derivative":
        next(b for b in at.button if b.label == "Another question").click()
        at.run()
        asked = _question(at).show.get("kink")
        if asked and [r for r in at.radio if r.key == "kink" and not r.disabled]:
            # the student switches meanwhile
            other = {frameworks.LEFT: frameworks.JAX, frameworks.JAX: frameworks.LEFT}
            at.radio(key="kink").set_value(other[asked]).run()
    at = _reveal(at)
    assert not at.exception
    _shows_the_questions_convention(at, _question(at))


def test_own_values_cannot_answer_an_open_question(app):
    at = _until(_open_quiz(app), "f_at_x")
    at.session_state["own"] = True
    at.run()
    at.text_area(key="values").input("1, 2, 3").run()
    assert not at.dataframe
    assert any("hidden until you answer" in i.value for i in at.info)


def test_the_lab_a_question_opened_closes_with_the_next_question(app):
    # Only the lab a question opened: one the student opened stays open. The session's
    # seed is set so the lab's question comes next, then two others.
    at = _open_quiz(app)
    kinds = [q.kind for q in quiz.for_student(7, 13)]
    i = next(k for k in range(len(quiz.KINDS)) if kinds[k] == "dead_units")
    assert "dead_units" not in kinds[i + 1 : i + 3]
    state = at.session_state["_quiz_state"]
    state.seed, state.number = 7, i

    def another():
        next(b for b in at.button if b.label == "Another question").click()
        at.run()
        assert not at.exception

    another()
    assert _question(at).kind == "dead_units" and at.session_state["lab"] is True
    another()
    assert at.session_state["lab"] is False  # closed with the question that opened it
    at.session_state["lab"] = True  # the student opens it
    at.run()
    another()
    assert at.session_state["lab"] is True
