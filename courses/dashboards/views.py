"""The coordinators' dashboards: completion by course and breakdown, over time, the learners
behind any figure, programme results, and each table as CSV or XLSX. Thin: the reads are in
`selectors`."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import spreadsheets

from . import selectors

ROWS_PER_PAGE = 50
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


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


def _page_number(request) -> int:
    number = request.GET.get("page") or "1"
    if not number.isdigit() or len(number) > 9 or int(number) < 1:
        raise Http404
    return int(number)


@login_required
def completion(request):
    scope = _scope(request)
    filters = selectors.filters_from(request.GET, scope=scope)
    rows = selectors.completion_table(scope=scope, filters=filters)
    page = Paginator(rows, ROWS_PER_PAGE).get_page(_page_number(request))
    for row in page.object_list:
        row.links = _row_links(filters, row)
    months = selectors.completion_months(scope=scope, filters=filters)
    for month in months:
        month.links = _month_links(filters, month)
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
            "totals": _totals(rows),
            "months": months,
            "options": options,
            "countries": _countries(options),
            "breakdowns": _breakdowns(),
            "by_label": dict(_breakdowns())[filters.by],
            "heading": _headings()[filters.by],
            "chartjs": (settings.CHARTJS_DIR / "chart.umd.min.js").exists(),
        },
    )


def _row_links(filters, row) -> dict:
    """Where each figure of a row leads: the learners behind it, or the dashboard narrowed to
    the row's organisation, country, cohort or trainer."""
    narrowed = {"course": row.course_id}
    if filters.by != "course":
        narrowed[filters.by] = row.param
    learners = "?" + filters.query(**narrowed, by=None, status="")
    return {
        "narrow": "?" + filters.query(**{filters.by: row.param}) if filters.by != "course" else "",
        "enrolled": learners,
        "in_progress": "?" + filters.query(**narrowed, by=None, status="in_progress"),
        "completed": "?" + filters.query(**narrowed, by=None, status="completed"),
    }


def _month_links(filters, month) -> dict:
    value = f"{month.month:%Y-%m}"
    return {
        "enrolments": "?" + filters.query(by=None, **{"from": value, "to": value}),
        "completions": "?"
        + filters.query(by=None, status="completed", completed=value, **{"from": None, "to": None}),
    }


def _totals(rows) -> dict:
    enrolled = sum(row.enrolled for row in rows)
    completed = sum(row.completed for row in rows)
    return {
        "enrolled": enrolled,
        "completed": completed,
        "in_progress": enrolled - completed,
        "rate": completed / enrolled if enrolled else 0,
    }


def _countries(options) -> list[tuple[str, str]]:
    from django_countries import countries

    codes = {code for _slug, _name, code in options.organisations if code}
    return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])


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
def learners(request):
    scope = _scope(request)
    filters = selectors.filters_from(request.GET, scope=scope)
    paginator = Paginator(
        selectors.learners(scope=scope, filters=filters), selectors.LEARNERS_PER_PAGE
    )
    number = _page_number(request)
    if number > max(paginator.num_pages, 1):
        raise Http404
    page = paginator.get_page(number)
    names = dict(_course_names(page))
    for row in page.object_list:
        row.course_title = names.get(row.course_id, "")
    return render(request, "courses/dashboards/learners.html", {"filters": filters, "page": page})


def _course_names(page):
    from ..models import CoursePage

    ids = {row.course_id for row in page.object_list}
    return CoursePage.objects.filter(pk__in=ids).values_list("pk", "title")


@login_required
def export(request, table: str, fmt: str):
    """A table of the completion dashboard, with the filters of the page, as CSV or XLSX."""
    scope = _scope(request)
    filters = selectors.filters_from(request.GET, scope=scope)
    tables = {
        "completion": _completion_rows,
        "months": _month_rows,
        "learners": _learner_rows,
        "programmes": _programme_rows,
    }
    if table not in tables or fmt not in FORMATS:
        raise Http404
    rows = tables[table](scope, filters)
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


def _completion_rows(scope, filters):
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


def _month_rows(scope, filters):
    yield [_("Month"), _("Enrolments"), _("Completions")]
    for month in selectors.completion_months(scope=scope, filters=filters):
        yield [f"{month.month:%Y-%m}", month.enrolments, month.completions]


def _learner_rows(scope, filters):
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
    for row in selectors.learners(scope=scope, filters=filters).iterator(chunk_size=2000):
        yield [
            row.user.get_full_name(),
            row.user.email,
            row.organisation.name if row.organisation else "",
            row.country,
            row.cohort.name if row.cohort else "",
            courses.get(row.course_id, ""),
            row.enrolled_at.isoformat(timespec="seconds"),
            row.lessons_done,
            row.completed_at.isoformat(timespec="seconds") if row.completed_at else "",
            row.last_activity_at.isoformat(timespec="seconds"),
        ]


def _programme_rows(scope, filters):
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
