"""A certificate as a PDF: A4 landscape, in the shipped fonts, with a QR code of its
verification page."""

import segno
from django.template.loader import render_to_string
from django.utils import translation

from ..documents.pdf import render_pdf
from ..models import Certificate
from .links import verify_url


def qr_svg(url: str) -> str:
    """The URL as an inline SVG QR code (error correction M: survives a crease or a stain)."""
    return segno.make(url, error="m", micro=False).svg_inline(scale=4, border=2)


def certificate_pdf(*, certificate: Certificate) -> bytes:
    """The certificate printed in the language it is issued in."""
    with translation.override(certificate.language or None):
        return _pdf(certificate)


def _pdf(certificate: Certificate) -> bytes:
    url = verify_url(certificate)
    html = render_to_string(
        "courses/certificates/pdf.html",
        {
            "certificate": certificate,
            "verify_url": url,
            "qr": qr_svg(url),
            "rtl": translation.get_language_bidi(),
        },
    )
    return render_pdf(html)
