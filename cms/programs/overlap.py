"""Finding programmes that may be the same as, or overlap with, another.

Text similarity cannot match a record across languages (an English title and its French
translation score near zero by trigram and 10–54 of 100 by token sets), so the registry first
narrows by what does not depend on language — places, dates and organisations (through their
canonical records, which every alias resolves to) — and only then scores: structured agreement
first, text only between texts in the same language.

Two records are *the same programme* when their dates overlap for at least half the longer
span, they share a place (or, where either names no place, an organisation), and they agree on
enough else (score at least `SAME_SCORE`). They are an *overlapping effort* when they share a
place and a theme or target agency and lie within `WINDOW_DAYS` of each other. A course run
again a year later is neither; run again a month later it overlaps but is never the same,
because its dates do not overlap.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext as _
from django_countries import countries as iso_countries
from rapidfuzz import fuzz, utils

from .models import (
    OverlapDecision,
    ParticipatingOrganisation,
    Programme,
    ProgrammeAirport,
    ProgrammeCountry,
    ProgrammeTag,
    ProgrammeText,
    Theme,
)
from .records import ProgrammeDraft, draft_from_programme
from .validation import airport

WINDOW_DAYS = 90
SAME_SCORE = 0.7
SAME_DATE_RATIO = 0.5
TITLE_REASON = 0.5
MAX_CANDIDATES = 500
# Each ordered by its own columns: the models' default orderings go through the programme
# (a join and a sort the check does not need).
PREFETCH = (
    Prefetch("texts", queryset=ProgrammeText.objects.order_by("language")),
    Prefetch("countries", queryset=ProgrammeCountry.objects.order_by("country")),
    Prefetch("airports", queryset=ProgrammeAirport.objects.order_by("iata")),
    Prefetch("tags", queryset=ProgrammeTag.objects.order_by("kind", "code")),
    Prefetch(
        "participations",
        queryset=ParticipatingOrganisation.objects.select_related("organisation").order_by(
            "role", "organisation_id"
        ),
    ),
)

WEIGHTS = {
    "airport": 0.25,
    "country": 0.15,
    "dates": 0.25,
    "theme": 0.10,
    "agency": 0.05,
    "participants": 0.10,
    "organisation": 0.15,
    "title": 0.10,
}


@dataclass
class Match:
    """An existing record that may be the same as, or overlap with, the one being checked."""

    programme: Programme
    kind: str  # "same" or "overlap"
    score: float
    reasons: list[str] = field(default_factory=list)


@dataclass
class _Comparison:
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    shares_place: bool = False
    shares_topic: bool = False
    shares_organisation: bool = False
    has_place: bool = True
    date_ratio: float = 0.0
    gap_days: int | None = None

    def add(self, weight: str, reason: str, fraction: float = 1.0):
        self.score += WEIGHTS[weight] * fraction
        self.reasons.append(reason)

    def kind(self) -> str | None:
        place = self.shares_place or (not self.has_place and self.shares_organisation)
        if place and self.date_ratio >= SAME_DATE_RATIO and self.score >= SAME_SCORE:
            return "same"
        near = self.gap_days is not None and self.gap_days <= WINDOW_DAYS
        if self.shares_place and self.shares_topic and near:
            return "overlap"
        return None


def places(draft: ProgrammeDraft) -> tuple[set[str], set[str]]:
    """The draft's airports, and its countries including those of its airports."""
    airports = {code.upper() for code in draft.airports}
    countries = draft.country_codes()
    for code in airports:
        found = airport(code)
        if found:
            countries.add(found["country"])
    return airports, countries


def compare(a: ProgrammeDraft, b: ProgrammeDraft, *, trigram: float = 0.0) -> Match | None:
    """How far `b` agrees with `a`, in words; None when it is neither the same nor overlapping.
    `trigram` is PostgreSQL's title similarity where it was measured."""
    result = _Comparison()
    _compare_places(a, b, result)
    _compare_dates(a, b, result)
    _compare_topics(a, b, result)
    _compare_people(a, b, result)
    _compare_titles(a, b, result, trigram)
    kind = result.kind()
    if kind is None:
        return None
    return Match(programme=None, kind=kind, score=round(result.score, 2), reasons=result.reasons)


def _compare_places(a, b, result):
    airports_a, countries_a = places(a)
    airports_b, countries_b = places(b)
    result.has_place = bool(countries_a and countries_b)
    shared_airports = sorted(airports_a & airports_b)
    shared_countries = sorted(countries_a & countries_b)
    if shared_airports:
        result.add("airport", _("same airport %(codes)s") % {"codes": ", ".join(shared_airports)})
    elif shared_countries:
        names = ", ".join(str(iso_countries.name(code)) for code in shared_countries)
        result.add("country", _("same country %(names)s") % {"names": names})
    result.shares_place = bool(shared_airports or shared_countries)


