"""Quizzes in the CMS follow their audience: a trainer whose organisation has no officer
access sees neither an officers' quiz (with its correct answers) nor its statistics."""

import pytest

from assessments.content_loader import load_quizzes
from courses import demo

from ..courses.test_cms_audiences import refused
from ..factories import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers_quiz():
    spec = next(s for s in load_quizzes() if s.slug == "the-favour")
    spec.title = "The officers favour"
    course = make_course(title="Corruption", slug="corruption", audience="officers", lessons=1)
    return demo.quiz(spec, course)


QUIZ = "/admin/snippets/assessments/quiz"


def test_quiz_listing_hides_officers_quizzes_from_a_trainer_without_officer_access(
    client, ngo_trainer, officers_quiz
):
    client.force_login(ngo_trainer)
    response = client.get(f"{QUIZ}/")
    assert response.status_code == 200
    assert "The officers favour" not in response.text


@pytest.mark.parametrize(
    "action",
    [
        "edit/{pk}/",
        "copy/{pk}/",
        "usage/{pk}/",
        "history/{pk}/",
        "history/{pk}/revisions/compare/earliest...latest/",
        "workflow_history/{pk}/",
    ],
)
def test_trainer_without_officer_access_cannot_open_an_officers_quiz(
    client, ngo_trainer, officers_quiz, action
):
    client.force_login(ngo_trainer)
    assert officers_quiz.audience == "officers"
    assert refused(client.get(f"{QUIZ}/{action.format(pk=officers_quiz.pk)}"))


def test_trainer_without_officer_access_cannot_read_an_officers_quiz_statistics(
    client, ngo_trainer, officers_quiz
):
    client.force_login(ngo_trainer)
    assert refused(client.get(f"/admin/quiz-statistics/{officers_quiz.pk}/"))


def test_trainer_with_officer_access_opens_an_officers_quiz(client, trainer, officers_quiz):
    client.force_login(trainer)
    assert client.get(f"{QUIZ}/edit/{officers_quiz.pk}/").status_code == 200
    assert client.get(f"/admin/quiz-statistics/{officers_quiz.pk}/").status_code == 200


def test_quiz_chooser_leaves_out_officers_quizzes_for_a_trainer_without_officer_access(
    client, ngo_trainer, officers_quiz
):
    client.force_login(ngo_trainer)
    response = client.get("/admin/snippets/choose/assessments/quiz/")
    assert response.status_code == 200
    assert "The officers favour" not in response.json()["html"]
