"""What the browser is told about choices says nothing about which is right or in which order
the author wrote them: identifiers are opaque and belong to one attempt."""

import pytest
from django.test import Client

from assessments import vocabulary
from assessments.models import Attempt

from ..factories import UserFactory
from .pages import question_fields, step_buttons
from .test_attempts import a_quiz, start

pytestmark = pytest.mark.django_db


def authored_id(attempt, token):
    """The authored id of the first step's choice the page named `token`."""
    quiz = attempt.quiz_as_started
    question = quiz.scoring_question(quiz.first_step)
    return vocabulary.choice_from_token(question, attempt_id=attempt.pk, token=token)


@pytest.fixture
def ordering_quiz():
    return a_quiz("the-transit-lounge", draw=None)


def ordering_key(quiz):
    return next(k for k, b in quiz.blocks_by_key.items() if b.block_type == "ordering")


def test_ordering_question_numbered_in_authored_choice_order_is_refused(
    client, officer, ordering_quiz
):
    client.force_login(officer)
    attempt = start(client, ordering_quiz)
    key = ordering_key(ordering_quiz)
    choices = ordering_quiz.scoring_question(key).choices
    data = {f"q-{key}-c{n}": str(n) for n in range(1, len(choices) + 1)}
    response = client.post(f"/quizzes/attempts/{attempt.pk}/save/", {"sequence": "1", **data})
    assert response.status_code == 409
    assert "reload" in response.json()["error"]
    attempt.refresh_from_db()
    assert attempt.answers == {} and attempt.sequence == 0


def test_ordering_fields_are_named_differently_in_each_attempt(officer, ordering_quiz):
    key = ordering_key(ordering_quiz)
    names = []
    for user in (officer, UserFactory()):
        client = Client()
        client.force_login(user)
        attempt = start(client, ordering_quiz)
        names.append({f["name"] for f in question_fields(client, attempt, key)})
    assert len(names[0]) == len(names[1]) == len(ordering_quiz.scoring_question(key).choices)
    assert not names[0] & names[1]


def test_choice_values_of_every_kind_are_opaque(client, officer, ordering_quiz):
    client.force_login(officer)
    attempt = start(client, ordering_quiz)
    for key in attempt.drawn:
        authored = {c.id for c in ordering_quiz.scoring_question(key).choices}
        for field in question_fields(client, attempt, key):
            shown = field.get("value") if field["type"] != "number" else field["name"]
            assert shown.removeprefix(f"q-{key}-") not in authored


def test_choice_identifier_of_another_attempt_is_refused(officer, ordering_quiz):
    key = next(k for k, b in ordering_quiz.blocks_by_key.items() if b.block_type == "single")
    other, client = Client(), Client()
    other.force_login(UserFactory())
    client.force_login(officer)
    stale = question_fields(other, start(other, ordering_quiz), key)[0]["value"]
    attempt = start(client, ordering_quiz)
    response = client.post(
        f"/quizzes/attempts/{attempt.pk}/save/", {"sequence": "1", f"q-{key}": stale}
    )
    assert response.status_code == 409
    assert Attempt.objects.get(pk=attempt.pk).answers == {}


def test_scenario_step_choice_by_authored_id_is_refused(client, stranger):
    quiz = a_quiz("gate-b12")
    client.force_login(stranger)
    attempt = start(client, quiz)
    response = client.post(f"/quizzes/attempts/{attempt.pk}/choose/", {"choice": "c1"}, follow=True)
    assert "reload" in response.text
    attempt.refresh_from_db()
    assert attempt.answers == {} and attempt.is_open


def test_scenario_step_choice_from_the_page_is_taken(client, stranger):
    quiz = a_quiz("gate-b12")
    client.force_login(stranger)
    attempt = start(client, quiz)
    first = step_buttons(client, attempt)[0]
    client.post(f"/quizzes/attempts/{attempt.pk}/choose/", {"choice": first})
    attempt.refresh_from_db()
    assert attempt.answers == {"path": [authored_id(attempt, first)]}


def test_a_second_click_on_a_scenario_step_does_not_answer_the_next_step(client, stranger):
    quiz = a_quiz("gate-b12")
    client.force_login(stranger)
    attempt = start(client, quiz)
    first = step_buttons(client, attempt)[0]
    client.post(f"/quizzes/attempts/{attempt.pk}/choose/", {"choice": first})
    response = client.post(
        f"/quizzes/attempts/{attempt.pk}/choose/", {"choice": first}, follow=True
    )
    assert "reload the page" in response.text
    attempt.refresh_from_db()
    assert attempt.answers == {"path": [authored_id(attempt, first)]}


def test_a_choice_for_a_step_already_left_is_refused_by_the_service(stranger):
    from assessments import services

    quiz = a_quiz("gate-b12")
    attempt = services.attempt_start(user=stranger, quiz=quiz)
    services.attempt_choose(attempt=attempt, step=quiz.first_step, choice_id="c1")
    with pytest.raises(services.AttemptError):
        services.attempt_choose(attempt=attempt, step=quiz.first_step, choice_id="c1")
    attempt.refresh_from_db()
    assert attempt.answers == {"path": ["c1"]}
