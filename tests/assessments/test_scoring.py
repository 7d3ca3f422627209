"""Every scoring rule, on plain data: no database."""

from fractions import Fraction

import pytest

from assessments.scoring import (
    AnswerError,
    Choice,
    Question,
    best_path_points,
    score_path,
    score_question,
    total,
)

SINGLE = Question("q1", "single", [Choice("a", True, {"detection": 1}), Choice("b")])
MULTIPLE = Question(
    "q2",
    "multiple",
    [
        Choice("a", True, {"detection": 1}),
        Choice("b", True, {"detection": 1}),
        Choice("c"),
        Choice("d"),
    ],
)
ORDERING = Question("q3", "ordering", [Choice("first"), Choice("second"), Choice("third")])


def percent(score, dimension="detection"):
    return score.earned[dimension] / score.possible[dimension]


def test_single_choice_right_earns_the_point():
    assert percent(score_question(SINGLE, "a")) == 1


def test_single_choice_wrong_earns_nothing():
    assert percent(score_question(SINGLE, "b")) == 0


def test_single_choice_forged_id_is_refused():
    with pytest.raises(AnswerError, match="no choice 'z'"):
        score_question(SINGLE, "z")


def test_single_choice_needs_exactly_one_answer():
    with pytest.raises(AnswerError):
        score_question(SINGLE, ["a", "b"])


@pytest.mark.parametrize(
    "ticked,expected",
    [
        (["a", "b"], 1),
        (["a"], Fraction(1, 2)),
        (["a", "c"], 0),
        (["a", "b", "c"], Fraction(1, 2)),
        (["c", "d"], 0),
        ([], 0),
    ],
)
def test_multiple_response_partial_credit(ticked, expected):
    assert percent(score_question(MULTIPLE, ticked)) == expected


def test_multiple_response_ticking_a_choice_twice_is_refused():
    with pytest.raises(AnswerError, match="twice"):
        score_question(MULTIPLE, ["a", "a"])


@pytest.mark.parametrize(
    "order,expected",
    [
        (["first", "second", "third"], 1),
        (["second", "first", "third"], Fraction(2, 3)),
        (["third", "second", "first"], 0),
    ],
)
def test_ordering_credits_pairs_in_the_right_order(order, expected):
    assert percent(score_question(ORDERING, order)) == expected


def test_ordering_must_list_every_item_once():
    with pytest.raises(AnswerError):
        score_question(ORDERING, ["first", "first", "third"])


# Gate B12 in miniature: step s1 leads to s2 or to an ending; choices score two dimensions.
STEPS = {
    "s1": Question(
        "s1",
        "step",
        [
            Choice("observe", points={"detection": 1, "rights": 1}, leads_to="s2"),
            Choice("everyone-of-one-nationality", points={"detection": 2, "rights": -2}),
        ],
        dimensions=("detection", "rights"),
    ),
    "s2": Question(
        "s2",
        "step",
        [
            Choice("interpreter", points={"detection": 1, "rights": 2}),
            Choice("threaten", points={"detection": 1, "rights": -2}),
        ],
        dimensions=("detection", "rights"),
    ),
}


def test_best_path_per_dimension():
    assert best_path_points(STEPS, "s1", "detection") == 2
    assert best_path_points(STEPS, "s1", "rights") == 3


def test_effective_but_unlawful_choice_scores_high_detection_and_no_rights():
    score = score_path(STEPS, "s1", ["everyone-of-one-nationality"])
    assert percent(score, "detection") == 1
    assert percent(score, "rights") == 0


def test_lawful_path_scores_on_both_dimensions():
    score = score_path(STEPS, "s1", ["observe", "interpreter"])
    assert percent(score, "detection") == 1 and percent(score, "rights") == 1


def test_path_that_stops_before_an_ending_is_refused():
    with pytest.raises(AnswerError, match="not reached an ending"):
        score_path(STEPS, "s1", ["observe"])


def test_path_that_goes_on_after_an_ending_is_refused():
    with pytest.raises(AnswerError, match="ended"):
        score_path(STEPS, "s1", ["everyone-of-one-nationality", "interpreter"])


