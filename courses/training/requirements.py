"""What a person must have done to be certified as a trainer, and to renew.

To be certified: a completion of every course of the trainers' track
(`FLIGHTPATH_TRAINER_TRACK_SLUG`) and of the track itself (which is completed once its final
quiz is passed), and a passed observed session. To renew: a completion of the refresher
(`FLIGHTPATH_REFRESHER_SLUG`, a course or a track) dated inside the renewal window."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models.pages import in_source_language

from ..models import CourseCompletion, CoursePage, ObservedSession, TrackPage


@dataclass(frozen=True)
class Requirement:
    kind: str  # "course", "track" or "observation"
    label: str
    done_on: datetime.date | None = None
    page: CoursePage | None = None

    @property
    def done(self) -> bool:
        return self.done_on is not None


@dataclass
class Checklist:
    """A person's way to a trainer certification, in the order it is usually walked."""

    track: TrackPage | None
    items: list[Requirement] = field(default_factory=list)
    observed_session: ObservedSession | None = None

    @property
    def complete(self) -> bool:
        return self.track is not None and all(item.done for item in self.items)

    @property
    def left(self) -> list[Requirement]:
        return [item for item in self.items if not item.done]

    def left_text(self) -> str:
        if self.track is None:
            return _("the trainers' track is not published")
        return "; ".join(item.label for item in self.left)


def trainer_track() -> TrackPage | None:
    return (
        in_source_language(TrackPage.objects.live())
        .filter(slug=settings.FLIGHTPATH_TRAINER_TRACK_SLUG)
        .first()
    )


def trainer_checklists(*, user_ids) -> dict[int, Checklist]:
    """Everyone's checklist in four queries, whatever their number."""
    user_ids = list(user_ids)
    track = trainer_track()
    if track is None:
        return {pk: Checklist(track=None) for pk in user_ids}
    courses = [tc.course for tc in track.track_courses.select_related("course")]
    completed = {}
    for user_id, course_id, at in CourseCompletion.objects.filter(
        user_id__in=user_ids, course__in=[*courses, track]
    ).values_list("user_id", "course_id", "completed_at"):
        completed[user_id, course_id] = timezone.localdate(at)
    passed = {}
    for session in ObservedSession.objects.filter(candidate_id__in=user_ids, passed=True).order_by(
        "-date", "-pk"
    ):
        passed.setdefault(session.candidate_id, session)
    return {pk: _checklist(track, courses, completed, passed.get(pk), pk) for pk in user_ids}


def trainer_checklist(*, user) -> Checklist:
    return trainer_checklists(user_ids=[user.pk])[user.pk]


def _checklist(track, courses, completed, observed, user_id) -> Checklist:
    items = [
        Requirement("course", course.title, completed.get((user_id, course.pk)), course)
        for course in courses
    ]
    items.append(Requirement("track", track.title, completed.get((user_id, track.pk)), track))
    items.append(
        Requirement(
            "observation",
            _("A session observed and passed on the rubric"),
            observed.date if observed else None,
        )
    )
    return Checklist(track=track, items=items, observed_session=observed)


def refresher() -> CoursePage | None:
    """The refresher course or track named by `FLIGHTPATH_REFRESHER_SLUG`, if published."""
    return (
        in_source_language(CoursePage.objects.live())
        .filter(slug=settings.FLIGHTPATH_REFRESHER_SLUG)
        .first()
    )


def refresher_done_on(*, user, since: datetime.date, until: datetime.date) -> datetime.date | None:
    """The day, from `since` to `until` inclusive, the person completed the refresher: its
    completion dated then, or, for someone who completed it before (a completion is recorded
    once), its final quiz passed again then."""
    from assessments.models import Attempt

    course = refresher()
    if course is None:
        return None
    completion = CourseCompletion.objects.filter(user=user, course=course).first()
    if completion is None:
        return None
    completed_on = timezone.localdate(completion.completed_at)
    if since <= completed_on <= until:
        return completed_on
    if not course.final_quiz_id:
        return None
    passed = (
        Attempt.objects.filter(
            user=user,
            quiz_id=course.final_quiz_id,
            status=Attempt.Status.SUBMITTED,
            passed=True,
            submitted_at__date__gte=since,
            submitted_at__date__lte=until,
        )
        .order_by("submitted_at")
        .values_list("submitted_at", flat=True)
        .first()
    )
    return timezone.localdate(passed) if passed else None
    completion = CourseCompletion.objects.filter(user=user, course=course).first()
    if completion and since <= timezone.localdate(completion.completed_at) <= until:
        return completion
    return None
