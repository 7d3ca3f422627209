"""The H5P content origin serves the player and packages only, with no cookie and a strict
policy; xAPI statements are checked, kept once, and scored by the server's own arithmetic."""

import json

import pytest

from assessments.h5p.services import h5p_import, package_activity
from assessments.models import H5PResult, H5PStatement

from ..factories import lesson_with_block
from .test_h5p import build, workspace_files

pytestmark = pytest.mark.django_db
CONTENT_HOST = "h5p.testserver"


@pytest.fixture(autouse=True)
def origins(settings, tmp_path):
    settings.H5P_STORE = tmp_path / "store"
    settings.H5P_CONTENT_ORIGIN = f"http://{CONTENT_HOST}"
    settings.FLIGHTPATH_SITE_ORIGIN = "http://testserver"


@pytest.fixture
def package(tmp_path):
    """A package in a public lesson: any signed-in learner may report on it."""
    package = h5p_import(source=str(build(tmp_path, workspace_files())), title="True or false")
    lesson_with_block("h5p", {"activity": package.pk, "caption": ""}, slug="placed")
    return package


def on_content_origin(client, path):
    return client.get(path, HTTP_HOST=CONTENT_HOST)


def test_player_page_is_served_with_a_strict_policy_and_no_cookie(client, package, officer):
    client.force_login(officer)  # even a signed-in browser gets nothing of its session there
    response = on_content_origin(client, f"/h5p/player/{package.folder}/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-8CniZYrnO46q7MvZ3m08Wom1HH/ZhyXmm29kBKTV1rk='" in policy
    assert "frame-ancestors 'self' http://testserver" in policy
    assert not response.cookies
    assert f'data-activity="{package_activity(package)}"' in response.text


def test_package_files_and_player_assets_are_served(client, package):
    assert on_content_origin(client, f"/h5p/packages/{package.folder}/h5p.json").status_code == 200
    assert on_content_origin(client, "/h5p/assets/main.bundle.js").status_code == 200
    assert on_content_origin(client, "/h5p/assets/flightpath-player.js").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/accounts/login/",
        "/courses/",
        "/my-learning/",
        "/quizzes/h5p/1/xapi/",
        "/media/x.png",
        "/static/css/flightpath.css",
    ],
)
def test_content_origin_serves_nothing_of_the_site(client, path):
    response = on_content_origin(client, path)
    assert response.status_code == 404
    assert not response.cookies


@pytest.mark.parametrize(
    "origin, host",
    [
        ("http://localhost:8000", "LOCALHOST:8000"),
        ("http://localhost:8000", "localhost.:8000"),
        ("http://localhost:8000", "LocalHost.:8000"),
        ("https://h5p.example.org", "h5p.example.org:443"),
        ("https://h5p.example.org", "H5P.Example.Org."),
        ("http://h5p.example.org", "h5p.example.org.:80"),
    ],
)
def test_every_spelling_of_the_content_host_gets_the_content_origin(client, settings, origin, host):
    settings.H5P_CONTENT_ORIGIN = origin
    settings.ALLOWED_HOSTS = ["*"]
    response = client.get("/accounts/login/", HTTP_HOST=host)
    assert response.status_code == 404
    assert "frame-ancestors" in response["Content-Security-Policy"]
    assert not response.cookies


def test_package_paths_cannot_climb_out(client, package):
    assert (
        on_content_origin(
            client, f"/h5p/packages/{package.folder}/..%2F..%2Fsettings.py"
        ).status_code
        == 404
    )
    assert on_content_origin(client, "/h5p/assets/../../manage.py").status_code == 404


def test_site_origin_does_not_serve_packages(client, package):
    assert client.get(f"/h5p/packages/{package.folder}/h5p.json").status_code == 404


def statement(package, raw=1, maximum=1, **changes):
    body = {
        "id": "8d0f3c6e-0000-4000-8000-000000000001",
        "actor": {"name": "anonymous", "objectType": "Agent"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
        "object": {"id": package_activity(package), "objectType": "Activity"},
        "result": {"score": {"min": 0, "raw": raw, "max": maximum, "scaled": 1}},
    }
    body.update(changes)
    return body


def post(client, package, body):
    return client.post(
        f"/quizzes/h5p/{package.pk}/xapi/", json.dumps(body), content_type="application/json"
    )


def test_statement_is_recorded_once_and_scaled_by_the_server(client, officer, package):
    client.force_login(officer)
    forged_scaled = statement(
        package, raw=1, maximum=4, result={"score": {"min": 0, "raw": 1, "max": 4, "scaled": 1}}
    )
    assert post(client, package, forged_scaled).json()["percent"] == 25
    assert post(client, package, forged_scaled).status_code == 200
    assert H5PStatement.objects.filter(user=officer).count() == 1
    result = H5PResult.objects.get(user=officer, package=package)
    assert (result.raw, result.maximum, result.scaled, result.client_reported) == (1, 4, 0.25, True)


@pytest.mark.parametrize(
    "changes,reason",
    [
        ({"object": {"id": "http://evil.example/h5p/1"}}, "another activity"),
        ({"actor": {"mbox": "mailto:someone.else@example.org"}}, "another person"),
        ({"result": {"score": {"raw": 5, "max": 1}}}, "out of its own range"),
        ({"result": {"score": {"raw": "lots", "max": 1}}}, "needs numbers"),
    ],
)
def test_forged_statements_are_refused(client, officer, package, changes, reason):
    client.force_login(officer)
    response = post(client, package, statement(package, **changes))
    assert response.status_code == 422 and reason in response.json()["error"]
    assert not H5PResult.objects.exists() and not H5PStatement.objects.exists()


def test_per_question_statements_do_not_count_as_the_activity(client, officer, package):
    client.force_login(officer)
    child = statement(package, id="child-1", context={"contextActivities": {"parent": [{}]}})
    assert post(client, package, child).json()["percent"] is None
    assert not H5PResult.objects.exists()


def test_best_result_is_kept_by_default(client, officer, package):
    client.force_login(officer)
    assert (
        post(client, package, statement(package, raw=1, maximum=1, id="a")).json()["percent"] == 100
    )
    lower = post(client, package, statement(package, raw=0, maximum=1, id="b"))
    assert lower.json()["percent"] == 100  # the result that stands, not the lower score
    assert H5PResult.objects.get(user=officer).scaled == 1


def test_statements_need_a_signed_in_learner(client, package):
    response = post(client, package, statement(package))
    assert response.status_code == 302
    assert not H5PStatement.objects.exists()


def test_not_json_is_refused(client, officer, package):
    client.force_login(officer)
    response = client.post(f"/quizzes/h5p/{package.pk}/xapi/", "{", content_type="application/json")
    assert response.status_code == 400


def test_results_on_the_lesson_page_follow_each_new_score(client, officer, package):
    lesson = lesson_with_block("h5p", {"activity": package.pk, "caption": ""})
    client.force_login(officer)
    assert "reported by your browser" not in client.get(lesson.url).text
    post(client, package, statement(package, raw=1, maximum=4, id="a"))
    assert "True or false: 1 of 4 (25%), reported by your browser" in client.get(lesson.url).text
    post(client, package, statement(package, raw=3, maximum=4, id="b"))
    assert "True or false: 3 of 4 (75%), reported by your browser" in client.get(lesson.url).text
