"""Scenario quizzes (snippets with drafts, revisions and review) and learners' attempts."""

from functools import lru_cache

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Revision,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from cms.accounts.models import Audience

from . import mrz, scoring, validation, vocabulary
from .blocks import EndingBlock, QuestionsBlock, choice_critical, parse_points, specimen


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


class Quiz(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    TranslatableMixin,
    index.Indexed,
    models.Model,
):
    class Counting(models.TextChoices):
        BEST = "best", _("Best attempt")
        LAST = "last", _("Last attempt")

    class Feedback(models.TextChoices):
        ON_SUBMIT = "on_submit", _("When the attempt is submitted")
        ON_PASS = "on_pass", _("Once the quiz is passed")
        NEVER = "never", _("Never")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100)
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.PUBLIC
    )
    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "ul"])
    dimensions = models.CharField(
        _("scored dimensions"),
        max_length=100,
        default="detection",
        help_text=_("Comma-separated, e.g. 'detection, rights'."),
    )
    pass_on = models.CharField(
        _("dimensions that must pass"),
        max_length=100,
        default="detection",
        help_text=_("Each of these must reach the pass mark."),
    )
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=70)
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=0, help_text=_("0 for no limit.")
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), null=True, blank=True
    )
    counting = models.CharField(
        _("attempt that counts"), max_length=8, choices=Counting.choices, default=Counting.BEST
    )
    feedback = models.CharField(
        _("show feedback"), max_length=12, choices=Feedback.choices, default=Feedback.ON_SUBMIT
    )
    show_correct_answers = models.BooleanField(
        _("show the correct answers with feedback"), default=True
    )
    draw = models.PositiveSmallIntegerField(
        _("questions drawn per attempt"),
        null=True,
        blank=True,
        help_text=_("Leave empty to ask every question."),
    )
    questions = StreamField(QuestionsBlock(), verbose_name=_("questions"))
    endings = StreamField(
        [("ending", EndingBlock())], blank=True, verbose_name=_("scenario endings")
    )

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="quiz")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="quiz",
        for_concrete_model=False,
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("audience"),
        FieldPanel("introduction"),
        MultiFieldPanel(
            [
                FieldPanel("dimensions"),
                FieldPanel("pass_on"),
                FieldPanel("pass_mark"),
                FieldPanel("attempts_allowed"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("counting"),
                FieldPanel("feedback"),
                FieldPanel("show_correct_answers"),
                FieldPanel("draw"),
            ],
            heading=_("Rules"),
        ),
        FieldPanel("questions"),
        FieldPanel("endings"),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]
    # A translation words the quiz in another language; its rules and structure (which
    # choices are right, their points, where a step leads) stay the quiz's own.
    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("introduction"),
        TranslatableField("questions"),
        TranslatableField("endings"),
        SynchronizedField("slug"),
        SynchronizedField("audience"),
        SynchronizedField("dimensions"),
        SynchronizedField("pass_on"),
        SynchronizedField("pass_mark"),
        SynchronizedField("attempts_allowed"),
        SynchronizedField("time_limit_minutes"),
        SynchronizedField("counting"),
        SynchronizedField("feedback"),
        SynchronizedField("show_correct_answers"),
        SynchronizedField("draw"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("scenario quiz")
        verbose_name_plural = _("scenario quizzes")
        constraints = [
            # A translation shares its quiz's slug: one quiz per slug in each language.
            models.UniqueConstraint(fields=["slug", "locale"], name="quiz_slug_per_locale"),
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="quiz_pass_mark_range"),
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values),
                name="quiz_audience_valid",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def revisions(self):
        return self._revisions

    @property
    def dimension_list(self) -> list[str]:
        return _names(self.dimensions) or ["detection"]

    @property
    def pass_on_list(self) -> list[str]:
        return _names(self.pass_on) or self.dimension_list[:1]

    @cached_property
    def blocks_by_key(self) -> dict:
        return {block.value["key"]: block for block in self.questions}

    @property
    def is_branching(self) -> bool:
        return bool(self.blocks_by_key) and all(
            block.block_type == "step" for block in self.questions
        )

    @property
    def first_step(self) -> str:
        return next(iter(self.blocks_by_key))

    @cached_property
    def endings_by_slug(self) -> dict:
        return {block.value["slug"]: block.value for block in self.endings}

    def scoring_question(self, key: str) -> scoring.Question:
        """The question as scoring reads it, built once per quiz object: every save of an
        attempt reads each of its questions, from the one shared copy of its revision."""
        if key not in self._scoring_questions:
            block = self.blocks_by_key[key]
            self._scoring_questions[key] = scoring.Question(
                id=key,
                kind=block.block_type,
                dimensions=tuple(self.dimension_list),
                choices=self._choices(block),
            )
        return self._scoring_questions[key]

    @cached_property
    def _scoring_questions(self) -> dict[str, scoring.Question]:
        return {}

    def scoring_questions(self) -> dict[str, scoring.Question]:
        return {key: self.scoring_question(key) for key in self.blocks_by_key}

    def _choices(self, block) -> list[scoring.Choice]:
        first = self.dimension_list[0]
        if block.block_type == "mrz":
            fault = block.value["fault"]
            return [
                scoring.Choice(name, name == fault, {first: 1} if name == fault else {})
                for name in mrz.FAULTS
            ]
        choices = []
        for choice_id, choice in vocabulary.authored(block.value["choices"]):
            points = parse_points(choice["points"]) or {first: int(choice["is_correct"])}
            leads_to = vocabulary.next_step(choice.get("leads_to"))
            critical, reason = choice_critical(choice)
            choices.append(
                scoring.Choice(choice_id, choice["is_correct"], points, leads_to, critical, reason)
            )
        return choices

    def clean(self):
        """The rules the Markdown loader keeps, named at the field or block they are about."""
        super().clean()
        if found := validation.problems(self.for_validation()):
            raise validation.as_validation_error(found)

    def for_validation(self) -> validation.Quiz:
        return validation.Quiz(
            dimensions=_names(self.dimensions),
            pass_on=_names(self.pass_on),
            questions=[_question_for_validation(block) for block in self.questions],
            endings=[block.value["slug"] for block in self.endings],
            draw=self.draw,
        )

    def grading_structure(self) -> tuple:
        """Everything grading and a scenario's route depend on: a translation may stand in
        for the quiz only while its structure is exactly the same."""
        questions = [
            (
                question.id,
                question.kind,
                tuple(question.dimensions),
                tuple(
                    (
                        c.id,
                        c.correct,
                        tuple(sorted(c.points.items())),
                        c.leads_to,
                        tuple(c.critical),
                    )
                    for c in question.choices
                ),
            )
            for question in self.scoring_questions().values()
        ]
        return (questions, tuple(self.endings_by_slug), self.draw, self.dimension_list)

    def specimen_lines(self, key: str) -> tuple[str, str]:
        value = self.blocks_by_key[key].value
        return mrz.td3_lines(specimen(value), fault=value["fault"])


