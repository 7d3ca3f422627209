"""Reads for the coordinators' dashboards, from the summary tables only.

A `Scope` says whose figures a reader may see (staff everything, a coordinator their
organisation, a programme coordinator what was delivered under their programmes, in every
organisation) and applies itself to each table read (`Scope.progress`, `Scope.cohorts`; the
counts' SQL in `_counts`); `filters_from` turns the query string into `Filters`, refusing any
value outside the scope as not found, so that a figure can never be asked for by naming what
is not yours.
"""

import datetime
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from urllib.parse import quote_plus

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q, Subquery
from django.http import Http404
from django.utils.translation import get_language
from django_countries import countries
from wagtail.models import Page

from cms import generations
from cms.accounts.models import Membership, Organisation
from cms.accounts.selectors import current_membership
from cms.home import cache as page_cache
from cms.programs.models import Programme, ProgrammeText
from cms.programs.selectors import coordinated_programme_ids

from ..models import (
    Cohort,
    CompletionMonth,
    CoursePage,
    LearnerProgress,
    TrackPage,
    TrainerCertification,
)
from ..training.programme_selectors import programme_results
from . import results as summary_results

NONE = "none"
BREAKDOWNS = ("organisation", "country", "cohort", "trainer", "programme", "course")
KEY_COLUMN = {
    "organisation": "organisation_key",
    "country": "country",
    "cohort": "cohort_key",
    "trainer": "trainer_key",
    "programme": "programme_key",
}
PROGRESS_COLUMN = {
    "organisation": "organisation_id",
    "country": "country",
    "cohort": "cohort_id",
    "trainer": "trainer_id",
    "programme": "programme_id",
}
# The scopes a reader may switch between, as the URL names them (`?scope=`).
EVERYTHING, ORGANISATION, PROGRAMMES = "all", "organisation", "programmes"
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
LEARNERS_PER_PAGE = 50


@dataclass(frozen=True)
class Scope:
    """What a reader sees: rows of one organisation (`organisation_id`), rows delivered under
    some programmes (`programme_ids`), or everything (both None, staff). `name` is the scope
    as the URL names it; `choices` every scope the reader may switch to."""

    organisation_id: int | None = None
    country: str = ""
    programme_ids: tuple[int, ...] | None = None
    name: str = EVERYTHING
    choices: tuple[str, ...] = (EVERYTHING,)

    @property
    def is_everything(self) -> bool:
        return self.organisation_id is None and self.programme_ids is None

    def _narrow(self, rows, organisation: str, programme: str):
        if self.organisation_id is not None:
            rows = rows.filter(**{organisation: self.organisation_id})
        if self.programme_ids is not None:
            rows = rows.filter(**{f"{programme}__in": self.programme_ids})
        return rows

    def progress(self, rows):
        """`LearnerProgress` rows narrowed to the scope."""
        return self._narrow(rows, "organisation_id", "programme_id")

    def cohorts(self, rows):
        """`Cohort` rows narrowed to the scope."""
        return self._narrow(rows, "organisation_id", "programme_id")

    def narrow(self, rows: "TableRows", organisation: str, programme: str) -> "TableRows":
        """`rows` read as SQL (`TableRows`) narrowed to the scope by their `organisation` and
        `programme` columns."""
        if self.organisation_id is not None:
            rows.add(f"{quote(organisation)} = %s", self.organisation_id)
        if self.programme_ids is not None:
            rows.add(f"{quote(programme)} IN (%s)", list(self.programme_ids))
        return rows


def dashboard_scopes(*, user) -> dict[str, Scope]:
    """Every scope `user` may read, by name: staff everything, a verified coordinator their
    organisation, a programme coordinator their programmes."""
    if not user.is_authenticated:
        return {}
    found = {}
    if user.is_staff or user.is_superuser:
        found[EVERYTHING] = Scope()
    membership = current_membership(user=user)
    if membership and membership.is_verified and membership.role == Membership.Role.COORDINATOR:
        found[ORGANISATION] = Scope(
            membership.organisation_id, membership.organisation.country.code, name=ORGANISATION
        )
    programmes = coordinated_programme_ids(user=user)
    if programmes:
        found[PROGRAMMES] = Scope(programme_ids=programmes, name=PROGRAMMES)
    choices = tuple(found)
    return {name: replace(scope, choices=choices) for name, scope in found.items()}


def dashboard_scope(*, user, wanted: str | None = None) -> Scope | None:
    """The scope `user` reads the dashboards in: `wanted` (a scope's name from the URL) or
    their first; None if they may read none. A scope they may not read is not found."""
    scopes = dashboard_scopes(user=user)
    if not scopes:
        return None
    if wanted:
        if wanted not in scopes:
            raise Http404
        return scopes[wanted]
    return next(iter(scopes.values()), None)


@dataclass(frozen=True)
class Filters:
    """What the reader asked for. Dimension values are keys as the summaries store them
    (0 or "" for none), or None for no filter."""

    by: str = "organisation"
    organisation: int | None = None
    country: str | None = None
    cohort: int | None = None
    trainer: int | None = None
    programme: int | None = None
    course: int | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    completed: datetime.date | None = None
    status: str = ""
    scope: str = ""
    labels: dict = field(default_factory=dict, compare=False, hash=False)

    def query(self, **changes) -> str:
        """The query string of these filters, with `changes` (None removes a filter). Asked
        for every link of a table, so the filters' own values are worked out once."""
        encoded = self._encoded
        if not changes:
            return "&".join(part for part in encoded.values() if part)
        parts = [
            _pair(key, changes[key]) if key in changes else part for key, part in encoded.items()
        ]
        extra = [_pair(key, value) for key, value in changes.items() if key not in encoded]
        return "&".join(part for part in parts + extra if part)

    def queries(self, *varying: str, **fixed) -> Callable[..., str]:
        """`query` for many links that change the same keys: the function returned takes the
        `varying` keys' values and gives `query(**fixed, **values)`, with every other part
        encoded once, not once a link (a table of fifty rows writes two hundred)."""
        encoded = dict(self._encoded)
        encoded.update({key: _pair(key, value) for key, value in fixed.items()})
        for key in varying:
            encoded.setdefault(key, "")
        segments: list[tuple[bool, str]] = []  # (varying, the key or the parts between)
        between: list[str] = []
        for key, part in encoded.items():
            if key in varying:
                segments += [(False, "&".join(between)), (True, key)]
                between = []
            elif part:
                between.append(part)
        segments.append((False, "&".join(between)))

        def query(**values) -> str:
            parts = (_pair(text, values[text]) if is_key else text for is_key, text in segments)
            return "&".join(part for part in parts if part)

        return query

    @cached_property
    def _encoded(self) -> dict:
        return {key: _pair(key, value) for key, value in self._values.items()}

    @cached_property
    def _values(self) -> dict:
        return {
            "by": self.by,
            "organisation": self.labels.get("organisation_slug"),
            "country": _encode(self.country),
            "cohort": _encode(self.cohort),
            "trainer": _encode(self.trainer),
            "programme": self.labels.get("programme_identifier"),
            "course": self.course,
            "from": f"{self.start:%Y-%m}" if self.start else None,
            "to": f"{self.end:%Y-%m}" if self.end else None,
            "completed": f"{self.completed:%Y-%m}" if self.completed else None,
            "status": self.status or None,
            "scope": self.scope or None,
        }


