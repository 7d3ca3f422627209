from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.models import Revision

from cms.accounts.selectors import authoring_audiences

from . import preview, validation, vocabulary
from .models import Quiz, quiz_at_revision
from .reports import question_statistics, scenario_paths
from .scenario_map import scenario_map
from .scoring import AnswerError
from .validation import QuizBroken

PATHS_PER_PAGE = 200


def _quiz_for_author(request, quiz_id) -> Quiz:
    """A quiz the requester may author and whose audience is open to them: its reports show
    its correct answers."""
    if not request.user.has_perm("assessments.change_quiz"):
        raise PermissionDenied
    quiz = get_object_or_404(Quiz.objects.select_related("live_revision"), pk=quiz_id)
    if quiz.audience not in authoring_audiences(user=request.user):
        raise PermissionDenied
    return quiz


def quiz_statistics(request, quiz_id):
    quiz = _quiz_for_author(request, quiz_id)
    return TemplateResponse(
        request,
        "assessments/admin/statistics.html",
        {"quiz": quiz, "statistics": question_statistics(quiz=quiz)},
    )


def quiz_paths(request, quiz_id):
    """Every path through the scenario as its authors last saved it (the draft they are
    working on), optionally only the passing ones that take a critical or rights-costing
    choice."""
    quiz = _quiz_for_author(request, quiz_id)
    draft = quiz.get_latest_revision_as_object()
    questionable = request.GET.get("questionable") == "1"
    every = scenario_paths(quiz=draft)
    rows = [row for row in every if row["questionable"]] if questionable else every
    page = Paginator(rows, PATHS_PER_PAGE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "assessments/admin/paths.html",
        {
            "quiz": quiz,
            "draft": draft,
            "dimensions": draft.dimension_list,
            "questionable": questionable,
            "counts": {
                "paths": len(every),
                "passing": sum(row["passed"] for row in every),
                "shown": len(rows),
            },
            "rows": page.object_list,
            "page": page,
        },
    )


def _version(request) -> str:
    return preview.LIVE if request.GET.get("version") == preview.LIVE else preview.DRAFT


def _version_of(quiz: Quiz, revision: int) -> str:
    if revision == quiz.latest_revision_id:
        return preview.DRAFT
    return preview.LIVE if revision == quiz.live_revision_id else "earlier"


def _revision_or_404(quiz: Quiz, version: str) -> int:
    revision = preview.revision_id(quiz, version)
    if revision is None:
        raise Http404(_("This quiz has no such version yet."))
    return revision


@require_http_methods(["GET", "POST"])
def quiz_preview(request, quiz_id):
    """The quiz as learners see it, on its latest revision (the draft) or, with
    `?version=live`, as published. Answers are checked in memory: nothing is recorded."""
    quiz = _quiz_for_author(request, quiz_id)
    context = {"quiz": quiz, "version": _version(request)}
    try:
        if request.method == "POST" or "state" in request.GET:
            source = request.POST if request.method == "POST" else request.GET
            state = preview.state_read(source.get("state", ""), quiz)
        else:
            state = preview.state_new(quiz, _revision_or_404(quiz, context["version"]))
        context["version"] = _version_of(quiz, state.revision)
        attempt = preview.attempt_for(state)
        if attempt.quiz_as_started.is_branching:
            return _scenario_preview(request, quiz, state, context)
        return _questions_preview(request, state, attempt, context)
    except QuizBroken as e:
        context["problems"] = [problem.message for problem in e.problems]
        return TemplateResponse(request, "assessments/admin/preview.html", context, status=409)
    except preview.PreviewError as e:
        context["error"] = str(e)
        return TemplateResponse(request, "assessments/admin/preview.html", context, status=400)


def _questions_preview(request, state, attempt, context):
    checked = None
    if request.method == "POST":
        try:
            attempt.answers = preview.answers_read(attempt, request.POST)
        except AnswerError as e:
            raise preview.PreviewError(str(e)) from e
        checked = preview.check(attempt)
        context["result"] = preview.result_rows(attempt.quiz_as_started, checked.result)
    context.update(
        draft=attempt.quiz_as_started,
        state=state.signed(),
        questions=preview.questions_shown(attempt, checked),
        checked=checked,
    )
    return TemplateResponse(request, "assessments/admin/preview.html", context)


def _scenario_preview(request, quiz, state, context):
    if request.method == "POST":
        raise preview.PreviewError(_("A scenario is previewed one choice at a time."))
    attempt = preview.attempt_for(state)
    if "choice" in request.GET:
        state = preview.scenario_choose(attempt, state, request.GET["choice"])
        attempt = preview.attempt_for(state)
    draft = attempt.quiz_as_started
    step = preview.scenario_step(attempt)
    context.update(
        draft=draft,
        state=state.signed(),
        back=state.back().signed() if state.path else None,
        trail=preview.scenario_trail(attempt),
        step=draft.blocks_by_key[step] if step else None,
        choices=vocabulary.shown_choices(draft, step, attempt_id=attempt.pk) if step else [],
    )
    if step is None:
        end = preview.scenario_end(attempt)
        context.update(
            ending=end["ending"],
            critical=end["critical"],
            passed=end["result"].passed,
            result=preview.result_rows(draft, end["result"]),
        )
    return TemplateResponse(request, "assessments/admin/preview_step.html", context)


def quiz_map(request, quiz_id):
    """The scenario's steps and endings drawn as a diagram, with every choice's points, as
    the quiz was last saved (or, with `?version=live`, as published)."""
    quiz = _quiz_for_author(request, quiz_id)
    version = _version(request)
    revision = _revision_or_404(quiz, version)
    try:
        shown = quiz_at_revision(revision)
    except QuizBroken:  # drawn all the same: the map shows where it goes wrong
        shown = Revision.objects.get(pk=revision).as_object()
    problems = [problem.message for problem in validation.problems(shown.for_validation())]
    return TemplateResponse(
        request,
        "assessments/admin/map.html",
        {
            "quiz": quiz,
            "version": version,
            "draft": shown,
            "problems": problems,
            "map": scenario_map(shown) if shown.is_branching else None,
        },
    )
