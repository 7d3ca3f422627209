import datetime
import itertools
import json
from io import StringIO

import pytest
from django.core.management import call_command

from cms.programs import overlap, services
from cms.programs.models import OverlapDecision, ProgrammeRelation
from cms.programs.records import Participation, Text, draft_from_programme

from ..factories import UserFactory
from .helpers import draft, international, make_programme

pytestmark = pytest.mark.django_db

COTONOU = dict(
    texts=[Text("en", "INTERPOL training and operation at Cotonou airport", "Training.")],
    planned_start=datetime.date(2011, 5, 31),
    planned_end=datetime.date(2011, 6, 3),
    countries=[],
    airports=["COO"],
    themes=["documents"],
    agencies=["immigration", "customs", "gendarmerie"],
    participants_planned=36,
)


@pytest.fixture
def interpol():
    organisation = international("INTERPOL")
    services.alias_add(organisation=organisation, name="OIPC-INTERPOL", language="fr")
    return organisation


@pytest.fixture
def funder():
    return international("Agence de coopération (démo)", country="FR")


@pytest.fixture
def cotonou(interpol):
    return make_programme(interpol, **COTONOU)


def french_record(funder, interpol_alias="OIPC-INTERPOL", **overrides):
    implementer = services.organisation_resolve(name=interpol_alias)
    values = COTONOU | dict(
        texts=[
            Text(
                "fr",
                "Formation à la détection des faux documents, aéroport de Cotonou",
                "Formation.",
            )
        ],
        participations=[Participation(funder, 1), Participation(implementer, 4)],
        default_language="fr",
    )
    return draft(funder, **(values | overrides))


def test_a_french_record_of_the_same_training_is_the_same_programme(cotonou, funder):
    matches = overlap.find_matches(french_record(funder))
    assert [(m.programme, m.kind) for m in matches] == [(cotonou, "same")]
    reasons = matches[0].reasons
    assert "same airport COO" in reasons
    assert "dates overlap 4 of 4 days" in reasons
    assert "same participant count (36)" in reasons
    assert "same organisation INTERPOL" in reasons
    assert not any(reason.startswith("titles") for reason in reasons)


def test_an_arabic_record_without_a_shared_organisation_is_found_by_its_facts(cotonou):
    other = international("جهة مانحة تجريبية", country="SA")
    arabic = draft(
        other,
        **COTONOU
        | dict(texts=[Text("ar", "تدريب على كشف الوثائق المزورة في مطار كوتونو", "تدريب.")]),
    )
    matches = overlap.find_matches(arabic)
    assert [(m.programme, m.kind) for m in matches] == [(cotonou, "same")]


def test_titles_are_scored_only_within_one_language(cotonou, interpol):
    english = draft(
        interpol,
        **COTONOU | dict(texts=[Text("en", "INTERPOL training, Cotonou airport", "Training.")]),
    )
    (match,) = overlap.find_matches(english)
    assert any(r.startswith("titles ") and r.endswith(" similar") for r in match.reasons)


def test_a_course_run_again_a_year_later_is_not_the_same_programme(cotonou, interpol):
    a_year_later = draft(
        interpol,
        **COTONOU
        | dict(planned_start=datetime.date(2012, 5, 29), planned_end=datetime.date(2012, 6, 1)),
    )
    assert overlap.find_matches(a_year_later) == []


def test_a_course_run_again_a_month_later_overlaps_but_is_not_the_same(cotonou, interpol):
    a_month_later = draft(
        interpol,
        **COTONOU
        | dict(planned_start=datetime.date(2011, 7, 4), planned_end=datetime.date(2011, 7, 7)),
    )
    (match,) = overlap.find_matches(a_month_later)
    assert match.kind == "overlap"
    assert "31 days apart" in match.reasons


def test_another_country_is_neither(cotonou, interpol):
    elsewhere = draft(interpol, **COTONOU | dict(airports=["NBO"]))
    assert overlap.find_matches(elsewhere) == []


