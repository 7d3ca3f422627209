"""Summary tables the coordinators' dashboards read. Kept up to date by
`courses.dashboards.summaries` in the transaction of every event that changes them, and
rewritten from the records by `manage.py rebuild_dashboards`."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Attempt, Quiz
from cms.accounts.models import Organisation

from .cohorts import Cohort
from .pages import CoursePage, LessonPage


class LearnerProgress(models.Model):
    """One learner's progress in one course or track they are enrolled in, with where they
    belong: their organisation (and its country), the cohort that teaches them the course and
    the registry's programme that cohort is delivered under."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    country = models.CharField(_("country"), max_length=2, blank=True)
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    programme = models.ForeignKey(
        "programs.Programme", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enrolled_at = models.DateTimeField(_("enrolled"))
    lessons_done = models.PositiveIntegerField(_("lessons done"), default=0)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"))
    # Where the learner stopped: the lesson they completed last (none before their first).
    last_lesson = models.ForeignKey(
        LessonPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("last lesson completed"),
    )

    class Meta:
        verbose_name = _("learner's progress")
        verbose_name_plural = _("learners' progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="learner_progress_unique")
        ]
        indexes = [
            models.Index(fields=["organisation", "course"]),
            models.Index(fields=["country", "course"]),
            models.Index(fields=["cohort"]),
            models.Index(fields=["trainer"]),
            models.Index(fields=["programme", "course"]),
            models.Index(fields=["course", "enrolled_at"]),
            # The learner list, latest enrolments first (`selectors.Learners`): of
            # everyone, of a country, of an organisation, of a programme.
            models.Index(fields=["enrolled_at", "id"]),
            models.Index(fields=["country", "enrolled_at", "id"]),
            models.Index(fields=["organisation", "enrolled_at", "id"]),
            models.Index(fields=["programme", "enrolled_at", "id"]),
            # The stalled learners, quietest first (`stalled.Stalled`), among the rows not
            # completed only: of everyone, of a country, of an organisation.
            models.Index(
                fields=["last_activity_at", "user", "course"],
                condition=models.Q(completed_at__isnull=True),
                name="progress_open_quiet",
            ),
            models.Index(
                fields=["country", "last_activity_at", "user", "course"],
                condition=models.Q(completed_at__isnull=True),
                name="progress_open_country_quiet",
            ),
            models.Index(
                fields=["organisation", "last_activity_at", "user", "course"],
                condition=models.Q(completed_at__isnull=True),
                name="progress_open_org_quiet",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} in {self.course_id}"


# The keys of `CompletionMonth` a dashboard breaks its figures down by.
_BREAKDOWN_KEYS = ("organisation_key", "country", "cohort_key", "trainer_key", "programme_key")


class CompletionMonth(models.Model):
    """Counts for one course, organisation, country, cohort, trainer and programme in one month:
    `enrolments` who enrolled that month, `completed` of those who have completed since, and
    `completions` recorded that month. Keys are plain numbers, 0 for none, so that one row
    stands for each combination in a unique constraint.

    The same counts are kept at coarser `level`s, so that a dashboard naming few dimensions
    sums a few thousand rows rather than every combination: `FINE` keeps every key; `COUNTRY`
    the course and country by month (the others 0); `ALL_TIME` the course, organisation,
    country and programme over all time (cohort and trainer 0, `month` `ALL_TIME_MONTH`);
    `COURSE` the course alone by month (a few hundred rows however many learners: the figures
    of everyone, and their chart); `EVERY_KEY` every key but the month, over all time (a
    breakdown by cohort or trainer, with no period); `ORGANISATION` the course and organisation
    over all time (a row per organisation and course: the breakdown by organisation across
    every organisation is read without grouping); `COUNTRY_ALL_TIME` the course and country
    over all time (a row per country and course: the breakdown by country, or a country's
    figures, with no period). Each coarse row equals the sum of the fine rows it stands
    for."""

    FINE, COUNTRY, ALL_TIME, COURSE, EVERY_KEY, ORGANISATION, COUNTRY_ALL_TIME = range(7)
    ALL_TIME_MONTH = datetime.date(1, 1, 1)

    level = models.PositiveSmallIntegerField(default=FINE)
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    organisation_key = models.PositiveIntegerField(default=0)
    country = models.CharField(max_length=2, blank=True)
    cohort_key = models.PositiveIntegerField(default=0)
    trainer_key = models.PositiveIntegerField(default=0)
    programme_key = models.PositiveIntegerField(default=0)
    month = models.DateField()
    enrolments = models.IntegerField(default=0)
    completed = models.IntegerField(default=0)
    completions = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("completion count")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "level",
                    "course",
                    "organisation_key",
                    "country",
                    "cohort_key",
                    "trainer_key",
                    "programme_key",
                    "month",
                ],
                name="completion_month_unique",
            )
        ]
        indexes = [
            # The months of an organisation, a programme or a country (a chart, a period),
            # covering: a period of a year at the finest level sums thousands of rows that
            # lie scattered over the table, and read from the index alone it takes a third.
            *(
                models.Index(
                    fields=[
                        "level",
                        key,
                        "month",
                        "course",
                        *(other for other in _BREAKDOWN_KEYS if other != key),
                        "enrolments",
                        "completed",
                        "completions",
                    ],
                    name=f"completion_{short}_month",
                )
                for key, short in (
                    ("organisation_key", "org"),
                    ("programme_key", "prog"),
                    ("country", "country"),
                )
            ),
            models.Index(fields=["level", "month"]),
            # A breakdown's table sums its level read from one of these alone, already in
            # the order of its groups (the rows themselves lie scattered over the table).
            *(
                models.Index(
                    fields=["level", key, "course", "enrolments", "completed"],
                    name=f"completion_by_{key.removesuffix('_key')}",
                )
                for key in _BREAKDOWN_KEYS
            ),
            # The same for a coordinator's organisation and a programme coordinator's
            # programmes: the reader's own rows alone, in the order of the breakdown's groups.
            # (Without them SQLite, which keeps no statistics, read every row of the level in
            # the breakdown's order rather than sort the reader's few.)
            *(
                models.Index(
                    fields=["level", scope, key, "course", "enrolments", "completed"],
                    name=f"completion_{short}_{key.removesuffix('_key')}",
                )
                for scope, short in (("organisation_key", "org"), ("programme_key", "prog"))
                for key in _BREAKDOWN_KEYS
                if key != scope
            ),
        ]

    def __str__(self):
        return f"{self.course_id} {self.month}"


