"""Grading scenario quizzes: pure functions over plain data, no database.

A question's answer earns points on one or more dimensions (`detection`, `rights`, ...). Each
question knows the most it can earn on each dimension; a quiz's result on a dimension is what
was earned over what could have been, as a percentage. The pass rule names the dimensions that
must each reach the pass mark, so an answer that catches the smuggler unlawfully can still fail.

A choice can also be *critical* on dimensions, with a reason: taking it fails those dimensions
whatever the points add up to (threatening removal to get a name is not outweighed by lawful
steps before and after it). Scores and results carry the critical choices taken.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations

Points = Mapping[str, int]


class AnswerError(ValueError):
    """An answer that does not fit its question (a forged or stale submission)."""


@dataclass(frozen=True)
class Choice:
    id: str
    correct: bool = False
    points: Points = field(default_factory=dict)
    leads_to: str | None = None  # branching: the next step's id, or None for an ending
    critical: Sequence[str] = ()  # dimensions that taking this choice fails
    reason: str = ""  # why it is critical, for the result page


@dataclass(frozen=True)
class Critical:
    """A critical choice taken: which question, which choice, what it fails and why."""

    question: str
    choice: str
    dimensions: Sequence[str]
    reason: str


def _critical(question_id: str, choices: Sequence[Choice]) -> tuple[Critical, ...]:
    return tuple(
        Critical(question_id, c.id, tuple(c.critical), c.reason) for c in choices if c.critical
    )


@dataclass(frozen=True)
class Question:
    id: str
    kind: str  # single, true_false, mrz, multiple, ordering, step
    choices: Sequence[Choice]
    dimensions: Sequence[str] = ("detection",)

    def choice(self, choice_id: str) -> Choice:
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        raise AnswerError(f"{self.id}: there is no choice '{choice_id}'")


@dataclass(frozen=True)
class Score:
    earned: Mapping[str, Fraction]
    possible: Mapping[str, Fraction]
    critical: Sequence[Critical] = ()


def possible_points(question: Question) -> dict[str, Fraction]:
    """The most the question is worth on each dimension it scores (at least 1 on each): those
    its choices name, or all of the quiz's when they name none. A rights question in a quiz
    that also scores detection then counts on rights alone, and does not dilute detection."""
    named = {d for c in question.choices for d in c.points}
    scored = [d for d in question.dimensions if d in named] or question.dimensions
    best = {d: max([c.points.get(d, 0) for c in question.choices] + [1]) for d in scored}
    return {d: Fraction(points) for d, points in best.items()}


def score_one_choice(question: Question, choice_id: str) -> Score:
    """single, true_false and mrz: the chosen choice's points."""
    chosen = question.choice(choice_id)
    possible = possible_points(question)
    earned = {d: Fraction(max(0, chosen.points.get(d, 0))) for d in possible}
    return Score(earned=earned, possible=possible, critical=_critical(question.id, [chosen]))


def score_multiple(question: Question, choice_ids: Sequence[str]) -> Score:
    """Partial credit: (right ticked - wrong ticked) / all right, never below nothing."""
    chosen = {question.choice(c).id for c in choice_ids}
    if len(chosen) != len(choice_ids):
        raise AnswerError(f"{question.id}: a choice is given twice")
    right = {c.id for c in question.choices if c.correct}
    fraction = max(Fraction(0), Fraction(len(chosen & right) - len(chosen - right), len(right)))
    possible = possible_points(question)
    ticked = [c for c in question.choices if c.id in chosen]
    return Score(
        earned={d: w * fraction for d, w in possible.items()},
        possible=possible,
        critical=_critical(question.id, ticked),
    )


def score_ordering(question: Question, order: Sequence[str]) -> Score:
    """Credit for every pair of items in the right relative order; full marks for all."""
    expected = [c.id for c in question.choices]
    if sorted(order) != sorted(expected):
        raise AnswerError(f"{question.id}: the order must list every item exactly once")
    position = {item: i for i, item in enumerate(order)}
    pairs = list(combinations(expected, 2))
    in_order = sum(1 for a, b in pairs if position[a] < position[b])
    fraction = Fraction(in_order, len(pairs)) if pairs else Fraction(1)
    possible = possible_points(question)
    return Score(earned={d: w * fraction for d, w in possible.items()}, possible=possible)


