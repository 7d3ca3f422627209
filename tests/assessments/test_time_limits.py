"""A timed attempt that runs out closes, is graded on what it holds, and never locks a learner
out: the next start makes a new attempt while any are left."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments import vocabulary
from assessments.models import Attempt

from .pages import step_buttons
from .test_attempts import a_quiz, right_answers, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def timed_scenario():
    return a_quiz("gate-b12", time_limit_minutes=10, attempts_allowed=2)


def run_out(attempt):
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))


def first_choice(client, attempt) -> str:
    """Take the first choice the step shows; its authored id."""
    token = step_buttons(client, attempt)[0]
    client.post(f"/quizzes/attempts/{attempt.pk}/choose/", {"choice": token})
    quiz = attempt.quiz_as_started
    question = quiz.scoring_question(quiz.first_step)
    return vocabulary.choice_from_token(question, attempt_id=attempt.pk, token=token)


def test_expired_scenario_closes_and_fails_when_the_learner_comes_back(
    client, stranger, timed_scenario
):
    client.force_login(stranger)
    attempt = start(client, timed_scenario)
    taken = first_choice(client, attempt)
    run_out(attempt)
    response = client.get(f"/quizzes/attempts/{attempt.pk}/")
    assert response["Location"] == f"/quizzes/attempts/{attempt.pk}/result/"
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.passed is False
    assert attempt.answers == {"path": [taken]}


def test_choosing_after_the_time_limit_closes_the_scenario(client, stranger, timed_scenario):
    client.force_login(stranger)
    attempt = start(client, timed_scenario)
    token = step_buttons(client, attempt)[0]
    run_out(attempt)
    response = client.post(f"/quizzes/attempts/{attempt.pk}/choose/", {"choice": token})
    assert response["Location"] == f"/quizzes/attempts/{attempt.pk}/result/"
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.passed is False
    assert attempt.answers == {}


def test_submitting_an_expired_unfinished_scenario_grades_it_as_failed(
    client, stranger, timed_scenario
):
    client.force_login(stranger)
    attempt = start(client, timed_scenario)
    first_choice(client, attempt)
    run_out(attempt)
    client.post(f"/quizzes/attempts/{attempt.pk}/submit/", {"sequence": "9"})
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.passed is False


def test_starting_after_an_expired_scenario_makes_a_new_attempt(client, stranger, timed_scenario):
    client.force_login(stranger)
    expired = start(client, timed_scenario)
    run_out(expired)
    fresh = start(client, timed_scenario)
    assert fresh.pk != expired.pk and fresh.number == 2 and fresh.is_open
    assert Attempt.objects.get(pk=expired.pk).status == "submitted"


def test_starting_after_the_last_attempt_expired_says_none_are_left(client, stranger):
    quiz = a_quiz("gate-b12", time_limit_minutes=10, attempts_allowed=1)
    client.force_login(stranger)
    expired = start(client, quiz)
    run_out(expired)
    response = client.post(f"/quizzes/{quiz.slug}/start/", follow=True)
    assert "used all the attempts" in response.text
    assert Attempt.objects.get().status == "submitted"


def test_an_unfinished_scenario_cannot_be_submitted_in_time(client, stranger, timed_scenario):
    client.force_login(stranger)
    attempt = start(client, timed_scenario)
    response = client.post(
        f"/quizzes/attempts/{attempt.pk}/submit/", {"sequence": "1"}, follow=True
    )
    assert "Finish the scenario" in response.text
    assert Attempt.objects.get(pk=attempt.pk).is_open


def test_starting_after_an_expired_quiz_grades_what_was_saved(client, officer):
    quiz = a_quiz("the-transit-lounge", time_limit_minutes=10)
    client.force_login(officer)
    expired = start(client, quiz)
    client.post(f"/quizzes/attempts/{expired.pk}/save/", right_answers(expired))
    run_out(expired)
    fresh = start(client, quiz)
    expired.refresh_from_db()
    assert fresh.pk != expired.pk
    assert expired.status == "submitted" and expired.percent == {"detection": 100, "rights": 100}


def test_quiz_page_shows_an_expired_attempt_as_graded(client, stranger, timed_scenario):
    client.force_login(stranger)
    expired = start(client, timed_scenario)
    run_out(expired)
    html = client.get(f"/quizzes/{timed_scenario.slug}/").text
    assert "Resume your attempt" not in html and "in progress" not in html
    assert "not passed" in html


def test_result_of_an_expired_attempt_says_time_ran_out(client, stranger, timed_scenario):
    client.force_login(stranger)
    expired = start(client, timed_scenario)
    run_out(expired)
    html = client.get(f"/quizzes/attempts/{expired.pk}/", follow=True).text
    assert "Time ran out" in html
