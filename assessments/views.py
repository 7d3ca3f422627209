import contextlib
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
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from wagtail import hooks

from cms.accounts.models import Audience

from . import posted, selectors, services, vocabulary
from .access import quiz_open_to
from .models import Attempt, Quiz
from .scoring import AnswerError
from .translations import quiz_in_language
from .validation import QuizBroken

logger = logging.getLogger(__name__)

# Quizzes sit in courses, which assessments never imports: the app that places them answers
# `quiz_course_url(quiz, request) -> the URL of the course the quiz belongs to, or None`.
COURSE_URL_HOOK = "quiz_course_url"


def _source_quizzes():
    """Quizzes in the site's source language: learners take those, read in their own
    language through a translation (`translations.quiz_in_language`)."""
    return Quiz.objects.filter(locale__language_code=settings.LANGUAGE_CODE)


def _quiz_or_refuse(request, slug) -> Quiz:
    quiz = get_object_or_404(_source_quizzes().filter(live=True), slug=slug)
    if not quiz_open_to(user=request.user, quiz_id=quiz.pk, audience=quiz.audience):
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
    if not quiz_open_to(user=request.user, quiz_id=attempt.quiz_id, audience=attempt.quiz_audience):
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
    quiz = attempt.quiz if attempt else get_object_or_404(_source_quizzes(), slug=slug)
    if attempt:
        attempt.labelled_scores = vocabulary.labelled_scores(attempt.scores)
    context = {"quiz": quiz, "attempt": attempt, "message": str(error)}
    return render(request, "assessments/quiz_broken.html", context, status=409)


def quiz_detail(request, slug):
    if not request.user.is_authenticated:
        quiz = get_object_or_404(_source_quizzes().filter(live=True), slug=slug)
        if quiz.audience != Audience.PUBLIC:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    quiz = _quiz_or_refuse(request, slug)
    attempts = [  # one that ran out of time is graded now, not offered for resuming
        services.attempt_close_if_expired(attempt=attempt)
        for attempt in selectors.attempts_for(user=request.user, quiz=quiz)
    ]
    for attempt in attempts:
        attempt.labelled_scores = vocabulary.labelled_scores(attempt.scores)
    context = {
        "quiz": quiz_in_language(quiz),
        "attempts": attempts,
        "pass_on": vocabulary.dimension_labels(quiz.pass_on_list),
    }
    return render(request, "assessments/quiz_detail.html", context)


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
@never_cache
@_fail_safe
def attempt_view(request, attempt_id):
    attempt = services.attempt_close_if_expired(attempt=_own_attempt(request, attempt_id))
    if not attempt.is_open:
        return redirect("assessments:result", attempt_id=attempt.pk)
    quiz = quiz_in_language(attempt.quiz_as_started)
    if quiz.is_branching:
        step = services.scenario_step(quiz, attempt.answers.get("path", []))
        context = {
            "attempt": attempt,
            "quiz": quiz,
            "step": quiz.blocks_by_key[step],
            "choices": vocabulary.shown_choices(quiz, step, attempt_id=attempt.pk),
        }
        return render(request, "assessments/attempt_step.html", context)
    return _questions_page(request, attempt)


