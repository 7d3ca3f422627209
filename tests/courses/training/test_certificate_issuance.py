"""Certificates are issued when earned, once: a completed course or track, a certified or
renewed trainer. A renewal supersedes the previous certificate; a suspension or revocation of
the certification revokes it."""

import datetime
import hashlib

import pytest
from django.core.management import call_command

from courses.certificates import services
from courses.models import Certificate, CourseCompletion, TrackPage, TrainerCertification
from courses.services import lesson_complete
from courses.training import certification as cert
from courses.training.certification import Level

from ...factories import MembershipFactory, UserFactory, course_index, make_course
from .certificate_support import quick_pdf  # noqa: F401
from .helpers import complete as complete_on
from .helpers import complete_track, observe

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_pdf")]

DAY = datetime.date(2026, 3, 10)


def complete(user, course, capture):
    with capture(execute=True):
        for lesson in course.get_children().specific():
            lesson_complete(user=user, lesson=lesson)


def test_completing_a_course_issues_its_certificate(
    officer, organisation, public_course, django_capture_on_commit_callbacks
):
    complete(officer, public_course, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(holder=officer)
    assert certificate.kind == Certificate.Kind.COURSE
    assert certificate.course_id == public_course.pk
    assert certificate.achievement == public_course.title
    assert (certificate.organisation, certificate.organisation_name) == (
        organisation,
        organisation.name,
    )
    assert certificate.holder_name == officer.get_full_name()
    assert certificate.valid_until is None
    assert certificate.standing() == Certificate.Status.VALID
    with certificate.pdf.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == certificate.pdf_sha256


def test_no_certificate_before_the_last_lesson(
    officer, public_course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=officer, lesson=public_course.get_children().first().specific)
    assert not Certificate.objects.exists()


def test_issuing_again_leaves_one_certificate(officer, public_course):
    completion = CourseCompletion.objects.create(user=officer, course=public_course)
    first = services.certificate_issue_for_completion(completion=completion)
    again = services.certificate_issue_for_completion(completion=completion)
    assert first.pk == again.pk
    assert Certificate.objects.count() == 1


def test_a_completed_track_gets_a_track_certificate(stranger, django_capture_on_commit_callbacks):
    track = course_index().add_child(
        instance=TrackPage(
            title="Train the trainers", slug="train", summary="s", learning_outcomes="o"
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        CourseCompletion.objects.create(user=stranger, course=track)
    certificate = Certificate.objects.get(holder=stranger)
    assert certificate.kind == Certificate.Kind.TRACK
    # Without a verified membership, the platform issues it.
    assert (certificate.organisation, certificate.organisation_name) == (None, "Flightpath")


def test_the_issued_notice_runs_once_after_commit(
    officer, public_course, monkeypatch, django_capture_on_commit_callbacks
):
    told = []
    monkeypatch.setattr(
        services, "certificate_issued", lambda *, certificate: told.append(certificate)
    )
    with django_capture_on_commit_callbacks(execute=True):
        completion = CourseCompletion.objects.create(user=officer, course=public_course)
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_issue_for_completion(completion=completion)
    assert [c.holder for c in told] == [officer]


def test_a_failed_printing_is_repaired_by_the_command(
    officer, public_course, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*, certificate):
        raise OSError("no fonts")

    monkeypatch.setattr(services, "certificate_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        CourseCompletion.objects.create(user=officer, course=public_course)
    assert CourseCompletion.objects.filter(user=officer).exists()
    assert not Certificate.objects.exists()
    monkeypatch.setattr(services, "certificate_pdf", lambda *, certificate: b"%PDF-1.7")
    call_command("issue_certificates")
    call_command("issue_certificates")
    assert Certificate.objects.filter(holder=officer, course=public_course).count() == 1


# Trainer certificates


@pytest.fixture
def master(organisation):
    person = UserFactory()
    TrainerCertification.objects.create(
        user=person,
        level=Level.MASTER,
        status=TrainerCertification.Status.CERTIFIED,
        valid_from=DAY - datetime.timedelta(days=30),
        valid_until=cert.add_months(DAY, 23),
        organisation=organisation,
    )
    return person


@pytest.fixture
def candidate(organisation):
    return MembershipFactory(organisation=organisation, role="trainer").user


@pytest.fixture
def coordinator(organisation):
    return MembershipFactory(organisation=organisation, role="coordinator").user


@pytest.fixture
def certified(candidate, master, organisation, django_capture_on_commit_callbacks):
    complete_track(candidate)  # what certification asks: the track, and a session observed
    observe(candidate, master, on=DAY, today=DAY)
    with django_capture_on_commit_callbacks(execute=True):
        row = cert.certify(
            user=candidate,
            level=Level.TRAINER,
            certified_by=master,
            organisation=organisation,
            evidence="Observed session",
            on=DAY,
        )
    return row


def test_a_certified_trainer_gets_a_certificate_valid_for_the_period(
    certified, candidate, organisation
):
    certificate = Certificate.objects.get(holder=candidate)
    assert certificate.kind == Certificate.Kind.TRAINER
    assert certificate.certification == certified
    assert certificate.valid_until == certified.valid_until == datetime.date(2028, 3, 10)
    assert certificate.organisation == organisation
    assert certificate.achievement == "Certified trainer"
    assert certificate.standing(datetime.date(2028, 3, 11)) == Certificate.EXPIRED


def test_a_renewal_issues_a_new_certificate_and_supersedes_the_old(
    certified, candidate, coordinator, django_capture_on_commit_callbacks, settings
):
    settings.FLIGHTPATH_REFRESHER_SLUG = "refresher"
    refresher = make_course(title="Refresher", slug="refresher", lessons=1)
    complete_on(candidate, refresher, on=datetime.date(2028, 1, 20))  # inside the window
    with django_capture_on_commit_callbacks(execute=True):
        renewed = cert.renew(
            user=candidate,
            level=Level.TRAINER,
            recorded_by=coordinator,
            evidence="Refresher",
            on=datetime.date(2028, 2, 1),
        )
    old, new = Certificate.objects.filter(holder=candidate).order_by("pk")
    assert (old.status, new.status) == (Certificate.Status.SUPERSEDED, Certificate.Status.VALID)
    assert old.superseded_at is not None
    assert new.certification == renewed
    assert new.valid_until == renewed.valid_until == datetime.date(2030, 3, 10)


def test_a_suspension_revokes_the_certificate_and_a_reinstatement_issues_a_new_one(
    certified, candidate, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        cert.suspend(user=candidate, level=Level.TRAINER, by=coordinator, reason="Complaint")
    revoked = Certificate.objects.get(holder=candidate)
    assert revoked.status == Certificate.Status.REVOKED
    assert revoked.revoked_at is not None
    assert revoked.revocation_reason == "Complaint"
    with django_capture_on_commit_callbacks(execute=True):
        cert.reinstate(user=candidate, level=Level.TRAINER, by=coordinator, reason="Cleared")
    statuses = list(
        Certificate.objects.filter(holder=candidate).order_by("pk").values_list("status", flat=True)
    )
    assert statuses == [Certificate.Status.REVOKED, Certificate.Status.VALID]


def test_a_revoked_certification_revokes_the_certificate(
    certified, candidate, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        cert.revoke(user=candidate, level=Level.TRAINER, by=coordinator, reason="Misconduct")
    assert Certificate.objects.get(holder=candidate).status == Certificate.Status.REVOKED


def test_revoking_needs_a_reason_and_revoking_twice_changes_nothing(officer):
    from .certificate_support import make_certificate

    certificate = make_certificate(officer)
    with pytest.raises(services.CertificateError):
        services.certificate_revoke(certificate=certificate, reason="  ")
    first = services.certificate_revoke(certificate=certificate, reason="Fraud")
    again = services.certificate_revoke(certificate=certificate, reason="Other")
    assert again.revoked_at == first.revoked_at
    assert again.revocation_reason == "Fraud"


def test_the_holder_is_told_once_that_a_certificate_was_issued(
    officer, public_course, django_capture_on_commit_callbacks
):
    from django.core import mail

    complete(officer, public_course, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(holder=officer)
    services.certificate_issue_for_completion(
        completion=CourseCompletion.objects.get(user=officer, course=public_course)
    )
    [message] = mail.outbox
    assert message.to == [officer.email]
    assert public_course.title in message.subject
    from courses.certificates.links import verify_url

    assert verify_url(certificate) in message.body
