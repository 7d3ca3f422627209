"""The dashboards' organisation filter in a browser: on a phone, right to left, staff type part
of an organisation's name, choose it from the suggestions with the keyboard and see the
completion view narrowed to it; each suggestion is a 44 px target and nothing scrolls
sideways."""

import pytest

from ..factories import PASSWORD, OrganisationFactory, UserFactory, make_course
from .helpers import sign_in
from .test_dashboards import enrol

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 800}


def test_staff_choose_an_organisation_from_the_suggestions_with_the_keyboard(new_page):
    course = make_course(title="Document abuse", lessons=1)
    wanted = OrganisationFactory(name="Kenya Airport Police", country="KE")
    enrol(wanted, course, 3, 1)
    enrol(OrganisationFactory(name="Kenya Immigration", country="KE"), course, 2, 2)
    enrol(OrganisationFactory(name="Benin Police", country="BJ"), course, 2, 0)
    staff = UserFactory(is_staff=True)

    page = new_page(viewport=PHONE)
    sign_in(page, staff.email, PASSWORD)
    page.goto("/ar/dashboards/")
    chooser = page.locator("#filter-organisation")
    assert chooser.get_attribute("role") == "combobox"
    chooser.press_sequentially("kenya")
    options = page.locator("#filter-organisation-suggestions").get_by_role("option")
    options.first.wait_for()
    assert options.count() == 2  # Benin's police is not offered
    for n in range(options.count()):
        assert options.nth(n).bounding_box()["height"] >= 44
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner

    chooser.press("ArrowDown")
    assert chooser.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    chooser.press("Enter")
    assert chooser.input_value() in (wanted.name, wanted.slug)
    assert chooser.get_attribute("aria-expanded") == "false"
    page.locator(".dashboard-filters button[type=submit]").click()
    page.wait_for_url(lambda url: "organisation=" in url)
    table = page.locator("table").first.inner_text()
    assert "Kenya Airport Police" in table and "Kenya Immigration" not in table
