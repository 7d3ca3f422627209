"""Keep the dashboards' summary tables (`LearnerProgress`, `CompletionMonth`) up to date,
with those of the graded attempts (`outcomes`) and of the programme results (`results`).

Every service that records an event (an enrolment, a lesson or course completed, online or in
class, a final quiz graded, a learner added to a cohort, a cohort's trainer or programme, a
membership changed) calls `progress_refresh` for the learners it touched, inside its own
transaction: their progress rows are recomputed from the records, and the monthly counts move
by the difference between the old rows and the new. `rebuild` computes every row the same way.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import nullcontext

from django.db import connection, transaction
from django.db.models import Max

from assessments.models import Attempt
from cms.accounts.models import Membership

from ..models import (
    CohortMember,
    CompletionMonth,
    CourseCompletion,
    CoursePage,
    Enrolment,
    LearnerProgress,
    LessonCompletion,
    TrainerCertification,
)
from . import outcomes, results
from .bulk import insert as insert_in_bulk
from .deltas import changes

CHUNK = 500
FIELDS = (
    "organisation_id",
    "country",
    "cohort_id",
    "trainer_id",
    "programme_id",
    "enrolled_at",
    "lessons_done",
    "completed_at",
    "last_activity_at",
    "last_lesson_id",
)
KEYS = (
    "level",
    "course_id",
    "organisation_key",
    "country",
    "cohort_key",
    "trainer_key",
    "programme_key",
    "month",
)
# A progress row as written in bulk.
ROW = ("user_id", "course_id", *FIELDS)
MONTH = KEYS.index("month")
COUNTS = ("enrolments", "completed", "completions")


def month_of(moment: datetime.datetime) -> datetime.date:
    """The first day of the month of `moment`, in UTC."""
    return moment.astimezone(datetime.UTC).date().replace(day=1)


def coarse_keys(fine: tuple) -> Iterator[tuple]:
    """The keys (`KEYS`, without `level`'s value `FINE`) of the rows at every level that a fine
    row's key stands in: itself, its course and country that month, its course, organisation,
    country and programme over all time, its course that month, every key but the month over
    all time, and its course and organisation, and its course and country, over all time."""
    course, organisation, country, cohort, trainer, programme, month = fine
    every_time = CompletionMonth.ALL_TIME_MONTH
    yield (CompletionMonth.FINE, *fine)
    yield (CompletionMonth.COUNTRY, course, 0, country, 0, 0, 0, month)
    yield (CompletionMonth.COURSE, course, 0, "", 0, 0, 0, month)
    yield (
        CompletionMonth.EVERY_KEY,
        course,
        organisation,
        country,
        cohort,
        trainer,
        programme,
        every_time,
    )
    yield (
        CompletionMonth.ALL_TIME,
        course,
        organisation,
        country,
        0,
        0,
        programme,
        CompletionMonth.ALL_TIME_MONTH,
    )
    yield (CompletionMonth.ORGANISATION, course, organisation, "", 0, 0, 0, every_time)
    yield (CompletionMonth.COUNTRY_ALL_TIME, course, 0, country, 0, 0, 0, every_time)


def contributions(row: LearnerProgress) -> Counter:
    """What one progress row adds to the monthly counts at every level, keyed by `KEYS` then
    count name."""
    return _at_every_level(_fine_counts(row, Counter()))


def _fine_counts(row: LearnerProgress, into: Counter) -> Counter:
    """What a progress row adds to the counts of its fine key (`KEYS` but `level`)."""
    dims = (
        row.course_id,
        row.organisation_id or 0,
        row.country,
        row.cohort_id or 0,
        row.trainer_id or 0,
        row.programme_id or 0,
    )
    into[(*dims, month_of(row.enrolled_at), "enrolments")] += 1
    if row.completed_at:
        into[(*dims, month_of(row.enrolled_at), "completed")] += 1
        into[(*dims, month_of(row.completed_at), "completions")] += 1
    return into


def _at_every_level(fine: Counter, into: Counter | None = None) -> Counter:
    """Fine counts added to the counts of every level their keys stand in."""
    added = Counter() if into is None else into
    for (*key, name), amount in fine.items():
        for keys in coarse_keys(tuple(key)):
            added[(*keys, name)] += amount
    return added


def progress_rows(user_ids: list[int]) -> Iterator[LearnerProgress]:
    """The progress rows of these learners, computed from the records in six queries."""
    enrolments = Enrolment.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "course_id", "enrolled_at"
    )
    members = dict(
        (user_id, (organisation_id, country))
        for user_id, organisation_id, country in Membership.objects.filter(
            user_id__in=user_ids, status=Membership.Status.VERIFIED
        ).values_list("user_id", "organisation_id", "organisation__country")
    )
    # Oldest first, so that the last row of a course is the lesson completed last.
    lessons: dict[tuple, tuple] = {}
    for user_id, course_id, lesson_id, at in (
        LessonCompletion.objects.filter(user_id__in=user_ids)
        .order_by("completed_at", "pk")
        .values_list("user_id", "course_id", "lesson_id", "completed_at")
    ):
        done = lessons.get((user_id, course_id), (0,))[0]
        lessons[user_id, course_id] = (done + 1, at, lesson_id)
    completed = {
        (user_id, course_id): at
        for user_id, course_id, at in CourseCompletion.objects.filter(
            user_id__in=user_ids
        ).values_list("user_id", "course_id", "completed_at")
    }
    cohorts = {
        (user_id, course_id): (cohort_id, trainer_id, programme_id)
        for user_id, course_id, cohort_id, trainer_id, programme_id in CohortMember.objects.filter(
            user_id__in=user_ids
        )
        .order_by("cohort_id")
        .values_list(
            "user_id",
            "cohort__course_id",
            "cohort_id",
            "cohort__trainer_id",
            "cohort__programme_id",
        )
    }
    attempts = _final_quiz_activity(user_ids)
    for user_id, course_id, enrolled_at in enrolments:
        key = (user_id, course_id)
        organisation_id, country = members.get(user_id, (None, ""))
        cohort_id, trainer_id, programme_id = cohorts.get(key, (None, None, None))
        done, last_lesson, lesson_id = lessons.get(key, (0, None, None))
        moments = [enrolled_at, last_lesson, completed.get(key), attempts.get(key)]
        yield LearnerProgress(
            user_id=user_id,
            course_id=course_id,
            organisation_id=organisation_id,
            country=country or "",
            cohort_id=cohort_id,
            trainer_id=trainer_id,
            programme_id=programme_id,
            enrolled_at=enrolled_at,
            lessons_done=done,
            completed_at=completed.get(key),
            last_activity_at=max(m for m in moments if m is not None),
            last_lesson_id=lesson_id,
        )


def _final_quiz_activity(user_ids: list[int]) -> dict:
    """The last graded attempt at each course's final quiz, by learner and course."""
    courses_by_quiz: dict[int, list[int]] = {}
    for course_id, quiz_id in CoursePage.objects.filter(final_quiz__isnull=False).values_list(
        "pk", "final_quiz_id"
    ):
        courses_by_quiz.setdefault(quiz_id, []).append(course_id)
    last = {}
    for row in (
        Attempt.objects.filter(
            user_id__in=user_ids, quiz_id__in=courses_by_quiz, submitted_at__isnull=False
        )
        .values("user_id", "quiz_id")
        .annotate(at=Max("submitted_at"))
        .order_by()
    ):
        for course_id in courses_by_quiz[row["quiz_id"]]:
            last[row["user_id"], course_id] = row["at"]
    return last


def _same(a: LearnerProgress, b: LearnerProgress) -> bool:
    return all(getattr(a, field) == getattr(b, field) for field in FIELDS)


def progress_refresh(*, user_ids: Iterable[int]) -> None:
    """Recompute these learners' progress rows and move the monthly counts by the change.
    Runs in the caller's transaction (or its own)."""
    user_ids = sorted(set(user_ids))
    with transaction.atomic():
        for chunk in _chunks(user_ids):
            _refresh_chunk(chunk)


def _refresh_chunk(user_ids: list[int]) -> None:
    old = {
        (row.user_id, row.course_id): row
        for row in LearnerProgress.objects.filter(user_id__in=user_ids)
    }
    new = {(row.user_id, row.course_id): row for row in progress_rows(user_ids)}
    delta, changed, gone = changes(old, new, same=_same, contributions=contributions)
    if gone:
        LearnerProgress.objects.filter(pk__in=[row.pk for row in gone]).delete()
    if changed:
        LearnerProgress.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["user", "course"],
            update_fields=list(FIELDS),
        )
    _apply(delta)
    outcomes.outcomes_refresh(user_ids)
    results.learners_refresh(user_ids)


