"""The rules a quiz keeps before learners can take it, checked on plain data.

One place for them: the Markdown loader (`content_loader`) and the CMS (`Quiz.clean`) both
describe a quiz as a `validation.Quiz` and ask `problems()` what is wrong with it. A problem
says where it is as a path through the quiz's fields, e.g. `("questions", 3, "choices", 0,
"leads_to")`, so the CMS shows it at the block and the loader names the question.
"""

import re
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.blocks import (
    ListBlockValidationError,
    StreamBlockValidationError,
    StructBlockValidationError,
)

from . import vocabulary

POINTS_MIN, POINTS_MAX = -2, 2
KEY = re.compile(r"[\w-]+")
STREAMS = ("questions", "endings")


@dataclass(frozen=True)
class Choice:
    correct: bool = False
    points: Mapping[str, int] = field(default_factory=dict)
    target: str | None = None  # steps only
    critical: Sequence[str] = ()  # dimensions that taking the choice fails


@dataclass(frozen=True)
class Question:
    key: str
    kind: str  # single, multiple, true_false, ordering, mrz, step
    choices: Sequence[Choice] = ()


@dataclass(frozen=True)
class Quiz:
    dimensions: Sequence[str]
    pass_on: Sequence[str]
    questions: Sequence[Question]
    endings: Sequence[str] = ()  # the endings' slugs, in order
    draw: int | None = None


@dataclass(frozen=True)
class Problem:
    where: tuple[str | int, ...]
    message: str
    # Keeps learners from finishing or from passing: a revision published with one is refused
    # to them (QuizBroken). The CMS refuses every problem; the others only mislead a little.
    fatal: bool = False


