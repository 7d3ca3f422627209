"""What the attempt forms post, read into the attempt's own terms: a sequence number and
answers in authored choice ids. Field names and values carry per-attempt tokens (see
`vocabulary`); anything the attempt's page could not have sent is refused with AnswerError,
so nothing is stored from it.
"""

from django.utils.translation import gettext as _

from . import vocabulary
from .models import Attempt
from .scoring import AnswerError, Question
from .services import scenario_step

_NUMBER_DIGITS = 24  # more than any sequence the service accepts; longer is refused unread


def sequence(data) -> int:
    """The save's sequence number as posted (the service decides whether it is in range)."""
    text = data.get("sequence", "").strip()
    if not text.isdecimal() or len(text) > _NUMBER_DIGITS:
        raise AnswerError(_("The save has no valid sequence number."))
    return int(text)


def choice(attempt: Attempt, data) -> tuple[str, str]:
    """A scenario's (step, authored choice id) from the token posted as `choice`."""
    quiz = attempt.quiz_as_started
    step = scenario_step(quiz, attempt.answers.get("path", []))
    if step is None:
        raise AnswerError(_("The scenario has ended."))
    question = quiz.scoring_question(step)
    return step, vocabulary.choice_from_token(
        question, attempt_id=attempt.pk, token=data.get("choice")
    )


class OrderProblems(AnswerError):
    """Ordering questions numbered in a way that gives no order (a number given twice, say).
    Carries what could be read: `answers`, where those questions keep the answer the attempt
    already holds, and `problems`, the learner's message per question, so that a form posted
    without JavaScript loses nothing and says where to look."""

    def __init__(self, answers: dict, problems: dict[str, str]):
        super().__init__(" ".join(dict.fromkeys(problems.values())))
        self.answers, self.problems = answers, problems


def answers(attempt: Attempt, data) -> dict:
    """Answers to the drawn questions (None or [] where nothing is given yet)."""
    quiz = attempt.quiz_as_started
    if quiz.is_branching:
        raise AnswerError(_("A scenario is answered one choice at a time."))
    questions = [quiz.scoring_question(key) for key in attempt.drawn]
    _refuse_unknown_fields(attempt, questions, data)
    read, problems = {}, {}
    for question in questions:
        try:
            read[question.id] = _answer(attempt, question, data)
        except OrderProblem as e:
            read[question.id], problems[question.id] = attempt.answers.get(question.id), str(e)
    if problems:
        raise OrderProblems(read, problems)
    return read


def positions(attempt: Attempt, key: str, data) -> dict[str, str]:
    """Token -> the position typed for each item of ordering question `key`, as posted."""
    question = attempt.quiz_as_started.scoring_question(key)
    named = vocabulary.tokens(question, attempt_id=attempt.pk)
    return {token: data.get(f"q-{key}-{token}", "").strip()[:8] for token in named.values()}


def _field_names(attempt: Attempt, question: Question) -> list[str]:
    if question.kind != "ordering":
        return [f"q-{question.id}"]
    named = vocabulary.tokens(question, attempt_id=attempt.pk)
    return [f"q-{question.id}-{token}" for token in named.values()]


def _refuse_unknown_fields(attempt: Attempt, questions: list[Question], data) -> None:
    """A field the page never showed (an authored id, a token of another attempt) is stale
    or forged: refuse the whole save rather than quietly drop part of it."""
    known = {name for question in questions for name in _field_names(attempt, question)}
    if any(name.startswith("q-") and name not in known for name in data):
        raise AnswerError(
            _("That answer does not belong to this attempt: reload the page and answer again.")
        )


def _answer(attempt: Attempt, question: Question, data):
    field = f"q-{question.id}"
    if question.kind == "ordering":
        return _order(attempt, question, data)
    if question.kind == "multiple":
        return [_choice(attempt, question, token) for token in data.getlist(field) if token]
    token = data.get(field)
    return _choice(attempt, question, token) if token else None


def _choice(attempt: Attempt, question: Question, token: str) -> str:
    return vocabulary.choice_from_token(question, attempt_id=attempt.pk, token=token)


def _order(attempt: Attempt, question: Question, data) -> list[str] | None:
    """The items by the positions given, or None while some are not numbered yet."""
    named = vocabulary.tokens(question, attempt_id=attempt.pk)
    given = {cid: data.get(f"q-{question.id}-{token}", "").strip() for cid, token in named.items()}
    places = {cid: _position(text, len(named)) for cid, text in given.items() if text}
    if len(places) < len(named):
        return None
    if len(set(places.values())) < len(places):
        raise OrderProblem(
            _(
                "Two items have the same number. Give each item a different number "
                "from 1 to %(count)d."
            )
            % {"count": len(named)}
        )
    return sorted(places, key=places.__getitem__)


class OrderProblem(AnswerError):
    """One ordering question's numbers give no order."""


def _position(text: str, count: int) -> int:
    if text.isdecimal() and len(text) <= len(str(count)) and 1 <= int(text) <= count:
        return int(text)
    raise OrderProblem(
        _("Number the items with whole numbers from 1 to %(count)d.") % {"count": count}
    )