def progress_forget(*, user_ids: Iterable[int]) -> None:
    """Take people about to be deleted out of the summaries: their progress rows, and what
    those rows added to the monthly counts."""
    user_ids = list(user_ids)
    with transaction.atomic():
        rows = list(LearnerProgress.objects.filter(user_id__in=user_ids))
        delta = Counter()
        for row in rows:
            delta.subtract(contributions(row))
        LearnerProgress.objects.filter(pk__in=[row.pk for row in rows]).delete()
        _apply(delta)
        outcomes.outcomes_forget(user_ids)
        results.learners_forget(user_ids)


def _apply(delta: Counter) -> None:
    """Add `delta` to the monthly counts in one upsert, and drop rows left empty."""
    rows: dict[tuple, list[int]] = {}
    for (*keys, name), amount in delta.items():
        if amount:
            rows.setdefault(tuple(keys), [0, 0, 0])[COUNTS.index(name)] += amount
    if not rows:
        return
    table = connection.ops.quote_name(CompletionMonth._meta.db_table)
    columns = ", ".join(KEYS + COUNTS)
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNTS)
    # Names from this module, values as parameters.
    marks = ", ".join(["%s"] * (len(KEYS) + len(COUNTS)))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}) "  # noqa: S608
    sql += f"ON CONFLICT ({', '.join(KEYS)}) DO UPDATE SET {updates}"
    adapt = connection.ops.adapt_datefield_value
    params = [(*k[:MONTH], adapt(k[MONTH]), *counts) for k, counts in rows.items()]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    CompletionMonth.objects.filter(
        course_id__in={k[KEYS.index("course_id")] for k in rows},
        month__in={k[MONTH] for k in rows},
        enrolments=0,
        completed=0,
        completions=0,
    ).delete()


