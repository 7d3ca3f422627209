"""A course or lesson closed to its reader says who it is for and what to do next."""

import pytest
from django.core.cache import cache
from django.test import Client

from cms.accounts.models import Organisation

from ..factories import MembershipFactory, OrganisationFactory, make_course, make_lesson

pytestmark = pytest.mark.django_db

SECRET = "Specimen bio-data page substitution technique"
TRAINERS_SECRET = "Running the dominant-participant role play"


@pytest.fixture(autouse=True)
def _page_cache(settings):
    settings.FLIGHTPATH_PAGE_CACHE_SECONDS = 60


@pytest.fixture
def secret_lesson(officers_course):
    return make_lesson(officers_course, 9, text=SECRET)


@pytest.fixture
def trainers_lesson(db):
    course = make_course(title="Master class", slug="master-class", audience="trainers", lessons=0)
    return make_lesson(course, 1, text=TRAINERS_SECRET)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_visitor_is_told_the_lesson_is_for_officers_with_sign_in_and_sign_up(
    client, secret_lesson
):
    response = client.get(secret_lesson.url)
    assert response.status_code == 403
    assert "This course is for verified officers of member organisations." in response.text
    back = secret_lesson.url
    assert f'href="/accounts/login/?next={back}"' in response.text
    assert f'href="/accounts/signup/?next={back}"' in response.text
    assert secret_lesson.title in response.text


def test_a_member_awaiting_verification_is_told_to_ask_their_coordinator(
    newcomer, organisation, secret_lesson
):
    response = signed_in(newcomer).get(secret_lesson.url)
    assert response.status_code == 403
    assert f"Ask your coordinator at {organisation.name} to verify you" in response.text
    assert "/accounts/login/" not in response.text


def test_a_person_without_organisation_is_told_to_ask_to_join(stranger, secret_lesson):
    response = signed_in(stranger).get(secret_lesson.url)
    assert response.status_code == 403
    assert "You do not belong to an organisation yet." in response.text
    assert 'href="/organisations/"' in response.text


def test_a_member_of_an_organisation_without_officer_access_is_told_why(secret_lesson):
    ngo = OrganisationFactory(name="Harbour Aid", kind=Organisation.Kind.NGO, officer_access=False)
    member = MembershipFactory(organisation=ngo).user
    response = signed_in(member).get(secret_lesson.url)
    assert response.status_code == 403
    assert "Harbour Aid does not give its members access to courses for officers" in (response.text)


def test_a_trainers_lesson_says_it_is_for_certified_trainers(officer, trainers_lesson):
    response = signed_in(officer).get(trainers_lesson.url)
    assert response.status_code == 403
    assert "This course is for certified trainers" in response.text
    assert "verified officers" not in response.text


def test_a_visitor_on_a_trainers_lesson_is_told_it_is_for_trainers_and_offered_sign_in(
    client, trainers_lesson
):
    response = client.get(trainers_lesson.url)
    assert "This course is for certified trainers" in response.text
    assert "/accounts/login/?next=" in response.text


@pytest.mark.parametrize("reader", ["anonymous", "newcomer", "stranger", "officer"])
def test_no_locked_lesson_text_reaches_a_reader_it_is_closed_to(
    request, reader, secret_lesson, trainers_lesson
):
    client = Client() if reader == "anonymous" else signed_in(request.getfixturevalue(reader))
    for lesson, secret in ((secret_lesson, SECRET), (trainers_lesson, TRAINERS_SECRET)):
        if reader == "officer" and lesson == secret_lesson:
            continue
        response = client.get(lesson.url)
        assert response.status_code == 403
        assert secret not in response.text
        assert "Understand one thing" not in response.text  # nor its objectives
        assert "no-store" in response["Cache-Control"]


def test_the_explanation_is_never_served_as_the_lesson_and_the_lesson_never_leaks(
    officer, newcomer, secret_lesson
):
    for _ in range(2):  # first render, then whatever the caches kept
        assert signed_in(newcomer).get(secret_lesson.url).status_code == 403
        assert Client().get(secret_lesson.url).status_code == 403
        opened = signed_in(officer).get(secret_lesson.url)
        assert opened.status_code == 200 and SECRET in opened.text
        refused = signed_in(newcomer).get(secret_lesson.url)
        assert refused.status_code == 403 and SECRET not in refused.text
        assert SECRET not in Client().get(secret_lesson.url).text


def test_the_course_page_names_the_organisation_to_each_reader_separately(
    newcomer, officers_course
):
    other = OrganisationFactory(name="Coastal Border Police")
    other_newcomer = MembershipFactory(organisation=other, status="requested").user
    first = signed_in(newcomer).get(officers_course.url).text
    second = signed_in(other_newcomer).get(officers_course.url).text
    assert f"Ask your coordinator at {newcomer.memberships.get().organisation.name}" in first
    assert "Ask your coordinator at Coastal Border Police" in second
    assert "Coastal Border Police" not in first


def test_a_visitor_on_an_officers_course_page_gets_sign_in_and_sign_up(client, officers_course):
    cache.clear()
    response = client.get(officers_course.url)
    assert response.status_code == 200
    assert "/accounts/login/?next=" in response.text and "/accounts/signup/?next=" in response.text
