"""Keep the competency analytics' summary tables up to date.

`AttemptSummary` holds one row per graded attempt: its answers' outcomes (read from the
attempt once, when it is graded) and where its learner belongs. The counts (`CompetencyMonth`,
`QuestionMonth`, `ChoiceMonth`, `ScenarioMonth`) are what a learner's rows add up to. Every
event that may change either (a graded attempt, a move to another organisation, cohort or
trainer) reaches `outcomes_refresh` through `summaries.progress_refresh`, inside its own
transaction: the learner's rows are recomputed, and the counts move by the difference between
what their old rows and their new ones add. `rebuild` computes every row the same way.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection

from assessments import reports
from assessments.models import Attempt, Quiz, quiz_at_revision
from assessments.validation import QuizBroken
from cms.accounts.models import Membership

from ..models import (
    AttemptSummary,
    ChoiceMonth,
    CompetencyMonth,
    CoursePage,
    LearnerProgress,
    QuestionMonth,
    ScenarioMonth,
)
from . import bulk

TABLES = {
    "competency": CompetencyMonth,
    "question": QuestionMonth,
    "choice": ChoiceMonth,
    "scenario": ScenarioMonth,
}
FIELDS = (
    "user_id",
    "quiz_id",
    "course_key",
    "organisation_key",
    "country",
    "cohort_key",
    "trainer_key",
    "submitted_at",
    "first_critical",
    "outcomes",
)
CHUNK = 500


def month_of(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(datetime.UTC).date().replace(day=1)


# The month of the counts kept over all time (levels 2 and 3): no learner's month.
ALL_TIME = datetime.date(1, 1, 1)


def levels(dims: tuple) -> tuple[tuple, ...]:
    """A count's keys at each level (see `OutcomeKeys`): every key; the country alone,
    without organisation, cohort and trainer; both again over all time (`ALL_TIME` for the
    month), for the pages read without a period; and quiz and course alone, by month and over
    all time, for the figures across every country."""
    quiz, course, _organisation, country, _cohort, _trainer, month = dims
    return (
        (*dims, 0),
        (quiz, course, 0, country, 0, 0, month, 1),
        (*dims[:-1], ALL_TIME, 2),
        (quiz, course, 0, country, 0, 0, ALL_TIME, 3),
        (quiz, course, 0, "", 0, 0, month, 4),
        (quiz, course, 0, "", 0, 0, ALL_TIME, 5),
    )


def contributions(rows: Iterable[AttemptSummary]) -> Counter:
    """What one learner's graded attempts add to the counts, keyed by table, its keys, then
    count name, at every level. Every answer counts; a scenario's learner counts once, in the
    month of their first attempt, and once more if they failed on a critical choice, in the
    month of the first attempt that took one."""
    tally = Tally()
    tally.learner(rows)
    return Counter(
        {
            (table, *level, *rest): amount
            for level, here in tally.totals().items()
            for (table, *rest), amount in here.items()
        }
    )


class Tally:
    """The answers of many learners added up by quiz, course, place and month first, and only
    then at each level (`levels`): a rebuild adds up millions of answers, and the learners of
    one place and month share their keys."""

    def __init__(self):
        self.by_dims: dict[tuple, Counter] = defaultdict(Counter)
        self.scenario_learners: Counter = Counter()
        self.critical_learners: Counter = Counter()

    def learner(self, rows: Iterable[AttemptSummary]) -> None:
        """Add one learner's graded attempts."""
        first: dict[int, tuple] = {}
        critical: dict[int, tuple] = {}
        for row in sorted(rows, key=lambda r: (r.submitted_at, r.attempt_id)):
            dims = levels(
                (
                    row.quiz_id,
                    row.course_key,
                    row.organisation_key,
                    row.country,
                    row.cohort_key,
                    row.trainer_key,
                    month_of(row.submitted_at),
                )
            )
            here = self.by_dims[dims]
            scenario = False
            for key, full, tags, choice, is_critical in row.outcomes:
                here["question", key, "answers"] += 1
                here["question", key, "full_marks"] += full
                for tag in tags.split(","):
                    if tag:
                        here["competency", tag, "answers"] += 1
                        here["competency", tag, "full_marks"] += full
                if choice:
                    here["choice", key, choice, "taken"] += 1
                    scenario = True
                    if is_critical:
                        critical.setdefault(row.quiz_id, dims)
            if scenario:
                first.setdefault(row.quiz_id, dims)
        self.scenario_learners.update(first.values())
        self.critical_learners.update(critical.values())

    def totals(self, into: dict[tuple, Counter] | None = None) -> dict[tuple, Counter]:
        """What the learners added add to the counts (added to `into` if given): by a level's
        keys (as `levels` gives them), then table, the table's other keys and count name. The
        tally is left empty, for the next learners."""
        totals = defaultdict(Counter) if into is None else into
        for name, learners in (
            ("learners", self.scenario_learners),
            ("critical_learners", self.critical_learners),
        ):
            for dims, amount in learners.items():
                self.by_dims[dims]["scenario", name] += amount
        # Levels 3 to 5 set aside level 1's month, country or both: added up from its totals,
        # which hold far fewer keys than the learners' rows.
        coarser: dict[tuple, tuple] = {}
        by_country_month: dict[tuple, Counter] = defaultdict(Counter)
        for dims, here in self.by_dims.items():
            for level in dims[:3]:
                totals[level].update(here)
            by_country_month[dims[1]].update(here)
            coarser[dims[1]] = dims[3:]
        for level, here in by_country_month.items():
            for above in coarser[level]:
                totals[above].update(here)
        self.by_dims.clear()
        return totals


