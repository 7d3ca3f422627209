"""A certificate is issued in its holder's language: the achievement as the course reads in it,
the PDF printed in it, and its verification address opening the page in it."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from courses.certificates import services
from courses.certificates.links import verify_url
from courses.models import Certificate
from courses.services import lesson_complete

from ..test_content_translations import _load
from .certificate_support import quick_pdf  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_pdf")]


@pytest.fixture(autouse=True)
def _in_the_site_language():
    """Requests under a language prefix leave it active in the test's thread; each test
    starts, and leaves the next one, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def _complete(user, course, capture):
    with capture(execute=True):
        for lesson in course.get_children().filter(locale_id=course.locale_id).specific():
            lesson_complete(user=user, lesson=lesson)


def test_a_course_completed_in_french_is_certified_in_french(
    officer, django_capture_on_commit_callbacks
):
    course, _ = _load()
    with translation.override("fr"):
        _complete(officer, course, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(holder=officer)
    assert (certificate.language, certificate.achievement) == ("fr", "Contrôles en transit")
    assert certificate.course_id == course.pk
    assert f"/fr/verify/{certificate.grouped_code}/" in verify_url(certificate)
    page = Client().get(f"/fr/verify/{certificate.grouped_code}/")
    assert page.status_code == 200
    assert '<html lang="fr"' in page.text
    assert 'lang="fr">Contrôles en transit</span>' in page.text


def test_a_course_completed_in_english_is_certified_in_english(
    officer, django_capture_on_commit_callbacks
):
    course, _ = _load()
    with translation.override("en"):
        _complete(officer, course, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(holder=officer)
    assert (certificate.language, certificate.achievement) == ("en", "Transit checks")
    assert "/fr/" not in verify_url(certificate)


def test_the_holder_s_own_language_wins_over_the_page_s(officer):
    officer.language = "ar"  # the account's language, where accounts keep one
    with translation.override("fr"):
        assert services.holder_language(officer) == "ar"
