import logging
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.accounts.models import Audience
from cms.accounts.selectors import audiences_for_user

from . import posted, selectors, services, vocabulary
from .models import Attempt, Quiz
from .scoring import AnswerError
from .validation import QuizBroken

logger = logging.getLogger(__name__)


def _quiz_or_refuse(request, slug) -> Quiz:
    quiz = get_object_or_404(Quiz.objects.filter(live=True), slug=slug)
    if quiz.audience not in audiences_for_user(user=request.user):
        raise PermissionDenied(_("This quiz is for verified officers of member organisations."))
    return quiz


def _own_attempt(request, attempt_id, *, with_quiz=True) -> Attempt:
    """The requester's own attempt, while the quiz is still for them: someone who has lost
    access (left their organisation, say) can no longer open, answer or review it."""
    attempt = selectors.attempt_for_owner(
        user=request.user, attempt_id=attempt_id, with_quiz=with_quiz
    )
    if attempt is None:
        raise Http404
    if attempt.quiz_audience not in audiences_for_user(user=request.user):
        raise PermissionDenied(_("This quiz is no longer open to you."))
    return attempt


def _fail_safe(view):
    """A quiz revision that breaks the quiz rules (published before the CMS checked them) gets
    the learner a clear message, never a server error; an open attempt on one starts again
    once the quiz is corrected, so it is never stuck."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except QuizBroken as e:
            logger.warning("A quiz revision breaks the quiz rules: %s", e.problems)
            return _quiz_broken(request, e, kwargs.get("attempt_id"), kwargs.get("slug"))

    return wrapper


def _quiz_broken(request, error, attempt_id, slug):
    attempt = _own_attempt(request, attempt_id) if attempt_id else None
    if attempt and attempt.is_open:
        try:
            attempt = services.attempt_restart(attempt=attempt)
        except (QuizBroken, services.AttemptError):
            pass  # not corrected yet
        else:
            messages.info(request, _("This quiz was corrected: your attempt starts again."))
            return redirect("assessments:attempt", attempt_id=attempt.pk)
    quiz = attempt.quiz if attempt else get_object_or_404(Quiz, slug=slug)
    context = {"quiz": quiz, "attempt": attempt, "message": str(error)}
    return render(request, "assessments/quiz_broken.html", context, status=409)


def quiz_detail(request, slug):
    if not request.user.is_authenticated:
        quiz = get_object_or_404(Quiz.objects.filter(live=True), slug=slug)
        if quiz.audience != Audience.PUBLIC:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    quiz = _quiz_or_refuse(request, slug)
    attempts = [  # one that ran out of time is graded now, not offered for resuming
        services.attempt_close_if_expired(attempt=attempt)
        for attempt in selectors.attempts_for(user=request.user, quiz=quiz)
    ]
    return render(request, "assessments/quiz_detail.html", {"quiz": quiz, "attempts": attempts})


@login_required
@require_POST
@_fail_safe
def attempt_start(request, slug):
    quiz = _quiz_or_refuse(request, slug)
    try:
        attempt = services.attempt_start(user=request.user, quiz=quiz)
    except services.AttemptError as e:
        messages.error(request, str(e))
        return redirect("assessments:quiz", slug=slug)
    return redirect("assessments:attempt", attempt_id=attempt.pk)


@login_required
@_fail_safe
def attempt_view(request, attempt_id):
    attempt = services.attempt_close_if_expired(attempt=_own_attempt(request, attempt_id))
    if not attempt.is_open:
        return redirect("assessments:result", attempt_id=attempt.pk)
    quiz = attempt.quiz_as_started
    if quiz.is_branching:
        step = services.scenario_step(quiz, attempt.answers.get("path", []))
        context = {
            "attempt": attempt,
            "quiz": quiz,
            "step": quiz.blocks_by_key[step],
            "choices": vocabulary.shown_choices(quiz, step, attempt_id=attempt.pk),
        }
        return render(request, "assessments/attempt_step.html", context)
    questions = [
        {
            "key": key,
            "block": quiz.blocks_by_key[key],
            "choices": vocabulary.shown_choices(
                quiz, key, attempt_id=attempt.pk, answer=attempt.answers.get(key)
            ),
            "number": number,
            "lines": quiz.specimen_lines(key)
            if quiz.blocks_by_key[key].block_type == "mrz"
            else None,
        }
        for number, key in enumerate(attempt.drawn, start=1)
    ]
    return render(
        request,
        "assessments/attempt.html",
        {"attempt": attempt, "quiz": quiz, "questions": questions},
    )


@login_required
@require_POST
def attempt_save(request, attempt_id):
    attempt = _own_attempt(request, attempt_id, with_quiz=False)
    try:
        applied = services.attempt_autosave(
            attempt=attempt,
            sequence=posted.sequence(request.POST),
            answers=posted.answers(attempt, request.POST),
        )
    except (AnswerError, services.AttemptError, QuizBroken) as e:
        return JsonResponse({"saved": False, "error": str(e)}, status=409)
    return JsonResponse({"saved": applied, "sequence": attempt.sequence})


@login_required
@require_POST
@_fail_safe
def attempt_submit(request, attempt_id):
    attempt = _own_attempt(request, attempt_id, with_quiz=False)
    try:
        if attempt.quiz_as_started.is_branching:  # its choices are already stored
            services.attempt_submit(attempt=attempt)
        else:
            services.attempt_submit(
                attempt=attempt,
                sequence=posted.sequence(request.POST),
                answers=posted.answers(attempt, request.POST),
            )
    except (AnswerError, services.AttemptError) as e:
        messages.error(request, str(e))
        return redirect("assessments:attempt", attempt_id=attempt.pk)
    return redirect("assessments:result", attempt_id=attempt.pk)


@login_required
@require_POST
@_fail_safe
def attempt_choose(request, attempt_id):
    attempt = _own_attempt(request, attempt_id, with_quiz=False)
    try:
        step, choice_id = posted.choice(attempt, request.POST)
        attempt = services.attempt_choose(attempt=attempt, step=step, choice_id=choice_id)
    except (AnswerError, services.AttemptError) as e:
        messages.error(request, str(e))
    if attempt.is_open:
        return redirect("assessments:attempt", attempt_id=attempt.pk)
    return redirect("assessments:result", attempt_id=attempt.pk)


@login_required
@_fail_safe
def attempt_result(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    if attempt.is_open:
        return redirect("assessments:attempt", attempt_id=attempt.pk)
    quiz = attempt.quiz_as_started
    show = quiz.feedback == Quiz.Feedback.ON_SUBMIT or (
        quiz.feedback == Quiz.Feedback.ON_PASS and attempt.passed
    )
    path = attempt.answers.get("path", [])
    return render(
        request,
        "assessments/result.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "review": vocabulary.review(quiz, answers=attempt.answers, drawn=attempt.drawn)
            if show
            else None,
            "ending": vocabulary.ending(quiz, path=path),
            "critical": selectors.critical_choices_taken(attempt=attempt),
            "ran_out": bool(attempt.deadline and attempt.submitted_at > attempt.deadline),
        },
    )
