import functools

from django import template
from django.conf import settings
from django.urls import get_script_prefix, reverse, translate_url
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
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


@register.simple_tag
def link(name: str, *args) -> str:
    """`{% url name arg ... %}` for the links every page's menu and footer and every
    dashboard's exports name, each reversed once per process, language (its prefix) and
    script prefix: `{% url %}` took a twentieth of a dashboard's time. The arguments are the
    template's own words and record ids, nothing of the reader's."""
    return _reversed(name, args, get_language(), get_script_prefix())


@functools.lru_cache(maxsize=1024)
def _reversed(name: str, args: tuple, language: str, prefix: str) -> str:
    return reverse(name, args=args)


@register.simple_tag(takes_context=True)
def language_form(context) -> SafeString:
    """The signed-in reader's language choice: a form, so that the choice is kept on their
    account for their e-mails. Written in Python on every page: as a template it cost a
    tenth of a light page."""
    request = context["request"]
    # The page's own token, as `{% csrf_token %}` writes it (a new one would cost a mask).
    token = conditional_escape(context.get("csrf_token", ""))
    return mark_safe(  # noqa: S308 the path and token are escaped, the rest written below
        f'<form method="post" action="{link("set_language")}" class="languages">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        f'<input type="hidden" name="next" value="{escape(request.path)}">'
        f"{_language_choices(get_language())}</form>"
    )


@functools.lru_cache(maxsize=16)
def _language_choices(current: str) -> str:
    """The form's languages, the reader's own marked: the same for every page and reader in
    one language, so written once per process."""
    items = "".join(
        f'<li><span aria-current="true">{escape(_name_local(code))}</span></li>'
        if code == current
        else f'<li><button type="submit" class="link-button" name="language" value="{code}"'
        f' lang="{code}">{escape(_name_local(code))}</button></li>'
        for code, _name in settings.LANGUAGES
    )
    legend = escape(_("Language"))
    return f'<fieldset><legend class="visually-hidden">{legend}</legend><ul>{items}</ul></fieldset>'


def _name_local(code: str) -> str:
    return get_language_info(code)["name_local"]


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


def site_nav_links(request) -> list:
    """Links the site's apps add to the main menu for the signed-in user: each
    `site_nav_links` hook takes the request and returns (url, label) pairs."""
    if request is None or not hasattr(request, "user"):  # the H5P content origin has no user
        return []
    return [link for hook in hooks.get_hooks("site_nav_links") for link in hook(request)]


@register.simple_tag(takes_context=True)
def site_nav(context) -> SafeString:
    """The main menu's items: the apps' links, search, then the reader's own pages and signing
    out, or signing in. Written in Python on every page, as the language form is: as a
    template it cost half of the page's frame."""
    request = context.get("request")
    user = context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    items = "".join(
        f'<li><a href="{conditional_escape(url)}">{conditional_escape(label)}</a></li>'
        for url, label in site_nav_links(request)
    )
    own = _own_items(
        get_language(), get_script_prefix(), signed_in, signed_in and may_use_cms(user)
    )
    if not signed_in:
        return mark_safe(items + own)  # noqa: S308 the apps' links escaped, the rest below
    # The page's own token, as `{% csrf_token %}` writes it (a new one would cost a mask).
    token = conditional_escape(context.get("csrf_token", ""))
    sign_out = escape(_("Sign out"))  # outside the f-string, where makemessages finds it
    return mark_safe(  # noqa: S308 the apps' links and the token escaped, the rest below
        f'{items}{own}<li><form method="post" action="{link("account_logout")}"'
        f' class="inline-form">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        f'<button type="submit" class="link-button">'
        f"{sign_out}</button></form></li>"
    )


@functools.lru_cache(maxsize=64)
def _own_items(language: str, prefix: str, signed_in: bool, cms: bool) -> str:
    """Search and the reader's own pages (or signing in), the same for every reader alike in
    one language: written once per process."""
    names = [("courses:search", _("Search"))]
    if signed_in:
        names += [
            ("courses:my_learning", _("My learning")),
            ("accounts:my_organisation", _("Organisation")),
            *([("wagtailadmin_home", _("CMS"))] if cms else []),
            ("account", _("Account")),
        ]
    else:
        names += [("account_login", _("Sign in")), ("account_signup", _("Sign up"))]
    return "".join(f'<li><a href="{link(name)}">{escape(label)}</a></li>' for name, label in names)


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
