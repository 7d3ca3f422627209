"""Observed sessions on a versioned rubric, and the requirements of a trainer certification."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses.models import (
    ClassroomSession,
    Cohort,
    CoursePage,
    ObservedSession,
    Rubric,
    TrainerCertification,
)
from courses.training import certification as cert
from courses.training import observations, requirements
from courses.training.certification import CertificationError, Level

from ...factories import MembershipFactory, UserFactory
from .helpers import FAIL, PASS, complete, complete_track, make_master, make_trainer_track, observe

pytestmark = pytest.mark.django_db


@pytest.fixture
def master(organisation):
    return make_master(MembershipFactory(organisation=organisation, role="trainer").user)


@pytest.fixture
def candidate(organisation):
    return MembershipFactory(organisation=organisation, role="trainer").user


def test_version_one_of_the_rubric_has_five_criteria_and_its_thresholds():
    rubric = observations.rubric_current()
    assert rubric.version == 1
    assert [c.key for c in observations.criteria_of(rubric)] == [
        "preparation",
        "accuracy",
        "scenario",
        "inclusiveness",
        "timing",
    ]
    assert {c.threshold for c in observations.criteria_of(rubric)} == {2}
    assert rubric.overall_threshold == Decimal("3.00")
    assert observations.rubric_current() == rubric and Rubric.objects.count() == 1


def test_a_pass_needs_every_criterion_and_the_average(master, candidate):
    passed = observe(candidate, master)
    assert (passed.passed, passed.overall) == (True, Decimal("3.20"))
    low_one = observe(candidate, master, scores=FAIL)  # average 3.4, accuracy 1
    assert (low_one.passed, low_one.overall) == (False, Decimal("3.40"))
    low_average = observe(candidate, master, scores={k: 2 for k in PASS})
    assert not low_average.passed
    assert [s.criterion for s in passed.scores.all()] == list(PASS)


def test_a_used_rubric_is_never_edited_and_a_change_is_a_new_version(master, candidate):
    used = observe(candidate, master).rubric
    used.overall_threshold = Decimal("2.00")
    with pytest.raises(ValueError, match="never edited"):
        used.save()
    v2 = observations.rubric_publish(
        criteria=[{"key": "accuracy", "label": "Accuracy", "description": "", "threshold": 3}],
        overall_threshold=Decimal("3.5"),
    )
    assert v2.version == 2 and observations.rubric_current() == v2
    used.refresh_from_db()
    assert used.overall_threshold == Decimal("3.00")
    assert ObservedSession.objects.get().rubric == used  # the record keeps its version


def test_a_rubric_with_a_bad_threshold_is_refused():
    with pytest.raises(ValidationError, match="threshold"):
        observations.rubric_publish(
            criteria=[{"key": "x", "label": "X", "threshold": 5}], overall_threshold=Decimal(3)
        )
    assert not Rubric.objects.exists()


def test_the_same_form_submitted_twice_records_once(master, candidate):
    token = uuid.uuid4()
    first = observe(candidate, master, token=token)
    again = observe(candidate, master, token=token)
    assert first == again and ObservedSession.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("self", "their own session"),
        ("trainer", "master trainer"),
        ("expired", "master trainer"),
    ],
)
def test_an_observer_who_may_not_observe_is_refused(master, candidate, organisation, who, message):
    observer = {
        "self": candidate,
        "trainer": MembershipFactory(organisation=organisation, role="trainer").user,
        "expired": make_master(
            UserFactory(), since=timezone.localdate() - datetime.timedelta(days=800)
        ),
    }[who]
    with pytest.raises(ValidationError, match=message):
        observe(candidate, observer)
    assert not ObservedSession.objects.exists()


def test_a_master_certified_after_the_session_cannot_rate_it(candidate):
    late = make_master(UserFactory(), since=timezone.localdate() - datetime.timedelta(days=3))
    with pytest.raises(ValidationError, match="on the session's date"):
        observe(
            candidate,
            late,
            on=timezone.localdate() - datetime.timedelta(days=5),
            today=timezone.localdate(),
        )


def test_a_suspended_master_cannot_observe(master, candidate):
    cert.suspend(user=master, level=Level.MASTER, by=UserFactory(is_superuser=True), reason="x")
    with pytest.raises(ValidationError, match="master trainer"):
        observe(candidate, master)


def test_an_observer_who_co_delivered_cannot_rate_the_session(master, candidate, organisation):
    track = make_trainer_track()
    cohort = Cohort.objects.create(
        organisation=organisation,
        course=track,
        name="Spring",
        language="en",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        trainer=candidate,
    )
    cohort.co_trainers.add(master)
    session = ClassroomSession.objects.create(
        cohort=cohort,
        date=timezone.localdate(),
        starts_at=datetime.time(9),
        duration_minutes=60,
        country="KE",
        language="en",
    )
    with pytest.raises(ValidationError, match="co-delivered"):
        observe(candidate, master, classroom_session=session)
    with pytest.raises(ValidationError, match="co-delivered"):
        observe(candidate, master, co_trainers=[master])
    cohort.co_trainers.clear()
    record = observe(candidate, master, classroom_session=session)
    assert record.classroom_session == session


def test_bad_scores_are_refused_whole_with_each_reason(master, candidate):
    with pytest.raises(ValidationError) as refused:
        observe(candidate, master, scores={**PASS, "accuracy": 5, "timing": None, "jokes": 4})
    text = " ".join(refused.value.messages)
    assert "Accuracy from 1 to 4" in text and "Timing from 1 to 4" in text
    assert "does not have" in text
    assert not ObservedSession.objects.exists()


def test_a_future_session_and_an_unverified_candidate_are_refused(master, organisation):
    newcomer = MembershipFactory(organisation=organisation, status="requested").user
    with pytest.raises(ValidationError) as refused:
        observe(
            newcomer,
            master,
            on=timezone.localdate() + datetime.timedelta(days=1),
            today=timezone.localdate(),
        )
    assert "future" in str(refused.value) and "verified member" in str(refused.value)


def test_the_checklist_lists_each_course_the_track_and_the_observation(master, candidate):
    track = make_trainer_track()
    checklist = requirements.trainer_checklist(user=candidate)
    assert [i.kind for i in checklist.items] == ["course", "course", "track", "observation"]
    assert not checklist.complete and len(checklist.left) == 4
    complete_track(candidate, track)
    observe(candidate, master, scores=FAIL)
    checklist = requirements.trainer_checklist(user=candidate)
    assert [i.kind for i in checklist.left] == ["observation"]
    observe(candidate, master)
    assert requirements.trainer_checklist(user=candidate).complete


def test_a_trainer_is_certified_only_with_every_requirement(master, candidate, organisation):
    track = make_trainer_track()
    complete(candidate, track.track_courses.first().course)
    with pytest.raises(CertificationError, match="not met every requirement") as refused:
        cert.certify(
            user=candidate, level=Level.TRAINER, certified_by=master, organisation=None, evidence=""
        )
    assert "Train the trainers" in str(refused.value)
    for tc in list(track.track_courses.all())[1:]:
        complete(candidate, tc.course)
    complete(candidate, track)
    observed = observe(candidate, master)
    row = cert.certify(
        user=candidate, level=Level.TRAINER, certified_by=master, organisation=None, evidence=""
    )
    assert row.observed_session == observed
    assert TrainerCertification.objects.filter(user=candidate).count() == 1


def test_without_the_trainers_track_nobody_is_certified(master, candidate):
    with pytest.raises(CertificationError, match="track is not published"):
        cert.certify(
            user=candidate, level=Level.TRAINER, certified_by=master, organisation=None, evidence=""
        )


@pytest.fixture
def certified(master, candidate, organisation, settings):
    settings.FLIGHTPATH_REFRESHER_SLUG = "refresher"
    complete_track(candidate)
    observe(candidate, master)
    return cert.certify(
        user=candidate,
        level=Level.TRAINER,
        certified_by=master,
        organisation=organisation,
        evidence="",
    )


def test_renewal_needs_the_refresher_completed_inside_the_window(certified, candidate):
    from ...factories import make_course

    refresher = make_course(title="Refresher", slug="refresher", lessons=1)
    window_opens = certified.valid_until - datetime.timedelta(days=90)
    day = window_opens + datetime.timedelta(days=10)
    completion = complete(candidate, refresher, on=window_opens - datetime.timedelta(days=1))
    with pytest.raises(CertificationError, match="Complete the refresher, Refresher"):
        cert.renew(user=candidate, level=Level.TRAINER, recorded_by=candidate, evidence="", on=day)
    completion.delete()
    complete(candidate, refresher, on=window_opens)
    renewed = cert.renew(
        user=candidate, level=Level.TRAINER, recorded_by=candidate, evidence="", on=day
    )
    assert renewed.valid_from == certified.valid_until + datetime.timedelta(days=1)


def test_a_later_renewal_retakes_the_refresher_quiz_inside_the_window(
    certified, candidate, settings, tmp_path
):
    """A completion is recorded once, so a trainer who completed the refresher for an earlier
    renewal renews again by passing its final quiz again inside the window."""
    from assessments.models import Attempt

    from ...assessments.test_quiz_audit import SMALL
    from ...factories import make_quiz_from_text

    quiz = make_quiz_from_text(tmp_path, SMALL, audience="public")
    settings.FLIGHTPATH_REFRESHER_SLUG = f"for-{quiz.slug}"
    refresher = CoursePage.objects.get(slug=settings.FLIGHTPATH_REFRESHER_SLUG)
    window_opens = certified.valid_until - datetime.timedelta(days=90)
    day = window_opens + datetime.timedelta(days=10)
    complete(candidate, refresher, on=window_opens - datetime.timedelta(days=700))

    def passed_on(on, number):
        at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(10)))
        Attempt.objects.create(
            user=candidate,
            quiz=quiz,
            revision=quiz.latest_revision,
            number=number,
            status=Attempt.Status.SUBMITTED,
            submitted_at=at,
            passed=True,
        )

    passed_on(window_opens - datetime.timedelta(days=1), 1)  # too early to count
    with pytest.raises(CertificationError, match="Complete the refresher"):
        cert.renew(user=candidate, level=Level.TRAINER, recorded_by=candidate, evidence="", on=day)
    passed_on(window_opens + datetime.timedelta(days=2), 2)
    renewed = cert.renew(
        user=candidate, level=Level.TRAINER, recorded_by=candidate, evidence="", on=day
    )
    assert renewed.valid_from == certified.valid_until + datetime.timedelta(days=1)
