"""A learner finds their certificate on My learning, follows it to its public page, and anyone
can type its code; on a phone, left to right and right to left, under the site's policy."""

import re

import pytest

from courses.certificates.services import certificate_revoke

from ..courses.training.certificate_support import make_certificate
from ..factories import MembershipFactory
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 800}


def test_a_learner_follows_a_certificate_to_its_public_page(new_page):
    officer = MembershipFactory().user
    valid = make_certificate(officer, achievement="Document abuse")
    revoked = certificate_revoke(
        certificate=make_certificate(officer, achievement="Profiling ethics"), reason="Fraud"
    )
    page = new_page(viewport=PHONE)
    sign_in(page, officer.email)
    page.goto("/my-learning/")
    page.get_by_role("link", name=re.compile(r"Verification page\W+Document abuse")).click()
    assert "genuine and valid" in page.locator("main").inner_text()
    assert valid.pdf_sha256 in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    visitor = new_page(viewport=PHONE)
    visitor.goto("/ar/verify/")
    visitor.locator("#certificate-code").fill(revoked.code.lower())
    visitor.locator("#certificate-code").press("Enter")
    visitor.wait_for_url(f"**/verify/{revoked.grouped_code}/")
    assert visitor.evaluate("document.documentElement.dir") == "rtl"
    assert revoked.grouped_code in visitor.locator("main").inner_text()
    assert visitor.locator(".certificate-standing.notice--error").count() == 1  # revoked
    assert visitor.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
