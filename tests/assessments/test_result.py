"""The result page: per question right, partly right or wrong, the points per dimension under
the dimension's label, the feedback; a scenario's path step by step; and at the end *Try again*
while attempts are left and *Back to the course*."""

import re

import pytest
from django.utils.html import escape

from assessments import vocabulary
from assessments.models import Attempt
from courses.models import CoursePage

from .pages import step_buttons, submit
from .test_attempts import a_quiz, start, token

pytestmark = pytest.mark.django_db


def result(client, attempt) -> str:
    response = client.get(f"/quizzes/attempts/{attempt.pk}/result/")
    assert response.status_code == 200
    return response.text


def outcomes(html) -> list[str]:
    return re.findall(r'class="review-question review-question--(\w+)"', html)


def mixed_answers(attempt) -> tuple[dict, dict]:
    """Form fields answering the drawn questions right, wrong, partly right (an ordering with
    its first two items swapped) and not at all, and the outcome each should get."""
    quiz, data, expected = attempt.quiz_as_started, {"sequence": "1"}, {}
    for key in attempt.drawn:
        question = quiz.scoring_question(key)
        if question.kind == "ordering" and "partly" not in expected.values():
            order = [question.choices[1], question.choices[0], *question.choices[2:]]
            for position, choice in enumerate(order, start=1):
                data[f"q-{key}-{token(attempt, key, choice.id)}"] = str(position)
            expected[key] = "partly"
        elif question.kind in ("single", "true_false") and "right" not in expected.values():
            right = next(c for c in question.choices if c.correct)
            data[f"q-{key}"] = token(attempt, key, right.id)
            expected[key] = "right"
        elif question.kind in ("single", "true_false") and "wrong" not in expected.values():
            wrong = next(
                c for c in question.choices if not c.correct and not any(c.points.values())
            )
            data[f"q-{key}"] = token(attempt, key, wrong.id)
            expected[key] = "wrong"
        else:
            expected[key] = "unanswered"
    return data, expected


@pytest.fixture
def graded(client, officer):
    client.force_login(officer)
    attempt = start(client, a_quiz("the-transit-lounge", draw=None))
    data, expected = mixed_answers(attempt)
    submit(client, attempt, data)
    return attempt, expected


def test_each_question_says_right_partly_right_wrong_or_not_answered(client, graded):
    attempt, expected = graded
    html = result(client, attempt)
    assert outcomes(html) == [expected[key] for key in attempt.drawn]
    assert {"right", "partly", "wrong", "unanswered"} <= set(expected.values())
    for words in ("✓</span> Right", "◐</span> Partly right", "✗</span> Wrong", "Not answered"):
        assert words in html  # in words, not by colour alone


def test_each_question_shows_its_points_under_the_dimension_label(client, graded):
    attempt, expected = graded
    html = result(client, attempt)
    points = re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", html)
    assert len(points) == len(attempt.drawn)  # each question on the one dimension it scores
    assert {label for label, _ in points} == {"Detection", "Rights and dignity"}
    assert ("Detection", "1 of 1 point") in points and ("Detection", "0 of 1 point") in points
    assert ("Detection", "0.83 of 1 point") in points  # 5 of the 6 pairs in order
    assert "<dt>detection" not in html and ">detection<" not in html


def test_the_score_table_reads_dimension_labels(client, officer):
    client.force_login(officer)
    attempt = start(client, a_quiz("gate-b12"))
    while Attempt.objects.get(pk=attempt.pk).is_open:
        client.post(
            f"/quizzes/attempts/{attempt.pk}/choose/", {"choice": step_buttons(client, attempt)[0]}
        )
    html = result(client, attempt)
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>', html)
    assert rows == ["Detection", "Rights and dignity"]


def test_feedback_of_each_answer_is_shown(client, graded):
    attempt, expected = graded
    html = result(client, attempt)
    quiz = attempt.quiz_as_started
    stored = Attempt.objects.get(pk=attempt.pk).answers
    for key, answer in stored.items():
        if isinstance(answer, str):
            choice = vocabulary.authored_choice(quiz.blocks_by_key[key].value["choices"], answer)
            assert escape(choice["feedback"]) in html


def test_a_scenario_result_shows_the_path_taken_with_each_choice_its_points_and_feedback(
    client, officer
):
    client.force_login(officer)
    attempt = start(client, a_quiz("gate-b12"))
    while Attempt.objects.get(pk=attempt.pk).is_open:
        client.post(
            f"/quizzes/attempts/{attempt.pk}/choose/", {"choice": step_buttons(client, attempt)[0]}
        )
    stored = Attempt.objects.get(pk=attempt.pk)
    quiz = stored.quiz_as_started
    html = result(client, stored)
    assert "The path you took" in html
    assert html.count('class="review-question"') == len(stored.answers["path"])
    for step, taken in vocabulary.trail(
        quiz.scoring_questions(), quiz.first_step, stored.answers["path"]
    ):
        choice = vocabulary.authored_choice(quiz.blocks_by_key[step].value["choices"], taken)
        assert escape(choice["text"]) in html and escape(choice["feedback"]) in html
    points = re.findall(r"<dt>([^<]+)</dt><dd><bdi dir=\"ltr\">([^<]+)</bdi>", html)
    assert {label for label, _ in points} == {"Detection", "Rights and dignity"}
    assert len(points) == 2 * len(stored.answers["path"])


