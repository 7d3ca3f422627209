"""Static files' addresses are worked out once per process and name, and are the ones Django
gives."""

from unittest import mock

from django.contrib.staticfiles import storage as django_storage
from django.templatetags.static import static

from cms import static_files


def test_an_address_is_django_s_and_worked_out_once(settings, tmp_path):
    settings.STATIC_URL = "/static/"
    files = static_files.StaticFilesStorage(location=tmp_path)
    plain = django_storage.StaticFilesStorage(location=tmp_path)
    with mock.patch.object(
        django_storage.StaticFilesStorage, "url", autospec=True, side_effect=plain.url.__func__
    ) as worked_out:
        first = files.url("css/flightpath.css")
        again = files.url("css/flightpath.css")
    assert first == again == plain.url("css/flightpath.css") == "/static/css/flightpath.css"
    assert worked_out.call_count == 1


def test_the_manifest_s_hashed_name_is_remembered(tmp_path):
    (tmp_path / "site.css").write_text("body{}")
    files = static_files.ManifestStorage(location=tmp_path, base_url="/static/")
    files.hashed_files = {"site.css": "site.0123456789ab.css"}
    files.manifest_strict = True
    with mock.patch("django.conf.settings.DEBUG", False):
        assert files.url("site.css") == "/static/site.0123456789ab.css"
        files.hashed_files = {}  # a changed manifest is not read again by this process
        assert files.url("site.css") == "/static/site.0123456789ab.css"
        # Asked with the manifest's own arguments, it is worked out again (from the file).
        files.manifest_strict = False
        forced = files.url("site.css", force=True)
        assert forced.startswith("/static/site.") and forced != "/static/site.0123456789ab.css"


def test_names_beyond_the_limit_are_worked_out_each_time(tmp_path, monkeypatch):
    monkeypatch.setattr(static_files, "REMEMBERED", 2)
    files = static_files.StaticFilesStorage(location=tmp_path, base_url="/static/")
    for n in range(5):
        assert files.url(f"file-{n}.js") == f"/static/file-{n}.js"
    assert len(files._urls) == 2


def test_the_site_s_storage_is_the_remembering_one():
    assert static("css/flightpath.css").endswith("/css/flightpath.css")
    assert isinstance(django_storage.staticfiles_storage._wrapped, static_files.RememberedURLs)
