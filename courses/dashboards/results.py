"""Keep the programme results' summary tables (`ProgrammeLearner`, `ProgrammeCount`) up to date.

A programme's results (`training.programme_selectors.programme_results` counts them from the
records) are distinct people: someone in two of its cohorts is trained once. So each person's
part is kept in `ProgrammeLearner` rows, one per programme and scope (everywhere, a country,
an organisation: where the cohort is), and the counts in `ProgrammeCount` are what those rows
add up to, with the cohorts delivered under the programme there. Every event that may change a
person's part (attendance taken, a course or track completed, a trainer certification
recorded, a learner added to a cohort, a cohort's programme or start changed, an organisation's
country) calls `learners_refresh` for them inside its own transaction (`summaries.
progress_refresh` does for the learning events): their rows are computed again from the
records and the counts move by the difference. A cohort delivered under a programme, or taken
out of it, calls `cohorts_refresh` for the programmes, which counts their cohorts again.
`rebuild` computes every row the same way.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import connection
from django.db.models import Exists, OuterRef

from cms.programs.results import ProgrammeResults

from ..models import (
    Attendance,
    Cohort,
    CohortMember,
    CourseCompletion,
    ProgrammeCount,
    ProgrammeLearner,
    TrainerCertification,
)
from . import bulk
from .deltas import changes

CHUNK = 500
EVERYWHERE, COUNTRY, ORGANISATION = (
    ProgrammeCount.EVERYWHERE,
    ProgrammeCount.COUNTRY,
    ProgrammeCount.ORGANISATION,
)
COUNTS = ProgrammeCount.COUNTS
OBSERVED = "observed_session__classroom_session__cohort__"


def scopes(programme_id: int, organisation_id: int, country: str) -> tuple[tuple, ...]:
    """The scopes (programme, level, organisation key, country) a cohort of `organisation_id`
    (in `country`) delivered under `programme_id` counts in."""
    return (
        (programme_id, EVERYWHERE, 0, ""),
        (programme_id, COUNTRY, 0, country),
        (programme_id, ORGANISATION, organisation_id, country),
    )


def learner_rows(user_ids: list[int]) -> list[ProgrammeLearner]:
    """The rows of these people, computed from the records in three queries (four if one of
    them is a learner of a cohort delivered under a programme)."""
    present = Attendance.objects.filter(
        session__cohort_id=OuterRef("cohort_id"),
        user_id=OuterRef("user_id"),
        status=Attendance.Status.PRESENT,
    )
    members = list(
        CohortMember.objects.filter(user_id__in=user_ids, cohort__programme__isnull=False)
        .annotate(present=Exists(present))
        .values_list(
            "user_id",
            "cohort__programme_id",
            "cohort__organisation_id",
            "cohort__organisation__country",
            "cohort__course_id",
            "cohort__starts_on",
            "present",
        )
        .order_by()
    )
    certified = defaultdict(list)
    for user_id, since, programme_id, organisation_id, country in (
        TrainerCertification.objects.filter(
            user_id__in=user_ids, status=TrainerCertification.Status.CERTIFIED
        )
        .values_list(
            "user_id",
            "valid_from",
            f"{OBSERVED}programme_id",
            f"{OBSERVED}organisation_id",
            f"{OBSERVED}organisation__country",
        )
        .order_by()
    ):
        certified[user_id].append((since, programme_id, organisation_id, country or ""))
    completed = defaultdict(set)
    if members:
        for user_id, course_id in (
            CourseCompletion.objects.filter(user_id__in={m[0] for m in members})
            .values_list("user_id", "course_id")
            .order_by()
        ):
            completed[user_id].add(course_id)
    rows: dict[tuple, ProgrammeLearner] = {}

    def row(user_id, scope) -> ProgrammeLearner:
        key = (*scope, user_id)
        if key not in rows:
            programme_id, level, organisation_key, country = scope
            rows[key] = ProgrammeLearner(
                programme_id=programme_id,
                level=level,
                organisation_key=organisation_key,
                country=country,
                user_id=user_id,
                courses=[],
            )
        return rows[key]

    for user_id, programme_id, organisation_id, country, course_id, starts_on, was in members:
        done = completed[user_id]
        trained = bool(was) or course_id in done
        since = any(
            at is not None and at >= starts_on for at, *_where in certified.get(user_id, ())
        )
        for scope in scopes(programme_id, organisation_id, country or ""):
            found = row(user_id, scope)
            found.trained |= trained
            found.certified |= since
            found.courses = sorted(done)
    for user_id, found in certified.items():
        for _since, programme_id, organisation_id, country in found:
            if programme_id is not None:
                for scope in scopes(programme_id, organisation_id, country):
                    row(user_id, scope).certified = True
    return [r for r in rows.values() if r.trained or r.certified or r.courses]


def _key(row) -> tuple:
    return (row.programme_id, row.level, row.organisation_key, row.country)


def contributions(row: ProgrammeLearner) -> Counter:
    """What one person's row adds to the counts, keyed by `ProgrammeCount.KEYS` then count."""
    added = Counter()
    scope = _key(row)
    added[(*scope, 0, "participants_trained")] += int(row.trained)
    added[(*scope, 0, "certified_trainers")] += int(row.certified)
    for course_id in row.courses:
        added[(*scope, course_id, "completers")] += 1
    return added


