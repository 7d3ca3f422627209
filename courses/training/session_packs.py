"""A course's session pack: what a trainer prints to teach it.

Per lesson, the session plan (the lesson's trainer notes) and a one-page participant handout
(key points, the indicator card, and where the lesson asks for it the MRZ position map). A
track's pack holds the track's own lessons; its courses have packs of their own.

Who may open a pack: whoever may read trainer notes (`notes.may_see_trainer_notes`) and may
open the course. Others get 403, and a course the person cannot open is not found (404).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.safestring import SafeString

from cms.accounts.selectors import audiences_for_user
from courses.models.pages import in_source_language

from ..models import CoursePage, LessonPage
from . import mrz_map
from .notes import may_see_trainer_notes, render_notes


@dataclass
class PackLesson:
    number: int
    title: str
    estimated_minutes: int
    objectives: list[str]
    session_plan: SafeString
    key_points: list[str]
    indicators: list[str]
    mrz_map: bool


@dataclass
class SessionPack:
    course: CoursePage
    lessons: list[PackLesson]
    mrz_lines: list[mrz_map.Line]  # empty when no handout shows the map

    @property
    def minutes(self) -> int:
        return sum(lesson.estimated_minutes for lesson in self.lessons)


def course_for_pack(*, request, course_id: int) -> CoursePage:
    """The live course (or track) `course_id` if the person may open its session pack."""
    course = CoursePage.objects.live().filter(pk=course_id).first()
    if course is None or not course.is_open_to(request.user):
        raise Http404("No such course.")
    for restriction in course.get_view_restrictions():
        if not restriction.accept_request(request):
            raise Http404("No such course.")
    if not may_see_trainer_notes(user=request.user):
        raise PermissionDenied("Session packs are for certified trainers.")
    return course


def key_points(lesson: LessonPage) -> list[str]:
    """The points of the lesson's key points blocks, as published."""
    points = []
    for block in lesson.body.raw_data:
        if block["type"] != "key_points":
            continue
        for item in block["value"].get("points", []):
            points.append(item["value"] if isinstance(item, dict) else item)
    return [str(point) for point in points]


def session_pack(course: CoursePage) -> SessionPack:
    """The pack of a course or track: its live lessons, in order, in one query."""
    lessons = [
        PackLesson(
            number=number,
            title=lesson.title,
            estimated_minutes=lesson.estimated_minutes,
            objectives=lesson.objective_list,
            session_plan=render_notes(lesson.trainer_notes),
            key_points=key_points(lesson),
            indicators=lesson.indicator_list,
            mrz_map=lesson.handout_mrz_map,
        )
        for number, lesson in enumerate(LessonPage.of_courses([course]), start=1)
    ]
    needs_map = any(lesson.mrz_map for lesson in lessons)
    return SessionPack(course, lessons, mrz_map.position_map() if needs_map else [])


def courses_with_packs(*, user) -> list[CoursePage]:
    """The live courses and tracks whose packs the person may open, in catalogue order, in
    one query (`is_track` tells a track from a course by its content type); none for who may
    not read notes."""
    if not may_see_trainer_notes(user=user):
        return []
    return list(
        in_source_language(CoursePage.objects.live())
        .filter(audience__in=audiences_for_user(user=user))
        .order_by("path")
        .only("pk", "title", "path", "depth", "audience", "url_path", "content_type")
    )
