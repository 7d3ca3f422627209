"""The shipped scenario quizzes are complete and well-formed; malformed ones are refused."""

from fractions import Fraction

import pytest

from assessments import audit, mrz, scoring
from assessments.content_loader import ContentError, load_quizzes, parse_quiz

QUIZZES = {quiz.slug: quiz for quiz in load_quizzes()}


def test_every_course_and_track_has_its_scenario_quiz():
    assert {q.slug: q.course for q in QUIZZES.values()} == {
        "the-transit-lounge": "recognising-smuggling-by-air",
        "inspect-the-mrz": "document-abuse",
        "the-favour": "corruption-resistance",
        "gate-b12": "profiling-ethics-and-rights",
        "the-classroom": "train-the-trainers",
    }


@pytest.mark.parametrize("slug", sorted(QUIZZES))
def test_quiz_has_at_least_eight_questions_with_feedback(slug):
    quiz = QUIZZES[slug]
    assert len(quiz.questions) >= 8
    assert quiz.pass_mark == 70
    for question in quiz.questions:
        assert question.competencies, question.id
        if question.kind != "mrz":
            assert all(choice.feedback for choice in question.choices), question.id


def test_gate_b12_scores_detection_and_rights_and_needs_both():
    quiz = QUIZZES["gate-b12"]
    assert quiz.is_branching and quiz.pass_on == ["detection", "rights"]
    choices = [c for q in quiz.questions for c in q.choices]
    assert any(c.points.get("detection", 0) > 0 and c.points.get("rights", 0) < 0 for c in choices)


@pytest.mark.parametrize("slug", ["gate-b12", "the-favour", "the-classroom"])
def test_best_route_through_a_scenario_reaches_full_marks_and_has_several_endings(slug):
    quiz = QUIZZES[slug]
    steps = quiz.scoring_questions()
    assert len(quiz.endings) >= 3
    path, step = [], quiz.questions[0].id
    dimension = quiz.pass_on[-1]
    while step:  # follow, at each step, the choice on the best route for the last dimension
        best = max(
            steps[step].choices,
            key=lambda c: (
                c.points.get(dimension, 0)
                + (scoring.best_path_points(steps, c.leads_to, dimension) if c.leads_to else 0)
            ),
        )
        path.append(best.id)
        step = best.leads_to
    result = scoring.total(
        [scoring.score_path(steps, quiz.questions[0].id, path)],
        pass_mark=quiz.pass_mark,
        pass_on=quiz.pass_on,
    )
    assert result.percent[dimension] == 100


def test_mrz_quiz_specimens_fail_exactly_where_the_question_says():
    questions = [q for q in QUIZZES["inspect-the-mrz"].questions if q.kind == "mrz"]
    assert len(questions) >= 5
    assert {q.fault for q in questions} >= {"none", "document_number", "birth_date", "composite"}
    for question in questions:
        _line1, line2 = mrz.td3_lines(question.specimen, fault=question.fault)
        assert mrz.failing_fields(line2) == ([] if question.fault == "none" else [question.fault])
        assert [c.id for c in question.choices if c.correct] == [question.fault]


def scored_dimensions(question, quiz) -> set[str]:
    """The dimensions on which some choice of the question earns points."""
    return {d for c in question.choices for d, p in c.points.items() if p > 0} & set(
        quiz.dimensions
    )


@pytest.mark.parametrize("slug", sorted(s for s, q in QUIZZES.items() if not q.is_branching))
def test_every_draw_asks_at_least_three_questions_on_each_dimension_needed_to_pass(slug):
    quiz = QUIZZES[slug]
    asked = quiz.draw or len(quiz.questions)
    for dimension in quiz.pass_on:
        scoring_it = sum(dimension in scored_dimensions(q, quiz) for q in quiz.questions)
        fewest_in_a_draw = asked - (len(quiz.questions) - scoring_it)
        assert fewest_in_a_draw >= 3, dimension


HEAD = "---\ntitle: T\nslug: t\ncourse: c\ndimensions: detection\n---\n"
STEP = "## Question {id}\nkind: step\ncompetencies: x\n? Q\n- [x] a -> f {{detection: 1}} => {a}\n"


def write(tmp_path, body):
    path = tmp_path / "quiz.md"
    path.write_text(HEAD + body)
    return path


