"""Pages are found by their URL in a few queries, and privacy, drafts and caching still hold."""

import warnings
from html.parser import HTMLParser

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from ..factories import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return make_course(title="Recognising smuggling", slug="recognising", lessons=2)


def test_unknown_path_is_404(client, course):
    assert client.get("/courses/recognising/no-such-lesson/").status_code == 404
    assert client.get("/no/such/page/").status_code == 404


def test_unpublished_lesson_is_404(client, course):
    lesson = course.get_children().first()
    url = lesson.url
    lesson.unpublish()
    assert client.get(url).status_code == 404


def test_publishing_a_change_is_visible_at_once_to_cached_visitors(client, course):
    lesson = course.get_children().first().specific
    assert "Lesson text about document checks." in client.get(lesson.url).text
    lesson.body = [("paragraph", "<p>Revised text on transit hubs.</p>")]
    lesson.save_revision().publish()
    assert "Revised text on transit hubs." in client.get(lesson.url).text


def test_signed_in_pages_are_never_taken_from_the_anonymous_cache(client, officer, course):
    lesson = course.get_children().first()
    client.get(lesson.url)  # cached for visitors
    client.force_login(officer)
    assert "Mark lesson complete" in client.get(lesson.url).text


def test_wagtail_privacy_setting_is_still_enforced(client, course):
    PageViewRestriction.objects.create(page=course, restriction_type="login")
    response = client.get(course.get_children().first().url)
    assert response.status_code == 302
    assert "login" in response["Location"]


class FormFields(HTMLParser):
    """The action and the fields of the first form in a page, as a browser would post them."""

    def __init__(self, html):
        super().__init__()
        self.action, self.fields = None, {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = attrs.get("action")
        elif tag == "input" and attrs.get("name") and self.action is not None:
            self.fields.setdefault(attrs["name"], attrs.get("value") or "")


def enter_page_password(browser, url, password):
    """Open a password-protected page and post its password form as a visitor does."""
    form = FormFields(browser.get(url).text)
    assert form.action and "password" in form.fields, "no password form"
    return browser.post(form.action, {**form.fields, "password": password}, follow=True)


@pytest.fixture
def password_protected_lesson(course):
    PageViewRestriction.objects.create(
        page=course, restriction_type="password", password="transit-hub"
    )
    return course.get_children().first()


def test_a_visitor_who_enters_the_page_password_reads_the_lesson(password_protected_lesson):
    visitor = Client(enforce_csrf_checks=True)
    response = enter_page_password(visitor, password_protected_lesson.url, "transit-hub")
    assert response.redirect_chain[-1][0] == password_protected_lesson.url
    assert "Lesson text" in response.text
    assert "Lesson text" in visitor.get(password_protected_lesson.url).text


def test_a_wrong_page_password_keeps_the_lesson_closed(password_protected_lesson):
    visitor = Client(enforce_csrf_checks=True)
    response = enter_page_password(visitor, password_protected_lesson.url, "guess")
    assert "Lesson text" not in response.text
    assert "Lesson text" not in visitor.get(password_protected_lesson.url).text


def test_password_protected_page_is_not_cached_for_the_next_visitor(password_protected_lesson):
    enter_page_password(Client(), password_protected_lesson.url, "transit-hub")
    next_visitor = Client()
    response = next_visitor.get(password_protected_lesson.url)
    assert "Lesson text" not in response.text
    assert 'name="password"' in response.text


def test_arabic_pages_are_right_to_left(client, course):
    response = client.get("/ar" + course.url)
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.text


def test_language_links_keep_the_page(client, course):
    response = client.get(course.url)
    assert 'href="/fr/courses/recognising/"' in response.text
    assert 'href="/ar/courses/recognising/"' in response.text


def test_lesson_page_is_light_without_images(client, course):
    response = client.get(course.get_children().first().url)
    assert len(response.content) < 200_000
    assert "https://" not in response.text  # nothing from a CDN


def test_a_newly_published_lesson_appears_on_the_course_page(client, course):
    from ..factories import make_lesson

    assert "Recognising smuggling lesson 3" not in client.get(course.url).text
    lesson = make_lesson(course, 3)
    lesson.save_revision().publish()
    assert "Recognising smuggling lesson 3" in client.get(course.url).text


def test_a_moved_page_is_found_at_its_new_address(client, course):
    from ..factories import make_course

    other = make_course(title="Other", slug="other", lessons=0)
    lesson = course.get_children().first()
    old_url = lesson.url
    assert client.get(old_url).status_code == 200
    lesson.move(other, pos="last-child")
    lesson.refresh_from_db()
    assert client.get(lesson.url).status_code == 200
    response = client.get(old_url)  # Wagtail leaves a redirect behind
    assert response.status_code == 301 and response["Location"].endswith(lesson.url)


def test_cached_lesson_body_is_kept_per_language(client, officer, course):
    from django.core.cache import cache
    from django.core.cache.utils import make_template_fragment_key
    from wagtail.models import Site

    lesson = course.get_children().first()
    site = Site.objects.get(is_default_site=True)
    client.force_login(officer)
    client.get(lesson.url)
    client.get("/fr" + lesson.url)
    from cms.home.cache import generation

    for language in ("en", "fr"):
        vary_on = [language, generation(), lesson.cache_key, site.pk]
        key = make_template_fragment_key("lesson-body", vary_on)
        assert cache.get(key) is not None, language


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "officer"])
def test_long_paths_are_404_and_safe_as_cache_keys(client, officer, course, signed_in):
    from django.core.cache.backends.base import CacheKeyWarning

    if signed_in:
        client.force_login(officer)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)  # keys a memcached would refuse
        assert client.get("/courses/" + "d\u00e9tour-ahead/" * 40).status_code == 404
