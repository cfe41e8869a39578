"""The live class poll through the page (AppTest), on both stores: a teacher and three
students in one class, answers arriving in the teacher's chart, the reveal, hostile
class links, and a class that ended."""

from __future__ import annotations

import json
import re

import pytest
from conftest import APP, chart_payloads
from streamlit.testing.v1 import AppTest

from relulab_app import classroom, quiz


@pytest.fixture
def backend(class_store):
    """The page's store (conftest.class_store): a SQLite file, or a real redis-server."""
    return class_store


def _page(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def _click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def _open_class() -> tuple[AppTest, str, str]:
    teacher = _page()
    teacher.session_state["class_menu"] = True
    teacher.run()
    _click(teacher, "Open a class (for the teacher)")
    assert not teacher.exception
    assert "teacher" not in teacher.query_params  # the address bar is projected
    return teacher, teacher.query_params["class"], teacher.session_state["_class_state"].token


def _question(at: AppTest) -> quiz.Question:
    return at.session_state["_quiz_state"].question


def _tally(teacher: AppTest) -> dict:
    (chart,) = [
        json.loads(c.proto.spec) for c in teacher.get("plotly_chart") if "answered" in c.proto.spec
    ]
    return chart


def _n_drawn(tally: dict) -> int:
    """Answers drawn: the bars' heights, or one dot per number."""
    (trace,) = tally["data"]
    return sum(trace["y"]) if trace["type"] == "bar" else len(trace["x"])


def _send(student: AppTest, value) -> AppTest:
    q = _question(student)
    seq = student.session_state["_class_state"].seen_seq
    key = f"class_in_{seq}"
    if q.answer_type == quiz.NUMBER:
        student.text_input(key=key).input(str(value))
    else:
        student.radio(key=key).set_value(value)
    return _click(student, "Send")


@pytest.mark.parametrize("answer_type", [quiz.NUMBER, quiz.CHOICE])
def test_a_teacher_and_three_students(backend, answer_type):
    teacher, code, token = _open_class()
    assert classroom.parse_code(code) == code and classroom.parse_token(token) == token
    _click(teacher, "Ask the next question")
    while _question(teacher).answer_type != answer_type:  # the teacher asks another
        _click(teacher, "Ask the next question")
    q = _question(teacher)
    assert not teacher.exception
    students = [_page({"class": code}) for _ in range(3)]
    for s in students:
        assert not s.exception and _question(s) == q  # every student sees the question
        assert "teacher" not in s.query_params  # no teacher controls for a student
        assert not [b for b in s.button if b.label.startswith("Reveal")]
    right = q.answer if q.answer_type == quiz.CHOICE else repr(q.answer)
    wrong = next(c for c in q.choices if c != q.answer) if q.answer_type == quiz.CHOICE else "12345"
    _send(students[0], right)
    _send(students[1], wrong)
    _send(students[2], wrong)
    _send(students[2], right)  # changed before the reveal
    for s in students:
        assert not s.exception and s.success
    teacher.run()
    tally = _tally(teacher)
    assert _n_drawn(tally) == 3
    assert tally["layout"]["title"]["text"].startswith("3 of 3 answered")
    _click(teacher, "Reveal to the class")
    tally = _tally(teacher)
    assert "2 right" in tally["layout"]["title"]["text"]
    for s, ok in zip(students, (True, False, True), strict=True):
        s.run()
        assert not s.exception
        assert s.info and s.info[0].value.startswith("Right" if ok else "Not quite")
    # Answers are closed after the reveal: the box is disabled, and the store refuses.
    seq = students[1].session_state["_class_state"].seen_seq
    box = (
        students[1].text_input(key=f"class_in_{seq}")
        if q.answer_type == quiz.NUMBER
        else (students[1].radio(key=f"class_in_{seq}"))
    )
    assert box.disabled
    with pytest.raises(classroom.Closed):
        classroom.store_from_env().answer(
            code,
            students[1].session_state["_class_state"].session,
            q.id,
            1.0 if q.answer_type == quiz.NUMBER else "1",
        )


def test_a_student_link_cannot_teach(backend):
    _teacher, code, _token = _open_class()
    forged = _page({"class": code, "teacher": "x" * classroom.TOKEN_LENGTH})
    assert not forged.exception
    assert classroom.TOKEN_NOTICE in [w.value for w in forged.warning]
    assert not [b for b in forged.button if b.label == "Ask the next question"]
    assert dict(forged.query_params) == {"class": code}


@pytest.mark.parametrize(
    "raw", ["<script>", "' OR 1=1", "A" * 500, "\u200bK7MX3P", "../../etc", "0O1IL0"]
)
def test_hostile_class_codes_get_a_notice(backend, raw):
    at = _page({"class": raw})
    assert not at.exception and not at.error
    notices = " ".join(w.value for w in at.warning)
    assert raw not in notices and ("class code" in notices or "has ended" in notices)


def test_a_class_that_ended_says_so(backend):
    teacher, code, token = _open_class()
    _click(teacher, "Ask the next question")
    student = _page({"class": code})
    classroom.store_from_env().close(code, token)  # the teacher closes it elsewhere
    student.run()
    assert not student.exception
    assert any("has ended" in w.value for w in student.warning)
    # A code that names no class is not "ended": it says so, with the code.
    unknown = next(c * 6 for c in classroom.CODE_ALPHABET if c * 6 != code)
    late = _page({"class": unknown})
    (notice,) = [w.value for w in late.warning]
    assert notice.startswith(f"There is no class with the code {unknown}.")


def test_joining_by_code_from_the_menu(backend):
    _teacher, code, _ = _open_class()
    student = _page()
    student.session_state["class_menu"] = True
    student.run()
    student.text_input(key="class_code").input(code.lower())
    _click(student, "Join")
    assert not student.exception and student.query_params["class"] == code


def test_the_share_link_never_carries_the_teachers_token(backend):
    teacher, _code, token = _open_class()
    _click(teacher, "Hide the join screen")  # its code block is the class's link
    teacher.session_state["share"] = True
    teacher.run()
    shared = " ".join(c.value for c in teacher.code)
    assert token not in shared and "teacher=" not in shared and "class=" not in shared


def test_a_class_closed_mid_question_leaves_the_students_page_usable(backend):
    teacher, code, token = _open_class()
    _click(teacher, "Ask the next question")
    student = _page({"class": code})
    assert _question(student) is not None
    classroom.store_from_env().close(code, token)
    student.run()
    student.run()  # the next run
    assert not student.exception
    assert not student.session_state["_quiz_state"].in_class
    assert "Hidden until you answer" not in "\n".join(m.value for m in student.markdown)


def test_reveal_and_lock_wait_for_a_question(backend):
    teacher, code, token = _open_class()
    for label in ("Reveal to the class", "Lock answers"):
        assert next(b for b in teacher.button if b.label == label).disabled
    with pytest.raises(classroom.Closed):
        classroom.store_from_env().reveal(code, token)


def test_a_send_on_a_question_the_teacher_replaced_says_so(backend):
    # A page shows the old question until its news element's next ask (up to 4 s): a
    # Send then is refused, and the page says why and moves on. (Here the Send simply
    # comes before the page's next run.) The first question is the lab's, so the page that
    # takes the next one also changes the lab's leak.
    teacher, code, _token = _open_class()
    _click(teacher, "Ask the next question")
    while _question(teacher).kind != "dead_units":
        _click(teacher, "Ask the next question")
    student = _page({"class": code})
    first = _question(student)
    _click(teacher, "Ask the next question")
    _send(student, "0.5" if first.answer_type == quiz.NUMBER else first.choices[0])
    assert not student.exception
    assert "moved on to the next question" in " ".join(w.value for w in student.warning)
    assert _question(student) == _question(teacher) != first


def test_a_sends_message_stays_with_its_question(backend):
    # "Answers are closed" belongs to the revealed question: the next one starts clean.
    teacher, code, _token = _open_class()
    _click(teacher, "Ask the next question")
    while _question(teacher).answer_type == quiz.SKETCH:  # drawn: tests/test_browser_sketch
        _click(teacher, "Ask the next question")
    student = _page({"class": code})
    q = _question(student)
    _click(teacher, "Reveal to the class")
    # (The page has not run since the reveal, so its box still takes a Send.)
    _send(student, "0.5" if q.answer_type == quiz.NUMBER else q.choices[0])
    assert "answers are closed" in " ".join(w.value for w in student.warning)
    student.run()
    assert "answers are closed" in " ".join(w.value for w in student.warning)  # kept
    _click(teacher, "Ask the next question")
    student.run()
    assert not student.exception and _question(student) == _question(teacher) != q
    assert not [w for w in student.warning if "answers are closed" in w.value]


def test_a_framework_questions_reveal_keeps_its_convention_on_every_page(monkeypatch, tmp_path):
    # Both the teacher's and a student's page: the switch, the dots at 0 and the star
    # show PyTorch's value, not JAX's (one store suffices: this is the page's part).
    from relulab import frameworks
    from relulab_app.figures import LEAKY_COLOR

    monkeypatch.delenv("RELULAB_REDIS_URL", raising=False)
    monkeypatch.setenv("RELULAB_CLASS_DB", str(tmp_path / "classes.sqlite3"))
    teacher, code, _ = _open_class()
    _click(teacher, "Ask the next question")
    while _question(teacher).kind != "kink_pytorch":
        _click(teacher, "Ask the next question")
    student = _page({"class": code})
    q = _question(student)
    assert q == _question(teacher)
    _click(teacher, "Reveal to the class")
    student.run()
    student.run()  # the first run takes the reveal, the next one draws it
    for page in (teacher, student):
        assert not page.exception
        assert page.radio(key="kink").value == frameworks.LEFT
        assert "kink" not in page.query_params
        (payload,) = chart_payloads(page)
        df = payload["charts"][1]["data"]
        taken = [
            t["y"]
            for t in df
            if t.get("meta") == "kink"
            and t["marker"]["symbol"] == "circle"
            and t["marker"]["color"] == LEAKY_COLOR
        ]
        star = [t["y"] for t in df if t.get("name") == "the answer"]
        assert taken == star == [[q.answer]]


# -- the teacher leads ----------------------------------------------------------------


def _menu(teacher: AppTest) -> AppTest:
    teacher.session_state["class_next"] = True
    return teacher.run()


def test_the_teacher_picks_a_kind_previews_it_and_asks_it(backend):
    teacher, code, _token = _open_class()
    _menu(teacher)
    teacher.selectbox(key="class_kind").set_value("kink_jax").run()
    candidate = teacher.session_state["_class_state"].candidate
    assert candidate.kind == "kink_jax"
    preview = " ".join(m.value for m in teacher.markdown)
    assert candidate.prompt in preview  # the preview is on the teacher's page
    student = _page({"class": code})
    assert _question(student) is None  # ... and on no student's
    next(b for b in teacher.button if b.key == "class_ask_bank").click()
    teacher.run()
    assert _question(teacher) == candidate
    student.run()
    assert _question(student) == candidate


def _write(teacher: AppTest, **fields) -> AppTest:
    _menu(teacher)
    for key, value in fields.items():
        widget = teacher.get("text_area") + teacher.get("text_input") + teacher.get("radio")
        widget += teacher.get("number_input")
        next(w for w in widget if w.key == f"class_own_{key}").set_value(value)
    next(
        b for b in teacher.button if b.label == "Ask the class" and b.key != "class_ask_bank"
    ).click()
    return teacher.run()


def test_a_written_choice_question_end_to_end(backend):
    teacher, code, _token = _open_class()
    hostile = "**bold** <script>x</script> [a](javascript:1)"
    _write(
        teacher,
        text=hostile,
        type="A choice",
        choices="Zero\n\n  One  \nThe leak\n",
        right=3,
    )
    assert not teacher.exception and not teacher.warning
    student = _page({"class": code})
    q = _question(student)
    assert q.prompt == hostile and q.choices == ("Zero", "One", "The leak")
    assert hostile in [t.value for t in student.text]  # plain text, never Markdown
    _send(student, "One")
    _send(student, "The leak")
    teacher.run()
    assert _tally(teacher)["data"][0]["y"] == [0, 0, 1]
    _click(teacher, "Reveal to the class")
    student.run()
    assert student.info[0].value.startswith("Right")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"type": "A number", "answer": "abc"}, "The right number"),
        ({"type": "A number", "answer": "1, 2"}, "The right number"),
        ({"type": "A number", "answer": "1", "tolerance": "-1"}, "The tolerance"),
        ({"type": "A choice", "choices": "only one"}, "Type 2 to 8 choices"),
        ({"type": "A choice", "choices": "a\nb", "right": 3}, "The right choice"),
        ({"type": "A choice", "choices": "a\n" + "b" * 41}, "at most 40 characters"),
        ({"type": "A choice", "choices": "a\na"}, "different choices"),
    ],
)
def test_a_written_question_beyond_the_limits_says_why(backend, fields, message):
    teacher, code, _token = _open_class()
    _write(teacher, text="Which?", **fields)
    assert not teacher.exception
    assert any(message in w.value for w in teacher.warning), [w.value for w in teacher.warning]
    assert classroom.store_from_env().current(code) is None  # nothing was asked