class Reminder(models.Model):
    """The last reminder a coordinator sent a stalled learner about a course: one row per
    learner and course, so that two coordinators, or one clicking twice, cannot both send one
    within `courses.dashboards.reminders.QUIET_DAYS` of the last."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("learner"),
    )
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="+", verbose_name=_("course")
    )
    sent_at = models.DateTimeField(_("last sent"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sent by"),
    )
    times = models.PositiveIntegerField(_("reminders sent"), default=1)

    class Meta:
        verbose_name = _("reminder to a stalled learner")
        verbose_name_plural = _("reminders to stalled learners")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="reminder_one_per_course")
        ]

    def __str__(self):
        return f"{self.user_id} about {self.course_id} at {self.sent_at}"


class AttemptSummary(models.Model):
    """One graded attempt as the competency analytics count it: the learner, the quiz (the
    one its translations hang from), the course it ends, where the learner belongs (as in
    their `LearnerProgress` for that course, else their organisation), and its answers'
    outcomes: `[question, full marks (1 or 0), "tag,tag", choice taken at a step, critical
    (1 or 0)]` each, read once from the attempt when it is graded."""

    attempt = models.OneToOneField(
        Attempt, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="+")
    course_key = models.PositiveIntegerField(default=0)
    organisation_key = models.PositiveIntegerField(default=0)
    country = models.CharField(max_length=2, blank=True)
    cohort_key = models.PositiveIntegerField(default=0)
    trainer_key = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField()
    # The learner's first graded attempt at this quiz that took a critical choice: the one
    # that counts them in `ScenarioMonth.critical_learners`.
    first_critical = models.BooleanField(default=False)
    outcomes = models.JSONField(default=list)

    class Meta:
        verbose_name = _("graded attempt's outcomes")
        indexes = [
            models.Index(fields=["user"]),
            models.Index(fields=["quiz", "first_critical"], name="attempt_summary_critical"),
            # The learners behind a scenario's critical figure, latest first: of everyone, of
            # an organisation, of the cohorts of a programme.
            models.Index(
                fields=["quiz", "-submitted_at", "-attempt"],
                condition=models.Q(first_critical=True),
                name="attempt_summary_critical_at",
            ),
            models.Index(
                fields=["organisation_key", "quiz", "-submitted_at", "-attempt"],
                condition=models.Q(first_critical=True),
                name="attempt_summary_critical_org",
            ),
            models.Index(
                fields=["cohort_key", "quiz", "-submitted_at", "-attempt"],
                condition=models.Q(first_critical=True),
                name="attempt_critical_cohort",
            ),
        ]

    def __str__(self):
        return f"{self.attempt_id}"


class OutcomeKeys(models.Model):
    """Where a count belongs: quiz, course, organisation, country, cohort, trainer and month
    of the graded attempts it counts. Plain numbers, 0 for none, as in `CompletionMonth`.

    Every count is kept at six levels: `level` 0 with every key, and 1 added up over
    organisations, cohorts and trainers (their keys 0, the country kept); 2 and 3 are 0 and 1
    added up over all time (`month` the first day of year 1); 4 and 5 are 1 and 3 added up
    over every country (quiz and course alone). Level 0 grows with the learners; level 1 stays
    within countries × months × quizzes × questions, so that figures across every organisation
    read few rows whatever the number of learners, and figures across every country read
    fewer still from 4 and 5; a page read without a period reads 2, 3 or 5, a row per key
    instead of one per key and month. Each table's indexes are `outcome_indexes`."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="+")
    course_key = models.PositiveIntegerField(default=0)
    organisation_key = models.PositiveIntegerField(default=0)
    country = models.CharField(max_length=2, blank=True)
    cohort_key = models.PositiveIntegerField(default=0)
    trainer_key = models.PositiveIntegerField(default=0)
    month = models.DateField()
    level = models.PositiveSmallIntegerField(default=0)

    DIMENSIONS = (
        "quiz_id",
        "course_key",
        "organisation_key",
        "country",
        "cohort_key",
        "trainer_key",
        "month",
        "level",
    )

    class Meta:
        abstract = True


