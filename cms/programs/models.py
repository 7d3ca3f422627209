"""The shared registry of capacity-building programmes, aligned with IATI 2.03.

A programme is one activity as IATI sees it: an identifier (the reporting organisation's prefix
and its own id), a reporting organisation, participating organisations with their roles, a title
and description per language, a status, dates, places, sectors and results. Organisations are
`cms.accounts.Organisation` rows, one per real organisation, reachable by their aliases in every
language. Every change to a programme is kept as a revision; every decision about a possible
duplicate is kept with who made it.
"""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cms.accounts.models import Organisation


class ActivityStatus(models.IntegerChoices):
    """IATI's ActivityStatus codelist."""

    PIPELINE = 1, _("Pipeline/identification")
    IMPLEMENTATION = 2, _("Implementation")
    FINALISATION = 3, _("Finalisation")
    CLOSED = 4, _("Closed")
    CANCELLED = 5, _("Cancelled")
    SUSPENDED = 6, _("Suspended")


class OrganisationRole(models.IntegerChoices):
    """IATI's OrganisationRole codelist."""

    FUNDING = 1, _("Funding")
    ACCOUNTABLE = 2, _("Accountable")
    EXTENDING = 3, _("Extending")
    IMPLEMENTING = 4, _("Implementing")


class Theme(models.TextChoices):
    """Flightpath's four topics and train-the-trainer."""

    INDICATORS = "indicators", _("Smuggling indicators")
    DOCUMENTS = "documents", _("Document abuse")
    CORRUPTION = "corruption", _("Corruption resistance")
    RIGHTS = "rights", _("Rights and profiling ethics")
    TRAINERS = "trainers", _("Train-the-trainer")


class Agency(models.TextChoices):
    BORDER_POLICE = "border_police", _("Border police")
    IMMIGRATION = "immigration", _("Immigration")
    CUSTOMS = "customs", _("Customs")
    GENDARMERIE = "gendarmerie", _("Gendarmerie")
    POLICE = "police", _("Police")
    AIRLINE = "airline", _("Airline")
    AIRPORT_OPERATOR = "airport_operator", _("Airport operator")
    PROSECUTION = "prosecution", _("Prosecution")
    OTHER = "other", _("Other")


class Modality(models.TextChoices):
    CLASSROOM = "classroom", _("Classroom")
    ELEARNING = "elearning", _("E-learning")
    BLENDED = "blended", _("Blended")
    MENTORING = "mentoring", _("Mentoring")
    OPERATION = "operation", _("Operation")
    MEETING = "meeting", _("Expert meeting")


class Visibility(models.TextChoices):
    PARTNERS = "partners", _("Partners only")
    PUBLIC = "public", _("Public")


class WorkflowStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    PUBLISHED = "published", _("Published")


class RelationKind(models.TextChoices):
    """IATI's RelatedActivityType, with Flightpath's `predecessor` beside it. `same` is IATI's
    third-party report: another organisation's record of the same activity."""

    PARENT = "parent", _("Parent")
    CHILD = "child", _("Child")
    SIBLING = "sibling", _("Sibling")
    CO_FUNDED = "co_funded", _("Co-funded")
    PREDECESSOR = "predecessor", _("Predecessor")
    SAME = "same", _("Same activity, reported by another organisation")


IATI_RELATION_CODES = {"parent": 1, "child": 2, "sibling": 3, "co_funded": 4, "same": 5}
LANGUAGE_MAX = 8


def normalise_name(name: str) -> str:
    """An organisation name as aliases are compared: case and spacing ignored."""
    return re.sub(r"\s+", " ", name or "").strip().casefold()


