"""Publishes the shipped translations of the courses as wagtail-localize translations.

Each translated file becomes the translation of its English page the way a trainer makes one
in the CMS: the English page is the translation source, every text segment of it gets its
translation (so the CMS shows the translation as complete, and which segments are out of date
once the English changes), and the translated page is saved from those segments and
published. The translated file must have the English page's structure: the same lessons by
slug, the same blocks in the same order, the same questions with the same right answers.
Anything else is refused with the file's name. A page that already has a translation in a
language is left as it is, so running it twice changes nothing and never overwrites a
translator's edits in the CMS.
"""

import json
from pathlib import Path

from django.conf import settings
from wagtail.models import Locale, Page
from wagtail_localize.models import (
    SegmentOverride,
    String,
    StringTranslation,
    Translation,
    TranslationContext,
    TranslationSource,
)
from wagtail_localize.segments import OverridableSegmentValue, StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from assessments.content_loader import QuizSpec, load_quiz_translations
from assessments.models import Quiz
from cms.markdown_files import ContentError, front_matter, sections

from .content_loader import Course, Lesson, load_translations
from .models import CoursePage, LessonPage

SITE_PAGES_DIR = Path(__file__).resolve().parent / "content_pages"
SITE_PAGE_SECTIONS = (
    "Home title",
    "Home introduction",
    "Catalogue title",
    "Catalogue introduction",
)


def site_pages(home: Page, catalogue: Page, directory: Path = SITE_PAGES_DIR) -> int:
    """Translate the home page and the course catalogue from `<lang>.md` in `directory` (its
    four sections: `SITE_PAGE_SECTIONS`); the number of pages translated. A course's
    translation copies its parent pages, in English, as aliases when they have no translation
    yet: such an alias is translated here too (so a demo loaded before this runs is caught
    up), but a translation someone made is left as it is."""
    made = 0
    for path in sorted(directory.glob("*.md")):
        if path.name == "README.md":
            continue
        meta, text = front_matter(path.read_text(encoding="utf-8"), path)
        found = dict(sections(text))
        if missing := [name for name in SITE_PAGE_SECTIONS if not found.get(name)]:
            raise ContentError(f"{path.name}: no '{missing[0]}' section")
        locale = _locale(meta.get("language") or path.stem)
        for page, prefix in ((home, "Home"), (catalogue, "Catalogue")):
            page = page.specific
            fields = {
                name: found[f"{prefix} {name}"]
                for name in ("title", "introduction")
                if getattr(page, name)  # a page of the site's own, without an introduction
            }
            made += _translate(page, fields, path, locale, replace_copy=True)
    return made


def load(courses: dict[str, CoursePage], directory=None, activities=None) -> int:
    """Translate the courses in `courses` (by slug) from their `translations/` folders; the
    number of pages translated. `activities` are the translated H5P activities by language
    (`assessments.h5p.demo.translated_activities`): a translated lesson plays its own."""
    found = load_translations(directory)
    made = 0
    for language, translated in found.items():
        locale = _locale(language)
        packages = _packages((activities or {}).get(language, []))
        for folder, course in translated:
            source = courses.get(course.slug)
            if source is None:
                raise ContentError(f"{folder}/course.md: no course named '{course.slug}'")
            made += _course(source, course, folder, locale, packages)
    return made


def _packages(activities) -> dict[tuple[str, str], int]:
    """The H5P package of each translated activity, by course and lesson slug."""
    from assessments.h5p import demo as demo_h5p

    return {(a.course, a.lesson): demo_h5p.package_for(a).pk for a in activities}


def _locale(language: str) -> Locale:
    if language not in dict(settings.WAGTAIL_CONTENT_LANGUAGES):
        raise ContentError(f"translations/{language}: not one of the site's languages")
    return Locale.objects.get_or_create(language_code=language)[0]


