"""Print documents as PDF (session packs, certificates) with fonts that ship with Flightpath.

The machines that serve Flightpath may have no fonts beyond DejaVu; the PDFs name Noto Sans
(Latin, Cyrillic) and Noto Sans Arabic from the project's npm packages, so Arabic is shaped
right to left and Russian renders wherever the PDF is made. Templates set
no font-family of their own: the faces are applied to the whole document here.
"""

from functools import cache
from pathlib import Path

from django.conf import settings

# (family, folder under node_modules, file prefix): one family per script, named in fallback
# order (WeasyPrint ignores `unicode-range`, so each script's face needs a family of its own).
_FACES = [
    ("Flightpath Latin", "@fontsource/noto-sans", "noto-sans-latin"),
    ("Flightpath Latin Extended", "@fontsource/noto-sans", "noto-sans-latin-ext"),
    ("Flightpath Cyrillic", "@fontsource/noto-sans", "noto-sans-cyrillic"),
    ("Flightpath Arabic", "@fontsource/noto-sans-arabic", "noto-sans-arabic-arabic"),
]


def font_folder() -> Path:
    return Path(getattr(settings, "FLIGHTPATH_NODE_MODULES", settings.BASE_DIR / "node_modules"))


@cache
def font_css() -> str:
    """@font-face rules for the shipped fonts, regular and bold, applied to the whole page."""
    rules = []
    for family, package, prefix in _FACES:
        for weight in (400, 700):
            path = font_folder() / package / "files" / f"{prefix}-{weight}-normal.woff"
            rules.append(
                f"@font-face {{ font-family: '{family}'; font-weight: {weight}; "
                f"src: url('{path.as_uri()}') format('woff'); }}"
            )
    families = ", ".join(f"'{family}'" for family, _package, _prefix in _FACES)
    rules.append(f"html {{ font-family: {families}, sans-serif; }}")
    return "\n".join(rules)


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The PDF of an HTML document, set in the shipped fonts."""
    from weasyprint import CSS, HTML  # imported here: loading pango costs every other request
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()  # @font-face rules load only through one
    stylesheet = CSS(string=font_css(), font_config=fonts)
    return HTML(string=html, base_url=base_url).write_pdf(
        stylesheets=[stylesheet], font_config=fonts
    )
