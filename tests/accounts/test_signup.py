import re
import time

import pytest
from django.core import mail

from cms.accounts.models import User

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "Officer.Two@Example.org",
    "first_name": "Ama",
    "last_name": "Mensah",
    "password1": "a-long-pass-phrase-9",
    "password2": "a-long-pass-phrase-9",
}


def test_signup_requires_verifying_the_email_before_signing_in(client):
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    assert response["Location"].endswith("/accounts/confirm-email/")
    assert len(mail.outbox) == 1
    user = User.objects.get(email__iexact="officer.two@example.org")
    assert user.first_name == "Ama"
    assert client.get("/my-learning/").status_code == 302  # not signed in yet

    response = client.post(
        "/accounts/login/", {"login": "officer.two@example.org", "password": SIGNUP["password1"]}
    )
    assert response["Location"].endswith("/accounts/confirm-email/")

    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[-1].body)[1]
    client.post(link)
    assert client.get("/my-learning/").status_code == 200


def test_signup_with_a_taken_email_reveals_nothing_and_warns_the_owner(client, officer):
    response = client.post("/accounts/signup/", {**SIGNUP, "email": officer.email})
    assert response["Location"].endswith("/accounts/confirm-email/")  # same as a new address
    assert User.objects.filter(email=officer.email).count() == 1
    assert mail.outbox[-1].to == [officer.email]


def test_login_by_email_and_password(client, officer):
    from ..factories import PASSWORD

    response = client.post("/accounts/login/", {"login": officer.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/my-learning/").status_code == 200


def test_login_is_rate_limited_after_repeated_failures(client, officer):
    for _ in range(5):
        client.post("/accounts/login/", {"login": officer.email, "password": "wrong"})
    from ..factories import PASSWORD

    response = client.post("/accounts/login/", {"login": officer.email, "password": PASSWORD})
    assert response.status_code == 200  # even the right password is refused for now
    assert "Too many failed login attempts" in response.text


def test_password_reset_mails_a_link(client, officer):
    client.post("/accounts/password/reset/", {"email": officer.email})
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def sign_in(client, user):
    from ..factories import PASSWORD

    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def current_code(secret):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_any_member_can_turn_on_an_authenticator_app(client, officer):
    from allauth.mfa.models import Authenticator

    from ..factories import PASSWORD

    client.force_login(officer)
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")  # password first
    client.post(response["Location"], {"password": PASSWORD})
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 200
    secret = response.context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=officer, type="totp").exists()


def test_coordinator_without_mfa_is_sent_to_set_it_up_when_required(client, coordinator, settings):
    settings.FLIGHTPATH_REQUIRE_MFA_FOR_STAFF = True
    response = sign_in(client, coordinator)
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_learner_is_not_asked_for_mfa_when_it_is_required_for_staff(client, officer, settings):
    settings.FLIGHTPATH_REQUIRE_MFA_FOR_STAFF = True
    response = sign_in(client, officer)
    assert response["Location"] == "/my-learning/"


def test_coordinator_without_mfa_can_only_set_it_up_when_required(
    client, coordinator, organisation, settings
):
    settings.FLIGHTPATH_REQUIRE_MFA_FOR_STAFF = True
    client.force_login(coordinator)
    response = client.get(f"/organisations/{organisation.slug}/members/")
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get("/accounts/2fa/totp/activate/").status_code in (200, 302)


def test_coordinator_with_mfa_works_normally_when_required(
    client, coordinator, organisation, settings
):
    from allauth.mfa.models import Authenticator

    settings.FLIGHTPATH_REQUIRE_MFA_FOR_STAFF = True
    Authenticator.objects.create(user=coordinator, type="totp", data={"secret": "x"})
    client.force_login(coordinator)
    assert client.get(f"/organisations/{organisation.slug}/members/").status_code == 200


def test_cms_sign_in_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
    assert client.get("/admin/")["Location"].startswith("/accounts/login/")


def test_admin_login_form_cannot_be_posted_to_directly(client, officer):
    from ..factories import PASSWORD

    client.post("/admin/login/", {"username": officer.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
