"""A learner takes the Gate B12 scenario to its end in Chromium and sees both scores."""

import pytest

from assessments import vocabulary
from assessments.content_loader import load_quizzes
from courses import demo

from ..factories import UserFactory, make_course
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scenario():
    spec = next(s for s in load_quizzes() if s.slug == "gate-b12")
    return demo.quiz(spec, make_course(title="Profiling", slug="profiling", lessons=1))


def test_learner_plays_a_branching_scenario_to_its_end(new_page, scenario):
    learner = UserFactory(email="learner@example.org")
    page = new_page(viewport={"width": 360, "height": 800})
    sign_in(page, learner.email)

    page.goto(f"/quizzes/{scenario.slug}/")
    page.get_by_role("button", name="Start the quiz").click()
    step = scenario.first_step
    while step:
        question = scenario.scoring_question(step)
        best = max(question.choices, key=lambda c: sum(c.points.values()))
        choices = scenario.blocks_by_key[step].value["choices"]
        text = vocabulary.authored_choice(choices, best.id)["text"]
        page.get_by_role("button", name=text).click()
        page.wait_for_load_state()
        step = best.leads_to

    assert page.get_by_text("You passed.").is_visible()
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    assert "Detection" in rows.nth(0).inner_text()
    assert "Rights and dignity" in rows.nth(1).inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_passport_zones_fit_a_phone_screen(new_page):
    from assessments.models import Quiz

    spec = next(s for s in load_quizzes() if s.slug == "inspect-the-mrz")
    quiz = demo.quiz(spec, make_course(title="Documents", slug="documents", lessons=1))
    learner = UserFactory(email="reader@example.org")
    page = new_page(viewport={"width": 360, "height": 800})
    sign_in(page, learner.email)
    page.goto(f"/quizzes/{Quiz.objects.get(pk=quiz.pk).slug}/")
    page.get_by_role("button", name="Start the quiz").click()
    zone = page.locator("pre.mrz").first
    assert zone.evaluate("el => el.scrollWidth <= el.clientWidth"), "the zone is cut off"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
