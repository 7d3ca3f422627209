"""A course's session pack: session plans and one-page handouts, as a print-friendly page and a
PDF, for those who may read trainer notes; everyone else is refused."""

import shutil
import subprocess

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cms.accounts.models import Organisation
from courses.models import TrackPage
from courses.training.session_packs import courses_with_packs, key_points

from ...factories import MembershipFactory, OrganisationFactory, UserFactory, make_lesson
from .session_pack_fixtures import (
    INDICATOR,
    KEY_POINT,
    MODEL_ANSWER,
    NOTE,
    certified_officer,
    certify,
    course_with_notes,
    with_notes,
)

pytestmark = pytest.mark.django_db


def page_url(course):
    with translation.override("en"):
        return reverse("courses:session_pack", args=[course.pk])


def pdf_url(course):
    with translation.override("en"):
        return reverse("courses:session_pack_pdf", args=[course.pk])


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def certified(organisation):
    return certified_officer(organisation)


@pytest.fixture
def course(db):
    return course_with_notes(title="Document abuse for trainers", lessons=2, audience="officers")


def test_the_pack_holds_each_lesson_s_plan_and_handout(certified, course):
    response = signed_in(certified).get(page_url(course))
    assert response.status_code == 200
    html = response.text
    assert html.count(NOTE) == 2 and MODEL_ANSWER in html
    assert html.count(KEY_POINT) == 2 and html.count(INDICATOR) == 2
    assert html.count('class="pack-plan"') == 2 and html.count('class="pack-handout"') == 2
    assert 'class="session-pack-page"' in html  # print rules hide the site's chrome
    assert pdf_url(course) in html
    assert "mrz-map" not in html  # no lesson asks for the map


def test_print_rules_break_pages_and_drop_the_site_chrome():
    from pathlib import Path

    from django.conf import settings

    css = Path(settings.BASE_DIR, "static", "css", "flightpath.css").read_text()
    rules = css[css.index("@media print {\n  .session-pack-page") :]
    assert ".session-pack-page .site-header" in rules and "display: none" in rules
    assert "break-before: page" in rules


def test_the_mrz_map_is_on_the_handouts_that_ask_for_it(certified):
    course = course_with_notes(lessons=2, mrz=False)
    with_notes(course.get_children().last(), mrz=True)
    html = signed_in(certified).get(page_url(course)).text
    assert html.count('class="mrz-map"') == 1
    assert "composite check digit" in html
    assert "1–10, 14–20, 22–43" in html  # what the composite check digit covers


