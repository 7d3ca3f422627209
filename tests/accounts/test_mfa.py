"""Where a second factor is required, everyone who uses the CMS or coordinates sets one up first."""

import pytest
from django.conf import settings as django_settings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mfa_required(settings):
    settings.FLIGHTPATH_REQUIRE_MFA_FOR_STAFF = True


def language_prefix(code):
    return "" if code == django_settings.LANGUAGE_CODE else f"/{code}"


@pytest.mark.parametrize("code", [code for code, _name in django_settings.LANGUAGES])
def test_coordinator_reaches_mfa_set_up_in_every_language(client, coordinator, code):
    client.force_login(coordinator)
    response = client.get(f"{language_prefix(code)}/organisations/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain
    assert response.request["PATH_INFO"].startswith(f"{language_prefix(code)}/accounts/")


def test_trainer_without_mfa_must_set_it_up_before_using_the_cms(client, trainer):
    client.force_login(trainer)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_anyone_a_group_lets_into_the_cms_must_set_up_mfa_first(client, stranger):
    from django.contrib.auth.models import Group

    stranger.groups.add(Group.objects.get(name="Editors"))
    client.force_login(stranger)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_setting_up_or_removing_a_second_factor_counts_from_the_next_request(client, coordinator):
    """Whether a person has a second factor is cached between requests: setting one up lets
    them in at once, and removing it (the last one) sends them back to set one up."""
    from allauth.mfa.models import Authenticator

    client.force_login(coordinator)
    assert client.get("/organisations/").status_code == 302

    totp = Authenticator.objects.create(user=coordinator, type="totp", data={"secret": "x"})
    assert client.get("/organisations/").status_code == 200
    totp.save()  # used: its last use is recorded, and it is still there
    assert client.get("/organisations/").status_code == 200

    Authenticator.objects.filter(pk=totp.pk).delete()
    response = client.get("/organisations/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
