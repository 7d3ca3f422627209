"""E-mail about training: queued after commit, sent once however often its cause comes round."""

import datetime
import io
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from courses.models import ClassroomSession, Cohort, CohortMember, Notification
from courses.models import TrainerCertification as Certification
from courses.training import notifications

from ...factories import UserFactory, make_course

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)


@pytest.fixture
def cohort(organisation, trainer):
    return Cohort.objects.create(
        organisation=organisation,
        course=make_course(title="Document abuse", lessons=1),
        name="Nairobi spring intake",
        language="fr",
        starts_on=TODAY,
        ends_on=TODAY + datetime.timedelta(days=30),
        trainer=trainer,
    )


def _learners(cohort, n):
    users = [UserFactory() for _ in range(n)]
    CohortMember.objects.bulk_create(CohortMember(cohort=cohort, user=u) for u in users)
    return users


def _session(cohort, day, **fields):
    return ClassroomSession.objects.create(
        cohort=cohort,
        date=day,
        starts_at=datetime.time(9, 30),
        duration_minutes=90,
        airport=fields.pop("airport", "NBO"),
        country="KE",
        language="en",
        **fields,
    )


def test_learners_added_to_a_cohort_are_told_once_in_its_language(
    cohort, django_capture_on_commit_callbacks
):
    learners = _learners(cohort, 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.cohort_learners_added(cohort=cohort, users=learners) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.cohort_learners_added(cohort=cohort, users=learners) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in learners)
    assert "Nairobi spring intake" in mail.outbox[0].subject
    assert Notification.objects.get(user=learners[0]).language == "fr"


def test_nothing_is_mailed_when_the_transaction_that_caused_it_rolls_back(cohort):
    learners = _learners(cohort, 1)
    with pytest.raises(RuntimeError), transaction.atomic():
        notifications.cohort_learners_added(cohort=cohort, users=learners)
        raise RuntimeError("the cohort form failed after adding")
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_a_task_run_twice_mails_once(cohort):
    [learner] = _learners(cohort, 1)
    notifications.cohort_learners_added(cohort=cohort, users=[learner])  # not yet committed
    notification = Notification.objects.get(user=learner)
    assert notifications.deliver.call(notification.pk) is True
    assert notifications.deliver.call(notification.pk) is False
    assert len(mail.outbox) == 1


def test_a_failed_send_is_released_to_be_tried_again(cohort, monkeypatch):
    [learner] = _learners(cohort, 1)
    notifications.cohort_learners_added(cohort=cohort, users=[learner])
    notification = Notification.objects.get(user=learner)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr(notifications, "send_mail", refuse)
    with pytest.raises(ConnectionRefusedError):
        notifications.deliver.call(notification.pk)
    notification.refresh_from_db()
    assert notification.sent_at is None
    monkeypatch.undo()
    assert notifications.deliver.call(notification.pk) is True
    assert len(mail.outbox) == 1


def test_the_daily_command_reminds_tomorrows_sessions_once(
    cohort, django_capture_on_commit_callbacks
):
    learners = _learners(cohort, 3)
    _session(cohort, TODAY + datetime.timedelta(days=1), venue="Training room 2")
    _session(cohort, TODAY + datetime.timedelta(days=2))  # not tomorrow
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", date=TODAY.isoformat(), stdout=io.StringIO())
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in learners)
    body = mail.outbox[0].body
    assert "Jomo Kenyatta International Airport (NBO)" in body
    assert "Training room 2" in body
    assert "09:30" in body


def test_a_session_moved_to_another_day_reminds_again(cohort):
    _learners(cohort, 1)
    session = _session(cohort, TODAY + datetime.timedelta(days=1))
    assert notifications.session_reminders(day=session.date) == 1
    session.date += datetime.timedelta(days=7)
    session.save()
    assert notifications.session_reminders(day=session.date) == 1


def test_a_session_without_an_airport_names_its_venue_only(cohort):
    _learners(cohort, 1)
    _session(cohort, TODAY, airport="", venue="Police academy, Mombasa")
    notifications.session_reminders(day=TODAY)
    notification = Notification.objects.get()
    assert notification.context["airport"] == ""
    assert "Airport" not in notifications.render(notification)[1]


