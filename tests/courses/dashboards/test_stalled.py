"""The stalled learners' dashboard: who has been quiet for N days and where they stopped, the
reminders a coordinator sends them (queued, in each learner's language, once a week per course
at most), each inside the reader's scope."""

import csv
import datetime
import io
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cms.accounts.models import Membership
from courses import services
from courses.dashboards import stalled
from courses.models import Notification, Reminder
from courses.training import cohorts

from ... import module_data
from ...factories import OrganisationFactory, make_course
from ..training.cohorts.helpers import certify, make_cohort, member
from .helpers import progress_as_the_orm_reads_it

PAGE = reverse("courses:dashboard_stalled")
REMIND = reverse("courses:dashboard_remind")


def export_url(fmt):
    return reverse("courses:dashboard_export", args=["stalled", fmt])


def at(days_ago: int):
    return mock.patch(
        "django.utils.timezone.now",
        return_value=timezone.now() - datetime.timedelta(days=days_ago),
    )


def learner(organisation, course, *, quiet: int, lessons: int = 0, **names):
    """A learner of `organisation` who enrolled in `course` and completed `lessons` of its
    lessons, last active `quiet` days ago."""
    person = member(organisation)
    for key, value in names.items():
        setattr(person, key, value)
    person.save()
    with at(quiet):
        services.enrolment_create(user=person, course=course)
        for lesson in list(course.lessons())[:lessons]:
            services.lesson_complete(user=person, lesson=lesson)
    return person


def key(person, course) -> str:
    return f"{person.pk}-{course.pk}"


def build() -> dict:
    """In the coordinator's organisation: one learner quiet for 40 days after a lesson, one
    quiet for 45 days who never started, one active 5 days ago and one who completed long ago.
    In the other organisation: one learner quiet for 50 days, in a cohort."""
    organisation, other_organisation = OrganisationFactory(), OrganisationFactory(country="BJ")
    course = make_course(title="Document abuse", lessons=3)
    ours = {
        "stopped": learner(organisation, course, quiet=40, lessons=1, first_name="Amina"),
        "never": learner(organisation, course, quiet=45, first_name="Baraka"),
        "active": learner(organisation, course, quiet=5, lessons=1),
        "done": learner(organisation, course, quiet=90, lessons=3),
    }
    theirs = learner(other_organisation, course, quiet=50, first_name="Comlan")
    their_trainer = certify(member(other_organisation, role=Membership.Role.TRAINER))
    their_cohort = make_cohort(other_organisation, their_trainer, course, name="Cotonou")
    coordinator = member(other_organisation, role=Membership.Role.COORDINATOR)
    with at(50):
        cohorts.cohort_learner_add(cohort=their_cohort, by=coordinator, email=theirs.email)
    return {
        "organisation": organisation,
        "other_organisation": other_organisation,
        "course": course,
        **ours,
        "theirs": theirs,
        "their_cohort": their_cohort,
        "their_trainer": their_trainer,
    }


made, world, organisation, other_organisation, course = module_data.fixtures(
    build, "organisation", "other_organisation", "course"
)


def listed(response) -> list[str]:
    return [row.learner_email for row in response.context["page"].object_list]


def test_a_coordinator_sees_their_quiet_learners_and_where_they_stopped(
    client, world, coordinator, course
):
    client.force_login(coordinator)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert listed(response) == [world["never"].email, world["stopped"].email]
    rows = response.context["page"].object_list
    first_lesson = next(iter(course.lessons()))
    assert rows[1].last_lesson_id == first_lesson.pk
    assert first_lesson.title in response.text and "Not started" in response.text
    assert 'aria-current="page"' in response.text


def test_the_days_filter_moves_the_line(client, world, staff):
    client.force_login(staff)
    assert listed(client.get(PAGE, {"days": "46"})) == [world["theirs"].email]
    assert len(listed(client.get(PAGE, {"days": "3"}))) == 4


def test_staff_filter_by_country_cohort_and_trainer(client, world, staff):
    client.force_login(staff)
    assert listed(client.get(PAGE, {"country": "BJ"})) == [world["theirs"].email]
    assert listed(client.get(PAGE, {"cohort": world["their_cohort"].pk})) == [world["theirs"].email]
    assert listed(client.get(PAGE, {"trainer": world["their_trainer"].pk})) == [
        world["theirs"].email
    ]
    assert world["theirs"].email not in listed(client.get(PAGE, {"cohort": "none"}))


@pytest.mark.parametrize(
    "query",
    [
        {"days": "0"},
        {"days": "abc"},
        {"days": "-3"},
        {"days": "99999"},
        {"days": "²"},
        {"course": "²"},
        {"cohort": "¹"},
        {"course": "x"},
        {"country": "XX"},
        {"page": "0"},
        {"page": "²"},
    ],
)
def test_malformed_filters_are_not_found(client, world, staff, query):
    client.force_login(staff)
    assert client.get(PAGE, query).status_code == 404
    if "page" not in query:
        assert client.get(export_url("csv"), query).status_code == 404


