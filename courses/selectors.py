"""Reads for the catalogue, course and lesson pages, and "My learning".

Each page costs a fixed number of queries, whatever the number of courses and lessons: lessons
are fetched once for all the courses on a page and grouped here, never one query per course.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from cms.accounts.selectors import audiences_for_user

from .models import CourseCompletion, CoursePage, Enrolment, LessonCompletion, LessonPage


@dataclass
class Progress:
    done: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def started(self) -> bool:
        return self.done > 0


@dataclass
class CourseEntry:
    course: CoursePage
    is_open: bool
    is_enrolled: bool = False
    is_complete: bool = False
    progress: Progress = field(default_factory=Progress)
    lessons: list = field(default_factory=list)
    next_lesson: LessonPage | None = None


def lessons_by_course(courses, *, user=None) -> dict[int, list[LessonPage]]:
    """Live lessons of the given courses, in tree order, in one query.

    With a signed-in `user`, each lesson carries `is_done` from the same query.
    """
    courses = list(courses)
    if not courses:
        return {}
    by_path = {c.path: c.pk for c in courses}
    prefix = Q()
    for course in courses:
        prefix |= Q(path__startswith=course.path, depth=course.depth + 1)
    lessons = (
        LessonPage.objects.live()
        .filter(prefix)
        .only("id", "title", "slug", "path", "depth", "url_path", "estimated_minutes", "locale_id")
        .order_by("path")
    )
    if user is not None and user.is_authenticated:
        done = LessonCompletion.objects.filter(user=user, lesson=OuterRef("pk"))
        lessons = lessons.annotate(is_done=Exists(done))
    grouped = defaultdict(list)
    for lesson in lessons:
        grouped[by_path[lesson.path[: -lesson.steplen]]].append(lesson)
    return grouped


def _enrolments(user, course_ids) -> dict[int, bool]:
    """Course id → whether completed, for the courses the user is enrolled in."""
    if not user.is_authenticated:
        return {}
    completed = CourseCompletion.objects.filter(user=user, course=OuterRef("course_id"))
    return dict(
        Enrolment.objects.filter(user=user, course_id__in=course_ids)
        .annotate(is_complete=Exists(completed))
        .values_list("course_id", "is_complete")
    )


def _entries(user, courses) -> list[CourseEntry]:
    courses = list(courses)
    audiences = audiences_for_user(user=user)
    lessons = lessons_by_course(courses, user=user)
    enrolments = _enrolments(user, [c.pk for c in courses])
    entries = []
    for course in courses:
        course_lessons = lessons.get(course.pk, [])
        done = [lesson for lesson in course_lessons if getattr(lesson, "is_done", False)]
        entries.append(
            CourseEntry(
                course=course,
                is_open=course.audience in audiences,
                is_enrolled=course.pk in enrolments,
                is_complete=enrolments.get(course.pk, False),
                progress=Progress(done=len(done), total=len(course_lessons)),
                lessons=course_lessons,
                next_lesson=next(
                    (x for x in course_lessons if not getattr(x, "is_done", False)), None
                ),
            )
        )
    return entries


def catalogue_for_user(*, user, index=None) -> list[CourseEntry]:
    """Every live course, with whether the user may open it and their progress."""
    courses = CoursePage.objects.live().order_by("path")
    if index is not None:
        courses = courses.child_of(index)
    return _entries(user, courses)


def course_detail_for_user(*, user, course: CoursePage) -> dict:
    return {"entry": _entries(user, [course])[0]}


def lesson_detail_for_user(*, user, lesson: LessonPage) -> dict:
    entry = _entries(user, [lesson.get_course()])[0]
    siblings = entry.lessons
    position = next((i for i, x in enumerate(siblings) if x.pk == lesson.pk), None)
    previous_lesson = siblings[position - 1] if position else None
    next_lesson = (
        siblings[position + 1] if position is not None and position + 1 < len(siblings) else None
    )
    return {
        "entry": entry,
        "course": entry.course,
        "is_done": position is not None and getattr(siblings[position], "is_done", False),
        "previous_lesson": previous_lesson,
        "next_lesson": next_lesson,
        "position": (position or 0) + 1,
    }


def my_learning(*, user) -> list[CourseEntry]:
    """The courses a learner is enrolled in, unfinished first."""
    courses = CoursePage.objects.live().filter(enrolments__user=user).order_by("path")
    entries = _entries(user, courses)
    return sorted(entries, key=lambda e: (e.is_complete, e.course.path))
