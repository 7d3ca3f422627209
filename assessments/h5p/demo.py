"""Builds the demo H5P true/false activities with pyh5p, offline, from the H5P.TrueFalse 1.6
library shipped in the npm tarball h5p-standalone@2.1.3 (installed as h5p-standalone-libraries).
Each package then goes through the same checks as an upload."""

import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from cms.markdown_files import ContentError, front_matter, sections, to_html

from ..models import H5PPackage
from .services import h5p_import

ACTIVITIES = Path(__file__).resolve().parent.parent / "content" / "h5p" / "activities.md"


@dataclass(frozen=True)
class Activity:
    course: str
    lesson: str
    title: str
    statement: str
    correct: bool


def activities(path: Path = ACTIVITIES) -> list[Activity]:
    _meta, text = front_matter(path.read_text(encoding="utf-8"), path)
    found = []
    for heading, body in sections(text):
        course, _, lesson = heading.removeprefix("Activity ").partition("/")
        fields = dict(line.split(": ", 1) for line in body.splitlines() if ": " in line)
        found.append(
            Activity(
                course, lesson, fields["title"], fields["statement"], fields["correct"] == "true"
            )
        )
    return found


def translated_activities(path: Path = ACTIVITIES) -> dict[str, list[Activity]]:
    """The activities' translations, by language (`translations/<lang>/activities.md`, the
    same `## Activity` headings): each must be true or false as its English activity is."""
    english = {(a.course, a.lesson): a for a in activities(path)}
    found = {}
    for translated in sorted(path.parent.glob("translations/*/activities.md")):
        for activity in activities(translated):
            source = english.get((activity.course, activity.lesson))
            if source is None or source.correct != activity.correct:
                raise ContentError(
                    f"{translated.parent.name}/activities.md: '{activity.course}/"
                    f"{activity.lesson}' has no English activity with the same answer"
                )
            found.setdefault(translated.parent.name, []).append(activity)
    return found


def libraries_available() -> bool:
    return (Path(settings.H5P_DEMO_LIBRARIES) / "H5P.TrueFalse-1.6" / "library.json").is_file()


def package_for(activity: Activity) -> H5PPackage:
    """The activity's package, built and imported once (found again by its title)."""
    existing = H5PPackage.objects.filter(title=activity.title).first()
    if existing:
        return existing
    import pyh5p

    store = pyh5p.LibraryStore(str(settings.H5P_DEMO_LIBRARIES))
    content = pyh5p.build(
        "H5P.TrueFalse",
        {"question": to_html(activity.statement), "correct": str(activity.correct).lower()},
        store=store,
        fetch=False,
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "activity.h5p"
        content.save(path)
        return h5p_import(source=str(path), title=activity.title)