@pytest.mark.parametrize("who", ["officer", "newcomer", "trainer"])
def test_people_who_are_not_coordinators_are_refused(client, world, request, who, course):
    client.force_login(request.getfixturevalue(who))
    assert client.get(PAGE).status_code == 403
    assert client.get(export_url("csv")).status_code == 403
    assert client.post(REMIND, {"learner": key(world["stopped"], course)}).status_code == 403
    assert not Reminder.objects.exists()


def test_a_visitor_is_sent_to_sign_in(client, world, course):
    assert client.get(PAGE).status_code == 302
    assert client.get(export_url("csv")).status_code == 302
    assert client.post(REMIND, {"learner": key(world["stopped"], course)}).status_code == 302
    assert not Reminder.objects.exists()


@pytest.mark.parametrize(
    "params",
    [
        {"organisation": "other"},
        {"country": "BJ"},
        {"cohort": "their_cohort"},
        {"trainer": "their_trainer"},
        {"organisation": "none"},
    ],
)
def test_filter_values_outside_a_coordinators_scope_are_not_found(
    client, world, coordinator, other_organisation, params
):
    values = {
        "other": other_organisation.slug,
        "their_cohort": world["their_cohort"].pk,
        "their_trainer": world["their_trainer"].pk,
    }
    query = {k: values.get(v, v) for k, v in params.items()}
    client.force_login(coordinator)
    for url in (PAGE, export_url("csv"), export_url("xlsx")):
        assert client.get(url, query).status_code == 404


