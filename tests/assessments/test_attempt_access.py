"""An attempt is only open to someone the quiz is still for: losing access closes the door."""

import pytest

from assessments.models import Attempt
from cms.accounts.services import membership_leave

from .pages import submit
from .test_attempts import a_quiz, right_answers, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers_quiz():
    return a_quiz("the-transit-lounge", audience="officers")


@pytest.fixture
def officers_scenario():
    return a_quiz("gate-b12", audience="officers")


def test_member_who_left_cannot_open_an_officers_quiz_attempt(client, officer, officers_quiz):
    client.force_login(officer)
    attempt = start(client, officers_quiz)
    membership_leave(user=officer)
    assert client.get(f"/quizzes/attempts/{attempt.pk}/").status_code == 403


def test_member_who_left_cannot_save_an_officers_quiz(client, officer, officers_quiz):
    client.force_login(officer)
    attempt = start(client, officers_quiz)
    membership_leave(user=officer)
    response = client.post(f"/quizzes/attempts/{attempt.pk}/save/", right_answers(attempt))
    assert response.status_code == 403
    attempt.refresh_from_db()
    assert attempt.answers == {} and attempt.sequence == 0


def test_member_who_left_cannot_submit_an_officers_quiz(client, officer, officers_quiz):
    client.force_login(officer)
    attempt = start(client, officers_quiz)
    membership_leave(user=officer)
    response = client.post(f"/quizzes/attempts/{attempt.pk}/submit/", right_answers(attempt))
    assert response.status_code == 403
    assert Attempt.objects.get(pk=attempt.pk).is_open


def test_member_who_left_cannot_choose_in_an_officers_scenario(client, officer, officers_scenario):
    client.force_login(officer)
    attempt = start(client, officers_scenario)
    membership_leave(user=officer)
    response = client.post(f"/quizzes/attempts/{attempt.pk}/choose/", {"choice": "c1"})
    assert response.status_code == 403
    assert Attempt.objects.get(pk=attempt.pk).answers == {}


def test_member_who_left_cannot_read_the_right_answers_of_an_officers_quiz(
    client, officer, officers_quiz
):
    client.force_login(officer)
    attempt = start(client, officers_quiz)
    submit(client, attempt, right_answers(attempt))
    assert not Attempt.objects.get(pk=attempt.pk).is_open
    membership_leave(user=officer)
    response = client.get(f"/quizzes/attempts/{attempt.pk}/result/")
    assert response.status_code == 403
    assert "Right answer" not in response.text


def test_member_keeps_their_attempt_while_still_a_member(client, officer, officers_quiz):
    client.force_login(officer)
    attempt = start(client, officers_quiz)
    assert client.get(f"/quizzes/attempts/{attempt.pk}/").status_code == 200
