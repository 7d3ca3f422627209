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

from cms.accounts.models import Organisation, User

from ..models import Cohort, TrainerCertification, TrainerReach
from .selectors import Filters, Scope, TableRows, certifications_in, quote

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


def named(rows):
    """Certifications in the table's order, those that lapse first first, with the holder's
    name and e-mail address and the organisation's name and country joined in as values. The
    page and the exports read `page_of` and `in_chunks`; this is their order, spelled out."""
    return rows.annotate(
        holder_first_name=F("user__first_name"),
        holder_last_name=F("user__last_name"),
        holder_email=F("user__email"),
        organisation_name=F("organisation__name"),
        organisation_country=F("organisation__country"),
    ).order_by("valid_until", "user__last_name", "user__first_name", "user_id", "level")


def page_of(rows, *, scope: Scope, within: int, offset: int, limit: int, on=None) -> list:
    """Rows `offset` to `offset + limit` of `named(rows)`, in its order, each `_read` whole.
    The certifications up to the page's last date (every tie and every one without a date
    included) are found first, along their own table; only those are then read with their
    holders and sorted. Sorted whole, a thousand certifications joined to their holders took
    5 ms on PostgreSQL; narrowed by the date alone, they were still joined to every holder's
    row to reach them. Two queries."""
    last = rows.order_by("valid_until").values("valid_until")[offset + limit - 1 : offset + limit]
    reached = rows.filter(
        Q(valid_until__lte=Coalesce(Subquery(last), Value(datetime.date.max)))
        | Q(valid_until__isnull=True)
    )
    ids = list(reached.order_by().values_list("pk", flat=True))
    return _read(ids, scope=scope, within=within, on=on, limit=limit, offset=offset)


def in_chunks(rows, *, scope: Scope, within: int, size: int = 2000) -> Iterator:
    """Every certification of `rows` in `named`'s order, `_read` a chunk at a time (for the
    exports): a query for their order, and one a chunk."""
    chunk = []
    for pk in named(rows).values_list("pk", flat=True).iterator(chunk_size=size):
        chunk.append(pk)
        if len(chunk) == size:
            yield from _read(chunk, scope=scope, within=within)
            chunk = []
    yield from _read(chunk, scope=scope, within=within)


def _read(ids: list, *, scope: Scope, within: int, on=None, limit=None, offset=0) -> list:
    """The certifications `ids` in `named`'s order (`limit` of them from `offset`, if given),
    each with its holder's and organisation's names, its standing today, its holder's reach
    from the cascade's summary and the cohorts they teach in scope: one query, in SQL written
    out (composing it took the ORM a millisecond; reach and cohorts were a query each)."""
    if not ids:
        return []
    taught, taught_params = scope.narrow(
        TableRows(Cohort).add("trainer_id = c.user_id"), "organisation_id", "programme_id"
    ).select("COUNT(*)")
    sql = (
        "SELECT c.id, c.user_id, c.level, c.status, c.valid_from, c.valid_until,"  # noqa: S608
        " u.first_name AS holder_first_name, u.last_name AS holder_last_name,"
        " u.email AS holder_email, o.name AS organisation_name,"
        " o.country AS organisation_country,"
        " COALESCE(r.direct_learners, 0) AS direct_learners,"
        " COALESCE(r.downstream_learners, 0) AS downstream_learners,"
        f" ({taught}) AS cohorts_taught"
        f" FROM {quote(TrainerCertification._meta.db_table)} c"
        f" JOIN {quote(User._meta.db_table)} u ON u.id = c.user_id"
        f" LEFT JOIN {quote(Organisation._meta.db_table)} o ON o.id = c.organisation_id"
        f" LEFT JOIN {quote(TrainerReach._meta.db_table)} r ON r.trainer_id = c.user_id"
        f" WHERE c.id IN ({', '.join(['%s'] * len(ids))})"
        " ORDER BY c.valid_until, u.last_name, u.first_name, c.user_id, c.level"
    )
    params = [*taught_params, *ids]
    if limit is not None:
        sql += " LIMIT %s OFFSET %s"
        params += [limit, offset]
    on = on or timezone.localdate()
    rows = list(TrainerCertification.objects.raw(sql, params))
    for row in rows:
        row.standing = standing_of(row, within=within, on=on)
        row.standing_label = STANDINGS[row.standing]
    return rows


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