def _source_quizzes(quiz_ids: set[int]) -> dict[int, int]:
    """Each quiz's own id, or for a translation the id of the quiz it translates."""
    found = dict(Quiz.objects.filter(pk__in=quiz_ids).values_list("pk", "translation_key"))
    sources = dict(
        Quiz.objects.filter(
            translation_key__in=set(found.values()),
            locale__language_code=settings.LANGUAGE_CODE,
        ).values_list("translation_key", "pk")
    )
    return {pk: sources.get(key, pk) for pk, key in found.items()}


def _courses_by_quiz(quiz_ids: set[int]) -> dict[int, int]:
    """The course each quiz is the final quiz of (the first, if several)."""
    found = {}
    for pk, quiz_id in (
        CoursePage.objects.filter(
            final_quiz_id__in=quiz_ids, locale__language_code=settings.LANGUAGE_CODE
        )
        .order_by("pk")
        .values_list("pk", "final_quiz_id")
    ):
        found.setdefault(quiz_id, pk)
    return found


def outcome_rows(user_ids: list[int], known: dict[int, list]) -> Iterator[AttemptSummary]:
    """The summary rows of these learners' graded attempts; `known` holds the outcomes already
    read (attempt id -> outcomes), which never change once an attempt is graded."""
    attempts = list(
        Attempt.objects.filter(user_id__in=user_ids, status=Attempt.Status.SUBMITTED).values_list(
            "pk", "user_id", "quiz_id", "revision_id", "submitted_at"
        )
    )
    if not attempts:
        return
    unread = [pk for pk, *_rest in attempts if pk not in known]
    answers = {}
    if unread:
        answers = {
            pk: (revision_id, given)
            for pk, revision_id, given in Attempt.objects.filter(pk__in=unread).values_list(
                "pk", "revision_id", "answers"
            )
        }
    sources = _source_quizzes({quiz_id for _pk, _u, quiz_id, _r, _s in attempts})
    courses = _courses_by_quiz(set(sources.values()))
    members = {
        user_id: (organisation_id, country or "")
        for user_id, organisation_id, country in Membership.objects.filter(
            user_id__in=user_ids, status=Membership.Status.VERIFIED
        ).values_list("user_id", "organisation_id", "organisation__country")
    }
    progress = {
        (user_id, course_id): (cohort_id, trainer_id, organisation_id, country)
        for user_id, course_id, cohort_id, trainer_id, organisation_id, country in (
            LearnerProgress.objects.filter(
                user_id__in=user_ids, course_id__in=set(courses.values())
            ).values_list(
                "user_id", "course_id", "cohort_id", "trainer_id", "organisation_id", "country"
            )
        )
    }
    rows = []
    for pk, user_id, quiz_id, _revision_id, submitted_at in attempts:
        quiz = sources.get(quiz_id, quiz_id)
        course = courses.get(quiz, 0)
        organisation, country = members.get(user_id, (None, ""))
        cohort, trainer, organisation, country = progress.get(
            (user_id, course), (None, None, organisation, country)
        )
        outcomes = known[pk] if pk in known else _read(*answers[pk])
        row = AttemptSummary(
            attempt_id=pk,
            user_id=user_id,
            quiz_id=quiz,
            course_key=course,
            organisation_key=organisation or 0,
            country=country or "",
            cohort_key=cohort or 0,
            trainer_key=trainer or 0,
            submitted_at=submitted_at,
            outcomes=outcomes,
        )
        rows.append(row)
    seen = set()
    for row in sorted(rows, key=lambda r: (r.submitted_at, r.attempt_id)):
        if any(outcome[4] for outcome in row.outcomes) and (row.user_id, row.quiz_id) not in seen:
            seen.add((row.user_id, row.quiz_id))
            row.first_critical = True
    yield from rows


