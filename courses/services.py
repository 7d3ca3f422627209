"""Writes about learning. Each is idempotent: a double click or a retry changes nothing more."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.selectors import has_passed
from courses.models.pages import in_source_language

from .dashboards.summaries import progress_refresh
from .models import (
    CheckAnswer,
    CourseCompletion,
    CoursePage,
    Enrolment,
    LessonCompletion,
    LessonPage,
    TrackCourse,
)
from .selectors import check_question, lessons_by_course, track_courses
from .training import cascade
from .training.candidates import may_enrol


def enrolment_create(*, user, course: CoursePage) -> Enrolment:
    """Enrol `user` in a course. In a track: in the track and in those of its courses open to
    them, all at once; the track is complete at once if they have done all it asks already.
    Enrolling again changes nothing."""
    if not may_enrol(user=user, course=course):
        raise PermissionDenied(_("This course is not open to you."))
    with transaction.atomic():
        enrolment, _created = Enrolment.objects.get_or_create(user=user, course=course)
        if course.is_track:
            courses = track_courses([course]).get(course.pk, [])
            Enrolment.objects.bulk_create(
                [Enrolment(user=user, course=c) for c in courses if c.is_open_to(user)],
                ignore_conflicts=True,
            )
            course_completion_update(user=user, course=course)
        progress_refresh(user_ids=[user.pk])
    return enrolment


def lesson_complete(*, user, lesson: LessonPage) -> LessonCompletion:
    """Record a lesson as done (enrolling the learner if needed) and the course once all are."""
    course = lesson.course
    if not course.is_open_to(user):
        raise PermissionDenied(_("This lesson is not open to you."))
    with transaction.atomic():
        Enrolment.objects.get_or_create(user=user, course=course)
        completion, _created = LessonCompletion.objects.get_or_create(
            user=user, lesson=lesson, defaults={"course": course}
        )
        course_completion_update(user=user, course=course)
        progress_refresh(user_ids=[user.pk])
    return completion


def course_completion_update(*, user, course: CoursePage) -> bool:
    """Record course completion when every live lesson is done and the final quiz, if the
    course has one, is passed; a track's when every course in it is complete too. A course
    completed completes the tracks the learner is enrolled in that it finishes. Returns whether
    the course is complete."""
    complete = _track_is_done(user, course) if course.is_track else _course_is_done(user, course)
    if not complete:
        return False
    _completion, created = CourseCompletion.objects.get_or_create(user=user, course=course)
    if created:
        cascade.completion_recorded(user=user, course=course)
    if not course.is_track:
        for track in _enrolled_tracks_with(user, course):
            course_completion_update(user=user, course=track)
    return True


def _course_is_done(user, course: CoursePage) -> bool:
    lesson_ids = {lesson.pk for lesson in lessons_by_course([course]).get(course.pk, [])}
    return bool(lesson_ids) and _lessons_done(user, lesson_ids) and _quiz_done(user, course)


def _track_is_done(user, track: CoursePage) -> bool:
    """Every course of the track complete, its own lessons done, its final quiz passed."""
    course_ids = {course.pk for course in track_courses([track]).get(track.pk, [])}
    lesson_ids = {lesson.pk for lesson in lessons_by_course([track]).get(track.pk, [])}
    if not (course_ids or lesson_ids):
        return False
    completed = CourseCompletion.objects.filter(user=user, course_id__in=course_ids)
    return (
        len(completed.values_list("course_id", flat=True)) == len(course_ids)
        and _lessons_done(user, lesson_ids)
        and _quiz_done(user, track)
    )


def _lessons_done(user, lesson_ids: set[int]) -> bool:
    done = LessonCompletion.objects.filter(user=user, lesson_id__in=lesson_ids)
    return not lesson_ids or lesson_ids <= set(done.values_list("lesson_id", flat=True))


def _quiz_done(user, course: CoursePage) -> bool:
    return not course.final_quiz_id or has_passed(user=user, quiz=course.final_quiz)


def _enrolled_tracks_with(user, course: CoursePage):
    """The live tracks listing `course` that `user` is enrolled in."""
    track_ids = TrackCourse.objects.filter(course=course).values("track_id")
    return CoursePage.objects.live().filter(pk__in=track_ids, enrolments__user=user)


def quiz_graded(*, attempt) -> None:
    """A graded final quiz may complete the courses and tracks it ends (and the tracks those
    courses finish); either way it is the learner's latest activity in them."""
    with transaction.atomic():
        if attempt.passed:
            for course in in_source_language(CoursePage.objects.live()).filter(
                final_quiz_id=attempt.quiz_id
            ):
                course_completion_update(user=attempt.user, course=course)
        progress_refresh(user_ids=[attempt.user_id])


class CheckRefused(Exception):
    """An answer to a lesson question that cannot be taken, with the HTTP status that says why."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class CheckResult:
    lesson: LessonPage
    block_id: str
    question: str
    choice: str
    is_correct: bool
    feedback: str
    recorded: bool


def check_answer(*, user, lesson: LessonPage, block_id: str, key: str) -> CheckResult:
    """Check an answer to one of the lesson's "check your understanding" questions, and keep it
    as the learner's latest answer when they are signed in (nothing is written for a reader who
    is not). The caller has checked that the reader may read the lesson. Answering again
    replaces the answer; two identical posts at once leave one row (an upsert)."""
    question = check_question(lesson, block_id)
    if question is None:
        raise CheckRefused(_("This question is no longer in the lesson. Reload the lesson."), 404)
    if not key:
        raise CheckRefused(_("Choose an option first."))
    block = LessonPage.body.field.stream_block.child_blocks["check_understanding"]
    choice = block.find_choice(question, lesson_id=lesson.pk, block_id=block_id, key=key)
    if choice is None:
        raise CheckRefused(_("This option is not in the question. Reload the lesson."))
    result = CheckResult(
        lesson=lesson,
        block_id=block_id,
        question=question["question"],
        choice=choice["text"],
        is_correct=bool(choice["is_correct"]),
        feedback=choice["feedback"] or "",
        recorded=user.is_authenticated,
    )
    if user.is_authenticated:
        CheckAnswer.objects.bulk_create(
            [
                CheckAnswer(
                    user=user,
                    lesson=lesson,
                    block_id=block_id,
                    choice=result.choice,
                    is_correct=result.is_correct,
                    answered_at=timezone.now(),
                )
            ],
            update_conflicts=True,
            unique_fields=["user", "lesson", "block_id"],
            update_fields=["choice", "is_correct", "answered_at"],
        )
    return result
