"""Every public page fits a 360 px phone, left to right and right to left: nothing pushes the
page sideways (a hidden link parked off-screen on the wrong side, say)."""

import pytest

from ..factories import make_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 800}


@pytest.fixture
def course(db):
    return make_course(title="Document abuse", slug="document-abuse", audience="public")


@pytest.mark.parametrize("language", ["", "/ar", "/fr"])
def test_public_pages_are_no_wider_than_a_phone(new_page, course, language):
    page = new_page(viewport=PHONE)
    lesson = course.get_children().first()
    for path in ["/", course.url, lesson.url, "/accounts/login/"]:
        page.goto(f"{language}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{page.url} is {width} px wide on a phone"


def test_the_skip_link_appears_when_focused_in_either_direction(new_page, course):
    for prefix in ["", "/ar"]:
        page = new_page(viewport=PHONE)
        page.goto(f"{prefix}/")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        box = page.locator(".skip-link").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
