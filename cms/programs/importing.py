"""Importing programmes from a CSV or JSON file: all of it or nothing, with a reason per bad row.

A file is a list of records with the keys `identifier`, `reporting_org` (a name or an alias in
any language), `title`, `description`, `language`, `status`, `planned_start`, `planned_end`,
`countries`, `airports`, `themes`, `agencies`, `participants_planned` and, optionally,
`participating_orgs`, `sectors`, `related`, `modality` and `visibility`. In CSV the same names
are the columns and lists are separated by `;` (`15190:60;15130:40` for sectors with shares,
`UNODC:funding` for participating organisations, `IDENTIFIER:sibling` for relations).

An identifier the registry holds already updates its record (a new revision); an organisation it
does not know becomes a new canonical organisation.
"""

import csv
import datetime
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries as iso_countries

from . import services, validation
from .models import (
    ActivityStatus,
    OrganisationReference,
    OrganisationRole,
    Programme,
    ProgrammeRelation,
    RelationKind,
)
from .overlap import find_matches
from .records import CountryShare, Participation, ProgrammeDraft, SectorShare, Text
from .selectors import PROGRAMME_PREFETCH

LIST_KEYS = (
    "countries",
    "airports",
    "themes",
    "agencies",
    "participating_orgs",
    "sectors",
    "related",
)
NAME_MAX = 200
DEFAULT_SECTOR = "15190"  # OECD DAC: facilitation of orderly, safe migration; anti-smuggling
STATUS_NAMES = {status.name.lower(): status.value for status in ActivityStatus}
ROLE_NAMES = {role.name.lower(): role.value for role in OrganisationRole}


@dataclass
class RowProblem:
    row: int  # counted from 1: the first record, or the CSV line after the header
    field: str
    message: str

    def __str__(self):
        return f"row {self.row}, {self.field}: {self.message}"


class ImportFailed(Exception):
    """The file was refused; nothing was written."""

    def __init__(self, problems: list[RowProblem]):
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    # (identifier, other identifier, kind, score, reasons): raised, never decided, by an import
    matches: list[tuple] = field(default_factory=list)