_read_cache: dict[tuple, list] = {}


def _read(revision_id: int, answers) -> list:
    """The outcomes of one attempt's answers, as stored: read against the revision the
    attempt was taken on (a revision that breaks the quiz rules gives none). Many learners
    give the same answers: each answer set is read once per revision."""
    try:
        quiz = quiz_at_revision(revision_id)
    except QuizBroken:
        return []
    cache_key = (revision_id, repr(answers))
    if cache_key not in _read_cache:
        if len(_read_cache) > 50_000:
            _read_cache.clear()
        _read_cache[cache_key] = [
            [o.key, int(o.full_marks), ",".join(o.competencies), o.choice, int(o.critical)]
            for o in reports.attempt_outcomes(quiz, answers)
        ]
    return _read_cache[cache_key]


def _same(a: AttemptSummary, b: AttemptSummary) -> bool:
    return all(getattr(a, name) == getattr(b, name) for name in FIELDS)


def outcomes_refresh(user_ids: list[int]) -> None:
    """Recompute these learners' rows and move the counts by the change. In the caller's
    transaction."""
    old: dict[int, dict[int, AttemptSummary]] = defaultdict(dict)
    for row in AttemptSummary.objects.filter(user_id__in=user_ids):
        old[row.user_id][row.attempt_id] = row
    known = {pk: row.outcomes for rows in old.values() for pk, row in rows.items()}
    new: dict[int, dict[int, AttemptSummary]] = defaultdict(dict)
    for row in outcome_rows(user_ids, known):
        new[row.user_id][row.attempt_id] = row
    if not old and not new:
        return
    delta = Counter()
    changed, gone = [], []
    for user_id in old.keys() | new.keys():
        before, after = old.get(user_id, {}), new.get(user_id, {})
        moved = [row for pk, row in after.items() if pk not in before or not _same(before[pk], row)]
        dropped = [pk for pk in before if pk not in after]
        if not moved and not dropped:
            continue
        delta.subtract(contributions(before.values()))
        delta.update(contributions(after.values()))
        changed += moved
        gone += dropped
    if gone:
        AttemptSummary.objects.filter(pk__in=gone).delete()
    if changed:
        AttemptSummary.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["attempt"],
            update_fields=[name for name in FIELDS if name != "user_id"],
        )
    _apply(delta)


def outcomes_forget(user_ids: list[int]) -> None:
    """Take people about to be deleted out of the counts (their rows go with them)."""
    rows: dict[int, list] = defaultdict(list)
    for row in AttemptSummary.objects.filter(user_id__in=user_ids):
        rows[row.user_id].append(row)
    delta = Counter()
    for found in rows.values():
        delta.subtract(contributions(found))
    AttemptSummary.objects.filter(user_id__in=user_ids).delete()
    _apply(delta)


