import datetime

import pytest
from django.urls import reverse

from cms.programs.records import CountryShare, Text

from .helpers import international, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(organisation):
    """Three public records and one for partners only, in two countries, two languages."""
    interpol = international("INTERPOL")
    interpol.slug = "interpol"
    interpol.save()
    return {
        "nairobi": make_programme(organisation, own_id="NBO"),
        "dakar": make_programme(
            interpol,
            own_id="DSS",
            texts=[Text("fr", "Formation à la fraude documentaire", "Police de l'air.")],
            countries=[CountryShare("SN")],
            airports=["DSS"],
            themes=["indicators", "trainers"],
            agencies=["customs"],
            planned_start=datetime.date(2024, 3, 4),
            planned_end=datetime.date(2024, 3, 8),
            activity_status=2,
        ),
        "mombasa": make_programme(organisation, own_id="MBA", airports=["MBA"]),
        "secret": make_programme(
            interpol,
            own_id="SECRET",
            visibility="partners",
            texts=[Text("fr", "Formation confidentielle", "Partenaires.")],
            countries=[CountryShare("SN")],
            airports=["DSS"],
        ),
    }


def _found(client, **params):
    response = client.get(reverse("programs:list"), params)
    assert response.status_code == 200
    return response, {programme.identifier for programme in response.context["page"]}


def _ids(*programmes):
    return {programme.identifier for programme in programmes}


def test_each_facet_narrows_the_list(client, registry):
    r = registry
    assert _found(client, country="SN")[1] == _ids(r["dakar"])
    assert _found(client, airport="nbo")[1] == _ids(r["nairobi"])
    assert _found(client, theme="trainers")[1] == _ids(r["dakar"])
    assert _found(client, agency="police")[1] == _ids(r["nairobi"], r["mombasa"])
    assert _found(client, status="2")[1] == _ids(r["dakar"])
    assert _found(client, year="2011")[1] == _ids(r["nairobi"], r["mombasa"])
    assert _found(client, language="fr")[1] == _ids(r["dakar"])
    organisation = r["dakar"].reporting_org_id
    assert _found(client, organisation=organisation)[1] == _ids(r["dakar"])


def test_the_text_query_searches_titles_and_descriptions(client, registry):
    assert _found(client, q="fraude")[1] == _ids(registry["dakar"])
    assert _found(client, q="police de l'AIR")[1] == _ids(registry["dakar"])
    assert _found(client, q="nothing like it")[1] == set()


def test_facet_counts_follow_the_search_and_never_count_partners_records(client, registry):
    response, _found_ids = _found(client)
    facets = {field.name: options for field, options, _sel in response.context["facet_fields"]}
    assert ("SN", "Senegal", 1) in facets["country"]
    assert ("KE", "Kenya", 2) in facets["country"]
    assert ("DSS", "DSS", 1) in facets["airport"]
    assert ("fr", "French", 1) in facets["language"]
    page = response.content.decode()
    assert "Formation confidentielle" not in page
    response, _found_ids = _found(client, country="KE")
    facets = {field.name: options for field, options, _sel in response.context["facet_fields"]}
    assert [code for code, _label, _n in facets["country"]] == ["KE"]
    assert facets["year"] == [(2011, "2011", 2)]


def test_partners_records_are_found_by_verified_members_only(client, registry, other_coordinator):
    assert _found(client, q="confidentielle")[1] == set()
    client.force_login(other_coordinator)
    assert _found(client, q="confidentielle")[1] == _ids(registry["secret"])


def test_values_that_are_not_choices_are_ignored_not_an_error(client, registry):
    _response, found = _found(client, theme="cooking", year="soon", status="9")
    assert found == _ids(registry["nairobi"], registry["dakar"], registry["mombasa"])


def test_the_search_form_is_labelled_and_keeps_its_choice(client, registry):
    page = _found(client, country="SN")[0].content.decode()
    assert 'role="search"' in page
    assert '<label for="id_country">' in page
    assert '<option value="SN" selected>' in page


@pytest.mark.parametrize("size", [1, 6])
def test_the_searched_list_costs_the_same_queries_at_any_size(
    client, officer, organisation, django_assert_num_queries, size
):
    for i in range(size):
        make_programme(
            organisation,
            own_id=f"S{size}-{i}",
            airports=["NBO", "MBA"][: 1 + i % 2],
            themes=["documents", "rights"][: 1 + i % 2],
            planned_start=datetime.date(2011 + i, 1, 1),
            planned_end=None,
        )
    client.force_login(officer)
    params = {"q": "Nairobi", "country": "KE", "theme": "documents", "year": "2011"}
    url = reverse("programs:list")
    client.get(url, params)
    with django_assert_num_queries(13):
        response = client.get(url, params)
    assert len(response.context["rows"]) == 1
    facets = {field.name: options for field, options, _sel in response.context["facet_fields"]}
    assert facets["year"] == [(2011, "2011", 1)]
