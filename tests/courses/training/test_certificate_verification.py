"""The public verification page: what was issued and how it stands, nothing more about the
holder; a plain 404 for a code nobody was given; a limit on look-ups per address."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from courses.certificates.services import certificate_revoke
from courses.models import Certificate

from ...factories import UserFactory
from .certificate_support import make_certificate

pytestmark = pytest.mark.django_db


def verify_url(certificate):
    return reverse("courses:certificate_verify", args=[certificate.grouped_code])


def test_the_page_shows_what_was_issued(client, officer):
    certificate = make_certificate(
        officer,
        organisation_name="Kenya Immigration Service",
        valid_until=datetime.date(2030, 1, 31),
    )
    certificate.revocation_reason = "never shown"
    page = client.get(verify_url(certificate))
    assert page.status_code == 200
    text = page.text
    for shown in (
        certificate.holder_name,
        "Document abuse",
        "Kenya Immigration Service",
        timezone.localdate().strftime("%-d %B %Y"),
        "31 January 2030",
        "genuine and valid",
        certificate.pdf_sha256,
        certificate.grouped_code,
    ):
        assert shown in text
    assert officer.email not in text
    assert page["X-Robots-Tag"] == "noindex, nofollow"


def test_an_expired_certificate_says_so(client, officer):
    certificate = make_certificate(officer, valid_until=datetime.date(2025, 6, 30))
    assert "expired on 30 June 2025" in client.get(verify_url(certificate)).text


def test_a_superseded_certificate_stays_verifiable(client, officer):
    certificate = make_certificate(
        officer, status=Certificate.Status.SUPERSEDED, superseded_at=timezone.now()
    )
    page = client.get(verify_url(certificate))
    assert page.status_code == 200
    assert "superseded by a newer one" in page.text


def test_a_revoked_certificate_shows_the_date_but_not_the_reason(client, officer):
    certificate = certificate_revoke(certificate=make_certificate(officer), reason="Found forged")
    text = client.get(verify_url(certificate)).text
    assert f"Revoked on {certificate.revoked_at:%-d %B %Y}" in text
    assert "genuine and valid" not in text
    assert "Found forged" not in text


@pytest.mark.parametrize("code", ["ZZZZ-ZZZZ-ZZZZ-ZZZZ", "not-a-code", "0" * 40])
def test_an_unknown_code_is_a_plain_404(client, officer, code):
    make_certificate(officer)
    page = client.get(reverse("courses:certificate_verify", args=[code]))
    assert page.status_code == 404
    assert "has issued no certificate with the code" in page.text


def test_a_code_is_found_however_it_is_typed(client, officer):
    certificate = make_certificate(officer)
    typed = certificate.code.lower().replace("0", "o").replace("1", "l")
    assert client.get(reverse("courses:certificate_verify", args=[typed])).status_code == 200


def test_the_form_leads_to_the_page_of_a_typed_code(client, officer):
    certificate = make_certificate(officer)
    form = reverse("courses:certificate_verify_form")
    assert client.get(form).status_code == 200
    typed = " ".join(certificate.code[i : i + 4] for i in range(0, 16, 4)).lower()
    response = client.get(form, {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == verify_url(certificate)


def test_the_form_explains_a_code_that_cannot_be_one(client):
    page = client.get(reverse("courses:certificate_verify_form"), {"code": "12345"})
    assert page.status_code == 200
    assert "This is not a verification code" in page.text
    assert 'aria-invalid="true"' in page.text


@override_settings(FLIGHTPATH_VERIFY_PER_MINUTE=3)
def test_look_ups_are_limited_per_address(client, officer):
    certificate = make_certificate(officer)
    statuses = [client.get(verify_url(certificate)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    other_address = client.get(verify_url(certificate), REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 200


@pytest.mark.parametrize("others", [1, 25])
def test_the_page_costs_one_query_however_many_certificates(client, officer, others):
    for _ in range(others):
        make_certificate(UserFactory())
    certificate = make_certificate(officer)
    client.get("/verify/")  # the menu's catalogue address is remembered until content changes
    with CaptureQueriesContext(connection) as queries:
        assert client.get(verify_url(certificate)).status_code == 200
    assert len(queries) == 1


@pytest.mark.parametrize("held", [1, 6])
def test_my_learning_lists_certificates_at_a_fixed_cost(client, officer, held):
    certificates = [make_certificate(officer, achievement=f"Course {n}") for n in range(held)]
    certificate_revoke(certificate=certificates[0], reason="Fraud")
    make_certificate(UserFactory(), achievement="Someone else's")
    client.force_login(officer)
    client.get("/my-learning/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/my-learning/")
    assert page.status_code == 200
    for certificate in certificates:
        assert reverse("courses:certificate_pdf", args=[certificate.grouped_code]) in page.text
        assert (
            reverse("courses:certificate_credential", args=[certificate.grouped_code]) in page.text
        )
        assert verify_url(certificate) in page.text
    assert "Someone else&#x27;s" not in page.text
    assert "Revoked" in page.text
    # The session, the user, the learner's record, the cohorts and the certificates.
    assert len(queries) == 5


@pytest.fixture
def english_afterwards():
    """A request in Arabic leaves Arabic active in this thread, where the next test's
    `reverse` would find it: put the default back."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_the_page_reads_right_to_left_in_arabic(client, officer, english_afterwards):
    certificate = make_certificate(officer)
    page = client.get(f"/ar{verify_url(certificate)}")
    assert page.status_code == 200
    assert 'dir="rtl"' in page.text
    assert certificate.pdf_sha256 in page.text


def test_the_training_hub_leads_to_the_check(client, trainer):
    client.force_login(trainer)
    hub = client.get(reverse("courses:training"))
    assert reverse("courses:certificate_verify_form") in hub.text
