"""Arbitrary form data thrown at the attempt endpoints: never a server error, and a graded
attempt never changes. Field names and values are drawn both from what the attempt's page
really sends (its tokens, sequence numbers, positions) and from arbitrary text."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments import services, vocabulary
from assessments.models import Attempt

from .pages import submit
from .test_attempts import a_quiz, right_answers

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["²", "٣", "1.5", "1e9", " 7 ", "", "0", "١٢", "9" * 5000]),
)


def page_vocabulary(attempt) -> tuple[list[str], list[str]]:
    """Every field name and choice token the attempt's page could show."""
    quiz, names, tokens = attempt.quiz_as_started, ["sequence", "choice", "confirm"], []
    for key in attempt.drawn:
        question = quiz.scoring_question(key)
        named = list(vocabulary.tokens(question, attempt_id=attempt.pk).values())
        tokens += named + [c.id for c in question.choices]
        if question.kind == "ordering":
            names += [f"q-{key}-{token}" for token in named]
        else:
            names.append(f"q-{key}")
    return names, tokens


def form_data(attempt):
    names, tokens = page_vocabulary(attempt)
    name = st.one_of(st.sampled_from(names), st.text(max_size=30))
    value = st.one_of(st.sampled_from(tokens), NUMBERS, st.text(max_size=50))
    fields = st.dictionaries(name, st.lists(value, min_size=1, max_size=3), max_size=12)
    # Mostly a usable sequence number, so that the answers themselves are read too.
    sequence = st.one_of(st.integers(min_value=1, max_value=10**6).map(str), NUMBERS)
    return st.tuples(sequence, fields).map(lambda pair: {"sequence": [pair[0]], **pair[1]})


def post(client, attempt, endpoint, data):
    response = client.post(f"/quizzes/attempts/{attempt.pk}/{endpoint}/", data)
    assert response.status_code < 500, (endpoint, data)
    return response


@pytest.fixture
def quiz_attempt(client, officer):
    quiz = a_quiz("the-transit-lounge", draw=None)
    client.force_login(officer)
    return services.attempt_start(user=officer, quiz=quiz)


@pytest.fixture
def scenario_attempt(client, stranger):
    quiz = a_quiz("gate-b12")
    client.force_login(stranger)
    return services.attempt_start(user=stranger, quiz=quiz)


def test_arbitrary_form_data_never_breaks_saving_a_quiz(client, quiz_attempt):
    @FUZZ
    @given(data=form_data(quiz_attempt))
    def save(data):
        post(client, quiz_attempt, "save", data)

    save()


def test_arbitrary_form_data_never_breaks_submitting_a_quiz(client, officer, quiz_attempt):
    @FUZZ
    @given(data=form_data(quiz_attempt))
    def submit_or_review(data):
        post(client, quiz_attempt, "review", data)
        post(client, quiz_attempt, "submit", data)

    submit_or_review()


def test_arbitrary_form_data_never_breaks_a_scenario(client, scenario_attempt):
    @FUZZ
    @given(endpoint=st.sampled_from(["choose", "save", "submit"]), data=form_data(scenario_attempt))
    def play(endpoint, data):
        post(client, scenario_attempt, endpoint, data)

    play()


def graded(attempt) -> tuple:
    stored = Attempt.objects.get(pk=attempt.pk)
    return stored.status, stored.answers, stored.sequence, stored.percent, stored.passed


def test_arbitrary_form_data_never_changes_a_graded_quiz(client, quiz_attempt):
    submit(client, quiz_attempt, right_answers(quiz_attempt))
    before = graded(quiz_attempt)
    assert before[0] == "submitted"

    @FUZZ
    @given(
        endpoint=st.sampled_from(["choose", "save", "review", "submit"]),
        data=form_data(quiz_attempt),
    )
    def meddle(endpoint, data):
        post(client, quiz_attempt, endpoint, data)
        assert graded(quiz_attempt) == before

    meddle()


def test_arbitrary_form_data_never_changes_a_graded_scenario(client, scenario_attempt):
    quiz = scenario_attempt.quiz_as_started
    step = quiz.first_step
    while step:
        choice = quiz.scoring_question(step).choices[0]
        services.attempt_choose(attempt=scenario_attempt, step=step, choice_id=choice.id)
        step = choice.leads_to
    before = graded(scenario_attempt)
    assert before[0] == "submitted"

    @FUZZ
    @given(endpoint=st.sampled_from(["choose", "save", "submit"]), data=form_data(scenario_attempt))
    def meddle(endpoint, data):
        post(client, scenario_attempt, endpoint, data)
        assert graded(scenario_attempt) == before

    meddle()
