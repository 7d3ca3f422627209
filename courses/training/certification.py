"""Who is a certified trainer or master trainer, and the rules for changing it.

Every change adds a row to `TrainerCertification` (see its module): nothing is overwritten, so
the history of a person's certification is its rows in order. The rules:

- A trainer is certified by a master trainer whose own certification is in force, who is not
  the candidate, once the candidate has completed the trainers' track and each of its courses
  and passed an observed session (`courses.training.requirements`); a master trainer by another
  master trainer or by a site administrator.
- A certification lasts `FLIGHTPATH_CERTIFICATION_MONTHS` (24). From
  `FLIGHTPATH_RENEWAL_WINDOW_DAYS` (90) before it ends it is *expiring* and may be renewed; the
  new period runs from the old one's end, so renewing early shortens nothing. After the end it
  is *expired* and can only be certified again. Renewing needs a completion of the refresher
  (`FLIGHTPATH_REFRESHER_SLUG`) dated inside the window.
- The coordinators of the certification's organisation (or a site administrator) suspend it or
  revoke it, with a reason; a suspension can be lifted while the period lasts, a revocation is
  final. Expired, suspended and revoked trainers may not teach.
"""

import calendar
import datetime
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.accounts.models import Membership, Organisation
from cms.accounts.selectors import current_membership

from ..models import TrainerCertification
from . import requirements

Level = TrainerCertification.Level
Status = TrainerCertification.Status


class Standing(StrEnum):
    """A certification as it stands on a given day."""

    NONE = "none"
    CANDIDATE = "candidate"
    CERTIFIED = "certified"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


IN_FORCE = frozenset({Standing.CERTIFIED, Standing.EXPIRING})

STANDING_LABELS = {
    Standing.NONE: gettext_lazy("not held"),
    Standing.CANDIDATE: gettext_lazy("a candidacy"),
    Standing.CERTIFIED: gettext_lazy("certified"),
    Standing.EXPIRING: gettext_lazy("expiring"),
    Standing.EXPIRED: gettext_lazy("expired"),
    Standing.SUSPENDED: gettext_lazy("suspended"),
    Standing.REVOKED: gettext_lazy("revoked"),
}


class CertificationError(Exception):
    """A change the rules do not allow; the message says why, for the person who asked."""


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day where it has no such day."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def today() -> datetime.date:
    return timezone.localdate()


