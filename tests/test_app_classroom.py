"""The live class poll through the page (AppTest), on both stores: a teacher and three
students in one class, answers arriving in the teacher's chart, the reveal, hostile
class links, and a class that ended."""

from __future__ import annotations

import json

import pytest
from conftest import APP, chart_payloads
from streamlit.testing.v1 import AppTest

from relulab import classroom, quiz


@pytest.fixture(params=["memory", "redis"])
def backend(request, monkeypatch):
    """The page's store: the process's memory store, or a real redis-server."""
    if request.param == "redis":
        url = request.getfixturevalue("redis_server")
        import redis

        redis.Redis.from_url(url).flushdb()
        monkeypatch.setenv("RELULAB_REDIS_URL", url)
    else:
        monkeypatch.delenv("RELULAB_REDIS_URL", raising=False)
    return request.param


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
    return teacher, teacher.query_params["class"], teacher.query_params["teacher"]


def _question(at: AppTest) -> quiz.Question:
    return at.session_state["_quiz_state"].question


def _tally(teacher: AppTest) -> dict:
    (chart,) = [
        json.loads(c.proto.spec) for c in teacher.get("plotly_chart") if "bar" in c.proto.spec
    ]
    return chart


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
    assert sum(tally["data"][0]["y"]) == 3
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
    # A server restart without a shared store: the code is unknown to the new store.
    if backend == "memory":
        late = _page({"class": "K7MX3P"})
        assert any("has ended" in w.value for w in late.warning)


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
    student.run()  # the next refresh
    assert not student.exception
    assert not student.session_state["_quiz_state"].in_class
    assert "Hidden until you answer" not in "\n".join(m.value for m in student.markdown)


def test_reveal_before_any_question_says_so(backend):
    teacher, _, _ = _open_class()
    _click(teacher, "Reveal to the class")
    assert not teacher.exception
    assert any("ask one first" in w.value for w in teacher.warning)


def test_a_send_on_a_question_the_teacher_replaced_says_so(backend):
    # A page may still show the old question for a refresh (half the class takes a new
    # one a refresh later): its Send is refused, and the page says why and moves on.
    # (AppTest runs the whole page, which never defers; here the Send simply comes
    # before the page's next run.) The first question is the lab's, so the page that
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


def test_a_framework_questions_reveal_keeps_its_convention_on_every_page(monkeypatch):
    # Both the teacher's and a student's page: the switch, the dots at 0 and the star
    # show PyTorch's value, not JAX's (one store suffices: this is the page's part).
    from relulab import frameworks
    from relulab.figures import LEAKY_COLOR

    monkeypatch.delenv("RELULAB_REDIS_URL", raising=False)
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
