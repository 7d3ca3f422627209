"""An author previews a scenario in the CMS to an ending, and opens its map, in Chromium: under
the CMS's policy, nothing recorded. (Who may is tested in tests/assessments: a transactional
test's database has lost the CMS groups that trainers are given.)"""

import pytest

from assessments.models import Attempt

from ..assessments.test_quiz_audit import SMALL
from ..factories import UserFactory, make_quiz_from_text
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def small(tmp_path):
    return make_quiz_from_text(tmp_path, SMALL, audience="public")


def test_author_previews_a_scenario_to_its_ending_and_opens_its_map(new_page, small):
    from playwright.sync_api import expect

    author = UserFactory(email="author@example.org", is_staff=True, is_superuser=True)
    page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, author.email)
    page.goto(f"/admin/quiz-preview/{small.pk}/")
    page.get_by_role("button", name="Ask", exact=True).click()
    page.get_by_role("button", name="Refer him to the authority").click()
    expect(page.get_by_role("heading", name="Done")).to_be_visible()
    expect(page.get_by_text("This path passes.")).to_be_visible()
    page.get_by_role("link", name="Scenario map").click()
    page.wait_for_url("**/admin/quiz-map/**")
    expect(page.get_by_role("img", name="Map of the scenario “Small”")).to_be_visible()
    expect(page.locator('[data-node="end:done"]')).to_have_count(1)
    assert Attempt.objects.count() == 0
