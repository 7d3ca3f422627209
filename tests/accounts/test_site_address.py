"""E-mails link to the address the site runs on, whatever host a request came by."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def settings_under(**env) -> dict:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"FLIGHTPATH_SITE_ORIGIN", "WAGTAILADMIN_BASE_URL"}
    }
    environment.update({"DJANGO_SETTINGS_MODULE": "cms.settings.dev", **env})
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.FLIGHTPATH_SITE_ORIGIN); print(s.WAGTAILADMIN_BASE_URL)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    origin, admin = result.stdout.split()
    return {"origin": origin, "admin": admin}


def test_make_run_on_another_port_gives_wagtails_moderation_emails_that_port():
    found = settings_under(FLIGHTPATH_SITE_ORIGIN="http://127.0.0.1:8100/")
    assert found == {"origin": "http://127.0.0.1:8100", "admin": "http://127.0.0.1:8100"}


def test_the_site_address_defaults_to_the_development_server():
    assert settings_under() == {"origin": "http://127.0.0.1:8000", "admin": "http://127.0.0.1:8000"}


def test_the_make_run_target_passes_its_port_to_the_site_and_the_demo():
    makefile = (ROOT / "Makefile").read_text()
    assert "SITE_ORIGIN = http://$(HOST):$(PORT)" in makefile
    assert "FLIGHTPATH_SITE_ORIGIN=$(SITE_ORIGIN) $(PY) manage.py load_demo" in makefile
    assert "FLIGHTPATH_SITE_ORIGIN=$(SITE_ORIGIN) H5P_CONTENT_ORIGIN" in makefile


def test_an_invitation_links_to_the_site_origin_not_the_host_the_coordinator_used(
    client, settings, coordinator, organisation
):
    settings.FLIGHTPATH_SITE_ORIGIN = "http://127.0.0.1:8100"
    settings.ALLOWED_HOSTS = ["*"]
    client.force_login(coordinator)
    client.post(
        f"/organisations/{organisation.slug}/invite/",
        {"email": "new.officer@example.org", "role": "learner"},
        HTTP_HOST="localhost:8100",
    )
    body = mail.outbox[-1].body
    assert re.search(r"http://127\.0\.0\.1:8100/organisations/invitations/\S+/", body)
    assert "localhost" not in body


def test_the_demo_site_address_is_where_the_site_runs(settings):
    from courses.demo import site_address

    settings.FLIGHTPATH_SITE_ORIGIN = "http://127.0.0.1:8100"
    assert site_address() == ("127.0.0.1", 8100)
    settings.FLIGHTPATH_SITE_ORIGIN = "https://flightpath.example.org"
    assert site_address() == ("flightpath.example.org", 443)
