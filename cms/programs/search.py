"""Searching the registry: a text query over titles and descriptions, and facets with their
counts: country, airport, theme, target agency, reporting organisation, activity status, the
year a programme starts, and the languages its title and description are written in.

Counts come from one aggregate query per kind of facet (seven in all, whatever the number of
values), over the records the person may see and has already narrowed to.
"""

from django import forms
from django.conf import settings
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _
from django_countries import countries as iso_countries

from cms.accounts.models import Organisation

from .models import (
    ActivityStatus,
    Agency,
    OrganisationAlias,
    ParticipatingOrganisation,
    Programme,
    ProgrammeAirport,
    ProgrammeCountry,
    ProgrammeTag,
    ProgrammeText,
    Theme,
)

FACETS = ("country", "airport", "theme", "agency", "organisation", "status", "year", "language")
TAG_FACETS = {"theme": "theme", "agency": "agency"}


class SearchForm(forms.Form):
    """The search's GET parameters; a value that is not a choice is ignored, never an error."""

    q = forms.CharField(label=_("Search titles and descriptions"), required=False, max_length=200)
    country = forms.CharField(label=_("Country"), required=False, max_length=2)
    airport = forms.CharField(label=_("Airport"), required=False, max_length=3)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    agency = forms.ChoiceField(label=_("Target agency"), required=False)
    organisation = forms.IntegerField(label=_("Reported by"), required=False, min_value=1)
    status = forms.TypedChoiceField(label=_("Status"), required=False, coerce=int, empty_value=None)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2200)
    language = forms.CharField(label=_("Language"), required=False, max_length=8)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "")] + Theme.choices
        self.fields["agency"].choices = [("", "")] + Agency.choices
        self.fields["status"].choices = [("", "")] + ActivityStatus.choices

    def criteria(self) -> dict:
        """The valid criteria given; invalid ones are dropped."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


def search(queryset, criteria: dict):
    """`queryset` narrowed to the criteria (names as in `SearchForm`)."""
    query = (criteria.get("q") or "").strip()
    if query:
        texts = ProgrammeText.objects.filter(programme=OuterRef("pk")).filter(
            Q(title__icontains=query) | Q(description__icontains=query)
        )
        queryset = queryset.filter(Q(Exists(texts)) | Q(identifier__icontains=query))
    # The most selective criterion given (a year, then an airport, a country, a theme or
    # agency, a language) leads: the database starts from the few records its index holds and
    # tests the others on each of them through their unique indexes.
    narrowing = []
    if criteria.get("airport"):
        narrowing.append(ProgrammeAirport.objects.filter(iata=criteria["airport"].upper()))
    if criteria.get("country"):
        narrowing.append(ProgrammeCountry.objects.filter(country=criteria["country"].upper()))
    for name, kind in TAG_FACETS.items():
        if criteria.get(name):
            narrowing.append(ProgrammeTag.objects.filter(kind=kind, code=criteria[name]))
    if criteria.get("language"):
        narrowing.append(ProgrammeText.objects.filter(language=criteria["language"]))
    if narrowing and not criteria.get("year"):  # a year is narrower: its dates' index leads
        queryset = queryset.filter(pk__in=narrowing.pop(0).values("programme"))
    for rows in narrowing:
        queryset = queryset.filter(Exists(rows.filter(programme=OuterRef("pk"))))
    if criteria.get("organisation"):
        queryset = queryset.filter(reporting_org_id=criteria["organisation"])
    if criteria.get("status"):
        queryset = queryset.filter(activity_status=criteria["status"])
    if criteria.get("year"):
        queryset = queryset.filter(starts_on__year=criteria["year"])
    return queryset


SUGGESTIONS_MAX = 20
SUGGESTION_MIN_LENGTH = 2


def suggest(queryset, query: str, *, limit: int = SUGGESTIONS_MAX):
    """At most `limit` records of `queryset` whose identifier, title (in any language), or
    reporting or participating organisation (by its name or one of its aliases, in any
    language) contains `query`: an exact identifier first, then identifiers starting with it,
    then the others by identifier. Two queries (the records with their reporting organisation,
    then their titles), whatever the registry's size; none for a query under two characters."""
    query = (query or "").replace("\x00", "").strip()[:200]
    if len(query) < SUGGESTION_MIN_LENGTH:
        return []
    # Uncorrelated subqueries: each table is scanned once, not once per programme.
    titles = ProgrammeText.objects.filter(title__icontains=query).values("programme_id")
    aliases = OrganisationAlias.objects.filter(name__icontains=query).values("organisation_id")
    organisations = Organisation.objects.filter(
        Q(name__icontains=query) | Q(pk__in=aliases)
    ).values("pk")
    partners = ParticipatingOrganisation.objects.filter(organisation__in=organisations).values(
        "programme_id"
    )
    found = queryset.filter(
        Q(identifier__icontains=query)
        | Q(reporting_org__in=organisations)
        | Q(pk__in=titles)
        | Q(pk__in=partners)
    ).annotate(
        rank=Case(
            When(identifier__iexact=query, then=Value(0)),
            When(identifier__istartswith=query, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )
    found = found.select_related("reporting_org").prefetch_related("texts")
    return list(found.order_by("rank", "identifier")[:limit])


def facet_counts(queryset) -> dict[str, list[tuple[str, str, int]]]:
    """For each facet, its values among `queryset` as (value, label, count), most first."""
    ids = queryset.order_by().values("pk")
    facets = {name: [] for name in FACETS}

    def ordered(rows):
        return sorted(rows, key=lambda row: (-row[2], str(row[1])))

    countries = (
        ProgrammeCountry.objects.filter(programme__in=ids)
        .values_list("country")
        .annotate(n=Count("programme", distinct=True))
        .order_by()
    )
    facets["country"] = ordered(
        (code, iso_countries.name(code) or code, n) for code, n in countries
    )
    airports = (
        ProgrammeAirport.objects.filter(programme__in=ids)
        .values_list("iata")
        .annotate(n=Count("programme", distinct=True))
        .order_by()
    )
    facets["airport"] = ordered((code, code, n) for code, n in airports)
    labels = {"theme": dict(Theme.choices), "agency": dict(Agency.choices)}
    tags = (
        ProgrammeTag.objects.filter(programme__in=ids)
        .values_list("kind", "code")
        .annotate(n=Count("programme", distinct=True))
        .order_by()
    )
    for kind, code, n in tags:
        facets[kind].append((code, str(labels[kind].get(code, code)), n))
    for kind in TAG_FACETS:
        facets[kind] = ordered(facets[kind])
    languages = (
        ProgrammeText.objects.filter(programme__in=ids)
        .values_list("language")
        .annotate(n=Count("programme", distinct=True))
        .order_by()
    )
    names = dict(settings.LANGUAGES)
    facets["language"] = ordered((code, str(names.get(code, code)), n) for code, n in languages)
    organisations = (
        Programme.objects.filter(pk__in=ids)
        .values_list("reporting_org", "reporting_org__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    facets["organisation"] = ordered(organisations)
    statuses = (
        Programme.objects.filter(pk__in=ids)
        .values_list("activity_status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    status_labels = dict(ActivityStatus.choices)
    facets["status"] = ordered((s, str(status_labels.get(s, s)), n) for s, n in statuses)
    years = (
        Programme.objects.filter(pk__in=ids, starts_on__isnull=False)
        .annotate(year=ExtractYear("starts_on"))
        .values_list("year")
        .annotate(n=Count("pk"))
        .order_by()
    )
    facets["year"] = sorted(((y, str(y), n) for y, n in years), reverse=True)
    return facets
