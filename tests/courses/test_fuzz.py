"""Whatever is sent to enrol, complete a lesson, check a lesson question or search, the answer is
never a server error."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ..fuzzing import FUZZ, form, row_id

pytestmark = pytest.mark.django_db


@FUZZ
@given(data=form(), course=st.none() | row_id)
def test_any_enrolment_gets_no_server_error(client, officer, officers_course, data, course):
    client.force_login(officer)
    url = f"/courses/{officers_course.pk if course is None else course}/enrol/"
    assert client.post(url, data).status_code < 500


@FUZZ
@given(data=form(), lesson=st.none() | row_id)
def test_any_lesson_completion_gets_no_server_error(client, officer, public_course, data, lesson):
    client.force_login(officer)
    lesson = public_course.get_children().first().pk if lesson is None else lesson
    assert client.post(f"/lessons/{lesson}/complete/", data).status_code < 500


@FUZZ
@given(params=form("q", "page"), signed_in=st.booleans())
def test_any_search_gets_no_server_error(client, officer, public_course, params, signed_in):
    if signed_in:
        client.force_login(officer)
    assert client.get("/search/", params).status_code < 500


@pytest.fixture
def questioned_lesson(db):
    from ..factories import lesson_with_block

    choice = {"text": "A", "is_correct": True, "feedback": ""}
    return lesson_with_block(
        "check_understanding",
        {"question": "Which?", "choices": [choice, {**choice, "text": "B"}]},
    )


@FUZZ
@given(
    data=form("block", "choice-", "csrfmiddlewaretoken"),
    json=st.booleans(),
    signed_in=st.booleans(),
)
def test_any_check_of_a_lesson_question_gets_no_server_error(
    client, officer, questioned_lesson, data, json, signed_in
):
    from courses.models import CheckAnswer

    client.logout()
    if signed_in:
        client.force_login(officer)
    headers = {"Accept": "application/json"} if json else {}
    response = client.post(f"/lessons/{questioned_lesson.pk}/check/", data, headers=headers)
    assert 400 <= response.status_code < 500  # nothing generated can name a real option
    assert not CheckAnswer.objects.exists()
