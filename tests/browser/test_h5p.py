"""H5P in Chromium: a real True/False activity records its result on the learner's progress,
and script inside a package can neither read the lesson page nor the site's cookies, nor call
the site's API."""

import json
import time
from urllib.parse import urlsplit

import pytest

from assessments.h5p.services import h5p_import
from assessments.models import H5PResult, H5PStatement

from ..assessments.test_h5p import build, workspace_files
from ..factories import lesson_with_block
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def origins(settings, live_server, tmp_path):
    port = urlsplit(live_server.url).port
    settings.FLIGHTPATH_SITE_ORIGIN = f"http://127.0.0.1:{port}"
    settings.H5P_CONTENT_ORIGIN = f"http://localhost:{port}"
    settings.H5P_STORE = tmp_path / "store"
    settings.FLIGHTPATH_PAGE_CACHE_SECONDS = 0
    return settings.FLIGHTPATH_SITE_ORIGIN


def lesson_with(package):
    return lesson_with_block("h5p", {"activity": package.pk, "caption": ""}, slug="documents")


def wait_for(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_true_false_activity_result_is_recorded(new_page, origins, officer, tmp_path):
    package = h5p_import(source=str(build(tmp_path, workspace_files())), title="True or false")
    lesson = lesson_with(package)
    page = new_page()
    sign_in(page, officer.email, site=origins)
    page.goto(f"{origins}{lesson.url}")
    player = page.frame_locator("iframe[data-h5p-player]")
    activity = player.frame_locator("iframe").first
    activity.get_by_role("radio", name="False").click()
    activity.get_by_role("button", name="Check").click()
    page.get_by_text("Result recorded: 100%").wait_for(timeout=20_000)
    result = H5PResult.objects.get(user=officer, package=package)
    assert (result.raw, result.maximum, result.client_reported) == (1, 1, True)
    kept = H5PStatement.objects.filter(user=officer).first().statement
    assert kept["actor"]["account"]["name"] == str(officer.pk)  # not the player's own id
    page.reload()
    assert page.get_by_text("True or false: 1 of 1 (100%), reported by your browser").is_visible()


PROBE = """
(function () {
  var report = {};
  // window.top is the lesson page on the site's origin.
  try { report.page = String(window.top.document.title); } catch (e) { report.page = "blocked"; }
  try { report.top = String(window.top.document.cookie); } catch (e) { report.top = "blocked"; }
  report.cookie = document.cookie;
  function done() { document.documentElement.setAttribute("data-probe", JSON.stringify(report)); }
  fetch("SITE/my-learning/", {credentials: "include"})
    .then(function (r) { return r.text(); })
    .then(function (t) { report.read = "read " + t.length; },
          function () { report.read = "blocked"; })
    .then(function () {
      return fetch("SITE/quizzes/h5p/PACKAGE/xapi/", {method: "POST", credentials: "include",
        headers: {"Content-Type": "application/json"}, body: "{}"});
    })
    .then(function (r) { report.write = "status " + r.status; },
          function () { report.write = "blocked"; })
    .then(done, done);
})();
"""


def probe_package(tmp_path, site):
    library = {
        "machineName": "H5P.Probe",
        "majorVersion": 1,
        "minorVersion": 0,
        "patchVersion": 0,
        "runnable": 1,
        "title": "Probe",
        "preloadedJs": [{"path": "probe.js"}],
    }
    manifest = {
        "title": "Probe",
        "mainLibrary": "H5P.Probe",
        "language": "und",
        "embedTypes": ["iframe"],
        "preloadedDependencies": [
            {"machineName": "H5P.Probe", "majorVersion": "1", "minorVersion": "0"}
        ],
    }
    script = PROBE.replace("SITE", site)
    return build(
        tmp_path,
        {
            "h5p.json": json.dumps(manifest).encode(),
            "content/content.json": b"{}",
            "H5P.Probe-1.0/library.json": json.dumps(library).encode(),
            "H5P.Probe-1.0/probe.js": script.encode(),
        },
        name="probe.h5p",
    )


def test_package_script_cannot_reach_the_lesson_page_cookies_or_api(
    new_page, origins, officer, tmp_path
):
    package = h5p_import(source=str(probe_package(tmp_path, origins)))
    stored = tmp_path / "store" / package.folder / "H5P.Probe-1.0" / "probe.js"
    stored.write_text(stored.read_text().replace("PACKAGE", str(package.pk)))  # its own id
    lesson = lesson_with(package)
    page = new_page()
    sign_in(page, officer.email, site=origins)
    page.goto(f"{origins}{lesson.url}")

    def report():
        for frame in page.frames:
            try:
                found = frame.evaluate("document.documentElement.getAttribute('data-probe')")
            except Exception:  # noqa: BLE001 - a frame may be navigating
                continue
            if found:
                return json.loads(found)
        return None

    found = wait_for(report)
    assert found["page"] == "blocked" and found["top"] == "blocked"
    assert "sessionid" not in found["cookie"] and "csrftoken" not in found["cookie"]
    assert found["read"] == "blocked"
    assert found["write"] in ("blocked", "status 403")
    assert not H5PStatement.objects.exists()
