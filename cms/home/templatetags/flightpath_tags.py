from django import template
from django.urls import translate_url

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


@register.filter
def inline_markdown(text):
    """A short text's inline Markdown (emphasis, code, links) as HTML; anything else escaped."""
    return render_inline_markdown(text or "")
