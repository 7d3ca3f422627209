from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, get_language_info
from wagtail import hooks
from wagtail.admin.templatetags.wagtailuserbar import get_page_instance, wagtailuserbar
from wagtail.models import Locale

from cms.accounts import selectors
from cms.inline_markdown import render as render_inline_markdown

from .. import cache as content_cache

register = template.Library()


@register.simple_tag(takes_context=True)
def translated_path(context, language_code):
    """The current path in another language (a GET link, so anonymous pages stay cacheable)."""
    request = context.get("request")
    if request is None:
        return "/"
    return translate_url(request.path, language_code)


@register.filter
def may_use_cms(user):
    return selectors.may_use_cms(user=user)


@register.simple_tag(takes_context=True)
def page_userbar(context):
    """Wagtail's user bar for a CMS user, on a page of the CMS only: it edits the page in
    view, and the site's own views (learning, reports) have none to edit."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or get_page_instance(context) is None or not may_use_cms(user):
        return ""
    return wagtailuserbar(context)


@register.simple_tag(takes_context=True)
def home_page_sections(context):
    """What the site's apps show on the home page: each `home_page_sections` hook takes the
    request and returns its section's HTML (the course catalogue comes from `courses`)."""
    request = context.get("request")
    sections = [hook(request) for hook in hooks.get_hooks("home_page_sections")]
    return format_html_join("\n", "{}", ((section,) for section in sections))


@register.simple_tag(takes_context=True)
def site_nav_links(context):
    """Links the site's apps add to the main menu for the signed-in user: each
    `site_nav_links` hook takes the request and returns (url, label) pairs."""
    request = context.get("request")
    if request is None or not hasattr(request, "user"):  # the H5P content origin has no user
        return []
    return [link for hook in hooks.get_hooks("site_nav_links") for link in hook(request)]


@register.filter
def inline_markdown(text):
    """A short text's inline Markdown (emphasis, code, links) as HTML; anything else escaped."""
    return render_inline_markdown(text or "")


def _locale_languages() -> dict[int, str]:
    return content_cache.remember(
        "locale-languages", lambda: dict(Locale.objects.values_list("pk", "language_code"))
    )


def content_language_of(item) -> str:
    """The language `item`'s text is written in: its locale's for translatable content (pages),
    the site's source language for anything else (quizzes, until they are translatable)."""
    locale_id = getattr(item, "locale_id", None)
    if locale_id is None:
        return settings.LANGUAGE_CODE
    return _locale_languages().get(locale_id, settings.LANGUAGE_CODE)


@register.simple_tag
def content_lang(item):
    """` lang="en" dir="ltr"` on an element holding `item`'s own text (a title, a summary, a
    lesson body) when it is in another language than the page around it: a course not yet
    translated into Arabic reads left to right, its punctuation in place, and screen readers
    pronounce it as English. Nothing when the languages agree."""
    reading = get_language() or settings.LANGUAGE_CODE
    if reading == settings.LANGUAGE_CODE:
        return ""  # pages in another language are served under their own prefix, not here
    language = content_language_of(item)
    if language == reading:
        return ""
    direction = "rtl" if get_language_info(language)["bidi"] else "ltr"
    return format_html(' lang="{}" dir="{}"', language, direction)
