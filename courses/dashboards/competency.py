"""Reads for the competency analytics, from their summary tables only (`CompetencyMonth`,
`QuestionMonth`, `ChoiceMonth`, `ScenarioMonth`, and `AttemptSummary` for the learners behind
a scenario's critical choices): what share of answers earned full marks per competency, the
questions most often missed, and the choices taken at each step of a branching scenario.

Every table is narrowed to the reader's scope by `scoped`, in one place, and then by the
filters the completion dashboard reads (`selectors.filters_from`), the period counting the
month an attempt was graded.
"""

import datetime
import json
import re
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.db.models import F, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language

from assessments import reports, vocabulary
from assessments.models import Quiz

from ..models import (
    AttemptSummary,
    ChoiceMonth,
    CompetencyMonth,
    CoursePage,
    QuestionMonth,
    ScenarioMonth,
)
from .selectors import (
    NONE,
    Filters,
    Scope,
    TableRows,
    dimension_labels,
    label_sql,
    paged_groups,
    quote,
)

TOP_DEFAULT = 10
TOP_MAX = 50
COMPETENCY = re.compile(r"^[\w][\w .\-]{0,59}$")
COLUMN = {
    "organisation": "organisation_key",
    "country": "country",
    "cohort": "cohort_key",
    "trainer": "trainer_key",
    "course": "course_key",
}


def scoped(rows, scope: Scope):
    """The rows of a competency summary table its reader may see: staff all, a coordinator
    those of their organisation, a programme coordinator those of the cohorts delivered under
    their programmes. The one place the scope meets these tables."""
    if scope.organisation_id is not None:
        rows = rows.filter(organisation_key=scope.organisation_id)
    if scope.programme_ids is not None:
        rows = rows.filter(cohort_key__in=_cohort_keys(programme_id__in=scope.programme_ids))
    return rows


def _cohort_keys(**lookup):
    from ..models import Cohort

    return Cohort.objects.filter(**lookup).values("pk")


def level(scope: Scope, filters: Filters, *, broken_down: bool = True) -> int:
    """The level of the counts (see `OutcomeKeys`) to read: 4 (quiz and course alone, fewest
    rows) when neither the scope nor the filters name an organisation, cohort, trainer or
    country; 1 (by country alone) when only a country is named; else 0. A scope that comes to
    narrow by anything else reads 0. Without a period, the same over all time (5, 3 and 2): a
    row per key rather than one per key and month. The breakdown counts only for a table
    `broken_down` by it: the questions most missed and the scenarios are the same figures
    whatever the competency table is broken down by."""
    narrowed = (
        scope.organisation_id is not None
        or scope.programme_ids is not None
        or (broken_down and filters.by in ("organisation", "cohort", "trainer"))
    )
    named = (filters.organisation, filters.cohort, filters.trainer, filters.programme)
    fine = narrowed or any(value is not None for value in named)
    monthly = filters.start is not None or filters.end is not None
    if not fine and filters.country is None and not (broken_down and filters.by == "country"):
        return 4 if monthly else 5
    return (0 if fine else 1) + (0 if monthly else 2)


def _attempts(scope: Scope, filters: Filters):
    """The graded attempts (`AttemptSummary`) in scope and filters, the period counting the
    moment each was graded."""
    rows = scoped(AttemptSummary.objects.all(), scope)
    for name in ("organisation", "country", "cohort", "trainer"):
        value = getattr(filters, name)
        if value is not None:
            rows = rows.filter(**{COLUMN[name]: value})
    if filters.programme:
        rows = rows.filter(cohort_key__in=_cohort_keys(programme_id=filters.programme))
    elif filters.programme == 0:
        rows = rows.exclude(cohort_key__in=_cohort_keys(programme_id__isnull=False))
    if filters.course is not None:
        rows = rows.filter(course_key=filters.course)
    if filters.start:
        rows = rows.filter(submitted_at__gte=_utc(filters.start))
    if filters.end:
        rows = rows.filter(submitted_at__lt=_utc(_next_month(filters.end)))
    return rows


