"""xAPI statements: only about a package the learner may open, only about the learner, and
any body the site cannot keep is refused with a clear message and nothing written."""

import hashlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.h5p.services import h5p_import, package_activity
from assessments.models import H5PResult, H5PStatement

from ..factories import UserFactory, lesson_with_block
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


def test_statement_about_a_package_that_does_not_exist_gets_a_json_404(client, officer):
    client.force_login(officer)
    assert refused(post_raw(client, 999999, "{}"), 404)


def test_statement_about_an_id_no_column_can_hold_is_not_found(client, officer):
    client.force_login(officer)
    assert post_raw(client, 99999999999999999999, "{}").status_code == 404


def test_a_package_changed_between_two_statements_is_read_afresh(client, stranger, public_package):
    client.force_login(stranger)
    high = statement(public_package, result={"score": {"min": 0, "raw": 2, "max": 2}})
    assert post(client, public_package, high).json()["percent"] == 100
    public_package.counting = "last"
    public_package.save()
    low = statement(public_package, result={"score": {"min": 0, "raw": 0, "max": 2}})
    assert post(client, public_package, low).json()["percent"] == 0


def test_a_deleted_package_takes_no_more_statements(client, stranger, public_package):
    client.force_login(stranger)
    assert post(client, public_package, statement(public_package)).status_code == 200
    package_id = public_package.pk
    public_package.delete()
    assert refused(post_raw(client, package_id, json.dumps(statement(public_package))), 404)


# The actor: only the learner


def own_account(user):
    return {"objectType": "Agent", "account": {"homePage": SITE, "name": str(user.pk)}}


def sha1_of(email):
    return hashlib.sha1(f"mailto:{email}".encode()).hexdigest()  # noqa: S324 - xAPI's digest


def test_statement_naming_the_learner_by_their_own_account_is_recorded(
    client, stranger, public_package
):
    client.force_login(stranger)
    body = statement(public_package, actor=own_account(stranger))
    assert post(client, public_package, body).status_code == 200


def test_statement_naming_the_learner_by_mbox_sha1sum_is_recorded(client, stranger, public_package):
    client.force_login(stranger)
    body = statement(public_package, actor={"mbox_sha1sum": sha1_of(stranger.email)})
    assert post(client, public_package, body).status_code == 200


def test_statement_is_kept_with_the_learner_named_by_their_account(
    client, stranger, public_package
):
    client.force_login(stranger)
    body = statement(public_package, actor={"mbox": f"mailto:{stranger.email}", "name": "Me"})
    post(client, public_package, body)
    assert H5PStatement.objects.get().statement["actor"] == own_account(stranger)


def someone_else():
    return UserFactory(email="someone.else@example.org")


@pytest.mark.parametrize(
    "actor",
    [
        lambda other: {"account": {"homePage": SITE, "name": str(other.pk)}},
        lambda other: {"objectType": "Agent", "account": {"homePage": SITE, "name": other.email}},
        lambda other: {"account": {"homePage": "https://elsewhere.example", "name": "1"}},
        lambda other: {"account": {"name": "2f8b0c44-9a57-4d0e-b1b5-4d1b2d6bb0d1"}},
        lambda other: {"mbox_sha1sum": sha1_of(other.email)},
        lambda other: {"openid": "https://openid.example/someone"},
        lambda other: {"objectType": "Group", "member": [{"mbox": f"mailto:{other.email}"}]},
    ],
    ids=[
        "account-of-another-learner",
        "account-named-by-another-address",
        "account-elsewhere",
        "account-without-home-page",
        "sha1-of-another-address",
        "openid",
        "group",
    ],
)
def test_statement_naming_someone_else_is_refused(client, stranger, public_package, actor):
    client.force_login(stranger)
    response = post(client, public_package, statement(public_package, actor=actor(someone_else())))
    assert refused(response, 422)
    assert nothing_written()


def test_statement_naming_the_learner_and_someone_else_is_refused(client, stranger, public_package):
    client.force_login(stranger)
    actor = {
        "mbox": f"mailto:{stranger.email}",
        "account": {"homePage": SITE, "name": str(someone_else().pk)},
    }
    assert refused(post(client, public_package, statement(public_package, actor=actor)), 422)
    assert nothing_written()


# Bad input: a clear 4xx and nothing written


@pytest.fixture
def learner(client, stranger):
    client.force_login(stranger)
    return stranger


@pytest.mark.parametrize("field", ["object", "actor", "verb", "result", "context"])
@pytest.mark.parametrize("value", [[], ["x"], "x", 7, True], ids=repr)
def test_statement_part_that_is_not_an_object_is_refused(
    client, learner, public_package, field, value
):
    response = post(client, public_package, statement(public_package, **{field: value}))
    assert refused(response, 400)
    assert nothing_written()


