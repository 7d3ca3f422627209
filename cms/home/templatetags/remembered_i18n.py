"""Django's `i18n` template library as every `{% load i18n %}` on the site loads it (the engine
maps the label here: `TEMPLATES` in settings), with one change: `{% translate %}` of a message
written in the template, without filters or context, is translated once per catalogue and
then remembered. Django makes a lazy string of it, translates it through every app's catalogue
and escapes it again at each render: 16 µs a tag, a millisecond of the seventy a dashboard
writes. What is remembered is the templates' own words, so it is bounded by them, and it is
kept by the catalogue it was translated with: a catalogue replaced (another language, new
locale paths in a test, a deploy's new process) takes its translations with it."""

import weakref
from collections import defaultdict

from django import template
from django.core import checks
from django.template.base import Variable, render_value_in_context
from django.templatetags import i18n
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import trans_real

register = template.Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)

# Catalogue -> message -> its translation as the tag writes it.
_translated: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class RememberedTranslateNode(i18n.TranslateNode):
    def __init__(self, filter_expression, noop, asvar=None, message_context=None):
        super().__init__(filter_expression, noop, asvar, message_context)
        var = self.filter_expression.var
        self.message = (
            var.literal
            if isinstance(var, Variable)
            and isinstance(var.literal, str)
            and not self.filter_expression.filters
            and not noop
            and message_context is None
            else None
        )

    def render(self, context):
        if self.message is None:
            return super().render(context)
        catalogue = trans_real.catalog()
        known = _translated.get(catalogue)
        if known is None:
            known = _translated.setdefault(catalogue, {})
        value = known.get(self.message)
        if value is None:
            # The template's own words are safe strings, and so their translation: written
            # the same whether the context escapes or not.
            value = known[self.message] = self._translate(context)
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value

    def _translate(self, context):
        """The message translated as Django's tag translates it."""
        self.filter_expression.var.translate = True
        value = render_value_in_context(self.filter_expression.resolve(context), context)
        is_safe = isinstance(value, SafeData)
        value = value.replace("%%", "%")
        return mark_safe(value) if is_safe else value  # noqa: S308 safe already, as Django keeps it


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = i18n.do_translate(parser, token)
    return RememberedTranslateNode(
        node.filter_expression, node.noop, node.asvar, node.message_context
    )


@checks.register(checks.Tags.templates)
def libraries_named_once(app_configs, **kwargs):
    """Django's check that no two template tag modules share a label (`templates.W003`), which
    settings silence for the one label the site maps here on purpose: any other label two
    modules share is still reported."""
    from django.template import engines
    from django.template.backends.django import DjangoTemplates, get_template_tag_modules

    found = []
    for engine in engines.all():
        if not isinstance(engine, DjangoTemplates):
            continue
        modules = defaultdict(set)
        for label, module in [*get_template_tag_modules(), *engine.engine.libraries.items()]:
            modules[label].add(module)
        for label, paths in sorted(modules.items()):
            if len(paths) > 1 and paths != {"django.templatetags.i18n", __name__}:
                found.append(
                    checks.Warning(
                        f"{label!r} is used for multiple template tag modules: "
                        + ", ".join(sorted(paths)),
                        obj=engine,
                        id="home.W001",
                    )
                )
    return found
