"""The registry's interactive API docs load in Chromium from the site's own files, under its
Content-Security-Policy, and list the API's operations."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_load_without_a_cdn_or_a_violation(new_page, csp_violations):
    page = new_page()
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(("http://localhost", "http://127.0.0.1", "data:"))
            else None
        ),
    )
    page.goto("/api/v1/docs")
    page.get_by_text("/api/v1/programmes/similar").first.wait_for()
    assert page.get_by_text("Flightpath programme registry").first.is_visible()
    assert outside == []
    assert csp_violations == []