def test_a_written_question_needs_its_text(backend):
    teacher, code, _token = _open_class()
    _write(teacher, text="   ", type="A number", answer="1")
    assert any("Type the question first" in w.value for w in teacher.warning)
    assert classroom.store_from_env().current(code) is None


def test_lock_reopen_and_a_countdown(backend):
    teacher, code, _token = _open_class()
    _write(teacher, text="A number?", type="A number", answer="1")
    student = _page({"class": code})
    _click(teacher, "Lock answers")
    student.run()
    seq = student.session_state["_class_state"].seen_seq
    assert student.text_input(key=f"class_in_{seq}").disabled
    assert "locked" in " ".join(m.value for m in student.markdown)
    _click(teacher, "Reopen answers")
    student.run()
    _send(student, "1")
    assert student.success[0].value.startswith("Sent: 1.")
    # A countdown: the store closes answers at its deadline; the page says how long.
    _menu(teacher).number_input(key="class_seconds").set_value(30).run()
    teacher.session_state["class_next"] = False  # closed: the countdown is kept anyway
    teacher.run()
    _write(teacher, text="Quick!", type="A number", answer="2")
    student.run()
    # The student's page counts down in its news element (tests/test_browser_class.py).
    (news,) = [e for e in student.get("bidi_component") if e.proto.component_name.endswith("news")]
    assert 28 < json.loads(news.proto.json)["left"] <= 30
    assert re.search(r"Time left: (29|30) s", " ".join(m.value for m in teacher.markdown))