def test_a_coordinator_of_another_organisation_sees_none_of_ours(client, world, other_organisation):
    client.force_login(member(other_organisation, role=Membership.Role.COORDINATOR))
    assert listed(client.get(PAGE)) == [world["theirs"].email]
    response = client.get(export_url("csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert world["theirs"].email in text and world["stopped"].email not in text


def test_the_list_comes_in_pages_keeping_the_days(client, world, staff, monkeypatch):
    from courses.dashboards import selectors

    monkeypatch.setattr(selectors, "LEARNERS_PER_PAGE", 2)
    client.force_login(staff)
    first = client.get(PAGE, {"days": "20"})
    assert "days=20" in first.text.split('aria-label="Pages of stalled learners"')[1]
    assert len(listed(client.get(PAGE, {"days": "20", "page": 2}))) == 1
    assert client.get(PAGE, {"days": "20", "page": 3}).status_code == 404


@pytest.mark.parametrize("query", [{}, {"days": "42"}, {"country": "BJ"}, {"cohort": "none"}])
def test_the_pages_and_the_export_list_the_same_rows_as_the_progress_table(
    client, world, staff, coordinator, monkeypatch, query
):
    """The page (a row at a time) and the export read the stalled rows as SQL written out:
    they list the progress rows not completed and quiet for the days, in the reader's scope and
    the filters, quietest first, with their times as the ORM reads them."""
    from courses.dashboards import selectors
    from courses.models import LearnerProgress

    monkeypatch.setattr(selectors, "LEARNERS_PER_PAGE", 1)
    line = timezone.now() - datetime.timedelta(days=int(query.get("days", 30)))
    for reader in (staff, coordinator):
        client.force_login(reader)
        scope = selectors.dashboard_scope(user=reader)
        if scope.organisation_id and query.get("country", scope.country) != scope.country:
            continue  # not theirs to ask for: not found, as tested above
        filters = selectors.filters_from(query, scope=scope)
        expected = list(
            progress_as_the_orm_reads_it(scope, filters)
            .filter(completed_at__isnull=True, last_activity_at__lt=line)
            .order_by("last_activity_at", "user_id", "course_id")
            .values_list("user__email", "last_activity_at", "enrolled_at")
        )
        pages = client.get(PAGE, query).context["page"].paginator.num_pages if expected else 0
        shown = [
            (row.learner_email, row.last_activity_at, row.enrolled_at)
            for number in range(1, pages + 1)
            for row in client.get(PAGE, {**query, "page": number}).context["page"].object_list
        ]
        assert shown == expected, (reader, query)
        exported = client.get(export_url("csv"), query)
        table = csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig")))
        assert [row[1] for row in list(table)[1:]] == [email for email, *_ in expected]
    assert LearnerProgress.objects.exists()


# Reminders


def test_a_reminder_is_queued_once_per_learner_in_their_language(
    client, world, coordinator, organisation, course, django_capture_on_commit_callbacks
):
    other = make_course(title="Corruption", lessons=1)
    amina = world["stopped"]
    amina.language = "fr"
    amina.save()
    with at(40):
        services.enrolment_create(user=amina, course=other)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            REMIND,
            {"learner": [key(amina, course), key(amina, other), key(world["never"], course)]},
        )
    assert response.status_code == 302 and response.url.startswith(PAGE)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([amina.email, world["never"].email])
    to_amina = next(m for m in mail.outbox if m.to == [amina.email])
    assert "Document abuse" in to_amina.body and "Corruption" in to_amina.body
    assert Notification.objects.get(user=amina).language == "fr"
    assert "/fr/" in to_amina.body  # the link opens the site in her language
    assert Reminder.objects.count() == 3
    page = client.get(response.url)
    assert "Reminders are on their way to 2 learners" in page.text


def test_a_double_submit_sends_once_and_says_who_was_skipped(
    client, world, coordinator, course, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    data = {"learner": [key(world["stopped"], course)]}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REMIND, data)
        second = client.post(REMIND, data)
    assert len(mail.outbox) == 1
    page = client.get(second.url)
    assert "No reminder was sent." in page.text
    assert "already reminded on" in page.text and world["stopped"].email in page.text
    reminder = Reminder.objects.get()
    assert reminder.times == 1 and reminder.sent_by == coordinator


def test_a_learner_may_be_reminded_again_after_a_week(
    client, world, coordinator, course, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    data = {"learner": [key(world["stopped"], course)]}
    with at(8), django_capture_on_commit_callbacks(execute=True):
        client.post(REMIND, data)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REMIND, data)
    assert len(mail.outbox) == 2
    assert Reminder.objects.get().times == 2


def test_everyone_on_the_page_can_be_reminded_and_the_active_are_skipped(
    client, world, coordinator, course, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    page = client.get(PAGE)
    assert f'name="on_page" value="{key(world["stopped"], course)}"' in page.text
    data = {
        "send": "page",
        "on_page": [key(world["stopped"], course), key(world["active"], course)],
        "learner": [],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REMIND, data)
    assert [m.to[0] for m in mail.outbox] == [world["stopped"].email]
    assert "active in the last 30 days" in client.get(response.url).text


def test_a_learner_outside_the_scope_in_the_post_sends_nothing(
    client, world, coordinator, course, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            REMIND, {"learner": [key(world["stopped"], course), key(world["theirs"], course)]}
        )
    assert response.status_code == 404
    assert not mail.outbox and not Reminder.objects.exists() and not Notification.objects.exists()


@pytest.mark.parametrize("value", ["abc", "1-", "-2", "1-2-3", "9999999999999-1", "²-1"])
def test_malformed_learners_in_the_post_are_not_found(client, world, staff, value):
    client.force_login(staff)
    assert client.post(REMIND, {"learner": [value]}).status_code == 404
    assert not Reminder.objects.exists()


def test_reminding_nobody_says_so(client, world, coordinator):
    client.force_login(coordinator)
    response = client.post(REMIND, {"learner": []}, follow=True)
    assert "Choose at least one learner to remind." in response.text


def test_reminders_are_posted_only_and_need_the_csrf_token(client, world, coordinator, course):
    client.force_login(coordinator)
    assert client.get(REMIND, {"learner": key(world["stopped"], course)}).status_code == 405
    strict = type(client)(enforce_csrf_checks=True)
    strict.force_login(coordinator)
    assert strict.post(REMIND, {"learner": key(world["stopped"], course)}).status_code == 403
    assert not Reminder.objects.exists()


def test_the_reminder_goes_through_the_queue_backend():
    from courses.training.notifications import deliver

    assert deliver.backend == "queue"


def test_a_reminder_names_the_course_and_lesson_in_the_learners_language(
    client, world, coordinator, course, django_capture_on_commit_callbacks
):
    from wagtail.models import Locale

    french = Locale.objects.create(language_code="fr")
    lesson = next(iter(course.lessons()))
    for page, title in ((course, "Fraude documentaire"), (lesson, "Première leçon")):
        translation = page.copy_for_translation(french, copy_parents=True)
        translation.title = title
        translation.save_revision().publish()
    amina = world["stopped"]
    amina.language = "fr"
    amina.save()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REMIND, {"learner": [key(amina, course), key(world["never"], course)]})
    to_amina = next(m for m in mail.outbox if m.to == [amina.email])
    assert "Fraude documentaire" in to_amina.body and "Première leçon" in to_amina.body
    to_baraka = next(m for m in mail.outbox if m.to == [world["never"].email])
    assert "Document abuse" in to_baraka.body and "Fraude" not in to_baraka.body


def test_beyond_the_count_limit_the_page_says_more_than_and_lists_the_quietest(
    client, world, staff, monkeypatch
):
    """Counting every quiet enrolment of a large site took a second and a half: the page counts
    up to `COUNT_UP_TO`, says “more than” beyond, lists the quietest first and pages no
    further; the export still holds them all."""
    monkeypatch.setattr(stalled, "COUNT_UP_TO", 2)
    client.force_login(staff)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response.context["more"] is True
    assert listed(response) == [world["theirs"].email, world["never"].email]
    assert "More than 2 stalled enrolments" in response.text
    assert client.get(PAGE, {"page": "2"}).status_code == 404
    exported = client.get(export_url("csv"))
    text = b"".join(exported.streaming_content).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == 1 + 3
    exactly = client.get(PAGE, {"days": "46"})
    assert exactly.context["more"] is False
    assert "1 stalled enrolment" in exactly.text and "More than" not in exactly.text
