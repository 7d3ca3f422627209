import json
import random

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.accounts.selectors import audiences_for_user

from . import selectors, services
from .blocks import MRZ_FAULT_CHOICES
from .models import Attempt, H5PPackage, Quiz
from .scoring import AnswerError
from .xapi import StatementError


def _quiz_or_refuse(request, slug) -> Quiz:
    quiz = get_object_or_404(Quiz.objects.filter(live=True), slug=slug)
    if quiz.audience not in audiences_for_user(user=request.user):
        raise PermissionDenied(_("This quiz is for verified officers of member organisations."))
    return quiz


def _own_attempt(request, attempt_id, *, with_quiz=True) -> Attempt:
    attempt = selectors.attempt_for_owner(
        user=request.user, attempt_id=attempt_id, with_quiz=with_quiz
    )
    if attempt is None:
        raise Http404
    return attempt


def quiz_detail(request, slug):
    if not request.user.is_authenticated:
        quiz = get_object_or_404(Quiz.objects.filter(live=True), slug=slug)
        if quiz.audience != "public":
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    quiz = _quiz_or_refuse(request, slug)
    attempts = selectors.attempts_for(user=request.user, quiz=quiz)
    return render(request, "assessments/quiz_detail.html", {"quiz": quiz, "attempts": attempts})


@login_required
@require_POST
def attempt_start(request, slug):
    quiz = _quiz_or_refuse(request, slug)
    try:
        attempt = services.attempt_start(user=request.user, quiz=quiz)
    except services.AttemptError as e:
        messages.error(request, str(e))
        return redirect("assessments:quiz", slug=slug)
    return redirect("assessments:attempt", attempt_id=attempt.pk)


