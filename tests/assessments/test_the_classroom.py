"""*The classroom*, the Train the trainers track's scenario quiz: it loads, validates, and scores
facilitation, integrity and rights so that only judgement passes."""

import pytest

from assessments import audit, scoring, validation, vocabulary
from assessments.content_loader import for_validation, load_quizzes

CLASSROOM = next(quiz for quiz in load_quizzes() if quiz.slug == "the-classroom")
STEPS = CLASSROOM.scoring_questions()


def classroom_choice(step, starting):
    [question] = [q for q in CLASSROOM.questions if q.id == step]
    [choice] = [c for c in question.choices if c.text.startswith(starting)]
    return choice


def test_the_classroom_loads_and_validates_as_the_tracks_branching_scenario():
    assert CLASSROOM.course == "train-the-trainers"
    assert CLASSROOM.is_branching
    assert validation.problems(for_validation(CLASSROOM)) == []
    assert CLASSROOM.dimensions == ["facilitation", "integrity", "rights"]
    assert CLASSROOM.pass_on == ["facilitation", "integrity", "rights"]
    assert CLASSROOM.pass_mark == 70


def test_facilitation_reads_as_its_label():
    assert vocabulary.dimension_label("facilitation") == "Facilitation"
    assert vocabulary.dimension_labels(CLASSROOM.dimensions) == [
        "Facilitation",
        "Integrity",
        "Rights and dignity",
    ]


CRITICAL = [  # (step, the start of the choice's text, the dimension it fails)
    ("q3", "Ask Samira, in front of the group", "integrity"),
    ("q3", "Say \"let's not get into gossip", "integrity"),
    ("q3", "Tell Samira, in front of the group", "integrity"),
    ("q4", "Tell her to let it go", "integrity"),
    ("q11", "Say yes", "integrity"),
    ("q6", "Go after her and tell her", "rights"),
    ("q6", "Ask the group whether anyone knows", "rights"),
    ("q7", "Mention it to the coordinator", "rights"),
    ("q8", "Record both lessons as completed", "integrity"),
    ("q8", "Write to the coordinator", "rights"),
    ("q10", "The same facts as for any programme", "rights"),
]


@pytest.mark.parametrize(("step", "starting", "dimension"), CRITICAL)
def test_harmful_choice_is_critical_with_a_reason(step, starting, dimension):
    choice = STEPS[step].choice(classroom_choice(step, starting).id)
    assert tuple(choice.critical) == (dimension,)
    assert choice.reason


def test_no_other_choice_is_critical():
    named = {(step, classroom_choice(step, starting).id) for step, starting, _ in CRITICAL}
    found = {(q.id, c.id) for q in CLASSROOM.questions for c in q.choices if c.critical}
    assert found == named


def test_some_route_passes_and_none_that_passes_takes_a_critical_choice():
    audits = audit.audit_paths(
        STEPS, "q1", pass_mark=CLASSROOM.pass_mark, pass_on=CLASSROOM.pass_on
    )
    assert audit.path_counts(audits)[1] > 0
    assert [a.taken for a in audits if a.passed and a.critical] == []


def test_the_marked_route_reaches_full_marks_on_every_dimension():
    path, step = [], CLASSROOM.questions[0].id
    while step:
        [best] = [c for c in STEPS[step].choices if c.correct]
        path.append(best.id)
        step = best.leads_to
    result = scoring.total(
        [scoring.score_path(STEPS, "q1", path)],
        pass_mark=CLASSROOM.pass_mark,
        pass_on=CLASSROOM.pass_on,
    )
    assert result.passed
    assert result.percent == {"facilitation": 100, "integrity": 100, "rights": 100}


def test_a_learner_who_picks_the_longest_option_fails():
    texts = {(q.id, c.id): c.text for q in CLASSROOM.questions for c in q.choices}
    path, step = [], "q1"
    while step:
        longest = max(STEPS[step].choices, key=lambda c: len(texts[(step, c.id)]))
        path.append(longest.id)
        step = longest.leads_to
    result = scoring.total(
        [scoring.score_path(STEPS, "q1", path)],
        pass_mark=CLASSROOM.pass_mark,
        pass_on=CLASSROOM.pass_on,
    )
    assert not result.passed


def test_one_mild_slip_still_passes_but_an_ignored_participant_in_tears_does_not():
    def route(**instead):
        path, step = [], "q1"
        while step:
            choice = (
                classroom_choice(step, instead[step])
                if step in instead
                else next(c for c in CLASSROOM.questions if c.id == step).choices[
                    [c.correct for c in STEPS[step].choices].index(True)
                ]
            )
            path.append(choice.id)
            step = STEPS[step].choice(choice.id).leads_to
        return scoring.total(
            [scoring.score_path(STEPS, "q1", path)],
            pass_mark=CLASSROOM.pass_mark,
            pass_on=CLASSROOM.pass_on,
        )

    assert route(q7="Ask whether she would be willing").passed
    ignored = route(q6="Carry on with the scenario")
    assert not ignored.passed and ignored.percent["rights"] < CLASSROOM.pass_mark
