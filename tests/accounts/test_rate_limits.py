"""Failed sign-ins are limited per account and per client address, not per server."""

import pytest
from allauth.core.internal.ratelimit import parse_rates
from django.conf import settings

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


def fail(client, email, **headers):
    return client.post("/accounts/login/", {"login": email, "password": "wrong"}, headers=headers)


def sign_in(client, user, **headers):
    return client.post(
        "/accounts/login/", {"login": user.email, "password": PASSWORD}, headers=headers
    )


def failures_allowed_per_ip():
    rates = parse_rates(settings.ACCOUNT_RATE_LIMITS["login_failed"])
    return next(rate.amount for rate in rates if rate.per == "ip")


def test_failures_for_made_up_addresses_do_not_lock_out_a_real_account(client, officer):
    for n in range(10):
        fail(client, f"nobody{n}@example.org")
    assert sign_in(client, officer).status_code == 302


def test_one_address_guessing_many_accounts_is_stopped(client, officer):
    for n in range(failures_allowed_per_ip()):
        fail(client, f"nobody{n}@example.org")
    response = sign_in(client, officer)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.text


def test_clients_behind_the_same_proxy_are_limited_separately(client, officer, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(failures_allowed_per_ip()):
        fail(client, f"nobody{n}@example.org", x_forwarded_for="203.0.113.7")
    assert sign_in(client, officer, x_forwarded_for="198.51.100.20").status_code == 302
