"""A trainer previews a scenario in the CMS to an ending, and opens its map, in Chromium: under
the CMS's policy, nothing recorded."""

import pytest

from assessments.content_loader import parse_quiz
from assessments.models import Attempt
from courses import demo

from ..assessments.test_quiz_audit import SMALL
from ..factories import make_course
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "small.md"
    path.write_text(SMALL)
    return demo.quiz(parse_quiz(path), make_course(title="Small", slug="for-small", lessons=1))


def test_trainer_previews_a_scenario_to_its_ending_and_opens_its_map(new_page, trainer, small):
    page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, trainer.email)
    page.goto(f"/admin/quiz-preview/{small.pk}/")
    page.get_by_role("button", name="Ask", exact=True).click()
    page.get_by_role("button", name="Refer him to the authority").click()
    assert page.get_by_role("heading", name="Done").is_visible()
    assert page.get_by_text("This path passes.").is_visible()
    page.get_by_role("link", name="Scenario map").click()
    page.wait_for_url("**/admin/quiz-map/**")
    assert page.get_by_role("img", name="Map of the scenario “Small”").is_visible()
    assert page.locator('[data-node="end:done"]').count() == 1
    assert Attempt.objects.count() == 0
