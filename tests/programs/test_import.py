import datetime
import json

import pytest
from django.core.management import CommandError, call_command

from cms.accounts.models import Organisation
from cms.programs.models import Programme, ProgrammeRelation, ProgrammeRevision
from cms.programs.records import CountryShare, Text
from cms.programs.services import alias_add

from .helpers import international, make_programme

pytestmark = pytest.mark.django_db

HEADER = (
    "identifier,reporting_org,title,description,language,status,planned_start,planned_end,"
    "countries,airports,themes,agencies,participants_planned,participating_orgs,sectors,related\n"
)


@pytest.fixture
def unodc():
    organisation = international("United Nations Office on Drugs and Crime", "AT")
    organisation.slug = "unodc"
    organisation.save()
    alias_add(organisation=organisation, name="ONUDC", language="fr")
    return organisation


def record(**overrides):
    values = {
        "identifier": "FP-UNODC-AIRCOP-7",
        "reporting_org": "ONUDC",
        "title": "Formation au profilage des passagers à Dakar",
        "description": "Une semaine de formation pour la police de l'air.",
        "language": "fr",
        "status": "implementation",
        "planned_start": "2024-03-04",
        "planned_end": "2024-03-08",
        "countries": ["SN"],
        "airports": ["DSS"],
        "themes": ["indicators"],
        "agencies": ["Border police", "customs"],
        "participants_planned": 24,
    }
    values.update(overrides)
    return values


def run(tmp_path, rows, suffix="json"):
    path = tmp_path / f"programmes.{suffix}"
    path.write_text(rows if isinstance(rows, str) else json.dumps(rows), encoding="utf-8")
    call_command("import_programmes", str(path))


def test_a_json_file_creates_records_through_aliases(tmp_path, unodc):
    run(tmp_path, [record(participating_orgs=[{"name": "EU", "role": "funding"}])])
    programme = Programme.objects.get(identifier="FP-UNODC-AIRCOP-7")
    assert programme.reporting_org == unodc
    assert programme.texts.get().language == "fr"
    assert {t.code for t in programme.tags.filter(kind="agency")} == {"border_police", "customs"}
    assert programme.airports.get().iata == "DSS"
    assert programme.sectors.get().code == "15190"
    roles = {(p.organisation.name, p.role) for p in programme.participations.all()}
    assert roles == {("EU", 1)}
    assert Organisation.objects.filter(name="EU").count() == 1
    assert programme.revisions.count() == 1


def test_an_existing_identifier_updates_its_record_with_a_revision(tmp_path, unodc):
    programme = make_programme(unodc, own_id="AIRCOP-7")
    run(tmp_path, [record(participants_planned=30)])
    programme.refresh_from_db()
    assert programme.participants_planned == 30
    assert programme.texts.get().title.startswith("Formation")
    assert Programme.objects.count() == 1
    assert list(programme.revisions.values_list("number", flat=True)) == [2, 1]


def test_an_unknown_organisation_becomes_a_canonical_one_with_its_prefix(tmp_path, db):
    run(
        tmp_path,
        [
            record(
                identifier="XM-DAC-41127-NBO-1",
                reporting_org="IOM",
                countries=["KE"],
                airports=["NBO"],
            )
        ],
    )
    iom = Organisation.objects.get(name="IOM")
    assert iom.iati_reference.ref == "XM-DAC-41127-NBO"
    assert Programme.objects.get().reporting_org == iom


def test_csv_with_lists_separated_by_semicolons(tmp_path, unodc):
    first = make_programme(unodc, own_id="OLD")
    text = HEADER + (
        'FP-UNODC-9,UNODC,"=HYPERLINK(""x"")",Training.,en,2,2024-05-01,2024-05-03,'
        f"KE,NBO;MBA,documents;rights,immigration,12,EU:funding;UNODC:implementing,"
        f"15190:60;15130:40,{first.identifier}:predecessor\n"
    )
    run(tmp_path, text, suffix="csv")
    programme = Programme.objects.get(identifier="FP-UNODC-9")
    assert sorted(a.iata for a in programme.airports.all()) == ["MBA", "NBO"]
    assert {(s.code, int(s.percentage)) for s in programme.sectors.all()} == {
        ("15190", 60),
        ("15130", 40),
    }
    assert {p.role for p in programme.participations.all()} == {1, 4}
    relation = ProgrammeRelation.objects.get(programme=programme)
    assert (relation.related, relation.kind) == (first, "predecessor")


def test_one_bad_row_refuses_the_whole_file_with_a_reason_per_row(tmp_path, unodc, capsys):
    rows = [
        record(identifier="FP-UNODC-GOOD"),
        record(identifier="FP-UNODC-BAD1", planned_start="4 March 2024", countries=["XX"]),
        record(identifier="FP-UNODC-BAD2", status="ongoing", themes=["cooking"]),
    ]
    with pytest.raises(CommandError, match="Nothing was imported"):
        run(tmp_path, rows)
    errors = capsys.readouterr().err
    assert "row 2, planned_start:" in errors
    assert "row 3, status:" in errors
    assert "row 3, themes:" in errors
    assert "row 1" not in errors
    assert not Programme.objects.exists()
    assert not ProgrammeRevision.objects.exists()


def test_a_new_organisation_is_not_kept_when_the_file_is_refused(tmp_path, db):
    rows = [
        record(identifier="XM-NEW-1", reporting_org="Brand new agency", planned_end="2020-01-01")
    ]
    with pytest.raises(CommandError):
        run(tmp_path, rows)
    assert not Organisation.objects.filter(name="Brand new agency").exists()


def test_an_identifier_twice_in_a_file_is_refused(tmp_path, unodc, capsys):
    with pytest.raises(CommandError):
        run(tmp_path, [record(), record()])
    assert "row 2, identifier:" in capsys.readouterr().err


def test_a_file_that_is_not_json_gets_a_message(tmp_path, db, capsys):
    with pytest.raises(CommandError):
        run(tmp_path, "{not json", suffix="json")
    assert "not valid JSON" in capsys.readouterr().err


def test_a_missing_file_gets_a_message(tmp_path, db):
    with pytest.raises(CommandError, match="missing.json"):
        call_command("import_programmes", str(tmp_path / "missing.json"))


def test_overlong_values_and_unknown_countries_get_a_reason_not_a_crash(tmp_path, db, capsys):
    rows = [
        record(
            identifier="XM-LONG-1",
            reporting_org="A new agency",
            title="T" * 301,
            countries=["SENEGAL"],
            participating_orgs=[{"name": "N" * 201, "role": "funding"}],
        )
    ]
    with pytest.raises(CommandError):
        run(tmp_path, rows)
    errors = capsys.readouterr().err
    for name in ("title", "countries", "participating_orgs"):
        assert f"row 1, {name}:" in errors
    assert not Organisation.objects.filter(name="A new agency").exists()


def test_the_import_reports_what_the_overlap_check_raises(tmp_path, unodc, capsys):
    existing = make_programme(
        unodc,
        own_id="EN-1",
        texts=[Text("en", "Passenger profiling training in Dakar", "A week.")],
        countries=[CountryShare("SN")],
        airports=["DSS"],
        themes=["indicators"],
        agencies=["border_police"],
        planned_start=datetime.date(2024, 3, 4),
        planned_end=datetime.date(2024, 3, 8),
        participants_planned=24,
    )
    run(tmp_path, [record()])
    out = capsys.readouterr().out
    assert f"possible same: FP-UNODC-AIRCOP-7 ~ {existing.identifier}" in out
    assert "same airport DSS" in out
    assert Programme.objects.count() == 2
