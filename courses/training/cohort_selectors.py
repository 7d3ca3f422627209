"""Reads about cohorts and classroom sessions: who may see and run a cohort, its learners'
progress, attendance sheets, and a learner's own cohorts and upcoming sessions.

Every page reads a fixed number of queries whatever the number of learners or sessions:
progress and attendance are read for the whole cohort at once, never per learner."""

import datetime
import functools
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, F, FilteredRelation, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.accounts.models import Membership, Organisation
from cms.accounts.selectors import current_membership
from cms.home import cache as content_cache

from ..models import (
    Attendance,
    ClassroomSession,
    Cohort,
    CohortMember,
    CourseCompletion,
    CoursePage,
    LessonCompletion,
    LessonPage,
    TrackCourse,
    TrainerCertification,
)
from ..selectors import Progress, lessons_by_course
from .certification import IN_FORCE, may_teach, standing

# Airports


@functools.cache
def _airports() -> dict:
    import airportsdata

    return airportsdata.load("IATA")


@dataclass(frozen=True)
class Airport:
    code: str
    name: str
    city: str
    country: str  # ISO 3166 alpha-2


def airport_by_code(code: str) -> Airport | None:
    """The airport with this IATA code (any case), or None when there is none."""
    found = _airports().get((code or "").strip().upper())
    if found is None:
        return None
    return Airport(
        code=found["iata"], name=found["name"], city=found["city"], country=found["country"]
    )


# Who may do what


@dataclass(frozen=True)
class CohortAccess:
    view: bool = False  # the cohort page, its learners' progress, its sessions
    manage: bool = False  # edit the cohort, add learners
    teach: bool = False  # record sessions, attendance and lessons completed in class
    leads: bool = False  # the trainer or a co-trainer
    lapsed: bool = False  # leads it, but their certification is not in force


def coordinated_organisation_id(*, user) -> int | None:
    """The organisation a verified coordinator coordinates (no query: the membership is
    cached)."""
    membership = current_membership(user=user)
    if membership and membership.is_verified and membership.role == Membership.Role.COORDINATOR:
        return membership.organisation_id
    return None


def cohort_access(*, user, cohort: Cohort) -> CohortAccess:
    """What `user` may do with `cohort` (co-trainers prefetched, as `cohort_for_user` does)."""
    if not user.is_authenticated:
        return CohortAccess()
    leads = user.pk == cohort.trainer_id or any(
        person.pk == user.pk for person in cohort.co_trainers.all()
    )
    coordinates = coordinated_organisation_id(user=user) == cohort.organisation_id
    teaches = leads and may_teach(user=user)
    return CohortAccess(
        view=leads or coordinates,
        manage=coordinates or teaches,
        teach=teaches,
        leads=leads,
        lapsed=leads and not teaches,
    )


def cohort_for_user(*, user, cohort_id: int) -> tuple[Cohort, CohortAccess] | None:
    """The cohort and what the user may do with it, or None when it is not theirs to see."""
    cohort = (
        Cohort.objects.select_related("organisation", "course", "trainer")
        .prefetch_related("co_trainers")
        .filter(pk=cohort_id)
        .first()
    )
    if cohort is None:
        return None
    access = cohort_access(user=user, cohort=cohort)
    return (cohort, access) if access.view else None


