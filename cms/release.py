"""Which release of Flightpath is running: part of every content cache key, so a deploy starts
with a clean cache instead of serving pages rendered by the code it replaced."""

import hashlib
from importlib.metadata import version
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# What shapes a rendered page: code, templates, translations and the site's own assets.
SOURCES = ("cms", "courses", "assessments", "static", "locale")
SUFFIXES = {".py", ".html", ".txt", ".mo", ".css", ".js", ".svg"}
LIBRARIES = ("django", "wagtail", "django-allauth")


def release(environ) -> str:
    """FLIGHTPATH_RELEASE when set (the commit being deployed), else a digest of the code."""
    return environ.get("FLIGHTPATH_RELEASE") or code_digest()


def code_digest() -> str:
    """A digest of the running code, the same on every machine that runs the same code (file
    contents, not times), so workers sharing one cache agree on the release."""
    digest = hashlib.sha256()
    for library in LIBRARIES:
        digest.update(f"{library}=={version(library)}\n".encode())
    for path in sorted(_source_files()):
        digest.update(path.relative_to(BASE_DIR).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _source_files():
    for folder in SOURCES:
        for path in (BASE_DIR / folder).rglob("*"):
            if path.suffix in SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
                yield path
