"""The quiz audit: every path through a small hand-made scenario, and naive learners who take
a quiz through its pages."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assessments import audit
from assessments.content_loader import parse_quiz
from assessments.models import Attempt
from courses import demo

from ..factories import make_course

HEAD = """---
title: {title}
slug: {slug}
course: for-{slug}
pass_mark: {pass_mark}
dimensions: detection, rights
pass_on: detection, rights
---
## Introduction
A gate.

"""
STEP = "## Question {key}\nkind: step\n? What now?\n"
ENDING = "## Ending done\ntitle: Done\nThe gate closes.\n"

# Four paths: lawful (a) or threatening (b) at q1, then refer (c) or ignore (d) at q2. The
# threat is critical and its text the longest; ignoring costs detection.
SMALL = (
    HEAD.format(title="Small", slug="small", pass_mark=70)
    + STEP.format(key="q1")
    + "- [ ] Ask -> Lawful. {detection: 1, rights: 2} => q2\n"
    + "- [ ] Threaten him with removal -> Coercion. {detection: 2, rights: 2, critical: rights}"
    + " => q2\n"
    + STEP.format(key="q2")
    + "- [ ] Refer him to the authority -> Right. {detection: 2, rights: 2} => end:done\n"
    + "- [ ] Ignore -> Missed. {detection: 0, rights: 2} => end:done\n"
    + ENDING
)


# Every choice passes: whichever option a learner picks, they pass.
EASY = (
    HEAD.format(title="Easy", slug="easy", pass_mark=70)
    + STEP.format(key="q1")
    + "- [ ] Ask -> Fine. {detection: 2, rights: 2} => q2\n"
    + "- [ ] Ask him twice -> Fine. {detection: 2, rights: 2} => q2\n"
    + STEP.format(key="q2")
    + "- [ ] Refer -> Fine. {detection: 2, rights: 2} => end:done\n"
    + "- [ ] Refer him now -> Fine. {detection: 2, rights: 2} => end:done\n"
    + ENDING
)
# Eight steps, one passing path, the right choice never first as authored nor the longest: a
# learner guessing by position passes one attempt in 256, by length never.
STRICT_STEPS = 8
STRICT = (
    HEAD.format(title="Strict", slug="strict", pass_mark=100)
    + "".join(
        STEP.format(key=f"q{n}")
        + "- [ ] Wave the whole group through -> No. {detection: 0, rights: 2} => {next}\n"
        + "- [ ] Check them -> Yes. {detection: 2, rights: 2} => {next}\n"
        for n in range(1, STRICT_STEPS + 1)
    )
    + ENDING
)


def strict_text():
    text = STRICT
    for n in range(1, STRICT_STEPS + 1):
        following = f"q{n + 1}" if n < STRICT_STEPS else "end:done"
        text = text.replace("{next}", following, 2)
    return text


def scenario_file(tmp_path, text, slug):
    path = tmp_path / f"{slug}.md"
    path.write_text(text)
    return parse_quiz(path)


def published(tmp_path, text, slug):
    course = make_course(title=slug, slug=f"for-{slug}", lessons=1)
    return demo.quiz(scenario_file(tmp_path, text, slug), course)


def run_audit(*args):
    out = StringIO()
    try:
        call_command("quiz_audit", *args, "--format", "json", stdout=out)
    except CommandError as error:
        return json.loads(out.getvalue()), error
    return json.loads(out.getvalue()), None


def test_every_path_of_a_small_scenario_is_listed_with_its_result(tmp_path):
    spec = scenario_file(tmp_path, SMALL, "small")
    audits = audit.audit_paths(spec.scoring_questions(), "q1", pass_mark=70, pass_on=spec.pass_on)
    assert {tuple(c for _s, c in a.taken): a.passed for a in audits} == {
        ("c1", "c1"): True,  # 3/4 detection, full rights
        ("c1", "c2"): False,  # 1/4 detection
        ("c2", "c1"): False,  # full marks, but a critical choice
        ("c2", "c2"): False,
    }


def test_a_passing_path_that_takes_a_critical_choice_is_counted(tmp_path):
    spec = scenario_file(tmp_path, SMALL, "small")
    # Only detection decides here, so the threat, critical on rights, fails nobody: the audit
    # still counts the passing routes that take it.
    audits = audit.audit_paths(spec.scoring_questions(), "q1", pass_mark=0, pass_on=["detection"])
    assert audit.path_counts(audits) == (4, 4, 2)


@pytest.mark.django_db
def test_the_longest_option_learner_fails_when_the_longest_option_is_critical(tmp_path):
    quiz = published(tmp_path, SMALL, "small")
    assert pass_rates(quiz)["longest_option"] == 0.0


@pytest.mark.django_db
def test_naive_learners_pass_a_scenario_where_every_choice_passes(tmp_path):
    quiz = published(tmp_path, EASY, "easy")
    assert pass_rates(quiz) == {"first_option": 1.0, "longest_option": 1.0}


@pytest.mark.django_db
def test_quiz_audit_reports_a_scenario_naive_learners_pass_and_fails_it(tmp_path):
    published(tmp_path, EASY, "easy")
    report, error = run_audit("easy", "--attempts", "3")
    assert report == {
        "quizzes": [
            {
                "slug": "easy",
                "paths": 4,
                "passing_paths": 4,
                "passing_with_critical": 0,
                "critical_choices": 0,
                "first_option_pass_rate": 1.0,
                "longest_option_pass_rate": 1.0,
                "language": "en",
                "grades_as_source": True,
            }
        ]
    }
    assert error is not None
    assert "easy (en): a learner who always picks the first option" in str(error)


@pytest.mark.django_db
def test_quiz_audit_accepts_a_scenario_naive_learners_fail(tmp_path):
    published(tmp_path, strict_text(), "strict")
    report, error = run_audit("strict", "--attempts", "10")
    [found] = report["quizzes"]
    assert (found["paths"], found["passing_paths"]) == (2**STRICT_STEPS, 1)
    assert found["longest_option_pass_rate"] == 0.0 and found["first_option_pass_rate"] <= 0.1
    assert error is None


@pytest.mark.django_db
def test_quiz_audit_leaves_no_learner_or_attempt_behind(tmp_path, django_user_model):
    published(tmp_path, EASY, "easy")
    users = django_user_model.objects.count()
    run_audit("easy", "--attempts", "2")
    assert (django_user_model.objects.count(), Attempt.objects.count()) == (users, 0)


@pytest.mark.django_db
def test_quiz_audit_refuses_a_slug_no_published_quiz_has():
    with pytest.raises(CommandError, match="No published quiz has the slug: nowhere"):
        call_command("quiz_audit", "nowhere")


def pass_rates(quiz, attempts=3):
    from assessments.simulation import pass_rates

    return pass_rates(quiz, audit.NAIVE_LEARNERS, attempts=attempts)


@pytest.mark.django_db
def test_naive_learners_take_a_question_quiz_through_its_review():
    from .test_attempts import a_quiz

    quiz = a_quiz("the-transit-lounge")
    rates = pass_rates(quiz, attempts=2)
    assert set(rates) == set(audit.NAIVE_LEARNERS)
    assert not Attempt.objects.exists()  # rolled back: taken, graded, and gone


# Translations: audited with their quiz, each under its language


def translated_quiz(tmp_path, longer_wrong_choice=False):
    import shutil

    from tests.courses.test_content_translations import QUIZZES, _load_quiz

    content = tmp_path / "quizzes"
    shutil.copytree(QUIZZES, content)
    if longer_wrong_choice:  # in French the wrong choice reads longer than the right one
        path = content / "translations" / "fr" / "transit-quiz.md"
        text = path.read_text().replace(
            "- [ ] Les laisser embarquer ->",
            "- [ ] Les laisser embarquer sans autre vérification que leur carte ->",
        )
        path.write_text(text)
    quiz, _made = _load_quiz(content)
    return quiz


@pytest.mark.django_db
def test_quiz_audit_audits_each_translation_under_its_language(tmp_path):
    translated_quiz(tmp_path, longer_wrong_choice=True)
    report, error = run_audit("transit-quiz", "--attempts", "2")
    found = {(q["slug"], q["language"]): q for q in report["quizzes"]}
    assert list(found) == [("transit-quiz", "en"), ("transit-quiz", "fr")]
    english, french = found.values()
    # Naive learners read the French wording: the longest choice is another one there.
    assert english["longest_option_pass_rate"] == 1.0
    assert french["longest_option_pass_rate"] == 0.0
    assert english["paths"] == french["paths"] and french["grades_as_source"] is True
    assert Attempt.objects.count() == 0


@pytest.mark.django_db
def test_quiz_audit_names_the_language_of_each_line_and_can_keep_to_one(tmp_path):
    translated_quiz(tmp_path)
    out = StringIO()
    try:
        call_command("quiz_audit", "transit-quiz", "--attempts", "1", stdout=out)
    except CommandError as error:
        assert "transit-quiz (en): " in str(error)
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == ["transit-quiz [en]", "transit-quiz [fr]"]
    report, _error = run_audit("transit-quiz", "--attempts", "1", "--language", "fr")
    assert [q["language"] for q in report["quizzes"]] == ["fr"]


@pytest.mark.django_db
def test_quiz_audit_fails_a_translation_left_behind_by_its_quiz(tmp_path):
    quiz = translated_quiz(tmp_path)
    data = list(quiz.questions.raw_data)
    choices = data[0]["value"]["choices"]
    choices[0]["value"]["is_correct"], choices[1]["value"]["is_correct"] = False, True
    quiz.questions = json.dumps(data)
    quiz.save_revision().publish()
    report, error = run_audit("transit-quiz", "--attempts", "1", "--language", "fr")
    assert [q["grades_as_source"] for q in report["quizzes"]] == [False]
    assert "transit-quiz (fr): this translation does not grade as its quiz" in str(error)
