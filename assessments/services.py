"""Writes about attempts. The server grades; the browser only ever sends choices.

Nothing lost: every save carries the learner's whole answer set and a sequence number, and is
applied by one conditional UPDATE only if it is newer than what is stored, so a late or repeated
save never overwrites a newer one. Nothing forged: answers are checked against the questions of
the attempt's own quiz revision. Submit is idempotent: the attempt row is locked (an IMMEDIATE
transaction on SQLite), graded once, and every caller gets that one result.
"""

import contextlib
import dataclasses
import random
from datetime import timedelta
from fractions import Fraction

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import scoring, vocabulary
from .access import quiz_open_to
from .models import Attempt, Quiz, quiz_at_revision
from .signals import attempt_graded

# Attempt.sequence is a 32-bit integer column on PostgreSQL, 64 bits on SQLite: one limit for
# both, so a number either database would refuse is refused before it sees it.
SEQUENCE_MAX = 2**31 - 1


class AttemptError(Exception):
    """A request about an attempt that cannot be carried out; the message is for the learner."""


class AnswersChanged(AttemptError):
    """A confirmation for answers the attempt no longer holds."""


def attempt_start(*, user, quiz: Quiz) -> Attempt:
    """The learner's open attempt, or a new one drawn from the live quiz."""
    if not quiz_open_to(user=user, quiz_id=quiz.pk, audience=quiz.audience):
        raise PermissionDenied(_("This quiz is not open to you."))
    if not quiz.live or quiz.live_revision is None:
        raise AttemptError(_("This quiz is not published."))
    current = Attempt.objects.filter(user=user, quiz=quiz, status=Attempt.Status.OPEN).first()
    if current and attempt_close_if_expired(attempt=current).is_open:
        return current
    with transaction.atomic():
        taken = Attempt.objects.filter(user=user, quiz=quiz).count()
        if quiz.attempts_allowed and taken >= quiz.attempts_allowed:
            raise AttemptError(_("You have used all the attempts this quiz allows."))
        try:
            with transaction.atomic():
                return _attempt_new(user=user, quiz=quiz, number=taken + 1)
        except IntegrityError:  # a second click started one a moment ago: resume it
            return Attempt.objects.get(user=user, quiz=quiz, status=Attempt.Status.OPEN)


def _attempt_new(*, user, quiz: Quiz, number: int) -> Attempt:
    revision = quiz.live_revision
    as_published = quiz_at_revision(revision.pk)  # QuizBroken: nothing is started
    keys = list(as_published.blocks_by_key)
    if not as_published.is_branching and quiz.draw and quiz.draw < len(keys):
        chosen = set(random.sample(keys, quiz.draw))
        keys = [key for key in keys if key in chosen]
    deadline = (
        timezone.now() + timedelta(minutes=quiz.time_limit_minutes)
        if quiz.time_limit_minutes
        else None
    )
    return Attempt.objects.create(
        user=user, quiz=quiz, revision=revision, number=number, drawn=keys, deadline=deadline
    )


def attempt_restart(*, attempt: Attempt) -> Attempt:
    """An open attempt on a quiz revision that breaks the quiz rules starts again on the live
    quiz once its authors have corrected it (until then QuizBroken, and nothing changes). What
    was answered is dropped: on the broken revision it may lead nowhere."""
    with transaction.atomic():
        Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.OPEN).delete()
        return attempt_start(user=attempt.user, quiz=attempt.quiz)


def clean_answers(attempt: Attempt, answers) -> dict:
    """Answers as the attempt's questions allow them; anything else is refused, not stored."""
    if not isinstance(answers, dict):
        raise scoring.AnswerError(_("Answers must be a mapping of question to choice."))
    quiz = attempt.quiz_as_started
    if quiz.is_branching:
        path = answers.get("path", [])
        if set(answers) - {"path"} or not isinstance(path, list):
            raise scoring.AnswerError(_("A scenario's answer is the path of choices taken."))
        scenario_step(quiz, path)
        return {"path": path}
    for key, answer in answers.items():
        if key not in attempt.drawn:
            raise scoring.AnswerError(
                _("“%(key)s” is not a question of this attempt.") % {"key": key}
            )
        if answer not in (None, "", []):
            scoring.score_question(quiz.scoring_question(key), answer)
    return {key: answer for key, answer in answers.items() if answer not in (None, "", [])}


def scenario_trail(quiz: Quiz, path: list) -> list[tuple[str, str]]:
    """The (step, choice) pairs of `path` from the first step; refuses a choice that does not
    follow."""
    return vocabulary.trail(quiz.scoring_questions(), quiz.first_step, path)


def scenario_step(quiz: Quiz, path: list) -> str | None:
    """The step `path` reaches from the first step (None at an ending)."""
    trail = scenario_trail(quiz, path)
    if not trail:
        return quiz.first_step
    step, choice_id = trail[-1]
    return quiz.scoring_question(step).choice(choice_id).leads_to


