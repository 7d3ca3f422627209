"""A session left idle longer than FLIGHTPATH_SESSION_IDLE_SECONDS is signed out; an active one
is kept without writing the session on every page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.accounts import middleware

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """The middleware's clock, moved forward by hand."""
    now = [1_800_000_000.0]
    monkeypatch.setattr(middleware.time, "time", lambda: now[0])
    return now


@pytest.fixture
def idle_limit(settings):
    settings.FLIGHTPATH_SESSION_IDLE_SECONDS = 3600
    return 3600


def test_session_idle_longer_than_the_limit_is_signed_out(client, officer, clock, idle_limit):
    client.force_login(officer)
    assert client.get("/my-learning/").status_code == 200
    clock[0] += idle_limit + 1
    response = client.get("/my-learning/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_session_in_use_stays_signed_in(client, officer, clock, idle_limit):
    client.force_login(officer)
    for _ in range(4):
        clock[0] += idle_limit / 2
        assert client.get("/my-learning/").status_code == 200


def test_signed_in_page_does_not_write_the_session_each_time(client, officer, clock, idle_limit):
    client.force_login(officer)
    client.get("/my-learning/")
    clock[0] += 30
    with CaptureQueriesContext(connection) as queries:
        client.get("/my-learning/")
    writes = [
        q["sql"] for q in queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]
    ]
    assert writes == []