def score_question(question: Question, answer) -> Score:
    if question.kind in ("single", "true_false", "mrz"):
        if not isinstance(answer, str):
            raise AnswerError(f"{question.id}: choose one answer")
        return score_one_choice(question, answer)
    if question.kind == "multiple":
        return score_multiple(question, _list_of_ids(question, answer))
    if question.kind == "ordering":
        return score_ordering(question, _list_of_ids(question, answer))
    raise AnswerError(f"{question.id}: '{question.kind}' is not scored one question at a time")


def _list_of_ids(question, answer) -> list[str]:
    if not isinstance(answer, list | tuple) or not all(isinstance(a, str) for a in answer):
        raise AnswerError(f"{question.id}: the answer must be a list of choices")
    return list(answer)


def score_path(
    steps: Mapping[str, Question], start: str, path: Sequence[str], *, unfinished: bool = False
) -> Score:
    """A branching scenario: `path` lists the choice taken at each step from `start` on.

    Earned is the sum along the path (never below nothing); possible is the best any path
    could have earned on each dimension, so a learner is measured against the best route.
    A path that stops before an ending is refused unless `unfinished` allows it (a scenario
    that ran out of time is scored on the choices it holds).
    """
    dimensions = steps[start].dimensions
    earned = {d: Fraction(0) for d in dimensions}
    critical = []
    step_id = start
    for number, choice_id in enumerate(path):
        if step_id is None:
            raise AnswerError(f"the scenario had ended before choice {number + 1}")
        choice = steps[step_id].choice(choice_id)
        for d in dimensions:
            earned[d] += choice.points.get(d, 0)
        critical += _critical(step_id, [choice])
        step_id = choice.leads_to
    if step_id is not None and not unfinished:
        raise AnswerError("the scenario has not reached an ending")
    possible = {d: Fraction(max(1, best_path_points(steps, start, d))) for d in dimensions}
    return Score(
        earned={d: max(Fraction(0), e) for d, e in earned.items()},
        possible=possible,
        critical=tuple(critical),
    )


def best_path_points(steps: Mapping[str, Question], start: str, dimension: str) -> int:
    """The most any path from `start` earns on `dimension` (steps form a graph without cycles)."""
    best: dict[str, int] = {}

    def visit(step_id: str, trail: frozenset) -> int:
        if step_id in trail:
            raise AnswerError(f"the scenario loops back to step '{step_id}'")
        if step_id not in best:
            best[step_id] = max(
                c.points.get(dimension, 0)
                + (visit(c.leads_to, trail | {step_id}) if c.leads_to else 0)
                for c in steps[step_id].choices
            )
        return best[step_id]

    return visit(start, frozenset())


@dataclass(frozen=True)
class Result:
    percent: Mapping[str, int]
    passed: bool
    critical: Sequence[Critical] = ()  # the critical choices taken, in the order taken
    failed: frozenset[str] = frozenset()  # the dimensions a critical choice failed


def total(scores: Sequence[Score], *, pass_mark: int, pass_on: Sequence[str]) -> Result:
    """Percent per dimension over all questions; pass when each of `pass_on` reaches the mark
    and no critical choice failed it. The percent stays what the points earned."""
    earned: dict[str, Fraction] = {}
    possible: dict[str, Fraction] = {}
    for score in scores:
        for d, value in score.possible.items():
            possible[d] = possible.get(d, Fraction(0)) + value
            earned[d] = earned.get(d, Fraction(0)) + score.earned.get(d, Fraction(0))
    percent = {d: _floor_percent(earned[d], possible[d]) for d in possible}
    critical = tuple(c for score in scores for c in score.critical)
    failed = frozenset(d for c in critical for d in c.dimensions)
    passed = all(percent.get(d, 0) >= pass_mark and d not in failed for d in pass_on)
    return Result(percent=percent, passed=passed, critical=critical, failed=failed)


def _floor_percent(earned: Fraction, possible: Fraction) -> int:
    """Rounded down, so 69.9% never shows as a pass mark of 70 reached."""
    return int(100 * earned / possible) if possible else 0
