"""Programme coordinators: granted and withdrawn by the registry's moderators in the CMS, listed
on the programme's page for its members, and known at once wherever the role is asked about."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cms.accounts.models import Membership
from cms.programs import services
from cms.programs.models import ProgrammeCoordinator
from cms.programs.selectors import coordinated_programme_ids

from ..factories import MembershipFactory, OrganisationFactory, UserFactory
from .helpers import international, make_programme

pytestmark = pytest.mark.django_db

INDEX = "programme-coordinators:index"
ADD = "programme-coordinators:add"
DELETE = "programme-coordinators:delete"


@pytest.fixture
def moderator(db):
    user = UserFactory()
    user.groups.add(services.moderators_group())
    return user


@pytest.fixture
def programme(db):
    return make_programme(international("INTERPOL"), own_id="NBO")


@pytest.fixture
def officer_of_interpol(db):
    return UserFactory(email="officer@interpol.example", first_name="Ines", last_name="Officer")


def test_a_moderator_grants_the_role_in_the_cms(client, moderator, programme, officer_of_interpol):
    client.force_login(moderator)
    assert client.get(reverse(ADD)).status_code == 200
    response = client.post(
        reverse(ADD), {"programme": programme.pk, "email": "OFFICER@interpol.example"}
    )
    assert response.status_code == 302
    grant = ProgrammeCoordinator.objects.get()
    assert (grant.user, grant.programme, grant.granted_by) == (
        officer_of_interpol,
        programme,
        moderator,
    )
    assert "Ines Officer" in client.get(reverse(INDEX)).text


@pytest.mark.parametrize("email", ["nobody@example.org", "not an address"])
def test_granting_to_an_unknown_address_says_so_and_writes_nothing(
    client, moderator, programme, email
):
    client.force_login(moderator)
    response = client.post(reverse(ADD), {"programme": programme.pk, "email": email})
    assert response.status_code == 200
    assert not ProgrammeCoordinator.objects.exists()


def test_granting_the_role_twice_is_refused_with_a_message(
    client, moderator, programme, officer_of_interpol
):
    ProgrammeCoordinator.objects.create(user=officer_of_interpol, programme=programme)
    client.force_login(moderator)
    response = client.post(
        reverse(ADD), {"programme": programme.pk, "email": officer_of_interpol.email}
    )
    assert response.status_code == 200
    assert "already coordinates this programme" in response.text
    assert ProgrammeCoordinator.objects.count() == 1


def test_a_moderator_withdraws_the_role(client, moderator, programme, officer_of_interpol):
    grant = ProgrammeCoordinator.objects.create(user=officer_of_interpol, programme=programme)
    assert coordinated_programme_ids(user=officer_of_interpol) == (programme.pk,)
    client.force_login(moderator)
    assert client.post(reverse(DELETE, args=[grant.pk])).status_code == 302
    assert not ProgrammeCoordinator.objects.exists()
    fresh = type(officer_of_interpol).objects.get(pk=officer_of_interpol.pk)
    assert coordinated_programme_ids(user=fresh) == ()


def test_a_cms_user_who_moderates_nothing_cannot_grant_or_withdraw(
    client, trainer, programme, officer_of_interpol
):
    grant = ProgrammeCoordinator.objects.create(user=officer_of_interpol, programme=programme)
    client.force_login(trainer)
    for response in (
        client.get(reverse(INDEX)),
        client.get(reverse(ADD)),
        client.post(reverse(ADD), {"programme": programme.pk, "email": trainer.email}),
        client.post(reverse(DELETE, args=[grant.pk])),
    ):
        assert response.status_code in (302, 403)
    assert list(ProgrammeCoordinator.objects.all()) == [grant]


def test_the_services_refuse_anyone_but_moderators(programme, officer_of_interpol, trainer):
    with pytest.raises(PermissionDenied):
        services.programme_coordinator_grant(
            programme=programme, user=officer_of_interpol, by=trainer
        )
    grant = ProgrammeCoordinator.objects.create(user=officer_of_interpol, programme=programme)
    with pytest.raises(PermissionDenied):
        services.programme_coordinator_withdraw(grant=grant, by=trainer)


def test_staff_grant_the_role_too(programme, officer_of_interpol):
    staff = UserFactory(is_staff=True)
    grant = services.programme_coordinator_grant(
        programme=programme, user=officer_of_interpol, by=staff
    )
    assert grant.granted_by == staff


# The programme's page


def _page(client, programme):
    return client.get(reverse("programs:detail", args=[programme.identifier]))


@pytest.fixture
def granted(programme, officer_of_interpol):
    ProgrammeCoordinator.objects.create(user=officer_of_interpol, programme=programme)
    return officer_of_interpol


def test_the_programmes_members_see_its_coordinators(client, programme, granted):
    member = MembershipFactory(organisation=programme.reporting_org).user
    client.force_login(member)
    response = _page(client, programme)
    assert 'id="coordinators"' in response.text and granted.email in response.text


def test_the_coordinators_see_themselves_listed(client, programme, granted):
    client.force_login(granted)
    assert granted.email in _page(client, programme).text


@pytest.mark.parametrize("who", ["visitor", "stranger", "other_member"])
def test_others_do_not_see_who_coordinates_a_programme(client, programme, granted, who):
    if who == "stranger":
        client.force_login(UserFactory())
    elif who == "other_member":
        outsider = OrganisationFactory(country="BJ")
        client.force_login(
            MembershipFactory(organisation=outsider, role=Membership.Role.COORDINATOR).user
        )
    response = _page(client, programme)
    assert response.status_code == 200
    assert granted.email not in response.text and 'id="coordinators"' not in response.text


def test_moderators_are_led_from_the_page_to_the_cms_screen(client, moderator, programme):
    client.force_login(moderator)
    response = _page(client, programme)
    assert "Nobody coordinates this programme on Flightpath yet." in response.text
    assert reverse(ADD) in response.text
