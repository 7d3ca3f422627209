"""A graded attempt's outcomes, as the competency analytics count them: each answered
question with full marks or not and its competency tags; a scenario's steps with the choice
taken and whether it is critical."""

import pytest

from assessments.content_loader import load_quizzes
from assessments.reports import attempt_outcomes, competency_tags
from courses import demo

from ..factories import make_course

pytestmark = pytest.mark.django_db
SPECS = {spec.slug: spec for spec in load_quizzes()}


def quiz(slug):
    course = make_course(title=slug, slug=f"for-{slug}", audience="officers", lessons=1)
    return demo.quiz(SPECS[slug], course)


def test_questions_count_full_marks_with_their_tags_and_skip_the_unanswered():
    lounge = quiz("the-transit-lounge")
    found = attempt_outcomes(lounge, {"q1": "c1", "q2": ["c4", "c3", "c2", "c1"], "q4": ["c1"]})
    assert [(o.key, o.full_marks, o.competencies) for o in found] == [
        ("q1", True, ("transit", "indicators")),
        ("q2", False, ("transit", "documents")),
        ("q4", False, ("indicators", "profiling")),
    ]
    assert all(o.choice == "" and not o.critical for o in found)


def test_a_scenarios_steps_carry_the_choice_and_whether_it_is_critical():
    gate = quiz("gate-b12")
    found = attempt_outcomes(gate, {"path": ["c2", "c1"]})
    assert [(o.key, o.choice, o.critical, o.full_marks) for o in found] == [
        ("q1", "c2", True, False),
        ("q3", "c1", False, True),
    ]
    assert found[0].competencies == competency_tags(gate, "q1") == ("profiling", "indicators")


def test_answers_that_do_not_fit_count_nothing():
    gate = quiz("gate-b12")
    assert attempt_outcomes(gate, {"path": ["c9"]}) == []
    assert attempt_outcomes(gate, ["c1"]) == []
    lounge = quiz("the-transit-lounge")
    assert attempt_outcomes(lounge, {"q1": "c9", "zz": "c1"}) == []
