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
import functools
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.db.models.base import ModelState
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries as iso_countries
from rapidfuzz import fuzz, utils

from cms.accounts.models import Organisation

from .models import MatchKey, MatchSummary, OverlapDecision, Programme, ProgrammeText, Theme
from .records import ProgrammeDraft
from .summaries import normalised_title
from .validation import airport

WINDOW_DAYS = 90
SAME_SCORE = 0.7
SAME_DATE_RATIO = 0.5
TITLE_REASON = 0.5
MAX_CANDIDATES = 500
# The pages show the strongest matches in full and the rest a line each (`registry_matches`).
SHOWN_IN_FULL = 10
# What a match's programme holds when found: enough for the page, a decision and the API.
PROGRAMME_FIELDS = ("id", "identifier", "reporting_org_id", "default_language")

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
    titles: list[tuple[str, str]] = field(default_factory=list)  # (language, title)

    def title_in(self, language: str) -> str:
        """The title in `language`, else in the record's default language, else any."""
        found = dict(self.titles)
        default = getattr(self.programme, "default_language", "")
        for wanted in (language, default):
            if wanted in found:
                return found[wanted]
        return self.titles[0][1] if self.titles else ""


@dataclass
class Facts:
    """What the check compares of a record: a draft's (`facts_of`) or a saved programme's, read
    from its summary (`MatchSummary`) without its model or its parts."""

    airports: frozenset
    countries: frozenset  # with the countries of its airports
    span: tuple[datetime.date, datetime.date] | None
    themes: frozenset
    agencies: frozenset
    participants: int | None
    organisations: frozenset  # canonical organisations' ids
    titles: dict  # language -> title, normalised (`summaries.normalised_title`)
    names: dict = field(default_factory=dict)  # organisation id -> name, where known


def facts_of(record) -> Facts:
    """The facts of a draft (a Facts is returned as it is)."""
    if isinstance(record, Facts):
        return record
    airports, countries = places(record)
    return Facts(
        airports=frozenset(airports),
        countries=frozenset(countries),
        span=_span(record),
        themes=frozenset(record.themes),
        agencies=frozenset(record.agencies),
        participants=record.participants,
        organisations=frozenset(record.organisation_ids()),
        titles={text.language: normalised_title(text.title) for text in record.texts},
        names={o.pk: o.name for o in _organisations(record) if o.pk},
    )


def facts_from_summary(starts_on, ends_on, found: dict, names=None) -> Facts:
    return Facts(
        airports=frozenset(found["airports"]),
        countries=frozenset(found["countries"]),
        span=(starts_on, ends_on),
        themes=frozenset(found["themes"]),
        agencies=frozenset(found["agencies"]),
        participants=found["participants"],
        organisations=frozenset(found["organisations"]),
        titles=found["titles"],
        names=names if names is not None else {},
    )


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


@functools.cache
def _language_words(language: str) -> dict:
    """The reasons' words in one language, looked up once (a check writes hundreds)."""
    return {
        "airport": _("same airport %(codes)s"),
        "country": _("same country %(names)s"),
        "dates": _("dates overlap %(days)d of %(span)d days"),
        "apart": _("%(days)d days apart"),
        "theme": _("same theme (%(themes)s)"),
        "themes": {code: str(label) for code, label in Theme.choices},
        "agencies": _("same target agencies"),
        "participants": _("same participant count (%(n)d)"),
        "similar participants": _("similar participant count (%(a)d and %(b)d)"),
        "organisation": _("same organisation %(names)s"),
        "titles": _("titles %(similarity).2f similar"),
        "country names": {},  # filled as countries are named (`_country_name`)
    }


def _country_name(code: str, words: dict) -> str:
    """A country's name in the words' language, looked up once: naming it costs more than
    the rest of a comparison."""
    names = words["country names"]
    if code not in names:
        names[code] = str(iso_countries.name(code))
    return names[code]


def _words() -> dict:
    return _language_words(get_language() or settings.LANGUAGE_CODE)


