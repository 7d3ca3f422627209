"""A lesson's "check your understanding" questions: options shown in an order drawn once per
question, not as written, under opaque keys; the learner checks an answer and sees whether it
was right and the feedback, and the answer is kept for their own progress. The lesson body is
shared by every reader: it never says which option is right, nor anything of a reader."""

import json
import re

import pytest
from django.test import Client

from courses.blocks import CheckUnderstandingBlock, option_key
from courses.content_loader import load_courses
from courses.models import CheckAnswer

from ..factories import MembershipFactory, lesson_with_block

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


def rendered_options(html: str, lesson) -> list[tuple[str, str]]:
    """(opaque key, text) of each option the lesson page shows, in order."""
    return re.findall(
        r'<input type="radio" name="choice-[\w-]+" value="(\w+)" form="lesson-checks"> '
        r"<span>(.*?)</span>",
        body_of(html),
    )


def body_of(html: str) -> str:
    """The lesson body: the part of the page shared by every reader."""
    return re.search(r'<article class="lesson">(.*?)</article>', html, re.S)[1]


def block_id_of(lesson) -> str:
    return lesson.body.raw_data[0]["id"]


def two_questions() -> list[dict]:
    return [{"type": "check_understanding", "value": written_first_right(n)} for n in (1, 2)]


@pytest.fixture
def lesson(db):
    return lesson_with_block("check_understanding", written_first_right(3))


def key_of(lesson, text: str) -> str:
    return option_key(lesson.pk, block_id_of(lesson), text)


def check(client, lesson, text=None, *, key=None, block=None, as_json=True):
    block = block if block is not None else block_id_of(lesson)
    key = key if key is not None else option_key(lesson.pk, block, text)
    headers = {"Accept": "application/json"} if as_json else {}
    return client.post(
        f"/lessons/{lesson.pk}/check/", {"block": block, f"choice-{block}": key}, headers=headers
    )


def test_a_lesson_page_shows_the_options_in_the_drawn_order_under_opaque_keys(client, db):
    question = next(
        written_first_right(n)
        for n in range(12)
        if shown_texts(written_first_right(n))[0] != "Refer the passenger"
    )
    lesson = lesson_with_block("check_understanding", question)
    options = rendered_options(client.get(lesson.url).text, lesson)
    assert [text for _key, text in options] == shown_texts(question)
    assert [key for key, _text in options] == [key_of(lesson, t) for t in shown_texts(question)]


def test_the_shared_lesson_body_says_nothing_of_which_option_is_right(client, lesson):
    body = body_of(client.get(lesson.url).text)
    assert "Correct" not in body and "Right." not in body and "Not quite" not in body
    assert "Because" not in body  # no feedback at all before an answer
    keys = [key for key, _text in rendered_options(client.get(lesson.url).text, lesson)]
    assert all(re.fullmatch(r"[0-9a-f]{24}", key) for key in keys)
    assert not any(key in ("c1", "c2", "0", "1", "true") for key in keys)


def test_the_opaque_keys_are_not_the_same_in_another_lesson():
    assert option_key(1, "block", "Refer the passenger") != option_key(
        2, "block", "Refer the passenger"
    )


def test_a_right_answer_is_recorded_and_its_feedback_returned(client, officer, lesson):
    client.force_login(officer)
    response = check(client, lesson, "Refer the passenger")
    assert response.status_code == 200
    assert response.json() == {
        "correct": True,
        "verdict": "Right.",
        "feedback": "Because 0.",
        "recorded": True,
        "summary": "You answered 1 of 1 question in this lesson.",
    }
    answer = CheckAnswer.objects.get(user=officer, lesson=lesson)
    assert (answer.block_id, answer.choice, answer.is_correct) == (
        block_id_of(lesson),
        "Refer the passenger",
        True,
    )


def test_a_wrong_answer_says_so_and_answering_again_replaces_it(client, officer, lesson):
    client.force_login(officer)
    response = check(client, lesson, "Call a friend")
    assert response.json()["correct"] is False
    assert response.json()["verdict"] == "Not quite."
    assert response.json()["feedback"] == "Because 3."
    check(client, lesson, "Refer the passenger")
    check(client, lesson, "Refer the passenger")  # a double click
    answer = CheckAnswer.objects.get(user=officer, lesson=lesson)
    assert answer.choice == "Refer the passenger" and answer.is_correct


def test_without_javascript_the_answer_is_shown_on_a_page_of_its_own(client, officer, lesson):
    client.force_login(officer)
    response = check(client, lesson, "Wave them through", as_json=False)
    assert response.status_code == 200
    html = response.text
    assert "What do you do at gate 3?" in html
    assert "Your answer:" in html and "Wave them through" in html
    assert "Not quite." in html and "Because 1." in html
    assert f'href="{lesson.url}#check-{block_id_of(lesson)}"' in html
    assert CheckAnswer.objects.filter(user=officer, lesson=lesson).count() == 1


