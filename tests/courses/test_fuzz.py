"""Whatever is sent to enrol, complete a lesson or search, the answer is never a server error."""

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
