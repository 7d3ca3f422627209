"""A learner answers a lesson's "check your understanding" question in Chromium and sees, in
place, whether it was right and the feedback; the answer is kept and marked again on return."""

import pytest

from courses.models import CheckAnswer

from ..factories import UserFactory, lesson_with_block
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = {
    "question": "A passenger's boarding pass and passport names differ. What do you do?",
    "choices": [
        {
            "text": "Refer the passenger to second line",
            "is_correct": True,
            "feedback": "Yes: check.",
        },
        {"text": "Let the passenger board the flight", "is_correct": False, "feedback": "No: ask."},
    ],
}


def test_learner_checks_a_lesson_question_and_sees_the_feedback_in_place(new_page):
    lesson = lesson_with_block("check_understanding", QUESTION)
    learner = UserFactory(email="learner@example.org")
    page = new_page(viewport={"width": 360, "height": 800})
    sign_in(page, learner.email)
    page.goto(lesson.url)
    question = page.get_by_role("region", name="Check your understanding")
    result = question.locator("[data-check-result]")

    question.get_by_role("button", name="Check").click()
    assert result.inner_text() == "Choose an option first."

    question.get_by_label("Let the passenger board the flight").check()
    question.get_by_role("button", name="Check").dblclick()  # a double click checks once
    result.get_by_text("Not quite.").wait_for()
    assert "No: ask." in result.inner_text()
    assert page.url.endswith(lesson.url)  # answered in place, no page load
    assert page.get_by_text("You answered 1 of 1 question in this lesson.").is_visible()

    question.get_by_label("Refer the passenger to second line").check()
    question.get_by_role("button", name="Check").click()
    result.get_by_text("Right.").wait_for()
    assert "Yes: check." in result.inner_text() and "No: ask." not in result.inner_text()
    answer = CheckAnswer.objects.get(user=learner)
    assert answer.is_correct and answer.choice == "Refer the passenger to second line"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.reload()  # the learner's own answer is marked again, from outside the shared body
    result.get_by_text("Right.").wait_for()
    assert question.get_by_label("Refer the passenger to second line").is_checked()


def test_without_javascript_the_answer_gets_a_page_of_its_own(new_page):
    lesson = lesson_with_block("check_understanding", QUESTION)
    learner = UserFactory(email="reader@example.org")
    page = new_page(java_script_enabled=False)
    sign_in(page, learner.email)
    page.goto(lesson.url)
    page.get_by_label("Let the passenger board the flight").check()
    page.get_by_role("button", name="Check").click()
    page.get_by_text("Not quite.").wait_for()
    assert page.get_by_text("No: ask.").is_visible()
    page.get_by_role("link", name="Back to the lesson").click()
    assert page.get_by_text("You answered 1 of 1 question in this lesson.").is_visible()
    assert CheckAnswer.objects.filter(user=learner, is_correct=False).count() == 1
