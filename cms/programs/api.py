"""The registry's JSON API (django-ninja), under /api/v1/.

Reading is open, with the same visibility as the site: public published records for everyone,
partners-only records for verified members of member organisations. Creating, updating and the
overlap check need a signed-in person: a session (with its CSRF token) or an API token sent as
`Authorization: Bearer <key>`. Records take the keys `import_programmes` reads.
"""

import datetime
from dataclasses import asdict
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError
from ninja.openapi.docs import Swagger
from ninja.security import HttpBearer, SessionAuth

from . import cache, selectors, services
from .importing import draft_from_record
from .models import (
    ActivityStatus,
    ParticipatingOrganisation,
    Programme,
    ProgrammeAirport,
    ProgrammeCountry,
    ProgrammeSector,
    ProgrammeTag,
    ProgrammeText,
)
from .overlap import find_matches, signature
from .records import draft_from_programme
from .results import ProgrammeResults, programme_results
from .search import SearchForm, search

MAX_PAGE_SIZE = 100


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>` with a key made on the API tokens page."""

    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        user = services.api_token_user(key=token)
        if user is not None:
            request.user = user
        return user


class SessionWithCsrf(SessionAuth):
    """The site's session; writes also need its CSRF token (`X-CSRFToken`)."""


api = NinjaAPI(
    title="Flightpath programme registry",
    version="1",
    description=(
        "IATI-aligned records of training and capacity-building programmes against migrant "
        "smuggling by air. Records use the keys of the registry's import."
    ),
    urls_namespace="api-v1",
    auth=[TokenAuth(), SessionWithCsrf(csrf=True)],
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)


# Schemas -------------------------------------------------------------------------------------


class Error(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class InputErrors(Schema):
    """The request does not fit the schema (ninja's own answer)."""

    detail: list[dict]


# Every operation may answer these: a wrong token (401) and input outside the schema (422).
ANSWERS = {401: Error, 422: InputErrors}


class OrganisationOut(Schema):
    id: int
    name: str


class TextOut(Schema):
    language: str
    title: str
    description: str


class CountryOut(Schema):
    code: str
    percentage: float | None


class SectorOut(Schema):
    vocabulary: str
    code: str
    percentage: float | None


class ParticipationOut(Schema):
    name: str
    role: str


class ProgrammeOut(Schema):
    identifier: str
    url: str
    reporting_org: OrganisationOut
    title: str
    description: str
    language: str
    texts: list[TextOut]
    status: str
    status_code: int
    workflow_status: str
    visibility: str
    planned_start: datetime.date | None
    planned_end: datetime.date | None
    actual_start: datetime.date | None
    actual_end: datetime.date | None
    countries: list[CountryOut]
    airports: list[str]
    sectors: list[SectorOut]
    themes: list[str]
    agencies: list[str]
    languages: list[str]
    modality: str
    participants_planned: int | None
    participants_actual: int | None
    participating_orgs: list[ParticipationOut]
    demo: bool
    updated_at: datetime.datetime


class ResultsOut(Schema):
    """Counted from the cohorts delivered under the programme on Flightpath."""

    cohorts: int
    courses: int
    participants_trained: int
    completions: int
    certified_trainers: int


class ProgrammeDetailOut(ProgrammeOut):
    results: ResultsOut


class ProgrammePage(Schema):
    count: int
    page: int
    pages: int
    results: list[ProgrammeOut]


class Filters(Schema):
    q: str | None = Field(None, max_length=200, description="Text in titles and descriptions")
    country: str | None = Field(None, max_length=2, description="ISO 3166 alpha-2")
    airport: str | None = Field(None, max_length=3, description="IATA code")
    theme: str | None = Field(None, max_length=32)
    agency: str | None = Field(None, max_length=32)
    organisation: int | None = Field(None, ge=1, le=2**31 - 1, description="Reporting org id")
    status: int | None = Field(None, ge=1, le=6, description="IATI activity status code")
    year: int | None = Field(None, ge=1900, le=2200, description="Year the programme starts")
    language: str | None = Field(None, max_length=8)
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class ParticipationIn(Schema):
    name: str = Field(..., max_length=200)
    role: Literal["funding", "accountable", "extending", "implementing"]


class SectorIn(Schema):
    code: str = Field(..., max_length=20)
    percentage: float | None = Field(None, ge=0, le=100)


class RelatedIn(Schema):
    identifier: str = Field(..., max_length=150)
    kind: Literal["parent", "child", "sibling", "co_funded", "predecessor"] = "sibling"


class DecisionIn(Schema):
    identifier: str = Field(..., max_length=150, description="The matching record")
    decision: Literal["same", "related", "different"]
    relation: Literal["", "parent", "child", "sibling", "co_funded", "predecessor"] = ""


class ProgrammeIn(Schema):
    identifier: str = Field(..., max_length=150)
    reporting_org: str = Field(..., max_length=200, description="A name or alias")
    title: str = Field(..., max_length=300)
    description: str = Field(..., max_length=20_000)
    language: str = Field(..., max_length=8, description="ISO 639-1")
    status: str = Field("pipeline", max_length=20, description="Name or IATI code")
    planned_start: datetime.date | None = None
    planned_end: datetime.date | None = None
    countries: list[str] = Field([], max_length=50)
    airports: list[str] = Field([], max_length=50)
    themes: list[str] = Field([], max_length=10)
    agencies: list[str] = Field([], max_length=20)
    participants_planned: int | None = Field(None, ge=0, le=10_000_000)
    participating_orgs: list[ParticipationIn] = Field([], max_length=50)
    sectors: list[SectorIn] = Field([], max_length=20)
    modality: str = Field("classroom", max_length=16)
    visibility: Literal["partners", "public"] = "partners"


class ProgrammeCreate(ProgrammeIn):
    decisions: list[DecisionIn] = Field(
        [], max_length=100, description="A decision on each match the overlap check raised"
    )


class MatchOut(Schema):
    identifier: str
    title: str
    reporting_org: str
    url: str
    kind: Literal["same", "overlap"]
    score: float
    reasons: list[str]


class Matches(Schema):
    matches: list[MatchOut]


class MatchesToDecide(Error):
    matches: list[MatchOut]


# Helpers -------------------------------------------------------------------------------------


def _reader(request: HttpRequest):
    """Who reads: the token's owner when a token is sent (a wrong token is refused), else the
    session's user, signed in or not."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _sep, key = header.partition(" ")
        user = services.api_token_user(key=key.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            raise AuthenticationError()
        return user
    return request.user


def _url(request, programme) -> str:
    return request.build_absolute_uri(reverse("programs:detail", args=[programme.identifier]))


def _out(request, programme: Programme) -> dict:
    text = programme.text_in(get_language())
    tags = {"theme": [], "agency": [], "language": []}
    for tag in programme.tags.all():
        tags[tag.kind].append(tag.code)
    return {
        "identifier": programme.identifier,
        "url": _url(request, programme),
        "reporting_org": {"id": programme.reporting_org_id, "name": programme.reporting_org.name},
        "title": text.title if text else "",
        "description": text.description if text else "",
        "language": text.language if text else programme.default_language,
        "texts": [
            {"language": t.language, "title": t.title, "description": t.description}
            for t in programme.texts.all()
        ],
        "status": ActivityStatus(programme.activity_status).name.lower(),
        "status_code": programme.activity_status,
        "workflow_status": programme.workflow_status,
        "visibility": programme.visibility,
        "planned_start": programme.planned_start,
        "planned_end": programme.planned_end,
        "actual_start": programme.actual_start,
        "actual_end": programme.actual_end,
        "countries": [
            {"code": c.country.code, "percentage": c.percentage} for c in programme.countries.all()
        ],
        "airports": [a.iata for a in programme.airports.all()],
        "sectors": [
            {"vocabulary": s.vocabulary, "code": s.code, "percentage": s.percentage}
            for s in programme.sectors.all()
        ],
        "themes": tags["theme"],
        "agencies": tags["agency"],
        "languages": tags["language"],
        "modality": programme.modality,
        "participants_planned": programme.participants_planned,
        "participants_actual": programme.participants_actual,
        "participating_orgs": [
            {"name": p.organisation.name, "role": p.get_role_display().lower()}
            for p in programme.participations.all()
        ],
        "demo": programme.is_demo,
        "updated_at": programme.updated_at,
    }


# What `_out` reads, each ordered by its programme first and its own columns: the models'
# default orderings go through the programme (a join and a sort for nothing), and an order led
# by an indexed column (a text's language) walks that index through every row of the table.
OUT_PREFETCH = (
    Prefetch("texts", queryset=ProgrammeText.objects.order_by("programme_id", "language")),
    Prefetch(
        "countries",
        queryset=ProgrammeCountry.objects.order_by("programme_id", "-percentage", "country"),
    ),
    Prefetch("airports", queryset=ProgrammeAirport.objects.order_by("programme_id", "iata")),
    Prefetch(
        "sectors", queryset=ProgrammeSector.objects.order_by("programme_id", "vocabulary", "code")
    ),
    Prefetch("tags", queryset=ProgrammeTag.objects.order_by("programme_id", "kind", "code")),
    Prefetch(
        "participations",
        queryset=ParticipatingOrganisation.objects.select_related("organisation").order_by(
            "programme_id", "role", "organisation__name"
        ),
    ),
)


def _with_details(queryset):
    return queryset.select_related("reporting_org").prefetch_related(*OUT_PREFETCH)


def _record(payload: ProgrammeIn) -> dict:
    record = payload.dict(exclude={"decisions"})
    record["sectors"] = [
        {"code": s["code"], "percentage": s["percentage"]} for s in record["sectors"]
    ]
    for name in ("planned_start", "planned_end"):
        record[name] = record[name].isoformat() if record[name] else None
    return record


def _draft(record: dict):
    draft, problems = draft_from_record(record)
    if problems:
        errors = {}
        for problem in problems:
            errors.setdefault(problem.field, []).append(problem.message)
        raise _Invalid(errors)
    return draft


class _Invalid(Exception):
    def __init__(self, errors):
        self.errors = errors


ONLY_MEMBERS = _("Only verified members of an organisation record programmes.")
OWN_ORGANISATION = _("Members record programmes for their own organisation only.")
REPORTING_MEMBERS = _("Only members of the reporting organisation edit this record.")


def _refused(message) -> Status:
    return Status(403, {"detail": str(message)})


def _invalid(errors) -> Status:
    return Status(400, {"detail": gettext("The record has problems."), "errors": errors})


def _match_out(request, match) -> dict:
    return {
        "identifier": match.programme.identifier,
        "title": match.title_in(get_language()),
        "reporting_org": match.programme.reporting_org.name,
        "url": _url(request, match.programme),
        "kind": match.kind,
        "score": round(match.score, 3),
        "reasons": [str(reason) for reason in match.reasons],
    }


def _may_report_for(user, draft) -> bool:
    if selectors.is_moderator(user=user):
        return True
    organisation = selectors.member_organisation(user=user)
    return organisation is not None and draft.reporting_org.pk == organisation.pk


# Operations ----------------------------------------------------------------------------------


@api.get("/programmes", response={200: ProgrammePage, **ANSWERS}, auth=None, tags=["programmes"])
def list_programmes(request, filters: Query[Filters]):
    """Programmes the caller may see, narrowed like the site's search, newest first."""
    user = _reader(request)
    key = cache.list_key(
        request=request,
        language=get_language(),
        visibility=selectors.visibility_class(user=user),
        query=filters.dict(),
    )
    body = cache.get(key)
    if body is None:
        body = _render(request, ProgrammePage.model_validate(_list_page(request, user, filters)))
        cache.put(key, body)
    return HttpResponse(body, content_type=api.get_content_type())


def _list_page(request, user, filters: Filters) -> dict:
    criteria = SearchForm(filters.dict(exclude={"page", "page_size"}, exclude_none=True)).criteria()
    found = search(selectors.programmes_visible_to(user=user), criteria)
    count = found.count()
    pages = max(1, -(-count // filters.page_size))
    start = (min(filters.page, pages) - 1) * filters.page_size
    programmes = _with_details(found)[start : start + filters.page_size]
    return {
        "count": count,
        "page": min(filters.page, pages),
        "pages": pages,
        "results": [_out(request, programme) for programme in programmes],
    }


def _render(request, page: Schema) -> bytes:
    """The body django-ninja would answer with for `page` (a 200)."""
    data = page.model_dump(context={"request": request, "response_status": 200})
    return api.renderer.render(request, data, response_status=200)


@api.post(
    "/programmes/similar",
    response={200: Matches, 400: Error, 403: Error, **ANSWERS},
    tags=["programmes"],
)
def similar_programmes(request, payload: ProgrammeIn):
    """The overlap check on a draft record, without saving it: records the caller may see that
    may be the same programme or an overlapping effort, each with its reasons."""
    with transaction.atomic():
        try:
            draft = _draft(_record(payload))
        except _Invalid as invalid:
            transaction.set_rollback(True)
            return _invalid(invalid.errors)
        matches = find_matches(draft, reader=selectors.reader(user=request.user))
        result = {"matches": [_match_out(request, match) for match in matches]}
        transaction.set_rollback(True)  # organisations named for the first time are not kept
    return result


@api.get(
    "/programmes/{identifier}",
    response={200: ProgrammeDetailOut, 404: Error, **ANSWERS},
    auth=None,
    tags=["programmes"],
)
def get_programme(request, identifier: str):
    """One record, with its results counted from the cohorts delivered under it (zero when
    there are none), beside the participants its reporter entered."""
    programme = selectors.programme_detail(user=_reader(request), identifier=identifier)
    if programme is None:
        return Status(404, {"detail": gettext("No such programme.")})
    results = programme_results(programmes=[programme]).get(programme.pk, ProgrammeResults())
    return {**_out(request, programme), "results": asdict(results)}


def _decisions(matches, wanted: list[DecisionIn]):
    by_identifier = {decision.identifier: decision for decision in wanted}
    decisions = []
    for match in matches:
        chosen = by_identifier.get(match.programme.identifier)
        if chosen is None:
            return None
        decisions.append(
            services.Decision(
                other=match.programme,
                decision=chosen.decision,
                relation=chosen.relation if chosen.decision == "related" else "",
                kind=match.kind,
                score=match.score,
                reasons=tuple(match.reasons),
            )
        )
    return decisions


def _to_decide(request, matches) -> Status:
    return Status(
        409,
        {
            "detail": gettext(
                "Decide on each match: same, related (with a relation) or different."
            ),
            "matches": [_match_out(request, match) for match in matches],
        },
    )


@api.post(
    "/programmes",
    response={201: ProgrammeOut, 400: Error, 403: Error, 409: MatchesToDecide, **ANSWERS},
    tags=["programmes"],
)
def create_programme(request, payload: ProgrammeCreate):
    """A new draft record for the caller's organisation. The registry is checked first: when
    records may be the same or overlap, they come back (409) until `decisions` holds one for
    each."""
    user = request.user
    if not selectors.may_create(user=user):
        return Status(
            403, {"detail": "Only verified members of an organisation record programmes."}
        )
    with transaction.atomic():
        try:
            draft = _draft(_record(payload))
        except _Invalid as invalid:
            transaction.set_rollback(True)
            return _invalid(invalid.errors)
        if not _may_report_for(user, draft):
            transaction.set_rollback(True)
            return Status(
                403, {"detail": "Members record programmes for their own organisation only."}
            )
        matches = find_matches(draft, reader=selectors.reader(user=user))
        decisions = _decisions(matches, payload.decisions)
        if decisions is None:
            transaction.set_rollback(True)
            return _to_decide(request, matches)
        try:
            programme = services.programme_create(draft=draft, user=user, decisions=decisions)
        except ValidationError as error:
            transaction.set_rollback(True)
            return _invalid(error.message_dict)
    programme = _with_details(Programme.objects.filter(pk=programme.pk)).get()
    return Status(201, _out(request, programme))


@api.put(
    "/programmes/{identifier}",
    response={
        200: ProgrammeOut,
        400: Error,
        403: Error,
        404: Error,
        409: MatchesToDecide,
        **ANSWERS,
    },
    tags=["programmes"],
)
def update_programme(request, identifier: str, payload: ProgrammeCreate):
    """Replace a record's fields (a new revision); members of its reporting organisation only.
    When the change moves the record onto others (places, dates, themes, titles...), the
    matches nobody has decided on come back (409) until `decisions` holds one for each."""
    user = request.user
    programme = selectors.programme_detail(user=user, identifier=identifier)
    if programme is None:
        return Status(404, {"detail": gettext("No such programme.")})
    if not selectors.may_edit(user=user, programme=programme):
        return Status(
            403, {"detail": "Only members of the reporting organisation edit this record."}
        )
    with transaction.atomic():
        try:
            draft = _draft(_record(payload))
        except _Invalid as invalid:
            transaction.set_rollback(True)
            return _invalid(invalid.errors)
        if draft.reporting_org.pk != programme.reporting_org_id and not _may_report_for(
            user, draft
        ):
            transaction.set_rollback(True)
            return Status(
                403, {"detail": "Members record programmes for their own organisation only."}
            )
        draft.pk = programme.pk
        decisions = []
        if signature(draft) != signature(draft_from_programme(programme)):
            matches = find_matches(draft, reader=selectors.reader(user=user))
            decisions = _decisions(matches, payload.decisions)
            if decisions is None:
                transaction.set_rollback(True)
                return _to_decide(request, matches)
        try:
            services.programme_update(
                programme=programme, draft=draft, user=user, decisions=decisions
            )
        except ValidationError as error:
            transaction.set_rollback(True)
            return _invalid(error.message_dict)
    programme = _with_details(Programme.objects.filter(pk=programme.pk)).get()
    return _out(request, programme)