def rebuild(*, bulk: bool = False) -> int:
    """Rewrite the summary tables from the records: progress and monthly counts, then the
    graded attempts' outcomes and their counts (which read the progress rows), then the
    programme results, and which trainer certification is each person's latest. Returns the
    number of progress rows. `bulk`: for a population just written, whose pages nobody reads
    yet, the summary tables' indexes are built once their rows are written
    (`outcomes.indexes_set_aside`)."""
    user_ids = sorted(set(Enrolment.objects.values_list("user_id", flat=True).distinct()))
    fine = Counter()
    written = 0
    progress = (LearnerProgress, CompletionMonth)
    with transaction.atomic():
        with outcomes.indexes_set_aside(progress) if bulk else nullcontext():
            for model in progress:
                model.objects.all().delete()
            for chunk in _chunks(user_ids):
                rows = list(progress_rows(chunk))
                # Added up by fine key first: the rows of a course, place and month share it.
                for row in rows:
                    _fine_counts(row, fine)
                written += insert_in_bulk(LearnerProgress, ROW, _values(rows, ROW))
            insert_in_bulk(CompletionMonth, KEYS + COUNTS, _count_rows(_at_every_level(fine)))
        # The outcomes read the progress rows, with their indexes built again.
        with outcomes.indexes_set_aside() if bulk else nullcontext():
            outcomes.clear()
            counted = defaultdict(Counter)
            for chunk in _chunks(_graded_learners()):
                outcomes.rebuild_chunk(chunk, counted)
            outcomes.write_totals(counted)
        results.rebuild()
        TrainerCertification.mark_latest()
    return written


def _graded_learners() -> list[int]:
    graded = Attempt.objects.filter(status=Attempt.Status.SUBMITTED)
    return sorted(set(graded.order_by().values_list("user_id", flat=True).distinct()))


def _values(rows: list[LearnerProgress], names: tuple[str, ...]) -> Iterator[tuple]:
    for row in rows:
        yield tuple(getattr(row, name) for name in names)


def _count_rows(totals: Counter) -> Iterator[tuple]:
    """The monthly counts' rows: their `KEYS`, then their `COUNTS`."""
    rows: dict[tuple, list[int]] = {}
    for (*keys, name), amount in totals.items():
        rows.setdefault(tuple(keys), [0] * len(COUNTS))[COUNTS.index(name)] += amount
    for keys, counts in rows.items():
        yield (*keys, *counts)


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]
