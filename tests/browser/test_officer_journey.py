"""An officer's first day: sign up, verify, be verified, enrol, read, complete, see progress."""

import re

import pytest
from django.core import mail

from cms.accounts.models import Membership

from ..factories import PASSWORD, MembershipFactory, OrganisationFactory, make_course
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting(db):
    organisation = OrganisationFactory(name="Cotonou Border Police", slug="cotonou")
    coordinator = MembershipFactory(organisation=organisation, role="coordinator").user
    course = make_course(title="Document abuse", slug="document-abuse", audience="officers")
    return organisation, coordinator, course


def test_officer_journey(new_page, setting):
    organisation, coordinator, course = setting
    officer = new_page(viewport={"width": 360, "height": 800})

    officer.goto("/accounts/signup/")
    officer.get_by_label("Email").fill("ama.mensah@example.org")
    officer.get_by_label("First name").fill("Ama")
    officer.get_by_label("Last name").fill("Mensah")
    officer.get_by_label("Password", exact=True).fill("a-long-pass-phrase-9")
    officer.get_by_label("Password (again)").fill("a-long-pass-phrase-9")
    officer.get_by_role("button", name="Sign Up").click()
    officer.wait_for_url("**/accounts/confirm-email/")

    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body)[1]
    officer.goto(link)
    officer.get_by_role("button", name="Confirm").click()

    officer.goto("/organisations/")
    officer.get_by_label("Organisation").select_option(label=str(organisation))
    officer.get_by_role("button", name="Ask to join").click()
    assert officer.get_by_text("A coordinator will verify it").is_visible()

    lesson_url = course.get_children().first().url
    response = officer.goto(lesson_url)
    assert response.status == 403

    desk = new_page()
    sign_in(desk, coordinator.email, PASSWORD)
    desk.goto(f"/organisations/{organisation.slug}/members/")
    desk.get_by_role("button", name="Verify ama.mensah@example.org").click()
    assert desk.get_by_text("Verified").first.is_visible()
    assert Membership.objects.get(user__email="ama.mensah@example.org").status == "verified"

    officer.goto(course.url)
    officer.get_by_role("button", name="Enrol in this course").click()
    officer.wait_for_url(f"**{lesson_url}")
    assert officer.locator("progress").get_attribute("value") == "0"
    officer.get_by_role("button", name="Mark lesson complete").click()
    officer.wait_for_url("**/lesson-2/")
    assert officer.locator("progress").get_attribute("value") == "1"

    officer.goto("/my-learning/")
    assert officer.get_by_text("1 of 3 lessons done (33%)").is_visible()
    officer.get_by_role("link", name=re.compile(r"^Continue\W+Document abuse$")).click()
    officer.wait_for_url("**/lesson-2/")

    width = officer.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the lesson page scrolls sideways on a phone"


def test_keyboard_user_can_skip_to_content_and_reach_the_lesson(new_page, setting):
    page = new_page()
    make_course(title="Recognising smuggling", slug="recognising", audience="public")
    page.goto("/courses/recognising/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
