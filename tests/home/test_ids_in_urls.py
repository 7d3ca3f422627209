"""An id in a URL that no database column can hold is a 404, never a database error."""

import pytest
from wagtail.images.utils import generate_signature

pytestmark = pytest.mark.django_db

TOO_BIG = [2**31, 2**63, 10**20]

POSTED = [
    "/lessons/{id}/complete/",
    "/courses/{id}/enrol/",
    "/quizzes/h5p/{id}/xapi/",
    "/quizzes/attempts/{id}/save/",
    "/quizzes/attempts/{id}/review/",
    "/quizzes/attempts/{id}/submit/",
    "/quizzes/attempts/{id}/choose/",
    "/organisations/{slug}/members/{id}/decide/",
    "/organisations/{slug}/members/{id}/role/",
]
FETCHED = [
    "/quizzes/attempts/{id}/",
    "/quizzes/attempts/{id}/review/",
    "/quizzes/attempts/{id}/result/",
    "/documents/{id}/guide.pdf",
    "/documents/authenticate_with_password/{id}/",
]


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("number", TOO_BIG)
@pytest.mark.parametrize("url", POSTED)
def test_posting_to_an_id_beyond_any_column_is_not_found(signed_in, organisation, url, number):
    response = signed_in.post(url.format(id=number, slug=organisation.slug))
    assert response.status_code == 404


@pytest.mark.parametrize("number", TOO_BIG)
@pytest.mark.parametrize("url", FETCHED)
def test_fetching_an_id_beyond_any_column_is_not_found(signed_in, url, number):
    assert signed_in.get(url.format(id=number)).status_code == 404


@pytest.mark.parametrize("number", TOO_BIG)
def test_image_with_an_id_beyond_any_column_is_not_found(signed_in, number):
    signature = generate_signature(number, "width-800")
    assert signed_in.get(f"/images/{signature}/{number}/width-800/x.png").status_code == 404


def test_image_without_an_id_is_not_found(signed_in):
    signature = generate_signature("", "width-800")
    assert signed_in.get(f"/images/{signature}//width-800/x.png").status_code == 404


@pytest.mark.parametrize("number", TOO_BIG)
def test_quiz_statistics_for_an_id_beyond_any_column_is_not_found(client, number):
    from cms.accounts.models import User

    client.force_login(User.objects.create_superuser(email="ed@example.org", password="x"))
    client.raise_request_exception = False
    assert client.get(f"/admin/quiz-statistics/{number}/").status_code == 404