def _grading(choice: scoring.Choice) -> tuple:
    points = tuple(sorted(choice.points.items()))
    return (choice.id, choice.correct, points, choice.leads_to, tuple(choice.critical))


def _question_for_validation(block) -> validation.Question:
    value = block.value
    if block.block_type == "mrz":
        choices = [validation.Choice(correct=name == value["fault"]) for name in mrz.FAULTS]
    else:
        choices = [
            validation.Choice(
                c["is_correct"],
                _points_or_none(c["points"]),
                c.get("leads_to"),
                choice_critical(c)[0],
            )
            for c in value["choices"]
        ]
    return validation.Question(key=value["key"], kind=block.block_type, choices=choices)


def _points_or_none(text: str) -> dict[str, int]:
    try:
        return parse_points(text)
    except ValidationError:
        return {}  # PointsBlock refuses the text at its own field


@lru_cache(maxsize=64)
def quiz_at_revision(revision_id: int) -> Quiz:
    """A quiz revision, built once per process: revisions never change, and rebuilding a quiz
    from its revision (parsing every question block) is most of the cost of an autosave.

    Raises QuizBroken for a revision that learners could not finish or pass (one saved before
    the CMS checked quizzes): they are told, rather than meeting a step that leads nowhere.
    """
    quiz = Revision.objects.get(pk=revision_id).as_object()
    if found := validation.faults(quiz.for_validation()):
        raise validation.QuizBroken(found)
    quiz.blocks_by_key  # noqa: B018 - parse the questions now, once
    return quiz


