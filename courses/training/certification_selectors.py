"""Reads for the certification pages: a person's own standing, a master trainer's observed
sessions, an organisation's trainers. Each runs a fixed number of queries, whatever the size of
the history or the organisation."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Q, Subquery

from cms.accounts.models import Membership, Organisation

from ..models import ObservedSession, TrainerCertification
from . import certification, requirements
from .certification import IN_FORCE, Level, Standing


@dataclass
class LevelStanding:
    level: str
    label: str
    row: TrainerCertification | None
    standing: Standing

    @property
    def in_force(self) -> bool:
        return self.standing in IN_FORCE

    @property
    def standing_label(self):
        return certification.STANDING_LABELS[self.standing]


@dataclass
class Renewal:
    """Where a certification in force stands towards its renewal."""

    opens_on: datetime.date
    ends_on: datetime.date
    is_open: bool
    refresher: object | None
    refresher_done_on: datetime.date | None

    @property
    def may_renew(self) -> bool:
        return self.is_open and self.refresher_done_on is not None


@dataclass
class MyCertification:
    levels: list[LevelStanding]
    history: list[TrainerCertification]
    checklist: requirements.Checklist
    observed: list[ObservedSession]
    renewal: Renewal | None = None
    renewal_level: str | None = None

    @property
    def in_force(self) -> bool:
        """Certified at either level: a master trainer has no trainer's checklist to walk."""
        return any(level.in_force for level in self.levels)


def _levels(rows, on) -> list[LevelStanding]:
    result = []
    for level, label in Level.choices:
        row = next((r for r in rows if r.level == level), None)  # rows come latest first
        result.append(LevelStanding(level, label, row, certification.standing(row, on)))
    return result


def my_certification(*, user, on: datetime.date | None = None) -> MyCertification:
    """A person's certifications, history, checklist and renewal (nine queries at most)."""
    on = on or certification.today()
    history = list(
        TrainerCertification.objects.filter(user=user)
        .select_related("certified_by", "organisation", "recorded_by")
        .order_by("-recorded_at", "-pk")
    )
    observed = list(
        ObservedSession.objects.filter(candidate=user)
        .select_related("observer", "course", "rubric")
        .order_by("-date", "-pk")
    )
    result = MyCertification(
        levels=_levels(history, on),
        history=history,
        checklist=requirements.trainer_checklist(user=user),
        observed=observed,
    )
    for level in result.levels:
        if level.in_force:  # a trainer's renewal first; a master's if they hold no trainer's
            result.renewal, result.renewal_level = (
                renewal(user=user, row=level.row, on=on),
                (level.level),
            )
            break
    return result


def renewal(*, user, row: TrainerCertification, on: datetime.date) -> Renewal:
    opens = row.valid_until - datetime.timedelta(days=settings.FLIGHTPATH_RENEWAL_WINDOW_DAYS)
    done_on = requirements.refresher_done_on(user=user, since=opens, until=on)
    return Renewal(
        opens_on=opens,
        ends_on=row.valid_until,
        is_open=opens <= on <= row.valid_until,
        refresher=requirements.refresher(),
        refresher_done_on=done_on,
    )


def observations_by(*, observer):
    """The sessions `observer` rated, newest first (one query)."""
    return (
        ObservedSession.objects.filter(observer=observer)
        .select_related("candidate", "course", "rubric", "organisation")
        .order_by("-date", "-pk")
    )


def observation_for(*, user, pk: int) -> ObservedSession | None:
    """The observed session if `user` may read it: its observer, its candidate, a coordinator
    of the candidate's organisation, or staff."""
    record = (
        ObservedSession.objects.select_related(
            "candidate", "observer", "course", "lesson", "rubric", "organisation"
        )
        .filter(pk=pk)
        .first()
    )
    if record is None:
        return None
    if user.is_staff or user.pk in (record.candidate_id, record.observer_id):
        return record
    if record.organisation and certification._coordinates(user, record.organisation):
        return record
    return None


def is_master_in_force(*, user) -> bool:
    return certification.standing(certification.latest(user=user, level=Level.MASTER)) in IN_FORCE


def candidate_by_email(*, email: str):
    """A verified member with that exact address (any organisation), or None: a search never
    lists people, so nobody learns who is registered from a partial address."""
    return (
        get_user_model()
        .objects.filter(
            email__iexact=email.strip(),
            memberships__status=Membership.Status.VERIFIED,
        )
        .first()
    )


@dataclass
class TrainerRow:
    person: object
    levels: list[LevelStanding]
    checklist: requirements.Checklist | None = None
    manageable: dict[str, bool] = field(default_factory=dict)


def organisation_trainers(*, organisation: Organisation, on=None) -> list[TrainerRow]:
    """The organisation's trainers and candidates (its verified trainers, and anyone it
    certified) with their standing at each level, in seven queries."""
    on = on or certification.today()
    people = list(
        get_user_model()
        .objects.filter(
            Q(
                memberships__organisation=organisation,
                memberships__status=Membership.Status.VERIFIED,
                memberships__role=Membership.Role.TRAINER,
            )
            | Q(trainer_certifications__organisation=organisation)
        )
        .distinct()
        .order_by("last_name", "first_name", "email")
    )
    latest_pk = (
        TrainerCertification.objects.filter(user=OuterRef("user"), level=OuterRef("level"))
        .order_by("-recorded_at", "-pk")
        .values("pk")[:1]
    )
    rows = list(
        TrainerCertification.objects.filter(user__in=[p.pk for p in people]).filter(
            pk=Subquery(latest_pk)
        )
    )
    by_person = {}
    for row in rows:
        by_person.setdefault(row.user_id, []).append(row)
    checklists = requirements.trainer_checklists(user_ids=[p.pk for p in people])
    result = []
    for person in people:
        levels = _levels(by_person.get(person.pk, []), on)
        result.append(
            TrainerRow(
                person=person,
                levels=levels,
                checklist=None if any(lv.in_force for lv in levels) else checklists[person.pk],
                manageable={
                    lv.level: bool(lv.row and lv.row.organisation_id == organisation.pk)
                    for lv in levels
                },
            )
        )
    return result
