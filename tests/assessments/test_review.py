"""Before a quiz is graded the learner reviews it: the unanswered questions are marked, the
answers posted are saved first, and only the review's confirmation grades, for the answers the
review showed."""

import re

import pytest

from assessments.models import Attempt

from .pages import form_fields, submit
from .test_attempts import a_quiz, right_answers, start, token

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(client, officer):
    client.force_login(officer)
    return start(client, a_quiz("the-transit-lounge", draw=None))


def keys_of_kind(attempt, *kinds) -> list[str]:
    quiz = attempt.quiz_as_started
    return [k for k in attempt.drawn if quiz.blocks_by_key[k].block_type in kinds]


def one_answer(attempt) -> tuple[str, dict]:
    """A form answering only the first single-choice question, with its right choice."""
    key = keys_of_kind(attempt, "single")[0]
    right = next(c for c in attempt.quiz_as_started.scoring_question(key).choices if c.correct)
    return key, {"sequence": "1", f"q-{key}": token(attempt, key, right.id)}


def review_url(attempt):
    return f"/quizzes/attempts/{attempt.pk}/review/"


def confirm(client, attempt, sequence):
    return client.post(
        f"/quizzes/attempts/{attempt.pk}/submit/", {"sequence": str(sequence), "confirm": "1"}
    )


def test_the_questions_form_posts_to_the_review(client, attempt):
    html = client.get(f"/quizzes/attempts/{attempt.pk}/").text
    assert f'action="{review_url(attempt)}"' in html


def test_posting_the_questions_saves_the_answers_and_grades_nothing(client, attempt):
    key, data = one_answer(attempt)
    response = client.post(review_url(attempt), data)
    assert response.status_code == 302 and response["Location"] == review_url(attempt)
    stored = Attempt.objects.get(pk=attempt.pk)
    assert stored.is_open and stored.percent == {} and stored.passed is None
    assert list(stored.answers) == [key] and stored.sequence == 1


def test_review_marks_the_unanswered_questions_and_links_back_to_each(client, attempt):
    key, data = one_answer(attempt)
    client.post(review_url(attempt), data)
    html = client.get(review_url(attempt)).text
    unanswered = len(attempt.drawn) - 1
    assert f"{unanswered} questions are not answered yet." in html
    assert html.count("review-item--unanswered") == unanswered
    assert html.count("Not answered") == unanswered and html.count("Answered<") == 1
    for other in attempt.drawn:
        assert f'href="/quizzes/attempts/{attempt.pk}/#question-{other}"' in html
    number = attempt.drawn.index(key) + 1
    assert re.search(rf"Change your answer to question {number}\s*</a>", html)


def test_going_back_to_the_questions_keeps_the_answers(client, attempt):
    key, data = one_answer(attempt)
    client.post(review_url(attempt), data)
    html = client.get(f"/quizzes/attempts/{attempt.pk}/").text
    checked = [f for f in form_fields(html) if f["name"] == f"q-{key}" and "checked" in f]
    assert [f["value"] for f in checked] == [data[f"q-{key}"]]
    assert 'name="sequence" value="2"' in html  # the next save is newer than the one stored


def test_an_empty_form_is_reviewed_not_graded(client, attempt):
    for endpoint in ("review", "submit"):  # a questions page from before the review existed
        response = client.post(f"/quizzes/attempts/{attempt.pk}/{endpoint}/", {"sequence": "1"})
        assert response["Location"] == review_url(attempt)
    assert Attempt.objects.get(pk=attempt.pk).is_open
    html = client.get(review_url(attempt)).text
    assert "You have not answered any question yet" in html
    assert html.count("review-item--unanswered") == len(attempt.drawn)


def test_an_empty_attempt_is_graded_through_the_explicit_confirmation(client, attempt):
    client.post(review_url(attempt), {"sequence": "1"})
    html = client.get(review_url(attempt)).text
    fields = {
        f["name"]: f["value"] for f in form_fields(html) if f["name"] != "csrfmiddlewaretoken"
    }
    assert fields == {"sequence": "1", "confirm": "1"}
    response = confirm(client, attempt, 1)
    assert response["Location"] == f"/quizzes/attempts/{attempt.pk}/result/"
    stored = Attempt.objects.get(pk=attempt.pk)
    assert stored.status == "submitted" and stored.percent == {"detection": 0, "rights": 0}


