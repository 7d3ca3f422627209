"""Cohort services: who may open a cohort and record its sessions, adding learners one by one
or from a CSV file, sessions at airports, attendance and lessons completed in class. Bad input
is refused with a message that says why and writes nothing; a double submission writes once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from courses.models import (
    Attendance,
    ClassroomSession,
    Cohort,
    CohortMember,
    CourseCompletion,
    Enrolment,
    LessonCompletion,
    TrackCourse,
    TrackPage,
)
from courses.services import lesson_complete
from courses.training import cohorts as services

from ....factories import course_index, make_course, make_lesson
from .helpers import certify, make_cohort, make_session, member

pytestmark = pytest.mark.django_db


def opening(**changes):
    fields = {
        "name": "Nairobi spring cohort",
        "language": "en",
        "starts_on": timezone.localdate(),
        "ends_on": timezone.localdate() + datetime.timedelta(days=20),
    }
    return {**fields, **changes}


def session_fields(**changes):
    fields = {
        "date": timezone.localdate(),
        "starts_at": datetime.time(9, 0),
        "duration_minutes": 120,
        "language": "en",
        "airport": "nbo",
        "venue": "Terminal 1A briefing room",
    }
    return {**fields, **changes}


# Opening a cohort


def test_a_certified_trainer_opens_a_cohort_they_lead(certified_trainer, course, organisation):
    cohort = services.cohort_create(by=certified_trainer, course=course, **opening())
    assert (cohort.organisation, cohort.trainer, cohort.created_by) == (
        organisation,
        certified_trainer,
        certified_trainer,
    )


def test_a_coordinator_opens_a_cohort_for_a_certified_trainer(
    coordinator, certified_trainer, course, organisation
):
    colleague = member(organisation, role="trainer")
    cohort = services.cohort_create(
        by=coordinator,
        course=course,
        trainer=certified_trainer,
        co_trainers=[colleague],
        **opening(),
    )
    assert cohort.trainer == certified_trainer
    assert list(cohort.co_trainers.all()) == [colleague]


def test_a_coordinator_cannot_name_an_uncertified_trainer(coordinator, trainer, course):
    with pytest.raises(ValidationError) as refused:
        services.cohort_create(by=coordinator, course=course, trainer=trainer, **opening())
    assert "is not a certified trainer" in str(refused.value.message_dict["trainer"])
    assert not Cohort.objects.exists()


@pytest.mark.parametrize(
    "status,until_days",
    [("certified", -1), ("suspended", 300), ("revoked", 300), ("candidate", 300)],
    ids=["expired", "suspended", "revoked", "candidate"],
)
def test_a_trainer_whose_certification_is_not_in_force_cannot_open_a_cohort(
    trainer, course, status, until_days
):
    certify(trainer, status=status, until_days=until_days)
    with pytest.raises(PermissionDenied, match="expired, suspended or revoked"):
        services.cohort_create(by=trainer, course=course, **opening())
    assert not Cohort.objects.exists()


def test_a_certified_trainer_without_a_verified_membership_cannot_open_a_cohort(stranger, course):
    certify(stranger)
    with pytest.raises(PermissionDenied, match="verified members"):
        services.cohort_create(by=stranger, course=course, **opening())


def test_a_co_trainer_from_another_organisation_is_refused(
    certified_trainer, course, other_organisation
):
    outsider = member(other_organisation, role="trainer")
    with pytest.raises(ValidationError) as refused:
        services.cohort_create(
            by=certified_trainer, course=course, co_trainers=[outsider], **opening()
        )
    assert "not a verified member" in str(refused.value.message_dict["co_trainers"])
    assert not Cohort.objects.exists()


def test_a_double_submitted_cohort_is_opened_once(certified_trainer, course):
    services.cohort_create(by=certified_trainer, course=course, **opening())
    with pytest.raises(ValidationError, match="already open"):
        services.cohort_create(by=certified_trainer, course=course, **opening())
    assert Cohort.objects.count() == 1


def test_a_cohort_cannot_be_moved_away_from_its_sessions(cohort, certified_trainer):
    make_session(cohort, days=-5)
    with pytest.raises(ValidationError) as refused:
        services.cohort_update(
            cohort=cohort,
            by=certified_trainer,
            trainer=certified_trainer,
            **opening(starts_on=timezone.localdate()),
        )
    assert "outside these dates" in str(refused.value.message_dict["starts_on"])
    cohort.refresh_from_db()
    assert cohort.starts_on == timezone.localdate() - datetime.timedelta(days=10)


# Learners


def test_a_verified_member_is_added_by_e_mail_and_enrolled(cohort, certified_trainer, organisation):
    person = member(organisation)
    result = services.cohort_learner_add(
        cohort=cohort, by=certified_trainer, email=person.email.upper()
    )
    assert (result.added, result.already) == (1, 0)
    assert CohortMember.objects.filter(cohort=cohort, user=person).exists()
    assert Enrolment.objects.filter(user=person, course=cohort.course).exists()


def test_adding_a_learner_twice_leaves_one_row(cohort, certified_trainer, learners):
    result = services.cohort_learner_add(
        cohort=cohort, by=certified_trainer, email=learners[0].email
    )
    assert (result.added, result.already) == (0, 1)
    assert CohortMember.objects.filter(cohort=cohort).count() == 3


@pytest.mark.parametrize("who", ["unknown", "other organisation", "awaiting verification"])
def test_only_verified_members_of_the_organisation_can_be_added(
    cohort, certified_trainer, other_organisation, organisation, who
):
    email = {
        "unknown": lambda: "nobody@example.org",
        "other organisation": lambda: member(other_organisation).email,
        "awaiting verification": lambda: member(organisation, status="requested").email,
    }[who]()
    with pytest.raises(ValidationError) as refused:
        services.cohort_learner_add(cohort=cohort, by=certified_trainer, email=email)
    assert email in refused.value.messages[0]
    assert CohortMember.objects.filter(cohort=cohort).count() == 3


def test_a_csv_file_adds_its_learners_and_ignores_those_already_in(
    cohort, certified_trainer, organisation, learners
):
    new = [member(organisation) for _ in range(2)]
    data = "email,name\n" + "\n".join(f"{p.email},{p.first_name}" for p in [*new, learners[0]])
    result = services.cohort_learners_add_from_csv(
        cohort=cohort, by=certified_trainer, data=data.encode()
    )
    assert (result.added, result.already) == (2, 1)
    assert CohortMember.objects.filter(cohort=cohort).count() == 5


@pytest.mark.parametrize(
    "bad_row,reason",
    [
        ("nobody@example.org", "Row 2: nobody has an account with the e-mail address"),
        ("not-an-address", "Row 2: “not-an-address” is not an e-mail address"),
        ("{outsider}", "Row 2: {outsider} is not a verified member of"),
        ("{first}", "Row 2: {first} appears twice"),
    ],
    ids=["unknown", "not an address", "not a member", "twice"],
)
def test_one_bad_row_refuses_the_whole_csv_file_naming_it(
    cohort, certified_trainer, organisation, other_organisation, bad_row, reason
):
    first, last = member(organisation), member(organisation)
    outsider = member(other_organisation)
    names = {"outsider": outsider.email, "first": first.email}
    lines = [first.email, bad_row.format(**names), last.email]
    with pytest.raises(ValidationError) as refused:
        services.cohort_learners_add_from_csv(
            cohort=cohort, by=certified_trainer, data="\n".join(lines).encode()
        )
    assert reason.format(**names) in " ".join(refused.value.messages)
    assert CohortMember.objects.filter(cohort=cohort).count() == 3


def test_a_file_that_is_not_plain_csv_is_refused_plainly(cohort, certified_trainer, organisation):
    first = member(organisation)
    data = f"{first.email}\n{'x' * 200_000}\n".encode()  # a field beyond the csv module's limit
    with pytest.raises(ValidationError, match="cannot be read"):
        services.cohort_learners_add_from_csv(cohort=cohort, by=certified_trainer, data=data)
    assert not CohortMember.objects.filter(cohort=cohort, user=first).exists()


def test_a_coordinator_of_another_organisation_cannot_add_learners(cohort, other_coordinator):
    with pytest.raises(PermissionDenied):
        services.cohort_learner_add(cohort=cohort, by=other_coordinator, email="x@example.org")


# Sessions


def test_a_session_at_an_airport_takes_its_code_in_capitals_and_its_country(
    cohort, certified_trainer, course
):
    lesson = course.lessons().first()
    session = services.classroom_session_create(
        cohort=cohort, by=certified_trainer, lessons=[lesson], **session_fields(airport=" add ")
    )
    assert (session.airport, session.country.code) == ("ADD", "ET")
    assert list(session.lessons.all()) == [lesson]


def test_a_session_without_an_airport_is_in_the_organisations_country(cohort, certified_trainer):
    session = services.classroom_session_create(
        cohort=cohort, by=certified_trainer, **session_fields(airport="", venue="Police academy")
    )
    assert (session.airport, session.country.code) == ("", cohort.organisation.country.code)


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"airport": "QQX"}, "airport", "“QQX” is not the IATA code of an airport."),
        (
            {"date": timezone.localdate() + datetime.timedelta(days=31)},
            "date",
            "choose a date between them",
        ),
        (
            {"date": timezone.localdate() - datetime.timedelta(days=11)},
            "date",
            "choose a date between them",
        ),
    ],
    ids=["unknown airport", "after the cohort", "before the cohort"],
)
def test_a_session_with_bad_details_is_refused_and_nothing_is_written(
    cohort, certified_trainer, changes, field, message
):
    with pytest.raises(ValidationError) as refused:
        services.classroom_session_create(
            cohort=cohort, by=certified_trainer, **session_fields(**changes)
        )
    assert message in str(refused.value.message_dict[field])
    assert not ClassroomSession.objects.exists()


def test_a_session_cannot_cover_a_lesson_of_another_course(cohort, certified_trainer):
    other = make_course(title="Corruption", slug="corruption", lessons=1)
    with pytest.raises(ValidationError) as refused:
        services.classroom_session_create(
            cohort=cohort,
            by=certified_trainer,
            lessons=[other.lessons().first()],
            **session_fields(),
        )
    assert "is not a lesson of Document abuse" in str(refused.value.message_dict["lessons"])
    assert not ClassroomSession.objects.exists()


def test_a_track_cohort_covers_the_tracks_own_lessons_and_those_of_its_courses(
    organisation, certified_trainer, course
):
    track = course_index().add_child(
        instance=TrackPage(
            title="Train the trainers",
            slug="train-the-trainers",
            summary="For trainers.",
            learning_outcomes="Teach",
            audience="trainers",
        )
    )
    TrackCourse.objects.create(track=track, course=course, sort_order=0)
    own = make_lesson(track, 1)
    cohort = make_cohort(organisation, certified_trainer, track)
    session = services.classroom_session_create(
        cohort=cohort,
        by=certified_trainer,
        lessons=[own, course.lessons().first()],
        **session_fields(),
    )
    assert session.lessons.count() == 2


def test_a_double_submitted_session_is_written_once(cohort, certified_trainer):
    services.classroom_session_create(cohort=cohort, by=certified_trainer, **session_fields())
    with pytest.raises(ValidationError, match="already has a session"):
        services.classroom_session_create(cohort=cohort, by=certified_trainer, **session_fields())
    assert ClassroomSession.objects.count() == 1


@pytest.mark.parametrize("status,until_days", [("certified", -1), ("suspended", 300)])
def test_a_lapsed_trainer_records_nothing_more_and_keeps_what_they_recorded(
    cohort, certified_trainer, learners, status, until_days
):
    session = make_session(cohort)
    services.attendance_record(
        session=session, by=certified_trainer, statuses={learners[0].pk: "present"}
    )
    certify(certified_trainer, status=status, until_days=until_days)
    with pytest.raises(PermissionDenied, match="not in force"):
        services.classroom_session_create(cohort=cohort, by=certified_trainer, **session_fields())
    with pytest.raises(PermissionDenied, match="not in force"):
        services.attendance_record(
            session=session, by=certified_trainer, statuses={learners[1].pk: "present"}
        )
    assert list(Attendance.objects.values_list("user_id", "status")) == [
        (learners[0].pk, "present")
    ]


def test_a_certified_co_trainer_records_sessions(cohort, organisation):
    colleague = certify(member(organisation, role="trainer"))
    cohort.co_trainers.add(colleague)
    session = services.classroom_session_create(cohort=cohort, by=colleague, **session_fields())
    assert session.created_by == colleague


def test_a_coordinator_does_not_record_sessions(cohort, coordinator):
    with pytest.raises(PermissionDenied, match="trainer and co-trainers"):
        services.classroom_session_create(cohort=cohort, by=coordinator, **session_fields())


# Attendance


def test_attendance_taken_again_updates_it_in_place(cohort, certified_trainer, learners):
    session = make_session(cohort)
    statuses = {learners[0].pk: "present", learners[1].pk: "absent", learners[2].pk: "excused"}
    services.attendance_record(session=session, by=certified_trainer, statuses=statuses)
    services.attendance_record(
        session=session, by=certified_trainer, statuses={learners[1].pk: "present"}
    )
    assert dict(Attendance.objects.values_list("user_id", "status")) == {
        learners[0].pk: "present",
        learners[1].pk: "present",
        learners[2].pk: "excused",
    }


def test_attendance_for_someone_not_in_the_cohort_refuses_the_whole_sheet(
    cohort, certified_trainer, learners, organisation
):
    session = make_session(cohort)
    outsider = member(organisation)
    with pytest.raises(ValidationError, match="not one. Nothing was recorded"):
        services.attendance_record(
            session=session,
            by=certified_trainer,
            statuses={learners[0].pk: "present", outsider.pk: "present"},
        )
    assert not Attendance.objects.exists()


def test_attendance_with_an_unknown_status_is_refused(cohort, certified_trainer, learners):
    session = make_session(cohort)
    with pytest.raises(ValidationError, match="“late” is not present, absent or excused"):
        services.attendance_record(
            session=session, by=certified_trainer, statuses={learners[0].pk: "late"}
        )
    assert not Attendance.objects.exists()


def test_attendance_is_not_taken_before_the_session(cohort, certified_trainer, learners):
    session = make_session(cohort, days=3)
    with pytest.raises(ValidationError, match="attendance is taken from that day on"):
        services.attendance_record(
            session=session, by=certified_trainer, statuses={learners[0].pk: "present"}
        )


# Lessons completed in class


def _attended(cohort, trainer, learners, lessons):
    session = make_session(cohort, lessons=lessons)
    services.attendance_record(
        session=session,
        by=trainer,
        statuses={learners[0].pk: "present", learners[1].pk: "absent", learners[2].pk: "present"},
    )
    return session


def test_lessons_covered_are_completed_in_class_for_those_present(
    cohort, certified_trainer, learners, course
):
    lessons = list(course.lessons())[:2]
    session = _attended(cohort, certified_trainer, learners, lessons)
    assert services.in_class_completions_record(session=session, by=certified_trainer) == 4
    rows = LessonCompletion.objects.all()
    assert {(row.user_id, row.lesson_id) for row in rows} == {
        (learner.pk, lesson.pk) for learner in (learners[0], learners[2]) for lesson in lessons
    }
    assert {(row.in_class_session_id, row.recorded_by_id, row.course_id) for row in rows} == {
        (session.pk, certified_trainer.pk, course.pk)
    }


def test_recording_in_class_twice_writes_once(cohort, certified_trainer, learners, course):
    session = _attended(cohort, certified_trainer, learners, list(course.lessons())[:1])
    services.in_class_completions_record(session=session, by=certified_trainer)
    assert services.in_class_completions_record(session=session, by=certified_trainer) == 0
    assert LessonCompletion.objects.count() == 2


def test_a_lesson_already_completed_online_is_left_as_it_was(
    cohort, certified_trainer, learners, course
):
    lesson = course.lessons().first()
    online = lesson_complete(user=learners[0], lesson=lesson)
    session = _attended(cohort, certified_trainer, learners, [lesson])
    assert services.in_class_completions_record(session=session, by=certified_trainer) == 1
    online.refresh_from_db()
    assert online.in_class_session is None


def test_the_last_lesson_completed_in_class_completes_the_course(
    cohort, certified_trainer, learners, course
):
    lessons = list(course.lessons())
    for lesson in lessons[:2]:
        lesson_complete(user=learners[0], lesson=lesson)
    session = _attended(cohort, certified_trainer, learners, lessons[2:])
    services.in_class_completions_record(session=session, by=certified_trainer)
    assert list(CourseCompletion.objects.values_list("user_id", flat=True)) == [learners[0].pk]


def test_nothing_is_completed_in_class_before_attendance_is_taken(
    cohort, certified_trainer, course
):
    session = make_session(cohort, lessons=list(course.lessons()))
    with pytest.raises(ValidationError, match="take attendance first"):
        services.in_class_completions_record(session=session, by=certified_trainer)
    assert not LessonCompletion.objects.exists()


def test_learners_added_to_a_cohort_are_told_once(organisation, django_capture_on_commit_callbacks):
    from django.core import mail

    trainer = certify(member(organisation, role="trainer"))
    learner = member(organisation)
    cohort = make_cohort(organisation, trainer, make_course(lessons=1))
    for _twice in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.cohort_learner_add(cohort=cohort, by=trainer, email=learner.email)
    [message] = mail.outbox
    assert message.to == [learner.email]
    assert cohort.name in message.subject
