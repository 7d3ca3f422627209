"""Reads about quizzes and attempts."""

from django.db.models import F

from . import services, vocabulary
from .models import Attempt, Quiz


def attempts_for(*, user, quiz: Quiz) -> list[Attempt]:
    if not user.is_authenticated:
        return []
    attempts = list(Attempt.objects.filter(user=user, quiz=quiz).order_by("-number"))
    for attempt in attempts:
        attempt.quiz = quiz  # already loaded: no query per attempt
    return attempts


def attempt_count(*, user, quiz: Quiz) -> int:
    """How many attempts `user` (a user or their id) has made at `quiz`."""
    return Attempt.objects.filter(user=user, quiz=quiz).count()


def _counted(quiz: Quiz, submitted: list[Attempt]) -> Attempt | None:
    """Of a quiz's submitted attempts, newest first, the one that counts: the best or the
    last, as the quiz says."""
    if not submitted:
        return None
    if quiz.counting == Quiz.Counting.LAST:
        return submitted[0]
    return max(submitted, key=lambda a: (a.passed, min(a.percent.values(), default=0)))


def counted_attempt(*, user, quiz: Quiz) -> Attempt | None:
    """The submitted attempt that counts: the best or the last, as the quiz says."""
    return _counted(quiz, [a for a in attempts_for(user=user, quiz=quiz) if not a.is_open])


def has_passed(*, user, quiz: Quiz) -> bool:
    attempt = counted_attempt(user=user, quiz=quiz)
    return bool(attempt and attempt.passed)


def passed_quiz_ids(*, user, quizzes) -> set[int]:
    """Which of these quizzes `user` has passed, by the attempt that counts in each, in one
    query (none for no quiz or a signed-out reader)."""
    if not quizzes or not user.is_authenticated:
        return set()
    by_id = {quiz.pk: quiz for quiz in quizzes}
    submitted: dict[int, list[Attempt]] = {}
    attempts = Attempt.objects.filter(
        user=user, quiz_id__in=list(by_id), status=Attempt.Status.SUBMITTED
    ).order_by("-number")
    for attempt in attempts.only("quiz_id", "number", "passed", "percent"):
        submitted.setdefault(attempt.quiz_id, []).append(attempt)
    return {
        quiz_id
        for quiz_id, found in submitted.items()
        if (counted := _counted(by_id[quiz_id], found)) and counted.passed
    }


def attempt_for_owner(*, user, attempt_id: int, with_quiz: bool = True) -> Attempt | None:
    """An attempt is only ever shown to the person who made it.

    Saving and submitting answers need only the quiz as it was when the attempt started
    (`Attempt.quiz_as_started`, kept per process), so they can leave the live quiz unread;
    its audience as it is now comes with the attempt, as `quiz_audience`, in the same query.
    """
    attempts = (
        Attempt.objects.filter(pk=attempt_id, user=user)
        .annotate(quiz_audience=F("quiz__audience"))
        .order_by()
    )
    return (attempts.select_related("quiz") if with_quiz else attempts).first()


def critical_choices_taken(*, attempt: Attempt) -> list[dict]:
    """The critical choices a submitted attempt took, as its result page names them: the
    choice's text, the dimensions it failed and why. Read again from the attempt's answers on
    its own quiz revision, so it always matches the grade."""
    quiz = attempt.quiz_as_started
    return vocabulary.critical_taken(quiz, services.grade(attempt).critical)