def test_a_confirmation_for_answers_changed_since_the_review_grades_nothing(client, attempt):
    key, data = one_answer(attempt)
    client.post(review_url(attempt), data)  # the review shows the answers saved as 1
    client.post(
        f"/quizzes/attempts/{attempt.pk}/save/", {**right_answers(attempt), "sequence": "2"}
    )
    response = confirm(client, attempt, 1)
    assert response["Location"] == review_url(attempt)
    assert Attempt.objects.get(pk=attempt.pk).is_open
    assert "Your answers changed after this review" in client.get(review_url(attempt)).text
    confirm(client, attempt, 2)
    assert Attempt.objects.get(pk=attempt.pk).passed is True


def test_a_second_confirmation_gets_the_same_result(client, attempt):
    first = submit(client, attempt, right_answers(attempt))
    second = confirm(client, attempt, 1)
    assert first["Location"] == second["Location"] == f"/quizzes/attempts/{attempt.pk}/result/"
    assert Attempt.objects.get(pk=attempt.pk).submitted_at is not None


@pytest.mark.parametrize("sequence", ["", "x", "-1", "9" * 30])
def test_a_confirmation_without_a_usable_sequence_grades_nothing(client, attempt, sequence):
    response = client.post(
        f"/quizzes/attempts/{attempt.pk}/submit/", {"sequence": sequence, "confirm": "1"}
    )
    assert response.status_code == 302
    assert Attempt.objects.get(pk=attempt.pk).is_open


def test_a_graded_attempt_reviews_as_its_result(client, attempt):
    submit(client, attempt, right_answers(attempt))
    response = client.get(review_url(attempt))
    assert response["Location"] == f"/quizzes/attempts/{attempt.pk}/result/"


def test_a_scenario_has_no_review(client, officer):
    client.force_login(officer)
    scenario = start(client, a_quiz("gate-b12"))
    response = client.get(review_url(scenario))
    assert response["Location"] == f"/quizzes/attempts/{scenario.pk}/"


def test_review_is_never_cached(client, attempt):
    response = client.get(review_url(attempt))
    assert "no-store" in response["Cache-Control"]


def ordering_form(attempt, key, positions) -> dict:
    """An ordering question numbered with `positions`, in the order the items are authored."""
    question = attempt.quiz_as_started.scoring_question(key)
    return {
        f"q-{key}-{token(attempt, key, c.id)}": str(p)
        for c, p in zip(question.choices, positions, strict=True)
    }


def test_an_order_with_a_number_given_twice_is_refused_clearly_and_the_rest_is_kept(
    client, attempt
):
    key, data = one_answer(attempt)
    ordering = keys_of_kind(attempt, "ordering")[0]
    typed = ordering_form(attempt, ordering, [1, 2, 2, 4])
    response = client.post(review_url(attempt), {**data, **typed})
    assert response.status_code == 400
    html = response.text
    assert "Two items have the same number. Give each item a different number from 1 to 4." in html
    assert f'href="#question-{ordering}"' in html and 'aria-invalid="true"' in html
    for name, value in typed.items():  # the numbers typed are there to correct
        assert re.search(rf'name="{name}"[^>]*\s+value="{value}"', html)
    stored = Attempt.objects.get(pk=attempt.pk)
    assert stored.is_open and list(stored.answers) == [key]


@pytest.mark.parametrize("positions", [[1, 2, 3, 9], [0, 1, 2, 3], ["a", 2, 3, 4]])
def test_an_order_with_numbers_out_of_range_is_refused_clearly(client, attempt, positions):
    ordering = keys_of_kind(attempt, "ordering")[0]
    data = {"sequence": "1", **ordering_form(attempt, ordering, positions)}
    response = client.post(review_url(attempt), data)
    assert response.status_code == 400
    assert "Number the items with whole numbers from 1 to 4." in response.text
    assert Attempt.objects.get(pk=attempt.pk).answers == {}


def test_autosave_refuses_a_number_given_twice_clearly(client, attempt):
    ordering = keys_of_kind(attempt, "ordering")[0]
    data = {"sequence": "1", **ordering_form(attempt, ordering, [3, 3, 1, 2])}
    response = client.post(f"/quizzes/attempts/{attempt.pk}/save/", data)
    assert response.status_code == 409
    assert "Two items have the same number" in response.json()["error"]
    assert Attempt.objects.get(pk=attempt.pk).answers == {}


def test_a_corrected_order_is_saved_and_reviewed(client, attempt):
    ordering = keys_of_kind(attempt, "ordering")[0]
    client.post(
        review_url(attempt), {"sequence": "1", **ordering_form(attempt, ordering, [1, 1, 3, 4])}
    )
    data = {"sequence": "2", **ordering_form(attempt, ordering, [2, 1, 3, 4])}
    assert client.post(review_url(attempt), data)["Location"] == review_url(attempt)
    assert Attempt.objects.get(pk=attempt.pk).answers[ordering] == ["c2", "c1", "c3", "c4"]
