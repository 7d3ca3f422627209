"""A learner puts items in order with the buttons, the keyboard and the mouse, reviews the
attempt with its unanswered questions marked, goes back to the questions, submits through the
review and reads the result, in Chromium on a phone-sized screen, left to right and right to
left."""

import time

import pytest

from assessments import vocabulary
from assessments.models import Attempt

from ..assessments.test_attempts import a_quiz
from ..factories import UserFactory
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def right_order(quiz, key) -> list[str]:
    texts = vocabulary.choice_texts(quiz, key)
    return [texts[c.id] for c in quiz.scoring_question(key).choices]


def shown(question) -> list[str]:
    return question.locator(".reorder__text").all_inner_texts()


def arrange(question, wanted, press) -> None:
    """Move each item up to its place with `press(button)`; the focus stays with the item."""
    for place, text in enumerate(wanted):
        while shown(question).index(text) > place:
            button = question.locator(".reorder__item", has_text=text).locator(".reorder__up")
            press(button)
            assert button.evaluate("b => b === document.activeElement")


def drag_to_top(page, question, text) -> None:
    item = question.locator(".reorder__item", has_text=text).locator(".reorder__text")
    top = question.locator(".reorder__item").first
    question.locator(".reorder").evaluate("list => list.scrollIntoView({block: 'start'})")
    start, target = item.bounding_box(), top.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + 4, steps=12)
    page.mouse.up()


def stored_answer(attempt_id, key, expected, seconds=10):
    """The answer autosave stored for `key`, once it is `expected` (or the last one seen)."""
    deadline = time.monotonic() + seconds
    while True:
        answer = Attempt.objects.get(pk=attempt_id).answers.get(key)
        if answer == expected or time.monotonic() > deadline:
            return answer
        time.sleep(0.1)


@pytest.mark.parametrize("language", ["", "/ar"])
def test_learner_orders_reviews_and_submits_a_quiz(new_page, language):
    quiz = a_quiz("the-transit-lounge", draw=None)
    learner = UserFactory(email="orderer@example.org")
    page = new_page(viewport={"width": 360, "height": 800})
    sign_in(page, learner.email)
    page.goto(f"{language}/quizzes/{quiz.slug}/")
    page.locator("form[action$='/start/'] button").click()
    page.wait_for_load_state()  # quiz.js, deferred, has made the lists
    attempt = Attempt.objects.get(user=learner)
    keys = [k for k, block in quiz.blocks_by_key.items() if block.block_type == "ordering"]
    first, second = (page.locator(f"#question-{key}") for key in keys)
    assert first.locator("input[type=number]").count() == 0  # the list replaced the numbers

    arrange(first, right_order(quiz, keys[0]), lambda button: button.click())
    values = first.locator("input[type=hidden]").evaluate_all("els => els.map(e => e.value)")
    assert values == ["1", "2", "3", "4"]
    assert "4" in first.locator("[data-ordering-live]").inner_text()

    wanted = right_order(quiz, keys[1])
    mover = wanted[0] if shown(second)[0] != wanted[0] else shown(second)[-1]
    drag_to_top(page, second, mover)
    assert shown(second)[0] == mover
    keys_pressed = iter(["Enter", "Alt+ArrowUp", " "] * 4)

    def by_keyboard(button):
        button.focus()
        page.keyboard.press(next(keys_pressed))

    arrange(second, wanted, by_keyboard)
    assert shown(second) == wanted
    authored = ["c1", "c2", "c3", "c4"]
    assert stored_answer(attempt.pk, keys[0], authored) == authored  # autosaved after moves
    assert stored_answer(attempt.pk, keys[1], authored) == authored
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.locator("form.quiz button[type=submit]").click()
    page.wait_for_url(f"**/attempts/{attempt.pk}/review/")
    unanswered = page.locator(".review-item--unanswered")
    assert unanswered.count() == len(quiz.blocks_by_key) - 2
    assert page.locator(".review-item").count() == len(quiz.blocks_by_key)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert Attempt.objects.get(pk=attempt.pk).is_open  # nothing graded yet

    page.locator(f"a.button[href$='/attempts/{attempt.pk}/']").click()  # back to the questions
    page.wait_for_load_state()
    assert shown(page.locator(f"#question-{keys[0]}")) == right_order(quiz, keys[0])
    page.locator("form.quiz button[type=submit]").click()
    page.wait_for_url(f"**/attempts/{attempt.pk}/review/")
    page.locator("form[action$='/submit/'] button[name=confirm]").click()
    page.wait_for_url(f"**/attempts/{attempt.pk}/result/")

    outcomes = page.locator(".review-question").evaluate_all(
        "els => els.map(e => e.className.split('--')[1])"
    )
    assert [outcomes[attempt.drawn.index(key)] for key in keys] == ["right", "right"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator(".result-actions a.button").click()  # back to the course
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Course for the-transit-lounge"
