from django import template

from ..training.session_packs import courses_with_packs

register = template.Library()


@register.simple_tag(takes_context=True)
def session_pack_courses(context):
    """The courses and tracks whose session packs the page's reader may open."""
    return courses_with_packs(user=context["request"].user)
