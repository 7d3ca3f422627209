"""Writes about learning. Each is idempotent: a double click or a retry changes nothing more."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.selectors import has_passed

from .models import CourseCompletion, CoursePage, Enrolment, LessonCompletion, LessonPage
from .selectors import lessons_by_course


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
        CourseCompletion.objects.get_or_create(user=user, course=course)
        return True
    return False


def quiz_graded(*, attempt) -> None:
    """A graded final quiz may complete the courses it ends."""
    if not attempt.passed:
        return
    for course in CoursePage.objects.live().filter(final_quiz_id=attempt.quiz_id):
        course_completion_update(user=attempt.user, course=course)