def test_a_changed_choice_says_not_sent_until_it_is(backend):
    teacher, code, _token = _open_class()
    _write(teacher, text="Pick", type="A choice", choices="a\nb\nc", right=1)
    student = _page({"class": code})
    _send(student, "a")
    assert student.success[0].value.startswith("Sent: a.")
    seq = student.session_state["_class_state"].seen_seq
    student.radio(key=f"class_in_{seq}").set_value("b").run()
    assert not student.success
    assert student.warning[0].value.startswith("Not sent yet")
    assert classroom.store_from_env().my_answer(
        code, student.session_state["_class_state"].session
    ) == "a"  # fmt: skip


def test_numbers_are_drawn_one_dot_each_and_right_ones_match_the_count(backend):
    teacher, code, _token = _open_class()
    _write(teacher, text="f′(0.5)?", type="A number", answer="1", tolerance="0.1")
    for value in ("0", "1", "0.5", "1", "1.05"):
        _send(_page({"class": code}), value)
    teacher.run()
    (dots,) = _tally(teacher)["data"]
    assert sorted(dots["x"]) == [0.0, 0.5, 1.0, 1.0, 1.05] and max(dots["y"]) == 2
    _click(teacher, "Reveal to the class")
    chart = _tally(teacher)
    (dots,) = chart["data"]
    green = sum(c == dots["marker"]["color"][dots["x"].index(1.0)] for c in dots["marker"]["color"])
    assert green == 3 and "5 of 5 answered; 3 right" in chart["layout"]["title"]["text"]


