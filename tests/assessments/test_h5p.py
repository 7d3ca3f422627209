"""H5P packages: a real one is stored whole; every malicious or broken one is refused with its
reason, and leaves no row and no file."""

import io
import json
import stat
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.h5p.packages import PackageError
from assessments.h5p.services import h5p_import
from assessments.models import H5PPackage

pytestmark = pytest.mark.django_db

WORKSPACE = (
    Path(__file__).resolve().parents[2]
    / "node_modules"
    / "h5p-standalone-libraries"
    / "test"
    / "full_workspace"
)


@pytest.fixture(autouse=True)
def store(settings, tmp_path):
    settings.H5P_STORE = tmp_path / "h5p-store"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.H5P_STORE


def workspace_files() -> dict[str, bytes]:
    return {
        str(path.relative_to(WORKSPACE)): path.read_bytes()
        for path in sorted(WORKSPACE.rglob("*"))
        if path.is_file() and path.name != "H5P_CONTENT_HERE.txt"
    }


def build(tmp_path, files: dict[str, bytes], name="activity.h5p", symlinks=()) -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in files.items():
            archive.writestr(member, data)
        for member in symlinks:
            info = zipfile.ZipInfo(member)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return path


def stored_folders(store):
    return [p for p in store.iterdir() if p.name != ".staging"] if store.exists() else []


def test_real_true_false_package_is_stored_whole_outside_media(tmp_path, store, settings):
    package = h5p_import(source=str(build(tmp_path, workspace_files())), title="True or false")
    assert package.main_library == "H5P.TrueFalse-1.6"
    assert "H5P.FontIcons-1.0" in package.libraries and "Tether-1.0" in package.libraries
    folder = store / package.folder
    assert (folder / "h5p.json").is_file() and (folder / "content" / "content.json").is_file()
    assert not str(folder).startswith(str(settings.MEDIA_ROOT))
    assert package.extracted_bytes == sum(len(d) for d in workspace_files().values())


def without(files, prefix):
    return {k: v for k, v in files.items() if not k.startswith(prefix)}


BROKEN = {
    "zip slip": (lambda f: {**f, "../../x.js": b"alert(1)"}, "path traversal: ../../x.js"),
    "absolute path": (lambda f: {**f, "/etc/cron.d/x.js": b""}, "absolute path: /etc/cron.d/x.js"),
    "missing library": (
        lambda f: without(f, "H5P.FontIcons-1.0"),
        "missing library H5P.FontIcons-1.0",
    ),
    "malformed h5p.json": (lambda f: {**f, "h5p.json": b"{not json"}, "malformed h5p.json"),
    "malformed content": (
        lambda f: {**f, "content/content.json": b"[1,"},
        "malformed content/content.json",
    ),
    "no h5p.json": (lambda f: without(f, "h5p.json"), "missing h5p.json"),
    "server script": (
        lambda f: {**f, "content/shell.php": b"<?php"},
        "file type not allowed: content/shell.php",
    ),
    "zip bomb": (
        lambda f: {**f, "content/zeros.txt": b"\0" * (20 * 1024 * 1024)},
        "compression ratio too high",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_package_is_refused_with_its_reason_and_nothing_is_kept(tmp_path, store, case):
    change, reason = BROKEN[case]
    path = build(tmp_path, change(workspace_files()))
    with pytest.raises(PackageError, match=reason.replace("(", r"\(").replace(".", r"\.")):
        h5p_import(source=str(path))
    assert not H5PPackage.objects.exists()
    assert stored_folders(store) == []
    assert not any((store / ".staging").iterdir()) if (store / ".staging").exists() else True


def test_symbolic_link_is_refused(tmp_path, store):
    path = build(tmp_path, workspace_files(), symlinks=["content/link.js"])
    with pytest.raises(PackageError, match="symbolic link: content/link.js"):
        h5p_import(source=str(path))
    assert stored_folders(store) == []


def test_duplicate_names_are_refused(tmp_path, store):
    path = build(tmp_path, workspace_files())
    with zipfile.ZipFile(path, "a") as archive, pytest.warns(UserWarning):
        archive.writestr("h5p.json", b"{}")
    with pytest.raises(PackageError, match="duplicate name: h5p.json"):
        h5p_import(source=str(path))


def test_not_a_zip_is_refused(tmp_path, store):
    path = tmp_path / "activity.h5p"
    path.write_bytes(b"this is not a zip at all")
    with pytest.raises(PackageError, match="not a zip file"):
        h5p_import(source=str(path))


def test_oversized_upload_is_refused(tmp_path, store, settings):
    settings.H5P_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(PackageError, match="larger than 1000 bytes"):
        h5p_import(source=str(build(tmp_path, workspace_files())))


def test_extracted_size_is_counted_not_trusted(tmp_path, store, settings):
    import os

    settings.H5P_MAX_EXTRACTED_BYTES = 1_000_000
    noise = {**workspace_files(), "content/noise.txt": os.urandom(1_200_000)}
    with pytest.raises(PackageError, match="too large once extracted"):
        h5p_import(source=str(build(tmp_path, noise)))
    assert stored_folders(store) == []


def test_too_many_files_are_refused(tmp_path, store, settings):
    settings.H5P_MAX_ENTRIES = 50
    with pytest.raises(PackageError, match="too many files"):
        h5p_import(source=str(build(tmp_path, workspace_files())))


def test_import_command_reports_success(tmp_path):
    out = io.StringIO()
    call_command(
        "import_h5p", str(build(tmp_path, workspace_files())), "--title", "Quiz", stdout=out
    )
    assert "Imported “Quiz” (H5P.TrueFalse-1.6)" in out.getvalue()


def test_import_command_exits_with_the_reason(tmp_path):
    path = build(tmp_path, without(workspace_files(), "Tether-1.0"))
    with pytest.raises(CommandError, match="refused: missing library Tether-1.0"):
        call_command("import_h5p", str(path))
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_h5p", str(tmp_path / "missing.h5p"))


def test_manifest_without_main_library_is_refused(tmp_path, store):
    files = workspace_files()
    manifest = json.loads(files["h5p.json"])
    del manifest["mainLibrary"]
    with pytest.raises(PackageError, match="mainLibrary"):
        h5p_import(source=str(build(tmp_path, {**files, "h5p.json": json.dumps(manifest)})))


def test_trainer_uploads_a_package_in_the_cms(client, trainer, tmp_path, store):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(trainer)
    url = "/admin/snippets/assessments/h5ppackage/add/"
    assert client.get(url).status_code == 200
    data = build(tmp_path, workspace_files()).read_bytes()
    upload = SimpleUploadedFile("activity.h5p", data, content_type="application/zip")
    response = client.post(url, {"title": "", "counting": "last", "package": upload})
    assert response.status_code == 302
    package = H5PPackage.objects.get()
    assert (package.title, package.counting, package.uploaded_by) == (
        "Hello World",
        "last",
        trainer,
    )
    assert (store / package.folder / "h5p.json").is_file()


def test_refused_upload_in_the_cms_shows_the_reason_and_keeps_nothing(
    client, trainer, tmp_path, store
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(trainer)
    bad = build(tmp_path, without(workspace_files(), "Tether-1.0")).read_bytes()
    response = client.post(
        "/admin/snippets/assessments/h5ppackage/add/",
        {
            "title": "Broken",
            "counting": "best",
            "package": SimpleUploadedFile("broken.h5p", bad, content_type="application/zip"),
        },
    )
    assert response.status_code == 200
    assert "missing library Tether-1.0" in response.text
    assert not H5PPackage.objects.exists() and stored_folders(store) == []
