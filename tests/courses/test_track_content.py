"""A track in the demo content: a `course.md` with `kind: track` and the slugs of its courses."""

from pathlib import Path

import pytest

from courses import content_loader, demo
from courses.content_loader import ContentError, load_courses
from courses.models import CoursePage, LessonPage, TrackPage

COURSE_MD = """---
title: {title}
slug: {slug}
audience: {audience}
{extra}---
## Summary
About {title}.

## Learning outcomes
- Know things.
"""

CONTENT = Path(__file__).resolve().parents[2] / "courses" / "content"
LESSON_MD = sorted(CONTENT.glob("01-*/01-*.md"))[0]  # a well-formed lesson to copy


def write_course(root: Path, folder: str, slug: str, extra: str = "", audience="public"):
    path = root / folder
    path.mkdir()
    (path / "course.md").write_text(
        COURSE_MD.format(title=slug.title(), slug=slug, audience=audience, extra=extra)
    )
    return path


def write_lesson(folder: Path, slug: str):
    source = LESSON_MD.read_text()
    head, _, rest = source[4:].partition("\n---\n")
    (folder / f"01-{slug}.md").write_text(f"---\ntitle: {slug}\nslug: {slug}\n---\n{rest}")


@pytest.fixture
def content(tmp_path):
    """Two courses of one lesson each, and a track of both with one lesson of its own."""
    write_lesson(write_course(tmp_path, "01-alpha", "alpha"), "alpha-lesson")
    write_lesson(write_course(tmp_path, "02-beta", "beta"), "beta-lesson")
    track = write_course(
        tmp_path, "03-track", "the-track", "kind: track\ncourses: beta, alpha\n", "trainers"
    )
    write_lesson(track, "track-lesson")
    return tmp_path


def test_a_track_names_its_courses_in_order(content):
    alpha, beta, track = load_courses(content)
    assert (alpha.is_track, beta.is_track, track.is_track) == (False, False, True)
    assert track.courses == ["beta", "alpha"]
    assert [lesson.slug for lesson in track.lessons] == ["track-lesson"]


@pytest.mark.parametrize(
    "extra, message",
    [
        ("kind: track\n", "a track names its courses"),
        ("kind: track\ncourses: alpha, nowhere\n", "no course named nowhere"),
        ("kind: track\ncourses: alpha, alpha\n", "each course once"),
        ("kind: track\ncourses: alpha, the-track\n", "each course once, and never itself"),
        ("kind: pathway\n", "kind must be"),
        ("courses: alpha\n", "only a track"),
    ],
)
def test_a_malformed_track_is_refused_with_the_reason(tmp_path, extra, message):
    write_course(tmp_path, "01-alpha", "alpha")
    write_course(tmp_path, "02-track", "the-track", extra)
    with pytest.raises(ContentError, match=message):
        load_courses(tmp_path)


def test_a_track_cannot_name_another_track(tmp_path):
    write_course(tmp_path, "01-alpha", "alpha")
    write_course(tmp_path, "02-first", "first", "kind: track\ncourses: alpha\n")
    write_course(tmp_path, "03-second", "second", "kind: track\ncourses: first\n")
    with pytest.raises(ContentError, match="no course named first"):
        load_courses(tmp_path)


@pytest.mark.django_db
def test_the_demo_builds_a_track_with_its_courses_and_lessons(content, monkeypatch):
    monkeypatch.setattr(content_loader, "CONTENT_DIR", content)
    monkeypatch.setattr(demo, "load_courses", lambda: load_courses(content))
    monkeypatch.setattr(demo, "load_quizzes", lambda: [])
    monkeypatch.setattr(demo.demo_h5p, "libraries_available", lambda: False)
    for _ in range(2):
        demo.load(with_accounts=False)
    track = TrackPage.objects.get(slug="the-track")
    assert [tc.course.slug for tc in track.track_courses.all()] == ["beta", "alpha"]
    assert track.audience == "trainers" and track.live
    lesson = LessonPage.objects.get(slug="track-lesson")
    assert lesson.get_parent().pk == track.pk
    assert lesson.course.pk == track.pk
    assert CoursePage.objects.count() == 3
    assert LessonPage.objects.count() == 3
