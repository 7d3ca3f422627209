"""Exports of a list of programmes: CSV and XLSX (every column, each cell a spreadsheet would
read as a formula escaped), and IATI 2.03 activity XML.

Each is written as it is read, a chunk of records at a time: CSV and XML are streamed to the
client, XLSX goes through openpyxl's write-only mode into a temporary file that is then streamed.
"""

import datetime
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy

from cms import spreadsheets
from cms.accounts.models import Organisation
from cms.spreadsheets import escape_cell

from .models import IATI_RELATION_CODES, BudgetLine, ParticipatingOrganisation, ProgrammeRelation
from .results import RESULT_COLUMNS, programme_results
from .validation import identifier_prefix

CHUNK = 500
COLUMNS = (
    "identifier",
    "reporting_org",
    "reporting_org_ref",
    "title",
    "description",
    "language",
    "other_languages",
    "status",
    "workflow_status",
    "visibility",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "countries",
    "airports",
    "sectors",
    "themes",
    "agencies",
    "languages_of_delivery",
    "modality",
    "participants_planned",
    "participants_actual",
    "participants_female",
    "participants_male",
    "participants_trained",
    "completions",
    "certified_trainers",
    "participating_orgs",
    "budgets",
    "documents",
    "related",
    "contact_name",
    "contact_email",
    "demo",
    "updated_at",
)
# Organisation kinds as IATI's OrganisationType codelist has them.
IATI_ORGANISATION_TYPES = {
    Organisation.Kind.INTERNATIONAL: "40",
    Organisation.Kind.NGO: "22",
    Organisation.Kind.TRAINING_INSTITUTE: "80",
    Organisation.Kind.AIRLINE: "70",
    Organisation.Kind.AIRPORT_OPERATOR: "70",
}
GOVERNMENT = "10"
ACTIVITY_DATE_TYPES = (
    ("planned_start", "1"),
    ("actual_start", "2"),
    ("planned_end", "3"),
    ("actual_end", "4"),
)


def export_queryset(queryset, *, visible):
    """`queryset` with what an export reads, fetched with it; relations only to `visible` ones."""
    relations = ProgrammeRelation.objects.filter(related__in=visible.order_by().values("pk"))
    return (
        queryset.select_related("reporting_org__iati_reference")
        .prefetch_related(
            "texts",
            "countries",
            "airports",
            "sectors",
            "tags",
            "documents",
            Prefetch(
                "participations",
                queryset=ParticipatingOrganisation.objects.select_related(
                    "organisation__iati_reference"
                ),
            ),
            Prefetch("budgets", queryset=BudgetLine.objects.select_related("funder")),
            Prefetch("relations", queryset=relations.select_related("related")),
        )
        .order_by("identifier")
    )


def _joined(values) -> str:
    return ";".join(str(value) for value in values)


def _share(code, percentage) -> str:
    return f"{code}:{percentage.normalize():f}" if percentage is not None else str(code)


def row(programme, results=None) -> list:
    """One programme as the export's columns, in `COLUMNS` order; `results` are those counted
    from what was delivered under it (empty cells when nothing was)."""
    texts = sorted(programme.texts.all(), key=lambda t: t.language != programme.default_language)
    main = texts[0] if texts else None
    tags = {"theme": [], "agency": [], "language": []}
    for tag in programme.tags.all():
        tags[tag.kind].append(tag.code)
    return [
        programme.identifier,
        programme.reporting_org.name,
        identifier_prefix(programme.reporting_org),
        main.title if main else "",
        main.description if main else "",
        main.language if main else "",
        _joined(t.language for t in texts[1:]),
        programme.get_activity_status_display(),
        programme.workflow_status,
        programme.visibility,
        programme.planned_start,
        programme.planned_end,
        programme.actual_start,
        programme.actual_end,
        _joined(_share(c.country.code, c.percentage) for c in programme.countries.all()),
        _joined(a.iata for a in programme.airports.all()),
        _joined(_share(s.code, s.percentage) for s in programme.sectors.all()),
        _joined(tags["theme"]),
        _joined(tags["agency"]),
        _joined(tags["language"]),
        programme.modality,
        programme.participants_planned,
        programme.participants_actual,
        programme.participants_female,
        programme.participants_male,
        *(getattr(results, name) if results else None for name in RESULT_COLUMNS),
        _joined(
            f"{p.organisation.name}:{p.get_role_display()}" for p in programme.participations.all()
        ),
        _joined(f"{b.funder.name}:{b.amount} {b.currency}" for b in programme.budgets.all()),
        _joined(d.url for d in programme.documents.all()),
        _joined(f"{r.related.identifier}:{r.kind}" for r in programme.relations.all()),
        programme.contact_name,
        programme.contact_email,
        "yes" if programme.is_demo else "",
        programme.updated_at.isoformat(timespec="seconds"),
    ]


def rows(queryset) -> Iterator[list]:
    """The header, then one escaped row per programme; results are counted a chunk at a time."""
    yield list(COLUMNS)
    chunk = []
    for programme in queryset.iterator(chunk_size=CHUNK):
        chunk.append(programme)
        if len(chunk) == CHUNK:
            yield from _escaped_rows(chunk)
            chunk = []
    yield from _escaped_rows(chunk)


def _escaped_rows(programmes: list) -> Iterator[list]:
    results = programme_results(programmes=programmes)
    for programme in programmes:
        yield [escape_cell(value) for value in row(programme, results.get(programme.pk))]


def csv_chunks(queryset) -> Iterator[str]:
    return spreadsheets.csv_chunks(rows(queryset))


def xlsx_file(queryset):
    """An XLSX workbook of the programmes in a temporary file, positioned at its start."""
    return spreadsheets.xlsx_file(rows(queryset), title="Programmes")