def _counts(model, scope: Scope, filters: Filters, *, broken_down: bool | None = None):
    """The rows of a count table (`CompetencyMonth`, `QuestionMonth`, `ChoiceMonth`,
    `ScenarioMonth`) in the reader's scope and filters, at the level that holds them
    (`broken_down` by the breakdown: the competency table is, unless told otherwise)."""
    if broken_down is None:
        broken_down = model is CompetencyMonth
    rows = TableRows(model).add("level = %s", level(scope, filters, broken_down=broken_down))
    if scope.organisation_id is not None:
        rows.add("organisation_key = %s", scope.organisation_id)
    if scope.programme_ids is not None:
        rows.add(f"cohort_key IN ({_cohorts_sql('IN (%s)')})", list(scope.programme_ids))
    for name in ("organisation", "country", "cohort", "trainer"):
        value = getattr(filters, name)
        if value is not None:
            rows.add(f"{quote(COLUMN[name])} = %s", value)
    if filters.programme:
        rows.add(f"cohort_key IN ({_cohorts_sql('= %s')})", filters.programme)
    elif filters.programme == 0:
        rows.add(f"cohort_key NOT IN ({_cohorts_sql('IS NOT NULL')})")
    if filters.course is not None:
        rows.add("course_key = %s", filters.course)
    adapt = connection.ops.adapt_datefield_value
    if filters.start:
        rows.add("month >= %s", adapt(filters.start))
    if filters.end:
        rows.add("month <= %s", adapt(filters.end))
    return rows


def _cohorts_sql(programme: str) -> str:
    """The cohorts whose programme is as `programme` says (`= %s`, say), as SQL."""
    from ..models import Cohort

    column = quote(Cohort._meta.get_field("programme").column)
    return f"SELECT id FROM {quote(Cohort._meta.db_table)} WHERE {column} {programme}"  # noqa: S608


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def _utc(day: datetime.date) -> datetime.datetime:
    """Months are counted in UTC, as the summaries file them."""
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Focus:
    """What the competency page adds to the dashboards' filters: a competency whose questions
    to list, and how many questions to list."""

    competency: str = ""
    top: int = TOP_DEFAULT

    def params(self) -> dict:
        return {
            "competency": self.competency or None,
            "top": self.top if self.top != TOP_DEFAULT else None,
        }


def focus_from(params) -> Focus:
    """The competency and number of questions asked for; anything malformed is not found."""
    competency = (params.get("competency") or "").strip().lower()
    if competency and not COMPETENCY.match(competency):
        raise Http404
    top = params.get("top") or str(TOP_DEFAULT)
    if not top.isdigit() or len(top) > 3 or not 1 <= int(top) <= TOP_MAX:
        raise Http404
    return Focus(competency=competency, top=int(top))


@dataclass
class CompetencyRow:
    competency: str
    key: object
    label: str
    param: object
    answers: int
    full_marks: int

    @property
    def missed(self) -> int:
        return self.answers - self.full_marks

    @property
    def share(self) -> float:
        return self.full_marks / self.answers if self.answers else 0.0


@dataclass
class CompetencyTotal:
    competency: str
    answers: int = 0
    full_marks: int = 0

    @property
    def share(self) -> float:
        return self.full_marks / self.answers if self.answers else 0.0


def competency_table(*, scope: Scope, filters: Filters) -> list[CompetencyRow]:
    """Answers and full marks per competency and the chosen breakdown. Two queries (one when
    broken down by country)."""
    return [CompetencyRow(*found) for found in _competency_groups(scope, filters)]


def _competency_groups(
    scope: Scope, filters: Filters, *, competencies: list[str] | None = None
) -> list[tuple]:
    """`competency_table`'s rows (of `competencies` only, if given) as tuples of
    `CompetencyRow`'s fields, in its order: by country, hundreds of them sorted by name in the
    reader's language, and a page of the table makes rows of the fifty it shows."""
    keys = f"competency, {quote(COLUMN[filters.by])}"
    counts = _counts(CompetencyMonth, scope, filters)
    if competencies is not None:
        counts.add("competency IN (%s)", competencies)
    found = counts.read(
        f"{keys}, SUM(answers), SUM(full_marks)", group=keys, having="SUM(answers) > 0"
    )
    labels = _labels(filters.by, {row[1] for row in found})
    rows = [
        (competency, key, *labels[key], answers, full) for competency, key, answers, full in found
    ]
    rows.sort(key=lambda r: (r[0], str(r[2]).casefold()))
    return rows


