"""A realistic population for measuring the dashboards: organisations in many countries, their
coordinators, trainers and learners, cohorts (half of them delivered under programmes of the
registry), enrolments, lessons and courses completed, graded final quizzes and trainers'
certifications, written with bulk inserts, then the summaries."""

import datetime
import random
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from assessments import services as quiz_services
from assessments.models import Attempt, quiz_at_revision
from cms import generations
from cms.accounts.models import Membership, Organisation, User
from cms.programs import cache as registry_cache
from cms.programs.models import Programme, ProgrammeText, WorkflowStatus

from ..models import (
    Cohort,
    CohortMember,
    CourseCompletion,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonCompletion,
    LessonPage,
    TrainerCertification,
)
from ..selectors import lessons_by_course
from . import bulk, summaries

BATCH = 2000
LEARNERS_PER_ORGANISATION = 200
LEARNERS_PER_COHORT = 25
ENROLMENTS_PER_LEARNER = 4
# The catalogue is topped up to ten courses, those added of sixteen lessons: with the demo's
# eight (three to five lessons each), four enrolments a learner complete about twenty lessons,
# the two million lesson completions of 100,000 learners the dashboards are measured at.
COURSES = 10
LESSONS_PER_ADDED_COURSE = 16
ORGANISATIONS_PER_PROGRAMME = 20
_COUNTRY_CODES = (
    "KE DZ BJ MY IT FR ES MA TN EG NG GH SN CI ML NE TD SD ET UG TZ RW ZA AO CM GA CD MZ ZM ZW BF "
    "TG GN SL LR GM MR LY JO LB TR IQ PK AF BD IN LK NP TH VN PH ID MM KH LA CN BR CO MX EC PE"
)
COUNTRIES = tuple(_COUNTRY_CODES.split())
KINDS = ("border_police", "immigration", "customs", "airline", "airport_operator")
SUBMITTED = Attempt.Status.SUBMITTED.value
# The learning records, written past the ORM (`bulk.insert`): model, fields, and those whose
# values come prepared (a quiz's answer sets, shared by many attempts).
LEARNING = {
    "enrolments": (Enrolment, ("user_id", "course_id", "enrolled_at"), ()),
    "lesson_completions": (
        LessonCompletion,
        ("user_id", "lesson_id", "course_id", "completed_at"),
        (),
    ),
    "completions": (CourseCompletion, ("user_id", "course_id", "completed_at"), ()),
    "attempts": (
        Attempt,
        (
            "user_id",
            "quiz_id",
            "revision_id",
            "number",
            "drawn",
            "answers",
            "status",
            "started_at",
            "submitted_at",
            "percent",
            "passed",
        ),
        ("drawn", "answers", "percent"),
    ),
}


