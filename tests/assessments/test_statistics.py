"""Trainers see how often each choice was taken and which competencies learners miss."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services
from assessments.content_loader import load_quizzes
from assessments.reports import question_statistics
from courses import demo

from ..factories import UserFactory, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz():
    spec = next(s for s in load_quizzes() if s.slug == "the-transit-lounge")
    spec.draw = None  # every learner gets every question
    return demo.quiz(spec, make_course(title="Course", slug="course", lessons=1))


def first_single(quiz):
    return next(k for k, b in quiz.blocks_by_key.items() if b.block_type == "single")


def submit(quiz, choice):
    """A learner who answers the first single-choice question with `choice`, nothing else."""
    attempt = services.attempt_start(user=UserFactory(), quiz=quiz)
    services.attempt_submit(attempt=attempt, sequence=1, answers={first_single(quiz): choice})


def test_choices_taken_are_counted_and_wrong_answers_show_as_missed(quiz):
    key = first_single(quiz)
    right = next(c.id for c in quiz.scoring_question(key).choices if c.correct)
    wrong = next(c.id for c in quiz.scoring_question(key).choices if not c.correct)
    for choice in (right, wrong, wrong):
        submit(quiz, choice)
    statistics = question_statistics(quiz=quiz)
    stat = next(q for q in statistics.questions if q.key == key)
    taken = {c.id: c.taken for c in stat.choices}
    assert statistics.attempts == 3
    assert (taken[right], taken[wrong], stat.answered, stat.full_marks) == (1, 2, 3, 1)
    missed = {name: (m, asked) for name, m, asked in statistics.competencies}
    for competency in stat.competencies:
        assert missed[competency][0] >= 2


@pytest.fixture
def moderator():
    from cms.accounts.models import User

    return User.objects.create_superuser(email="moderator@example.org", password="x")


@pytest.mark.parametrize("attempts", [2, 20])
def test_statistics_page_queries_do_not_grow_with_attempts(client, quiz, moderator, attempts):
    for _ in range(attempts):
        submit(quiz, "c1")
    client.force_login(moderator)
    url = f"/admin/quiz-statistics/{quiz.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert f"{attempts} submitted attempts" in response.text
    # session, user, quiz, attempts, and the admin page itself (which shows the quiz's language)
    assert len(queries) == 12


def test_learners_cannot_read_quiz_statistics(client, officer, quiz):
    client.force_login(officer)
    assert client.get(f"/admin/quiz-statistics/{quiz.pk}/").status_code in (302, 403)


def test_statistics_count_ordering_answers_by_items_put_in_their_place(client, quiz, moderator):
    key = next(k for k, b in quiz.blocks_by_key.items() if b.block_type == "ordering")
    ids = [c.id for c in quiz.scoring_question(key).choices]
    swapped = [ids[1], ids[0], *ids[2:]]
    for order in (ids, swapped):
        attempt = services.attempt_start(user=UserFactory(), quiz=quiz)
        services.attempt_submit(attempt=attempt, sequence=1, answers={key: order})
    stat = next(q for q in question_statistics(quiz=quiz).questions if q.key == key)
    assert [c.taken for c in stat.choices] == [1, 1] + [2] * (len(ids) - 2)
    assert (stat.answered, stat.full_marks) == (2, 1)
    client.force_login(moderator)
    assert client.get(f"/admin/quiz-statistics/{quiz.pk}/").status_code == 200
