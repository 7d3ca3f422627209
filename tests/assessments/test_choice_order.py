"""Choices are shown in an order of each attempt's own, so the page says nothing of the order
the author wrote them in; an author can keep the written order where it carries meaning."""

import dataclasses

import pytest
from django.test import Client

from assessments import vocabulary
from assessments.blocks import MRZ_FAULT_CHOICES
from assessments.content_loader import ContentError, parse_quiz
from assessments.scoring import Choice, Question
from courses import demo

from ..factories import UserFactory, make_course
from .pages import form_fields, question_fields, step_buttons
from .test_attempts import SPECS, a_quiz, start
from .test_content import write

SINGLE = Question(id="q1", kind="single", choices=[Choice(f"c{n}", n == 1) for n in range(1, 5)])
ATTEMPTS = range(1, 13)


def shown(question, attempt_id, **kwargs):
    return [c.id for c in vocabulary.shown_order(question, attempt_id=attempt_id, **kwargs)]


@pytest.mark.parametrize("kind", ["single", "multiple", "true_false", "step"])
def test_every_kind_of_choice_question_is_shown_in_an_order_of_each_attempts_own(kind):
    question = dataclasses.replace(SINGLE, kind=kind)
    orders = {tuple(shown(question, n)) for n in ATTEMPTS}
    assert len(orders) > 1
    assert all(sorted(order) == ["c1", "c2", "c3", "c4"] for order in orders)


def test_the_right_choice_is_not_always_shown_first():
    assert {shown(SINGLE, n)[0] for n in ATTEMPTS} != {"c1"}


def test_a_question_whose_order_is_pinned_keeps_its_authored_order_in_every_attempt():
    assert {tuple(shown(SINGLE, n, pinned=True)) for n in ATTEMPTS} == {("c1", "c2", "c3", "c4")}


def pinned_spec(slug):
    """The shipped quiz `slug` with the order of every question pinned by its author."""
    spec = SPECS[slug]
    questions = [dataclasses.replace(q, pin_order=q.kind != "ordering") for q in spec.questions]
    return dataclasses.replace(spec, slug=f"{slug}-pinned", questions=questions)


def first_step_choices(client, attempt):
    """The authored ids of the first step's choices, in the order the page shows them."""
    question = attempt.quiz_as_started.scoring_question(attempt.quiz_as_started.first_step)
    return [
        vocabulary.choice_from_token(question, attempt_id=attempt.pk, token=token)
        for token in step_buttons(client, attempt)
    ]


@pytest.mark.django_db
def test_a_scenario_step_is_shown_in_the_same_order_when_the_attempt_is_resumed(client, stranger):
    quiz = a_quiz("gate-b12")
    client.force_login(stranger)
    attempt = start(client, quiz)
    assert first_step_choices(client, attempt) == first_step_choices(client, start(client, quiz))


@pytest.mark.django_db
def test_the_first_choice_shown_on_a_scenario_page_is_not_always_the_authored_first():
    quiz = a_quiz("gate-b12")
    firsts = set()
    for _n in range(8):
        client = Client()
        client.force_login(UserFactory())
        firsts.add(first_step_choices(client, start(client, quiz))[0])
    assert len(firsts) > 1


@pytest.mark.django_db
def test_a_pinned_scenario_step_is_shown_in_authored_order_in_every_attempt():
    course = make_course(title="Pinned", slug="pinned", lessons=1)
    quiz = demo.quiz(pinned_spec("gate-b12"), course)
    authored = [c.id for c in quiz.scoring_question(quiz.first_step).choices]
    for _n in range(4):
        client = Client()
        client.force_login(UserFactory())
        assert first_step_choices(client, start(client, quiz)) == authored


@pytest.mark.django_db
def test_mrz_faults_are_listed_in_their_fixed_order_in_every_attempt():
    quiz = a_quiz("inspect-the-mrz", draw=None)
    key = next(k for k, b in quiz.blocks_by_key.items() if b.block_type == "mrz")
    labels = [str(label) for _name, label in MRZ_FAULT_CHOICES]
    for attempt_id in ATTEMPTS:
        texts = [c["text"] for c in vocabulary.shown_choices(quiz, key, attempt_id=attempt_id)]
        assert texts == labels


@pytest.mark.django_db
def test_nothing_on_the_attempt_page_names_an_authored_choice(client, officer):
    quiz = a_quiz("the-transit-lounge", draw=None)
    client.force_login(officer)
    attempt = start(client, quiz)
    html = client.get(f"/quizzes/attempts/{attempt.pk}/").text
    for field in form_fields(html):
        for value in (field.get("id") or "", field.get("name"), field.get("value") or ""):
            assert vocabulary.choice_index(value.rsplit("-", 1)[-1]) is None


@pytest.mark.django_db
def test_single_choice_questions_are_shown_in_a_different_order_in_another_attempt(officer):
    quiz = a_quiz("the-transit-lounge", draw=None)
    keys = [k for k, b in quiz.blocks_by_key.items() if b.block_type == "single"]
    orders = []
    for user in (officer, UserFactory()):
        client = Client()
        client.force_login(user)
        attempt = start(client, quiz)
        orders.append(
            [
                vocabulary.choice_from_token(
                    quiz.scoring_question(key), attempt_id=attempt.pk, token=field["value"]
                )
                for key in keys
                for field in question_fields(client, attempt, key)
                if field["name"] == f"q-{key}"
            ]
        )
    assert orders[0] != orders[1]


PINNED = "## Question q1\nkind: single\npin_order: yes\n? How sure?\n- [x] a -> f\n- [ ] b -> f\n"


def test_a_markdown_question_can_pin_its_order(tmp_path):
    quiz = parse_quiz(write(tmp_path, PINNED))
    assert quiz.questions_data()[0]["value"]["pin_order"] is True


def test_a_markdown_question_leaves_its_order_to_each_attempt_unless_pinned(tmp_path):
    quiz = parse_quiz(write(tmp_path, PINNED.replace("pin_order: yes\n", "")))
    assert quiz.questions_data()[0]["value"]["pin_order"] is False


def test_a_pinned_ordering_question_is_refused_as_it_would_show_the_answer(tmp_path):
    body = "## Question q1\nkind: ordering\npin_order: yes\n? Q\n1. a -> f\n2. b -> f\n3. c -> f\n"
    with pytest.raises(ContentError, match="pin_order"):
        parse_quiz(write(tmp_path, body))


def test_a_markdown_pin_order_other_than_yes_or_no_is_refused(tmp_path):
    with pytest.raises(ContentError, match="pin_order"):
        parse_quiz(write(tmp_path, PINNED.replace("pin_order: yes", "pin_order: maybe")))
