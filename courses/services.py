"""Writes about learning. Each is idempotent: a double click or a retry changes nothing more."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.selectors import has_passed

from .models import (
    CheckAnswer,
    CourseCompletion,
    CoursePage,
    Enrolment,
    LessonCompletion,
    LessonPage,
)
from .selectors import check_question, lessons_by_course
from .training import cascade


def enrolment_create(*, user, course: CoursePage) -> Enrolment:
    if not course.is_open_to(user):
        raise PermissionDenied(_("This course is not open to you."))
    enrolment, _created = Enrolment.objects.get_or_create(user=user, course=course)
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
    return completion


def course_completion_update(*, user, course: CoursePage) -> bool:
    """Record course completion when every live lesson is done and the final quiz, if the
    course has one, is passed. Returns whether the course is complete."""
    lesson_ids = {lesson.pk for lesson in lessons_by_course([course]).get(course.pk, [])}
    done = set(
        LessonCompletion.objects.filter(user=user, lesson_id__in=lesson_ids).values_list(
            "lesson_id", flat=True
        )
    )
    if course.final_quiz_id and not has_passed(user=user, quiz=course.final_quiz):
        return False
    if lesson_ids and lesson_ids <= done:
        _completion, created = CourseCompletion.objects.get_or_create(user=user, course=course)
        if created:
            cascade.completion_recorded(user=user, course=course)
        return True
    return False


def quiz_graded(*, attempt) -> None:
    """A graded final quiz may complete the courses it ends."""
    if not attempt.passed:
        return
    for course in CoursePage.objects.live().filter(final_quiz_id=attempt.quiz_id):
        course_completion_update(user=attempt.user, course=course)


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
