import datetime

import pytest
from django.core.exceptions import ValidationError

from cms.programs import services
from cms.programs.models import Programme
from cms.programs.records import Budget, CountryShare, SectorShare
from cms.programs.validation import problems

from .helpers import draft, international, pct

pytestmark = pytest.mark.django_db


@pytest.fixture
def interpol():
    return international("INTERPOL")


def test_a_complete_draft_has_no_problems(interpol):
    assert problems(draft(interpol)) == {}


def test_a_programme_needs_a_start_date(interpol):
    found = problems(draft(interpol, planned_start=None, planned_end=None))
    assert found["planned_start"] == ["Start date: give a planned or an actual start date."]


def test_an_end_before_the_start_is_refused(interpol):
    found = problems(draft(interpol, planned_end=datetime.date(2011, 7, 1)))
    assert found["planned_end"] == ["Planned end: the end date comes before the start date."]


def test_an_actual_date_in_the_future_is_refused(interpol):
    found = problems(draft(interpol, actual_start=datetime.date.today() + datetime.timedelta(9)))
    assert "Actual start" in found["actual_start"][0]


def test_country_percentages_must_add_up_to_100(interpol):
    countries = [CountryShare("KE", pct(60)), CountryShare("UG", pct(30))]
    found = problems(draft(interpol, countries=countries))
    assert found["countries"] == ["Recipient countries: the percentages add up to 90, not 100."]


def test_several_countries_each_need_a_percentage(interpol):
    found = problems(draft(interpol, countries=[CountryShare("KE"), CountryShare("UG")]))
    assert found["countries"] == ["Recipient countries: give a percentage for each entry."]


def test_sector_percentages_add_up_to_100_per_vocabulary(interpol):
    sectors = [
        SectorShare("15190", pct(50)),
        SectorShare("15130", pct(50)),
        SectorShare("X1", pct(70), vocabulary="99"),
        SectorShare("X2", pct(20), vocabulary="99"),
    ]
    found = problems(draft(interpol, sectors=sectors))
    assert found["sectors"] == ["Sectors: the percentages add up to 90, not 100."]


def test_a_dac_sector_has_five_digits(interpol):
    found = problems(draft(interpol, sectors=[SectorShare("1519")]))
    assert found["sectors"] == ["Sectors: “1519” is not a 5-digit OECD DAC code."]


def test_a_programme_needs_a_sector(interpol):
    assert "sectors" in problems(draft(interpol, sectors=[]))


def test_no_country_on_the_programme_and_its_budget_lines(interpol):
    budgets = [Budget(interpol, pct(1000), "EUR", recipient_country="KE")]
    found = problems(draft(interpol, budgets=budgets))
    assert found["budgets"] == [
        "Budgets: name the recipient country on the programme or on its budget lines, not both."
    ]


@pytest.mark.parametrize("identifier", ["FP-X-A B", "FP-X-A/B", "FP-X-A&B", "FP-X-A?", "-FP"])
def test_identifier_characters(interpol, identifier):
    found = problems(draft(interpol, identifier=identifier))
    assert any("no spaces" in message for message in found["identifier"])


def test_identifier_starts_with_the_reporting_organisations_prefix(interpol):
    found = problems(draft(interpol, identifier="XM-DAC-1-ABC"))
    assert found["identifier"] == [
        f"Identifier: it must start with the reporting organisation's prefix "
        f"“FP-{interpol.slug.upper()}-” followed by the organisation's own id."
    ]


def test_an_unknown_airport_and_country_are_named(interpol):
    found = problems(draft(interpol, airports=["QQQ"], countries=[CountryShare("XX")]))
    assert found["airports"] == ["Airports: “QQQ” is not a known IATA airport code."]
    assert found["countries"][0] == "Recipient countries: “XX” is not an ISO 3166 code."


def test_bad_input_writes_nothing(interpol):
    with pytest.raises(ValidationError) as error:
        services.programme_create(draft=draft(interpol, sectors=[]), user=None)
    assert "sectors" in error.value.message_dict
    assert not Programme.objects.exists()


def test_a_published_identifier_never_changes(interpol):
    from .helpers import make_programme

    programme = make_programme(interpol)
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.create_user("mod@example.org", is_staff=True)
    changed = draft(interpol, own_id="OTHER")
    with pytest.raises(ValidationError) as error:
        services.programme_update(programme=programme, draft=changed, user=staff)
    assert error.value.message_dict["identifier"] == [
        "Identifier: it cannot change once the programme is published."
    ]
