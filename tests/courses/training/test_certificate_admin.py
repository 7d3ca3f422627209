"""Certificates in the CMS: read-only under Learning records; staff revoke one with a reason."""

import pytest

from courses.models import Certificate

from ...factories import UserFactory
from .certificate_support import make_certificate

pytestmark = pytest.mark.django_db

LISTING = "/admin/learning/certificates/"


@pytest.fixture
def admin_user():
    return UserFactory(is_staff=True, is_superuser=True)


def test_administrators_read_certificates_but_cannot_edit_them(client, admin_user, officer):
    certificate = make_certificate(officer)
    client.force_login(admin_user)
    listing = client.get(LISTING)
    assert listing.status_code == 200
    assert certificate.holder_name in listing.text
    inspect = client.get(f"{LISTING}inspect/{certificate.pk}/")
    assert inspect.status_code == 200
    assert f"{LISTING}revoke/{certificate.pk}/" in inspect.text
    # The CMS answers a refusal by sending the user back to its dashboard.
    assert client.get(f"{LISTING}edit/{certificate.pk}/")["Location"] == "/admin/"
    assert client.get(f"{LISTING}new/")["Location"] == "/admin/"


def test_staff_revoke_a_certificate_with_a_reason(client, admin_user, officer):
    certificate = make_certificate(officer)
    client.force_login(admin_user)
    url = f"{LISTING}revoke/{certificate.pk}/"
    refused = client.post(url, {"reason": " "})
    assert refused.status_code == 200
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
    done = client.post(url, {"reason": "Issued to the wrong person"})
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revocation_reason == "Issued to the wrong person"
    inspect = client.get(f"{LISTING}inspect/{certificate.pk}/")
    assert "Issued to the wrong person" in inspect.text
    assert url not in inspect.text  # nothing left to revoke


def test_a_trainer_using_the_cms_cannot_revoke(client, trainer, officer):
    certificate = make_certificate(officer)
    client.force_login(trainer)
    response = client.post(f"{LISTING}revoke/{certificate.pk}/", {"reason": "Spite"})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
