"""Template filters for the words a quiz's pages use: a dimension's label, never its key."""

from django import template

from .. import vocabulary

register = template.Library()


@register.filter
def dimension_label(key) -> str:
    """`{{ "rights"|dimension_label }}` reads "Rights and dignity"."""
    return vocabulary.dimension_label(key)


@register.filter
def dimension_labels(keys) -> str:
    """`{{ taken.dimensions|dimension_labels }}`: the labels of several, joined with commas."""
    return ", ".join(vocabulary.dimension_labels(list(keys)))
