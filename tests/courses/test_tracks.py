"""Tracks for learners: the catalogue, the track page, enrolling, progress and Continue across
the track, completion, My learning, and the track's editing in the CMS."""

import dataclasses

import pytest
from django.utils import timezone

from assessments.content_loader import load_quizzes
from assessments.models import Attempt
from courses import demo
from courses.models import CourseCompletion, Enrolment, LessonPage, TrackPage
from courses.selectors import catalogue_for_user, my_learning
from courses.services import enrolment_create, lesson_complete, quiz_graded

from ..factories import make_track

pytestmark = pytest.mark.django_db


def lessons(page):
    return list(LessonPage.objects.child_of(page).order_by("path"))


@pytest.fixture
def track(public_course, officers_course):
    """A public track: the public course, then the officers' course, then two lessons."""
    return make_track(
        title="Border trainer",
        slug="border-trainer",
        courses=[public_course, officers_course],
        lessons=2,
    )


def final_quiz(course, slug="track-quiz"):
    spec = next(s for s in load_quizzes() if s.slug == "the-transit-lounge")
    quiz = demo.quiz(dataclasses.replace(spec, slug=slug, title=f"Quiz {slug}"), course)
    course.refresh_from_db()
    return quiz


def passed(user, quiz, *, ok=True):
    attempt = Attempt.objects.create(
        user=user,
        quiz=quiz,
        revision=quiz.live_revision,
        number=Attempt.objects.filter(user=user, quiz=quiz).count() + 1,
        status="submitted",
        submitted_at=timezone.now(),
        passed=ok,
    )
    quiz_graded(attempt=attempt)


def complete_all(user, page):
    for lesson in lessons(page):
        lesson_complete(user=user, lesson=lesson)


class TestLessonsOfATrack:
    def test_a_track_lesson_belongs_to_the_track_as_a_course(self, track):
        lesson = lessons(track)[0]
        assert lesson.course.pk == track.pk
        assert lesson.course.is_track
        assert not lessons(track.track_courses.first().course)[0].course.is_track

    def test_a_track_lesson_page_leads_back_to_the_track(self, client, officer, track):
        client.force_login(officer)
        response = client.get(lessons(track)[0].url)
        assert response.status_code == 200
        assert f'href="{track.url}"' in response.text
        assert "Lesson 1 of 2" in response.text

    def test_after_the_tracks_last_lesson_the_learner_goes_back_to_the_track(
        self, client, officer, track
    ):
        first, last = lessons(track)
        client.force_login(officer)
        assert client.post(f"/lessons/{first.pk}/complete/")["Location"] == last.url
        assert client.post(f"/lessons/{last.pk}/complete/")["Location"] == track.url


class TestCatalogue:
    def test_the_catalogue_marks_a_track_with_its_course_count(self, client, track):
        response = client.get(track.get_parent().url)
        assert response.status_code == 200
        assert "Track · 2 courses" in response.text
        assert "Border trainer" in response.text and "Document abuse" in response.text

    def test_a_track_entry_counts_its_courses_lessons_and_its_own(self, officer, track):
        lesson_complete(user=officer, lesson=lessons(track)[0])
        (entry,) = [e for e in catalogue_for_user(user=officer) if e.course.pk == track.pk]
        assert entry.is_track and len(entry.courses) == 2
        assert (entry.progress.done, entry.progress.total) == (1, 3 + 3 + 2)


class TestTrackPage:
    def test_the_track_page_lists_its_courses_in_order_and_its_lessons(self, client, track):
        html = client.get(track.url).text
        first, second = html.index("Recognising smuggling"), html.index("Document abuse")
        assert first < second < html.index("Border trainer lesson 1")
        assert "Sign in to enrol" in html

    def test_each_course_shows_the_learners_progress_in_it(self, client, officer, track):
        enrolment_create(user=officer, course=track)
        lesson_complete(user=officer, lesson=lessons(track.track_courses.first().course)[0])
        client.force_login(officer)
        html = client.get(track.url).text
        assert "1 of 3 lessons done (33%)" in html  # the first course
        assert "0 of 3 lessons done (0%)" in html  # the second
        assert "1 of 8 steps done (12%)" in html  # the track

    def test_a_learner_not_enrolled_is_offered_to_enrol(self, client, officer, track):
        client.force_login(officer)
        html = client.get(track.url).text
        assert "Enrol in this track" in html and f"/courses/{track.pk}/enrol/" in html


