"""Per-question statistics for trainers: how often each choice was taken, which competencies
learners miss. Read from every submitted attempt in one query, choices named as the published
quiz names them (attempts begun on an earlier revision are counted by choice position)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from . import audit, scoring, validation, vocabulary
from .models import Attempt, Quiz


@dataclass
class ChoiceStat:
    id: str
    text: str
    correct: bool
    taken: int = 0


@dataclass
class QuestionStat:
    key: str
    prompt: str
    kind: str
    competencies: list[str]
    choices: list[ChoiceStat]
    answered: int = 0
    full_marks: int = 0

    @property
    def percent_right(self) -> int:
        return round(100 * self.full_marks / self.answered) if self.answered else 0


@dataclass
class Statistics:
    attempts: int
    questions: list[QuestionStat]
    competencies: list[tuple[str, int, int]] = field(default_factory=list)  # name, missed, asked


def question_statistics(*, quiz: Quiz) -> Statistics:
    live = quiz.live_revision.as_object() if quiz.live_revision else quiz
    stats = {key: _question_stat(live, key) for key in live.blocks_by_key}
    answers = list(
        Attempt.objects.filter(quiz=quiz, status=Attempt.Status.SUBMITTED).values_list(
            "answers", flat=True
        )
    )
    for answer_set in answers:
        for key, chosen in _choices_taken(live, answer_set):
            if key in stats:
                _count(live, stats[key], chosen)
    return Statistics(
        attempts=len(answers), questions=list(stats.values()), competencies=_competencies(stats)
    )


def _question_stat(quiz: Quiz, key: str) -> QuestionStat:
    block = quiz.blocks_by_key[key]
    question = quiz.scoring_question(key)
    texts = vocabulary.choice_texts(quiz, key)
    return QuestionStat(
        key=key,
        prompt=block.value["prompt"].source,
        kind=block.block_type,
        competencies=[c.strip() for c in block.value["competencies"].split(",") if c.strip()],
        choices=[ChoiceStat(c.id, texts[c.id], c.correct) for c in question.choices],
    )


def _choices_taken(quiz: Quiz, answer_set: dict):
    """(question key, answer) pairs; a scenario's path is walked step by step."""
    if quiz.is_branching:
        path = answer_set.get("path", [])
        yield from vocabulary.trail_followed(quiz.scoring_questions(), quiz.first_step, path)
    else:
        yield from answer_set.items()


def _taken(stat: QuestionStat, answer) -> Counter:
    """How often each choice was taken; for an ordering question, how often each item was put
    in its right place (every item is in every answer)."""
    if stat.kind == "ordering":
        placed = answer if isinstance(answer, list) else []
        right = [c.id for c in stat.choices]
        return Counter(
            item for item, expected in zip(placed, right, strict=False) if item == expected
        )
    given = answer if isinstance(answer, list) else [answer]
    return Counter(item for item in given if isinstance(item, str))


def _count(quiz: Quiz, stat: QuestionStat, answer) -> None:
    taken = _taken(stat, answer)
    for choice in stat.choices:
        choice.taken += taken.get(choice.id, 0)
    stat.answered += 1
    if stat.kind == "step":
        best = max(
            c.points.get(d, 0)
            for c in quiz.scoring_question(stat.key).choices
            for d in quiz.dimension_list
        )
        chosen = quiz.scoring_question(stat.key).choice(answer) if isinstance(answer, str) else None
        stat.full_marks += bool(chosen and max(chosen.points.values(), default=0) >= best)
        return
    try:
        score = scoring.score_question(quiz.scoring_question(stat.key), answer)
    except scoring.AnswerError:
        return
    stat.full_marks += all(score.earned[d] == score.possible[d] for d in score.possible)


def _competencies(stats: dict) -> list[tuple[str, int, int]]:
    missed, asked = defaultdict(int), defaultdict(int)
    for stat in stats.values():
        for competency in stat.competencies:
            asked[competency] += stat.answered
            missed[competency] += stat.answered - stat.full_marks
    return sorted(((c, missed[c], asked[c]) for c in asked), key=lambda row: -row[1])


def scenario_paths(*, quiz: Quiz) -> list[dict]:
    """Every route from a scenario's first step to an ending, with its percent per dimension
    (in the quiz's order), whether it passes, and whether it passes although it takes a
    critical choice or one that costs rights (`questionable`). Empty for other quizzes and for
    a revision that breaks the quiz rules (its graph may loop)."""
    if not quiz.is_branching or validation.faults(quiz.for_validation()):
        return []
    dimensions = quiz.dimension_list
    texts = {key: vocabulary.choice_texts(quiz, key) for key in quiz.blocks_by_key}
    rows = []
    for found in audit.audit_paths(
        quiz.scoring_questions(),
        quiz.first_step,
        pass_mark=quiz.pass_mark,
        pass_on=quiz.pass_on_list,
    ):
        rows.append(
            {
                "choices": [texts[step][choice] for step, choice in found.taken],
                "steps": [step for step, _choice in found.taken],
                "percent": [found.percent.get(d, 0) for d in dimensions],
                "passed": found.passed,
                "critical": bool(found.critical),
                "negative_rights": audit.RIGHTS in found.negative,
                "questionable": found.questionable,
            }
        )
    return rows


@dataclass(frozen=True)
class Outcome:
    """One answer of a graded attempt, as the dashboards count it: the question, whether it
    earned full marks, its competency tags and, at a scenario's step, the choice taken and
    whether that choice is critical."""

    key: str
    full_marks: bool
    competencies: tuple[str, ...]
    choice: str = ""
    critical: bool = False


def competency_tags(quiz: Quiz, key: str) -> tuple[str, ...]:
    """A question's competency tags, lower case, in the order written."""
    text = quiz.blocks_by_key[key].value.get("competencies") or ""
    tags = (tag.strip().lower() for tag in str(text).split(","))
    return tuple(dict.fromkeys(tag for tag in tags if tag))


def attempt_outcomes(quiz: Quiz, answers: dict) -> list[Outcome]:
    """The answered questions of a graded attempt on `quiz` (the revision it was taken on);
    a scenario's steps along its path. Full marks as the quiz statistics count them."""
    if not isinstance(answers, dict):
        return []
    found = []
    for key, answer in _choices_taken(quiz, answers):
        if key not in quiz.blocks_by_key or answer in (None, "", []):
            continue
        question = quiz.scoring_question(key)
        if question.kind == "step":
            chosen = question.choice(answer)
            best = max(c.points.get(d, 0) for c in question.choices for d in quiz.dimension_list)
            full = max(chosen.points.values(), default=0) >= best
            found.append(
                Outcome(key, full, competency_tags(quiz, key), answer, bool(chosen.critical))
            )
            continue
        try:
            score = scoring.score_question(question, answer)
        except scoring.AnswerError:
            continue
        full = all(score.earned[d] == score.possible[d] for d in score.possible)
        found.append(Outcome(key, full, competency_tags(quiz, key)))
    return found
