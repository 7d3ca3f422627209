"""The overlap check's summaries: one row per programme holding what the check reads
(`MatchSummary`), and the keys that reach it by country or organisation within its dates
(`MatchKey`), so that narrowing the registry is one indexed query and scoring reads compact
rows rather than a programme and its five tables of parts.

They repeat what the records hold and are written with them: `write` from the draft being
saved (create, edit, import: `services._write`), `refresh` from the tables after a change made
in bulk (an organisation merge, generated records), `rebuild` for the whole registry
(`python manage.py rebuild_match_summaries`, and the migration that added them).
"""

from collections import defaultdict

from django.apps import apps as installed_apps
from django.db import transaction
from rapidfuzz import utils

BATCH = 2000


def normalised_title(title: str) -> str:
    """A title as the check compares it: lower case, without punctuation (rapidfuzz's
    `default_process`), so it is processed once when saved, not at every comparison."""
    return utils.default_process(title.strip())


def facts(*, airports, countries, themes, agencies, participants, organisations, titles) -> dict:
    """The summary's `facts`: lists sorted so that a rebuild writes the same row."""
    return {
        "airports": sorted({code.upper() for code in airports}),
        "countries": sorted(set(countries)),
        "themes": sorted(set(themes)),
        "agencies": sorted(set(agencies)),
        "participants": participants or None,
        "organisations": sorted(set(organisations)),
        "titles": {language: normalised_title(title) for language, title in sorted(titles)},
        "texts": {language: title.strip() for language, title in sorted(titles)},  # as shown
    }


def keys(found: dict) -> list[str]:
    """The keys that reach a programme with these facts (see `MatchKey`)."""
    organisations = [f"o:{pk}" for pk in found["organisations"]]
    if not found["countries"]:
        organisations += [f"n:{pk}" for pk in found["organisations"]]
    return [f"c:{code}" for code in found["countries"]] + organisations


def _models(apps=None):
    apps = apps or installed_apps
    return apps.get_model("programs", "MatchSummary"), apps.get_model("programs", "MatchKey")


def _store(rows: dict[int, tuple], *, apps=None) -> None:
    """Replace the summaries and keys of the programmes in `rows` (pk -> (start, end, facts);
    a programme with no start date gets none)."""
    summary_model, key_model = _models(apps)
    ids = list(rows)
    with transaction.atomic():
        for first in range(0, len(ids), BATCH):
            chunk = ids[first : first + BATCH]
            key_model.objects.filter(programme__in=chunk).delete()
            summary_model.objects.filter(programme__in=chunk).delete()
        kept = [(pk, row) for pk, row in rows.items() if row[0] is not None]
        summary_model.objects.bulk_create(
            (
                summary_model(programme_id=pk, starts_on=start, ends_on=end, facts=found)
                for pk, (start, end, found) in kept
            ),
            batch_size=BATCH,
        )
        key_model.objects.bulk_create(
            (
                key_model(programme_id=pk, key=key, starts_on=start, ends_on=end)
                for pk, (start, end, found) in kept
                for key in keys(found)
            ),
            batch_size=BATCH,
        )


def write(programme, draft) -> None:
    """The summary of a programme just saved from `draft` (its organisations all saved)."""
    from .overlap import places

    airports, countries = places(draft)
    found = facts(
        airports=airports,
        countries=countries,
        themes=draft.themes,
        agencies=draft.agencies,
        participants=draft.participants,
        organisations=draft.organisation_ids(),
        titles=[(text.language, text.title) for text in draft.texts],
    )
    start, end = draft.starts_on, draft.ends_on
    _store({programme.pk: (start, max(end or start, start) if start else None, found)})


def _read(ids, *, apps=None) -> dict[int, tuple]:
    """The summaries of programmes `ids` (None: every programme) from the record tables."""
    apps = apps or installed_apps

    def model(name):
        return apps.get_model("programs", name)

    def rows(name, *fields):
        queryset = model(name).objects.order_by()
        if ids is not None:
            queryset = queryset.filter(programme__in=ids)
        return queryset.values_list("programme", *fields).iterator(chunk_size=BATCH)

    parts = defaultdict(lambda: defaultdict(list))
    for pk, language, title in rows("ProgrammeText", "language", "title"):
        parts[pk]["titles"].append((language, title))
    for pk, country in rows("ProgrammeCountry", "country"):
        parts[pk]["countries"].append(country)
    for pk, iata, country in rows("ProgrammeAirport", "iata", "country"):
        parts[pk]["airports"].append(iata)
        parts[pk]["countries"].append(country)
    plural = {"theme": "themes", "agency": "agencies"}
    for pk, kind, code in rows("ProgrammeTag", "kind", "code"):
        if kind in plural:
            parts[pk][plural[kind]].append(code)
    for pk, organisation in rows("ParticipatingOrganisation", "organisation"):
        parts[pk]["organisations"].append(organisation)
    programmes = model("Programme").objects.order_by()
    if ids is not None:
        programmes = programmes.filter(pk__in=ids)
    found = {}
    for pk, reporting, start, end, actual, planned in programmes.values_list(
        "pk", "reporting_org", "starts_on", "ends_on", "participants_actual", "participants_planned"
    ).iterator(chunk_size=BATCH):
        part = parts[pk]
        summary = facts(
            airports=part["airports"],
            countries=part["countries"],
            themes=part["themes"],
            agencies=part["agencies"],
            participants=actual or planned,
            organisations=[*part["organisations"], reporting],
            titles=part["titles"],
        )
        found[pk] = (start, max(end or start, start) if start else None, summary)
    return found


def refresh(ids, *, apps=None) -> None:
    """Write the summaries of programmes `ids` again from what the tables hold."""
    ids = list(ids)
    for first in range(0, len(ids), BATCH):
        chunk = ids[first : first + BATCH]
        _store(_read(chunk, apps=apps), apps=apps)


def rebuild(*, apps=None) -> int:
    """Every summary written again from the tables; returns how many programmes have one."""
    summary_model, key_model = _models(apps)
    with transaction.atomic():
        key_model.objects.all().delete()
        summary_model.objects.all().delete()
        _store(_read(None, apps=apps), apps=apps)
        return summary_model.objects.count()
