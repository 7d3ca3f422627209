"""The main pages in Arabic, right to left, on a 360 px phone and a 1280 px screen: nothing
pushes the page sideways, for a visitor and for a signed-in officer and trainer."""

import io

import pytest
from django.core.management import call_command

from ..factories import site_root
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = [{"width": 360, "height": 800}, {"width": 1280, "height": 900}]


@pytest.fixture
def demo(db):
    site_root()  # transactional tests flush the tree Wagtail's migrations make
    call_command("load_demo", stdout=io.StringIO())
    from cms.programs.models import Programme
    from courses.models import Certificate, CoursePage

    course = CoursePage.objects.live().get(
        slug="recognising-smuggling-by-air", locale__language_code="en"
    )  # the course its translations are read through
    return {
        "course": course,
        "lesson": course.get_children().live().first(),
        "quiz": course.specific.final_quiz,
        "programme": Programme.objects.filter(visibility="public").first(),
        "certificate": Certificate.objects.first(),
    }


def public_paths(demo) -> list[str]:
    return [
        "/",
        demo["course"].get_parent().url,
        demo["course"].url,
        demo["lesson"].url,
        f"/quizzes/{demo['quiz'].slug}/",
        "/accounts/login/",
        "/accounts/signup/",
        "/programmes/",
        f"/programmes/{demo['programme'].identifier}/",
        "/verify/",
        f"/verify/{demo['certificate'].grouped_code}/",
    ]


def assert_no_sideways_scroll(page, paths, viewport):
    for path in paths:
        response = page.goto(f"/ar{path}")
        assert response.status == 200, f"/ar{path} answered {response.status}"
        assert page.evaluate("document.documentElement.dir") == "rtl"
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{page.url} is {scroll} px wide at {viewport['width']} px"


def test_the_main_pages_in_arabic_do_not_scroll_sideways(new_page, demo):
    signed_in_only = ["/my-learning/", "/training/", "/organisations/", "/accounts/email/"]
    for viewport in VIEWPORTS:
        visitor = new_page(viewport=viewport)
        assert_no_sideways_scroll(visitor, public_paths(demo), viewport)
        trainer = new_page(viewport=viewport)
        sign_in(trainer, "trainer@example.org", password="flightpath")
        assert_no_sideways_scroll(trainer, [*signed_in_only, *public_paths(demo)], viewport)
