"""Critical choices through the attempt pages: a choice that fails its dimension whatever the
points, and a result page that says which choice did it and why."""

import re

import pytest
from django.core.exceptions import ValidationError

from assessments.content_loader import parse_quiz
from courses import demo

from ..factories import make_course
from .test_attempts import start

pytestmark = pytest.mark.django_db

SCENARIO = """---
title: The queue
slug: the-queue
course: for-the-queue
pass_mark: 50
dimensions: detection, rights
pass_on: detection, rights
---
## Introduction
A queue at the gate.

## Question q1
kind: step
? A passenger will not give the organiser's name.
- [ ] Threaten him with removal -> He names one. {detection: 2, rights: 1, critical: rights} => q2
  why: A threat of removal to obtain information is coercion.
- [ ] Explain his rights and refer him -> Lawful. {detection: 1, rights: 2} => q2

## Question q2
kind: step
? He is with you now.
- [ ] Refer him to the asylum authority -> Right. {detection: 1, rights: 2} => end:done
- [ ] Write it up and let him go -> Weak. {detection: 0, rights: 2} => end:done

## Ending done
title: Done
The shift ends.
"""


BUTTON = re.compile(r'<button[^>]*name="choice" value="([^"]+)"[^>]*>([^<]*)</button>')


@pytest.fixture
def queue(tmp_path):
    path = tmp_path / "the-queue.md"
    path.write_text(SCENARIO)
    course = make_course(title="Queue", slug="for-the-queue", lessons=1)
    return demo.quiz(parse_quiz(path), course)


def choose(client, attempt, starting):
    """Press the button the step page labels `starting...`, wherever the page shows it."""
    html = client.get(f"/quizzes/attempts/{attempt.pk}/").text
    [value] = [value for value, text in BUTTON.findall(html) if text.startswith(starting)]
    client.post(f"/quizzes/attempts/{attempt.pk}/choose/", {"choice": value})


def test_taking_a_critical_choice_fails_and_the_result_page_says_which_and_why(
    client, stranger, queue
):
    client.force_login(stranger)
    attempt = start(client, queue)
    choose(client, attempt, "Threaten him")
    choose(client, attempt, "Refer him")
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.passed is False
    assert attempt.percent["rights"] >= 50  # its points alone would have passed
    result = client.get(f"/quizzes/attempts/{attempt.pk}/result/").text
    assert "Threaten him with removal" in result
    assert "A threat of removal to obtain information is coercion." in result


def test_a_lawful_route_through_the_same_scenario_passes(client, stranger, queue):
    client.force_login(stranger)
    attempt = start(client, queue)
    choose(client, attempt, "Explain his rights")
    choose(client, attempt, "Refer him")
    attempt.refresh_from_db()
    assert attempt.passed is True


def test_the_cms_quiz_keeps_a_choices_critical_dimensions_and_reason(queue):
    threat = queue.scoring_question("q1").choices[0]
    assert tuple(threat.critical) == ("rights",)
    assert threat.reason == "A threat of removal to obtain information is coercion."


def test_the_cms_refuses_a_choice_critical_on_an_undeclared_dimension(queue):
    queue.questions[0].value["choices"][1]["critical_on"] = "rihgts"
    with pytest.raises(ValidationError) as refused:
        queue.clean()
    [stream_error] = refused.value.error_dict["questions"]
    choice_error = stream_error.block_errors[0].block_errors["choices"].block_errors[1]
    assert "“rihgts” is not a scored dimension" in str(choice_error.block_errors["critical_on"])
