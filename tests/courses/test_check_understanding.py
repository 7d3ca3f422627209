"""A lesson's "check your understanding" options are shown in an order drawn once per question,
not as written, and the page says which is right only where the learner asks to see it."""

import re

import pytest

from courses.blocks import CheckUnderstandingBlock
from courses.content_loader import load_courses

from ..factories import lesson_with_block

SHIPPED = [q for c in load_courses() for lesson in c.lessons for q in lesson.questions]


def shown_texts(question: dict) -> list[str]:
    return [choice["text"] for choice in CheckUnderstandingBlock().shown_choices(question)]


def written_first_right(n: int) -> dict:
    texts = ["Refer the passenger", "Wave them through", "Ask for a bribe", "Call a friend"]
    return {
        "question": f"What do you do at gate {n}?",
        "choices": [
            {"text": text, "is_correct": i == 0, "feedback": f"Because {i}."}
            for i, text in enumerate(texts)
        ],
    }


def test_shipped_lesson_questions_are_not_all_shown_in_the_order_written():
    assert any(shown_texts(q) != [c["text"] for c in q["choices"]] for q in SHIPPED)


def test_a_lesson_question_shows_every_option_once():
    assert all(sorted(shown_texts(q)) == sorted(c["text"] for c in q["choices"]) for q in SHIPPED)


def test_a_lesson_question_is_shown_in_the_same_order_every_time():
    question = written_first_right(1)
    assert shown_texts(question) == shown_texts(written_first_right(1))


def test_the_right_option_written_first_is_not_always_shown_first():
    firsts = {shown_texts(written_first_right(n))[0] for n in range(12)}
    assert firsts != {"Refer the passenger"}


def rendered_options(html: str) -> list[str]:
    choices = re.search(r'<ol class="check__choices"[^>]*>(.*?)</ol>', html, re.S)[1]
    return re.findall(r"<li>(.*?)</li>", choices)


@pytest.mark.django_db
def test_a_lesson_page_shows_the_options_and_their_feedback_in_the_drawn_order(client):
    question = next(
        written_first_right(n)
        for n in range(12)
        if shown_texts(written_first_right(n))[0] != "Refer the passenger"
    )
    lesson = lesson_with_block("check_understanding", question)
    html = client.get(lesson.url).text
    assert rendered_options(html) == shown_texts(question)
    feedback = re.findall(r"Because (\d)\.", html)
    texts = [c["text"] for c in question["choices"]]
    assert [texts[int(i)] for i in feedback] == shown_texts(question)


@pytest.mark.django_db
def test_a_lesson_question_says_which_option_is_right_only_inside_the_answer(client):
    lesson = lesson_with_block("check_understanding", written_first_right(3))
    html = client.get(lesson.url).text
    section = re.search(r'<section class="check".*?</section>', html, re.S)[0]
    before_answer = section.split("<details>")[0]
    assert "Correct" not in before_answer
    assert not re.search(r"\b(value|data-[\w-]+|id)=", before_answer)
