"""Auditing a quiz for its authors: pure functions over plain data, no database.

A branching scenario is audited path by path: every route from the first step to an ending,
scored as a learner taking it would be, so authors see which routes pass and whether any
passing route takes a critical choice or one that costs rights. A quiz of any kind is also
audited by naive learners (`simulate`), who pick by what the page shows, never by what it
means: a quiz they pass measures nothing.
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass

from . import scoring

NAIVE_PASS_RATE_MAX = 0.10  # more, and guessing by the look of the choices passes
RIGHTS = "rights"


@dataclass(frozen=True)
class PathAudit:
    """One route through a scenario: the (step, choice) pairs taken, and how it scores."""

    taken: tuple[tuple[str, str], ...]
    percent: Mapping[str, int]
    passed: bool
    critical: tuple[scoring.Critical, ...]
    negative: frozenset[str]  # the dimensions on which some choice of the route loses points

    @property
    def questionable(self) -> bool:
        """A route that passes although it takes a critical choice or one that costs rights."""
        return self.passed and bool(self.critical or RIGHTS in self.negative)


def scenario_paths(
    steps: Mapping[str, scoring.Question], start: str
) -> Iterator[tuple[tuple[str, str], ...]]:
    """Every route from `start` to an ending, as (step, choice) pairs, in authored order.
    Walked without recursion; the steps form a graph without cycles (validation sees to it)."""
    stack = [((), start)]
    while stack:
        taken, step = stack.pop()
        for choice in reversed(steps[step].choices):
            route = (*taken, (step, choice.id))
            if choice.leads_to is None:
                yield route
            else:
                stack.append((route, choice.leads_to))


def audit_path(
    steps: Mapping[str, scoring.Question],
    start: str,
    taken: tuple[tuple[str, str], ...],
    *,
    pass_mark: int,
    pass_on: Sequence[str],
) -> PathAudit:
    score = scoring.score_path(steps, start, [choice for _step, choice in taken])
    result = scoring.total([score], pass_mark=pass_mark, pass_on=pass_on)
    negative = frozenset(
        dimension
        for step, choice in taken
        for dimension, points in steps[step].choice(choice).points.items()
        if points < 0
    )
    return PathAudit(taken, result.percent, result.passed, tuple(result.critical), negative)


def audit_paths(
    steps: Mapping[str, scoring.Question], start: str, *, pass_mark: int, pass_on: Sequence[str]
) -> list[PathAudit]:
    return [
        audit_path(steps, start, taken, pass_mark=pass_mark, pass_on=pass_on)
        for taken in scenario_paths(steps, start)
    ]


def critical_choice_count(questions: Mapping[str, scoring.Question]) -> int:
    return sum(1 for q in questions.values() for c in q.choices if c.critical)


@dataclass(frozen=True)
class QuizAudit:
    slug: str
    paths: int | None  # None for a quiz that does not branch
    passing_paths: int | None
    passing_with_critical: int
    critical_choices: int
    first_option_pass_rate: float
    longest_option_pass_rate: float
    # The language the naive learners read it in: the quiz's own, or a translation's, whose
    # wording (the length of its choices) is the translator's. A translation that does not
    # grade as its quiz is never shown: learners read the quiz in its own language instead.
    language: str = "en"
    grades_as_source: bool = True

    def as_dict(self) -> dict:
        return asdict(self)

    def failures(self) -> list[str]:
        """What keeps this quiz from measuring judgement (empty when it does)."""
        found = []
        if not self.grades_as_source:
            found.append(
                "this translation does not grade as its quiz (questions, right answers, "
                "points or routes differ), so learners are shown the quiz untranslated"
            )
        if self.passing_with_critical:
            found.append(f"{self.passing_with_critical} passing paths take a critical choice")
        for learner in ("first_option", "longest_option"):
            rate = getattr(self, f"{learner}_pass_rate")
            if rate > NAIVE_PASS_RATE_MAX:
                who = learner.replace("_", " ")
                found.append(f"a learner who always picks the {who} passes {rate:.0%} of the time")
        return found


def path_counts(audits: Sequence[PathAudit]) -> tuple[int, int, int]:
    """(paths, passing paths, passing paths with a critical choice)."""
    passing = [a for a in audits if a.passed]
    return len(audits), len(passing), sum(1 for a in passing if a.critical)


# Naive learners: given the choices as the page shows them (token, text), pick one.
def first_option(shown: Sequence[tuple[str, str]]) -> str:
    return shown[0][0]


def longest_option(shown: Sequence[tuple[str, str]]) -> str:
    """The longest text; the first of equally long ones, as a hurried reader would."""
    return max(shown, key=lambda choice: len(choice[1]))[0]


NAIVE_LEARNERS = {"first_option": first_option, "longest_option": longest_option}
