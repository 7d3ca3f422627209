"""What the shipped quizzes *The favour* and *The transit lounge* teach and how they score it."""

import re

import pytest

from assessments import audit, scoring
from assessments.content_loader import load_quizzes

QUIZZES = {quiz.slug: quiz for quiz in load_quizzes()}
FAVOUR = QUIZZES["the-favour"]
LOUNGE = QUIZZES["the-transit-lounge"]


def favour_choice(step, starting):
    [question] = [q for q in FAVOUR.questions if q.id == step]
    [choice] = [c for c in question.choices if c.text.startswith(starting)]
    return choice


def test_the_favour_scores_integrity_and_needs_it_to_pass():
    assert FAVOUR.dimensions == ["detection", "integrity"]
    assert FAVOUR.pass_on == ["detection", "integrity"]


FAVOUR_LETS_HIM_THROUGH = [  # (step, the start of the choice's text)
    ("q1", "Wave him through"),
    ("q2", "Give in"),
    ("q3", "Let him go"),
    ("q11", "Let him through"),
]


@pytest.mark.parametrize(("step", "starting"), FAVOUR_LETS_HIM_THROUGH)
def test_the_favour_choice_that_lets_the_passenger_through_is_critical_on_integrity(step, starting):
    choice = favour_choice(step, starting)
    assert choice.critical == ["integrity"] and choice.reason


def test_the_favour_every_way_to_the_passenger_being_through_is_critical_on_integrity():
    through = favour_choice("q1", "Wave him through").target
    leading_there = [
        (q.id, c.text) for q in FAVOUR.questions for c in q.choices if c.target == through
    ]
    assert len(leading_there) >= len(FAVOUR_LETS_HIM_THROUGH)
    for question in FAVOUR.questions:
        for choice in question.choices:
            if choice.target == through:
                assert "integrity" in choice.critical, (question.id, choice.text)


def reached_from(target: str) -> tuple[list, list]:
    """The steps and endings a learner can meet after a choice leading to `target`."""
    steps = {q.id: q for q in FAVOUR.questions}
    found_steps, found_endings, todo = {}, {}, [target]
    while todo:
        here = todo.pop()
        if here.startswith("end:"):
            found_endings[here] = FAVOUR.endings[here[4:]]
        elif here not in found_steps:
            found_steps[here] = steps[here]
            todo += [c.target for c in steps[here].choices]
    return list(found_steps.values()), list(found_endings.values())


SECOND_LINE = re.compile(r"second[- ]line", re.IGNORECASE)


def test_after_the_passport_is_handed_back_no_step_or_ending_says_he_is_with_second_line():
    handed_back = favour_choice("q3", "Refuse him passage and hand the passport back")
    steps, endings = reached_from(handed_back.target)
    assert steps and endings
    texts = [q.prompt_html for q in steps] + [e.text_html for e in endings]
    texts += [f"{c.text} {c.feedback}" for q in steps for c in q.choices]
    assert [t for t in texts if SECOND_LINE.search(t)] == []


def test_the_favour_second_line_check_would_see_the_words_it_looks_for():
    assert SECOND_LINE.search(favour_choice("q3", "Refer him to second-line").text)


# A sentence sending a report, or a colleague's case, to the liaison officer.
REPORT_TO_LIAISON = re.compile(
    r"\b(report|brief|tell|inform|pass|hand|take)\w*\b[^.;:?!]*?\bto (the|an|a)\b[^.;:?!]*?"
    r"\b(liaison officers?|ALOs?)\b",
    re.IGNORECASE,
)


def sentences_taught_on(path_audit: audit.PathAudit, steps) -> list[str]:
    """What a passing route teaches as right: the text and feedback of the choices on it that
    earn integrity points, and the ending it reaches."""
    spec = {q.id: q for q in FAVOUR.questions}
    taught = []
    for step, choice_id in path_audit.taken:
        [choice] = [c for c in spec[step].choices if c.id == choice_id]
        if choice.points.get("integrity", 0) > 0:
            taught.append(f"{choice.text}. {choice.feedback}")
        if choice.target.startswith("end:"):
            taught.append(FAVOUR.endings[choice.target[4:]].text_html)
    return taught


