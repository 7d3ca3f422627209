"""The coordinators' dashboards: completion by course and breakdown, over time, the learners
behind any figure, programme results, and each table as CSV or XLSX. Thin: the reads are in
`selectors`."""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    JsonResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms import spreadsheets

from ..models import DashboardExport
from . import exports, selectors, stalled, trainers

ROWS_PER_PAGE = 50
FORMATS = spreadsheets.FORMATS
EXPORTS_LISTED = 30


def _scope(request) -> selectors.Scope:
    """The reader's scope, or the one named by `?scope=` if they may read several."""
    scope = selectors.dashboard_scope(user=request.user, wanted=request.GET.get("scope"))
    if scope is None:
        raise PermissionDenied
    return scope


def _scope_choices(scope) -> list[tuple[str, str]]:
    labels = {
        selectors.EVERYTHING: _("Every organisation"),
        selectors.ORGANISATION: _("My organisation"),
        selectors.PROGRAMMES: _("My programmes"),
    }
    return [(name, labels[name]) for name in scope.choices] if len(scope.choices) > 1 else []


def typed_organisation(view):
    """A dashboard page whose organisation filter names no single organisation the reader can
    see (a typo, a name two share, one outside their scope) is not found, as every value
    outside a scope is; since the filter is typed, the answer says so in words and leads to the
    same page without it, the other filters kept."""

    @functools.wraps(view)
    def page(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except selectors.OrganisationNotFound:
            params = request.GET.copy()
            typed = params.pop("organisation", [""])[-1]
            params.pop("page", None)
            query = params.urlencode()
            context = {
                "typed": typed[:200],
                "without": f"{request.path}?{query}" if query else request.path,
            }
            template = "courses/dashboards/organisation_not_found.html"
            return render(request, template, context, status=404)

    return page


def _page_number(request) -> int:
    number = request.GET.get("page") or "1"
    if not (number.isascii() and number.isdigit()) or len(number) > 9 or int(number) < 1:
        raise Http404
    return int(number)


class _Pages:
    """What the pager include needs of a paginator, for a table paged in the database."""

    def __init__(self, count: int, per_page: int):
        self.count = count
        self.num_pages = max(1, -(-count // per_page))


class _TablePage:
    """A page of a table cut in the database, shaped as Django's `Page` for the pager."""

    def __init__(self, rows, number: int, count: int, per_page: int):
        self.object_list, self.number = rows, number
        self.paginator = _Pages(count, per_page)

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.paginator.num_pages

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next()

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


@login_required
@typed_organisation
def completion(request):
    scope = _scope(request)
    filters = selectors.filters_from(request.GET, scope=scope)
    number = _page_number(request)
    found = selectors.completion_page(
        scope=scope, filters=filters, offset=(number - 1) * ROWS_PER_PAGE, limit=ROWS_PER_PAGE
    )
    if number > 1 and not found.rows:
        # Past the last page: the last page, as Django's paginator gives it.
        number = max(1, -(-found.count // ROWS_PER_PAGE))
        found = selectors.completion_page(
            scope=scope, filters=filters, offset=(number - 1) * ROWS_PER_PAGE, limit=ROWS_PER_PAGE
        )
    page = _TablePage(found.rows, number, found.count, ROWS_PER_PAGE)
    _row_links(filters, page.object_list)
    months = selectors.completion_months(scope=scope, filters=filters)
    _month_links(filters, months)
    options = selectors.filter_options(scope=scope, filters=filters)
    return render(
        request,
        "courses/dashboards/completion.html",
        {
            "scope": scope,
            "scopes": _scope_choices(scope),
            "filters": filters,
            "rows": page.object_list,
            "page": page,
            "totals": _totals(found.enrolled, found.completed),
            "months": months,
            "options": options,
            "countries": _countries(options),
            "breakdowns": _breakdowns(),
            "by_label": dict(_breakdowns())[filters.by],
            "heading": _headings()[filters.by],
            "chartjs": (settings.CHARTJS_DIR / "chart.umd.min.js").exists(),
        },
    )


@login_required
def organisation_suggestions(request):
    """The organisations in the reader's scope whose name holds `q`, as JSON, for the
    organisation filter of every dashboard (static/js/organisation-chooser.js)."""
    scope = _scope(request)
    found = selectors.organisation_suggestions(scope=scope, text=request.GET.get("q", ""))
    return JsonResponse({"results": found})


def _row_links(filters, rows) -> None:
    """Give each row `links`: where each of its figures leads, the learners behind it, or the
    dashboard narrowed to the row's organisation, country, cohort or trainer."""
    by = filters.by
    dimension = () if by == "course" else (by,)
    narrow = filters.queries(*dimension)
    learners = {
        status: filters.queries("course", *dimension, by=None, status=status)
        for status in ("", "in_progress", "completed")
    }
    for row in rows:
        narrowed = {"course": row.course_id}
        if dimension:
            narrowed[by] = row.param
        row.links = {
            "narrow": "?" + narrow(**{by: row.param}) if dimension else "",
            "enrolled": "?" + learners[""](**narrowed),
            "in_progress": "?" + learners["in_progress"](**narrowed),
            "completed": "?" + learners["completed"](**narrowed),
        }


def _month_links(filters, months) -> None:
    """Give each month `links`: the learners who enrolled in it, and those who completed in it."""
    enrolled = filters.queries("from", "to", by=None)
    completed = filters.queries(
        "completed", by=None, status="completed", **{"from": None, "to": None}
    )
    for month in months:
        value = f"{month.month:%Y-%m}"
        month.links = {
            "enrolments": "?" + enrolled(**{"from": value, "to": value}),
            "completions": "?" + completed(completed=value),
        }


def _totals(enrolled: int, completed: int) -> dict:
    return {
        "enrolled": enrolled,
        "completed": completed,
        "in_progress": enrolled - completed,
        "rate": completed / enrolled if enrolled else 0,
    }


def _countries(options) -> list[tuple[str, str]]:
    language = get_language()
    named = [
        (code, selectors.country_name(language, code)) for code in set(options.countries) if code
    ]
    return sorted(named, key=lambda c: c[1])


def _breakdowns() -> list[tuple[str, str]]:
    return [
        ("organisation", _("Organisation")),
        ("country", _("Country")),
        ("cohort", _("Cohort")),
        ("trainer", _("Trainer")),
        ("programme", _("Programme")),
        ("course", _("Course only")),
    ]


def _headings() -> dict[str, str]:
    return {
        "organisation": _("By course and organisation"),
        "country": _("By course and country"),
        "cohort": _("By course and cohort"),
        "trainer": _("By course and trainer"),
        "programme": _("By course and programme"),
        "course": _("By course"),
    }


@login_required
@typed_organisation
def programmes(request):
    """Per programme in the reader's scope, what was delivered under it: participants trained,
    completions and certified trainers, as the registry counts them."""
    scope = _scope(request)
    filters = selectors.filters_from(request.GET, scope=scope)
    rows = selectors.programme_table(scope=scope, filters=filters)
    completion = reverse("courses:dashboards")
    for row in rows:
        # The completion view's period is when learners enrolled, not when cohorts started.
        query = filters.query(programme=row.identifier, **{"from": None, "to": None})
        row.completion_url = f"{completion}?{query}"
    options = selectors.filter_options(scope=scope, filters=filters)
    return render(
        request,
        "courses/dashboards/programmes.html",
        {
            "scope": scope,
            "scopes": _scope_choices(scope),
            "filters": filters,
            "rows": rows,
            "options": options,
            "countries": _countries(options),
            "chartjs": (settings.CHARTJS_DIR / "chart.umd.min.js").exists(),
        },
    )


@login_required
@typed_organisation
def learners(request):
    scope = _scope(request)
    filters = selectors.filters_from(request.GET, scope=scope)
    paginator = Paginator(
        selectors.Learners(scope=scope, filters=filters), selectors.LEARNERS_PER_PAGE
    )
    counted = selectors.learner_count(scope=scope, filters=filters)
    if counted is not None:
        paginator.count = counted  # summed from the monthly counts, not counted row by row
    number = _page_number(request)
    if number > max(paginator.num_pages, 1):
        raise Http404
    page = paginator.get_page(number)
    names = selectors.course_titles({row.course_id for row in page.object_list})
    for row in page.object_list:
        row.course_title = names.get(row.course_id, "")
    return render(request, "courses/dashboards/learners.html", {"filters": filters, "page": page})


@dataclass(frozen=True)
class ExportTable:
    """A table a dashboard page offers as a download: `rows(scope, filters)` yields its heading
    row then its rows (read with `.iterator()` when long); `count(scope, filters)` says cheaply
    how many rows it has, or is None for a table short by nature (always streamed)."""

    rows: Callable
    count: Callable | None = None
    # The table's own query parameters beyond the dashboards' filters, checked by `check`
    # (which raises Http404 on a bad value) and kept with a background export.
    params: tuple[str, ...] = ()
    check: Callable | None = None

    def params_from(self, query) -> QueryDict:
        """This table's own parameters in `query`, checked."""
        own = QueryDict(mutable=True)
        for name in self.params:
            if query.get(name):
                own[name] = query[name]
        if self.check:
            self.check(own)
        return own


@login_required
def export(request, table: str, fmt: str):
    """A table of a dashboard, with the filters of the page, as CSV or XLSX: streamed, or,
    past `FLIGHTPATH_EXPORT_STREAM_LIMIT` rows, written in the background for the reader."""
    scope = _scope(request)
    filters = selectors.filters_from(request.GET, scope=scope)
    if table not in EXPORT_TABLES or fmt not in FORMATS:
        raise Http404
    wanted = EXPORT_TABLES[table]
    params = wanted.params_from(request.GET)  # a bad value is a 404 before anything starts
    count = wanted.count(scope, filters, params) if wanted.count else 0
    if count > settings.FLIGHTPATH_EXPORT_STREAM_LIMIT:
        queued = exports.export_request(
            owner=request.user,
            table=table,
            fmt=fmt,
            filters="&".join(part for part in (filters.query(), params.urlencode()) if part),
            language=get_language(),
        )
        return redirect(f"{reverse('courses:dashboard_exports')}#export-{queued.pk}")
    rows = wanted.rows(scope, filters, params)
    name = f"flightpath-{table}-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "xlsx":
        return FileResponse(
            spreadsheets.xlsx_file(rows, title=table),
            as_attachment=True,
            filename=name,
            content_type=FORMATS[fmt],
        )
    response = StreamingHttpResponse(spreadsheets.csv_chunks(rows), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def export_list(request):
    """The reader's own exports, newest first, each with its state or download link."""
    _scope(request)
    mine = DashboardExport.objects.filter(owner=request.user).order_by("-created_at", "-pk")
    rows = list(mine[:EXPORTS_LISTED])
    now = timezone.now()
    for row in rows:
        row.expired = row.status == DashboardExport.Status.EXPIRED or (
            row.status == DashboardExport.Status.READY and row.expires_at <= now
        )
        row.error_message = exports.error_message(row.error) if row.error else ""
        row.table_name = _table_names().get(row.table, row.table)
        row.page = reverse(EXPORT_PAGES.get(row.table, "courses:dashboards"))
    return render(
        request,
        "courses/dashboards/exports.html",
        {
            "exports": rows,
            "waiting": any(row.in_progress for row in rows),
            "hours": settings.FLIGHTPATH_EXPORT_HOURS,
        },
    )


@login_required
def export_download(request, pk: int):
    """An export's file, for its owner only (anyone else: not found) until it expires."""
    _scope(request)
    export = get_object_or_404(DashboardExport, pk=pk, owner=request.user)
    if export.in_progress or export.status == DashboardExport.Status.FAILED:
        return redirect(f"{reverse('courses:dashboard_exports')}#export-{export.pk}")
    try:
        if export.status != DashboardExport.Status.READY or export.expires_at <= timezone.now():
            raise FileNotFoundError
        opened = export.file.open("rb")
    except (FileNotFoundError, ValueError):
        return render(request, "courses/dashboards/export_expired.html", status=410)
    return FileResponse(
        opened,
        as_attachment=True,
        filename=exports.download_name(export),
        content_type=FORMATS[export.format],
    )


# The page each exported table comes from, where its filters lead back to.
EXPORT_PAGES = {
    "learners": "courses:dashboard_learners",
    "stalled": "courses:dashboard_stalled",
    "trainers": "courses:dashboard_trainers",
    "programmes": "courses:dashboard_programmes",
}


def _table_names() -> dict[str, str]:
    return {
        "completion": _("Completion by course"),
        "months": _("Enrolments and completions by month"),
        "learners": _("Learners"),
        "stalled": _("Stalled learners"),
        "trainers": _("Trainers"),
        "programmes": _("Programme results"),
    }


def _completion_rows(scope, filters, params=None):
    by = dict(_breakdowns())[filters.by]
    yield [by, _("Course"), _("Enrolled"), _("In progress"), _("Completed"), _("Completion rate")]
    for row in selectors.completion_table(scope=scope, filters=filters):
        yield [
            row.label,
            row.course,
            row.enrolled,
            row.in_progress,
            row.completed,
            round(row.rate, 4),
        ]


def _month_rows(scope, filters, params=None):
    yield [_("Month"), _("Enrolments"), _("Completions")]
    for month in selectors.completion_months(scope=scope, filters=filters):
        yield [f"{month.month:%Y-%m}", month.enrolments, month.completions]


def _learner_rows(scope, filters, params=None):
    from ..models import CoursePage

    courses = dict(CoursePage.objects.values_list("pk", "title"))
    yield [
        _("Name"),
        _("E-mail address"),
        _("Organisation"),
        _("Country"),
        _("Cohort"),
        _("Course"),
        _("Enrolled"),
        _("Lessons done"),
        _("Completed"),
        _("Last activity"),
    ]
    for row in selectors.Learners(scope=scope, filters=filters):
        yield [
            selectors.learner_full_name(row),
            row.learner_email,
            row.organisation_name or "",
            row.country,
            row.cohort_name or "",
            courses.get(row.course_id, ""),
            row.enrolled_at.isoformat(timespec="seconds"),
            row.lessons_done,
            row.completed_at.isoformat(timespec="seconds") if row.completed_at else "",
            row.last_activity_at.isoformat(timespec="seconds"),
        ]


@login_required
@typed_organisation
def stalled_learners(request):
    """Learners enrolled, not completed and quiet for `days` days, with where they stopped;
    the coordinator may remind those they select."""
    scope = _scope(request)
    filters = selectors.filters_from(request.GET, scope=scope)
    days = stalled.days_from(request.GET)
    now = timezone.now()
    rows = stalled.Stalled(scope=scope, filters=filters, days=days, now=now)
    paginator = Paginator(rows, selectors.LEARNERS_PER_PAGE)
    counted = rows.count_up_to()
    paginator.count = min(counted, stalled.COUNT_UP_TO)
    number = _page_number(request)
    if number > max(paginator.num_pages, 1):
        raise Http404
    page = paginator.get_page(number)
    stalled.annotate_page(page.object_list)
    options = selectors.filter_options(scope=scope, filters=filters)
    return render(
        request,
        "courses/dashboards/stalled.html",
        {
            "scope": scope,
            "scopes": _scope_choices(scope),
            "filters": filters,
            "days": days,
            "query": filters.query(by=None, days=days),
            "page": page,
            "more": counted > stalled.COUNT_UP_TO,
            "options": options,
            "countries": _countries(options),
            "outcome": request.session.pop(REMINDER_OUTCOME, None),
            "quiet_days": stalled.QUIET_DAYS,
        },
    )


REMINDER_OUTCOME = "dashboards_reminders"


@login_required
@require_POST
def remind(request):
    """Queue a reminder to each learner selected (or every learner of the page) on the stalled
    learners' page, then show that page again with who was reminded and who was skipped."""
    scope = _scope(request)
    filters = selectors.filters_from(request.GET, scope=scope)
    days = stalled.days_from(request.GET)
    chosen = request.POST.getlist("on_page" if request.POST.get("send") == "page" else "learner")
    keys = stalled.parse_keys(chosen)
    back = reverse("courses:dashboard_stalled") + "?" + filters.query(by=None, days=days)
    if not keys:
        messages.error(request, _("Choose at least one learner to remind."))
        return redirect(back)
    outcome = stalled.send_reminders(scope=scope, keys=keys, by=request.user, days=days)
    request.session[REMINDER_OUTCOME] = {
        "sent": [
            {"name": user.display_name, "email": user.email, "courses": courses}
            for user, courses in outcome.sent
        ],
        "skipped": [
            {
                "name": item.user.display_name,
                "email": item.user.email,
                "course": item.course,
                "reason": str(item.reason),
            }
            for item in outcome.skipped
        ],
    }
    return redirect(back)


@login_required
@typed_organisation
def trainer_list(request):
    """Trainer certifications in scope as they stand today, with cohorts and reach."""
    scope = _scope(request)
    filters = selectors.filters_from(request.GET, scope=scope)
    wanted = trainers.trainer_filters_from(request.GET)
    standing = trainers.standing_in(scope=scope, filters=filters, trainer_filters=wanted)
    count = standing.count()  # without the names, which a count does not need
    number = _page_number(request)
    if number > _Pages(count, ROWS_PER_PAGE).num_pages:
        raise Http404
    rows = trainers.page_of(
        standing,
        scope=scope,
        within=wanted.within,
        offset=(number - 1) * ROWS_PER_PAGE,
        limit=ROWS_PER_PAGE,
    )
    page = _TablePage(rows, number, count, ROWS_PER_PAGE)
    options = selectors.filter_options(scope=scope, filters=selectors.Filters())
    return render(
        request,
        "courses/dashboards/trainers.html",
        {
            "scope": scope,
            "scopes": _scope_choices(scope),
            "filters": filters,
            "wanted": wanted,
            "query": _trainer_query(filters, wanted),
            "page": page,
            "options": options,
            "countries": _countries(options),
            "standings": list(trainers.STANDINGS.items()),
        },
    )


def _trainer_query(filters, wanted) -> str:
    return selectors.Filters(
        organisation=filters.organisation, country=filters.country, labels=filters.labels
    ).query(by=None, standing=wanted.standing or None, within=wanted.within)


def _stalled_rows(scope, filters, params):
    days = stalled.days_from(params)
    yield [
        _("Name"),
        _("E-mail address"),
        _("Organisation"),
        _("Country"),
        _("Cohort"),
        _("Course"),
        _("Enrolled"),
        _("Lessons done"),
        _("Stopped after"),
        _("Last activity"),
        _("Days without activity"),
    ]
    from ..models import CoursePage

    courses = dict(CoursePage.objects.values_list("pk", "title"))
    now = timezone.now()
    for row in stalled.Stalled(scope=scope, filters=filters, days=days, now=now):
        yield [
            selectors.learner_full_name(row),
            row.learner_email,
            row.organisation_name or "",
            row.country,
            row.cohort_name or "",
            courses.get(row.course_id, ""),
            row.enrolled_at.isoformat(timespec="seconds"),
            row.lessons_done,
            row.last_lesson_title or "",
            row.last_activity_at.isoformat(timespec="seconds"),
            (now - row.last_activity_at).days,
        ]


def _trainer_rows(scope, filters, params):
    wanted = trainers.trainer_filters_from(params)
    yield [
        _("Name"),
        _("E-mail address"),
        _("Organisation"),
        _("Country"),
        _("Level"),
        _("Status"),
        _("Certified from"),
        _("Valid until"),
        _("Cohorts taught"),
        _("Learners reached directly"),
        _("Learners reached downstream"),
    ]
    rows = trainers.standing_in(scope=scope, filters=filters, trainer_filters=wanted)
    for row in trainers.in_chunks(rows, scope=scope, within=wanted.within):
        yield [
            trainers.holder_name(row),
            row.holder_email,
            row.organisation_name or "",
            row.organisation_country or "",
            str(row.get_level_display()),
            str(row.standing_label),
            row.valid_from.isoformat() if row.valid_from else "",
            row.valid_until.isoformat() if row.valid_until else "",
            row.cohorts_taught,
            row.direct_learners,
            row.downstream_learners,
        ]


def _programme_rows(scope, filters, params=None):
    yield [
        _("Programme"),
        _("Title"),
        _("Cohorts"),
        _("Participants trained"),
        _("Completions"),
        _("Certified trainers"),
    ]
    for row in selectors.programme_table(scope=scope, filters=filters):
        yield [
            row.identifier,
            row.title,
            row.cohorts,
            row.participants_trained,
            row.completions,
            row.certified_trainers,
        ]


def _learner_count(scope, filters, params) -> int:
    counted = selectors.learner_count(scope=scope, filters=filters)
    if counted is None:
        return selectors.Learners(scope=scope, filters=filters).count()
    return counted


def _stalled_count(scope, filters, params) -> int:
    days = stalled.days_from(params)
    return stalled.Stalled(scope=scope, filters=filters, days=days).count()


# Every table the dashboards offer as a download, by its name in the export URL.
EXPORT_TABLES = {
    "completion": ExportTable(_completion_rows),
    "months": ExportTable(_month_rows),
    "learners": ExportTable(_learner_rows, count=_learner_count),
    "stalled": ExportTable(
        _stalled_rows, count=_stalled_count, params=("days",), check=stalled.days_from
    ),
    "trainers": ExportTable(
        _trainer_rows, params=("standing", "within"), check=trainers.trainer_filters_from
    ),
    "programmes": ExportTable(_programme_rows),
}
