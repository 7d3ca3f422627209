"""Bad input to the attempt endpoints gets a clear refusal and changes nothing."""

import pytest

from assessments.models import Attempt

from .pages import question_fields
from .test_attempts import a_quiz, right_answers, start

pytestmark = pytest.mark.django_db
LARGEST_SEQUENCE = 2**31 - 1


@pytest.fixture
def attempt(client, officer):
    client.force_login(officer)
    return start(client, a_quiz("the-transit-lounge", draw=None))


def unchanged(attempt):
    stored = Attempt.objects.get(pk=attempt.pk)
    return (stored.answers, stored.sequence, stored.status) == (
        attempt.answers,
        attempt.sequence,
        attempt.status,
    )


@pytest.mark.parametrize("sequence", [2**31, 2**63, 10**30, -1, 0])
def test_autosave_sequence_out_of_range_is_refused(client, attempt, sequence):
    response = client.post(
        f"/quizzes/attempts/{attempt.pk}/save/",
        {**right_answers(attempt), "sequence": str(sequence)},
    )
    assert response.status_code == 409
    assert "sequence" in response.json()["error"]
    assert unchanged(attempt)


@pytest.mark.parametrize("sequence", [2**31, 2**63])
def test_submit_with_sequence_out_of_range_is_refused(client, attempt, sequence):
    response = client.post(
        f"/quizzes/attempts/{attempt.pk}/submit/",
        {**right_answers(attempt), "sequence": str(sequence)},
        follow=True,
    )
    assert response.status_code == 200 and "sequence" in response.text
    assert unchanged(attempt)


def test_after_the_largest_sequence_a_later_save_is_refused_clearly(client, attempt):
    url = f"/quizzes/attempts/{attempt.pk}/save/"
    data = right_answers(attempt)
    assert client.post(url, {**data, "sequence": str(LARGEST_SEQUENCE)}).json()["saved"]
    attempt.refresh_from_db()
    response = client.post(url, {**data, "sequence": str(LARGEST_SEQUENCE + 1)})
    assert response.status_code == 409
    assert unchanged(attempt)


def ordering_fields(client, attempt):
    key = next(
        k
        for k in attempt.drawn
        if attempt.quiz_as_started.blocks_by_key[k].block_type == "ordering"
    )
    return [f["name"] for f in question_fields(client, attempt, key)]


@pytest.mark.parametrize("position", ["²", "٣٣٣" * 2000, "9" * 5000, "0", "-1", "1.5", "x"])
def test_ordering_position_that_is_not_a_place_in_the_list_is_refused(client, attempt, position):
    names = ordering_fields(client, attempt)
    data = {name: str(n) for n, name in enumerate(names, start=1)}
    data[names[0]] = position
    response = client.post(f"/quizzes/attempts/{attempt.pk}/save/", {**data, "sequence": "1"})
    assert response.status_code == 409
    assert "Number the items" in response.json()["error"]
    assert unchanged(attempt)


def test_ordering_position_given_twice_is_refused(client, attempt):
    names = ordering_fields(client, attempt)
    data = {name: "1" for name in names}
    response = client.post(f"/quizzes/attempts/{attempt.pk}/save/", {**data, "sequence": "1"})
    assert response.status_code == 409
    assert unchanged(attempt)


def test_ordering_partly_numbered_is_saved_as_not_yet_answered(client, attempt):
    names = ordering_fields(client, attempt)
    response = client.post(
        f"/quizzes/attempts/{attempt.pk}/save/", {names[0]: "1", "sequence": "1"}
    )
    assert response.json()["saved"] is True
    assert Attempt.objects.get(pk=attempt.pk).answers == {}
