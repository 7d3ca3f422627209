"""A quiz page, autosave, the review and submit cost the same queries with 3 questions as with
10, the quiz page the same with 1 earlier attempt as with 10, and the result page the same with
3 questions as with 10."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services
from assessments.content_loader import load_quizzes
from courses import demo

from ..factories import make_course
from .test_attempts import right_answers

pytestmark = pytest.mark.django_db


def a_quiz(draw):
    spec = next(s for s in load_quizzes() if s.slug == "the-transit-lounge")
    spec.draw = draw
    return demo.quiz(spec, make_course(title="Course", slug="course", lessons=1))


def queries(client, method, url, data=None):
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), response
    return len(captured)


@pytest.mark.parametrize("earlier", [1, 10])
def test_quiz_page_queries(client, officer, earlier):
    quiz = a_quiz(draw=3)
    for _ in range(earlier):
        attempt = services.attempt_start(user=officer, quiz=quiz)
        services.attempt_submit(attempt=attempt)
    client.force_login(officer)
    client.get(f"/quizzes/{quiz.slug}/")
    assert queries(client, "get", f"/quizzes/{quiz.slug}/") == 4  # session, user, quiz, attempts


@pytest.mark.parametrize("draw", [3, 10])
def test_attempt_page_autosave_and_submit_queries(client, officer, draw):
    quiz = a_quiz(draw=draw)
    attempt = services.attempt_start(user=officer, quiz=quiz)
    client.force_login(officer)
    base = f"/quizzes/attempts/{attempt.pk}/"
    answer = right_answers(attempt)  # every drawn question answered, whatever its kind
    client.get(base)  # the menu's catalogue address is remembered until content changes
    assert queries(client, "get", base) == 3  # session, user, attempt (the revision is kept)
    assert queries(client, "post", base + "save/", {**answer, "sequence": "1"}) == 4
    assert queries(client, "post", base + "review/", {**answer, "sequence": "2"}) == 4
    assert queries(client, "get", base + "review/") == 3  # session, user, attempt
    # a locked re-read, grading and the update, each the same for any size
    confirm = {"sequence": "2", "confirm": "1"}
    assert queries(client, "post", base + "submit/", confirm) == 7


@pytest.mark.parametrize("draw", [3, 10])
def test_result_page_queries(client, officer, draw):
    quiz = a_quiz(draw=draw)
    quiz.attempts_allowed = 3
    quiz.save(update_fields=["attempts_allowed"])
    attempt = services.attempt_start(user=officer, quiz=quiz)
    services.attempt_submit(attempt=attempt)
    client.force_login(officer)
    url = f"/quizzes/attempts/{attempt.pk}/result/"
    client.get(url)  # the course it belongs to is remembered until content changes
    # session, user, attempt with its quiz, attempts made (for Try again)
    assert queries(client, "get", url) == 4