def test_a_decided_pair_is_not_raised_again(cotonou, funder):
    french = services.programme_create(draft=french_record(funder), user=None)
    assert french in [m.programme for m in overlap.find_matches(french_record(funder))]
    services.decision_record(
        programme=french,
        decision=services.Decision(other=cotonou, decision="different"),
        user=None,
    )
    saved = draft_from_programme(french)
    assert overlap.find_matches(saved) == []
    assert overlap.registry_pairs() == []


def test_deciding_same_links_the_records_and_keeps_who_decided(cotonou, funder, coordinator):
    decision = services.Decision(other=cotonou, decision="same", kind="same", score=0.9)
    french = services.programme_create(
        draft=french_record(funder), user=coordinator, decisions=[decision]
    )
    record = OverlapDecision.objects.get()
    assert (record.decided_by, record.decision) == (coordinator, "same")
    assert ProgrammeRelation.objects.filter(programme=french, related=cotonou, kind="same").exists()


def test_related_needs_a_relation(cotonou, funder):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.programme_create(
            draft=french_record(funder),
            user=None,
            decisions=[services.Decision(other=cotonou, decision="related")],
        )
    assert OverlapDecision.objects.count() == 0


def test_the_command_lists_pairs_as_json(cotonou, funder):
    services.programme_create(draft=french_record(funder), user=None)
    out = StringIO()
    call_command("registry_duplicates", "--format", "json", stdout=out)
    (pair,) = json.loads(out.getvalue())["pairs"]
    assert pair["a"] == cotonou.identifier
    assert pair["kind"] == "same"
    assert 0.7 <= pair["score"] <= 1
    assert "same airport COO" in pair["reasons"]


def test_the_registry_scan_compares_only_records_sharing_a_key(interpol, monkeypatch):
    for month in range(1, 13):
        make_programme(
            interpol,
            airports=["NBO" if month % 2 else "COO"],
            countries=[],
            planned_start=datetime.date(2011, month, 1),
            planned_end=datetime.date(2011, month, 2),
        )
    compared = []
    real = overlap.compare
    monkeypatch.setattr(overlap, "compare", lambda a, b, **k: compared.append(1) or real(a, b))
    overlap.registry_pairs()
    # Same airport or organisation within 90 days: far fewer than the 66 pairs of a full scan.
    assert 0 < len(compared) < 66


def test_aliases_in_any_language_reach_the_canonical_organisation(interpol):
    services.alias_add(organisation=interpol, name="Интерпол", language="ru")
    assert services.organisation_resolve(name="  интерпол ") == interpol
    assert services.organisation_resolve(name="oipc-interpol") == interpol


@pytest.fixture
def fresh_trigram_check():
    """The extension is created inside the test's transaction and gone after it: so is what
    the registry remembers of it."""
    overlap._trigram.clear()
    yield
    overlap._trigram.clear()


def test_postgresql_trigram_similarity_is_an_optional_extra(cotonou, interpol, fresh_trigram_check):
    """Without pg_trgm (SQLite, or PostgreSQL without the extension) rapidfuzz scores titles
    alone; with it, PostgreSQL's similarity of same-language titles is measured too."""
    from django.db import connection

    near_copy = draft(interpol, **COTONOU)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        scores = overlap.trigram_scores(near_copy, [cotonou.pk])
        assert scores[cotonou.pk] == pytest.approx(1.0)
    else:
        assert overlap.trigram_available() is False
        assert overlap.trigram_scores(near_copy, [cotonou.pk]) == {}
    overlap._trigram.clear()
    (match,) = overlap.find_matches(near_copy)
    assert "titles 1.00 similar" in match.reasons


def _summaries():
    from cms.programs.models import MatchKey, MatchSummary

    return (
        sorted(MatchSummary.objects.values_list("programme", "starts_on", "ends_on", "facts")),
        sorted(MatchKey.objects.values_list("programme", "key", "starts_on", "ends_on")),
    )


