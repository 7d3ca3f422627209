"""A coordinator acts only inside their own organisation, and nobody raises their own role."""

import pytest
from django.contrib.auth.models import Group

from cms.accounts.models import Invitation, Membership

from ..factories import MembershipFactory

pytestmark = pytest.mark.django_db


def membership_of(user):
    return Membership.objects.get(user=user)


def test_coordinator_sees_own_members(client, coordinator, officer, organisation):
    client.force_login(coordinator)
    response = client.get(f"/organisations/{organisation.slug}/members/")
    assert response.status_code == 200
    assert officer.email in response.text


def test_coordinator_cannot_see_another_organisations_members(
    client, coordinator, other_organisation, other_coordinator
):
    client.force_login(coordinator)
    response = client.get(f"/organisations/{other_organisation.slug}/members/")
    assert response.status_code == 404
    assert other_coordinator.email not in response.text


def test_coordinator_cannot_see_another_organisations_progress(
    client, coordinator, other_organisation
):
    client.force_login(coordinator)
    assert client.get(f"/organisations/{other_organisation.slug}/progress/").status_code == 404


def test_coordinator_cannot_invite_into_another_organisation(
    client, coordinator, other_organisation
):
    client.force_login(coordinator)
    response = client.post(
        f"/organisations/{other_organisation.slug}/invite/",
        {"email": "x@example.org", "role": "learner"},
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_coordinator_cannot_verify_in_another_organisation(client, coordinator, other_organisation):
    request = MembershipFactory(organisation=other_organisation, status="requested")
    client.force_login(coordinator)
    url = f"/organisations/{other_organisation.slug}/members/{request.pk}/decide/"
    assert client.post(url, {"decision": "verify"}).status_code == 404
    request.refresh_from_db()
    assert request.status == "requested"


def test_coordinator_cannot_reach_another_organisations_member_through_own_slug(
    client, coordinator, organisation, other_organisation
):
    request = MembershipFactory(organisation=other_organisation, status="requested")
    client.force_login(coordinator)
    url = f"/organisations/{organisation.slug}/members/{request.pk}/decide/"
    assert client.post(url, {"decision": "verify"}).status_code == 404
    request.refresh_from_db()
    assert request.status == "requested"


def test_coordinator_cannot_change_roles_in_another_organisation(
    client, coordinator, other_organisation
):
    member = MembershipFactory(organisation=other_organisation)
    client.force_login(coordinator)
    url = f"/organisations/{other_organisation.slug}/members/{member.pk}/role/"
    assert client.post(url, {"role": "coordinator"}).status_code == 404
    member.refresh_from_db()
    assert member.role == "learner"


def test_learner_cannot_open_members_page(client, officer, organisation):
    client.force_login(officer)
    assert client.get(f"/organisations/{organisation.slug}/members/").status_code == 404


def test_learner_cannot_raise_own_role(client, officer, organisation):
    client.force_login(officer)
    url = f"/organisations/{organisation.slug}/members/{membership_of(officer).pk}/role/"
    assert client.post(url, {"role": "coordinator"}).status_code == 404
    assert membership_of(officer).role == "learner"


def test_coordinator_cannot_change_own_role(client, coordinator, organisation):
    client.force_login(coordinator)
    url = f"/organisations/{organisation.slug}/members/{membership_of(coordinator).pk}/role/"
    assert client.post(url, {"role": "learner"}).status_code == 403
    assert membership_of(coordinator).role == "coordinator"


def test_unverified_coordinator_has_no_powers(client, organisation):
    pending = MembershipFactory(organisation=organisation, role="coordinator", status="requested")
    client.force_login(pending.user)
    assert client.get(f"/organisations/{organisation.slug}/members/").status_code == 404


def test_coordinator_verifies_a_request(client, coordinator, newcomer, organisation):
    client.force_login(coordinator)
    url = f"/organisations/{organisation.slug}/members/{membership_of(newcomer).pk}/decide/"
    assert client.post(url, {"decision": "verify"}).status_code == 302
    membership = membership_of(newcomer)
    assert membership.status == "verified"
    assert membership.decided_by == coordinator


def test_coordinator_rejects_a_request(client, coordinator, newcomer, organisation):
    client.force_login(coordinator)
    url = f"/organisations/{organisation.slug}/members/{membership_of(newcomer).pk}/decide/"
    client.post(url, {"decision": "reject"})
    assert membership_of(newcomer).status == "rejected"


def test_deciding_twice_gives_a_message_not_an_error(client, coordinator, newcomer, organisation):
    client.force_login(coordinator)
    url = f"/organisations/{organisation.slug}/members/{membership_of(newcomer).pk}/decide/"
    client.post(url, {"decision": "verify"})
    response = client.post(url, {"decision": "reject"}, follow=True)
    assert "not awaiting a decision" in response.text
    assert membership_of(newcomer).status == "verified"


def test_making_someone_a_trainer_opens_the_cms_as_editor(
    client, coordinator, officer, organisation
):
    client.force_login(coordinator)
    url = f"/organisations/{organisation.slug}/members/{membership_of(officer).pk}/role/"
    client.post(url, {"role": "trainer"})
    assert membership_of(officer).role == "trainer"
    assert officer.groups.filter(name="Editors").exists()
    client.force_login(officer)
    assert client.get("/admin/").status_code == 200
    client.force_login(coordinator)
    client.post(url, {"role": "learner"})
    assert not Group.objects.get(name="Editors").user_set.filter(pk=officer.pk).exists()


def test_bad_role_value_is_refused_with_a_message(client, coordinator, officer, organisation):
    client.force_login(coordinator)
    url = f"/organisations/{organisation.slug}/members/{membership_of(officer).pk}/role/"
    response = client.post(url, {"role": "superuser"}, follow=True)
    assert "Choose a role." in response.text
    assert membership_of(officer).role == "learner"


def test_officer_asks_to_join_and_waits_for_verification(client, stranger, organisation):
    client.force_login(stranger)
    client.post("/organisations/", {"organisation": organisation.pk})
    membership = membership_of(stranger)
    assert membership.status == "requested"
    assert "will verify" in client.get("/organisations/").text


def test_asking_twice_keeps_one_request(client, stranger, organisation, other_organisation):
    client.force_login(stranger)
    client.post("/organisations/", {"organisation": organisation.pk})
    client.post("/organisations/", {"organisation": other_organisation.pk})
    assert Membership.objects.filter(user=stranger).count() == 1


def test_one_current_membership_per_person_is_a_database_rule(officer, other_organisation):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=officer, organisation=other_organisation, status="requested")


def test_progress_report_lists_members_and_completion(
    client, coordinator, officer, organisation, public_course
):
    lesson = public_course.get_children().first()
    client.force_login(officer)
    client.post(f"/lessons/{lesson.pk}/complete/")
    client.force_login(coordinator)
    response = client.get(f"/organisations/{organisation.slug}/progress/")
    assert response.status_code == 200
    assert officer.display_name in response.text
    assert "1/3 lessons" in response.text


def test_asking_to_join_without_choosing_an_organisation_says_so(client, stranger):
    client.force_login(stranger)
    response = client.post("/organisations/", {"organisation": ""})
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert not Membership.objects.filter(user=stranger).exists()
