"""Focus is visible against every background it meets, and every table scrolls in its own box
on a narrow screen."""

import re
from pathlib import Path

from django.conf import settings

STYLESHEET = Path(settings.BASE_DIR, "static", "css", "flightpath.css").read_text()


def variables() -> dict[str, str]:
    return dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})", STYLESHEET))


def luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula_matches_the_wcag_examples():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48


def test_the_focus_ring_stands_out_three_to_one_on_the_light_backgrounds():
    colours = variables()
    assert ":focus-visible { outline: 3px solid var(--focus-ring)" in STYLESHEET
    for background in ("--paper", "--tint", "--focus"):  # --focus: the skip link's background
        ratio = contrast(colours["--focus-ring"], colours[background])
        assert ratio >= 3, f"focus ring on {background}: {ratio:.2f}:1"


def test_the_focus_ring_stands_out_three_to_one_in_the_header():
    colours = variables()
    assert ".site-header :focus-visible { outline-color: var(--focus); }" in STYLESHEET
    assert contrast(colours["--focus"], colours["--brand"]) >= 3


PRINTED = {"pdf.html", "session_pack_pdf.html"}  # paper, not screens


def test_every_table_on_a_screen_scrolls_in_its_own_box():
    for folder in ("cms", "courses", "assessments"):
        for template in Path(settings.BASE_DIR, folder).rglob("templates/**/*.html"):
            if template.name in PRINTED or "/admin/" in str(template):
                continue
            text = template.read_text()
            tables = text.count("<table")
            boxes = text.count('class="table-scroll"')
            assert tables == boxes, f"{template.name}: {tables} tables, {boxes} scrolling boxes"
