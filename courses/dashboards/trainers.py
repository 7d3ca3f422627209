"""The trainers' dashboard: each trainer certification in scope as it stands today (certified,
expiring within N days, expired, suspended), with the cohorts its holder teaches and the
learners they reached directly and down the cascade (`TrainerReach`). Reads existing tables in
a fixed number of queries, whatever the number of trainers.

A person certified at both levels has a row for each: each certification lapses on its own.
Candidates and revoked certifications are not listed."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Cohort, TrainerCertification, TrainerReach
from .selectors import Filters, Scope, TableRows, certifications_in

Status = TrainerCertification.Status
STANDINGS = {
    "certified": _("Certified"),
    "expiring": _("Expiring"),
    "expired": _("Expired"),
    "suspended": _("Suspended"),
}
MAX_WITHIN = 3650


@dataclass(frozen=True)
class TrainerFilters:
    standing: str = ""
    within: int = 0


def trainer_filters_from(params) -> TrainerFilters:
    """The certification status (`standing`) and the `within` days that make a certification
    expiring (the renewal window by default); a malformed value is not found."""
    standing = params.get("standing") or ""
    if standing not in ("", *STANDINGS):
        raise Http404
    within = (params.get("within") or "").strip()
    if not within:
        return TrainerFilters(standing, settings.FLIGHTPATH_RENEWAL_WINDOW_DAYS)
    if (
        not (within.isascii() and within.isdigit())
        or len(within) > 5
        or not 1 <= int(within) <= MAX_WITHIN
    ):
        raise Http404
    return TrainerFilters(standing, int(within))


def standing_of(row: TrainerCertification, *, within: int, on: datetime.date) -> str:
    if row.valid_until is not None and row.valid_until < on:
        return "expired"
    if row.status == Status.SUSPENDED:
        return "suspended"
    if row.valid_until is not None and row.valid_until <= on + datetime.timedelta(days=within):
        return "expiring"
    return "certified"


def certifications(*, scope: Scope, filters: Filters, trainer_filters: TrainerFilters, on=None):
    """The `standing_in` certifications, `named`."""
    return named(standing_in(scope=scope, filters=filters, trainer_filters=trainer_filters, on=on))


def named(rows):
    """Certifications, those that lapse first first, with the holder's name and e-mail address
    and the organisation's name and country joined in as values: fifty people made as models
    cost more than the query. One query."""
    return rows.annotate(
        holder_first_name=F("user__first_name"),
        holder_last_name=F("user__last_name"),
        holder_email=F("user__email"),
        organisation_name=F("organisation__name"),
        organisation_country=F("organisation__country"),
    ).order_by("valid_until", "user__last_name", "user__first_name", "user_id", "level")


def page_of(rows, *, offset: int, limit: int) -> list:
    """Rows `offset` to `offset + limit` of `named(rows)`, in its order. The certifications up
    to the page's last date (every tie and every one without a date included) are found first,
    along their own table; only those are then joined to their holders and sorted. Sorted
    whole, a thousand certifications joined to their holders took 5 ms on PostgreSQL, and
    narrowed by the date alone, it still joined every holder's row to reach them."""
    last = rows.order_by("valid_until").values("valid_until")[offset + limit - 1 : offset + limit]
    reached = rows.filter(
        Q(valid_until__lte=Coalesce(Subquery(last), Value(datetime.date.max)))
        | Q(valid_until__isnull=True)
    )
    ids = list(reached.order_by().values_list("pk", flat=True))
    return list(named(rows.filter(pk__in=ids))[offset : offset + limit])


def standing_in(*, scope: Scope, filters: Filters, trainer_filters: TrainerFilters, on=None):
    """The latest certification of each person and level in scope (`is_latest`), certified
    or suspended (expired ones included), in the filters' organisation, country and standing:
    what `certifications` lists, to count."""
    on = on or timezone.localdate()
    rows = certifications_in(scope).filter(
        is_latest=True, status__in=[Status.CERTIFIED, Status.SUSPENDED]
    )
    if filters.organisation is not None:
        rows = rows.filter(
            Q(organisation_id=filters.organisation)
            if filters.organisation
            else Q(organisation__isnull=True)
        )
    if filters.country is not None:
        rows = rows.filter(
            Q(organisation__country=filters.country)
            if filters.country
            else Q(organisation__isnull=True) | Q(organisation__country="")
        )
    soon = on + datetime.timedelta(days=trainer_filters.within)
    standing = trainer_filters.standing
    if standing == "expired":
        rows = rows.filter(valid_until__lt=on)
    elif standing == "suspended":
        rows = rows.filter(status=Status.SUSPENDED, valid_until__gte=on)
    elif standing == "expiring":
        rows = rows.filter(status=Status.CERTIFIED, valid_until__gte=on, valid_until__lte=soon)
    elif standing == "certified":
        rows = rows.filter(status=Status.CERTIFIED, valid_until__gt=soon)
    return rows


def holder_name(row) -> str:
    """A certification's holder as `User.get_full_name` names them."""
    return f"{row.holder_first_name} {row.holder_last_name}".strip()


def annotate(rows: list, *, scope: Scope, within: int, on=None) -> None:
    """Give each certification its standing, its holder's cohorts taught (in scope) and reach
    from the cascade's summary. Two queries, written out as SQL (`TableRows`)."""
    on = on or timezone.localdate()
    people = list({row.user_id for row in rows})
    reach, taught = {}, {}
    if people:
        reach = {
            trainer_id: (direct, downstream)
            for trainer_id, direct, downstream in TableRows(TrainerReach)
            .add("trainer_id IN (%s)", people)
            .read("trainer_id, direct_learners, downstream_learners")
        }
        cohorts = TableRows(Cohort).add("trainer_id IN (%s)", people)
        scope.narrow(cohorts, "organisation_id", "programme_id")
        taught = dict(cohorts.read("trainer_id, COUNT(*)", group="trainer_id"))
    for row in rows:
        row.standing = standing_of(row, within=within, on=on)
        row.standing_label = STANDINGS[row.standing]
        row.cohorts_taught = taught.get(row.user_id, 0)
        row.direct_learners, row.downstream_learners = reach.get(row.user_id, (0, 0))


def in_chunks(rows, *, scope: Scope, within: int, size: int = 2000) -> Iterator:
    """Every certification of `rows`, annotated a chunk at a time (for the exports)."""
    chunk = []
    for row in rows.iterator(chunk_size=size):
        chunk.append(row)
        if len(chunk) == size:
            annotate(chunk, scope=scope, within=within)
            yield from chunk
            chunk = []
    annotate(chunk, scope=scope, within=within)
    yield from chunk
