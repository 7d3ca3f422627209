"""Pages in the reader's language.

A page and its translations (wagtail-localize, one page per locale sharing a translation key)
are one page to readers: the page in the site's source language is the one that is served, so
that enrolments, completions, access and every link keep to one record whatever the language,
and a live translation in the reader's language supplies its text (the fields its model names
as translatable, except the slug, which keeps the page's address). A page read in a language
it has no live translation in keeps its own text, and its `locale_id` says so (templates mark
such text with its language and direction).

Everything here is remembered under the content generation, which publishing or unpublishing
any page (a translation included) moves, so a reader never gets a stale or withdrawn
translation.
"""

import copy

from django.conf import settings
from django.utils.translation import get_language
from wagtail.models import Locale, Page
from wagtail_localize.fields import TranslatableField, get_translatable_fields

from . import cache as content_cache


def reading_language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def _source_locale_id() -> int | None:
    return content_cache.remember(
        "source-locale",
        lambda: (
            Locale.objects.filter(language_code=settings.LANGUAGE_CODE)
            .values_list("pk", flat=True)
            .first()
        ),
    )


def text_fields(model) -> list[str]:
    """The fields a translation of `model` supplies to readers."""
    return [
        field.field_name
        for field in get_translatable_fields(model)
        if isinstance(field, TranslatableField) and field.field_name != "slug"
    ]


def source_of(page: Page) -> Page:
    """The page a translation was made from (its version in the site's source language), or
    `page` itself when it is in that language or exists only in its own."""
    source_locale = _source_locale_id()
    if page.locale_id == source_locale or source_locale is None:
        return page
    translations = Page.objects.filter(translation_key=page.translation_key, live=True)
    source = translations.filter(locale_id=source_locale).specific().first()
    return source or page


def _live_translations(pages, language: str) -> dict:
    """The live translation of each page into `language`, by translation key (None where
    there is none): one cache read, and one query for any not remembered."""
    keys = {f"translation:{language}:{page.translation_key}": page for page in pages}

    def find(missing: list[str]) -> dict:
        wanted = [keys[key].translation_key for key in missing]
        found = {
            page.translation_key: page
            for page in Page.objects.filter(
                translation_key__in=wanted, locale__language_code=language, live=True
            ).specific()
        }
        return {key: found.get(keys[key].translation_key) for key in missing}

    remembered = content_cache.remember_many(list(keys), find)
    return {keys[key].translation_key: value for key, value in remembered.items()}


def in_language(pages, language: str | None = None) -> list:
    """`pages` as readers of `language` (by default the active one) see them: each with the
    text of its live translation in that language where one exists, else as it is."""
    pages = list(pages)
    language = language or reading_language()
    if language == settings.LANGUAGE_CODE or not pages:
        return pages  # the source language: nothing to look up
    source_locale = _source_locale_id()
    candidates = [page for page in pages if page.locale_id == source_locale]
    if not candidates:
        return pages
    translations = _live_translations(candidates, language)
    return [
        _with_text_of(page, translations.get(page.translation_key))
        if page.locale_id == source_locale
        else page
        for page in pages
    ]


def _with_text_of(page, translation):
    if translation is None or type(translation) is not type(page):
        return page
    shown = copy.copy(page)
    for name in text_fields(type(page)):
        setattr(shown, name, getattr(translation, name))
    shown.locale_id = translation.locale_id  # its text is in the translation's language
    shown.translated_from_id = page.locale_id
    return shown


def page_in_language(page, language: str | None = None):
    return in_language([page], language)[0]


def languages_of(pages) -> dict[str, list[str]]:
    """The languages each page can be read in (its own and its live translations'), by
    translation key, in the order of the site's languages: one cache read, one query at most."""
    pages = list(pages)
    keys = {f"languages:{page.translation_key}": page for page in pages}

    def find(missing: list[str]) -> dict:
        wanted = {keys[key].translation_key for key in missing}
        found: dict = {key: set() for key in wanted}
        rows = Page.objects.filter(translation_key__in=wanted, live=True).values_list(
            "translation_key", "locale__language_code"
        )
        for key, language in rows:
            found[key].add(language)
        order = [code for code, _name in settings.LANGUAGES]
        return {
            f"languages:{key}": sorted(codes, key=lambda c: order.index(c) if c in order else 99)
            for key, codes in found.items()
        }

    remembered = content_cache.remember_many(list(keys), find)
    return {keys[key].translation_key: value for key, value in remembered.items()}
