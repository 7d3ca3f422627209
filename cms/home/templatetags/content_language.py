"""The language a page's own text is written in, for readers of another."""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info
from wagtail.models import Locale

from .. import cache as content_cache
from ..translations import languages_of

register = template.Library()


def _locale_languages() -> dict[int, str]:
    return content_cache.remember(
        "locale-languages", lambda: dict(Locale.objects.values_list("pk", "language_code"))
    )


def content_language_of(item) -> str:
    """The language `item`'s text is in: its locale's (a page shown with its translation's
    text has the translation's locale), the site's source language for anything else."""
    locale_id = getattr(item, "locale_id", None)
    if locale_id is None:
        return settings.LANGUAGE_CODE
    return _locale_languages().get(locale_id, settings.LANGUAGE_CODE)


@register.simple_tag
def content_lang(item):
    """` lang="en" dir="ltr"` on an element holding `item`'s own text when it is in another
    language than the page around it (a course not yet translated into Arabic reads left to
    right, and screen readers pronounce it as English); nothing when they agree."""
    reading = get_language() or settings.LANGUAGE_CODE
    if reading == settings.LANGUAGE_CODE:
        return ""  # readers of the source language are served its pages, in it
    language = content_language_of(item)
    if language == reading:
        return ""
    direction = "rtl" if get_language_info(language)["bidi"] else "ltr"
    return format_html(' lang="{}" dir="{}"', language, direction)


@register.inclusion_tag("includes/content_languages.html")
def content_languages(page, languages=None):
    """The languages `page` can be read in (`languages` when the caller has them), each
    linking to the page in that language; nothing when there is only one."""
    from django.urls import translate_url
    from django.utils import translation

    reading = get_language() or settings.LANGUAGE_CODE
    with translation.override(settings.LANGUAGE_CODE):
        url = page.url
        links = [
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": translate_url(url, code) if url else None,
                "current": code == reading,
            }
            for code in (
                languages
                if languages is not None
                else languages_of([page]).get(page.translation_key, [])
            )
        ]
    return {"links": links if len(links) > 1 else []}
