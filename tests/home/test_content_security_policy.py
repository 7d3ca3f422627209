"""Every page of the site is sent a Content-Security-Policy that allows no inline script, and no
template writes one: script comes from the site's own static files only."""

from html.parser import HTMLParser

import pytest

from assessments.h5p.services import h5p_import

from ..assessments.pages import submit
from ..assessments.test_attempts import a_quiz, start
from ..assessments.test_h5p import build, workspace_files
from ..factories import lesson_with_block

pytestmark = pytest.mark.django_db

# Data for scripts, never run: the CSP does not apply to them and they may stay inline.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: sources for name, *sources in (d.split() for d in policy.split(";"))}


class InlineCodeFinder(HTMLParser):
    """Collects what a strict policy would block: inline scripts, event handler attributes,
    javascript: URLs and style attributes."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        is_data = attributes.get("type") in DATA_SCRIPT_TYPES
        if tag == "script" and "src" not in attributes and not is_data:
            self.found.append(f"<script> without src at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"{name}= on <{tag}>")
            elif (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL in {name}= on <{tag}>")


def inline_code(response) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(response.content.decode())
    return finder.found


@pytest.fixture
def h5p_lesson(settings, tmp_path):
    settings.H5P_STORE = tmp_path / "store"
    package = h5p_import(source=str(build(tmp_path, workspace_files())), title="True or false")
    return lesson_with_block("h5p", {"activity": package.pk, "caption": ""}, slug="h5p")


def test_site_policy_allows_script_from_the_site_only(client):
    policy = directives(client.get("/"))
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]


def test_site_policy_allows_nothing_inline(client):
    assert "unsafe-inline" not in client.get("/accounts/login/")["Content-Security-Policy"]


def test_lesson_may_frame_the_h5p_content_origin(client, settings, h5p_lesson):
    settings.H5P_CONTENT_ORIGIN = "https://h5p.example.org"
    assert "https://h5p.example.org" in directives(client.get(h5p_lesson.url))["frame-src"]


def test_error_pages_carry_the_policy_too(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert directives(response)["script-src"] == ["'self'"]


def test_cms_has_its_own_policy_that_still_allows_only_the_sites_sources(client, settings):
    from cms.accounts.models import User

    client.force_login(User.objects.create_superuser(email="ed@example.org", password="x"))
    policy = directives(client.get("/admin/"))
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    allowed = {"'self'", "'unsafe-inline'", "'none'", "data:", "blob:", settings.H5P_CONTENT_ORIGIN}
    assert {source for sources in policy.values() for source in sources} <= allowed


@pytest.mark.parametrize(
    "path", ["/", "/courses/", "/search/?q=passport", "/accounts/login/", "/accounts/signup/"]
)
def test_public_pages_have_no_inline_code(client, h5p_lesson, path):
    response = client.get(path)
    assert response.status_code == 200
    assert inline_code(response) == []


def test_lesson_with_an_activity_has_no_inline_code(client, officer, h5p_lesson):
    client.force_login(officer)
    response = client.get(h5p_lesson.url)
    assert 'src="/static/js/h5p-relay.js"' in response.text
    assert inline_code(response) == []


@pytest.mark.parametrize(
    "path", ["/my-learning/", "/organisations/", "/accounts/email/", "/accounts/2fa/"]
)
def test_signed_in_pages_have_no_inline_code(client, officer, path):
    client.force_login(officer)
    response = client.get(path)
    assert response.status_code == 200
    assert inline_code(response) == []


def test_quiz_its_attempt_and_result_have_no_inline_code(client, officer):
    client.force_login(officer)
    quiz = a_quiz("the-transit-lounge")
    assert inline_code(client.get(f"/quizzes/{quiz.slug}/")) == []
    attempt = start(client, quiz)
    assert inline_code(client.get(f"/quizzes/attempts/{attempt.pk}/")) == []
    client.post(f"/quizzes/attempts/{attempt.pk}/review/", {"sequence": "1"})
    assert inline_code(client.get(f"/quizzes/attempts/{attempt.pk}/review/")) == []
    submit(client, attempt, {"sequence": "1"})
    assert inline_code(client.get(f"/quizzes/attempts/{attempt.pk}/result/")) == []


def test_coordinators_pages_have_no_inline_code(client, coordinator, organisation, officer):
    client.force_login(coordinator)
    for path in [f"/organisations/{organisation.slug}/members/", "/organisations/"]:
        assert inline_code(client.get(path)) == [], path
    assert inline_code(client.get(f"/organisations/{organisation.slug}/progress/")) == []


def test_lesson_seen_by_a_cms_user_has_no_inline_code(client, trainer, h5p_lesson):
    client.force_login(trainer)
    response = client.get(h5p_lesson.url)
    assert "wagtail-userbar" in response.text
    assert inline_code(response) == []
