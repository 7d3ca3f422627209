"""The quiz vocabulary: authored choice ids, scenario targets, and per-attempt identifiers."""

import pytest
from django.test import override_settings

from assessments import vocabulary
from assessments.scoring import AnswerError, Choice, Question

ORDERING = Question(id="q2", kind="ordering", choices=[Choice(f"c{n}") for n in range(1, 7)])


def test_authored_choice_ids_count_from_one():
    assert [vocabulary.choice_id(n) for n in (1, 2, 10)] == ["c1", "c2", "c10"]
    assert vocabulary.choice_index("c10") == 9


@pytest.mark.parametrize("text", ["c0", "c", "x1", "c1a", "c²", "", "c-1"])
def test_what_is_not_an_authored_choice_id_has_no_index(text):
    assert vocabulary.choice_index(text) is None


def test_a_target_is_a_step_or_an_ending():
    assert vocabulary.ending_target("caught") == "end:caught"
    assert vocabulary.ending_slug("end:caught") == "caught"
    assert vocabulary.ending_slug("q7") is None
    assert (vocabulary.next_step("q7"), vocabulary.next_step("end:caught")) == ("q7", None)
    assert vocabulary.next_step("") is None


def test_a_token_names_one_choice_of_one_question_of_one_attempt():
    tokens = {
        vocabulary.choice_token(attempt_id=a, key=k, choice_id=c)
        for a in (1, 2)
        for k in ("q1", "q2")
        for c in ("c1", "c2")
    }
    assert len(tokens) == 8


def test_a_token_reads_back_as_its_choice_and_nothing_else_does():
    token = vocabulary.choice_token(attempt_id=7, key="q2", choice_id="c3")
    assert vocabulary.choice_from_token(ORDERING, attempt_id=7, token=token) == "c3"
    with pytest.raises(AnswerError):
        vocabulary.choice_from_token(ORDERING, attempt_id=8, token=token)
    with pytest.raises(AnswerError):
        vocabulary.choice_from_token(ORDERING, attempt_id=7, token="c3")


def test_the_shown_order_of_an_ordering_question_depends_on_the_secret_key():
    def shown(secret):
        with override_settings(SECRET_KEY=secret):
            return [c.id for c in vocabulary.shown_order(ORDERING, attempt_id=1)]

    orders = {tuple(shown(f"secret-{n}")) for n in range(5)}
    assert len(orders) > 1
    assert all(sorted(order) == sorted(c.id for c in ORDERING.choices) for order in orders)


def test_a_trail_walks_a_scenario_and_refuses_a_choice_that_does_not_follow():
    steps = {
        "q1": Question("q1", "step", [Choice("c1", leads_to="q2"), Choice("c2")]),
        "q2": Question("q2", "step", [Choice("c1")]),
    }
    assert vocabulary.trail(steps, "q1", ["c1", "c1"]) == [("q1", "c1"), ("q2", "c1")]
    with pytest.raises(AnswerError):
        vocabulary.trail(steps, "q1", ["c2", "c1"])
