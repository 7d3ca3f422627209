"""Certificates for tests: rows made directly (no PDF rendering), and a fast stand-in printer."""

import hashlib

import pytest
from django.core.files.base import ContentFile

from courses.certificates.services import new_code
from courses.models import Certificate


def make_certificate(holder, *, achievement="Document abuse", **fields) -> Certificate:
    code = new_code()
    pdf = b"%PDF-1.7 certificate " + code.encode()
    certificate = Certificate(
        holder=holder,
        kind=fields.pop("kind", Certificate.Kind.COURSE),
        holder_name=holder.get_full_name() or holder.email,
        achievement=achievement,
        organisation_name=fields.pop("organisation_name", "Border Agency"),
        code=code,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        **fields,
    )
    certificate.pdf.save(f"{code}.pdf", ContentFile(pdf), save=False)
    certificate.save()
    return certificate


@pytest.fixture
def quick_pdf(monkeypatch):
    """Issuance with a stand-in PDF, where the PDF's looks are not what is tested."""
    monkeypatch.setattr(
        "courses.certificates.services.certificate_pdf",
        lambda *, certificate: b"%PDF-1.7 " + certificate.code.encode(),
    )