def test_choice_leading_nowhere_is_refused(tmp_path):
    body = STEP.format(id="q1", a="q9") + "- [ ] b -> f => end:done\n## Ending done\ntitle: D\nx\n"
    with pytest.raises(ContentError, match="Question q1, choice 1: “q9” leads nowhere"):
        parse_quiz(write(tmp_path, body))


def test_looping_scenario_is_refused(tmp_path):
    body = (
        STEP.format(id="q1", a="q2")
        + "- [ ] b -> f => end:done\n"
        + STEP.format(id="q2", a="q1")
        + "- [ ] b -> f => end:done\n"
        + "## Ending done\ntitle: D\nx\n"
    )
    with pytest.raises(ContentError, match="Question q2, choice 1: .* loops back to step “q1”"):
        parse_quiz(write(tmp_path, body))


def test_unreachable_step_is_refused(tmp_path):
    body = (
        STEP.format(id="q1", a="end:done")
        + "- [ ] b -> f => end:done\n"
        + STEP.format(id="q2", a="end:done")
        + "- [ ] b -> f => end:done\n"
        + "## Ending done\ntitle: D\nx\n"
    )
    with pytest.raises(ContentError, match="Step “q2” cannot be reached"):
        parse_quiz(write(tmp_path, body))


def test_single_choice_with_two_right_answers_is_refused(tmp_path):
    body = "## Question q1\nkind: single\n? Q\n- [x] a -> f\n- [x] b -> f\n"
    with pytest.raises(ContentError, match="exactly one correct"):
        parse_quiz(write(tmp_path, body))


def test_impossible_mrz_specimen_is_refused(tmp_path):
    body = (
        "## Question q1\nkind: mrz\nfault: none\n"
        "specimen: UTO, A, B, X1, 741399, F, 300101\n? Which?\n"
    )
    with pytest.raises(ContentError, match="not a date"):
        parse_quiz(write(tmp_path, body))


def test_points_on_an_undeclared_dimension_are_refused(tmp_path):
    body = "## Question q1\nkind: single\n? Q\n- [x] a -> f {detecton: 1}\n- [ ] b -> f\n"
    with pytest.raises(ContentError, match="“detecton” is not a scored dimension"):
        parse_quiz(write(tmp_path, body))


def test_pass_rule_on_an_undeclared_dimension_is_refused(tmp_path):
    body = "## Question q1\nkind: single\n? Q\n- [x] a -> f\n- [ ] b -> f\n"
    path = write(tmp_path, body)
    path.write_text(path.read_text().replace("dimensions: detection", "pass_on: rihgts"))
    with pytest.raises(ContentError, match="pass_on: “rihgts” is not a scored dimension"):
        parse_quiz(path)


def test_points_out_of_range_are_refused(tmp_path):
    body = "## Question q1\nkind: single\n? Q\n- [x] a -> f {detection: 5}\n- [ ] b -> f\n"
    with pytest.raises(ContentError, match="from -2 to 2"):
        parse_quiz(write(tmp_path, body))


def test_two_questions_with_one_key_are_refused(tmp_path):
    question = "## Question q1\nkind: single\n? Q\n- [x] a -> f\n- [ ] b -> f\n"
    with pytest.raises(ContentError, match="already has the key “q1”"):
        parse_quiz(write(tmp_path, question + question))


def test_draw_larger_than_the_pool_is_refused(tmp_path):
    question = "## Question q{n}\nkind: single\n? Q\n- [x] a -> f\n- [ ] b -> f\n"
    path = write(tmp_path, question.format(n=1) + question.format(n=2))
    path.write_text(path.read_text().replace("dimensions: detection", "draw: 3"))
    with pytest.raises(ContentError, match="draw: Draw at most 2"):
        parse_quiz(path)


CRITICAL_HEAD = HEAD.replace(
    "dimensions: detection", "dimensions: detection, rights\npass_on: detection, rights"
)


def critical_quiz(tmp_path, choice_line):
    path = tmp_path / "quiz.md"
    body = (
        "## Question q1\nkind: single\n? Q\n- [x] a -> f {detection: 1, rights: 1}\n"
        + choice_line
        + "\n"
    )
    path.write_text(CRITICAL_HEAD + body)
    return path


def test_critical_marker_makes_the_choice_critical_with_its_feedback_as_reason(tmp_path):
    path = critical_quiz(tmp_path, "- [ ] b -> Coercion. {detection: 2, critical: rights}")
    choice = parse_quiz(path).scoring_questions()["q1"].choices[1]
    assert (tuple(choice.critical), choice.reason, choice.points) == (
        ("rights",),
        "Coercion.",
        {"detection": 2},
    )


