"""Inline Markdown for short texts that authors type into plain fields (a course summary).

Only emphasis, strong emphasis, code and links are rendered; everything else, HTML included,
is escaped and shown as written. Links go only to web and mail addresses or paths of this site,
so a summary cannot carry script (`javascript:`, `data:`) in a link.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

INLINE = re.compile(
    r"`(?P<code>[^`]+)`"
    r"|\*\*(?P<strong>\S(?:.*?\S)?)\*\*"
    r"|\*(?P<em>[^\s*](?:[^*]*?[^\s*])?)\*"
    r"|(?<!\w)_(?P<em_>[^\s_](?:[^_]*?[^\s_])?)_(?!\w)"
    r"|\[(?P<text>[^\]]+)\]\((?P<href>[^)\s]+)\)"
)
SAFE_HREF = re.compile(r"(?:https?://|mailto:|/(?!/))", re.IGNORECASE)


def render(text: str) -> SafeString:
    """`text` as HTML: its inline Markdown rendered, anything else escaped."""
    return mark_safe(_render(text))  # noqa: S308 every piece of text is escaped in _render


def _render(text: str) -> str:
    html, position = [], 0
    for match in INLINE.finditer(text):
        html += [escape(text[position : match.start()]), _element(match)]
        position = match.end()
    html.append(escape(text[position:]))
    return "".join(html)


def _element(match: re.Match) -> str:
    if match["code"] is not None:
        return f"<code>{escape(match['code'])}</code>"
    if match["strong"] is not None:
        return f"<strong>{_render(match['strong'])}</strong>"
    if match["em"] is not None or match["em_"] is not None:
        return f"<em>{_render(match['em'] or match['em_'])}</em>"
    if SAFE_HREF.match(match["href"]):
        return f'<a href="{escape(match["href"])}">{_render(match["text"])}</a>'
    return escape(match.group())
