"""The cascade page's tree and table, written in Python: a page lists fifty trainers or more,
and each would otherwise cost a dozen template lookups and an include per level. Plain string
building over the standard library's escape, marked safe once: Django's `format_html` per cell
took half the page's time."""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from courses.training.cascade import country_name, level_name

register = template.Library()

DASH = "—"


@register.simple_tag
def cascade_tree(nodes) -> SafeString:
    """Nested lists: each trainer's name opens their part of the tree."""
    parts: list[str] = ['<ul class="cascade-tree">']
    _items(nodes, parts, get_language())
    parts.append("</ul>")
    return mark_safe("".join(parts))  # noqa: S308 every value escaped as it is added


def _items(nodes, parts: list[str], language: str) -> None:
    for node in nodes:
        parts.append(f'<li><a href="?trainer={int(node.trainer_id)}">{escape(node.name)}</a>')
        parts.append(_level(node, language))
        if node.children:
            parts.append("<ul>")
            _items(node.children, parts, language)
            parts.append("</ul>")
        parts.append("</li>")


def _level(node, language: str) -> str:
    if not node.level:
        return ""
    return f' <span class="muted">· {escape(level_name(language, node.level))}</span>'


@register.simple_tag
def cascade_rows(rows) -> SafeString:
    """The table's rows, in the tree's order."""
    parts: list[str] = []
    language = get_language()
    for row in rows:
        countries = " ".join(
            f'<abbr title="{escape(country_name(language, code))}">{escape(code)}</abbr>'
            for code in row.countries
        )
        completion = f"{int(row.completion_percent)}\u00a0%" if row.learners else DASH
        parts.append(
            f'<tr><th scope="row">{escape(row.name)}{_level(row, language)}</th>'
            f"<td>{escape(row.trained_by) or DASH}</td>"
            f"<td>{int(row.direct_learners)}</td><td>{int(row.downstream_learners)}</td>"
            f"<td>{completion}</td><td>{countries or DASH}</td>"
            f"<td>{escape(' '.join(row.airports)) or DASH}</td></tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 every value escaped as it is added
