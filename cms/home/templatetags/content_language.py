"""The language a page's own text is written in, for readers of another."""

from django import template
from django.conf import settings
from django.utils.translation import get_language, get_language_info

from ..translations import languages_of
from .flightpath_tags import content_lang

register = template.Library()


# The element's language mark is the site's one tag (flightpath_tags), offered here too for
# templates that load only this library.
register.simple_tag(content_lang, name="content_lang")


@register.inclusion_tag("includes/content_languages.html")
def content_languages(page, languages=None):
    """The languages `page` can be read in (`languages` when the caller has them), each
    linking to the page in that language; nothing when it is read only in the reader's, but
    an English-only page read in French says it is in English."""
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
    only_the_readers = len(links) == 1 and links[0]["current"]
    return {"links": [] if only_the_readers else links}