def test_the_pdf_is_a_pdf_with_the_course_title(certified, course):
    response = signed_in(certified).get(pdf_url(course))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run(  # noqa: S603 poppler's pdftotext on the PDF just made
            [pdftotext, "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
        assert "Document abuse for trainers" in text
        assert "Lagos boarding pass" in " ".join(text.split())


def test_staff_open_any_pack(course):
    staff = UserFactory(is_staff=True)
    assert signed_in(staff).get(page_url(course)).status_code == 200


@pytest.mark.parametrize("role", ["learner", "coordinator", "trainer"])
def test_people_who_may_not_read_notes_are_refused(organisation, course, role):
    client = signed_in(MembershipFactory(organisation=organisation, role=role).user)
    assert client.get(page_url(course)).status_code == 403
    assert client.get(pdf_url(course)).status_code == 403


def test_visitors_are_asked_to_sign_in(client, course):
    response = client.get(page_url(course))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert client.get(pdf_url(course)).status_code == 302


def test_a_course_the_trainer_cannot_open_is_not_found(course):
    """A certified trainer of an organisation without officer access cannot open courses for
    officers, so neither can they open their packs."""
    ngo = OrganisationFactory(kind=Organisation.Kind.NGO, officer_access=False)
    client = signed_in(certified_officer(ngo))
    assert client.get(page_url(course)).status_code == 404
    assert client.get(pdf_url(course)).status_code == 404
    public = course_with_notes(title="Open to all", lessons=1, audience="public")
    assert client.get(page_url(public)).status_code == 200


def test_unknown_and_unpublished_courses_are_not_found(certified, course):
    client = signed_in(certified)
    assert client.get(reverse("courses:session_pack", args=[987654])).status_code == 404
    course.unpublish()
    assert client.get(page_url(course)).status_code == 404


def test_a_lesson_page_is_not_a_course(certified, course):
    lesson = course.get_children().first()
    assert signed_in(certified).get(page_url(lesson)).status_code == 404


def test_a_track_s_pack_holds_its_own_lessons(certified, course):
    index = course.get_parent()
    track = index.add_child(
        instance=TrackPage(
            title="Train the trainers",
            slug="train-the-trainers",
            summary="S",
            learning_outcomes="O",
        )
    )
    with_notes(make_lesson(track, 1))
    html = signed_in(certified).get(page_url(track)).text
    assert "Train the trainers" in html and html.count('class="pack-plan"') == 1


def test_a_lesson_without_notes_says_so(certified):
    course = course_with_notes(lessons=1, notes="", indicators=())
    html = signed_in(certified).get(page_url(course)).text
    assert "No session plan has been written for this lesson yet." in html


def test_an_rtl_page_marks_the_english_content(certified, course):
    response = signed_in(certified).get("/ar" + page_url(course))
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.text
    assert '<div class="pack-notes" lang="en" dir="ltr">' in response.text


@pytest.mark.parametrize("lessons", [2, 6])
def test_pack_page_queries(certified, lessons):
    course = course_with_notes(lessons=lessons, audience="officers")
    client = signed_in(certified)
    url = page_url(course)
    client.get(url)  # the site, the membership and the trainer's standing are cached after it
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200 and response.text.count('class="pack-plan"') == lessons
    assert len(queries) == 4, [q["sql"] for q in queries]  # session, user, course, lessons


def test_the_course_page_links_trainers_to_the_pack(certified, officer, course):
    assert page_url(course) in signed_in(certified).get(course.url).text
    assert page_url(course) not in signed_in(officer).get(course.url).text


def test_the_training_hub_lists_the_packs(organisation, course):
    person = MembershipFactory(organisation=organisation, role="trainer").user
    certify(person)
    html = signed_in(person).get(reverse("courses:training")).text
    assert page_url(course) in html and pdf_url(course) in html


def test_the_hub_lists_no_packs_to_an_uncertified_coordinator(coordinator, course):
    html = signed_in(coordinator).get(reverse("courses:training")).text
    assert page_url(course) not in html and "Session packs" not in html


def test_the_hub_lists_only_courses_the_trainer_may_open(course):
    ngo = OrganisationFactory(kind=Organisation.Kind.NGO, officer_access=False)
    person = certified_officer(ngo)
    public = course_with_notes(title="Open to all", lessons=1, audience="public")
    assert [c.pk for c in courses_with_packs(user=person)] == [public.pk]


def test_key_points_are_read_from_the_published_body(course):
    lesson = course.get_children().first().specific
    assert key_points(lesson) == [KEY_POINT, "Check the MRZ against the data page"]


@pytest.fixture
def certified_author(organisation):
    """A certified trainer who also writes lessons in the CMS (served pages the ordinary way)."""
    from cms.accounts.services import membership_sync_cms_access

    membership = MembershipFactory(organisation=organisation, role="trainer")
    membership_sync_cms_access(membership)
    certify(membership.user)
    return membership.user


def test_a_certified_author_sees_the_notes_and_the_pack_link(certified_author, course):
    client = signed_in(certified_author)
    lesson = course.get_children().first()
    assert NOTE in client.get(lesson.url).text
    assert page_url(course) in client.get(course.url).text


@pytest.mark.parametrize("courses", [2, 6])
def test_training_hub_queries(coordinator, courses):
    certify(coordinator)  # a coordinator who is a certified trainer too
    made = [course_with_notes(title=f"Course {n}", lessons=1) for n in range(courses)]
    client = signed_in(coordinator)
    url = reverse("courses:training")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert all(page_url(course) in response.text for course in made)
    # The session, the user, the person's cohorts, the courses with packs, their trainer
    # certifications (the certification section) and their record in the listed tracks.
    assert len(queries) == 6, [q["sql"] for q in queries]
