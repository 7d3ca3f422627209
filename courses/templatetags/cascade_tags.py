"""The cascade page's tree and table, written in Python: a page lists fifty trainers or more,
and each would otherwise cost a dozen template lookups and an include per level."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

DASH = "—"


@register.simple_tag
def cascade_tree(nodes) -> SafeString:
    """Nested lists: each trainer's name opens their part of the tree."""
    return format_html('<ul class="cascade-tree">{}</ul>', _items(nodes))


def _items(nodes) -> SafeString:
    return format_html_join("", "<li>{}</li>", ((_node(node),) for node in nodes))


def _node(node) -> SafeString:
    level = format_html(' <span class="muted">· {}</span>', node.level_label) if node.level else ""
    below = format_html("<ul>{}</ul>", _items(node.children)) if node.children else ""
    return format_html('<a href="?trainer={}">{}</a>{}{}', node.trainer_id, node.name, level, below)


@register.simple_tag
def cascade_rows(rows) -> SafeString:
    """The table's rows, in the tree's order."""
    return format_html_join(
        "",
        '<tr><th scope="row">{}{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
        "<td>{}</td></tr>",
        (
            (
                row.name,
                format_html(' <span class="muted">· {}</span>', row.level_label)
                if row.level
                else "",
                row.trained_by or DASH,
                row.direct_learners,
                row.downstream_learners,
                f"{row.completion_percent}\u00a0%" if row.learners else DASH,
                format_html_join(
                    " ", '<abbr title="{}">{}</abbr>', ((n, c) for c, n in row.country_names)
                )
                or DASH,
                " ".join(row.airports) or DASH,
            )
            for row in rows
        ),
    )
