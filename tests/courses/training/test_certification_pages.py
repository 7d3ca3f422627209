"""The certification pages: a person's own certification, observed sessions for master
trainers, and an organisation's trainers for its coordinators; each closed outside its scope."""

import datetime
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.models import ObservedSession, TrainerCertification
from courses.training import certification as cert
from courses.training.certification import Level

from ...factories import MembershipFactory, UserFactory, make_course
from .helpers import PASS, complete, complete_track, make_master, make_trainer_track, observe

pytestmark = pytest.mark.django_db

MINE = reverse("courses:my_certification")
OBSERVATIONS = reverse("courses:observations")
NEW = reverse("courses:observation_new")


@pytest.fixture
def master(organisation):
    return make_master(MembershipFactory(organisation=organisation, role="trainer").user)


@pytest.fixture
def candidate(organisation):
    return MembershipFactory(organisation=organisation, role="trainer").user


def rubric_post(candidate, track, **extra):
    data = {
        "email": candidate.email,
        "token": str(uuid.uuid4()),
        "date": timezone.localdate().isoformat(),
        "course": track.pk,
        **{f"score_{k}": v for k, v in PASS.items()},
        "note_scenario": "Clear debrief.",
    }
    return {**data, **extra}


def certified_trainer(person, organisation, until=None):
    until = until or cert.add_months(timezone.localdate(), 12)
    return TrainerCertification.objects.create(
        user=person,
        level=Level.TRAINER,
        status="certified",
        valid_from=cert.add_months(until, -24),
        valid_until=until,
        organisation=organisation,
    )


# My certification


def test_a_candidate_sees_what_is_left_to_be_certified(client, candidate):
    track = make_trainer_track()
    complete(candidate, track.track_courses.first().course)
    client.force_login(candidate)
    page = client.get(MINE)
    assert page.status_code == 200
    text = page.text
    assert "What is left to be certified" in text and "Trainer course 0" in text
    assert text.count("Done on") == 1 and text.count("Not yet") == 3
    assert "A session observed and passed on the rubric" in text


def test_a_visitor_is_asked_to_sign_in_for_my_certification(client):
    assert client.get(MINE).status_code == 302


def test_my_certification_shows_my_history_and_nobody_elses(client, candidate, organisation):
    certified_trainer(candidate, organisation)
    other = UserFactory(first_name="Zebulon")
    certified_trainer(other, organisation)
    TrainerCertification.objects.filter(user=other).update(evidence="Secret evidence")
    client.force_login(candidate)
    text = client.get(MINE).text
    assert "Certified" in text and "valid until" in text
    assert "What is left to be certified" not in text
    assert "Secret evidence" not in text


@pytest.mark.parametrize("rows", [1, 6])
def test_my_certification_query_count_does_not_grow_with_the_history(
    client, candidate, master, organisation, django_assert_num_queries, rows
):
    make_trainer_track()
    for _n in range(rows):
        observe(candidate, master)
        TrainerCertification.objects.create(
            user=candidate, level=Level.TRAINER, status="candidate", organisation=organisation
        )
    client.force_login(candidate)
    client.get(MINE)  # warms the session and the site's root paths
    with django_assert_num_queries(8):
        assert client.get(MINE).status_code == 200


@pytest.fixture
def refresher(settings):
    settings.FLIGHTPATH_REFRESHER_SLUG = "refresher"
    return make_course(title="Refresher", slug="refresher", lessons=1)


def test_a_trainer_renews_after_the_refresher_inside_the_window(
    client, candidate, organisation, refresher
):
    row = certified_trainer(
        candidate, organisation, until=timezone.localdate() + datetime.timedelta(days=30)
    )
    client.force_login(candidate)
    page = client.get(MINE).text
    assert "Refresher" in page and "Renew my certification" not in page
    refused = client.post(reverse("courses:certification_renew"), follow=True)
    assert "cannot be renewed yet" in refused.text
    complete(candidate, refresher, on=timezone.localdate())
    assert "Renew my certification" in client.get(MINE).text
    client.post(reverse("courses:certification_renew"))
    client.post(reverse("courses:certification_renew"))  # a second click renews nothing more
    renewed = cert.latest(user=candidate, level=Level.TRAINER)
    assert renewed.valid_from == row.valid_until + datetime.timedelta(days=1)
    assert TrainerCertification.objects.filter(user=candidate).count() == 2


# Observed sessions


def test_a_master_finds_a_candidate_by_their_whole_address(client, master, candidate):
    client.force_login(master)
    found = client.get(NEW, {"email": candidate.email.upper()})
    assert candidate.display_name in found.text and 'name="score_accuracy"' in found.text
    partial = client.get(NEW, {"email": "person@example.org"})
    assert "No verified member has this address" in partial.text
    assert 'name="score_accuracy"' not in partial.text