class QuizBroken(Exception):
    """A quiz revision that breaks these rules (one saved before they were checked). Its
    message is for the learner; `problems` say what the authors must correct."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__(
            _(
                "This quiz has a fault that its authors must correct before it can be taken. "
                "Please try again later."
            )
        )


def effective_points(choice: Choice, dimensions: Sequence[str]) -> Mapping[str, int]:
    """A choice given no points earns one on the first dimension when it is correct (as
    `Quiz.scoring_question` scores it)."""
    return choice.points or {dimensions[0] if dimensions else "detection": int(choice.correct)}


def is_branching(quiz: Quiz) -> bool:
    return any(q.kind == "step" for q in quiz.questions)


def problems(quiz: Quiz) -> list[Problem]:
    """Everything wrong with `quiz`, in the order an author reads the form; empty if none."""
    found = [
        *_dimension_problems(quiz),
        *_draw_problems(quiz),
        *_question_problems(quiz),
        *_ending_problems(quiz),
    ]
    if is_branching(quiz) and not any(p.fatal for p in found):  # walk only a whole graph
        found += _scenario_problems(quiz)
    return found


def faults(quiz: Quiz) -> list[Problem]:
    """The problems that keep learners from finishing or from passing."""
    return [problem for problem in problems(quiz) if problem.fatal]


def _dimension_problems(quiz: Quiz) -> Iterator[Problem]:
    if not quiz.dimensions:
        yield Problem(("dimensions",), _("Name at least one scored dimension."))
    for name in sorted({d for d in quiz.dimensions if quiz.dimensions.count(d) > 1}):
        yield Problem(("dimensions",), _("“%(name)s” is named twice.") % {"name": name})
    for name in quiz.pass_on:
        if name not in quiz.dimensions:
            yield Problem(("pass_on",), _undeclared(name, quiz), fatal=True)
        elif is_branching(quiz) and not any(  # a scenario earns only what its choices give
            effective_points(c, quiz.dimensions).get(name, 0) > 0
            for q in quiz.questions
            for c in q.choices
        ):
            yield Problem(
                ("pass_on",),
                _("No answer earns points on “%(name)s”, so nobody could pass.") % {"name": name},
                fatal=True,
            )


def _undeclared(name: str, quiz: Quiz) -> str:
    return _("“%(name)s” is not a scored dimension of this quiz (%(dimensions)s).") % {
        "name": name,
        "dimensions": ", ".join(quiz.dimensions),
    }


def _draw_problems(quiz: Quiz) -> Iterator[Problem]:
    if quiz.draw is None:
        return
    if is_branching(quiz):
        yield Problem(("draw",), _("A branching scenario asks every step on the learner's path."))
    elif quiz.draw < 1:
        yield Problem(("draw",), _("Draw at least one question, or leave this empty."))
    elif quiz.draw > len(quiz.questions):
        yield Problem(
            ("draw",),
            _("Draw at most %(count)d: the quiz has only %(count)d questions.")
            % {"count": len(quiz.questions)},
        )


def _question_problems(quiz: Quiz) -> Iterator[Problem]:
    if not quiz.questions:
        yield Problem(("questions",), _("A quiz needs at least one question."), fatal=True)
    if is_branching(quiz) and not all(q.kind == "step" for q in quiz.questions):
        yield Problem(
            ("questions",),
            _("A branching scenario has scenario steps only: remove the other questions."),
            fatal=True,
        )
    seen = set()
    for i, question in enumerate(quiz.questions):
        where = ("questions", i)
        if not KEY.fullmatch(question.key):
            yield Problem((*where, "key"), _("A key is letters, digits, - or _, e.g. q1."))
        elif question.key in seen:
            yield Problem(
                (*where, "key"),
                _("Another question already has the key “%(key)s”.") % {"key": question.key},
            )
        seen.add(question.key)
        if message := _misfit(question):
            yield Problem((*where, "choices"), message)
        for j, choice in enumerate(question.choices):
            for message in _points_problems(choice, quiz):
                yield Problem((*where, "choices", j, "points"), message)
            for message in _critical_problems(choice, question, quiz):
                yield Problem((*where, "choices", j, "critical_on"), message)


def _misfit(question: Question) -> str | None:
    """Why the choices do not fit the kind of question, if they do not."""
    count, correct = len(question.choices), sum(c.correct for c in question.choices)
    rules = {
        "single": (
            count >= 2 and correct == 1,
            _("A single-choice question needs two choices or more, exactly one correct."),
        ),
        "true_false": (
            count == 2 and correct == 1,
            _("A true-or-false question needs two choices, exactly one correct."),
        ),
        "multiple": (
            count >= 3 and correct >= 2,
            _("A multiple-response question needs three choices or more, two or more correct."),
        ),
        "ordering": (count >= 3, _("An ordering question needs three items or more.")),
        "step": (count >= 2, _("A scenario step needs two choices or more.")),
        "mrz": (correct == 1, _("A passport zone question needs its fault.")),
    }
    fits, message = rules.get(question.kind, (False, _("This kind of question is unknown.")))
    return None if fits else message


def _points_problems(choice: Choice, quiz: Quiz) -> Iterator[str]:
    for name, value in choice.points.items():
        if name not in quiz.dimensions:
            yield _undeclared(name, quiz)
        elif not POINTS_MIN <= value <= POINTS_MAX:
            yield _(
                "%(value)d on “%(name)s”: points are whole numbers from %(min)d to %(max)d."
            ) % {"value": value, "name": name, "min": POINTS_MIN, "max": POINTS_MAX}


def _critical_problems(choice: Choice, question: Question, quiz: Quiz) -> Iterator[str]:
    if choice.critical and question.kind == "ordering":  # every item is placed: none is taken
        yield _("An item to put in order cannot be critical: the learner places every item.")
        return
    for name in choice.critical:
        if name not in quiz.dimensions:
            yield _undeclared(name, quiz)
        elif name not in quiz.pass_on:  # it would fail a dimension that decides nothing
            yield _(
                "“%(name)s” is not required to pass, so a choice critical on it fails nobody: "
                "add it to the dimensions that must pass."
            ) % {"name": name}


def _ending_problems(quiz: Quiz) -> Iterator[Problem]:
    for i, slug in enumerate(quiz.endings):
        if slug in quiz.endings[:i]:
            yield Problem(
                ("endings", i, "slug"),
                _("Another ending already has the slug “%(slug)s”.") % {"slug": slug},
            )


def _scenario_problems(quiz: Quiz) -> list[Problem]:
    """Every target exists, then: no loops, and every step reachable from the first."""
    found = list(_target_problems(quiz))
    if found:
        return found
    index = {q.key: i for i, q in enumerate(quiz.questions)}
    for key, j, target in _loops(quiz):
        found.append(
            Problem(
                ("questions", index[key], "choices", j, "leads_to"),
                _("This choice loops back to step “%(key)s”: every path must reach an ending.")
                % {"key": target},
                fatal=True,
            )
        )
    start = quiz.questions[0].key
    reached = _reachable(quiz, start)
    for question in quiz.questions:
        if question.key not in reached:
            found.append(
                Problem(
                    ("questions", index[question.key], "key"),
                    _("Step “%(key)s” cannot be reached from the first step, “%(start)s”.")
                    % {"key": question.key, "start": start},
                )
            )
    return found


def _target_problems(quiz: Quiz) -> Iterator[Problem]:
    keys = {q.key for q in quiz.questions}
    for i, question in enumerate(quiz.questions):
        for j, choice in enumerate(question.choices):
            message = _target_problem(choice.target or "", keys, quiz.endings)
            if message:
                yield Problem(("questions", i, "choices", j, "leads_to"), message, fatal=True)


def _target_problem(target: str, keys: set[str], endings: Sequence[str]) -> str | None:
    if not target:
        return _("Name the next step's key, or “end:” and an ending's slug.")
    slug = vocabulary.ending_slug(target)
    if slug is not None:
        if slug not in endings:
            return _("“%(target)s” leads nowhere: no ending has the slug “%(slug)s”.") % {
                "target": target,
                "slug": slug,
            }
    elif target not in keys:
        return _("“%(target)s” leads nowhere: no step has that key.") % {"target": target}
    return None


def _next_steps(question: Question) -> list[tuple[int, str]]:
    return [(j, c.target) for j, c in enumerate(question.choices) if vocabulary.next_step(c.target)]


def _loops(quiz: Quiz) -> Iterator[tuple[str, int, str]]:
    """(step, choice, target) for each choice that leads back to a step on its own path.

    Walked without recursion, from the first step first, so a scenario of any length is safe.
    """
    steps = {q.key: q for q in quiz.questions}
    on_path, done = set(), set()
    for root in steps:
        if root in done:
            continue
        stack = [(root, iter(_next_steps(steps[root])))]
        on_path.add(root)
        while stack:
            key, following = stack[-1]
            for j, target in following:
                if target in on_path:
                    yield key, j, target
                elif target not in done:
                    on_path.add(target)
                    stack.append((target, iter(_next_steps(steps[target]))))
                    break
            else:
                stack.pop()
                on_path.discard(key)
                done.add(key)


def _reachable(quiz: Quiz, start: str) -> set[str]:
    steps = {q.key: q for q in quiz.questions}
    reached, todo = set(), [start]
    while todo:
        key = todo.pop()
        if key not in reached:
            reached.add(key)
            todo += [target for _j, target in _next_steps(steps[key])]
    return reached


def as_validation_error(found: Sequence[Problem]) -> ValidationError:
    """The problems as the CMS form shows them: block errors at the block, field errors at the
    field (StreamField values hold Wagtail's nested block errors)."""
    by_field = defaultdict(list)
    for problem in found:
        by_field[problem.where[0]].append((problem.where[1:], problem.message))
    return ValidationError(
        {
            name: _block_error(entries, "stream") if name in STREAMS else [m for _w, m in entries]
            for name, entries in by_field.items()
        }
    )


def _block_error(entries: list[tuple[tuple, str]], level: str) -> ValidationError:
    """A nested Wagtail block error: a stream holds question structs, a struct holds fields and
    the list of choices, whose items are structs again."""
    here = [message for rest, message in entries if not rest]
    below = defaultdict(list)
    for rest, message in entries:
        if rest:
            below[rest[0]].append((rest[1:], message))
    if level in ("stream", "list"):
        errors = {i: _block_error(sub, "struct") for i, sub in below.items()}
        kind = StreamBlockValidationError if level == "stream" else ListBlockValidationError
        return kind(block_errors=errors, non_block_errors=here)
    if not below:
        return ValidationError(here)
    errors = {
        name: _block_error(sub, "list") if any(rest for rest, _m in sub) else _block_error(sub, "")
        for name, sub in below.items()
    }
    return StructBlockValidationError(block_errors=errors, non_block_errors=here)