def _span(draft) -> tuple[datetime.date, datetime.date] | None:
    if draft.starts_on is None:
        return None
    return draft.starts_on, max(draft.ends_on or draft.starts_on, draft.starts_on)


def _compare_dates(a, b, result):
    span_a, span_b = _span(a), _span(b)
    if span_a is None or span_b is None:
        return
    overlap = (min(span_a[1], span_b[1]) - max(span_a[0], span_b[0])).days + 1
    if overlap > 0:
        longer = max((span_a[1] - span_a[0]).days, (span_b[1] - span_b[0]).days) + 1
        result.date_ratio = overlap / longer
        result.gap_days = 0
        result.add(
            "dates",
            _("dates overlap %(days)d of %(span)d days") % {"days": overlap, "span": longer},
            result.date_ratio,
        )
    else:
        result.gap_days = 1 - overlap
        result.reasons.append(_("%(days)d days apart") % {"days": result.gap_days})


def _compare_topics(a, b, result):
    themes = sorted(set(a.themes) & set(b.themes))
    if themes:
        labels = ", ".join(str(Theme(code).label) for code in themes)
        result.add("theme", _("same theme (%(themes)s)") % {"themes": labels})
    agencies = sorted(set(a.agencies) & set(b.agencies))
    if agencies:
        result.add("agency", _("same target agencies"))
    result.shares_topic = bool(themes or agencies)


def _compare_people(a, b, result):
    count_a, count_b = a.participants, b.participants
    if count_a and count_b:
        if count_a == count_b:
            result.add("participants", _("same participant count (%(n)d)") % {"n": count_a})
        elif abs(count_a - count_b) <= 0.1 * max(count_a, count_b):
            result.add(
                "participants",
                _("similar participant count (%(a)d and %(b)d)") % {"a": count_a, "b": count_b},
                0.5,
            )
    shared = a.organisation_ids() & b.organisation_ids()
    if shared:
        names = sorted({o.name for o in _organisations(a) + _organisations(b) if o.pk in shared})
        result.add("organisation", _("same organisation %(names)s") % {"names": ", ".join(names)})
    result.shares_organisation = bool(shared)


def _organisations(draft) -> list:
    """The draft's organisations, some perhaps not saved yet (named for the first time)."""
    found = [p.organisation for p in draft.participations]
    return found + ([draft.reporting_org] if draft.reporting_org is not None else [])


def title_similarity(a: str, b: str) -> float:
    return fuzz.token_set_ratio(a, b, processor=utils.default_process) / 100


def _compare_titles(a, b, result, trigram):
    """Titles are compared only within one language: across languages they say nothing."""
    titles_b = {text.language: text.title for text in b.texts}
    best = trigram
    for text in a.texts:
        if text.language in titles_b:
            best = max(best, title_similarity(text.title, titles_b[text.language]))
    if best >= TITLE_REASON:
        result.add("title", _("titles %(similarity).2f similar") % {"similarity": best}, best)


def signature(draft: ProgrammeDraft) -> tuple:
    """What the check reads of a draft: an edit that leaves it alone cannot raise a new match."""
    airports, countries = places(draft)
    return (
        airports,
        countries,
        _span(draft),
        frozenset(draft.themes),
        frozenset(draft.agencies),
        draft.participants,
        frozenset(draft.organisation_ids()),
        frozenset(p.organisation.name for p in draft.participations if p.organisation.pk is None),
        frozenset((text.language, text.title.strip()) for text in draft.texts),
    )


# Narrowing in SQL ---------------------------------------------------------------------------


def candidates(draft: ProgrammeDraft, *, queryset=None):
    """Records that share a place with the draft (or, where one of the two names no place, an
    organisation) and lie within the window of its dates: the only ones worth scoring.

    The ids come from the place and organisation tables, each narrowed by the window, so the
    indexes on country and organisation drive the search, never a walk along the dates."""
    queryset = Programme.objects.all() if queryset is None else queryset
    span = _span(draft)
    if span is None:
        return queryset.none()
    window = datetime.timedelta(days=WINDOW_DAYS)
    high, low = span[1] + window, span[0] - window
    _airports, countries = places(draft)
    organisations = draft.organisation_ids()
    near = {"programme__starts_on__lte": high, "programme__ends_on__gte": low}
    reported = Programme.objects.filter(
        reporting_org__in=organisations, starts_on__lte=high, ends_on__gte=low
    )
    shared = ParticipatingOrganisation.objects.filter(organisation__in=organisations, **near)
    if countries:
        # A record elsewhere is neither the same nor an overlap, whoever reports it: only a
        # record that names no place at all is matched by its organisations alone.
        reported = reported.filter(_placeless("pk"))
        shared = shared.filter(_placeless("programme"))
    parts = [reported.order_by().values("pk"), shared.order_by().values("programme")]
    if countries:
        parts += [
            ProgrammeCountry.objects.filter(country__in=countries, **near)
            .order_by()
            .values("programme"),
            ProgrammeAirport.objects.filter(country__in=countries, **near)
            .order_by()
            .values("programme"),
        ]
    queryset = queryset.filter(
        pk__in=parts[0].union(*parts[1:]), starts_on__lte=high, ends_on__gte=low
    )
    if draft.pk:
        queryset = queryset.exclude(pk=draft.pk).exclude(pk__in=decided_with(draft.pk))
    return queryset.select_related("reporting_org").prefetch_related(*PREFETCH)[:MAX_CANDIDATES]


