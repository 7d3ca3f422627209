from django import template
from django.urls import translate_url
from django.utils.html import format_html_join
from wagtail import hooks
from wagtail.admin.templatetags.wagtailuserbar import get_page_instance, wagtailuserbar

from cms.accounts import selectors
from cms.inline_markdown import render as render_inline_markdown

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
