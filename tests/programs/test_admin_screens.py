"""The registry's CMS screens for moderators: searching every record with the site's facets,
publishing from the list, and merging two records of one organisation."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cms.accounts.models import Organisation
from cms.programs import services
from cms.programs.models import OrganisationAlias, OrganisationMerge, Programme

from ..factories import UserFactory
from .helpers import international, make_programme

pytestmark = pytest.mark.django_db

SEARCH = "registry-search:index"
MERGE = "organisation-merge:index"


@pytest.fixture
def moderator(db):
    user = UserFactory()
    user.groups.add(services.moderators_group())
    return user


@pytest.fixture
def cms_editor(trainer):
    """Opens the CMS, moderates nothing."""
    return trainer


def test_the_moderators_group_opens_the_cms(moderator):
    assert moderator.has_perm("wagtailadmin.access_admin")
    assert moderator.has_perm("programs.change_programme")
    assert Group.objects.filter(name="Registry moderators").count() == 1


# Search


def test_moderators_find_drafts_and_submitted_records_first(client, moderator, organisation):
    published = make_programme(organisation, own_id="PUBLISHED")
    draft = make_programme(organisation, own_id="DRAFT", published=False)
    submitted = make_programme(organisation, own_id="SUBMITTED", published=False)
    Programme.objects.filter(pk=submitted.pk).update(workflow_status="submitted")
    client.force_login(moderator)
    response = client.get(reverse(SEARCH))
    assert response.status_code == 200
    found = [programme for programme, _text in response.context["rows"]]
    assert found == [submitted, draft, published]
    assert "Search programmes" in client.get(reverse("wagtailadmin_home")).text


def test_the_search_narrows_by_the_sites_facets_and_by_workflow(client, moderator, organisation):
    nairobi = make_programme(organisation, own_id="NBO", published=False)
    cotonou = make_programme(
        organisation, own_id="COO", airports=["COO"], countries=[], published=False
    )
    make_programme(organisation, own_id="NBO-PUB")
    client.force_login(moderator)
    by_airport = client.get(reverse(SEARCH), {"airport": "COO"}).context["rows"]
    assert [p for p, _t in by_airport] == [cotonou]
    drafts_in_kenya = client.get(reverse(SEARCH), {"country": "KE", "workflow": "draft"})
    assert [p for p, _t in drafts_in_kenya.context["rows"]] == [nairobi]
    workflows = {value: count for value, _label, count in drafts_in_kenya.context["workflows"]}
    assert workflows == {"draft": 1, "submitted": 0, "published": 1}


def test_a_moderator_publishes_from_the_list_and_comes_back_to_it(client, moderator, organisation):
    draft = make_programme(organisation, own_id="TO-PUBLISH", published=False)
    client.force_login(moderator)
    back = reverse(SEARCH) + "?workflow=draft"
    response = client.post(reverse("registry-search:publish", args=[draft.pk]), {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    draft.refresh_from_db()
    assert draft.is_published


def test_publishing_never_sends_anyone_elsewhere(client, moderator, organisation):
    draft = make_programme(organisation, own_id="ELSEWHERE", published=False)
    client.force_login(moderator)
    response = client.post(
        reverse("registry-search:publish", args=[draft.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse(SEARCH)


@pytest.mark.parametrize("who", ["cms_editor", "coordinator"])
def test_people_who_do_not_moderate_are_refused(client, organisation, request, who):
    draft = make_programme(organisation, own_id="REFUSED", published=False)
    person = request.getfixturevalue(who)
    client.force_login(person)
    expected = 403 if person.has_perm("wagtailadmin.access_admin") else 302
    assert client.get(reverse(SEARCH)).status_code == expected
    assert client.get(reverse(MERGE)).status_code == expected
    assert client.post(reverse("registry-search:publish", args=[draft.pk])).status_code == expected
    draft.refresh_from_db()
    assert not draft.is_published
    if expected == 403:
        assert "Search programmes" not in client.get(reverse("wagtailadmin_home")).text


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse(SEARCH))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("size", [2, 12])
def test_the_search_costs_the_same_queries_at_any_size(
    client, moderator, organisation, django_assert_num_queries, size
):
    for n in range(size):
        make_programme(organisation, own_id=f"Q{size}-{n}", published=bool(n % 2))
    client.force_login(moderator)
    client.get(reverse(SEARCH))
    # Session, user, workflow counts, seven facets, count, page, texts, countries, and
    # Wagtail's admin frame around them (whether the reader moderates is kept under the
    # accounts generation).
    with django_assert_num_queries(21):
        response = client.get(reverse(SEARCH), {"theme": "documents"})
    assert len(response.context["rows"]) == size


# Merging organisations


@pytest.fixture
def twins(db):
    keep = international("UNODC", "AT")
    merge = international("United Nations Office on Drugs and Crime", "AT")
    services.alias_add(organisation=merge, name="ONUDC", language="fr")
    return keep, merge


def test_a_moderator_sees_what_would_move_then_merges(client, moderator, twins):
    keep, merge = twins
    make_programme(merge, own_id="MOVES")
    client.force_login(moderator)
    preview = client.get(reverse(MERGE), {"keep": keep.pk, "merge": merge.pk})
    moves = dict(preview.context["preview"].moves)
    assert moves["programmes it reports"] == 1 and moves["aliases"] == 2
    assert "Merge <bdi>United Nations Office on Drugs and Crime</bdi> into <bdi>UNODC</bdi>" in (
        preview.text
    )
    response = client.post(
        reverse(MERGE),
        {"keep": keep.pk, "merge": merge.pk, "seen": preview.context["preview"].fingerprint},
    )
    record = OrganisationMerge.objects.get()
    assert response["Location"] == reverse("organisation-merges:inspect", args=[record.pk])
    assert record.merged_by == moderator
    assert not Organisation.objects.filter(pk=merge.pk).exists()
    assert Programme.objects.get().reporting_org == keep
    assert OrganisationAlias.objects.filter(organisation=keep).count() == 2


def test_an_organisation_is_never_merged_into_itself(client, moderator, twins):
    keep, _merge = twins
    client.force_login(moderator)
    response = client.get(reverse(MERGE), {"keep": keep.pk, "merge": keep.pk})
    assert response.context["preview"] is None
    assert "cannot be merged into itself" in response.text
    response = client.post(reverse(MERGE), {"keep": keep.pk, "merge": keep.pk, "seen": "x"})
    assert "cannot be merged into itself" in response.text
    assert not OrganisationMerge.objects.exists()


def test_a_stale_form_says_the_organisation_was_already_merged(client, moderator, twins):
    keep, merge = twins
    chosen = {"keep": keep.pk, "merge": merge.pk}
    client.force_login(moderator)
    seen = client.get(reverse(MERGE), chosen).context["preview"]
    services.organisation_merge(keep=keep, merge=merge, user=None)
    response = client.post(reverse(MERGE), {**chosen, "seen": seen.fingerprint}, follow=True)
    assert "was already merged into UNODC" in response.text
    assert OrganisationMerge.objects.count() == 1


def test_a_merge_waits_when_what_would_move_has_changed(client, moderator, twins):
    keep, merge = twins
    client.force_login(moderator)
    seen = client.get(reverse(MERGE), {"keep": keep.pk, "merge": merge.pk}).context["preview"]
    make_programme(merge, own_id="LATE")
    response = client.post(
        reverse(MERGE), {"keep": keep.pk, "merge": merge.pk, "seen": seen.fingerprint}
    )
    assert response.status_code == 200
    assert "has changed since you looked" in response.text
    assert Organisation.objects.filter(pk=merge.pk).exists()


def test_members_outside_the_registry_hold_a_merge_back(
    client, moderator, twins, organisation, officer
):
    keep, _merge = twins
    client.force_login(moderator)
    preview = client.get(reverse(MERGE), {"keep": keep.pk, "merge": organisation.pk})
    assert preview.context["preview"].blocked
    assert 'name="seen"' not in preview.text
    seen = preview.context["preview"].fingerprint
    response = client.post(
        reverse(MERGE), {"keep": keep.pk, "merge": organisation.pk, "seen": seen}
    )
    assert "outside the registry" in response.text
    assert Organisation.objects.filter(pk=organisation.pk).exists()


@pytest.mark.parametrize("size", [1, 10])
def test_the_merge_preview_costs_the_same_queries_at_any_size(
    client, moderator, twins, django_assert_num_queries, size
):
    keep, merge = twins
    for n in range(size):
        make_programme(merge, own_id=f"M{size}-{n}")
    client.force_login(moderator)
    client.get(reverse(MERGE), {"keep": keep.pk, "merge": merge.pk})
    # The two organisations, five counts of what moves, one per kind of record outside the
    # registry, and Wagtail's admin frame.
    with django_assert_num_queries(24):
        response = client.get(reverse(MERGE), {"keep": keep.pk, "merge": merge.pk})
    assert dict(response.context["preview"].moves)["programmes it reports"] == size