class OrganisationAlias(models.Model):
    """Another name of a canonical organisation ("ONUDC", "УНП ООН"), in a language or none."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("name"), max_length=200)
    normalised = models.CharField(max_length=200, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=LANGUAGE_MAX, blank=True)

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("organisation alias")
        verbose_name_plural = _("organisation aliases")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalised = normalise_name(self.name)
        super().save(*args, **kwargs)


class OrganisationReference(models.Model):
    """An organisation's IATI organisation identifier (e.g. "XM-DAC-47066"): the prefix of the
    identifiers of the programmes it reports. Without one, Flightpath's own "FP-<SLUG>" is used."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="iati_reference"
    )
    ref = models.CharField(_("IATI organisation identifier"), max_length=100, unique=True)

    def __str__(self):
        return self.ref


class OrganisationMerge(models.Model):
    """The audit of one merge: which organisation was folded into which, by whom, what moved."""

    kept = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="merges_received"
    )
    kept_name = models.CharField(max_length=200)
    merged_id = models.BigIntegerField()
    merged_name = models.CharField(max_length=200)
    moved = models.JSONField(default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self):
        return f"{self.merged_name} → {self.kept_name}"


class ProgrammeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(workflow_status=WorkflowStatus.PUBLISHED)

    def for_listing(self):
        return self.select_related("reporting_org").prefetch_related("texts", "countries")


class Programme(models.Model):
    identifier = models.CharField(_("IATI identifier"), max_length=150, unique=True)
    reporting_org = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="reported_programmes",
        verbose_name=_("reporting organisation"),
    )
    default_language = models.CharField(_("default language"), max_length=LANGUAGE_MAX)
    activity_status = models.PositiveSmallIntegerField(
        _("activity status"), choices=ActivityStatus.choices, default=ActivityStatus.PIPELINE
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    # The dates that count (actual where known, else planned), kept for narrowing in SQL.
    starts_on = models.DateField(null=True, editable=False, db_index=True)
    ends_on = models.DateField(null=True, editable=False, db_index=True)
    modality = models.CharField(_("modality"), max_length=16, choices=Modality.choices)
    participants_planned = models.PositiveIntegerField(_("participants planned"), null=True)
    participants_actual = models.PositiveIntegerField(_("participants actual"), null=True)
    participants_female = models.PositiveIntegerField(_("women taking part"), null=True)
    participants_male = models.PositiveIntegerField(_("men taking part"), null=True)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PARTNERS
    )
    workflow_status = models.CharField(
        _("workflow status"),
        max_length=16,
        choices=WorkflowStatus.choices,
        default=WorkflowStatus.DRAFT,
    )
    is_demo = models.BooleanField(_("invented demo record"), default=False)
    # The create form's one-time token: a second submit of the same form finds the first record.
    creation_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "identifier"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(activity_status__gte=1, activity_status__lte=6),
                name="programme_activity_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=["partners", "public"]),
                name="programme_visibility_valid",
            ),
            models.CheckConstraint(
                condition=Q(workflow_status__in=["draft", "submitted", "published"]),
                name="programme_workflow_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="programme_planned_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=models.F("actual_start")),
                name="programme_actual_dates_in_order",
            ),
        ]

    def __str__(self):
        return self.identifier

    def text_in(self, language: str):
        """The title and description in `language`, else the default language's, else any."""
        texts = list(self.texts.all())
        for wanted in (language, self.default_language):
            for text in texts:
                if text.language == wanted:
                    return text
        return texts[0] if texts else None

    def tag_groups(self) -> list[tuple[str, list[str]]]:
        """Themes, target agencies and languages of delivery by their labels, from the
        prefetched tags."""
        labels = {
            "theme": dict(Theme.choices),
            "agency": dict(Agency.choices),
            "language": dict(settings.LANGUAGES),
        }
        groups = {kind: [] for kind in ProgrammeTag.Kind.values}
        for tag in self.tags.all():
            groups[tag.kind].append(labels[tag.kind].get(tag.code, tag.code))
        return [(ProgrammeTag.Kind(kind).label, found) for kind, found in groups.items() if found]

    @property
    def is_published(self) -> bool:
        return self.workflow_status == WorkflowStatus.PUBLISHED


