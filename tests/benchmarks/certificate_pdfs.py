"""Certificate PDFs per second, in one process: each is the whole printing of a certificate
(the HTML, WeasyPrint's layout in the shipped Arabic, Cyrillic and Latin fonts, the QR code),
as a learner's last lesson or a trainer's certification triggers it. Target: one certificate
in under a second (p95). `make bench` runs it before the HTTP targets; on its own:
`python tests/benchmarks/certificate_pdfs.py` (development settings)."""

import math
import os
import statistics
import sys
import time
from pathlib import Path

COUNT = int(os.environ.get("BENCH_CERTIFICATES", "10"))
TARGET_SECONDS = 1.0


def measure(count: int = COUNT) -> dict:
    from django.utils import timezone

    from courses.certificates.pdf import certificate_pdf
    from courses.certificates.services import new_code
    from courses.models import Certificate

    certificate = Certificate(
        kind=Certificate.Kind.TRAINER,
        holder_name="أمينة الحسن",
        achievement="Certified trainer",
        organisation_name="Пограничная служба (демо)",
        code=new_code(),
        issued_at=timezone.now(),
        valid_until=timezone.localdate().replace(year=timezone.localdate().year + 2),
    )
    certificate_pdf(certificate=certificate)  # the first loads pango and the fonts
    seconds = []
    for _ in range(count):
        start = time.perf_counter()
        certificate_pdf(certificate=certificate)
        seconds.append(time.perf_counter() - start)
    ordered = sorted(seconds)
    return {
        "count": count,
        "per_second": count / sum(seconds),
        "median": statistics.median(seconds),
        "p95": ordered[max(math.ceil(0.95 * count) - 1, 0)],
    }


def report(result: dict) -> int:
    """Print the line for `make bench`; 1 when the target is missed."""
    print(
        f"\ncertificate PDF: {result['per_second']:.2f} per second "
        f"(median {result['median'] * 1000:.0f} ms, p95 {result['p95'] * 1000:.0f} ms, "
        f"{result['count']} printed)"
    )
    if result["p95"] >= TARGET_SECONDS:
        print(f"TARGET MISSED  certificate PDF: p95 {result['p95']:.2f} s, not under 1 s")
        return 1
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    import django

    django.setup()
    sys.exit(report(measure()))