def compare(a, b, *, trigram: float = 0.0, words: dict | None = None) -> Match | None:
    """How far `b` agrees with `a` (drafts, or their `Facts`), in words (`_words()`, looked up
    here unless given); None when it is neither the same nor overlapping. `trigram` is
    PostgreSQL's title similarity where it was measured."""
    a, b = facts_of(a), facts_of(b)
    result, words = _Comparison(), words or _words()
    _compare_places(a, b, result, words)
    _compare_dates(a, b, result, words)
    _compare_topics(a, b, result, words)
    _compare_people(a, b, result, words)
    _compare_titles(a, b, result, trigram, words)
    kind = result.kind()
    if kind is None:
        return None
    return Match(programme=None, kind=kind, score=round(result.score, 2), reasons=result.reasons)


def _compare_places(a: Facts, b: Facts, result, words):
    result.has_place = bool(a.countries and b.countries)
    shared_airports = sorted(a.airports & b.airports)
    shared_countries = sorted(a.countries & b.countries)
    if shared_airports:
        result.add("airport", words["airport"] % {"codes": ", ".join(shared_airports)})
    elif shared_countries:
        names = ", ".join(_country_name(code, words) for code in shared_countries)
        result.add("country", words["country"] % {"names": names})
    result.shares_place = bool(shared_airports or shared_countries)


def _span(draft) -> tuple[datetime.date, datetime.date] | None:
    if draft.starts_on is None:
        return None
    return draft.starts_on, max(draft.ends_on or draft.starts_on, draft.starts_on)


def _compare_dates(a: Facts, b: Facts, result, words):
    span_a, span_b = a.span, b.span
    if span_a is None or span_b is None:
        return
    overlap = (min(span_a[1], span_b[1]) - max(span_a[0], span_b[0])).days + 1
    if overlap > 0:
        longer = max((span_a[1] - span_a[0]).days, (span_b[1] - span_b[0]).days) + 1
        result.date_ratio = overlap / longer
        result.gap_days = 0
        result.add(
            "dates",
            words["dates"] % {"days": overlap, "span": longer},
            result.date_ratio,
        )
    else:
        result.gap_days = 1 - overlap
        result.reasons.append(words["apart"] % {"days": result.gap_days})


def _compare_topics(a: Facts, b: Facts, result, words):
    themes = sorted(a.themes & b.themes)
    if themes:
        labels = ", ".join(words["themes"].get(code, code) for code in themes)
        result.add("theme", words["theme"] % {"themes": labels})
    agencies = a.agencies & b.agencies
    if agencies:
        result.add("agency", words["agencies"])
    result.shares_topic = bool(themes or agencies)


def _compare_people(a: Facts, b: Facts, result, words):
    count_a, count_b = a.participants, b.participants
    if count_a and count_b:
        if count_a == count_b:
            result.add("participants", words["participants"] % {"n": count_a})
        elif abs(count_a - count_b) <= 0.1 * max(count_a, count_b):
            result.add(
                "participants",
                words["similar participants"] % {"a": count_a, "b": count_b},
                0.5,
            )
    shared = a.organisations & b.organisations
    if shared:
        known = b.names | a.names
        names = sorted({known[pk] for pk in shared if pk in known})
        result.add("organisation", words["organisation"] % {"names": ", ".join(names)})
    result.shares_organisation = bool(shared)


def _organisations(draft) -> list:
    """The draft's organisations, some perhaps not saved yet (named for the first time)."""
    found = [p.organisation for p in draft.participations]
    return found + ([draft.reporting_org] if draft.reporting_org is not None else [])


def title_similarity(a: str, b: str) -> float:
    return fuzz.token_set_ratio(a, b, processor=utils.default_process) / 100


def _compare_titles(a: Facts, b: Facts, result, trigram, words):
    """Titles are compared only within one language: across languages they say nothing. Both
    are normalised already (`summaries.normalised_title`)."""
    best = trigram
    for language, title in a.titles.items():
        other = b.titles.get(language)
        if other is not None:
            best = max(best, fuzz.token_set_ratio(title, other, processor=None) / 100)
    if best >= TITLE_REASON:
        result.add("title", words["titles"] % {"similarity": best}, best)


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


