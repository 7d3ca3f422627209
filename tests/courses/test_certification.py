"""Trainer certification: who may certify whom, how long it lasts, renewal inside the window
without losing time, suspension and revocation by the organisation's coordinators, and a
history in which nothing is overwritten."""

import datetime

import pytest
from django.test import override_settings

from courses.models import TrainerCertification
from courses.training import certification as cert
from courses.training.certification import CertificationError, Level, Standing

from ..factories import MembershipFactory, OrganisationFactory, UserFactory
from .training.helpers import complete, make_course, meet_requirements

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 10)


@pytest.fixture
def organisation():
    return OrganisationFactory()


@pytest.fixture
def master(organisation):
    person = UserFactory(email="master@example.org")
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
def coordinator(organisation):
    return MembershipFactory(organisation=organisation, role="coordinator").user


@pytest.fixture
def candidate(organisation):
    return MembershipFactory(organisation=organisation, role="trainer").user


def certified(candidate, master, organisation, on=DAY):
    if (
        not candidate.observed_sessions.exists()
        and cert.standing(cert.latest(user=master, level=Level.MASTER), on) in cert.IN_FORCE
    ):
        meet_requirements(candidate, master, on=DAY - datetime.timedelta(days=1), today=DAY)
    return cert.certify(
        user=candidate,
        level=Level.TRAINER,
        certified_by=master,
        organisation=organisation,
        evidence="Observed session, 2026-03-09: all criteria met",
        on=on,
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 3, 10), 24, datetime.date(2028, 3, 10)),
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2028, 2, 29), 12, datetime.date(2029, 2, 28)),
        (datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert cert.add_months(day, months) == expected


def test_a_master_trainer_certifies_a_trainer_for_24_months(candidate, master, organisation):
    row = certified(candidate, master, organisation)
    assert (row.valid_from, row.valid_until) == (DAY, datetime.date(2028, 3, 10))
    assert (row.certified_by, row.organisation) == (master, organisation)
    assert cert.standing(row, DAY) == Standing.CERTIFIED
    assert cert.may_teach(user=candidate, on=DAY)


@override_settings(FLIGHTPATH_CERTIFICATION_MONTHS=12)
def test_the_period_is_a_setting(candidate, master, organisation):
    assert certified(candidate, master, organisation).valid_until == datetime.date(2027, 3, 10)


def test_nobody_certifies_themselves(master, organisation):
    with pytest.raises(CertificationError, match="themselves"):
        cert.certify(
            user=master, level=Level.MASTER, certified_by=master, organisation=None, evidence=""
        )


def test_only_a_master_trainer_in_force_certifies(candidate, master, organisation):
    trainer = MembershipFactory(organisation=organisation, role="trainer").user
    certified(trainer, master, organisation)
    with pytest.raises(CertificationError, match="master trainer"):
        certified(candidate, trainer, organisation)  # a trainer is no master
    expired_day = cert.add_months(DAY, 24)
    with pytest.raises(CertificationError, match="master trainer"):
        certified(candidate, master, organisation, on=expired_day)  # the master's has expired
    assert not TrainerCertification.objects.filter(user=candidate).exists()


def test_master_trainers_are_certified_by_a_master_or_an_administrator(candidate, organisation):
    admin = UserFactory(is_superuser=True, is_staff=True)
    row = cert.certify(
        user=candidate, level=Level.MASTER, certified_by=admin, organisation=None, evidence="x"
    )
    assert cert.standing(row) == Standing.CERTIFIED


def test_a_certification_in_force_is_renewed_not_certified_again(candidate, master, organisation):
    certified(candidate, master, organisation)
    with pytest.raises(CertificationError, match="renew it instead"):
        certified(candidate, master, organisation, on=DAY + datetime.timedelta(days=1))
    assert TrainerCertification.objects.filter(user=candidate).count() == 1


def test_expiring_within_the_renewal_window_then_expired(candidate, master, organisation):
    row = certified(candidate, master, organisation)
    window_opens = row.valid_until - datetime.timedelta(days=90)
    assert cert.standing(row, window_opens - datetime.timedelta(days=1)) == Standing.CERTIFIED
    assert cert.standing(row, window_opens) == Standing.EXPIRING
    assert cert.standing(row, row.valid_until) == Standing.EXPIRING
    assert cert.may_teach(user=candidate, on=row.valid_until)
    after = row.valid_until + datetime.timedelta(days=1)
    assert cert.standing(row, after) == Standing.EXPIRED
    assert not cert.may_teach(user=candidate, on=after)


@pytest.fixture
def refresher(settings):
    settings.FLIGHTPATH_REFRESHER_SLUG = "refresher"
    return make_course(title="Refresher", slug="refresher", lessons=1)


def test_renewing_early_in_the_window_shortens_nothing(candidate, master, organisation, refresher):
    first = certified(candidate, master, organisation)
    early = first.valid_until - datetime.timedelta(days=80)
    complete(candidate, refresher, on=early - datetime.timedelta(days=2))
    renewed = cert.renew(
        user=candidate, level=Level.TRAINER, recorded_by=candidate, evidence="Refresher", on=early
    )
    assert renewed.valid_from == first.valid_until + datetime.timedelta(days=1)
    assert renewed.valid_until == cert.add_months(first.valid_until, 24)
    first.refresh_from_db()
    assert first.valid_until == datetime.date(2028, 3, 10)  # the old row is left as it was
    assert cert.latest(user=candidate, level=Level.TRAINER) == renewed


def test_renewal_is_refused_before_the_window_and_after_expiry(candidate, master, organisation):
    row = certified(candidate, master, organisation)
    for day, message in [
        (DAY + datetime.timedelta(days=10), "can be renewed from"),
        (row.valid_until + datetime.timedelta(days=1), "expired"),
    ]:
        with pytest.raises(CertificationError, match=message):
            cert.renew(
                user=candidate, level=Level.TRAINER, recorded_by=candidate, evidence="", on=day
            )
    assert TrainerCertification.objects.filter(user=candidate).count() == 1


def test_the_coordinator_suspends_reinstates_and_revokes_with_a_reason(
    candidate, master, organisation, coordinator
):
    row = certified(candidate, master, organisation)
    with pytest.raises(CertificationError, match="reason"):
        cert.suspend(user=candidate, level=Level.TRAINER, by=coordinator, reason=" ", on=DAY)
    cert.suspend(user=candidate, level=Level.TRAINER, by=coordinator, reason="Inquiry", on=DAY)
    assert not cert.may_teach(user=candidate, on=DAY)
    cert.reinstate(user=candidate, level=Level.TRAINER, by=coordinator, reason="Cleared", on=DAY)
    assert cert.may_teach(user=candidate, on=DAY)
    revoked = cert.revoke(
        user=candidate, level=Level.TRAINER, by=coordinator, reason="Misconduct", on=DAY
    )
    assert cert.standing(revoked, DAY) == Standing.REVOKED
    with pytest.raises(CertificationError, match="revoked"):
        cert.reinstate(user=candidate, level=Level.TRAINER, by=coordinator, reason="x", on=DAY)
    history = list(
        TrainerCertification.objects.filter(user=candidate).order_by("recorded_at", "pk")
    )
    assert [h.status for h in history] == ["certified", "suspended", "certified", "revoked"]
    assert all(h.valid_until == row.valid_until for h in history)  # nothing overwritten
    assert [h.reason for h in history] == ["", "Inquiry", "Cleared", "Misconduct"]
    # Each change is marked the latest in its turn: the revocation is the one that stands.
    assert [h.is_latest for h in history] == [False, False, False, True]
    # The master's own certification, at another level, is still theirs.
    assert TrainerCertification.objects.get(user=master).is_latest


def test_a_coordinator_of_another_organisation_cannot_suspend(candidate, master, organisation):
    certified(candidate, master, organisation)
    elsewhere = MembershipFactory(role="coordinator").user
    trainer_here = MembershipFactory(organisation=organisation, role="trainer").user
    for outsider in (elsewhere, trainer_here):
        with pytest.raises(CertificationError, match="coordinators"):
            cert.suspend(user=candidate, level=Level.TRAINER, by=outsider, reason="x", on=DAY)
    assert TrainerCertification.objects.filter(user=candidate).count() == 1


def test_a_suspension_that_outlives_the_period_ends_as_expired(candidate, master, organisation):
    row = certified(candidate, master, organisation)
    suspended = cert.suspend(
        user=candidate, level=Level.TRAINER, by=master_admin(), reason="Inquiry", on=DAY
    )
    assert cert.standing(suspended, row.valid_until + datetime.timedelta(days=1)) == (
        Standing.EXPIRED
    )


def test_the_database_refuses_a_certified_row_without_a_period(candidate):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        TrainerCertification.objects.create(
            user=candidate, level=Level.TRAINER, status="certified", valid_from=DAY
        )


def test_the_database_refuses_two_latest_rows_for_a_person_and_level(
    candidate, master, organisation
):
    from django.db import IntegrityError, transaction

    certified(candidate, master, organisation)
    cert.suspend(user=candidate, level=Level.TRAINER, by=master_admin(), reason="x", on=DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainerCertification.objects.filter(user=candidate).update(is_latest=True)


def master_admin():
    return UserFactory(is_superuser=True, is_staff=True)


def test_administrators_read_the_history_in_the_cms_and_nobody_edits_it(
    client, candidate, master, organisation
):
    row = certified(candidate, master, organisation)
    client.force_login(master_admin())
    listing = client.get("/admin/learning/trainer-certifications/")
    assert listing.status_code == 200 and candidate.display_name in listing.text
    inspect = client.get(f"/admin/learning/trainer-certifications/inspect/{row.pk}/")
    assert inspect.status_code == 200
    refused = (302, 403, 404)
    edit = f"/admin/learning/trainer-certifications/edit/{row.pk}/"
    assert client.post(edit, {"status": "revoked"}).status_code in refused
    delete = f"/admin/learning/trainer-certifications/delete/{row.pk}/"
    assert client.post(delete).status_code in refused
    row.refresh_from_db()
    assert row.status == "certified"


def test_a_trainer_cannot_read_the_certifications_in_the_cms(client, trainer, candidate, master):
    certified(candidate, master, None)
    client.force_login(trainer)
    response = client.get("/admin/learning/trainer-certifications/")
    assert response.status_code in (302, 403)
    assert candidate.display_name not in response.text