class TestEnrolment:
    def test_enrolling_in_a_track_enrols_in_its_courses_once(self, client, officer, track):
        client.force_login(officer)
        first = client.post(f"/courses/{track.pk}/enrol/")
        client.post(f"/courses/{track.pk}/enrol/")  # a double click
        assert Enrolment.objects.filter(user=officer).count() == 3
        assert first["Location"] == lessons(track.track_courses.first().course)[0].url

    def test_courses_closed_to_the_learner_are_not_enrolled(self, stranger, track):
        enrolment_create(user=stranger, course=track)
        enrolled = set(
            Enrolment.objects.filter(user=stranger).values_list("course__slug", flat=True)
        )
        assert enrolled == {"border-trainer", "recognising"}


class TestContinue:
    def test_continue_goes_through_the_courses_in_order_then_the_track_lessons_then_the_quiz(
        self, officer, public_course, officers_course
    ):
        track = make_track(slug="ordered", courses=[officers_course, public_course], lessons=1)
        quiz = final_quiz(track)
        enrolment_create(user=officer, course=track)

        def entry():
            return next(e for e in my_learning(user=officer) if e.course.pk == track.pk)

        assert entry().next_lesson.pk == lessons(officers_course)[0].pk
        complete_all(officer, officers_course)
        assert entry().next_lesson.pk == lessons(public_course)[0].pk
        complete_all(officer, public_course)
        assert entry().next_lesson.pk == lessons(track)[0].pk
        complete_all(officer, track)
        last = entry()
        assert last.next_lesson is None and last.all_lessons_done
        assert (last.final_quiz.pk, last.quiz_passed, last.is_complete) == (quiz.pk, False, False)
        assert (last.progress.done, last.progress.total) == (7, 8)
        passed(officer, quiz)
        assert entry().is_complete and entry().progress.percent == 100


class TestCompletion:
    def test_completing_the_last_course_completes_a_track_without_lessons_of_its_own(
        self, officer, public_course, officers_course
    ):
        track = make_track(slug="courses-only", courses=[public_course, officers_course], lessons=0)
        enrolment_create(user=officer, course=track)
        complete_all(officer, public_course)
        assert not CourseCompletion.objects.filter(user=officer, course=track).exists()
        complete_all(officer, officers_course)
        assert CourseCompletion.objects.filter(user=officer, course=track).exists()

    def test_the_track_waits_for_its_own_lessons(self, officer, track):
        enrolment_create(user=officer, course=track)
        for course_row in track.track_courses.all():
            complete_all(officer, course_row.course)
        assert not CourseCompletion.objects.filter(user=officer, course=track).exists()
        complete_all(officer, track)
        assert CourseCompletion.objects.filter(user=officer, course=track).count() == 1

    def test_the_track_waits_for_a_course_whose_final_quiz_is_not_passed(
        self, officer, track, public_course, officers_course
    ):
        quiz = final_quiz(officers_course, slug="course-quiz")
        enrolment_create(user=officer, course=track)
        for page in (public_course, officers_course, track):
            complete_all(officer, page)
        assert not CourseCompletion.objects.filter(user=officer, course=track).exists()
        passed(officer, quiz)
        assert CourseCompletion.objects.filter(user=officer, course=officers_course).exists()
        assert CourseCompletion.objects.filter(user=officer, course=track).exists()

    def test_passing_the_tracks_final_quiz_completes_it_last(self, officer, track):
        quiz = final_quiz(track)
        enrolment_create(user=officer, course=track)
        passed(officer, quiz, ok=False)
        for course_row in track.track_courses.all():
            complete_all(officer, course_row.course)
        complete_all(officer, track)
        assert not CourseCompletion.objects.filter(user=officer, course=track).exists()
        passed(officer, quiz)
        assert CourseCompletion.objects.filter(user=officer, course=track).exists()

    def test_a_course_completes_no_track_the_learner_is_not_enrolled_in(
        self, officer, public_course
    ):
        track = make_track(slug="single", courses=[public_course], lessons=0)
        complete_all(officer, public_course)
        assert not CourseCompletion.objects.filter(user=officer, course=track).exists()
        enrolment_create(user=officer, course=track)  # done already: complete on enrolling
        assert CourseCompletion.objects.filter(user=officer, course=track).exists()


