import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cms.accounts.models import Invitation, Membership

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def invite(client, organisation, email="new.officer@example.org", role="learner"):
    return client.post(
        f"/organisations/{organisation.slug}/invite/", {"email": email, "role": role}
    )


def link_from_last_mail():
    site = re.escape(settings.FLIGHTPATH_SITE_ORIGIN)
    return re.search(rf"{site}(/organisations/invitations/\S+/)", mail.outbox[-1].body)[1]


@pytest.fixture
def invitation_link(client, coordinator, organisation):
    client.force_login(coordinator)
    invite(client, organisation)
    client.logout()
    return link_from_last_mail()


def test_invitation_is_mailed_with_a_single_use_link(invitation_link):
    assert mail.outbox[-1].to == ["new.officer@example.org"]
    token = invitation_link.rstrip("/").rsplit("/", 1)[1]
    assert not Invitation.objects.filter(token_digest=token).exists()  # only the digest is kept


def test_invited_person_signs_up_without_a_second_verification_mail(
    client, invitation_link, organisation
):
    client.get(invitation_link)
    sent = len(mail.outbox)
    response = client.post(
        f"/accounts/signup/?next={invitation_link}",
        {
            "email": "new.officer@example.org",
            "first_name": "Nia",
            "last_name": "Kamau",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert response.status_code == 302
    assert len(mail.outbox) == sent
    response = client.post(invitation_link)
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="new.officer@example.org")
    assert membership.organisation == organisation
    assert membership.status == "verified"


def test_existing_user_accepts_after_signing_in(client, invitation_link):
    user = UserFactory(email="new.officer@example.org")
    client.force_login(user)
    client.post(invitation_link)
    assert Membership.objects.get(user=user).status == "verified"


def test_used_invitation_gets_a_clear_message(client, invitation_link):
    user = UserFactory(email="new.officer@example.org")
    client.force_login(user)
    client.post(invitation_link)
    response = client.post(invitation_link)
    assert response.status_code == 410
    assert "already been used" in response.text


def test_expired_invitation_gets_a_clear_message(client, invitation_link):
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(invitation_link)
    assert response.status_code == 410
    assert "expired" in response.text


def test_forged_invitation_gets_a_clear_message(client):
    response = client.get("/organisations/invitations/not-a-real-token/")
    assert response.status_code == 410
    assert "not valid" in response.text


def test_invitation_for_another_address_is_refused(client, invitation_link):
    someone = UserFactory(email="someone.else@example.org")
    client.force_login(someone)
    response = client.post(invitation_link)
    assert response.status_code == 410
    assert not Membership.objects.filter(user=someone).exists()


def test_new_invitation_replaces_the_open_one(client, coordinator, organisation, invitation_link):
    client.force_login(coordinator)
    invite(client, organisation)
    assert Invitation.objects.open().count() == 1
    assert client.get(invitation_link).status_code == 410


def test_inviting_a_verified_member_gives_a_message(client, coordinator, officer, organisation):
    client.force_login(coordinator)
    response = client.post(
        f"/organisations/{organisation.slug}/invite/",
        {"email": officer.email, "role": "learner"},
        follow=True,
    )
    assert "already a verified member" in response.text
    assert not Invitation.objects.exists()


def upload(client, organisation, content: bytes):
    return client.post(
        f"/organisations/{organisation.slug}/invite/csv/",
        {"file": SimpleUploadedFile("people.csv", content, content_type="text/csv")},
        follow=True,
    )


def test_csv_list_invites_everyone(client, coordinator, organisation):
    client.force_login(coordinator)
    response = upload(
        client, organisation, b"email,role\na@example.org,learner\nb@example.org,trainer\n"
    )
    assert "2 invitations sent" in response.text
    assert set(Invitation.objects.values_list("email", "role")) == {
        ("a@example.org", "learner"),
        ("b@example.org", "trainer"),
    }
    assert len(mail.outbox) == 2


def test_csv_with_one_bad_row_is_rejected_whole_naming_the_row(client, coordinator, organisation):
    client.force_login(coordinator)
    response = upload(
        client, organisation, b"email,role\na@example.org,learner\nnot-an-email,learner\n"
    )
    assert "Row 3" in response.text and "not-an-email" in response.text
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_csv_with_unknown_role_names_the_row(client, coordinator, organisation):
    client.force_login(coordinator)
    response = upload(client, organisation, b"a@example.org,admin\n")
    assert "Row 1" in response.text and "admin" in response.text
    assert not Invitation.objects.exists()


def test_csv_with_duplicate_rows_is_rejected(client, coordinator, organisation):
    client.force_login(coordinator)
    response = upload(client, organisation, b"a@example.org\nA@example.org\n")
    assert "appears twice" in response.text
    assert not Invitation.objects.exists()


def test_csv_that_is_not_text_gets_a_message(client, coordinator, organisation):
    client.force_login(coordinator)
    response = upload(client, organisation, b"\xff\xfe\x00\x00binary")
    assert response.status_code == 200
    assert "not UTF-8" in response.text


def test_csv_with_a_field_longer_than_the_parser_reads_names_the_row(
    client, coordinator, organisation
):
    client.force_login(coordinator)
    content = b"a@example.org,learner\n" + b"b" * 131_073 + b"@example.org,learner\n"
    response = upload(client, organisation, content)
    assert response.status_code == 200
    assert "Row 2 cannot be read" in response.text
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_csv_listing_a_verified_member_is_rejected_whole(
    client, coordinator, officer, organisation
):
    client.force_login(coordinator)
    response = upload(client, organisation, f"a@example.org\n{officer.email}\n".encode())
    assert "Row 2:" in response.text and "already a verified member" in response.text
    assert not Invitation.objects.exists()
    assert mail.outbox == []
