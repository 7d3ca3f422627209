"""Checking and storing H5P packages uploaded by trainers.

An .h5p file is a zip of JavaScript, styles and content that will run in learners' browsers, so
it is refused unless it is plainly what it says: a real zip within size limits, with no path
that climbs out of its folder, no absolute path, no link, no name twice, only files of the kinds
H5P uses, `h5p.json` and `content/content.json` well-formed, and every library it needs
(directly or through other libraries) inside it. The central directory is checked first; then
files are extracted into a staging folder while their bytes are counted (headers are not
trusted), the package is read, and the folder is moved into the private store in one rename.
Any refusal removes the staging folder: a refused package leaves nothing behind.
"""

import json
import os
import shutil
import stat
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings

CHUNK = 64 * 1024
ALLOWED_EXTENSIONS = {
    "json",
    "js",
    "css",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "svg",
    "webp",
    "bmp",
    "tif",
    "tiff",
    "eot",
    "ttf",
    "otf",
    "woff",
    "woff2",
    "mp3",
    "mp4",
    "m4a",
    "ogg",
    "oga",
    "webm",
    "wav",
    "vtt",
    "webvtt",
    "txt",
    "md",
    "csv",
    "xml",
    "pdf",
    "gltf",
    "glb",
}


class PackageError(ValueError):
    """Why a package was refused, in words a trainer can act on."""


@dataclass(frozen=True)
class Limits:
    upload_bytes: int
    extracted_bytes: int
    entries: int
    ratio: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            upload_bytes=settings.H5P_MAX_UPLOAD_BYTES,
            extracted_bytes=settings.H5P_MAX_EXTRACTED_BYTES,
            entries=settings.H5P_MAX_ENTRIES,
            ratio=settings.H5P_MAX_RATIO,
        )


@dataclass(frozen=True)
class PackageInfo:
    title: str
    main_library: str
    libraries: tuple[str, ...]
    extracted_bytes: int


def library_name(dependency: dict) -> str:
    try:
        return (
            f"{dependency['machineName']}-{int(dependency['majorVersion'])}"
            f".{int(dependency['minorVersion'])}"
        )
    except (KeyError, TypeError, ValueError) as e:
        raise PackageError(f"a dependency is not machineName/majorVersion/minorVersion: {e}") from e


def check_entries(archive: zipfile.ZipFile, limits: Limits) -> list[zipfile.ZipInfo]:
    """Refuse anything suspicious in the central directory before a byte is extracted."""
    infos = archive.infolist()
    if len(infos) > limits.entries:
        raise PackageError(f"too many files: {len(infos)} (at most {limits.entries})")
    seen = set()
    for info in infos:
        name = info.filename
        _check_name(name)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise PackageError(f"symbolic link: {name}")
        if name.lower() in seen:
            raise PackageError(f"duplicate name: {name}")
        seen.add(name.lower())
        if info.is_dir():
            continue
        extension = PurePosixPath(name).suffix.lower().lstrip(".")
        if extension not in ALLOWED_EXTENSIONS:
            raise PackageError(f"file type not allowed: {name}")
        if info.file_size > limits.ratio * max(info.compress_size, 1) and info.file_size > CHUNK:
            raise PackageError(f"compression ratio too high (a zip bomb?): {name}")
    return infos


def _check_name(name: str) -> None:
    if name.startswith("/") or "\\" in name or (len(name) > 1 and name[1] == ":"):
        raise PackageError(f"absolute path: {name}")
    if ".." in PurePosixPath(name).parts:
        raise PackageError(f"path traversal: {name}")
    if "\x00" in name:
        raise PackageError(f"bad file name: {name!r}")


def extract(archive: zipfile.ZipFile, infos, target: Path, limits: Limits) -> int:
    """Extract counting the bytes actually read; returns the total."""
    total = 0
    for info in infos:
        destination = target / info.filename
        if info.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as source, open(destination, "wb") as out:
            while chunk := source.read(CHUNK):
                total += len(chunk)
                if total > limits.extracted_bytes:
                    raise PackageError(
                        f"too large once extracted (more than {limits.extracted_bytes} bytes)"
                    )
                out.write(chunk)
    return total


def _json(folder: Path, name: str) -> dict:
    path = folder / name
    if not path.is_file():
        raise PackageError(f"missing {name}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise PackageError(f"malformed {name}: {e}") from e
    if not isinstance(data, dict):
        raise PackageError(f"malformed {name}: not a JSON object")
    return data


def read_package(folder: Path, extracted_bytes: int = 0) -> PackageInfo:
    manifest = _json(folder, "h5p.json")
    _json(folder, "content/content.json")
    if not isinstance(manifest.get("title"), str) or not manifest.get("mainLibrary"):
        raise PackageError("malformed h5p.json: it needs a title and a mainLibrary")
    needed = [library_name(d) for d in manifest.get("preloadedDependencies", [])]
    found = set()
    while needed:
        name = needed.pop()
        if name in found:
            continue
        library = folder / name / "library.json"
        if not library.is_file():
            raise PackageError(f"missing library {name}")
        found.add(name)
        data = _json(folder, f"{name}/library.json")
        for key in ("preloadedDependencies", "dynamicDependencies"):
            needed += [library_name(d) for d in data.get(key, [])]
    main = [n for n in found if n.rsplit("-", 1)[0] == manifest["mainLibrary"]]
    if not main:
        raise PackageError(f"missing library {manifest['mainLibrary']} (the main library)")
    return PackageInfo(
        title=manifest["title"],
        main_library=main[0],
        libraries=tuple(sorted(found)),
        extracted_bytes=extracted_bytes,
    )


def store_root() -> Path:
    return Path(settings.H5P_STORE)


def import_package(source, *, limits: Limits | None = None) -> tuple[str, PackageInfo]:
    """Check `source` (a path or file object), store it, return its folder name and details."""
    limits = limits or Limits.from_settings()
    size = os.path.getsize(source) if isinstance(source, str | Path) else source.size
    if size > limits.upload_bytes:
        raise PackageError(f"the file is larger than {limits.upload_bytes} bytes")
    staging = store_root() / ".staging" / uuid.uuid4().hex
    try:
        try:
            archive = zipfile.ZipFile(source)
        except zipfile.BadZipFile as e:
            raise PackageError("not a zip file (an .h5p package is a zip)") from e
        with archive:
            infos = check_entries(archive, limits)
            staging.mkdir(parents=True)
            total = extract(archive, infos, staging, limits)
        info = read_package(staging, total)
        name = uuid.uuid4().hex
        os.replace(staging, store_root() / name)  # one rename: the package appears whole
        return name, info
    except (OSError, zipfile.BadZipFile, RuntimeError, EOFError) as e:
        raise PackageError(f"the package could not be read: {e}") from e
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def remove_package(name: str) -> None:
    if name and "/" not in name and "." not in name:
        shutil.rmtree(store_root() / name, ignore_errors=True)