def outcome_indexes(name: str, *, by_month: list[str], by_country: list[str]) -> list:
    """The indexes of an `OutcomeKeys` table: by organisation and by cohort (a coordinator's
    and a programme coordinator's figures), and, holding what is grouped and summed
    (`by_month`, `by_country`) so that figures across organisations are read from them alone,
    by month and by country."""
    return [
        models.Index(fields=["level", "organisation_key", "month"], name=f"{name}_org"),
        models.Index(fields=["level", "month", *by_month], name=f"{name}_month"),
        models.Index(fields=["level", "country", "month", *by_country], name=f"{name}_country"),
        models.Index(fields=["level", "cohort_key", "month"], name=f"{name}_cohort"),
    ]


class CompetencyMonth(OutcomeKeys):
    """Answers to questions tagged with a competency, and how many earned full marks."""

    competency = models.CharField(max_length=60)
    answers = models.IntegerField(default=0)
    full_marks = models.IntegerField(default=0)

    KEYS = (*OutcomeKeys.DIMENSIONS, "competency")
    COUNTS = ("answers", "full_marks")

    class Meta:
        verbose_name = _("competency count")
        constraints = [
            models.UniqueConstraint(
                fields=[*(k.removesuffix("_id") for k in OutcomeKeys.DIMENSIONS), "competency"],
                name="competency_month_unique",
            )
        ]
        indexes = outcome_indexes(
            "competency_month",
            by_month=["competency", "country", "answers", "full_marks"],
            # Not the organisation: with it this index covers a coordinator's sums too, and
            # SQLite, keeping no statistics, then scans every row of the level along it rather
            # than the organisation's few along `_org` (4 ms instead of 0.2 at 100,000 learners).
            by_country=["competency", "answers", "full_marks"],
        )

    def __str__(self):
        return f"{self.competency} {self.month}"


class QuestionMonth(OutcomeKeys):
    """Answers to one question of a quiz, and how many earned full marks."""

    question = models.CharField(max_length=20)
    answers = models.IntegerField(default=0)
    full_marks = models.IntegerField(default=0)

    KEYS = (*OutcomeKeys.DIMENSIONS, "question")
    COUNTS = ("answers", "full_marks")

    class Meta:
        verbose_name = _("question count")
        constraints = [
            models.UniqueConstraint(
                fields=[*(k.removesuffix("_id") for k in OutcomeKeys.DIMENSIONS), "question"],
                name="question_month_unique",
            )
        ]
        indexes = outcome_indexes(
            "question_month",
            by_month=["quiz", "question", "answers", "full_marks"],
            by_country=["quiz", "question", "answers", "full_marks"],
        )

    def __str__(self):
        return f"{self.quiz_id} {self.question} {self.month}"


