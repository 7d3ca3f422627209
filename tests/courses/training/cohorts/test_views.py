"""Cohort pages: opening a cohort, its page, the attendance sheet, lessons completed in class,
and the learner's cohorts on My learning. Each page is closed to people outside its scope, and
costs the same number of queries for a small and a large cohort."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from courses.models import Attendance, ClassroomSession, Cohort, CohortMember, LessonCompletion

from .helpers import certify, make_cohort, make_session, member

pytestmark = pytest.mark.django_db


def cohort_url(cohort):
    return reverse("courses:cohort", kwargs={"cohort_id": cohort.pk})


def attendance_url(session):
    return reverse("courses:session_attendance", kwargs={"session_id": session.pk})


# Opening a cohort


def test_a_trainer_opens_a_cohort_from_the_hub(client, certified_trainer, course):
    client.force_login(certified_trainer)
    hub = client.get(reverse("courses:training")).text
    assert reverse("courses:cohort_create") in hub
    response = client.post(
        reverse("courses:cohort_create"),
        {
            "course": course.pk,
            "name": "Airside officers, March",
            "language": "en",
            "starts_on": timezone.localdate().isoformat(),
            "ends_on": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
            "trainer": certified_trainer.pk,
        },
    )
    cohort = Cohort.objects.get()
    assert response.status_code == 302
    assert response["Location"] == cohort_url(cohort)
    assert "Airside officers, March" in client.get(reverse("courses:training")).text


def test_an_expired_trainer_is_told_why_they_cannot_open_a_cohort(client, trainer):
    certify(trainer, until_days=-1)
    client.force_login(trainer)
    assert reverse("courses:cohort_create") not in client.get(reverse("courses:training")).text
    response = client.get(reverse("courses:cohort_create"))
    assert response.status_code == 403
    assert "expired, suspended or revoked" in response.text


def test_a_learner_cannot_open_a_cohort(client, officer):
    client.force_login(officer)
    assert client.get(reverse("courses:cohort_create")).status_code == 403


# Who sees a cohort


@pytest.mark.parametrize("who", ["trainer", "co-trainer", "coordinator"])
def test_the_cohorts_trainers_and_coordinator_see_it(
    client, cohort, coordinator, organisation, who
):
    colleague = member(organisation, role="trainer")
    cohort.co_trainers.add(colleague)
    person = {"trainer": cohort.trainer, "co-trainer": colleague, "coordinator": coordinator}[who]
    client.force_login(person)
    response = client.get(cohort_url(cohort))
    assert response.status_code == 200
    assert cohort.members.first().user.email in response.text


@pytest.fixture(params=["other trainer", "other coordinator", "learner in it", "stranger"])
def outsider(request, organisation, other_coordinator, learners, stranger):
    return {
        "other trainer": lambda: certify(member(organisation, role="trainer")),
        "other coordinator": lambda: other_coordinator,
        "learner in it": lambda: learners[0],
        "stranger": lambda: stranger,
    }[request.param]()


def test_a_cohort_does_not_exist_for_someone_outside_it(client, cohort, outsider):
    session = make_session(cohort)
    client.force_login(outsider)
    for url in [
        cohort_url(cohort),
        reverse("courses:cohort_edit", kwargs={"cohort_id": cohort.pk}),
        reverse("courses:session_create", kwargs={"cohort_id": cohort.pk}),
        attendance_url(session),
        reverse("courses:session_edit", kwargs={"session_id": session.pk}),
    ]:
        assert client.get(url).status_code == 404, url
    for url in [
        reverse("courses:cohort_learner_add", kwargs={"cohort_id": cohort.pk}),
        reverse("courses:session_in_class", kwargs={"session_id": session.pk}),
        attendance_url(session),
    ]:
        assert client.post(url, {"email": outsider.email}).status_code == 404, url
    assert CohortMember.objects.filter(cohort=cohort).count() == 3
    assert not LessonCompletion.objects.exists()


def test_the_hub_lists_only_the_persons_own_cohorts(
    client, cohort, organisation, other_organisation, course
):
    other_trainer = certify(member(other_organisation, role="trainer"))
    elsewhere = make_cohort(other_organisation, other_trainer, course, name="Cotonou cohort")
    client.force_login(cohort.trainer)
    hub = client.get(reverse("courses:training")).text
    assert cohort_url(cohort) in hub
    assert cohort_url(elsewhere) not in hub


def test_a_coordinator_may_not_take_attendance(client, cohort, coordinator, learners):
    session = make_session(cohort)
    client.force_login(coordinator)
    assert client.get(attendance_url(session)).status_code == 200
    response = client.post(attendance_url(session), {f"learner-{learners[0].pk}": "present"})
    assert response.status_code == 403
    assert not Attendance.objects.exists()


# Learners


def test_a_csv_file_with_a_bad_row_adds_nobody_and_says_which_row(client, cohort, organisation):
    good = member(organisation)
    upload = SimpleUploadedFile(
        "learners.csv", f"email\n{good.email}\nghost@example.org\n".encode(), "text/csv"
    )
    client.force_login(cohort.trainer)
    url = reverse("courses:cohort_learners_csv", kwargs={"cohort_id": cohort.pk})
    response = client.post(url, {"file": upload}, follow=True)
    assert "No learners were added. Row 3: nobody has an account" in response.text
    assert not CohortMember.objects.filter(user=good).exists()


def test_a_learner_is_added_by_e_mail_from_the_cohort_page(client, cohort, organisation):
    person = member(organisation)
    client.force_login(cohort.trainer)
    url = reverse("courses:cohort_learner_add", kwargs={"cohort_id": cohort.pk})
    response = client.post(url, {"email": person.email}, follow=True)
    assert "1 learner added." in response.text
    assert person.email in response.text


# Sessions and attendance


def test_a_session_at_an_unknown_airport_is_refused_on_the_form(client, cohort, course):
    client.force_login(cohort.trainer)
    url = reverse("courses:session_create", kwargs={"cohort_id": cohort.pk})
    response = client.post(
        url,
        {
            "date": timezone.localdate().isoformat(),
            "starts_at": "09:00",
            "duration_minutes": 60,
            "airport": "zzq",
            "language": "en",
            "lessons": [course.lessons().first().pk],
        },
    )
    assert response.status_code == 200
    assert "“ZZQ” is not the IATA code of an airport." in response.text
    assert not ClassroomSession.objects.exists()


def test_a_session_is_added_and_shown_with_its_airport(client, cohort, course):
    client.force_login(cohort.trainer)
    url = reverse("courses:session_create", kwargs={"cohort_id": cohort.pk})
    response = client.post(
        url,
        {
            "date": timezone.localdate().isoformat(),
            "starts_at": "09:00",
            "duration_minutes": 60,
            "airport": "nbo",
            "venue": "Cargo terminal",
            "language": "en",
            "lessons": [course.lessons().first().pk],
        },
        follow=True,
    )
    assert "Jomo Kenyatta International Airport (NBO), Kenya" in response.text
    assert ClassroomSession.objects.get().airport == "NBO"


def test_the_attendance_sheet_records_everyone_at_once_and_again_in_place(client, cohort, learners):
    session = make_session(cohort)
    client.force_login(cohort.trainer)
    sheet = {f"learner-{learners[0].pk}": "present", f"learner-{learners[1].pk}": "absent"}
    for _ in range(2):
        assert client.post(attendance_url(session), sheet).status_code == 302
    sheet[f"learner-{learners[1].pk}"] = "excused"
    client.post(attendance_url(session), sheet)
    assert dict(Attendance.objects.values_list("user_id", "status")) == {
        learners[0].pk: "present",
        learners[1].pk: "excused",
    }
    page = client.get(cohort_url(cohort)).text
    assert "<td>1</td>" in page  # one present, one excused


def test_a_forged_learner_on_the_attendance_sheet_is_refused_plainly(
    client, cohort, learners, stranger
):
    session = make_session(cohort)
    client.force_login(cohort.trainer)
    response = client.post(
        attendance_url(session),
        {f"learner-{learners[0].pk}": "present", f"learner-{stranger.pk}": "present"},
    )
    assert response.status_code == 400
    assert "only be taken for learners in this cohort" in response.text
    assert not Attendance.objects.exists()


def test_a_garbled_attendance_sheet_is_refused(client, cohort, learners):
    session = make_session(cohort)
    client.force_login(cohort.trainer)
    response = client.post(attendance_url(session), {"learner-abc": "present"})
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_an_expired_trainer_sees_their_cohort_but_records_nothing(client, cohort, learners):
    session = make_session(cohort)
    certify(cohort.trainer, until_days=-1)
    client.force_login(cohort.trainer)
    assert client.get(cohort_url(cohort)).status_code == 200
    response = client.post(attendance_url(session), {f"learner-{learners[0].pk}": "present"})
    assert response.status_code == 403
    assert "not in force" in response.text
    url = reverse("courses:session_create", kwargs={"cohort_id": cohort.pk})
    assert client.get(url).status_code == 403


def test_lessons_completed_in_class_show_on_the_learners_course_page(
    client, cohort, learners, course
):
    lesson = course.lessons().first()
    session = make_session(cohort, lessons=[lesson])
    client.force_login(cohort.trainer)
    client.post(attendance_url(session), {f"learner-{learners[0].pk}": "present"})
    url = reverse("courses:session_in_class", kwargs={"session_id": session.pk})
    response = client.post(url, follow=True)
    assert "1 lesson completion recorded in class." in response.text
    assert LessonCompletion.objects.get().in_class_session == session
    client.force_login(learners[0])
    assert "completed in class" in client.get(course.url).text
    client.force_login(learners[1])
    assert "completed in class" not in client.get(course.url).text


# My learning


def test_a_learner_sees_their_cohorts_and_upcoming_sessions(
    client, cohort, learners, organisation, course
):
    make_session(cohort, days=2, airport="ADD", country="ET")
    make_session(cohort, days=-2, airport="MBA")
    other = make_cohort(organisation, cohort.trainer, course, name="Someone else's cohort")
    client.force_login(learners[0])
    page = client.get(reverse("courses:my_learning")).text
    assert cohort.name in page
    assert "Bole International Airport (ADD), Ethiopia" in page
    assert "Mombasa Moi International Airport" not in page  # past
    assert other.name not in page


# Query counts


def _learners(organisation, cohort, count):
    people = [member(organisation) for _ in range(count)]
    CohortMember.objects.bulk_create([CohortMember(cohort=cohort, user=p) for p in people])
    return people


@pytest.mark.parametrize("size", [3, 30])
def test_the_cohort_page_costs_the_same_for_3_and_30_learners(
    client, organisation, certified_trainer, course, django_assert_num_queries, size
):
    cohort = make_cohort(organisation, certified_trainer, course)
    people = _learners(organisation, cohort, size)
    lessons = list(course.lessons())
    for n in range(3):
        session = make_session(cohort, days=-n, lessons=lessons[:1])
        Attendance.objects.bulk_create(
            [Attendance(session=session, user=p, status="present") for p in people]
        )
    LessonCompletion.objects.bulk_create(
        [LessonCompletion(user=p, lesson=lessons[0], course=course) for p in people]
    )
    client.force_login(certified_trainer)
    client.get(cohort_url(cohort))
    # Session, user, cohort, co-trainers, certification, learners, completions, course
    # completions, sessions with attendance counts (no user bar: the page is not the CMS's).
    with django_assert_num_queries(9):
        response = client.get(cohort_url(cohort))
    assert response.text.count("1 of 3 lessons done") == size


@pytest.mark.parametrize("size", [3, 30])
def test_the_attendance_page_costs_the_same_for_3_and_30_learners(
    client, organisation, certified_trainer, course, django_assert_num_queries, size
):
    cohort = make_cohort(organisation, certified_trainer, course)
    people = _learners(organisation, cohort, size)
    session = make_session(cohort, lessons=list(course.lessons()))
    Attendance.objects.bulk_create(
        [Attendance(session=session, user=p, status="absent") for p in people]
    )
    client.force_login(certified_trainer)
    client.get(attendance_url(session))
    # Session, user, session with its cohort, co-trainers, lessons, certification, learners,
    # attendance.
    with django_assert_num_queries(8):
        response = client.get(attendance_url(session))
    assert response.text.count('value="absent" checked') == size


@pytest.mark.parametrize("size", [1, 10])
def test_my_learning_costs_the_same_for_1_and_10_cohorts(
    client, organisation, certified_trainer, course, officer, django_assert_num_queries, size
):
    for n in range(size):
        cohort = make_cohort(organisation, certified_trainer, course, name=f"Cohort {n}")
        CohortMember.objects.create(cohort=cohort, user=officer)
        for days in range(3):
            make_session(cohort, days=days)
    client.force_login(officer)
    client.get(reverse("courses:my_learning"))
    # The session, the user, the learner's record, the cohorts with their sessions, the
    # certificates.
    with django_assert_num_queries(5):
        response = client.get(reverse("courses:my_learning"))
    assert response.text.count("Jomo Kenyatta International Airport") == 3 * size


# Editing


def _cohort_post(cohort, **changes):
    data = {
        "name": cohort.name,
        "language": cohort.language,
        "starts_on": cohort.starts_on.isoformat(),
        "ends_on": cohort.ends_on.isoformat(),
        "trainer": cohort.trainer_id,
    }
    return {**data, **changes}


def test_a_coordinator_renames_a_cohort_and_names_a_co_trainer(
    client, cohort, coordinator, organisation
):
    colleague = member(organisation, role="trainer")
    client.force_login(coordinator)
    url = reverse("courses:cohort_edit", kwargs={"cohort_id": cohort.pk})
    response = client.post(url, _cohort_post(cohort, name="Renamed", co_trainers=[colleague.pk]))
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.name == "Renamed"
    assert list(cohort.co_trainers.all()) == [colleague]


def test_a_cohort_keeps_a_trainer_whose_certification_lapsed_since(client, cohort, coordinator):
    certify(cohort.trainer, until_days=-1)
    client.force_login(coordinator)
    url = reverse("courses:cohort_edit", kwargs={"cohort_id": cohort.pk})
    assert client.post(url, _cohort_post(cohort, name="Archived")).status_code == 302
    cohort.refresh_from_db()
    assert cohort.name == "Archived"


def test_a_lapsed_trainer_cannot_edit_their_cohort(client, cohort):
    certify(cohort.trainer, status="revoked")
    client.force_login(cohort.trainer)
    url = reverse("courses:cohort_edit", kwargs={"cohort_id": cohort.pk})
    response = client.post(url, _cohort_post(cohort, name="Mine"))
    assert response.status_code == 403
    cohort.refresh_from_db()
    assert cohort.name != "Mine"


def test_a_session_moved_outside_the_cohort_is_refused_on_the_form(client, cohort):
    session = make_session(cohort)
    client.force_login(cohort.trainer)
    url = reverse("courses:session_edit", kwargs={"session_id": session.pk})
    late = cohort.ends_on + datetime.timedelta(days=1)
    response = client.post(
        url,
        {
            "date": late.isoformat(),
            "starts_at": "10:00",
            "duration_minutes": 60,
            "airport": "NBO",
            "language": "en",
        },
    )
    assert response.status_code == 200
    assert "choose a date between them" in response.text
    session.refresh_from_db()
    assert session.date == timezone.localdate()


@pytest.mark.parametrize("who", ["co-trainer", "coordinator"])
def test_the_hub_lists_cohorts_a_person_co_trains_or_coordinates(
    client, cohort, coordinator, organisation, other_organisation, course, who
):
    colleague = member(organisation, role="trainer")
    cohort.co_trainers.add(colleague)
    other_trainer = certify(member(other_organisation, role="trainer"))
    elsewhere = make_cohort(other_organisation, other_trainer, course, name="Cotonou cohort")
    client.force_login(colleague if who == "co-trainer" else coordinator)
    hub = client.get(reverse("courses:training")).text
    assert cohort_url(cohort) in hub
    assert cohort_url(elsewhere) not in hub