class TestMyLearning:
    def test_my_learning_shows_the_track_with_its_progress_and_its_courses(
        self, client, officer, track
    ):
        enrolment_create(user=officer, course=track)
        lesson_complete(user=officer, lesson=lessons(track)[0])
        client.force_login(officer)
        html = client.get("/my-learning/").text
        assert "Border trainer" in html and "Track · 2 courses" in html
        assert "1 of 8 steps done (12%)" in html
        assert "Recognising smuggling" in html and "Document abuse" in html
        first = lessons(track.track_courses.first().course)[0]
        assert f'href="{first.url}"' in html


class TestCMS:
    @pytest.fixture
    def admin(self, django_user_model):
        return django_user_model.objects.create_superuser(email="root@example.org", password="x")

    def post_edit(self, client, track, courses):
        from wagtail.test.utils.form_data import inline_formset, nested_form_data

        data = nested_form_data(
            {
                "title": track.title,
                "slug": track.slug,
                "summary": track.summary,
                "learning_outcomes": track.learning_outcomes,
                "audience": track.audience,
                "estimated_minutes": 30,
                "track_courses": inline_formset([{"course": c.pk} for c in courses]),
            }
        )
        return client.post(f"/admin/pages/{track.pk}/edit/", data)

    def test_the_track_is_edited_with_its_courses(self, client, admin, public_course):
        track = make_track(slug="empty", lessons=0)
        client.force_login(admin)
        assert client.get(f"/admin/pages/{track.pk}/edit/").status_code == 200
        response = self.post_edit(client, track, [public_course])
        assert response.status_code == 302
        latest = TrackPage.objects.get(pk=track.pk).get_latest_revision_as_object()
        assert [row.course_id for row in latest.track_courses.all()] == [public_course.pk]

    def test_a_track_cannot_list_itself_or_another_track(self, client, admin, track, public_course):
        other = make_track(slug="other", courses=[public_course], lessons=0)
        client.force_login(admin)
        before = TrackPage.objects.get(pk=track.pk).get_latest_revision()
        for courses, message in (
            ([track], "Select a valid choice"),  # only courses are offered
            ([other], "Select a valid choice"),
            ([public_course, public_course], "duplicate data for track and course"),
        ):
            response = self.post_edit(client, track, courses)
            assert response.status_code == 200, courses
            assert message in response.text
        assert TrackPage.objects.get(pk=track.pk).get_latest_revision() == before

    @pytest.mark.parametrize("itself", [True, False])
    def test_the_track_model_refuses_itself_or_a_track_among_its_courses(
        self, public_course, itself
    ):
        from django.core.exceptions import ValidationError

        from courses.models import TrackCourse

        inner = make_track(slug="inner", courses=[public_course], lessons=0)
        outer = make_track(slug="outer", courses=[public_course], lessons=0)
        outer.track_courses.add(TrackCourse(course=outer if itself else inner))
        with pytest.raises(ValidationError, match="cannot list itself" if itself else "not tracks"):
            outer.full_clean()
        assert TrackPage.objects.count() == 2