def test_why_line_gives_a_critical_choice_its_own_reason(tmp_path):
    path = critical_quiz(
        tmp_path, "- [ ] b -> It worked. {critical: rights}\n  why: A threat is coercion."
    )
    choice = parse_quiz(path).scoring_questions()["q1"].choices[1]
    assert choice.reason == "A threat is coercion."


def test_critical_on_an_undeclared_dimension_is_refused(tmp_path):
    path = critical_quiz(tmp_path, "- [ ] b -> f {critical: rihgts}")
    with pytest.raises(ContentError, match="choice 2: “rihgts” is not a scored dimension"):
        parse_quiz(path)


GATE_B12_UNLAWFUL = [  # (step, the start of the choice's text)
    ("q1", "With every passenger holding a passport of the nationality"),
    ("q2", "Tell the two men they will be sent back"),
    ("q3", "Keep all fourteen"),
    ("q4", "Ask a boy of about twelve"),
    ("q5", "Tell him that using a smuggler"),
    ("q5", "Tell him you will pass his claim on only once"),
    ("q6", "Question the girl sharply in front of the woman"),
    ("q8", "Their ethnicity and religion"),
    ("q11", "Let it go ahead"),
]


def gate_b12_choice(step, starting):
    spec = QUIZZES["gate-b12"]
    [question] = [q for q in spec.questions if q.id == step]
    [choice] = [c for c in question.choices if c.text.startswith(starting)]
    return spec.scoring_questions()[step].choice(choice.id)


@pytest.mark.parametrize(("step", "starting"), GATE_B12_UNLAWFUL)
def test_gate_b12_unlawful_or_harmful_choice_is_critical_on_rights(step, starting):
    assert tuple(gate_b12_choice(step, starting).critical) == ("rights",)


def test_gate_b12_has_no_passing_path_that_takes_a_critical_choice():
    spec = QUIZZES["gate-b12"]
    audits = audit.audit_paths(
        spec.scoring_questions(), "q1", pass_mark=spec.pass_mark, pass_on=spec.pass_on
    )
    assert audit.path_counts(audits)[1] > 0  # some route passes
    assert [a.taken for a in audits if a.passed and a.critical] == []


@pytest.mark.parametrize(
    ("step", "lawful", "better"),
    [
        ("q8", "Only what you need to refuse them", "Each leg, document and payment"),
        ("q1", "With nobody in particular", "With the briefed indicators"),
        ("q9", "Stay with your random checks", "Act on the indicators now"),
        ("q2", "Deal with the two men only", "Talk to the two men apart from him"),
    ],
)
def test_gate_b12_lawful_choice_is_not_worth_fewer_rights_points_for_being_less_effective(
    step, lawful, better
):
    rights = [gate_b12_choice(step, text).points["rights"] for text in (lawful, better)]
    assert rights[0] == rights[1]


def best_choice_is_strictly_longest(question, quiz) -> bool:
    """Whether one choice scores best on the quiz's pass dimensions and is also the longest."""

    def points(choice):
        return sum(choice.points.get(d, 0) for d in quiz.pass_on)

    best = max(points(c) for c in question.choices)
    [top, *tied] = [c for c in question.choices if points(c) == best]
    return not tied and all(len(top.text) > len(c.text) for c in question.choices if c is not top)


def share_with_longest_best_choice(quizzes) -> Fraction:
    """Over single-choice questions and scenario steps: how often length gives the answer away."""
    questions = [(q, quiz) for quiz in quizzes for q in quiz.questions if q.kind in LENGTH_KINDS]
    return Fraction(sum(best_choice_is_strictly_longest(q, quiz) for q, quiz in questions)) / len(
        questions
    )


LENGTH_KINDS = ("single", "step")


def test_across_the_shipped_quizzes_the_best_choice_is_the_longest_in_at_most_a_third():
    assert share_with_longest_best_choice(QUIZZES.values()) <= Fraction(1, 3)


@pytest.mark.parametrize("slug", sorted(QUIZZES))
def test_the_best_choice_is_the_longest_in_at_most_a_third_of_the_quiz(slug):
    assert share_with_longest_best_choice([QUIZZES[slug]]) <= Fraction(1, 3)
