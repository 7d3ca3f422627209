"""Each page costs the same number of queries with 10 lessons as with 100."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.services import lesson_complete

from ..factories import make_course

pytestmark = pytest.mark.django_db


def build(total_lessons, user):
    """Courses of ten lessons each; the user has enrolled in and done some of every course."""
    courses = [
        make_course(title=f"Course {n}", slug=f"course-{n}", lessons=10)
        for n in range(total_lessons // 10)
    ]
    for course in courses:
        lesson_complete(user=user, lesson=course.get_children().first().specific)
    return courses


def count_queries(client, url):
    client.get(url)  # warm the site root paths cache, as every request after the first finds it
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture(params=[10, 100], ids=["10-lessons", "100-lessons"])
def signed_in(request, client, officer):
    courses = build(request.param, officer)
    client.force_login(officer)
    return client, courses


# The session, the user, and the learner's record (lessons done, enrolments, completions) in one
# query; the page, its course, lessons and the membership come from the cache once the first
# request has put them there. My learning reads the learner's cohorts and their upcoming
# sessions in one more query, and their certificates in one more.
EXPECTED = {"catalogue": 3, "course": 3, "lesson": 3, "my_learning": 5}


def test_catalogue_queries(signed_in):
    client, courses = signed_in
    assert count_queries(client, courses[0].get_parent().url) == EXPECTED["catalogue"]


def test_course_page_queries(signed_in):
    client, courses = signed_in
    assert count_queries(client, courses[-1].url) == EXPECTED["course"]


def test_lesson_page_queries(signed_in):
    client, courses = signed_in
    lesson = courses[-1].get_children().last()
    assert count_queries(client, lesson.url) == EXPECTED["lesson"]


def test_my_learning_queries(signed_in):
    client, _courses = signed_in
    assert count_queries(client, "/my-learning/") == EXPECTED["my_learning"]


@pytest.mark.parametrize("total_lessons", [10, 100])
def test_anonymous_public_lesson_is_served_from_the_page_cache(client, officer, total_lessons):
    courses = build(total_lessons, officer)
    url = courses[-1].get_children().last().url
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(url).status_code == 200
    # site, page and its type, privacy settings, and the catalogue for the menu
    assert (len(first), len(second)) == (5, 0)


@pytest.mark.parametrize("questions", [3, 30])
def test_lesson_page_with_answered_questions_queries(client, officer, questions):
    """The learner's answers to the lesson's questions cost one query, however many."""
    import json

    from courses.blocks import option_key
    from courses.services import check_answer

    from ..factories import lesson_with_block

    question = {
        "question": "Which?",
        "choices": [
            {"text": "This one", "is_correct": True, "feedback": "Yes."},
            {"text": "That one", "is_correct": False, "feedback": "No."},
        ],
    }
    lesson = lesson_with_block("check_understanding", question)
    lesson.body = json.dumps([{"type": "check_understanding", "value": question}] * questions)
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    for raw in lesson.body.raw_data:
        key = option_key(lesson.pk, raw["id"], "That one")
        check_answer(user=officer, lesson=lesson, block_id=raw["id"], key=key)
    client.force_login(officer)
    assert count_queries(client, lesson.url) == EXPECTED["lesson"] + 1
    html = client.get(lesson.url).text
    assert f"You answered {questions} of {questions} questions" in html


@pytest.fixture(params=[1, 10], ids=["1-course", "10-courses"])
def finished_with_quizzes(request, client, officer):
    """Courses of two lessons, each with its own final quiz, every lesson done; the learner
    failed the first quiz and passed the second."""
    import dataclasses

    from django.utils import timezone

    from assessments.content_loader import load_quizzes
    from assessments.models import Attempt
    from courses import demo

    spec = next(s for s in load_quizzes() if s.slug == "the-transit-lounge")
    courses = []
    for n in range(request.param + 1):
        course = make_course(title=f"Course {n}", slug=f"course-{n}", lessons=2)
        quiz = demo.quiz(dataclasses.replace(spec, slug=f"quiz-{n}", title=f"Quiz {n}"), course)
        if n < 2:
            Attempt.objects.create(
                user=officer,
                quiz=quiz,
                revision=quiz.live_revision,
                number=1,
                status="submitted",
                submitted_at=timezone.now(),
                passed=n == 1,
            )
        for lesson in course.get_children().specific():
            lesson_complete(user=officer, lesson=lesson)
        course.refresh_from_db()
        courses.append(course)
    client.force_login(officer)
    return client, courses


def test_my_learning_with_final_quizzes_queries(finished_with_quizzes):
    """Which final quizzes are passed costs one query, however many courses point to one."""
    client, courses = finished_with_quizzes
    assert count_queries(client, "/my-learning/") == EXPECTED["my_learning"] + 1
    html = client.get("/my-learning/").text
    assert html.count("Take the final quiz") == len(courses) - 1
    assert "Final quiz passed" in html


def test_course_page_pointing_to_its_final_quiz_queries(finished_with_quizzes):
    client, courses = finished_with_quizzes
    failed = courses[0]
    assert count_queries(client, failed.url) == EXPECTED["course"] + 1  # its attempts
    assert "Take the final quiz" in client.get(failed.url).text
