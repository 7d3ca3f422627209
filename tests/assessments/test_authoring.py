"""Quizzes go through the same draft, review and publish path as lessons."""

import pytest

from assessments.content_loader import load_quizzes
from cms.accounts.models import User
from courses import demo

from ..factories import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz():
    spec = next(s for s in load_quizzes() if s.slug == "the-favour")
    return demo.quiz(spec, make_course(title="Corruption", slug="corruption", lessons=1))


def test_trainer_opens_the_quiz_editor(client, trainer, quiz):
    client.force_login(trainer)
    assert client.get("/admin/snippets/assessments/quiz/").status_code == 200
    assert client.get("/admin/snippets/assessments/quiz/add/").status_code == 200
    assert client.get(f"/admin/snippets/assessments/quiz/edit/{quiz.pk}/").status_code == 200


def test_trainer_may_draft_but_not_publish(trainer):
    assert trainer.has_perm("assessments.change_quiz")
    assert not trainer.has_perm("assessments.publish_quiz")


def test_submitted_quiz_goes_live_when_a_moderator_approves(client, trainer, quiz):
    moderator = User.objects.create_superuser(email="moderator@example.org", password="x")
    quiz.title = "The favour, revised"
    quiz.save_revision(user=trainer)
    workflow = quiz.get_workflow()
    assert workflow.name == "Moderators approval"
    state = workflow.start(quiz, trainer)
    quiz.refresh_from_db()
    assert quiz.title == "The favour"  # learners still see the published version
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve")
    quiz.refresh_from_db()
    assert quiz.title == "The favour, revised"
    assert quiz.revisions.count() == 2