def test_the_results_download_is_anonymous_csv(backend):
    teacher, code, _token = _open_class()
    _write(teacher, text="=cmd|' /C calc'!A0", type="A number", answer="-1")
    student = _page({"class": code})
    _send(student, "-1")
    teacher.session_state["class_results"] = True
    teacher.run()
    (button,) = [b for b in teacher.get("download_button")]
    data = button.proto.url  # served by Streamlit's media manager
    assert data
    rows = classroom.results_csv(
        classroom.store_from_env().results(code, teacher.session_state["_class_state"].token),
        lambda p: p.prompt,
    ).splitlines()
    assert rows[1].startswith("1,'=cmd") and ",'-1," in rows[1]
    assert student.session_state["_class_state"].session not in "\n".join(rows)


def test_the_teacher_ends_the_class_and_keeps_its_results(backend):
    teacher, code, _token = _open_class()
    _write(teacher, text="One?", type="A number", answer="1")
    student = _page({"class": code})
    _send(student, "1")
    teacher.session_state["class_menu"] = True
    teacher.run()
    _click(teacher, "End the class")
    assert not teacher.exception
    assert any("ended" in m.value for m in teacher.markdown)
    teacher.session_state["class_results"] = True
    teacher.run()
    (table,) = teacher.dataframe
    assert list(table.value["right"]) == ["1 of 1"]
    student.run()
    assert any("has ended" in w.value for w in student.warning)
    student.run()  # the next run leaves the class: its code leaves the address bar
    assert "class" not in student.query_params and not student.exception
