from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from cms.accounts.selectors import audiences_for_user

from .models import Quiz
from .reports import question_statistics


def quiz_statistics(request, quiz_id):
    if not request.user.has_perm("assessments.change_quiz"):
        raise PermissionDenied
    quiz = get_object_or_404(Quiz.objects.select_related("live_revision"), pk=quiz_id)
    if quiz.audience not in audiences_for_user(user=request.user):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "assessments/admin/statistics.html",
        {"quiz": quiz, "statistics": question_statistics(quiz=quiz)},
    )
