"""The dashboards' summary tables, kept by the services as events happen, equal the tables
rebuilt from the records, whatever the order of events."""

import contextlib
import datetime
import io
import random
import uuid
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from assessments import services as quiz_services
from assessments.content_loader import load_quizzes
from assessments.models import Attempt
from cms.accounts.models import Membership
from courses import demo, services
from courses.dashboards import results
from courses.models import (
    AttemptSummary,
    ChoiceMonth,
    CompetencyMonth,
    CompletionMonth,
    LearnerProgress,
    ObservedSession,
    ProgrammeCount,
    ProgrammeLearner,
    QuestionMonth,
    ScenarioMonth,
    TrainerCertification,
)
from courses.training import cohorts, observations
from courses.training.programme_selectors import programme_results

from ...factories import OrganisationFactory, make_course, make_track
from ...programs.helpers import make_programme
from ..training.cohorts.helpers import certify, make_cohort, make_session, member

COUNT_FIELDS = (
    "level",
    "course_id",
    "organisation_key",
    "country",
    "cohort_key",
    "trainer_key",
    "programme_key",
    "month",
    "enrolments",
    "completed",
    "completions",
)
PROGRESS_FIELDS = (
    "user_id",
    "course_id",
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


OUTCOME_FIELDS = (
    "attempt_id",
    "user_id",
    "quiz_id",
    "course_key",
    "organisation_key",
    "country",
    "cohort_key",
    "trainer_key",
    "submitted_at",
    "first_critical",
)
OUTCOME_TABLES = (CompetencyMonth, QuestionMonth, ChoiceMonth, ScenarioMonth)
SPECS = {spec.slug: spec for spec in load_quizzes()}


def _outcome_counts():
    return {
        model.__name__: sorted(
            (*row[: -len(model.COUNTS)], row[-len(model.COUNTS) :])
            for row in model.objects.values_list(*model.KEYS, *model.COUNTS)
        )
        for model in OUTCOME_TABLES
    }


PROGRAMME_FIELDS = ("programme_id", "level", "organisation_key", "country")


def _programme_rows():
    return (
        sorted(
            (*row[:-1], tuple(row[-1]))
            for row in ProgrammeLearner.objects.values_list(
                *PROGRAMME_FIELDS, "user_id", "trained", "certified", "courses"
            )
        ),
        sorted(ProgrammeCount.objects.values_list(*ProgrammeCount.KEYS, *ProgrammeCount.COUNTS)),
    )


def snapshot():
    return (
        sorted(LearnerProgress.objects.values_list(*PROGRESS_FIELDS)),
        sorted(CompletionMonth.objects.values_list(*COUNT_FIELDS)),
        sorted(
            (*row[:-1], repr(row[-1]))
            for row in AttemptSummary.objects.values_list(*OUTCOME_FIELDS, "outcomes")
        ),
        _outcome_counts(),
        _programme_rows(),
        sorted(TrainerCertification.objects.filter(is_latest=True).values_list("pk")),
    )


def programme_results_differ(world) -> list:
    """The scopes (everywhere, each organisation, each country) where the programme results
    read from the summary differ from those counted from the records."""
    ids = [p.pk for p in world.programmes]
    scopes = [(None, None, {})]
    scopes += [(org.pk, None, {"organisation_id": org.pk}) for org in world.organisations]
    scopes += [(None, c, {"organisation__country": c}) for c in ("KE", "DZ", "BJ")]
    differ = []
    for organisation_id, country, lookups in scopes:
        kept = results.results(programme_ids=ids, organisation_id=organisation_id, country=country)
        counted = programme_results(programme_ids=ids, cohorts=lookups)
        if kept != counted:
            differ.append((organisation_id, country, kept, counted))
    return differ


class World:
    """Two organisations in two countries, courses and a track over two of them, a cohort in
    each organisation with two certified trainers, learners, and two programmes of the
    registry the cohorts may be delivered under."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.organisations = [OrganisationFactory(country="KE"), OrganisationFactory(country="DZ")]
        self.courses = [make_course(title=f"Course {n}", lessons=2) for n in range(3)]
        self.track = make_track(title="Track", courses=self.courses[:2], lessons=1)
        self.coordinators = [
            member(org, role=Membership.Role.COORDINATOR) for org in self.organisations
        ]
        self.trainers = [
            [certify(member(org, role=Membership.Role.TRAINER)) for _ in range(2)]
            for org in self.organisations
        ]
        self.learners = [member(self.organisations[n % 2]) for n in range(6)]
        self.cohorts = [
            make_cohort(org, self.trainers[n][0], self.courses[n], name=f"Cohort {n}")
            for n, org in enumerate(self.organisations)
        ]
        for cohort in self.cohorts:
            cohort.starts_on = timezone.localdate() - datetime.timedelta(days=600)
            cohort.save()
        self.funder = OrganisationFactory(country="FR")
        self.programmes = [self.new_programme() for _ in range(2)]
        # A final quiz of questions on the first course, a branching scenario on the second,
        # and a scenario that ends no course.
        self.quizzes = [
            demo.quiz(SPECS["the-transit-lounge"], self.courses[0]),
            demo.quiz(SPECS["gate-b12"], self.courses[1]),
            demo.quiz(SPECS["the-favour"], self.courses[0]),
        ]

    def take_quiz(self):
        """A learner's attempt, answered at random (a scenario along a random path), graded
        as the quiz grades it, then announced to courses as the signal does."""
        learner = self.rng.choice(self.learners)
        quiz = self.rng.choice(self.quizzes)
        number = Attempt.objects.filter(user=learner, quiz=quiz).count() + 1
        attempt = Attempt(user=learner, quiz=quiz, revision=quiz.live_revision, number=number)
        as_taken = attempt.quiz_as_started
        attempt.drawn = list(as_taken.blocks_by_key)
        attempt.answers = random_answers(self.rng, as_taken)
        result = quiz_services.grade(attempt)
        attempt.percent, attempt.passed = dict(result.percent), result.passed
        attempt.status, attempt.submitted_at = Attempt.Status.SUBMITTED, timezone.now()
        attempt.save()
        services.quiz_graded(attempt=attempt)

    def new_programme(self):
        return make_programme(self.funder, own_id=f"P{self.rng.randrange(10**9)}")

    def organisation_of(self, user):
        membership = Membership.objects.filter(user=user, status="verified").first()
        return membership.organisation if membership else None

    def enrol(self):
        course = self.rng.choice([*self.courses, self.track])
        services.enrolment_create(user=self.rng.choice(self.learners), course=course)

    def complete_lesson(self):
        course = self.rng.choice([*self.courses, self.track])
        lesson = self.rng.choice(list(course.lessons()))
        services.lesson_complete(user=self.rng.choice(self.learners), lesson=lesson)

    def join_cohort(self):
        learner = self.rng.choice(self.learners)
        organisation = self.organisation_of(learner)
        for n, cohort in enumerate(self.cohorts):
            if organisation == cohort.organisation:
                cohorts.cohort_learner_add(
                    cohort=cohort, by=self.coordinators[n], email=learner.email
                )

    def change_trainer(self):
        n = self.rng.randrange(2)
        cohort = self.cohorts[n]
        other = next(t for t in self.trainers[n] if t.pk != cohort.trainer_id)
        cohorts.cohort_update(
            cohort=cohort,
            by=self.coordinators[n],
            name=cohort.name,
            language="en",
            starts_on=cohort.starts_on,
            ends_on=cohort.ends_on,
            trainer=other,
        )

    def change_programme(self):
        n = self.rng.randrange(2)
        self.cohorts[n].refresh_from_db()
        cohorts.cohort_update(
            cohort=self.cohorts[n],
            by=self.coordinators[n],
            name=self.cohorts[n].name,
            language="en",
            starts_on=self.cohorts[n].starts_on,
            ends_on=self.cohorts[n].ends_on,
            trainer=self.cohorts[n].trainer,
            programme=self.rng.choice([*self.programmes, None]),
        )

    def delete_programme(self):
        gone = self.programmes.pop(self.rng.randrange(2))
        gone.delete()
        self.programmes.append(self.new_programme())
        for cohort in self.cohorts:
            cohort.refresh_from_db()

    def move_learner(self):
        learner = self.rng.choice(self.learners)
        Membership.objects.filter(user=learner, status="verified").update(status="left")
        membership = Membership.objects.filter(user=learner).first()
        membership.status = "left"
        membership.save()
        organisation = self.rng.choice(self.organisations)
        found = Membership.objects.filter(user=learner, organisation=organisation).first()
        if found:
            found.status = "verified"
            found.save()
        else:
            Membership.objects.create(user=learner, organisation=organisation, status="verified")

    def teach_in_class(self):
        n = self.rng.randrange(2)
        cohort = self.cohorts[n]
        present = list(cohort.members.values_list("user_id", flat=True))
        if not present:
            return
        lessons = list(cohort.course.lessons())
        session = make_session(cohort, days=-300, lessons=lessons[:1])
        cohorts.attendance_record(
            session=session, by=cohort.trainer, statuses={pk: "present" for pk in present}
        )
        cohorts.in_class_completions_record(session=session, by=cohort.trainer)

    def take_attendance(self):
        n = self.rng.randrange(2)
        cohort = self.cohorts[n]
        people = list(cohort.members.values_list("user_id", flat=True))
        if not people:
            return
        session = make_session(cohort, days=-self.rng.randrange(1, 300))
        statuses = {pk: self.rng.choice(["present", "absent", "excused"]) for pk in people}
        cohorts.attendance_record(session=session, by=cohort.trainer, statuses=statuses)

    def certify_someone(self):
        """A learner or a trainer certified (or their certification changed), some before
        and some after their cohort started; a trainer sometimes on a session observed in a
        cohort."""
        trainers = [t for ts in self.trainers for t in ts]
        person = self.rng.choice(self.learners + trainers)
        # Trainers stay certified, so that they go on teaching their cohorts.
        teaches = person in trainers
        since = timezone.localdate() - datetime.timedelta(
            days=self.rng.randrange(0, 300 if teaches else 1200)
        )
        observed = None
        if self.rng.random() < 0.4:
            cohort = self.rng.choice(self.cohorts)
            session = make_session(cohort, days=-self.rng.randrange(1, 300))
            observed = ObservedSession.objects.create(
                candidate=person,
                observer=next(t for t in self.trainers[0] if t != person),
                date=session.date,
                course=cohort.course,
                classroom_session=session,
                rubric=observations.rubric_current(),
                overall=3,
                passed=True,
                token=uuid.uuid4(),
            )
        found = TrainerCertification.objects.filter(user=person).order_by("?").first()
        if found is not None and not teaches and self.rng.random() < 0.4:
            found.status = self.rng.choice(["certified", "suspended", "revoked"])
            found.save()
            return
        TrainerCertification.objects.create(
            user=person,
            level="trainer",
            status="certified" if teaches else self.rng.choice(["certified", "candidate"]),
            valid_from=since,
            valid_until=since + datetime.timedelta(days=700),
            observed_session=observed,
        )

    def finish_course(self):
        """A learner completes every lesson of the course without a final quiz."""
        learner = self.rng.choice(self.learners)
        for lesson in self.courses[2].lessons():
            services.lesson_complete(user=learner, lesson=lesson)

    def open_cohort(self):
        """Another cohort, maybe under a programme, with no learners yet: its course is then
        taught under the programme, and its learners' completions of it count."""
        n = self.rng.randrange(2)
        today = timezone.localdate()
        cohorts.cohort_create(
            by=self.coordinators[n],
            course=self.rng.choice(self.courses),
            name=f"Extra {self.rng.randrange(10**9)}",
            language="en",
            starts_on=today - datetime.timedelta(days=self.rng.randrange(0, 900)),
            ends_on=today + datetime.timedelta(days=30),
            trainer=self.trainers[n][0],
            programme=self.rng.choice([*self.programmes, None]),
        )

    def move_start(self):
        n = self.rng.randrange(2)
        cohort = self.cohorts[n]
        cohort.refresh_from_db()
        starts_on = cohort.starts_on + datetime.timedelta(days=self.rng.randrange(-300, 300))
        with contextlib.suppress(ValidationError):  # a session would fall outside
            cohorts.cohort_update(
                cohort=cohort,
                by=self.coordinators[n],
                name=cohort.name,
                language="en",
                starts_on=starts_on,
                ends_on=max(cohort.ends_on, starts_on),
                trainer=cohort.trainer,
            )

    def move_country(self):
        organisation = self.rng.choice(self.organisations)
        organisation.country = self.rng.choice(["KE", "DZ", "BJ"])
        organisation.save()


def random_answers(rng, quiz) -> dict:
    questions = quiz.scoring_questions()
    if quiz.is_branching:
        path, step = [], quiz.first_step
        while step is not None:
            choice = rng.choice(questions[step].choices)
            path.append(choice.id)
            step = choice.leads_to
        return {"path": path}
    answers = {}
    for key, question in questions.items():
        ids = [c.id for c in question.choices]
        if rng.random() < 0.1:
            continue  # left unanswered
        if question.kind == "multiple":
            answers[key] = rng.sample(ids, rng.randrange(1, len(ids) + 1))
        elif question.kind == "ordering":
            answers[key] = rng.sample(ids, len(ids))
        else:
            answers[key] = rng.choice(ids)
    return answers


def _delete_learner(world):
    if len(world.learners) > 3:
        world.learners.pop(world.rng.randrange(len(world.learners))).delete()


World.delete_learner = _delete_learner

EVENTS = (
    ("enrol", 4),
    ("complete_lesson", 8),
    ("join_cohort", 2),
    ("change_trainer", 1),
    ("change_programme", 3),
    ("delete_programme", 1),
    ("move_learner", 1),
    ("teach_in_class", 1),
    ("move_country", 1),
    ("delete_learner", 1),
    ("take_quiz", 5),
    ("take_attendance", 2),
    ("certify_someone", 3),
    ("move_start", 1),
    ("finish_course", 2),
    ("open_cohort", 1),
)


def coarse_levels_summed(rows) -> set:
    """The coarse levels of `CompletionMonth` as the sums of its fine rows (`COUNT_FIELDS`
    rows) they stand for: by course, country and month; by course, organisation, country and
    programme over all time; by course and month; by every key but the month over all time;
    by course and organisation, and by course and country, over all time. Rows of nothing are
    not kept."""
    sums = {}
    for level, course, organisation, country, cohort, trainer, programme, month, *counts in rows:
        if level != CompletionMonth.FINE:
            continue
        for key in (
            (CompletionMonth.COUNTRY, course, 0, country, 0, 0, 0, month),
            (CompletionMonth.COURSE, course, 0, "", 0, 0, 0, month),
            (
                CompletionMonth.EVERY_KEY,
                course,
                organisation,
                country,
                cohort,
                trainer,
                programme,
                CompletionMonth.ALL_TIME_MONTH,
            ),
            (
                CompletionMonth.ALL_TIME,
                course,
                organisation,
                country,
                0,
                0,
                programme,
                CompletionMonth.ALL_TIME_MONTH,
            ),
            (
                CompletionMonth.ORGANISATION,
                course,
                organisation,
                "",
                0,
                0,
                0,
                CompletionMonth.ALL_TIME_MONTH,
            ),
            (
                CompletionMonth.COUNTRY_ALL_TIME,
                course,
                0,
                country,
                0,
                0,
                0,
                CompletionMonth.ALL_TIME_MONTH,
            ),
        ):
            total = sums.setdefault(key, [0, 0, 0])
            for n, amount in enumerate(counts):
                total[n] += amount
    return {(*key, *total) for key, total in sums.items() if any(total)}


def every_country_summed(rows) -> set:
    """An outcome table's levels across every country (4 by month, 5 over all time) as the
    sums of the rows by country (1 and 3, `_outcome_counts` rows) they stand for. Rows of
    nothing are not kept."""
    sums = {}
    for quiz, course, _org, _country, _cohort, _trainer, month, level, *own, counts in rows:
        if level in (1, 3):
            key = (quiz, course, 0, "", 0, 0, month, 4 if level == 1 else 5, *own)
            total = sums.setdefault(key, [0] * len(counts))
            for n, amount in enumerate(counts):
                total[n] += amount
    return {(*key, tuple(total)) for key, total in sums.items() if any(total)}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_summaries_equal_the_rebuilt_ones(db, seed):
    rng = random.Random(seed)
    world = World(rng)
    moment = timezone.now() - datetime.timedelta(days=200)
    names, weights = zip(*EVENTS, strict=True)
    months, programmes, reached = set(), set(), set()
    # Both cohorts start under a programme with half the learners, so that the programme
    # results see many events.
    for learner in world.learners[:3]:
        organisation = world.organisation_of(learner)
        for n, cohort in enumerate(world.cohorts):
            if organisation == cohort.organisation:
                cohorts.cohort_learner_add(
                    cohort=cohort, by=world.coordinators[n], email=learner.email
                )
    # Certified, suspended and reinstated: a history, of which the last row is the latest.
    for status in ("certified", "suspended", "certified"):
        TrainerCertification.objects.create(
            user=world.learners[0],
            level="trainer",
            status=status,
            valid_from=moment.date(),
            valid_until=moment.date() + datetime.timedelta(days=700),
        )
    assert several_rows_a_person()
    for n, cohort in enumerate(world.cohorts):
        cohorts.cohort_update(
            cohort=cohort,
            by=world.coordinators[n],
            name=cohort.name,
            language="en",
            starts_on=cohort.starts_on,
            ends_on=cohort.ends_on,
            trainer=cohort.trainer,
            programme=world.programmes[n],
        )
    for step in range(60):
        moment += datetime.timedelta(days=rng.randrange(0, 9), minutes=rng.randrange(600))
        event = rng.choices(names, weights)[0]
        with mock.patch("django.utils.timezone.now", return_value=moment):
            getattr(world, event)()
        kept = snapshot()
        months |= {row[COUNT_FIELDS.index("month")] for row in kept[1]}
        programmes |= {row[COUNT_FIELDS.index("programme_key")] for row in kept[1]}
        for *_keys, trained, certified, courses in kept[4][0]:
            reached |= {"trained"} if trained else set()
            reached |= {"certified"} if certified else set()
            reached |= {"completed"} if courses else set()
        TrainerCertification.objects.update(is_latest=False)  # the rebuild marks them again
        call_command("rebuild_dashboards", stdout=io.StringIO())
        rebuilt = snapshot()
        assert set(rebuilt[0]) ^ set(kept[0]) == set(), f"rows after {step}, {event}"
        assert set(rebuilt[1]) ^ set(kept[1]) == set(), f"counts after {step}, {event}"
        coarse = {row for row in kept[1] if row[0] != CompletionMonth.FINE}
        assert coarse == coarse_levels_summed(kept[1]), f"coarse counts after {step}, {event}"
        assert rebuilt[2] == kept[2], f"graded attempts after {step}, {event}"
        assert rebuilt[3] == kept[3], f"outcome counts after {step}, {event}"
        for name, rows in kept[3].items():
            across = {row for row in rows if row[7] in (4, 5)}
            assert across == every_country_summed(rows), f"{name} after {step}, {event}"
        assert rebuilt[4] == kept[4], f"programme results after {step}, {event}"
        assert rebuilt[5] == kept[5], f"latest certifications after {step}, {event}"
        assert programme_results_differ(world) == [], f"programme results after {step}, {event}"
    assert kept[0] and len(months) > 1 and programmes - {0}
    assert any(row[-1] for row in kept[0]), "somebody stopped at a lesson"
    # The sequence reached every table: answers, competencies, a scenario's choices and a
    # learner who failed on a critical choice.
    assert all(kept[3].values()) and kept[2]
    assert any(row[-1][1] for row in kept[3]["ScenarioMonth"])
    # Somebody was trained, certified and completed under a programme on the way.
    assert reached == {"trained", "certified", "completed"}, reached


def several_rows_a_person() -> bool:
    return (
        TrainerCertification.objects.values("user", "level")
        .annotate(rows=Count("pk"))
        .filter(rows__gt=1)
        .exists()
    )


def test_completing_a_course_counts_it_in_the_month_of_enrolment_and_of_completion(db):
    organisation = OrganisationFactory(country="KE")
    learner = member(organisation)
    course = make_course(lessons=1)
    enrolled = timezone.now() - datetime.timedelta(days=70)
    with mock.patch("django.utils.timezone.now", return_value=enrolled):
        services.enrolment_create(user=learner, course=course)
    services.lesson_complete(user=learner, lesson=course.lessons()[0])
    rows = {
        row.month: (row.enrolments, row.completed, row.completions)
        for row in CompletionMonth.objects.filter(course=course, level=CompletionMonth.FINE)
    }
    this_month = timezone.now().date().replace(day=1)
    assert rows == {
        enrolled.date().replace(day=1): (1, 1, 0),
        this_month: (0, 0, 1),
    }
    progress = LearnerProgress.objects.get(user=learner, course=course)
    assert (progress.organisation, progress.country, progress.lessons_done) == (
        organisation,
        "KE",
        1,
    )


def test_a_graded_final_quiz_completes_the_course_in_the_summaries(db):
    from courses.receivers import _attempt_graded

    from ..test_final_quiz_pointer import course_with_quiz, do_lessons, grade

    learner = member(OrganisationFactory(country="KE"))
    course, quiz = course_with_quiz()
    do_lessons(learner, course)
    row = LearnerProgress.objects.get(user=learner, course=course)
    assert row.completed_at is None and row.lessons_done == 2
    later = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        attempt = grade(learner, quiz, passed=True)
        _attempt_graded(sender=None, attempt=attempt)
    row.refresh_from_db()
    assert row.completed_at == later and row.last_activity_at == later
    assert (
        CompletionMonth.objects.get(
            course=course, month=later.date().replace(day=1), level=CompletionMonth.FINE
        ).completions
        == 1
    )


def _summary_models() -> list:
    from courses.dashboards import outcomes

    return [LearnerProgress, CompletionMonth, *outcomes.TABLES.values()]


def _summary_indexes() -> dict:
    """Each summary table's indexes as the database has them, by name."""
    from django.db import connection

    found = {}
    with connection.cursor() as cursor:
        for model in _summary_models():
            constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
            found[model._meta.db_table] = {
                name: facts["columns"] for name, facts in constraints.items() if facts["index"]
            }
    return found


def test_a_bulk_rebuild_writes_the_same_counts_and_builds_the_indexes_again(db):
    """`generate_load_data` rebuilds with the summary tables' indexes set aside: the rows are
    those of a plain rebuild, and every index is there again afterwards, also when the
    rebuild fails half-way."""
    from django.db import transaction

    from courses.dashboards import outcomes, summaries

    rng = random.Random(7)
    world = World(rng)
    for _ in range(12):
        getattr(world, rng.choice(["enrol", "complete_lesson", "take_quiz", "take_quiz"]))()
    indexes = _summary_indexes()
    assert all(
        index.name in indexes[model._meta.db_table]
        for model in _summary_models()
        for index in model._meta.indexes
    )
    summaries.rebuild()
    plain = snapshot()
    summaries.rebuild(bulk=True)
    assert snapshot() == plain and plain[3]
    assert _summary_indexes() == indexes
    with (
        pytest.raises(RuntimeError),
        transaction.atomic(),
        outcomes.indexes_set_aside(_summary_models()),
    ):
        assert not any(
            index.name in _summary_indexes()[model._meta.db_table]
            for model in _summary_models()
            for index in model._meta.indexes
        )
        raise RuntimeError("half-way")
    assert _summary_indexes() == indexes


@pytest.mark.parametrize(
    ("migration", "emptied"),
    [
        ("0033_competency_every_country_levels", "outcomes"),
        ("0034_completion_organisation_level", "completion"),
        ("0035_certification_latest_mark", "latest"),
        ("0036_completion_country_level", "country"),
    ],
)
def test_a_data_migration_fills_a_level_as_the_events_kept_it(db, migration, emptied):
    """A site upgraded without a rebuild: the level a migration adds is filled from the
    levels kept before it (or the mark from the records), row for row as the events kept it."""
    import importlib

    from django.apps import apps
    from django.db import connection

    rng = random.Random(11)
    world = World(rng)
    for _ in range(16):
        getattr(world, rng.choice(["enrol", "complete_lesson", "take_quiz", "take_quiz"]))()
    if emptied == "latest":
        for _ in range(8):
            world.certify_someone()
        assert several_rows_a_person()
    kept = snapshot()
    if emptied == "latest":
        TrainerCertification.objects.update(is_latest=False)
    elif emptied == "outcomes":
        assert all(any(row[7] == 5 for row in rows) for rows in kept[3].values())
        for model in OUTCOME_TABLES:
            model.objects.filter(level__in=(4, 5)).delete()
    elif emptied == "country":
        assert any(row[0] == CompletionMonth.COUNTRY_ALL_TIME for row in kept[1])
        CompletionMonth.objects.filter(level=CompletionMonth.COUNTRY_ALL_TIME).delete()
    else:
        assert any(row[0] == CompletionMonth.ORGANISATION for row in kept[1])
        CompletionMonth.objects.filter(level=CompletionMonth.ORGANISATION).delete()
    assert snapshot() != kept
    fill = importlib.import_module(f"courses.migrations.{migration}").fill
    fill(apps, connection.schema_editor())  # its statements alone, inside the test's transaction
    assert snapshot() == kept