class ProgrammeText(models.Model):
    """A programme's title and description in one language (ISO 639-1)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=LANGUAGE_MAX)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"))

    class Meta:
        ordering = ["programme", "language"]
        indexes = [models.Index(fields=["language"])]
        constraints = [
            models.UniqueConstraint(fields=["programme", "language"], name="text_one_per_language")
        ]

    def __str__(self):
        return f"{self.title} ({self.language})"


class ProgrammeCountry(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="countries")
    country = CountryField(_("country"), db_index=True)
    percentage = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["programme", "-percentage", "country"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "country"], name="country_once"),
        ]

    def __str__(self):
        return f"{self.country.code} {self.percentage or ''}".strip()


class ProgrammeAirport(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="airports")
    iata = models.CharField(_("IATA code"), max_length=3, db_index=True)
    country = CountryField(_("country"), db_index=True)

    class Meta:
        ordering = ["programme", "iata"]
        constraints = [models.UniqueConstraint(fields=["programme", "iata"], name="airport_once")]

    def __str__(self):
        return self.iata


class ProgrammeSector(models.Model):
    """A sector on a vocabulary (IATI SectorVocabulary; 1 is OECD DAC 5-digit)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sectors")
    vocabulary = models.CharField(max_length=8, default="1")
    code = models.CharField(max_length=20)
    percentage = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["programme", "vocabulary", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "vocabulary", "code"], name="sector_once_per_vocabulary"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.percentage or ''}".strip()


class ProgrammeTag(models.Model):
    """One of a programme's themes, target agencies or languages of delivery."""

    class Kind(models.TextChoices):
        THEME = "theme", _("Theme")
        AGENCY = "agency", _("Target agency")
        LANGUAGE = "language", _("Language of delivery")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tags")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    code = models.CharField(max_length=32)

    class Meta:
        ordering = ["programme", "kind", "code"]
        indexes = [models.Index(fields=["kind", "code"])]
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind", "code"], name="tag_once"),
        ]

    def __str__(self):
        return f"{self.kind}: {self.code}"


class ParticipatingOrganisation(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="participations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="programme_participations"
    )
    role = models.PositiveSmallIntegerField(_("role"), choices=OrganisationRole.choices)

    class Meta:
        ordering = ["programme", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation", "role"], name="participation_once_per_role"
            ),
            models.CheckConstraint(
                condition=Q(role__gte=1, role__lte=4), name="participation_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


class BudgetLine(models.Model):
    """What one funder puts in; a recipient country here is IATI's transaction level."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budgets")
    funder = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="programme_budgets"
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3)
    recipient_country = CountryField(blank=True)

    class Meta:
        ordering = ["programme", "funder__name"]

    def __str__(self):
        return f"{self.funder}: {self.amount} {self.currency}"


class DocumentCategory(models.TextChoices):
    """IATI's DocumentCategory codelist, the codes an activity's documents take."""

    IMPACT_APPRAISAL = "A01", _("Pre- and post-project impact appraisal")
    OBJECTIVES = "A02", _("Objectives or purpose of the programme")
    BENEFICIARIES = "A03", _("Intended beneficiaries")
    CONDITIONS = "A04", _("Conditions")
    BUDGET = "A05", _("Budget")
    CONTRACT_SUMMARY = "A06", _("Summary of a contract")
    EVALUATION = "A07", _("Review and evaluation")
    RESULTS = "A08", _("Results, outcomes and outputs")
    MEMORANDUM = "A09", _("Memorandum of understanding")
    TENDER = "A10", _("Tender")
    CONTRACT = "A11", _("Contract")
    WEB_PAGE = "A12", _("Programme web page")


class DocumentLink(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="documents")
    url = models.URLField(max_length=500)
    title = models.CharField(max_length=300)
    category = models.CharField(
        _("category"),
        max_length=3,
        choices=DocumentCategory.choices,
        default=DocumentCategory.WEB_PAGE,
    )
    language = models.CharField(max_length=LANGUAGE_MAX, blank=True)

    class Meta:
        ordering = ["programme", "title"]

    def __str__(self):
        return self.title


class ProgrammeRelation(models.Model):
    """`programme` is `kind` of `related`: a child of its parent, a successor's predecessor..."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="relations")
    related = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=RelationKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "related"], name="relation_once"),
            models.CheckConstraint(
                condition=~Q(programme=models.F("related")), name="relation_not_to_itself"
            ),
        ]

    def __str__(self):
        return f"{self.programme_id} {self.kind} {self.related_id}"