def cohort_counts(programme_ids: Iterable[int] | None) -> Counter:
    """The cohorts delivered under these programmes (every programme if None), in each scope,
    in all and by the course or track they teach."""
    cohorts = Cohort.objects.filter(programme__isnull=False)
    if programme_ids is not None:
        cohorts = cohorts.filter(programme_id__in=list(programme_ids))
    counted = Counter()
    for programme_id, organisation_id, country, course_id in cohorts.values_list(
        "programme_id", "organisation_id", "organisation__country", "course_id"
    ).order_by():
        for scope in scopes(programme_id, organisation_id, country or ""):
            counted[(*scope, 0, "cohorts")] += 1
            counted[(*scope, course_id, "cohorts")] += 1
    return counted


def _same(a: ProgrammeLearner, b: ProgrammeLearner) -> bool:
    return (a.trained, a.certified, list(a.courses)) == (b.trained, b.certified, list(b.courses))


def learners_refresh(user_ids: Iterable[int]) -> None:
    """Compute these people's rows again and move the counts by the change. In the caller's
    transaction."""
    user_ids = sorted(set(user_ids))
    for start in range(0, len(user_ids), CHUNK):
        _refresh_chunk(user_ids[start : start + CHUNK])


def _refresh_chunk(user_ids: list[int]) -> None:
    old = {
        (*_key(row), row.user_id): row
        for row in ProgrammeLearner.objects.filter(user_id__in=user_ids)
    }
    new = {(*_key(row), row.user_id): row for row in learner_rows(user_ids)}
    if not old and not new:
        return
    delta, changed, gone = changes(old, new, same=_same, contributions=contributions)
    if gone:
        ProgrammeLearner.objects.filter(pk__in=[row.pk for row in gone]).delete()
    if changed:
        ProgrammeLearner.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["programme", "level", "organisation_key", "country", "user"],
            update_fields=["trained", "certified", "courses"],
        )
    _apply(delta)


def learners_forget(user_ids: Iterable[int]) -> None:
    """Take people about to be deleted out of the counts (their rows go with them)."""
    rows = list(ProgrammeLearner.objects.filter(user_id__in=list(user_ids)))
    if not rows:
        return
    delta = Counter()
    for row in rows:
        delta.subtract(contributions(row))
    ProgrammeLearner.objects.filter(pk__in=[row.pk for row in rows]).delete()
    _apply(delta)


def cohorts_refresh(programme_ids: Iterable[int | None]) -> None:
    """Count the cohorts delivered under these programmes again, in the caller's transaction."""
    programme_ids = sorted({pk for pk in programme_ids if pk is not None})
    if not programme_ids:
        return
    delta = cohort_counts(programme_ids)
    for *key, cohorts in (
        ProgrammeCount.objects.filter(programme_id__in=programme_ids)
        .exclude(cohorts=0)
        .values_list(*ProgrammeCount.KEYS, "cohorts")
    ):
        delta[(*key, "cohorts")] -= cohorts
    _apply(delta)


def cohort_moved(*, cohort: Cohort, programme_ids: Iterable[int | None]) -> None:
    """A cohort went under another programme (`programme_ids`: the one it left and the one it
    joined): their cohorts, and the trainers certified on a session observed in it. Its own
    learners are refreshed with their progress."""
    cohorts_refresh(programme_ids)
    observed = TrainerCertification.objects.filter(
        observed_session__classroom_session__cohort=cohort
    ).values_list("user_id", flat=True)
    learners_refresh(observed)


def organisation_moved(*, organisation_id: int, country: str) -> None:
    """An organisation's country changed: its cohorts count in another country."""
    moved = ProgrammeCount.objects.filter(level=ORGANISATION, organisation_key=organisation_id)
    programmes = set(moved.exclude(country=country).values_list("programme_id", flat=True))
    if not programmes:
        return
    cohorts_refresh(programmes)
    learners_refresh(
        ProgrammeLearner.objects.filter(level=ORGANISATION, organisation_key=organisation_id)
        .exclude(country=country)
        .values_list("user_id", flat=True)
    )


