"""Reads for the catalogue, course and lesson pages, and "My learning".

Each page costs a fixed number of queries, whatever the number of courses and lessons: lessons
are fetched once for all the courses on a page and grouped here, never one query per course.
"""

from dataclasses import dataclass, field

from django.db.models import CharField, Q, Value
from wagtail.models import Page

from assessments.models import H5PResult
from assessments.selectors import has_passed
from cms.accounts.selectors import audiences_for_user
from cms.home import cache as content_cache

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


def lessons_by_course(courses) -> dict[int, list[LessonPage]]:
    """Live lessons of the given courses, in tree order, from the content cache (one query
    for any courses missing from it)."""
    courses = {course.path: course for course in courses}
    cached = content_cache.remember_many(
        [f"lessons:{path}" for path in courses], lambda keys: _lessons_for(keys, courses)
    )
    return {courses[key.split(":", 1)[1]].pk: lessons for key, lessons in cached.items()}


def _lessons_for(keys: list[str], courses: dict) -> dict[str, list[LessonPage]]:
    paths = [key.split(":", 1)[1] for key in keys]
    prefix = Q()
    for path in paths:
        prefix |= Q(path__startswith=path, depth=courses[path].depth + 1)
    grouped = {f"lessons:{path}": [] for path in paths}
    lessons = (
        LessonPage.objects.live()
        .filter(prefix)
        .only("id", "title", "slug", "path", "depth", "url_path", "estimated_minutes", "locale_id")
        .order_by("path")
    )
    for lesson in lessons:
        grouped[f"lessons:{lesson.path[: -lesson.steplen]}"].append(lesson)
    return grouped


@dataclass
class LearnerRecord:
    done: set[int] = field(default_factory=set)  # lesson ids
    enrolled: set[int] = field(default_factory=set)  # course ids
    completed: set[int] = field(default_factory=set)  # course ids


def learner_record(user, course_ids=None) -> LearnerRecord:
    """What a learner has done in these courses (in every course when None), in one query."""
    record = LearnerRecord()
    if not user.is_authenticated:
        return record

    def rows(model, kind, column):
        records = model.objects.filter(user=user)
        if course_ids is not None:
            records = records.filter(course_id__in=course_ids)
        return records.values_list(Value(kind, output_field=CharField()), column)

    sets = {"done": record.done, "enrolled": record.enrolled, "completed": record.completed}
    query = rows(LessonCompletion, "done", "lesson_id").union(
        rows(Enrolment, "enrolled", "course_id"),
        rows(CourseCompletion, "completed", "course_id"),
        all=True,
    )
    for kind, pk in query:
        sets[kind].add(pk)
    return record


def live_courses(index=None) -> list[CoursePage]:
    """Live courses in catalogue order (under `index`, or all), from the content cache."""

    def find():
        courses = CoursePage.objects.live().order_by("path")
        return list(courses.child_of(index) if index is not None else courses)

    return content_cache.remember(f"courses:{index.path if index else '*'}", find)


def _entries(user, courses, record=None) -> list[CourseEntry]:
    courses = list(courses)
    audiences = audiences_for_user(user=user)
    lessons = lessons_by_course(courses)
    if record is None:
        record = learner_record(user, [c.pk for c in courses])
    entries = []
    for course in courses:
        course_lessons = lessons.get(course.pk, [])
        for lesson in course_lessons:
            lesson.is_done = lesson.pk in record.done
        entries.append(
            CourseEntry(
                course=course,
                is_open=course.audience in audiences,
                is_enrolled=course.pk in record.enrolled,
                is_complete=course.pk in record.completed,
                progress=Progress(
                    done=sum(lesson.is_done for lesson in course_lessons),
                    total=len(course_lessons),
                ),
                lessons=course_lessons,
                next_lesson=next((x for x in course_lessons if not x.is_done), None),
            )
        )
    return entries


def catalogue_for_user(*, user, index=None) -> list[CourseEntry]:
    """Every live course, with whether the user may open it and their progress."""
    return _entries(user, live_courses(index))


def course_detail_for_user(*, user, course: CoursePage) -> dict:
    parent_path = course.path[: -course.steplen]
    catalogue = content_cache.remember(
        f"page:{parent_path}", lambda: Page.objects.get(path=parent_path)
    )
    context = {"entry": _entries(user, [course])[0], "catalogue": catalogue, "final_quiz": None}
    if course.final_quiz_id:
        quiz = course.final_quiz
        context["final_quiz"] = quiz if quiz.live else None
        context["quiz_passed"] = has_passed(user=user, quiz=quiz)
    return context


def lesson_detail_for_user(*, user, lesson: LessonPage) -> dict:
    entry = _entries(user, [lesson.get_course()])[0]
    siblings = entry.lessons
    position = next((i for i, x in enumerate(siblings) if x.pk == lesson.pk), None)
    previous_lesson = siblings[position - 1] if position else None
    next_lesson = (
        siblings[position + 1] if position is not None and position + 1 < len(siblings) else None
    )
    return {
        "h5p_results": _h5p_results(user, lesson),
        "entry": entry,
        "course": entry.course,
        "is_done": position is not None and siblings[position].is_done,
        "previous_lesson": previous_lesson,
        "next_lesson": next_lesson,
        "position": (position or 0) + 1,
    }


def _h5p_results(user, lesson: LessonPage):
    """None when the lesson has no H5P activity; else the learner's results on its activities."""
    ids = [block["value"]["activity"] for block in lesson.body.raw_data if block["type"] == "h5p"]
    if not ids:
        return None
    if not user.is_authenticated:
        return []
    return list(H5PResult.objects.filter(user=user, package_id__in=ids).select_related("package"))


def my_learning(*, user) -> list[CourseEntry]:
    """The courses a learner is enrolled in, unfinished first."""
    record = learner_record(user)
    courses = [course for course in live_courses() if course.pk in record.enrolled]
    entries = _entries(user, courses, record)
    return sorted(entries, key=lambda e: (e.is_complete, e.course.path))