def test_a_master_records_a_session_once_however_often_it_is_submitted(client, master, candidate):
    track = make_trainer_track()
    client.force_login(master)
    data = rubric_post(candidate, track)
    first = client.post(NEW, data)
    record = ObservedSession.objects.get()
    assert first.status_code == 302 and first["Location"] == reverse(
        "courses:observation", args=[record.pk]
    )
    again = client.post(NEW, data, follow=True)
    assert "already recorded" in again.text
    assert ObservedSession.objects.count() == 1
    assert record.passed and record.scores.get(criterion="scenario").note == "Clear debrief."


def test_a_rubric_with_a_missing_score_is_refused_and_writes_nothing(client, master, candidate):
    track = make_trainer_track()
    client.force_login(master)
    data = rubric_post(candidate, track)
    del data["score_timing"]
    response = client.post(NEW, data)
    assert response.status_code == 200 and "This field is required" in response.text
    assert not ObservedSession.objects.exists()


def test_a_master_who_co_delivered_is_refused_with_the_reason(client, master, candidate):
    track = make_trainer_track()
    client.force_login(master)
    response = client.post(NEW, rubric_post(candidate, track, co_trainers=master.email))
    assert response.status_code == 200 and "co-delivered" in response.text
    assert not ObservedSession.objects.exists()


def test_a_trainer_who_is_no_master_cannot_record(client, candidate, organisation):
    trainer = MembershipFactory(organisation=organisation, role="trainer").user
    certified_trainer(trainer, organisation)
    client.force_login(trainer)
    assert client.get(NEW, {"email": candidate.email}).status_code == 403
    assert client.post(NEW, rubric_post(candidate, make_trainer_track())).status_code == 403
    assert client.get(OBSERVATIONS).status_code == 403
    assert not ObservedSession.objects.exists()


@pytest.mark.parametrize("count", [1, 7])
def test_a_master_lists_only_the_sessions_they_observed(
    client, master, candidate, organisation, django_assert_num_queries, count
):
    other_master = make_master(UserFactory())
    hidden = observe(candidate, other_master)
    for _n in range(count):
        observe(MembershipFactory(organisation=organisation).user, master)
    client.force_login(master)
    client.get(OBSERVATIONS)
    with django_assert_num_queries(4):
        page = client.get(OBSERVATIONS)
    assert page.text.count('href="/training/observations/') == count
    assert reverse("courses:observation", args=[hidden.pk]) not in page.text


def test_who_may_read_an_observed_session(
    client, master, candidate, coordinator, other_coordinator, trainer
):
    record = observe(candidate, master)
    url = reverse("courses:observation", args=[record.pk])
    for reader in (master, candidate, coordinator):
        client.force_login(reader)
        assert client.get(url).status_code == 200, reader
    for outsider in (other_coordinator, trainer, make_master(UserFactory())):
        client.force_login(outsider)
        assert client.get(url).status_code == 404, outsider


def test_the_observer_certifies_the_candidate_once_every_requirement_is_met(
    client, master, candidate
):
    record = observe(candidate, master)
    url = reverse("courses:observation", args=[record.pk])
    certify = reverse("courses:observation_certify", args=[record.pk])
    client.force_login(master)
    page = client.get(url).text
    assert "Still left before they can be certified" in page and "as a trainer" not in page
    refused = client.post(certify, follow=True)
    assert "not met every requirement" in refused.text
    assert not TrainerCertification.objects.filter(user=candidate).exists()
    complete_track(candidate)
    assert "as a trainer" in client.get(url).text
    client.post(certify)
    again = client.post(certify, follow=True)
    assert "renew it instead" in again.text
    row = TrainerCertification.objects.get(user=candidate)
    assert (row.certified_by, row.observed_session) == (master, record)


def test_nobody_outside_the_session_certifies_its_candidate(client, master, candidate):
    record = observe(candidate, master)
    complete_track(candidate)
    client.force_login(make_master(UserFactory()))
    assert client.post(reverse("courses:observation_certify", args=[record.pk])).status_code == 404
    client.force_login(candidate)
    client.post(reverse("courses:observation_certify", args=[record.pk]))
    assert not TrainerCertification.objects.filter(user=candidate).exists()


# An organisation's trainers


def trainers_url(organisation):
    return reverse("courses:organisation_trainers", args=[organisation.slug])