def test_looping_scenario_is_refused():
    looping = {"s1": Question("s1", "step", [Choice("again", leads_to="s1")])}
    with pytest.raises(AnswerError, match="loops"):
        best_path_points(looping, "s1", "detection")


def test_pass_needs_every_named_dimension():
    unlawful = score_path(STEPS, "s1", ["everyone-of-one-nationality"])
    result = total([unlawful], pass_mark=70, pass_on=["detection", "rights"])
    assert result.percent == {"detection": 100, "rights": 0}
    assert not result.passed
    assert total([unlawful], pass_mark=70, pass_on=["detection"]).passed


def test_total_adds_questions_and_rounds_down():
    scores = [score_question(SINGLE, "a"), score_question(SINGLE, "a"), score_question(SINGLE, "b")]
    result = total(scores, pass_mark=67, pass_on=["detection"])
    assert result.percent == {"detection": 66}  # 66.67 is not 67
    assert not result.passed


# A choice that earns points and is still unlawful: critical on rights.
CRITICAL_STEPS = {
    "s1": Question(
        "s1",
        "step",
        [
            Choice("observe", points={"detection": 1, "rights": 2}, leads_to="s2"),
            Choice(
                "threaten",
                points={"detection": 2, "rights": 0},
                leads_to="s2",
                critical=("rights",),
                reason="A threat of removal is coercion.",
            ),
        ],
        dimensions=("detection", "rights"),
    ),
    "s2": Question(
        "s2",
        "step",
        [
            Choice("refer", points={"detection": 1, "rights": 2}),
            Choice("wait", points={"detection": 0, "rights": 2}),
        ],
        dimensions=("detection", "rights"),
    ),
}


def test_critical_choice_fails_its_dimension_whatever_the_points():
    score = score_path(CRITICAL_STEPS, "s1", ["threaten", "refer"])
    result = total([score], pass_mark=50, pass_on=["detection", "rights"])
    assert result.percent["rights"] >= 50
    assert not result.passed
    assert result.failed == {"rights"}


def test_result_names_the_critical_choice_and_its_reason():
    score = score_path(CRITICAL_STEPS, "s1", ["threaten", "refer"])
    result = total([score], pass_mark=50, pass_on=["detection", "rights"])
    assert [(c.question, c.choice, tuple(c.dimensions), c.reason) for c in result.critical] == [
        ("s1", "threaten", ("rights",), "A threat of removal is coercion.")
    ]


def test_path_without_a_critical_choice_passes_on_its_points():
    score = score_path(CRITICAL_STEPS, "s1", ["observe", "refer"])
    result = total([score], pass_mark=50, pass_on=["detection", "rights"])
    assert result.passed and result.critical == () and result.failed == frozenset()


def test_critical_choice_on_a_dimension_not_required_to_pass_does_not_fail_the_attempt():
    score = score_path(CRITICAL_STEPS, "s1", ["threaten", "refer"])
    result = total([score], pass_mark=50, pass_on=["detection"])
    assert result.passed
    assert result.failed == {"rights"}


def test_single_choice_critical_answer_fails_its_dimension():
    question = Question(
        "q1",
        "single",
        [Choice("a", True, {"detection": 1}), Choice("b", False, {}, critical=("detection",))],
    )
    result = total([score_question(question, "b")], pass_mark=0, pass_on=["detection"])
    assert not result.passed and [c.choice for c in result.critical] == ["b"]


def test_ticking_a_critical_choice_in_a_multiple_response_fails_its_dimension():
    question = Question(
        "q2",
        "multiple",
        [
            Choice("a", True, {"detection": 1}),
            Choice("b", True, {"detection": 1}),
            Choice("c", critical=("detection",), reason="Unlawful."),
        ],
    )
    ticked = total([score_question(question, ["a", "b", "c"])], pass_mark=50, pass_on=["detection"])
    untouched = total([score_question(question, ["a", "b"])], pass_mark=50, pass_on=["detection"])
    assert not ticked.passed and untouched.passed