@lru_cache(maxsize=4096)
def _pair(key: str, value) -> str:
    """`key=value` as a query string holds it (as `urlencode` writes it), or "" for none."""
    if value is None or value == "":
        return ""
    return f"{quote_plus(key)}={quote_plus(str(value))}"


def _encode(value):
    if value is None:
        return None
    return NONE if value in (0, "") else value


def _month(value: str | None) -> datetime.date | None:
    if not value:
        return None
    found = MONTH.match(value)
    if not found or not 1 <= int(found[2]) <= 12 or int(found[1]) < 1:
        raise Http404
    return datetime.date(int(found[1]), int(found[2]), 1)


def _number(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    if value == NONE:
        return 0
    if not (value.isascii() and value.isdigit()) or len(value) > 12:
        raise Http404
    return int(value)


def filters_from(params, *, scope: Scope) -> Filters:
    """The reader's filters, each checked against their scope: an organisation, country,
    cohort, trainer, programme or course outside it, an unknown one or a malformed value is
    not found."""
    by = params.get("by") or "organisation"
    if by not in BREAKDOWNS:
        raise Http404
    labels = {}
    country = _country(params.get("country"), scope)
    organisation = _organisation(params.get("organisation"), scope, labels, country)
    programme = _programme(params.get("programme"), scope, labels)
    course = _number(params.get("course"))
    if course is not None and not _course_in(scope, course):
        raise Http404
    cohort = _number(params.get("cohort"))
    if cohort and not _cohorts_in(scope).filter(pk=cohort).exists():
        raise Http404
    trainer = _number(params.get("trainer"))
    if trainer and not _cohorts_in(scope).filter(trainer_id=trainer).exists():
        raise Http404
    status = params.get("status") or ""
    if status not in ("", "in_progress", "completed"):
        raise Http404
    return Filters(
        by=by,
        organisation=organisation,
        country=country,
        cohort=cohort,
        trainer=trainer,
        programme=programme,
        course=course,
        start=_month(params.get("from")),
        end=_month(params.get("to")),
        completed=_month(params.get("completed")),
        status=status,
        scope=scope.name if len(scope.choices) > 1 else "",
        labels=labels,
    )


class OrganisationNotFound(Http404):
    """The organisation filter names no single organisation the reader can see: a typo, a name
    two organisations share, or one outside their scope. Typed, so the pages say so rather than
    not being found (`views.typed_organisation`)."""


def _organisation(
    value: str | None, scope: Scope, labels: dict, country: str | None = None
) -> int | None:
    """An organisation by its slug (as links name it) or its name as typed in the filter
    (any case; the country filter tells two of one name apart). An organisation coordinator
    may name theirs; a programme coordinator one a cohort of their programmes belongs to (or
    none: learners who have left one)."""
    if not value:
        return None
    if value == NONE:
        if scope.organisation_id is not None:
            raise OrganisationNotFound
        labels["organisation_slug"] = NONE
        return 0
    value = value.strip()
    if "\x00" in value or len(value) > 200:
        raise OrganisationNotFound
    found = _organisation_named(value, country)
    if found is None or (scope.organisation_id is not None and found[0] != scope.organisation_id):
        raise OrganisationNotFound
    if (
        scope.programme_ids is not None
        and not _cohorts_in(scope).filter(organisation_id=found[0]).exists()
    ):
        raise OrganisationNotFound
    labels["organisation_slug"], labels["organisation_name"] = found[1], found[2]
    return found[0]


def _organisation_named(value: str, country: str | None) -> tuple | None:
    """(pk, slug, what to show in the filter) of the organisation `value` names, in one query:
    the organisation of that slug, else the only one of that name (in `country`, if given).
    The filter shows its name, or its slug where another organisation has the same name."""
    same_name = Organisation.objects.filter(slug=value).values("name")
    rows = list(
        Organisation.objects.filter(
            Q(slug=value) | Q(name__iexact=value) | Q(name__in=Subquery(same_name))
        ).values_list("pk", "slug", "name", "country")[:50]
    )
    by_slug = [row for row in rows if row[1] == value]
    if by_slug:
        pk, slug, name, _code = by_slug[0]
        alike = [row for row in rows if row[2].casefold() == name.casefold()]
        return pk, slug, name if len(alike) == 1 else slug
    named = [row for row in rows if row[2].casefold() == value.casefold()]
    if country is not None and len(named) > 1:
        named = [row for row in named if row[3] == country]
    if len(named) != 1:
        return None
    pk, slug, name, _code = named[0]
    alike = [row for row in rows if row[2].casefold() == name.casefold()]
    return pk, slug, name if len(alike) == 1 else slug


def _country(code: str | None, scope: Scope) -> str | None:
    if not code:
        return None
    if code == NONE:
        if scope.organisation_id is not None:
            raise Http404
        return ""
    code = code.upper()
    if code not in countries or (scope.organisation_id is not None and code != scope.country):
        raise Http404
    if (
        scope.programme_ids is not None
        and not _cohorts_in(scope).filter(organisation__country=code).exists()
    ):
        raise Http404
    return code


def _programme(identifier: str | None, scope: Scope, labels: dict) -> int | None:
    """A programme by its registry identifier: staff name any, an organisation coordinator one
    their organisation's cohorts are delivered under, a programme coordinator theirs."""
    if not identifier:
        return None
    if identifier == NONE:
        if scope.programme_ids is not None:
            raise Http404
        labels["programme_identifier"] = NONE
        return 0
    if "\x00" in identifier:  # no identifier holds one, and PostgreSQL refuses to compare it
        raise Http404
    found = Programme.objects.filter(identifier=identifier).values_list("pk", flat=True).first()
    if found is None:
        raise Http404
    if scope.programme_ids is not None and found not in scope.programme_ids:
        raise Http404
    if (
        scope.organisation_id is not None
        and not _cohorts_in(scope).filter(programme_id=found).exists()
    ):
        raise Http404
    labels["programme_identifier"] = identifier
    return found


def _course_in(scope: Scope, course: int) -> bool:
    """Any live course; for a programme coordinator, one their programmes' cohorts teach."""
    if scope.programme_ids is not None:
        return _cohorts_in(scope).filter(course_id=course).exists()
    return CoursePage.objects.live().filter(pk=course).exists()


# The scope applied to each table the dashboards read, one function per table, so that a
# change of scope (a programme's, say) is made once for every view.


def _cohorts_in(scope: Scope):
    return scope.cohorts(Cohort.objects.all())


def progress_in(scope: Scope):
    """The learners' progress rows the reader may see."""
    return scope.progress(LearnerProgress.objects.all())


def certifications_in(scope: Scope):
    """The trainer certifications the reader may see: a coordinator's organisation's; a
    programme coordinator's, those of the trainers of cohorts delivered under their programmes."""
    rows = TrainerCertification.objects.all()
    if scope.organisation_id is not None:
        rows = rows.filter(organisation_id=scope.organisation_id)
    if scope.programme_ids is not None:
        rows = rows.filter(user_id__in=_cohorts_in(scope).values("trainer_id"))
    return rows


# What each coarse level of `CompletionMonth` keeps, coarsest first: the dimensions it can
# break down or filter by, and whether it is by month. A read uses the first that answers it.
LEVELS = (
    (CompletionMonth.COURSE, set(), True),
    (CompletionMonth.ORGANISATION, {"organisation"}, False),
    (CompletionMonth.COUNTRY_ALL_TIME, {"country"}, False),
    (CompletionMonth.ALL_TIME, {"organisation", "country", "programme"}, False),
    (CompletionMonth.COUNTRY, {"country"}, True),
    (
        CompletionMonth.EVERY_KEY,
        {"organisation", "country", "cohort", "trainer", "programme"},
        False,
    ),
)


def count_level(scope: Scope, filters: Filters, *, monthly: bool = False) -> int:
    """The coarsest level of `CompletionMonth` holding every dimension the reader's scope, the
    breakdown and the filters name (and the months, for a chart or a period)."""
    named = {name for name in KEY_COLUMN if getattr(filters, name) is not None}
    if filters.by in KEY_COLUMN:
        named.add(filters.by)
    if scope.organisation_id is not None:
        named.add("organisation")
    if scope.programme_ids is not None:
        named.add("programme")
    monthly = monthly or bool(filters.start or filters.end)
    for level, kept, by_month in LEVELS:
        if named <= kept and (by_month or not monthly):
            return level
    return CompletionMonth.FINE


def _counts(scope: Scope, filters: Filters, *, monthly: bool = False) -> "TableRows":
    """The monthly counts in the reader's scope and the filters, at the coarsest level that
    holds them (`count_level`)."""
    rows = TableRows(CompletionMonth)
    rows.add("level = %s", count_level(scope, filters, monthly=monthly))
    scope.narrow(rows, "organisation_key", "programme_key")
    for name, column in KEY_COLUMN.items():
        value = getattr(filters, name)
        if value is not None:
            rows.add(f"{quote(column)} = %s", value)
    if filters.course is not None:
        rows.add("course_id = %s", filters.course)
    adapt = connection.ops.adapt_datefield_value
    if filters.start:
        rows.add("month >= %s", adapt(filters.start))
    if filters.end:
        rows.add("month <= %s", adapt(filters.end))
    return rows


@dataclass
class Row:
    key: object
    label: str
    param: object
    course_id: int
    course: str
    is_track: bool
    enrolled: int
    completed: int

    @property
    def in_progress(self) -> int:
        return self.enrolled - self.completed

    @property
    def rate(self) -> float:
        return self.completed / self.enrolled if self.enrolled else 0.0


def completion_table(*, scope: Scope, filters: Filters) -> list[Row]:
    """Enrolled and completed by course and by the chosen breakdown: of the learners who
    enrolled in the period, how many have completed. Two queries (one by country or course;
    the course titles are kept per content generation)."""
    return [Row(*found) for found in _completion_groups(scope, filters)]


def _completion_groups(scope: Scope, filters: Filters) -> list[tuple]:
    """`completion_table`'s rows as tuples of `Row`'s fields, in its order: a breakdown by
    country sorts hundreds of them by name in the reader's language, and a page of the table
    makes rows of the fifty it shows."""
    column = KEY_COLUMN.get(filters.by)
    group = f"{quote(column)}, course_id" if column else "course_id"
    found = _counts(scope, filters).read(
        f"{group}, SUM(enrolments), SUM(completed)", group=group, having="SUM(enrolments) > 0"
    )
    courses = _course_titles({row[-3] for row in found})
    labels = dimension_labels(filters.by, {row[0] for row in found} if column else set())
    rows = []
    for *keys, course_id, enrolled, done in found:
        course, is_track = courses[course_id]
        if column:
            label, param = labels[keys[0]]
            rows.append((keys[0], label, param, course_id, course, is_track, enrolled, done))
        else:
            rows.append((course_id, course, course_id, course_id, course, is_track, enrolled, done))
    rows.sort(key=lambda r: (str(r[1]).casefold(), r[4].casefold()))
    return rows


@dataclass
class CompletionPage:
    """One page of the completion table, with the number of rows of the whole table and its
    totals."""

    rows: list[Row]
    count: int
    enrolled: int
    completed: int


# How deep into the breakdown by organisation a page is read in the order of the names'
# index (`_by_organisation_name`): that read grows with the rows it passes, and beyond the
# first twenty pages sorting every row costs less.
NAME_ORDER_DEPTH = 1000


def completion_page(*, scope: Scope, filters: Filters, offset: int, limit: int) -> CompletionPage:
    """The rows `offset` to `offset + limit` of `completion_table`, grouped, ordered and cut in
    the database (with their labels and course titles joined in), and the whole table's row
    count and totals, so that a breakdown by hundreds of organisations, cohorts or trainers
    builds the fifty rows it shows. One query (by country, those of `completion_table`)."""
    if filters.by == "country":  # a few hundred rows at most, named in the reader's language
        rows = _completion_groups(scope, filters)
        return CompletionPage(
            [Row(*found) for found in rows[offset : offset + limit]],
            len(rows),
            sum(row[-2] for row in rows),
            sum(row[-1] for row in rows),
        )
    column = KEY_COLUMN.get(filters.by)
    group = f"{quote(column)}, course_id" if column else "course_id"
    counts = _counts(scope, filters)
    # At `ORGANISATION` (a row per organisation and course, the one level it is read from)
    # each row is a group: read as it is, a page across every organisation is a third of the
    # time of grouping its thousands of rows and summing them again.
    ungrouped = count_level(scope, filters) == CompletionMonth.ORGANISATION
    if ungrouped:
        inner, params = counts.add("enrolments > 0").select(
            f"{group}, enrolments AS enrolled, completed AS done"
        )
    else:
        inner, params = counts.select(
            f"{group}, SUM(enrolments) AS enrolled, SUM(completed) AS done",
            group=group,
            having="SUM(enrolments) > 0",
        )
    if ungrouped and filters.by == "organisation" and offset < NAME_ORDER_DEPTH:
        count, enrolled, completed = _totals(
            inner, params, "COUNT(*)", "SUM(g.enrolled)", "SUM(g.done)"
        )
        found = _by_organisation_name(inner, params, count=count, offset=offset, limit=limit)
        return CompletionPage(_rows(found, filters), count, enrolled, completed)
    key = f"g.{quote(column)}" if column else "g.course_id"
    joins, label, param = label_sql(filters.by)
    page = quote(Page._meta.db_table)
    track = quote(TrackPage._meta.db_table)
    # Names of organisations are unique in a country: each one's rows stay together.
    then = "o.country, " if filters.by == "organisation" else ""
    found, (count, enrolled, completed) = paged_groups(
        inner,
        params,
        columns=f"{key}, g.course_id, g.enrolled, g.done, {label}, {param}, p.title,"
        " t.coursepage_ptr_id",
        joins=f"{joins.format(key=key)} JOIN {page} p ON p.id = g.course_id"
        f" LEFT JOIN {track} t ON t.coursepage_ptr_id = g.course_id",
        order=f"({label}) IS NULL, {label}, {then}p.title, {key}, g.course_id",
        totals=("COUNT(*)", "SUM(g.enrolled)", "SUM(g.done)"),
        limit=limit,
        offset=offset,
        windowed=not ungrouped,
    )
    return CompletionPage(_rows(found, filters), count, enrolled, completed)


def _rows(found: list[tuple], filters: Filters) -> list[Row]:
    """The `Row`s of a page read by `completion_page`: each tuple the row's key, course,
    enrolled, completed, label, label's parameter, course title and track (any more columns,
    the totals, ignored)."""
    nobody = dimension_labels(filters.by, set())[0]
    column = KEY_COLUMN.get(filters.by)
    return [
        Row(
            key=row_key,
            label=(shown if shown is not None else str(row_key)) if row_key else nobody[0],
            param=(shown_param if row_key else NONE) if column else course_id,
            course_id=course_id,
            course=title,
            is_track=track is not None,
            enrolled=enrolled_here,
            completed=done,
        )
        for row_key, course_id, enrolled_here, done, shown, shown_param, title, track, *_ in found
    ]


def _by_organisation_name(inner: str, params, *, count: int, offset: int, limit: int):
    """A page of the rows `inner` reads at `ORGANISATION` (one per organisation and course,
    with its enrolled and done), in the table's order: organisations by name (then country),
    then course title; the rows of no organisation (or of one since removed) last. `count`:
    how many rows `inner` reads. Read from the organisations in the order of their name's
    index, the database stops after the page: joining every row to its organisation and
    course and sorting them all first took ten times as long at 4,000 rows. Only a page that
    reaches the rows of no organisation reads them (a query more)."""
    organisations = quote(Organisation._meta.db_table)
    page, track = quote(Page._meta.db_table), quote(TrackPage._meta.db_table)
    # SQLite joins the tables in the order written after CROSS JOIN (the same join otherwise);
    # PostgreSQL finds that plan by itself.
    join = "CROSS JOIN" if connection.vendor == "sqlite" else "JOIN"
    courses = (
        f"JOIN {page} p ON p.id = g.course_id"
        f" LEFT JOIN {track} t ON t.coursepage_ptr_id = g.course_id"
    )
    columns = "g.course_id, g.enrolled, g.done"
    named = (
        f"SELECT o.id, {columns}, o.name, o.slug, p.title, t.coursepage_ptr_id"  # noqa: S608
        f" FROM {organisations} o {join} ({inner}) g ON g.organisation_key = o.id {courses}"
        " ORDER BY o.name, o.country, p.title, o.id, g.course_id LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(named, [*params, limit, offset])
        found = cursor.fetchall()
        if len(found) == limit:
            return found
        cursor.execute(
            f"SELECT g.organisation_key, {columns}, NULL, NULL, p.title, t.coursepage_ptr_id"  # noqa: S608
            f" FROM ({inner}) g LEFT JOIN {organisations} o ON o.id = g.organisation_key"
            f" {courses} WHERE o.id IS NULL ORDER BY p.title, g.organisation_key, g.course_id",
            params,
        )
        nameless = cursor.fetchall()
    first = max(0, offset - (count - len(nameless)))
    return found + nameless[first : first + limit - len(found)]


def _totals(inner: str, params, *totals: str) -> list[int]:
    """The `totals` (a count, sums) of the rows `inner` reads, as `g`."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(totals)} FROM ({inner}) g", params)  # noqa: S608
        # (PostgreSQL sums a sum as a decimal)
        return [int(n or 0) for n in cursor.fetchone()]


class TableRows:
    """Rows of a table (a summary table, mostly), narrowed condition by condition, read as SQL
    written out: the ORM took several times as long to compose a dashboard's handful of small
    grouped reads as the database took to answer them. Names come from the models (quoted);
    every value is a parameter."""

    def __init__(self, model):
        self.table = quote(model._meta.db_table)
        self.where: list[str] = []
        self.params: list = []

    def add(self, clause: str, *values) -> "TableRows":
        """Narrow the rows by `clause`, whose placeholders take `values` in order: a list takes
        the place of an `IN (%s)`'s placeholder whole (an empty one matches nothing)."""
        parts = clause.split("%s")
        if len(parts) != len(values) + 1:
            raise ValueError(f"{len(values)} values for the placeholders of {clause!r}")
        written = [parts[0]]
        for value, after in zip(values, parts[1:], strict=True):
            if isinstance(value, list):
                written.append(", ".join(["%s"] * len(value)) or "NULL")
                self.params.extend(value)
            else:
                written.append("%s")
                self.params.append(value)
            written.append(after)
        self.where.append("".join(written))
        return self

    def select(
        self,
        columns: str,
        *,
        group: str = "",
        having: str = "",
        order: str = "",
        limit: int | None = None,
    ) -> tuple[str, list]:
        """The SQL and parameters of `columns` of the rows, grouped by `group` if given."""
        sql = f"SELECT {columns} FROM {self.table}"  # noqa: S608
        if self.where:
            sql += f" WHERE {' AND '.join(self.where)}"
        params = list(self.params)
        if group:
            sql += f" GROUP BY {group}"
        if having:
            sql += f" HAVING {having}"
        if order:
            sql += f" ORDER BY {order}"
        if limit is not None:
            sql += " LIMIT %s"
            params.append(limit)
        return sql, params

    def read(self, columns: str, **options) -> list[tuple]:
        """The rows of `select`, as the database returns them."""
        sql, params = self.select(columns, **options)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


def paged_groups(
    inner: str,
    params,
    *,
    columns: str,
    joins: str,
    order: str,
    totals: tuple,
    limit,
    offset,
    windowed: bool = True,
) -> tuple[list[tuple], list[int]]:
    """The rows `offset` to `offset + limit` of the groups `inner` (a grouped query, as `g`)
    with `columns`, `joins` and `order`, and the `totals` of every group (a count, sums):
    window functions run over every group before the page is cut, so that the groups are
    summed once. Each row ends with the totals. Names from the models, values as parameters.
    The windows run over the groups alone, before the labels are joined in: over the joined
    rows, SQLite copied every label of 4,000 groups aside first (a third of the query).
    Not `windowed` (`inner` reads rows that need no grouping), the totals are a query of
    their own: SQLite sets every row aside for a window, which took three times the page."""
    if windowed:
        windows = ", ".join(f"{total} OVER () AS total_{n}" for n, total in enumerate(totals))
        inner_page = f"SELECT g.*, {windows} FROM ({inner}) g"  # noqa: S608
        summed = "".join(f", g.total_{n}" for n in range(len(totals)))
    else:
        inner_page, summed = inner, ""
    sql = (
        f"SELECT {columns}{summed} FROM ({inner_page}) g"  # noqa: S608
        f" {joins} ORDER BY {order} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        found = cursor.fetchall()
    if windowed and found:  # (PostgreSQL sums a sum as a decimal)
        return found, [int(n or 0) for n in found[0][-len(totals) :]]
    if offset or not windowed:  # the totals alone
        return found, _totals(inner, params, *totals)
    return found, [0] * len(totals)


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def label_sql(by: str) -> tuple[str, str, str]:
    """For a breakdown the database orders: the joins (on `{key}`, the row's key) that name
    its rows, the label shown (and ordered by), and its value in the query string."""
    organisations = quote(Organisation._meta.db_table)
    if by == "organisation":
        return f"LEFT JOIN {organisations} o ON o.id = {{key}}", "o.name", "o.slug"
    if by == "cohort":
        joins = (
            f"LEFT JOIN {quote(Cohort._meta.db_table)} c ON c.id = {{key}}"
            f" LEFT JOIN {organisations} o ON o.id = c.organisation_id"
        )
        return joins, "c.name || ' (' || o.name || ')'", "c.id"
    if by == "trainer":
        people = quote(get_user_model()._meta.db_table)
        name = "COALESCE(NULLIF(TRIM(u.first_name || ' ' || u.last_name), ''), u.email)"
        return f"LEFT JOIN {people} u ON u.id = {{key}}", name, "u.id"
    if by == "programme":
        programmes = quote(Programme._meta.db_table)
        return f"LEFT JOIN {programmes} pr ON pr.id = {{key}}", "pr.identifier", "pr.identifier"
    return "", "p.title", "g.course_id"  # by course


def _course_titles(ids: set[int]) -> dict[int, tuple[str, bool]]:
    """The title of each course of `ids`, and whether it is a track: read from every course's,
    kept once per content generation (publishing, moving or deleting a page moves it), so that
    a page of figures asks the database for none. A course missing from them (which only a
    page published since could be) is read."""
    every = page_cache.remember("dashboards:course-titles", lambda: _titles(None))
    missing = set(ids) - every.keys()
    if missing:
        every = {**every, **_titles(missing)}
    return {pk: every[pk] for pk in ids if pk in every}


def course_titles(ids: set[int]) -> dict[int, str]:
    """The title of each course of `ids` (`_course_titles`)."""
    return {pk: title for pk, (title, _track) in _course_titles(ids).items()}


def _titles(ids: set[int] | None) -> dict[int, tuple[str, bool]]:
    courses = CoursePage.objects.all() if ids is None else CoursePage.objects.filter(pk__in=ids)
    return {
        pk: (title, track is not None)
        for pk, title, track in courses.values_list("pk", "title", "trackpage")
    }


@lru_cache(maxsize=4096)
def country_name(language: str, code: str) -> str:
    """A country's name in `language`, worked out once per process: a breakdown by country
    names every country in scope, and the filter form does too."""
    return str(countries.name(code))


def dimension_labels(by: str, keys: set) -> dict:
    """What to call each key of a breakdown, and its value in a query string."""
    from django.utils.translation import gettext as _

    nobody = {
        "organisation": _("No organisation"),
        "cohort": _("No cohort"),
        "trainer": _("No trainer"),
        "country": _("No country"),
        "programme": _("No programme"),
    }
    labels = {0: (nobody.get(by, ""), NONE), "": (nobody.get(by, ""), NONE)}
    ids = [key for key in keys if key]
    if by == "organisation":
        for pk, name, slug in Organisation.objects.filter(pk__in=ids).values_list(
            "pk", "name", "slug"
        ):
            labels[pk] = (name, slug)
    elif by == "cohort":
        for pk, name, organisation in Cohort.objects.filter(pk__in=ids).values_list(
            "pk", "name", "organisation__name"
        ):
            labels[pk] = (f"{name} ({organisation})", pk)
    elif by == "trainer":
        for pk, first, last, email in (
            get_user_model()
            .objects.filter(pk__in=ids)
            .values_list("pk", "first_name", "last_name", "email")
        ):
            labels[pk] = (f"{first} {last}".strip() or email, pk)
    elif by == "country":
        language = get_language()
        labels.update({key: (country_name(language, key), key) for key in ids})
    elif by == "programme":
        for pk, identifier in Programme.objects.filter(pk__in=ids).values_list("pk", "identifier"):
            labels[pk] = (identifier, identifier)
    return labels


@dataclass
class Month:
    month: datetime.date
    enrolments: int
    completions: int


def completion_months(*, scope: Scope, filters: Filters) -> list[Month]:
    """Enrolments and completions recorded in each month of the period. One query."""
    over_time = replace(filters, by="course")  # the months are not broken down
    found = _counts(scope, over_time, monthly=True).read(
        "month, SUM(enrolments), SUM(completions)", group="month", order="month"
    )
    return [
        Month(_date(month), int(enrolled), int(done))
        for month, enrolled, done in found
        if enrolled or done
    ]


def _date(value) -> datetime.date:
    """A date as the database returns it (SQLite: as text)."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def learner_full_name(row) -> str:
    """The learner of a row whose query joined in `learner_first_name`, `learner_last_name`
    and `learner_email` (the stalled learners, the critical choices' learners), as
    `User.get_full_name` names them (the exports' "Name")."""
    return f"{row.learner_first_name} {row.learner_last_name}".strip()


def learner_name(row) -> str:
    """The same learner as `User.display_name` names them (the pages): their address when
    they gave no name."""
    return learner_full_name(row) or row.learner_email


@dataclass
class ProgressRow:
    """A learner's progress row as the learner lists (the learners behind a figure, the
    stalled learners) show it: with the names of the learner, organisation, cohort and last
    lesson; on a page, the course's title and, on the stalled learners', the last reminder."""

    id: int
    user_id: int
    course_id: int
    country: str
    enrolled_at: datetime.datetime
    lessons_done: int
    completed_at: datetime.datetime | None
    last_activity_at: datetime.datetime
    last_lesson_id: int | None
    learner_first_name: str
    learner_last_name: str
    learner_email: str
    organisation_name: str | None
    cohort_name: str | None
    last_lesson_title: str | None
    course_title: str = ""
    reminded_at: datetime.datetime | None = None

    @property
    def key(self) -> str:
        """The learner and course, as the stalled learners' reminder form posts them."""
        return f"{self.user_id}-{self.course_id}"


class ProgressRows:
    """The progress rows in the reader's scope and filters that a learner list shows, in its
    `order` (columns of the progress table, along one of its indexes): a page reads them fifty
    at a time (as a sequence a `Paginator` cuts), an export all of them (iterated, in chunks
    from a cursor kept on the server on PostgreSQL), and both count them. Each list narrows
    `rows` further.

    Read as SQL written out: composed by the ORM with the names joined in, and fifty rows made
    as models, the stalled learners' query took seven times as long to build and read as the
    database took to answer it."""

    order: tuple[str, ...] = ()
    CHUNK = 2000
    COLUMNS = (
        "id, user_id, course_id, country, enrolled_at, lessons_done, completed_at,"
        " last_activity_at, last_lesson_id, organisation_id, cohort_id"
    )

    def __init__(self, *, scope: Scope, filters: Filters):
        self.rows = narrowed_rows(
            scope.narrow(TableRows(LearnerProgress), "organisation_id", "programme_id"), filters
        )

    def count(self) -> int:
        return _totals(*self.rows.select("1"), "COUNT(*)")[0]

    def count_up_to(self, limit: int) -> int:
        """How many rows there are, counting no further than `limit` + 1."""
        return _totals(*self.rows.select("1", limit=limit + 1), "COUNT(*)")[0]

    def __getitem__(self, window: slice) -> list[ProgressRow]:
        """The rows `window.start` to `window.stop` (one query)."""
        inner, params = self.rows.select(
            self.COLUMNS, order=", ".join(self.order), limit=window.stop - window.start
        )
        with connection.cursor() as cursor:
            cursor.execute(self._named(f"{inner} OFFSET %s"), [*params, window.start])
            return [_progress_row(found) for found in cursor.fetchall()]

    def __iter__(self) -> Iterator[ProgressRow]:
        """Every row, read in chunks, so that an export of any size holds one at a time."""
        inner, params = self.rows.select(self.COLUMNS, order=", ".join(self.order))
        with connection.chunked_cursor() as cursor:
            cursor.execute(self._named(inner), params)
            while chunk := cursor.fetchmany(self.CHUNK):
                yield from (_progress_row(found) for found in chunk)

    def _named(self, inner: str) -> str:
        """The rows `inner` reads, with the names of the learner, organisation, cohort and
        last lesson joined in, in the same order."""
        people = quote(get_user_model()._meta.db_table)
        organisations = quote(Organisation._meta.db_table)
        cohorts = quote(Cohort._meta.db_table)
        pages = quote(Page._meta.db_table)
        return (
            "SELECT g.id, g.user_id, g.course_id, g.country, g.enrolled_at, g.lessons_done,"  # noqa: S608
            " g.completed_at, g.last_activity_at, g.last_lesson_id, u.first_name, u.last_name,"
            f" u.email, o.name, c.name, p.title FROM ({inner}) g"
            f" JOIN {people} u ON u.id = g.user_id"
            f" LEFT JOIN {organisations} o ON o.id = g.organisation_id"
            f" LEFT JOIN {cohorts} c ON c.id = g.cohort_id"
            f" LEFT JOIN {pages} p ON p.id = g.last_lesson_id"
            f" ORDER BY {', '.join(f'g.{column}' for column in self.order)}"
        )


def _progress_row(found: tuple) -> ProgressRow:
    row = ProgressRow(*found)
    row.enrolled_at = moment_from_db(row.enrolled_at)
    row.completed_at = moment_from_db(row.completed_at)
    row.last_activity_at = moment_from_db(row.last_activity_at)
    return row


class Learners(ProgressRows):
    """The progress rows behind a figure: enrolled in the period (or completed in the month
    `completed`), in the filters' organisation, country, cohort, trainer and course, the
    latest enrolments first (then the latest row), along the indexes `(…, enrolled_at, id)`
    of the progress table, so that a page reads its fifty rows, not every one sorted."""

    order = ("enrolled_at DESC", "id DESC")

    def __init__(self, *, scope: Scope, filters: Filters):
        super().__init__(scope=scope, filters=filters)
        moment = connection.ops.adapt_datetimefield_value
        if filters.start:
            self.rows.add("enrolled_at >= %s", moment(_moment(filters.start)))
        if filters.end:
            self.rows.add("enrolled_at < %s", moment(_moment(_next_month(filters.end))))
        if filters.completed:
            self.rows.add("completed_at >= %s", moment(_moment(filters.completed)))
            self.rows.add("completed_at < %s", moment(_moment(_next_month(filters.completed))))
        if filters.status == "completed":
            self.rows.add("completed_at IS NOT NULL")
        elif filters.status == "in_progress":
            self.rows.add("completed_at IS NULL")


def learner_count(*, scope: Scope, filters: Filters) -> int | None:
    """How many rows `Learners` holds, summed from the monthly counts (which hold one enrolment
    per progress row) rather than counted row by row; None when the filters ask for what the
    counts cannot tell (completions in a month among enrolments of a period)."""
    filters = replace(filters, by="course")  # the list is not broken down
    if filters.completed and filters.status == "in_progress":
        return 0  # completed in a month, and not completed
    if filters.completed and (filters.start or filters.end):
        return None
    if filters.completed:
        month = replace(filters, start=filters.completed, end=filters.completed)
        ((found,),) = _counts(scope, month, monthly=True).read("SUM(completions)")
        return int(found or 0)
    ((enrolled, completed),) = _counts(scope, filters).read("SUM(enrolments), SUM(completed)")
    enrolled, completed = int(enrolled or 0), int(completed or 0)
    if filters.status == "completed":
        return completed
    if filters.status == "in_progress":
        return enrolled - completed
    return enrolled


def narrowed_rows(rows: "TableRows", filters: Filters) -> "TableRows":
    """Progress rows (`TableRows` of `LearnerProgress`) in the filters' organisation,
    country, cohort, trainer and course; "none" (0) is a row without one."""
    for name, column in PROGRESS_COLUMN.items():
        value = getattr(filters, name)
        if value is None:
            continue
        if value in (0, "") and column != "country":
            rows.add(f"{quote(column)} IS NULL")
        else:
            rows.add(f"{quote(column)} = %s", value)
    if filters.course is not None:
        rows.add("course_id = %s", filters.course)
    return rows


def moment_from_db(value) -> datetime.datetime | None:
    """A moment as the database returns it to SQL written out: aware from PostgreSQL; from
    SQLite naive in UTC, or text where it cannot tell the column's type (as the ORM's
    converters read it)."""
    if value is None:
        return None
    moment = (
        value if isinstance(value, datetime.datetime) else datetime.datetime.fromisoformat(value)
    )
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def _moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)


@dataclass
class Options:
    """The choices of the filter form. Organisations are not listed (hundreds of them): the
    form has a field to type one in, with suggestions from `organisation_suggestions`."""

    countries: list  # codes of the organisations' countries in scope
    courses: list
    programmes: list = field(default_factory=list)
    cohorts: list = field(default_factory=list)
    trainers: list = field(default_factory=list)


def _organisations_in(scope: Scope):
    organisations = Organisation.objects.all()
    if scope.organisation_id is not None:
        organisations = organisations.filter(pk=scope.organisation_id)
    if scope.programme_ids is not None:
        organisations = organisations.filter(pk__in=_cohorts_in(scope).values("organisation_id"))
    return organisations


# How long the filter choices are kept at most: the generations they are kept under leave
# them behind at the next change to what they list.
OPTIONS_SECONDS = 3600


def filter_options(*, scope: Scope, filters: Filters) -> Options:
    """The choices of the filter form, the same on every page of the dashboards: kept in the
    shared cache under the generations of what they list (courses, organisations, programmes,
    cohorts and the names of their trainers), so that a page reads them from the database only
    after one of those changed. Four queries then, none otherwise."""
    organisation = scope.organisation_id or filters.organisation
    generation = ".".join(
        generations.current(name) for name in ("content", "accounts", "registry", "cohorts")
    )
    programmes = "-" if scope.programme_ids is None else ",".join(map(str, scope.programme_ids))
    key = (
        f"flightpath:dashboards:{settings.FLIGHTPATH_RELEASE}.{generation}:filter-options:"
        f"{scope.organisation_id}:{programmes}:{organisation}"
    )
    return generations.remember(
        key, lambda: _filter_options(scope=scope, organisation=organisation), OPTIONS_SECONDS
    )


def _filter_options(*, scope: Scope, organisation: int | None) -> Options:
    """The countries of the organisations in scope, courses and programmes; the cohorts and
    their trainers once an organisation is chosen (a coordinator's always, and a programme
    coordinator's across organisations). Four queries."""
    delivered = _cohorts_in(scope)
    courses = CoursePage.objects.live().order_by("title")
    if scope.programme_ids is not None:
        courses = courses.filter(pk__in=delivered.values("course_id"))
    programmes = Programme.objects.filter(
        pk__in=delivered.filter(programme__isnull=False).values("programme_id")
    )
    codes = _organisations_in(scope).order_by().values_list("country", flat=True).distinct()
    options = Options(
        countries=list(codes),
        courses=list(courses.values_list("pk", "title")),
        programmes=list(programmes.order_by("identifier").values_list("identifier", flat=True)),
    )
    if organisation or scope.programme_ids is not None:
        cohorts = delivered
        if organisation:
            cohorts = cohorts.filter(organisation_id=organisation)
        cohorts = cohorts.values_list(
            "pk",
            "name",
            "trainer_id",
            "trainer__first_name",
            "trainer__last_name",
            "trainer__email",
        )
        trainers = {}
        for pk, name, trainer, first, last, email in cohorts.order_by("-starts_on", "name"):
            options.cohorts.append((pk, name))
            trainers[trainer] = f"{first} {last}".strip() or email
        options.trainers = sorted(trainers.items(), key=lambda item: item[1].casefold())
    return options


SUGGESTIONS = 20


def organisation_suggestions(*, scope: Scope, text: str) -> list[dict]:
    """Up to `SUGGESTIONS` organisations in scope whose name or slug holds `text`, by name:
    what the organisation filter offers as the reader types. One query."""
    text = text.strip()[:100]
    if len(text) < 2 or "\x00" in text:
        return []
    found = (
        _organisations_in(scope)
        .filter(Q(name__icontains=text) | Q(slug__icontains=text.lower()))
        .order_by("name", "country")
        .values_list("slug", "name", "country")[:SUGGESTIONS]
    )
    found = list(found)
    names = Counter(name.casefold() for _slug, name, _code in found)
    return [
        {
            "slug": slug,
            "name": name,
            "country": code,
            "country_name": str(countries.name(code)),
            # What the filter's field takes: the name, or the slug where two share it.
            "value": name if names[name.casefold()] == 1 else slug,
        }
        for slug, name, code in found
    ]


# Programme results -------------------------------------------------------------------------


@dataclass
class ProgrammeRow:
    programme_id: int
    identifier: str
    title: str
    language: str  # of the title
    cohorts: int
    participants_trained: int
    completions: int
    certified_trainers: int


def programme_cohorts(*, scope: Scope, filters: Filters) -> dict:
    """Lookups on `Cohort` for the cohorts whose results count: those in the scope, of the
    filters' organisation, country, cohort, trainer and course, started in the period."""
    lookups = {}
    if scope.organisation_id is not None:
        lookups["organisation_id"] = scope.organisation_id
    wanted = {
        "organisation_id": filters.organisation,
        "organisation__country": filters.country,
        "pk": filters.cohort,
        "trainer_id": filters.trainer,
        "course_id": filters.course,
    }
    lookups.update({lookup: value for lookup, value in wanted.items() if value is not None})
    if filters.start:
        lookups["starts_on__gte"] = filters.start
    if filters.end:
        lookups["starts_on__lt"] = _next_month(filters.end)
    return lookups


def _summary_scope(scope: Scope, filters: Filters) -> dict | None:
    """The scope of the programme results' counts (`results.results`) that the reader's scope
    and filters ask for, or None when a filter is not kept there (a cohort, a trainer, a
    course or a period: those are counted from the records of the cohorts they leave)."""
    if any(
        value is not None
        for value in (filters.cohort, filters.trainer, filters.course, filters.start, filters.end)
    ):
        return None
    organisation = scope.organisation_id
    if filters.organisation is not None:
        if organisation is not None and organisation != filters.organisation:
            return None
        organisation = filters.organisation
    return {"organisation_id": organisation, "country": filters.country}


def _programmes_shown(scope: Scope, filters: Filters) -> list[tuple[int, str, str]]:
    """The programmes a reader follows (those cohorts in their scope are delivered under, and
    a programme coordinator's own before anything is delivered under them), or the filters'
    programme among them: the id, identifier and default language of each, by identifier.
    One query, written out as SQL (`TableRows`): a programme is a whole IATI record, and
    thirty of them made as models, with their texts, cost five times the queries."""
    rows = TableRows(Programme)
    if scope.programme_ids is not None:
        rows.add("id IN (%s)", list(scope.programme_ids))
    else:
        delivered = TableRows(Cohort).add("programme_id IS NOT NULL")
        sql, params = scope.narrow(delivered, "organisation_id", "programme_id").select(
            "programme_id"
        )
        rows.add(f"id IN ({sql})", *params)
    if filters.programme is not None:
        rows.add("id = %s", filters.programme)
    return rows.read("id, identifier, default_language", order="identifier")


def _programme_titles(ids: list[int], language: str, defaults: dict[int, str]) -> dict[int, tuple]:
    """Each programme's title and its language, chosen as `Programme.text_in` chooses: in
    `language`, else in the programme's default language, else the first. One query."""
    texts: dict[int, list[tuple[str, str]]] = {}
    for pk, text_language, title in (
        TableRows(ProgrammeText)
        .add("programme_id IN (%s)", ids)
        .read("programme_id, language, title", order="programme_id, language")
    ):
        texts.setdefault(pk, []).append((text_language, title))
    chosen = {}
    for pk, found in texts.items():
        by_language = dict(found)
        wanted = next((w for w in (language, defaults.get(pk)) if w in by_language), found[0][0])
        chosen[pk] = (by_language[wanted], wanted)
    return chosen


def programme_table(*, scope: Scope, filters: Filters) -> list[ProgrammeRow]:
    """Per programme in scope, its participants trained, completions and certified trainers,
    counted as the registry counts them (`programme_results`) from the cohorts the filters
    leave: read from the summary (`results.results`, one query) for the reader's scope, an
    organisation or a country; counted from the records for a cohort, a trainer, a course or
    a period. A fixed number of queries, whatever the number of programmes."""
    found = _programmes_shown(scope, filters)
    ids = [pk for pk, _identifier, _default in found]
    kept = _summary_scope(scope, filters)
    if kept is not None:
        results = summary_results.results(programme_ids=ids, **kept)
    else:
        results = programme_results(
            programme_ids=ids, cohorts=programme_cohorts(scope=scope, filters=filters)
        )
    titles = _programme_titles(ids, get_language(), {pk: default for pk, _i, default in found})
    rows = []
    for pk, identifier, _default in found:
        counted = results.get(pk)
        title, language = titles.get(pk, ("", ""))
        rows.append(
            ProgrammeRow(
                programme_id=pk,
                identifier=identifier,
                title=title,
                language=language,
                cohorts=counted.cohorts if counted else 0,
                participants_trained=counted.participants_trained if counted else 0,
                completions=counted.completions if counted else 0,
                certified_trainers=counted.certified_trainers if counted else 0,
            )
        )
    return rows
