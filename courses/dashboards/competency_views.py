"""The competency analytics: per competency the share of answers earning full marks, by the
chosen breakdown; the questions most often missed; the choices taken at each step of a
branching scenario and the learners who failed on a critical choice; each table as CSV or
XLSX. Thin: the reads are in `competency`, the scope and filters in `selectors`."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import spreadsheets

from . import competency, selectors
from .views import (
    FORMATS,
    ROWS_PER_PAGE,
    _breakdowns,
    _countries,
    _page_number,
    _scope,
    _scope_choices,
    _TablePage,
    typed_organisation,
)


def _query(filters, focus, **changes) -> str:
    return "?" + filters.query(**{**focus.params(), **changes})


def _breakdowns_kept() -> list[tuple[str, str]]:
    """The breakdowns the analytics are kept by (not by programme), a course being a course
    here rather than "course only" (the completion table's tracks hold courses)."""
    return [
        (value, _("Course") if value == "course" else label)
        for value, label in _breakdowns()
        if value in competency.COLUMN
    ]


def _headings() -> dict[str, str]:
    return {
        "organisation": _("By competency and organisation"),
        "country": _("By competency and country"),
        "cohort": _("By competency and cohort"),
        "trainer": _("By competency and trainer"),
        "course": _("By competency and course"),
    }


def _read(request):
    """The scope, filters and focus of a request. Without a breakdown chosen, staff see
    countries and a coordinator their cohorts."""
    scope = _scope(request)
    params = request.GET
    if not params.get("by"):
        params = params.copy()
        params["by"] = "country" if scope.organisation_id is None else "cohort"
    filters = selectors.filters_from(params, scope=scope)
    if filters.by not in competency.COLUMN:  # the analytics are not kept by programme
        raise Http404
    focus = competency.focus_from(request.GET)
    return scope, filters, focus


@login_required
@typed_organisation
def competency_view(request):
    scope, filters, focus = _read(request)
    quizzes = competency.Quizzes()
    number = _page_number(request)
    rows, count, totals = competency.competency_page(
        scope=scope, filters=filters, offset=(number - 1) * ROWS_PER_PAGE, limit=ROWS_PER_PAGE
    )
    if number > 1 and not rows:  # past the last page: the last page, as Django's paginator
        number = max(1, -(-count // ROWS_PER_PAGE))
        rows, count, totals = competency.competency_page(
            scope=scope, filters=filters, offset=(number - 1) * ROWS_PER_PAGE, limit=ROWS_PER_PAGE
        )
    page = _TablePage(rows, number, count, ROWS_PER_PAGE)
    # A hundred links or more: the filters' other parts encoded once (`Filters.queries`).
    narrow = filters.queries(filters.by, **focus.params())
    questions = filters.queries("competency", top=None)
    competencies = filters.queries("competency", top=focus.params()["top"])
    for row in page.object_list:
        row.links = {
            "narrow": f"?{narrow(**{filters.by: row.param})}",
            "questions": f"?{questions(competency=row.competency)}#missed",
        }
    for total in totals:
        total.link = f"?{competencies(competency=total.competency)}#missed"
    missed = competency.missed_questions(scope=scope, filters=filters, focus=focus, quizzes=quizzes)
    scenarios = competency.scenarios(scope=scope, filters=filters, quizzes=quizzes)
    options = selectors.filter_options(scope=scope, filters=filters)
    answers = sum(t.answers for t in totals)
    full = sum(t.full_marks for t in totals)
    return render(
        request,
        "courses/dashboards/competency.html",
        {
            "scope": scope,
            "scopes": _scope_choices(scope),
            "filters": filters,
            "focus": focus,
            "query": _query(filters, focus)[1:],
            "clear_competency": _query(filters, focus, competency=None, top=None) + "#missed",
            "rows": page.object_list,
            "page": page,
            "totals": totals,
            "answers": answers,
            "full_marks": full,
            "missed": missed,
            "scenarios": scenarios,
            "options": options,
            "countries": _countries(options),
            "breakdowns": _breakdowns_kept(),
            "by_label": dict(_breakdowns_kept())[filters.by],
            "heading": _headings()[filters.by],
            "chartjs": (settings.CHARTJS_DIR / "chart.umd.min.js").exists(),
        },
    )


def _scenario(quiz: str) -> tuple[int, str]:
    """The quiz a critical figure is about (id and title); anything else is not found."""
    if not quiz.isdigit() or len(quiz) > 12:
        raise Http404
    from assessments.models import Quiz

    found = Quiz.objects.filter(
        pk=int(quiz), locale__language_code=settings.LANGUAGE_CODE
    ).values_list("pk", "title")
    return found.first() or _not_found()


def _not_found():
    raise Http404


# What the list of critical learners shows of each row: not the attempt's outcomes, which
# would be decoded row by row for nothing.
CRITICAL_SHOWN = (
    "user_id",
    "organisation_key",
    "submitted_at",
)


@login_required
@typed_organisation
def critical_learners(request, quiz: str):
    """The learners behind a scenario's figure of those who failed on a critical choice."""
    scope, filters, focus = _read(request)
    quiz_id, title = _scenario(quiz)
    paginator = Paginator(
        competency.critical_learners(scope=scope, filters=filters, quiz_id=quiz_id).only(
            *CRITICAL_SHOWN
        ),
        selectors.LEARNERS_PER_PAGE,
    )
    paginator.count = competency.critical_count(scope=scope, filters=filters, quiz_id=quiz_id)
    number = _page_number(request)
    if number > max(paginator.num_pages, 1):
        raise Http404
    page = paginator.get_page(number)
    names = _organisation_names(page.object_list)
    for row in page.object_list:
        row.organisation_name = names.get(row.organisation_key, "")
    return render(
        request,
        "courses/dashboards/critical_learners.html",
        {
            "filters": filters,
            "query": _query(filters, focus)[1:],
            "page": page,
            "quiz_id": quiz_id,
            "title": title,
        },
    )


def _organisation_names(rows) -> dict:
    from cms.accounts.models import Organisation

    keys = {row.organisation_key for row in rows if row.organisation_key}
    return dict(Organisation.objects.filter(pk__in=keys).values_list("pk", "name"))


@login_required
def competency_export(request, table: str, fmt: str):
    """A table of the competency analytics, with the filters of the page, as CSV or XLSX."""
    scope, filters, focus = _read(request)
    tables = {
        "competencies": _competency_rows,
        "questions": _question_rows,
        "scenarios": _scenario_rows,
        "choices": _choice_rows,
        "critical": _critical_rows,
    }
    if table not in tables or fmt not in FORMATS:
        raise Http404
    quiz_id = _scenario(request.GET.get("quiz") or "")[0] if table == "critical" else None
    rows = tables[table](scope, filters, focus, quiz_id)
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


def _competency_rows(scope, filters, focus, quiz_id):
    by = dict(_breakdowns_kept())[filters.by]
    yield [_("Competency"), by, _("Answers"), _("Full marks"), _("Share with full marks")]
    for row in competency.competency_table(scope=scope, filters=filters):
        yield [row.competency, row.label, row.answers, row.full_marks, round(row.share, 4)]


def _question_rows(scope, filters, focus, quiz_id):
    yield [
        _("Quiz"),
        _("Question"),
        _("Competencies"),
        _("Answers"),
        _("Missed"),
        _("Share missed"),
    ]
    quizzes = competency.Quizzes()
    for row in competency.missed_questions(
        scope=scope, filters=filters, focus=focus, quizzes=quizzes
    ):
        yield [
            row.quiz,
            row.prompt,
            ", ".join(row.competencies),
            row.answers,
            row.missed,
            round(row.share_missed, 4),
        ]


def _scenario_rows(scope, filters, focus, quiz_id):
    yield [
        _("Scenario"),
        _("Learners"),
        _("Failed on a critical choice"),
        _("Share failed on a critical choice"),
    ]
    quizzes = competency.Quizzes()
    for scenario in competency.scenarios(scope=scope, filters=filters, quizzes=quizzes):
        yield [
            scenario.title,
            scenario.learners,
            scenario.critical_learners,
            round(scenario.critical_share, 4),
        ]


def _choice_rows(scope, filters, focus, quiz_id):
    yield [
        _("Scenario"),
        _("Step"),
        _("Choice"),
        _("Critical"),
        _("Taken"),
        _("Share of the step’s answers"),
    ]
    quizzes = competency.Quizzes()
    for scenario in competency.scenarios(scope=scope, filters=filters, quizzes=quizzes):
        for step in scenario.steps:
            for choice in step.choices:
                yield [
                    scenario.title,
                    step.prompt,
                    choice.text,
                    _("Yes") if choice.critical else _("No"),
                    choice.taken,
                    round(choice.share, 4),
                ]


def _critical_rows(scope, filters, focus, quiz_id):
    from cms.accounts.models import Organisation

    names = dict(Organisation.objects.values_list("pk", "name"))
    yield [_("Name"), _("E-mail address"), _("Organisation"), _("Country"), _("Graded")]
    rows = competency.critical_learners(scope=scope, filters=filters, quiz_id=quiz_id)
    for row in rows.iterator(chunk_size=2000):
        yield [
            selectors.learner_full_name(row),
            row.learner_email,
            names.get(row.organisation_key, ""),
            row.country,
            row.submitted_at.isoformat(timespec="seconds"),
        ]
