"""The demo site walked in French and Arabic by a visitor, an officer, a trainer and a
coordinator: every link on every page reached stays in the chosen language."""

import io
from collections import deque

import pytest
from django.core.management import call_command
from django.test import Client

from cms.accounts.models import User

from .test_language_links import internal_links

pytestmark = pytest.mark.django_db

# Files and exports are the same in every language and are not pages to walk.
NOT_PAGES = (".csv", ".xlsx", ".xml", ".pdf", ".json", ".h5p", ".zip", ".html")
PAGES_PER_WALK = 80


def walk(client: Client, language: str) -> dict[str, list[str]]:
    """Pages reached from the home page, each with the links that leave the language."""
    starts = [f"/{language}/{path}" for path in ("", "verify/", "training/", "accounts/login/")]
    queue, seen, strays = deque(starts), set(starts), {}
    while queue and len(seen) <= PAGES_PER_WALK:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        links = internal_links(response.text)
        leaving = [link for link in links if not link.startswith(f"/{language}/")]
        if leaving:
            strays[path] = leaving
        for link in links:
            if (
                link not in seen
                and link.startswith(f"/{language}/")
                and not link.endswith(NOT_PAGES)
                and "/logout/" not in link
            ):
                seen.add(link)
                queue.append(link)
    return strays


def test_every_link_on_the_demo_site_keeps_the_language(settings):
    settings.FLIGHTPATH_DEMO_ACCOUNTS = True
    call_command("load_demo", stdout=io.StringIO())
    walks = [("", "ar"), ("", "fr")] + [
        (f"{role}@example.org", "fr") for role in ("officer", "trainer", "coordinator")
    ]
    found = {}
    for email, language in walks:
        client = Client()
        if email:
            client.force_login(User.objects.get(email=email))
        for path, leaving in walk(client, language).items():
            found[f"{email or 'visitor'} {path}"] = leaving
    assert found == {}
