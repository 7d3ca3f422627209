"""Trainer notes on a lesson: shown to certified trainers and staff, in the reader's own part of
the page only, never to learners and never in what every reader shares."""

import datetime

import pytest
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.test import Client
from django.urls import reverse
from wagtail.models import Site

from cms.home import cache as content_cache
from courses.models import TrainerCertification
from courses.training import certification
from courses.training.notes import may_see_trainer_notes, render_notes

from ...factories import MembershipFactory, UserFactory
from .session_pack_fixtures import (
    MODEL_ANSWER,
    NOTE,
    certified_officer,
    certify,
    course_with_notes,
)

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def lesson(db):
    return course_with_notes(audience="public").get_children().first().specific


@pytest.fixture
def certified(organisation):
    return certified_officer(organisation)


def test_a_certified_trainer_sees_the_notes_in_a_collapsible_panel(certified, lesson):
    client = signed_in(certified)
    assert client.get(lesson.url).templates  # rendered for the trainers' reader state
    again = client.get(lesson.url)
    assert not again.templates  # and served from that shared copy
    html = again.text
    assert '<details class="trainer-notes"' in html
    assert NOTE in html and MODEL_ANSWER in html
    assert "<strong>10 min</strong>" in html or "<b>10 min</b>" in html  # Markdown rendered


def test_staff_see_the_notes(lesson):
    staff = UserFactory(is_staff=True)
    assert NOTE in signed_in(staff).get(lesson.url).text


@pytest.mark.parametrize("role", ["learner", "coordinator", "trainer"])
def test_uncertified_people_do_not_see_the_notes(organisation, lesson, role):
    person = MembershipFactory(organisation=organisation, role=role).user
    html = signed_in(person).get(lesson.url).text
    assert NOTE not in html and "trainer-notes" not in html


def test_visitors_do_not_see_the_notes(client, lesson):
    html = client.get(lesson.url).text
    assert NOTE not in html and "trainer-notes" not in html


@pytest.mark.parametrize("change", ["suspended", "expired", "revoked"])
def test_a_trainer_who_may_no_longer_teach_no_longer_sees_them(organisation, lesson, change):
    person = MembershipFactory(organisation=organisation).user
    row = certify(person)
    client = signed_in(person)
    assert NOTE in client.get(lesson.url).text
    if change == "expired":
        row.valid_until = datetime.date.today() - datetime.timedelta(days=1)
        row.save()
    else:
        status = getattr(TrainerCertification.Status, change.upper())
        TrainerCertification.objects.create(
            user=person,
            level=row.level,
            status=status,
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            reason="Test",
        )
    assert NOTE not in client.get(lesson.url).text


def test_a_learner_served_after_a_trainer_gets_no_notes(certified, officer, lesson):
    trainer_page = signed_in(certified).get(lesson.url)
    assert NOTE in trainer_page.text
    learner_page = signed_in(officer).get(lesson.url)
    assert "Lesson text about document checks." in learner_page.text
    assert NOTE not in learner_page.text and MODEL_ANSWER not in learner_page.text
    assert "trainer-notes" not in learner_page.text


def test_a_trainer_served_after_a_learner_gets_the_notes(certified, officer, lesson):
    assert NOTE not in signed_in(officer).get(lesson.url).text
    assert NOTE in signed_in(certified).get(lesson.url).text


def test_the_cached_shared_lesson_body_holds_no_notes(certified, lesson):
    """The lesson body every reader shares is cached as one fragment: it has the lesson, and
    none of the notes, even when a trainer's page made it."""
    page = signed_in(certified).get(lesson.url)
    assert NOTE in page.text
    site = Site.objects.get(is_default_site=True)
    key = make_template_fragment_key(
        "lesson-body", ["en", content_cache.generation(), lesson.cache_key, site.pk]
    )
    fragment = cache.get(key)
    assert fragment is not None and "Lesson text about document checks." in fragment
    assert NOTE not in fragment and MODEL_ANSWER not in fragment


def test_the_shared_copies_are_kept_apart_by_reader_state(certified, officer, lesson):
    """Both readers are served shared copies; the learner's was never the trainer's."""
    signed_in(certified).get(lesson.url)
    first = signed_in(officer).get(lesson.url)
    second = signed_in(officer).get(lesson.url)
    assert first.templates and not second.templates  # the learner's copy, then from the cache
    assert NOTE not in second.text


def test_an_editor_previewing_the_lesson_sees_the_notes(lesson):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = signed_in(staff)
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[lesson.pk]))
    assert response.status_code == 200
    assert NOTE in response.text


def test_the_notes_have_their_own_tab_in_the_cms(lesson):
    staff = UserFactory(is_staff=True, is_superuser=True)
    html = signed_in(staff).get(reverse("wagtailadmin_pages:edit", args=[lesson.pk])).text
    assert "Trainer notes" in html
    assert 'name="trainer_notes"' in html and 'name="indicator_card"' in html


def test_notes_are_not_searchable_by_learners(officer, lesson):
    response = signed_in(officer).get(reverse("courses:search"), {"q": "Lagos boarding pass"})
    assert response.status_code == 200
    assert lesson.title not in response.text


def test_html_in_notes_is_shown_as_written_never_run():
    html = render_notes('### Plan\n- **5 min** <script>alert(1)</script> <a href="x">y</a>')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<h3>Plan</h3>" in html and "<b>5 min</b>" in html


def test_whether_someone_may_teach_costs_no_query_once_known(certified, django_assert_num_queries):
    assert may_see_trainer_notes(user=certified)
    with django_assert_num_queries(0):
        assert may_see_trainer_notes(user=certified)


def test_a_new_certification_is_seen_at_once(organisation):
    person = MembershipFactory(organisation=organisation).user
    assert not may_see_trainer_notes(user=person)
    certify(person)
    assert may_see_trainer_notes(user=person)


def test_a_learner_s_lesson_still_costs_three_queries(officer, lesson):
    """Trainer notes add no query to a learner's lesson once the first request knows them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(officer)
    client.get(lesson.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(lesson.url).status_code == 200
    assert len(queries) == 3  # session, user, the learner's record


def test_certification_standing_is_asked_per_day(certified):
    tomorrow = certification.today() + datetime.timedelta(days=1)
    assert may_see_trainer_notes(user=certified, on=tomorrow)
    far = certification.today() + datetime.timedelta(days=1000)
    assert not may_see_trainer_notes(user=certified, on=far)
