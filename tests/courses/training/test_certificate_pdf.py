"""The certificate PDF: A4 landscape, in the shipped fonts (Arabic and Cyrillic names print),
with a QR code of its absolute verification address and the digest of what was stored."""

import hashlib
import re
import zlib

import pytest
from django.test import override_settings

from courses.certificates import pdf as certificate_pdf_module
from courses.certificates.pdf import qr_svg
from courses.certificates.services import certificate_issue_for_completion
from courses.models import CourseCompletion

from ...factories import UserFactory

pytestmark = pytest.mark.django_db


def pdf_objects(data: bytes) -> bytes:
    """The PDF's own text with its compressed streams inflated (fonts, object streams)."""
    inflated = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            inflated.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return data + b"\n".join(inflated)


@pytest.mark.parametrize(
    ("first", "last", "font"),
    [("أمينة", "الحسن", b"Flightpath-Arabic"), ("Ольга", "Смирнова", b"Flightpath-Cyrillic")],
    ids=["arabic", "russian"],
)
def test_the_holders_name_prints_in_the_shipped_font(public_course, first, last, font):
    holder = UserFactory(first_name=first, last_name=last)
    completion = CourseCompletion.objects.create(user=holder, course=public_course)
    certificate = certificate_issue_for_completion(completion=completion)
    assert certificate.holder_name == f"{first} {last}"
    with certificate.pdf.open("rb") as stored:
        data = stored.read()
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == certificate.pdf_sha256
    objects = pdf_objects(data)
    assert font in objects
    # A4 landscape: 297 × 210 mm in points.
    width, height = map(float, re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", objects).groups())
    assert (round(width), round(height)) == (842, 595)


@override_settings(FLIGHTPATH_SITE_ORIGIN="https://flightpath.example.org")
def test_the_qr_code_leads_to_the_absolute_verification_page(officer, public_course, monkeypatch):
    printed = []
    monkeypatch.setattr(
        certificate_pdf_module, "render_pdf", lambda html: printed.append(html) or b"%PDF-1.7"
    )
    completion = CourseCompletion.objects.create(user=officer, course=public_course)
    certificate = certificate_issue_for_completion(completion=completion)
    url = f"https://flightpath.example.org/verify/{certificate.grouped_code}/"
    (html,) = printed
    assert qr_svg(url) in html
    assert url in html
    assert certificate.grouped_code in html
    assert certificate.holder_name in html
    assert public_course.title in html
