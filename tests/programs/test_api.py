import datetime
import json

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client

from cms.programs import services
from cms.programs.models import ApiToken, OverlapDecision, Programme, ProgrammeRelation
from cms.programs.records import CountryShare, Text

from ..factories import UserFactory
from .helpers import make_programme

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def records(organisation, other_organisation):
    return {
        "public": make_programme(organisation, own_id="PUB"),
        "partners": make_programme(organisation, own_id="PART", visibility="partners"),
        "draft": make_programme(organisation, own_id="DRAFT", published=False),
        "theirs": make_programme(
            other_organisation,
            own_id="THEIRS",
            countries=[CountryShare("BJ")],
            airports=["COO"],
            texts=[Text("fr", "Formation à Cotonou", "Police de l'air.")],
        ),
    }


def bearer(user) -> dict:
    _token, key = services.api_token_create(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def body(organisation, **overrides) -> dict:
    values = {
        "identifier": f"FP-{organisation.slug.upper()}-API1",
        "reporting_org": organisation.name,
        "title": "Passenger profiling course at Lagos airport",
        "description": "A week for immigration officers.",
        "language": "en",
        "status": "pipeline",
        "planned_start": "2030-02-04",
        "planned_end": "2030-02-08",
        "countries": ["NG"],
        "airports": ["LOS"],
        "themes": ["indicators"],
        "agencies": ["immigration"],
        "participants_planned": 20,
        "participating_orgs": [{"name": organisation.name, "role": "implementing"}],
        "sectors": [{"code": "15190", "percentage": None}],
    }
    values.update(overrides)
    return values


def post(client, url, data, **extra):
    return client.post(url, json.dumps(data), content_type="application/json", **extra)


def put(client, url, data, **extra):
    return client.put(url, json.dumps(data), content_type="application/json", **extra)


def _identifiers(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["identifier"] for item in response.json()["results"]}


def test_anonymous_callers_read_public_published_records_only(client, records):
    assert _identifiers(client.get(f"{API}/programmes")) == {
        records["public"].identifier,
        records["theirs"].identifier,
    }
    for name in ("partners", "draft"):
        response = client.get(f"{API}/programmes/{records[name].identifier}")
        assert response.status_code == 404
    detail = client.get(f"{API}/programmes/{records['public'].identifier}").json()
    assert detail["countries"] == [{"code": "KE", "percentage": None}]
    assert detail["status"] == "closed"


def test_verified_members_read_partners_records_by_token_or_session(
    client, records, other_coordinator
):
    partners = records["partners"].identifier
    assert partners in _identifiers(client.get(f"{API}/programmes", **bearer(other_coordinator)))
    assert records["draft"].identifier not in _identifiers(
        client.get(f"{API}/programmes", **bearer(other_coordinator))
    )
    client.force_login(other_coordinator)
    assert client.get(f"{API}/programmes/{partners}").status_code == 200


def test_a_wrong_token_is_refused_not_read_as_anonymous(client, records):
    response = client.get(f"{API}/programmes", HTTP_AUTHORIZATION="Bearer fpr_nonsense")
    assert response.status_code == 401


def test_the_list_takes_the_site_search_filters_and_pages(client, records):
    assert _identifiers(client.get(f"{API}/programmes", {"country": "BJ"})) == {
        records["theirs"].identifier
    }
    assert _identifiers(client.get(f"{API}/programmes", {"q": "cotonou"})) == {
        records["theirs"].identifier
    }
    page = client.get(f"{API}/programmes", {"page_size": 1, "page": 2}).json()
    assert (page["count"], page["pages"], page["page"], len(page["results"])) == (2, 2, 2, 1)
    assert client.get(f"{API}/programmes", {"page_size": 1000}).status_code == 422


def test_members_create_a_draft_for_their_organisation(client, coordinator, organisation):
    response = post(client, f"{API}/programmes", body(organisation), **bearer(coordinator))
    assert response.status_code == 201, response.content
    programme = Programme.objects.get(identifier=response.json()["identifier"])
    assert programme.workflow_status == "draft"
    assert programme.created_by == coordinator
    assert programme.revisions.count() == 1


def test_members_create_for_their_own_organisation_only(client, coordinator, other_organisation):
    response = post(client, f"{API}/programmes", body(other_organisation), **bearer(coordinator))
    assert response.status_code == 403
    assert not Programme.objects.filter(identifier__endswith="API1").exists()


def test_anonymous_callers_cannot_write(client, organisation, records):
    assert post(client, f"{API}/programmes", body(organisation)).status_code == 401
    url = f"{API}/programmes/{records['public'].identifier}"
    assert put(client, url, body(organisation)).status_code == 401


def test_session_writes_need_the_csrf_token(organisation, coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = post(client, f"{API}/programmes", body(organisation))
    assert response.status_code == 403
    assert not Programme.objects.exists()
    client.get("/programmes/api-tokens/")
    token = client.cookies["csrftoken"].value
    response = post(client, f"{API}/programmes", body(organisation), HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content


def test_bad_input_names_each_field_and_writes_nothing(client, coordinator, organisation):
    data = body(organisation, planned_end="2030-01-01", countries=["XX"], themes=["cooking"])
    response = post(client, f"{API}/programmes", data, **bearer(coordinator))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"planned_end", "countries", "themes"} <= set(errors)
    assert not Programme.objects.exists()


def test_members_update_only_their_organisations_records(
    client, records, coordinator, other_coordinator, organisation
):
    identifier = records["draft"].identifier
    data = body(organisation, identifier=identifier, participants_planned=33)
    url = f"{API}/programmes/{identifier}"
    response = put(client, url, data, **bearer(coordinator))
    assert response.status_code == 200, response.content
    assert response.json()["participants_planned"] == 33
    assert records["draft"].revisions.count() == 2
    theirs = records["public"].identifier
    response = put(
        client,
        f"{API}/programmes/{theirs}",
        data | {"identifier": theirs},
        **bearer(other_coordinator),
    )
    assert response.status_code == 403
    assert put(client, url, data, **bearer(other_coordinator)).status_code == 404


def test_similar_checks_a_draft_without_saving_it(client, records, coordinator, organisation):
    original = records["theirs"]
    data = body(
        organisation,
        title="Air border course in Cotonou",
        countries=["BJ"],
        airports=["COO"],
        planned_start="2011-07-11",
        planned_end="2011-07-15",
        themes=["documents"],
        agencies=["police"],
        participants_planned=40,
        reporting_org="A brand new funder",
        identifier="FP-NEW-1",
    )
    response = post(client, f"{API}/programmes/similar", data, **bearer(coordinator))
    assert response.status_code == 200, response.content
    matches = response.json()["matches"]
    assert [m["identifier"] for m in matches] == [original.identifier]
    assert matches[0]["kind"] == "same"
    assert any("same airport COO" in reason for reason in matches[0]["reasons"])
    assert Programme.objects.count() == 4
    from cms.accounts.models import Organisation

    assert not Organisation.objects.filter(name="A brand new funder").exists()


def test_create_asks_a_decision_on_each_match_first(client, coordinator, organisation, records):
    data = body(
        organisation,
        countries=["KE"],
        airports=["NBO"],
        planned_start="2011-07-11",
        planned_end="2011-07-15",
        themes=["documents"],
        agencies=["police"],
        participants_planned=40,
        status="closed",
    )
    response = post(client, f"{API}/programmes", data, **bearer(coordinator))
    assert response.status_code == 409
    matched = {m["identifier"] for m in response.json()["matches"]}
    assert records["public"].identifier in matched
    assert not Programme.objects.filter(identifier=data["identifier"]).exists()
    decisions = [{"identifier": i, "decision": "same"} for i in matched]
    response = post(
        client, f"{API}/programmes", data | {"decisions": decisions}, **bearer(coordinator)
    )
    assert response.status_code == 201, response.content
    created = Programme.objects.get(identifier=data["identifier"])
    assert OverlapDecision.objects.filter(decision="same").count() == len(matched)
    assert ProgrammeRelation.objects.filter(programme=created, kind="same").count() == len(matched)


def test_moderators_edit_any_record(client, records, organisation):
    moderator = UserFactory()
    moderator.groups.add(Group.objects.get_or_create(name="Registry moderators")[0])
    identifier = records["partners"].identifier
    data = body(organisation, identifier=identifier, visibility="public")
    response = put(client, f"{API}/programmes/{identifier}", data, **bearer(moderator))
    assert response.status_code == 200, response.content


def test_schema_and_docs_are_published_without_a_cdn(client):
    schema = client.get(f"{API}/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/programmes/similar" in schema["paths"]
    docs = client.get(f"{API}/docs")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "https://" not in page


def test_tokens_are_kept_hashed_shown_once_and_revocable(client, officer):
    client.force_login(officer)
    response = client.post("/programmes/api-tokens/", {"name": "Reporting script"})
    key = response.context["key"]
    token = ApiToken.objects.get(user=officer)
    assert key not in token.key_hash and token.key_hash != key
    assert services.api_token_user(key=key) == officer
    assert key not in client.get("/programmes/api-tokens/").content.decode()
    other = UserFactory()
    client.force_login(other)
    client.post("/programmes/api-tokens/", {"revoke": token.pk})
    assert ApiToken.objects.filter(pk=token.pk).exists()
    client.force_login(officer)
    client.post("/programmes/api-tokens/", {"revoke": token.pk})
    assert services.api_token_user(key=key) is None


@pytest.mark.parametrize("size", [1, 6])
def test_the_api_list_costs_the_same_queries_at_any_size(
    client, officer, organisation, django_assert_num_queries, size
):
    for i in range(size):
        make_programme(
            organisation,
            own_id=f"A{size}-{i}",
            planned_start=datetime.date(2011, 1, 1) + datetime.timedelta(days=30 * i),
            planned_end=None,
        )
    headers = bearer(officer)
    client.get(f"{API}/programmes", {"country": "KE"}, **headers)
    cache.clear()  # the list is computed again, not read from the cache (test_api_cache.py)
    # The token and its user, membership (its cached copy went too), count, the page and its
    # six prefetches.
    with django_assert_num_queries(11):
        response = client.get(f"{API}/programmes", {"country": "KE"}, **headers)
    assert len(response.json()["results"]) == size


def test_nul_characters_get_an_answer_not_a_server_error(client, coordinator, organisation):
    """PostgreSQL refuses NUL in text: the registry answers before it asks the database."""
    assert client.get(f"{API}/programmes/a\x00b").status_code == 404
    assert client.get("/programmes/a\x00b/").status_code == 404
    assert client.get(f"{API}/programmes", {"q": "a\x00", "country": "K\x00"}).status_code == 200
    data = body(organisation, title="Lagos\x00", participating_orgs=[])
    data["participating_orgs"] = [{"name": "N\x00", "role": "funding"}]
    response = post(client, f"{API}/programmes", data, **bearer(coordinator))
    assert response.status_code == 400
    assert {"title", "participating_orgs"} <= set(response.json()["errors"])
    assert not Programme.objects.exists()


def test_the_tokens_page_is_for_signed_in_people(client):
    response = client.get("/programmes/api-tokens/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_docs_page_keeps_the_sites_content_security_policy(client):
    response = client.get(f"{API}/docs")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    page = response.content.decode()
    assert "<script>" not in page  # no inline script: the settings travel as JSON data
    assert "/static/ninja/swagger-ui-init.js" in page


def test_an_update_asks_a_decision_on_each_new_match_first(
    client, coordinator, organisation, records
):
    identifier = records["draft"].identifier
    url = f"{API}/programmes/{identifier}"
    data = body(
        organisation,
        identifier=identifier,
        countries=["KE"],
        airports=["NBO"],
        planned_start="2011-07-11",
        planned_end="2011-07-15",
        themes=["documents"],
        agencies=["police"],
        participants_planned=40,
        status="closed",
    )
    response = put(client, url, data, **bearer(coordinator))
    assert response.status_code == 409, response.content
    matched = {m["identifier"] for m in response.json()["matches"]}
    assert matched == {records["public"].identifier, records["partners"].identifier}
    assert records["draft"].revisions.count() == 1
    decisions = [{"identifier": i, "decision": "different"} for i in matched]
    response = put(client, url, data | {"decisions": decisions}, **bearer(coordinator))
    assert response.status_code == 200, response.content
    assert OverlapDecision.objects.filter(decision="different").count() == 2
    data["participants_planned"] = 41
    assert put(client, url, data, **bearer(coordinator)).status_code == 200