class Attempt(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    # The quiz as it was when the attempt started: a resumed attempt shows the same questions.
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField()
    drawn = models.JSONField(default=list)
    answers = models.JSONField(default=dict)
    sequence = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    started_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    percent = models.JSONField(default=dict, blank=True)
    passed = models.BooleanField(null=True)

    class Meta:
        ordering = ["quiz", "user", "number"]
        verbose_name = _("attempt")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz", "number"], name="attempt_number_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "quiz"], condition=Q(status="open"), name="attempt_one_open"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "submitted"]), name="attempt_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(submitted_at__isnull=False, passed__isnull=False),
                name="attempt_submitted_is_graded",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.quiz} #{self.number}"

    @property
    def quiz_as_started(self) -> Quiz:
        """The quiz as it was when the attempt began (read-only: shared between requests)."""
        return quiz_at_revision(self.revision_id)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def scores(self) -> list[tuple[str, int]]:
        """(dimension, percent) in the quiz's own order (JSON objects keep none in PostgreSQL)."""
        order = self.quiz.dimension_list
        return sorted(
            self.percent.items(),
            key=lambda item: (order.index(item[0]) if item[0] in order else len(order), item[0]),
        )


class H5PPackage(models.Model):
    """An uploaded H5P activity, checked and stored outside MEDIA_ROOT (see `h5p/packages.py`)."""

    class Counting(models.TextChoices):
        BEST = "best", _("Best result")
        LAST = "last", _("Last result")

    title = models.CharField(_("title"), max_length=200)
    counting = models.CharField(
        _("result that counts"), max_length=8, choices=Counting.choices, default=Counting.BEST
    )
    folder = models.CharField(max_length=32, unique=True, editable=False)
    main_library = models.CharField(_("main library"), max_length=100, editable=False)
    libraries = models.JSONField(default=list, editable=False)
    extracted_bytes = models.PositiveBigIntegerField(default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("H5P activity")
        verbose_name_plural = _("H5P activities")

    def __str__(self):
        return self.title


class H5PStatement(models.Model):
    """An xAPI statement as the browser sent it, kept once (a resend is recognised by its key)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    package = models.ForeignKey(H5PPackage, on_delete=models.CASCADE, related_name="statements")
    key = models.CharField(max_length=64)
    statement = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "package", "key"], name="h5p_statement_once")
        ]

    def __str__(self):
        return f"{self.user} – {self.package} ({self.key[:8]})"


class H5PResult(models.Model):
    """A learner's result on an H5P activity. Computed in their browser: client-reported, so
    it never decides anything that matters (the server-graded quizzes do)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="h5p_results"
    )
    package = models.ForeignKey(H5PPackage, on_delete=models.CASCADE, related_name="results")
    raw = models.FloatField()
    maximum = models.FloatField()
    scaled = models.FloatField()
    client_reported = models.BooleanField(default=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "package"], name="h5p_result_one_per_user"),
            models.CheckConstraint(
                condition=Q(scaled__gte=0, scaled__lte=1), name="h5p_result_scaled_range"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.package}: {self.raw:g}/{self.maximum:g}"

    @property
    def percent(self) -> int:
        return round(100 * self.scaled)