def session_for_user(*, user, session_id: int):
    """A classroom session with its cohort and what the user may do with it, or None."""
    session = (
        ClassroomSession.objects.select_related(
            "cohort__organisation", "cohort__course", "cohort__trainer"
        )
        .prefetch_related("cohort__co_trainers", "lessons")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        return None
    access = cohort_access(user=user, cohort=session.cohort)
    return (session, access) if access.view else None


def cohort_opening(*, user) -> tuple[Organisation | None, str]:
    """The organisation in which `user` may open a cohort, or None and the reason why not."""
    membership = current_membership(user=user)
    if membership is None or not membership.is_verified:
        return None, _("Cohorts are opened by verified members of an organisation.")
    if membership.role == Membership.Role.COORDINATOR or may_teach(user=user):
        return membership.organisation, ""
    return None, _(
        "Only a trainer whose certification is in force, or a coordinator, can open a cohort. "
        "An expired, suspended or revoked certification does not allow it."
    )


def teaching_user_ids(*, user_ids, on: datetime.date | None = None) -> set[int]:
    """Those of `user_ids` whose trainer or master trainer certification is in force (one
    query for all of them)."""
    rows = TrainerCertification.objects.filter(user_id__in=list(user_ids)).order_by(
        "user_id", "level", "-recorded_at", "-pk"
    )
    latest = {}
    for row in rows:
        latest.setdefault((row.user_id, row.level), row)
    return {user_id for (user_id, _level), row in latest.items() if standing(row, on) in IN_FORCE}


def organisation_verified_members(*, organisation: Organisation):
    """The people of an organisation who may be put in a cohort or teach one."""
    return (
        get_user_model()
        .objects.filter(
            memberships__organisation=organisation,
            memberships__status=Membership.Status.VERIFIED,
        )
        .order_by("last_name", "first_name", "email")
    )


def organisation_certified_trainers(*, organisation: Organisation):
    """Verified members of the organisation whose certification is in force: who may lead a
    cohort (two queries)."""
    members = list(organisation_verified_members(organisation=organisation))
    teaching = teaching_user_ids(user_ids=[person.pk for person in members])
    return [person for person in members if person.pk in teaching]


# What a cohort teaches


def cohort_courses(*, cohort: Cohort) -> list[CoursePage]:
    """The cohort's course; for a track, the track and then its live courses in order (from
    the content cache)."""
    course = cohort.course

    def find():
        rows = (
            TrackCourse.objects.filter(track_id=course.pk, course__live=True)
            .select_related("course")
            .order_by("sort_order")
        )
        return [row.course for row in rows]

    return [course, *content_cache.remember(f"track-courses:{course.pk}", find)]


def cohort_lessons(*, cohort: Cohort) -> list[LessonPage]:
    """The live lessons a cohort can cover, in the order they are taken (from the content
    cache)."""
    courses = cohort_courses(cohort=cohort)
    lessons = lessons_by_course(courses)
    return [lesson for course in courses for lesson in lessons.get(course.pk, [])]


# The cohort page


@dataclass
class LearnerProgress:
    member: CohortMember
    progress: Progress
    in_class: int  # lessons completed in class, of those counted in `progress`
    is_complete: bool  # the cohort's course (or track) is complete


@dataclass
class SessionSummary:
    session: ClassroomSession
    airport: Airport | None
    present: int = 0
    absent: int = 0
    excused: int = 0

    @property
    def recorded(self) -> int:
        return self.present + self.absent + self.excused


@dataclass
class CohortPage:
    cohort: Cohort
    lessons: list[LessonPage]
    learners: list[LearnerProgress] = field(default_factory=list)
    sessions: list[SessionSummary] = field(default_factory=list)


def cohort_page(*, cohort: Cohort) -> CohortPage:
    """Learners with their progress in what the cohort teaches, and sessions with attendance
    counts: a fixed number of queries whatever the size of the cohort."""
    lessons = cohort_lessons(cohort=cohort)
    members = list(
        CohortMember.objects.filter(cohort=cohort)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    )
    user_ids = [member.user_id for member in members]
    done, in_class = _completions(user_ids, [lesson.pk for lesson in lessons])
    complete = set(
        CourseCompletion.objects.filter(user_id__in=user_ids, course_id=cohort.course_id)
        .values_list("user_id", flat=True)
        .order_by()
    )
    page = CohortPage(cohort=cohort, lessons=lessons)
    for member in members:
        page.learners.append(
            LearnerProgress(
                member=member,
                progress=Progress(done=len(done.get(member.user_id, ())), total=len(lessons)),
                in_class=len(in_class.get(member.user_id, ())),
                is_complete=member.user_id in complete,
            )
        )
    page.sessions = cohort_sessions(cohort=cohort)
    return page


def _completions(user_ids, lesson_ids) -> tuple[dict, dict]:
    done, in_class = {}, {}
    if not user_ids or not lesson_ids:
        return done, in_class
    rows = (
        LessonCompletion.objects.filter(user_id__in=user_ids, lesson_id__in=lesson_ids)
        .values_list("user_id", "lesson_id", "in_class_session_id")
        .order_by()
    )
    for user_id, lesson_id, session_id in rows:
        done.setdefault(user_id, set()).add(lesson_id)
        if session_id is not None:
            in_class.setdefault(user_id, set()).add(lesson_id)
    return done, in_class


def cohort_sessions(*, cohort: Cohort) -> list[SessionSummary]:
    """The cohort's sessions in date order, each with its attendance counts (one query)."""
    status = Attendance.Status
    sessions = ClassroomSession.objects.filter(cohort=cohort).annotate(
        **{
            f"count_{value}": Count("attendance", filter=Q(attendance__status=value))
            for value in status.values
        }
    )
    return [
        SessionSummary(
            session=session,
            airport=airport_by_code(session.airport),
            present=session.count_present,
            absent=session.count_absent,
            excused=session.count_excused,
        )
        for session in sessions
    ]


# The attendance sheet


@dataclass
class AttendanceRow:
    member: CohortMember
    status: str  # "" until recorded


def attendance_sheet(*, session: ClassroomSession) -> list[AttendanceRow]:
    """One row per learner of the session's cohort with the status recorded so far (two
    queries)."""
    members = (
        CohortMember.objects.filter(cohort_id=session.cohort_id)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    )
    recorded = dict(
        Attendance.objects.filter(session=session).values_list("user_id", "status").order_by()
    )
    return [AttendanceRow(member=m, status=recorded.get(m.user_id, "")) for m in members]


# Lists


def cohorts_for_user(*, user) -> list[Cohort]:
    """The cohorts a person leads (as trainer or co-trainer) and, for a coordinator, every
    cohort of their organisation, newest first, with their number of learners (one query)."""
    if not user.is_authenticated:
        return []
    scope = Q(trainer=user) | Q(
        pk__in=Cohort.co_trainers.through.objects.filter(user_id=user.pk).values("cohort_id")
    )
    organisation_id = coordinated_organisation_id(user=user)
    if organisation_id is not None:
        scope |= Q(organisation_id=organisation_id)
    return list(
        Cohort.objects.filter(scope)
        .select_related("course", "trainer")
        .annotate(learner_count=Count("members", distinct=True))
        .order_by("-starts_on", "name")
    )


@dataclass
class UpcomingSession:
    session: ClassroomSession
    airport: Airport | None


@dataclass
class LearnerCohort:
    cohort: Cohort
    upcoming: list[UpcomingSession]


def learner_cohorts(*, user, today: datetime.date | None = None) -> list[LearnerCohort]:
    """A learner's own cohorts, newest first, each with its sessions from today on, in one
    query: a row per cohort and upcoming session (a cohort with none has one row)."""
    if not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    fields = ["id", "date", "starts_at", "duration_minutes", "airport", "country", "venue"]
    rows = (
        Cohort.objects.filter(members__user=user)
        .annotate(upcoming=FilteredRelation("sessions", condition=Q(sessions__date__gte=today)))
        .annotate(**{f"upcoming_{name}": F(f"upcoming__{name}") for name in fields})
        .select_related("course", "trainer")
        .order_by("-starts_on", "name", "pk", "upcoming_date", "upcoming_starts_at")
    )
    cohorts: dict[int, LearnerCohort] = {}
    for row in rows:
        item = cohorts.setdefault(row.pk, LearnerCohort(cohort=row, upcoming=[]))
        if row.upcoming_id is not None:
            session = ClassroomSession(
                cohort=item.cohort, **{name: getattr(row, f"upcoming_{name}") for name in fields}
            )
            item.upcoming.append(
                UpcomingSession(session=session, airport=airport_by_code(session.airport))
            )
    return list(cohorts.values())
