"""The programme form's fields written in Python: some twenty-five fields, each a label, its
widget (`cms.programs.rendering`), help and errors, and three groups of boxes. Through the
template engine the loop cost the create page more than its widgets did."""

from django import template
from django.template.loader import render_to_string
from django.utils.html import conditional_escape as escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()


def _errors(field) -> str:
    return "".join(f'<p class="error" role="alert">{escape(error)}</p>' for error in field.errors)


def _boxes(field) -> str:
    chosen = field.value() or ()
    name, prefix = escape(field.html_name), escape(field.auto_id)
    boxes = "".join(
        f'<label class="choice"><input type="checkbox" name="{name}" value="{escape(value)}" '
        f'id="{prefix}_{number}"{" checked" if value in chosen else ""}> {escape(label)}</label>'
        for number, (value, label) in enumerate(field.field.choices)
    )
    wrong = " field--error" if field.errors else ""
    return (
        f'<fieldset class="field choice-group{wrong}"><legend>{escape(field.label)}</legend>'
        f"{boxes}{_errors(field)}</fieldset>"
    )


def _field(field) -> str:
    wrong = " field--error" if field.errors else ""
    label_for = escape(field.id_for_label)
    help_text = (
        f'<p class="help" id="{label_for}-help">{escape(field.help_text)}</p>'
        if field.help_text
        else ""
    )
    return (
        f'<div class="field{wrong}"><label for="{label_for}">{escape(field.label)}</label>'
        f"{field}{help_text}{_errors(field)}</div>"
    )


@register.simple_tag
def programme_fields(form) -> SafeString:
    parts = []
    if form.non_field_errors():
        parts.append(f'<div class="errors" role="alert">{form.non_field_errors()}</div>')
    parts += [str(field) for field in form.hidden_fields()]
    for field in form.visible_fields():
        if field.widget_type == "checkboxselectmultiple":
            parts.append(_boxes(field))
        else:
            parts.append(_field(field))
    return mark_safe("\n".join(parts))  # noqa: S308 every value escaped as it is added


# A blank set of budget or document lines is the same page after page in one language: kept
# in the process per language and set of lines, written by the template the first time.
_blank_lines: dict[tuple, SafeString] = {}


@register.simple_tag(takes_context=True)
def programme_lines(context, formset, **labels) -> SafeString:
    """The lines of `formset` (`includes/lines.html`), a blank set written once per language."""
    blank = not formset.is_bound and not formset.initial
    key = (get_language(), formset.prefix, tuple(sorted(labels.items())))
    if blank and key in _blank_lines:
        return _blank_lines[key]
    html = render_to_string("programs/includes/lines.html", {"formset": formset, **labels})
    if blank:
        _blank_lines[key] = mark_safe(html)  # noqa: S308 the template escaped it
    return mark_safe(html)  # noqa: S308 the template escaped it