def latest(*, user, level: str) -> TrainerCertification | None:
    """The person's certification at `level`: their latest row (one query)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        TrainerCertification.objects.filter(user=user, level=level)
        .order_by("-recorded_at", "-pk")
        .first()
    )


def standing(row: TrainerCertification | None, on: datetime.date | None = None) -> Standing:
    """Where a certification stands on the day `on` (today by default)."""
    if row is None:
        return Standing.NONE
    on = on or today()
    if row.status == Status.CANDIDATE:
        return Standing.CANDIDATE
    if row.status == Status.REVOKED:
        return Standing.REVOKED
    if row.valid_until is not None and on > row.valid_until:
        return Standing.EXPIRED  # a suspension that outlived the period ends as expired too
    if row.status == Status.SUSPENDED:
        return Standing.SUSPENDED
    window = datetime.timedelta(days=settings.FLIGHTPATH_RENEWAL_WINDOW_DAYS)
    return Standing.EXPIRING if on >= row.valid_until - window else Standing.CERTIFIED


def may_teach(*, user, on: datetime.date | None = None) -> bool:
    """Whether `user` may open cohorts and record sessions: a trainer or master trainer
    certification in force."""
    return any(standing(latest(user=user, level=level), on) in IN_FORCE for level in Level)


def held_on(*, user, level: str, on: datetime.date, today: datetime.date | None = None) -> bool:
    """Whether `user` holds a certification at `level` in force today that was in force on the
    day `on` too (a certified period covering it)."""
    if standing(latest(user=user, level=level), today) not in IN_FORCE:
        return False
    return TrainerCertification.objects.filter(
        user=user, level=level, status=Status.CERTIFIED, valid_from__lte=on, valid_until__gte=on
    ).exists()


def certify(
    *,
    user,
    level: str,
    certified_by,
    organisation: Organisation | None,
    evidence: str,
    on: datetime.date | None = None,
) -> TrainerCertification:
    """Certify `user` at `level` for a full period from `on`. A trainer must have met every
    requirement (`requirements.trainer_checklist`); the certification keeps the observed
    session it rests on."""
    on = on or today()
    with transaction.atomic():
        _lock(user)
        if user.pk == certified_by.pk:
            raise CertificationError(_("Nobody can certify themselves."))
        if not _may_certify(certified_by, level, on):
            raise CertificationError(
                _("Only a master trainer whose certification is in force can certify trainers.")
                if level == Level.TRAINER
                else _("Only a master trainer or an administrator can certify master trainers.")
            )
        if standing(latest(user=user, level=level), on) in IN_FORCE | {Standing.SUSPENDED}:
            raise CertificationError(
                _("%(person)s already holds this certification: renew it instead.")
                % {"person": user}
            )
        observed = _requirements_met(user) if level == Level.TRAINER else None
        return TrainerCertification.objects.create(
            user=user,
            level=level,
            status=Status.CERTIFIED,
            valid_from=on,
            valid_until=add_months(on, settings.FLIGHTPATH_CERTIFICATION_MONTHS),
            certified_by=certified_by,
            organisation=organisation,
            evidence=evidence,
            recorded_by=certified_by,
            observed_session=observed,
        )


def _requirements_met(user):
    """The passed observed session a trainer certification rests on, once every requirement
    is met."""
    checklist = requirements.trainer_checklist(user=user)
    if not checklist.complete:
        raise CertificationError(
            _("%(person)s has not met every requirement yet. Left: %(left)s.")
            % {"person": user, "left": checklist.left_text()}
        )
    return checklist.observed_session


def renew(
    *, user, level: str, recorded_by, evidence: str, on: datetime.date | None = None
) -> TrainerCertification:
    """Renew an expiring certification: a new period from the end of the current one."""
    on = on or today()
    with transaction.atomic():
        _lock(user)
        current = latest(user=user, level=level)
        state = standing(current, on)
        if state == Standing.CERTIFIED:
            raise CertificationError(
                _("This certification can be renewed from %(day)s.")
                % {"day": current.valid_until - _window()}
            )
        if state != Standing.EXPIRING:
            raise CertificationError(
                _("Only a certification in force can be renewed; this one is %(state)s.")
                % {"state": STANDING_LABELS[state]}
            )
        _refresher_done(user, current, on)
        return TrainerCertification.objects.create(
            user=user,
            level=level,
            status=Status.CERTIFIED,
            valid_from=current.valid_until + datetime.timedelta(days=1),
            valid_until=add_months(current.valid_until, settings.FLIGHTPATH_CERTIFICATION_MONTHS),
            certified_by=current.certified_by,
            organisation=current.organisation,
            evidence=evidence,
            recorded_by=recorded_by,
        )


def _refresher_done(user, current, on) -> None:
    since = current.valid_until - _window()
    if requirements.refresher_done_on(user=user, since=since, until=on) is None:
        course = requirements.refresher()
        raise CertificationError(
            _("Complete the refresher, %(course)s, from %(day)s to renew.")
            % {
                "course": course.title if course else settings.FLIGHTPATH_REFRESHER_SLUG,
                "day": since,
            }
        )


def suspend(*, user, level: str, by, reason: str, on=None) -> TrainerCertification:
    return _change(
        user, level, by, reason, Status.SUSPENDED, {Standing.CERTIFIED, Standing.EXPIRING}, on
    )


def reinstate(*, user, level: str, by, reason: str, on=None) -> TrainerCertification:
    return _change(user, level, by, reason, Status.CERTIFIED, {Standing.SUSPENDED}, on)


def revoke(*, user, level: str, by, reason: str, on=None) -> TrainerCertification:
    allowed = {Standing.CERTIFIED, Standing.EXPIRING, Standing.SUSPENDED}
    return _change(user, level, by, reason, Status.REVOKED, allowed, on)


def _change(user, level, by, reason, status, allowed, on) -> TrainerCertification:
    on = on or today()
    reason = (reason or "").strip()
    if not reason:
        raise CertificationError(_("Give a reason: it is kept with the certification."))
    with transaction.atomic():
        _lock(user)
        current = latest(user=user, level=level)
        if standing(current, on) not in allowed:
            raise CertificationError(
                _("This certification is %(state)s: that change does not apply to it.")
                % {"state": STANDING_LABELS[standing(current, on)]}
            )
        if not _coordinates(by, current.organisation):
            raise CertificationError(
                _("Only the coordinators of the certification's organisation can change it.")
            )
        return TrainerCertification.objects.create(
            user=user,
            level=level,
            status=status,
            valid_from=current.valid_from,
            valid_until=current.valid_until,
            certified_by=current.certified_by,
            organisation=current.organisation,
            evidence=current.evidence,
            reason=reason,
            recorded_by=by,
        )


def _window() -> datetime.timedelta:
    return datetime.timedelta(days=settings.FLIGHTPATH_RENEWAL_WINDOW_DAYS)


def _lock(user) -> None:
    """Serialise changes to one person's certifications (two clicks, two coordinators)."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def _may_certify(certifier, level: str, on) -> bool:
    if level == Level.MASTER and certifier.is_superuser:
        return True
    return standing(latest(user=certifier, level=Level.MASTER), on) in IN_FORCE


def _coordinates(user, organisation: Organisation | None) -> bool:
    if user.is_superuser:
        return True
    membership = current_membership(user=user)
    return bool(
        organisation
        and membership
        and membership.is_verified
        and membership.role == Membership.Role.COORDINATOR
        and membership.organisation_id == organisation.pk
    )
