"""Who reads the trainers' content.

The `trainers` audience is for certified trainers (a trainer or master trainer certification in
force) and staff: courses gives it through cms.accounts' `extra_audiences` hook, which caches the
answer until a certification is recorded (`certification_recorded` moves the accounts
generation) or the day changes (a certification ends on a day, without any change). Trainer
candidates read a trainers' track through their enrolment in it: its own lessons, nothing else
for trainers.
"""

from cms import generations
from cms.accounts.models import Audience
from cms.accounts.selectors import authoring_audiences

from ..models import Enrolment
from . import certification


def certified_trainer_audiences(*, user) -> set[str]:
    """`trainers` for a trainer or master trainer whose certification is in force."""
    return {Audience.TRAINERS} if certification.may_teach(user=user) else set()


def certification_recorded(sender, instance, **kwargs) -> None:
    """A certification changed: who is certified is asked again on the next page."""
    generations.move("accounts")


def is_trainer_candidate(*, user) -> bool:
    """Who may take a trainers' track before being certified: the verified trainers and
    coordinators of an organisation with officer access (who author the trainers' content),
    and whoever holds a trainer candidacy."""
    if not user.is_authenticated:
        return False
    if Audience.TRAINERS in authoring_audiences(user=user):
        return True
    row = certification.latest(user=user, level=certification.Level.TRAINER)
    return certification.standing(row) == certification.Standing.CANDIDATE


def opens_through_enrolment(*, user, track) -> bool:
    """Whether a trainers' track (its page and its own lessons) is open to `user` as a
    candidate enrolled in it. Asked only of readers outside the track's audience."""
    return (
        track.is_track
        and track.audience == Audience.TRAINERS
        and user.is_authenticated
        and Enrolment.objects.filter(user=user, course_id=track.pk).exists()
        and is_trainer_candidate(user=user)
    )


def may_enrol(*, user, course) -> bool:
    """Whoever may open the course; in a trainers' track, trainer candidates too."""
    if course.is_open_to(user):
        return True
    return (
        course.is_track and course.audience == Audience.TRAINERS and is_trainer_candidate(user=user)
    )
