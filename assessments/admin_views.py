from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from cms.accounts.selectors import audiences_for_user

from .models import Quiz
from .reports import question_statistics, scenario_paths

PATHS_PER_PAGE = 200


def _quiz_for_author(request, quiz_id) -> Quiz:
    """A quiz the requester may author and whose audience is open to them: its reports show
    its correct answers."""
    if not request.user.has_perm("assessments.change_quiz"):
        raise PermissionDenied
    quiz = get_object_or_404(Quiz.objects.select_related("live_revision"), pk=quiz_id)
    if quiz.audience not in audiences_for_user(user=request.user):
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
