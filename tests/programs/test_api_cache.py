"""The API list is served from the shared cache: per reader's visibility, refreshed by every
change to the registry, and the same bytes as when it is computed."""

import datetime
import json

import pytest
from django.core.management import call_command

from cms import generations
from cms.programs import services
from cms.programs.models import Programme
from cms.programs.records import Text

from ..factories import UserFactory
from .helpers import draft, make_programme
from .test_api import API, bearer, body, post, put

pytestmark = pytest.mark.django_db
LIST = f"{API}/programmes"


def _identifiers(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["identifier"] for item in response.json()["results"]}


@pytest.fixture
def moderator(db):
    return UserFactory(is_staff=True)


@pytest.fixture
def records(organisation, other_organisation):
    return {
        "public": make_programme(organisation, own_id="PUB"),
        "partners": make_programme(organisation, own_id="PART", visibility="partners"),
        "draft": make_programme(organisation, own_id="DRAFT", published=False),
        "theirs": make_programme(other_organisation, own_id="THEIRS"),
    }


def test_a_partners_list_never_reaches_anonymous_readers(client, records, other_coordinator):
    partners = records["partners"].identifier
    assert partners in _identifiers(client.get(LIST, **bearer(other_coordinator)))
    assert partners not in _identifiers(client.get(LIST))
    client.force_login(other_coordinator)
    assert partners in _identifiers(client.get(LIST))
    client.logout()
    assert partners not in _identifiers(client.get(LIST))


def test_an_anonymous_list_is_not_served_to_partners(client, records, other_coordinator):
    partners = records["partners"].identifier
    assert partners not in _identifiers(client.get(LIST))
    assert partners in _identifiers(client.get(LIST, **bearer(other_coordinator)))


def test_drafts_stay_with_their_organisation(
    client, records, coordinator, other_coordinator, moderator
):
    own_draft = records["draft"].identifier
    assert own_draft in _identifiers(client.get(LIST, **bearer(coordinator)))
    assert own_draft not in _identifiers(client.get(LIST, **bearer(other_coordinator)))
    assert own_draft not in _identifiers(client.get(LIST))
    assert own_draft in _identifiers(client.get(LIST, **bearer(moderator)))
    assert own_draft not in _identifiers(client.get(LIST, **bearer(other_coordinator)))


def test_the_cached_body_is_the_computed_one_byte_for_byte(client, records, other_coordinator):
    headers = bearer(other_coordinator)
    computed = client.get(LIST, {"country": "KE", "page_size": 2}, **headers)
    cached = client.get(LIST, {"page_size": 2, "country": "KE"}, **headers)
    assert cached.content == computed.content
    assert cached["Content-Type"] == computed["Content-Type"] == "application/json; charset=utf-8"
    assert computed.json()["count"] == 3


def test_each_query_has_its_own_entry(client, records):
    first = client.get(LIST, {"page_size": 1}).json()
    second = client.get(LIST, {"page_size": 1, "page": 2}).json()
    assert first["results"] != second["results"]
    assert client.get(LIST, {"country": "BJ"}).json()["count"] == 0
    assert client.get(LIST, {"page_size": 1}).json() == first


def _titles(client, **headers) -> dict[str, str]:
    response = client.get(LIST, **headers)
    assert response.status_code == 200
    return {item["identifier"]: item["title"] for item in response.json()["results"]}


def test_saving_a_programme_refreshes_the_list(client, records, coordinator):
    public = records["public"]
    assert _titles(client)[public.identifier] != "Renamed"
    services.programme_update(
        programme=public,
        draft=draft(public.reporting_org, own_id="PUB", texts=[Text("en", "Renamed", ".")]),
        user=coordinator,
    )
    assert _titles(client)[public.identifier] == "Renamed"


def test_publishing_and_deleting_refresh_the_list(client, records, moderator):
    unpublished = records["draft"]
    unpublished.visibility = "public"
    unpublished.save(update_fields=["visibility"])
    assert unpublished.identifier not in _titles(client)
    services.programme_publish(programme=unpublished, user=moderator)
    assert unpublished.identifier in _titles(client)
    Programme.objects.filter(pk=unpublished.pk).delete()
    assert unpublished.identifier not in _titles(client)


def test_renaming_and_merging_organisations_refresh_the_list(
    client, records, organisation, other_organisation, moderator
):
    def names():
        return {item["reporting_org"]["name"] for item in client.get(LIST).json()["results"]}

    assert other_organisation.name in names()
    organisation.name = "Border Police of Somewhere Else"
    organisation.save()
    assert organisation.name in names()
    services.organisation_merge(keep=organisation, merge=other_organisation, user=moderator)
    assert names() == {organisation.name}


def test_api_writes_refresh_the_list(client, records, coordinator, organisation):
    headers = bearer(coordinator)
    before = _titles(client, **headers)
    created = post(client, LIST, body(organisation), **headers)
    assert created.status_code == 201, created.content
    identifier = created.json()["identifier"]
    assert identifier not in before
    assert identifier in _titles(client, **headers)
    changed = put(
        client, f"{LIST}/{identifier}", body(organisation, title="Now in Abuja"), **headers
    )
    assert changed.status_code == 200, changed.content
    assert _titles(client, **headers)[identifier] == "Now in Abuja"


def test_imports_and_aliases_refresh_the_list(client, records, organisation, tmp_path):
    assert client.get(LIST).json()["count"] == 2
    path = tmp_path / "records.json"
    record = body(organisation, identifier=f"FP-{organisation.slug.upper()}-IMP")
    path.write_text(json.dumps([record]), encoding="utf-8")
    token = generations.current("registry")
    call_command("import_programmes", str(path))
    assert generations.current("registry") != token
    token = generations.current("registry")
    services.alias_add(organisation=organisation, name="Police des frontières")
    assert generations.current("registry") != token


@pytest.mark.parametrize("size", [1, 6])
def test_a_warm_list_costs_the_same_queries_at_any_size(
    client, officer, organisation, django_assert_num_queries, size
):
    for i in range(size):
        make_programme(
            organisation,
            own_id=f"W{size}-{i}",
            planned_start=datetime.date(2011, 1, 1) + datetime.timedelta(days=30 * i),
            planned_end=None,
        )
    headers = bearer(officer)
    client.get(LIST, {"country": "KE"}, **headers)
    # The token and its user: whether the reader moderates is kept under the accounts
    # generation, and the list itself is cached.
    with django_assert_num_queries(1):
        response = client.get(LIST, {"country": "KE"}, **headers)
    assert len(response.json()["results"]) == size
