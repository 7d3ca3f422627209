"""Pages not yet translated are served under the reader's prefix, and what is cached about a
page is kept per language."""

import pytest
from django.test import Client
from wagtail.models import Locale

pytestmark = pytest.mark.django_db


def test_a_course_is_linked_under_the_reader_s_prefix(public_course):
    from django.utils import translation

    with translation.override("ar"):
        assert public_course.url == "/ar/courses/recognising/"
    assert public_course.url == "/courses/recognising/"


def test_an_untranslated_course_is_found_under_a_prefix_whose_language_has_a_home(
    client, public_course
):
    home = public_course.get_parent().get_parent().specific
    french = Locale.objects.create(language_code="fr")
    home.copy_for_translation(french).save_revision().publish()
    assert client.get("/fr/courses/recognising/").status_code == 200
    assert client.get("/fr/").status_code == 200


def test_the_cached_page_for_visitors_is_kept_per_language(settings, public_course):
    settings.FLIGHTPATH_PAGE_CACHE_SECONDS = 60
    french = Client().get("/fr/courses/recognising/")
    arabic = Client().get("/ar/courses/recognising/")
    assert '<html lang="fr" dir="ltr">' in french.text
    assert '<html lang="ar" dir="rtl">' in arabic.text
    assert (
        'href="/ar/courses/recognising/lesson-1/"' in Client().get("/ar/courses/recognising/").text
    )


def test_the_cached_page_for_signed_in_readers_is_kept_per_language(client, officer, public_course):
    client.force_login(officer)
    assert 'href="/fr/courses/recognising/lesson-1/"' in client.get("/fr/courses/recognising/").text
    assert 'href="/ru/courses/recognising/lesson-1/"' in client.get("/ru/courses/recognising/").text
