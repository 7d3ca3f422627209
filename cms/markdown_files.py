"""Reading the Markdown files Flightpath ships its demo content in (courses and quizzes)."""

import re
from pathlib import Path

import markdown


class ContentError(ValueError):
    """A content file that does not follow its format; the message names the file."""


def to_html(text: str) -> str:
    """Markdown to the HTML Wagtail's rich text stores (b and i, as the editor writes them)."""
    html = markdown.markdown(text.strip(), output_format="html")
    for tag, stored in (("strong", "b"), ("em", "i")):
        html = html.replace(f"<{tag}>", f"<{stored}>").replace(f"</{tag}>", f"</{stored}>")
    return html


def front_matter(text: str, path: Path) -> tuple[dict[str, str], str]:
    """The `key: value` lines between the opening --- lines, and the text after them."""
    if not text.startswith("---\n"):
        raise ContentError(f"{path.name}: must start with front matter between --- lines")
    head, sep, rest = text[4:].partition("\n---\n")
    if not sep:
        raise ContentError(f"{path.name}: front matter is not closed with ---")
    meta = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        meta[key.strip()] = value.split("#")[0].strip()
    return meta, rest


def sections(text: str) -> list[tuple[str, str]]:
    """(heading, body) for every `## heading` in order."""
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    return [
        (name.strip(), body.strip()) for name, body in zip(parts[1::2], parts[2::2], strict=True)
    ]
