"""Reads the demo courses in `courses/content/` (format in its README) into plain data.

The loader is strict: a malformed file raises ContentError naming the file and the problem, so
content written for the platform cannot silently lose a section.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from cms.markdown_files import ContentError, front_matter, sections, to_html

CONTENT_DIR = Path(__file__).resolve().parent / "content"
LESSON_SECTIONS = ["Objectives", "Body", "Key points", "Check your understanding", "Sources"]
# For trainers only, after Sources: neither counts towards the body nor reaches learners.
TRAINER_SECTIONS = ["Trainer notes", "Indicator card"]
COURSE_SECTIONS = ["Summary", "Learning outcomes"]
CALLOUT_KINDS = {"info", "warning", "example"}
DIRECTIVE = re.compile(r"^::: (quote|callout)(?: (.*))?$")
CHOICE = re.compile(r"^- \[( |x)\] (.+?) -> (.+)$")


@dataclass
class Lesson:
    title: str
    slug: str
    estimated_minutes: int
    objectives: list[str]
    body: list[tuple[str, object]]
    key_points: list[str]
    questions: list[dict]
    sources_html: str
    body_words: int
    trainer_notes: str = ""  # Markdown, kept as written (rendered for trainers only)
    indicator_card: list[str] = field(default_factory=list)
    handout_mrz_map: bool = False

    def stream_data(self) -> list[tuple[str, object]]:
        """StreamField content: the body, questions, key points, then the source note."""
        questions = [("check_understanding", q) for q in self.questions]
        return [
            *self.body,
            *questions,
            ("key_points", {"points": self.key_points}),
            ("source_note", {"text": self.sources_html}),
        ]


@dataclass
class Course:
    title: str
    slug: str
    audience: str
    estimated_minutes: int
    summary: str
    learning_outcomes: list[str]
    lessons: list[Lesson] = field(default_factory=list)
    kind: str = "course"  # or "track": the courses named in `courses`, then its own lessons
    courses: list[str] = field(default_factory=list)  # a track's courses, by slug, in order

    @property
    def is_track(self) -> bool:
        return self.kind == "track"


def _sections(
    text: str, expected: list[str], path: Path, optional: list[str] = ()
) -> dict[str, str]:
    """The sections named `expected`, in order, then any of `optional`, in their order."""
    found = sections(text)
    names = [name for name, _body in found]
    extra = names[len(expected) :]
    if names[: len(expected)] != expected or extra != [n for n in optional if n in extra]:
        wanted = expected + [f"({name})" for name in optional]
        raise ContentError(f"{path.name}: sections must be {wanted}, found {names}")
    return dict(found)


def _bullets(text: str, path: Path, section: str) -> list[str]:
    items = [line[2:].strip() for line in text.splitlines() if line.startswith("- ")]
    if not items:
        raise ContentError(f"{path.name}: '{section}' needs at least one '- ' line")
    return items


def _body_blocks(text: str, path: Path) -> list[tuple[str, object]]:
    blocks, prose, lines = [], [], iter(text.splitlines())
    for line in lines:
        match = DIRECTIVE.match(line)
        if not match:
            prose.append(line)
            continue
        if "".join(prose).strip():
            blocks.append(("paragraph", to_html("\n".join(prose))))
        prose = []
        inner = []
        for inner_line in lines:
            if inner_line.strip() == ":::":
                break
            inner.append(inner_line)
        else:
            raise ContentError(f"{path.name}: '{line}' is not closed with :::")
        blocks.append(_directive(match.group(1), match.group(2) or "", "\n".join(inner), path))
    if "".join(prose).strip():
        blocks.append(("paragraph", to_html("\n".join(prose))))
    return blocks


def _directive(name: str, argument: str, inner: str, path: Path) -> tuple[str, object]:
    if name == "quote":
        return "quote", {"text": inner.strip(), "attribution": argument.strip()}
    kind, _, title = argument.partition(" ")
    if kind not in CALLOUT_KINDS:
        raise ContentError(f"{path.name}: callout kind '{kind}' is not one of {CALLOUT_KINDS}")
    return "callout", {"kind": kind, "title": title.strip(), "text": to_html(inner)}


def _questions(text: str, path: Path) -> list[dict]:
    questions = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("? "):
            questions.append({"question": line[2:].strip(), "choices": []})
        elif line.startswith("- ["):
            match = CHOICE.match(line)
            if not match or not questions:
                raise ContentError(f"{path.name}: bad choice line: {line}")
            questions[-1]["choices"].append(
                {
                    "text": match.group(2),
                    "is_correct": match.group(1) == "x",
                    "feedback": match.group(3),
                }
            )
    for q in questions:
        if len(q["choices"]) < 2 or not any(c["is_correct"] for c in q["choices"]):
            raise ContentError(f"{path.name}: '{q['question']}' needs 2+ choices, one correct")
    if not questions:
        raise ContentError(f"{path.name}: needs at least one '? ' question")
    return questions


def parse_lesson(path: Path) -> Lesson:
    meta, rest = front_matter(path.read_text(encoding="utf-8"), path)
    sections = _sections(rest, LESSON_SECTIONS, path, TRAINER_SECTIONS)
    card = sections.get("Indicator card")
    return Lesson(
        title=meta["title"],
        slug=meta["slug"],
        estimated_minutes=int(meta.get("estimated_minutes", 10)),
        objectives=_bullets(sections["Objectives"], path, "Objectives"),
        body=_body_blocks(sections["Body"], path),
        key_points=_bullets(sections["Key points"], path, "Key points"),
        questions=_questions(sections["Check your understanding"], path),
        sources_html=to_html(sections["Sources"]),
        body_words=len(sections["Body"].split()),
        trainer_notes=_trainer_notes(sections.get("Trainer notes"), path),
        indicator_card=_bullets(card, path, "Indicator card") if card is not None else [],
        handout_mrz_map=meta.get("handout") == "mrz-map",
    )


def _trainer_notes(text: str | None, path: Path) -> str:
    """The notes as Markdown, kept as written (HTML in them is shown as text, not run)."""
    if text is None:
        return ""
    if not text.strip():
        raise ContentError(f"{path.name}: 'Trainer notes' is empty")
    return text.strip()


def _track_courses(meta: dict[str, str], path: Path) -> tuple[str, list[str]]:
    """A track's kind and its courses' slugs (`courses: a, b, c`); a course names none."""
    kind = meta.get("kind", "course")
    slugs = [slug.strip() for slug in meta.get("courses", "").split(",") if slug.strip()]
    if kind not in ("course", "track"):
        raise ContentError(f"{path.name}: kind must be 'course' or 'track', found '{kind}'")
    if kind == "track" and not slugs:
        raise ContentError(f"{path.name}: a track names its courses: 'courses: slug, slug'")
    if kind == "course" and slugs:
        raise ContentError(f"{path.name}: only a track (kind: track) names courses")
    if len(set(slugs)) != len(slugs) or meta.get("slug") in slugs:
        raise ContentError(f"{path.name}: a track names each course once, and never itself")
    return kind, slugs


def parse_course(folder: Path) -> Course:
    path = folder / "course.md"
    meta, rest = front_matter(path.read_text(encoding="utf-8"), path)
    sections = _sections(rest, COURSE_SECTIONS, path)
    kind, courses = _track_courses(meta, path)
    return Course(
        kind=kind,
        courses=courses,
        title=meta["title"],
        slug=meta["slug"],
        audience=meta["audience"],
        estimated_minutes=int(meta.get("estimated_minutes", 30)),
        summary=" ".join(sections["Summary"].split()),
        learning_outcomes=_bullets(sections["Learning outcomes"], path, "Learning outcomes"),
        lessons=[parse_lesson(p) for p in sorted(folder.glob("[0-9]*.md"))],
    )


def load_courses(directory: Path = CONTENT_DIR) -> list[Course]:
    """Courses and tracks in folder order; a track names only courses (not tracks) of the
    folder, found before or after it."""
    loaded = [parse_course(folder) for folder in sorted(directory.iterdir()) if folder.is_dir()]
    courses = {course.slug for course in loaded if not course.is_track}
    for track in (course for course in loaded if course.is_track):
        unknown = [slug for slug in track.courses if slug not in courses]
        if unknown:
            raise ContentError(f"{track.slug}/course.md: no course named {', '.join(unknown)}")
    return loaded


def load_translations(directory: Path | None = None) -> dict[str, list[tuple[Path, Course]]]:
    """The translations of the courses, by language: `<course>/translations/<lang>/` holds
    the course's files under the same names, translated (all of them or some lessons). Each
    is parsed as strictly as the English; whether it matches its source is checked when it is
    loaded (courses.demo_translations)."""
    found: dict[str, list[tuple[Path, Course]]] = {}
    for folder in sorted((directory or CONTENT_DIR).iterdir()):
        if not folder.is_dir():
            continue
        for language in sorted((folder / "translations").glob("*/")):
            if (language / "course.md").exists():
                found.setdefault(language.name, []).append((language, parse_course(language)))
    return found
