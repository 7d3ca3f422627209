"""Building blocks for certification tests: the trainers' track, its completion, a master
trainer and a passed observed session."""

import datetime
import uuid

from django.conf import settings
from django.utils import timezone

from courses.models import CourseCompletion, TrackCourse, TrackPage, TrainerCertification
from courses.training import certification as cert
from courses.training import observations

from ...factories import course_index, make_course, make_lesson

PASS = {"preparation": 3, "accuracy": 3, "scenario": 4, "inclusiveness": 3, "timing": 3}
FAIL = {"preparation": 4, "accuracy": 1, "scenario": 4, "inclusiveness": 4, "timing": 4}


def make_trainer_track(courses: int = 2) -> TrackPage:
    """The trainers' track (its slug from the settings) over `courses` new courses."""
    found = TrackPage.objects.filter(slug=settings.FLIGHTPATH_TRAINER_TRACK_SLUG).first()
    if found:
        return found
    members = [make_course(title=f"Trainer course {n}", lessons=1) for n in range(courses)]
    track = course_index().add_child(
        instance=TrackPage(
            title="Train the trainers",
            slug=settings.FLIGHTPATH_TRAINER_TRACK_SLUG,
            summary="For trainers.",
            learning_outcomes="Teach",
            audience="trainers",
        )
    )
    make_lesson(track, 1)
    for n, course in enumerate(members):
        TrackCourse.objects.create(track=track, course=course, sort_order=n)
    return track


def complete(user, course, on: datetime.date | None = None) -> CourseCompletion:
    completion = CourseCompletion.objects.create(user=user, course=course)
    if on is not None:
        at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
        CourseCompletion.objects.filter(pk=completion.pk).update(completed_at=at)
    return completion


def complete_track(user, track: TrackPage | None = None) -> None:
    track = track or make_trainer_track()
    for tc in track.track_courses.all():
        complete(user, tc.course)
    complete(user, track)


def make_master(user, organisation=None, since: datetime.date | None = None):
    since = since or timezone.localdate() - datetime.timedelta(days=30)
    TrainerCertification.objects.create(
        user=user,
        level=cert.Level.MASTER,
        status=TrainerCertification.Status.CERTIFIED,
        valid_from=since,
        valid_until=cert.add_months(since, 24),
        organisation=organisation,
    )
    return user


def observe(candidate, observer, *, on=None, scores=PASS, today=None, **kwargs):
    on = on or timezone.localdate()
    track = make_trainer_track()
    record, _created = observations.observed_session_record(
        candidate=candidate,
        observer=observer,
        date=on,
        course=kwargs.pop("course", track),
        rubric=kwargs.pop("rubric", None) or observations.rubric_current(),
        scores=scores,
        notes=kwargs.pop("notes", {}),
        token=kwargs.pop("token", None) or uuid.uuid4(),
        today=today or on,
        **kwargs,
    )
    return record


def meet_requirements(candidate, master, on=None, today=None) -> None:
    complete_track(candidate)
    observe(candidate, master, on=on, today=today)