@pytest.mark.parametrize(
    "change",
    ["forged key", "option of another lesson", "rewritten option", "no choice", "no block"],
)
def test_forged_or_stale_answers_are_refused_and_nothing_is_written(
    client, officer, lesson, change
):
    client.force_login(officer)
    block = block_id_of(lesson)
    if change == "forged key":
        response = check(client, lesson, key="0" * 24)
    elif change == "option of another lesson":
        response = check(
            client, lesson, key=option_key(lesson.pk + 1, block, "Refer the passenger")
        )
    elif change == "rewritten option":
        stale = key_of(lesson, "Refer the passenger")
        question = written_first_right(3)
        question["choices"][0]["text"] = "Refer the passenger to second line"
        lesson.body = json.dumps([{"type": "check_understanding", "value": question, "id": block}])
        lesson.save_revision().publish()
        response = check(client, lesson, key=stale)
    elif change == "no choice":
        response = check(client, lesson, key="")
    else:
        response = check(client, lesson, "Refer the passenger", block="not-a-block")
    assert response.status_code in (400, 404)
    assert response.json()["error"]
    assert not CheckAnswer.objects.exists()


def test_a_question_removed_from_the_lesson_is_refused_without_javascript(client, officer, lesson):
    client.force_login(officer)
    block = block_id_of(lesson)
    lesson.body = json.dumps([{"type": "paragraph", "value": "<p>No question now.</p>"}])
    lesson.save_revision().publish()
    response = check(
        client,
        lesson,
        key=option_key(lesson.pk, block, "Refer the passenger"),
        block=block,
        as_json=False,
    )
    assert response.status_code == 404
    assert "no longer in the lesson" in response.text
    assert not CheckAnswer.objects.exists()


def test_an_unpublished_lesson_takes_no_answer(client, officer, lesson):
    client.force_login(officer)
    key = key_of(lesson, "Refer the passenger")
    lesson.unpublish()
    assert check(client, lesson, key=key).status_code == 404
    assert not CheckAnswer.objects.exists()


@pytest.mark.parametrize("audience", ["officers", "trainers"])
def test_a_reader_outside_the_lesson_audience_is_refused(client, stranger, officer, audience):
    lesson = lesson_with_block("check_understanding", written_first_right(3), audience=audience)
    reader = stranger if audience == "officers" else officer
    client.force_login(reader)
    response = check(client, lesson, "Refer the passenger")
    assert response.status_code == 403
    assert not CheckAnswer.objects.exists()
    client.logout()
    assert check(client, lesson, "Refer the passenger").status_code == 403


def test_a_signed_out_reader_of_a_public_lesson_checks_without_anything_kept(client, lesson):
    response = check(client, lesson, "Refer the passenger")
    assert response.status_code == 200
    assert response.json()["correct"] is True and response.json()["recorded"] is False
    html = check(client, lesson, "Ask for a bribe", as_json=False).text
    assert "Not quite." in html and "Sign in to keep your answers." in html
    assert not CheckAnswer.objects.exists()


def test_a_signed_in_check_needs_the_csrf_token(officer, lesson):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = check(client, lesson, "Refer the passenger")
    assert response.status_code == 403
    assert not CheckAnswer.objects.exists()
    page = client.get(lesson.url).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    block = block_id_of(lesson)
    response = client.post(
        f"/lessons/{lesson.pk}/check/",
        {
            "csrfmiddlewaretoken": token,
            "block": block,
            f"choice-{block}": key_of(lesson, "Call a friend"),
        },
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200 and CheckAnswer.objects.count() == 1


def test_a_get_is_not_an_answer(client, officer, lesson):
    client.force_login(officer)
    assert client.get(f"/lessons/{lesson.pk}/check/").status_code == 405


def test_the_lesson_page_shows_the_learner_their_own_answers_outside_the_shared_body(
    client, officer, organisation
):
    lesson = lesson_with_block("check_understanding", written_first_right(3))
    lesson.body = json.dumps(two_questions())
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    first = lesson.body.raw_data[0]["id"]
    client.force_login(officer)
    before = client.get(lesson.url).text
    assert "You answered 0 of 2 questions in this lesson." in before
    check(client, lesson, key=option_key(lesson.pk, first, "Wave them through"), block=first)

    after = client.get(lesson.url).text
    assert "You answered 1 of 2 questions in this lesson." in after
    marked = re.search(r"<ul hidden data-check-answers>(.*?)</ul>", after, re.S)[1]
    assert f'data-block="{first}"' in marked
    assert f'data-choice="{option_key(lesson.pk, first, "Wave them through")}"' in marked
    assert 'data-correct="0"' in marked and "Because 1." in marked
    assert body_of(after) == body_of(before)  # the shared body is the same rendering

    colleague = Client()
    colleague.force_login(MembershipFactory(organisation=organisation).user)
    theirs = colleague.get(lesson.url).text
    assert "You answered 0 of 2 questions in this lesson." in theirs
    assert "data-check-answers" not in theirs and "Because 1." not in theirs
    assert body_of(theirs) == body_of(before)


def test_a_signed_out_reader_gets_the_same_lesson_body_and_no_answers(client, officer, lesson):
    reader = Client()
    reader.force_login(officer)
    check(reader, lesson, "Wave them through")
    signed_in = reader.get(lesson.url).text
    anonymous = client.get(lesson.url).text
    assert body_of(anonymous) == body_of(signed_in)
    assert "data-check-answers" not in anonymous and "Because" not in anonymous
    assert 'id="lesson-checks"' in anonymous and "csrfmiddlewaretoken" not in anonymous