def test_the_favour_never_teaches_the_liaison_officer_as_where_to_report_colleagues():
    steps = FAVOUR.scoring_questions()
    audits = audit.audit_paths(steps, "q1", pass_mark=FAVOUR.pass_mark, pass_on=FAVOUR.pass_on)
    passing = [a for a in audits if a.passed]
    assert passing
    for path_audit in passing:
        for text in sentences_taught_on(path_audit, steps):
            assert not REPORT_TO_LIAISON.search(text), text
    for ending in FAVOUR.endings.values():
        assert not REPORT_TO_LIAISON.search(ending.text_html), ending.slug


def test_the_favour_reporting_colleagues_to_the_liaison_officer_costs_integrity():
    """The wrong answer is on offer, is seen by the check above, and is scored as wrong."""
    to_liaison = [
        c for q in FAVOUR.questions for c in q.choices if REPORT_TO_LIAISON.search(c.text)
    ]
    assert to_liaison
    assert all(c.points.get("integrity", 0) < 0 for c in to_liaison)


def test_the_transit_lounge_scores_rights_apart_from_detection_and_needs_both():
    assert LOUNGE.dimensions == ["detection", "rights"]
    assert LOUNGE.pass_on == ["detection", "rights"]
    for question in LOUNGE.questions:
        named = {d for c in question.choices for d in c.points}
        expected = {"rights"} if "rights" in question.competencies else {"detection"}
        assert named == expected, question.id


NEXT_STEPS = [  # (what the question asks about, the dimension its right answer earns on)
    ("CCTV", "detection"),
    ("passenger data", "detection"),
    ("SLTD", "detection"),
    ("liaison officer", "detection"),
    ("refer", "rights"),
]


@pytest.mark.parametrize(("topic", "dimension"), NEXT_STEPS)
def test_the_transit_lounge_asks_what_to_do_next(topic, dimension):
    def asked_and_answered(question) -> str:
        return " ".join([question.prompt_html] + [c.text for c in question.choices if c.correct])

    asking = [
        q
        for q in LOUNGE.questions
        if "next" in q.competencies and topic.lower() in asked_and_answered(q).lower()
    ]
    assert asking, topic
    for question in asking:
        right = [c for c in question.choices if c.correct]
        assert right and all(c.points.get(dimension, 0) > 0 for c in right), question.id


def test_the_transit_lounge_answered_right_scores_full_marks_on_both_dimensions():
    questions = LOUNGE.scoring_questions()
    answers = {}
    for spec in LOUNGE.questions:
        right = [c.id for c in spec.choices if c.correct]
        answers[spec.id] = {
            "ordering": [c.id for c in spec.choices],
            "multiple": right,
        }.get(spec.kind, right[0] if right else None)
    result = scoring.total(
        [scoring.score_question(questions[key], answer) for key, answer in answers.items()],
        pass_mark=LOUNGE.pass_mark,
        pass_on=LOUNGE.pass_on,
    )
    assert result.percent == {"detection": 100, "rights": 100} and result.passed


def test_the_transit_lounge_rights_answered_wrong_fails_however_good_the_detection():
    questions = LOUNGE.scoring_questions()
    scores = []
    for spec in LOUNGE.questions:
        wrong = [c.id for c in spec.choices if not c.correct]
        if "rights" in spec.competencies and spec.kind in ("single", "true_false"):
            scores.append(scoring.score_question(questions[spec.id], wrong[0]))
        else:
            right = [c.id for c in spec.choices if c.correct] or [c.id for c in spec.choices]
            answer = right[0] if spec.kind in ("single", "true_false") else right
            scores.append(scoring.score_question(questions[spec.id], answer))
    result = scoring.total(scores, pass_mark=LOUNGE.pass_mark, pass_on=LOUNGE.pass_on)
    assert result.percent["detection"] == 100
    assert result.percent["rights"] < 70 and not result.passed
