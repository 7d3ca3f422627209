"""Authors preview a quiz as learners see it, and nothing is recorded.

A preview is an attempt that never reaches the database: an unsaved `Attempt` on the revision
being previewed, whose id is a negative number drawn for the preview (no saved attempt has one,
so its choice tokens open no learner's attempt). It shows its choices in the order that number
gives, reads the answers posted with `posted`, and is graded by `services.grade`, the code that
grades learners. What a preview remembers between requests (the quiz, the revision, its number
and a scenario's path so far) travels with the form or the link, signed, never in a table.
"""

import secrets
from dataclasses import dataclass, field

from django.core import signing
from django.utils.translation import gettext as _
from wagtail.models import Revision

from . import posted, scoring, services, vocabulary
from .models import Attempt, Quiz, quiz_at_revision
from .scoring import AnswerError

SALT = "flightpath.assessments.preview"
DRAFT, LIVE = "draft", "live"
_SEED_MAX = 2**31 - 1


class PreviewError(Exception):
    """A preview request that cannot be carried out (a state that was altered or belongs to
    another quiz, a choice the page never offered); the message is for the author."""


@dataclass(frozen=True)
class State:
    quiz: int
    revision: int
    seed: int  # negative: the id of the unsaved attempt, which orders and names the choices
    path: tuple[str, ...] = ()

    def signed(self) -> str:
        return signing.dumps([self.quiz, self.revision, self.seed, list(self.path)], salt=SALT)

    def followed_by(self, choice_id: str) -> "State":
        return State(self.quiz, self.revision, self.seed, (*self.path, choice_id))

    def back(self) -> "State":
        return State(self.quiz, self.revision, self.seed, self.path[:-1])


def revision_id(quiz: Quiz, version: str) -> int | None:
    """The revision a preview of `version` shows: the latest saved (the draft) or the live."""
    return quiz.live_revision_id if version == LIVE else quiz.latest_revision_id


def state_new(quiz: Quiz, revision: int) -> State:
    return State(quiz.pk, revision, -(secrets.randbelow(_SEED_MAX) + 1))


def state_read(text: str, quiz: Quiz) -> State:
    """The state a preview form or link carried; refused if altered or not this quiz's."""
    try:
        quiz_id, revision, seed, path = signing.loads(text or "", salt=SALT)
    except (signing.BadSignature, TypeError, ValueError) as e:
        raise PreviewError(_("This preview link was altered or is incomplete: start again.")) from e
    if quiz_id != quiz.pk:
        raise PreviewError(_("This preview belongs to another quiz: start again."))
    return State(quiz_id, revision, seed, tuple(path))


def attempt_for(state: State, answers: dict | None = None) -> Attempt:
    """The unsaved attempt of a preview (QuizBroken for a revision that breaks the rules)."""
    try:
        quiz = quiz_at_revision(state.revision)
    except Revision.DoesNotExist as e:  # purged since the preview began
        raise PreviewError(_("This version of the quiz no longer exists: start again.")) from e
    keys = list(quiz.blocks_by_key)
    attempt = Attempt(
        id=state.seed, quiz_id=state.quiz, revision_id=state.revision, number=1, drawn=keys
    )
    attempt.answers = {"path": list(state.path)} if quiz.is_branching else (answers or {})
    return attempt


# Questions of a quiz that does not branch: shown, then checked.
@dataclass
class Checked:
    """What checking a preview's answers found, as the author reads it."""

    result: scoring.Result
    questions: dict[str, dict] = field(default_factory=dict)  # key -> per-question feedback
    critical: list[dict] = field(default_factory=list)


def questions_shown(attempt: Attempt, checked: Checked | None = None) -> list[dict]:
    """Every question of the previewed revision as the attempt page shows it (every one, even
    where learners are given a draw of them), with its feedback once checked."""
    quiz = attempt.quiz_as_started
    return [
        {
            "key": key,
            "number": number,
            "block": quiz.blocks_by_key[key],
            "choices": vocabulary.shown_choices(
                quiz, key, attempt_id=attempt.pk, answer=attempt.answers.get(key)
            ),
            "lines": quiz.specimen_lines(key)
            if quiz.blocks_by_key[key].block_type == "mrz"
            else None,
            "checked": checked.questions.get(key) if checked else None,
        }
        for number, key in enumerate(attempt.drawn, start=1)
    ]


def answers_read(attempt: Attempt, data) -> dict:
    """The answers a preview form posted, read as the attempt page's are (AnswerError if the
    form could not have sent them)."""
    return {key: answer for key, answer in posted.answers(attempt, data).items() if answer}


def check(attempt: Attempt) -> Checked:
    """Grade the preview's answers with the learners' grading, and explain each question."""
    quiz = attempt.quiz_as_started
    review = vocabulary.review(quiz, answers=attempt.answers, drawn=attempt.drawn, reveal=True)
    result = services.grade(attempt)
    return Checked(
        result=result,
        questions={item["key"]: item for item in review},
        critical=vocabulary.critical_taken(quiz, result.critical),
    )


# A branching scenario: one step at a time, from the first step to an ending.
def scenario_choose(attempt: Attempt, state: State, token) -> State:
    """The state after taking the choice `token` names at the scenario's current step."""
    quiz = attempt.quiz_as_started
    step = scenario_step(attempt)
    if step is None:
        raise PreviewError(_("The scenario has ended: start again."))
    try:
        chosen = vocabulary.choice_from_token(
            quiz.scoring_question(step), attempt_id=attempt.pk, token=token
        )
    except AnswerError as e:
        raise PreviewError(_("That choice is not one this step offered: start again.")) from e
    return state.followed_by(chosen)


def scenario_step(attempt: Attempt) -> str | None:
    """The step the preview's path has reached (None at an ending)."""
    try:
        return services.scenario_step(attempt.quiz_as_started, attempt.answers["path"])
    except AnswerError as e:
        raise PreviewError(
            _("This preview's path does not follow the scenario: start again.")
        ) from e


def scenario_trail(attempt: Attempt) -> list[dict]:
    """The choices taken so far, each with its feedback, points and whether it is critical."""
    quiz = attempt.quiz_as_started
    return vocabulary.review(quiz, answers=attempt.answers, drawn=attempt.drawn)


def scenario_end(attempt: Attempt) -> dict:
    """At an ending: the ending, and the result the learners' grading gives the path."""
    quiz = attempt.quiz_as_started
    result = services.grade(attempt)
    return {
        "ending": vocabulary.ending(quiz, path=attempt.answers["path"]),
        "result": result,
        "critical": vocabulary.critical_taken(quiz, result.critical),
    }


def result_rows(quiz: Quiz, result: scoring.Result) -> list[dict]:
    """Percent per dimension in the quiz's order, whether it must pass and whether it did."""
    return [
        {
            "dimension": d,
            "percent": result.percent.get(d, 0),
            "required": d in quiz.pass_on_list,
            "failed_by_critical": d in result.failed,
        }
        for d in quiz.dimension_list
    ]
