"""A coordinator's invitations are capped per hour, and an oversized CSV gets a message."""

import pytest
from django.core import mail

from cms.accounts.models import Invitation

from .test_invitations import invite, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def cap(settings):
    settings.FLIGHTPATH_INVITATIONS_PER_HOUR = 2
    return 2


def test_coordinator_cannot_send_more_invitations_an_hour_than_the_cap(
    client, coordinator, organisation, cap
):
    client.force_login(coordinator)
    for n in range(cap):
        invite(client, organisation, email=f"invitee{n}@example.org")
    response = invite(client, organisation, email="one.too.many@example.org")
    assert response.status_code == 302
    assert Invitation.objects.count() == cap
    assert len(mail.outbox) == cap
    message = client.get(response["Location"]).text
    assert "at most 2 invitations an hour" in message


def test_csv_rows_count_against_the_hourly_cap(client, coordinator, organisation, cap):
    client.force_login(coordinator)
    invite(client, organisation, email="first@example.org")
    response = upload(client, organisation, b"a@example.org\nb@example.org\n")
    assert "at most 2 invitations an hour" in response.text
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_csv_field_longer_than_the_csv_limit_gets_a_message(client, coordinator, organisation):
    client.force_login(coordinator)
    response = upload(client, organisation, b"a@example.org," + b"x" * 140_000 + b"\n")
    assert response.status_code == 200
    assert "too long" in response.text
    assert not Invitation.objects.exists()