def attempt_autosave(*, attempt: Attempt, sequence: int, answers) -> bool:
    """Store `answers` if `sequence` is newer than what is stored. True if it was applied."""
    if _has_run_out(attempt):
        raise AttemptError(_("Time is up: submit the attempt to have it graded."))
    if not 1 <= sequence <= SEQUENCE_MAX:
        raise scoring.AnswerError(
            _("The save's sequence number must be from 1 to %(max)d: reload the page.")
            % {"max": SEQUENCE_MAX}
        )
    cleaned = clean_answers(attempt, answers)
    applied = Attempt.objects.filter(
        pk=attempt.pk, status=Attempt.Status.OPEN, sequence__lt=sequence
    ).update(answers=cleaned, sequence=sequence)
    if applied:
        attempt.answers, attempt.sequence = cleaned, sequence
        return True
    if not Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.OPEN).exists():
        raise AttemptError(_("This attempt has been submitted; it can no longer change."))
    return False


def attempt_choose(*, attempt: Attempt, step: str, choice_id: str) -> Attempt:
    """A branching scenario: take a choice at `step`, the current step; submit at an ending.
    A choice made at a step the scenario has since left (a second click) is refused."""
    attempt.refresh_from_db()
    attempt = attempt_close_if_expired(attempt=attempt)
    if not attempt.is_open:
        return attempt
    path = attempt.answers.get("path", [])
    if scenario_step(attempt.quiz_as_started, path) != step:
        raise AttemptError(_("That choice was for a step you have already answered."))
    path = [*path, choice_id]
    attempt_autosave(attempt=attempt, sequence=attempt.sequence + 1, answers={"path": path})
    if scenario_step(attempt.quiz_as_started, path) is None:
        return attempt_submit(attempt=attempt)
    return attempt


def attempt_submit(
    *, attempt: Attempt, sequence: int | None = None, answers=None, reviewed: int | None = None
) -> Attempt:
    """Grade the attempt once; a repeated or concurrent submit returns the same result.

    `reviewed` is the sequence number of the answers the learner reviewed before confirming:
    if the attempt has saved newer ones since (another tab, a late autosave), nothing is
    graded and AnswerChanged says so, so nobody is graded on answers they did not see."""
    if answers is not None and sequence is not None:
        with contextlib.suppress(AttemptError):  # closed or out of time: grade what is stored
            attempt_autosave(attempt=attempt, sequence=sequence, answers=answers)
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if not locked.is_open:
            return locked
        if reviewed is not None and reviewed != locked.sequence and not _has_run_out(locked):
            raise AnswersChanged(
                _("Your answers changed after this review: check them again, then submit.")
            )
        result = grade(locked)
        locked.percent, locked.passed = dict(result.percent), result.passed
        locked.status, locked.submitted_at = Attempt.Status.SUBMITTED, timezone.now()
        locked.save(update_fields=["percent", "passed", "status", "submitted_at"])
        transaction.on_commit(lambda: attempt_graded.send(sender=Attempt, attempt=locked))
    return locked


def attempt_close_if_expired(*, attempt: Attempt) -> Attempt:
    """An open attempt past its time limit is graded on what it holds, so that a learner who
    ran out of time is never left with an attempt they can neither finish nor replace."""
    if attempt.is_open and _has_run_out(attempt):
        return attempt_submit(attempt=attempt)
    return attempt


def _has_run_out(attempt: Attempt) -> bool:
    return attempt.deadline is not None and timezone.now() > attempt.deadline


def grade(attempt: Attempt) -> scoring.Result:
    quiz = attempt.quiz_as_started
    if quiz.is_branching:
        return _grade_scenario(quiz, attempt)
    scores = [_score(quiz, key, attempt.answers.get(key)) for key in attempt.drawn]
    return scoring.total(scores, pass_mark=quiz.pass_mark, pass_on=quiz.pass_on_list)


def _grade_scenario(quiz: Quiz, attempt: Attempt) -> scoring.Result:
    """A finished scenario by its path; one that ran out of time unfinished fails, with what
    its choices so far earned."""
    path = attempt.answers.get("path", [])
    finished = scenario_step(quiz, path) is None
    if not finished and not _has_run_out(attempt):
        raise AttemptError(_("Finish the scenario before submitting it."))
    score = scoring.score_path(
        quiz.scoring_questions(), quiz.first_step, path, unfinished=not finished
    )
    result = scoring.total([score], pass_mark=quiz.pass_mark, pass_on=quiz.pass_on_list)
    return result if finished else dataclasses.replace(result, passed=False)


def _score(quiz: Quiz, key: str, answer) -> scoring.Score:
    question = quiz.scoring_question(key)
    if answer is None:  # unanswered: nothing earned of what was possible
        possible = scoring.possible_points(question)
        return scoring.Score(earned=dict.fromkeys(possible, Fraction(0)), possible=possible)
    return scoring.score_question(question, answer)