def match_keys(draft: ProgrammeDraft) -> list[str]:
    """The `MatchKey` keys the draft reaches records by: its countries (with its airports'),
    and its organisations (after aliases) for records that name no place at all, since a
    record elsewhere is neither the same nor an overlap, whoever reports it. A draft naming no
    place reaches every record of its organisations."""
    _airports, countries = places(draft)
    organisations = sorted(draft.organisation_ids())
    if countries:
        return [f"c:{code}" for code in sorted(countries)] + [f"n:{pk}" for pk in organisations]
    return [f"o:{pk}" for pk in organisations]


def _candidate_sql(keys: int) -> str:
    """The narrowing query: the keys' index (key, dates) finds the records, each read with its
    summary and its reporting organisation's name. Written out, not built by the ORM: it runs at
    every check, and building it cost more than running it. On SQLite the dates come as text:
    its driver would parse every date of every row through a Python call, and only the dates
    of the records kept are needed (`_date`)."""
    programme, summary, key, organisation = (
        connection.ops.quote_name(model._meta.db_table)
        for model in (Programme, MatchSummary, MatchKey, Organisation)
    )
    places = ", ".join(["%s"] * keys)
    day = "CAST({} AS TEXT)" if connection.vendor == "sqlite" else "{}"
    starts, low, high = (
        day.format(column) for column in ("p.starts_on", "s.starts_on", "s.ends_on")
    )
    return f"""
        SELECT p.id, p.identifier, p.reporting_org_id, p.default_language, p.workflow_status,
               p.visibility, {starts}, o.name, {low}, {high}, s.facts
        FROM {key} k JOIN {summary} s ON s.programme_id = k.programme_id
        JOIN {programme} p ON p.id = k.programme_id
        JOIN {organisation} o ON o.id = p.reporting_org_id
        WHERE k.key IN ({places}) AND k.starts_on <= %s AND k.ends_on >= %s"""  # noqa: S608 table names from models, values as parameters


def _date(value) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def candidates(draft: ProgrammeDraft, *, reader=None) -> list[tuple]:
    """Records that share a place with the draft (or, where one of the two names no place, an
    organisation) and lie within the window of its dates, and that `reader` sees (everyone's
    when None; `selectors.Reader`), as rows of (programme fields, reporting organisation's
    name, facts, titles as written): the only ones worth scoring. One query."""
    span = _span(draft)
    keys = match_keys(draft)
    if span is None or not keys:
        return []
    window = datetime.timedelta(days=WINDOW_DAYS)
    with connection.cursor() as cursor:
        cursor.execute(_candidate_sql(len(keys)), [*keys, span[1] + window, span[0] - window])
        rows = cursor.fetchall()
    skipped = {draft.pk} | decided_with(draft.pk) if draft.pk else set()
    found = {}
    for pk, identifier, org, language, status, visibility, starts, name, low, high, facts in rows:
        if pk in found or pk in skipped:
            continue
        if reader is not None and not reader.sees(
            workflow_status=status, visibility=visibility, reporting_org_id=org
        ):
            continue
        found[pk] = (
            _date(starts),
            identifier,
            (pk, identifier, org, language),
            name,
            low,
            high,
            facts,
        )
    # The registry's own order (latest first), so that the cap keeps the same records.
    ordered = sorted(found.values(), key=lambda row: row[1])
    ordered.sort(key=lambda row: row[0] or datetime.date.min, reverse=True)
    result = []
    for _starts, _identifier, values, name, low, high, facts in ordered[:MAX_CANDIDATES]:
        if isinstance(facts, str):
            result.append((values, name, *_summary_read(facts, low, high)))
        else:  # a database driver that decodes JSON itself
            summary = facts_from_summary(_date(low), _date(high), facts)
            result.append((values, name, summary, facts["texts"]))
    return result


@functools.lru_cache(maxsize=4096)
def _summary_read(text: str, low, high) -> tuple[Facts, dict]:
    """A summary's facts and titles, read once per distinct summary and kept by its content:
    the records at a busy airport meet most checks made there. A changed record has another
    text, so nothing stale is read back. Both are only read, never changed. The dates come as
    the database gave them, parsed here once."""
    found = json.loads(text)
    return facts_from_summary(_date(low), _date(high), found), found["texts"]


