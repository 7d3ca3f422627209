"""Cohorts delivered under a registry programme, and the results the registry counts from them:
participants trained, completions and certified trainers, for many programmes at once."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.programs.models import Programme
from cms.programs.results import ProgrammeResults, programme_results
from courses.dashboards import results as summary
from courses.models import (
    Attendance,
    Cohort,
    CohortMember,
    CourseCompletion,
    ObservedSession,
    TrainerCertification,
)
from courses.training import cohorts as services
from courses.training import observations
from courses.training.programme_selectors import programme_results as count_results

from ....factories import make_course
from ....programs.helpers import make_programme
from .helpers import certify, make_cohort, make_session, member

pytestmark = pytest.mark.django_db


def _certified(person, *, since, observed=None):
    return TrainerCertification.objects.create(
        user=person,
        level="trainer",
        status="certified",
        valid_from=since,
        valid_until=since + datetime.timedelta(days=700),
        observed_session=observed,
    )


def _observed(candidate, session, observer):
    return ObservedSession.objects.create(
        candidate=candidate,
        observer=observer,
        date=session.date,
        course=session.cohort.course,
        classroom_session=session,
        rubric=observations.rubric_current(),
        overall=3,
        passed=True,
        token=uuid.uuid4(),
    )


def registry_results(programme) -> ProgrammeResults:
    """The results the registry shows for `programme`, the same counted from the records as
    read from the summary. These tests write the records directly, so the summary is rebuilt
    from them; that the services keep it as events happen is for test_summaries to prove."""
    counted = count_results(programme_ids=[programme.pk])[programme.pk]
    summary.rebuild()
    assert programme_results(programmes=[programme])[programme.pk] == counted
    return counted


@pytest.fixture
def programme(organisation):
    return make_programme(organisation, own_id="DELIVERED")


@pytest.fixture
def delivered(programme, cohort):
    Cohort.objects.filter(pk=cohort.pk).update(programme=programme)
    cohort.refresh_from_db()
    return cohort


def test_results_count_learners_who_attended_or_completed(delivered, course, programme):
    present, absent, online = [m.user for m in delivered.members.order_by("pk")]
    session = make_session(delivered, days=-1)
    Attendance.objects.create(session=session, user=present, status="present")
    Attendance.objects.create(session=session, user=absent, status="absent")
    CourseCompletion.objects.create(user=online, course=course)
    CourseCompletion.objects.create(user=present, course=make_course(title="Elsewhere"))
    results = registry_results(programme)
    assert results == ProgrammeResults(
        cohorts=1, courses=1, participants_trained=2, completions=1, certified_trainers=0
    )


def test_completions_count_only_the_programmes_learners_and_courses(
    delivered, course, programme, organisation, certified_trainer
):
    outsider = member(organisation)
    make_cohort(organisation, certified_trainer, course, learners=[outsider], name="Not under it")
    CourseCompletion.objects.create(user=outsider, course=course)
    for person in [m.user for m in delivered.members.all()]:
        CourseCompletion.objects.create(user=person, course=course)
    results = registry_results(programme)
    assert (results.participants_trained, results.completions) == (3, 3)


def test_a_learner_in_two_cohorts_of_a_programme_counts_once(
    delivered, course, programme, organisation, certified_trainer
):
    learner = delivered.members.first().user
    again = make_cohort(organisation, certified_trainer, course, learners=[learner], name="Again")
    Cohort.objects.filter(pk=again.pk).update(programme=programme)
    CourseCompletion.objects.create(user=learner, course=course)
    results = registry_results(programme)
    assert (results.cohorts, results.courses) == (2, 1)
    assert (results.participants_trained, results.completions) == (1, 1)


def test_certified_trainers_are_observed_in_its_cohorts_or_certified_after_learning_in_one(
    delivered, programme, organisation
):
    before, after, _other = [m.user for m in delivered.members.order_by("pk")]
    _certified(before, since=delivered.starts_on - datetime.timedelta(days=1))
    _certified(after, since=delivered.starts_on)
    co_trainer = certify(member(organisation, role="trainer"))
    delivered.co_trainers.add(co_trainer)
    master = member(organisation, role="trainer")
    session = make_session(delivered, days=-2)
    _certified(
        co_trainer, since=timezone.localdate(), observed=_observed(co_trainer, session, master)
    )
    results = registry_results(programme)
    assert results.certified_trainers == 2


def test_a_programme_nothing_is_delivered_under_has_no_results(organisation):
    programme = make_programme(organisation, own_id="NOTHING")
    summary.rebuild()
    assert programme_results(programmes=[programme]) == {}
    assert count_results(programme_ids=[programme.pk]) == {}


def _programmes_with_cohorts(organisation, trainer, course, count):
    programmes = []
    for n in range(count):
        programme = make_programme(organisation, own_id=f"MANY-{count}-{n}")
        learners = [member(organisation) for _ in range(3)]
        cohort = make_cohort(organisation, trainer, course, learners=learners, name=f"C{n}")
        Cohort.objects.filter(pk=cohort.pk).update(programme=programme)
        session = make_session(cohort, days=-1)
        Attendance.objects.create(session=session, user=learners[0], status="present")
        CourseCompletion.objects.create(user=learners[1], course=course)
        _certified(learners[2], since=timezone.localdate())
        programmes.append(programme)
    return programmes


@pytest.mark.parametrize("count", [1, 8])
def test_results_of_many_programmes_cost_four_queries(
    organisation, certified_trainer, course, django_assert_num_queries, count
):
    programmes = _programmes_with_cohorts(organisation, certified_trainer, course, count)
    # Cohorts and courses, participants trained, completions, certified trainers.
    with django_assert_num_queries(4):
        found = count_results(programme_ids=[p.pk for p in programmes])
    assert set(found.values()) == {
        ProgrammeResults(
            cohorts=1, courses=1, participants_trained=2, completions=1, certified_trainers=1
        )
    }


@pytest.mark.parametrize("count", [1, 8])
def test_the_record_page_shows_results_at_the_same_cost(
    client, organisation, certified_trainer, course, officer, django_assert_num_queries, count
):
    programme = _programmes_with_cohorts(organisation, certified_trainer, course, 1)[0]
    for n in range(count - 1):  # more cohorts under the same programme
        cohort = make_cohort(
            organisation, certified_trainer, course, learners=[member(organisation)], name=f"M{n}"
        )
        Cohort.objects.filter(pk=cohort.pk).update(programme=programme)
    summary.rebuild()
    client.force_login(officer)
    url = reverse("programs:detail", args=[programme.identifier])
    client.get(url)
    # The record page's thirteen (its coordinators shown to a member of its organisation), and
    # one for its results, read from the summary whatever the number of cohorts.
    with django_assert_num_queries(14):
        response = client.get(url)
    assert "2 participants trained" in response.text
    assert "1 certified trainer" in response.text
    assert f"From {count} cohort" in response.text


def test_the_api_detail_and_the_csv_export_carry_the_results(client, delivered, programme):
    learner = delivered.members.first().user
    Attendance.objects.create(
        session=make_session(delivered, days=-1), user=learner, status="present"
    )
    summary.rebuild()
    detail = client.get(f"/api/v1/programmes/{programme.identifier}").json()
    assert detail["results"] == {
        "cohorts": 1,
        "courses": 1,
        "participants_trained": 1,
        "completions": 0,
        "certified_trainers": 0,
    }
    assert detail["participants_planned"] == programme.participants_planned
    csv = b"".join(client.get(reverse("programs:export_csv")).streaming_content).decode()
    header, row = csv.lstrip("\ufeff").splitlines()[:2]
    columns = header.split(",")
    values = dict(zip(columns, row.split(","), strict=False))
    assert (values["participants_trained"], values["completions"]) == ("1", "0")
    assert columns.index("participants_trained") == columns.index("participants_male") + 1


def test_a_partners_only_programmes_results_do_not_reach_visitors(client, delivered, programme):
    Programme.objects.filter(pk=programme.pk).update(visibility="partners")
    assert client.get(reverse("programs:detail", args=[programme.identifier])).status_code == 404
    assert client.get(f"/api/v1/programmes/{programme.identifier}").status_code == 404
    csv = b"".join(client.get(reverse("programs:export_csv")).streaming_content).decode()
    assert programme.identifier not in csv


# Linking a cohort to a programme


def _form(cohort, **changes):
    values = {
        "name": cohort.name,
        "language": cohort.language,
        "starts_on": cohort.starts_on.isoformat(),
        "ends_on": cohort.ends_on.isoformat(),
        "trainer": cohort.trainer_id,
    }
    return {**values, **changes}


def _edit(cohort):
    return reverse("courses:cohort_edit", kwargs={"cohort_id": cohort.pk})


def test_the_coordinator_delivers_a_cohort_under_a_published_programme(
    client, cohort, coordinator, programme
):
    client.force_login(coordinator)
    suggestions = reverse("courses:cohort_programmes", kwargs={"cohort_id": cohort.pk})
    assert programme.identifier in client.get(suggestions, {"q": "delivered"}).text
    response = client.post(_edit(cohort), _form(cohort, programme=programme.identifier))
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.programme == programme
    page = client.get(reverse("courses:cohort", kwargs={"cohort_id": cohort.pk})).text
    assert reverse("programs:detail", args=[programme.identifier]) in page


def test_a_trainer_opens_a_cohort_under_a_programme(client, certified_trainer, course, programme):
    client.force_login(certified_trainer)
    response = client.post(
        reverse("courses:cohort_create"),
        {
            "course": course.pk,
            "name": "Under a programme",
            "language": "en",
            "starts_on": timezone.localdate().isoformat(),
            "ends_on": timezone.localdate().isoformat(),
            "trainer": certified_trainer.pk,
            "programme": programme.identifier,
        },
    )
    assert response.status_code == 302
    assert Cohort.objects.get(name="Under a programme").programme == programme


def test_drafts_are_no_choice(client, cohort, coordinator, organisation, other_organisation):
    own_draft = make_programme(organisation, own_id="OWN-DRAFT", published=False)
    others_draft = make_programme(other_organisation, own_id="OTHER-DRAFT", published=False)
    client.force_login(coordinator)
    form = client.get(_edit(cohort)).text
    assert own_draft.identifier not in form and others_draft.identifier not in form
    response = client.post(_edit(cohort), _form(cohort, programme=others_draft.identifier))
    assert response.status_code == 200
    assert "has the identifier" in response.text
    cohort.refresh_from_db()
    assert cohort.programme is None


def test_someone_who_cannot_see_a_partners_programme_cannot_link_to_it(
    cohort, coordinator, other_organisation, newcomer
):
    hidden = make_programme(other_organisation, own_id="PARTNERS", visibility="partners")
    from courses.training.programme_selectors import may_link, programmes_to_link

    assert not may_link(user=newcomer, programme=hidden)
    assert hidden not in programmes_to_link(user=newcomer)
    assert may_link(user=coordinator, programme=hidden)


def test_the_service_refuses_a_programme_the_person_cannot_see(
    cohort, coordinator, other_organisation
):
    from django.core.exceptions import ValidationError

    draft = make_programme(other_organisation, own_id="SERVICE-DRAFT", published=False)
    with pytest.raises(ValidationError) as refused:
        services.cohort_update(
            cohort=cohort,
            by=coordinator,
            name=cohort.name,
            language=cohort.language,
            starts_on=cohort.starts_on,
            ends_on=cohort.ends_on,
            trainer=cohort.trainer,
            programme=draft,
        )
    assert "programme" in refused.value.message_dict


def test_a_programme_hidden_since_stays_linked_but_unnamed(
    client, cohort, coordinator, other_organisation
):
    programme = make_programme(other_organisation, own_id="WITHDRAWN")
    Cohort.objects.filter(pk=cohort.pk).update(programme=programme)
    Programme.objects.filter(pk=programme.pk).update(workflow_status="draft")
    delivered = cohort
    client.force_login(coordinator)
    page = client.get(reverse("courses:cohort", kwargs={"cohort_id": delivered.pk})).text
    assert programme.identifier not in page
    response = client.post(_edit(delivered), _form(delivered, programme=programme.identifier))
    assert response.status_code == 302  # the programme it is under may stay
    delivered.refresh_from_db()
    assert delivered.programme == programme


@pytest.mark.parametrize("who", ["other_coordinator", "stranger"])
def test_people_outside_the_cohort_cannot_link_it(client, cohort, programme, request, who):
    client.force_login(request.getfixturevalue(who))
    assert (
        client.post(_edit(cohort), _form(cohort, programme=programme.identifier)).status_code == 404
    )
    assert CohortMember.objects.filter(cohort=cohort).exists()
    cohort.refresh_from_db()
    assert cohort.programme is None