def _placeless(pk: str):
    """A record (at `pk`) that names neither a country nor an airport."""
    return ~Q(Exists(ProgrammeCountry.objects.filter(programme=OuterRef(pk)))) & ~Q(
        Exists(ProgrammeAirport.objects.filter(programme=OuterRef(pk)))
    )


def decided_with(pk: int) -> set[int]:
    pairs = OverlapDecision.objects.filter(Q(low=pk) | Q(high=pk)).values_list("low", "high")
    return {other for pair in pairs for other in pair if other != pk}


def find_matches(draft: ProgrammeDraft, *, queryset=None) -> list[Match]:
    """Every record of `queryset` (all records by default) that may be the same programme as
    the draft or overlap with it, best first, each with its reasons."""
    found = list(candidates(draft, queryset=queryset))
    trigram = trigram_scores(draft, [p.pk for p in found])
    matches = []
    for programme in found:
        match = compare(
            draft,
            draft_from_programme(programme, details=False),
            trigram=trigram.get(programme.pk, 0),
        )
        if match is not None:
            match.programme = programme
            matches.append(match)
    matches.sort(key=lambda m: (m.kind != "same", -m.score, m.programme.identifier))
    return matches


_trigram = {}


def trigram_available() -> bool:
    """PostgreSQL with the pg_trgm extension installed: an extra, never required."""
    if connection.vendor != "postgresql":
        return False
    if connection.alias not in _trigram:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            _trigram[connection.alias] = cursor.fetchone() is not None
    return _trigram[connection.alias]


def trigram_scores(draft: ProgrammeDraft, ids: list[int]) -> dict[int, float]:
    """PostgreSQL's trigram similarity of the draft's titles to the candidates' titles in the
    same language, best per candidate (empty without pg_trgm)."""
    if not ids or not trigram_available():
        return {}
    from django.contrib.postgres.search import TrigramSimilarity

    best = {}
    for text in draft.texts:
        rows = (
            ProgrammeText.objects.filter(programme__in=ids, language=text.language)
            .annotate(similarity=TrigramSimilarity("title", text.title))
            .values_list("programme", "similarity")
        )
        for pk, similarity in rows:
            best[pk] = max(best.get(pk, 0), similarity or 0)
    return best


# Across the whole registry ------------------------------------------------------------------


def registry_pairs(*, queryset=None) -> list[dict]:
    """Every pair the registry would raise, found by blocking: records are grouped by airport,
    country and organisation, and within a group only records whose dates lie within the window
    of each other are compared, so the work grows with the groups, not with the square of the
    registry. Pairs someone has already decided are left out."""
    queryset = Programme.objects.all() if queryset is None else queryset
    programmes = {
        p.pk: p
        for p in queryset.select_related("reporting_org").prefetch_related(*PREFETCH)
        if p.starts_on
    }
    drafts = {pk: draft_from_programme(p, details=False) for pk, p in programmes.items()}
    decided = set(OverlapDecision.objects.values_list("low", "high"))
    pairs = []
    for low, high in sorted(_blocked_pairs(drafts) - decided):
        match = compare(drafts[low], drafts[high])
        if match is not None:
            pairs.append(
                {
                    "a": programmes[low].identifier,
                    "b": programmes[high].identifier,
                    "kind": match.kind,
                    "score": match.score,
                    "reasons": [str(reason) for reason in match.reasons],
                }
            )
    pairs.sort(key=lambda p: (p["kind"] != "same", -p["score"], p["a"], p["b"]))
    return pairs


def _blocked_pairs(drafts: dict[int, ProgrammeDraft]) -> set[tuple[int, int]]:
    blocks = defaultdict(list)
    for pk, draft in drafts.items():
        airports, countries = places(draft)
        keys = [("airport", c) for c in airports] + [("country", c) for c in countries]
        keys += [("organisation", o) for o in draft.organisation_ids()]
        for key in keys:
            blocks[key].append(pk)
    window = datetime.timedelta(days=WINDOW_DAYS)
    pairs = set()
    for members in blocks.values():
        members.sort(key=lambda pk: drafts[pk].starts_on)
        for i, pk in enumerate(members):
            reach = max(drafts[pk].ends_on, drafts[pk].starts_on) + window
            for other in members[i + 1 :]:
                if drafts[other].starts_on > reach:
                    break
                pairs.add((min(pk, other), max(pk, other)))
    return pairs