def _course(source: CoursePage, course: Course, folder: Path, locale: Locale, packages) -> int:
    made = _translate(
        source,
        {
            "title": course.title,
            "summary": course.summary,
            "learning_outcomes": "\n".join(course.learning_outcomes),
        },
        folder / "course.md",
        locale,
    )
    lessons = {lesson.slug: lesson for lesson in LessonPage.objects.child_of(source).specific()}
    for index, lesson in enumerate(course.lessons):
        page = lessons.get(lesson.slug)
        name = _lesson_file(folder, index, lesson)
        if page is None:
            raise ContentError(f"{name}: no lesson '{lesson.slug}' in '{course.slug}'")
        h5p = packages.get((course.slug, lesson.slug))
        made += _translate(page, _lesson_fields(page, lesson, name), name, locale, h5p)
    return made


def _lesson_file(folder: Path, index: int, lesson: Lesson) -> Path:
    return sorted(folder.glob("[0-9]*.md"))[index]


def _lesson_fields(page: LessonPage, lesson: Lesson, name: Path) -> dict:
    return {
        "title": lesson.title,
        "objectives": "\n".join(lesson.objectives),
        "body": json.dumps(_body(page, lesson, name)),
        "trainer_notes": lesson.trainer_notes or page.trainer_notes,
        "indicator_card": "\n".join(lesson.indicator_card) or page.indicator_card,
    }


def _body(page: LessonPage, lesson: Lesson, name: Path) -> list[dict]:
    """The English body with each block's text from the translation: the same blocks, ids
    and right answers; blocks not written in Markdown (an H5P activity) stay as they are."""
    translated = iter(lesson.stream_data())
    body = []
    for block in page.body.raw_data:
        if block["type"] == "h5p":
            body.append(dict(block))
            continue
        kind, value = next(translated, (None, None))
        if kind != block["type"]:
            raise ContentError(
                f"{name.name}: the English has a '{block['type']}' block where the "
                f"translation has {kind and repr(kind) or 'nothing'}"
            )
        _check_same_answers(block["value"], value, name)
        body.append({"type": kind, "value": _with_ids(block["value"], value), "id": block["id"]})
    extra = next(translated, None)
    if extra is not None:
        raise ContentError(f"{name.name}: a '{extra[0]}' block the English does not have")
    return body


def _check_same_answers(english, translated, name: Path) -> None:
    if not isinstance(english, dict) or "choices" not in english:
        return
    right = [bool(_item(choice).get("is_correct")) for choice in english["choices"]]
    if right != [bool(choice.get("is_correct")) for choice in translated["choices"]]:
        raise ContentError(
            f"{name.name}: a question's choices or right answers differ from the English"
        )


def _item(value):
    """A list item's value: stored lists wrap each item with its type and id."""
    if isinstance(value, dict) and {"type", "value", "id"} <= value.keys():
        return value["value"]
    return value


def _with_ids(english, translated):
    """The translated value, keeping the ids of the English list items (choices)."""
    if isinstance(english, dict) and isinstance(translated, dict):
        return {key: _with_ids(english.get(key), value) for key, value in translated.items()}
    if isinstance(english, list) and isinstance(translated, list):
        if len(english) == len(translated) and all(
            isinstance(item, dict) and "id" in item for item in english
        ):
            return [
                {**item, "value": _with_ids(item.get("value"), new)}
                if "value" in item
                else _with_ids(item, new)
                for item, new in zip(english, translated, strict=True)
            ]
        return [_with_ids(None, value) for value in translated]
    return translated


def _translate(
    item, fields: dict, name: Path, locale: Locale, h5p: int | None = None, replace_copy=False
) -> int:
    """Translate `item` (a page or a quiz) into `locale` with the text in `fields`, through
    wagtail-localize, its H5P activity replaced by the package `h5p`; 0 when it already has
    a translation there (with `replace_copy`, unless that is an untouched copy of `item`)."""
    item = item.specific if isinstance(item, Page) else item
    if item.has_translation(locale) and not (replace_copy and _untouched_copy(item, locale)):
        return 0
    source, _created = TranslationSource.update_or_create_from_instance(item)
    translated = type(item).objects.get(pk=item.pk)  # a copy to fill with the translation
    for field, value in fields.items():
        setattr(translated, field, value)
    _store_segments(source, item, translated, name, locale)
    if h5p is not None:
        _override_activity(source, item, locale, h5p)
    Translation.objects.get_or_create(source=source, target_locale=locale)
    target, _created = source.create_or_update_translation(
        locale, publish=False, copy_parent_pages=True, fallback=False
    )
    target.get_latest_revision().publish()
    return 1