def read_file(path) -> list[dict]:
    """The records of a `.json` or `.csv` file (anything else is read as CSV)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        return read_json(text)
    return read_csv(text)


def read_json(text: str) -> list[dict]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFailed([RowProblem(0, "file", _("not valid JSON: %s") % error)]) from None
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise ImportFailed([RowProblem(0, "file", _("JSON must be a list of objects."))])
    return data


def read_csv(text: str) -> list[dict]:
    rows = []
    for record in csv.DictReader(io.StringIO(text)):
        row = {key.strip(): (value or "").strip() for key, value in record.items() if key}
        for key in LIST_KEYS:
            if key in row:
                row[key] = [item.strip() for item in row[key].split(";") if item.strip()]
        rows.append(row)
    return rows


def import_rows(rows: list[dict], *, user=None) -> ImportResult:
    """Create or update a programme per row in one transaction; any bad row refuses the lot."""
    result = ImportResult()
    problems: list[RowProblem] = []
    relations, drafts = [], []
    with transaction.atomic():
        seen = set()
        for number, row in enumerate(rows, start=1):
            found = _import_row(number, row, user=user, result=result, seen=seen)
            if isinstance(found, list):
                problems.extend(found)
            else:
                programme, draft = found
                drafts.append(draft)
                relations.append((number, programme, row.get("related") or []))
        if not problems:
            problems = _link(relations, user)
        if not problems:
            result.matches = _matches(drafts)
        if problems:
            transaction.set_rollback(True)
            raise ImportFailed(problems)
    return result


def draft_from_record(record: dict, *, number: int = 1, result=None):
    """A draft from one record of the import's (or the API's) keys, and its problems, the
    registry's validation included. Organisations it does not know are created: call it inside
    a transaction that is rolled back when nothing should be kept."""
    problems = []
    result = result if result is not None else ImportResult()

    def refuse(name, message):
        problems.append(RowProblem(number, name, message))

    row = record
    for name, value in row.items():
        if _has_nul(value):
            refuse(str(name), _("it contains a NUL character, which no text may hold."))
    if problems:
        return None, problems
    identifier = str(row.get("identifier") or "").strip()
    countries = _list(row, "countries", refuse)
    organisation = _reporting_org(row, identifier, countries, refuse, result)
    draft = ProgrammeDraft(
        identifier=identifier,
        reporting_org=organisation,
        texts=[],
        countries=[CountryShare(str(code).strip().upper()) for code in countries],
        airports=[str(code).strip().upper() for code in _list(row, "airports", refuse)],
        themes=[str(code).strip() for code in _list(row, "themes", refuse)],
        agencies=[_agency(code) for code in _list(row, "agencies", refuse)],
        sectors=_sectors(_list(row, "sectors", refuse), refuse),
        modality=str(row.get("modality") or "classroom").strip(),
        visibility=str(row.get("visibility") or "partners").strip(),
    )
    language = str(row.get("language") or "").strip().lower()
    draft.default_language = language
    draft.languages = [language] if language else []
    draft.texts = [Text(language, str(row.get("title") or ""), str(row.get("description") or ""))]
    draft.activity_status = _status(row.get("status"), refuse)
    draft.planned_start = _date(row, "planned_start", refuse)
    draft.planned_end = _date(row, "planned_end", refuse)
    draft.participants_planned = _count(row, "participants_planned", refuse)
    draft.participations = _participations(row, organisation, countries, refuse, result)
    for name, limit in (("identifier", 150), ("title", 300)):
        if len(str(row.get(name) or "")) > limit:
            refuse(name, _("at most %(limit)s characters.") % {"limit": limit})
    refused = {problem.field for problem in problems}
    for name, messages in validation.problems(draft).items():
        for message in messages:
            if name not in refused:
                refuse(name, message)
    return draft, problems


def _import_row(number, row, *, user, result, seen):
    if not isinstance(row, dict):
        return [RowProblem(number, "row", _("a record is an object of keys and values."))]
    draft, problems = draft_from_record(row, number=number, result=result)
    if draft is None:
        return problems
    identifier = draft.identifier
    if identifier in seen:
        problems.append(
            RowProblem(number, "identifier", _("the identifier appears twice in the file."))
        )
    seen.add(identifier)
    if problems:
        return problems

    def refuse(name, message):
        problems.append(RowProblem(number, name, message))

    existing = (
        Programme.objects.prefetch_related(*PROGRAMME_PREFETCH)
        .filter(identifier=identifier)
        .first()
    )
    try:
        if existing is None:
            programme = services.programme_create(draft=draft, user=user)
            result.created.append(identifier)
        else:
            programme = services.programme_update(
                programme=existing, draft=draft, user=user, check_access=False
            )
            result.updated.append(identifier)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                refuse(name, message)
        return problems
    return programme, draft


def _matches(drafts) -> list[tuple]:
    """What the overlap check raises for each imported record, each pair once."""
    seen, found = set(), []
    for draft in drafts:
        for match in find_matches(draft):
            pair = tuple(sorted((draft.identifier, match.programme.identifier)))
            if pair in seen:
                continue
            seen.add(pair)
            reasons = [str(reason) for reason in match.reasons]
            found.append(
                (draft.identifier, match.programme.identifier, match.kind, match.score, reasons)
            )
    return found


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(item) for item in (*value.keys(), *value.values()))
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def _list(row, key, refuse) -> list:
    value = row.get(key)
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [item.strip() for item in value.split(";") if item.strip()]
    if isinstance(value, list):
        return value
    refuse(key, _("give a list."))
    return []


def _agency(value) -> str:
    """An agency by its code ("border_police") or its name ("Border police")."""
    return str(value).strip().lower().replace(" ", "_").replace("-", "_")


def _status(value, refuse) -> int:
    text = str(value if value is not None else "").strip().lower()
    if text.isdigit() and int(text) in ActivityStatus.values:
        return int(text)
    if text in STATUS_NAMES:
        return STATUS_NAMES[text]
    refuse("status", _("use pipeline, implementation, finalisation, closed, cancelled, suspended."))
    return ActivityStatus.PIPELINE


def _date(row, key, refuse):
    value = row.get(key)
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        refuse(key, _("use a date written YYYY-MM-DD."))
        return None


def _count(row, key, refuse):
    value = row.get(key)
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        number = -1
    if number < 0:
        refuse(key, _("give a whole number of people, or leave it empty."))
        return None
    return number


def _sectors(values, refuse) -> list[SectorShare]:
    if not values:
        return [SectorShare(DEFAULT_SECTOR)]
    sectors = []
    for value in values:
        if isinstance(value, dict):
            code, share = value.get("code"), value.get("percentage")
        else:
            code, _sep, share = str(value).partition(":")
        try:
            percentage = Decimal(str(share)) if share not in (None, "") else None
        except InvalidOperation:
            refuse("sectors", _("a sector's percentage is a number."))
            percentage = None
        sectors.append(SectorShare(str(code or "").strip(), percentage))
    return sectors


def _organisation(name, countries, result, language=""):
    found = services.organisation_resolve(name=name)
    if found is None:
        first = str(countries[0]).strip().upper() if countries else ""
        country = first if first in iso_countries else ""
        found = services.organisation_create(name=name, country=country, language=language)
        result.organisations.append(found.name)
    return found


def _reporting_org(row, identifier, countries, refuse, result):
    name = str(row.get("reporting_org") or "").strip()
    if not name:
        refuse("reporting_org", _("name the reporting organisation."))
        return None
    if len(name) > NAME_MAX:
        refuse("reporting_org", _("a name has at most 200 characters."))
        return None
    known = services.organisation_resolve(name=name)
    organisation = _organisation(name, countries, result)
    if known is None and "-" in identifier:
        # A new organisation reports under the prefix its identifiers carry.
        prefix = identifier.rsplit("-", 1)[0]
        taken = OrganisationReference.objects.filter(ref=prefix).exists()
        if validation.IDENTIFIER_RE.match(prefix) and not taken:
            OrganisationReference.objects.create(organisation=organisation, ref=prefix)
    return organisation


def _participations(row, reporting_org, countries, refuse, result) -> list[Participation]:
    values = _list(row, "participating_orgs", refuse)
    participations = []
    for value in values:
        if isinstance(value, dict):
            name, role = value.get("name"), value.get("role")
        else:
            name, _sep, role = str(value).rpartition(":")
            if not name:
                name, role = role, ""
        role_code = ROLE_NAMES.get(str(role or "implementing").strip().lower())
        if not str(name or "").strip() or len(str(name)) > NAME_MAX or role_code is None:
            refuse(
                "participating_orgs",
                _("give each a name and a role: funding, accountable, extending, implementing."),
            )
            continue
        organisation = _organisation(str(name).strip(), countries, result)
        participations.append(Participation(organisation, role_code))
    if not participations and reporting_org is not None and not values:
        participations.append(Participation(reporting_org, OrganisationRole.IMPLEMENTING))
    return participations


def _link(relations, user) -> list[RowProblem]:
    """Relations name other programmes by identifier, in the registry or in the same file."""
    problems = []
    for number, programme, values in relations:
        for value in values:
            if isinstance(value, dict):
                identifier, kind = value.get("identifier"), value.get("kind") or "sibling"
            else:
                identifier, _sep, kind = str(value).partition(":")
                kind = kind or "sibling"
            other = Programme.objects.filter(identifier=str(identifier).strip()).first()
            if other is None or other == programme or kind not in RelationKind.values:
                problems.append(
                    RowProblem(
                        number,
                        "related",
                        _("“%(value)s” is not another programme with a relation such as sibling.")
                        % {"value": identifier},
                    )
                )
                continue
            ProgrammeRelation.objects.update_or_create(
                programme=programme, related=other, defaults={"kind": kind, "created_by": user}
            )
    return problems