def _large_sqlite_cache() -> None:
    """SQLite keeps 2 MB of pages by default: millions of rows written in one transaction
    spill to disk and are read back for every index they enter. 256 MB for this process."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")


def _fresh_statistics() -> None:
    """PostgreSQL plans from statistics its autovacuum refreshes in its own time: after tables
    grew tenfold in one transaction, a plan made from the old ones scanned whole tables (and
    compiled itself) for each batch of the summaries' rebuild. Refreshed before it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _settled() -> None:
    """On PostgreSQL, every table vacuumed and analysed once the population is written, as
    autovacuum would do soon after on a server that runs it: until a table is vacuumed, an
    index-only scan reads the rows too (seven hundred of them to count a country's stalled
    learners, 1.4 ms rather than 0.6), and the statistics miss the summaries just rebuilt."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # VACUUM runs outside a transaction only: inside a caller's (a test's), analysed.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


class Generator:
    def __init__(self, *, learners: int, seed: int, password: str, log: Callable[[str], None]):
        self.learners = learners
        self.rng = random.Random(seed)  # noqa: S311 (a seeded population, not a secret)
        # Its own sequence, so that the rest of the population is the same with or without it.
        self.programme_rng = random.Random(seed + 1)  # noqa: S311
        self.password = make_password(password)
        self.log = log
        self.now = timezone.now()
        self.started = time.monotonic()
        self.run = f"{seed}-{int(time.time())}"
        self.taken: dict[tuple[int, int], int] = {}

    def step(self, what: str) -> None:
        self.log(f"{time.monotonic() - self.started:7.1f}s  {what}")

    def build(self) -> dict:
        if not CourseIndexPage.objects.exists():
            raise ValueError("No catalogue: run `manage.py load_demo` first.")
        self.more_courses()
        courses = list(CoursePage.objects.live().filter(trackpage__isnull=True))
        lessons = {
            cid: [lesson.pk for lesson in ls] for cid, ls in lessons_by_course(courses).items()
        }
        courses = [course for course in courses if lessons.get(course.pk)]
        _large_sqlite_cache()
        with transaction.atomic():
            organisations = self.organisations()
            staff = self.staff(organisations)
            learners = self.people(organisations)
            programmes = self.programmes(organisations)
            cohorts = self.cohorts(organisations, staff, learners, courses, programmes)
            counts = self.learning(learners, cohorts, courses, lessons)
        self.step("summaries")
        _fresh_statistics()
        counts["progress_rows"] = summaries.rebuild(bulk=True)
        self.step("vacuum")
        _settled()
        self.step("done")
        return counts

    def more_courses(self) -> None:
        """Ten courses at least, of sixteen lessons for those it adds, as a catalogue grows.
        Each added course shares the final quiz of one of the catalogue's courses in the site's
        language, in turn, so that its learners are graded as theirs are."""
        index = CourseIndexPage.objects.first()
        have = CoursePage.objects.live().filter(trackpage__isnull=True).count()
        quizzes = list(
            CoursePage.objects.live()
            .filter(final_quiz__isnull=False, locale__language_code=settings.LANGUAGE_CODE)
            .order_by("pk")
            .values_list("final_quiz_id", flat=True)
        )
        for n in range(have, COURSES):
            course = index.add_child(
                instance=CoursePage(
                    title=f"Load course {n + 1}",
                    slug=f"load-course-{self.run}-{n + 1}",
                    summary="A course for measuring the dashboards.",
                    learning_outcomes="Measure",
                    audience="officers",
                    final_quiz_id=quizzes[n % len(quizzes)] if quizzes else None,
                )
            )
            for lesson in range(1, LESSONS_PER_ADDED_COURSE + 1):
                course.add_child(
                    instance=LessonPage(
                        title=f"Load course {n + 1} lesson {lesson}",
                        slug=f"lesson-{lesson}",
                        objectives="Measure",
                        body=[("paragraph", "<p>A lesson for measuring the dashboards.</p>")],
                    )
                )
        self.step(f"{max(0, COURSES - have)} courses added")

    def organisations(self) -> list[Organisation]:
        count = max(2, self.learners // LEARNERS_PER_ORGANISATION)
        rows = [
            Organisation(
                name=f"Load agency {self.run} {n}",
                slug=f"load-{self.run}-{n}",
                country=COUNTRIES[n % len(COUNTRIES)],
                kind=KINDS[n % len(KINDS)],
            )
            for n in range(count)
        ]
        self.step(f"{count} organisations")
        return Organisation.objects.bulk_create(rows, batch_size=BATCH)

    def _users(self, prefix: str, count: int) -> list[int]:
        users = [
            User(
                email=f"{prefix}{n}.{self.run}@load.example.org",
                first_name=prefix.capitalize(),
                last_name=str(n),
                password=self.password,
            )
            for n in range(count)
        ]
        return [u.pk for u in User.objects.bulk_create(users, batch_size=BATCH)]

    def staff(self, organisations) -> dict[int, list[int]]:
        """A coordinator and two trainers an organisation, their certifications in every state."""
        coordinators = self._users("coordinator", len(organisations))
        trainers = self._users("trainer", 2 * len(organisations))
        memberships, certifications, by_organisation = [], [], {}
        today = self.now.date()
        for n, organisation in enumerate(organisations):
            memberships.append(
                Membership(
                    user_id=coordinators[n],
                    organisation=organisation,
                    role="coordinator",
                    status="verified",
                )
            )
            pair = trainers[2 * n : 2 * n + 2]
            by_organisation[organisation.pk] = pair
            for trainer in pair:
                memberships.append(
                    Membership(
                        user_id=trainer,
                        organisation=organisation,
                        role="trainer",
                        status="verified",
                    )
                )
                since = today - datetime.timedelta(days=self.rng.randrange(30, 900))
                certifications.append(
                    TrainerCertification(
                        user_id=trainer,
                        level="trainer",
                        status=self.rng.choices(["certified", "suspended"], [19, 1])[0],
                        valid_from=since,
                        valid_until=since + datetime.timedelta(days=730),
                        organisation=organisation,
                        is_latest=True,  # each trainer's only row
                    )
                )
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        TrainerCertification.objects.bulk_create(certifications, batch_size=BATCH)
        self.step(f"{len(trainers)} trainers, {len(coordinators)} coordinators")
        return by_organisation

    def people(self, organisations) -> list[tuple[int, Organisation]]:
        ids = self._users("learner", self.learners)
        placed = [(pk, organisations[n % len(organisations)]) for n, pk in enumerate(ids)]
        Membership.objects.bulk_create(
            [
                Membership(user_id=pk, organisation=org, role="learner", status="verified")
                for pk, org in placed
            ],
            batch_size=BATCH,
        )
        self.step(f"{len(ids)} learners")
        return placed

    def programmes(self, organisations) -> list[int]:
        """Published programmes of the registry, one for every twenty organisations, reported
        by the first organisation."""
        count = max(1, len(organisations) // ORGANISATIONS_PER_PROGRAMME)
        rows = Programme.objects.bulk_create(
            [
                Programme(
                    identifier=f"FP-LOAD-{self.run}-{n + 1}",
                    reporting_org=organisations[0],
                    default_language="en",
                    modality="classroom",
                    workflow_status=WorkflowStatus.PUBLISHED,
                    published_at=self.now,
                )
                for n in range(count)
            ],
            batch_size=BATCH,
        )
        ProgrammeText.objects.bulk_create(
            ProgrammeText(
                programme=row,
                language="en",
                title=f"Load programme {n + 1}",
                description="A programme for measuring the dashboards.",
            )
            for n, row in enumerate(rows)
        )
        registry_cache.registry_changed()  # a bulk insert sends no signal
        self.step(f"{count} programmes")
        return [row.pk for row in rows]

    def cohorts(self, organisations, staff, learners, courses, programmes) -> dict[int, Cohort]:
        """Most learners in a cohort of their organisation, taught the first course they take;
        half the cohorts delivered under a programme."""
        rows = []
        for organisation in organisations:
            for n in range(LEARNERS_PER_ORGANISATION // LEARNERS_PER_COHORT):
                starts = (self.now - datetime.timedelta(days=self.rng.randrange(20, 700))).date()
                rows.append(
                    Cohort(
                        organisation=organisation,
                        course=self.rng.choice(courses),
                        name=f"Cohort {n + 1}",
                        language="en",
                        starts_on=starts,
                        ends_on=starts + datetime.timedelta(days=60),
                        trainer_id=self.rng.choice(staff[organisation.pk]),
                        programme_id=(
                            self.programme_rng.choice(programmes)
                            if self.programme_rng.random() < 0.5
                            else None
                        ),
                    )
                )
        cohorts = Cohort.objects.bulk_create(rows, batch_size=BATCH)
        generations.move("cohorts")  # bulk inserts send no signals: the filters list cohorts
        by_organisation: dict[int, list[Cohort]] = {}
        for cohort in cohorts:
            by_organisation.setdefault(cohort.organisation_id, []).append(cohort)
        placed, members = {}, []
        for pk, organisation in learners:
            if self.rng.random() < 0.7:
                cohort = self.rng.choice(by_organisation[organisation.pk])
                placed[pk] = cohort
                members.append(CohortMember(cohort=cohort, user_id=pk))
        CohortMember.objects.bulk_create(members, batch_size=BATCH)
        self.step(f"{len(cohorts)} cohorts, {len(members)} learners in them")
        return placed

    def learning(self, learners, cohorts, courses, lessons) -> dict:
        quizzes = {
            c.pk: (c.final_quiz_id, c.final_quiz.latest_revision_id, self._prepared_sets(c))
            for c in courses
            if c.final_quiz_id
        }
        rows = {key: [] for key in LEARNING}
        counts = dict.fromkeys(LEARNING, 0)

        def flush(force=False):
            for key, (model, names, prepared) in LEARNING.items():
                if rows[key] and (force or len(rows[key]) >= BATCH * 5):
                    counts[key] += bulk.insert(model, names, rows[key], prepared=prepared)
                    rows[key].clear()

        for n, (pk, _organisation) in enumerate(learners):
            chosen = self._courses_for(pk, cohorts, courses)
            tries = {}  # a course and its translation may share a final quiz: attempts 1, 2
            for course in chosen:
                self._learn(pk, course, lessons[course.pk], quizzes.get(course.pk), rows, tries)
            flush()
            if n and n % 20000 == 0:
                self.step(f"learning of {n} learners")
        flush(force=True)
        self.step(", ".join(f"{v} {k}" for k, v in counts.items()))
        return counts

    def _courses_for(self, pk, cohorts, courses) -> list[CoursePage]:
        count = min(len(courses), max(1, round(self.rng.gauss(ENROLMENTS_PER_LEARNER, 1))))
        chosen = self.rng.sample(courses, count)
        cohort = cohorts.get(pk)
        if cohort is not None and cohort.course not in chosen:
            chosen[0] = cohort.course
        return chosen

    def _learn(self, pk, course, lesson_ids, quiz, rows, tries):
        enrolled = self.now - datetime.timedelta(
            days=self.rng.randrange(0, 720), seconds=self.rng.randrange(86400)
        )
        rows["enrolments"].append((pk, course.pk, enrolled))
        # Learners stop anywhere: six in ten finish every lesson.
        reached = (
            len(lesson_ids) if self.rng.random() < 0.6 else self.rng.randrange(len(lesson_ids))
        )
        moment = enrolled
        done = rows["lesson_completions"]
        for lesson_id in lesson_ids[:reached]:
            moment = min(self.now, moment + datetime.timedelta(hours=self.rng.randrange(1, 240)))
            done.append((pk, lesson_id, course.pk, moment))
        if reached < len(lesson_ids):
            return
        passed = True
        if quiz is not None:
            # One attempt; a learner who fails tries again half the time. Courses may share
            # a final quiz: a learner's attempts at it are numbered across them.
            for _try in (1, 2):
                number = self.taken[pk, quiz[0]] = self.taken.get((pk, quiz[0]), 0) + 1
                moment = min(self.now, moment + datetime.timedelta(hours=self.rng.randrange(1, 72)))
                drawn, answers, percent, passed = self.rng.choice(quiz[2])
                rows["attempts"].append(
                    (pk, quiz[0], quiz[1], number, drawn, answers, SUBMITTED, moment, moment)
                    + (percent, passed)
                )
                if passed or self.rng.random() < 0.5:
                    break
        if passed:
            rows["completions"].append((pk, course.pk, moment))

    def _prepared_sets(self, course) -> list[tuple]:
        """`answer_sets` with their JSON prepared for the database once: many attempts share
        each."""
        return [
            (
                bulk.prepared(Attempt, "drawn", drawn),
                bulk.prepared(Attempt, "answers", answers),
                bulk.prepared(Attempt, "percent", percent),
                passed,
            )
            for drawn, answers, percent, passed in self.answer_sets(course)
        ]

    def answer_sets(self, course, count: int = 40) -> list[tuple]:
        """Answer sets for a course's final quiz, graded as the quiz grades them: each question
        answered right with a chance of its own (so some are missed far more than others), a
        scenario walked choice by choice, the better choices more often taken. Attempts draw
        from these, so that their answers carry the quiz's competency tags and choices."""
        quiz = quiz_at_revision(course.final_quiz.latest_revision_id)
        questions = quiz.scoring_questions()
        odds = {key: 0.7 + 0.29 * self.rng.random() for key in questions}
        found = []
        for _n in range(count):
            keys = list(questions)
            if quiz.is_branching:
                answers = {"path": self._walk(quiz, questions)}
            else:
                if quiz.draw and quiz.draw < len(keys):
                    keys = self.rng.sample(keys, quiz.draw)
                answers = {key: self._answer(questions[key], odds[key]) for key in keys}
            attempt = Attempt(revision_id=course.final_quiz.latest_revision_id, drawn=keys)
            attempt.answers = answers
            result = quiz_services.grade(attempt)
            found.append((keys, answers, dict(result.percent), result.passed))
        return found

    def _answer(self, question, odds: float):
        right = [c.id for c in question.choices if c.correct]
        wrong = [c.id for c in question.choices if not c.correct] or right
        good = self.rng.random() < odds
        if question.kind == "multiple":
            return right if good else [*right[:-1], self.rng.choice(wrong)]
        if question.kind == "ordering":
            order = [c.id for c in question.choices]
            if not good:
                order[0], order[-1] = order[-1], order[0]
            return order
        return self.rng.choice(right) if good and right else self.rng.choice(wrong)

    def _walk(self, quiz, questions) -> list[str]:
        path, step = [], quiz.first_step
        while step is not None:
            choices = questions[step].choices
            weights = [16 if c.correct else 1 for c in choices]
            choice = self.rng.choices(choices, weights)[0]
            path.append(choice.id)
            step = choice.leads_to
        return path


def generate(*, learners: int, seed: int = 1, password: str, log=print) -> dict:
    return Generator(learners=learners, seed=seed, password=password, log=log).build()