@pytest.mark.parametrize(
    "changes",
    [
        {"verb": {"id": ["http://adlnet.gov/expapi/verbs/answered"]}},
        {"object": {"id": 12}},
        {"result": {"score": [1, 2]}},
        {"context": {"contextActivities": "parent"}},
    ],
    ids=["verb-id", "object-id", "score", "context-activities"],
)
def test_statement_part_of_the_wrong_kind_inside_an_object_is_refused(
    client, learner, public_package, changes
):
    assert refused(post(client, public_package, statement(public_package, **changes)), 400)
    assert nothing_written()


def test_integer_mbox_is_refused(client, learner, public_package):
    response = post(client, public_package, statement(public_package, actor={"mbox": 12}))
    assert refused(response, 400)
    assert nothing_written()


@pytest.mark.parametrize(
    "depth,status",
    [(100_000, 413), (20_000, 400), (100, 400)],
    ids=["too-large-to-read", "too-deep-to-parse", "too-deep-to-keep"],
)
def test_deeply_nested_json_is_refused(client, learner, public_package, depth, status):
    body = json.dumps(statement(public_package))[:-1] + ', "extensions": {"x": '
    body += "[" * depth + "]" * depth + "}}"
    assert refused(post_raw(client, public_package.pk, body), status)
    assert nothing_written()


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"])
def test_numbers_json_cannot_hold_are_refused(client, learner, public_package, number):
    body = json.dumps(statement(public_package)).replace('"raw": 1', f'"raw": {number}')
    assert number in body
    assert refused(post_raw(client, public_package.pk, body), 400)
    assert nothing_written()


def test_integer_too_large_for_a_score_is_refused(client, learner, public_package):
    body = json.dumps(statement(public_package)).replace('"max": 2', f'"max": {10**400}')
    assert refused(post_raw(client, public_package.pk, body), 400)
    assert nothing_written()


@pytest.mark.parametrize(
    "text", ["\\u0000", "before\\u0000after", "\\ud800", "\\udfff", "\\ud800x"], ids=repr
)
@pytest.mark.parametrize("where", ["value", "key"])
def test_strings_the_database_cannot_keep_are_refused(client, learner, public_package, text, where):
    extension = f'{{"{text}": 1}}' if where == "key" else f'{{"x": "{text}"}}'
    body = json.dumps(statement(public_package))[:-1] + f', "extensions": {extension}}}'
    assert refused(post_raw(client, public_package.pk, body), 400)
    assert nothing_written()


def test_statement_id_with_a_nul_is_refused(client, learner, public_package):
    body = json.dumps(statement(public_package, id="a\x00b"))
    assert refused(post_raw(client, public_package.pk, body), 400)
    assert nothing_written()


def test_body_that_is_not_utf8_is_refused(client, learner, public_package):
    assert refused(post_raw(client, public_package.pk, b'{"id": "\xff\xfe"}'), 400)
    assert nothing_written()


def test_body_too_large_is_refused(client, learner, public_package):
    body = statement(public_package, extensions={"padding": "x" * 70_000})
    assert refused(post(client, public_package, body), 413)
    assert nothing_written()


# Fuzz: whatever arrives, never a 5xx, and a refused statement writes nothing

# Letters, digits and punctuation, with control characters (NUL) and lone surrogates.
characters = st.characters(categories=["L", "N", "P", "Cc", "Cs"])
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(characters, max_size=8),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(characters, max_size=6), children, max_size=3)
    ),
    max_leaves=12,
)
parts = {
    "id": json_values,
    "actor": json_values,
    "verb": json_values | st.fixed_dictionaries({"id": json_values}),
    "object": json_values | st.fixed_dictionaries({"id": json_values | st.just("ACTIVITY")}),
    "result": json_values
    | st.fixed_dictionaries(
        {"score": json_values | st.fixed_dictionaries({"raw": json_values, "max": json_values})}
    ),
    "context": json_values,
}
statements = st.fixed_dictionaries({}, optional=parts) | json_values
raw_bodies = st.binary(max_size=64) | st.sampled_from(
    [b"NaN", b"[1e400]", b'{"a": Infinity}', b'"\\ud800"', b'{"\\u0000": 1}', b"[" * 5000]
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=statements.map(lambda s: json.dumps(s).encode()) | raw_bodies)
def test_no_statement_body_gets_a_server_error_or_writes_when_refused(
    client, learner, public_package, body
):
    body = body.replace(b'"ACTIVITY"', json.dumps(package_activity(public_package)).encode())
    before = H5PStatement.objects.count(), list(H5PResult.objects.values_list("scaled"))
    response = post_raw(client, public_package.pk, body)
    assert response.status_code < 500
    assert response["Content-Type"] == "application/json"
    if response.status_code >= 400:
        assert (H5PStatement.objects.count(), list(H5PResult.objects.values_list("scaled"))) == (
            before
        )