def decided_with(pk: int) -> set[int]:
    pairs = OverlapDecision.objects.filter(Q(low=pk) | Q(high=pk)).values_list("low", "high")
    return {other for pair in pairs for other in pair if other != pk}


def _partial(model, values: dict, database: str):
    """An instance of `model` read from `database` holding only `values`, as the ORM builds
    one for `.only()`: its other fields are deferred, read if asked for. Built without
    `__init__`, which sets every field of the model, since a check may build hundreds."""
    instance = model.__new__(model)
    instance.__dict__.update(values)
    instance._state = ModelState()
    instance._state.adding = False
    instance._state.db = database
    return instance


def find_matches(draft: ProgrammeDraft, *, reader=None) -> list[Match]:
    """Every record `reader` sees (all records by default) that may be the same programme as
    the draft or overlap with it, best first, each with its reasons. Scored from the summaries,
    which also hold the titles shown; each match's programme holds its identifier, default
    language and reporting organisation (its other fields are read if asked for)."""
    mine = facts_of(draft)
    found = candidates(draft, reader=reader)
    trigram = trigram_scores(draft, [values[0] for values, *_rest in found])
    matches, organisations, words = [], {}, _words()
    database = connection.alias  # asked once: the connection is looked up on each access
    for values, organisation, theirs, texts in found:
        match = compare(mine, theirs, trigram=trigram.get(values[0], 0), words=words)
        if match is None:
            continue
        programme = _partial(Programme, dict(zip(PROGRAMME_FIELDS, values, strict=True)), database)
        if values[2] not in organisations:
            organisations[values[2]] = _partial(
                Organisation, {"id": values[2], "name": organisation}, database
            )
        programme._state.fields_cache["reporting_org"] = organisations[values[2]]
        match.programme, match.titles = programme, sorted(texts.items())
        matches.append(match)
    return sorted(matches, key=lambda m: (m.kind != "same", -m.score, m.programme.identifier))


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
    registry. Read from the summaries; pairs someone has already decided are left out."""
    queryset = Programme.objects.all() if queryset is None else queryset
    rows = (
        queryset.order_by()
        .filter(match_summary__isnull=False)
        .values_list(
            "pk",
            "identifier",
            "match_summary__starts_on",
            "match_summary__ends_on",
            "match_summary__facts",
        )
    )
    names = dict(Organisation.objects.values_list("pk", "name"))
    identifiers, facts = {}, {}
    for pk, identifier, start, end, found in rows:
        identifiers[pk] = identifier
        facts[pk] = facts_from_summary(start, end, found, names)
    decided = set(OverlapDecision.objects.values_list("low", "high"))
    pairs = []
    for low, high in sorted(_blocked_pairs(facts) - decided):
        match = compare(facts[low], facts[high])
        if match is not None:
            pairs.append(
                {
                    "a": identifiers[low],
                    "b": identifiers[high],
                    "kind": match.kind,
                    "score": match.score,
                    "reasons": [str(reason) for reason in match.reasons],
                }
            )
    pairs.sort(key=lambda p: (p["kind"] != "same", -p["score"], p["a"], p["b"]))
    return pairs


def _blocked_pairs(facts: dict[int, Facts]) -> set[tuple[int, int]]:
    blocks = defaultdict(list)
    for pk, found in facts.items():
        keys = [("airport", c) for c in found.airports] + [("country", c) for c in found.countries]
        keys += [("organisation", o) for o in found.organisations]
        for key in keys:
            blocks[key].append(pk)
    window = datetime.timedelta(days=WINDOW_DAYS)
    pairs = set()
    for members in blocks.values():
        members.sort(key=lambda pk: facts[pk].span[0])
        for i, pk in enumerate(members):
            reach = facts[pk].span[1] + window
            for other in members[i + 1 :]:
                if facts[other].span[0] > reach:
                    break
                pairs.add((min(pk, other), max(pk, other)))
    return pairs
