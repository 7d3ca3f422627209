"""The audience is enforced where lessons and search results are served."""

import pytest

from cms.accounts.models import Organisation

from ..factories import MembershipFactory, OrganisationFactory, make_lesson

pytestmark = pytest.mark.django_db

SECRET = "Specimen bio-data page substitution technique"


@pytest.fixture
def secret_lesson(officers_course):
    return make_lesson(officers_course, 9, text=SECRET)


def test_anonymous_visitor_reads_public_lesson(client, public_course):
    lesson = public_course.get_children().first()
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert "Lesson text about document checks." in response.text


def test_anonymous_visitor_is_told_to_sign_in_for_officer_lesson(client, secret_lesson):
    response = client.get(secret_lesson.url)
    assert response.status_code == 403
    assert f'href="/accounts/login/?next={secret_lesson.url}"' in response.text
    assert SECRET not in response.text


def test_unverified_member_cannot_open_officer_lesson(client, newcomer, secret_lesson):
    client.force_login(newcomer)
    response = client.get(secret_lesson.url)
    assert response.status_code == 403
    assert SECRET not in response.text


def test_user_without_organisation_cannot_open_officer_lesson(client, stranger, secret_lesson):
    client.force_login(stranger)
    assert client.get(secret_lesson.url).status_code == 403


def test_verified_officer_opens_officer_lesson(client, officer, secret_lesson):
    client.force_login(officer)
    response = client.get(secret_lesson.url)
    assert response.status_code == 200
    assert SECRET in response.text


def test_verified_member_of_organisation_without_officer_access_is_refused(client, secret_lesson):
    ngo = OrganisationFactory(kind=Organisation.Kind.NGO, officer_access=False)
    member = MembershipFactory(organisation=ngo).user
    client.force_login(member)
    assert client.get(secret_lesson.url).status_code == 403


def test_officer_cannot_open_trainers_lesson(client, officer):
    from ..factories import make_course

    course = make_course(title="Train the trainers", slug="ttt", audience="trainers", lessons=1)
    client.force_login(officer)
    assert client.get(course.get_children().first().url).status_code == 403


def test_officer_cannot_complete_a_lesson_they_cannot_open(client, newcomer, secret_lesson):
    client.force_login(newcomer)
    response = client.post(f"/lessons/{secret_lesson.pk}/complete/")
    assert response.status_code == 403


def test_anonymous_cached_public_page_never_serves_officer_lesson(client, secret_lesson, officer):
    client.force_login(officer)
    assert client.get(secret_lesson.url).status_code == 200
    client.logout()
    assert client.get(secret_lesson.url).status_code == 403


class TestSearch:
    def test_anonymous_search_hides_officer_lessons(self, client, secret_lesson, public_course):
        response = client.get("/search/", {"q": "specimen"})
        assert response.status_code == 200
        assert secret_lesson.title not in response.text

    def test_unverified_member_search_hides_officer_lessons(self, client, newcomer, secret_lesson):
        client.force_login(newcomer)
        assert secret_lesson.title not in client.get("/search/", {"q": "specimen"}).text

    def test_verified_officer_finds_officer_lessons(self, client, officer, secret_lesson):
        client.force_login(officer)
        assert secret_lesson.title in client.get("/search/", {"q": "specimen"}).text

    def test_public_lessons_are_found_by_anyone(self, client, public_course):
        response = client.get("/search/", {"q": "document checks"})
        assert "Recognising smuggling lesson 1" in response.text


def test_access_follows_a_verification_at_once(client, newcomer, coordinator, secret_lesson):
    from cms.accounts.models import Membership
    from cms.accounts.services import membership_decide

    client.force_login(newcomer)
    assert client.get(secret_lesson.url).status_code == 403
    membership_decide(membership=Membership.objects.get(user=newcomer), by=coordinator, verify=True)
    assert client.get(secret_lesson.url).status_code == 200


def test_access_ends_at_once_when_an_officer_leaves(client, officer, secret_lesson):
    client.force_login(officer)
    assert client.get(secret_lesson.url).status_code == 200
    client.post("/organisations/leave/")
    assert client.get(secret_lesson.url).status_code == 403


def test_access_ends_when_the_organisation_loses_officer_access(
    client, officer, organisation, secret_lesson
):
    client.force_login(officer)
    assert client.get(secret_lesson.url).status_code == 200
    organisation.officer_access = False
    organisation.save()
    assert client.get(secret_lesson.url).status_code == 403


def test_raising_a_course_audience_closes_its_lessons_at_once(client, stranger, public_course):
    lesson = public_course.get_children().first()
    client.force_login(stranger)
    assert client.get(lesson.url).status_code == 200
    public_course.audience = "officers"
    public_course.save_revision().publish()
    assert client.get(lesson.url).status_code == 403


@pytest.mark.parametrize("query", ['"', "passport AND (", "o'brien", "NEAR(", "*", "\\", "🛂", "-"])
def test_search_with_stray_syntax_answers_normally(client, public_course, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
