"""A question counts on the dimensions it scores: a quiz can score rights questions on rights
and detection questions on detection, and need both, without one diluting the other."""

from fractions import Fraction

from assessments.scoring import Choice, Question, possible_points, score_question, total

BOTH = ("detection", "rights")
DETECTION = Question(
    "q1",
    "single",
    [Choice("a", True, {"detection": 1}), Choice("b", False, {"detection": 0})],
    BOTH,
)
RIGHTS = Question(
    "q2", "single", [Choice("a", True, {"rights": 1}), Choice("b", False, {"rights": 0})], BOTH
)
UNSCORED = Question("q3", "ordering", [Choice("first"), Choice("second"), Choice("third")], BOTH)


def test_a_question_is_worth_points_only_on_the_dimensions_its_choices_name():
    assert possible_points(DETECTION) == {"detection": Fraction(1)}
    assert possible_points(RIGHTS) == {"rights": Fraction(1)}


def test_a_question_whose_choices_name_no_dimension_counts_on_every_dimension():
    assert possible_points(UNSCORED) == {"detection": Fraction(1), "rights": Fraction(1)}


def test_right_answers_on_each_dimension_reach_full_marks_on_both():
    scores = [score_question(DETECTION, "a"), score_question(RIGHTS, "a")]
    result = total(scores, pass_mark=70, pass_on=BOTH)
    assert result.percent == {"detection": 100, "rights": 100} and result.passed


def test_a_wrong_rights_answer_fails_rights_and_leaves_detection_whole():
    scores = [score_question(DETECTION, "a"), score_question(RIGHTS, "b")]
    result = total(scores, pass_mark=70, pass_on=BOTH)
    assert result.percent == {"detection": 100, "rights": 0} and not result.passed


def test_a_dimension_no_question_scores_fails_the_pass_rule():
    result = total([score_question(DETECTION, "a")], pass_mark=70, pass_on=BOTH)
    assert result.percent == {"detection": 100} and not result.passed
