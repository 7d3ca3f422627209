from django import template

from ..selectors import catalogue_for_user

register = template.Library()


@register.simple_tag(takes_context=True)
def catalogue_tracks(context):
    """The catalogue's tracks with the visitor's progress in each (for the training hub)."""
    return [entry for entry in catalogue_for_user(user=context["request"].user) if entry.is_track]
