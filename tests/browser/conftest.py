import os

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # synchronous and safe, so Django's async guard is relaxed for browser tests only.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def csp_violations():
    """What the site's Content-Security-Policy blocked in the pages of the test."""
    return []


@pytest.fixture
def new_page(browser, live_server, csp_violations):
    contexts = []

    def record_violation(message):
        # What the content origin's own policy blocks in a package is by design, not a fault.
        from django.conf import settings

        in_package = message.location.get("url", "").startswith(settings.H5P_CONTENT_ORIGIN)
        if "Content Security Policy" in message.text and not in_package:
            csp_violations.append(f"{message.location.get('url')}: {message.text}")

    def make(**options):
        context = browser.new_context(base_url=live_server.url, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("console", record_violation)
        return page

    yield make
    for context in contexts:
        context.close()
    # Every browser test also proves the site works under its policy.
    assert csp_violations == [], "\n".join(csp_violations)
