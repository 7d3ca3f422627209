import csv
import importlib.util
import io
from pathlib import Path

import pytest
from django.urls import reverse
from lxml import etree
from openpyxl import load_workbook

from cms.programs import services
from cms.programs.exports import COLUMNS, escape_cell
from cms.programs.models import OrganisationReference
from cms.programs.records import (
    Budget,
    CountryShare,
    Document,
    Participation,
    SectorShare,
    Text,
)

from .helpers import international, make_programme, pct

pytestmark = pytest.mark.django_db


def iati_schema() -> etree.XMLSchema:
    """IATI 2.03's activity schema as pyIATI 0.4.1 ships it (its files only are used)."""
    package = Path(importlib.util.find_spec("iati").submodule_search_locations[0])
    xsd = package / "resources/standard/2-03/schemas/iati-activities-schema.xsd"
    return etree.XMLSchema(etree.parse(str(xsd)))


@pytest.fixture
def records(organisation):
    unodc = international("UNODC", "AT")
    OrganisationReference.objects.create(organisation=unodc, ref="XM-DAC-41114")
    rich = make_programme(
        organisation,
        own_id="RICH",
        texts=[
            Text("en", '=HYPERLINK("http://evil")', "-2+3 participants"),
            Text("fr", "Formation SLTD à Nairobi", "Formation."),
        ],
        countries=[CountryShare("KE", pct(60)), CountryShare("UG", pct(40))],
        sectors=[SectorShare("15190", pct(70)), SectorShare("15130", pct(30))],
        participations=[Participation(unodc, 1), Participation(organisation, 4)],
        budgets=[Budget(unodc, pct(25000), "EUR")],
        documents=[Document("https://example.org/report", "Report", "en")],
        contact_name="@desk",
        contact_email="desk@example.org",
    )
    other = make_programme(
        organisation, own_id="OTHER", countries=[CountryShare("SN")], airports=["DSS"]
    )
    services.decision_record(
        programme=other,
        decision=services.Decision(other=rich, decision="related", relation="sibling"),
        user=None,
    )
    secret = make_programme(organisation, own_id="SECRET", visibility="partners")
    draft = make_programme(organisation, own_id="DRAFT", published=False)
    return {"rich": rich, "other": other, "secret": secret, "draft": draft}


def _csv(client, **params):
    response = client.get(reverse("programs:export_csv"), params)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_escape_cell_guards_every_formula_start():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert escape_cell(f"{start}SUM(A1)") == f"'{start}SUM(A1)"
    assert escape_cell("Nairobi") == "Nairobi"
    assert escape_cell(40) == 40


def test_csv_has_every_column_escaped_and_only_what_visitors_may_see(client, records):
    found = _csv(client)
    assert {row["identifier"] for row in found} == {
        records["rich"].identifier,
        records["other"].identifier,
    }
    rich = next(row for row in found if row["identifier"] == records["rich"].identifier)
    assert list(rich) == list(COLUMNS)
    assert rich["title"] == '\'=HYPERLINK("http://evil")'
    assert rich["description"] == "'-2+3 participants"
    assert rich["contact_name"] == "'@desk"
    assert rich["countries"] == "KE:60;UG:40"
    assert (
        rich["participating_orgs"]
        == f"UNODC:Funding;{records['rich'].reporting_org.name}:Implementing"
    )
    assert rich["other_languages"] == "fr"


def test_exports_follow_the_search(client, records):
    assert [row["identifier"] for row in _csv(client, country="SN")] == [
        records["other"].identifier
    ]


def test_verified_members_export_partners_records_but_not_other_drafts(
    client, records, other_coordinator
):
    client.force_login(other_coordinator)
    identifiers = {row["identifier"] for row in _csv(client)}
    assert records["secret"].identifier in identifiers
    assert records["draft"].identifier not in identifiers