def _untouched_copy(page: Page, locale: Locale) -> bool:
    """Whether `page`'s version in `locale` is still the alias wagtail-localize made of it
    when it translated one of its children (a page's untranslated parents are copied as
    aliases, in the page's language, and a translator's first edit converts them)."""
    return page.get_translation(locale).alias_of_id == page.pk


def quizzes(found: dict[str, Quiz], directory=None) -> int:
    """Translate the quizzes in `found` (by slug) from `translations/<lang>/<slug>.md`; the
    number translated. A translation must grade exactly as its quiz does."""
    translations = load_quiz_translations(directory) if directory else load_quiz_translations()
    made = 0
    for language, specs in translations.items():
        locale = _locale(language)
        for path, spec in specs:
            quiz = found.get(spec.slug)
            if quiz is None:
                raise ContentError(f"{path.name}: no quiz named '{spec.slug}'")
            made += _translate(quiz, _quiz_fields(quiz, spec, path), path, locale)
    return made


def _quiz_fields(quiz: Quiz, spec: QuizSpec, path: Path) -> dict:
    fields = {
        "title": spec.title,
        "introduction": spec.introduction_html,
        "questions": json.dumps(_same_blocks(quiz.questions, spec.questions_data(), path)),
        "endings": json.dumps(_same_blocks(quiz.endings, spec.endings_data(), path)),
    }
    worded = Quiz(**{**_rules(quiz), **fields})
    if worded.grading_structure() != quiz.grading_structure():
        raise ContentError(
            f"{path.name}: its questions, right answers, points or routes differ from the "
            "English quiz"
        )
    return fields


def _rules(quiz: Quiz) -> dict:
    names = ("dimensions", "pass_on", "pass_mark", "draw", "audience", "slug")
    return {name: getattr(quiz, name) for name in names}


def _same_blocks(stream, translated: list[dict], path: Path) -> list[dict]:
    """The translated blocks with the English blocks' ids, block by block."""
    english = list(stream.raw_data)
    kinds = [block["type"] for block in english], [block["type"] for block in translated]
    if kinds[0] != kinds[1]:
        raise ContentError(f"{path.name}: its questions or endings differ from the English quiz")
    return [
        {"type": mine["type"], "value": _with_ids(mine["value"], theirs["value"]), "id": mine["id"]}
        for mine, theirs in zip(english, translated, strict=True)
    ]


def _store_segments(source, page, translated, name: Path, locale: Locale) -> None:
    """Each text segment of `page`, paired with the same segment of `translated`."""
    english = [s for s in extract_segments(page) if isinstance(s, StringSegmentValue)]
    theirs = [s for s in extract_segments(translated) if isinstance(s, StringSegmentValue)]
    paths = [s.path for s in english], [s.path for s in theirs]
    if paths[0] != paths[1]:
        where = next((a for a, b in zip(*paths, strict=False) if a != b), "the number of passages")
        raise ContentError(f"{name.name}: the text does not follow the English at {where}")
    for mine, their in zip(english, theirs, strict=True):
        context, _ = TranslationContext.objects.get_or_create(
            object_id=source.object_id, path=mine.path
        )
        StringTranslation.objects.update_or_create(
            translation_of=String.from_value(source.locale, mine.string),
            locale=locale,
            context=context,
            defaults={
                "data": their.string.data,
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
            },
        )


def _override_activity(source, page, locale: Locale, package_id: int) -> None:
    """The translation plays the translated activity: an override of the English lesson's
    H5P block, as a translator sets one in the CMS."""
    for segment in extract_segments(page):
        if isinstance(segment, OverridableSegmentValue) and segment.path.endswith(".activity"):
            context, _ = TranslationContext.objects.get_or_create(
                object_id=source.object_id, path=segment.path
            )
            SegmentOverride.objects.update_or_create(
                locale=locale, context=context, defaults={"data_json": json.dumps(package_id)}
            )