def _certified(user, *, until, **fields):
    return Certification.objects.create(
        user=user,
        level=Certification.Level.TRAINER,
        status=fields.pop("status", Certification.Status.CERTIFIED),
        valid_from=until - datetime.timedelta(days=730),
        valid_until=until,
        **fields,
    )


def test_certification_reminders_tell_expiring_and_just_expired_trainers_once():
    expiring = _certified(UserFactory(), until=TODAY + datetime.timedelta(days=60)).user
    expired = _certified(UserFactory(), until=TODAY - datetime.timedelta(days=1)).user
    _certified(UserFactory(), until=TODAY + datetime.timedelta(days=61))  # not yet
    _certified(UserFactory(), until=TODAY - datetime.timedelta(days=31))  # long past
    renewed = UserFactory()
    _certified(renewed, until=TODAY + datetime.timedelta(days=10))
    _certified(renewed, until=TODAY + datetime.timedelta(days=740))
    assert notifications.certification_reminders(today=TODAY) == 2
    assert notifications.certification_reminders(today=TODAY) == 0
    kinds = dict(Notification.objects.values_list("user", "kind"))
    assert kinds == {
        expiring.pk: Notification.Kind.CERTIFICATION_EXPIRING,
        expired.pk: Notification.Kind.CERTIFICATION_EXPIRED,
    }


def test_the_expiry_message_follows_the_expiring_one():
    row = _certified(UserFactory(), until=TODAY + datetime.timedelta(days=5))
    assert notifications.certification_reminders(today=TODAY) == 1
    assert (
        notifications.certification_reminders(today=row.valid_until + datetime.timedelta(days=1))
        == 1
    )
    assert list(Notification.objects.order_by("pk").values_list("kind", flat=True)) == [
        Notification.Kind.CERTIFICATION_EXPIRING,
        Notification.Kind.CERTIFICATION_EXPIRED,
    ]


def test_a_certificate_issued_is_announced_once(django_capture_on_commit_callbacks):
    holder = UserFactory()
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            notifications.certificate_issued(
                user=holder,
                key="ABCD-EFGH",
                achievement="Document abuse",
                verify_url="http://testserver/verify/ABCD-EFGH/",
            )
    [message] = mail.outbox
    assert "http://testserver/verify/ABCD-EFGH/" in message.body
    assert "&amp;" not in message.body


def test_a_bad_date_is_refused_plainly():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--date"):
        call_command("send_reminders", date="30/11/2026")


@override_settings(
    TASKS={
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "queue": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
)
def test_with_the_database_backend_the_worker_sends_what_was_queued(
    cohort, django_capture_on_commit_callbacks
):
    [learner] = _learners(cohort, 1)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.cohort_learners_added(cohort=cohort, users=[learner])
    assert mail.outbox == []  # queued, not sent
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections"
    ):  # the worker refreshes its connection between tasks; the test's must stay open
        call_command(  # as on the command line: the option's default is checked only there
            "db_worker", "--backend", "queue", "--batch", stdout=io.StringIO(), stderr=io.StringIO()
        )
    assert [m.to for m in mail.outbox] == [[learner.email]]


def test_wagtail_work_runs_at_once_and_mail_waits_for_the_worker():
    """Who may see a document follows Wagtail's reference index: it must not wait for a
    worker. E-mail is queued in the database."""
    from django.conf import settings as django_settings

    from cms.settings import base

    assert base.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")
    assert base.TASKS["queue"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert notifications.deliver.backend == "queue"
    assert "queue" in django_settings.TASKS


def test_administrators_read_notifications_in_the_cms_and_nobody_edits_them(
    client, cohort, trainer
):
    [learner] = _learners(cohort, 1)
    notifications.cohort_learners_added(cohort=cohort, users=[learner])
    row = Notification.objects.get()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get("/admin/learning/notifications/")
    assert listing.status_code == 200 and str(learner) in listing.text
    assert client.get(f"/admin/learning/notifications/inspect/{row.pk}/").status_code == 200
    edit = client.post(f"/admin/learning/notifications/edit/{row.pk}/", {"kind": "x"})
    assert edit.status_code in (302, 403, 404)
    assert Notification.objects.get().kind == Notification.Kind.COHORT_ADDED
    client.force_login(trainer)
    refused = client.get("/admin/learning/notifications/")
    assert refused.status_code in (302, 403) and str(learner) not in refused.text