def _apply(delta: Counter) -> None:
    """Add `delta` to each count table in one upsert, and drop rows left empty."""
    by_table: dict[str, dict[tuple, list[int]]] = defaultdict(dict)
    for (table, *rest), amount in delta.items():
        if not amount:
            continue
        model = TABLES[table]
        *keys, name = rest
        counts = by_table[table].setdefault(tuple(keys), [0] * len(model.COUNTS))
        counts[model.COUNTS.index(name)] += amount
    for table, rows in by_table.items():
        model = TABLES[table]
        _upsert(model, rows)
        months = {keys[6] for keys in rows}
        model.objects.filter(
            quiz_id__in={keys[0] for keys in rows},
            month__in=months,
            **dict.fromkeys(model.COUNTS, 0),
        ).delete()


def _upsert(model, rows: dict[tuple, list[int]], *, add: bool = True) -> None:
    """Add `rows` (keys -> counts) to a count table, adding to the counts of rows already
    there (`add`), or into an empty table (a rebuild)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    keys = [model._meta.get_field(k.removesuffix("_id")).column for k in model.KEYS]
    columns = ", ".join(keys + list(model.COUNTS))
    adapt = connection.ops.adapt_datefield_value
    params = [(*k[:6], adapt(k[6]), *k[7:], *counts) for k, counts in rows.items()]
    if not add:
        bulk.write_rows(table, columns, params)
        return
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in model.COUNTS)
    marks = ", ".join(["%s"] * len(params[0]))
    # Names from the models, values as parameters.
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
        f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    )
    bulk.execute_in_batches(sql, params)


@contextmanager
def indexes_set_aside(models: Iterable | None = None) -> Iterator[None]:
    """The declared indexes (`Meta.indexes`) of `models` (by default the counts') dropped for
    a bulk write and built again once it is done, in the caller's transaction (a failure
    brings them back with the rest): building each once over a million rows is much quicker
    than keeping it row by row, as PostgreSQL's advice on populating a database has it. Unique
    constraints stay. For a population written anew (`generate_load_data`): meanwhile, a
    reader of these tables on PostgreSQL waits for the transaction."""
    # The statements alone: entered, SQLite's editor refuses to run inside a transaction.
    editor = connection.schema_editor()
    editor.deferred_sql = []
    models = TABLES.values() if models is None else models
    indexed = [(model, index) for model in models for index in model._meta.indexes]
    with connection.cursor() as cursor:
        for model, index in indexed:
            cursor.execute(str(index.remove_sql(model, editor)))
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # its deferred foreign key checks first
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for model, index in indexed:
            cursor.execute(str(index.create_sql(model, editor)))
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def clear() -> None:
    """Empty the tables for a rebuild, in one statement each (nothing hangs from them)."""
    for model in (AttemptSummary, *TABLES.values()):
        model.objects.all()._raw_delete(model.objects.db)


def rebuild_chunk(user_ids: list[int], totals: dict[tuple, Counter]) -> int:
    """Write these learners' rows (the tables cleared before) and add what they count to
    `totals` (as `Tally.totals` keys them). Returns the number of rows."""
    by_user: dict[int, list] = defaultdict(list)
    for row in outcome_rows(user_ids, {}):
        by_user[row.user_id].append(row)
    rows = [row for found in by_user.values() for row in found]
    tally = Tally()
    for found in by_user.values():
        tally.learner(found)
    tally.totals(into=totals)
    _insert_summaries(rows)
    return len(rows)


def _insert_summaries(rows: list[AttemptSummary]) -> None:
    """New rows, written in bulk: a rebuild writes hundreds of thousands."""
    names = ("attempt_id", *FIELDS)
    bulk.insert(AttemptSummary, names, (tuple(getattr(r, n) for n in names) for r in rows))


def write_totals(totals: dict[tuple, Counter]) -> None:
    """Write the counts a rebuild added up (`Tally.totals`) into the emptied tables."""
    by_table: dict[str, dict[tuple, list[int]]] = defaultdict(dict)
    for level, here in totals.items():
        for (table, *rest), amount in here.items():
            if not amount:
                continue
            model = TABLES[table]
            *keys, name = rest
            counts = by_table[table].setdefault((*level, *keys), [0] * len(model.COUNTS))
            counts[model.COUNTS.index(name)] += amount
    for table, rows in by_table.items():
        _upsert(TABLES[table], rows, add=False)