class ProgrammeRevision(models.Model):
    """Every saved state of a programme, as it then was, with who saved it."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="revision_number_once")
        ]

    def __str__(self):
        return f"{self.programme_id} #{self.number}"


class OverlapDecision(models.Model):
    """What a person decided about a possible duplicate: kept, and never asked again.

    The pair is stored in id order (`low` < `high`) so it is one row whichever side asks."""

    class Decision(models.TextChoices):
        SAME = "same", _("Same programme")
        RELATED = "related", _("Related")
        DIFFERENT = "different", _("Different")

    low = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    high = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(max_length=16, choices=Decision.choices)
    relation = models.CharField(max_length=16, choices=RelationKind.choices, blank=True)
    kind = models.CharField(max_length=16, blank=True)
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at"]
        constraints = [
            models.UniqueConstraint(fields=["low", "high"], name="decision_once_per_pair"),
            models.CheckConstraint(condition=Q(low__lt=models.F("high")), name="pair_in_order"),
            models.CheckConstraint(
                condition=Q(decision__in=["same", "related", "different"]),
                name="decision_valid",
            ),
        ]

    def __str__(self):
        return f"{self.low_id}/{self.high_id}: {self.decision}"


class ApiToken(models.Model):
    """A person's key to the registry's API. Only its SHA-256 hash is kept: the key itself is
    shown once, when it is made. It acts with its owner's rights, as they are at each request."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registry_api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class ProgrammeCoordinator(models.Model):
    """A person who follows a programme for its organisations (a UNODC or INTERPOL programme
    officer, say): the dashboards show them the learners, cohorts and trainers delivered
    under it, in every organisation and country. Granted and withdrawn by the registry's
    moderators."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coordinated_programmes",
        verbose_name=_("person"),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="coordinators",
        verbose_name=_("programme"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        ordering = ["programme", "user__email"]
        verbose_name = _("programme coordinator")
        verbose_name_plural = _("programme coordinators")
        constraints = [
            models.UniqueConstraint(fields=["user", "programme"], name="programme_coordinator_once")
        ]

    def __str__(self):
        return f"{self.user} – {self.programme}"


class MatchSummary(models.Model):
    """What the overlap check reads of one programme, in one row kept beside it: its dates, and
    as `facts` its airports, countries (with its airports' countries), themes, target agencies,
    participant count, canonical organisations and titles per language, normalised as the check
    compares them. Written in the transaction that saves, imports or merges, from the same
    draft; `rebuild_match_summaries` writes every row again. A programme without a start date
    has none (the check never raises it)."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, primary_key=True, related_name="match_summary"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    facts = models.JSONField()

    class Meta:
        verbose_name = _("overlap check summary")

    def __str__(self):
        return f"{self.programme_id}: {self.starts_on}–{self.ends_on}"


class MatchKey(models.Model):
    """One way the overlap check reaches a programme, with its dates: a country it names or
    whose airport it names ("c:KE"), an organisation taking part or reporting ("o:12"), and
    for a record naming no place at all the same organisations again ("n:12"). The index leads
    with the key and covers the dates, so narrowing reads the index alone."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="match_keys")
    key = models.CharField(max_length=40)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        indexes = [
            models.Index(
                fields=["key", "starts_on", "ends_on", "programme"], name="match_key_window"
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="match_key_once"),
        ]

    def __str__(self):
        return f"{self.programme_id} {self.key}"