# IATI 2.03 -----------------------------------------------------------------------------------

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _narrative(parent, text, language=""):
    element = ET.SubElement(parent, "narrative")
    element.text = text
    if language:
        element.set(XML_LANG, language)
    return element


def _organisation_type(organisation) -> str:
    return IATI_ORGANISATION_TYPES.get(organisation.kind, GOVERNMENT)


# The results counted from what was delivered on the platform, as IATI results: each an output
# (result type 1) with one indicator counted in units (measure 1), its actual value over the
# programme's dates.
RESULT_TITLES = {
    "participants_trained": gettext_lazy("Participants trained"),
    "completions": gettext_lazy("Course completions"),
    "certified_trainers": gettext_lazy("Certified trainers"),
}


def _results(element, programme, results) -> None:
    start, end = programme.starts_on, programme.ends_on
    language = get_language() or ""
    for name in RESULT_COLUMNS:
        title = str(RESULT_TITLES[name])
        result = ET.SubElement(element, "result", {"type": "1", "aggregation-status": "1"})
        _narrative(ET.SubElement(result, "title"), title, language)
        indicator = ET.SubElement(result, "indicator", {"measure": "1", "ascending": "1"})
        _narrative(ET.SubElement(indicator, "title"), title, language)
        if start:  # a period needs its dates: a record without them has none to report
            period = ET.SubElement(indicator, "period")
            ET.SubElement(period, "period-start", {"iso-date": start.isoformat()})
            ET.SubElement(period, "period-end", {"iso-date": max(end or start, start).isoformat()})
            ET.SubElement(period, "actual", {"value": str(int(getattr(results, name)))})


def activity(programme, results=None) -> ET.Element:
    """One programme as an IATI 2.03 `iati-activity`, its elements in the schema's order, with
    its `results` (`ProgrammeResults`) where anything was delivered under it."""
    element = ET.Element(
        "iati-activity",
        {
            "last-updated-datetime": programme.updated_at.isoformat(timespec="seconds"),
            XML_LANG: programme.default_language,
        },
    )
    ET.SubElement(element, "iati-identifier").text = programme.identifier
    reporting = ET.SubElement(
        element,
        "reporting-org",
        {
            "ref": identifier_prefix(programme.reporting_org),
            "type": _organisation_type(programme.reporting_org),
        },
    )
    _narrative(reporting, programme.reporting_org.name)
    texts = list(programme.texts.all())
    title = ET.SubElement(element, "title")
    for text in texts:
        _narrative(title, text.title, text.language)
    description = ET.SubElement(element, "description", {"type": "1"})
    for text in texts:
        _narrative(description, text.description, text.language)
    for participation in programme.participations.all():
        organisation = participation.organisation
        attributes = {"role": str(participation.role), "type": _organisation_type(organisation)}
        reference = getattr(organisation, "iati_reference", None)
        if reference is not None:
            attributes["ref"] = reference.ref
        _narrative(ET.SubElement(element, "participating-org", attributes), organisation.name)
    ET.SubElement(element, "activity-status", {"code": str(programme.activity_status)})
    for name, code in ACTIVITY_DATE_TYPES:
        value = getattr(programme, name)
        if value:
            ET.SubElement(element, "activity-date", {"type": code, "iso-date": value.isoformat()})
    if programme.contact_name or programme.contact_email:
        contact = ET.SubElement(element, "contact-info", {"type": "1"})
        if programme.contact_name:
            _narrative(ET.SubElement(contact, "person-name"), programme.contact_name)
        if programme.contact_email:
            ET.SubElement(contact, "email").text = programme.contact_email
    for country in programme.countries.all():
        attributes = {"code": country.country.code}
        if country.percentage is not None:
            attributes["percentage"] = f"{country.percentage.normalize():f}"
        ET.SubElement(element, "recipient-country", attributes)
    for sector in programme.sectors.all():
        attributes = {"vocabulary": sector.vocabulary, "code": sector.code}
        if sector.percentage is not None:
            attributes["percentage"] = f"{sector.percentage.normalize():f}"
        ET.SubElement(element, "sector", attributes)
    for document in programme.documents.all():
        link = ET.SubElement(element, "document-link", {"url": document.url, "format": "text/html"})
        _narrative(ET.SubElement(link, "title"), document.title, document.language)
        ET.SubElement(link, "category", {"code": document.category})
        if document.language:
            ET.SubElement(link, "language", {"code": document.language})
    for relation in programme.relations.all():
        code = IATI_RELATION_CODES.get(relation.kind)
        if code:
            ET.SubElement(
                element, "related-activity", {"ref": relation.related.identifier, "type": str(code)}
            )
    if results is not None:
        _results(element, programme, results)
    return element


def iati_chunks(queryset, *, now: datetime.datetime | None = None) -> Iterable[str]:
    """An `iati-activities` document (version 2.03), one activity at a time."""
    generated = (now or timezone.now()).isoformat(timespec="seconds")
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield f'<iati-activities version="2.03" generated-datetime="{generated}">\n'
    chunk = []
    for programme in queryset.iterator(chunk_size=CHUNK):
        chunk.append(programme)
        if len(chunk) == CHUNK:
            yield from _activities(chunk)
            chunk = []
    yield from _activities(chunk)
    yield "</iati-activities>\n"


def _activities(programmes: list) -> Iterator[str]:
    """Activities a chunk at a time, their results counted for the chunk at once."""
    results = programme_results(programmes=programmes) if programmes else {}
    for programme in programmes:
        yield ET.tostring(activity(programme, results.get(programme.pk)), encoding="unicode") + "\n"