def test_try_again_is_offered_while_attempts_are_left_and_starts_a_new_one(client, officer):
    client.force_login(officer)
    quiz = a_quiz("the-transit-lounge", attempts_allowed=2)
    first = start(client, quiz)
    submit(client, first, {"sequence": "1"})
    html = result(client, first)
    assert f'action="/quizzes/{quiz.slug}/start/"' in html and "Try again" in html
    second = start(client, quiz)  # what the Try again button posts
    assert second.number == 2 and second.is_open
    submit(client, second, {"sequence": "1"})
    assert "Try again" not in result(client, second)
    assert "Try again" not in result(client, first)


def test_try_again_is_not_offered_once_the_quiz_is_unpublished(client, officer):
    client.force_login(officer)
    quiz = a_quiz("the-transit-lounge")
    attempt = start(client, quiz)
    submit(client, attempt, {"sequence": "1"})
    quiz.unpublish()
    assert "Try again" not in result(client, attempt)


def test_back_to_the_course_links_to_the_course_the_quiz_ends(client, officer):
    client.force_login(officer)
    quiz = a_quiz("the-transit-lounge")
    attempt = start(client, quiz)
    submit(client, attempt, {"sequence": "1"})
    html = result(client, attempt)
    course = CoursePage.objects.get(final_quiz=quiz)
    assert f'href="{course.url}">Back to the course</a>' in html


def test_a_quiz_in_no_course_has_no_link_back_to_one(client, officer):
    client.force_login(officer)
    quiz = a_quiz("the-transit-lounge")
    CoursePage.objects.filter(final_quiz=quiz).update(final_quiz=None)
    attempt = start(client, quiz)
    submit(client, attempt, {"sequence": "1"})
    html = result(client, attempt)
    assert "Back to the course" not in html
    assert f'href="/quizzes/{quiz.slug}/"' in html


def test_quiz_page_names_dimensions_by_their_labels(client, officer):
    client.force_login(officer)
    quiz = a_quiz("gate-b12")
    html = client.get(f"/quizzes/{quiz.slug}/").text
    assert "70% on Detection, Rights and dignity" in html
    assert "on detection" not in html


def test_quiz_page_lists_attempts_with_dimension_labels(client, officer, graded):
    attempt, _ = graded
    html = client.get(f"/quizzes/{attempt.quiz.slug}/").text
    assert re.search(r"Detection \d+%", html) and not re.search(r"detection \d+%", html)


@pytest.mark.parametrize(
    "key,label",
    [
        ("detection", "Detection"),
        ("rights", "Rights and dignity"),
        ("integrity", "Integrity"),
        ("document_checks", "Document checks"),
        ("victim-care", "Victim care"),
    ],
)
def test_dimension_labels_read_as_words(key, label):
    assert vocabulary.dimension_label(key) == label


def test_an_mrz_question_shows_its_working_after_submission(client, officer):
    """Each MRZ question's result shows the working of every check digit: the weights, the sum,
    the remainder, and the expected digit beside the printed one where they differ."""
    from assessments import mrz

    client.force_login(officer)
    quiz = a_quiz("inspect-the-mrz", draw=None)
    attempt = start(client, quiz)
    submit(client, attempt, {"sequence": "1"})
    html = result(client, Attempt.objects.get(pk=attempt.pk))
    keys = [key for key in attempt.drawn if quiz.blocks_by_key[key].block_type == "mrz"]
    assert keys
    assert html.count('class="mrz-working"') == len(keys)
    for key in keys:
        working = mrz.td3_working(quiz.specimen_lines(key)[1])
        for field in working:
            assert f'id="{key}-{field.field}-caption"' in html
            verdict = f"Expected check digit {field.expected}, printed {field.printed}"
            assert f"Sum {field.total}; remainder after dividing by 10: {field.remainder}" in html
            assert verdict in html


def test_the_mrz_working_is_not_shown_when_the_quiz_hides_right_answers(client, officer):
    client.force_login(officer)
    quiz = a_quiz("inspect-the-mrz", draw=None, show_correct_answers=False)
    attempt = start(client, quiz)
    submit(client, attempt, {"sequence": "1"})
    assert "mrz-working" not in result(client, Attempt.objects.get(pk=attempt.pk))