def _labels(by: str, keys: set) -> dict:
    if by != "course":
        return dimension_labels(by, keys)
    from django.utils.translation import gettext as _

    labels = {0: (_("No course"), NONE)}
    for pk, title in CoursePage.objects.filter(pk__in=[k for k in keys if k]).values_list(
        "pk", "title"
    ):
        labels[pk] = (title, pk)
    return labels


def _named_in_python_page(
    scope: Scope, filters: Filters, *, offset: int, limit: int
) -> tuple[list[CompetencyRow], int, list[CompetencyTotal]]:
    """`competency_page` by country or course, whose rows are ordered by names the database
    does not hold (countries in the reader's language): the rows of each competency are
    counted first (with their totals, on PostgreSQL), then only the competencies the page
    reaches are read, named and sorted, as `_competency_groups` sorts them. Two queries (and
    the totals, on SQLite). By country, staff's table holds a thousand rows, of which a page
    shows fifty."""
    # A row of the table is a group of counts with answers; counts are never negative, so
    # each competency has as many rows as distinct keys among its counts with answers.
    column = quote(COLUMN[filters.by])
    counts = _counts(CompetencyMonth, scope, filters).add("answers > 0")
    if connection.vendor == "postgresql":
        # Grouped by key, then by competency: PostgreSQL hashes both groupings, where it
        # sorted every count for COUNT(DISTINCT) (0.8 ms rather than 1.4 for staff). A
        # competency's totals are the sums of its rows: summed on the way, they cost no
        # query of their own (`competency_totals` reads the same from coarser counts).
        inner, params = counts.select(
            f"competency, {column}, SUM(answers) AS answers, SUM(full_marks) AS full_marks",
            group=f"competency, {column}",
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT competency, COUNT(*), SUM(answers), SUM(full_marks)"  # noqa: S608
                f" FROM ({inner}) g GROUP BY competency",
                params,
            )
            counted = sorted(cursor.fetchall())
        totals = _weakest_first(
            CompetencyTotal(name, int(answers), int(full)) for name, _rows, answers, full in counted
        )
    else:
        # SQLite counts the distinct keys of a competency as it goes (grouping twice took a
        # third longer), and reads the totals from the coarser counts quicker than it sums
        # them here.
        counted = sorted(counts.read(f"competency, COUNT(DISTINCT {column})", group="competency"))
        totals = competency_totals(scope=scope, filters=filters)
    wanted, first, start = [], None, 0
    for competency, rows, *_sums in counted:
        if start < offset + limit and start + rows > offset:
            wanted.append(competency)
            first = start if first is None else first
        start += rows
    if not wanted:
        return [], start, totals
    found = _competency_groups(scope, filters, competencies=wanted)
    page = [CompetencyRow(*row) for row in found[offset - first : offset - first + limit]]
    return page, start, totals


def competency_page(
    *, scope: Scope, filters: Filters, offset: int, limit: int
) -> tuple[list[CompetencyRow], int, list[CompetencyTotal]]:
    """The rows `offset` to `offset + limit` of `competency_table`, its row count and every
    competency's totals (`competency_totals`). By organisation, cohort or trainer (thousands
    of rows across organisations) the rows are grouped, named, ordered and cut in the
    database, so that the page builds the fifty it shows (one query, and one for the
    totals); by country or course (named in the reader's language), only the competencies
    the page reaches are read (`_named_in_python_page`)."""
    if filters.by not in ("organisation", "cohort", "trainer"):
        return _named_in_python_page(scope, filters, offset=offset, limit=limit)
    column = COLUMN[filters.by]
    keys = f"competency, {quote(column)}"
    inner, params = _counts(CompetencyMonth, scope, filters).select(
        f"{keys}, SUM(answers) AS answers, SUM(full_marks) AS {quote('full')}",
        group=keys,
        having="SUM(answers) > 0",
    )
    key = f"g.{quote(column)}"
    joins, label, param = label_sql(filters.by)
    found, (count,) = paged_groups(
        inner,
        params,
        columns=f"g.competency, {key}, g.answers, g.full, {label}, {param}",
        joins=joins.format(key=key),
        order=f"g.competency, ({label}) IS NULL, LOWER({label}), {key}",
        totals=("COUNT(*)",),
        limit=limit,
        offset=offset,
    )
    nobody = dimension_labels(filters.by, set())[0]
    rows = [
        CompetencyRow(
            competency=competency,
            key=row_key,
            label=(shown if shown is not None else str(row_key)) if row_key else nobody[0],
            param=shown_param if row_key else NONE,
            answers=int(answers),
            full_marks=int(full),
        )
        for competency, row_key, answers, full, shown, shown_param, _count in found
    ]
    return rows, count, competency_totals(scope=scope, filters=filters)