def change_url(organisation, person, action, level="trainer"):
    return reverse(
        "courses:certification_change", args=[organisation.slug, person.pk, level, action]
    )


@pytest.mark.parametrize("count", [1, 6])
def test_a_coordinator_lists_the_trainers_and_candidates_of_their_organisation(
    client, coordinator, organisation, other_organisation, django_assert_num_queries, count
):
    make_trainer_track()
    for n in range(count):
        person = MembershipFactory(organisation=organisation, role="trainer").user
        if n % 2:
            certified_trainer(person, organisation)
    outsider = MembershipFactory(organisation=other_organisation, role="trainer").user
    client.force_login(coordinator)
    client.get(trainers_url(organisation))
    with django_assert_num_queries(8):
        page = client.get(trainers_url(organisation))
    assert page.text.count('<th scope="row">') == count
    assert outsider.email not in page.text


def test_the_trainers_list_is_closed_to_other_organisations_and_to_trainers(
    client, organisation, other_coordinator, trainer
):
    for outsider in (other_coordinator, trainer):
        client.force_login(outsider)
        assert client.get(trainers_url(organisation)).status_code == 404


def test_a_coordinator_suspends_after_confirming_with_a_reason(
    client, coordinator, candidate, organisation
):
    certified_trainer(candidate, organisation)
    client.force_login(coordinator)
    url = change_url(organisation, candidate, "suspend")
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Reason" in confirm.text
    assert cert.latest(user=candidate, level=Level.TRAINER).status == "certified"
    empty = client.post(url, {"reason": "  "})
    assert empty.status_code == 200 and "This field is required" in empty.text
    assert TrainerCertification.objects.filter(user=candidate).count() == 1
    done = client.post(url, {"reason": "Inquiry opened"})
    assert done.status_code == 302
    row = cert.latest(user=candidate, level=Level.TRAINER)
    assert (row.status, row.reason, row.recorded_by) == ("suspended", "Inquiry opened", coordinator)
    twice = client.post(url, {"reason": "Inquiry opened"})
    assert twice.status_code == 200 and "suspended" in twice.text
    assert TrainerCertification.objects.filter(user=candidate).count() == 2
    client.post(change_url(organisation, candidate, "revoke"), {"reason": "Misconduct"})
    assert cert.latest(user=candidate, level=Level.TRAINER).status == "revoked"


def test_a_change_needs_the_csrf_token(coordinator, candidate, organisation):
    certified_trainer(candidate, organisation)
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = client.post(change_url(organisation, candidate, "revoke"), {"reason": "x"})
    assert response.status_code == 403
    assert cert.latest(user=candidate, level=Level.TRAINER).status == "certified"


def test_a_coordinator_changes_no_certification_of_another_organisation(
    client, candidate, organisation, other_organisation, other_coordinator, coordinator
):
    certified_trainer(candidate, organisation)
    client.force_login(other_coordinator)
    assert client.get(change_url(organisation, candidate, "revoke")).status_code == 404
    assert (
        client.post(change_url(other_organisation, candidate, "revoke"), {"reason": "x"})
    ).status_code == 404
    client.force_login(coordinator)
    assert client.get(change_url(organisation, candidate, "erase")).status_code == 404
    assert cert.latest(user=candidate, level=Level.TRAINER).status == "certified"


# The hub and the CMS


def test_the_hub_links_each_person_to_their_certification_pages(
    client, master, coordinator, trainer, organisation
):
    client.force_login(trainer)
    hub = client.get(reverse("courses:training")).text
    assert MINE in hub and OBSERVATIONS not in hub and trainers_url(organisation) not in hub
    client.force_login(master)
    assert OBSERVATIONS in client.get(reverse("courses:training")).text
    client.force_login(coordinator)
    assert trainers_url(organisation) in client.get(reverse("courses:training")).text


def test_administrators_read_rubrics_and_observed_sessions_and_nobody_edits_them(
    client, master, candidate, trainer
):
    record = observe(candidate, master)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for prefix, pk in (("observed-sessions", record.pk), ("rubrics", record.rubric_id)):
        assert client.get(f"/admin/learning/{prefix}/").status_code == 200
        assert client.get(f"/admin/learning/{prefix}/inspect/{pk}/").status_code == 200
        assert client.post(f"/admin/learning/{prefix}/edit/{pk}/").status_code in (302, 403, 404)
        assert client.post(f"/admin/learning/{prefix}/delete/{pk}/").status_code in (
            302,
            403,
            404,
        )
    assert ObservedSession.objects.filter(pk=record.pk).exists()
    client.force_login(trainer)
    assert client.get("/admin/learning/observed-sessions/").status_code in (302, 403)