def _apply(delta: Counter) -> None:
    """Add `delta` to the counts in one upsert, and drop rows left empty."""
    rows: dict[tuple, list[int]] = {}
    for (*keys, name), amount in delta.items():
        if amount:
            rows.setdefault(tuple(keys), [0] * len(COUNTS))[COUNTS.index(name)] += amount
    if not rows:
        return
    _upsert(rows)
    ProgrammeCount.objects.filter(
        programme_id__in={keys[0] for keys in rows}, **dict.fromkeys(COUNTS, 0)
    ).delete()


def _upsert(rows: dict[tuple, list[int]], *, add: bool = True) -> None:
    table = connection.ops.quote_name(ProgrammeCount._meta.db_table)
    keys = [
        ProgrammeCount._meta.get_field(k.removesuffix("_id")).column for k in ProgrammeCount.KEYS
    ]
    columns = ", ".join(keys + list(COUNTS))
    marks = ", ".join(["%s"] * (len(keys) + len(COUNTS)))
    # Names from the model, values as parameters.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
    if add:
        updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNTS)
        sql += f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    params = [(*keys, *counts) for keys, counts in rows.items()]
    bulk.execute_in_batches(sql, params)


def rebuild() -> int:
    """Rewrite both tables from the records, in the caller's transaction. Returns the number
    of people's rows."""
    for model in (ProgrammeLearner, ProgrammeCount):
        model.objects.all()._raw_delete(model.objects.db)
    people = set(
        CohortMember.objects.filter(cohort__programme__isnull=False)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by()
    )
    people.update(
        TrainerCertification.objects.filter(
            status=TrainerCertification.Status.CERTIFIED,
            **{f"{OBSERVED}programme__isnull": False},
        )
        .values_list("user_id", flat=True)
        .distinct()
        .order_by()
    )
    people = sorted(people)
    totals = cohort_counts(None)
    written = 0
    for start in range(0, len(people), CHUNK):
        rows = learner_rows(people[start : start + CHUNK])
        for row in rows:
            totals.update(contributions(row))
        ProgrammeLearner.objects.bulk_create(rows, batch_size=CHUNK)
        written += len(rows)
    counts: dict[tuple, list[int]] = {}
    for (*keys, name), amount in totals.items():
        if amount:
            counts.setdefault(tuple(keys), [0] * len(COUNTS))[COUNTS.index(name)] += amount
    _upsert(counts, add=False)
    return written


# Reading ---------------------------------------------------------------------------------------


def scope_lookups(*, organisation_id: int | None, country: str | None) -> dict:
    """The `ProgrammeCount` rows of the cohorts of one organisation (in `country` if given),
    of the organisations of one country, or of everywhere."""
    if organisation_id is not None:
        found = {"level": ORGANISATION, "organisation_key": organisation_id}
        if country is not None:
            found["country"] = country
        return found
    if country is not None:
        return {"level": COUNTRY, "organisation_key": 0, "country": country}
    return {"level": EVERYWHERE, "organisation_key": 0, "country": ""}


def results(
    *, programme_ids, organisation_id: int | None = None, country: str | None = None
) -> dict[int, ProgrammeResults]:
    """The results of each of `programme_ids` that a cohort in the scope is delivered under,
    read from the counts in one query; what `programme_results` counts from the records for
    the cohorts of that organisation and country."""
    ids = list(programme_ids)
    if not ids:
        return {}
    # Summed by programme in the database: everywhere, a programme's rows are one a course
    # it is taught, hundreds in all, and the page shows a line a programme.
    lookups = scope_lookups(organisation_id=organisation_id, country=country)
    where = " AND ".join(f"{connection.ops.quote_name(name)} = %s" for name in lookups)
    table = connection.ops.quote_name(ProgrammeCount._meta.db_table)
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT programme_id,"  # noqa: S608 names from the model, values as parameters
            " SUM(CASE WHEN course_key = 0 THEN cohorts ELSE 0 END),"
            " SUM(CASE WHEN course_key = 0 THEN participants_trained ELSE 0 END),"
            " SUM(CASE WHEN course_key = 0 THEN certified_trainers ELSE 0 END),"
            " SUM(CASE WHEN course_key <> 0 AND cohorts <> 0 THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN course_key <> 0 AND cohorts <> 0 THEN completers ELSE 0 END)"
            f" FROM {table} WHERE {where} AND programme_id IN ({placeholders})"
            " GROUP BY programme_id",
            [*lookups.values(), *ids],
        )
        found = cursor.fetchall()
    return {
        pk: ProgrammeResults(
            cohorts=cohorts,
            participants_trained=trained,
            certified_trainers=certified,
            courses=courses,
            completions=completions,
        )
        for pk, cohorts, trained, certified, courses, completions in found
        if cohorts
    }