def test_xlsx_has_every_column_escaped(client, records):
    response = client.get(reverse("programs:export_xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    values = list(workbook.active.iter_rows(values_only=True))
    assert list(values[0]) == list(COLUMNS)
    assert len(values) == 3
    rich = next(v for v in values if v[0] == records["rich"].identifier)
    assert rich[COLUMNS.index("title")] == '\'=HYPERLINK("http://evil")'
    assert rich[COLUMNS.index("countries")] == "KE:60;UG:40"
    assert all(not str(cell).startswith("=") for row in values for cell in row if cell)


def test_iati_xml_validates_against_the_203_schema(client, records, other_coordinator):
    client.force_login(other_coordinator)
    response = client.get(reverse("programs:export_iati"))
    assert response.status_code == 200
    document = etree.fromstring(b"".join(response.streaming_content))
    schema = iati_schema()
    assert schema.validate(document), schema.error_log
    assert document.get("version") == "2.03"
    activities = document.findall("iati-activity")
    assert len(activities) == 3
    rich = next(
        a for a in activities if a.findtext("iati-identifier") == records["rich"].identifier
    )
    assert rich.find("participating-org[@role='1']").get("ref") == "XM-DAC-41114"
    assert [c.get("code") for c in rich.findall("recipient-country")] == ["KE", "UG"]
    other = next(
        a for a in activities if a.findtext("iati-identifier") == records["other"].identifier
    )
    related = other.find("related-activity")
    assert (related.get("ref"), related.get("type")) == (records["rich"].identifier, "3")


def test_visitors_iati_export_has_no_partners_records(client, records):
    document = etree.fromstring(
        b"".join(client.get(reverse("programs:export_iati")).streaming_content)
    )
    identifiers = {a.findtext("iati-identifier") for a in document.findall("iati-activity")}
    assert identifiers == {records["rich"].identifier, records["other"].identifier}


@pytest.mark.parametrize("size", [1, 5])
def test_exports_cost_the_same_queries_at_any_size(
    client, organisation, django_assert_num_queries, size
):
    for i in range(size):
        make_programme(organisation, own_id=f"X{size}-{i}")
    # Both count results: one query finds that no cohort is delivered under them.
    for name, queries in (("programs:export_csv", 11), ("programs:export_iati", 11)):
        with django_assert_num_queries(queries):
            response = client.get(reverse(name))
            assert len(b"".join(response.streaming_content)) > 0


def test_iati_xml_reports_the_counted_results_as_outputs(client, records, other_coordinator):
    """Participants trained, completions and certified trainers, as the platform counts them
    (here through a stand-in for the courses' hook), are IATI output results: an indicator
    counted in units with its actual value over the programme's dates."""
    from wagtail import hooks

    from cms.programs.results import ProgrammeResults

    rich = records["rich"]

    def counted(programme_ids):
        results = ProgrammeResults(cohorts=2, participants_trained=40, completions=31)
        return {rich.pk: results} if rich.pk in programme_ids else {}

    client.force_login(other_coordinator)
    with hooks.register_temporarily("programme_results", counted):  # read while streamed
        response = client.get(reverse("programs:export_iati"))
        document = etree.fromstring(b"".join(response.streaming_content))
    schema = iati_schema()
    assert schema.validate(document), schema.error_log
    activities = {a.findtext("iati-identifier"): a for a in document.findall("iati-activity")}
    results = activities[rich.identifier].findall("result")
    assert [r.findtext("title/narrative") for r in results] == [
        "Participants trained",
        "Course completions",
        "Certified trainers",
    ]
    for result, value in zip(results, ["40", "31", "0"], strict=True):
        assert result.get("type") == "1"
        indicator = result.find("indicator")
        assert indicator.get("measure") == "1"
        period = indicator.find("period")
        assert period.find("period-start").get("iso-date") == "2011-07-11"
        assert period.find("period-end").get("iso-date") == "2011-07-15"
        assert period.find("actual").get("value") == value
    assert activities[records["other"].identifier].find("result") is None