def _questions_page(request, attempt, *, problems=None, status=200):
    """The attempt's questions with its answers; with `problems`, the ordering questions whose
    posted numbers gave no order show those numbers again beside what was wrong."""
    quiz, problems = quiz_in_language(attempt.quiz_as_started), problems or {}
    questions = []
    for number, key in enumerate(attempt.drawn, start=1):
        block = quiz.blocks_by_key[key]
        choices = vocabulary.shown_choices(
            quiz, key, attempt_id=attempt.pk, answer=attempt.answers.get(key)
        )
        if key in problems:
            typed = posted.positions(attempt, key, request.POST)
            for choice in choices:
                choice["position"] = typed.get(choice["token"], "")
        questions.append(
            {
                "key": key,
                "block": block,
                "choices": choices,
                "number": number,
                "lines": quiz.specimen_lines(key) if block.block_type == "mrz" else None,
                "problem": problems.get(key),
            }
        )
    context = {"attempt": attempt, "quiz": quiz, "questions": questions, "problems": problems}
    return render(request, "assessments/attempt.html", context, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@_fail_safe
def attempt_review(request, attempt_id):
    """Before anything is graded: the questions, the unanswered ones marked, and a request to
    confirm. The questions' form posts here; its answers are saved first, so nothing is lost
    on the way back to them."""
    attempt = services.attempt_close_if_expired(attempt=_own_attempt(request, attempt_id))
    if not attempt.is_open:
        return redirect("assessments:result", attempt_id=attempt.pk)
    quiz = quiz_in_language(attempt.quiz_as_started)
    if quiz.is_branching:  # a scenario ends when its path does: nothing to review
        return redirect("assessments:attempt", attempt_id=attempt.pk)
    if request.method == "POST":
        return _save_for_review(request, attempt)
    questions = vocabulary.to_submit(quiz, answers=attempt.answers, drawn=attempt.drawn)
    context = {
        "attempt": attempt,
        "quiz": quiz,
        "questions": questions,
        "unanswered": [q for q in questions if not q["answered"]],
    }
    return render(request, "assessments/review.html", context)


def _save_for_review(request, attempt):
    try:
        sequence = posted.sequence(request.POST)
        applied = services.attempt_autosave(
            attempt=attempt, sequence=sequence, answers=posted.answers(attempt, request.POST)
        )
    except posted.OrderProblems as e:
        with contextlib.suppress(AnswerError, services.AttemptError):  # keep what can be kept
            services.attempt_autosave(attempt=attempt, sequence=sequence, answers=e.answers)
        return _questions_page(request, attempt, problems=e.problems, status=400)
    except (AnswerError, services.AttemptError) as e:
        messages.error(request, str(e))
        return redirect("assessments:attempt", attempt_id=attempt.pk)
    if not applied:
        messages.info(
            request, _("Newer answers had been saved from another page: this review shows those.")
        )
    return redirect("assessments:review", attempt_id=attempt.pk)


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
    """Grades a scenario at its end, and a quiz only on the review's confirmation, for the
    answers that review showed (a repeated confirmation gets the same result). Answers posted
    without it, from a questions page, are saved and reviewed first."""
    attempt = _own_attempt(request, attempt_id, with_quiz=False)
    branching = attempt.quiz_as_started.is_branching
    if not branching and "confirm" not in request.POST:
        attempt = services.attempt_close_if_expired(attempt=attempt)
        if attempt.is_open:
            return _save_for_review(request, attempt)
        return redirect("assessments:result", attempt_id=attempt.pk)
    try:
        if branching:  # its choices are already stored
            services.attempt_submit(attempt=attempt)
        else:
            services.attempt_submit(attempt=attempt, reviewed=posted.sequence(request.POST))
    except services.AnswersChanged as e:
        messages.warning(request, str(e))
        return redirect("assessments:review", attempt_id=attempt.pk)
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
    quiz = quiz_in_language(attempt.quiz_as_started)
    show = quiz.feedback == Quiz.Feedback.ON_SUBMIT or (
        quiz.feedback == Quiz.Feedback.ON_PASS and attempt.passed
    )
    path = attempt.answers.get("path", [])
    critical = selectors.critical_choices_taken(attempt=attempt)
    for taken in critical:
        taken["labels"] = vocabulary.dimension_labels(taken["dimensions"])
    return render(
        request,
        "assessments/result.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "scores": vocabulary.labelled_scores(attempt.scores),
            "review": vocabulary.review(quiz, answers=attempt.answers, drawn=attempt.drawn)
            if show
            else None,
            "ending": vocabulary.ending(quiz, path=path),
            "critical": critical,
            "ran_out": bool(attempt.deadline and attempt.submitted_at > attempt.deadline),
            "may_try_again": _attempts_left(attempt),
            "course_url": _course_url(request, attempt.quiz),
        },
    )


def _attempts_left(attempt) -> bool:
    """Whether starting again would give the learner a new attempt (the live quiz's rules)."""
    quiz = attempt.quiz
    if not quiz.live:
        return False
    if not quiz.attempts_allowed:
        return True
    return selectors.attempt_count(user=attempt.user_id, quiz=quiz) < quiz.attempts_allowed


def _course_url(request, quiz) -> str | None:
    for hook in hooks.get_hooks(COURSE_URL_HOOK):
        if url := hook(quiz, request):
            return url
    return None
