"""xAPI statements: only about a package the learner may open."""

import json

import pytest

from assessments.h5p.services import h5p_import, package_activity
from assessments.models import H5PResult, H5PStatement

from ..factories import lesson_with_block
from .test_h5p import build, workspace_files

pytestmark = pytest.mark.django_db
SITE = "http://testserver"


@pytest.fixture(autouse=True)
def origins(settings, tmp_path):
    settings.H5P_STORE = tmp_path / "store"
    settings.H5P_CONTENT_ORIGIN = "http://h5p.testserver"
    settings.FLIGHTPATH_SITE_ORIGIN = SITE


def new_package(tmp_path, title="True or false"):
    folder = tmp_path / title.replace(" ", "-")
    folder.mkdir()
    return h5p_import(source=str(build(folder, workspace_files())), title=title)


def placed(package, *, audience, slug):
    lesson_with_block("h5p", {"activity": package.pk, "caption": ""}, slug=slug, audience=audience)
    return package


@pytest.fixture
def public_package(tmp_path):
    return placed(new_package(tmp_path, "Public activity"), audience="public", slug="open")


@pytest.fixture
def officers_package(tmp_path):
    return placed(new_package(tmp_path, "Officers activity"), audience="officers", slug="closed")


@pytest.fixture
def unused_package(tmp_path):
    return new_package(tmp_path, "Unused activity")


def statement(package, **changes):
    body = {
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
        "object": {"id": package_activity(package), "objectType": "Activity"},
        "result": {"score": {"min": 0, "raw": 1, "max": 2}},
    }
    body.update(changes)
    return body


def post_raw(client, package_id, body: str | bytes):
    return client.post(f"/quizzes/h5p/{package_id}/xapi/", body, content_type="application/json")


def post(client, package, body):
    return post_raw(client, package.pk, json.dumps(body))


def nothing_written():
    return not H5PStatement.objects.exists() and not H5PResult.objects.exists()


def refused(response, status):
    return (
        response.status_code == status
        and response["Content-Type"] == "application/json"
        and response.json()["recorded"] is False
        and response.json()["error"]
    )


# The package's audience, through the lessons that use it


def test_officer_sends_statements_about_a_package_in_an_officers_lesson(
    client, officer, officers_package
):
    client.force_login(officer)
    assert post(client, officers_package, statement(officers_package)).json()["percent"] == 50


def test_unverified_member_cannot_send_statements_about_an_officers_package(
    client, newcomer, officers_package
):
    client.force_login(newcomer)
    response = post(client, officers_package, statement(officers_package))
    assert refused(response, 403)
    assert nothing_written()


def test_member_of_an_organisation_without_officer_access_cannot_send_statements_about_an_officers_package(  # noqa: E501
    client, officers_package
):
    from cms.accounts.models import Membership

    from ..factories import MembershipFactory, OrganisationFactory

    ngo = OrganisationFactory(officer_access=False)
    learner = MembershipFactory(organisation=ngo, status=Membership.Status.VERIFIED).user
    client.force_login(learner)
    assert refused(post(client, officers_package, statement(officers_package)), 403)
    assert nothing_written()


def test_any_signed_in_learner_sends_statements_about_a_package_in_a_public_lesson(
    client, stranger, public_package
):
    client.force_login(stranger)
    assert post(client, public_package, statement(public_package)).status_code == 200


def test_learner_cannot_send_statements_about_a_package_no_live_page_uses(
    client, officer, unused_package
):
    client.force_login(officer)
    assert refused(post(client, unused_package, statement(unused_package)), 403)
    assert nothing_written()


def test_unpublishing_the_lesson_closes_its_package_to_learners(client, stranger, tmp_path):
    package = new_package(tmp_path)
    lesson = lesson_with_block("h5p", {"activity": package.pk, "caption": ""})
    lesson.unpublish()
    client.force_login(stranger)
    assert refused(post(client, package, statement(package)), 403)


def test_trainer_tries_a_package_no_live_page_uses_yet(client, trainer, unused_package):
    client.force_login(trainer)
    assert post(client, unused_package, statement(unused_package)).status_code == 200
