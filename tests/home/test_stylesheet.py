"""The site's stylesheet lays pages out by the reading direction, never by the physical side, so
every page reads the same right to left (Arabic) as left to right."""

import re
from pathlib import Path

from django.conf import settings

STYLESHEETS = sorted(Path(settings.BASE_DIR, "static", "css").glob("*.css"))

# `left`/`right` as a property, inside one (margin-left, border-right-color, ...) or as a value
# of float, clear and text-align. Logical properties (inset-inline-start, margin-inline-end,
# border-inline-start, text-align: start) follow the direction instead.
PHYSICAL = re.compile(
    r"(?<![\w-])(?:left|right)\s*:"
    r"|-(?:left|right)(?:-[a-z]+)*\s*:"
    r"|(?:float|clear|text-align)\s*:\s*(?:left|right)\b"
)
# The block axis and sizes by their logical names too (margin-block-start, inline-size), so one
# rule holds for every writing mode; media queries have no logical names and are left out.
PHYSICAL_BLOCK_OR_SIZE = re.compile(
    r"(?<![\w-])(?:top|bottom|(?:min-|max-)?(?:width|height))\s*:"
    r"|-(?:top|bottom)(?:-[a-z]+)*\s*:"
)


def physical_sides(css: str) -> list[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [line.strip() for line in css.splitlines() if PHYSICAL.search(line.split("{")[-1])]


def test_the_pattern_finds_physical_sides_and_passes_logical_ones():
    found = physical_sides(".a { border-left: 1px }\n.b { left: 0 }\n.c { text-align: right }")
    assert len(found) == 3
    assert not physical_sides(
        ".a { border-inline-start: 1px solid; inset-inline-start: 0; text-align: start }"
    )


def test_the_stylesheets_use_logical_sides_only():
    assert STYLESHEETS
    for sheet in STYLESHEETS:
        assert physical_sides(sheet.read_text()) == [], sheet.name


def block_sides_and_sizes(css: str) -> list[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"@media[^{]*", "", css)
    return [
        line.strip()
        for line in css.splitlines()
        if PHYSICAL_BLOCK_OR_SIZE.search(line.split("{")[-1])
    ]


def test_the_pattern_finds_physical_block_sides_and_sizes():
    found = block_sides_and_sizes(".a { margin-top: 1px }\n.b { top: 0 }\n.c { max-width: 2rem }")
    assert len(found) == 3
    assert not block_sides_and_sizes(
        "@media (min-width: 48rem) {\n.a { line-height: 1; margin-block-start: 0 }"
    )


def test_the_stylesheets_use_logical_block_sides_and_sizes():
    for sheet in STYLESHEETS:
        assert block_sides_and_sizes(sheet.read_text()) == [], sheet.name