class ChoiceMonth(OutcomeKeys):
    """How often a choice was taken at a step of a branching scenario."""

    step = models.CharField(max_length=20)
    choice = models.CharField(max_length=20)
    taken = models.IntegerField(default=0)

    KEYS = (*OutcomeKeys.DIMENSIONS, "step", "choice")
    COUNTS = ("taken",)

    class Meta:
        verbose_name = _("scenario choice count")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    *(k.removesuffix("_id") for k in OutcomeKeys.DIMENSIONS),
                    "step",
                    "choice",
                ],
                name="choice_month_unique",
            )
        ]
        indexes = outcome_indexes(
            "choice_month",
            by_month=["quiz", "step", "choice", "taken"],
            by_country=["quiz", "step", "choice", "taken"],
        )

    def __str__(self):
        return f"{self.quiz_id} {self.step} {self.choice} {self.month}"


class ScenarioMonth(OutcomeKeys):
    """Learners who took a branching scenario (counted in the month of their first graded
    attempt) and those who failed on a critical choice (in the month of their first attempt
    that took one)."""

    learners = models.IntegerField(default=0)
    critical_learners = models.IntegerField(default=0)

    KEYS = OutcomeKeys.DIMENSIONS
    COUNTS = ("learners", "critical_learners")

    class Meta:
        verbose_name = _("scenario learners count")
        constraints = [
            models.UniqueConstraint(
                fields=[k.removesuffix("_id") for k in OutcomeKeys.DIMENSIONS],
                name="scenario_month_unique",
            )
        ]
        indexes = [
            models.Index(fields=["level", "organisation_key", "month"], name="scenario_month_org"),
            models.Index(fields=["level", "quiz", "country"], name="scenario_month_quiz"),
            models.Index(fields=["level", "cohort_key", "month"], name="scenario_month_cohort"),
        ]

    def __str__(self):
        return f"{self.quiz_id} {self.month}"


class ProgrammeScope(models.Model):
    """Where a programme's results are counted: everywhere (`EVERYWHERE`: no organisation, no
    country), in the organisations of one `COUNTRY` (`country`), or in one `ORGANISATION`
    (`organisation_key`, with its country). The cohorts counted are those delivered under the
    programme there."""

    EVERYWHERE, COUNTRY, ORGANISATION = 0, 1, 2

    programme = models.ForeignKey("programs.Programme", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(default=EVERYWHERE)
    organisation_key = models.PositiveIntegerField(default=0)
    country = models.CharField(max_length=2, blank=True)

    class Meta:
        abstract = True


class ProgrammeLearner(ProgrammeScope):
    """One person's part in a programme's results in one scope, so that people are counted once
    however many of its cohorts they are in: `trained` (marked present at a session of a
    cohort of theirs, or completed its course), `certified` (a trainer certified on a session
    observed in one of its cohorts, or on or after a cohort of theirs started), and `courses`,
    the courses and tracks they completed if they are a learner of one of its cohorts there
    (counted as completions where a cohort there teaches them). A row of nothing is not kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    trained = models.BooleanField(default=False)
    certified = models.BooleanField(default=False)
    courses = models.JSONField(default=list)

    class Meta:
        verbose_name = _("programme participant")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "level", "organisation_key", "country", "user"],
                name="programme_learner_unique",
            )
        ]
        indexes = [
            models.Index(fields=["user"], name="programme_learner_user"),
            models.Index(
                fields=["level", "organisation_key", "country"], name="programme_learner_org"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} in {self.programme_id}"


class ProgrammeCount(ProgrammeScope):
    """A programme's results in one scope, what the Programme results page reads. The row of
    `course_key` 0 holds its cohorts there, participants trained and certified trainers; a
    row per course or track holds the cohorts there teaching it and `completers`, the
    learners of its cohorts there who completed it. Completions are the completers of the
    courses some cohort there teaches."""

    course_key = models.PositiveIntegerField(default=0)
    cohorts = models.IntegerField(default=0)
    participants_trained = models.IntegerField(default=0)
    certified_trainers = models.IntegerField(default=0)
    completers = models.IntegerField(default=0)

    KEYS = ("programme_id", "level", "organisation_key", "country", "course_key")
    COUNTS = ("cohorts", "participants_trained", "certified_trainers", "completers")

    class Meta:
        verbose_name = _("programme result count")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "level", "organisation_key", "country", "course_key"],
                name="programme_count_unique",
            )
        ]
        indexes = [
            models.Index(
                fields=["level", "organisation_key", "country"], name="programme_count_scope"
            ),
        ]

    def __str__(self):
        return f"{self.programme_id} {self.level} {self.organisation_key} {self.country}"