@login_required
def attempt_view(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    if not attempt.is_open:
        return redirect("assessments:result", attempt_id=attempt.pk)
    quiz = attempt.quiz_as_started
    if quiz.is_branching:
        step = services.scenario_step(quiz, attempt.answers.get("path", []))
        context = {
            "attempt": attempt,
            "quiz": quiz,
            "step": quiz.blocks_by_key[step],
            "choices": _choices(quiz, step, attempt),
        }
        return render(request, "assessments/attempt_step.html", context)
    questions = [
        {
            "key": key,
            "block": quiz.blocks_by_key[key],
            "choices": _choices(quiz, key, attempt),
            "answer": attempt.answers.get(key),
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


def _choices(quiz, key, attempt) -> list[dict]:
    """What the learner sees of the choices: ids and texts, never correctness or points."""
    block = quiz.blocks_by_key[key]
    if block.block_type == "mrz":
        labels = dict(MRZ_FAULT_CHOICES)
        return [{"id": c.id, "text": labels[c.id]} for c in quiz.scoring_question(key).choices]
    choices = [{"id": f"c{n}", "text": c["text"]} for n, c in enumerate(block.value["choices"], 1)]
    if block.block_type == "ordering":
        random.Random(f"{attempt.pk}:{key}").shuffle(choices)  # noqa: S311 display order, no secret
    return choices


def answers_from_form(attempt: Attempt, data) -> dict:
    quiz = attempt.quiz_as_started
    answers = {}
    for key in attempt.drawn:
        kind = quiz.blocks_by_key[key].block_type
        if kind == "multiple":
            answers[key] = data.getlist(f"q-{key}")
        elif kind == "ordering":
            positions = {
                c.id: data.get(f"q-{key}-{c.id}", "") for c in quiz.scoring_question(key).choices
            }
            if all(p.strip().isdigit() for p in positions.values()):
                answers[key] = sorted(positions, key=lambda item: int(positions[item]))
        else:
            answers[key] = data.get(f"q-{key}")
    return answers


def _sequence(data) -> int:
    try:
        return int(data.get("sequence", ""))
    except ValueError as e:
        raise AnswerError(_("The save has no sequence number.")) from e


@login_required
@require_POST
def attempt_save(request, attempt_id):
    attempt = _own_attempt(request, attempt_id, with_quiz=False)
    try:
        applied = services.attempt_autosave(
            attempt=attempt,
            sequence=_sequence(request.POST),
            answers=answers_from_form(attempt, request.POST),
        )
    except (AnswerError, services.AttemptError) as e:
        return JsonResponse({"saved": False, "error": str(e)}, status=409)
    return JsonResponse({"saved": applied, "sequence": attempt.sequence})


@login_required
@require_POST
def attempt_submit(request, attempt_id):
    attempt = _own_attempt(request, attempt_id, with_quiz=False)
    try:
        sequence = _sequence(request.POST)
        services.attempt_submit(
            attempt=attempt, sequence=sequence, answers=answers_from_form(attempt, request.POST)
        )
    except (AnswerError, services.AttemptError) as e:
        messages.error(request, str(e))
        return redirect("assessments:attempt", attempt_id=attempt.pk)
    return redirect("assessments:result", attempt_id=attempt.pk)


@login_required
@require_POST
def attempt_choose(request, attempt_id):
    attempt = _own_attempt(request, attempt_id, with_quiz=False)
    try:
        attempt = services.attempt_choose(attempt=attempt, choice_id=request.POST.get("choice", ""))
    except (AnswerError, services.AttemptError) as e:
        messages.error(request, str(e))
    if attempt.is_open:
        return redirect("assessments:attempt", attempt_id=attempt.pk)
    return redirect("assessments:result", attempt_id=attempt.pk)


@login_required
def attempt_result(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    if attempt.is_open:
        return redirect("assessments:attempt", attempt_id=attempt.pk)
    quiz = attempt.quiz_as_started
    show = quiz.feedback == Quiz.Feedback.ON_SUBMIT or (
        quiz.feedback == Quiz.Feedback.ON_PASS and attempt.passed
    )
    return render(
        request,
        "assessments/result.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "review": _review(quiz, attempt) if show else None,
            "ending": _ending(quiz, attempt),
        },
    )


def _review(quiz, attempt) -> list[dict]:
    """Per question: what was chosen, its feedback and, if allowed, what was right."""
    if quiz.is_branching:
        return [
            {
                "block": quiz.blocks_by_key[step],
                "chosen": [_step_choice(quiz, step, choice_id)["text"]],
                "feedback": [_step_choice(quiz, step, choice_id)["feedback"]],
            }
            for step, choice_id in services.scenario_trail(quiz, attempt.answers.get("path", []))
        ]
    items = []
    for key in attempt.drawn:
        block, answer = quiz.blocks_by_key[key], attempt.answers.get(key)
        chosen_ids = answer if isinstance(answer, list) else [answer] if answer else []
        texts = {c["id"]: c["text"] for c in _choices(quiz, key, attempt)}
        feedback = {}
        if block.block_type != "mrz":
            feedback = {f"c{n}": c["feedback"] for n, c in enumerate(block.value["choices"], 1)}
        right = [texts[c.id] for c in quiz.scoring_question(key).choices if c.correct]
        if block.block_type == "ordering":
            right = [texts[c.id] for c in quiz.scoring_question(key).choices]
        items.append(
            {
                "block": block,
                "chosen": [texts.get(c, "") for c in chosen_ids],
                "feedback": [feedback[c] for c in chosen_ids if feedback.get(c)],
                "right": right if quiz.show_correct_answers else None,
            }
        )
    return items


def _step_choice(quiz, step: str, choice_id: str) -> dict:
    return quiz.blocks_by_key[step].value["choices"][int(choice_id[1:]) - 1]


def _ending(quiz, attempt):
    """The ending a scenario's last choice led to."""
    trail = (
        services.scenario_trail(quiz, attempt.answers.get("path", [])) if quiz.is_branching else []
    )
    if not trail:
        return None
    target = _step_choice(quiz, *trail[-1])["leads_to"]
    return quiz.endings_by_slug.get(target[4:]) if target.startswith("end:") else None


@login_required
@require_POST
def xapi_statement(request, package_id):
    """A statement relayed by the lesson page from the H5P player (client-reported)."""
    package = get_object_or_404(H5PPackage, pk=package_id)
    try:
        statement = json.loads(request.body or b"null")
    except ValueError:
        return JsonResponse({"recorded": False, "error": _("That is not JSON.")}, status=400)
    try:
        percent = services.xapi_record(user=request.user, package=package, statement=statement)
    except StatementError as e:
        return JsonResponse({"recorded": False, "error": str(e)}, status=422)
    return JsonResponse({"recorded": True, "percent": percent, "client_reported": True})
