from django import template

from ..selectors import catalogue_for_user

register = template.Library()


@register.simple_tag(takes_context=True)
def catalogue_entries(context):
    """The catalogue with the visitor's progress, for pages outside the catalogue itself."""
    return catalogue_for_user(user=context["request"].user)
