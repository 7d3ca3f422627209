"""A track's pages cost the same number of queries with 2 courses in it as with 8."""

import dataclasses

import pytest

from assessments.content_loader import load_quizzes
from courses import demo
from courses.models import LessonPage
from courses.services import enrolment_create, lesson_complete

from ..factories import make_course, make_track
from .test_queries import EXPECTED, count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[2, 8], ids=["2-courses", "8-courses"])
def signed_in(request, client, officer):
    """A track of N courses of three lessons, two lessons of its own and a final quiz; the
    learner is enrolled and has done the first lesson of every course and of the track."""
    courses = [
        make_course(title=f"Course {n}", slug=f"course-{n}", lessons=3)
        for n in range(request.param)
    ]
    track = make_track(title="Track", slug="track", courses=courses, lessons=2)
    spec = next(s for s in load_quizzes() if s.slug == "the-transit-lounge")
    demo.quiz(dataclasses.replace(spec, slug="track-quiz"), track)
    enrolment_create(user=officer, course=track)
    for page in [*courses, track]:
        lesson_complete(user=officer, lesson=LessonPage.objects.child_of(page).first())
    client.force_login(officer)
    return client, track, request.param


# Each as for a course, and one query more: whether the track's final quiz is passed.
TRACK_EXPECTED = {page: count + 1 for page, count in EXPECTED.items()}


def test_catalogue_with_a_track_queries(signed_in):
    client, track, _size = signed_in
    assert count_queries(client, track.get_parent().url) == TRACK_EXPECTED["catalogue"]


def test_track_page_queries(signed_in):
    client, track, size = signed_in
    assert count_queries(client, track.url) == TRACK_EXPECTED["course"]
    assert f"{size + 1} of {size * 3 + 3} steps done" in client.get(track.url).text


def test_track_lesson_queries(signed_in):
    client, track, _size = signed_in
    lesson = LessonPage.objects.child_of(track).last()
    assert count_queries(client, lesson.url) == TRACK_EXPECTED["lesson"]


def test_my_learning_with_a_track_queries(signed_in):
    client, _track, size = signed_in
    assert count_queries(client, "/my-learning/") == TRACK_EXPECTED["my_learning"]
    html = client.get("/my-learning/").text
    assert html.count("1 of 3 lessons done") == size
