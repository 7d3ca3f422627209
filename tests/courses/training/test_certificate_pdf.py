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
    """The PDF's own text with its compressed streams inflated (fonts, object streams). A
    stream is read up to `endstream` with the line ending before it, which the inflater leaves
    over: compressed bytes may themselves end in a carriage return."""
    inflated = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            inflated.append(zlib.decompressobj().decompress(match.group(1)))
        except zlib.error:  # not deflated (an image, say)
            continue
    return data + b"\n".join(inflated)


def test_a_stream_whose_compressed_bytes_end_in_a_carriage_return_is_read_whole():
    # One stream in about 256 ends in a carriage return; read as the line ending before
    # `endstream`, it was cut off and a font's name in it went unseen.
    for n in range(20000):
        payload = b"/BaseFont /ABCDEF+Flightpath-Cyrillic /ID " + hashlib.sha256(bytes(n)).digest()
        packed = zlib.compress(payload)
        if packed.endswith(b"\r"):
            break
    else:
        pytest.fail("no payload compressed to a carriage return at its end")
    document = b"%PDF-1.7\n1 0 obj\n<</Filter /FlateDecode>>\nstream\n" + packed
    document += b"\nendstream\nendobj\n"
    assert payload in pdf_objects(document)


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
