"""The language a reader chose stays with them: every link Flightpath builds on a page served
under /fr/ (or /ar/, /es/, /ru/) leads to a page under the same prefix."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

LANGUAGES = ["fr", "es", "ar", "ru"]

# Addresses that are the same in every language: the language switch itself, files, the CMS,
# the API and the page-password form, none of which is served under a language prefix.
LANGUAGE_FREE = ("/i18n/", "/static/", "/media/", "/images/", "/documents/", "/admin/", "/api/")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href") and "hreflang" not in attrs:
            self.links.append(attrs["href"])
        if tag == "form" and attrs.get("action"):
            self.links.append(attrs["action"])


def internal_links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    paths = []
    for href in parser.links:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue  # another site, an anchor, a mailto: or a relative link
        if parts.path.startswith(LANGUAGE_FREE):
            continue
        paths.append(parts.path)
    return paths


def assert_links_keep(language: str, response):
    assert response.status_code == 200, response.status_code
    links = internal_links(response.text)
    assert links, "the page links nowhere"
    strays = [link for link in links if not link.startswith(f"/{language}/")]
    assert strays == [], f"{response.request['PATH_INFO']} links out of /{language}/: {strays}"


def _pages(course):
    lesson = course.get_children().live().first()
    home = course.get_parent().get_parent()
    return [
        home.url_path.removeprefix(home.url_path) or "/",
        course.get_parent().url_path.removeprefix(home.url_path),
        course.url_path.removeprefix(home.url_path),
        lesson.url_path.removeprefix(home.url_path),
        "/search/",
        "/accounts/login/",
        "/accounts/signup/",
        "/programmes/",
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_visitor_s_links_keep_the_language(client, public_course, language):
    for path in _pages(public_course):
        path = "/" + path.lstrip("/")
        assert_links_keep(language, client.get(f"/{language}{path}"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_officer_s_links_keep_the_language(client, officer, public_course, language):
    client.force_login(officer)
    pages = [p for p in _pages(public_course) if not p.startswith("/accounts/")]
    with translation.override(language):
        pages += [reverse("courses:my_learning"), reverse("accounts:my_organisation")]
    for path in pages:
        path = path if path.startswith(f"/{language}/") else f"/{language}/" + path.lstrip("/")
        assert_links_keep(language, client.get(path))


def test_english_links_carry_no_prefix(client, public_course):
    for path in _pages(public_course):
        links = internal_links(client.get("/" + path.lstrip("/")).text)
        assert not [link for link in links if link.startswith(("/fr/", "/ar/"))]
