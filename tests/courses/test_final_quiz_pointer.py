"""When every lesson of a course is done, the course page and My learning point to its final
quiz, and say so once it is passed."""

import pytest
from django.utils import timezone

from assessments.content_loader import load_quizzes
from assessments.models import Attempt
from courses import demo
from courses.services import lesson_complete

from ..factories import make_course

pytestmark = pytest.mark.django_db
SPECS = {spec.slug: spec for spec in load_quizzes()}
TAKE = "Take the final quiz"


def course_with_quiz(slug="ending", lessons=2, quiz_slug="the-transit-lounge"):
    course = make_course(title=f"Course {slug}", slug=slug, lessons=lessons)
    quiz = demo.quiz(SPECS[quiz_slug], course)
    course.refresh_from_db()
    return course, quiz


def do_lessons(user, course, count=None):
    for lesson in list(course.get_children().specific())[:count]:
        lesson_complete(user=user, lesson=lesson)


def grade(user, quiz, passed: bool, number=1):
    return Attempt.objects.create(
        user=user,
        quiz=quiz,
        revision=quiz.live_revision,
        number=number,
        status=Attempt.Status.SUBMITTED,
        submitted_at=timezone.now(),
        percent={"detection": 100 if passed else 0},
        passed=passed,
    )


def quiz_link(quiz) -> str:
    return f'href="/quizzes/{quiz.slug}/"'


def test_the_course_page_points_to_the_final_quiz_only_once_every_lesson_is_done(client, officer):
    course, quiz = course_with_quiz()
    client.force_login(officer)
    do_lessons(officer, course, 1)
    html = client.get(course.url).text
    assert TAKE not in html and "Continue" in html
    do_lessons(officer, course)
    html = client.get(course.url).text
    assert TAKE in html and "Continue" not in html
    assert f'class="button" {quiz_link(quiz)}' in html


def test_the_course_page_says_the_final_quiz_is_passed(client, officer):
    course, quiz = course_with_quiz()
    grade(officer, quiz, passed=True)
    do_lessons(officer, course)  # completes the course, the quiz being passed
    client.force_login(officer)
    html = client.get(course.url).text
    assert TAKE not in html
    assert "You have completed this course." in html and "You passed the final quiz." in html


def test_a_failed_final_quiz_is_still_pointed_to(client, officer):
    course, quiz = course_with_quiz()
    grade(officer, quiz, passed=False)
    do_lessons(officer, course)
    client.force_login(officer)
    html = client.get(course.url).text
    assert TAKE in html and "You passed the final quiz." not in html


def test_a_course_without_a_final_quiz_points_to_none(client, officer):
    course = make_course(title="No quiz", slug="no-quiz", lessons=1)
    do_lessons(officer, course)
    client.force_login(officer)
    assert TAKE not in client.get(course.url).text
    assert TAKE not in client.get("/my-learning/").text


def test_an_unpublished_final_quiz_is_not_pointed_to(client, officer):
    course, quiz = course_with_quiz()
    do_lessons(officer, course)
    quiz.unpublish()
    client.force_login(officer)
    assert TAKE not in client.get(course.url).text
    assert TAKE not in client.get("/my-learning/").text


def test_my_learning_points_to_the_final_quiz_once_every_lesson_is_done(client, officer):
    started, _quiz = course_with_quiz("started")
    finished, quiz = course_with_quiz("finished", quiz_slug="gate-b12")
    do_lessons(officer, started, 1)
    do_lessons(officer, finished)
    client.force_login(officer)
    html = client.get("/my-learning/").text
    assert html.count(TAKE) == 1 and quiz_link(quiz) in html
    assert "Continue" in html  # the course still being read


def test_my_learning_says_when_the_final_quiz_is_passed(client, officer):
    course, quiz = course_with_quiz()
    grade(officer, quiz, passed=True)
    do_lessons(officer, course)
    client.force_login(officer)
    html = client.get("/my-learning/").text
    assert TAKE not in html and "Final quiz passed" in html


@pytest.mark.parametrize("counting,passed", [("best", True), ("last", False)])
def test_my_learning_counts_the_attempt_the_quiz_counts(client, officer, counting, passed):
    course, quiz = course_with_quiz()
    quiz.counting = counting
    quiz.save_revision().publish()
    grade(officer, quiz, passed=True, number=1)
    grade(officer, quiz, passed=False, number=2)
    do_lessons(officer, course)
    client.force_login(officer)
    html = client.get("/my-learning/").text
    assert ("Final quiz passed" in html) is passed
    assert (TAKE in html) is not passed
