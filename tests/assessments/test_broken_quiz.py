"""A quiz revision that breaks the rules (published before the CMS checked them) gets learners a
clear message, never a server error, and does not leave their attempt stuck for good."""

import json

import pytest

from assessments.models import Attempt

from .test_attempts import a_quiz

pytestmark = pytest.mark.django_db

FAULT = "This quiz has a fault"


@pytest.fixture
def scenario():
    return a_quiz("gate-b12")


def first_choice(questions: list) -> dict:
    """The first choice of the first question of a quiz's raw questions: a list block's item
    holds the choice under `value`."""
    return questions[0]["value"]["choices"][0]["value"]


def publish_broken(quiz, *, pass_rule_typo: bool = True):
    """The first choice leads to a step that does not exist; the pass rule names a typo."""
    questions = json.loads(json.dumps(list(quiz.questions.raw_data)))
    first_choice(questions)["leads_to"] = "q99"
    quiz.questions = json.dumps(questions)
    if pass_rule_typo:
        quiz.pass_on = "detection, rihgts"
    quiz.save_revision(clean=False).publish()
    quiz.refresh_from_db()
    assert quiz.questions[0].value["choices"][0]["leads_to"] == "q99"
    return quiz


def attempt_on(quiz, user):
    """An attempt begun on the live revision, as the start of an attempt stores it."""
    keys = [block.value["key"] for block in quiz.questions]
    return Attempt.objects.create(
        user=user, quiz=quiz, revision=quiz.live_revision, number=1, drawn=keys
    )


@pytest.fixture
def broken_attempt(client, stranger, scenario):
    """An attempt begun on the broken revision (as one begun before the CMS checked quizzes)."""
    attempt = attempt_on(publish_broken(scenario), stranger)
    client.force_login(stranger)
    return attempt


def test_first_choice_leading_to_a_missing_step_gets_a_message_not_an_error(client, broken_attempt):
    url = f"/quizzes/attempts/{broken_attempt.pk}/choose/"
    response = client.post(url, {"choice": "c1"}, follow=True)
    assert response.status_code == 409 and FAULT in response.text
    broken_attempt.refresh_from_db()
    assert broken_attempt.is_open and broken_attempt.answers == {}


def test_a_missing_step_alone_gets_a_message_when_a_choice_leads_to_it(client, stranger, scenario):
    """With its pass rule right, the quiz is broken by the step its first choice names."""
    attempt = attempt_on(publish_broken(scenario, pass_rule_typo=False), stranger)
    client.force_login(stranger)
    response = client.post(f"/quizzes/attempts/{attempt.pk}/choose/", {"choice": "c1"})
    assert response.status_code == 409 and FAULT in response.text
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.answers == {}


def test_resuming_an_attempt_stuck_on_a_missing_step_gets_a_message(client, broken_attempt):
    Attempt.objects.filter(pk=broken_attempt.pk).update(answers={"path": ["c1"]})
    response = client.get(f"/quizzes/attempts/{broken_attempt.pk}/")
    assert response.status_code == 409 and FAULT in response.text


def test_saving_an_attempt_on_a_broken_revision_is_refused_clearly(client, broken_attempt):
    response = client.post(f"/quizzes/attempts/{broken_attempt.pk}/save/", {"sequence": "1"})
    assert response.status_code == 409
    assert response.json()["saved"] is False and FAULT in response.json()["error"]


def test_submitting_an_attempt_on_a_broken_revision_gets_a_message(client, broken_attempt):
    Attempt.objects.filter(pk=broken_attempt.pk).update(answers={"path": ["c1"]})
    url = f"/quizzes/attempts/{broken_attempt.pk}/submit/"
    response = client.post(url, {"sequence": "5"}, follow=True)
    assert response.status_code == 409 and FAULT in response.text
    broken_attempt.refresh_from_db()
    assert broken_attempt.is_open


def test_result_on_a_broken_revision_still_shows_the_score(client, broken_attempt):
    broken_attempt.answers = {"path": ["c1"]}
    broken_attempt.status, broken_attempt.passed = Attempt.Status.SUBMITTED, False
    broken_attempt.percent = {"detection": 40, "rights": 55}
    broken_attempt.submitted_at = broken_attempt.started_at
    broken_attempt.save()
    response = client.get(f"/quizzes/attempts/{broken_attempt.pk}/result/")
    assert response.status_code == 409 and FAULT in response.text
    assert "55%" in response.text


def test_starting_a_broken_quiz_is_refused_and_starts_nothing(client, stranger, scenario):
    publish_broken(scenario)
    client.force_login(stranger)
    response = client.post(f"/quizzes/{scenario.slug}/start/")
    assert response.status_code == 409 and FAULT in response.text
    assert not Attempt.objects.filter(user=stranger).exists()


def test_stuck_attempt_starts_again_once_the_quiz_is_corrected(client, stranger, scenario):
    corrected = (scenario.questions.raw_data, scenario.pass_on)
    attempt = attempt_on(publish_broken(scenario), stranger)
    Attempt.objects.filter(pk=attempt.pk).update(answers={"path": ["c1"]})
    scenario.questions, scenario.pass_on = json.dumps(list(corrected[0])), corrected[1]
    scenario.save_revision().publish()
    scenario.refresh_from_db()
    client.force_login(stranger)
    response = client.get(f"/quizzes/attempts/{attempt.pk}/", follow=True)
    assert response.status_code == 200 and "corrected" in response.text
    again = Attempt.objects.get(user=stranger)
    assert again.number == 1 and again.revision_id == scenario.live_revision_id
    assert again.answers == {} and again.is_open
    choose = client.post(f"/quizzes/attempts/{again.pk}/choose/", {"choice": "c1"})
    assert choose.status_code == 302


def test_revision_with_points_out_of_range_still_serves_learners(client, stranger, scenario):
    """A problem the CMS now refuses, but that keeps no one from finishing or passing."""
    questions = json.loads(json.dumps(list(scenario.questions.raw_data)))
    first_choice(questions)["points"] = "detection: 3, rights: 2"
    scenario.questions = json.dumps(questions)
    scenario.save_revision(clean=False).publish()
    scenario.refresh_from_db()
    assert scenario.questions[0].value["choices"][0]["points"] == "detection: 3, rights: 2"
    client.force_login(stranger)
    attempt = attempt_on(scenario, stranger)
    assert client.get(f"/quizzes/attempts/{attempt.pk}/").status_code == 200
    choose = client.post(f"/quizzes/attempts/{attempt.pk}/choose/", {"choice": "c1"})
    assert choose.status_code == 302