def test_the_summaries_kept_with_every_change_equal_a_rebuild(cotonou, interpol, funder):
    """Created, edited (places, dates, titles, organisations), imported, merged: the overlap
    check's summaries written along the way are those a rebuild writes from the records."""
    from cms.programs.importing import import_rows
    from cms.programs.models import MatchSummary

    french = services.programme_create(draft=french_record(funder), user=None)
    edited = french_record(
        funder,
        identifier=french.identifier,
        airports=["NBO"],
        countries=[],
        planned_start=datetime.date(2012, 1, 9),
        planned_end=datetime.date(2012, 1, 20),
        texts=[Text("fr", "Formation SLTD à Nairobi", "Formation.")],
        participations=[Participation(funder, 1)],
    )
    services.programme_update(programme=french, draft=edited, user=None, check_access=False)
    placeless = services.programme_create(
        draft=draft(interpol, countries=[], airports=[], own_id="NOWHERE"), user=None
    )
    other = international("Bailleur fusionné")
    services.programme_create(
        draft=draft(other, participations=[Participation(interpol, 4)], own_id="M"), user=None
    )
    services.organisation_merge(keep=funder, merge=other, user=None)
    import_rows(
        [
            {
                "identifier": f"FP-{interpol.slug.upper()}-IMPORTED",
                "reporting_org": "OIPC-INTERPOL",
                "title": "Détection des faux documents",
                "description": "Importé.",
                "language": "fr",
                "status": "2",
                "planned_start": "2011-06-01",
                "planned_end": "2011-06-02",
                "countries": ["BJ"],
                "airports": ["COO"],
                "themes": ["documents"],
                "agencies": ["customs"],
                "participants_planned": 36,
            }
        ],
        user=None,
    )
    kept = _summaries()
    assert MatchSummary.objects.count() == 5
    assert any(k[1] == f"n:{interpol.pk}" and k[0] == placeless.pk for k in kept[1])
    assert not any(f"o:{other.pk}" == k[1] for k in kept[1])
    call_command("rebuild_match_summaries", stdout=StringIO())
    assert _summaries() == kept


def test_the_check_shows_each_reader_the_records_the_registry_shows_them(
    organisation, other_organisation, officer, other_coordinator, stranger
):
    """The check filters its candidates row by row (`Reader.sees`) and the registry with a query
    (`Reader.records`): for every reader and every kind of record, the two agree, and the
    check finds exactly the records of the same training that the reader may see."""
    from django.contrib.auth.models import AnonymousUser, Group

    from cms.programs import selectors

    moderator = UserFactory()
    moderator.groups.add(Group.objects.get_or_create(name=selectors.MODERATORS_GROUP)[0])
    records = [
        make_programme(owner, own_id=f"SEEN-{n}", published=published, visibility=visibility)
        for n, (owner, published, visibility) in enumerate(
            itertools.product(
                [organisation, other_organisation], [True, False], ["public", "partners"]
            )
        )
    ]
    checked = draft(international("Agence de vérification (démo)"), own_id="CHECKED")
    for user in [AnonymousUser(), stranger, officer, other_coordinator, moderator]:
        reader = selectors.reader(user=user)
        listed = set(reader.records().filter(pk__in=[r.pk for r in records]))
        seen = {
            r
            for r in records
            if reader.sees(
                workflow_status=r.workflow_status,
                visibility=r.visibility,
                reporting_org_id=r.reporting_org_id,
            )
        }
        assert seen == listed
        assert listed == set(
            selectors.programmes_visible_to(user=user).filter(pk__in=[r.pk for r in seen])
        )
        found = {m.programme.pk for m in overlap.find_matches(checked, reader=reader)}
        assert found == {r.pk for r in listed}
    assert len(set(selectors.reader(user=stranger).records())) == 2  # published and public
    assert len(set(selectors.reader(user=moderator).records())) == len(records)
