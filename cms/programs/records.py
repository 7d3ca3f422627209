"""A programme as plain data: what a form, an import or the API hands to validation, the overlap
check and the services, saved or not yet saved."""

import datetime
from dataclasses import dataclass, field, is_dataclass
from decimal import Decimal

from cms.accounts.models import Organisation

from .models import Programme, ProgrammeTag


@dataclass
class Text:
    language: str
    title: str
    description: str = ""


@dataclass
class CountryShare:
    country: str
    percentage: Decimal | None = None


@dataclass
class SectorShare:
    code: str
    percentage: Decimal | None = None
    vocabulary: str = "1"


@dataclass
class Participation:
    organisation: Organisation
    role: int


@dataclass
class Budget:
    funder: Organisation
    amount: Decimal
    currency: str
    recipient_country: str = ""


@dataclass
class Document:
    url: str
    title: str
    language: str = ""
    category: str = "A12"  # IATI DocumentCategory: the programme's web page


@dataclass
class ProgrammeDraft:
    identifier: str
    reporting_org: Organisation | None
    texts: list[Text]
    default_language: str = "en"
    activity_status: int = 1
    planned_start: datetime.date | None = None
    planned_end: datetime.date | None = None
    actual_start: datetime.date | None = None
    actual_end: datetime.date | None = None
    countries: list[CountryShare] = field(default_factory=list)
    airports: list[str] = field(default_factory=list)
    sectors: list[SectorShare] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    modality: str = "classroom"
    participants_planned: int | None = None
    participants_actual: int | None = None
    participants_female: int | None = None
    participants_male: int | None = None
    participations: list[Participation] = field(default_factory=list)
    budgets: list[Budget] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    contact_name: str = ""
    contact_email: str = ""
    visibility: str = "partners"
    pk: int | None = None  # set when the draft is a saved programme

    @property
    def starts_on(self) -> datetime.date | None:
        return self.actual_start or self.planned_start

    @property
    def ends_on(self) -> datetime.date | None:
        return self.actual_end or self.planned_end or self.starts_on

    @property
    def participants(self) -> int | None:
        return self.participants_actual or self.participants_planned

    def organisation_ids(self) -> set[int]:
        ids = {p.organisation.pk for p in self.participations if p.organisation.pk}
        if self.reporting_org is not None and self.reporting_org.pk:
            ids.add(self.reporting_org.pk)
        return ids

    def country_codes(self) -> set[str]:
        return {c.country for c in self.countries}


def draft_from_programme(programme: Programme, *, details: bool = True) -> ProgrammeDraft:
    """The draft of a saved programme; its related rows should be prefetched
    (`selectors.PROGRAMME_PREFETCH`). Without `details`, sectors, budgets and documents are
    left out (the overlap check reads none of them, nor prefetches them)."""
    tags = {kind: [] for kind in ProgrammeTag.Kind.values}
    for tag in programme.tags.all():
        tags[tag.kind].append(tag.code)
    return ProgrammeDraft(
        pk=programme.pk,
        identifier=programme.identifier,
        reporting_org=programme.reporting_org,
        default_language=programme.default_language,
        texts=[Text(t.language, t.title, t.description) for t in programme.texts.all()],
        activity_status=programme.activity_status,
        planned_start=programme.planned_start,
        planned_end=programme.planned_end,
        actual_start=programme.actual_start,
        actual_end=programme.actual_end,
        countries=[CountryShare(c.country.code, c.percentage) for c in programme.countries.all()],
        airports=[a.iata for a in programme.airports.all()],
        sectors=[SectorShare(s.code, s.percentage, s.vocabulary) for s in programme.sectors.all()]
        if details
        else [],
        themes=tags["theme"],
        agencies=tags["agency"],
        languages=tags["language"],
        modality=programme.modality,
        participants_planned=programme.participants_planned,
        participants_actual=programme.participants_actual,
        participants_female=programme.participants_female,
        participants_male=programme.participants_male,
        participations=[
            Participation(p.organisation, p.role) for p in programme.participations.all()
        ],
        budgets=[
            Budget(b.funder, b.amount, b.currency, b.recipient_country.code or "")
            for b in programme.budgets.all()
        ]
        if details
        else [],
        documents=[
            Document(d.url, d.title, d.language, d.category) for d in programme.documents.all()
        ]
        if details
        else [],
        contact_name=programme.contact_name,
        contact_email=programme.contact_email,
        visibility=programme.visibility,
    )


def snapshot(draft: ProgrammeDraft, *, workflow_status: str) -> dict:
    """The draft as JSON for a revision: organisations by id and name, dates as ISO strings."""
    return _plain(draft) | {"workflow_status": workflow_status}


def _plain(value):
    if is_dataclass(value):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, Organisation):
        return {"id": value.pk, "name": value.name}
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