def competency_totals(*, scope: Scope, filters: Filters) -> list[CompetencyTotal]:
    """Each competency's answers over every row of the table, weakest first: read from the
    coarsest counts that hold them, whatever the table is broken down by. One query."""
    return _weakest_first(
        CompetencyTotal(name, int(answers), int(full))
        for name, answers, full in _counts(CompetencyMonth, scope, filters, broken_down=False).read(
            "competency, SUM(answers), SUM(full_marks)",
            group="competency",
            having="SUM(answers) > 0",
        )
    )


def _weakest_first(totals) -> list[CompetencyTotal]:
    return sorted(totals, key=lambda t: (t.share, t.competency))


# The quizzes as the analytics last read them, by id: each with the words it was built from, so
# that a quiz whose title or questions changed in any way is read afresh.
_read_quizzes: dict[int, tuple[tuple, Quiz]] = {}


class Quizzes:
    """The quizzes in the site's source language, read in one query, each parsed only when a
    figure needs its questions. A quiz unchanged since an earlier view is the copy parsed
    then, kept by the process: parsing every quiz's questions took a fifth of the page."""

    def __init__(self):
        self.by_pk = {}
        from wagtail.models import Locale

        quiz = Quiz._meta
        questions, params = "CAST(q.questions AS TEXT)", []
        if connection.vendor == "postgresql":
            # PostgreSQL gives each version of a row its own `xmin` (every update moves it):
            # with it among the words, a quiz's questions are sent only when this process has
            # not read that version. Sending every quiz's questions as text, to compare them,
            # took 2.7 ms of each view.
            known = [f"{pk}:{words[0]}" for pk, (words, _quiz) in _read_quizzes.items()]
            questions = (
                "CAST(q.xmin AS TEXT), CASE WHEN CAST(q.id AS TEXT) || ':' ||"
                f" CAST(q.xmin AS TEXT) = ANY(CAST(%s AS TEXT[])) THEN NULL ELSE {questions} END"
            )
            params.append(known)
        sql = (
            f"SELECT q.id, q.title, q.slug, q.dimensions, {questions}"  # noqa: S608
            f" FROM {quote(quiz.db_table)} q JOIN {quote(Locale._meta.db_table)} l"
            f" ON l.id = q.{quote(quiz.get_field('locale').column)} WHERE l.language_code = %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, settings.LANGUAGE_CODE])
            rows = cursor.fetchall()
        for pk, title, slug, dimensions, *version, text in rows:
            # The words a copy is kept by: the row's version first, where there is one.
            words = (*version, title, slug, dimensions, *([] if version else [text]))
            kept = _read_quizzes.get(pk)
            if kept is None or kept[0] != words:
                if text is None and version:  # a version read before, since forgotten
                    text = Quiz.objects.values_list(Cast("questions", TextField())).get(pk=pk)[0]
                quiz = Quiz(pk=pk, title=title, slug=slug, dimensions=dimensions)
                quiz.questions = json.loads(text or "[]")
                kept = _read_quizzes[pk] = (words, quiz)
            self.by_pk[pk] = kept[1]

    def tagged(self, competency: str) -> dict[int, list[str]]:
        """The questions tagged with `competency`, by quiz."""
        found = {}
        for pk, quiz in self.by_pk.items():
            keys = [
                key
                for key in quiz.blocks_by_key
                if competency in reports.competency_tags(quiz, key)
            ]
            if keys:
                found[pk] = keys
        return found

    def prompt(self, quiz_id: int, key: str) -> str:
        quiz = self.by_pk.get(quiz_id)
        if quiz is None or key not in quiz.blocks_by_key:
            return key
        source = quiz.blocks_by_key[key].value["prompt"]
        text = source.source if hasattr(source, "source") else str(source)
        return _plain_prompt(text, get_language())

    def title(self, quiz_id: int) -> str:
        quiz = self.by_pk.get(quiz_id)
        return quiz.title if quiz else ""

    def tags(self, quiz_id: int, key: str) -> tuple[str, ...]:
        quiz = self.by_pk.get(quiz_id)
        if quiz is None or key not in quiz.blocks_by_key:
            return ()
        return reports.competency_tags(quiz, key)


@lru_cache(maxsize=4096)
def _plain_prompt(source: str, language: str) -> str:
    """A question's prompt as plain text of at most 300 characters (the ellipsis is the
    language's). Kept per process by the prompt's own words, so an edited prompt is another
    entry: stripping the markup took a third of a millisecond a question, at every view."""
    return Truncator(strip_tags(source).strip()).chars(300)


@dataclass
class MissedQuestion:
    quiz_id: int
    quiz: str
    key: str
    prompt: str
    competencies: tuple
    answers: int
    full_marks: int

    @property
    def missed(self) -> int:
        return self.answers - self.full_marks

    @property
    def share_missed(self) -> float:
        return self.missed / self.answers if self.answers else 0.0


def missed_questions(
    *, scope: Scope, filters: Filters, focus: Focus, quizzes: Quizzes
) -> list[MissedQuestion]:
    """The `focus.top` questions answered without full marks most often (of those tagged with
    `focus.competency`, if given). One query."""
    rows = _counts(QuestionMonth, scope, filters)
    if focus.competency:
        tagged = quizzes.tagged(focus.competency)
        if not tagged:
            return []
        either = " OR ".join(["(quiz_id = %s AND question IN (%s))"] * len(tagged))
        rows.add(f"({either})", *(v for quiz_id, keys in tagged.items() for v in (quiz_id, keys)))
    missed = "SUM(answers) - SUM(full_marks)"
    found = rows.read(
        "quiz_id, question, SUM(answers), SUM(full_marks)",
        group="quiz_id, question",
        having=f"{missed} > 0",
        order=f"{missed} DESC, quiz_id, question",
        limit=focus.top,
    )
    return [
        MissedQuestion(
            quiz_id=quiz_id,
            quiz=quizzes.title(quiz_id),
            key=question,
            prompt=quizzes.prompt(quiz_id, question),
            competencies=quizzes.tags(quiz_id, question),
            answers=int(answers),
            full_marks=int(full),
        )
        for quiz_id, question, answers, full in found
    ]


@dataclass
class ChoiceTaken:
    id: str
    text: str
    critical: bool
    taken: int
    share: float


@dataclass
class Step:
    key: str
    prompt: str
    answers: int
    choices: list[ChoiceTaken]


@dataclass
class Scenario:
    quiz_id: int
    title: str
    learners: int
    critical_learners: int
    steps: list[Step]

    @property
    def critical_share(self) -> float:
        return self.critical_learners / self.learners if self.learners else 0.0


def scenarios(*, scope: Scope, filters: Filters, quizzes: Quizzes) -> list[Scenario]:
    """Per branching scenario: learners who took it, those who failed on a critical choice,
    and at each step (in the scenario's order) the choices taken, most taken first. One
    query: the choices' counts, then each scenario's learners as rows without a step."""
    choices, params = _counts(ChoiceMonth, scope, filters).select(
        "quiz_id, step, choice, SUM(taken), NULL",
        group="quiz_id, step, choice",
        having="SUM(taken) > 0",
    )
    # Grouped by the quiz as a sum (`+ 0`): grouped by its column, SQLite read every
    # organisation's rows along the index by quiz rather than sort a coordinator's few.
    people, more = _counts(ScenarioMonth, scope, filters).select(
        "quiz_id + 0, NULL, NULL, SUM(learners), SUM(critical_learners)", group="quiz_id + 0"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"{choices} UNION ALL {people}", [*params, *more])
        found = cursor.fetchall()
    learners: dict[int, tuple[int, int]] = {}
    taken: dict[int, dict[str, dict[str, int]]] = {}
    for quiz_id, step, choice, times, critical in found:
        if step is None:
            learners[quiz_id] = (int(times), int(critical))
        else:
            taken.setdefault(quiz_id, {}).setdefault(step, {})[choice] = int(times)
    shown = []
    for quiz_id, steps in taken.items():
        quiz = quizzes.by_pk.get(quiz_id)
        if quiz is None:
            continue
        total, critical = learners.get(quiz_id, (0, 0))
        shown.append(
            Scenario(
                quiz_id=quiz_id,
                title=quiz.title,
                learners=total,
                critical_learners=critical,
                steps=_steps(quiz, quizzes, steps),
            )
        )
    return sorted(shown, key=lambda s: s.title.casefold())


# Each scenario's steps as the figures name them, by quiz and language: kept with the copy of
# the quiz they were read from (`_read_quizzes`), so that a changed quiz is read afresh.
_step_words: dict[tuple[int, str], tuple[Quiz, dict]] = {}


def _words_of_steps(quiz, quizzes: Quizzes) -> dict[str, tuple[str, list[tuple]]]:
    """Step key -> its prompt and its choices (id, text, critical), in the scenario's order:
    reading them from the quiz's blocks took a millisecond at every view."""
    key = (quiz.pk, get_language())
    kept = _step_words.get(key)
    if kept is None or kept[0] is not quiz:
        words = {}
        for step in quiz.blocks_by_key:
            texts = vocabulary.choice_texts(quiz, step)
            choices = [
                (choice.id, texts.get(choice.id, choice.id), bool(choice.critical))
                for choice in quiz.scoring_question(step).choices
            ]
            words[step] = (quizzes.prompt(quiz.pk, step), choices)
        kept = _step_words[key] = (quiz, words)
    return kept[1]


def _steps(quiz, quizzes: Quizzes, steps: dict[str, dict[str, int]]) -> list[Step]:
    rows = []
    for key, (prompt, shown) in _words_of_steps(quiz, quizzes).items():
        counts = steps.get(key)
        if not counts:
            continue
        answers = sum(counts.values())
        choices = [
            ChoiceTaken(
                id=choice_id,
                text=text,
                critical=critical,
                taken=counts.get(choice_id, 0),
                share=counts.get(choice_id, 0) / answers,
            )
            for choice_id, text, critical in shown
        ]
        choices.sort(key=lambda c: -c.taken)
        rows.append(Step(key, prompt, answers, choices))
    return rows


def critical_learners(*, scope: Scope, filters: Filters, quiz_id: int):
    """The learners behind a scenario's critical figure: each one's first graded attempt that
    took a critical choice, as `ScenarioMonth` counts them; the latest first, along the
    partial indexes of those attempts (ordering 50,000 learners by address took 80 ms)."""
    rows = _attempts(scope, filters).filter(first_critical=True)
    if scope.programme_ids is None:
        rows = rows.filter(quiz_id=quiz_id)
    else:
        # A programme's cohorts hold few of a scenario's attempts: they are found by cohort
        # (`attempt_critical_cohort`), then ordered. Compared as written, the quiz led SQLite
        # down the index of every cohort's attempts in order, past thousands of others.
        rows = rows.annotate(quiz_key=F("quiz_id") + 0).filter(quiz_key=quiz_id)
    # The learner's name and address joined in as values: fifty people made as models cost
    # more than the query.
    return rows.annotate(
        learner_first_name=F("user__first_name"),
        learner_last_name=F("user__last_name"),
        learner_email=F("user__email"),
    ).order_by("-submitted_at", "-attempt_id")


def critical_count(*, scope: Scope, filters: Filters, quiz_id: int) -> int:
    """How many rows `critical_learners` holds, read from the scenario's figure in
    `ScenarioMonth` (one row per key) rather than counted attempt by attempt."""
    rows = _counts(ScenarioMonth, scope, filters).add("quiz_id = %s", quiz_id)
    ((found,),) = rows.read("SUM(critical_learners)")
    return int(found or 0)
